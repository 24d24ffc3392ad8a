package server

import (
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Asynchronous fetch: the server GETs a URL into an object in the background and records the
// task ("asyncFetch:<task id>" in the bucket's configs) as Running, then Success or Failed.
// jindo server makes no callbacks: a task naming one ends FetchSuccessCallbackFailed after a
// good fetch, saying why.

const (
	asyncFetchPrefix  = "asyncFetch:"
	asyncFetchTimeout = 5 * time.Minute
)

type asyncFetchTask struct {
	XMLName  xml.Name `xml:"AsyncFetchTaskInfo"`
	TaskID   string   `xml:"TaskId"`
	State    string   `xml:"State"`
	ErrorMsg string   `xml:"ErrorMsg"`
	Info     struct {
		URL           string `xml:"Url"`
		Object        string `xml:"Object"`
		Host          string `xml:"Host"`
		ContentMD5    string `xml:"ContentMD5"`
		Callback      string `xml:"Callback"`
		IgnoreSameKey string `xml:"IgnoreSameKey"`
	} `xml:"TaskInfo"`
}

func (rq *request) putAsyncFetchTask() *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	raw, e := rq.familyDocument()
	if e != nil {
		return e
	}
	var doc struct {
		XMLName       xml.Name `xml:"AsyncFetchTaskConfiguration"`
		URL           string   `xml:"Url"`
		Object        string   `xml:"Object"`
		Host          string   `xml:"Host"`
		ContentMD5    string   `xml:"ContentMD5"`
		Callback      string   `xml:"Callback"`
		IgnoreSameKey string   `xml:"IgnoreSameKey"`
	}
	if e := decodeXML(raw, &doc); e != nil {
		return e
	}
	if u, err := url.Parse(doc.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errInvalidArgument("Url", doc.URL, "Url must be an http or https URL.")
	}
	if store.ValidateKey(doc.Object) != nil {
		return errInvalidArgument("Object", doc.Object, "The object name is not valid.")
	}
	var md5sum []byte
	if doc.ContentMD5 != "" {
		sum, err := base64.StdEncoding.DecodeString(doc.ContentMD5)
		if err != nil || len(sum) != 16 {
			return errInvalidArgument("ContentMD5", doc.ContentMD5, "ContentMD5 must be the base64 of an MD5 digest.")
		}
		md5sum = sum
	}
	ignore := strings.ToLower(doc.IgnoreSameKey)
	switch ignore {
	case "":
		ignore = "true"
	case "true", "false":
	default:
		return errInvalidArgument("IgnoreSameKey", doc.IgnoreSameKey, "IgnoreSameKey must be true or false.")
	}
	var task asyncFetchTask
	task.TaskID, task.State = strings.ReplaceAll(newUUID(), "-", ""), "Running"
	task.Info.URL, task.Info.Object, task.Info.Host = doc.URL, doc.Object, doc.Host
	task.Info.ContentMD5, task.Info.Callback, task.Info.IgnoreSameKey = doc.ContentMD5, doc.Callback, ignore
	if e := rq.saveFetchTask(rq.bucket, &task); e != nil {
		return e
	}
	rq.s.fetching.Store(task.TaskID, true)
	rq.s.backgroundWG.Add(1)
	go rq.s.runFetchTask(rq.bucket, task, md5sum)
	return rq.writeXML(struct {
		XMLName xml.Name `xml:"AsyncFetchTaskResult"`
		TaskID  string   `xml:"TaskId"`
	}{TaskID: task.TaskID})
}

func (rq *request) saveFetchTask(bucket string, task *asyncFetchTask) *ossError {
	if err := rq.s.saveFetchTask(bucket, task); err != nil {
		return storeError(err, bucket, "")
	}
	return nil
}

func (s *Server) saveFetchTask(bucket string, task *asyncFetchTask) error {
	doc, err := xml.Marshal(task)
	if err != nil {
		return err
	}
	_, err = s.cfg.Store.UpdateBucket(bucket, func(b *store.BucketInfo) error {
		setConfig(b, asyncFetchPrefix+task.TaskID, string(doc))
		return nil
	})
	return err
}

// runFetchTask fetches the task's URL into its object and records how it ended.
func (s *Server) runFetchTask(bucket string, task asyncFetchTask, md5sum []byte) {
	defer s.backgroundWG.Done()
	defer s.fetching.Delete(task.TaskID)
	err := s.fetchInto(bucket, &task, md5sum)
	switch {
	case err != nil:
		task.State, task.ErrorMsg = "Failed", err.Error()
	case task.Info.Callback != "":
		task.State, task.ErrorMsg = "FetchSuccessCallbackFailed", "jindo server makes no callbacks"
	default:
		task.State = "Success"
	}
	if err := s.saveFetchTask(bucket, &task); err != nil {
		s.cfg.Logger.Warn("async fetch: recording the task", "bucket", bucket, "task", task.TaskID, "error", err)
	}
}

func (s *Server) fetchInto(bucket string, task *asyncFetchTask, md5sum []byte) error {
	if task.Info.IgnoreSameKey == "true" {
		if _, err := s.cfg.Store.Stat(bucket, task.Info.Object); err == nil {
			return errors.New("the object exists and IgnoreSameKey is true")
		}
	}
	ctx, cancel := context.WithTimeout(s.background, asyncFetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, task.Info.URL, nil)
	if err != nil {
		return err
	}
	if task.Info.Host != "" {
		req.Host = task.Info.Host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("fetch %s: %w", task.Info.URL, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch %s: status %d", task.Info.URL, resp.StatusCode)
	}
	if resp.ContentLength > maxObjectSize {
		return fmt.Errorf("fetch %s: %d bytes is more than an object may hold", task.Info.URL, resp.ContentLength)
	}
	if b, err := s.cfg.Store.Bucket(bucket); err == nil {
		if e := s.wormProtects(&b, task.Info.Object); e != nil {
			return fmt.Errorf("store %s: %s", task.Info.Object, e.Message)
		}
	}
	attrs := store.Attrs{ContentType: resp.Header.Get("Content-Type")}
	_, err = s.cfg.Store.Put(bucket, task.Info.Object, io.LimitReader(resp.Body, maxObjectSize), attrs,
		store.PutOptions{ContentMD5: md5sum, SizeHint: resp.ContentLength})
	if err != nil {
		return fmt.Errorf("store %s: %w", task.Info.Object, err)
	}
	return nil
}

func (rq *request) getAsyncFetchTask() *ossError {
	id := rq.r.Header.Get("x-oss-task-id")
	// Looked up before the record is read: a task of this process leaves fetching only after its
	// end is recorded, so a record still "Running" of a task not in fetching was left by a
	// server that stopped (read the other way round, a task ending in between looked stopped).
	_, running := rq.s.fetching.Load(id)
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	doc, ok := b.Configs[asyncFetchPrefix+id]
	if !ok {
		return (&ossError{Status: 404, Code: "NoSuchAsyncFetchTask", Message: "The specified task does not exist.", EC: "0071-00000001"}).with("TaskId", id)
	}
	var task asyncFetchTask
	if !running && xml.Unmarshal([]byte(doc), &task) == nil && task.State == "Running" {
		task.State, task.ErrorMsg = "Failed", "interrupted: jindo server stopped before the fetch ended"
		if e := rq.saveFetchTask(rq.bucket, &task); e != nil {
			return e
		}
		out, err := xml.Marshal(&task)
		if err != nil {
			return errInternal(err)
		}
		doc = string(out)
	}
	return rq.writeRawXML(doc)
}

// asyncFetchRoute finds the handler of an async fetch request, or nil.
func (rq *request) asyncFetchRoute(m string) func() *ossError {
	switch {
	case rq.has("asyncFetch") && m == http.MethodPost:
		return rq.putAsyncFetchTask
	case rq.has("asyncFetch") && m == http.MethodGet:
		return rq.getAsyncFetchTask
	}
	return nil
}

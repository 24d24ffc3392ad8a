package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
)

func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// sendDocument sends an XML body and returns the response with its document parsed as kind.
func sendDocument(ctx context.Context, s *session, r *oss.Request, doc []byte, kind string) (responseJSON, error) {
	r.Body = bytes.NewReader(doc)
	r.ContentLength = int64(len(doc))
	started := time.Now()
	resp, err := s.client.Do(ctx, r)
	if err != nil {
		return responseJSON{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return responseJSON{}, &oss.RequestError{Err: err}
	}
	parsed, err := oss.ParseDocument(kind, raw)
	if err != nil {
		return responseJSON{}, &oss.RequestError{Err: err}
	}
	return describe(resp, parsed, started), nil
}

// opBatchDelete is DeleteMultipleObjects: the XML document, its Content-MD5, encoding-type=url.
func opBatchDelete(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var a struct {
		target
		Keys []string `json:"keys"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, clientErrorf("bad batch_delete arguments: %v", err)
	}
	if len(a.Keys) == 0 {
		return nil, clientErrorf("key_list should not be empty")
	}
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>false</Quiet>`)
	for _, k := range a.Keys {
		doc.WriteString("<Object><Key>" + xmlText(k) + "</Key></Object>")
	}
	doc.WriteString("</Delete>")
	body := []byte(doc.String())
	sum := md5.Sum(body)
	r := a.request(http.MethodPost)
	r.Method = http.MethodPost
	r.Key = ""
	r.Query = [][2]string{{"delete", ""}, {"encoding-type", "url"}}
	r.Header.Set("Content-MD5", oss.ContentMD5(sum[:]))
	r.Header.Set("Content-Type", "application/xml")
	return sendDocument(ctx, s, r, body, "batch_delete")
}

// opCompleteMultipart sends the part list (or x-oss-complete-all when parts is null).
func opCompleteMultipart(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var a struct {
		target
		UploadID string `json:"upload_id"`
		Parts    *[]struct {
			Number int    `json:"part_number"`
			ETag   string `json:"etag"`
		} `json:"parts"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, clientErrorf("bad complete arguments: %v", err)
	}
	r := a.request(http.MethodPost)
	r.Method = http.MethodPost
	r.Query = append([][2]string{{"uploadId", a.UploadID}}, r.Query...)
	var doc strings.Builder
	if a.Parts == nil {
		r.Header.Set("x-oss-complete-all", "yes")
	} else {
		doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>`)
		for _, p := range *a.Parts {
			fmt.Fprintf(&doc, "<Part><PartNumber>%d</PartNumber><ETag>&quot;%s&quot;</ETag></Part>", p.Number, xmlText(strings.Trim(p.ETag, `"`)))
		}
		doc.WriteString("</CompleteMultipartUpload>")
	}
	return sendDocument(ctx, s, r, []byte(doc.String()), "complete_multipart")
}

// opRename moves an object (copy, then delete the source once the copy succeeded) or, for a
// source ending in "/", every object under that prefix, several at a time.
func opRename(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a struct {
		Bucket    string `json:"bucket"`
		Src       string `json:"src"`
		Dst       string `json:"dst"`
		Overwrite bool   `json:"overwrite"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, clientErrorf("bad rename arguments: %v", err)
	}
	if a.Src == "" || a.Dst == "" {
		return nil, clientErrorf("rename needs a source and a target key")
	}
	if a.Src == a.Dst {
		return nil, clientErrorf("rename source and target are the same: %q", a.Src)
	}
	move := func(src, dst string) (responseJSON, error) {
		r := &oss.Request{Method: http.MethodPut, Bucket: a.Bucket, Key: dst, Header: http.Header{}}
		r.Header.Set("x-oss-copy-source", escapeSource(a.Bucket, src))
		if !a.Overwrite {
			r.Header.Set("x-oss-forbid-overwrite", "true")
		}
		resp, err := s.client.Do(ctx, r)
		if err != nil {
			return responseJSON{}, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		started := time.Now()
		resp, err = s.client.Do(ctx, &oss.Request{Method: http.MethodDelete, Bucket: a.Bucket, Key: src})
		if err != nil {
			return responseJSON{}, err
		}
		resp.Body.Close()
		p.Add(1)
		return describe(resp, nil, started), nil
	}
	if !strings.HasSuffix(a.Src, "/") {
		return move(a.Src, a.Dst)
	}
	keys, err := listKeys(ctx, s, a.Bucket, a.Src)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, clientErrorf("rename: no object under prefix %q", a.Src)
	}
	p.SetTotal(int64(len(keys)))
	dst := a.Dst
	if !strings.HasSuffix(dst, "/") {
		dst += "/"
	}
	var (
		mu    sync.Mutex
		last  responseJSON
		first error
		wg    sync.WaitGroup
		next  = make(chan string)
	)
	for range min(8, len(keys)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				res, err := move(k, dst+k[len(a.Src):])
				mu.Lock()
				if err != nil && first == nil {
					first = err
				} else if err == nil {
					last = res
				}
				mu.Unlock()
			}
		}()
	}
	for _, k := range keys {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed || ctx.Err() != nil {
			break
		}
		next <- k
	}
	close(next)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	return last, first
}

// listKeys lists every key under prefix.
func listKeys(ctx context.Context, s *session, bucket, prefix string) ([]string, error) {
	var keys []string
	marker := ""
	for {
		r := &oss.Request{Method: http.MethodGet, Bucket: bucket, Query: [][2]string{
			{"prefix", prefix}, {"marker", marker}, {"max-keys", "1000"}, {"encoding-type", "url"}}}
		res, err := sendDocument(ctx, s, r, nil, "list_objects")
		if err != nil {
			return nil, err
		}
		doc, _ := res.Body.(map[string]any)
		contents, _ := doc["contents"].([]any)
		for _, c := range contents {
			m, _ := c.(map[string]any)
			k, _ := m["key"].(string)
			if k, err = url.QueryUnescape(k); err != nil {
				return nil, &oss.RequestError{Err: err}
			}
			keys = append(keys, k)
		}
		if t, _ := doc["is_truncated"].(bool); !t {
			return keys, nil
		}
		next, _ := doc["next_marker"].(string)
		if next, _ = url.QueryUnescape(next); next == "" {
			return nil, &oss.RequestError{Err: errors.New("truncated listing without a next marker")}
		}
		marker = next
	}
}

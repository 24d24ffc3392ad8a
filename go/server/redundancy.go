package server

import (
	"encoding/xml"
	"net/http"
	"sort"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Data redundancy transitions (LRS to ZRS): a task per bucket, kept in its configs
// ("redundancyTransition:<task id>"). The server has no data to move, so a task is Finished,
// and the bucket ZRS, as soon as it is made; OSS deletes only tasks still Queueing, so a
// finished one cannot be deleted.

const redundancyPrefix = "redundancyTransition:"

type redundancyTransition struct {
	XMLName                xml.Name `xml:"BucketDataRedundancyTransition"`
	Bucket                 string   `xml:"Bucket"`
	TaskID                 string   `xml:"TaskId"`
	Status                 string   `xml:"Status"`
	CreateTime             string   `xml:"CreateTime"`
	StartTime              string   `xml:"StartTime"`
	EndTime                string   `xml:"EndTime"`
	ProcessPercentage      int      `xml:"ProcessPercentage"`
	EstimatedRemainingTime int      `xml:"EstimatedRemainingTime"`
}

func errNoSuchTransition(id string) *ossError {
	return (&ossError{Status: 404, Code: "BucketDataRedundancyTransitionTaskNotExist", Message: "The data redundancy transition task does not exist.", EC: "0066-00000003"}).with("TaskId", id)
}

func (rq *request) createRedundancyTransition() *ossError {
	target := rq.query.Get("x-oss-target-redundancy-type")
	if target != "ZRS" {
		return errInvalidArgument("x-oss-target-redundancy-type", target, "The target redundancy type must be ZRS.")
	}
	now := rq.s.cfg.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	task := redundancyTransition{Bucket: rq.bucket, TaskID: strings.ReplaceAll(newUUID(), "-", ""), Status: "Finished",
		CreateTime: now, StartTime: now, EndTime: now, ProcessPercentage: 100}
	doc, err := xml.Marshal(task)
	if err != nil {
		return errInternal(err)
	}
	e := rq.updateConfig(redundancyPrefix+task.TaskID, func(_ string, b *store.BucketInfo) (string, *ossError) {
		if b.DataRedundancyType == "ZRS" {
			return "", &ossError{Status: 409, Code: "BucketDataRedundancyTypeAlreadyZRS", Message: "The bucket is already ZRS.", EC: "0066-00000001"}
		}
		b.DataRedundancyType = "ZRS"
		return string(doc), nil
	})
	if e != nil {
		return e
	}
	return rq.writeXML(struct {
		XMLName xml.Name `xml:"BucketDataRedundancyTransition"`
		TaskID  string   `xml:"TaskId"`
	}{TaskID: task.TaskID})
}

func (rq *request) redundancyTask() (string, string, *ossError) {
	id := rq.query.Get("x-oss-redundancy-transition-taskid")
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return id, "", storeError(err, rq.bucket, "")
	}
	doc, ok := b.Configs[redundancyPrefix+id]
	if !ok {
		return id, "", errNoSuchTransition(id)
	}
	return id, doc, nil
}

func (rq *request) getRedundancyTransition() *ossError {
	_, doc, e := rq.redundancyTask()
	if e != nil {
		return e
	}
	return rq.writeRawXML(doc)
}

func (rq *request) deleteRedundancyTransition() *ossError {
	if _, _, e := rq.redundancyTask(); e != nil {
		return e
	}
	return &ossError{Status: 409, Code: "BucketDataRedundancyTransitionTaskNotQueueing", Message: "Only a task still queueing can be deleted.", EC: "0066-00000004"}
}

// listRedundancyTransitions lists the bucket's tasks, or for a service request every bucket's,
// by bucket and task id (max-keys a page for the service).
func (rq *request) listRedundancyTransitions() *ossError {
	buckets, e := rq.listedBuckets()
	if e != nil {
		return e
	}
	var keys, docs []string
	for i := range buckets {
		for _, id := range prefixedNames(&buckets[i], redundancyPrefix) {
			keys = append(keys, buckets[i].Name+"/"+id)
			docs = append(docs, buckets[i].Configs[redundancyPrefix+id])
		}
	}
	var out strings.Builder
	if rq.bucket != "" {
		out.WriteString("<ListBucketDataRedundancyTransition>")
		for _, d := range docs {
			out.WriteString(d)
		}
		out.WriteString("</ListBucketDataRedundancyTransition>")
		return rq.writeRawXML(out.String())
	}
	maxKeys, e := maxKeysParam(rq, 100)
	if e != nil {
		return e
	}
	token := rq.query.Get("continuation-token")
	start := sort.SearchStrings(keys, token)
	out.WriteString("<ListBucketDataRedundancyTransition>")
	end := min(start+maxKeys, len(keys))
	if end < len(keys) {
		out.WriteString("<IsTruncated>true</IsTruncated>")
		writeElement(&out, "NextContinuationToken", keys[end])
	} else {
		out.WriteString("<IsTruncated>false</IsTruncated>")
	}
	for _, d := range docs[start:end] {
		out.WriteString(d)
	}
	out.WriteString("</ListBucketDataRedundancyTransition>")
	return rq.writeRawXML(out.String())
}

// redundancyRoute finds the handler of a data redundancy transition request, or nil.
func (rq *request) redundancyRoute(m string) func() *ossError {
	if !rq.has("redundancyTransition") {
		return nil
	}
	switch {
	case m == http.MethodPost:
		return rq.createRedundancyTransition
	case m == http.MethodGet && rq.has("x-oss-redundancy-transition-taskid"):
		return rq.getRedundancyTransition
	case m == http.MethodGet:
		return rq.listRedundancyTransitions
	case m == http.MethodDelete:
		return rq.deleteRedundancyTransition
	}
	return nil
}

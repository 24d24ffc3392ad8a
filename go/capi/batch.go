package main

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// opBatchDelete is DeleteMultipleObjects of the given keys in one request, as oss2 sends it.
func opBatchDelete(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var a struct {
		Bucket  string      `json:"bucket"`
		Keys    []string    `json:"keys"`
		Headers [][2]string `json:"headers"`
	}
	if err := decodeArgs("batch_delete", raw, &a); err != nil {
		return nil, err
	}
	started := time.Now()
	res, err := oss.DeleteObjects(ctx, s.client, &oss.DeleteObjectsRequest{Bucket: a.Bucket, Keys: a.Keys,
		Header: target{Headers: a.Headers}.header()})
	if err != nil {
		return nil, err
	}
	return describe(res.Status, res.Header, res, started), nil
}

// opCompleteMultipart sends the part list (or x-oss-complete-all when parts is null).
func opCompleteMultipart(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var a struct {
		Bucket   string      `json:"bucket"`
		Key      string      `json:"key"`
		UploadID string      `json:"upload_id"`
		Headers  [][2]string `json:"headers"`
		Parts    *[]struct {
			Number int    `json:"part_number"`
			ETag   string `json:"etag"`
		} `json:"parts"`
	}
	if err := decodeArgs("complete_multipart", raw, &a); err != nil {
		return nil, err
	}
	req := &oss.CompleteMultipartUploadRequest{Bucket: a.Bucket, Key: a.Key, UploadID: a.UploadID,
		Header: target{Headers: a.Headers}.header()}
	if a.Parts != nil {
		req.Parts = make([]oss.CompletePart, len(*a.Parts))
		for i, p := range *a.Parts {
			req.Parts[i] = oss.CompletePart{PartNumber: p.Number, ETag: p.ETag}
		}
	}
	started := time.Now()
	res, err := oss.CompleteMultipartUpload(ctx, s.client, req)
	if err != nil {
		return nil, err
	}
	var body any // the document, or what a callback answered instead
	if res.Parsed {
		body = res
	} else if len(res.Body) > 0 {
		body = latin1(res.Body)
	}
	return describe(res.Status, res.Header, body, started), nil
}

// opRename moves an object, or every object under a prefix (see transfer.Move).
func opRename(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a struct {
		Bucket    string `json:"bucket"`
		Src       string `json:"src"`
		Dst       string `json:"dst"`
		Overwrite bool   `json:"overwrite"`
	}
	if err := decodeArgs("rename", raw, &a); err != nil {
		return nil, err
	}
	started := time.Now()
	res, err := transfer.Move(ctx, s.client, transfer.MoveRequest{Bucket: a.Bucket, Src: a.Src, Dst: a.Dst, Overwrite: a.Overwrite},
		0, transfer.Meter{Add: p.Add, SetTotal: p.SetTotal})
	if err != nil {
		return nil, err
	}
	if res.Header == nil {
		res.Header = http.Header{}
	}
	return describe(res.Status, res.Header, nil, started), nil
}

// opCopyMultipart copies an object of any size server-side, in UploadPartCopy parts (see
// transfer.CopyMultipart).
func opCopyMultipart(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a struct {
		SrcBucket   string `json:"src_bucket"`
		SrcKey      string `json:"src_key"`
		Bucket      string `json:"bucket"`
		Key         string `json:"key"`
		Overwrite   bool   `json:"overwrite"`
		PartSize    int64  `json:"part_size"`
		Concurrency int    `json:"concurrency"`
	}
	if err := decodeArgs("copy_multipart", raw, &a); err != nil {
		return nil, err
	}
	started := time.Now()
	res, err := transfer.CopyMultipart(ctx, s.client, transfer.CopyRequest{SrcBucket: a.SrcBucket, SrcKey: a.SrcKey,
		DstBucket: a.Bucket, DstKey: a.Key, Overwrite: a.Overwrite}, a.PartSize, a.Concurrency,
		transfer.Meter{Add: p.Add, SetTotal: p.SetTotal})
	if err != nil {
		return nil, err
	}
	if res.Header == nil {
		res.Header = http.Header{}
	}
	return describe(res.Status, res.Header, nil, started), nil
}

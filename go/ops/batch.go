package ops

import (
	"context"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// Typed requests of go/oss and server-side transfers of go/transfer that Python calls one by one.

func init() {
	register("batch_delete", NoBuffer, batchDelete)
	register("complete_multipart", NoBuffer, completeMultipart)
	register("rename", NoBuffer, rename)
	register("copy_multipart", NoBuffer, copyMultipart)
}

type BatchDeleteArgs struct {
	Bucket string   `json:"bucket" arg:"required"`
	Keys   []string `json:"keys" arg:"required"`
	// VersionIDs, when given, names one version per key ("" for the key's latest), as oss2's
	// delete_object_versions sends them.
	VersionIDs []string `json:"version_ids"`
	Headers    Pairs    `json:"headers"`
}

// batchDelete is DeleteMultipleObjects of the given keys (and versions) in one request, as oss2
// sends it.
func batchDelete(ctx context.Context, c *Call, a *BatchDeleteArgs) (Response, error) {
	started := time.Now()
	res, err := oss.DeleteObjects(ctx, c.Session.Client, &oss.DeleteObjectsRequest{Bucket: a.Bucket, Keys: a.Keys,
		VersionIDs: a.VersionIDs, Header: a.Headers.Header()})
	if err != nil {
		return Response{}, err
	}
	return describe(res.Status, res.Header, res, started), nil
}

type CompletePart struct {
	Number int    `json:"part_number" arg:"required"`
	ETag   string `json:"etag" arg:"required"`
}

type CompleteMultipartArgs struct {
	Object
	UploadID string `json:"upload_id" arg:"required"`
	Headers  Pairs  `json:"headers"`
	// Parts is required so that a forgotten list is not taken for null, which completes every
	// uploaded part (x-oss-complete-all).
	Parts *[]CompletePart `json:"parts" arg:"required"`
}

// completeMultipart sends the part list (or x-oss-complete-all when parts is null).
func completeMultipart(ctx context.Context, c *Call, a *CompleteMultipartArgs) (Response, error) {
	req := &oss.CompleteMultipartUploadRequest{Bucket: a.Bucket, Key: a.Key, UploadID: a.UploadID, Header: a.Headers.Header()}
	if a.Parts != nil {
		req.Parts = make([]oss.CompletePart, len(*a.Parts))
		for i, p := range *a.Parts {
			req.Parts[i] = oss.CompletePart{PartNumber: p.Number, ETag: p.ETag}
		}
	}
	started := time.Now()
	res, err := oss.CompleteMultipartUpload(ctx, c.Session.Client, req)
	if err != nil {
		return Response{}, err
	}
	var body any // the document, or what a callback answered instead
	if res.Parsed {
		body = res
	} else if len(res.Body) > 0 {
		body = Latin1(res.Body)
	}
	return describe(res.Status, res.Header, body, started), nil
}

type RenameArgs struct {
	Bucket string `json:"bucket" arg:"required"`
	Src    string `json:"src" arg:"required"`
	Dst    string `json:"dst" arg:"required"`
	// Overwrite is required: its zero value (refuse to overwrite) is not what callers expect.
	Overwrite bool `json:"overwrite" arg:"required"`
}

// rename moves an object, or every object under a prefix (see transfer.Move).
func rename(ctx context.Context, c *Call, a *RenameArgs) (Response, error) {
	started := time.Now()
	res, err := transfer.Move(ctx, c.Session.Client, transfer.MoveRequest{Bucket: a.Bucket, Src: a.Src, Dst: a.Dst,
		Overwrite: a.Overwrite}, 0, transfer.Meter{Add: c.Progress.Add, SetTotal: c.Progress.SetTotal})
	if err != nil {
		return Response{}, err
	}
	return describe(res.Status, res.Header, nil, started), nil
}

type CopyMultipartArgs struct {
	SrcBucket string `json:"src_bucket" arg:"required"`
	SrcKey    string `json:"src_key" arg:"required"`
	// SrcVersionID names a version of the source ("" for the latest).
	SrcVersionID string `json:"src_version_id"`
	Object
	Overwrite   bool  `json:"overwrite" arg:"required"`
	PartSize    int64 `json:"part_size"`
	Concurrency int   `json:"concurrency"`
}

// copyMultipart copies an object of any size server-side, in UploadPartCopy parts (see
// transfer.CopyMultipart).
func copyMultipart(ctx context.Context, c *Call, a *CopyMultipartArgs) (Response, error) {
	started := time.Now()
	res, err := transfer.CopyMultipart(ctx, c.Session.Client, transfer.CopyRequest{SrcBucket: a.SrcBucket, SrcKey: a.SrcKey, SrcVersionID: a.SrcVersionID,
		DstBucket: a.Bucket, DstKey: a.Key, Overwrite: a.Overwrite}, a.PartSize, a.Concurrency,
		transfer.Meter{Add: c.Progress.Add, SetTotal: c.Progress.SetTotal})
	if err != nil {
		return Response{}, err
	}
	return describe(res.Status, res.Header, nil, started), nil
}

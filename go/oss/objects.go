package oss

import (
	"context"
	"net/http"
)

// CopySource is the x-oss-copy-source value naming bucket/key, escaped as oss2 escapes it.
func CopySource(bucket, key string) string { return "/" + bucket + "/" + QuoteAll(key) }

// CopyObjectRequest is a server-side copy of SourceBucket/SourceKey to Bucket/Key.
type CopyObjectRequest struct {
	Bucket, Key             string
	SourceBucket, SourceKey string
	// ForbidOverwrite refuses to replace an existing target (409 FileAlreadyExists).
	ForbidOverwrite bool
	Header          http.Header // metadata directive, x-oss-meta-*, ...
}

// CopyObject copies an object within OSS (up to 1 GiB in one request).
func CopyObject(ctx context.Context, d Doer, req *CopyObjectRequest) (Result, error) {
	h := req.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("x-oss-copy-source", CopySource(req.SourceBucket, req.SourceKey))
	if req.ForbidOverwrite {
		h.Set("x-oss-forbid-overwrite", "true")
	}
	return sendDiscard(ctx, d, &Request{Method: http.MethodPut, Bucket: req.Bucket, Key: req.Key, Header: h})
}

// DeleteObject deletes one object; deleting a missing object succeeds, as on OSS.
func DeleteObject(ctx context.Context, d Doer, bucket, key string) (Result, error) {
	return sendDiscard(ctx, d, &Request{Method: http.MethodDelete, Bucket: bucket, Key: key})
}

// HeadObject returns an object's headers (size, ETag, CRC64, type, metadata).
func HeadObject(ctx context.Context, d Doer, bucket, key string) (Result, error) {
	return sendDiscard(ctx, d, &Request{Method: http.MethodHead, Bucket: bucket, Key: key})
}

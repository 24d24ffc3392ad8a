package transfer

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/pyjindo/pyjindo/go/oss"
)

// DefaultBatchConcurrency is how many requests Move and DeleteMany keep in flight: small
// requests are latency-bound, so several at once multiply the rate.
const DefaultBatchConcurrency = 8

// CopyRequest is a server-side copy.
type CopyRequest struct {
	SrcBucket, SrcKey string
	SrcVersionID      string // a version of the source; "" for the latest
	DstBucket, DstKey string
	Overwrite         bool // false: refuse to replace an existing target (409 FileAlreadyExists)
	// Size is the source's size when the caller knows it (-1 or 0: unknown): above
	// MultipartCopyThreshold, Copy copies in parts.
	Size int64
	// Header goes with the copy as CopyObject takes it: x-oss-metadata-directive: REPLACE with
	// the target's Content-Type, x-oss-meta-*, ... instead of the source's; x-oss-tagging-directive:
	// REPLACE with x-oss-tagging; x-oss-object-acl, x-oss-storage-class. A copy in parts gives the
	// same result: these headers on its initiation in place of the source's.
	Header http.Header
}

// MultipartCopyThreshold is the source size above which Copy copies in parts: OSS's CopyObject
// takes objects up to 1 GiB. CopyPartSize is the size of those parts.
const (
	MultipartCopyThreshold = 1 << 30
	CopyPartSize           = 256 << 20
)

// Copy copies one object within OSS: one CopyObject, or, for a source larger than
// MultipartCopyThreshold bytes, a multipart upload of UploadPartCopy parts (CopyMultipart).
func Copy(ctx context.Context, d oss.Doer, req CopyRequest) (oss.Result, error) {
	if req.Size > MultipartCopyThreshold {
		return CopyMultipart(ctx, d, req, CopyPartSize, DefaultConcurrency, Meter{})
	}
	return copyObject(ctx, d, req)
}

// copyObject is req as one CopyObject.
func copyObject(ctx context.Context, d oss.Doer, req CopyRequest) (oss.Result, error) {
	return oss.CopyObject(ctx, d, &oss.CopyObjectRequest{Bucket: req.DstBucket, Key: req.DstKey,
		SourceBucket: req.SrcBucket, SourceKey: req.SrcKey, SourceVersionID: req.SrcVersionID, ForbidOverwrite: !req.Overwrite, Header: req.Header})
}

// CopyMultipart copies a source of any size server-side (req.SrcVersionID, if set, names the
// version that the HEAD, the tags and every part read): a HEAD of the source (its size, its
// ETag, which pins every part to this version, and the headers CopyObject would copy:
// Content-Type, Cache-Control, x-oss-meta-*, ...), a multipart upload of the target with those
// headers, UploadPartCopy parts of partSize, concurrency at once, and the completion (with
// x-oss-forbid-overwrite unless req.Overwrite). Any failure aborts the upload: nothing is left
// under the target or among its uploads. m counts the bytes of each part copied.
func CopyMultipart(ctx context.Context, d oss.Doer, req CopyRequest, partSize int64, concurrency int, m Meter) (oss.Result, error) {
	if partSize < MinPartSize || concurrency < 1 {
		return oss.Result{}, &oss.ClientError{Message: fmt.Sprintf("multipart copy: part size %d (at least %d) or concurrency %d (at least 1)",
			partSize, MinPartSize, concurrency)}
	}
	src, err := oss.HeadObjectVersion(ctx, d, req.SrcBucket, req.SrcKey, req.SrcVersionID)
	if err != nil {
		return oss.Result{}, err
	}
	size, err := strconv.ParseInt(src.Header.Get("Content-Length"), 10, 64)
	if err != nil {
		return oss.Result{}, &oss.RequestError{Err: fmt.Errorf("copy: no size for %s/%s", req.SrcBucket, req.SrcKey)}
	}
	if size == 0 { // no range to copy: one CopyObject does it
		return copyObject(ctx, d, req)
	}
	// OSS limits an upload to MaxParts parts (and a part to 5 GiB): a larger source gets larger
	// parts.
	for size > partSize*MaxParts {
		partSize *= 2
	}
	m.setTotal(size)
	target := &oss.Request{Bucket: req.DstBucket, Key: req.DstKey, Header: targetHeaders(src.Header, req.Header)}
	replaceTags := strings.EqualFold(req.Header.Get("x-oss-tagging-directive"), "REPLACE")
	if n := src.Header.Get("x-oss-tagging-count"); !replaceTags && n != "" && n != "0" { // CopyObject copies tags too
		tags, err := oss.ObjectTaggingVersion(ctx, d, req.SrcBucket, req.SrcKey, req.SrcVersionID)
		if err != nil {
			return oss.Result{}, err
		}
		target.Header.Set("x-oss-tagging", tags)
	}
	uploadID, initiated, err := initiate(ctx, d, target)
	if err != nil {
		return oss.Result{}, err
	}
	done := false
	defer func() {
		if !done {
			abort(ctx, d, target, uploadID)
		}
	}()
	count := int((size + partSize - 1) / partSize)
	parts := make([]oss.CompletePart, count)
	etag := src.Header.Get("ETag")
	err = Each(ctx, count, concurrency, true, func(ctx context.Context, _, i int) error {
		first := int64(i) * partSize
		last := min(first+partSize, size) - 1
		pr := &oss.UploadPartCopyRequest{Bucket: req.DstBucket, Key: req.DstKey, UploadID: uploadID, Number: i + 1,
			SourceBucket: req.SrcBucket, SourceKey: req.SrcKey, SourceVersionID: req.SrcVersionID, First: first, Last: last, SourceETag: etag}
		res, err := oss.UploadPartCopy(ctx, d, pr)
		if err != nil {
			return err
		}
		parts[i] = oss.CompletePart{PartNumber: i + 1, ETag: res.ETag}
		m.add(last - first + 1)
		return nil
	})
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return oss.Result{}, err
	}
	h := http.Header{}
	if !req.Overwrite {
		h.Set("x-oss-forbid-overwrite", "true")
	}
	// A completion that may have acted is checked against the object, whose CRC64 is then the
	// source's.
	res, mayHaveCompleted, err := complete(ctx, d, target, uploadID, parts, h)
	if err != nil {
		sum, perr := strconv.ParseUint(src.Header.Get("X-Oss-Hash-Crc64ecma"), 10, 64)
		if mayHaveCompleted && perr == nil && ctx.Err() == nil {
			if head, ok := completedAnyway(ctx, d, target, sum, initiated); ok {
				return head, nil // the deferred abort finds no upload if ours completed
			}
		}
		return oss.Result{}, err
	}
	done = true
	return res.Result, nil
}

// targetHeaders are the initiation's headers of a copy in parts: the source's (copiedHeaders)
// unless the request replaces them, and the request's own but for the directives, which only
// CopyObject takes.
func targetHeaders(src, req http.Header) http.Header {
	out := copiedHeaders(src)
	if strings.EqualFold(req.Get("x-oss-metadata-directive"), "REPLACE") {
		out = http.Header{}
	}
	for k, v := range req {
		switch strings.ToLower(k) {
		case "x-oss-metadata-directive", "x-oss-tagging-directive":
		default:
			out[k] = v
		}
	}
	return out
}

// copiedHeaders are the headers of a HEAD answer that CopyObject would carry to its target.
func copiedHeaders(h http.Header) http.Header {
	out := http.Header{}
	for k, v := range h {
		lk := strings.ToLower(k)
		switch {
		case strings.HasPrefix(lk, "x-oss-meta-"), lk == "content-type", lk == "cache-control",
			lk == "content-disposition", lk == "content-encoding", lk == "content-language", lk == "expires":
			out[k] = v
		}
	}
	return out
}

// MoveRequest moves Src to Dst within Bucket; a Src ending in "/" moves every object under that
// prefix to the same place under Dst.
type MoveRequest struct {
	Bucket    string
	Src, Dst  string
	Overwrite bool
}

// Move renames by copy, then delete of the source once its copy succeeded: an interruption
// leaves each object at the source, the target or both, never at neither. A prefix is listed
// whole first, then its objects move with at most concurrency at once (0:
// DefaultBatchConcurrency); m counts moved objects. The result is the last delete's answer.
// Each request retries under the client's policy. An object of a prefix larger than 1 GiB is
// copied in parts (its size comes with the listing); a single key is one CopyObject, as its size
// is not known.
//
// A move whose target is its own source (after the "/" a prefix target gets), a prefix moved
// into itself, or a prefix move whose targets include one of its sources is refused with a
// ClientError before anything is touched: the copy would land on the source and the delete that
// follows would remove it.
func Move(ctx context.Context, d oss.Doer, req MoveRequest, concurrency int, m Meter) (oss.Result, error) {
	if req.Src == "" || req.Dst == "" {
		return oss.Result{}, &oss.ClientError{Message: "rename needs a source and a target key"}
	}
	dst := req.Dst
	if strings.HasSuffix(req.Src, "/") && !strings.HasSuffix(dst, "/") {
		dst += "/"
	}
	if req.Src == dst {
		return oss.Result{}, &oss.ClientError{Message: fmt.Sprintf("rename source and target are the same: %q", req.Src)}
	}
	if strings.HasSuffix(req.Src, "/") && strings.HasPrefix(dst, req.Src) {
		return oss.Result{}, &oss.ClientError{Message: fmt.Sprintf("rename target %q is inside the source prefix %q", req.Dst, req.Src)}
	}
	// size, when known (from a prefix's listing), lets Copy copy a source over 1 GiB in parts.
	move := func(ctx context.Context, src, dst string, size int64) (oss.Result, error) {
		if _, err := Copy(ctx, d, CopyRequest{SrcBucket: req.Bucket, SrcKey: src, DstBucket: req.Bucket, DstKey: dst,
			Overwrite: req.Overwrite, Size: size}); err != nil {
			return oss.Result{}, err
		}
		res, err := oss.DeleteObject(ctx, d, req.Bucket, src)
		if err == nil {
			m.add(1)
		}
		return res, err
	}
	if !strings.HasSuffix(req.Src, "/") {
		return move(ctx, req.Src, req.Dst, 0)
	}
	objects, err := oss.ListAllObjects(ctx, d, req.Bucket, req.Src)
	if err != nil {
		return oss.Result{}, err
	}
	if len(objects) == 0 {
		return oss.Result{}, &oss.ClientError{Message: fmt.Sprintf("rename: no object under prefix %q", req.Src)}
	}
	sources := make(map[string]bool, len(objects))
	for _, o := range objects {
		sources[o.Key] = true
	}
	for _, o := range objects {
		// A target under the source's parent can be another source: "a/b/" to "a/" moves
		// "a/b/b/x" onto "a/b/x", which may not have moved yet.
		if target := dst + o.Key[len(req.Src):]; sources[target] {
			return oss.Result{}, &oss.ClientError{Message: fmt.Sprintf("rename of %q to %q would overwrite the source object %q", req.Src, req.Dst, target)}
		}
	}
	m.setTotal(int64(len(objects)))
	var (
		mu   sync.Mutex
		last oss.Result
	)
	err = Each(ctx, len(objects), batchWorkers(concurrency), false, func(ctx context.Context, _, i int) error {
		k := objects[i].Key
		res, err := move(ctx, k, dst+k[len(req.Src):], objects[i].Size)
		if err == nil {
			mu.Lock()
			last = res
			mu.Unlock()
		}
		return err
	})
	return last, err
}

// DeleteMany deletes keys from bucket with batch deletes of oss.MaxDeleteKeys keys, at most
// concurrency requests at once (0: DefaultBatchConcurrency); m counts deleted keys. It returns
// the keys OSS reported deleted (deleting a missing key succeeds, as on OSS), those it reported
// it could not delete with their error codes, and the first error.
// A batch delete is a POST and is not retried, as in oss2.
func DeleteMany(ctx context.Context, d oss.Doer, bucket string, keys []string, concurrency int, m Meter) ([]string, []oss.DeleteError, error) {
	batches := (len(keys) + oss.MaxDeleteKeys - 1) / oss.MaxDeleteKeys
	m.setTotal(int64(len(keys)))
	var (
		mu      sync.Mutex
		deleted []string
		failed  []oss.DeleteError
	)
	err := Each(ctx, batches, batchWorkers(concurrency), false, func(ctx context.Context, _, i int) error {
		chunk := keys[i*oss.MaxDeleteKeys : min(len(keys), (i+1)*oss.MaxDeleteKeys)]
		res, err := oss.DeleteObjects(ctx, d, &oss.DeleteObjectsRequest{Bucket: bucket, Keys: chunk})
		if err != nil {
			return err
		}
		mu.Lock()
		deleted = append(deleted, res.Keys()...)
		failed = append(failed, res.Errors...)
		mu.Unlock()
		m.add(int64(len(res.Deleted)))
		return nil
	})
	return deleted, failed, err
}

func batchWorkers(n int) int {
	if n <= 0 {
		return DefaultBatchConcurrency
	}
	return n
}

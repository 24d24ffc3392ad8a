package oss

import (
	"context"
	"net/http"
	"strconv"
)

// Paginators: each Walk* sends one listing request after another, hands each page to fn and stops
// at the last page, at fn's first error, or at a page that claims more without saying where they
// start. Memory is one page whatever the count.

// walkPages is the paginators' one loop: list a page of req, hand it to fn, and let next move
// req past it; next tells whether more pages follow, and fails on a truncated page that names
// no place to go on from.
func walkPages[Req, Page any](req Req, list func(*Req) (Page, error), fn func(Page) error, next func(*Req, Page) (bool, error)) error {
	for {
		page, err := list(&req)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if more, err := next(&req, page); !more || err != nil {
			return err
		}
	}
}

// noNextMarker is a truncated page without a marker to go on from.
func noNextMarker() error { return &RequestError{Err: errTruncatedWithoutMarker} }

// WalkObjects lists every object (and, with a delimiter, every common prefix) under req.Prefix,
// starting after req.Marker.
func WalkObjects(ctx context.Context, d Doer, req ListObjectsRequest, fn func(*ListObjectsResult) error) error {
	list := func(r *ListObjectsRequest) (*ListObjectsResult, error) { return ListObjects(ctx, d, r) }
	return walkPages(req, list, fn, func(r *ListObjectsRequest, p *ListObjectsResult) (bool, error) {
		r.Marker = p.NextMarker // ListObjects refuses a truncated page without one
		return bool(p.IsTruncated), nil
	})
}

// WalkMultipartUploads lists every unfinished upload under req.Prefix.
func WalkMultipartUploads(ctx context.Context, d Doer, req ListMultipartUploadsRequest, fn func(*ListMultipartUploadsResult) error) error {
	list := func(r *ListMultipartUploadsRequest) (*ListMultipartUploadsResult, error) {
		return ListMultipartUploads(ctx, d, r)
	}
	return walkPages(req, list, fn, func(r *ListMultipartUploadsRequest, p *ListMultipartUploadsResult) (bool, error) {
		switch {
		case !bool(p.IsTruncated):
			return false, nil
		case p.NextKeyMarker == "" && p.NextUploadIDMarker == "":
			return false, noNextMarker()
		}
		r.KeyMarker, r.UploadIDMarker = p.NextKeyMarker, p.NextUploadIDMarker
		return true, nil
	})
}

// WalkBuckets lists every bucket of the account whose name starts with prefix.
func WalkBuckets(ctx context.Context, d Doer, prefix string, fn func(*ListBucketsResult) error) error {
	list := func(marker *string) (*ListBucketsResult, error) { return ListBuckets(ctx, d, prefix, *marker, 1000) }
	return walkPages("", list, fn, func(marker *string, p *ListBucketsResult) (bool, error) {
		switch {
		case !bool(p.IsTruncated):
			return false, nil
		case p.NextMarker == "":
			return false, noNextMarker()
		}
		*marker = p.NextMarker
		return true, nil
	})
}

// ListPartsRequest is one page of an upload's parts. MaxParts 0 means OSS's default (1000).
type ListPartsRequest struct {
	Bucket, Key, UploadID string
	PartNumberMarker      int
	MaxParts              int
}

// ListedPart is one stored part of an unfinished upload.
type ListedPart struct {
	Number       int    `xml:"PartNumber" json:"part_number"`
	LastModified string `xml:"LastModified" json:"last_modified"` // as OSS wrote it, RFC 3339
	ETag         string `xml:"ETag" json:"etag"`                  // quoted, as OSS wrote it
	Size         int64  `xml:"Size" json:"size"`
	CRC64        string `xml:"HashCrc64ecma" json:"hash_crc64ecma"`
}

// ListPartsResult is one page of parts.
type ListPartsResult struct {
	Result               `xml:"-" json:"-"`
	Bucket               string       `xml:"Bucket" json:"bucket"`
	Key                  string       `xml:"Key" json:"key"`
	UploadID             string       `xml:"UploadId" json:"upload_id"`
	PartNumberMarker     int          `xml:"PartNumberMarker" json:"part_number_marker"`
	NextPartNumberMarker int          `xml:"NextPartNumberMarker" json:"next_part_number_marker"`
	MaxParts             int          `xml:"MaxParts" json:"max_parts"`
	IsTruncated          Bool         `xml:"IsTruncated" json:"is_truncated"`
	Parts                []ListedPart `xml:"Part" json:"parts"`
}

// ListParts lists one page of an upload's parts; a GET, retried under the client's policy.
func ListParts(ctx context.Context, d Doer, req *ListPartsRequest) (*ListPartsResult, error) {
	q := [][2]string{{"uploadId", req.UploadID}}
	if req.MaxParts > 0 {
		q = append(q, [2]string{"max-parts", strconv.Itoa(req.MaxParts)})
	}
	if req.PartNumberMarker > 0 {
		q = append(q, [2]string{"part-number-marker", strconv.Itoa(req.PartNumberMarker)})
	}
	res, raw, err := send(ctx, d, &Request{Method: http.MethodGet, Bucket: req.Bucket, Key: req.Key, Query: q, ReadAll: true})
	if err != nil {
		return nil, err
	}
	out := &ListPartsResult{}
	if err := decodeDocument("list parts", raw, out); err != nil {
		return nil, err
	}
	out.Result = res
	return out, nil
}

// WalkParts lists every stored part of an upload.
func WalkParts(ctx context.Context, d Doer, req ListPartsRequest, fn func(*ListPartsResult) error) error {
	list := func(r *ListPartsRequest) (*ListPartsResult, error) { return ListParts(ctx, d, r) }
	return walkPages(req, list, fn, func(r *ListPartsRequest, p *ListPartsResult) (bool, error) {
		switch {
		case !bool(p.IsTruncated):
			return false, nil
		case p.NextPartNumberMarker <= r.PartNumberMarker:
			return false, noNextMarker()
		}
		r.PartNumberMarker = p.NextPartNumberMarker
		return true, nil
	})
}

package oss

import (
	"context"
	"net/http"
	"strconv"
)

// Paginators: each Walk* sends one listing request after another, hands each page to fn and stops
// at the last page, at fn's first error, or at a page that claims more without saying where they
// start. Memory is one page whatever the count.

// WalkObjects lists every object (and, with a delimiter, every common prefix) under req.Prefix,
// starting after req.Marker.
func WalkObjects(ctx context.Context, d Doer, req ListObjectsRequest, fn func(*ListObjectsResult) error) error {
	for {
		page, err := ListObjects(ctx, d, &req)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if !page.IsTruncated {
			return nil
		}
		req.Marker = page.NextMarker
	}
}

// WalkMultipartUploads lists every unfinished upload under req.Prefix.
func WalkMultipartUploads(ctx context.Context, d Doer, req ListMultipartUploadsRequest, fn func(*ListMultipartUploadsResult) error) error {
	for {
		page, err := ListMultipartUploads(ctx, d, &req)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if !page.IsTruncated {
			return nil
		}
		if page.NextKeyMarker == "" && page.NextUploadIDMarker == "" {
			return &RequestError{Err: errTruncatedWithoutMarker}
		}
		req.KeyMarker, req.UploadIDMarker = page.NextKeyMarker, page.NextUploadIDMarker
	}
}

// WalkBuckets lists every bucket of the account whose name starts with prefix.
func WalkBuckets(ctx context.Context, d Doer, prefix string, fn func(*ListBucketsResult) error) error {
	marker := ""
	for {
		page, err := ListBuckets(ctx, d, prefix, marker, 1000)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if !page.IsTruncated {
			return nil
		}
		if page.NextMarker == "" {
			return &RequestError{Err: errTruncatedWithoutMarker}
		}
		marker = page.NextMarker
	}
}

// ListPartsRequest is one page of an upload's parts. MaxParts 0 means OSS's default (1000).
type ListPartsRequest struct {
	Bucket, Key, UploadID string
	PartNumberMarker      int
	MaxParts              int
}

// ListedPart is one stored part of an unfinished upload.
type ListedPart struct {
	Number       int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	CRC64        string `xml:"HashCrc64ecma"`
}

// ListPartsResult is one page of parts.
type ListPartsResult struct {
	Result               `xml:"-"`
	Bucket               string       `xml:"Bucket"`
	Key                  string       `xml:"Key"`
	UploadID             string       `xml:"UploadId"`
	PartNumberMarker     int          `xml:"PartNumberMarker"`
	NextPartNumberMarker int          `xml:"NextPartNumberMarker"`
	MaxParts             int          `xml:"MaxParts"`
	IsTruncated          bool         `xml:"IsTruncated"`
	Parts                []ListedPart `xml:"Part"`
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
	for {
		page, err := ListParts(ctx, d, &req)
		if err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		if !page.IsTruncated {
			return nil
		}
		if page.NextPartNumberMarker <= req.PartNumberMarker {
			return &RequestError{Err: errTruncatedWithoutMarker}
		}
		req.PartNumberMarker = page.NextPartNumberMarker
	}
}

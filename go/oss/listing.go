package oss

import (
	"context"
	"errors"
	"net/http"
	"strconv"
)

var errTruncatedWithoutMarker = errors.New("truncated listing without a next marker")

// ListObjectsRequest is one page of ListObjects (v1). MaxKeys 0 means OSS's default (100).
type ListObjectsRequest struct {
	Bucket, Prefix, Delimiter, Marker string
	MaxKeys                           int
	Header                            http.Header
}

// ObjectSummary is one listed object.
type ObjectSummary struct {
	Key          string `xml:"Key"`
	LastModified string `xml:"LastModified"` // as OSS wrote it, 2006-01-02T15:04:05.000Z
	ETag         string `xml:"ETag"`
	Type         string `xml:"Type"`
	Size         int64  `xml:"Size"`
	StorageClass string `xml:"StorageClass"`
}

// ListObjectsResult is one page; keys, prefixes and markers are decoded (the request asks for
// encoding-type=url so that any key survives the XML).
type ListObjectsResult struct {
	Result         `xml:"-"`
	Name           string          `xml:"Name"`
	Prefix         string          `xml:"Prefix"`
	Marker         string          `xml:"Marker"`
	Delimiter      string          `xml:"Delimiter"`
	MaxKeys        int             `xml:"MaxKeys"`
	EncodingType   string          `xml:"EncodingType"`
	IsTruncated    bool            `xml:"IsTruncated"`
	NextMarker     string          `xml:"NextMarker"`
	Contents       []ObjectSummary `xml:"Contents"`
	CommonPrefixes []string        `xml:"CommonPrefixes>Prefix"`
}

// ListObjects lists one page of a bucket; GETs are retried under the client's policy.
func ListObjects(ctx context.Context, d Doer, req *ListObjectsRequest) (*ListObjectsResult, error) {
	q := [][2]string{{"prefix", req.Prefix}, {"delimiter", req.Delimiter}, {"marker", req.Marker}}
	if req.MaxKeys > 0 {
		q = append(q, [2]string{"max-keys", strconv.Itoa(req.MaxKeys)})
	}
	q = append(q, [2]string{"encoding-type", "url"})
	res, raw, err := send(ctx, d, &Request{Method: http.MethodGet, Bucket: req.Bucket, Query: q,
		Header: req.Header.Clone(), ReadAll: true})
	if err != nil {
		return nil, err
	}
	out := &ListObjectsResult{}
	if err := decodeDocument("list objects", raw, out); err != nil {
		return nil, err
	}
	out.Result = res
	enc := out.EncodingType
	for _, s := range []*string{&out.Prefix, &out.Marker, &out.Delimiter, &out.NextMarker} {
		*s = decodeName(*s, enc)
	}
	for i := range out.Contents {
		out.Contents[i].Key = decodeName(out.Contents[i].Key, enc)
	}
	for i := range out.CommonPrefixes {
		out.CommonPrefixes[i] = decodeName(out.CommonPrefixes[i], enc)
	}
	if out.IsTruncated && out.NextMarker == "" {
		return nil, &RequestError{Err: errTruncatedWithoutMarker}
	}
	return out, nil
}

// ListAllObjects lists every object under prefix (no delimiter), page after page.
func ListAllObjects(ctx context.Context, d Doer, bucket, prefix string) ([]ObjectSummary, error) {
	var all []ObjectSummary
	err := WalkObjects(ctx, d, ListObjectsRequest{Bucket: bucket, Prefix: prefix, MaxKeys: 1000}, func(page *ListObjectsResult) error {
		all = append(all, page.Contents...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return all, nil
}

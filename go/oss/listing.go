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

// ObjectSummary is one listed object (in ListObjects and ListObjectsV2).
type ObjectSummary struct {
	Key          string  `xml:"Key" json:"key"`
	LastModified string  `xml:"LastModified" json:"last_modified"` // as OSS wrote it, 2006-01-02T15:04:05.000Z
	ETag         string  `xml:"ETag" json:"etag"`                  // quoted, as OSS wrote it
	Type         string  `xml:"Type" json:"type"`
	Size         int64   `xml:"Size" json:"size"`
	StorageClass string  `xml:"StorageClass" json:"storage_class"`
	Owner        *Owner  `xml:"Owner" json:"owner"` // with fetch-owner (V2) or always (V1)
	RestoreInfo  *string `xml:"RestoreInfo" json:"restore_info"`
}

// ListObjectsResult is one page; keys, prefixes and markers are decoded when the document says
// encoding-type url (ListObjects asks for it so that any key survives the XML).
type ListObjectsResult struct {
	Result         `xml:"-" json:"-"`
	Name           string          `xml:"Name" json:"name"`
	Prefix         string          `xml:"Prefix" json:"prefix"`
	Marker         string          `xml:"Marker" json:"marker"`
	Delimiter      string          `xml:"Delimiter" json:"delimiter"`
	MaxKeys        int             `xml:"MaxKeys" json:"max_keys"`
	EncodingType   string          `xml:"EncodingType" json:"encoding_type"`
	IsTruncated    Bool            `xml:"IsTruncated" json:"is_truncated"`
	NextMarker     string          `xml:"NextMarker" json:"next_marker"`
	Contents       []ObjectSummary `xml:"Contents" json:"contents"`
	CommonPrefixes []string        `xml:"CommonPrefixes>Prefix" json:"common_prefixes"`
}

func (r *ListObjectsResult) finish() {
	decodeNames(r.EncodingType, &r.Prefix, &r.Marker, &r.Delimiter, &r.NextMarker)
	decodeSummaries(r.Contents, r.EncodingType)
	decodePrefixes(r.CommonPrefixes, r.EncodingType)
}

// ListObjectsV2Result is one page of ListObjectsV2 (list-type=2); names decoded as ListObjects'.
type ListObjectsV2Result struct {
	Name                  string          `xml:"Name" json:"name"`
	Prefix                string          `xml:"Prefix" json:"prefix"`
	StartAfter            string          `xml:"StartAfter" json:"start_after"`
	ContinuationToken     string          `xml:"ContinuationToken" json:"continuation_token"`
	Delimiter             string          `xml:"Delimiter" json:"delimiter"`
	MaxKeys               int             `xml:"MaxKeys" json:"max_keys"`
	KeyCount              int             `xml:"KeyCount" json:"key_count"`
	EncodingType          string          `xml:"EncodingType" json:"encoding_type"`
	IsTruncated           Bool            `xml:"IsTruncated" json:"is_truncated"`
	NextContinuationToken string          `xml:"NextContinuationToken" json:"next_continuation_token"`
	Contents              []ObjectSummary `xml:"Contents" json:"contents"`
	CommonPrefixes        []string        `xml:"CommonPrefixes>Prefix" json:"common_prefixes"`
}

func (r *ListObjectsV2Result) finish() {
	decodeNames(r.EncodingType, &r.Prefix, &r.StartAfter, &r.ContinuationToken, &r.Delimiter, &r.NextContinuationToken)
	decodeSummaries(r.Contents, r.EncodingType)
	decodePrefixes(r.CommonPrefixes, r.EncodingType)
}

func decodeSummaries(list []ObjectSummary, enc string) {
	for i := range list {
		list[i].Key = decodeName(list[i].Key, enc)
	}
}

func decodePrefixes(list []string, enc string) {
	for i := range list {
		list[i] = decodeName(list[i], enc)
	}
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
	out.finish()
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

package oss

import (
	"context"
	"net/http"
	"strconv"
)

// CreateBucket creates a bucket; acl ("private", "public-read", ...) may be empty.
func CreateBucket(ctx context.Context, d Doer, bucket, acl string) (Result, error) {
	h := http.Header{}
	if acl != "" {
		h.Set("x-oss-acl", acl)
	}
	return sendDiscard(ctx, d, &Request{Method: http.MethodPut, Bucket: bucket, Header: h})
}

// DeleteBucket deletes an empty bucket.
func DeleteBucket(ctx context.Context, d Doer, bucket string) (Result, error) {
	return sendDiscard(ctx, d, &Request{Method: http.MethodDelete, Bucket: bucket})
}

// BucketSummary is one listed bucket.
type BucketSummary struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	Location     string `xml:"Location"`
	StorageClass string `xml:"StorageClass"`
}

// ListBucketsResult is one page of the account's buckets.
type ListBucketsResult struct {
	Result      `xml:"-"`
	Prefix      string          `xml:"Prefix"`
	Marker      string          `xml:"Marker"`
	MaxKeys     int             `xml:"MaxKeys"`
	IsTruncated bool            `xml:"IsTruncated"`
	NextMarker  string          `xml:"NextMarker"`
	Buckets     []BucketSummary `xml:"Buckets>Bucket"`
}

// ListBuckets lists one page of buckets (maxKeys 0: OSS's default).
func ListBuckets(ctx context.Context, d Doer, prefix, marker string, maxKeys int) (*ListBucketsResult, error) {
	q := [][2]string{{"prefix", prefix}, {"marker", marker}}
	if maxKeys > 0 {
		q = append(q, [2]string{"max-keys", strconv.Itoa(maxKeys)})
	}
	res, raw, err := send(ctx, d, &Request{Method: http.MethodGet, Query: q, ReadAll: true})
	if err != nil {
		return nil, err
	}
	out := &ListBucketsResult{}
	if err := decodeDocument("list buckets", raw, out); err != nil {
		return nil, err
	}
	out.Result = res
	return out, nil
}

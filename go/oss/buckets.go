package oss

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
)

// CreateBucketRequest creates a bucket; ACL ("private", "public-read", ...) and StorageClass
// ("Standard", "IA", ...) may be empty.
type CreateBucketRequest struct {
	Bucket, ACL, StorageClass string
}

// CreateBucket creates a bucket.
func CreateBucket(ctx context.Context, d Doer, req *CreateBucketRequest) (Result, error) {
	r := &Request{Method: http.MethodPut, Bucket: req.Bucket, Header: http.Header{}}
	if req.ACL != "" {
		r.Header.Set("x-oss-acl", req.ACL)
	}
	if req.StorageClass != "" {
		doc, err := xml.Marshal(struct {
			XMLName      xml.Name `xml:"CreateBucketConfiguration"`
			StorageClass string
		}{StorageClass: req.StorageClass})
		if err != nil {
			return Result{}, &ClientError{Message: "create bucket document: " + err.Error(), Err: err}
		}
		r.Body, r.ContentLength = bytes.NewReader(doc), int64(len(doc))
		r.GetBody = func() io.Reader { return bytes.NewReader(doc) }
	}
	return sendDiscard(ctx, d, r)
}

// BucketInfo is GetBucketInfo's answer.
type BucketInfo struct {
	Result                 `xml:"-"`
	Name                   string `xml:"Bucket>Name"`
	Location               string `xml:"Bucket>Location"`
	CreationDate           string `xml:"Bucket>CreationDate"` // as OSS wrote it, RFC 3339
	ExtranetEndpoint       string `xml:"Bucket>ExtranetEndpoint"`
	IntranetEndpoint       string `xml:"Bucket>IntranetEndpoint"`
	StorageClass           string `xml:"Bucket>StorageClass"`
	DataRedundancyType     string `xml:"Bucket>DataRedundancyType"`
	TransferAcceleration   string `xml:"Bucket>TransferAcceleration"`
	CrossRegionReplication string `xml:"Bucket>CrossRegionReplication"`
	AccessMonitor          string `xml:"Bucket>AccessMonitor"`
	OwnerID                string `xml:"Bucket>Owner>ID"`
	ACL                    string `xml:"Bucket>AccessControlList>Grant"`
}

// GetBucketInfo describes a bucket (GET ?bucketInfo).
func GetBucketInfo(ctx context.Context, d Doer, bucket string) (*BucketInfo, error) {
	res, raw, err := send(ctx, d, &Request{Method: http.MethodGet, Bucket: bucket, Query: [][2]string{{"bucketInfo", ""}}, ReadAll: true})
	if err != nil {
		return nil, err
	}
	out := &BucketInfo{}
	if err := decodeDocument("get bucket info", raw, out); err != nil {
		return nil, err
	}
	out.Result = res
	return out, nil
}

// DeleteBucket deletes an empty bucket.
func DeleteBucket(ctx context.Context, d Doer, bucket string) (Result, error) {
	return sendDiscard(ctx, d, &Request{Method: http.MethodDelete, Bucket: bucket})
}

// BucketSummary is one listed bucket. Its JSON is the shape pyjindo reads (the document kind
// "list_buckets"); a pointer is an element OSS may leave out, null when it did.
type BucketSummary struct {
	Name             string  `xml:"Name" json:"name"`
	CreationDate     string  `xml:"CreationDate" json:"creation_date"` // as OSS wrote it, RFC 3339
	Location         string  `xml:"Location" json:"location"`
	StorageClass     string  `xml:"StorageClass" json:"storage_class"`
	ExtranetEndpoint string  `xml:"ExtranetEndpoint" json:"extranet_endpoint"`
	IntranetEndpoint string  `xml:"IntranetEndpoint" json:"intranet_endpoint"`
	Region           *string `xml:"Region" json:"region"`
	ResourceGroupID  *string `xml:"ResourceGroupId" json:"resource_group_id"`
}

// Owner is the owner a listing names.
type Owner struct {
	ID          *string `xml:"ID" json:"id"`
	DisplayName *string `xml:"DisplayName" json:"display_name"`
}

// ListBucketsResult is one page of the account's buckets.
type ListBucketsResult struct {
	Result      `xml:"-" json:"-"`
	Prefix      string          `xml:"Prefix" json:"prefix"`
	Marker      string          `xml:"Marker" json:"marker"`
	MaxKeys     int             `xml:"MaxKeys" json:"max_keys"`
	IsTruncated bool            `xml:"IsTruncated" json:"is_truncated"`
	NextMarker  string          `xml:"NextMarker" json:"next_marker"`
	Owner       *Owner          `xml:"Owner" json:"owner"`
	Buckets     []BucketSummary `xml:"Buckets>Bucket" json:"buckets"`
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

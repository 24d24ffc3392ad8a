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

// BucketInfo is GetBucketInfo's answer. Its JSON is the shape pyjindo reads (the document kind
// "get_bucket_info"); a pointer is an element OSS may leave out, null when it did.
type BucketInfo struct {
	Result                 `xml:"-" json:"-"`
	Name                   string                    `xml:"Bucket>Name" json:"name"`
	Location               string                    `xml:"Bucket>Location" json:"location"`
	CreationDate           string                    `xml:"Bucket>CreationDate" json:"creation_date"` // as OSS wrote it, RFC 3339
	ExtranetEndpoint       string                    `xml:"Bucket>ExtranetEndpoint" json:"extranet_endpoint"`
	IntranetEndpoint       string                    `xml:"Bucket>IntranetEndpoint" json:"intranet_endpoint"`
	StorageClass           string                    `xml:"Bucket>StorageClass" json:"storage_class"`
	Owner                  Owner                     `xml:"Bucket>Owner" json:"owner"`
	ACL                    string                    `xml:"Bucket>AccessControlList>Grant" json:"acl"`
	Comment                *string                   `xml:"Bucket>Comment" json:"comment"`
	Versioning             *string                   `xml:"Bucket>Versioning" json:"versioning"`
	DataRedundancyType     *string                   `xml:"Bucket>DataRedundancyType" json:"data_redundancy_type"`
	AccessMonitor          *string                   `xml:"Bucket>AccessMonitor" json:"access_monitor"`
	TransferAcceleration   *string                   `xml:"Bucket>TransferAcceleration" json:"transfer_acceleration"`
	CrossRegionReplication *string                   `xml:"Bucket>CrossRegionReplication" json:"cross_region_replication"`
	ResourceGroupID        *string                   `xml:"Bucket>ResourceGroupId" json:"resource_group_id"`
	Encryption             *ServerSideEncryptionRule `xml:"Bucket>ServerSideEncryptionRule" json:"server_side_encryption_rule"`
}

// ServerSideEncryptionRule is a bucket's default encryption (in its info, and GetBucketEncryption's
// ApplyServerSideEncryptionByDefault).
type ServerSideEncryptionRule struct {
	SSEAlgorithm      string  `xml:"SSEAlgorithm" json:"sse_algorithm"`
	KMSMasterKeyID    *string `xml:"KMSMasterKeyID" json:"kms_master_key_id"`
	KMSDataEncryption *string `xml:"KMSDataEncryption" json:"kms_data_encryption"`
}

// BucketStat is GetBucketStat's answer (the document kind "get_bucket_stat"); the counts OSS
// may leave out are null when it did.
type BucketStat struct {
	Storage                    int64  `xml:"Storage" json:"storage"`
	ObjectCount                int64  `xml:"ObjectCount" json:"object_count"`
	MultipartUploadCount       int64  `xml:"MultipartUploadCount" json:"multipart_upload_count"`
	LiveChannelCount           *int64 `xml:"LiveChannelCount" json:"live_channel_count"`
	LastModifiedTime           *int64 `xml:"LastModifiedTime" json:"last_modified_time"`
	StandardStorage            *int64 `xml:"StandardStorage" json:"standard_storage"`
	StandardObjectCount        *int64 `xml:"StandardObjectCount" json:"standard_object_count"`
	InfrequentAccessStorage    *int64 `xml:"InfrequentAccessStorage" json:"infrequent_access_storage"`
	InfrequentAccessReal       *int64 `xml:"InfrequentAccessRealStorage" json:"infrequent_access_real_storage"`
	InfrequentAccessCount      *int64 `xml:"InfrequentAccessObjectCount" json:"infrequent_access_object_count"`
	ArchiveStorage             *int64 `xml:"ArchiveStorage" json:"archive_storage"`
	ArchiveRealStorage         *int64 `xml:"ArchiveRealStorage" json:"archive_real_storage"`
	ArchiveObjectCount         *int64 `xml:"ArchiveObjectCount" json:"archive_object_count"`
	ColdArchiveStorage         *int64 `xml:"ColdArchiveStorage" json:"cold_archive_storage"`
	ColdArchiveRealStorage     *int64 `xml:"ColdArchiveRealStorage" json:"cold_archive_real_storage"`
	ColdArchiveObjectCount     *int64 `xml:"ColdArchiveObjectCount" json:"cold_archive_object_count"`
	MultipartPartCount         *int64 `xml:"MultipartPartCount" json:"multipart_part_count"`
	DeleteMarkerCount          *int64 `xml:"DeleteMarkerCount" json:"delete_marker_count"`
	DeepColdArchiveStorage     *int64 `xml:"DeepColdArchiveStorage" json:"deep_cold_archive_storage"`
	DeepColdArchiveRealStorage *int64 `xml:"DeepColdArchiveRealStorage" json:"deep_cold_archive_real_storage"`
	DeepColdArchiveCount       *int64 `xml:"DeepColdArchiveObjectCount" json:"deep_cold_archive_object_count"`
}

// BucketLocation is GetBucketLocation's answer, <LocationConstraint>oss-cn-hangzhou</...>.
type BucketLocation struct {
	Location string `xml:",chardata" json:"location"`
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
	IsTruncated Bool            `xml:"IsTruncated" json:"is_truncated"`
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

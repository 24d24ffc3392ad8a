package cli

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
)

// The listings the commands walk, on go/oss's typed operations and paginators, turned into the
// values the commands print (times parsed, ETags unquoted). None keeps more than one page in
// memory.

type objectInfo struct {
	Key          string    `json:"key"`
	Size         int64     `json:"size"`
	LastModified time.Time `json:"last_modified"`
	ETag         string    `json:"etag"`
	StorageClass string    `json:"storage_class"`
	Type         string    `json:"type,omitempty"`
}

// walk lists every object under prefix page by page (1000 keys a page), calling fn for each;
// with a delimiter, fnPrefix gets the common prefixes. firstPage, when not 0, is the size of the
// first page: a batch that acts on each object starts on a short one while the rest is listed
// (a page of 1000 keys took 10 ms to parse before a download could begin).
func walk(ctx context.Context, c *oss.Client, bucket, prefix, delimiter string, firstPage int, fn func(objectInfo) error, fnPrefix func(string) error) error {
	each := func(page *oss.ListObjectsResult) error {
		for _, o := range page.Contents {
			t, _ := time.Parse(time.RFC3339, o.LastModified)
			info := objectInfo{Key: o.Key, Size: o.Size, LastModified: t, ETag: strings.Trim(o.ETag, `"`),
				StorageClass: o.StorageClass, Type: o.Type}
			if err := fn(info); err != nil {
				return err
			}
		}
		for _, p := range page.CommonPrefixes {
			if fnPrefix != nil {
				if err := fnPrefix(p); err != nil {
					return err
				}
			}
		}
		return nil
	}
	req := oss.ListObjectsRequest{Bucket: bucket, Prefix: prefix, Delimiter: delimiter, MaxKeys: 1000}
	if firstPage > 0 && firstPage < req.MaxKeys {
		first := req
		first.MaxKeys = firstPage
		page, err := oss.ListObjects(ctx, c, &first)
		if err != nil {
			return err
		}
		if err := each(page); err != nil || !bool(page.IsTruncated) {
			return err
		}
		req.Marker = page.NextMarker // ListObjects refuses a truncated page without one
	}
	return oss.WalkObjects(ctx, c, req, each)
}

type bucketInfo struct {
	Name         string    `json:"name"`
	Location     string    `json:"location"`
	CreationDate time.Time `json:"creation_date"`
	StorageClass string    `json:"storage_class"`
}

// walkBuckets lists the account's buckets page by page.
func walkBuckets(ctx context.Context, c *oss.Client, fn func(bucketInfo) error) error {
	return oss.WalkBuckets(ctx, c, "", func(page *oss.ListBucketsResult) error {
		for _, b := range page.Buckets {
			t, _ := time.Parse(time.RFC3339, b.CreationDate)
			if err := fn(bucketInfo{Name: b.Name, Location: b.Location, CreationDate: t, StorageClass: b.StorageClass}); err != nil {
				return err
			}
		}
		return nil
	})
}

type uploadInfo struct {
	Key       string    `json:"key"`
	UploadID  string    `json:"upload_id"`
	Initiated time.Time `json:"initiated"`
}

// walkUploads lists the multipart uploads under prefix, page by page.
func walkUploads(ctx context.Context, c *oss.Client, bucket, prefix string, fn func(uploadInfo) error) error {
	req := oss.ListMultipartUploadsRequest{Bucket: bucket, Prefix: prefix, MaxUploads: 1000}
	return oss.WalkMultipartUploads(ctx, c, req, func(page *oss.ListMultipartUploadsResult) error {
		for _, u := range page.Uploads {
			t, _ := u.InitiatedTime()
			if err := fn(uploadInfo{Key: u.Key, UploadID: u.UploadID, Initiated: t}); err != nil {
				return err
			}
		}
		return nil
	})
}

// headObject is the object's response headers (HEAD).
func headObject(ctx context.Context, c *oss.Client, bucket, key string) (http.Header, error) {
	res, err := oss.HeadObject(ctx, c, bucket, key)
	return res.Header, err
}

func abortUpload(ctx context.Context, c *oss.Client, bucket, key, uploadID string) error {
	_, err := oss.AbortMultipartUpload(ctx, c, bucket, key, uploadID)
	return err
}

// versionInfo is one version or delete marker of an object.
type versionInfo struct {
	Key          string    `json:"key"`
	VersionID    string    `json:"version_id"`
	IsLatest     bool      `json:"is_latest"`
	DeleteMarker bool      `json:"delete_marker"`
	Size         int64     `json:"size"`
	LastModified time.Time `json:"last_modified"`
	ETag         string    `json:"etag,omitempty"`
	StorageClass string    `json:"storage_class,omitempty"`
}

// walkVersions lists every version and delete marker under prefix, by key, newest first.
func walkVersions(ctx context.Context, c *oss.Client, bucket, prefix string, fn func(versionInfo) error) error {
	req := oss.ListObjectVersionsRequest{Bucket: bucket, Prefix: prefix, MaxKeys: 1000}
	return oss.WalkObjectVersions(ctx, c, req, func(page *oss.ListObjectVersionsResult) error {
		for _, v := range page.Versions {
			t, _ := time.Parse(time.RFC3339, v.LastModified)
			info := versionInfo{Key: v.Key, VersionID: v.VersionID, IsLatest: bool(v.IsLatest), DeleteMarker: v.DeleteMarker(),
				Size: v.Size, LastModified: t, ETag: strings.Trim(v.ETag, `"`), StorageClass: v.StorageClass}
			if err := fn(info); err != nil {
				return err
			}
		}
		return nil
	})
}

package cli

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
)

// The typed operations the commands need, on oss.Client.Do. They parse with encoding/xml and
// return Go values; none keeps more than one page in memory.

type objectInfo struct {
	Key          string    `json:"key"`
	Size         int64     `json:"size"`
	LastModified time.Time `json:"last_modified"`
	ETag         string    `json:"etag"`
	StorageClass string    `json:"storage_class"`
	Type         string    `json:"type,omitempty"`
}

type listPage struct {
	Objects    []objectInfo
	Prefixes   []string
	Truncated  bool
	NextMarker string
}

// do sends a request and returns the whole (small) response body.
func do(ctx context.Context, c *oss.Client, r *oss.Request) (*http.Response, []byte, error) {
	r.ReadAll = true
	resp, err := c.Do(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, &oss.RequestError{Err: err}
	}
	return resp, body, nil
}

func unescape(s string) (string, error) {
	out, err := url.QueryUnescape(s)
	if err != nil {
		return "", &oss.RequestError{Err: fmt.Errorf("bad url-encoded key %q in listing: %w", s, err)}
	}
	return out, nil
}

func listObjects(ctx context.Context, c *oss.Client, bucket, prefix, delimiter, marker string, maxKeys int) (*listPage, error) {
	res, err := oss.ListObjects(ctx, c, &oss.ListObjectsRequest{Bucket: bucket, Prefix: prefix, Delimiter: delimiter, Marker: marker, MaxKeys: maxKeys})
	if err != nil {
		return nil, err
	}
	page := &listPage{Truncated: res.IsTruncated, NextMarker: res.NextMarker, Prefixes: res.CommonPrefixes}
	for _, o := range res.Contents {
		t, _ := time.Parse(time.RFC3339, o.LastModified)
		page.Objects = append(page.Objects, objectInfo{Key: o.Key, Size: o.Size, LastModified: t,
			ETag: strings.Trim(o.ETag, `"`), StorageClass: o.StorageClass, Type: o.Type})
	}
	if page.Truncated && page.NextMarker == "" {
		return nil, &oss.RequestError{Err: fmt.Errorf("truncated listing of %s without a next marker", bucket)}
	}
	return page, nil
}

// walk lists every object under prefix page by page, calling fn for each; with a delimiter,
// fnPrefix gets the common prefixes. Memory is one page whatever the count.
func walk(ctx context.Context, c *oss.Client, bucket, prefix, delimiter string, fn func(objectInfo) error, fnPrefix func(string) error) error {
	marker := ""
	for {
		page, err := listObjects(ctx, c, bucket, prefix, delimiter, marker, 1000)
		if err != nil {
			return err
		}
		for _, o := range page.Objects {
			if err := fn(o); err != nil {
				return err
			}
		}
		for _, p := range page.Prefixes {
			if fnPrefix != nil {
				if err := fnPrefix(p); err != nil {
					return err
				}
			}
		}
		if !page.Truncated {
			return nil
		}
		marker = page.NextMarker
	}
}

type bucketInfo struct {
	Name         string    `json:"name"`
	Location     string    `json:"location"`
	CreationDate time.Time `json:"creation_date"`
	StorageClass string    `json:"storage_class"`
}

func listBuckets(ctx context.Context, c *oss.Client, marker string) ([]bucketInfo, string, error) {
	q := [][2]string{{"max-keys", "1000"}}
	if marker != "" {
		q = append(q, [2]string{"marker", marker})
	}
	_, body, err := do(ctx, c, &oss.Request{Method: http.MethodGet, Query: q})
	if err != nil {
		return nil, "", err
	}
	var doc struct {
		IsTruncated bool
		NextMarker  string
		Buckets     []struct {
			Name, Location, CreationDate, StorageClass string
		} `xml:"Buckets>Bucket"`
	}
	if err := xml.Unmarshal(body, &doc); err != nil {
		return nil, "", &oss.RequestError{Err: fmt.Errorf("parse bucket list: %w", err)}
	}
	var out []bucketInfo
	for _, b := range doc.Buckets {
		t, _ := time.Parse(time.RFC3339, b.CreationDate)
		out = append(out, bucketInfo{Name: b.Name, Location: b.Location, CreationDate: t, StorageClass: b.StorageClass})
	}
	next := ""
	if doc.IsTruncated {
		next = doc.NextMarker
	}
	return out, next, nil
}

type uploadInfo struct {
	Key       string    `json:"key"`
	UploadID  string    `json:"upload_id"`
	Initiated time.Time `json:"initiated"`
}

// walkUploads lists the multipart uploads under prefix, page by page.
func walkUploads(ctx context.Context, c *oss.Client, bucket, prefix string, fn func(uploadInfo) error) error {
	keyMarker, idMarker := "", ""
	for {
		q := [][2]string{{"uploads", ""}, {"prefix", prefix}, {"max-uploads", "1000"}, {"encoding-type", "url"}}
		if keyMarker != "" {
			q = append(q, [2]string{"key-marker", keyMarker}, [2]string{"upload-id-marker", idMarker})
		}
		_, body, err := do(ctx, c, &oss.Request{Method: http.MethodGet, Bucket: bucket, Query: q})
		if err != nil {
			return err
		}
		var doc struct {
			IsTruncated        bool
			NextKeyMarker      string
			NextUploadIdMarker string
			Uploads            []struct {
				Key, UploadId, Initiated string
			} `xml:"Upload"`
		}
		if err := xml.Unmarshal(body, &doc); err != nil {
			return &oss.RequestError{Err: fmt.Errorf("parse upload list of %s: %w", bucket, err)}
		}
		for _, u := range doc.Uploads {
			k, err := unescape(u.Key)
			if err != nil {
				return err
			}
			t, _ := time.Parse(time.RFC3339, u.Initiated)
			if err := fn(uploadInfo{Key: k, UploadID: u.UploadId, Initiated: t}); err != nil {
				return err
			}
		}
		if !doc.IsTruncated || doc.NextKeyMarker == "" {
			return nil
		}
		if keyMarker, err = unescape(doc.NextKeyMarker); err != nil {
			return err
		}
		idMarker = doc.NextUploadIdMarker
	}
}

func headObject(ctx context.Context, c *oss.Client, bucket, key string) (http.Header, error) {
	resp, err := c.Do(ctx, &oss.Request{Method: http.MethodHead, Bucket: bucket, Key: key})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return resp.Header, nil
}

func simple(ctx context.Context, c *oss.Client, r *oss.Request) error {
	_, _, err := do(ctx, c, r)
	return err
}

func abortUpload(ctx context.Context, c *oss.Client, bucket, key, uploadID string) error {
	return simple(ctx, c, &oss.Request{Method: http.MethodDelete, Bucket: bucket, Key: key, Query: [][2]string{{"uploadId", uploadID}}})
}

package oss

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// CopySource is the x-oss-copy-source value naming bucket/key, escaped as oss2 escapes it.
func CopySource(bucket, key string) string { return "/" + bucket + "/" + QuoteAll(key) }

// copySourceVersion names one version of bucket/key ("" for the latest).
func copySourceVersion(bucket, key, versionID string) string {
	if versionID == "" {
		return CopySource(bucket, key)
	}
	return CopySource(bucket, key) + "?versionId=" + url.QueryEscape(versionID)
}

// CopyObjectRequest is a server-side copy of SourceBucket/SourceKey to Bucket/Key.
type CopyObjectRequest struct {
	Bucket, Key             string
	SourceBucket, SourceKey string
	SourceVersionID         string // a version of the source; "" for the latest
	// ForbidOverwrite refuses to replace an existing target (409 FileAlreadyExists).
	ForbidOverwrite bool
	Header          http.Header // metadata directive, x-oss-meta-*, ...
}

// CopyObject copies an object within OSS (up to 1 GiB in one request).
func CopyObject(ctx context.Context, d Doer, req *CopyObjectRequest) (Result, error) {
	h := req.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Set("x-oss-copy-source", copySourceVersion(req.SourceBucket, req.SourceKey, req.SourceVersionID))
	if req.ForbidOverwrite {
		h.Set("x-oss-forbid-overwrite", "true")
	}
	return sendDiscard(ctx, d, &Request{Method: http.MethodPut, Bucket: req.Bucket, Key: req.Key, Header: h})
}

// DeleteObject deletes one object; deleting a missing object succeeds, as on OSS.
func DeleteObject(ctx context.Context, d Doer, bucket, key string) (Result, error) {
	return sendDiscard(ctx, d, &Request{Method: http.MethodDelete, Bucket: bucket, Key: key})
}

// HeadObject returns an object's headers (size, ETag, CRC64, type, metadata).
func HeadObject(ctx context.Context, d Doer, bucket, key string) (Result, error) {
	return HeadObjectVersion(ctx, d, bucket, key, "")
}

// HeadObjectVersion is HeadObject of one version ("" for the latest).
func HeadObjectVersion(ctx context.Context, d Doer, bucket, key, versionID string) (Result, error) {
	r := &Request{Method: http.MethodHead, Bucket: bucket, Key: key}
	if versionID != "" {
		r.Query = [][2]string{{"versionId", versionID}}
	}
	return sendDiscard(ctx, d, r)
}

// ObjectTagging returns an object's tags (GetObjectTagging) as the x-oss-tagging header carries
// them: key=value pairs, each URL-encoded, joined by "&"; "" when it has none.
func ObjectTagging(ctx context.Context, d Doer, bucket, key string) (string, error) {
	return ObjectTaggingVersion(ctx, d, bucket, key, "")
}

// ObjectTaggingVersion is ObjectTagging of one version ("" for the latest).
func ObjectTaggingVersion(ctx context.Context, d Doer, bucket, key, versionID string) (string, error) {
	q := [][2]string{{"tagging", ""}}
	if versionID != "" {
		q = append(q, [2]string{"versionId", versionID})
	}
	_, raw, err := send(ctx, d, &Request{Method: http.MethodGet, Bucket: bucket, Key: key, Query: q})
	if err != nil {
		return "", err
	}
	var doc Tagging
	if err := decodeDocument("get object tagging", raw, &doc); err != nil {
		return "", err
	}
	doc.finish()
	escape := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	pairs := make([]string, len(doc.Tags))
	for i, t := range doc.Tags {
		pairs[i] = escape(t.Key) + "=" + escape(t.Value)
	}
	return strings.Join(pairs, "&"), nil
}

// RestoreObjectRequest makes an Archive, ColdArchive or DeepColdArchive object readable for a
// while (RestoreObject, POST ?restore).
type RestoreObjectRequest struct {
	Bucket, Key string
	// Document is the RestoreRequest XML (Days, JobParameters/Tier) sent as it is; nil sends
	// none (OSS's defaults: one day, the Standard tier).
	Document []byte
}

// RestoreObject starts a restore: 202 Accepted for a new one, 200 OK when the object is restored
// already; a restore under way is 409 RestoreAlreadyInProgress. Retried like an idempotent
// request: a repeat of a restore that was accepted finds it in progress or done.
func RestoreObject(ctx context.Context, d Doer, req *RestoreObjectRequest) (Result, error) {
	r := &Request{Method: http.MethodPost, Bucket: req.Bucket, Key: req.Key, Query: [][2]string{{"restore", ""}}, Retry: true}
	if req.Document != nil {
		setDocument(r, req.Document, true)
	}
	return sendDiscard(ctx, d, r)
}

// ObjectACL returns an object's ACL (GetObjectACL): private, public-read, public-read-write or
// default.
func ObjectACL(ctx context.Context, d Doer, bucket, key string) (string, error) {
	_, raw, err := send(ctx, d, &Request{Method: http.MethodGet, Bucket: bucket, Key: key, Query: [][2]string{{"acl", ""}}})
	if err != nil {
		return "", err
	}
	var doc AccessControlPolicy
	if err := decodeDocument("get object acl", raw, &doc); err != nil {
		return "", err
	}
	return doc.Grant, nil
}

package oss

import (
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
)

// ListObjectVersionsRequest is one page of ListObjectVersions (GET /?versions). MaxKeys 0 means
// OSS's default (100).
type ListObjectVersionsRequest struct {
	Bucket, Prefix, Delimiter, KeyMarker, VersionIDMarker string
	MaxKeys                                               int
}

// ObjectVersion is one <Version> or <DeleteMarker> of a listing, in the listing's order (by key,
// newest first).
type ObjectVersion struct {
	XMLName xml.Name `json:"-"`
	// Kind is the element: "Version" or "DeleteMarker" (what pyjindo sorts them by).
	Kind         string  `xml:"-" json:"kind"`
	Key          string  `xml:"Key" json:"key"`
	VersionID    string  `xml:"VersionId" json:"version_id"`
	IsLatest     Bool    `xml:"IsLatest" json:"is_latest"`
	LastModified string  `xml:"LastModified" json:"last_modified"` // as OSS wrote it, RFC 3339
	ETag         string  `xml:"ETag" json:"etag"`                  // quoted; none on a delete marker
	Type         string  `xml:"Type" json:"type"`
	Size         int64   `xml:"Size" json:"size"`
	StorageClass string  `xml:"StorageClass" json:"storage_class"`
	Owner        Owner   `xml:"Owner" json:"owner"`
	RestoreInfo  *string `xml:"RestoreInfo" json:"restore_info"`
}

// DeleteMarker tells a delete marker from a version of the object.
func (v ObjectVersion) DeleteMarker() bool { return v.XMLName.Local == "DeleteMarker" }

// ListObjectVersionsResult is one page; names and markers are decoded.
type ListObjectVersionsResult struct {
	Result              `xml:"-" json:"-"`
	Name                string   `xml:"Name" json:"name"`
	Prefix              string   `xml:"Prefix" json:"prefix"`
	KeyMarker           string   `xml:"KeyMarker" json:"key_marker"`
	VersionIDMarker     string   `xml:"VersionIdMarker" json:"version_id_marker"`
	NextKeyMarker       string   `xml:"NextKeyMarker" json:"next_key_marker"`
	NextVersionIDMarker string   `xml:"NextVersionIdMarker" json:"next_version_id_marker"`
	Delimiter           string   `xml:"Delimiter" json:"delimiter"`
	MaxKeys             int      `xml:"MaxKeys" json:"max_keys"`
	EncodingType        string   `xml:"EncodingType" json:"encoding_type"`
	IsTruncated         Bool     `xml:"IsTruncated" json:"is_truncated"`
	CommonPrefixes      []string `xml:"CommonPrefixes>Prefix" json:"common_prefixes"`
	// Versions and delete markers, interleaved as OSS listed them.
	Versions []ObjectVersion `xml:",any" json:"versions"`
}

// finish decodes the names (and, as oss2 does, the version id markers) and keeps only the
// versions and delete markers among the elements ",any" collected.
func (r *ListObjectVersionsResult) finish() {
	enc := r.EncodingType
	decodeNames(enc, &r.Prefix, &r.KeyMarker, &r.NextKeyMarker, &r.VersionIDMarker, &r.NextVersionIDMarker, &r.Delimiter)
	kept := r.Versions[:0]
	for _, v := range r.Versions {
		if v.XMLName.Local != "Version" && v.XMLName.Local != "DeleteMarker" {
			continue // other children the document may grow
		}
		v.Kind = v.XMLName.Local
		v.Key = decodeName(v.Key, enc)
		kept = append(kept, v)
	}
	r.Versions = kept
	decodePrefixes(r.CommonPrefixes, enc)
}

// ListObjectVersions lists one page of a bucket's object versions and delete markers.
func ListObjectVersions(ctx context.Context, d Doer, req *ListObjectVersionsRequest) (*ListObjectVersionsResult, error) {
	q := [][2]string{{"versions", ""}, {"prefix", req.Prefix}, {"delimiter", req.Delimiter},
		{"key-marker", req.KeyMarker}, {"version-id-marker", req.VersionIDMarker}}
	if req.MaxKeys > 0 {
		q = append(q, [2]string{"max-keys", strconv.Itoa(req.MaxKeys)})
	}
	q = append(q, [2]string{"encoding-type", "url"})
	res, raw, err := send(ctx, d, &Request{Method: http.MethodGet, Bucket: req.Bucket, Query: q, ReadAll: true})
	if err != nil {
		return nil, err
	}
	out := &ListObjectVersionsResult{}
	if err := decodeDocument("list object versions", raw, out); err != nil {
		return nil, err
	}
	out.Result = res
	out.finish()
	return out, nil
}

// WalkObjectVersions lists every version and delete marker under req.Prefix, page by page.
func WalkObjectVersions(ctx context.Context, d Doer, req ListObjectVersionsRequest, fn func(*ListObjectVersionsResult) error) error {
	list := func(r *ListObjectVersionsRequest) (*ListObjectVersionsResult, error) {
		return ListObjectVersions(ctx, d, r)
	}
	return walkPages(req, list, fn, func(r *ListObjectVersionsRequest, p *ListObjectVersionsResult) (bool, error) {
		switch {
		case !bool(p.IsTruncated):
			return false, nil
		case p.NextKeyMarker == "" && p.NextVersionIDMarker == "":
			return false, noNextMarker()
		}
		r.KeyMarker, r.VersionIDMarker = p.NextKeyMarker, p.NextVersionIDMarker
		return true, nil
	})
}

// DeleteObjectVersion deletes one version (or delete marker) of an object for good.
func DeleteObjectVersion(ctx context.Context, d Doer, bucket, key, versionID string) (Result, error) {
	return sendDiscard(ctx, d, &Request{Method: http.MethodDelete, Bucket: bucket, Key: key, Query: [][2]string{{"versionId", versionID}}})
}

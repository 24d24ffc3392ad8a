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
	XMLName      xml.Name
	Key          string `xml:"Key"`
	VersionID    string `xml:"VersionId"`
	IsLatest     bool   `xml:"IsLatest"`
	LastModified string `xml:"LastModified"` // as OSS wrote it, RFC 3339
	ETag         string `xml:"ETag"`
	Type         string `xml:"Type"`
	Size         int64  `xml:"Size"`
	StorageClass string `xml:"StorageClass"`
}

// DeleteMarker tells a delete marker from a version of the object.
func (v ObjectVersion) DeleteMarker() bool { return v.XMLName.Local == "DeleteMarker" }

// ListObjectVersionsResult is one page; names and markers are decoded.
type ListObjectVersionsResult struct {
	Result              `xml:"-"`
	Name                string   `xml:"Name"`
	Prefix              string   `xml:"Prefix"`
	KeyMarker           string   `xml:"KeyMarker"`
	VersionIDMarker     string   `xml:"VersionIdMarker"`
	NextKeyMarker       string   `xml:"NextKeyMarker"`
	NextVersionIDMarker string   `xml:"NextVersionIdMarker"`
	Delimiter           string   `xml:"Delimiter"`
	MaxKeys             int      `xml:"MaxKeys"`
	EncodingType        string   `xml:"EncodingType"`
	IsTruncated         bool     `xml:"IsTruncated"`
	CommonPrefixes      []string `xml:"CommonPrefixes>Prefix"`
	// Versions and delete markers, interleaved as OSS listed them.
	Versions []ObjectVersion `xml:",any"`
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
	enc := out.EncodingType
	for _, s := range []*string{&out.Prefix, &out.KeyMarker, &out.NextKeyMarker, &out.Delimiter} {
		*s = decodeName(*s, enc)
	}
	kept := out.Versions[:0]
	for _, v := range out.Versions {
		if v.XMLName.Local != "Version" && v.XMLName.Local != "DeleteMarker" {
			continue // other children the document may grow
		}
		v.Key = decodeName(v.Key, enc)
		kept = append(kept, v)
	}
	out.Versions = kept
	for i := range out.CommonPrefixes {
		out.CommonPrefixes[i] = decodeName(out.CommonPrefixes[i], enc)
	}
	return out, nil
}

// WalkObjectVersions lists every version and delete marker under req.Prefix, page by page.
func WalkObjectVersions(ctx context.Context, d Doer, req ListObjectVersionsRequest, fn func(*ListObjectVersionsResult) error) error {
	list := func(r *ListObjectVersionsRequest) (*ListObjectVersionsResult, error) {
		return ListObjectVersions(ctx, d, r)
	}
	return walkPages(req, list, fn, func(r *ListObjectVersionsRequest, p *ListObjectVersionsResult) (bool, error) {
		switch {
		case !p.IsTruncated:
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

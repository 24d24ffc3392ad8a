package oss

import (
	"context"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// InitiateMultipartUploadRequest starts a multipart upload of Bucket/Key; Header carries what a
// PutObject would (Content-Type, x-oss-meta-*, ...).
type InitiateMultipartUploadRequest struct {
	Bucket, Key string
	Header      http.Header
	// Retry marks the request safe to repeat: the caller cleans up the uploads a failed attempt
	// may have created (go/transfer's abortStrays). OnRetry is told of each failed attempt.
	Retry   bool
	OnRetry func(err error)
}

// InitiateMultipartUploadResult is the new upload.
type InitiateMultipartUploadResult struct {
	Result   `xml:"-" json:"-"`
	UploadID string `xml:"UploadId" json:"upload_id"`
}

// InitiateMultipartUpload starts an upload. Unless req.Retry, it is not retried: a retry could
// leave a stray upload behind (go/transfer's UploadMultipart retries and cleans up instead).
func InitiateMultipartUpload(ctx context.Context, d Doer, req *InitiateMultipartUploadRequest) (*InitiateMultipartUploadResult, error) {
	res, raw, err := send(ctx, d, &Request{Method: http.MethodPost, Bucket: req.Bucket, Key: req.Key,
		Header: req.Header.Clone(), Query: [][2]string{{"uploads", ""}}, Retry: req.Retry, OnRetry: req.OnRetry})
	if err != nil {
		return nil, err
	}
	out := &InitiateMultipartUploadResult{}
	if err := decodeDocument("initiate multipart upload", raw, out); err != nil {
		return nil, err
	}
	if out.UploadID == "" {
		return nil, &RequestError{Err: errors.New("initiate multipart upload: no UploadId in the answer")}
	}
	out.Result = res
	return out, nil
}

// CompletePart is one uploaded part as CompleteMultipartUpload lists it.
type CompletePart struct {
	PartNumber int
	ETag       string // with or without its quotes
}

// CompleteMultipartUploadRequest completes an upload with Parts, or with every uploaded part
// (x-oss-complete-all) when Parts is nil.
type CompleteMultipartUploadRequest struct {
	Bucket, Key, UploadID string
	Parts                 []CompletePart
	Header                http.Header
	// Retry marks the request safe to repeat: the caller recognises a repeat of a completed
	// upload (go/transfer's completedAnyway). OnRetry is told of each failed attempt.
	Retry   bool
	OnRetry func(err error)
}

// CompleteMultipartUploadResult is the answer's document when OSS sent one (a callback's answer
// replaces it: then Body holds that answer and the fields are empty). The JSON names are those
// pyjindo's models read.
type CompleteMultipartUploadResult struct {
	Result   `xml:"-" json:"-"`
	Body     []byte `xml:"-" json:"-"`
	Location string `xml:"Location" json:"location"`
	Bucket   string `xml:"Bucket" json:"bucket"`
	Key      string `xml:"Key" json:"key"`
	ETag     string `xml:"ETag" json:"etag"`
	// Parsed tells whether Body was a CompleteMultipartUploadResult document.
	Parsed bool `xml:"-" json:"-"`
}

type completeDocument struct {
	XMLName xml.Name       `xml:"CompleteMultipartUpload"`
	Parts   []completePart `xml:"Part"`
}

type completePart struct {
	PartNumber int    `xml:"PartNumber"`
	ETag       string `xml:"ETag"`
}

// MarshalCompleteDocument is the XML body listing parts, each ETag quoted once.
func MarshalCompleteDocument(parts []CompletePart) ([]byte, error) {
	doc := completeDocument{Parts: make([]completePart, len(parts))}
	for i, p := range parts {
		doc.Parts[i] = completePart{PartNumber: p.PartNumber, ETag: `"` + strings.Trim(p.ETag, `"`) + `"`}
	}
	return xml.Marshal(doc)
}

// CompleteMultipartUpload completes an upload. Unless req.Retry, it is not retried (a POST), as
// in oss2.
func CompleteMultipartUpload(ctx context.Context, d Doer, req *CompleteMultipartUploadRequest) (*CompleteMultipartUploadResult, error) {
	r := &Request{Method: http.MethodPost, Bucket: req.Bucket, Key: req.Key, Header: req.Header.Clone(),
		Query: [][2]string{{"uploadId", req.UploadID}}, Retry: req.Retry, OnRetry: req.OnRetry}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	var doc []byte
	if req.Parts == nil {
		r.Header.Set("x-oss-complete-all", "yes")
	} else {
		var err error
		if doc, err = MarshalCompleteDocument(req.Parts); err != nil {
			return nil, &ClientError{Message: "complete document: " + err.Error()}
		}
	}
	setDocument(r, doc, false)
	res, raw, err := send(ctx, d, r)
	if err != nil {
		return nil, err
	}
	out := &CompleteMultipartUploadResult{}
	if isDocument(raw, "CompleteMultipartUploadResult") {
		if err := decodeDocument("complete multipart upload", raw, out); err != nil {
			return nil, err
		}
		out.Parsed = true
	}
	out.Result, out.Body = res, raw
	return out, nil
}

// isDocument tells whether raw is an XML document whose root element is root.
func isDocument(raw []byte, root string) bool {
	dec := xml.NewDecoder(strings.NewReader(string(raw)))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local == root
		}
	}
}

// AbortMultipartUpload aborts an upload and drops its parts.
func AbortMultipartUpload(ctx context.Context, d Doer, bucket, key, uploadID string) (Result, error) {
	return sendDiscard(ctx, d, &Request{Method: http.MethodDelete, Bucket: bucket, Key: key,
		Query: [][2]string{{"uploadId", uploadID}}})
}

// ListMultipartUploadsRequest is one page of ListMultipartUploads. MaxUploads 0 means OSS's
// default (1000).
type ListMultipartUploadsRequest struct {
	Bucket, Prefix, Delimiter, KeyMarker, UploadIDMarker string
	MaxUploads                                           int
}

// MultipartUpload is one unfinished upload.
type MultipartUpload struct {
	Key          string `xml:"Key" json:"key"`
	UploadID     string `xml:"UploadId" json:"upload_id"`
	Initiated    string `xml:"Initiated" json:"initiated"` // as OSS wrote it, RFC 3339
	StorageClass string `xml:"StorageClass" json:"storage_class"`
}

// InitiatedTime is Initiated parsed; false when absent or malformed.
func (u MultipartUpload) InitiatedTime() (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, u.Initiated)
	return t, err == nil
}

// ListMultipartUploadsResult is one page; keys, prefixes and markers are decoded (the request asks
// for encoding-type=url).
type ListMultipartUploadsResult struct {
	Result             `xml:"-" json:"-"`
	Bucket             string            `xml:"Bucket" json:"bucket"`
	Prefix             string            `xml:"Prefix" json:"prefix"`
	Delimiter          string            `xml:"Delimiter" json:"delimiter"`
	KeyMarker          string            `xml:"KeyMarker" json:"key_marker"`
	UploadIDMarker     string            `xml:"UploadIdMarker" json:"upload_id_marker"`
	NextKeyMarker      string            `xml:"NextKeyMarker" json:"next_key_marker"`
	NextUploadIDMarker string            `xml:"NextUploadIdMarker" json:"next_upload_id_marker"`
	MaxUploads         int               `xml:"MaxUploads" json:"max_uploads"`
	EncodingType       string            `xml:"EncodingType" json:"encoding_type"`
	IsTruncated        Bool              `xml:"IsTruncated" json:"is_truncated"`
	Uploads            []MultipartUpload `xml:"Upload" json:"uploads"`
	CommonPrefixes     []string          `xml:"CommonPrefixes>Prefix" json:"common_prefixes"`
}

func (r *ListMultipartUploadsResult) finish() {
	enc := r.EncodingType
	decodeNames(enc, &r.Prefix, &r.Delimiter, &r.KeyMarker, &r.NextKeyMarker)
	for i := range r.Uploads {
		r.Uploads[i].Key = decodeName(r.Uploads[i].Key, enc)
	}
	decodePrefixes(r.CommonPrefixes, enc)
}

// ListMultipartUploads lists one page of a bucket's unfinished uploads; a GET, retried under the
// client's policy.
func ListMultipartUploads(ctx context.Context, d Doer, req *ListMultipartUploadsRequest) (*ListMultipartUploadsResult, error) {
	q := [][2]string{{"uploads", ""}, {"prefix", req.Prefix}, {"delimiter", req.Delimiter},
		{"key-marker", req.KeyMarker}, {"upload-id-marker", req.UploadIDMarker}}
	if req.MaxUploads > 0 {
		q = append(q, [2]string{"max-uploads", strconv.Itoa(req.MaxUploads)})
	}
	q = append(q, [2]string{"encoding-type", "url"})
	res, raw, err := send(ctx, d, &Request{Method: http.MethodGet, Bucket: req.Bucket, Query: q})
	if err != nil {
		return nil, err
	}
	out := &ListMultipartUploadsResult{}
	if err := decodeDocument("list multipart uploads", raw, out); err != nil {
		return nil, err
	}
	out.Result = res
	out.finish()
	return out, nil
}

// UploadPartCopyRequest copies bytes [First, Last] of SourceBucket/SourceKey into part Number of
// an upload, server-side. SourceVersionID names a version of the source ("" for the latest).
// SourceETag, if set, pins the source (x-oss-copy-source-if-match): a source replaced meanwhile
// fails the part with 412 instead of mixing two versions.
type UploadPartCopyRequest struct {
	Bucket, Key, UploadID   string
	Number                  int
	SourceBucket, SourceKey string
	SourceVersionID         string
	First, Last             int64
	SourceETag              string
}

// UploadPartCopyResult is the new part.
type UploadPartCopyResult struct {
	Result `xml:"-"`
	ETag   string `xml:"ETag"`
}

// UploadPartCopy copies a range of an object into a part. A repeat writes the same part again,
// so it is retried like any idempotent request.
func UploadPartCopy(ctx context.Context, d Doer, req *UploadPartCopyRequest) (*UploadPartCopyResult, error) {
	h := http.Header{}
	h.Set("x-oss-copy-source", copySourceVersion(req.SourceBucket, req.SourceKey, req.SourceVersionID))
	h.Set("x-oss-copy-source-range", "bytes="+strconv.FormatInt(req.First, 10)+"-"+strconv.FormatInt(req.Last, 10))
	if req.SourceETag != "" {
		h.Set("x-oss-copy-source-if-match", req.SourceETag)
	}
	res, raw, err := send(ctx, d, &Request{Method: http.MethodPut, Bucket: req.Bucket, Key: req.Key, Header: h,
		Query: [][2]string{{"partNumber", strconv.Itoa(req.Number)}, {"uploadId", req.UploadID}}})
	if err != nil {
		return nil, err
	}
	out := &UploadPartCopyResult{}
	if err := decodeDocument("upload part copy", raw, out); err != nil {
		return nil, err
	}
	out.Result = res
	return out, nil
}

package oss

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
)

// MaxDeleteKeys is the most keys one DeleteMultipleObjects request may name.
const MaxDeleteKeys = 1000

// DeleteObjectsRequest is DeleteMultipleObjects: POST /?delete with the keys in an XML document.
type DeleteObjectsRequest struct {
	Bucket string
	Keys   []string // at most MaxDeleteKeys; OSS refuses more
	// VersionIDs, when given, has one entry per key: the version to delete ("" for the key's
	// latest, which on a versioned bucket adds a delete marker).
	VersionIDs []string
	Quiet      bool // answer only the failures
	Header     http.Header
}

// DeleteObjectsResult lists what was deleted, and the keys that were not with the reason (an
// <Error> element each, as S3 answers a refused key, for example AccessDenied under a policy).
// Keys are decoded (the request asks for encoding-type=url so that any key survives the answer's
// XML). Errors stays out of the JSON pyjindo reads, whose shape is oss2's (it has none).
type DeleteObjectsResult struct {
	Result  `xml:"-" json:"-"`
	Deleted []DeletedObject `xml:"Deleted" json:"deleted"`
	Errors  []DeleteError   `xml:"Error" json:"-"`
}

// DeleteError is one key a batch delete did not delete.
type DeleteError struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId"`
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
}

// DeletedObject is one <Deleted> entry; the JSON names are those pyjindo's models read.
type DeletedObject struct {
	Key                   string  `xml:"Key" json:"key"`
	VersionID             *string `xml:"VersionId" json:"version_id"`
	DeleteMarker          Bool    `xml:"DeleteMarker" json:"delete_marker"`
	DeleteMarkerVersionID string  `xml:"DeleteMarkerVersionId" json:"delete_marker_version_id"`
}

// Keys are the deleted keys in the order OSS listed them.
func (r *DeleteObjectsResult) Keys() []string {
	keys := make([]string, len(r.Deleted))
	for i, d := range r.Deleted {
		keys[i] = d.Key
	}
	return keys
}

type deleteDocument struct {
	XMLName xml.Name       `xml:"Delete"`
	Quiet   bool           `xml:"Quiet"`
	Objects []deleteObject `xml:"Object"`
}

type deleteObject struct {
	Key       rawText `xml:"Key"`
	VersionID string  `xml:"VersionId,omitempty"`
}

// rawText is element text escaped as oss2 (ElementTree) escapes it, see keyText.
type rawText struct {
	Inner string `xml:",innerxml"`
}

// keyText escapes a key for a batch delete exactly as oss2 does: '&', '<' and '>' become
// entities and every other character is written as it is. encoding/xml would replace the
// control characters XML 1.0 forbids (such as '\x01') with U+FFFD, naming another key; OSS
// (and jindo server) read them raw, as oss2 sends them.
func keyText(key string) rawText {
	return rawText{Inner: strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(key)}
}

// MarshalDeleteDocument is the XML body of a batch delete of keys.
func MarshalDeleteDocument(keys []string, quiet bool) ([]byte, error) {
	return marshalDeleteDocument(keys, nil, quiet)
}

func marshalDeleteDocument(keys, versionIDs []string, quiet bool) ([]byte, error) {
	doc := deleteDocument{Quiet: quiet, Objects: make([]deleteObject, len(keys))}
	for i, k := range keys {
		doc.Objects[i] = deleteObject{Key: keyText(k)}
		if i < len(versionIDs) {
			doc.Objects[i].VersionID = versionIDs[i]
		}
	}
	return xml.Marshal(doc)
}

// DeleteObjects deletes req.Keys in one request. It is not retried (a POST), as in oss2.
func DeleteObjects(ctx context.Context, d Doer, req *DeleteObjectsRequest) (*DeleteObjectsResult, error) {
	if len(req.Keys) == 0 {
		return nil, &ClientError{Message: "key_list should not be empty"}
	}
	if req.VersionIDs != nil && len(req.VersionIDs) != len(req.Keys) {
		return nil, &ClientError{Message: "batch delete: one version id per key"}
	}
	doc, err := marshalDeleteDocument(req.Keys, req.VersionIDs, req.Quiet)
	if err != nil {
		return nil, &ClientError{Message: "batch delete document: " + err.Error()}
	}
	r := &Request{Method: http.MethodPost, Bucket: req.Bucket, Header: req.Header.Clone(),
		Query: [][2]string{{"delete", ""}, {"encoding-type", "url"}}}
	setDocument(r, doc, true)
	res, raw, err := send(ctx, d, r)
	if err != nil {
		return nil, err
	}
	out := &DeleteObjectsResult{Result: res}
	var answer struct {
		EncodingType string          `xml:"EncodingType"`
		Deleted      []DeletedObject `xml:"Deleted"`
		Errors       []DeleteError   `xml:"Error"`
	}
	if len(strings.TrimSpace(string(raw))) > 0 {
		if err := decodeDocument("delete objects", raw, &answer); err != nil {
			return nil, err
		}
	}
	out.Deleted, out.Errors = answer.Deleted, answer.Errors
	for i := range out.Deleted {
		out.Deleted[i].Key = decodeName(out.Deleted[i].Key, answer.EncodingType)
	}
	for i := range out.Errors {
		out.Errors[i].Key = decodeName(out.Errors[i].Key, answer.EncodingType)
	}
	if out.Deleted == nil {
		out.Deleted = []DeletedObject{}
	}
	return out, nil
}

package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// The object attributes OSS takes from request headers besides metadata: storage class,
// server-side encryption and tagging. OSS validates them before it reads the body, and so does
// this server.

var validACLs = map[string]bool{"private": true, "public-read": true, "public-read-write": true}

func errInvalidACL(v string) *ossError {
	e := errInvalidArgument("x-oss-acl", v, "no such bucket access control exists")
	e.EC = "0015-00000204"
	return e
}

// errInvalidStorageClass is OSS's answer to an unknown storage class in the header or element
// name; ec tells the operation
// (0017-00000132 on PutObject and the like, 0013-00000101 on PutBucket and CopyObject).
func errInvalidStorageClass(name, v, ec string) *ossError {
	e := errInvalidArgument(name, v, "The storage class you specified is not valid.")
	e.EC = ec
	return e
}

func errInvalidObjectState() *ossError {
	return &ossError{Status: 403, Code: "InvalidObjectState", Message: "The operation is not valid for the object's state", EC: "0016-00000404"}
}

func errInvalidTagging(v, msg, ec string) *ossError {
	e := errInvalidArgument("x-oss-tagging", v, msg)
	e.EC = ec
	return e
}

// objectAttrs reads the attributes of a new object from h. classEC is the EC of an invalid
// storage class for this operation.
func objectAttrs(h http.Header, classEC string) (store.Attrs, *ossError) {
	a := attrsFrom(h)
	if vs, ok := h["X-Oss-Storage-Class"]; ok {
		v := strings.Join(vs, ",")
		if v == "" {
			return a, errInvalidStorageClass("x-oss-storage-class", v, "0017-00000131")
		}
		if !store.ValidStorageClass(v) {
			return a, errInvalidStorageClass("x-oss-storage-class", v, classEC)
		}
		a.StorageClass = v
	}
	if e := sseFrom(h, &a); e != nil {
		return a, e
	}
	acl, e := objectACLFrom(h)
	if e != nil {
		return a, e
	}
	a.ACL = acl
	if v, ok := h["X-Oss-Tagging"]; ok {
		tagging := strings.Join(v, "&")
		if _, e := parseTagging(tagging); e != nil {
			return a, e
		}
		a.Tagging = tagging
	}
	return a, nil
}

// sseFrom reads x-oss-server-side-encryption (AES256, KMS or SM4) and, for KMS, the key id.
func sseFrom(h http.Header, a *store.Attrs) *ossError {
	vs, ok := h["X-Oss-Server-Side-Encryption"]
	if !ok {
		return nil
	}
	switch v := strings.Join(vs, ","); v {
	case "AES256", "KMS", "SM4":
		a.SSE = v
		if v == "KMS" {
			a.SSEKeyID = h.Get("X-Oss-Server-Side-Encryption-Key-Id")
		}
		return nil
	default:
		return &ossError{Status: 400, Code: "InvalidEncryptionAlgorithmError",
			Message: "The Encryption request you specified is not valid. Supported value: AES256/KMS/SM4", EC: "0005-00000003"}
	}
}

// OSS's object tagging limits.
const (
	maxTags        = 10
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// parseTagging checks an x-oss-tagging value: URL-encoded key=value pairs joined by '&' (a pair
// without '=' has an empty value), at most 10, keys 1..128 and values 0..256 characters of
// UTF-8, no key twice. It returns the number of tags.
func parseTagging(s string) (int, *ossError) {
	if s == "" {
		return 0, nil
	}
	seen := map[string]bool{}
	for _, pair := range strings.Split(s, "&") {
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		if strings.Contains(rawValue, "=") {
			return 0, errInvalidTagging(s, "The tag you provided is not in the key or key=value format.", "0010-00000219")
		}
		key, err1 := url.QueryUnescape(rawKey)
		value, err2 := url.QueryUnescape(rawValue)
		if err1 != nil || err2 != nil || !utf8.ValidString(key) || !utf8.ValidString(value) {
			return 0, errInvalidTagging(s, "The tag you provided is not correctly url-encoded.", "0010-00000219")
		}
		switch {
		case key == "":
			return 0, errInvalidTagging(s, "The tag key cannot be empty.", "0010-00000208")
		case utf8.RuneCountInString(key) > maxTagKeyLen || utf8.RuneCountInString(value) > maxTagValueLen:
			return 0, errInvalidTagging(s, "The tag key must be at most 128 and the value at most 256 characters long.", "0010-00000217")
		case seen[key]:
			return 0, errInvalidTagging(s, "The tag keys must be unique.", "0010-00000217")
		}
		seen[key] = true
	}
	if len(seen) > maxTags {
		return 0, errInvalidTagging(s, "An object can have at most 10 tags.", "0010-00000217")
	}
	return len(seen), nil
}

// writeAttrHeaders sends what HEAD and GET (and, for encryption, a write) report of the stored
// attributes besides metadata.
func (rq *request) writeAttrHeaders(a store.Attrs) {
	h := rq.w.Header()
	if a.SSE != "" {
		h.Set("X-Oss-Server-Side-Encryption", a.SSE)
		if a.SSEKeyID != "" {
			h.Set("X-Oss-Server-Side-Encryption-Key-Id", a.SSEKeyID)
		}
	}
	if n, _ := parseTagging(a.Tagging); n > 0 {
		h.Set("X-Oss-Tagging-Count", strconv.Itoa(n))
	}
}

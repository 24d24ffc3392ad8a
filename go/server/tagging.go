package server

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"

	"github.com/pyjindo/pyjindo/go/server/store"
)

// Object tagging (?tagging on an object; x-oss-tagging on writes) and bucket tagging (?tagging on
// a bucket). Both keep tags as x-oss-tagging does: url-encoded key=value pairs joined by '&', in
// the order given.

type tag struct {
	Key   string
	Value string
}

type taggingDoc struct {
	XMLName xml.Name `xml:"Tagging"`
	Tags    []tag    `xml:"TagSet>Tag"`
}

// OSS's bucket tagging limits (an object's are maxTags, maxTagKeyLen, maxTagValueLen).
const (
	maxBucketTags        = 20
	maxBucketTagKeyLen   = 64
	maxBucketTagValueLen = 128
)

// tagPairs splits a stored tagging string into its pairs; it was validated when stored.
func tagPairs(s string) []tag {
	var out []tag
	if s == "" {
		return out
	}
	for _, pair := range strings.Split(s, "&") {
		k, v, _ := strings.Cut(pair, "=")
		k, _ = url.QueryUnescape(k)
		v, _ = url.QueryUnescape(v)
		out = append(out, tag{Key: k, Value: v})
	}
	return out
}

func joinTags(tags []tag) string {
	parts := make([]string, len(tags))
	for i, t := range tags {
		parts[i] = url.QueryEscape(t.Key) + "=" + url.QueryEscape(t.Value)
	}
	return strings.Join(parts, "&")
}

// readTagging reads a Tagging document and returns it as a tagging string, checked against the
// object limits (parseTagging); bucket tags have their own.
func (rq *request) readTagging(forBucket bool) (string, *ossError) {
	raw, e := rq.readXMLBody(maxRequestXML)
	if e != nil {
		return "", e
	}
	var doc taggingDoc
	if e := decodeXML(raw, &doc); e != nil {
		return "", e
	}
	s := joinTags(doc.Tags)
	if !forBucket {
		_, e := parseTagging(s)
		return s, e
	}
	seen := map[string]bool{}
	for _, t := range doc.Tags {
		switch {
		case t.Key == "":
			return "", errInvalidTagging(s, "The tag key cannot be empty.", "0010-00000208")
		case len([]rune(t.Key)) > maxBucketTagKeyLen || len([]rune(t.Value)) > maxBucketTagValueLen:
			return "", errInvalidTagging(s, "The tag key must be at most 64 and the value at most 128 characters long.", "0010-00000217")
		case seen[t.Key]:
			return "", errInvalidTagging(s, "The tag keys must be unique.", "0010-00000217")
		}
		seen[t.Key] = true
	}
	if len(seen) > maxBucketTags {
		return "", errInvalidTagging(s, "A bucket can have at most 20 tags.", "0010-00000217")
	}
	return s, nil
}

func (rq *request) writeTagging(s string) *ossError {
	return rq.writeXML(taggingDoc{Tags: tagPairs(s)})
}

func (rq *request) getObjectTagging() *ossError {
	info, e := rq.statVersion()
	if e != nil {
		return e
	}
	return rq.writeTagging(info.Tagging)
}

func (rq *request) setObjectTagging(tagging string) *ossError {
	if _, err := rq.s.cfg.Store.Bucket(rq.bucket); err != nil {
		return storeError(err, rq.bucket, "")
	}
	_, err := rq.updateVersion(func(o *store.ObjectInfo) error {
		o.Tagging = tagging
		return nil
	})
	if err != nil {
		return rq.updateError(err)
	}
	return nil
}

func (rq *request) putObjectTagging() *ossError {
	tagging, e := rq.readTagging(false)
	if e != nil {
		return e
	}
	return rq.setObjectTagging(tagging)
}

func (rq *request) deleteObjectTagging() *ossError {
	if e := rq.setObjectTagging(""); e != nil {
		return e
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

func (rq *request) getBucketTagging() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	return rq.writeTagging(b.Configs["tagging"])
}

func (rq *request) putBucketTagging() *ossError {
	tagging, e := rq.readTagging(true)
	if e != nil {
		return e
	}
	return rq.setBucketConfig("tagging", tagging)
}

// deleteBucketTagging removes all tags, or with ?tagging=k1,k2 only those.
func (rq *request) deleteBucketTagging() *ossError {
	only := map[string]bool{}
	for _, k := range strings.Split(rq.query.Get("tagging"), ",") {
		if k != "" {
			only[k] = true
		}
	}
	_, err := rq.s.cfg.Store.UpdateBucket(rq.bucket, func(b *store.BucketInfo) error {
		var kept []tag
		for _, t := range tagPairs(b.Configs["tagging"]) {
			if len(only) > 0 && !only[t.Key] {
				kept = append(kept, t)
			}
		}
		setConfig(b, "tagging", joinTags(kept))
		return nil
	})
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	rq.writeHeader(http.StatusNoContent)
	return nil
}

func storeErrorOrNil(err error, bucket, key string) *ossError {
	if err == nil {
		return nil
	}
	return storeError(err, bucket, key)
}

package signer

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"hash"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// isV1SubResource reports whether V1 signs the query parameter name; every other
// parameter is left out of the string to sign. The set is oss2's, so adding or
// removing a name changes which requests verify.
func isV1SubResource(name string) bool {
	switch name {
	case "response-content-type", "response-content-language",
		"response-cache-control", "logging", "response-content-encoding",
		"acl", "uploadId", "uploads", "partNumber", "group", "link",
		"delete", "website", "location", "objectInfo", "objectMeta",
		"response-expires", "response-content-disposition", "cors", "lifecycle",
		"restore", "qos", "referer", "stat", "bucketInfo", "append", "position", "security-token",
		"live", "comp", "status", "vod", "startTime", "endTime", "x-oss-process",
		"symlink", "callback", "callback-var", "tagging", "encryption", "versions",
		"versioning", "versionId", "policy", "requestPayment", "x-oss-traffic-limit", "qosInfo", "asyncFetch",
		"x-oss-request-payer", "sequential", "inventory", "inventoryId", "continuation-token",
		"worm", "wormId", "wormExtend", "replication", "replicationLocation",
		"replicationProgress", "transferAcceleration", "cname", "metaQuery",
		"x-oss-ac-source-ip", "x-oss-ac-subnet-mask", "x-oss-ac-vpc-id", "x-oss-ac-forward-allow",
		"resourceGroup", "style", "styleName", "x-oss-async-process", "regionList", "x-oss-write-get-object-response",
		"bucketArchiveDirectRead", "httpsConfig", "redundancyTransition", "x-oss-target-redundancy-type", "x-oss-redundancy-transition-taskid",
		"accessPoint", "accessPointPolicy", "publicAccessBlock", "x-oss-access-point-name",
		"requesterQosInfo", "qosRequester", "resourcePoolInfo", "resourcePool", "resourcePoolBuckets":
		return true
	}
	return false
}

// V1StringToSign returns the V1 string to sign:
//
//	VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedOSSHeaders CanonicalizedResource
//
// Date is x-oss-date when present, else Date. bucket "" is a service-level request
// (resource "/"); key "" with a bucket is a bucket-level request ("/bucket/"). query
// holds decoded parameters; only OSS sub-resources are signed, sorted by name, raw
// (unencoded), as "name=value" or a bare "name" when the value is empty.
func V1StringToSign(method, bucket, key string, query url.Values, header http.Header) string {
	h := lowerHeaders(header)
	date := h["x-oss-date"]
	if date == "" {
		date = h["date"]
	}

	var b strings.Builder
	b.Grow(len(method) + len(bucket) + len(key) + 64 + 2*len(h)*32) // most strings in one allocation
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(h["content-md5"])
	b.WriteByte('\n')
	b.WriteString(h["content-type"])
	b.WriteByte('\n')
	b.WriteString(date)
	b.WriteByte('\n')
	for _, f := range selectHeaders(h, func(n string) bool { return strings.HasPrefix(n, ossHeaderPrefix) }) {
		b.WriteString(f.name)
		b.WriteByte(':')
		b.WriteString(f.value)
		b.WriteByte('\n')
	}
	b.WriteByte('/')
	if bucket != "" {
		b.WriteString(bucket)
		b.WriteByte('/')
		b.WriteString(key)
	}
	b.WriteString(v1SubResourceString(query))
	return b.String()
}

func v1SubResourceString(query url.Values) string {
	var names []string
	for k := range query {
		if isV1SubResource(k) {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		vs := query[k]
		if len(vs) == 0 {
			vs = []string{""}
		}
		for _, v := range vs {
			if v == "" {
				parts = append(parts, k)
			} else {
				parts = append(parts, k+"="+v)
			}
		}
	}
	return "?" + strings.Join(parts, "&")
}

// V1Signature returns base64(HMAC-SHA1(secret, stringToSign)).
func V1Signature(secret, stringToSign string) string {
	var m V1MAC
	return m.Signature(secret, stringToSign)
}

// V1MAC computes V1 signatures, keeping its HMAC keyed with the last secret between them:
// keying one is two SHA-1 blocks and five allocations, a fifth of a small request's signing.
// A V1MAC is for one goroutine at a time; its zero value is ready to use.
type V1MAC struct {
	secret string
	mac    hash.Hash
	text   []byte // the string to sign, as bytes for the hash
	sum    [sha1.Size]byte
	sig    [28]byte // base64 of sum
}

// Signature is V1Signature(secret, stringToSign).
func (m *V1MAC) Signature(secret, stringToSign string) string {
	if m.mac == nil || m.secret != secret {
		m.mac, m.secret = hmac.New(sha1.New, []byte(secret)), secret
	} else {
		m.mac.Reset()
	}
	m.text = append(m.text[:0], stringToSign...)
	m.mac.Write(m.text)
	base64.StdEncoding.Encode(m.sig[:], m.mac.Sum(m.sum[:0]))
	return string(m.sig[:])
}

// SignV1 signs a request in place: it sets Date (now in http.TimeFormat) unless header
// already has one, x-oss-security-token when c carries a token, and
// Authorization "OSS <AccessKeyID>:<signature>".
func SignV1(method, bucket, key string, query url.Values, header http.Header, c Credentials, now time.Time) {
	var m V1MAC
	m.SignV1(method, bucket, key, query, header, c, now)
}

// SignV1 is the package's SignV1, its signature computed by m.
func (m *V1MAC) SignV1(method, bucket, key string, query url.Values, header http.Header, c Credentials, now time.Time) {
	setDateAndToken(header, c, now)
	sig := m.Signature(c.AccessKeySecret, V1StringToSign(method, bucket, key, query, header))
	setHeader(header, headerAuthorization, "OSS "+c.AccessKeyID+":"+sig)
}

// setDateAndToken sets what V1 and V2 sign besides the request itself: Date (now, in
// http.TimeFormat) unless header already has one, and x-oss-security-token when c carries one.
func setDateAndToken(header http.Header, c Credentials, now time.Time) {
	if !hasHeader(header, "Date") {
		setHeader(header, "Date", now.UTC().Format(http.TimeFormat))
	}
	if c.SecurityToken != "" {
		setHeader(header, headerSecurityToken, c.SecurityToken)
	}
}

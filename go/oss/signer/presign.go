package signer

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Presigned URLs carry their signature in the query. Each Presign function returns the
// caller's parameters followed by the signature's, in the order oss2's sign_url appends
// them, so that a URL built from the result is byte-identical to oss2's; a caller's
// parameter named like a signature parameter is overwritten in place, as oss2 assigns into
// its params dict. Headers in header
// that the version signs (Content-Type, Content-MD5, x-oss-*, listed additional headers)
// must be sent with the URL.

// Query parameter names of presigned URLs.
const (
	QueryV1AccessKeyID       = "OSSAccessKeyId"
	QueryV1Expires           = "Expires"
	QueryV1Signature         = "Signature"
	QuerySignatureVersion    = "x-oss-signature-version"
	QueryAccessKeyID         = "x-oss-access-key-id" // V2
	QueryCredential          = "x-oss-credential"    // V4
	QueryDate                = "x-oss-date"          // V4
	QueryExpires             = "x-oss-expires"
	QueryAdditionalHeaders   = "x-oss-additional-headers"
	QuerySignature           = "x-oss-signature"
	querySecurityTokenV1V2   = "security-token"
	querySecurityTokenV4     = "x-oss-security-token"
	signatureVersionV2       = "OSS2"
	signatureVersionV4       = v4Algorithm
	maxPresignedV4Expiration = 7 * 24 * 3600 // seconds, OSS's limit for x-oss-expires
)

// valuesOf turns ordered parameters into url.Values as a server parses them back.
func valuesOf(pairs [][2]string) url.Values {
	v := url.Values{}
	for _, kv := range pairs {
		v.Add(kv[0], kv[1])
	}
	return v
}

// setParam gives name the value value as oss2's sign_url does, assigning into the caller's
// params dict: a parameter of that exact name keeps its place with the new value; otherwise
// it is appended. A URL never carries a signature parameter twice.
func setParam(q [][2]string, name, value string) [][2]string {
	for i := range q {
		if q[i][0] == name {
			q[i][1] = value
			return q
		}
	}
	return append(q, [2]string{name, value})
}

func cloneHeader(h http.Header) http.Header {
	if h == nil {
		return http.Header{}
	}
	return h.Clone()
}

// PresignV1 appends security-token (when c carries one), OSSAccessKeyId, Expires and
// Signature. The URL expires expires seconds after now; V1 signs that epoch second where
// a request's Date goes.
func PresignV1(method, bucket, key string, query [][2]string, header http.Header, c Credentials, now time.Time, expires int64) [][2]string {
	q := append([][2]string(nil), query...)
	if c.SecurityToken != "" {
		q = setParam(q, querySecurityTokenV1V2, c.SecurityToken)
	}
	deadline := strconv.FormatInt(now.Unix()+expires, 10)
	h := cloneHeader(header)
	setHeader(h, "Date", deadline)
	delHeader(h, headerOSSDate) // V1 would sign x-oss-date in place of the expiry
	sts := V1StringToSign(method, bucket, key, valuesOf(q), h)
	q = setParam(q, QueryV1AccessKeyID, c.AccessKeyID)
	q = setParam(q, QueryV1Expires, deadline)
	return setParam(q, QueryV1Signature, V1Signature(c.AccessKeySecret, sts))
}

// PresignV2 appends security-token (when c carries one), x-oss-signature-version=OSS2,
// x-oss-expires (the epoch second it expires, signed where the Date goes),
// x-oss-access-key-id, x-oss-additional-headers (the listed headers that header carries,
// lower-cased, one of each, sorted; omitted when none) and x-oss-signature.
func PresignV2(method, bucket, key string, query [][2]string, header http.Header, additionalHeaders []string, c Credentials, now time.Time, expires int64) [][2]string {
	q := append([][2]string(nil), query...)
	if c.SecurityToken != "" {
		q = setParam(q, querySecurityTokenV1V2, c.SecurityToken)
	}
	deadline := strconv.FormatInt(now.Unix()+expires, 10)
	additional := v2AdditionalHeaders(presentHeaders(additionalHeaders, header))
	q = setParam(q, QuerySignatureVersion, signatureVersionV2)
	q = setParam(q, QueryExpires, deadline)
	q = setParam(q, QueryAccessKeyID, c.AccessKeyID)
	if len(additional) > 0 {
		q = setParam(q, QueryAdditionalHeaders, strings.Join(additional, ";"))
	}
	h := cloneHeader(header)
	setHeader(h, "Date", deadline)
	// Like oss2, this signs every parameter present now, a caller's own x-oss-signature too.
	sts := V2StringToSign(method, bucket, key, valuesOf(q), h, additional)
	return setParam(q, QuerySignature, V2Signature(c.AccessKeySecret, sts))
}

// PresignV4 appends x-oss-security-token (when c carries one), x-oss-date (now),
// x-oss-expires (seconds after x-oss-date), x-oss-signature-version=OSS4-HMAC-SHA256,
// x-oss-credential, x-oss-additional-headers (the listed headers that header carries and
// V4 does not sign anyway, lower-cased, one of each, sorted; omitted when none) and x-oss-signature. Every parameter
// before the signature is signed.
func PresignV4(method, bucket, key string, query [][2]string, header http.Header, region string, additionalHeaders []string, c Credentials, now time.Time, expires int64) [][2]string {
	q := append([][2]string(nil), query...)
	if c.SecurityToken != "" {
		q = setParam(q, querySecurityTokenV4, c.SecurityToken)
	}
	at := V4TimeOf(now)
	additional := v4PresignedAdditionalHeaders(presentHeaders(additionalHeaders, header))
	q = setParam(q, QueryDate, at.Stamp)
	q = setParam(q, QueryExpires, strconv.FormatInt(expires, 10))
	q = setParam(q, QuerySignatureVersion, signatureVersionV4)
	q = setParam(q, QueryCredential, c.AccessKeyID+"/"+v4Scope(at.Day, region))
	if len(additional) > 0 {
		q = setParam(q, QueryAdditionalHeaders, strings.Join(additional, ";"))
	}
	// Like oss2, this signs every parameter present now, a caller's own x-oss-signature too.
	cr := V4CanonicalRequest(method, bucket, key, valuesOf(q), header, additional)
	sig := V4Signature(c.AccessKeySecret, at.Day, region, V4StringToSign(cr, at, region))
	return setParam(q, QuerySignature, sig)
}

// v4PresignedAdditionalHeaders is the x-oss-additional-headers list of a V4 URL: oss2's
// sign_url lower-cases the names into a set (one of each), drops those V4 signs anyway and
// sorts the rest. (A signed request's Authorization keeps the caller's list as it is; see
// additionalSignedHeaders.)
func v4PresignedAdditionalHeaders(names []string) []string {
	out := additionalSignedHeaders(names)
	sort.Strings(out)
	return slices.Compact(out)
}

package signer

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Presigned URLs carry their signature in the query. Each Presign function returns the
// caller's parameters followed by the signature's, in the order oss2's sign_url appends
// them, so that a URL built from the result is byte-identical to oss2's. Headers in header
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
		q = append(q, [2]string{querySecurityTokenV1V2, c.SecurityToken})
	}
	deadline := strconv.FormatInt(now.Unix()+expires, 10)
	h := cloneHeader(header)
	setHeader(h, "Date", deadline)
	delHeader(h, headerOSSDate) // V1 would sign x-oss-date in place of the expiry
	sts := V1StringToSign(method, bucket, key, valuesOf(q), h)
	return append(q, [2]string{QueryV1AccessKeyID, c.AccessKeyID}, [2]string{QueryV1Expires, deadline},
		[2]string{QueryV1Signature, V1Signature(c.AccessKeySecret, sts)})
}

// PresignV2 appends security-token (when c carries one), x-oss-signature-version=OSS2,
// x-oss-expires (the epoch second it expires, signed where the Date goes),
// x-oss-access-key-id, x-oss-additional-headers (the listed headers that header carries,
// sorted; omitted when none) and x-oss-signature.
func PresignV2(method, bucket, key string, query [][2]string, header http.Header, additionalHeaders []string, c Credentials, now time.Time, expires int64) [][2]string {
	q := append([][2]string(nil), query...)
	if c.SecurityToken != "" {
		q = append(q, [2]string{querySecurityTokenV1V2, c.SecurityToken})
	}
	deadline := strconv.FormatInt(now.Unix()+expires, 10)
	additional := v2AdditionalHeaders(presentHeaders(additionalHeaders, header))
	q = append(q, [2]string{QuerySignatureVersion, signatureVersionV2}, [2]string{QueryExpires, deadline},
		[2]string{QueryAccessKeyID, c.AccessKeyID})
	if len(additional) > 0 {
		q = append(q, [2]string{QueryAdditionalHeaders, strings.Join(additional, ";")})
	}
	h := cloneHeader(header)
	setHeader(h, "Date", deadline)
	sts := V2StringToSign(method, bucket, key, valuesOf(q), h, additional)
	return append(q, [2]string{QuerySignature, V2Signature(c.AccessKeySecret, sts)})
}

// PresignV4 appends x-oss-security-token (when c carries one), x-oss-date (now),
// x-oss-expires (seconds after x-oss-date), x-oss-signature-version=OSS4-HMAC-SHA256,
// x-oss-credential, x-oss-additional-headers (the listed headers that header carries and
// V4 does not sign anyway, sorted; omitted when none) and x-oss-signature. Every parameter
// before the signature is signed.
func PresignV4(method, bucket, key string, query [][2]string, header http.Header, region string, additionalHeaders []string, c Credentials, now time.Time, expires int64) [][2]string {
	q := append([][2]string(nil), query...)
	if c.SecurityToken != "" {
		q = append(q, [2]string{querySecurityTokenV4, c.SecurityToken})
	}
	at := V4TimeOf(now)
	additional := additionalSignedHeaders(presentHeaders(additionalHeaders, header))
	sort.Strings(additional)
	q = append(q, [2]string{QueryDate, at.Stamp}, [2]string{QueryExpires, strconv.FormatInt(expires, 10)},
		[2]string{QuerySignatureVersion, signatureVersionV4},
		[2]string{QueryCredential, c.AccessKeyID + "/" + v4Scope(at.Day, region)})
	if len(additional) > 0 {
		q = append(q, [2]string{QueryAdditionalHeaders, strings.Join(additional, ";")})
	}
	cr := V4CanonicalRequest(method, bucket, key, valuesOf(q), header, additional)
	sig := V4Signature(c.AccessKeySecret, at.Day, region, V4StringToSign(cr, at, region))
	return append(q, [2]string{QuerySignature, sig})
}

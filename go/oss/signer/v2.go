package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// v2DefaultAdditional are the headers oss2's V2 signs, when present, without being asked.
var v2DefaultAdditional = []string{"range", "if-modified-since"}

// v2AdditionalHeaders lower-cases names, drops duplicates and sorts them: the order V2
// signs them in. Unlike V4, V2 keeps names it would sign anyway (x-oss-*, Content-Type).
func v2AdditionalHeaders(names []string) []string {
	seen := make(map[string]bool, len(names))
	var out []string
	for _, n := range names {
		l := strings.ToLower(n)
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// V2StringToSign returns the V2 string to sign:
//
//	VERB \n Content-MD5 \n Content-Type \n Date \n CanonicalizedHeaders AdditionalHeaders \n Resource
//
// Date is the Date header only (V2 ignores x-oss-date). CanonicalizedHeaders are the x-oss-*
// headers and the additional headers present, as "name:value\n" sorted by name;
// AdditionalHeaders is the lower-cased, sorted, ';'-joined list. Resource is "/bucket/key"
// ("/" with no bucket) with every byte outside A-Z a-z 0-9 _ - ~ . percent-encoded, slashes
// included, then, when there are parameters, "?" and every parameter (not only
// sub-resources) encoded the same way, sorted, a bare name when the value is empty.
func V2StringToSign(method, bucket, key string, query url.Values, header http.Header, additionalHeaders []string) string {
	h := lowerHeaders(header)
	additional := v2AdditionalHeaders(additionalHeaders)
	inAdditional := make(map[string]bool, len(additional))
	for _, a := range additional {
		inAdditional[a] = true
	}

	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(h["content-md5"])
	b.WriteByte('\n')
	b.WriteString(h["content-type"])
	b.WriteByte('\n')
	b.WriteString(h["date"])
	b.WriteByte('\n')
	for _, f := range selectHeaders(h, func(n string) bool { return strings.HasPrefix(n, ossHeaderPrefix) || inAdditional[n] }) {
		b.WriteString(f.name)
		b.WriteByte(':')
		b.WriteString(f.value)
		b.WriteByte('\n')
	}
	b.WriteString(strings.Join(additional, ";"))
	b.WriteByte('\n')
	uri := "/"
	if bucket != "" {
		uri = "/" + bucket + "/" + key
	}
	b.WriteString(v4Encode(uri, false))
	if q := canonicalQuery(query); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String()
}

// V2Signature returns base64(HMAC-SHA256(secret, stringToSign)).
func V2Signature(secret, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// SignV2 signs a request in place: it sets Date (now in http.TimeFormat) unless header
// already has one, x-oss-security-token when c carries a token, and Authorization
//
//	OSS2 AccessKeyId:<id>[,AdditionalHeaders:a;b],Signature:<signature>
//
// Like oss2 it signs Range and If-Modified-Since as additional headers when present.
func SignV2(method, bucket, key string, query url.Values, header http.Header, c Credentials, now time.Time) {
	setDateAndToken(header, c, now)
	additional := v2AdditionalHeaders(presentHeaders(v2DefaultAdditional, header))
	sig := V2Signature(c.AccessKeySecret, V2StringToSign(method, bucket, key, query, header, additional))
	auth := "OSS2 AccessKeyId:" + c.AccessKeyID
	if len(additional) > 0 {
		auth += ",AdditionalHeaders:" + strings.Join(additional, ";")
	}
	setHeader(header, headerAuthorization, auth+",Signature:"+sig)
}

package signer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	v4Algorithm  = "OSS4-HMAC-SHA256"
	v4Product    = "oss"
	v4Terminator = "aliyun_v4_request"
	v4KeyPrefix  = "aliyun_v4"
	// V4TimeFormat is the layout of x-oss-date and of the time in the V4 string to sign.
	V4TimeFormat = "20060102T150405Z"
	// V4DayFormat is the layout of the day in a V4 credential scope.
	V4DayFormat = "20060102"
)

// isDefaultV4Header reports whether V4 signs the header without it being listed in
// AdditionalHeaders.
func isDefaultV4Header(name string) bool {
	return strings.HasPrefix(name, ossHeaderPrefix) || name == "content-type" || name == "content-md5"
}

// additionalSignedHeaders lower-cases the caller's list and drops names V4 signs anyway.
// Like oss2 it keeps the caller's order apart from a stable sort on the first
// character; that order is what goes into the Authorization header.
func additionalSignedHeaders(in []string) []string {
	var out []string
	for _, h := range in {
		l := strings.ToLower(h)
		if l != "" && !isDefaultV4Header(l) {
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, _ := utf8.DecodeRuneInString(out[i])
		rj, _ := utf8.DecodeRuneInString(out[j])
		return ri < rj
	})
	return out
}

// v4Encode percent-encodes every byte outside A-Z a-z 0-9 _ - ~ . (and '/' when
// keepSlash), upper-case hex.
func v4Encode(s string, keepSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '_', c == '-', c == '~', c == '.', keepSlash && c == '/':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// V4CanonicalRequest returns the V4 canonical request:
//
//	VERB \n URI \n Query \n Headers \n AdditionalHeaders \n HashedPayload
//
// URI is "/bucket/key" ("/" with no bucket) encoded with slashes kept. Query is every
// parameter, name and value encoded (slashes too), sorted by encoded name, a bare name
// when the value is empty. Headers are x-oss-*, Content-Type, Content-MD5 and the
// additional headers that are present, as "name:value\n", sorted. AdditionalHeaders is
// the sorted, ';'-joined list after dropping names signed by default. HashedPayload is
// x-oss-content-sha256 if present, else UNSIGNED-PAYLOAD.
func V4CanonicalRequest(method, bucket, key string, query url.Values, header http.Header, additionalHeaders []string) string {
	h := lowerHeaders(header)
	additional := additionalSignedHeaders(additionalHeaders)
	inAdditional := make(map[string]bool, len(additional))
	for _, a := range additional {
		inAdditional[a] = true
	}

	uri := "/"
	if bucket != "" {
		uri = "/" + bucket + "/" + key
	}

	var b strings.Builder
	b.WriteString(method)
	b.WriteByte('\n')
	b.WriteString(v4Encode(uri, true))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(query))
	b.WriteByte('\n')
	for _, f := range selectHeaders(h, func(n string) bool { return isDefaultV4Header(n) || inAdditional[n] }) {
		b.WriteString(f.name)
		b.WriteByte(':')
		b.WriteString(f.value)
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	sorted := append([]string(nil), additional...)
	sort.Strings(sorted)
	b.WriteString(strings.Join(sorted, ";"))
	b.WriteByte('\n')
	if v, ok := h["x-oss-content-sha256"]; ok {
		b.WriteString(v)
	} else {
		b.WriteString(unsignedPayload)
	}
	return b.String()
}

// canonicalQuery encodes every parameter's name and value (slashes too), sorts them by
// encoded name, and joins them with '&', a bare name when the value is empty: the query
// part of V4's canonical request and of V2's resource.
func canonicalQuery(query url.Values) string {
	type pair struct{ k, v string }
	var ps []pair
	for k, vs := range query {
		ek := v4Encode(k, false)
		if len(vs) == 0 {
			vs = []string{""}
		}
		for _, v := range vs {
			ps = append(ps, pair{ek, v4Encode(v, false)})
		}
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].k != ps[j].k {
			return ps[i].k < ps[j].k
		}
		return ps[i].v < ps[j].v
	})
	parts := make([]string, len(ps))
	for i, p := range ps {
		if p.v == "" {
			parts[i] = p.k
		} else {
			parts[i] = p.k + "=" + p.v
		}
	}
	return strings.Join(parts, "&")
}

// V4Time is the signing time as a V4 string to sign states it: Stamp is the text that
// stands for the time (x-oss-date, in V4TimeFormat), Day the credential scope's yyyymmdd.
// The aliyun-oss-go-sdk v3 family, when a request has no x-oss-date, signs with the
// Date header's own text (http.TimeFormat) as Stamp and that date's day as Day.
type V4Time struct{ Stamp, Day string }

// V4TimeOf is the V4Time clients that send x-oss-date use: t in UTC.
func V4TimeOf(t time.Time) V4Time {
	u := t.UTC()
	return V4Time{Stamp: u.Format(V4TimeFormat), Day: u.Format(V4DayFormat)}
}

// v4Scope is "yyyymmdd/region/oss/aliyun_v4_request".
func v4Scope(day, region string) string {
	return day + "/" + region + "/" + v4Product + "/" + v4Terminator
}

// V4StringToSign returns "OSS4-HMAC-SHA256\n<at.Stamp>\n<scope>\n<hex sha256 of the
// canonical request>".
func V4StringToSign(canonicalRequest string, at V4Time, region string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	return v4Algorithm + "\n" + at.Stamp + "\n" + v4Scope(at.Day, region) + "\n" + hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// V4Signature derives the signing key from "aliyun_v4"+secret through the scope's day
// (yyyymmdd), region, product and terminator, and returns hex(HMAC-SHA256(key,
// stringToSign)).
func V4Signature(secret, day, region, stringToSign string) string {
	k := hmacSHA256([]byte(v4KeyPrefix+secret), day)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, v4Product)
	k = hmacSHA256(k, v4Terminator)
	return hex.EncodeToString(hmacSHA256(k, stringToSign))
}

// SignV4 signs a request in place: it sets x-oss-date (now, V4TimeFormat),
// x-oss-content-sha256 UNSIGNED-PAYLOAD, x-oss-security-token when c carries a token,
// and Authorization
//
//	OSS4-HMAC-SHA256 Credential=ak/yyyymmdd/region/oss/aliyun_v4_request, Signature=hex[, AdditionalHeaders=a;b]
//
// AdditionalHeaders appears only when some listed header is not signed by default, as
// in oss2. Listed headers absent from the request are still declared.
func SignV4(method, bucket, key string, query url.Values, header http.Header, region string, additionalHeaders []string, c Credentials, now time.Time) {
	if c.SecurityToken != "" {
		setHeader(header, headerSecurityToken, c.SecurityToken)
	}
	at := V4TimeOf(now)
	setHeader(header, headerOSSDate, at.Stamp)
	setHeader(header, headerContentSHA256, unsignedPayload)

	cr := V4CanonicalRequest(method, bucket, key, query, header, additionalHeaders)
	sig := V4Signature(c.AccessKeySecret, at.Day, region, V4StringToSign(cr, at, region))
	auth := v4Algorithm + " Credential=" + c.AccessKeyID + "/" + v4Scope(at.Day, region) + ", Signature=" + sig
	if extra := additionalSignedHeaders(additionalHeaders); len(extra) > 0 {
		auth += ", AdditionalHeaders=" + strings.Join(extra, ";")
	}
	setHeader(header, headerAuthorization, auth)
}

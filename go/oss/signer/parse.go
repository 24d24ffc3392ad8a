package signer

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ParsedAuth is what an Authorization header declares. For V1 only Version,
// AccessKeyID and Signature are set; V2 adds AdditionalHeaders.
type ParsedAuth struct {
	Version           int
	AccessKeyID       string
	Signature         string
	Date              string // V4 credential date, yyyymmdd
	Region            string // V4 credential region
	AdditionalHeaders []string
}

// ErrMalformedAuthorization is wrapped by every ParseAuthorization error.
var ErrMalformedAuthorization = errors.New("malformed authorization")

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformedAuthorization}, args...)...)
}

// ParseAuthorization parses a V1 ("OSS ak:signature"), V2 ("OSS2 AccessKeyId:ak,
// [AdditionalHeaders:a;b,]Signature:base64") or V4 ("OSS4-HMAC-SHA256
// Credential=ak/date/region/oss/aliyun_v4_request, Signature=hex[, AdditionalHeaders=a;b]")
// Authorization header. V2 and V4 fields may come in any order, separated by commas with
// optional spaces. It checks shape only; the caller verifies the signature by
// recomputing it.
func ParseAuthorization(v string) (ParsedAuth, error) {
	if rest, ok := strings.CutPrefix(v, v4Algorithm+" "); ok {
		return parseV4(rest)
	}
	if rest, ok := strings.CutPrefix(v, "OSS2 "); ok {
		return parseV2(rest)
	}
	if rest, ok := strings.CutPrefix(v, "OSS "); ok {
		return parseV1(rest)
	}
	return ParsedAuth{}, malformed("unknown scheme")
}

func parseV1(rest string) (ParsedAuth, error) {
	ak, sig, ok := strings.Cut(rest, ":")
	if !ok {
		return ParsedAuth{}, malformed("v1: missing ':'")
	}
	if !isToken(ak) {
		return ParsedAuth{}, malformed("v1: bad access key id")
	}
	if !isBase64(sig) {
		return ParsedAuth{}, malformed("v1: bad signature")
	}
	return ParsedAuth{Version: 1, AccessKeyID: ak, Signature: sig}, nil
}

func parseV4(rest string) (ParsedAuth, error) {
	p := ParsedAuth{Version: 4}
	seen := map[string]bool{}
	for _, field := range strings.Split(rest, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(field), "=")
		if !ok {
			return ParsedAuth{}, malformed("v4: field %q has no '='", field)
		}
		if seen[name] {
			return ParsedAuth{}, malformed("v4: duplicate %s", name)
		}
		seen[name] = true
		switch name {
		case "Credential":
			var err error
			if p.AccessKeyID, p.Date, p.Region, err = parseV4Credential(value); err != nil {
				return ParsedAuth{}, err
			}
		case "Signature":
			if !isLowerHex(value, 64) {
				return ParsedAuth{}, malformed("v4: bad signature")
			}
			p.Signature = value
		case "AdditionalHeaders":
			var err error
			if p.AdditionalHeaders, err = parseHeaderList(value); err != nil {
				return ParsedAuth{}, err
			}
		default:
			return ParsedAuth{}, malformed("v4: unknown field %q", name)
		}
	}
	if p.AccessKeyID == "" || p.Signature == "" {
		return ParsedAuth{}, malformed("v4: missing Credential or Signature")
	}
	return p, nil
}

// parseV4Credential splits "ak/yyyymmdd/region/oss/aliyun_v4_request".
func parseV4Credential(v string) (ak, day, region string, err error) {
	parts := strings.Split(v, "/")
	if len(parts) != 5 || parts[3] != v4Product || parts[4] != v4Terminator {
		return "", "", "", malformed("v4: bad credential scope")
	}
	if !isToken(parts[0]) || !isDigits(parts[1], 8) || !isToken(parts[2]) {
		return "", "", "", malformed("v4: bad credential")
	}
	return parts[0], parts[1], parts[2], nil
}

// parseHeaderList splits the ';'-separated header names of AdditionalHeaders.
func parseHeaderList(v string) ([]string, error) {
	var out []string
	for _, h := range strings.Split(v, ";") {
		if !isToken(h) {
			return nil, malformed("bad additional header %q", h)
		}
		out = append(out, h)
	}
	return out, nil
}

func parseV2(rest string) (ParsedAuth, error) {
	p := ParsedAuth{Version: 2}
	seen := map[string]bool{}
	for _, field := range strings.Split(rest, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(field), ":")
		if !ok {
			return ParsedAuth{}, malformed("v2: field %q has no ':'", field)
		}
		if seen[name] {
			return ParsedAuth{}, malformed("v2: duplicate %s", name)
		}
		seen[name] = true
		switch name {
		case "AccessKeyId":
			if !isToken(value) {
				return ParsedAuth{}, malformed("v2: bad access key id")
			}
			p.AccessKeyID = value
		case "Signature":
			if !isBase64(value) {
				return ParsedAuth{}, malformed("v2: bad signature")
			}
			p.Signature = value
		case "AdditionalHeaders":
			var err error
			if p.AdditionalHeaders, err = parseHeaderList(value); err != nil {
				return ParsedAuth{}, err
			}
		default:
			return ParsedAuth{}, malformed("v2: unknown field %q", name)
		}
	}
	if p.AccessKeyID == "" || p.Signature == "" {
		return ParsedAuth{}, malformed("v2: missing AccessKeyId or Signature")
	}
	return p, nil
}

// QueryAuth is what a presigned URL's query declares.
type QueryAuth struct {
	ParsedAuth
	// Expires is, for V1 and V2, the epoch second the URL expires at (it is signed where a
	// request's Date goes); for V4, the number of seconds after Time it is valid for.
	Expires int64
	// Stamp and Time are V4's x-oss-date, as sent and parsed.
	Stamp string
	Time  time.Time
}

// queryAuthNames are the parameters that make a URL a signed one: a request carrying any of
// them is verified as presigned, never served as anonymous.
var queryAuthNames = []string{QueryV1AccessKeyID, QueryV1Signature, QuerySignatureVersion, QuerySignature,
	QueryCredential, QueryAccessKeyID, QueryExpires, QueryAdditionalHeaders}

// HasQueryAuth reports whether query carries any parameter of a presigned URL's signature.
func HasQueryAuth(query url.Values) bool {
	for _, n := range queryAuthNames {
		if _, ok := query[n]; ok {
			return true
		}
	}
	return false
}

// ParseQueryAuth parses the signature of a presigned URL: V4 when x-oss-signature-version
// is OSS4-HMAC-SHA256 (x-oss-credential, x-oss-date, x-oss-expires, optional
// x-oss-additional-headers, x-oss-signature), V2 when it is OSS2 (x-oss-access-key-id,
// x-oss-expires, optional x-oss-additional-headers, x-oss-signature), else V1
// (OSSAccessKeyId, Expires, Signature). Each must appear once. It checks shape only.
func ParseQueryAuth(query url.Values) (QueryAuth, error) {
	r := &queryReader{q: query}
	version := r.get(QuerySignatureVersion, false)
	var qa QueryAuth
	switch version {
	case signatureVersionV4:
		qa.Version = 4
		cred := r.get(QueryCredential, true)
		qa.Stamp = r.get(QueryDate, true)
		expires := r.get(QueryExpires, true)
		qa.Signature = r.get(QuerySignature, true)
		additional := r.get(QueryAdditionalHeaders, false)
		if r.err != nil {
			return QueryAuth{}, r.err
		}
		var err error
		if qa.AccessKeyID, qa.Date, qa.Region, err = parseV4Credential(cred); err != nil {
			return QueryAuth{}, err
		}
		if qa.Time, err = time.Parse(V4TimeFormat, qa.Stamp); err != nil {
			return QueryAuth{}, malformed("v4 query: bad %s", QueryDate)
		}
		if qa.Expires, err = strconv.ParseInt(expires, 10, 64); err != nil || qa.Expires < 1 || qa.Expires > maxPresignedV4Expiration {
			return QueryAuth{}, malformed("v4 query: bad %s", QueryExpires)
		}
		if !isLowerHex(qa.Signature, 64) {
			return QueryAuth{}, malformed("v4 query: bad signature")
		}
		if additional != "" {
			if qa.AdditionalHeaders, err = parseHeaderList(additional); err != nil {
				return QueryAuth{}, err
			}
		}
	case signatureVersionV2:
		qa.Version = 2
		qa.AccessKeyID = r.get(QueryAccessKeyID, true)
		expires := r.get(QueryExpires, true)
		qa.Signature = r.get(QuerySignature, true)
		additional := r.get(QueryAdditionalHeaders, false)
		if r.err != nil {
			return QueryAuth{}, r.err
		}
		var err error
		if qa.Expires, err = strconv.ParseInt(expires, 10, 64); err != nil {
			return QueryAuth{}, malformed("v2 query: bad %s", QueryExpires)
		}
		if !isToken(qa.AccessKeyID) || !isBase64(qa.Signature) {
			return QueryAuth{}, malformed("v2 query: bad access key id or signature")
		}
		if additional != "" {
			if qa.AdditionalHeaders, err = parseHeaderList(additional); err != nil {
				return QueryAuth{}, err
			}
		}
	case "":
		qa.Version = 1
		qa.AccessKeyID = r.get(QueryV1AccessKeyID, true)
		expires := r.get(QueryV1Expires, true)
		qa.Signature = r.get(QueryV1Signature, true)
		if r.err != nil {
			return QueryAuth{}, r.err
		}
		var err error
		if qa.Expires, err = strconv.ParseInt(expires, 10, 64); err != nil {
			return QueryAuth{}, malformed("v1 query: bad %s", QueryV1Expires)
		}
		if !isToken(qa.AccessKeyID) || !isBase64(qa.Signature) {
			return QueryAuth{}, malformed("v1 query: bad access key id or signature")
		}
	default:
		return QueryAuth{}, malformed("query: unknown %s %q", QuerySignatureVersion, version)
	}
	return qa, nil
}

// queryReader reads single-valued parameters, keeping the first problem: a parameter
// given twice would leave the signed value ambiguous.
type queryReader struct {
	q   url.Values
	err error
}

func (r *queryReader) get(name string, required bool) string {
	vs := r.q[name]
	switch {
	case len(vs) > 1 && r.err == nil:
		r.err = malformed("query: %s given %d times", name, len(vs))
	case len(vs) == 0 && required && r.err == nil:
		r.err = malformed("query: missing %s", name)
	}
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// isToken reports whether s is non-empty printable ASCII without spaces or the
// separators the header formats use.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(",;:/=", c) >= 0 {
			return false
		}
	}
	return true
}

func isBase64(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

package signer

import (
	"errors"
	"fmt"
	"strings"
)

// ParsedAuth is what an Authorization header declares. For V1 only Version,
// AccessKeyID and Signature are set.
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

// ParseAuthorization parses a V1 ("OSS ak:signature") or V4 ("OSS4-HMAC-SHA256
// Credential=ak/date/region/oss/aliyun_v4_request, Signature=hex[, AdditionalHeaders=a;b]")
// Authorization header. V4 fields may come in any order, separated by commas with
// optional spaces. It checks shape only; the caller verifies the signature by
// recomputing it.
func ParseAuthorization(v string) (ParsedAuth, error) {
	if rest, ok := strings.CutPrefix(v, v4Algorithm+" "); ok {
		return parseV4(rest)
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
			parts := strings.Split(value, "/")
			if len(parts) != 5 || parts[3] != v4Product || parts[4] != v4Terminator {
				return ParsedAuth{}, malformed("v4: bad credential scope")
			}
			if !isToken(parts[0]) || !isDigits(parts[1], 8) || !isToken(parts[2]) {
				return ParsedAuth{}, malformed("v4: bad credential")
			}
			p.AccessKeyID, p.Date, p.Region = parts[0], parts[1], parts[2]
		case "Signature":
			if !isLowerHex(value, 64) {
				return ParsedAuth{}, malformed("v4: bad signature")
			}
			p.Signature = value
		case "AdditionalHeaders":
			for _, h := range strings.Split(value, ";") {
				if !isToken(h) {
					return ParsedAuth{}, malformed("v4: bad additional header %q", h)
				}
				p.AdditionalHeaders = append(p.AdditionalHeaders, h)
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

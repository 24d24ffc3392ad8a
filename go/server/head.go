package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// The connection loop (conn.go) reads the common request heads itself. parseHead accepts only
// what it can turn into the *http.Request net/http would build; anything else (another protocol
// version, a method outside the usual ones, an absolute or odd target, a folded or malformed
// header line, a body framing other than Content-Length, Expect, Upgrade, a missing, repeated or
// unusual Host) makes it return nil, and the connection, with the bytes read so far, goes to
// net/http, which answers it as it always has (a 400, a 417, a 100 Continue, ...).

// methods interns the request methods the loop serves itself.
var methods = [...]string{http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodOptions}

// commonKeys interns the request header names clients send most, so the map keys of a request
// cost no allocation.
var commonKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"Accept", "Accept-Encoding", "Authorization", "Cache-Control", "Connection",
		"Content-Disposition", "Content-Encoding", "Content-Length", "Content-Md5", "Content-Type", "Date",
		"Expires", "Host", "If-Match", "If-Modified-Since", "If-None-Match", "If-Unmodified-Since", "Range",
		"User-Agent", "X-Oss-Content-Sha256", "X-Oss-Date", "X-Oss-Security-Token", "X-Oss-Copy-Source",
		"X-Oss-Object-Acl", "X-Oss-Storage-Class", "X-Oss-Forbid-Overwrite", "X-Oss-Range-Behavior",
		"X-Oss-Traffic-Limit", "X-Oss-Additional-Headers"} {
		m[k] = k
	}
	return m
}()

// parseHead builds the request for head, which is the request line and header lines, each
// ending in CRLF, then the empty line, from base (which gives its context). It returns nil for
// anything it does not serve exactly.
func parseHead(head string, base *http.Request) *http.Request {
	line, rest, _ := strings.Cut(head, "\r\n")
	method, rest1, ok1 := strings.Cut(line, " ")
	uri, proto, ok2 := strings.Cut(rest1, " ")
	if !ok1 || !ok2 || proto != "HTTP/1.1" || uri == "" || uri[0] != '/' {
		return nil
	}
	known := false
	for _, m := range methods {
		if method == m {
			method, known = m, true
			break
		}
	}
	if !known {
		return nil
	}
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return nil
	}
	lines := strings.Count(rest, "\r\n") - 1 // the last one ends the head
	if lines < 1 {
		return nil // no Host
	}
	h := make(http.Header, lines)
	values := make([]string, lines) // one allocation for every header's value slice
	var key [64]byte
	for i := 0; i < lines; i++ {
		line, rest, _ = strings.Cut(rest, "\r\n")
		name, value, ok := strings.Cut(line, ":")
		if !ok || len(name) == 0 || len(name) > len(key) {
			return nil
		}
		k := key[:len(name)]
		if !canonicalKey(k, name) {
			return nil
		}
		canon, interned := commonKeys[string(k)]
		if !interned {
			if string(k) == name {
				canon = name
			} else {
				canon = string(k)
			}
		}
		value = strings.Trim(value, " \t")
		if !validValue(value) {
			return nil
		}
		values[i] = value
		if prev, ok := h[canon]; ok {
			h[canon] = append(prev, value)
		} else {
			h[canon] = values[i : i+1 : i+1]
		}
	}
	hosts := h["Host"]
	cl, length := h["Content-Length"], int64(0)
	switch {
	case len(hosts) != 1 || !plainHost(hosts[0]),
		len(cl) > 1, len(h["Connection"]) > 1, h["Transfer-Encoding"] != nil, h["Expect"] != nil, h["Upgrade"] != nil:
		return nil
	case len(cl) == 1:
		if length = digits(cl[0]); length < 0 {
			return nil
		}
	}
	delete(h, "Host")
	// As net/http does for HTTP/1.0 caches (RFC 7234 section 5.4).
	if p := h["Pragma"]; len(p) > 0 && p[0] == "no-cache" && h["Cache-Control"] == nil {
		h["Cache-Control"] = []string{"no-cache"}
	}
	r := new(http.Request)
	*r = *base
	r.Method, r.URL, r.Proto, r.ProtoMajor, r.ProtoMinor, r.Header = method, u, proto, 1, 1, h
	r.ContentLength, r.Close, r.Host, r.RequestURI = length, closeToken(h["Connection"]), hosts[0], uri
	return r
}

// canonicalKey writes name's canonical form (textproto's) into k, and tells whether name is a
// valid header name (a token).
func canonicalKey(k []byte, name string) bool {
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isToken(c) {
			return false
		}
		switch {
		case upper && 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case !upper && 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		k[i] = c
		upper = c == '-'
	}
	return true
}

func isToken(c byte) bool { return tokenBytes[c] }

// tokenBytes are the bytes of a token (RFC 9110 section 5.6.2).
var tokenBytes = func() (t [256]bool) {
	for _, c := range []byte("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") {
		t[c] = true
	}
	return t
}()

// validValue refuses control characters but tab, as net/http does.
func validValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// plainHost accepts the Host values of ordinary clients (names, IPv4 and bracketed IPv6
// addresses, a port); net/http judges the rest.
func plainHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(".-:[]_", c) >= 0) {
			return false
		}
	}
	return true
}

// digits is the value of a Content-Length of 1 to 18 decimal digits, or -1.
func digits(s string) int64 {
	if len(s) == 0 || len(s) > 18 {
		return -1
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return -1
		}
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// closeToken tells whether the Connection values name "close" as an element of a
// comma-separated list (case-insensitive), which is how net/http sets Request.Close.
func closeToken(values []string) bool {
	for _, v := range values {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.Trim(f, " \t"), "close") {
				return true
			}
		}
	}
	return false
}

// hasToken tells whether v holds token (case-insensitive) between separators (space, tab,
// comma) or its ends: how net/http decides a request wants its connection closed.
func hasToken(v, token string) bool {
	boundary := func(i int) bool { return i < 0 || i >= len(v) || v[i] == ' ' || v[i] == ',' || v[i] == '\t' }
	for i := 0; i+len(token) <= len(v); i++ {
		if strings.EqualFold(v[i:i+len(token)], token) && boundary(i-1) && boundary(i+len(token)) {
			return true
		}
	}
	return false
}

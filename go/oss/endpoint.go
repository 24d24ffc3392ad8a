package oss

import (
	"fmt"
	"net"
	"strings"
	"unicode"
)

// Endpoint is an endpoint as ParseEndpoint reads it, the one rule every caller follows (the
// client, the CLI, and pyjindo's Bucket and Service, which ask go/ops's "endpoint").
type Endpoint struct {
	Scheme string // "http" or "https"
	Host   string // host[:port]; an IPv6 address in brackets
	// IPOrLocalhost: the host is an IP address or localhost, which cannot carry a bucket label,
	// so requests use path style (oss2's rule).
	IPOrLocalhost bool
	// Region is the region an OSS endpoint names (oss-cn-hangzhou[-internal].aliyuncs.com, also
	// behind a bucket label: cn-hangzhou), for V4 signing when none is given; "" otherwise.
	Region string
}

// URL is the endpoint with its scheme, as oss2 keeps it (http://oss-cn-hangzhou.aliyuncs.com).
func (e Endpoint) URL() string { return e.Scheme + "://" + e.Host }

// ParseEndpoint reads an endpoint as oss2 accepts one: http:// or https:// (none means http),
// a host name of letters, digits, '_', '.' and '-' (oss2's \w), or an IP address (IPv6 in
// brackets, which oss2's check refuses although its client can use it), and an optional port.
// Surrounding spaces and trailing slashes are ignored; anything else (a path, a query, another
// scheme) is a ClientError with oss2's message.
func ParseEndpoint(raw string) (Endpoint, error) {
	bad := &ClientError{Message: fmt.Sprintf("The endpoint you has specified is not valid, endpoint: %s", raw)}
	ep := strings.TrimSpace(raw)
	e := Endpoint{Scheme: "http"}
	if i := strings.Index(ep, "://"); i >= 0 {
		e.Scheme, ep = strings.ToLower(ep[:i]), ep[i+3:]
	}
	ep = strings.TrimRight(ep, "/")
	if e.Scheme != "http" && e.Scheme != "https" {
		return Endpoint{}, bad
	}
	host, port := ep, ""
	if h, p, err := net.SplitHostPort(ep); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(ep, "[") && strings.HasSuffix(ep, "]") {
		host = ep[1 : len(ep)-1]
	}
	ip := net.ParseIP(host)
	if strings.HasPrefix(ep, "[") != (ip != nil && strings.Contains(host, ":")) {
		return Endpoint{}, bad // brackets hold an IPv6 address, and an IPv6 address needs them
	}
	if !isDecimal(port, port != "" || strings.HasSuffix(ep, ":")) || (ip == nil && !isHostName(host)) {
		return Endpoint{}, bad
	}
	e.Host = ep
	e.IPOrLocalhost = ip != nil || host == "localhost"
	e.Region = regionOf(strings.ToLower(host))
	return e, nil
}

func isHostName(h string) bool {
	return h != "" && strings.IndexFunc(h, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' || r == '-')
	}) < 0
}

// isDecimal: s is digits, and not empty when required.
func isDecimal(s string, required bool) bool {
	if s == "" {
		return !required
	}
	return strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

// regionOf reads the region of an OSS endpoint's host: the label before .aliyuncs.com is
// oss-<region> or oss-<region>-internal.
func regionOf(host string) string {
	rest, ok := strings.CutSuffix(host, ".aliyuncs.com")
	if !ok {
		return ""
	}
	label := rest[strings.LastIndex(rest, ".")+1:]
	region, ok := strings.CutPrefix(label, "oss-")
	if !ok || region == "accelerate" || region == "accelerate-overseas" {
		return "" // the global acceleration endpoints name no region
	}
	return strings.TrimSuffix(region, "-internal")
}

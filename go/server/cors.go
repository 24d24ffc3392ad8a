package server

import (
	"encoding/xml"
	"strings"
)

// CORS: the bucket's rules (?cors) and the preflight OPTIONS request browsers send before a
// cross-origin request, answered from the first rule that allows the origin, the method and every
// requested header.

type corsRule struct {
	AllowedOrigin []string
	AllowedMethod []string
	AllowedHeader []string
	ExposeHeader  []string
	MaxAgeSeconds string
}

type corsConfig struct {
	XMLName xml.Name   `xml:"CORSConfiguration"`
	Rules   []corsRule `xml:"CORSRule"`
}

const maxCORSRules = 10

func checkCORS(_ *request, raw []byte) *ossError {
	var c corsConfig
	if e := decodeXML(raw, &c); e != nil {
		return e
	}
	if len(c.Rules) == 0 || len(c.Rules) > maxCORSRules {
		return errMalformedXML()
	}
	for _, r := range c.Rules {
		if len(r.AllowedOrigin) == 0 || len(r.AllowedMethod) == 0 {
			return errMalformedXML()
		}
		for _, m := range r.AllowedMethod {
			if !oneOf(m, "GET", "PUT", "DELETE", "POST", "HEAD") {
				return errInvalidArgument("AllowedMethod", m, "The AllowedMethod you specified is not supported.")
			}
		}
		for _, p := range append(append([]string{}, r.AllowedOrigin...), r.AllowedHeader...) {
			if strings.Count(p, "*") > 1 {
				return errInvalidArgument("CORSRule", p, "An AllowedOrigin or AllowedHeader can have at most one wildcard (*).")
			}
		}
	}
	return nil
}

// wildcardMatch matches s against a pattern holding at most one '*'.
func wildcardMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	before, after, star := strings.Cut(pattern, "*")
	if !star {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) && strings.HasSuffix(s, after)
}

func (r corsRule) allows(origin, method string, headers []string) bool {
	ok := false
	for _, o := range r.AllowedOrigin {
		ok = ok || wildcardMatch(o, origin, false)
	}
	if !ok || !oneOf(method, r.AllowedMethod...) {
		return false
	}
	for _, h := range headers {
		found := false
		for _, p := range r.AllowedHeader {
			found = found || wildcardMatch(p, h, true)
		}
		if !found {
			return false
		}
	}
	return true
}

func errCORSForbidden(msg string) *ossError {
	return &ossError{Status: 403, Code: "AccessForbidden", Message: "CORSResponse: " + msg, EC: "0003-00000001"}
}

// preflight answers OPTIONS on a bucket or an object.
func (rq *request) preflight() *ossError {
	b, err := rq.s.cfg.Store.Bucket(rq.bucket)
	if err != nil {
		return storeError(err, rq.bucket, "")
	}
	origin, method := rq.r.Header.Get("Origin"), rq.r.Header.Get("Access-Control-Request-Method")
	if origin == "" || method == "" {
		return errInvalidArgument("Origin", origin, "Insufficient information. Origin request header and Access-Control-Request-Method needed.")
	}
	var headers []string
	for _, h := range strings.Split(rq.r.Header.Get("Access-Control-Request-Headers"), ",") {
		if h = strings.TrimSpace(h); h != "" {
			headers = append(headers, h)
		}
	}
	doc, ok := b.Configs["cors"]
	if !ok {
		return errCORSForbidden("CORS is not enabled for this bucket.")
	}
	var c corsConfig
	xml.Unmarshal([]byte(doc), &c)
	for _, r := range c.Rules {
		if !r.allows(origin, method, headers) {
			continue
		}
		h := rq.w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		if oneOf("*", r.AllowedOrigin...) {
			h.Set("Access-Control-Allow-Origin", "*")
		}
		h.Set("Access-Control-Allow-Methods", strings.Join(r.AllowedMethod, ", "))
		if len(headers) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(headers, ", "))
		}
		if len(r.ExposeHeader) > 0 {
			h.Set("Access-Control-Expose-Headers", strings.Join(r.ExposeHeader, ", "))
		}
		if r.MaxAgeSeconds != "" {
			h.Set("Access-Control-Max-Age", r.MaxAgeSeconds)
		}
		h.Set("Content-Length", "0")
		return nil
	}
	return errCORSForbidden("This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Requet-Headers are not whitelisted by the resource's CORS spec.")
}

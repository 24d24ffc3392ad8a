package server

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pyjindo/pyjindo/go/oss/signer"
	"github.com/pyjindo/pyjindo/go/server/store"
)

func FuzzParseRange(f *testing.F) {
	for _, s := range []string{"bytes=0-9", "bytes=-5", "bytes=5-", "bytes=9-1", "bytes=-0", "bytes=0-1,2-3",
		" bytes = 1-2", "bytes=99999999999999999999-", "bytes=-9223372036854775807", "bytes=--1", "bytes=+1-2"} {
		for _, size := range []int64{0, 1, 10, 1 << 40} {
			f.Add(s, size)
		}
	}
	f.Fuzz(func(t *testing.T, v string, size int64) {
		if size < 0 {
			t.Skip() // object sizes are never negative
		}
		start, end, ok, valid, _ := parseRange(v, size)
		if valid && !ok {
			t.Fatalf("parseRange(%q, %d): valid but not ok", v, size)
		}
		if ok && valid && !(0 <= start && start <= end && end < size) {
			t.Fatalf("parseRange(%q, %d) = %d, %d: outside the object", v, size, start, end)
		}
	})
}

func FuzzServeRequest(f *testing.F) {
	mem := store.NewMemory(nil)
	if _, err := mem.CreateBucket("bkt"); err != nil {
		f.Fatal(err)
	}
	if _, err := mem.Put("bkt", "obj", bytes.NewReader([]byte("0123456789")), store.Attrs{}, store.PutOptions{}); err != nil {
		f.Fatal(err)
	}
	if _, err := mem.Append("bkt", "app", 0, bytes.NewReader([]byte("ab")), store.Attrs{}, store.PutOptions{}); err != nil {
		f.Fatal(err)
	}
	s := New(Config{Store: mem, Credentials: map[string]string{"ak": "sk"}, Anonymous: true})

	signed := http.Header{}
	signer.SignV1("GET", "bkt", "obj", url.Values{}, signed, testCreds, time.Now())
	seeds := []struct {
		method, host, path, query, hname, hvalue string
		body                                     []byte
	}{
		{"GET", "127.0.0.1", "/bkt/obj", "", "Range", "bytes=2-5", nil},
		{"HEAD", "127.0.0.1", "/bkt/missing", "", "", "", nil},
		{"GET", "127.0.0.1", "/bkt/obj", "", "Authorization", signed.Get("Authorization"), nil},
		{"GET", "127.0.0.1", "/bkt/obj", "", "Authorization", "OSS4-HMAC-SHA256 Credential=ak/20250101/cn-hangzhou/oss/aliyun_v4_request, Signature=00", nil},
		{"GET", "bkt.localhost", "/obj", "response-content-type=x", "x-oss-range-behavior", "standard", nil},
		{"PUT", "127.0.0.1", "/bkt/new", "", "Content-MD5", "AAAAAAAAAAAAAAAAAAAAAA==", []byte("x")},
		{"POST", "127.0.0.1", "/bkt/", "delete", "Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==", nil},
		{"POST", "127.0.0.1", "/bkt/app", "append&position=2", "", "", []byte("cd")},
		{"POST", "127.0.0.1", "/bkt/mp", "uploadId=x", "x-oss-complete-all", "yes", nil},
		{"GET", "127.0.0.1", "/bkt/", "list-type=2&continuation-token=%%%", "", "", nil},
		{"GET", "127.0.0.1", "/bkt/", "delimiter=/&max-keys=0&encoding-type=url", "", "", nil},
		{"PUT", "127.0.0.1", "/bkt/copy", "", "x-oss-copy-source", "/bkt/obj", nil},
		{"GET", "127.0.0.1", "/bkt/", "uploads&delimiter=/&prefix=a", "", "", nil},
		{"GET", "", "*", "a=%zz", "", "", nil},
		{"GET", "127.0.0.1", "/", "OSSAccessKeyId=ak&Expires=1&Signature=x", "", "", nil},
	}
	for _, sd := range seeds {
		f.Add(sd.method, sd.host, sd.path, sd.query, sd.hname, sd.hvalue, sd.body)
	}
	f.Fuzz(func(t *testing.T, method, host, path, query, hname, hvalue string, body []byte) {
		u := &url.URL{Path: path, RawQuery: query}
		if parsed, err := url.ParseRequestURI(path); err == nil {
			u = parsed
			u.RawQuery = query
		}
		r := &http.Request{
			Method:        method,
			URL:           u,
			Proto:         "HTTP/1.1",
			ProtoMajor:    1,
			ProtoMinor:    1,
			Host:          host,
			RequestURI:    u.RequestURI(),
			Header:        http.Header{},
			Body:          io.NopCloser(bytes.NewReader(body)),
			ContentLength: int64(len(body)),
		}
		if hname != "" {
			r.Header[hname] = []string{hvalue}
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Header().Get("x-oss-request-id") == "" {
			t.Fatalf("%s %q?%q: no x-oss-request-id", method, path, query)
		}
		if w.Code < 200 || w.Code > 599 {
			t.Fatalf("status %d", w.Code)
		}
	})
}

// Any key, written into a batch delete as oss2 writes it (raw, with only &, < and > escaped) or
// with U+E000 as a character reference, decodes back to itself: the escaping of characters XML
// forbids cannot turn one key into another.
func FuzzDeleteKeyRoundTrip(f *testing.F) {
	for _, k := range []string{"plain", "a\ue000A", "a\x01", "\uffff\ufffe", "cr\r\n", "\ue000\ue000", "]]>", "&#xE000;"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		if !utf8.ValidString(key) || strings.IndexByte(key, 0) >= 0 {
			return
		}
		for _, text := range []string{
			strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(key),
			strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\ue000", "&#xE000;").Replace(key),
		} {
			req, e := decodeDelete([]byte("<Delete><Object><Key>" + text + "</Key></Object></Delete>"))
			if e != nil {
				t.Fatalf("%q: %v", key, e)
			}
			if got := req.Objects[0].Key; got != key {
				t.Fatalf("%q came back as %q", key, got)
			}
		}
	})
}

// FuzzSignedRequestsNeedTheSecret: a request that carries a signature (an Authorization
// header or any query signature parameter) is never served by a server that does not
// hold the secret it was signed with, even one that serves unsigned requests. The seeds
// are V1, V2 and V4 header signatures and presigned URLs made with the secret "sk"; each
// is first shown to be accepted by a server that holds it, so the property is not vacuous.
func FuzzSignedRequestsNeedTheSecret(f *testing.F) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	newAnonServer := func(secret string) *Server {
		mem := store.NewMemory(nil)
		for _, b := range []string{"bkt", "other"} {
			if _, err := mem.CreateBucket(b); err != nil {
				f.Fatal(err)
			}
			if _, err := mem.Put(b, "obj", bytes.NewReader([]byte("0123456789")), store.Attrs{}, store.PutOptions{}); err != nil {
				f.Fatal(err)
			}
		}
		return New(Config{Store: mem, Credentials: map[string]string{"ak": secret}, Anonymous: true,
			Region: "cn-hangzhou", Now: func() time.Time { return now }})
	}
	// headers travel as one "Name: value" per line, so the fuzzer can add, drop and alter any.
	headerText := func(h http.Header) string {
		var b strings.Builder
		for k, vs := range h {
			for _, v := range vs {
				b.WriteString(k + ": " + v + "\n")
			}
		}
		return b.String()
	}
	parseHeaders := func(text string) http.Header {
		h := http.Header{}
		for _, line := range strings.Split(text, "\n") {
			if name, value, ok := strings.Cut(line, ": "); ok {
				h.Add(name, value)
			}
		}
		return h
	}
	encode := func(pairs [][2]string) string {
		parts := make([]string, len(pairs))
		for i, kv := range pairs {
			parts[i] = url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1])
		}
		return strings.Join(parts, "&")
	}
	serveOne := func(s *Server, method, host, path, query, headers string, body []byte) (*http.Request, int) {
		u := &url.URL{Path: path, RawQuery: query}
		if parsed, err := url.ParseRequestURI(path); err == nil {
			u = parsed
			u.RawQuery = query
		}
		r := &http.Request{Method: method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Host: host,
			RequestURI: u.RequestURI(), Header: parseHeaders(headers),
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body))}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return r, w.Code
	}

	creds := signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}
	sts := signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: "token"}
	type seed struct {
		method, host, path, query string
		header                    http.Header
		body                      []byte
	}
	var seeds []seed
	for _, c := range []signer.Credentials{creds, sts} {
		h := http.Header{}
		signer.SignV1("GET", "bkt", "obj", url.Values{}, h, c, now)
		seeds = append(seeds, seed{"GET", "127.0.0.1", "/bkt/obj", "", h, nil})

		h = http.Header{"Range": {"bytes=0-3"}}
		signer.SignV2("GET", "bkt", "obj", url.Values{}, h, c, now)
		seeds = append(seeds, seed{"GET", "bkt.localhost", "/obj", "", h, nil})

		// signed with its Host, which net/http then moves out of the header into r.Host
		h = http.Header{"Content-Type": {"text/plain"}, "X-Oss-Meta-A": {"b"}, "Host": {"127.0.0.1"}}
		signer.SignV4("PUT", "bkt", "new", url.Values{}, h, "cn-hangzhou", []string{"host"}, c, now)
		h.Del("Host")
		seeds = append(seeds, seed{"PUT", "127.0.0.1", "/bkt/new", "", h, []byte("body")})

		h = http.Header{}
		signer.SignV4("GET", "bkt", "", url.Values{"prefix": {"o"}, "max-keys": {"1"}}, h, "cn-hangzhou", nil, c, now)
		seeds = append(seeds, seed{"GET", "127.0.0.1", "/bkt/", "prefix=o&max-keys=1", h, nil})
	}
	for _, c := range []signer.Credentials{creds, sts} {
		seeds = append(seeds,
			seed{"GET", "127.0.0.1", "/bkt/obj", encode(signer.PresignV1("GET", "bkt", "obj", nil, nil, c, now, 60)), http.Header{}, nil},
			seed{"PUT", "127.0.0.1", "/bkt/new", encode(signer.PresignV1("PUT", "bkt", "new", nil,
				http.Header{"Content-Type": {"text/plain"}}, c, now, 60)), http.Header{"Content-Type": {"text/plain"}}, []byte("b")},
			seed{"GET", "127.0.0.1", "/bkt/obj", encode(signer.PresignV2("GET", "bkt", "obj", [][2]string{{"response-content-type", "x"}},
				http.Header{"Range": {"bytes=1-2"}}, []string{"range"}, c, now, 60)), http.Header{"Range": {"bytes=1-2"}}, nil},
			seed{"GET", "bkt.localhost", "/obj", encode(signer.PresignV4("GET", "bkt", "obj", nil,
				http.Header{"Range": {"bytes=1-2"}}, "cn-hangzhou", []string{"range"}, c, now, 60)), http.Header{"Range": {"bytes=1-2"}}, nil},
			seed{"DELETE", "127.0.0.1", "/bkt/gone", encode(signer.PresignV4("DELETE", "bkt", "gone", nil, nil, "cn-hangzhou", nil, c, now, 60)),
				http.Header{}, nil},
		)
	}

	right := newAnonServer("sk")
	for _, sd := range seeds {
		if _, code := serveOne(right, sd.method, sd.host, sd.path, sd.query, headerText(sd.header), sd.body); code/100 != 2 {
			f.Fatalf("seed %s %s%s?%s is refused (%d) by the server holding its secret", sd.method, sd.host, sd.path, sd.query, code)
		}
		f.Add(sd.method, sd.host, sd.path, sd.query, headerText(sd.header), sd.body)
	}

	wrong := newAnonServer("not-sk")
	f.Fuzz(func(t *testing.T, method, host, path, query, headers string, body []byte) {
		r, code := serveOne(wrong, method, host, path, query, headers, body)
		_, hasAuthz := r.Header["Authorization"]
		q, _ := url.ParseQuery(query)
		if code/100 == 2 && (hasAuthz || signer.HasQueryAuth(q)) {
			t.Fatalf("served (%d) with another secret: %s %s%s?%s\n%s", code, method, host, path, query, headers)
		}
	})
}

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

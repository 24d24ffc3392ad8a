package server

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/signer"
	"github.com/pyjindo/pyjindo/go/server/store"
)

// serve runs a server for cfg (a store with bucket "bkt" and the key pair ak/sk by default)
// and returns its host:port.
func serve(t *testing.T, cfg Config) string {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = store.NewMemory(nil)
		cfg.Store.CreateBucket("bkt")
	}
	return strings.TrimPrefix(serveShaped(t, cfg), "http://")
}

// raw sends bytes on a fresh connection and returns what comes back before the server closes it
// or the deadline passes.
func raw(t *testing.T, addr, req string, wait time.Duration) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write([]byte(req))
	c.SetReadDeadline(time.Now().Add(wait))
	b, _ := io.ReadAll(c)
	return string(b)
}

func TestOversizedHeadersAreRefused(t *testing.T) {
	addr := serve(t, Config{})
	resp := raw(t, addr, "GET /bkt/k HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 100<<10)+"\r\n\r\n", 5*time.Second)
	if !strings.HasPrefix(resp, "HTTP/1.1 431") {
		t.Fatalf("got %.80q", resp)
	}
}

func TestSlowHeadersAreCutOff(t *testing.T) {
	addr := serve(t, Config{ReadHeaderTimeout: 200 * time.Millisecond})
	start := time.Now()
	raw(t, addr, "GET /bkt/k HTTP/1.1\r\nHost: x\r\n", 10*time.Second) // never finishes its headers
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("connection held for %v", d)
	}
}

func TestStalledBodyIsCutOff(t *testing.T) {
	st := store.NewMemory(nil)
	st.CreateBucket("bkt")
	addr := serve(t, Config{Store: st, BodyIdleTimeout: 200 * time.Millisecond, Anonymous: true})
	start := time.Now()
	// Declares 1000 bytes, sends 3, then nothing.
	resp := raw(t, addr, "PUT /bkt/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc", 10*time.Second)
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("connection held for %v", d)
	}
	if _, err := st.Stat("bkt", "k"); err == nil {
		t.Fatalf("a partial object was stored; response %.120q", resp)
	}
}

func TestHugeDeclaredBodyIsRefused(t *testing.T) {
	addr := serve(t, Config{Anonymous: true})
	resp := raw(t, addr, "PUT /bkt/k HTTP/1.1\r\nHost: x\r\nContent-Length: 6000000000\r\n\r\nabc", 5*time.Second)
	if !strings.HasPrefix(resp, "HTTP/1.1 400") || !strings.Contains(resp, "<Code>EntityTooLarge</Code>") {
		t.Fatalf("got %.200q", resp)
	}
}

func TestOversizedXMLBodyIsRefused(t *testing.T) {
	addr := serve(t, Config{Anonymous: true})
	body := strings.Repeat("<Object><Key>k</Key></Object>", 100000) // 3 MB
	req, _ := http.NewRequest("POST", "http://"+addr+"/bkt/?delete", strings.NewReader(body))
	req.Header.Set("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// The log (--verbose) never shows a secret, a signature or a presigned URL's token.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs bytes.Buffer
	addr := serve(t, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	h := http.Header{}
	signer.SignV1("GET", "bkt", "k", nil, h, signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}, time.Now())
	req, _ := http.NewRequest("GET", "http://"+addr+"/bkt/k", nil)
	req.Header = h
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	sig := strings.TrimPrefix(h.Get("Authorization"), "OSS ak:")
	presigned := "http://" + addr + "/bkt/k?OSSAccessKeyId=ak&Expires=9999999999&Signature=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D"
	if resp, err := http.Get(presigned); err == nil {
		resp.Body.Close()
	}
	out := logs.String()
	for _, secret := range []string{"sk\"", "sk ", sig, "c2VjcmV0LXNpZ25hdHVyZQ"} {
		if strings.Contains(out, secret) {
			t.Fatalf("log holds %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "REDACTED") || strings.Count(out, "request") < 2 {
		t.Fatalf("log lines missing:\n%s", out)
	}
}

// A key that climbs out of its directory is refused with InvalidObjectName and nothing is stored.
func TestTraversalKeysAreRefused(t *testing.T) {
	st := store.NewMemory(nil)
	st.CreateBucket("bkt")
	addr := serve(t, Config{Store: st, Anonymous: true})
	c, _ := net.Dial("tcp", addr)
	defer c.Close()
	br := bufio.NewReader(c)
	c.Write([]byte("PUT /bkt/../../etc/passwd HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"))
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<Code>InvalidObjectName</Code>") {
		t.Fatalf("status %d\n%s", resp.StatusCode, body)
	}
	n := 0
	st.List("bkt", store.ListOptions{}, func(store.ObjectInfo) bool { n++; return true })
	if n != 0 {
		t.Fatalf("%d objects stored", n)
	}
}

// heldOpen sends req on a fresh connection and reads until the server closes it or the bound
// passes. It returns what arrived and whether the server closed the connection in time.
func heldOpen(t *testing.T, addr, req string, bound time.Duration) (string, bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Error(err)
		return "", false
	}
	defer c.Close()
	if _, err := c.Write([]byte(req)); err != nil {
		t.Error(err)
		return "", false
	}
	c.SetReadDeadline(time.Now().Add(bound))
	b, err := io.ReadAll(c)
	return string(b), err == nil
}

// A request that declares a body and never sends it must not hold the connection: an answer that
// does not need the body (failed authentication, a GET with a body, any error) goes out at once
// and the connection closes, for many such clients at the same time.
func TestUnsentBodiesDoNotHoldConnections(t *testing.T) {
	st := store.NewMemory(nil)
	st.CreateBucket("bkt")
	addr := serve(t, Config{Store: st, BodyIdleTimeout: 300 * time.Millisecond})
	cases := map[string]string{
		"unsigned put": "PUT /bkt/k HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n",
		"bad signature": "PUT /bkt/k HTTP/1.1\r\nHost: x\r\nDate: " + time.Now().UTC().Format(http.TimeFormat) +
			"\r\nAuthorization: OSS ak:AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\nContent-Length: 100\r\n\r\n",
		"unsigned chunked": "PUT /bkt/k HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
		"get with a body":  "GET /bkt/k HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n",
		"expect continue":  "PUT /bkt/k HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n",
	}
	const clients = 40 // per case, all at once
	type result struct {
		name, resp string
		closed     bool
	}
	results := make(chan result, clients*len(cases))
	for name, req := range cases {
		for range clients {
			go func() {
				resp, closed := heldOpen(t, addr, req, 10*time.Second)
				results <- result{name, resp, closed}
			}()
		}
	}
	for range clients * len(cases) {
		r := <-results
		if !r.closed {
			t.Fatalf("%s: connection still open after 10s; got %.100q", r.name, r.resp)
		}
		if !strings.HasPrefix(r.resp, "HTTP/1.1 403") || !strings.Contains(r.resp, "Connection: close") {
			t.Fatalf("%s: got %.200q", r.name, r.resp)
		}
	}
}

// The XML bodies of a signed DeleteMultipleObjects or CompleteMultipartUpload are read under the
// body timeout: a body that stalls is answered RequestTimeout and the connection closed.
func TestStalledXMLBodiesAreCutOff(t *testing.T) {
	st := store.NewMemory(nil)
	st.CreateBucket("bkt")
	u, err := st.InitUpload("bkt", "k", store.Attrs{})
	if err != nil {
		t.Fatal(err)
	}
	addr := serve(t, Config{Store: st, BodyIdleTimeout: 300 * time.Millisecond})
	for _, c := range []struct{ method, key, query string }{
		{"POST", "", "delete"},
		{"POST", "k", "uploadId=" + u.UploadID},
	} {
		h := http.Header{}
		h.Set("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")
		h.Set("Content-Type", "application/xml")
		q, _ := url.ParseQuery(c.query)
		signer.SignV1(c.method, "bkt", c.key, q, h, signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}, time.Now())
		var req strings.Builder
		req.WriteString(c.method + " /bkt/" + c.key + "?" + c.query + " HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n")
		for k, vs := range h {
			req.WriteString(k + ": " + vs[0] + "\r\n")
		}
		req.WriteString("\r\n<Delete><Object>") // and then nothing more
		resp, closed := heldOpen(t, addr, req.String(), 10*time.Second)
		if !closed {
			t.Fatalf("%s ?%s: connection still open after 10s; got %.100q", c.method, c.query, resp)
		}
		if !strings.HasPrefix(resp, "HTTP/1.1 400") || !strings.Contains(resp, "<Code>RequestTimeout</Code>") {
			t.Fatalf("%s ?%s: got %.300q", c.method, c.query, resp)
		}
	}
}

// A deeply nested request document is refused before it is decoded, at a small multiple of its
// size in allocations (decoding it cost about 26 times its size).
func TestNestedXMLIsRefusedCheaply(t *testing.T) {
	st := store.NewMemory(nil)
	st.CreateBucket("bkt")
	s := New(Config{Store: st, Anonymous: true})
	for _, c := range []struct {
		name, body string
		limit      uint64
	}{
		{"deep", "<Delete>" + strings.Repeat("<a>", 200000) + strings.Repeat("</a>", 200000) + "</Delete>", 6 * 1400000},
		// Refused at the element limit, whatever its size: the allocations stay bounded.
		{"broad", "<Delete>" + strings.Repeat("<Object><Key>k</Key></Object>", 60000) + "</Delete>", 10 << 20},
		// Attributes are refused by a byte scan, before the tokenizer allocates them all at once.
		{"attributes", "<Delete><Object" + attrs(0, maxRequestXML-100) + "><Key>k</Key></Object></Delete>", 3 * maxRequestXML},
		{"more attributes", "<Delete><Object" + attrs(0, maxDeleteXML-100) + "><Key>k</Key></Object></Delete>", 3 * maxDeleteXML},
		{"attributes everywhere", "<Delete>" + strings.Repeat("<Object"+attrs(0, 20)+"><Key>k</Key></Object>", 30000) + "</Delete>", 3 * maxRequestXML},
	} {
		name, body := c.name, c.body
		sum := md5.Sum([]byte(body))
		req := httptest.NewRequest("POST", "/bkt/?delete", strings.NewReader(body))
		req.Header.Set("Content-MD5", base64.StdEncoding.EncodeToString(sum[:]))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		runtime.ReadMemStats(&after)
		if w.Code != 400 || !strings.Contains(w.Body.String(), "<Code>MalformedXML</Code>") {
			t.Fatalf("%s: %d %s", name, w.Code, w.Body)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > c.limit && !raceEnabled {
			t.Fatalf("%s: a %d-byte body allocated %d bytes", name, len(body), alloc)
		}
	}
}

// attrs is ` a0="" a1=""...` from a<first>, about size bytes long.
func attrs(first, size int) string {
	var b strings.Builder
	for i := first; b.Len() < size; i++ {
		b.WriteString(` a` + strconv.Itoa(i) + `=""`)
	}
	return b.String()
}

func TestCheckXMLShape(t *testing.T) {
	ok := "<CompleteMultipartUpload>" + strings.Repeat("<Part><PartNumber>1</PartNumber><ETag>x</ETag></Part>", 10000) + "</CompleteMultipartUpload>"
	if err := checkXMLShape([]byte(ok)); err != nil {
		t.Fatalf("10000 parts: %v", err)
	}
	deep := strings.Repeat("<a>", maxXMLDepth+1) + strings.Repeat("</a>", maxXMLDepth+1)
	if err := checkXMLShape([]byte(deep)); err == nil {
		t.Fatal("depth beyond the limit accepted")
	}
	if err := checkXMLShape([]byte(strings.Repeat("<a>", maxXMLDepth) + strings.Repeat("</a>", maxXMLDepth))); err != nil {
		t.Fatalf("depth at the limit: %v", err)
	}
	for _, doc := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com"><Quiet>true</Quiet></Delete>`,
		"<a" + attrs(0, maxXMLAttrsPerElement*6) + "></a>", // at the limit
		// '=' in quoted values, comments, CDATA and processing instructions are no attributes.
		`<?pi ` + attrs(0, 200) + `?><a b="` + strings.Repeat("=", 50) + `>" c='"="'><!--` + attrs(0, 200) + `--><![CDATA[<x` + attrs(0, 200) + `>]]></a>`,
	} {
		if err := checkXMLShape([]byte(doc)); err != nil {
			t.Fatalf("%.60q: %v", doc, err)
		}
	}
	for _, doc := range []string{
		"<a" + attrs(0, (maxXMLAttrsPerElement+1)*6) + "></a>",
		"<r>" + strings.Repeat("<a"+attrs(0, 20)+"/>", maxXMLAttrs/3+1) + "</r>",
		`<!DOCTYPE r><r/>`,
	} {
		if err := checkXMLShape([]byte(doc)); err == nil {
			t.Fatalf("%.60q accepted", doc)
		}
	}
}

func TestControlCharacterEscaping(t *testing.T) {
	keys := []string{"plain", "ctrl\x01-key", "\x0c", "cr\rlf\n", "\ue000", "\ue000\x01\ue000A", "é\x1f",
		"a\ue000A", "a\x01", "a\uffff", "b\ufffe", "\x1d]>", "&#xE000;", "\ue0000"}
	for _, key := range keys {
		for _, text := range []string{
			strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(key), // as oss2 writes it
			strings.NewReplacer("&", "&amp;", "<", "&lt;", "\ue000", "&#xE000;").Replace(key),
			strings.NewReplacer("&", "&amp;", "<", "&lt;", "\ue000", "&#57344;").Replace(key),
			"<![CDATA[" + strings.ReplaceAll(key, "]]>", "]]]]><![CDATA[>") + "]]>",
		} {
			raw := []byte(`<?xml version="1.0" encoding="UTF-8"?><!-- &#xE000; --><Delete><Object><Key>` + text + "</Key></Object></Delete>")
			req, e := decodeDelete(raw)
			if e != nil {
				t.Fatalf("%q as %q: %v", key, text, e)
			}
			if got := req.Objects[0].Key; got != key {
				t.Fatalf("%q as %q came back as %q", key, text, got)
			}
		}
	}
	for _, bad := range []string{
		`<!DOCTYPE d [<!ENTITY e "x">]><Delete><Object><Key>&e;</Key></Object></Delete>`,
		"<Delete><Object><Key>&#1;</Key></Object></Delete>", // XML forbids it even as a reference
	} {
		if _, e := decodeDelete([]byte(bad)); e == nil {
			t.Fatalf("%q accepted", bad)
		}
	}
}

// A memory store's limit reaches clients as 507 InsufficientStorage, and nothing is stored.
func TestMemoryLimitIsInsufficientStorage(t *testing.T) {
	st := store.NewMemoryLimited(nil, 1<<20)
	e := newEnv(t, Config{Store: st})
	e.do(t, "PUT", "/bkt/small", nil, nil, make([]byte, 600<<10)).expectStatus(t, 200)
	x := e.do(t, "PUT", "/bkt/big", nil, nil, make([]byte, 600<<10)).expectError(t, 507, "InsufficientStorage")
	if x.EC != "0000-00000507" {
		t.Fatalf("EC %q", x.EC)
	}
	e.do(t, "HEAD", "/bkt/big", nil, nil, nil).expectStatus(t, 404)
	e.do(t, "DELETE", "/bkt/small", nil, nil, nil).expectStatus(t, 204)
	e.do(t, "PUT", "/bkt/big", nil, nil, make([]byte, 600<<10)).expectStatus(t, 200)
}

// A body that stalls is cut off under the body timeout whatever fault wraps the response writer:
// the deadlines reach the connection through the wrapper.
func TestBodyDeadlinesHoldUnderFaults(t *testing.T) {
	addr := serve(t, Config{Anonymous: true, BodyIdleTimeout: 300 * time.Millisecond, Faults: &Faults{Header: true}})
	for _, fault := range []string{"", "corrupt", "reset=100000"} {
		req := "PUT /bkt/k HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
		if fault != "" {
			req += FaultHeader + ": " + fault + "\r\n"
		}
		resp, closed := heldOpen(t, addr, req+"\r\nabc", 5*time.Second)
		if !closed {
			t.Fatalf("fault %q: a stalled body held the connection for 5s; got %.100q", fault, resp)
		}
	}
}

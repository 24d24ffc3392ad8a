package server

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss/signer"
	"github.com/pyjindo/pyjindo/go/server/store"
)

var testCreds = signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}

// env is one running server plus how the test client signs its requests.
type env struct {
	url    string // http://127.0.0.1:port
	client *http.Client
	store  store.Store
	mode   string // "v1" (default), "v2", "v4" or "none"
	creds  signer.Credentials
	region string           // for v4
	now    func() time.Time // the client's clock for signing
}

// newEnv starts a server for cfg, filling in a memory store and the ak/sk credentials
// when they are unset, and creates bucket "bkt".
func newEnv(t *testing.T, cfg Config) *env {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = store.NewMemory(nil)
	}
	if cfg.Credentials == nil {
		cfg.Credentials = map[string]string{"ak": "sk"}
	}
	// Through Serve, so every test also runs the connection loop.
	url := serveShaped(t, cfg)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	e := &env{url: url, client: &http.Client{Transport: tr}, store: cfg.Store, mode: "v1", creds: testCreds,
		region: "cn-hangzhou", now: time.Now}
	if _, err := cfg.Store.Bucket("bkt"); err != nil {
		if _, err := cfg.Store.CreateBucket("bkt"); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// with returns a copy of e changed by fn (another signing mode, secret or clock).
func (e *env) with(fn func(*env)) *env {
	c := *e
	fn(&c)
	return &c
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// errXML is the <Error> document.
type errXML struct {
	Code      string
	Message   string
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId"`
	EC        string
}

func (r *response) errDoc(t *testing.T) errXML {
	t.Helper()
	var d errXML
	if err := xml.Unmarshal(r.body, &d); err != nil {
		t.Fatalf("status %d: body is not error XML: %v\n%s", r.status, err, r.body)
	}
	return d
}

// expectError asserts status and OSS error code, and that the XML's RequestId is the header's.
func (r *response) expectError(t *testing.T, status int, code string) errXML {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body:\n%s", r.status, status, r.body)
	}
	d := r.errDoc(t)
	if d.Code != code {
		t.Fatalf("code %q, want %q; body:\n%s", d.Code, code, r.body)
	}
	if d.RequestID != r.header.Get("x-oss-request-id") {
		t.Fatalf("RequestId %q differs from header %q", d.RequestID, r.header.Get("x-oss-request-id"))
	}
	if r.header.Get("x-oss-ec") == "" || r.header.Get("x-oss-ec") != d.EC {
		t.Fatalf("x-oss-ec %q, EC %q", r.header.Get("x-oss-ec"), d.EC)
	}
	return d
}

func (r *response) expectStatus(t *testing.T, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body:\n%s", r.status, status, r.body)
	}
}

var requestIDRE = regexp.MustCompile(`^[0-9A-F]{24}$`)

// encodeQuery renders q sorted, with bare names for empty values (?delete, ?uploads).
func encodeQuery(q url.Values) string {
	var names []string
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		vs := q[k]
		if len(vs) == 0 {
			vs = []string{""}
		}
		for _, v := range vs {
			if v == "" {
				parts = append(parts, url.QueryEscape(k))
			} else {
				parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
			}
		}
	}
	return strings.Join(parts, "&")
}

// target finds bucket and key as the server does: virtual-hosted when host is a name with a
// bucket label in front, path style otherwise.
func target(host, path string) (bucket, key string) {
	h := host
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	path = strings.TrimPrefix(path, "/")
	// As a client configured with an OSS domain endpoint addresses buckets.
	if label, rest, ok := strings.Cut(h, "."); ok && (rest == "localhost" || strings.HasSuffix(rest, ".aliyuncs.com")) {
		return label, path
	}
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key
}

// do sends one request. path is sent exactly as given (already escaped, never cleaned by the
// client); a "Host" entry in header sets the request's Host. It signs per e.mode and checks that
// the response carries a well-formed x-oss-request-id.
func (e *env) do(t *testing.T, method, path string, query url.Values, header http.Header, body []byte) *response {
	t.Helper()
	req, err := http.NewRequest(method, e.url+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body == nil {
		req.Body = http.NoBody
		req.ContentLength = 0
	}
	req.URL.Opaque = path
	req.URL.RawQuery = encodeQuery(query)
	for k, vs := range header {
		if strings.EqualFold(k, "Host") {
			req.Host = vs[0]
			continue
		}
		req.Header[k] = vs
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	unescaped, err := url.PathUnescape(path)
	if err != nil {
		unescaped = path // the server refuses it before checking the signature
	}
	bucket, key := target(host, unescaped)
	if query == nil {
		query = url.Values{}
	}
	switch e.mode {
	case "v1":
		signer.SignV1(method, bucket, key, query, req.Header, e.creds, e.now())
	case "v2":
		signer.SignV2(method, bucket, key, query, req.Header, e.creds, e.now())
	case "v4":
		signer.SignV4(method, bucket, key, query, req.Header, e.region, nil, e.creds, e.now())
	}
	resp, err := e.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if id := resp.Header.Get("x-oss-request-id"); !requestIDRE.MatchString(id) {
		t.Fatalf("%s %s: x-oss-request-id %q", method, path, id)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data}
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func qv(kv ...string) url.Values {
	q := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v := ""
		if i+1 < len(kv) {
			v = kv[i+1]
		}
		q.Add(kv[i], v)
	}
	return q
}

func etagOf(b []byte) string {
	sum := md5.Sum(b)
	return `"` + strings.ToUpper(hex.EncodeToString(sum[:])) + `"`
}

func md5b64(b []byte) string {
	sum := md5.Sum(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func crcOf(b []byte) string { return strconv.FormatUint(crc.Checksum(b), 10) }

// escapeAll percent-encodes every byte of s that is not a letter or digit, '/' and '.' included.
func escapeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func TestPutGetHeadRoundTrip(t *testing.T) {
	e := newEnv(t, Config{})
	body := []byte("hello, jindo server\n")
	put := e.do(t, "PUT", "/bkt/dir/obj.txt", nil, hdr("Content-Type", "text/plain", "Content-MD5", md5b64(body),
		"x-oss-meta-Color", "blue", "X-Oss-Meta-two-words", "a b", "Cache-Control", "no-cache"), body)
	put.expectStatus(t, 200)
	if put.header.Get("ETag") != etagOf(body) {
		t.Fatalf("put ETag %q, want %q", put.header.Get("ETag"), etagOf(body))
	}
	if put.header.Get("x-oss-hash-crc64ecma") != crcOf(body) {
		t.Fatalf("put crc %q, want %q", put.header.Get("x-oss-hash-crc64ecma"), crcOf(body))
	}
	if len(put.body) != 0 {
		t.Fatalf("put body %q", put.body)
	}

	check := func(r *response, wantBody []byte) {
		t.Helper()
		r.expectStatus(t, 200)
		h := r.header
		for name, want := range map[string]string{
			"ETag": etagOf(body), "x-oss-hash-crc64ecma": crcOf(body), "Content-MD5": md5b64(body),
			"Content-Type": "text/plain", "Content-Length": strconv.Itoa(len(body)),
			"x-oss-meta-color": "blue", "x-oss-meta-two-words": "a b", "Cache-Control": "no-cache",
			"x-oss-object-type": "Normal", "Accept-Ranges": "bytes", "Server": "AliyunOSS",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %q, want %q", name, got, want)
			}
		}
		if _, err := http.ParseTime(h.Get("Last-Modified")); err != nil {
			t.Errorf("Last-Modified %q: %v", h.Get("Last-Modified"), err)
		}
		if !bytes.Equal(r.body, wantBody) {
			t.Errorf("body %q, want %q", r.body, wantBody)
		}
	}
	check(e.do(t, "GET", "/bkt/dir/obj.txt", nil, nil, nil), body)
	check(e.do(t, "HEAD", "/bkt/dir/obj.txt", nil, nil, nil), nil)

	// The quoted uppercase form really is what the header says: recompute it.
	if !regexp.MustCompile(`^"[0-9A-F]{32}"$`).MatchString(put.header.Get("ETag")) {
		t.Fatalf("ETag %q is not a quoted upper-case MD5", put.header.Get("ETag"))
	}

	// response-* parameters override stored headers.
	r := e.do(t, "GET", "/bkt/dir/obj.txt", qv("response-content-type", "application/json"), nil, nil)
	r.expectStatus(t, 200)
	if r.header.Get("Content-Type") != "application/json" {
		t.Fatalf("Content-Type %q", r.header.Get("Content-Type"))
	}

	// A wrong Content-MD5 is refused and leaves the object as it was.
	e.do(t, "PUT", "/bkt/dir/obj.txt", nil, hdr("Content-MD5", md5b64([]byte("other"))), []byte("changed")).
		expectError(t, 400, "InvalidDigest")
	e.do(t, "PUT", "/bkt/dir/obj.txt", nil, hdr("Content-MD5", "not base64!"), []byte("changed")).
		expectError(t, 400, "InvalidDigest")
	check(e.do(t, "GET", "/bkt/dir/obj.txt", nil, nil, nil), body)

	// Conditional GETs.
	e.do(t, "GET", "/bkt/dir/obj.txt", nil, hdr("If-None-Match", etagOf(body)), nil).expectStatus(t, 304)
	e.do(t, "GET", "/bkt/dir/obj.txt", nil, hdr("If-Match", `"0000"`), nil).expectError(t, 412, "PreconditionFailed")

	// Overwrite protection.
	e.do(t, "PUT", "/bkt/dir/obj.txt", nil, hdr("x-oss-forbid-overwrite", "true"), []byte("x")).
		expectError(t, 409, "FileAlreadyExists")

	// Empty object.
	e.do(t, "PUT", "/bkt/empty", nil, nil, nil).expectStatus(t, 200)
	g := e.do(t, "GET", "/bkt/empty", nil, nil, nil)
	g.expectStatus(t, 200)
	if len(g.body) != 0 || g.header.Get("ETag") != etagOf(nil) || g.header.Get("x-oss-hash-crc64ecma") != "0" {
		t.Fatalf("empty object: %q %v", g.body, g.header)
	}

	// Delete, then the key is gone; deleting again is still 204.
	e.do(t, "DELETE", "/bkt/dir/obj.txt", nil, nil, nil).expectStatus(t, 204)
	e.do(t, "DELETE", "/bkt/dir/obj.txt", nil, nil, nil).expectStatus(t, 204)
	e.do(t, "GET", "/bkt/dir/obj.txt", nil, nil, nil).expectError(t, 404, "NoSuchKey")
	e.do(t, "GET", "/nobucket/k", nil, nil, nil).expectError(t, 404, "NoSuchBucket")
	e.do(t, "PUT", "/nobucket/k", nil, nil, []byte("x")).expectError(t, 404, "NoSuchBucket")
}

func TestHeadMissingKey(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.do(t, "HEAD", "/bkt/missing", nil, nil, nil)
	if r.status != 404 {
		t.Fatalf("status %d", r.status)
	}
	if len(r.body) != 0 {
		t.Fatalf("HEAD body %q", r.body)
	}
	raw, err := base64.StdEncoding.DecodeString(r.header.Get("x-oss-err"))
	if err != nil {
		t.Fatalf("x-oss-err %q: %v", r.header.Get("x-oss-err"), err)
	}
	var d errXML
	if err := xml.Unmarshal(raw, &d); err != nil {
		t.Fatalf("x-oss-err XML: %v\n%s", err, raw)
	}
	if d.Code != "NoSuchKey" || d.RequestID != r.header.Get("x-oss-request-id") || d.EC != r.header.Get("x-oss-ec") {
		t.Fatalf("x-oss-err %+v, headers %v", d, r.header)
	}
	// A GET of the same key carries the XML in the body instead.
	e.do(t, "GET", "/bkt/missing", nil, nil, nil).expectError(t, 404, "NoSuchKey")
}

func TestParseRange(t *testing.T) {
	const size = 100
	for _, c := range []struct {
		v                string
		size             int64
		start, end       int64
		ok, valid        bool
		clipped          bool
		name, whyInvalid string
	}{
		{v: "bytes=0-9", size: size, start: 0, end: 9, ok: true, valid: true},
		{v: "bytes=10-", size: size, start: 10, end: 99, ok: true, valid: true},
		{v: "bytes=-10", size: size, start: 90, end: 99, ok: true, valid: true},
		{v: "bytes=-1000", size: size, start: 0, end: 99, ok: true, valid: true, clipped: true},
		{v: "bytes=-100", size: size, start: 0, end: 99, ok: true, valid: true},
		{v: "bytes=90-1000", size: size, start: 90, end: 99, ok: true, valid: true, clipped: true},
		{v: "bytes=0-100", size: size, start: 0, end: 99, ok: true, valid: true, clipped: true},
		{v: "bytes=0-99", size: size, start: 0, end: 99, ok: true, valid: true},
		{v: "bytes=99-99", size: size, start: 99, end: 99, ok: true, valid: true},
		{v: " bytes= 1 - 2 ", size: size, start: 1, end: 2, ok: true, valid: true},
		{v: "bytes=0-0", size: 1, start: 0, end: 0, ok: true, valid: true},
		{v: "bytes=100-", size: size, ok: true, valid: false},
		{v: "bytes=100-200", size: size, ok: true, valid: false},
		{v: "bytes=5-3", size: size, ok: true, valid: false},
		{v: "bytes=-0", size: size, ok: true, valid: false},
		{v: "bytes=0-", size: 0, ok: true, valid: false},
		{v: "bytes=-5", size: 0, ok: true, valid: false},
		{v: "", size: size},
		{v: "bytes=", size: size},
		{v: "bytes=-", size: size},
		{v: "bytes=0-1,3-4", size: size},
		{v: "items=0-1", size: size},
		{v: "bytes=a-b", size: size},
		{v: "bytes=1", size: size},
		{v: "bytes=+1-2", size: size},
		{v: "bytes=1-+2", size: size},
		{v: "bytes=--5", size: size},
		{v: "bytes=-1-2", size: size},
		{v: "bytes=1-2-3", size: size},
		{v: "bytes=99999999999999999999-", size: size},
		{v: "Bytes=0-1", size: size},
	} {
		start, end, ok, valid, clipped := parseRange(c.v, c.size)
		if ok != c.ok || valid != c.valid || clipped != c.clipped || (valid && (start != c.start || end != c.end)) {
			t.Errorf("parseRange(%q, %d) = %d, %d, %v, %v, %v; want %d, %d, %v, %v, %v",
				c.v, c.size, start, end, ok, valid, clipped, c.start, c.end, c.ok, c.valid, c.clipped)
		}
	}
}

func TestRangeHTTP(t *testing.T) {
	e := newEnv(t, Config{})
	body := []byte("0123456789abcdefghij") // 20 bytes
	e.do(t, "PUT", "/bkt/r", nil, nil, body).expectStatus(t, 200)
	for _, c := range []struct {
		rng          string
		status       int
		want         string
		contentRange string
	}{
		{"bytes=0-4", 206, "01234", "bytes 0-4/20"},
		{"bytes=15-", 206, "fghij", "bytes 15-19/20"},
		{"bytes=-3", 206, "hij", "bytes 17-19/20"},
		{"bytes=18-19", 206, "ij", "bytes 18-19/20"},
		{"bytes=0-19", 206, string(body), "bytes 0-19/20"},
		{"bytes=-20", 206, string(body), "bytes 0-19/20"},
		// OSS's default behaviour: a range reaching past the object is ignored.
		{"bytes=18-100", 200, string(body), ""},
		{"bytes=0-20", 200, string(body), ""},
		{"bytes=-21", 200, string(body), ""},
		{"bytes=20-30", 200, string(body), ""},
		{"bytes=5-2", 200, string(body), ""},
		{"bytes=0-1,4-5", 200, string(body), ""},
		{"garbage", 200, string(body), ""},
	} {
		for _, method := range []string{"GET", "HEAD"} {
			r := e.do(t, method, "/bkt/r", nil, hdr("Range", c.rng), nil)
			if r.status != c.status {
				t.Errorf("%s %q: status %d, want %d", method, c.rng, r.status, c.status)
				continue
			}
			if got := r.header.Get("Content-Range"); got != c.contentRange {
				t.Errorf("%s %q: Content-Range %q, want %q", method, c.rng, got, c.contentRange)
			}
			if got := r.header.Get("Content-Length"); got != strconv.Itoa(len(c.want)) {
				t.Errorf("%s %q: Content-Length %q, want %d", method, c.rng, got, len(c.want))
			}
			if method == "GET" && string(r.body) != c.want {
				t.Errorf("GET %q: body %q, want %q", c.rng, r.body, c.want)
			}
			if r.header.Get("x-oss-hash-crc64ecma") != crcOf(body) {
				t.Errorf("%s %q: crc header %q is not the whole object's", method, c.rng, r.header.Get("x-oss-hash-crc64ecma"))
			}
		}
	}
	// With the standard behaviour a range reaching past the object is cut to fit.
	std := hdr("x-oss-range-behavior", "standard")
	for _, c := range []struct{ rng, want, contentRange string }{
		{"bytes=18-100", "ij", "bytes 18-19/20"},
		{"bytes=-21", string(body), "bytes 0-19/20"},
		{"bytes=15-", "fghij", "bytes 15-19/20"},
	} {
		h := std.Clone()
		h.Set("Range", c.rng)
		r := e.do(t, "GET", "/bkt/r", nil, h, nil)
		if r.status != 206 || string(r.body) != c.want || r.header.Get("Content-Range") != c.contentRange {
			t.Errorf("standard %q: %d %q %q, want 206 %q %q", c.rng, r.status, r.body, r.header.Get("Content-Range"), c.want, c.contentRange)
		}
	}
	// With the standard behaviour an unsatisfiable range is 416; a malformed one is still ignored.
	for _, rng := range []string{"bytes=20-30", "bytes=5-2", "bytes=-0"} {
		h := std.Clone()
		h.Set("Range", rng)
		r := e.do(t, "GET", "/bkt/r", nil, h, nil)
		r.expectError(t, 416, "InvalidRange")
		if r.header.Get("Content-Range") != "bytes */20" {
			t.Errorf("%q: Content-Range %q", rng, r.header.Get("Content-Range"))
		}
		hr := e.do(t, "HEAD", "/bkt/r", nil, h, nil)
		if hr.status != 416 || len(hr.body) != 0 || hr.header.Get("x-oss-err") == "" {
			t.Errorf("HEAD %q: %d %q %v", rng, hr.status, hr.body, hr.header)
		}
	}
	h := std.Clone()
	h.Set("Range", "bytes=2-3")
	if r := e.do(t, "GET", "/bkt/r", nil, h, nil); r.status != 206 || string(r.body) != "23" {
		t.Errorf("standard satisfiable range: %d %q", r.status, r.body)
	}
	h.Set("Range", "bytes=x-y")
	if r := e.do(t, "GET", "/bkt/r", nil, h, nil); r.status != 200 || !bytes.Equal(r.body, body) {
		t.Errorf("standard malformed range: %d %q", r.status, r.body)
	}
}

type deleteResultXML struct {
	EncodingType string
	Deleted      []struct{ Key string }
}

func deleteBody(quiet bool, keys ...string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>%v</Quiet>", quiet)
	for _, k := range keys {
		b.WriteString("<Object><Key>")
		xml.EscapeText(&b, []byte(k))
		b.WriteString("</Key></Object>")
	}
	b.WriteString("</Delete>")
	return b.Bytes()
}

func TestDeleteMultipleObjects(t *testing.T) {
	e := newEnv(t, Config{})
	put := func(keys ...string) {
		for _, k := range keys {
			e.do(t, "PUT", "/bkt/"+escapeAll(k), nil, nil, []byte(k)).expectStatus(t, 200)
		}
	}
	del := func(q url.Values, h http.Header, body []byte) *response {
		if q == nil {
			q = url.Values{}
		}
		q.Set("delete", "")
		return e.do(t, "POST", "/bkt/", q, h, body)
	}

	put("a", "b", "c d")
	body := deleteBody(false, "a", "b")
	r := del(nil, nil, body)
	if r.status != 400 {
		t.Fatalf("missing Content-MD5: %d\n%s", r.status, r.body)
	}
	r.expectError(t, 400, "MissingArgument")
	del(nil, hdr("Content-MD5", md5b64([]byte("something else"))), body).expectError(t, 400, "InvalidDigest")
	del(nil, hdr("Content-MD5", "***"), body).expectError(t, 400, "InvalidDigest")
	// Nothing was deleted by the refused requests.
	e.do(t, "HEAD", "/bkt/a", nil, nil, nil).expectStatus(t, 200)

	// Verbose: every key, deleted or missing, is reported.
	r = del(nil, hdr("Content-MD5", md5b64(body)), body)
	r.expectStatus(t, 200)
	var res deleteResultXML
	if err := xml.Unmarshal(r.body, &res); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Deleted {
		got = append(got, d.Key)
	}
	if !slices.Equal(got, []string{"a", "b"}) {
		t.Fatalf("deleted %q", got)
	}
	e.do(t, "HEAD", "/bkt/a", nil, nil, nil).expectStatus(t, 404)
	e.do(t, "HEAD", "/bkt/b", nil, nil, nil).expectStatus(t, 404)

	// Quiet: no <Deleted> at all.
	put("a")
	qb := deleteBody(true, "a", "never-existed")
	r = del(nil, hdr("Content-MD5", md5b64(qb)), qb)
	r.expectStatus(t, 200)
	if bytes.Contains(r.body, []byte("<Deleted>")) {
		t.Fatalf("quiet delete lists keys:\n%s", r.body)
	}
	e.do(t, "HEAD", "/bkt/a", nil, nil, nil).expectStatus(t, 404)

	// encoding-type=url encodes the keys it reports.
	eb := deleteBody(false, "c d", "x/y+z")
	r = del(qv("encoding-type", "url"), hdr("Content-MD5", md5b64(eb)), eb)
	r.expectStatus(t, 200)
	res = deleteResultXML{}
	if err := xml.Unmarshal(r.body, &res); err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, d := range res.Deleted {
		got = append(got, d.Key)
	}
	if res.EncodingType != "url" || !slices.Equal(got, []string{"c%20d", "x%2Fy%2Bz"}) {
		t.Fatalf("encoded delete: %q %q\n%s", res.EncodingType, got, r.body)
	}
	e.do(t, "HEAD", "/bkt/c%20d", nil, nil, nil).expectStatus(t, 404)

	// 1000 keys is the limit; 1001 is malformed.
	keys := make([]string, 1001)
	for i := range keys {
		keys[i] = fmt.Sprintf("k%04d", i)
	}
	big := deleteBody(true, keys...)
	del(nil, hdr("Content-MD5", md5b64(big)), big).expectError(t, 400, "MalformedXML")
	ok := deleteBody(true, keys[:1000]...)
	del(nil, hdr("Content-MD5", md5b64(ok)), ok).expectStatus(t, 200)

	// Not XML, and no objects.
	bad := []byte("<Delete><Object>")
	del(nil, hdr("Content-MD5", md5b64(bad)), bad).expectError(t, 400, "MalformedXML")
	empty := deleteBody(false)
	del(nil, hdr("Content-MD5", md5b64(empty)), empty).expectError(t, 400, "MalformedXML")

	// A missing bucket.
	q := qv("delete")
	e.do(t, "POST", "/nobkt/", q, hdr("Content-MD5", md5b64(body)), body).expectError(t, 404, "NoSuchBucket")
}

func TestAppendObject(t *testing.T) {
	e := newEnv(t, Config{})
	app := func(key string, pos string, body []byte, h http.Header) *response {
		return e.do(t, "POST", "/bkt/"+key, qv("append", "", "position", pos), h, body)
	}
	r := app("log", "0", []byte("hello"), hdr("Content-Type", "text/plain", "x-oss-meta-a", "1"))
	r.expectStatus(t, 200)
	if r.header.Get("x-oss-next-append-position") != "5" || r.header.Get("x-oss-hash-crc64ecma") != crcOf([]byte("hello")) {
		t.Fatalf("first append headers %v", r.header)
	}
	r = app("log", "5", []byte(" world"), hdr("x-oss-meta-a", "2"))
	r.expectStatus(t, 200)
	all := []byte("hello world")
	if r.header.Get("x-oss-next-append-position") != "11" || r.header.Get("x-oss-hash-crc64ecma") != crcOf(all) {
		t.Fatalf("second append headers %v", r.header)
	}

	r = app("log", "3", []byte("zzz"), nil)
	r.expectError(t, 409, "PositionNotEqualToLength")
	if r.header.Get("x-oss-next-append-position") != "11" {
		t.Fatalf("409 next position %q", r.header.Get("x-oss-next-append-position"))
	}
	r = app("new", "7", []byte("zzz"), nil)
	r.expectError(t, 409, "PositionNotEqualToLength")
	if r.header.Get("x-oss-next-append-position") != "0" {
		t.Fatalf("409 next position for a new object %q", r.header.Get("x-oss-next-append-position"))
	}
	app("log", "abc", []byte("z"), nil).expectError(t, 400, "InvalidArgument")
	app("log", "-1", []byte("z"), nil).expectError(t, 400, "InvalidArgument")
	app("log", "11", []byte("z"), hdr("Content-MD5", md5b64([]byte("y")))).expectError(t, 400, "InvalidDigest")

	g := e.do(t, "GET", "/bkt/log", nil, nil, nil)
	g.expectStatus(t, 200)
	if string(g.body) != string(all) || g.header.Get("x-oss-object-type") != "Appendable" ||
		g.header.Get("x-oss-next-append-position") != "11" || g.header.Get("x-oss-meta-a") != "1" ||
		g.header.Get("Content-Type") != "text/plain" || g.header.Get("x-oss-hash-crc64ecma") != crcOf(all) {
		t.Fatalf("appendable object: %q %v", g.body, g.header)
	}
	if g.header.Get("Content-MD5") != "" {
		t.Fatalf("appendable object has Content-MD5 %q", g.header.Get("Content-MD5"))
	}

	e.do(t, "PUT", "/bkt/normal", nil, nil, []byte("n")).expectStatus(t, 200)
	app("normal", "1", []byte("x"), nil).expectError(t, 409, "ObjectNotAppendable")
	app("normal", "0", []byte("x"), nil).expectError(t, 409, "ObjectNotAppendable")
}

type initXML struct {
	Bucket, Key string
	UploadID    string `xml:"UploadId"`
}

type completeXML struct {
	XMLName          xml.Name `xml:"CompleteMultipartUploadResult"`
	EncodingType     string
	Location, Bucket string
	Key, ETag        string
}

func TestMultipart(t *testing.T) {
	e := newEnv(t, Config{})
	initUpload := func(key string) string {
		t.Helper()
		r := e.do(t, "POST", "/bkt/"+key, qv("uploads"), hdr("x-oss-meta-m", "v"), nil)
		r.expectStatus(t, 200)
		var res initXML
		if err := xml.Unmarshal(r.body, &res); err != nil || res.UploadID == "" || res.Key != key || res.Bucket != "bkt" {
			t.Fatalf("init: %v %+v\n%s", err, res, r.body)
		}
		return res.UploadID
	}
	part := func(key, id string, n int, body []byte) string {
		t.Helper()
		r := e.do(t, "PUT", "/bkt/"+key, qv("partNumber", strconv.Itoa(n), "uploadId", id), nil, body)
		r.expectStatus(t, 200)
		if r.header.Get("ETag") != etagOf(body) || r.header.Get("x-oss-hash-crc64ecma") != crcOf(body) {
			t.Fatalf("part %d headers %v", n, r.header)
		}
		return r.header.Get("ETag")
	}
	completeBody := func(nums []int, etags []string) []byte {
		var b strings.Builder
		b.WriteString("<CompleteMultipartUpload>")
		for i, n := range nums {
			fmt.Fprintf(&b, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", n, etags[i])
		}
		b.WriteString("</CompleteMultipartUpload>")
		return []byte(b.String())
	}

	p1 := bytes.Repeat([]byte("a"), store.MinPartSize)
	p2 := []byte("tail")
	id := initUpload("mp")
	e1 := part("mp", id, 1, p1)
	e2 := part("mp", id, 2, p2)

	// Out of order.
	e.do(t, "POST", "/bkt/mp", qv("uploadId", id), nil, completeBody([]int{2, 1}, []string{e2, e1})).
		expectError(t, 400, "InvalidPartOrder")
	// A wrong ETag.
	e.do(t, "POST", "/bkt/mp", qv("uploadId", id), nil, completeBody([]int{1, 2}, []string{e1, `"00"`})).
		expectError(t, 400, "InvalidPart")
	// Malformed XML.
	e.do(t, "POST", "/bkt/mp", qv("uploadId", id), nil, []byte("<Complete")).expectError(t, 400, "MalformedXML")
	// The failures left the upload usable.
	r := e.do(t, "POST", "/bkt/mp", qv("uploadId", id), nil, completeBody([]int{1, 2}, []string{e1, e2}))
	r.expectStatus(t, 200)
	var res completeXML
	if err := xml.Unmarshal(r.body, &res); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^"[0-9A-F]{32}-2"$`).MatchString(res.ETag) || r.header.Get("ETag") != res.ETag || res.Key != "mp" {
		t.Fatalf("complete: %+v, ETag header %q", res, r.header.Get("ETag"))
	}
	whole := append(append([]byte{}, p1...), p2...)
	g := e.do(t, "GET", "/bkt/mp", nil, nil, nil)
	g.expectStatus(t, 200)
	if !bytes.Equal(g.body, whole) || g.header.Get("x-oss-hash-crc64ecma") != crcOf(whole) ||
		g.header.Get("x-oss-object-type") != "Multipart" || g.header.Get("x-oss-meta-m") != "v" || g.header.Get("Content-MD5") != "" {
		t.Fatalf("multipart object: %d bytes, headers %v", len(g.body), g.header)
	}
	// The upload is finished.
	e.do(t, "POST", "/bkt/mp", qv("uploadId", id), nil, completeBody([]int{1, 2}, []string{e1, e2})).
		expectError(t, 404, "NoSuchUpload")

	// A small part that is not the last.
	id = initUpload("small")
	s1 := part("small", id, 1, []byte("x"))
	s2 := part("small", id, 2, []byte("y"))
	e.do(t, "POST", "/bkt/small", qv("uploadId", id), nil, completeBody([]int{1, 2}, []string{s1, s2})).
		expectError(t, 400, "EntityTooSmall")

	// x-oss-complete-all: yes takes every uploaded part, no body needed.
	id = initUpload("all")
	part("all", id, 3, p1)
	part("all", id, 7, p2)
	r = e.do(t, "POST", "/bkt/all", qv("uploadId", id), hdr("x-oss-complete-all", "yes"), nil)
	r.expectStatus(t, 200)
	if g := e.do(t, "GET", "/bkt/all", nil, nil, nil); !bytes.Equal(g.body, whole) {
		t.Fatalf("complete-all object has %d bytes", len(g.body))
	}

	// Abort, then everything about the upload is NoSuchUpload.
	id = initUpload("ab")
	part("ab", id, 1, p2)
	e.do(t, "DELETE", "/bkt/ab", qv("uploadId", id), nil, nil).expectStatus(t, 204)
	e.do(t, "DELETE", "/bkt/ab", qv("uploadId", id), nil, nil).expectError(t, 404, "NoSuchUpload")
	e.do(t, "PUT", "/bkt/ab", qv("partNumber", "2", "uploadId", id), nil, p2).expectError(t, 404, "NoSuchUpload")
	e.do(t, "GET", "/bkt/ab", qv("uploadId", id), nil, nil).expectError(t, 404, "NoSuchUpload")
	e.do(t, "POST", "/bkt/ab", qv("uploadId", id), hdr("x-oss-complete-all", "yes"), nil).expectError(t, 404, "NoSuchUpload")
	e.do(t, "HEAD", "/bkt/ab", nil, nil, nil).expectStatus(t, 404)
	e.do(t, "PUT", "/bkt/ab", qv("partNumber", "1", "uploadId", "nonexistent"), nil, p2).expectError(t, 404, "NoSuchUpload")
	// An upload id used with another key is not that key's upload.
	id = initUpload("k1")
	e.do(t, "PUT", "/bkt/k2", qv("partNumber", "1", "uploadId", id), nil, p2).expectError(t, 404, "NoSuchUpload")
	// Part numbers out of range.
	for _, n := range []string{"0", "10001", "x"} {
		e.do(t, "PUT", "/bkt/k1", qv("partNumber", n, "uploadId", id), nil, p2).expectError(t, 400, "InvalidArgument")
	}
}

// TestCompleteValidatesBeforeCommitting: a complete request the server refuses must not have
// finished the upload.
func TestCompleteValidatesBeforeCommitting(t *testing.T) {
	e := newEnv(t, Config{})
	r := e.do(t, "POST", "/bkt/enc", qv("uploads"), nil, nil)
	var res initXML
	if err := xml.Unmarshal(r.body, &res); err != nil {
		t.Fatal(err)
	}
	pr := e.do(t, "PUT", "/bkt/enc", qv("partNumber", "1", "uploadId", res.UploadID), nil, []byte("x"))
	body := fmt.Sprintf("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>%s</ETag></Part></CompleteMultipartUpload>", pr.header.Get("ETag"))
	c := e.do(t, "POST", "/bkt/enc", qv("uploadId", res.UploadID, "encoding-type", "bogus"), nil, []byte(body))
	c.expectError(t, 400, "InvalidArgument")
	if e.do(t, "HEAD", "/bkt/enc", nil, nil, nil).status == 200 {
		t.Fatal("multipart.go completeUpload checks encoding-type only after store.Complete: a 400 InvalidArgument response has already created the object and consumed the upload")
	}
	e.do(t, "GET", "/bkt/enc", qv("uploadId", res.UploadID), nil, nil).expectStatus(t, 200)
}

type listXML struct {
	Name           string
	Prefix         string
	Marker         string
	MaxKeys        int
	Delimiter      string
	EncodingType   string
	IsTruncated    bool
	NextMarker     string
	Contents       []struct{ Key, ETag, Type string }
	CommonPrefixes []struct{ Prefix string }
}

func TestListObjectsV1Pagination(t *testing.T) {
	e := newEnv(t, Config{})
	var keys []string
	for i := range 10 {
		keys = append(keys, fmt.Sprintf("top%02d", i))
	}
	for d := range 4 {
		for i := range 8 {
			keys = append(keys, fmt.Sprintf("dir%d/f%d", d, i))
		}
	}
	keys = append(keys, "dir1/sub/x", "dir1/sub/y", "dir1/sub2/z", "dir1-sibling", "dir1/", "e/f/g/h", "z", "y/", "a/b/c/d/e/f", "a")
	sort.Strings(keys)
	for _, k := range keys {
		s := e.store
		if _, err := s.Put("bkt", k, strings.NewReader(k), store.Attrs{}, store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}

	list := func(q url.Values) listXML {
		t.Helper()
		r := e.do(t, "GET", "/bkt/", q, nil, nil)
		r.expectStatus(t, 200)
		var res listXML
		if err := xml.Unmarshal(r.body, &res); err != nil {
			t.Fatalf("%v\n%s", err, r.body)
		}
		return res
	}

	// expected computes the full listing for prefix and delimiter.
	expected := func(prefix, delimiter string) []string {
		seen := map[string]bool{}
		var out []string
		for _, k := range keys {
			if !strings.HasPrefix(k, prefix) {
				continue
			}
			item := k
			if delimiter != "" {
				if i := strings.Index(k[len(prefix):], delimiter); i >= 0 {
					item = k[:len(prefix)+i+len(delimiter)]
				}
			}
			if !seen[item] {
				seen[item] = true
				out = append(out, item)
			}
		}
		sort.Strings(out)
		return out
	}

	for _, c := range []struct {
		prefix, delimiter string
		max               int
	}{
		{"", "/", 3}, {"", "/", 1}, {"", "", 7}, {"dir1/", "/", 2}, {"dir", "/", 4}, {"", "/", 1000}, {"a", "/", 1}, {"", "sub", 5},
	} {
		t.Run(fmt.Sprintf("prefix=%q,delimiter=%q,max=%d", c.prefix, c.delimiter, c.max), func(t *testing.T) {
			var got []string
			seen := map[string]bool{}
			marker := ""
			for pages := 0; ; pages++ {
				if pages > len(keys)+2 {
					t.Fatalf("listing does not end; got %q", got)
				}
				q := qv("max-keys", strconv.Itoa(c.max), "marker", marker, "prefix", c.prefix, "delimiter", c.delimiter)
				res := list(q)
				var page []string
				for _, o := range res.Contents {
					page = append(page, o.Key)
				}
				for _, p := range res.CommonPrefixes {
					page = append(page, p.Prefix)
				}
				if len(page) > c.max {
					t.Fatalf("page of %d items for max-keys %d", len(page), c.max)
				}
				if res.Marker != marker || res.MaxKeys != c.max || res.Prefix != c.prefix || res.Delimiter != c.delimiter || res.Name != "bkt" {
					t.Fatalf("echoed parameters %+v", res)
				}
				sort.Strings(page)
				for _, it := range page {
					if seen[it] {
						t.Fatalf("%q listed twice", it)
					}
					if it <= marker {
						t.Fatalf("%q is not after marker %q", it, marker)
					}
					seen[it] = true
					got = append(got, it)
				}
				if !res.IsTruncated {
					if res.NextMarker != "" {
						t.Fatalf("NextMarker %q on the last page", res.NextMarker)
					}
					break
				}
				if len(page) == 0 || res.NextMarker != page[len(page)-1] {
					t.Fatalf("NextMarker %q, want the last item of page %q", res.NextMarker, page)
				}
				marker = res.NextMarker
			}
			sort.Strings(got)
			if want := expected(c.prefix, c.delimiter); !slices.Equal(got, want) {
				t.Fatalf("listing\n got %q\nwant %q", got, want)
			}
		})
	}

	// Default max-keys is 100 and the listing fits.
	if res := list(nil); res.MaxKeys != 100 || res.IsTruncated || len(res.Contents) != len(keys) {
		t.Fatalf("default listing: max %d truncated %v %d keys", res.MaxKeys, res.IsTruncated, len(res.Contents))
	}
	for _, bad := range []string{"1001", "-1", "x"} {
		e.do(t, "GET", "/bkt/", qv("max-keys", bad), nil, nil).expectError(t, 400, "InvalidArgument")
	}
	e.do(t, "GET", "/bkt/", qv("encoding-type", "base64"), nil, nil).expectError(t, 400, "InvalidArgument")
	e.do(t, "GET", "/nobkt/", nil, nil, nil).expectError(t, 404, "NoSuchBucket")

	// encoding-type=url.
	for _, k := range []string{"sp ace/ü", "plus+sign", "amp&er"} {
		e.do(t, "PUT", "/bkt/"+escapeAll(k), nil, nil, []byte("v")).expectStatus(t, 200)
	}
	res := list(qv("encoding-type", "url", "prefix", "sp ace/"))
	if res.EncodingType != "url" || len(res.Contents) != 1 || res.Contents[0].Key != "sp%20ace%2F%C3%BC" || res.Prefix != "sp%20ace%2F" {
		t.Fatalf("url-encoded listing: %+v", res)
	}
	res = list(qv("encoding-type", "url", "delimiter", "/", "prefix", "sp"))
	if len(res.CommonPrefixes) != 1 || res.CommonPrefixes[0].Prefix != "sp%20ace%2F" || res.Delimiter != "%2F" {
		t.Fatalf("url-encoded common prefix: %+v", res)
	}
	res = list(qv("encoding-type", "url", "prefix", "plus"))
	if len(res.Contents) != 1 || res.Contents[0].Key != "plus%2Bsign" {
		t.Fatalf("url-encoded plus: %+v", res)
	}
	// Without encoding, keys come back as they are.
	res = list(qv("prefix", "amp"))
	if len(res.Contents) != 1 || res.Contents[0].Key != "amp&er" {
		t.Fatalf("plain listing: %+v", res)
	}
}

func TestAuth(t *testing.T) {
	fixed := time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)
	e := newEnv(t, Config{Now: func() time.Time { return fixed }})
	e = e.with(func(e *env) { e.now = func() time.Time { return fixed } })
	e.do(t, "PUT", "/bkt/k", nil, nil, []byte("v")).expectStatus(t, 200)
	if d := e.do(t, "GET", "/bkt/k", nil, nil, nil).header.Get("Date"); d != fixed.Format(http.TimeFormat) {
		t.Fatalf("Date %q, want the configured clock", d)
	}

	e.with(func(e *env) { e.mode = "none" }).do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 403, "AccessDenied")
	e.with(func(e *env) { e.mode = "none" }).do(t, "GET", "/", nil, nil, nil).expectError(t, 403, "AccessDenied")
	e.with(func(e *env) { e.creds.AccessKeySecret = "wrong" }).do(t, "GET", "/bkt/k", nil, nil, nil).
		expectError(t, 403, "SignatureDoesNotMatch")
	e.with(func(e *env) { e.creds.AccessKeyID = "nobody" }).do(t, "GET", "/bkt/k", nil, nil, nil).
		expectError(t, 403, "InvalidAccessKeyId")

	// A header the signature covers, changed after signing.
	req := func(h http.Header, body []byte) *response {
		return e.with(func(e *env) { e.mode = "none" }).do(t, "GET", "/bkt/k", nil, h, body)
	}
	h := http.Header{}
	signer.SignV1("GET", "bkt", "k", url.Values{}, h, testCreds, fixed)
	req(h, nil).expectStatus(t, 200)
	h2 := h.Clone()
	h2.Set("x-oss-meta-late", "1")
	req(h2, nil).expectError(t, 403, "SignatureDoesNotMatch")
	req(hdr("Authorization", "OSS nocolon", "Date", fixed.Format(http.TimeFormat)), nil).expectError(t, 400, "InvalidArgument")
	h3 := h.Clone()
	h3.Del("Date")
	req(h3, nil).expectError(t, 403, "AccessDenied")

	// Clock skew: 16 minutes either way is refused, 14 is fine.
	for _, off := range []time.Duration{-16 * time.Minute, 16 * time.Minute} {
		skewed := e.with(func(e *env) { e.now = func() time.Time { return fixed.Add(off) } })
		skewed.do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 403, "RequestTimeTooSkewed")
		skewed.with(func(e *env) { e.mode = "v4" }).do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 403, "RequestTimeTooSkewed")
	}
	e.with(func(e *env) { e.now = func() time.Time { return fixed.Add(-14 * time.Minute) } }).
		do(t, "GET", "/bkt/k", nil, nil, nil).expectStatus(t, 200)

	// V4.
	v4 := e.with(func(e *env) { e.mode = "v4" })
	if r := v4.do(t, "GET", "/bkt/k", nil, nil, nil); r.status != 200 || string(r.body) != "v" {
		t.Fatalf("v4 GET: %d\n%s", r.status, r.body)
	}
	v4.do(t, "PUT", "/bkt/v4key", nil, hdr("Content-Type", "text/plain", "x-oss-meta-k", "v"), []byte("4")).expectStatus(t, 200)
	v4.do(t, "GET", "/bkt/v4key", qv("response-content-type", "a/b"), nil, nil).expectStatus(t, 200)
	v4.do(t, "GET", "/bkt/", qv("prefix", "v4", "max-keys", "5"), nil, nil).expectStatus(t, 200)
	v4.do(t, "GET", "/", nil, nil, nil).expectStatus(t, 200)
	v4.with(func(e *env) { e.region = "cn-beijing" }).do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 400, "InvalidArgument")
	v4.with(func(e *env) { e.creds.AccessKeySecret = "bad" }).do(t, "GET", "/bkt/k", nil, nil, nil).
		expectError(t, 403, "SignatureDoesNotMatch")

	// Presigned V1 URL.
	expires := strconv.FormatInt(fixed.Add(time.Minute).Unix(), 10)
	sts := signer.V1StringToSign("GET", "bkt", "k", url.Values{}, http.Header{"Date": {expires}})
	presigned := qv("OSSAccessKeyId", "ak", "Expires", expires, "Signature", signer.V1Signature("sk", sts))
	none := e.with(func(e *env) { e.mode = "none" })
	none.do(t, "GET", "/bkt/k", presigned, nil, nil).expectStatus(t, 200)
	presigned.Set("Signature", signer.V1Signature("other", sts))
	none.do(t, "GET", "/bkt/k", presigned, nil, nil).expectError(t, 403, "SignatureDoesNotMatch")
	old := strconv.FormatInt(fixed.Add(-time.Minute).Unix(), 10)
	sts = signer.V1StringToSign("GET", "bkt", "k", url.Values{}, http.Header{"Date": {old}})
	none.do(t, "GET", "/bkt/k", qv("OSSAccessKeyId", "ak", "Expires", old, "Signature", signer.V1Signature("sk", sts)), nil, nil).
		expectError(t, 403, "AccessDenied")

	// Anonymous access.
	anon := newEnv(t, Config{Anonymous: true})
	a := anon.with(func(e *env) { e.mode = "none" })
	a.do(t, "PUT", "/bkt/anon", nil, nil, []byte("free")).expectStatus(t, 200)
	if r := a.do(t, "GET", "/bkt/anon", nil, nil, nil); r.status != 200 || string(r.body) != "free" {
		t.Fatalf("anonymous GET: %d %q", r.status, r.body)
	}
	anon.do(t, "GET", "/bkt/anon", nil, nil, nil).expectStatus(t, 200)
	anon.with(func(e *env) { e.creds.AccessKeySecret = "wrong" }).do(t, "GET", "/bkt/anon", nil, nil, nil).
		expectError(t, 403, "SignatureDoesNotMatch")
}

func TestAddressingStyles(t *testing.T) {
	e := newEnv(t, Config{})
	vhost := hdr("Host", "bkt.oss-cn-hangzhou.aliyuncs.com")
	e.do(t, "PUT", "/bkt/dir/a.txt", nil, nil, []byte("path style")).expectStatus(t, 200)
	if r := e.do(t, "GET", "/dir/a.txt", nil, vhost, nil); r.status != 200 || string(r.body) != "path style" {
		t.Fatalf("virtual-hosted GET: %d %q", r.status, r.body)
	}
	e.do(t, "PUT", "/dir/b.txt", nil, vhost, []byte("virtual")).expectStatus(t, 200)
	if r := e.do(t, "GET", "/bkt/dir/b.txt", nil, nil, nil); r.status != 200 || string(r.body) != "virtual" {
		t.Fatalf("path-style GET: %d %q", r.status, r.body)
	}
	// Bucket level, virtual-hosted: a listing of the same bucket.
	r := e.do(t, "GET", "/", qv("prefix", "dir/"), vhost, nil)
	r.expectStatus(t, 200)
	var res listXML
	if err := xml.Unmarshal(r.body, &res); err != nil || res.Name != "bkt" || len(res.Contents) != 2 {
		t.Fatalf("virtual-hosted listing: %v %+v", err, res)
	}
	// localhost-style virtual host with a port.
	if r := e.do(t, "GET", "/dir/a.txt", nil, hdr("Host", "bkt.localhost:9000"), nil); r.status != 200 || string(r.body) != "path style" {
		t.Fatalf("bkt.localhost GET: %d %q", r.status, r.body)
	}
	// A path-style Host without a dot.
	if r := e.do(t, "GET", "/bkt/dir/a.txt", nil, hdr("Host", "localhost:9000"), nil); r.status != 200 {
		t.Fatalf("localhost path style: %d", r.status)
	}
	// Errors name the bucket's host.
	d := e.do(t, "GET", "/nope", nil, vhost, nil).expectError(t, 404, "NoSuchKey")
	if d.HostID != "bkt.oss-cn-hangzhou.aliyuncs.com" {
		t.Fatalf("HostId %q", d.HostID)
	}
	d = e.do(t, "GET", "/bkt/nope", nil, nil, nil).expectError(t, 404, "NoSuchKey")
	if !strings.HasPrefix(d.HostID, "bkt.127.0.0.1:") {
		t.Fatalf("path-style HostId %q", d.HostID)
	}
	// Service level.
	r = e.do(t, "GET", "/", nil, nil, nil)
	r.expectStatus(t, 200)
	if !bytes.Contains(r.body, []byte("<Name>bkt</Name>")) {
		t.Fatalf("ListBuckets:\n%s", r.body)
	}
	// Bad bucket names.
	e.do(t, "GET", "/BK/x", nil, nil, nil).expectError(t, 400, "InvalidBucketName")
	e.do(t, "GET", "/x", nil, hdr("Host", "Upper_Case.example.com"), nil).expectError(t, 400, "InvalidBucketName")
}

func TestOddKeys(t *testing.T) {
	e := newEnv(t, Config{})
	keys := []string{"./a", ".", "..x", "a//b", "a/./b/", "%2F", "q?x=1#frag", "sp ace", "ü/€", "back\\slash", "~tilde", "a;b", "+plus"}
	for _, k := range keys {
		e.do(t, "PUT", "/bkt/"+escapeAll(k), nil, nil, []byte("key:"+k)).expectStatus(t, 200)
	}
	for _, k := range keys {
		r := e.do(t, "GET", "/bkt/"+escapeAll(k), nil, nil, nil)
		if r.status != 200 || string(r.body) != "key:"+k {
			t.Errorf("GET %q: %d %q", k, r.status, r.body)
		}
	}
	// Paths sent unescaped are taken literally too: the server never cleans them. A ".." segment,
	// escaped or not, is refused: such a key would climb out of a directory wherever keys become paths.
	for _, p := range []string{"/bkt/a/../../b", "/bkt/../x", "/bkt/" + escapeAll("a/../../b"), "/bkt/" + escapeAll("..")} {
		e.do(t, "PUT", p, nil, nil, []byte("v")).expectError(t, 400, "InvalidObjectName")
	}
	// The store holds exactly these keys, nothing else (no path was resolved).
	var listed []string
	if err := e.store.List("bkt", store.ListOptions{}, func(o store.ObjectInfo) bool {
		listed = append(listed, o.Key)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(keys)
	sort.Strings(want)
	if !slices.Equal(listed, want) {
		t.Fatalf("stored keys\n got %q\nwant %q", listed, want)
	}

	long := strings.Repeat("k", store.MaxKeyLen)
	e.do(t, "PUT", "/bkt/"+long, nil, nil, []byte("v")).expectStatus(t, 200)
	e.do(t, "GET", "/bkt/"+long, nil, nil, nil).expectStatus(t, 200)
	e.do(t, "PUT", "/bkt/"+long+"k", nil, nil, []byte("v")).expectError(t, 400, "InvalidObjectName")
	e.do(t, "GET", "/bkt/"+long+"k", nil, nil, nil).expectError(t, 400, "InvalidObjectName")
	// 1024 bytes of multi-byte characters.
	e.do(t, "PUT", "/bkt/"+escapeAll(strings.Repeat("é", 512)), nil, nil, []byte("v")).expectError(t, 400, "InvalidObjectName")

	// Other invalid keys.
	e.do(t, "PUT", "/bkt/%00nul", nil, nil, []byte("v")).expectError(t, 400, "InvalidObjectName")
	e.do(t, "PUT", "/bkt/%FFbad-utf8", nil, nil, []byte("v")).expectError(t, 400, "InvalidObjectName")
	e.do(t, "PUT", "/bkt//leading-slash", nil, nil, []byte("v")).expectError(t, 400, "InvalidObjectName")
	e.do(t, "PUT", "/bkt/%5Cleading-backslash", nil, nil, []byte("v")).expectError(t, 400, "InvalidObjectName")
	// net/http itself refuses a bad escape in the path before the handler runs, so a path the
	// handler cannot use reaches it only without a leading slash.
	w := httptest.NewRecorder()
	New(Config{Store: e.store, Anonymous: true}).ServeHTTP(w, &http.Request{Method: "GET", URL: &url.URL{Path: "*"},
		Host: "127.0.0.1", Header: http.Header{}, Body: http.NoBody})
	if w.Code != 400 || !strings.Contains(w.Body.String(), "<Code>InvalidArgument</Code>") || w.Header().Get("x-oss-request-id") == "" {
		t.Fatalf("path *: %d %v\n%s", w.Code, w.Header(), w.Body)
	}
}

func TestRequestIDsAreUnique(t *testing.T) {
	e := newEnv(t, Config{})
	seen := map[string]bool{}
	for range 50 {
		id := e.do(t, "GET", "/bkt/none", nil, nil, nil).header.Get("x-oss-request-id")
		if seen[id] {
			t.Fatalf("request id %q repeated", id)
		}
		seen[id] = true
	}
	e.do(t, "PATCH", "/bkt/k", nil, nil, nil).expectError(t, 501, "NotImplemented")
	e.do(t, "DELETE", "/", nil, nil, nil).expectError(t, 405, "MethodNotAllowed")
	e.do(t, "GET", "/bkt/k", nil, nil, nil).expectError(t, 404, "NoSuchKey")
}

func TestBuckets(t *testing.T) {
	e := newEnv(t, Config{})
	e.do(t, "PUT", "/newbkt", nil, nil, nil).expectStatus(t, 200)
	// Creating a bucket one owns again is a no-op, as on OSS.
	e.do(t, "PUT", "/newbkt", nil, nil, nil).expectStatus(t, 200)
	e.do(t, "PUT", "/newbkt/k", nil, nil, []byte("v")).expectStatus(t, 200)
	e.do(t, "DELETE", "/newbkt", nil, nil, nil).expectError(t, 409, "BucketNotEmpty")
	r := e.do(t, "GET", "/newbkt/", qv("location"), nil, nil)
	if r.status != 200 || !bytes.Contains(r.body, []byte("oss-cn-hangzhou")) {
		t.Fatalf("location: %d %s", r.status, r.body)
	}
	e.do(t, "GET", "/newbkt/", qv("bucketInfo"), nil, nil).expectStatus(t, 200)
	e.do(t, "DELETE", "/newbkt/k", nil, nil, nil).expectStatus(t, 204)
	e.do(t, "DELETE", "/newbkt", nil, nil, nil).expectStatus(t, 204)
	e.do(t, "DELETE", "/newbkt", nil, nil, nil).expectError(t, 404, "NoSuchBucket")
	e.do(t, "GET", "/newbkt/", qv("bucketInfo"), nil, nil).expectError(t, 404, "NoSuchBucket")
}

// brokenStore fails the way a disk can: with errors the server has no OSS code for.
type brokenStore struct{ store.Store }

var errDisk = errors.New("input/output error")

func (brokenStore) Open(string, string) (store.ObjectInfo, store.ReadAtCloser, error) {
	return store.ObjectInfo{}, nil, errDisk
}

func (brokenStore) Stat(string, string) (store.ObjectInfo, error) { return store.ObjectInfo{}, errDisk }

func (brokenStore) OpenVersion(string, string, string) (store.ObjectInfo, store.ReadAtCloser, error) {
	return store.ObjectInfo{}, nil, errDisk
}

func (brokenStore) StatVersion(string, string, string) (store.ObjectInfo, error) {
	return store.ObjectInfo{}, errDisk
}

func (brokenStore) Put(string, string, io.Reader, store.Attrs, store.PutOptions) (store.ObjectInfo, error) {
	return store.ObjectInfo{}, errDisk
}

func (brokenStore) CreateBucket(string) (store.BucketInfo, error) { return store.BucketInfo{}, errDisk }

func (brokenStore) CreateBucketWith(string, store.BucketOptions) (store.BucketInfo, error) {
	return store.BucketInfo{}, errDisk
}

// TestStoreFailureIsInternalError: an unexpected store error must reach the client as a 5xx, never
// as a success.
func TestStoreFailureIsInternalError(t *testing.T) {
	mem := store.NewMemory(nil)
	if _, err := mem.CreateBucket("bkt"); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, Config{Store: brokenStore{mem}})
	var bugs []string
	for _, c := range []struct {
		method, path string
		q            url.Values
		body         []byte
	}{
		{"GET", "/bkt/k", nil, nil},
		{"HEAD", "/bkt/k", nil, nil},
		{"HEAD", "/bkt/k", qv("objectMeta"), nil},
		{"PUT", "/bkt/k", nil, []byte("v")},
		{"PUT", "/newbkt", nil, nil},
	} {
		r := e.do(t, c.method, c.path, c.q, nil, c.body)
		if r.status < 500 {
			bugs = append(bugs, fmt.Sprintf("%s %s?%s -> %d", c.method, c.path, encodeQuery(c.q), r.status))
		}
	}
	if len(bugs) > 0 {
		t.Fatal("errors.go storeError returns nil for unknown store errors (callers then answer 200 with an empty body) and objects.go writeFailed maps them to 400 RequestTimeout; want 500 InternalError: " + strings.Join(bugs, "; "))
	}
}

// TestServiceEndpointHost: a Host that is an OSS endpoint itself, with no bucket label in front,
// is the service (ListBuckets) or path style, as it is for OSS; it is not a bucket named after the
// region.
func TestServiceEndpointHost(t *testing.T) {
	e := newEnv(t, Config{})
	e.do(t, "PUT", "/bkt/k", nil, nil, []byte("v")).expectStatus(t, 200)
	endpoint := hdr("Host", "oss-cn-hangzhou.aliyuncs.com")
	r := e.do(t, "GET", "/", nil, endpoint, nil)
	if r.status == 404 && bytes.Contains(r.body, []byte("<BucketName>oss-cn-hangzhou</BucketName>")) {
		t.Fatal("server.go parseTarget takes the first label of any non-IP Host with a dot as the bucket, so the service endpoint oss-cn-hangzhou.aliyuncs.com (and path-style requests to any DNS name, e.g. myhost.lan:9000/bkt/key) address a bucket named oss-cn-hangzhou / myhost")
	}
	r.expectStatus(t, 200)
	if !bytes.Contains(r.body, []byte("<Name>bkt</Name>")) {
		t.Fatalf("ListBuckets through the endpoint host:\n%s", r.body)
	}
	if g := e.do(t, "GET", "/bkt/k", nil, endpoint, nil); g.status != 200 || string(g.body) != "v" {
		t.Fatalf("path style through the endpoint host: %d %q", g.status, g.body)
	}
}

// serveRecorded runs one request through ServeHTTP, turning a panic into an error.
func serveRecorded(s *Server, r *http.Request) (w *httptest.ResponseRecorder, panicked any) {
	w = httptest.NewRecorder()
	defer func() { panicked = recover() }()
	s.ServeHTTP(w, r)
	return w, nil
}

func TestListBucketsPaging(t *testing.T) {
	mem := store.NewMemory(nil)
	for _, b := range []string{"b-1", "b-2", "b-3", "other"} {
		if _, err := mem.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	e := newEnv(t, Config{Store: mem})
	type bucketsXML struct {
		IsTruncated bool
		NextMarker  string
		Buckets     []struct{ Name string } `xml:"Buckets>Bucket"`
	}
	var got []string
	marker := ""
	for range 10 {
		r := e.do(t, "GET", "/", qv("prefix", "b-", "max-keys", "2", "marker", marker), nil, nil)
		r.expectStatus(t, 200)
		var res bucketsXML
		if err := xml.Unmarshal(r.body, &res); err != nil {
			t.Fatal(err)
		}
		for _, b := range res.Buckets {
			got = append(got, b.Name)
		}
		if !res.IsTruncated {
			break
		}
		if res.NextMarker != got[len(got)-1] {
			t.Fatalf("NextMarker %q after %q", res.NextMarker, got)
		}
		marker = res.NextMarker
	}
	if !slices.Equal(got, []string{"b-1", "b-2", "b-3"}) {
		t.Fatalf("buckets %q", got)
	}
	e.do(t, "GET", "/", qv("max-keys", "1001"), nil, nil).expectError(t, 400, "InvalidArgument")

	// max-keys=0 (found by FuzzServeRequest).
	s := New(Config{Store: mem, Anonymous: true})
	req := httptest.NewRequest("GET", "/?max-keys=0", nil)
	req.Host = "127.0.0.1:9000"
	w, p := serveRecorded(s, req)
	if p != nil {
		t.Fatalf("buckets.go:58 listBuckets panics with max-keys=0 (res.Buckets[len(res.Buckets)-1] on an empty page: %v); net/http then drops the connection with no response", p)
	}
	if w.Code != 200 {
		t.Fatalf("max-keys=0: %d\n%s", w.Code, w.Body)
	}
}

// TestListObjectsMaxKeysZero: a truncated listing must say where to continue, or a client that
// follows NextMarker loops for ever.
func TestListObjectsMaxKeysZero(t *testing.T) {
	e := newEnv(t, Config{})
	e.do(t, "PUT", "/bkt/k", nil, nil, []byte("v")).expectStatus(t, 200)
	r := e.do(t, "GET", "/bkt/", qv("max-keys", "0"), nil, nil)
	r.expectStatus(t, 200)
	var res listXML
	if err := xml.Unmarshal(r.body, &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Contents) != 0 {
		t.Fatalf("max-keys=0 returned %d objects", len(res.Contents))
	}
	if res.IsTruncated && res.NextMarker == "" {
		t.Fatal("listing.go listPage/listObjects: max-keys=0 on a non-empty bucket answers IsTruncated=true with no NextMarker (V2: no NextContinuationToken), so paginating clients never advance")
	}
}

package oss

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/credentials"
	"github.com/pyjindo/pyjindo/go/oss/signer"
	"github.com/pyjindo/pyjindo/go/server"
	"github.com/pyjindo/pyjindo/go/server/store"
)

var testCreds = signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}

func mustNew(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	t.Cleanup(c.Close)
	return c
}

func TestEndpointRules(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		req  Request
		want string
	}{
		{"ip path style", Config{Endpoint: "127.0.0.1:9000"}, Request{Bucket: "bkt", Key: "key"}, "http://127.0.0.1:9000/bkt/key"},
		{"ip no port", Config{Endpoint: "10.0.0.1"}, Request{Bucket: "bkt", Key: "a/b"}, "http://10.0.0.1/bkt/a/b"},
		{"ip with scheme", Config{Endpoint: "https://127.0.0.1:9000"}, Request{Bucket: "bkt", Key: "key"}, "https://127.0.0.1:9000/bkt/key"},
		{"ipv6 with port", Config{Endpoint: "[::1]:9000"}, Request{Bucket: "bkt", Key: "key"}, "http://[::1]:9000/bkt/key"},
		{"localhost", Config{Endpoint: "localhost:9000"}, Request{Bucket: "bkt", Key: "key"}, "http://localhost:9000/bkt/key"},
		{"localhost no port", Config{Endpoint: "localhost"}, Request{Bucket: "bkt", Key: "key"}, "http://localhost/bkt/key"},
		{"domain virtual hosted", Config{Endpoint: "oss-cn-hangzhou.aliyuncs.com"}, Request{Bucket: "bkt", Key: "key"}, "http://bkt.oss-cn-hangzhou.aliyuncs.com/key"},
		{"domain https", Config{Endpoint: "https://oss-cn-hangzhou.aliyuncs.com"}, Request{Bucket: "bkt", Key: "key"}, "https://bkt.oss-cn-hangzhou.aliyuncs.com/key"},
		{"scheme upper case", Config{Endpoint: "HTTPS://oss-cn-hangzhou.aliyuncs.com"}, Request{Bucket: "bkt", Key: "key"}, "https://bkt.oss-cn-hangzhou.aliyuncs.com/key"},
		{"trailing slash", Config{Endpoint: "http://oss-cn-hangzhou.aliyuncs.com/"}, Request{Bucket: "bkt", Key: "key"}, "http://bkt.oss-cn-hangzhou.aliyuncs.com/key"},
		{"surrounding space", Config{Endpoint: "  oss-cn-hangzhou.aliyuncs.com  "}, Request{Bucket: "bkt", Key: "key"}, "http://bkt.oss-cn-hangzhou.aliyuncs.com/key"},
		{"domain bucket only", Config{Endpoint: "oss-cn-hangzhou.aliyuncs.com"}, Request{Bucket: "bkt"}, "http://bkt.oss-cn-hangzhou.aliyuncs.com/"},
		{"service level", Config{Endpoint: "oss-cn-hangzhou.aliyuncs.com"}, Request{}, "http://oss-cn-hangzhou.aliyuncs.com/"},
		{"service level ip", Config{Endpoint: "127.0.0.1:9000"}, Request{}, "http://127.0.0.1:9000/"},
		{"cname", Config{Endpoint: "https://cdn.example.com", IsCname: true}, Request{Bucket: "bkt", Key: "dir/key"}, "https://cdn.example.com/dir/key"},
		{"cname bucket only", Config{Endpoint: "cdn.example.com", IsCname: true}, Request{Bucket: "bkt"}, "http://cdn.example.com/"},
		{"path style forced", Config{Endpoint: "oss-cn-hangzhou.aliyuncs.com", PathStyle: true}, Request{Bucket: "bkt", Key: "key"}, "http://oss-cn-hangzhou.aliyuncs.com/bkt/key"},
		{"path style bucket only", Config{Endpoint: "oss.example.com:8080", PathStyle: true}, Request{Bucket: "bkt"}, "http://oss.example.com:8080/bkt/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, tc.cfg)
			if got := c.URL(&tc.req); got != tc.want {
				t.Errorf("URL = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEndpointIPv6NoPortIsPathStyle(t *testing.T) {
	// oss2's is_ip_or_localhost strips the brackets of an IPv6 literal, port or not.
	c := mustNew(t, Config{Endpoint: "[::1]"})
	got := c.URL(&Request{Bucket: "bkt", Key: "key"})
	if want := "http://[::1]/bkt/key"; got != want {
		t.Fatalf("bracketed IPv6 endpoint without port is treated as a domain: URL = %q, want %q", got, want)
	}
}

func TestInvalidEndpoints(t *testing.T) {
	for _, ep := range []string{"", "   ", "http://", "http://a b", "a b", "ftp://x", "file:///etc/passwd", "http://host/path", "host?x=1", "host#frag"} {
		c, err := New(Config{Endpoint: ep})
		var ce *ClientError
		if !errors.As(err, &ce) {
			t.Errorf("New(%q) = %v, %v; want *ClientError", ep, c, err)
			continue
		}
		if !strings.Contains(ce.Error(), "endpoint") {
			t.Errorf("New(%q) message %q does not mention the endpoint", ep, ce.Error())
		}
	}
}

func TestKeyEscaping(t *testing.T) {
	c := mustNew(t, Config{Endpoint: "127.0.0.1:9000"})
	cases := map[string]string{
		"plain":          "plain",
		"a b":            "a%20b",
		"a+b":            "a%2Bb",
		"a?b":            "a%3Fb",
		"a#b":            "a%23b",
		"a%b":            "a%25b",
		"a%20b":          "a%2520b",
		"dir/sub/file":   "dir/sub/file",
		"/lead//double/": "/lead//double/",
		"-_.~":           "-_.~",
		"中文.txt":         "%E4%B8%AD%E6%96%87.txt",
		"é":              "%C3%A9",
		"a&b=c;d":        "a%26b%3Dc%3Bd",
		"x\x00y\n":       "x%00y%0A",
		"'\"<>!*()":      "%27%22%3C%3E%21%2A%28%29",
	}
	for key, want := range cases {
		got := c.URL(&Request{Bucket: "bkt", Key: key})
		if got != "http://127.0.0.1:9000/bkt/"+want {
			t.Errorf("key %q: URL = %q, want path /bkt/%s", key, got, want)
		}
	}
}

func TestQueryEncoding(t *testing.T) {
	c := mustNew(t, Config{Endpoint: "oss-cn-hangzhou.aliyuncs.com"})
	cases := []struct {
		q    [][2]string
		want string
	}{
		{nil, "http://bkt.oss-cn-hangzhou.aliyuncs.com/k"},
		{[][2]string{{"uploads", ""}}, "http://bkt.oss-cn-hangzhou.aliyuncs.com/k?uploads"},
		{[][2]string{{"partNumber", "3"}, {"uploadId", "U 1+/="}}, "http://bkt.oss-cn-hangzhou.aliyuncs.com/k?partNumber=3&uploadId=U%201%2B%2F%3D"},
		{[][2]string{{"prefix", "a b"}, {"delimiter", "/"}, {"acl", ""}}, "http://bkt.oss-cn-hangzhou.aliyuncs.com/k?prefix=a%20b&delimiter=%2F&acl"},
		{[][2]string{{"marker", "中"}, {"x-oss-process", "image/resize,w_100"}}, "http://bkt.oss-cn-hangzhou.aliyuncs.com/k?marker=%E4%B8%AD&x-oss-process=image%2Fresize%2Cw_100"},
		{[][2]string{{"z", "1"}, {"a", "2"}}, "http://bkt.oss-cn-hangzhou.aliyuncs.com/k?z=1&a=2"}, // order kept
	}
	for _, tc := range cases {
		if got := c.URL(&Request{Bucket: "bkt", Key: "k", Query: tc.q}); got != tc.want {
			t.Errorf("query %v: URL = %q, want %q", tc.q, got, tc.want)
		}
	}
}

// testServer is an in-process jindo server with bucket "bkt".
type testServer struct {
	addr  string
	store store.Store
}

func startServer(t *testing.T, cfg server.Config) *testServer {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = store.NewMemory(nil)
	}
	if cfg.Credentials == nil {
		cfg.Credentials = map[string]string{"ak": "sk"}
	}
	if _, err := cfg.Store.CreateBucket("bkt"); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(cfg)
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return &testServer{addr: ln.Addr().String(), store: cfg.Store}
}

func put(t *testing.T, c *Client, key string, data []byte) {
	t.Helper()
	resp, err := c.Do(context.Background(), &Request{Method: "PUT", Bucket: "bkt", Key: key,
		Body: bytes.NewReader(data), ContentLength: int64(len(data))})
	if err != nil {
		t.Fatalf("PUT %q: %v", key, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

func get(t *testing.T, c *Client, key string) []byte {
	t.Helper()
	resp, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: key})
	if err != nil {
		t.Fatalf("GET %q: %v", key, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %q: status %d", key, resp.StatusCode)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDoPutGetSpecialKeys(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	keys := []string{"plain.txt", "dir/a b+c?d#e%f.txt", "中文/ü ñ.bin", "x&y=z;~!*'()", "a//b/", "%2F"}
	for i, key := range keys {
		data := []byte(strings.Repeat(key, i+1))
		put(t, c, key, data)
		if got := get(t, c, key); !bytes.Equal(got, data) {
			t.Errorf("GET %q = %q, want %q", key, got, data)
		}
		if _, err := ts.store.Bucket("bkt"); err != nil {
			t.Fatal(err)
		}
	}
	// Query parameters are signed too: list with a prefix that needs escaping, and a bare one.
	resp, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt",
		Query: [][2]string{{"prefix", "dir/a b+"}, {"encoding-type", "url"}}})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	doc, err := ParseDocument("list_objects", body)
	if err != nil {
		t.Fatal(err)
	}
	contents := doc.(*ListObjectsResult).Contents
	if len(contents) != 1 {
		t.Fatalf("list prefix: %d contents, want 1: %s", len(contents), body)
	}
	// Empty body PUT (ContentLength 0 with a non-nil reader) and read back.
	resp, err = c.Do(context.Background(), &Request{Method: "PUT", Bucket: "bkt", Key: "empty",
		Body: strings.NewReader(""), ContentLength: 0})
	if err != nil {
		t.Fatalf("PUT empty: %v", err)
	}
	resp.Body.Close()
	if got := get(t, c, "empty"); len(got) != 0 {
		t.Errorf("empty object read back %q", got)
	}
}

func TestDoUnknownLengthBody(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	data := bytes.Repeat([]byte("0123456789"), 1000)
	resp, err := c.Do(context.Background(), &Request{Method: "PUT", Bucket: "bkt", Key: "chunked",
		Body: io.MultiReader(bytes.NewReader(data)), ContentLength: -1})
	if err != nil {
		t.Fatalf("PUT chunked: %v", err)
	}
	resp.Body.Close()
	if got := get(t, c, "chunked"); !bytes.Equal(got, data) {
		t.Errorf("chunked object read back %d bytes, want %d", len(got), len(data))
	}
}

func TestHeadMissingKeyServiceError(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	resp, err := c.Do(context.Background(), &Request{Method: "HEAD", Bucket: "bkt", Key: "no such/key"})
	if resp != nil {
		t.Errorf("got response %v with error", resp.Status)
	}
	var se *ServiceError
	if !errors.As(err, &se) {
		t.Fatalf("HEAD missing: err = %T %v, want *ServiceError", err, err)
	}
	if se.Status != 404 || se.Code != "NoSuchKey" {
		t.Errorf("Status, Code = %d, %q; want 404, NoSuchKey", se.Status, se.Code)
	}
	if se.Message == "" {
		t.Error("Message is empty")
	}
	if rid := se.Header.Get("x-oss-request-id"); rid == "" || se.RequestID != rid {
		t.Errorf("RequestID = %q, header x-oss-request-id = %q", se.RequestID, rid)
	}
	if se.HostID == "" || se.EC == "" {
		t.Errorf("HostID = %q, EC = %q; want both set", se.HostID, se.EC)
	}
	if se.EC != se.Header.Get("x-oss-ec") {
		t.Errorf("EC = %q, header x-oss-ec = %q", se.EC, se.Header.Get("x-oss-ec"))
	}
	if se.Details["Key"] != "no such/key" {
		t.Errorf("Details[Key] = %q, want %q (details %v)", se.Details["Key"], "no such/key", se.Details)
	}
	if len(se.Body) != 0 {
		t.Errorf("HEAD error has a body: %q", se.Body)
	}
	for _, s := range []string{"404", "NoSuchKey", se.RequestID} {
		if !strings.Contains(se.Error(), s) {
			t.Errorf("Error() = %q lacks %q", se.Error(), s)
		}
	}
	if se.NextAppendPosition() != -1 {
		t.Errorf("NextAppendPosition = %d, want -1", se.NextAppendPosition())
	}
}

func TestGetMissingKeyServiceErrorFromBody(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	_, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "missing"})
	var se *ServiceError
	if !errors.As(err, &se) {
		t.Fatalf("GET missing: err = %v, want *ServiceError", err)
	}
	if se.Status != 404 || se.Code != "NoSuchKey" || se.Details["Key"] != "missing" || len(se.Body) == 0 {
		t.Errorf("ServiceError = %+v", se)
	}
	if se.RequestID != se.Header.Get("x-oss-request-id") || se.HostID == "" || se.EC == "" {
		t.Errorf("RequestID %q HostID %q EC %q", se.RequestID, se.HostID, se.EC)
	}

	_, err = c.Do(context.Background(), &Request{Method: "GET", Bucket: "nobucket", Key: "k"})
	if !errors.As(err, &se) || se.Code != "NoSuchBucket" || se.Details["BucketName"] != "nobucket" {
		t.Errorf("missing bucket: %v", err)
	}
}

func TestNotModifiedIsServiceError(t *testing.T) {
	// oss2 raises NotModified for a 304, so the client reports it as a *ServiceError.
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	put(t, c, "k", []byte("data"))
	resp, err := c.Do(context.Background(), &Request{Method: "HEAD", Bucket: "bkt", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	_, err = c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k",
		Header: http.Header{"If-None-Match": {etag}}})
	var se *ServiceError
	if !errors.As(err, &se) || se.Status != 304 {
		t.Fatalf("If-None-Match GET: err = %v, want *ServiceError 304", err)
	}
}

func TestAppendPositionError(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	appendAt := func(pos string, data string) error {
		resp, err := c.Do(context.Background(), &Request{Method: "POST", Bucket: "bkt", Key: "log",
			Query: [][2]string{{"append", ""}, {"position", pos}}, Body: strings.NewReader(data), ContentLength: int64(len(data))})
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	if err := appendAt("0", "hello"); err != nil {
		t.Fatalf("append: %v", err)
	}
	err := appendAt("0", "again")
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "PositionNotEqualToLength" {
		t.Fatalf("append at wrong position: %v", err)
	}
	if se.NextAppendPosition() != 5 {
		t.Errorf("NextAppendPosition = %d, want 5", se.NextAppendPosition())
	}
}

func TestWrongSecret(t *testing.T) {
	ts := startServer(t, server.Config{})
	for _, v := range []string{"v1", "v4"} {
		c := mustNew(t, Config{Endpoint: ts.addr, SignVersion: v, Region: "cn-hangzhou",
			Credentials: signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "wrong"}})
		for _, method := range []string{"GET", "HEAD"} {
			_, err := c.Do(context.Background(), &Request{Method: method, Bucket: "bkt", Key: "k"})
			var se *ServiceError
			if !errors.As(err, &se) || se.Code != "SignatureDoesNotMatch" || se.Status != 403 {
				t.Errorf("%s %s with wrong secret: %v, want 403 SignatureDoesNotMatch", v, method, err)
			}
		}
	}
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: signer.Credentials{AccessKeyID: "nobody", AccessKeySecret: "sk"}})
	_, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "InvalidAccessKeyId" {
		t.Errorf("unknown access key: %v, want InvalidAccessKeyId", err)
	}
}

func TestUnknownSignVersionIsRefused(t *testing.T) {
	if _, err := New(Config{Endpoint: "127.0.0.1:1", SignVersion: "v3"}); err == nil {
		t.Fatal("sign version v3 accepted")
	}
}

func TestV2SigningAgainstTheServer(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds, SignVersion: "v2"})
	key := "v2/a b+c?.txt"
	put(t, c, key, []byte("v2 data"))
	if got := get(t, c, key); string(got) != "v2 data" {
		t.Errorf("GET = %q", got)
	}
	resp, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: key, Header: http.Header{"Range": {"bytes=0-1"}}})
	if err != nil {
		t.Fatalf("ranged v2 GET: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 206 || string(body) != "v2" {
		t.Errorf("ranged v2 GET: %d %q", resp.StatusCode, body)
	}
	bad := mustNew(t, Config{Endpoint: ts.addr, SignVersion: "v2", Credentials: signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "wrong"}})
	_, err = bad.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: key})
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "SignatureDoesNotMatch" {
		t.Errorf("wrong v2 secret: %v", err)
	}
}

func TestPresignedURLsWorkAgainstTheServer(t *testing.T) {
	ts := startServer(t, server.Config{})
	for _, v := range []string{"v1", "v2", "v4"} {
		c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds, SignVersion: v, Region: "cn-hangzhou"})
		key := v + "/a b+c?.txt"
		header := http.Header{"Content-Type": {"text/plain"}, "X-Oss-Meta-K": {"v"}}
		u := c.Presign(&Request{Method: "PUT", Bucket: "bkt", Key: key, Header: header}, 60, false, nil, time.Now())
		req, _ := http.NewRequest("PUT", u, strings.NewReader("presigned "+v))
		req.Header = header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s presigned PUT: %d (%s)", v, resp.StatusCode, u)
		}
		u = c.Presign(&Request{Method: "GET", Bucket: "bkt", Key: key}, 60, true, nil, time.Now())
		resp, err = http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != "presigned "+v {
			t.Errorf("%s presigned GET: %d %q", v, resp.StatusCode, body)
		}
	}
}

func TestV4Signing(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds, SignVersion: "v4", Region: "cn-hangzhou"})
	key := "v4/a b+c?.txt"
	put(t, c, key, []byte("v4 data"))
	if got := get(t, c, key); string(got) != "v4 data" {
		t.Errorf("GET = %q", got)
	}
	resp, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt",
		Query: [][2]string{{"list-type", "2"}, {"prefix", "v4/"}, {"max-keys", "10"}}})
	if err != nil {
		t.Fatalf("v4 list: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	doc, err := ParseDocument("list_objects_v2", body)
	if err != nil {
		t.Fatal(err)
	}
	if kc := doc.(*ListObjectsV2Result).KeyCount; kc != 1 {
		t.Errorf("key_count = %v, want 1", kc)
	}
	resp, err = c.Do(context.Background(), &Request{Method: "POST", Bucket: "bkt", Key: "mp",
		Query: [][2]string{{"uploads", ""}}})
	if err != nil {
		t.Fatalf("v4 initiate multipart: %v", err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	doc, err = ParseDocument("init_multipart_upload", body)
	if init, ok := doc.(*InitiateMultipartUploadResult); err != nil || !ok || init.UploadID == "" {
		t.Errorf("init multipart: %v %v", doc, err)
	}
}

func TestAnonymous(t *testing.T) {
	ts := startServer(t, server.Config{Anonymous: true})
	c := mustNew(t, Config{Endpoint: ts.addr, SignVersion: "anonymous", Credentials: testCreds})
	put(t, c, "anon", []byte("x"))
	if got := get(t, c, "anon"); string(got) != "x" {
		t.Errorf("GET = %q", got)
	}
	// The same anonymous client is refused by a server that wants signatures.
	strict := startServer(t, server.Config{})
	c = mustNew(t, Config{Endpoint: strict.addr, SignVersion: "anonymous"})
	_, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "AccessDenied" || se.Status != 403 {
		t.Errorf("anonymous against strict server: %v, want 403 AccessDenied", err)
	}
}

func TestEmptyKeysAreSignedNotAnonymous(t *testing.T) {
	// As oss2: empty keys sign ("OSS :signature"), and OSS refuses the header, even where
	// unsigned requests would be let in.
	ts := startServer(t, server.Config{Anonymous: true})
	for _, version := range []string{"v1", "v2", "v4"} {
		c := mustNew(t, Config{Endpoint: ts.addr, SignVersion: version, Region: "cn-hangzhou"})
		_, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
		var se *ServiceError
		if !errors.As(err, &se) || se.Status != 400 || se.Code != "InvalidArgument" {
			t.Errorf("%s with empty keys: %v, want 400 InvalidArgument", version, err)
		}
	}
	c := mustNew(t, Config{Endpoint: ts.addr})
	u := c.Presign(&Request{Method: "GET", Bucket: "bkt", Key: "k"}, 60, false, nil, time.Unix(1700000000, 0))
	if !strings.Contains(u, "?OSSAccessKeyId&Expires=1700000060&Signature=") {
		t.Errorf("presigned with empty keys: %s", u)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := mustNew(t, Config{Endpoint: addr, Credentials: testCreds, ConnectTimeout: 2 * time.Second})
	_, err = c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	var re *RequestError
	if !errors.As(err, &re) {
		t.Fatalf("err = %T %v, want *RequestError", err, err)
	}
	if re.Unwrap() == nil || !strings.HasPrefix(re.Error(), "oss: request failed: ") {
		t.Errorf("RequestError = %q, unwrap %v", re.Error(), re.Unwrap())
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("RequestError does not unwrap to *net.OpError: %v", err)
	}
}

func TestCancelledContext(t *testing.T) {
	// A server that never answers: the request must end with the context.
	block := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer hs.Close()
	defer close(block)
	c := mustNew(t, Config{Endpoint: hs.URL, Credentials: testCreds})

	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err := c.Do(ctx, &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %T %v, want context.Canceled", err, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Do took %v after cancel", d)
	}

	ctx, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	_, err = c.Do(ctx, &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %T %v, want context.DeadlineExceeded", err, err)
	}

	// Already cancelled: returns at once without sending.
	ctx, cancel3 := context.WithCancel(context.Background())
	cancel3()
	start = time.Now()
	_, err = c.Do(ctx, &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Errorf("pre-cancelled: err = %v after %v", err, time.Since(start))
	}
}

func TestReadTimeoutIsRequestError(t *testing.T) {
	block := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer hs.Close()
	defer close(block)
	c := mustNew(t, Config{Endpoint: hs.URL, ReadTimeout: 100 * time.Millisecond})
	_, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	var re *RequestError
	if !errors.As(err, &re) {
		t.Errorf("err = %T %v, want *RequestError", err, err)
	}
}

// recorder is an httptest server that keeps each request's headers and URL.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	hs   *httptest.Server
}

func newRecorder(t *testing.T, h http.HandlerFunc) *recorder {
	rec := &recorder{}
	rec.hs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, r.Clone(context.Background()))
		rec.mu.Unlock()
		if h != nil {
			h(w, r)
		}
	}))
	t.Cleanup(rec.hs.Close)
	return rec
}

func (rec *recorder) last(t *testing.T) *http.Request {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.reqs) == 0 {
		t.Fatal("no request recorded")
	}
	return rec.reqs[len(rec.reqs)-1]
}

func TestNoAcceptEncoding(t *testing.T) {
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write([]byte("not really gzip"))
	})
	c := mustNew(t, Config{Endpoint: rec.hs.URL, Credentials: testCreds})
	resp, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := rec.last(t)
	if ae, ok := r.Header["Accept-Encoding"]; ok {
		t.Errorf("request carried Accept-Encoding %q", ae)
	}
	// The body is handed over as sent, not inflated.
	if string(body) != "not really gzip" || resp.Header.Get("Content-Encoding") != "gzip" || resp.Uncompressed {
		t.Errorf("body %q, Content-Encoding %q, Uncompressed %v", body, resp.Header.Get("Content-Encoding"), resp.Uncompressed)
	}
}

func TestRequestHeaders(t *testing.T) {
	rec := newRecorder(t, nil)
	c := mustNew(t, Config{Endpoint: rec.hs.URL, Credentials: testCreds, PathStyle: true})
	_, err := c.Do(context.Background(), &Request{Method: "PUT", Bucket: "bkt", Key: "a b", Query: [][2]string{{"acl", ""}},
		Header: http.Header{"X-Oss-Object-Acl": {"private"}, "Content-Type": {"text/plain"}},
		Body:   strings.NewReader("abc"), ContentLength: 3})
	if err != nil {
		t.Fatal(err)
	}
	r := rec.last(t)
	if r.URL.RawQuery != "acl" || r.URL.EscapedPath() != "/bkt/a%20b" {
		t.Errorf("request URI = %q ? %q", r.URL.EscapedPath(), r.URL.RawQuery)
	}
	if r.ContentLength != 3 || r.Header.Get("X-Oss-Object-Acl") != "private" || r.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("headers %v, length %d", r.Header, r.ContentLength)
	}
	if ua := r.Header.Get("User-Agent"); ua != "pyjindo" {
		t.Errorf("User-Agent = %q, want default pyjindo", ua)
	}
	if a := r.Header.Get("Authorization"); !strings.HasPrefix(a, "OSS ak:") || r.Header.Get("Date") == "" {
		t.Errorf("Authorization %q, Date %q", a, r.Header.Get("Date"))
	}

	c4 := mustNew(t, Config{Endpoint: rec.hs.URL, Credentials: testCreds, SignVersion: "v4", Region: "cn-hangzhou", UserAgent: "mine/1"})
	if _, err := c4.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k"}); err != nil {
		t.Fatal(err)
	}
	r = rec.last(t)
	if a := r.Header.Get("Authorization"); !strings.HasPrefix(a, "OSS4-HMAC-SHA256 Credential=ak/") || !strings.Contains(a, "/cn-hangzhou/oss/aliyun_v4_request") {
		t.Errorf("v4 Authorization = %q", a)
	}
	if r.Header.Get("X-Oss-Date") == "" || r.Header.Get("User-Agent") != "mine/1" {
		t.Errorf("v4 headers %v", r.Header)
	}

	c2 := mustNew(t, Config{Endpoint: rec.hs.URL, Credentials: testCreds, SignVersion: "v2"})
	if _, err := c2.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k",
		Header: http.Header{"Range": {"bytes=0-1"}}}); err != nil {
		t.Fatal(err)
	}
	r = rec.last(t)
	if a := r.Header.Get("Authorization"); !strings.HasPrefix(a, "OSS2 AccessKeyId:ak,AdditionalHeaders:range,Signature:") || r.Header.Get("Date") == "" {
		t.Errorf("v2 Authorization %q, Date %q", a, r.Header.Get("Date"))
	}

	ca := mustNew(t, Config{Endpoint: rec.hs.URL, Credentials: testCreds, SignVersion: "anonymous"})
	if _, err := ca.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "k"}); err != nil {
		t.Fatal(err)
	}
	if a := rec.last(t).Header.Get("Authorization"); a != "" {
		t.Errorf("anonymous request signed: %q", a)
	}
}

func TestServiceErrorWithoutXML(t *testing.T) {
	errXML := `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>AccessDenied</Code>
  <Message>denied</Message>
  <RequestId>BODYRID</RequestId>
  <HostId>bkt.example.com</HostId>
  <EC>0003-00000001</EC>
</Error>`
	rec := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-oss-request-id", "HDRRID")
		switch r.URL.Path {
		case "/bkt/html":
			w.Header().Set("x-oss-ec", "0000-1")
			w.WriteHeader(502)
			w.Write([]byte("<html>bad gateway</html"))
		case "/bkt/xml":
			w.WriteHeader(403)
			w.Write([]byte(errXML))
		case "/bkt/badheader":
			w.Header().Set("x-oss-err", "!!!not base64")
			w.WriteHeader(404)
		case "/bkt/moved":
			w.WriteHeader(301)
			w.Write([]byte(`<Error><Code>PermanentRedirect</Code><Endpoint>oss-cn-beijing.aliyuncs.com</Endpoint></Error>`))
		case "/bkt/head":
			w.Header().Set("x-oss-err", base64.StdEncoding.EncodeToString([]byte(errXML)))
			w.WriteHeader(403)
		}
	})
	c := mustNew(t, Config{Endpoint: rec.hs.URL})
	var se *ServiceError

	_, err := c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "html"})
	if !errors.As(err, &se) || se.Status != 502 || se.Code != "" || se.RequestID != "HDRRID" || se.EC != "0000-1" || string(se.Body) != "<html>bad gateway</html" {
		t.Errorf("502 html: %+v", se)
	}
	if se.Details == nil {
		t.Error("Details is nil for an unparsable body")
	}

	_, err = c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "xml"})
	if !errors.As(err, &se) || se.Code != "AccessDenied" || se.Message != "denied" || se.RequestID != "BODYRID" ||
		se.HostID != "bkt.example.com" || se.EC != "0003-00000001" {
		t.Errorf("403 xml: %+v", se)
	}

	// A 301 without Location is not followed: it is OSS's PermanentRedirect error.
	_, err = c.Do(context.Background(), &Request{Method: "GET", Bucket: "bkt", Key: "moved"})
	if !errors.As(err, &se) || se.Status != 301 || se.Code != "PermanentRedirect" || se.Details["Endpoint"] != "oss-cn-beijing.aliyuncs.com" {
		t.Errorf("301: %v", err)
	}

	_, err = c.Do(context.Background(), &Request{Method: "HEAD", Bucket: "bkt", Key: "badheader"})
	if !errors.As(err, &se) || se.Status != 404 || se.Code != "" || se.RequestID != "HDRRID" {
		t.Errorf("404 bad x-oss-err: %+v", se)
	}

	_, err = c.Do(context.Background(), &Request{Method: "HEAD", Bucket: "bkt", Key: "head"})
	if !errors.As(err, &se) || se.Code != "AccessDenied" || se.RequestID != "BODYRID" || se.EC != "0003-00000001" {
		t.Errorf("HEAD x-oss-err: %+v", se)
	}
}

func TestBadMethodIsClientError(t *testing.T) {
	c := mustNew(t, Config{Endpoint: "127.0.0.1:1"})
	_, err := c.Do(context.Background(), &Request{Method: "BAD METHOD", Bucket: "bkt", Key: "k"})
	var ce *ClientError
	if !errors.As(err, &ce) {
		t.Errorf("err = %T %v, want *ClientError", err, err)
	}
}

func TestContentMD5(t *testing.T) {
	sum := []byte{0x5d, 0x41, 0x40, 0x2a, 0xbc, 0x4b, 0x2a, 0x76, 0xb9, 0x71, 0x9d, 0x91, 0x10, 0x17, 0xc5, 0x92} // md5("hello")
	if got := ContentMD5(sum); got != "XUFAKrxLKna5cZ2REBfFkg==" {
		t.Errorf("ContentMD5 = %q", got)
	}
}

func TestErrorStrings(t *testing.T) {
	ie := &InconsistentError{Message: "crc mismatch", RequestID: "R"}
	if ie.Error() != "crc mismatch" {
		t.Errorf("InconsistentError = %q", ie.Error())
	}
	ce := &ClientError{Message: "bad"}
	if ce.Error() != "bad" {
		t.Errorf("ClientError = %q", ce.Error())
	}
}

// A request without a body whose caller gave a Content-Length (a presigned GET signing
// content-length) carries it on the wire, as oss2 sends it; any other value than 0 closes the
// connection after the answer, since the body it announces never comes.
func TestContentLengthOfABodilessRequestIsSent(t *testing.T) {
	heads := make(chan string, 4)
	addr := rawServer(t, func(conn net.Conn, br *bufio.Reader) {
		for {
			var head strings.Builder
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					return
				}
				head.WriteString(line)
				if line == "\r\n" {
					break
				}
			}
			heads <- head.String()
			if _, err := io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); err != nil {
				return
			}
		}
	})
	c := mustNew(t, Config{Endpoint: "http://" + addr, Credentials: testCreds})
	url := "http://" + addr + "/bkt/k?Signature=s"
	for _, tc := range []struct {
		method, value string
		want          []string
	}{
		{"GET", "0", []string{"content-length: 0\r\n"}},
		{"GET", "10", []string{"content-length: 10\r\n", "Connection: close\r\n"}},
		{"HEAD", "0", []string{"content-length: 0\r\n"}},
		{"PUT", "0", []string{"Content-Length: 0\r\n"}},
	} {
		resp, err := c.Do(context.Background(), &Request{Method: tc.method, Bucket: "bkt", Key: "k", URL: url,
			Header: http.Header{"Content-Length": {tc.value}}})
		if err != nil {
			t.Fatalf("%s %s: %v", tc.method, tc.value, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		head := <-heads
		for _, w := range tc.want {
			if !strings.Contains(head, w) {
				t.Errorf("%s with Content-Length %s: %q lacks %q", tc.method, tc.value, head, w)
			}
		}
		if n := strings.Count(strings.ToLower(head), "content-length:"); n != 1 {
			t.Errorf("%s with Content-Length %s: %d Content-Length headers in %q", tc.method, tc.value, n, head)
		}
	}
}

func TestARequestsHeaderIsCopiedAsHeaderAddWouldBuildIt(t *testing.T) {
	given := http.Header{"x-oss-meta-a": {"1", "2"}, "Content-Type": {"text/plain"}, "X-Empty": {}}
	got := requestHeader(given)
	want := http.Header{}
	for k, vs := range given {
		for _, v := range vs {
			want.Add(k, v)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("copy %q, Header.Add builds %q", got, want)
	}
	got.Add("X-Oss-Meta-A", "3")
	if len(given["x-oss-meta-a"]) != 2 {
		t.Error("adding to the copy changed the caller's header")
	}
	if h := requestHeader(nil); h == nil || len(h) != 0 {
		t.Errorf("copy of nil: %#v", h)
	}
}

func TestEachRequestIsSignedWithTheDateOfItsSecondAndTheKeysOfItsAttempt(t *testing.T) {
	var dates []string
	var auths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dates = append(dates, r.Header.Get("Date"))
		auths = append(auths, r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	keys := &credentials.Mutable{}
	c := mustNew(t, Config{Endpoint: srv.URL, CredentialsProvider: keys})
	clock := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return clock }
	head := func(h http.Header) {
		t.Helper()
		if _, err := c.Do(context.Background(), &Request{Method: "HEAD", Bucket: "bkt", Key: "k", Header: h}); err != nil {
			t.Fatal(err)
		}
	}
	keys.Set(credentials.Credentials{Credentials: signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}})
	head(http.Header{"date": {"a date of the caller's"}}) // replaced, as oss2 does
	clock = clock.Add(999 * time.Millisecond)
	head(nil)
	clock = clock.Add(time.Millisecond)
	keys.Set(credentials.Credentials{Credentials: signer.Credentials{AccessKeyID: "ak2", AccessKeySecret: "sk2"}})
	head(nil)
	want := []string{"Mon, 07 Dec 2026 10:00:00 GMT", "Mon, 07 Dec 2026 10:00:00 GMT", "Mon, 07 Dec 2026 10:00:01 GMT"}
	if !reflect.DeepEqual(dates, want) {
		t.Errorf("dates %q, want %q", dates, want)
	}
	for i, secret := range []string{"sk", "sk", "sk2"} {
		id := map[string]string{"sk": "ak", "sk2": "ak2"}[secret]
		sts := "HEAD\n\n\n" + want[i] + "\n/bkt/k"
		if w := "OSS " + id + ":" + signer.V1Signature(secret, sts); auths[i] != w {
			t.Errorf("request %d: Authorization %q, want %q", i, auths[i], w)
		}
	}
}

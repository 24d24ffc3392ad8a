package server

import (
	"bufio"
	"bytes"
	"io"
	"log/slog"
	"net"
	"net/http"
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

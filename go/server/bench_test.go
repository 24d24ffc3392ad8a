package server

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/signer"
	"github.com/pyjindo/pyjindo/go/server/store"
)

// The server's CPU per small request, through ServeHTTP (no network), for a request signed as
// clients sign it. Reproduce and profile with
//
//	go test -run '^$' -bench ServeSmall -benchmem -cpuprofile cpu.out -memprofile mem.out ./go/server
//
// benchSize is a small object, the size issue 21 measures.
const benchSize = 16 << 10

// rewindBody is a request body that can be served again without allocating.
type rewindBody struct{ bytes.Reader }

func (*rewindBody) Close() error { return nil }

// benchWriter is a ResponseWriter that keeps nothing: the cost measured is the server's.
type benchWriter struct {
	h      http.Header
	status int
}

func (w *benchWriter) Header() http.Header         { return w.h }
func (w *benchWriter) WriteHeader(status int)      { w.status = status }
func (w *benchWriter) Write(p []byte) (int, error) { return len(p), nil }

// benchServe signs one request (V1, as oss2.Auth does, or V4) and serves it b.N times.
func benchServe(b *testing.B, st store.Store, method, version string, body []byte) {
	b.Helper()
	if _, err := st.CreateBucket("bkt"); err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat([]byte("x"), benchSize)
	if _, err := st.Put("bkt", "obj", bytes.NewReader(data), store.Attrs{ContentType: "application/octet-stream"}, store.PutOptions{}); err != nil {
		b.Fatal(err)
	}
	// The logger jindo server runs with when not --verbose (go/cmd/jindo): disabled, so no
	// line is built.
	s := New(Config{Store: st, Credentials: map[string]string{"ak": "sk"}, Logger: slog.New(slog.DiscardHandler)})
	r, err := http.NewRequest(method, "http://127.0.0.1:9000/bkt/obj", nil)
	if err != nil {
		b.Fatal(err)
	}
	r.RemoteAddr = "127.0.0.1:50000"
	r.Header.Set("User-Agent", "aliyun-sdk-python/2.19.1")
	r.Header.Set("Accept-Encoding", "identity")
	if body != nil {
		r.Header.Set("Content-Type", "application/octet-stream")
		r.ContentLength = int64(len(body))
	}
	switch version {
	case "v1":
		signer.SignV1(method, "bkt", "obj", url.Values{}, r.Header, testCreds, time.Now())
	case "v4":
		signer.SignV4(method, "bkt", "obj", url.Values{}, r.Header, "cn-hangzhou", nil, testCreds, time.Now())
	}
	in := &rewindBody{}
	w := &benchWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU(b)
	for range b.N {
		if body != nil {
			in.Reset(body)
			r.Body = in
		} else {
			r.Body = http.NoBody
		}
		clear(w.h)
		w.status = 0
		s.ServeHTTP(w, r)
		if w.status != http.StatusOK {
			b.Fatalf("%s: status %d", method, w.status)
		}
	}
	// On a shared machine ns/op is wall time; the process's CPU time (GC included) is the figure.
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
}

// processCPU is the CPU time, user and system, this process has used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkServeSmall(b *testing.B) {
	body := bytes.Repeat([]byte("y"), benchSize)
	mem := func() store.Store { return store.NewMemory(nil) }
	disk := func() store.Store {
		st, err := store.OpenDisk(b.TempDir(), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		return st
	}
	for _, c := range []struct {
		name, method, version string
		body                  []byte
		st                    func() store.Store
	}{
		{"head/v1", http.MethodHead, "v1", nil, mem},
		{"get16k/v1", http.MethodGet, "v1", nil, mem},
		{"put16k/v1", http.MethodPut, "v1", body, mem},
		{"head/v4", http.MethodHead, "v4", nil, mem},
		{"get16k/v4", http.MethodGet, "v4", nil, mem},
		{"put16k/v4", http.MethodPut, "v4", body, mem},
		{"head-disk/v1", http.MethodHead, "v1", nil, disk},
		{"put16k-disk/v1", http.MethodPut, "v1", body, disk},
	} {
		b.Run(c.name, func(b *testing.B) { benchServe(b, c.st(), c.method, c.version, c.body) })
	}
}

// A small GET allocates a small multiple of its headers, not a copy buffer per request: a fresh
// 256 KiB buffer each time once cost a 16 KiB GET more CPU than all the rest of it.
func TestSmallGetAllocatesLittle(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector inflates allocations")
	}
	st := store.NewMemory(nil)
	st.CreateBucket("bkt")
	if _, err := st.Put("bkt", "obj", bytes.NewReader(make([]byte, benchSize)), store.Attrs{}, store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	s := New(Config{Store: st, Credentials: map[string]string{"ak": "sk"}})
	r, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:9000/bkt/obj", nil)
	signer.SignV1(http.MethodGet, "bkt", "obj", url.Values{}, r.Header, testCreds, time.Now())
	w := &benchWriter{h: http.Header{}}
	serve := func() {
		clear(w.h)
		s.ServeHTTP(w, r)
		if w.status != http.StatusOK {
			t.Fatalf("status %d", w.status)
		}
	}
	serve() // the first one fills the buffer pool
	const n = 100
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range n {
		serve()
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 16<<10 {
		t.Fatalf("a %d-byte GET allocated %d bytes", benchSize, per)
	}
}

// The connection loop's own work per request, without the network: reading an oss2-like HEAD
// request's head into an *http.Request and framing an object's answer head.
//
//	go test -run '^$' -bench LoopFraming -benchmem ./go/server
func BenchmarkLoopFraming(b *testing.B) {
	head := "HEAD /bkt/obj HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nUser-Agent: aliyun-sdk-python/2.19.1\r\n" +
		"Accept-Encoding: identity\r\nAccept: */*\r\nConnection: keep-alive\r\ndate: Mon, 07 Dec 2026 11:00:00 GMT\r\n" +
		"authorization: OSS ak:0123456789abcdefghijklmnopq=\r\nContent-Length: 0\r\n\r\n"
	l := newLoop(http.NotFoundHandler(), &http.Server{}, context.Background(), func(time.Time) string { return "Mon, 07 Dec 2026 11:00:00 GMT" })
	c := &conn{loop: l, rwc: discardConn{}}
	c.w.c, c.w.header = c, http.Header{}
	b.ReportAllocs()
	for b.Loop() {
		r := parseHead(head, l.base)
		if r == nil {
			b.Fatal("not parsed")
		}
		c.w.reset(r, nil)
		h := c.w.Header()
		for _, k := range []string{"X-Oss-Request-Id", "Server", "Date", "Content-Type", "Last-Modified", "X-Oss-Object-Type",
			"X-Oss-Storage-Class", "Accept-Ranges", "ETag", "X-Oss-Hash-Crc64ecma", "Content-Md5", "Content-Length"} {
			h.Set(k, "0123456789")
		}
		c.w.WriteHeader(http.StatusOK)
		c.w.finish()
	}
}

// discardConn takes what is written to it.
type discardConn struct{ net.Conn }

func (discardConn) Write(p []byte) (int, error) { return len(p), nil }

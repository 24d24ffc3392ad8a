package ops

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
)

// BenchmarkQuick measures the quick door's calls (as pj_call runs them, without cgo) next to
// the same request made with oss.Client.Do alone ("raw"): the difference is go/ops' and
// go/transfer's cost per call. The server runs in process, so B/op and allocs/op include its
// share, the same in both.
func BenchmarkQuick(b *testing.B) {
	s := testSession(b, `, "multipart_threshold": -1`) // pyjindo.Bucket: oss2 never splits a put_object
	blob := bytes.Repeat([]byte("x"), 16<<10)
	ctx := context.Background()
	if _, err := s.Client.Do(ctx, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: "k", Header: http.Header{},
		Body: bytes.NewReader(blob), ContentLength: int64(len(blob))}); err != nil {
		b.Fatal(err)
	}
	h := newTestHandles()
	defer h.closeAll()
	quick := map[string]struct {
		kind int
		args []string
		buf  []byte
	}{
		"head":   {QuickRequest, []string{"HEAD", "bkt", "k", "", "", "0"}, nil},
		"exists": {QuickRequest, []string{"HEAD", "bkt", "k", "", "", "1", "objectMeta", ""}, nil},
		"get":    {QuickGet, []string{"GET", "bkt", "k", "", "", "0"}, nil},
		"put":    {QuickRequest, []string{"PUT", "bkt", "k-put", "put_object", "", "0", "Content-Type", "application/octet-stream"}, blob},
	}
	for _, op := range []string{"head", "exists", "get", "put"} {
		q := quick[op]
		block := strings.Join(q.args, "\x00")
		b.Run(op+"/quick", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out := RunQuick(ctx, &Call{Session: s, Buffer: q.buf, Progress: &testProgress{}, Handles: h}, q.kind, block)
				if out[0] != 'C' {
					b.Fatalf("%s", out)
				}
			}
		})
		b.Run(op+"/raw", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := &oss.Request{Method: q.args[0], Bucket: "bkt", Key: q.args[2], Header: http.Header{}, ContentLength: -1}
				if op == "exists" {
					r.Query = [][2]string{{"objectMeta", ""}}
				}
				if q.buf != nil {
					r.Body, r.ContentLength = bytes.NewReader(q.buf), int64(len(q.buf))
				}
				resp, err := s.Client.Do(ctx, r)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}

// BenchmarkQuickClient measures the quick door's client alone, as pj_call runs it on a C
// caller's thread (a direct exchange with a budget), against a server that reads each request
// and writes a canned answer without allocating: B/op and allocs/op are the client's.
func BenchmarkQuickClient(b *testing.B) {
	const size = 16 << 10
	head := "HTTP/1.1 200 OK\r\nAccept-Ranges: bytes\r\nContent-Length: 16384\r\nContent-Md5: zH+kr/gUAWtPLv85XmT/fA==\r\n" +
		"Content-Type: application/octet-stream\r\nDate: Mon, 07 Dec 2026 14:42:16 GMT\r\n" +
		"Etag: \"CC7FA4AFF814016B4F2EFF395E64FF7C\"\r\nLast-Modified: Mon, 07 Dec 2026 14:42:16 GMT\r\nServer: AliyunOSS\r\n" +
		"X-Oss-Hash-Crc64ecma: 10818933806830494221\r\nX-Oss-Object-Type: Normal\r\n" +
		"X-Oss-Request-Id: 821D7BD50000000000000002\r\nX-Oss-Storage-Class: Standard\r\n\r\n"
	put := "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nContent-Md5: zH+kr/gUAWtPLv85XmT/fA==\r\nDate: Mon, 07 Dec 2026 14:42:16 GMT\r\n" +
		"Etag: \"CC7FA4AFF814016B4F2EFF395E64FF7C\"\r\nServer: AliyunOSS\r\nX-Oss-Hash-Crc64ecma: 10818933806830494221\r\n" +
		"X-Oss-Request-Id: 821D7BD50000000000000003\r\n\r\n"
	answers := map[string][]byte{
		"HEAD": []byte(head),
		"GET":  append([]byte(head), bytes.Repeat([]byte("x"), size)...),
		"PUT":  []byte(put),
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go cannedServer(ln, answers)
	s, err := NewSession([]byte(fmt.Sprintf(`{"endpoint": %q, "access_key_id": "ak", "access_key_secret": "sk", "enable_crc": true, "multipart_threshold": -1}`,
		ln.Addr().String())), "test")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	blob := bytes.Repeat([]byte("x"), size)
	result := make([]byte, 64<<10) // go/capi's C memory: not the client's allocation
	for _, q := range []struct {
		name string
		kind int
		args []string
		buf  []byte
	}{
		{"head", QuickRequest, []string{"HEAD", "bkt", "k", "", "", "0"}, nil},
		{"exists", QuickRequest, []string{"HEAD", "bkt", "k", "", "", "1", "objectMeta", ""}, nil},
		{"get", QuickGet, []string{"GET", "bkt", "k", "", "", "0"}, nil},
		{"put", QuickRequest, []string{"PUT", "bkt", "k-put", "put_object", "", "0", "Content-Type", "application/octet-stream"}, blob},
	} {
		block := strings.Join(q.args, "\x00")
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				run := &oss.DirectRun{Budget: time.Now().Add(time.Second)}
				// (pj_call's context: it never ends)
				out := RunQuick(oss.WithDirect(context.Background(), run), &Call{Session: s, Buffer: q.buf, Progress: &testProgress{}, Handles: nil,
					Result: func(n int) []byte { return result[:n] }}, q.kind, block)
				run.End()
				if out[0] != 'C' || run.HandedOff() {
					b.Fatalf("%s (handed off: %v)", out, run.HandedOff())
				}
			}
		})
	}
}

// cannedServer answers each request on ln's connections with answers[method], reading the
// request's head and body into buffers it keeps.
func cannedServer(ln net.Listener, answers map[string][]byte) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer nc.Close()
			br := bufio.NewReaderSize(nc, 64<<10)
			for {
				line, err := br.ReadSlice('\n')
				if err != nil {
					return
				}
				method, _, _ := bytes.Cut(line, []byte(" "))
				answer := answers[string(method)]
				length := 0
				for {
					line, err = br.ReadSlice('\n')
					if err != nil {
						return
					}
					if len(line) <= 2 {
						break
					}
					if name, value, ok := bytes.Cut(line, []byte(":")); ok && strings.EqualFold(string(name), "Content-Length") {
						length, _ = strconv.Atoi(string(bytes.TrimSpace(value)))
					}
				}
				if _, err := br.Discard(length); err != nil {
					return
				}
				if _, err := nc.Write(answer); err != nil {
					return
				}
			}
		}()
	}
}

package oss

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// watchedBody counts reads made after the test marks Do as returned.
type watchedBody struct {
	left     int
	returned atomic.Bool
	late     atomic.Int32
}

func (b *watchedBody) Read(p []byte) (int, error) {
	if b.returned.Load() {
		b.late.Add(1)
	}
	if b.left == 0 {
		return 0, errors.New("eof")
	}
	n := min(len(p), b.left)
	b.left -= n
	return n, nil
}

// A server that answers before it reads the body (as OSS does for a failed signature) must not
// leave the transport reading the caller's body after Do returned: that body may be a Python
// buffer, released as soon as the call returns.
func TestDoReturnsOnlyWhenTheTransportLetGoOfTheBody(t *testing.T) {
	addr := rawServer(t, func(conn net.Conn, br *bufio.Reader) {
		if _, err := http.ReadRequest(br); err != nil {
			return
		}
		conn.Write([]byte("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"))
		buf := make([]byte, 1<<20)
		for { // drain the body, so the client is still sending when it has its answer
			if _, err := conn.Read(buf); err != nil {
				return
			}
		}
	})
	c, err := New(Config{Endpoint: addr, SignVersion: "anonymous"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range 5 {
		// far more than loopback carries before the 403 arrives (256 MiB did not always
		// suffice on an idle machine: the whole body went, and its end read as an error)
		body := &watchedBody{left: 64 << 30}
		_, err := c.Do(context.Background(), &Request{Method: http.MethodPut, Bucket: "bkt", Key: "k",
			Body: body, ContentLength: int64(body.left), NoRetry: true})
		body.returned.Store(true)
		var se *ServiceError
		if !errors.As(err, &se) || se.Status != 403 {
			t.Fatalf("try %d: %v, want the 403", i, err)
		}
		time.Sleep(50 * time.Millisecond)
		if n := body.late.Load(); n != 0 {
			t.Fatalf("try %d: the body was read %d times after Do returned", i, n)
		}
	}
}

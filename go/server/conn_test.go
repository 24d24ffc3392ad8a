package server

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// pipeConn is a deadlineReader over one end of an in-memory connection, and the other end.
func pipeConn(t *testing.T) (*deadlineReader, net.Conn) {
	t.Helper()
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	return &deadlineReader{c: a}, b
}

func TestReadDeadlineMovedLaterHolds(t *testing.T) {
	c, _ := pipeConn(t)
	c.set(time.Now().Add(50 * time.Millisecond))
	want := time.Now().Add(300 * time.Millisecond)
	c.set(want)
	_, err := c.Read(make([]byte, 8))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read: %v, want a timeout", err)
	}
	if early := time.Until(want); early > 0 {
		t.Fatalf("read timed out %v before its deadline", early)
	}
}

func TestReadDeadlineMovedEarlierHolds(t *testing.T) {
	c, _ := pipeConn(t)
	c.set(time.Now().Add(time.Hour))
	c.set(time.Now().Add(50 * time.Millisecond))
	done := make(chan error, 1)
	go func() { _, err := c.Read(make([]byte, 8)); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("read: %v, want a timeout", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the earlier deadline did not cut the read")
	}
}

func TestClearedReadDeadlineWaitsForData(t *testing.T) {
	c, peer := pipeConn(t)
	c.set(time.Now().Add(20 * time.Millisecond))
	c.set(time.Time{})
	go func() { time.Sleep(100 * time.Millisecond); peer.Write([]byte("data")) }()
	buf := make([]byte, 8)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "data" {
		t.Fatalf("read %q, %v; want the data sent after the old deadline", buf[:n], err)
	}
}

// A deadline already passed fails the next read at once, as a timeout; cleared, reads wait again.
func TestPastReadDeadlineFailsReads(t *testing.T) {
	c, peer := pipeConn(t)
	c.set(time.Unix(1, 0))
	var ne net.Error
	if _, err := c.Read(make([]byte, 8)); !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("read after a past deadline: %v, want a timeout", err)
	}
	c.set(time.Time{})
	go peer.Write([]byte("data"))
	buf := make([]byte, 8)
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "data" {
		t.Fatalf("read after the deadline was cleared: %q, %v", buf[:n], err)
	}
}

// A PUT and a GET sent back to back on one connection: the GET is already in the connection's
// buffer when the PUT's body ends.
func TestPipelinedRequestsAreServed(t *testing.T) {
	addr := serve(t, Config{Anonymous: true})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	c.Write([]byte("PUT /bkt/k HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
		"GET /bkt/k HTTP/1.1\r\nHost: x\r\n\r\n"))
	r := bufio.NewReader(c)
	for _, method := range []string{http.MethodPut, http.MethodGet} {
		resp, err := http.ReadResponse(r, &http.Request{Method: method})
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d, %v, %.200q", method, resp.StatusCode, err, body)
		}
		if method == http.MethodGet && string(body) != "hello" {
			t.Fatalf("GET: body %q", body)
		}
	}
}

// The header timeout armed for one request does not cut the idle wait for the next one, which
// the (longer) idle timeout bounds.
func TestKeepAliveOutlastsHeaderTimeout(t *testing.T) {
	addr := serve(t, Config{Anonymous: true, ReadHeaderTimeout: 100 * time.Millisecond})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	for i := range 2 {
		if i > 0 {
			time.Sleep(400 * time.Millisecond)
		}
		if _, err := c.Write([]byte("HEAD /bkt/k HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		resp, err := http.ReadResponse(r, &http.Request{Method: http.MethodHead})
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("request %d: status %d", i, resp.StatusCode)
		}
	}
}

// A client that sends its whole body before reading gets the early answer (here: unsigned),
// not a reset, also through a shaped connection, which has no half-close.
func TestEarlyAnswerReachesClientThatSentItsBody(t *testing.T) {
	for _, rate := range []int64{0, 1 << 30} {
		addr := serve(t, Config{BandwidthPerConn: rate})
		resp, _ := heldOpen(t, addr, "PUT /bkt/k HTTP/1.1\r\nHost: x\r\nContent-Length: 300000\r\n\r\n"+
			strings.Repeat("a", 300000), 10*time.Second)
		if !strings.HasPrefix(resp, "HTTP/1.1 403") {
			t.Fatalf("bandwidth %d: got %.100q", rate, resp)
		}
	}
}

package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// loopServer serves handler through the connection loop and counts the connections handed to
// net/http.
type loopServer struct {
	addr     string
	handoffs atomic.Int64
}

func startLoop(t *testing.T, handler http.Handler) *loopServer {
	t.Helper()
	ls := &loopServer{}
	fallback := &http.Server{ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: log.New(io.Discard, "", 0),
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ls.handoffs.Add(1)
			handler.ServeHTTP(w, r)
		})}
	ctx, cancel := context.WithCancel(context.Background())
	l := newLoop(handler, fallback, ctx, func(now time.Time) string { return now.UTC().Format(http.TimeFormat) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- l.serve(ln) }()
	t.Cleanup(func() {
		l.close()
		fallback.Close()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	ls.addr = ln.Addr().String()
	return ls
}

// startReference serves handler with net/http alone: what the loop must answer.
func startReference(t *testing.T, handler http.Handler) string {
	t.Helper()
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: log.New(io.Discard, "", 0)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// dialBounded is a connection to addr whose reads and writes end within 10 s.
func dialBounded(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

// exchange writes req on a fresh connection and reads one response per method (or, with none,
// everything until the server closes). It returns the bytes received, their Date values
// blanked, and whether the server then closed the connection.
func exchange(t *testing.T, addr, req string, methods ...string) (string, bool) {
	t.Helper()
	c := dialBounded(t, addr)
	defer c.Close()
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	r := bufio.NewReader(io.TeeReader(c, &got))
	closing := len(methods) == 0
	for _, m := range methods {
		resp, err := http.ReadResponse(r, &http.Request{Method: m})
		if err != nil {
			t.Fatalf("reading the %s response: %v; got %q", m, err, got.String())
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		closing = closing || resp.Close
	}
	if !closing {
		// A connection kept open stays so: a short look is enough.
		c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	}
	_, err := r.ReadByte()
	closed := err == io.EOF
	io.Copy(io.Discard, r)
	return dechunk(regexp.MustCompile(`Date: [^\r]*`).ReplaceAllString(got.String(), "Date: -")), closed
}

// dechunk decodes the body of a single chunked response: where chunks begin and end is the
// server's choice.
func dechunk(raw string) string {
	head, body, _ := strings.Cut(raw, "\r\n\r\n")
	if !strings.Contains(head, "Transfer-Encoding: chunked") {
		return raw
	}
	data, err := io.ReadAll(httputil.NewChunkedReader(strings.NewReader(body)))
	if err != nil {
		return raw
	}
	return head + "\r\n\r\n" + string(data) + " [chunked]"
}

// echo answers with what it read of the request, so two servers that parse a request alike
// answer alike. Paths choose how it writes.
func echo(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s host=%q len=%d close=%v proto=%s\n", r.Method, r.RequestURI, r.URL.Path, r.Host, r.ContentLength, r.Close, r.Proto)
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range r.Header {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%q\n", k, r.Header[k])
	}
	switch r.URL.Path {
	case "/read":
		data, err := io.ReadAll(r.Body)
		fmt.Fprintf(&b, "body=%q err=%v\n", data, err)
	case "/unread":
	case "/answerthenread": // the head is decided before the body is read: the body must still come
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", "5")
		w.WriteHeader(http.StatusOK)
		data, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%-5.5s", data)
		return
	case "/close":
		w.Header().Set("Connection", "close")
	case "/big":
		b.WriteString(strings.Repeat("<html>", 1000))
	case "/flush":
		io.WriteString(w, "a")
		w.(http.Flusher).Flush()
	case "/typed":
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	case "/notmodified":
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Length", "5")
		w.WriteHeader(http.StatusNotModified)
		return
	case "/nocontent":
		w.WriteHeader(http.StatusNoContent)
		return
	case "/odd":
		w.WriteHeader(599)
	case "/nothing":
		return
	case "/short":
		w.Header().Set("Content-Length", "100")
	case "/values":
		w.Header()["Bad Name"] = []string{"x"}
		w.Header().Set("X-Lines", " a\r\nb ")
	}
	io.WriteString(w, b.String())
}

// The loop parses requests and frames answers byte for byte as net/http does, and serves
// them itself.
func TestLoopAnswersAsNetHTTP(t *testing.T) {
	ls := startLoop(t, http.HandlerFunc(echo))
	ref := startReference(t, http.HandlerFunc(echo))
	head := "Host: example.com:80\r\nUser-Agent: t\r\nx-oss-meta-a:  b c \r\nX-OSS-META-A: d\r\nx_under: u\r\n"
	cases := []struct {
		name, req string
		methods   []string
	}{
		{"small", "GET /small?x=%2F HTTP/1.1\r\n" + head + "\r\n", []string{"GET"}},
		{"big chunked", "GET /big HTTP/1.1\r\n" + head + "\r\n", []string{"GET"}},
		{"flushed", "GET /flush HTTP/1.1\r\n" + head + "\r\n", []string{"GET"}},
		{"typed", "GET /typed HTTP/1.1\r\n" + head + "\r\n", []string{"GET"}},
		{"not modified", "GET /notmodified HTTP/1.1\r\n" + head + "\r\n", []string{"GET"}},
		{"no content", "GET /nocontent HTTP/1.1\r\n" + head + "\r\n", []string{"GET"}},
		{"odd status", "GET /odd HTTP/1.1\r\n" + head + "\r\n", []string{"GET"}},
		{"short body", "GET /short HTTP/1.1\r\n" + head + "\r\n", nil},
		{"header values", "GET /values HTTP/1.1\r\n" + head + "\r\n", []string{"GET"}},
		{"head with body written", "HEAD /small HTTP/1.1\r\n" + head + "\r\n", []string{"HEAD"}},
		{"head with nothing written", "HEAD /nothing HTTP/1.1\r\n" + head + "\r\n", []string{"HEAD"}},
		{"empty put", "PUT /read HTTP/1.1\r\n" + head + "Content-Length: 0\r\n\r\n", []string{"PUT"}},
		{"put read", "PUT /read HTTP/1.1\r\n" + head + "Content-Length: 5\r\n\r\nhello", []string{"PUT"}},
		{"put unread", "PUT /unread HTTP/1.1\r\n" + head + "Content-Length: 5\r\n\r\nhello", []string{"PUT"}},
		{"answer then read", "PUT /answerthenread HTTP/1.1\r\n" + head + "Content-Length: 5\r\n\r\nhello", []string{"PUT"}},
		{"handler closes", "GET /close HTTP/1.1\r\n" + head + "\r\n", []string{"GET"}},
		{"client closes", "GET /small HTTP/1.1\r\n" + head + "Connection: keep-alive, Close\r\n\r\n", []string{"GET"}},
		{"pragma", "GET /small HTTP/1.1\r\n" + head + "Pragma: no-cache\r\n\r\n", []string{"GET"}},
		{"pipelined", "PUT /read HTTP/1.1\r\n" + head + "Content-Length: 3\r\n\r\nabc" +
			"POST /unread HTTP/1.1\r\n" + head + "Content-Length: 2\r\n\r\nxy\r\n" +
			"HEAD /small HTTP/1.1\r\n" + head + "\r\n" + "DELETE /small HTTP/1.1\r\n" + head + "\r\n",
			[]string{"PUT", "POST", "HEAD", "DELETE"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := ls.handoffs.Load()
			got, gotClosed := exchange(t, ls.addr, tc.req, tc.methods...)
			want, wantClosed := exchange(t, ref, tc.req, tc.methods...)
			if got != want || gotClosed != wantClosed {
				t.Fatalf("loop answered (closed %v)\n%q\nnet/http (closed %v)\n%q", gotClosed, got, wantClosed, want)
			}
			if n := ls.handoffs.Load() - before; n != 0 {
				t.Fatalf("%d requests handed to net/http", n)
			}
		})
	}
}

// What the loop does not read itself reaches net/http with the bytes already read, and is
// answered as net/http answers it.
func TestLoopHandsOddRequestsToNetHTTP(t *testing.T) {
	ls := startLoop(t, http.HandlerFunc(echo))
	ref := startReference(t, http.HandlerFunc(echo))
	cases := []struct {
		name, req string
		methods   []string
		served    int64 // requests net/http's handler ran
	}{
		{"chunked body", "PUT /read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", []string{"PUT"}, 1},
		{"expect continue", "PUT /read HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok", []string{"PUT"}, 1},
		{"http/1.0", "GET /small HTTP/1.0\r\nHost: x\r\n\r\n", nil, 1},
		{"malformed request line", "GET /small\r\nHost: x\r\n\r\n", nil, 0},
		{"bad version", "GET /small HTTP/9.9\r\nHost: x\r\n\r\n", nil, 0},
		{"no host", "GET /small HTTP/1.1\r\nUser-Agent: t\r\n\r\n", nil, 0},
		{"folded header", "GET /small HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", []string{"GET"}, 1},
		{"bare LF", "GET /small HTTP/1.1\nHost: x\n\n", []string{"GET"}, 1},
		{"control character", "GET /small HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n", nil, 0},
		{"space in name", "GET /small HTTP/1.1\r\nHost: x\r\nX A: b\r\n\r\n", nil, 0},
		{"two lengths", "PUT /read HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", nil, 0},
		{"long head", "GET /small HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 40<<10) + "\r\n\r\n", []string{"GET"}, 1},
		{"head too large", "GET /small HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 100<<10) + "\r\n\r\n", nil, 0},
		{"cut short", "GET /small HTTP/1.1\r\nHost: x\r\n", nil, 0},
		{"absolute target", "GET http://x/small HTTP/1.1\r\nHost: x\r\n\r\n", []string{"GET"}, 1},
		{"other method", "PATCH /small HTTP/1.1\r\nHost: x\r\n\r\n", []string{"PATCH"}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := ls.handoffs.Load()
			req := tc.req
			if tc.name == "cut short" {
				req = "" // sent below, then the write side closed
			}
			var got, want string
			var gotClosed, wantClosed bool
			if tc.name == "cut short" {
				got, want = halfClosed(t, ls.addr, tc.req), halfClosed(t, ref, tc.req)
			} else {
				got, gotClosed = exchange(t, ls.addr, req, tc.methods...)
				want, wantClosed = exchange(t, ref, req, tc.methods...)
			}
			if got != want || gotClosed != wantClosed {
				t.Fatalf("loop answered (closed %v)\n%.300q\nnet/http (closed %v)\n%.300q", gotClosed, got, wantClosed, want)
			}
			if n := ls.handoffs.Load() - before; n != tc.served {
				t.Fatalf("net/http's handler ran %d times, want %d", n, tc.served)
			}
		})
	}
}

// halfClosed sends req, closes the write side and returns what comes back.
func halfClosed(t *testing.T, addr, req string) string {
	t.Helper()
	c := dialBounded(t, addr)
	defer c.Close()
	io.WriteString(c, req)
	c.(*net.TCPConn).CloseWrite()
	got, _ := io.ReadAll(c)
	return string(got)
}

// Several requests on one connection are served by the loop, one after the other.
func TestLoopKeepsConnectionsAlive(t *testing.T) {
	var conns atomic.Int64
	ls := startLoop(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "2")
		io.WriteString(w, "ok")
	}))
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conns.Add(1)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	for i := range 20 {
		method := []string{"GET", "HEAD", "PUT"}[i%3]
		var body io.Reader
		if method == "PUT" {
			body = strings.NewReader(strings.Repeat("x", i*100))
		}
		req, _ := http.NewRequest(method, "http://"+ls.addr+"/k", body)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := map[bool]string{true: "", false: "ok"}[method == "HEAD"]; string(got) != want || resp.ContentLength != 2 {
			t.Fatalf("%s %d: body %q, length %d", method, i, got, resp.ContentLength)
		}
	}
	if conns.Load() != 1 || ls.handoffs.Load() != 0 {
		t.Fatalf("%d connections, %d handed off; want 1 and 0", conns.Load(), ls.handoffs.Load())
	}
}

// A large body the handler leaves unread is not read through: the answer closes the
// connection, as net/http's does.
func TestLoopClosesAfterLargeUnreadBody(t *testing.T) {
	ls := startLoop(t, http.HandlerFunc(echo))
	ref := startReference(t, http.HandlerFunc(echo))
	req := "PUT /unread HTTP/1.1\r\nHost: x\r\nContent-Length: 400000\r\n\r\n" + strings.Repeat("z", 400000)
	got, _ := exchange(t, ls.addr, req)
	want, _ := exchange(t, ref, req)
	if got != want || !strings.Contains(got, "Connection: close") {
		t.Fatalf("loop answered\n%.300q\nnet/http\n%.300q", got, want)
	}
}

// A client that goes away in the middle of its body: the handler's read fails with
// io.ErrUnexpectedEOF and the connection ends.
func TestLoopClientGoneMidBody(t *testing.T) {
	errs := make(chan error, 1)
	ls := startLoop(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		errs <- err
	}))
	c, err := net.Dial("tcp", ls.addr)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "PUT /k HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b")
	c.Close()
	select {
	case err := <-errs:
		if err != io.ErrUnexpectedEOF {
			t.Fatalf("body read: %v, want io.ErrUnexpectedEOF", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the handler never saw the body end")
	}
}

// Shutdown lets the request in progress finish, then closes the idle connections.
func TestLoopShutdownWaitsForRequests(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	fallback := &http.Server{ReadHeaderTimeout: time.Second, IdleTimeout: time.Minute}
	l := newLoop(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(started)
			<-release
		}
		io.WriteString(w, "done")
	}), fallback, context.Background(), func(time.Time) string { return "-" })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go l.serve(ln)
	idle, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	answer := make(chan string, 1)
	go func() {
		got, _ := exchange(t, ln.Addr().String(), "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", "GET")
		answer <- got
	}()
	<-started
	shut := make(chan error, 1)
	go func() { shut <- l.shutdown(context.Background()) }()
	time.Sleep(50 * time.Millisecond)
	select {
	case <-shut:
		t.Fatal("shutdown returned with a request in progress")
	default:
	}
	close(release)
	if err := <-shut; err != nil {
		t.Fatal(err)
	}
	if got := <-answer; !strings.HasSuffix(got, "done") || !strings.Contains(got, "Connection: close") {
		t.Fatalf("answer during shutdown: %q", got)
	}
	idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := idle.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("idle connection: %v, want it closed", err)
	}
}

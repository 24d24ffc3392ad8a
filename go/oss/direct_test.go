package oss

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/server"
)

func direct() context.Context { return WithDirect(context.Background(), &DirectRun{}) }

// handedOffThenResumed GETs bkt/k under a run with budget, which must hand the exchange off
// (why: what makes it), and returns the answer the run's Resume gets for the same request.
func handedOffThenResumed(t *testing.T, c *Client, budget time.Duration, why string) *http.Response {
	t.Helper()
	run := &DirectRun{Budget: time.Now().Add(budget)}
	get := func(d *DirectRun) (*http.Response, error) {
		return c.Do(WithDirect(context.Background(), d), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	}
	if _, err := get(run); err != ErrHandedOff || !run.HandedOff() {
		t.Fatalf("err = %v, want ErrHandedOff (%s)", err, why)
	}
	run.End()
	resp, err := get(run.Resume())
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// countingServer answers with handler and counts the requests and the connections it saw.
type countingServer struct {
	*httptest.Server
	requests atomic.Int32
	mu       sync.Mutex
	conns    map[net.Conn]bool
}

func newCountingServer(t *testing.T, handler http.HandlerFunc) *countingServer {
	cs := &countingServer{conns: map[net.Conn]bool{}}
	cs.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.requests.Add(1)
		handler(w, r)
	}))
	cs.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			cs.mu.Lock()
			cs.conns[c] = true
			cs.mu.Unlock()
		}
	}
	cs.Start()
	t.Cleanup(cs.Close)
	return cs
}

// rawServer is a loopback server that runs serve on each connection's goroutine (the connection
// closed after it), with a reader over it; it returns its address and stops with the test.
func rawServer(t *testing.T, serve func(conn net.Conn, br *bufio.Reader)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				serve(conn, bufio.NewReader(conn))
			}()
		}
	}()
	return ln.Addr().String()
}

func (cs *countingServer) connections() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return len(cs.conns)
}

func TestDirectExchangesPutGetHeadOnOneConnection(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	if !c.Direct() {
		t.Fatal("a client without a proxy makes direct exchanges")
	}
	data := bytes.Repeat([]byte("direct"), 5000)
	for i := 0; i < 3; i++ {
		resp, err := c.Do(direct(), &Request{Method: "PUT", Bucket: "bkt", Key: "k", Body: bytes.NewReader(data),
			ContentLength: int64(len(data)), GetBody: func() io.Reader { return bytes.NewReader(data) }})
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		resp, err = c.Do(direct(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("GET: %d bytes, %v", len(got), err)
		}
		resp, err = c.Do(direct(), &Request{Method: "HEAD", Bucket: "bkt", Key: "k"})
		if err != nil || resp.ContentLength != int64(len(data)) {
			t.Fatalf("HEAD: %v, %v", resp, err)
		}
	}
	_, err := c.Do(direct(), &Request{Method: "HEAD", Bucket: "bkt", Key: "missing"})
	var se *ServiceError
	if !errors.As(err, &se) || se.Status != 404 {
		t.Fatalf("HEAD of a missing key: %v", err)
	}
	c.direct.mu.Lock()
	idle := len(c.direct.idle)
	c.direct.mu.Unlock()
	if idle != 1 {
		t.Errorf("%d idle direct connections after sequential requests, want 1", idle)
	}
}

func TestAnExchangeNotAnsweredWithinTheBudgetIsHandedOffAndContinued(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(150 * time.Millisecond)
		w.Header().Set("x-oss-request-id", "late")
		w.Write([]byte("answer"))
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	run := &DirectRun{Budget: time.Now().Add(20 * time.Millisecond)}
	start := time.Now()
	_, err := c.Do(WithDirect(context.Background(), run), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if err != ErrHandedOff || !run.HandedOff() {
		t.Fatalf("err = %v, handed off %v", err, run.HandedOff())
	}
	if d := time.Since(start); d > 120*time.Millisecond {
		t.Errorf("the caller had its thread back after %v", d)
	}
	run.End()
	resp, err := c.Do(WithDirect(context.Background(), run.Resume()), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	if string(got) != "answer" || resp.Header.Get("x-oss-request-id") != "late" {
		t.Errorf("continued exchange: %q %v", got, resp.Header)
	}
	if n := cs.requests.Load(); n != 1 {
		t.Errorf("the server saw %d requests: a continued exchange is not sent again", n)
	}
}

func TestABodyReadInPartIsHandedOffWithWhatWasRead(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 10000)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:30000])
		w.(http.Flusher).Flush()
		time.Sleep(150 * time.Millisecond)
		w.Write(body[30000:])
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	resp := handedOffThenResumed(t, c, 50*time.Millisecond, "the body's second half comes after the budget")
	got, _ := io.ReadAll(resp.Body)
	if !bytes.Equal(got, body) || cs.requests.Load() != 1 {
		t.Errorf("continued body: %d bytes of %d, %d requests", len(got), len(body), cs.requests.Load())
	}
}

func TestAFailureWithinTheBudgetIsHandedOffAndTheRequestSentAgain(t *testing.T) {
	var first atomic.Bool
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !first.Swap(true) {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close() // no answer at all
			return
		}
		w.Write([]byte("second"))
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	resp := handedOffThenResumed(t, c, 2*time.Second, "the run's retries go elsewhere")
	got, _ := io.ReadAll(resp.Body)
	if string(got) != "second" || cs.requests.Load() != 2 {
		t.Errorf("got %q after %d requests", got, cs.requests.Load())
	}
}

func TestAConnectionTheServerClosedIsNotUsed(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	cs.Config.SetKeepAlivesEnabled(true)
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	for i := 0; i < 2; i++ {
		// not retried: a connection the server closed would fail it
		resp, err := c.Do(direct(), &Request{Method: "GET", Bucket: "bkt", Key: "k", NoRetry: true})
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
		cs.CloseClientConnections() // the idle connection goes away under the pool
		time.Sleep(20 * time.Millisecond)
	}
	if n := cs.requests.Load(); n != 2 {
		t.Errorf("%d requests reached the server, want 2", n)
	}
}

func TestADirectExchangeEndsWithItsContext(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	ctx, cancel := context.WithCancel(direct())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Do(ctx, &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Errorf("err = %v after %v, want context.Canceled at once", err, time.Since(start))
	}
}

func TestALargeBodyIsReadAsTheCallerAsksAndItsConnectionKept(t *testing.T) {
	body := bytes.Repeat([]byte("L"), directBufferMax+1)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	// on a C caller's thread the head is read, and the body left to the run that goes on
	resp := handedOffThenResumed(t, c, time.Minute, "a body over directBufferMax")
	if _, ok := resp.Body.(*cancelOnClose).ReadCloser.(*directBody); !ok {
		t.Fatalf("the body is not read as the caller asks: %T", resp.Body)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// closed half-way: the connection goes, not the rest of the body through it
	resp = handedOffThenResumed(t, c, time.Minute, "a body over directBufferMax")
	io.ReadFull(resp.Body, make([]byte, 100))
	resp.Body.Close()
	resp = handedOffThenResumed(t, c, time.Minute, "a body over directBufferMax")
	again, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, body) || !bytes.Equal(again, body) {
		t.Errorf("bodies: %d and %d bytes of %d", len(got), len(again), len(body))
	}
	if n, r := cs.connections(), cs.requests.Load(); n != 2 || r != 3 {
		t.Errorf("%d connections and %d requests: the first is continued, reused after a body read whole, the second closed half-way", n, r)
	}
}

func TestDirectExchangesAtOnce(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	put(t, c, "k", []byte("shared"))
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				resp, err := c.Do(direct(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
				if err != nil {
					t.Error(err)
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if string(b) != "shared" {
					t.Errorf("got %q", b)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestAnExchangeStartedPastItsBudgetIsHandedOffWithItsBodyLetGo(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	data := []byte("body")
	run := &DirectRun{Budget: time.Now().Add(-time.Millisecond)} // over before it dials
	done := make(chan error, 1)
	go func() {
		_, err := c.Do(WithDirect(context.Background(), run), &Request{Method: "PUT", Bucket: "bkt", Key: "k",
			Body: bytes.NewReader(data), ContentLength: int64(len(data)), GetBody: func() io.Reader { return bytes.NewReader(data) }})
		done <- err
	}()
	select {
	case err := <-done:
		if err != ErrHandedOff || cs.requests.Load() != 0 {
			t.Errorf("err = %v after %d requests, want ErrHandedOff and none", err, cs.requests.Load())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Do never returned: the request body was never let go")
	}
}

func TestAnAttemptMadeOnTheCallersThreadCountsInTheRetries(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("<Error><Code>SlowDown</Code><Message>slow down</Message></Error>"))
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds}) // 3 attempts
	run := &DirectRun{Budget: time.Now().Add(time.Minute)}
	_, err := c.Do(WithDirect(context.Background(), run), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if err != ErrHandedOff || cs.requests.Load() != 1 {
		t.Fatalf("err = %v after %d requests: a failure to retry is handed off at once", err, cs.requests.Load())
	}
	var retried []error
	_, err = c.Do(WithDirect(context.Background(), run.Resume()), &Request{Method: "GET", Bucket: "bkt", Key: "k",
		OnRetry: func(err error) { retried = append(retried, err) }})
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "SlowDown" {
		t.Fatalf("err = %v, want SlowDown", err)
	}
	if n := cs.requests.Load(); n != 3 || len(retried) != 2 {
		t.Errorf("%d requests and %d retries, want 3 and 2 (the first attempt counts)", n, len(retried))
	}
}

func TestCancellingEndsTheReadOfABodyThatStalled(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(directBufferMax+10))
		w.Write(make([]byte, 1000))
		w.(http.Flusher).Flush()
		select { // the rest never comes
		case <-release:
		case <-r.Context().Done():
		}
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	ctx, cancel := context.WithCancel(direct())
	resp, err := c.Do(ctx, &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	time.AfterFunc(50*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		_, err := io.ReadAll(resp.Body)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("the read of a stalled body ended without an error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancelling the context did not end the read of a stalled body")
	}
}

func TestDirectExchangesOverTLS(t *testing.T) {
	hs := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-oss-request-id", "tls")
		w.Header().Set("Content-Length", strconv.Itoa(len(tlsBody))) // read whole within the budget
		w.Write(tlsBody)
	}))
	defer hs.Close()
	c := mustNew(t, Config{Endpoint: hs.URL, Credentials: testCreds})
	if c.direct == nil || c.direct.tls == nil {
		t.Fatal("an https endpoint makes direct exchanges over TLS")
	}
	c.direct.tls = hs.Client().Transport.(*http.Transport).TLSClientConfig // trusts the test certificate
	for i := 0; i < 3; i++ {
		// a body of many TLS records: TLS holds bytes the socket no longer has, and the wait
		// on the caller's thread must not sleep on the socket for them
		run := &DirectRun{Budget: time.Now().Add(3 * time.Second)}
		resp, err := c.Do(WithDirect(context.Background(), run), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
		if err != nil {
			t.Fatalf("request %d: %v (handed off: %v)", i, err, run.HandedOff())
		}
		if !time.Now().Before(run.Budget) {
			t.Errorf("request %d waited out its budget on bytes TLS already held", i)
		}
		got, _ := io.ReadAll(resp.Body)
		if !bytes.Equal(got, tlsBody) || resp.Header.Get("x-oss-request-id") != "tls" {
			t.Errorf("over TLS: %d bytes, %v", len(got), resp.Header)
		}
	}
}

var tlsBody = bytes.Repeat([]byte("0123456789abcdef"), 40000) // 640,000 bytes

func TestAContinuedExchangeIsTheSameRangeOfTheURL(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") == "bytes=0-9" {
			time.Sleep(150 * time.Millisecond)
		}
		w.Write([]byte("range " + r.Header.Get("Range")))
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	run := &DirectRun{Budget: time.Now().Add(20 * time.Millisecond)}
	ask := func(ctx context.Context, rng string) (string, error) {
		resp, err := c.Do(ctx, &Request{Method: "GET", Bucket: "bkt", Key: "k", Header: http.Header{"Range": {rng}}})
		if err != nil {
			return "", err
		}
		b, _ := io.ReadAll(resp.Body)
		return string(b), nil
	}
	if _, err := ask(WithDirect(context.Background(), run), "bytes=0-9"); err != ErrHandedOff {
		t.Fatalf("err = %v, want ErrHandedOff", err)
	}
	got, err := ask(WithDirect(context.Background(), run.Resume()), "bytes=10-19")
	if err != nil || got != "range bytes=10-19" {
		t.Errorf("another range of the URL got %q, %v: not the answer handed off", got, err)
	}
}

func TestInformationalAnswersAndRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/bkt/hints", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Link", "</x>; rel=preload")
		w.WriteHeader(http.StatusEarlyHints)
		w.Write([]byte("after hints"))
	})
	mux.HandleFunc("/bkt/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/bkt/hints", http.StatusFound)
	})
	cs := newCountingServer(t, mux.ServeHTTP)
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds, PathStyle: true})
	for _, key := range []string{"hints", "moved"} {
		for _, run := range []*DirectRun{{}, {Budget: time.Now().Add(time.Minute)}} {
			resp, err := c.Do(WithDirect(context.Background(), run), &Request{Method: "GET", Bucket: "bkt", Key: key})
			if err == ErrHandedOff {
				resp, err = c.Do(WithDirect(context.Background(), run.Resume()), &Request{Method: "GET", Bucket: "bkt", Key: key})
			}
			if err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || string(b) != "after hints" {
				t.Errorf("%s: %d %q, want the final answer (as net/http gives it)", key, resp.StatusCode, b)
			}
		}
	}
}

func TestABodyOverTheBufferLimitGoesThroughNetHTTP(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	data := bytes.Repeat([]byte("b"), directBufferMax+1)
	resp, err := c.Do(direct(), &Request{Method: "PUT", Bucket: "bkt", Key: "big", Body: bytes.NewReader(data),
		ContentLength: int64(len(data)), GetBody: func() io.Reader { return bytes.NewReader(data) }})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c.direct.mu.Lock()
	idle := len(c.direct.idle)
	c.direct.mu.Unlock()
	if idle != 0 || !bytes.Equal(get(t, c, "big"), data) {
		t.Errorf("%d direct connections used for a body net/http must send (it reads an early answer while writing)", idle)
	}
}

func TestIdleConnectionsPastTheirTimeGoWhenAnotherComesBack(t *testing.T) {
	p := &directPool{maxIdle: 8}
	var ends []net.Conn
	conn := func(idle time.Duration) *directConn {
		a, b := net.Pipe()
		ends = append(ends, b)
		return &directConn{Conn: a, sock: a, idleFrom: time.Now().Add(-idle)}
	}
	p.idle = []*directConn{conn(directIdleTimeout + time.Minute), conn(directIdleTimeout + time.Second), conn(time.Second)}
	p.put(conn(0))
	if len(p.idle) != 2 {
		t.Fatalf("%d idle connections, want the 2 still young", len(p.idle))
	}
	for i, e := range ends[:2] {
		e.SetReadDeadline(time.Now().Add(time.Second))
		if _, err := e.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("expired connection %d: %v, want it closed", i, err)
		}
	}
}

// A cancel ends the wait for an answer even when it came before the request was written: the
// request that starts under a context already cancelled, on a pooled connection, gets its
// context's end as the watch's past deadlines, which the exchange's own deadlines set later
// (the wait for the answer's) must not undo.
func TestARequestMadeAfterItsCancelEndsAtOnce(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/bkt/stall" {
			select {
			case <-block:
			case <-r.Context().Done():
			}
		}
	})
	// A wait the cancel did not end lasts the read timeout.
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds, ReadTimeout: 5 * time.Second})
	cancelled, cancel := context.WithCancel(direct())
	cancel()
	for range 100 {
		resp, err := c.Do(direct(), &Request{Method: "GET", Bucket: "bkt", Key: "k"}) // a connection to pool
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		start := time.Now()
		_, err = c.Do(cancelled, &Request{Method: "GET", Bucket: "bkt", Key: "stall", NoRetry: true})
		if d := time.Since(start); !errors.Is(err, context.Canceled) || d > 2*time.Second {
			t.Fatalf("err = %v after %v, want context.Canceled at once", err, d)
		}
	}
}

// writeCounter is a connection that counts its writes.
type writeCounter struct {
	*net.TCPConn
	writes atomic.Int32
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.writes.Add(1)
	return w.TCPConn.Write(p)
}

// A small request whose body is not in memory (a file's) goes out in one write, its head with
// its body: one segment for the server to wake up to, not two.
func TestASmallRequestIsOneWrite(t *testing.T) {
	ts := startServer(t, server.Config{})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	nc, err := net.Dial("tcp", strings.TrimPrefix(ts.addr, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	counted := &writeCounter{TCPConn: nc.(*net.TCPConn)}
	c.direct.put(&directConn{Conn: counted, sock: counted, addr: nc.RemoteAddr().String(),
		br: bufio.NewReaderSize(counted, 32<<10), bw: bufio.NewWriterSize(counted, 32<<10)})
	body := bytes.Repeat([]byte("f"), 16<<10)
	file := func() io.Reader { return io.MultiReader(bytes.NewReader(body)) } // not known to be in memory
	resp, err := c.Do(direct(), &Request{Method: "PUT", Bucket: "bkt", Key: "k", Body: file(), ContentLength: int64(len(body)), GetBody: file})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := counted.writes.Load(); n != 1 {
		t.Errorf("the request took %d writes, want 1", n)
	}
	if got := get(t, c, "k"); !bytes.Equal(got, body) {
		t.Errorf("stored %d bytes, want the %d sent", len(got), len(body))
	}
}

// A full pool keeps the connection just used and lets the oldest of the other kind go: calls
// of one kind (an event loop's, in Go's poller) must not leave the other's (a C caller's
// thread, out of it) a pool where each of its connections is closed as it comes back.
func TestAFullPoolKeepsTheConnectionJustUsed(t *testing.T) {
	p := &directPool{maxIdle: 3}
	var ends []net.Conn
	conn := func(unpolled bool) *directConn {
		a, b := net.Pipe()
		ends = append(ends, b)
		return &directConn{Conn: a, sock: a, unpolled: unpolled, idleFrom: time.Now()}
	}
	for i := 0; i < 3; i++ {
		p.put(conn(false))
	}
	inline := conn(true)
	p.put(inline)
	if len(p.idle) != 3 || p.idle[2] != inline {
		t.Fatalf("%d idle, the one just used kept: %v", len(p.idle), len(p.idle) > 0 && p.idle[len(p.idle)-1] == inline)
	}
	ends[0].SetReadDeadline(time.Now().Add(time.Second))
	if _, err := ends[0].Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("the oldest of the other kind: %v, want it closed", err)
	}
	second := conn(true)
	p.put(second) // the oldest of the other kind goes again, not the first inline one
	if got := p.idleConn("", true); got != second {
		t.Errorf("the last one in is the first out")
	}
	if got := p.idleConn("", true); got != inline {
		t.Errorf("the first inline connection was let go for one of the other kind")
	}
}

// An answer whose head comes partly within the budget and partly after it is handed off with
// the head unread and continued: parsed as it came, its first bytes would be lost and the
// request, already answered, sent again (a PUT must not be).
func TestAnAnswerBegunWithinTheBudgetIsContinuedNotSentAgain(t *testing.T) {
	var requests atomic.Int32
	addr := rawServer(t, func(conn net.Conn, br *bufio.Reader) {
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			io.Copy(io.Discard, req.Body)
			requests.Add(1)
			conn.Write([]byte("HTTP/1.1 200 OK\r\n"))
			time.Sleep(150 * time.Millisecond) // the rest of the head after the budget
			conn.Write([]byte("x-oss-request-id: late-head\r\nContent-Length: 0\r\n\r\n"))
		}
	})
	c := mustNew(t, Config{Endpoint: "http://" + addr, Credentials: testCreds})
	data := []byte("put once")
	put := func(d *DirectRun) (*http.Response, error) {
		return c.Do(WithDirect(context.Background(), d), &Request{Method: "PUT", Bucket: "bkt", Key: "k",
			Body: bytes.NewReader(data), ContentLength: int64(len(data)), GetBody: func() io.Reader { return bytes.NewReader(data) }})
	}
	run := &DirectRun{Budget: time.Now().Add(50 * time.Millisecond)}
	start := time.Now()
	if _, err := put(run); err != ErrHandedOff || !run.HandedOff() {
		t.Fatalf("err = %v: the head that had not all come is handed off", err)
	}
	if d := time.Since(start); d > 120*time.Millisecond {
		t.Errorf("the caller had its thread back after %v", d)
	}
	run.End()
	resp, err := put(run.Resume())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("x-oss-request-id") != "late-head" || requests.Load() != 1 {
		t.Errorf("status %d, request id %q after %d requests, want 1", resp.StatusCode, resp.Header.Get("x-oss-request-id"), requests.Load())
	}
}

// Over TLS, an idle connection the server ended (close_notify, then the end of the stream) is
// not taken for open because bytes are waiting on its socket.
func TestAnIdleTLSConnectionTheServerEndedIsNotUsed(t *testing.T) {
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	hs.StartTLS()
	defer hs.Close()
	c := mustNew(t, Config{Endpoint: hs.URL, Credentials: testCreds})
	c.direct.tls = hs.Client().Transport.(*http.Transport).TLSClientConfig
	for _, unpolled := range []bool{false, true} {
		budget := time.Time{}
		if unpolled {
			budget = time.Now().Add(3 * time.Second)
		}
		resp, err := c.Do(WithDirect(context.Background(), &DirectRun{Budget: budget}), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
		if err != nil {
			t.Fatal(err)
		}
		io.ReadAll(resp.Body)
		resp.Body.Close()
		c.direct.mu.Lock()
		if len(c.direct.idle) != 1 {
			c.direct.mu.Unlock()
			t.Fatalf("%d idle connections, want 1", len(c.direct.idle))
		}
		idle := c.direct.idle[0]
		c.direct.mu.Unlock()
		if !idle.open() {
			t.Fatalf("unpolled %v: a TLS connection just used is open", unpolled)
		}
		hs.CloseClientConnections() // the server's close_notify, then its end of the stream
		deadline := time.Now().Add(2 * time.Second)
		for idleSocket(idle.sock) == socketEmpty && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if idle.open() {
			t.Errorf("unpolled %v: a TLS connection the server ended is taken for open", unpolled)
		}
		c.direct.closeIdle()
	}
}

func TestAReadAfterCloseOfABodyNotReadToItsEndFails(t *testing.T) {
	body := bytes.Repeat([]byte("z"), 2<<20) // over directBufferMax: read as the caller asks
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write(body) })
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	resp, err := c.Do(direct(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 1000)); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n, err := resp.Body.Read(make([]byte, 10)); err == nil || err == io.EOF {
		t.Errorf("read after close: %d bytes, %v; want an error, not the end of the body", n, err)
	}
}

func TestDiscardClosesAnExchangeHandedOffAndNeverContinued(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(100 * time.Millisecond)
		w.Write([]byte("late"))
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	run := &DirectRun{Budget: time.Now().Add(10 * time.Millisecond)}
	if _, err := c.Do(WithDirect(context.Background(), run), &Request{Method: "GET", Bucket: "bkt", Key: "k"}); err != ErrHandedOff {
		t.Fatalf("err = %v, want ErrHandedOff", err)
	}
	next := run.Resume()
	x := next.pending
	if x == nil {
		t.Fatal("no exchange handed off")
	}
	next.Discard()
	if next.pending != nil {
		t.Error("the exchange is still pending after Discard")
	}
	if _, err := x.conn.Write([]byte("x")); err == nil {
		t.Error("the discarded exchange's connection is still open")
	}
}

func TestABodyReadWholeGivesItsBufferBackWhenClosedAndIsNotReadAfter(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(r.URL.Path)) })
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	get := func(key string) *http.Response {
		t.Helper()
		run := &DirectRun{Budget: time.Now().Add(time.Minute)} // a caller's thread: read whole
		resp, err := c.Do(WithDirect(context.Background(), run), &Request{Method: "GET", Bucket: "bkt", Key: key})
		run.End()
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	first := get("first")
	if b, err := io.ReadAll(first.Body); err != nil || string(b) != "/bkt/first" {
		t.Fatalf("first body %q, %v", b, err)
	}
	first.Body.Close()
	second := get("2nd") // into the first's buffer, most likely: its bytes must be its own
	if _, err := first.Body.Read(make([]byte, 1)); err == nil {
		t.Error("a read after Close succeeded")
	}
	if b, err := io.ReadAll(second.Body); err != nil || string(b) != "/bkt/2nd" {
		t.Fatalf("second body %q, %v", b, err)
	}
	second.Body.Close()
	second.Body.Close() // twice: the buffer goes back once
}

// A body read to exactly its length and closed (as io.ReadFull into a buffer of its size does)
// has ended: its connection is used again, not closed (pyjindo.aio's gets, the CLI's small
// downloads).
func TestABodyReadToItsLengthThenClosedKeepsItsConnection(t *testing.T) {
	body := bytes.Repeat([]byte("k"), 16<<10)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	for i := 0; i < 5; i++ {
		resp, err := c.Do(direct(), &Request{Method: "GET", Bucket: "bkt", Key: "k"})
		if err != nil {
			t.Fatal(err)
		}
		got := make([]byte, resp.ContentLength)
		if _, err := io.ReadFull(resp.Body, got); err != nil || !bytes.Equal(got, body) {
			t.Fatalf("get %d: %v", i, err)
		}
		resp.Body.Close()
	}
	if n := cs.connections(); n != 1 {
		t.Errorf("5 gets read to their length took %d connections, want 1", n)
	}
}

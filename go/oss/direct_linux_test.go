package oss

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"
)

// idleKinds counts c's idle direct connections out of Go's network poller and in it.
func idleKinds(c *Client) (unpolled, polled int) {
	c.direct.mu.Lock()
	defer c.direct.mu.Unlock()
	for _, dc := range c.direct.idle {
		if _, ok := dc.sock.(*sockConn); ok && dc.unpolled {
			unpolled++
		} else if !dc.unpolled {
			polled++
		}
	}
	return
}

func TestAnExchangeOnACallersThreadUsesASocketOutOfThePoller(t *testing.T) {
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("answer")) })
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	get := func(ctx context.Context) {
		t.Helper()
		resp, err := c.Do(ctx, &Request{Method: "GET", Bucket: "bkt", Key: "k"})
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := io.ReadAll(resp.Body); string(b) != "answer" {
			t.Fatalf("body %q", b)
		}
		resp.Body.Close()
	}
	for i := 0; i < 3; i++ { // a budget: the caller's thread
		run := &DirectRun{Budget: time.Now().Add(time.Minute)}
		get(WithDirect(context.Background(), run))
		run.End()
	}
	if u, p := idleKinds(c); u != 1 || p != 0 {
		t.Fatalf("after exchanges on a caller's thread: %d idle out of the poller, %d in it; want 1, 0", u, p)
	}
	get(direct()) // no budget: a goroutine, which parks on the poller
	if u, p := idleKinds(c); u != 1 || p != 1 {
		t.Fatalf("after an exchange on a goroutine: %d idle out of the poller, %d in it; want 1, 1", u, p)
	}
	if n, r := cs.connections(), cs.requests.Load(); n != 2 || r != 4 {
		t.Errorf("%d connections for %d requests, want 2 for 4: one of each kind, each reused", n, r)
	}
}

func TestCancellingEndsAContinuedExchangeOnASocketOutOfThePoller(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	cs := newCountingServer(t, func(w http.ResponseWriter, r *http.Request) {
		select { // no answer
		case <-release:
		case <-r.Context().Done():
		}
	})
	c := mustNew(t, Config{Endpoint: cs.URL, Credentials: testCreds})
	run := &DirectRun{Budget: time.Now().Add(20 * time.Millisecond)}
	if _, err := c.Do(WithDirect(context.Background(), run), &Request{Method: "GET", Bucket: "bkt", Key: "k"}); err != ErrHandedOff {
		t.Fatalf("err = %v, want ErrHandedOff", err)
	}
	run.End()
	ctx, cancel := context.WithCancel(WithDirect(context.Background(), run.Resume()))
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Do(ctx, &Request{Method: "GET", Bucket: "bkt", Key: "k"})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
		t.Errorf("err = %v after %v, want context.Canceled soon after 50ms", err, time.Since(start))
	}
}

// sockPair is a sockConn connected to a TCP peer the test holds.
func sockPair(t *testing.T) (*sockConn, net.Conn) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	peer, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { peer.Close() })
	sc, out, err := unpolled(nc, nil)
	if err != nil || !out {
		t.Fatalf("unpolled: %v, %v", out, err)
	}
	t.Cleanup(func() { sc.Close() })
	return sc.(*sockConn), peer
}

func TestASocketOutOfThePollerReadsWritesAndTimesOut(t *testing.T) {
	sc, peer := sockPair(t)
	if _, err := sc.Write([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(peer, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("the peer read %q, %v", buf, err)
	}
	go peer.Write([]byte("pong"))
	if _, err := io.ReadFull(sc, buf); err != nil || string(buf) != "pong" {
		t.Fatalf("read %q, %v", buf, err)
	}
	// a deadline ends a read as net's does: a timeout net.Error, os.ErrDeadlineExceeded
	sc.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
	_, err := sc.Read(buf)
	var ne net.Error
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("read past its deadline: %v", err)
	}
	// a deadline moved into the past by another goroutine ends a read waiting with none
	sc.SetReadDeadline(time.Time{})
	time.AfterFunc(30*time.Millisecond, func() { sc.SetDeadline(aLongTimeAgo) })
	if _, err := sc.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read whose deadline another goroutine moved: %v", err)
	}
	// the peer's end of the stream
	sc.SetDeadline(time.Time{})
	peer.Close()
	if n, err := sc.Read(buf); n != 0 || err != io.EOF {
		t.Fatalf("read at the peer's end: %d, %v", n, err)
	}
}

func TestClosingASocketOutOfThePollerEndsTheReadWaitingOnIt(t *testing.T) {
	sc, _ := sockPair(t)
	done := make(chan error, 1)
	go func() {
		_, err := sc.Read(make([]byte, 10))
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	sc.Close()
	select {
	case err := <-done:
		if !errors.Is(err, net.ErrClosed) {
			t.Errorf("the read under Close: %v, want net.ErrClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not end the read waiting on the socket")
	}
	// and none touches the descriptor, which may be another file's by now
	if _, err := sc.Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("read after Close: %v", err)
	}
	if _, err := sc.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write after Close: %v", err)
	}
}

func TestALargeWriteWaitsForRoomOnASocketOutOfThePoller(t *testing.T) {
	sc, peer := sockPair(t)
	data := make([]byte, 8<<20) // more than the socket buffers hold: the write waits for the reader
	for i := range data {
		data[i] = byte(i)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(peer, int64(len(data))))
		got <- b
	}()
	if n, err := sc.Write(data); n != len(data) || err != nil {
		t.Fatalf("write: %d, %v", n, err)
	}
	if b := <-got; len(b) != len(data) || string(b[len(b)-100:]) != string(data[len(data)-100:]) {
		t.Fatalf("the peer read %d bytes of %d", len(b), len(data))
	}
}

func TestReadsSpinOnlyForAnswersThatComeSoonAndFewerThreadsThanCPUs(t *testing.T) {
	w := newAnswerWaits(2)
	if w.spinStart() {
		t.Fatal("a spin before any wait was learnt")
	}
	w.learn(20 * time.Microsecond)
	if !w.spinStart() {
		t.Fatal("no spin for answers that come in 20 us")
	}
	if w.spinStart() {
		t.Error("two threads spin on 2 CPUs")
	}
	w.spinEnd()
	for i := 0; i < 20; i++ {
		w.learn(2 * time.Millisecond) // a server across a network
	}
	if w.spinStart() {
		t.Errorf("a spin for answers that take %v on average", time.Duration(w.avg.Load()))
	}
	one := newAnswerWaits(1)
	one.learn(time.Microsecond)
	if one.spinStart() {
		t.Error("a spin with one CPU, which a server on the machine needs")
	}
}

func TestASpinningReadGetsItsBytesTheEndOrItsDeadline(t *testing.T) {
	sc, peer := sockPair(t)
	sc.waits = &answerWaits{spinners: 1}
	sc.waits.learn(10 * time.Microsecond) // answers come soon: reads spin
	buf := make([]byte, 8)
	for i := 0; i < 20; i++ { // bytes there at once, or coming during the spin or after it
		go peer.Write([]byte{'a' + byte(i)})
		if n, err := sc.Read(buf); err != nil || n != 1 || buf[0] != 'a'+byte(i) {
			t.Fatalf("read %d: %q, %v", i, buf[:n], err)
		}
	}
	if sc.waits.avg.Load() <= 0 || sc.waits.spinning.Load() != 0 {
		t.Errorf("average wait %d ns, %d spinning after the reads", sc.waits.avg.Load(), sc.waits.spinning.Load())
	}
	sc.SetReadDeadline(aLongTimeAgo)
	if _, err := sc.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("a read past its deadline: %v", err)
	}
	sc.SetReadDeadline(time.Time{})
	peer.Close()
	if _, err := sc.Read(buf); err != io.EOF {
		t.Errorf("a read at the end of the stream: %v, want io.EOF", err)
	}
}

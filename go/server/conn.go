package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// loop serves HTTP/1.1 connections itself: one goroutine per connection reads each request
// head (head.go), builds the *http.Request, runs the handler with its own ResponseWriter
// (respond.go) and loops for keep-alive. net/http's server costs a small request about as much
// CPU again as the handler (a goroutine, a context, a background read, deadline moves and
// several writes per request); this loop writes a response with one system call and moves no
// timer in the common case.
//
// What it does not serve exactly (see parseHead) goes to net/http: the connection, with the
// bytes already read, is handed to fallback, which serves it from then on.
type loop struct {
	handler       http.Handler
	fallback      *http.Server // its Handler is handler; its ErrorLog is the loop's log
	headerTimeout time.Duration
	idleTimeout   time.Duration
	base          *http.Request // what every request starts as: its context
	date          func(time.Time) string

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	closing   atomic.Bool
	readers   sync.Pool // *bufio.Reader of headBuffer bytes, from connections that ended
}

func newLoop(handler http.Handler, fallback *http.Server, ctx context.Context, date func(time.Time) string) *loop {
	return &loop{handler: handler, fallback: fallback, headerTimeout: fallback.ReadHeaderTimeout,
		idleTimeout: fallback.IdleTimeout, base: (&http.Request{}).WithContext(ctx), date: date,
		listeners: map[net.Listener]struct{}{}, conns: map[*conn]struct{}{}}
}

func (l *loop) logf(format string, args ...any) {
	if l.fallback.ErrorLog != nil {
		l.fallback.ErrorLog.Printf(format, args...)
	} else {
		log.Printf(format, args...)
	}
}

func (l *loop) shuttingDown() bool { return l.closing.Load() }

// serve accepts connections on ln until it fails or the loop closes.
func (l *loop) serve(ln net.Listener) error {
	h := &handoff{addr: ln.Addr(), conns: make(chan net.Conn), done: make(chan struct{})}
	defer h.Close()
	go l.fallback.Serve(h)
	l.mu.Lock()
	if l.closing.Load() {
		l.mu.Unlock()
		return nil
	}
	l.listeners[ln] = struct{}{}
	l.mu.Unlock()
	defer func() { // as net/http's Serve: the listener ends with it
		l.mu.Lock()
		delete(l.listeners, ln)
		l.mu.Unlock()
		ln.Close()
	}()
	var delay time.Duration
	for {
		rwc, err := ln.Accept()
		if err != nil {
			if l.closing.Load() {
				return nil
			}
			// Retried as net/http retries them (EMFILE, ...).
			if ne, ok := err.(net.Error); ok && ne.Temporary() {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				l.logf("http: Accept error: %v; retrying in %v", err, delay)
				time.Sleep(delay)
				continue
			}
			return err
		}
		delay = 0
		raw := newRawConn(rwc)
		c := &conn{loop: l, rwc: rwc, raw: raw, handoff: h, in: deadlineReader{c: rwc, raw: raw}}
		l.mu.Lock()
		if l.closing.Load() {
			l.mu.Unlock()
			rwc.Close()
			continue
		}
		l.conns[c] = struct{}{}
		l.mu.Unlock()
		go c.serve()
	}
}

// close stops the listeners and closes every connection.
func (l *loop) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closing.Store(true)
	for ln := range l.listeners {
		ln.Close()
	}
	for c := range l.conns {
		c.rwc.Close()
	}
}

// shutdown stops the listeners, then closes connections as they fall idle, until none is left
// or ctx ends (net/http's Shutdown does the same for its own).
func (l *loop) shutdown(ctx context.Context) error {
	l.mu.Lock()
	l.closing.Store(true)
	for ln := range l.listeners {
		ln.Close()
	}
	l.mu.Unlock()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		l.mu.Lock()
		for c := range l.conns {
			if c.idle.Load() {
				c.rwc.Close()
			}
		}
		left := len(l.conns)
		l.mu.Unlock()
		if left == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// conn is one connection the loop serves.
type conn struct {
	loop          *loop
	rwc           net.Conn
	raw           *rawConn // nil: rwc is not a TCP socket
	handoff       *handoff
	in            deadlineReader
	br            *bufio.Reader
	remote        string
	w             loopResponse
	out           []byte // what goes out next
	vec           [2][]byte
	iov           net.Buffers
	keys          []string // scratch for sorting the response header
	werr          error    // the first write failure; the connection is closed then
	writeDeadline bool     // a handler set one: cleared after the request, as net/http does
	idle          atomic.Bool
	afterPost     bool
}

// headBuffer is the connection's read buffer. It bounds the request heads the loop reads
// itself (a longer one goes to net/http, which reads up to 64 KiB, MaxHeaderBytes, and answers
// 431 beyond), and is large enough that a small PUT's head and body come in one read.
const headBuffer = 32 << 10

// writeThrough is the size from which a body write goes out at once, with what is buffered
// before it, in one writev, rather than being copied into the buffer; and how much the buffer
// holds before it goes out (net/http's 4 KiB), so a body written in small pieces over time is
// not held back.
const writeThrough = 4 << 10

// rstAvoidanceDelay is how long net/http waits between half-closing a connection whose request
// body was left unread and closing it, so the client reads the answer before a reset.
const rstAvoidanceDelay = 500 * time.Millisecond

func (c *conn) serve() {
	if br, ok := c.loop.readers.Get().(*bufio.Reader); ok {
		br.Reset(&c.in)
		c.br = br
	} else {
		c.br = bufio.NewReaderSize(&c.in, headBuffer)
	}
	handedOff := false
	defer func() {
		if err := recover(); err != nil && err != http.ErrAbortHandler {
			buf := make([]byte, 64<<10)
			buf = buf[:runtime.Stack(buf, false)]
			c.loop.logf("http: panic serving %v: %v\n%s", c.remote, err, buf)
		}
		if !handedOff {
			c.rwc.Close()
		}
		c.loop.mu.Lock()
		delete(c.loop.conns, c)
		c.loop.mu.Unlock()
		if c.w.body != nil {
			c.w.body.closed = true // after a panic too: the reader goes to another connection
		}
		c.br.Reset(nil)
		c.loop.readers.Put(c.br)
	}()
	c.remote = c.rwc.RemoteAddr().String()
	c.w.c = c
	c.w.header = http.Header{}
	for first := true; ; first = false {
		req, handOff := c.next(first)
		if handOff {
			handedOff = true
			pending, _ := c.br.Peek(c.br.Buffered())
			c.rwc.SetReadDeadline(time.Time{}) // net/http sets its own
			c.handoff.give(&replayConn{Conn: c.rwc, pending: bytes.Clone(pending)})
			return
		}
		if req == nil || c.loop.shuttingDown() {
			return // a request read while shutting down is dropped, as net/http drops it
		}
		c.loop.handler.ServeHTTP(&c.w, req)
		reuse := c.w.finish()
		if c.writeDeadline {
			c.rwc.SetWriteDeadline(time.Time{})
			c.writeDeadline = false
		}
		if !reuse {
			if c.w.limitHit || c.w.body != nil && c.w.body.earlyClose {
				c.closeWriteAndWait()
			}
			return
		}
		if c.loop.shuttingDown() {
			return
		}
	}
}

// next reads the next request head. It returns nil when the connection is to close (the client
// went away or was too slow), and handOff when net/http is to serve the connection from here.
func (c *conn) next(first bool) (req *http.Request, handOff bool) {
	c.idle.Store(true)
	if c.loop.shuttingDown() {
		return nil, false
	}
	// The first request has the header timeout from the start, as in net/http; later ones
	// the idle timeout until their first byte.
	wait := c.loop.idleTimeout
	if first {
		wait = c.loop.headerTimeout
	}
	c.in.set(after(wait))
	if _, err := c.br.Peek(1); err != nil {
		return nil, false
	}
	c.idle.Store(false)
	if c.afterPost {
		// net/http forgives old clients the CRLF they send after a POST body.
		peek, _ := c.br.Peek(min(4, c.br.Buffered()))
		n := 0
		for n < len(peek) && (peek[n] == '\r' || peek[n] == '\n') {
			n++
		}
		c.br.Discard(n)
	}
	armed := first
	for {
		buf, _ := c.br.Peek(c.br.Buffered())
		end, ok := headEnd(buf)
		if !ok {
			return nil, true
		}
		if end > 0 {
			req = parseHead(string(buf[:end]), c.loop.base)
			if req == nil {
				return nil, true
			}
			c.br.Discard(end)
			break
		}
		if c.br.Buffered() == c.br.Size() {
			return nil, true
		}
		if !armed {
			c.in.set(after(c.loop.headerTimeout))
			armed = true
		}
		if _, err := c.br.Peek(c.br.Buffered() + 1); err != nil {
			// A slow client is dropped without an answer, as net/http drops it; a partial
			// head cut short gets net/http's answer (400).
			var ne net.Error
			return nil, !(errors.As(err, &ne) && ne.Timeout()) && c.br.Buffered() > 0
		}
	}
	c.in.set(time.Time{}) // net/http sets no read deadline while the handler runs
	c.afterPost = req.Method == http.MethodPost
	req.RemoteAddr = c.remote
	var b *body
	if req.ContentLength > 0 {
		b = &body{c: c, left: req.ContentLength, closing: req.Close}
		req.Body = b
	} else {
		req.Body = http.NoBody
	}
	c.w.reset(req, b)
	return req, false
}

// after is the deadline d from now; none for a d of 0, as net/http reads its timeouts.
func after(d time.Duration) time.Time {
	if d <= 0 {
		return time.Time{}
	}
	return time.Now().Add(d)
}

// headEnd finds the end of the request head at the start of buf: 0 and true while it is
// incomplete, false for what the loop leaves to net/http (a line not ending in CRLF, an empty
// line first).
func headEnd(buf []byte) (int, bool) {
	start := 0
	for {
		i := bytes.IndexByte(buf[start:], '\n')
		if i < 0 {
			return 0, true
		}
		i += start
		if i == 0 || buf[i-1] != '\r' {
			return 0, false
		}
		if i-1 == start {
			return i + 1, start > 0
		}
		start = i + 1
	}
}

// write sends p after what c.out holds: a small p is buffered, a larger one goes out at once
// with the buffer before it.
func (c *conn) write(p []byte) error {
	if c.werr != nil {
		return c.werr
	}
	if len(p) < writeThrough {
		c.out = append(c.out, p...)
		if len(c.out) >= writeThrough {
			return c.flush()
		}
		return nil
	}
	var err error
	if c.raw != nil {
		err = c.raw.writev(c.out, p)
	} else {
		c.vec = [2][]byte{c.out, p}
		c.iov = c.vec[:]
		_, err = c.iov.WriteTo(c.rwc)
		c.vec = [2][]byte{}
	}
	c.out = c.out[:0]
	if err != nil {
		c.fail(err)
	}
	return err
}

// flush sends what c.out holds.
func (c *conn) flush() error {
	if c.werr != nil || len(c.out) == 0 {
		return c.werr
	}
	var err error
	if c.raw != nil {
		err = c.raw.writev(c.out, nil)
	} else {
		_, err = c.rwc.Write(c.out)
	}
	c.out = c.out[:0]
	if err != nil {
		c.fail(err)
	}
	return err
}

// fail closes the connection after a write failure: what is left of the response cannot be
// sent, and the handler learns it from its next write.
func (c *conn) fail(err error) {
	c.werr = err
	c.rwc.Close()
}

// closeWriteAndWait half-closes the connection and pauses before it is closed, as net/http
// does when it leaves a request body unread, so the client reads the answer before a reset.
func (c *conn) closeWriteAndWait() {
	c.flush()
	if cw, ok := c.rwc.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	time.Sleep(rstAvoidanceDelay)
}

// deadlineReader reads the connection under the read deadline last set, while moving the
// connection's own deadline (a poller timer, whose every move may wake a thread) only when
// the new one comes earlier. One armed earlier than the deadline set is re-armed when it
// passes, so a read times out exactly when the deadline set says. Only the connection's
// goroutine uses it.
type deadlineReader struct {
	c      net.Conn
	raw    *rawConn  // reads c when not nil
	wanted time.Time // zero: none
	armed  time.Time // set on c; zero: none
}

func (d *deadlineReader) set(t time.Time) error {
	d.wanted = t
	if t.IsZero() || !d.armed.IsZero() && !t.Before(d.armed) {
		return nil
	}
	d.armed = t
	return d.c.SetReadDeadline(t)
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	for {
		var n int
		var err error
		if d.raw != nil {
			n, err = d.raw.read(p)
		} else {
			n, err = d.c.Read(p)
		}
		if n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) || !d.wanted.IsZero() && !time.Now().Before(d.wanted) {
			return n, err
		}
		d.armed = d.wanted
		if err := d.c.SetReadDeadline(d.wanted); err != nil {
			return 0, err
		}
	}
}

// handoff is the listener net/http's server accepts handed-off connections from.
type handoff struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (h *handoff) Accept() (net.Conn, error) {
	select {
	case c := <-h.conns:
		return c, nil
	case <-h.done:
		return nil, net.ErrClosed
	}
}

func (h *handoff) Close() error {
	h.once.Do(func() { close(h.done) })
	return nil
}

func (h *handoff) Addr() net.Addr { return h.addr }

func (h *handoff) give(c net.Conn) {
	select {
	case h.conns <- c:
	case <-h.done:
		c.Close()
	}
}

// replayConn is a handed-off connection: it reads first what the loop had read.
type replayConn struct {
	net.Conn
	pending []byte
}

func (c *replayConn) Read(p []byte) (int, error) {
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// CloseWrite keeps net/http's half-close of a connection whose request body it left unread.
func (c *replayConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.ErrUnsupported
}

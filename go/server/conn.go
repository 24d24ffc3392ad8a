package server

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// quietListener wraps each accepted connection in a quietConn.
type quietListener struct{ net.Listener }

func (l quietListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &quietConn{Conn: c}, nil
}

// quietConn spares the Go runtime two kinds of work net/http asks of a connection on every
// request, each of which can wake an idle thread (a futex wake, a spin, a sleep):
//
//   - Read deadlines. net/http moves the read deadline four or five times a request (the
//     header timeout, none while the handler runs, the idle timeout) and each move re-arms a
//     poller timer. Here a deadline asked for is only recorded, and the connection's real
//     deadline moves only to come earlier; a real deadline that passes before the one asked
//     for is re-armed inside Read, so a read times out exactly when its deadline says, never
//     before. A deadline already passed, with no read waiting to interrupt, only fails the
//     next read.
//   - The background read. Once a request's body is read, net/http starts a goroutine whose
//     one-byte read parks in the poller to notice a client going away, then interrupts it
//     with a past deadline when the response is done. It is recognised by how it starts (the
//     deadline cleared, then a one-byte read) and answered at once with nothing read, which
//     net/http takes as no news: a pipelined request is read as the next one, and a client that
//     goes away is noticed at the next read or write instead of by the request's context.
//     Should net/http ever read one byte in that state for another reason, the empty answer
//     only makes its buffered reader read again.
type quietConn struct {
	net.Conn
	mu      sync.Mutex
	wanted  time.Time // the read deadline asked for; zero: none
	armed   time.Time // the read deadline set on Conn; zero: none. Never after wanted.
	reading int       // reads waiting in Conn.Read
	cleared bool      // the read deadline was just cleared, and nothing read since
}

func (c *quietConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wanted, c.cleared = t, t.IsZero()
	switch {
	case t.IsZero():
		return nil
	case c.reading == 0 && !time.Now().Before(t):
		return nil // no read to interrupt: the next one fails at once
	case !c.armed.IsZero() && !t.Before(c.armed):
		return nil // the armed deadline comes first; Read re-arms it if it passes early
	}
	c.armed = t
	return c.Conn.SetReadDeadline(t)
}

func (c *quietConn) SetDeadline(t time.Time) error {
	if err := c.SetReadDeadline(t); err != nil {
		return err
	}
	return c.Conn.SetWriteDeadline(t)
}

func (c *quietConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	background := len(p) == 1 && c.cleared
	c.cleared = false
	if background || c.passed() {
		c.mu.Unlock()
		if background {
			return 0, nil
		}
		return 0, &net.OpError{Op: "read", Net: c.LocalAddr().Network(), Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: os.ErrDeadlineExceeded}
	}
	c.reading++
	c.mu.Unlock()
	for {
		n, err := c.Conn.Read(p)
		c.mu.Lock()
		if n > 0 || !errors.Is(err, os.ErrDeadlineExceeded) || c.passed() || c.rearm() != nil {
			c.reading--
			c.mu.Unlock()
			return n, err
		}
		c.mu.Unlock()
	}
}

// passed tells whether the read deadline asked for has passed. c.mu is held.
func (c *quietConn) passed() bool {
	return !c.wanted.IsZero() && !time.Now().Before(c.wanted)
}

// rearm moves the real read deadline, which passed before the one asked for, on to that one.
// c.mu is held.
func (c *quietConn) rearm() error {
	c.armed = c.wanted
	return c.Conn.SetReadDeadline(c.wanted)
}

// CloseWrite keeps net/http's graceful close (FIN, then a pause) of a connection whose request
// body was left unread. A connection without one is closed after the pause, as net/http does.
func (c *quietConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.ErrUnsupported
}

// ReadFrom keeps the kernel's sendfile and splice for bodies served from files.
func (c *quietConn) ReadFrom(r io.Reader) (int64, error) {
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(onlyWriter{c.Conn}, r)
}

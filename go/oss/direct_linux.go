package oss

import (
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"
)

// sockConn is a TCP connection read and written with system calls on the calling thread, its
// socket out of Go's network poller: a direct exchange on a C caller's thread (to which cgo
// locks the goroutine) waits for its answer in the read(2) itself, where the kernel wakes this
// thread directly. Parked on the poller instead, the goroutine's wake-up takes another thread
// polling the network and then a hand-over to this one. And a socket merely registered with the
// poller wakes the thread blocked in it at every answer (it blocks there whenever a runtime timer
// is pending, such as a deadline): with the socket out, a small call went from 2-3 context
// switches to 1 and from 80-110 to 58-68 us of CPU (head_object).
//
// The socket is in blocking mode with a send and receive timeout (SO_SNDTIMEO, SO_RCVTIMEO) of
// at most sockWaitSlice: a read that waits for its answer is one system call, where a
// non-blocking one that finds nothing is three (read, ppoll, read again). A blocked call comes
// back at the end of its slice to look at the deadlines (which a context's end moves from
// another goroutine) and at Close, whose shutdown(2) also wakes it at once.
type sockConn struct {
	fd            int
	mu            sync.RWMutex // shared by reads and writes, exclusive by Close: fd stays theirs
	closed        atomic.Bool
	rdl, wdl      atomic.Int64 // deadlines, Unix ns; 0: none
	rto, wto      atomic.Int64 // the socket's SO_RCVTIMEO and SO_SNDTIMEO now, ns
	local, remote net.Addr
	waits         *answerWaits // its pool's, for the spin before a read blocks (nil: none)
}

// canUnpoll: exchanges on a C caller's thread use sockConn.
const canUnpoll = true

// unpolled takes nc's socket out of Go's network poller: a duplicate of its descriptor is kept
// and nc closed (which takes the original out of the poller; the socket stays open). It
// returns the connection to use and whether it is out of the poller.
func unpolled(nc net.Conn, waits *answerWaits) (net.Conn, bool, error) {
	tc, ok := nc.(*net.TCPConn)
	if !ok {
		return nc, false, nil
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		nc.Close()
		return nil, false, err
	}
	fd := -1
	var dupErr error
	if err = raw.Control(func(f uintptr) {
		r, _, e := syscall.Syscall(syscall.SYS_FCNTL, f, syscall.F_DUPFD_CLOEXEC, 0)
		if fd = int(r); e != 0 {
			fd, dupErr = -1, os.NewSyscallError("fcntl", e)
		}
	}); err == nil {
		err = dupErr
	}
	if err != nil {
		nc.Close()
		return nil, false, err
	}
	c := &sockConn{fd: fd, local: nc.LocalAddr(), remote: nc.RemoteAddr(), waits: waits}
	nc.Close()
	if err := syscall.SetNonblock(fd, false); err != nil {
		syscall.Close(fd)
		return nil, false, os.NewSyscallError("fcntl", err)
	}
	return c, true, nil
}

func (c *sockConn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "tcp", Source: c.local, Addr: c.remote, Err: err}
}

// timeout sets the socket's timeout opt (SO_RCVTIMEO or SO_SNDTIMEO, cached in cur) for a
// call that may block until deadline: a slice of at most sockWaitSlice. False when the deadline
// passed.
func (c *sockConn) timeout(opt int, cur, deadline *atomic.Int64) (bool, error) {
	wait := sockWaitSlice
	if d := deadline.Load(); d != 0 {
		left := time.Until(time.Unix(0, d))
		if left <= 0 {
			return false, nil
		}
		wait = min(wait, left)
	}
	if int64(wait) == cur.Load() {
		return true, nil
	}
	tv := syscall.NsecToTimeval(int64(wait))
	if tv.Sec == 0 && tv.Usec == 0 {
		tv.Usec = 1 // zero would mean no timeout
	}
	if err := syscall.SetsockoptTimeval(c.fd, syscall.SOL_SOCKET, opt, &tv); err != nil {
		return false, os.NewSyscallError("setsockopt", err)
	}
	cur.Store(int64(wait))
	return true, nil
}

const sockWaitSlice = 10 * time.Millisecond

func (c *sockConn) Read(p []byte) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	n, err, done, waitFrom := c.spinRead(p)
	if done {
		return n, err
	}
	for {
		if c.closed.Load() { // closed before: fd may be another file's by now
			return 0, c.opError("read", net.ErrClosed)
		}
		if ok, err := c.timeout(syscall.SO_RCVTIMEO, &c.rto, &c.rdl); !ok {
			if err == nil {
				err = os.ErrDeadlineExceeded
			}
			return 0, c.opError("read", err)
		}
		n, err := syscall.Read(c.fd, p)
		if n, err, done := c.received(p, n, err); done {
			if err == nil && !waitFrom.IsZero() {
				c.waits.learn(time.Since(waitFrom))
			}
			return n, err
		}
	}
}

// spinRead is the start of a read, which does not sleep: it takes what the socket holds, and
// while the answers of this pool's server usually come within spinMax (a server on this
// machine) it tries again without blocking until bytes come or spinMax passes. done false:
// Read blocks as usual, and learns its wait from waitFrom (the bytes were not there at once).
//
// A thread put to sleep for an answer 20-40 us away wakes 20-40 us late on a VM (an idle
// virtual CPU halts, and waking it traps to the host): a small get took 116 us where Go's
// net/http, whose scheduler spins before it parks, took 92 (bench percall). The spin costs the
// CPU of the wait it replaces, and only where answers come that soon; at most GOMAXPROCS-1
// threads spin at once, so that a server on the same machine keeps a CPU.
func (c *sockConn) spinRead(p []byte) (n int, err error, done bool, waitFrom time.Time) {
	if c.waits == nil || len(p) == 0 || c.closed.Load() || c.pastDeadline() {
		return 0, nil, false, time.Time{}
	}
	start := time.Now()
	if n, err = recvNow(c.fd, p); err != syscall.EAGAIN {
		n, err, done = c.received(p, n, err)
		return n, err, done, time.Time{}
	}
	if !c.waits.spinStart() {
		return 0, nil, false, start
	}
	defer c.waits.spinEnd()
	for time.Since(start) < spinMax && !c.closed.Load() && !c.pastDeadline() {
		if n, err = recvNow(c.fd, p); err != syscall.EAGAIN {
			if n, err, done = c.received(p, n, err); done {
				c.waits.learn(time.Since(start))
			}
			return n, err, done, time.Time{}
		}
	}
	return 0, nil, false, start
}

// received is the outcome of a receive into p: bytes, the end of the stream or an error; not
// done after a signal or the end of a slice (the read tries again).
func (c *sockConn) received(p []byte, n int, err error) (int, error, bool) {
	switch {
	case c.closed.Load(): // Close shut the socket down under this read
		return 0, c.opError("read", net.ErrClosed), true
	case err == syscall.EINTR, err == syscall.EAGAIN:
		return 0, nil, false
	case err != nil:
		return 0, c.opError("read", os.NewSyscallError("read", err)), true
	case n == 0 && len(p) > 0:
		return 0, io.EOF, true
	}
	return n, nil, true
}

// pastDeadline tells whether the read deadline passed.
func (c *sockConn) pastDeadline() bool {
	d := c.rdl.Load()
	return d != 0 && time.Now().UnixNano() >= d
}

// recvNow is recv(2) of what fd holds now, without waiting (MSG_DONTWAIT on a blocking socket).
func recvNow(fd int, p []byte) (int, error) {
	r, _, errno := syscall.Syscall6(syscall.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))),
		uintptr(len(p)), syscall.MSG_DONTWAIT, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(r), nil
}

func (c *sockConn) Write(p []byte) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	done := 0
	for done < len(p) {
		if c.closed.Load() {
			return done, c.opError("write", net.ErrClosed)
		}
		if ok, err := c.timeout(syscall.SO_SNDTIMEO, &c.wto, &c.wdl); !ok {
			if err == nil {
				err = os.ErrDeadlineExceeded
			}
			return done, c.opError("write", err)
		}
		n, err := syscall.Write(c.fd, p[done:])
		switch {
		case c.closed.Load():
			return done, c.opError("write", net.ErrClosed)
		case err == syscall.EINTR, err == syscall.EAGAIN:
		case err != nil:
			return done, c.opError("write", os.NewSyscallError("write", err))
		default:
			done += n
		}
	}
	return done, nil
}

// Close wakes whoever waits on c (shutdown), then closes the socket once they are gone.
func (c *sockConn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return nil
	}
	syscall.Shutdown(c.fd, syscall.SHUT_RDWR)
	c.mu.Lock()
	defer c.mu.Unlock()
	return syscall.Close(c.fd)
}

func (c *sockConn) LocalAddr() net.Addr  { return c.local }
func (c *sockConn) RemoteAddr() net.Addr { return c.remote }

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func (c *sockConn) SetDeadline(t time.Time) error {
	c.rdl.Store(unixNano(t))
	c.wdl.Store(unixNano(t))
	return nil
}
func (c *sockConn) SetReadDeadline(t time.Time) error  { c.rdl.Store(unixNano(t)); return nil }
func (c *sockConn) SetWriteDeadline(t time.Time) error { c.wdl.Store(unixNano(t)); return nil }

// idleSocket looks at an idle socket's receive queue (recv with MSG_PEEK, not waiting):
// socketEmpty, socketPending or socketClosed.
func idleSocket(sock net.Conn) int {
	switch s := sock.(type) {
	case *sockConn:
		return peekIdle(s.fd)
	case syscall.Conn:
		raw, err := s.SyscallConn()
		if err != nil {
			return socketClosed
		}
		state := socketClosed
		raw.Control(func(fd uintptr) { state = peekIdle(int(fd)) })
		return state
	}
	return socketEmpty
}

// peekIdle is idleSocket's look at descriptor fd: recvfrom without an address to return
// (syscall.Recvfrom allocates one).
func peekIdle(fd int) int {
	var b [1]byte
	n, _, errno := syscall.Syscall6(syscall.SYS_RECVFROM, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), 1,
		syscall.MSG_PEEK|syscall.MSG_DONTWAIT, 0, 0)
	switch {
	case errno == syscall.EAGAIN:
		return socketEmpty
	case errno == 0 && n > 0:
		return socketPending
	}
	return socketClosed
}

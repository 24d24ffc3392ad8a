//go:build linux && !race

package server

import (
	"io"
	"net"
	"os"
	"syscall"
	"unsafe"
)

// rawConn reads and writes a TCP connection with raw system calls, still waiting for it in
// Go's poller. A system call made the ordinary way tells the Go runtime it may block, and the
// first one after the process fell idle wakes the runtime's monitor thread, which then polls
// every 20 us until all is idle again: on a server answering one small request at a time that
// was about a fifth of its CPU per request. A socket read or write that would block returns
// EAGAIN instead, so these calls never block. Under the race detector connections are read and
// written as usual: the runtime's I/O is what tells it that a client saw what a handler did
// before it answered.
type rawConn struct {
	conn    net.Conn
	rc      syscall.RawConn
	p       []byte    // what read fills
	bufs    [2][]byte // what writev sends
	iov     [2]syscall.Iovec
	n       int
	errno   syscall.Errno
	readFn  func(fd uintptr) bool
	writeFn func(fd uintptr) bool
}

// newRawConn is nil for a connection other than a TCP socket (a shaped one, a pipe in tests).
func newRawConn(c net.Conn) *rawConn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil
	}
	r := &rawConn{conn: c, rc: rc}
	r.readFn = r.readOnce
	r.writeFn = r.writeAll
	return r
}

func (r *rawConn) readOnce(fd uintptr) bool {
	for {
		n, _, e := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&r.p[0])), uintptr(len(r.p)))
		if e == syscall.EINTR {
			continue
		}
		r.n, r.errno = int(n), e
		return e != syscall.EAGAIN
	}
}

func (r *rawConn) read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.p, r.n, r.errno = p, 0, 0
	err := r.rc.Read(r.readFn)
	r.p = nil
	switch {
	case err != nil:
		return 0, r.opError("read", err)
	case r.errno != 0:
		return 0, r.opError("read", os.NewSyscallError("read", r.errno))
	case r.n == 0:
		return 0, io.EOF
	}
	return r.n, nil
}

func (r *rawConn) writeAll(fd uintptr) bool {
	for len(r.bufs[0])+len(r.bufs[1]) > 0 {
		iov := r.iov[:0]
		for _, b := range r.bufs {
			if len(b) > 0 {
				v := syscall.Iovec{Base: &b[0]}
				v.SetLen(len(b))
				iov = append(iov, v)
			}
		}
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)))
		switch e {
		case 0:
		case syscall.EINTR:
			continue
		case syscall.EAGAIN:
			return false
		default:
			r.errno = e
			return true
		}
		for i := range r.bufs {
			k := min(int(n), len(r.bufs[i]))
			r.bufs[i], n = r.bufs[i][k:], n-uintptr(k)
		}
	}
	return true
}

// writev sends a, then b, whole.
func (r *rawConn) writev(a, b []byte) error {
	r.bufs, r.errno = [2][]byte{a, b}, 0
	err := r.rc.Write(r.writeFn)
	r.bufs = [2][]byte{}
	switch {
	case err != nil:
		return r.opError("write", err)
	case r.errno != 0:
		return r.opError("write", os.NewSyscallError("write", r.errno))
	}
	return nil
}

// opError wraps err as net's own Read and Write do, so timeouts are net.Errors.
func (r *rawConn) opError(op string, err error) error {
	return &net.OpError{Op: op, Net: "tcp", Source: r.conn.LocalAddr(), Addr: r.conn.RemoteAddr(), Err: err}
}

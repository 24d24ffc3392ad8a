package oss

import (
	"syscall"
	"time"
	"unsafe"
)

// waitReadable blocks the calling thread in ppoll(2) until raw's socket has something to read
// or the deadline passes. Waiting in a system call rather than on Go's network poller matters on
// a C caller's thread, to which cgo locks the goroutine: parked there, the goroutine's wake-up
// takes another thread polling the network and then a hand-over to this one (two thread
// switches, 10-20 us of latency per exchange); in ppoll the kernel wakes this thread directly.
// Other goroutines run meanwhile (the runtime treats this as any blocking system call).
func waitReadable(raw syscall.RawConn, deadline time.Time) {
	raw.Control(func(fd uintptr) {
		pfd := struct {
			fd              int32
			events, revents int16
		}{fd: int32(fd), events: 0x1} // POLLIN
		for {
			left := time.Until(deadline)
			if left <= 0 {
				return
			}
			ts := syscall.NsecToTimespec(int64(left))
			_, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&pfd)), 1, uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
			if errno != syscall.EINTR {
				return // ready, timed out, or an error the read that follows reports
			}
		}
	})
}

// socketOpen tells whether an idle socket can carry a request: a look at its receive queue
// (recv with MSG_PEEK, not waiting). Nothing there: open. The server's end of the stream or an
// error: closed. Bytes: closed, unless tls (a record may come unasked, such as a session ticket;
// TLS reads it with the answer).
func socketOpen(raw syscall.RawConn, tls bool) bool {
	open := false
	raw.Control(func(fd uintptr) {
		var b [1]byte
		n, _, err := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		switch {
		case err == syscall.EAGAIN:
			open = true
		case err == nil && n > 0:
			open = tls
		}
	})
	return open
}

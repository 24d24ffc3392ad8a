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

package main

import (
	"os"
	"syscall"
	"unsafe"
)

// isTTY tells whether f is a terminal (a character device such as /dev/null is not). The
// descriptor is reached through SyscallConn: Fd would switch it to blocking mode.
func isTTY(f *os.File) bool {
	rc, err := f.SyscallConn()
	if err != nil {
		return false
	}
	errno := syscall.ENOTTY
	if rc.Control(func(fd uintptr) {
		var t syscall.Termios
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	}) != nil {
		return false
	}
	return errno == 0
}

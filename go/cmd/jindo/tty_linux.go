package main

import (
	"os"
	"syscall"
	"unsafe"
)

// isTTY tells whether f is a terminal (a character device such as /dev/null is not).
func isTTY(f *os.File) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TCGETS, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}

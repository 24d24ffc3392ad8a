//go:build unix

package transfer

import (
	"io"
	"syscall"
)

// FD reads a file descriptor someone else owns (a Python file object's) with pread: no seek,
// no shared offset, and never closed here. It is a body for Put and Send.
type FD int

// ReadAt fills p from offset off; less than len(p) only at the end of the file (io.EOF).
func (fd FD) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		m, err := syscall.Pread(int(fd), p[n:], off+int64(n))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return n, err
		}
		if m == 0 {
			return n, io.EOF
		}
		n += m
	}
	return n, nil
}

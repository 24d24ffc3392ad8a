//go:build !unix

package transfer

import "errors"

// FD reads a file descriptor with pread, which this platform does not have.
type FD int

// ReadAt always fails here.
func (fd FD) ReadAt(p []byte, off int64) (int, error) {
	return 0, errors.New("reading a file descriptor by offset is not supported on this platform")
}

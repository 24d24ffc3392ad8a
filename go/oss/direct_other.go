//go:build !linux

package oss

import (
	"syscall"
	"time"
)

// waitReadable leaves the wait to Go's network poller (direct_linux.go says why Linux does not).
func waitReadable(syscall.RawConn, time.Time) {}

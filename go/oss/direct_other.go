//go:build !linux

package oss

import (
	"syscall"
	"time"
)

// waitReadable leaves the wait to Go's network poller (direct_linux.go says why Linux does not).
func waitReadable(syscall.RawConn, time.Time) {}

// socketOpen takes an idle connection as open where there is no look at its socket; a request
// on one the server closed fails and is retried.
func socketOpen(syscall.RawConn, bool) bool { return true }

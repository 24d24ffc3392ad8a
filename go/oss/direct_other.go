//go:build !linux

package oss

import "net"

// canUnpoll: there is no sockConn here; every direct connection is in Go's network poller.
const canUnpoll = false

// unpolled leaves nc in Go's network poller where there is no sockConn (direct_linux.go).
func unpolled(nc net.Conn, _ *answerWaits) (net.Conn, bool, error) { return nc, false, nil }

// idleSocket takes an idle connection as open where there is no look at its socket; a request
// on one the server closed fails and is retried.
func idleSocket(net.Conn) int { return socketEmpty }

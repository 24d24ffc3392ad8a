//go:build !linux || race

package server

import "net"

// rawConn is for Linux (rawio.go); elsewhere, and under the race detector, connections are read
// and written as usual.
type rawConn struct{}

func newRawConn(net.Conn) *rawConn { return nil }

func (*rawConn) read([]byte) (int, error) { panic("unreachable") }

func (*rawConn) writev(a, b []byte) error { panic("unreachable") }

package server

import "testing"

func TestScratchUnshaped(t *testing.T) {
	rateForTest = 0
	defer func() { rateForTest = 50_000_000 }()
	TestBandwidthPerConn(t)
}

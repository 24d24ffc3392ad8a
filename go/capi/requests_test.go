package main

import (
	"net/http"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func TestLatin1RoundTripsEveryByte(t *testing.T) {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	text := latin1(b)
	if n := len([]rune(text)); n != 256 {
		t.Fatalf("latin1 text has %d characters, want one per byte", n)
	}
	if got := fromLatin1(text); got != string(b) {
		t.Fatalf("fromLatin1(latin1(b)) = %q", got)
	}
	utf8Meta := []byte("测试")
	if got := latin1(utf8Meta); got != "æµ\u008bè¯\u0095" {
		t.Fatalf("latin1 of UTF-8 bytes = %q, want what http.client gives oss2", got)
	}
	if got := fromLatin1("a测"); got != "a测" {
		t.Fatalf("a character beyond Latin-1 must be kept as UTF-8, got %q", got)
	}
}

func TestHeadersCrossAsLatin1(t *testing.T) {
	r := target{Headers: [][2]string{{"x-oss-meta-u", "æµ\u008bè¯\u0095"}}}.request(http.MethodPut)
	if got := r.Header.Get("x-oss-meta-u"); got != "测试" {
		t.Fatalf("header bytes = %q, want the UTF-8 bytes Python sent", got)
	}
	pairs := headerPairs(http.Header{"X-Oss-Meta-U": {"测试"}})
	if pairs[0][1] != "æµ\u008bè¯\u0095" {
		t.Fatalf("response header = %q", pairs[0][1])
	}
}

func TestPerRequestTransferOverrides(t *testing.T) {
	s := &session{transfer: transfer.Config{PartSize: 8 << 20, Concurrency: 3}, multipartThreshold: -1}
	if cfg := s.transferConfig(0); cfg.PartSize != 8<<20 || cfg.Concurrency != 3 {
		t.Fatalf("no override: %+v", cfg)
	}
	if cfg := s.transferConfig(100 << 10); cfg.PartSize != 100<<10 || cfg.Concurrency != 3 {
		t.Fatalf("override: %+v", cfg)
	}
	put := &oss.Request{Method: http.MethodPut, Header: http.Header{}, ContentLength: 300 << 10}
	for _, c := range []struct {
		threshold int64
		want      bool
	}{{-1, false}, {100 << 10, true}, {300 << 10, true}, {300<<10 + 1, false}} {
		if got := useMultipart(put, c.threshold); got != c.want {
			t.Errorf("useMultipart(300 KiB, threshold %d) = %v", c.threshold, got)
		}
	}
}

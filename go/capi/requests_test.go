package main

import (
	"net/http"
	"testing"

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
}

func TestArgumentsAreDecodedStrictly(t *testing.T) {
	var a requestArgs
	if err := decodeArgs("request", []byte(`{"bucket": "b", "key": "k", "check_crc": true, "operation": "put_object"}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.Bucket != "b" || !a.CheckCRC || a.Operation != "put_object" {
		t.Fatalf("decoded %+v", a)
	}
	for _, bad := range []string{`{"bucket": "b", "product": "oss"}`, `{"bucket": 1}`, `{"bucket": "b"} {}`, `[]`} {
		if err := decodeArgs("request", []byte(bad), &a); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
	var cfg sessionConfig
	if err := decodeArgs("session", []byte(`{"endpoint": "e", "cloudbox_id": ""}`), &cfg); err == nil {
		t.Error("a session config key Go does not know was accepted")
	}
}

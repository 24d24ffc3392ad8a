package main

import (
	"encoding/json"
	"testing"
)

// client_crc after a partial read is the running CRC (as oss2's), so every stream_read result
// carries it, not only the last.
func TestStreamReadResultCarriesTheRunningCRC(t *testing.T) {
	st := &stream{crc: 0xfedcba9876543210}
	got, err := json.Marshal(st.result(10))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"n":10,"eof":false,"crc":18364758544493064720}`; string(got) != want {
		t.Fatalf("stream_read result %s, want %s", got, want)
	}
}

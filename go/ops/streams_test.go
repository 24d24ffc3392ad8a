package ops

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// client_crc after a partial read is the running CRC (as oss2's), so every stream_read result
// carries it, not only the last.
func TestStreamReadResultCarriesTheRunningCRC(t *testing.T) {
	got, err := json.Marshal(StreamReadResult{N: 10, CRC: 0xfedcba9876543210})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"n":10,"eof":false,"crc":18364758544493064720}`; string(got) != want {
		t.Fatalf("stream_read result %s, want %s", got, want)
	}
}

// A writer used after it was completed or aborted (say, aborted by another thread during a
// write) is the caller's mistake: Python gets a ClientError, not a network RequestError.
func TestAClosedWriterIsAClientError(t *testing.T) {
	var ce *oss.ClientError
	err := fmt.Errorf("part 3: %w", transfer.ErrWriterClosed)
	if err := transfer.OSSError(err); !errors.As(err, &ce) {
		t.Fatalf("%T %v, want *oss.ClientError", err, err)
	}
	if d := ErrorDict(err); d["kind"] != "client" {
		t.Fatalf("error dict %v", d)
	}
}

package transfer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/pyjindo/pyjindo/go/crc"
)

// offsetCode stands for a cipher: each byte depends on its offset in the object.
func offsetCode(dst, src []byte, off int64) {
	for i, b := range src {
		dst[i] = b ^ byte((off+int64(i))*7+3)
	}
}

func encoded(data []byte, off int64) []byte {
	out := make([]byte, len(data))
	offsetCode(out, data, off)
	return out
}

// TestDownloadFileDecodesAtTheObjectsOffsets: parts fetched in parallel (and a range) are
// decoded at their offsets in the object, into a file or through a FIFO, while the CRC64 stays
// that of the stored bytes.
func TestDownloadFileDecodesAtTheObjectsOffsets(t *testing.T) {
	e := newEnv(t)
	plain := randomBytes(3*testPart + 7)
	stored := encoded(plain, 0)
	e.put(t, "obj", stored)
	dir := t.TempDir()
	cfg := Config{PartSize: testPart, Concurrency: 3, Decode: offsetCode}
	for _, c := range []struct {
		rng  string
		from int
	}{{"", 0}, {"bytes=1000-", 1000}} {
		target := filepath.Join(dir, "out")
		res, err := DownloadFile(context.Background(), e.client, get("obj", c.rng), target, cfg, true, Meter{})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(target)
		if !bytes.Equal(got, plain[c.from:]) || res.CRC != crc.Checksum(stored[c.from:]) {
			t.Fatalf("range %q: equal %v, crc %d", c.rng, bytes.Equal(got, plain[c.from:]), res.CRC)
		}
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	if _, err := DownloadFile(context.Background(), e.client, get("obj", "bytes=5-"), fifo, cfg, true, Meter{}); err != nil {
		t.Fatal(err)
	}
	if b := <-got; !bytes.Equal(b, plain[5:]) {
		t.Fatalf("through the FIFO: %d bytes, equal %v", len(b), bytes.Equal(b, plain[5:]))
	}
}

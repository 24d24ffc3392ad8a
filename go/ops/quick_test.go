package ops

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// A small get's result is built in the memory Call.Result gives (go/capi: C memory handed to
// its caller with no copy): its fields, the CRC zero-padded in place, then the body.
func TestAQuickGetIsBuiltInTheMemoryTheCallerGives(t *testing.T) {
	s := testSession(t, "")
	for _, size := range []int{0, 1, 16 << 10} {
		body := bytes.Repeat([]byte("q"), size)
		if _, err := s.Client.Do(context.Background(), &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: "k",
			Header: http.Header{}, Body: bytes.NewReader(body), ContentLength: int64(size)}); err != nil {
			t.Fatal(err)
		}
		var given []byte
		h := newTestHandles()
		call := &Call{Session: s, Progress: &testProgress{}, Handles: h, Result: func(n int) []byte {
			given = make([]byte, n)
			return given
		}}
		out := RunQuick(context.Background(), call, QuickGet, strings.Join([]string{"GET", "bkt", "k", "", "", "0"}, "\x00"))
		h.closeAll()
		if len(given) == 0 || unsafe.SliceData(out) != unsafe.SliceData(given) || len(out) != len(given) {
			t.Fatalf("%d bytes: the result (%d bytes) is not the memory given (%d bytes)", size, len(out), len(given))
		}
		f := strings.SplitN(string(out), "\x00", 8) // status, request id, duration, stream, length, crc, deferred, rest
		if f[0] != "C200" || f[3] != "0" || f[4] != strconv.Itoa(size) || f[6] != "" || !strings.HasSuffix(f[7], string(body)) {
			t.Fatalf("%d bytes: fields %q", size, f[:7])
		}
		if got, err := strconv.ParseUint(f[5], 10, 64); len(f[5]) != maxCRCDigits || err != nil || got != crc.Checksum(body) {
			t.Errorf("%d bytes: crc field %q, want %d zero-padded to %d digits", size, f[5], crc.Checksum(body), maxCRCDigits)
		}
	}
}

// A quick request's compact result (head, put, exists) is built in the memory Call.Result gives
// too, which may be longer than the result: the caller takes the result's length.
func TestAQuickRequestIsBuiltInTheMemoryTheCallerGives(t *testing.T) {
	s := testSession(t, "")
	for _, args := range [][]string{
		{"PUT", "bkt", "k", "put_object", "", "0", "Content-Type", "text/plain"},
		{"HEAD", "bkt", "k", "", "", "0"},
	} {
		var given []byte
		call := &Call{Session: s, Buffer: []byte("body"), Progress: &testProgress{}, Handles: newTestHandles(),
			Result: func(n int) []byte {
				given = make([]byte, n)
				return given
			}}
		if args[0] == "HEAD" {
			call.Buffer = nil
		}
		out := RunQuick(context.Background(), call, QuickRequest, strings.Join(args, "\x00"))
		if len(given) == 0 || unsafe.SliceData(out) != unsafe.SliceData(given) || len(out) > len(given) {
			t.Fatalf("%s: the result (%d bytes) is not in the memory given (%d bytes): %q", args[0], len(out), len(given), out)
		}
		if f := strings.Split(string(out), "\x00"); f[0] != "C200" || f[4] != "0" || !strings.Contains(string(out), "\x00Etag\x00") {
			t.Errorf("%s: fields %q", args[0], f)
		}
	}
}

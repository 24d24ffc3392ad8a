package transfer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/server"
)

// A body that breaks off is resumed wherever it breaks: also when the first ranged GET was
// answered with the whole object (an object smaller than a part: OSS ignores a range past the
// end) or with a range passed through unchanged (a suffix). These tests break the first answer
// and check every consumer of a Download.

// breakLog records each GET's Range and If-Match, and makes the server drop the connection
// after resetAt bytes of the answers chosen by pick (by the GET's number, from 1, and Range).
type breakLog struct {
	mu       sync.Mutex
	ranges   []string
	ifMatch  []string
	pick     func(n int, rng string) bool
	resetAt  int
	onResume func()
}

func (b *breakLog) doer(c oss.Doer) *hookDoer {
	return &hookDoer{d: c, before: func(_ int64, r *oss.Request) error {
		if r.Method != http.MethodGet {
			return nil
		}
		b.mu.Lock()
		b.ranges = append(b.ranges, r.Header.Get("Range"))
		b.ifMatch = append(b.ifMatch, r.Header.Get("If-Match"))
		n := len(b.ranges)
		b.mu.Unlock()
		if n == 2 && b.onResume != nil {
			b.onResume()
		}
		if b.pick(n, r.Header.Get("Range")) {
			r.Header.Set(server.FaultHeader, "reset="+strconv.Itoa(b.resetAt))
		}
		return nil
	}}
}

// consumers are the ways the client reads a download: read() (Fill into a buffer), a sink
// written at offsets, read(n) and iteration (the Reader), get_object_to_file (DownloadFile) and
// the batch engine (GetMany).
var consumers = []string{"buffer", "writeAt", "reader", "file", "many"}

// consume reads req through consumer how and returns the bytes, the status and headers the
// caller sees, and the CRC returned.
func consume(t *testing.T, d oss.Doer, req *oss.Request, cfg Config, how string) ([]byte, int, http.Header, error) {
	t.Helper()
	ctx := context.Background()
	switch how {
	case "file":
		name := filepath.Join(t.TempDir(), "out")
		res, err := DownloadFile(ctx, d, req, name, cfg, true, Meter{})
		if err != nil {
			return nil, 0, nil, err
		}
		got, err := os.ReadFile(name)
		if err == nil && res.CRC != crc.Checksum(got) {
			err = fmt.Errorf("CRC %d is not that of the file", res.CRC)
		}
		return got, res.Status, res.Header, err
	case "many":
		it := GetItem{Bucket: req.Bucket, Key: req.Key, Header: req.Header.Clone()}
		if rng := req.Header.Get("Range"); rng != "" { // only suffixes here: "bytes=-N"
			n, _ := strconv.ParseInt(rng[len("bytes=-"):], 10, 64)
			it.Start, it.Header = -n, nil
		}
		out, err := GetMany(ctx, d, []GetItem{it}, 1, cfg, Meter{}, nil)
		if err == nil {
			err = out[0].Err
		}
		if err == nil && out[0].CRC != crc.Checksum(out[0].Data) {
			err = fmt.Errorf("CRC %d is not that of the data", out[0].CRC)
		}
		return out[0].Data, out[0].Status, out[0].Header, err
	}
	dl, err := Open(ctx, d, req, cfg)
	if err != nil {
		return nil, 0, nil, err
	}
	defer dl.Close()
	var got []byte
	var sum uint64
	switch how {
	case "buffer":
		got = make([]byte, dl.Length)
		sum, err = dl.Fill(ctx, Sink{Buffer: got}, 64<<10)
	case "writeAt":
		got = make([]byte, dl.Length)
		sum, err = dl.Fill(ctx, Sink{WriteAt: func(off int64, b []byte) error { copy(got[off:], b); return nil }}, 300)
	case "reader":
		r := dl.NewReader(ctx, 2)
		got, err = io.ReadAll(r)
		sum = r.CRC()
		r.Close()
	}
	if err == nil && sum != crc.Checksum(got) {
		err = fmt.Errorf("CRC %d is not that of the data", sum)
	}
	return got, dl.Status, dl.Header, err
}

// An object smaller than a part comes whole (200) in answer to the first part's range; a break
// in its body is resumed by a ranged GET from the byte reached, pinned to its ETag, and the
// caller still sees one plain GET.
func TestBrokenWholeObjectIsResumed(t *testing.T) {
	e := newEnvBehind(t, noWrap, &server.Faults{Header: true})
	const size, resetAt = 1000, 300
	data := randomBytes(size)
	e.put(t, "small", data)
	for _, how := range consumers {
		b := &breakLog{pick: func(n int, _ string) bool { return n == 1 }, resetAt: resetAt}
		got, status, h, err := consume(t, b.doer(e.client), get("small", ""), Config{PartSize: testPart, Concurrency: 3,
			Retry: fastPolicy(3), CheckCRC: true}, how)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%s: err %v, equal %v, GETs %q", how, err, bytes.Equal(got, data), b.ranges)
		}
		if status != http.StatusOK || h.Get("Content-Length") != strconv.Itoa(size) || h.Get("Content-Range") != "" {
			t.Fatalf("%s: status %d, Content-Length %q, Content-Range %q: not what one GET gives", how, status,
				h.Get("Content-Length"), h.Get("Content-Range"))
		}
		want := []string{fmt.Sprintf("bytes=0-%d", testPart-1), fmt.Sprintf("bytes=%d-%d", resetAt, size-1)}
		if fmt.Sprint(b.ranges) != fmt.Sprint(want) || b.ifMatch[1] == "" || b.ifMatch[1] != h.Get("ETag") {
			t.Fatalf("%s: GETs %q with If-Match %q, want %q pinned to %s", how, b.ranges, b.ifMatch, want, h.Get("ETag"))
		}
	}
}

// A range passed through unchanged (a suffix) that the server answers with 206 and its
// Content-Range is resumed the same way.
func TestBrokenSuffixRangeIsResumed(t *testing.T) {
	e := newEnvBehind(t, noWrap, &server.Faults{Header: true})
	data := randomBytes(1000)
	e.put(t, "small", data)
	for _, how := range consumers {
		if how == "file" {
			continue // get_object_to_file of a range: the same Open and Fill as "writeAt"
		}
		b := &breakLog{pick: func(n int, _ string) bool { return n == 1 }, resetAt: 100}
		got, status, h, err := consume(t, b.doer(e.client), get("small", "bytes=-400"), Config{PartSize: testPart,
			Retry: fastPolicy(3)}, how)
		if err != nil || !bytes.Equal(got, data[600:]) || len(b.ranges) != 2 {
			t.Fatalf("%s: err %v, equal %v, GETs %q", how, err, bytes.Equal(got, data[600:]), b.ranges)
		}
		if how != "many" && (status != http.StatusPartialContent || h.Get("Content-Range") != "bytes 600-999/1000") {
			t.Fatalf("%s: status %d, Content-Range %q", how, status, h.Get("Content-Range"))
		}
		if b.ranges[1] != "bytes=700-999" || b.ifMatch[1] == "" {
			t.Fatalf("%s: resumed with %q, If-Match %q", how, b.ranges[1], b.ifMatch[1])
		}
	}
}

// The first answer's break counts as the first attempt of its part, as a ranged part's failed
// GET does: with every answer breaking after 100 bytes, a whole object of 1000 bytes needs 10
// attempts, and the first part of a larger object (read by ranges) takes as many as the whole
// object does.
func TestBrokenFirstAnswerCountsAsAnAttempt(t *testing.T) {
	e := newEnvBehind(t, noWrap, &server.Faults{Header: true})
	e.put(t, "small", randomBytes(1000))
	e.put(t, "large", randomBytes(2*testPart))
	always := func(int, string) bool { return true }
	// Every answer cut after 100 bytes: an attempt counts until it got half of what it asked for
	// (progressed), from the GET of bytes 800-999 on.
	for _, tc := range []struct {
		key            string
		attempts, gets int
		ok             bool
	}{{"small", 1, 1, false}, {"small", 3, 3, false}, {"small", 8, 8, false}, {"small", 9, 10, true}} {
		for _, how := range []string{"buffer", "reader"} {
			b := &breakLog{pick: always, resetAt: 100}
			_, _, _, err := consume(t, b.doer(e.client), get(tc.key, ""), Config{PartSize: testPart, Concurrency: 1,
				Retry: fastPolicy(tc.attempts)}, how)
			if (err == nil) != tc.ok || len(b.ranges) != tc.gets {
				t.Fatalf("%s, %d attempts (%s): err %v after GETs %q", tc.key, tc.attempts, how, err, b.ranges)
			}
		}
	}
	// The first part of a large object: its first answer breaks, then one more attempt is all
	// two attempts allow, for that part as for any other.
	for _, how := range []string{"buffer", "reader"} {
		firstPart := func(_ int, rng string) bool {
			var from int
			_, err := fmt.Sscanf(rng, "bytes=%d-", &from)
			return err == nil && from < testPart
		}
		b := &breakLog{pick: firstPart, resetAt: 100}
		_, _, _, err := consume(t, b.doer(e.client), get("large", ""), Config{PartSize: testPart, Concurrency: 1,
			Retry: fastPolicy(2)}, how)
		var firsts []string
		for _, rng := range b.ranges {
			if firstPart(0, rng) {
				firsts = append(firsts, rng)
			}
		}
		if err == nil || fmt.Sprint(firsts) != fmt.Sprintf("[bytes=0-%d bytes=100-%d]", testPart-1, testPart-1) {
			t.Fatalf("large, 2 attempts (%s): err %v after GETs %q", how, err, b.ranges)
		}
	}
}

// The resumption is pinned to the first answer's ETag: an object replaced meanwhile fails the
// download (ErrChanged) instead of mixing two versions.
func TestResumedWholeObjectIsPinnedToItsETag(t *testing.T) {
	e := newEnvBehind(t, noWrap, &server.Faults{Header: true})
	version := 0
	replace := func() {
		data := randomBytes(1000)
		version++
		data[0] = byte(version)
		e.put(t, "small", data)
	}
	for _, how := range []string{"buffer", "reader", "many"} {
		replace()
		b := &breakLog{pick: func(n int, _ string) bool { return n == 1 }, resetAt: 300, onResume: replace}
		_, _, _, err := consume(t, b.doer(e.client), get("small", ""), Config{PartSize: testPart, Retry: fastPolicy(3)}, how)
		if !errors.Is(err, ErrChanged) || len(b.ranges) != 2 {
			t.Fatalf("%s: got %v after GETs %q, want ErrChanged", how, err, b.ranges)
		}
	}
}

// A part whose body breaks after delivering minProgress bytes or more does not use up an
// attempt: with two attempts, a 1 MiB part cut every 70 KiB is read whole through every consumer
// (15 GETs), while cuts before minProgress end it at its second attempt, as before.
func TestBreaksAfterProgressDoNotUseUpAttempts(t *testing.T) {
	e := newEnvBehind(t, noWrap, &server.Faults{Header: true})
	data := randomBytes(1 << 20)
	e.put(t, "cut", data)
	always := func(int, string) bool { return true }
	for _, how := range consumers {
		b := &breakLog{pick: always, resetAt: 70 << 10}
		got, _, _, err := consume(t, b.doer(e.client), get("cut", ""), Config{PartSize: 1 << 20, Concurrency: 1,
			Retry: fastPolicy(2)}, how)
		if err != nil || !bytes.Equal(got, data) || len(b.ranges) != 15 {
			t.Fatalf("%s: err %v, %d bytes after GETs %q", how, err, len(got), b.ranges)
		}
		b = &breakLog{pick: always, resetAt: minProgress - 1}
		if _, _, _, err = consume(t, b.doer(e.client), get("cut", ""), Config{PartSize: 1 << 20, Concurrency: 1,
			Retry: fastPolicy(2)}, how); err == nil || len(b.ranges) != 2 {
			t.Fatalf("%s, cut before minProgress: err %v after GETs %q", how, err, b.ranges)
		}
	}
}

package transfer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

func TestStreamPartSizeGrowsOnlyPastFiveThousandParts(t *testing.T) {
	const base = 8 << 20
	var total int64
	for i := range MaxParts {
		size := streamPartSize(base, i)
		if i < 5000 && size != base {
			t.Fatalf("part %d: %d", i, size)
		}
		total += size
	}
	if streamPartSize(base, 5000) != 2*base || streamPartSize(base, 9999) != 32*base || total != 67000*base {
		t.Fatalf("total %d", total)
	}
	if streamPartSize(4<<30, 9999) != maxPartSize {
		t.Fatal("a part over 5 GiB")
	}
}

// partPuts counts the UploadPart and plain PUT requests a stream upload sends.
func partPuts(e *env) (*hookDoer, *atomic.Int64, *atomic.Int64) {
	var parts, puts atomic.Int64
	return &hookDoer{d: e.client, before: func(_ int64, r *oss.Request) error {
		if r.Method == http.MethodPut && len(r.Query) == 2 {
			parts.Add(1)
		} else if r.Method == http.MethodPut {
			puts.Add(1)
		}
		return nil
	}}, &parts, &puts
}

func TestUploadStreamOfEverySize(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		size  int
		parts int64 // 0: one PutObject
	}{{0, 0}, {1, 0}, {MinPartSize - 1, 0}, {MinPartSize, 0}, {MinPartSize + 1, 2}, {3 * MinPartSize, 3}, {5*MinPartSize + 7, 6}} {
		data := randomBytes(tc.size)
		key := fmt.Sprint("s", tc.size)
		d, parts, puts := partPuts(e)
		var moved atomic.Int64
		// HalfReader: reads come short, as from a pipe.
		res, err := UploadStream(context.Background(), d, &oss.Request{Bucket: "bkt", Key: key}, iotest.HalfReader(bytes.NewReader(data)),
			Config{PartSize: MinPartSize, Concurrency: 2}, false, Meter{Add: func(n int64) { moved.Add(n) }})
		if err != nil {
			t.Fatalf("%d: %v", tc.size, err)
		}
		if res.CRC != crc.Checksum(data) || res.Header.Get("x-oss-hash-crc64ecma") != fmt.Sprint(res.CRC) || res.Multipart != (tc.parts > 0) {
			t.Fatalf("%d: result %+v", tc.size, res)
		}
		if parts.Load() != tc.parts || (tc.parts == 0) != (puts.Load() == 1) || moved.Load() != int64(tc.size) {
			t.Fatalf("%d: %d parts, %d puts, progress %d", tc.size, parts.Load(), puts.Load(), moved.Load())
		}
		got, _ := GetMany(context.Background(), e.client, []GetItem{{Bucket: "bkt", Key: key}}, 0, Config{}, Meter{}, nil)
		if got[0].Err != nil || !bytes.Equal(got[0].Data, data) {
			t.Fatalf("%d: stored %d bytes (%v)", tc.size, len(got[0].Data), got[0].Err)
		}
	}
	if e.uploads(t) != 0 {
		t.Fatal("uploads left")
	}
}

// failingReader gives n bytes, then err.
type failingReader struct {
	n   int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	m := min(len(p), r.n)
	r.n -= m
	return m, nil
}

func TestUploadStreamReadFailureAborts(t *testing.T) {
	e := newEnv(t)
	src := &failingReader{n: 3*MinPartSize + 5, err: errors.New("disk on fire")}
	_, err := UploadStream(context.Background(), e.client, &oss.Request{Bucket: "bkt", Key: "f"}, src,
		Config{PartSize: MinPartSize, Concurrency: 2}, false, Meter{})
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("disk on fire")) {
		t.Fatalf("got %v", err)
	}
	if e.uploads(t) != 0 || e.exists("f") {
		t.Fatal("the failed upload was left behind")
	}
}

// blockingReader gives n bytes, then blocks until release is closed.
type blockingReader struct {
	n       int
	release chan struct{}
}

func (r *blockingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		<-r.release
		return 0, io.EOF
	}
	m := min(len(p), r.n)
	r.n -= m
	return m, nil
}

func TestUploadStreamCancelledWhileReadBlocksReturnsAndAborts(t *testing.T) {
	e := newEnv(t)
	d, parts, _ := partPuts(e)
	src := &blockingReader{n: 4 * MinPartSize, release: make(chan struct{})}
	defer close(src.release)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := UploadStream(ctx, d, &oss.Request{Bucket: "bkt", Key: "c"}, src, Config{PartSize: MinPartSize, Concurrency: 2}, false, Meter{})
		done <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); parts.Load() < 3; {
		if time.Now().After(deadline) {
			t.Fatal("no parts sent")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a blocked Read held up the cancellation")
	}
	if e.uploads(t) != 0 || e.exists("c") {
		t.Fatal("the cancelled upload was left behind")
	}
}

func TestUploadStreamForbidOverwrite(t *testing.T) {
	e := newEnv(t)
	e.put(t, "x", []byte("old"))
	for _, size := range []int{10, 3 * MinPartSize} {
		_, err := UploadStream(context.Background(), e.client, &oss.Request{Bucket: "bkt", Key: "x"}, bytes.NewReader(randomBytes(size)),
			Config{PartSize: MinPartSize}, true, Meter{})
		if !isCode(err, "FileAlreadyExists") {
			t.Fatalf("%d: %v", size, err)
		}
	}
	got, _ := GetMany(context.Background(), e.client, []GetItem{{Bucket: "bkt", Key: "x"}}, 0, Config{}, Meter{}, nil)
	if string(got[0].Data) != "old" || e.uploads(t) != 0 {
		t.Fatalf("%q", got[0].Data)
	}
}

// recordingWriter keeps what is written and the size of each Write.
type recordingWriter struct {
	bytes.Buffer
	writes []int
	fail   int // fail the Write after this many bytes (0: never)
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, len(p))
	if w.fail > 0 && w.Len()+len(p) > w.fail {
		return 0, errors.New("no space left")
	}
	return w.Buffer.Write(p)
}

func TestStreamToWritesInOrderWholeParts(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(7*testPart + testPart/2)
	e.put(t, "obj", data)
	for _, rng := range []string{"", "bytes=100-", fmt.Sprintf("bytes=%d-%d", testPart+3, 5*testPart)} {
		dl, err := Open(context.Background(), e.client, get("obj", rng), Config{PartSize: testPart, Concurrency: 3})
		if err != nil {
			t.Fatal(err)
		}
		want := data[dl.Start : dl.Start+dl.Length]
		var w recordingWriter
		var moved, total atomic.Int64
		n, sum, err := StreamTo(context.Background(), dl, &w, 2, Meter{Add: func(n int64) { moved.Add(n) }, SetTotal: func(n int64) { total.Store(n) }})
		if err != nil || n != int64(len(want)) || !bytes.Equal(w.Bytes(), want) || sum != crc.Checksum(want) {
			t.Fatalf("%q: err %v, %d bytes, equal %v", rng, err, n, bytes.Equal(w.Bytes(), want))
		}
		if moved.Load() != n || total.Load() != n {
			t.Fatalf("%q: progress %d of %d", rng, moved.Load(), total.Load())
		}
		if rng == "" && w.writes[len(w.writes)-1] < testPart/4 {
			t.Fatalf("parts are written piecemeal: %v", w.writes)
		}
	}
	// A failing writer ends the stream with a destination error, not retried.
	dl, _ := Open(context.Background(), e.client, get("obj", ""), Config{PartSize: testPart, Concurrency: 3})
	w := recordingWriter{fail: 2 * testPart}
	_, _, err := StreamTo(context.Background(), dl, &w, 0, Meter{})
	if !destinationFailed(err) || w.Len() > 2*testPart {
		t.Fatalf("got %v after %d bytes", err, w.Len())
	}
}

// The Writer under UploadStream completes as UploadMultipart does: retried, and a completion
// whose answer was lost recognised by the object (with forbidOverwrite too, where the repeat
// finds our own object in the way).
func TestUploadStreamCompletionRetriedAndRecognised(t *testing.T) {
	for _, tc := range []struct {
		mode   string
		times  int64
		forbid bool
	}{{"503", 2, false}, {"lost", 1, false}, {"lost", 1000, false}, {"lost", 1, true}} {
		e := newEnvBehind(t, failFirst(isComplete, tc.mode, tc.times), nil)
		data := randomBytes(3*testPart + 5)
		res, err := UploadStream(context.Background(), e.client, &oss.Request{Bucket: "bkt", Key: "up"}, bytes.NewReader(data),
			Config{PartSize: testPart, Concurrency: 2}, tc.forbid, Meter{})
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if res.CRC != crc.Checksum(data) || res.Header.Get("x-oss-hash-crc64ecma") != fmt.Sprint(res.CRC) {
			t.Fatalf("%+v: %+v", tc, res)
		}
		if e.uploads(t) != 0 {
			t.Fatalf("%+v: uploads left", tc)
		}
	}
}

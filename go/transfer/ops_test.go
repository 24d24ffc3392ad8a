package transfer

import (
	"bytes"
	"context"
	"crypto/md5"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

func (e *env) keys(t *testing.T, prefix string) []string {
	t.Helper()
	objs, err := oss.ListAllObjects(context.Background(), e.client, "bkt", prefix)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range objs {
		keys = append(keys, o.Key)
	}
	return keys
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestDownloadFileReplacesTheTargetOnlyWhenComplete(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(3*testPart + 7)
	e.put(t, "obj", data)
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	os.Chmod(target, 0o640)
	var done, total atomic.Int64
	res, err := DownloadFile(context.Background(), e.client, get("obj", ""), target, Config{PartSize: testPart}, true,
		Meter{Add: func(n int64) { done.Add(n) }, SetTotal: total.Store})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(target)
	st, _ := os.Stat(target)
	if !bytes.Equal(got, data) || res.CRC != crc.Checksum(data) || res.Status != 200 || st.Mode().Perm() != 0o640 {
		t.Fatalf("equal %v crc %d status %d mode %v", bytes.Equal(got, data), res.CRC, res.Status, st.Mode())
	}
	if done.Load() != int64(len(data)) || total.Load() != int64(len(data)) {
		t.Fatalf("progress %d of %d", done.Load(), total.Load())
	}
	// A failure (missing key, cancellation) leaves the target as it was and no temporary file.
	_, err = DownloadFile(context.Background(), e.client, get("missing", ""), target, Config{}, true, Meter{})
	var se *oss.ServiceError
	if !errors.As(err, &se) || se.Code != "NoSuchKey" {
		t.Fatalf("missing key: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &hookDoer{d: e.client, before: func(n int64, r *oss.Request) error {
		if n == 2 {
			cancel()
		}
		return nil
	}}
	if _, err := DownloadFile(ctx, d, get("obj", ""), filepath.Join(dir, "new"), Config{PartSize: testPart, Concurrency: 1}, true, Meter{}); err == nil {
		t.Fatal("a cancelled download succeeded")
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"out"}) {
		t.Fatalf("directory holds %v, want only the first download", names)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, data) {
		t.Fatal("a failed download changed the target")
	}
}

func TestDownloadFileCreatesAsOpenWould(t *testing.T) {
	e := newEnv(t)
	e.put(t, "obj", []byte("x"))
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	if _, err := DownloadFile(context.Background(), e.client, get("obj", ""), filepath.Join(dir, "f"), Config{}, true, Meter{}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(filepath.Join(dir, "f")); st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v, want 0644 (0666 less the umask)", st.Mode())
	}
	// Through a symlink to the file it names, which stays a symlink.
	if err := os.Symlink("f", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	e.put(t, "obj", []byte("y"))
	if _, err := DownloadFile(context.Background(), e.client, get("obj", ""), filepath.Join(dir, "link"), Config{}, true, Meter{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "f")); string(got) != "y" {
		t.Fatalf("link target holds %q", got)
	}
	if fi, _ := os.Lstat(filepath.Join(dir, "link")); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the symlink was replaced by a file")
	}
}

func TestDownloadFileWhenTheTargetAppearsMeanwhile(t *testing.T) {
	// A new target is written as an unnamed file and named at the end (Linux); a file created at
	// the target meanwhile is replaced, as a rename would replace it, and nothing else is left.
	e := newEnv(t)
	data := randomBytes(2*testPart + 3)
	e.put(t, "obj", data)
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	d := &hookDoer{d: e.client, before: func(n int64, r *oss.Request) error {
		if n == 2 {
			return os.WriteFile(target, []byte("meanwhile"), 0o600)
		}
		return nil
	}}
	if _, err := DownloadFile(context.Background(), d, get("obj", ""), target, Config{PartSize: testPart, Concurrency: 1}, true, Meter{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(target); !bytes.Equal(got, data) {
		t.Fatalf("target holds %d bytes, want the object's %d", len(got), len(data))
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"out"}) {
		t.Fatalf("directory holds %v", names)
	}
	// A dangling symlink is replaced by the file, as DownloadFile always did (open(name, "wb")
	// would instead create the file the link names).
	if err := os.Symlink("nowhere", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	if _, err := DownloadFile(context.Background(), e.client, get("obj", ""), filepath.Join(dir, "dangling"), Config{}, true, Meter{}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(filepath.Join(dir, "dangling")); err != nil || !st.Mode().IsRegular() || st.Size() != int64(len(data)) {
		t.Fatalf("dangling link: %v %v", st, err)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"dangling", "out"}) {
		t.Fatalf("directory holds %v", names)
	}
}

func TestPutChoosesMultipartForLargePutObject(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(3 * testPart)
	put := func(key string, threshold int64, h http.Header) *PutResult {
		t.Helper()
		if h == nil {
			h = http.Header{}
		}
		var sent atomic.Int64
		res, err := Put(context.Background(), e.client, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: key, Header: h},
			bytes.NewReader(data), int64(len(data)), threshold, Config{PartSize: testPart}, Meter{Add: func(n int64) { sent.Add(n) }})
		if err != nil {
			t.Fatal(err)
		}
		if res.CRC != crc.Checksum(data) || sent.Load() != int64(len(data)) {
			t.Fatalf("%s: crc %d, %d bytes counted", key, res.CRC, sent.Load())
		}
		if err := oss.CheckCRC(oss.OpPutObject, res.CRC, res.Header); err != nil {
			t.Fatal(err)
		}
		return res
	}
	objectType := func(key string) string {
		head, err := oss.HeadObject(context.Background(), e.client, "bkt", key)
		if err != nil {
			t.Fatal(err)
		}
		return head.Header.Get("x-oss-object-type")
	}
	for _, tc := range []struct {
		key       string
		threshold int64
		header    http.Header
		want      string
	}{
		{"big", testPart, nil, "Multipart"},
		{"never", -1, nil, "Normal"},
		{"below", int64(len(data)) + 1, nil, "Normal"},
		{"with-md5", 1, http.Header{"Content-Md5": {oss.ContentMD5(md5Of(data))}}, "Normal"},
	} {
		res := put(tc.key, tc.threshold, tc.header)
		if got := objectType(tc.key); got != tc.want || res.Multipart != (tc.want == "Multipart") {
			t.Errorf("%s: object type %s (multipart %v), want %s", tc.key, got, res.Multipart, tc.want)
		}
	}
}

func TestMovePrefixAndOverwrite(t *testing.T) {
	e := newEnv(t)
	for i := range 25 {
		e.put(t, fmt.Sprintf("src/%02d", i), []byte{byte(i)})
	}
	e.put(t, "src/sub/deep", []byte("d"))
	var moved atomic.Int64
	if _, err := Move(context.Background(), e.client, MoveRequest{Bucket: "bkt", Src: "src/", Dst: "dst"}, 4,
		Meter{Add: func(n int64) { moved.Add(n) }}); err != nil {
		t.Fatal(err)
	}
	keys := e.keys(t, "")
	if len(keys) != 26 || moved.Load() != 26 || !slices.Contains(keys, "dst/sub/deep") || !slices.Contains(keys, "dst/07") {
		t.Fatalf("after move: %d moved, keys %v", moved.Load(), keys)
	}
	// Without overwrite, an existing target refuses the move and the source stays.
	e.put(t, "a", []byte("a"))
	e.put(t, "b", []byte("b"))
	_, err := Move(context.Background(), e.client, MoveRequest{Bucket: "bkt", Src: "a", Dst: "b"}, 0, Meter{})
	var se *oss.ServiceError
	if !errors.As(err, &se) || se.Status != http.StatusConflict {
		t.Fatalf("move onto an existing key: %v", err)
	}
	if keys := e.keys(t, ""); !slices.Contains(keys, "a") {
		t.Fatal("the source of a refused move is gone")
	}
	for _, bad := range []MoveRequest{{Bucket: "bkt", Src: "", Dst: "x"}, {Bucket: "bkt", Src: "a", Dst: "a"}, {Bucket: "bkt", Src: "none/", Dst: "x/"}} {
		var ce *oss.ClientError
		if _, err := Move(context.Background(), e.client, bad, 0, Meter{}); !errors.As(err, &ce) {
			t.Errorf("%+v: %v, want a ClientError", bad, err)
		}
	}
}

func TestMoveRefusesTargetsThatAreSources(t *testing.T) {
	e := newEnv(t)
	all := []string{"a/b/b/x", "a/b/x", "k", "p/1", "p/2"}
	for _, k := range all {
		e.put(t, k, []byte(k))
	}
	for _, bad := range []MoveRequest{
		{Src: "p/", Dst: "p"},     // the "/" added to the target makes it the source
		{Src: "p/", Dst: "p/"},    // the same
		{Src: "p/", Dst: "p/in"},  // into itself
		{Src: "p/", Dst: "p/in/"}, // into itself
		{Src: "a/b/", Dst: "a/"},  // a/b/b/x would land on a/b/x, another source
		{Src: "k", Dst: "k"},
	} {
		bad.Bucket, bad.Overwrite = "bkt", true
		var ce *oss.ClientError
		if _, err := Move(context.Background(), e.client, bad, 0, Meter{}); !errors.As(err, &ce) {
			t.Errorf("%+v: %v, want a ClientError", bad, err)
		}
		if keys := e.keys(t, ""); !slices.Equal(keys, all) {
			t.Fatalf("%+v changed the bucket: %q", bad, keys)
		}
	}
	// A move next to the source, even by a name starting like it, is fine.
	if _, err := Move(context.Background(), e.client, MoveRequest{Bucket: "bkt", Src: "p/", Dst: "p2", Overwrite: true}, 0, Meter{}); err != nil {
		t.Fatal(err)
	}
	if keys := e.keys(t, "p"); !slices.Equal(keys, []string{"p2/1", "p2/2"}) {
		t.Fatalf("%q", keys)
	}
}

func TestDeleteManySendsBatchesOfAThousand(t *testing.T) {
	e := newEnv(t)
	var keys []string
	for i := range 2500 {
		k := fmt.Sprintf("k/%04d\x01", i)
		keys = append(keys, k)
		e.put(t, k, nil)
	}
	e.put(t, "keep", nil)
	var posts, inFlight, peak atomic.Int64
	d := &hookDoer{d: e.client, before: func(_ int64, r *oss.Request) error {
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
		return nil
	}}
	counting := doerFunc(func(ctx context.Context, r *oss.Request) (*http.Response, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		return d.Do(ctx, r)
	})
	var counted atomic.Int64
	deleted, failed, err := DeleteMany(context.Background(), counting, "bkt", keys, 2, Meter{Add: func(n int64) { counted.Add(n) }})
	if err != nil || len(failed) != 0 {
		t.Fatal(err, failed)
	}
	slices.Sort(deleted)
	if !slices.Equal(deleted, keys) || counted.Load() != 2500 {
		t.Fatalf("%d deleted (%d counted)", len(deleted), counted.Load())
	}
	if posts.Load() != 3 || peak.Load() > 2 {
		t.Fatalf("%d requests with %d at once, want 3 with at most 2", posts.Load(), peak.Load())
	}
	if left := e.keys(t, ""); !slices.Equal(left, []string{"keep"}) {
		t.Fatalf("left %d keys", len(left))
	}
}

type doerFunc func(ctx context.Context, r *oss.Request) (*http.Response, error)

func (f doerFunc) Do(ctx context.Context, r *oss.Request) (*http.Response, error) { return f(ctx, r) }

func TestEachStopsAtTheFirstError(t *testing.T) {
	var calls, running, peak atomic.Int64
	boom := errors.New("boom")
	// How many items go out after the first error depends on how soon its goroutine runs (under
	// load, tens): what is checked is that the rest of a long run never does.
	err := Each(context.Background(), 100000, 3, false, func(_ context.Context, _, i int) error {
		calls.Add(1)
		n := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls.Load() > 1000 || peak.Load() > 3 {
		t.Fatalf("err %v after %d calls, %d at once", err, calls.Load(), peak.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Each(ctx, 5, 2, false, func(context.Context, int, int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
	if err := Each(context.Background(), 0, 2, false, func(context.Context, int, int) error { return boom }); err != nil {
		t.Fatalf("no items: %v", err)
	}
}

func TestSlotsAreNumberedAndWaitUnderTheContext(t *testing.T) {
	s := NewSlots(2)
	a, _ := s.Acquire(context.Background())
	b, _ := s.Acquire(context.Background())
	if a == b || a < 0 || a > 1 || b < 0 || b > 1 {
		t.Fatalf("slots %d and %d", a, b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a third holder: %v", err)
	}
	s.Release(b)
	if c, err := s.Acquire(context.Background()); err != nil || c != b {
		t.Fatalf("released slot %d, got %d %v", b, c, err)
	}
	s.Release(a)
	if _, err := s.Acquire(ctx); err == nil {
		t.Fatal("a free slot was taken under an ended context")
	}
}

// With abort, the first error cancels the calls under way (the parts of a failed transfer);
// without, they finish (a copy is not left without its delete).
func TestEachAbortCancelsCallsUnderWay(t *testing.T) {
	boom := errors.New("boom")
	for _, abort := range []bool{true, false} {
		var cancelled atomic.Int64
		started := make(chan struct{})
		err := Each(context.Background(), 2, 2, abort, func(ctx context.Context, _, i int) error {
			if i == 0 {
				<-started
				return boom
			}
			close(started)
			select {
			case <-ctx.Done():
				cancelled.Add(1)
			case <-time.After(200 * time.Millisecond):
			}
			return nil
		})
		if !errors.Is(err, boom) || (cancelled.Load() == 1) != abort {
			t.Fatalf("abort %v: err %v, cancelled %d", abort, err, cancelled.Load())
		}
	}
}

// Items go out in order to the first free worker, and a worker's calls never overlap: the
// download's first part (item 0) keeps its worker until done, then that worker takes the next.
func TestEachWorkersTakeItemsInOrder(t *testing.T) {
	var mu sync.Mutex
	busy := map[int]bool{}
	var order []int
	release := make(chan struct{})
	err := Each(context.Background(), 20, 4, false, func(_ context.Context, worker, i int) error {
		mu.Lock()
		if busy[worker] || worker < 0 || worker >= 4 {
			mu.Unlock()
			return fmt.Errorf("worker %d reused while busy, or out of range", worker)
		}
		busy[worker] = true
		order = append(order, i)
		mu.Unlock()
		if i == 0 {
			<-release // the slow first part
		}
		if i == 19 {
			close(release)
		}
		mu.Lock()
		busy[worker] = false
		mu.Unlock()
		return nil
	})
	if err != nil || len(order) != 20 {
		t.Fatalf("err %v, order %v", err, order)
	}
}

func md5Of(b []byte) []byte {
	s := md5.Sum(b)
	return s[:]
}

func TestUseMultipartThreshold(t *testing.T) {
	put := &oss.Request{Method: http.MethodPut, Header: http.Header{}}
	size := int64(300 << 10)
	for _, c := range []struct {
		threshold int64
		want      bool
	}{{-1, false}, {0, true}, {100 << 10, true}, {300 << 10, true}, {300<<10 + 1, false}} {
		if got := UseMultipart(put, size, c.threshold); got != c.want {
			t.Errorf("UseMultipart(300 KiB, threshold %d) = %v", c.threshold, got)
		}
	}
	for _, r := range []*oss.Request{
		{Method: http.MethodPost, Header: http.Header{}},
		{Method: http.MethodPut, Header: http.Header{}, Query: [][2]string{{"uploadId", "u"}}},
		{Method: http.MethodPut, Header: http.Header{"X-Oss-Copy-Source": {"/b/k"}}},
		{Method: http.MethodPut, Header: http.Header{"X-Oss-Callback": {"e30="}}},
		{Method: http.MethodPut, Header: http.Header{}, URL: "http://127.0.0.1/bkt/k?Signature=s"},
	} {
		if UseMultipart(r, size, 1) {
			t.Errorf("%s %v %v would go up as multipart", r.Method, r.Query, r.Header)
		}
	}
}

// TestDownloadFileWritesIntoDevicesAndFIFOs: a target that is not a regular file is written
// through, never replaced by a regular file (as root, /dev/null would have been).
func TestDownloadFileWritesIntoDevicesAndFIFOs(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(3*testPart + 7)
	e.put(t, "obj", data)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(fifo) // blocks until the download opens the FIFO, reads until it closes it
		got <- b
	}()
	var done atomic.Int64
	res, err := DownloadFile(context.Background(), e.client, get("obj", ""), fifo, Config{PartSize: testPart, Concurrency: 2}, true,
		Meter{Add: func(n int64) { done.Add(n) }})
	if err != nil {
		t.Fatal(err)
	}
	// Checked before waiting for the reader, which a replaced FIFO leaves blocked.
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v %v", st.Mode(), err)
	}
	if b := <-got; !bytes.Equal(b, data) || res.CRC != crc.Checksum(data) || done.Load() != int64(len(data)) {
		t.Fatalf("the reader got %d bytes (equal %v), crc %d, %d counted", len(b), bytes.Equal(b, data), res.CRC, done.Load())
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"fifo"}) {
		t.Fatalf("files left: %q", names)
	}

	if os.Geteuid() != 0 {
		return
	}
	// A copy of /dev/null (char device 1,3), and a symlink to it; never /dev/null itself.
	null := filepath.Join(dir, "null")
	if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Logf("no device test: mknod: %v", err)
		return
	}
	if f, err := os.OpenFile(null, os.O_WRONLY, 0); err != nil {
		t.Logf("no device test: %v (a nodev mount?)", err)
		return
	} else {
		f.Close()
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(null, link); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{null, link} {
		if _, err := DownloadFile(context.Background(), e.client, get("obj", ""), target, Config{PartSize: testPart}, true, Meter{}); err != nil {
			t.Fatalf("%s: %v", target, err)
		}
		if st, err := os.Stat(null); err != nil || st.Mode()&os.ModeCharDevice == 0 {
			t.Fatalf("%s: the device was replaced: %v %v", target, st.Mode(), err)
		}
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"fifo", "link", "null"}) {
		t.Fatalf("files left: %q", names)
	}
}

func TestCopyMultipartCopiesBytesAndHeadersAndLeavesNoUpload(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	data := randomBytes(3*testPart + 11)
	h := http.Header{}
	h.Set("Content-Type", "text/x-test")
	h.Set("x-oss-meta-color", "blue")
	if _, err := Put(ctx, e.client, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: "src", Header: h},
		bytes.NewReader(data), int64(len(data)), 1<<40, Config{}, Meter{}); err != nil {
		t.Fatal(err)
	}
	uploads := func() int { return e.uploads(t) }
	var copied atomic.Int64
	req := CopyRequest{SrcBucket: "bkt", SrcKey: "src", DstBucket: "bkt", DstKey: "dst", Overwrite: true}
	if _, err := CopyMultipart(ctx, e.client, req, testPart, 2, Meter{Add: func(n int64) { copied.Add(n) }}); err != nil {
		t.Fatal(err)
	}
	got, _ := e.read(t, "dst")
	head, err := oss.HeadObject(ctx, e.client, "bkt", "dst")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) || copied.Load() != int64(len(data)) || head.Header.Get("x-oss-object-type") != "Multipart" ||
		head.Header.Get("Content-Type") != "text/x-test" || head.Header.Get("x-oss-meta-color") != "blue" {
		t.Fatalf("equal %v, %d bytes counted, headers %v", bytes.Equal(got, data), copied.Load(), head.Header)
	}
	if n := uploads(); n != 0 {
		t.Fatalf("%d uploads left", n)
	}

	// Without Overwrite an existing target is refused at completion, and the upload is aborted.
	req.Overwrite = false
	_, err = CopyMultipart(ctx, e.client, req, testPart, 2, Meter{})
	var se *oss.ServiceError
	if !errors.As(err, &se) || se.Code != "FileAlreadyExists" || uploads() != 0 {
		t.Fatalf("copy onto an existing target: %v, %d uploads left", err, uploads())
	}

	// A source replaced during the copy fails its next part (pinned to the ETag seen first):
	// nothing lands under the target and the upload is aborted.
	d := &hookDoer{d: e.client, before: func(n int64, r *oss.Request) error {
		if r.Header.Get("x-oss-copy-source-range") != "" && n == 4 {
			e.put(t, "src", randomBytes(len(data)+1)) // other bytes, another ETag
		}
		return nil
	}}
	req = CopyRequest{SrcBucket: "bkt", SrcKey: "src", DstBucket: "bkt", DstKey: "dst2", Overwrite: true}
	_, err = CopyMultipart(ctx, d, req, testPart, 1, Meter{})
	if !errors.As(err, &se) || se.Status != http.StatusPreconditionFailed {
		t.Fatalf("source replaced mid-copy: %v", err)
	}
	if e.exists("dst2") || uploads() != 0 {
		t.Fatalf("target exists (%v) or %d uploads left", e.exists("dst2"), uploads())
	}
}

// The completion of a multipart copy is retried as an upload's is, and one whose answer was lost
// is recognised by the object it made (its CRC64 is the source's); the source's tags are
// carried, as CopyObject carries them.
func TestCopyMultipartCompletionRetriedAndTagsCarried(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mode  string
		times int64
	}{{"complete 503", "503", 2}, {"complete lost", "lost", 1}, {"complete lost every time", "lost", 1000}} {
		e := newEnvBehind(t, failFirst(isComplete, tc.mode, tc.times), nil)
		ctx := context.Background()
		data := randomBytes(3*testPart + 9)
		h := http.Header{}
		h.Set("x-oss-tagging", "team=a%20b&tier=gold")
		if _, err := Put(ctx, e.client, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: "src", Header: h},
			bytes.NewReader(data), int64(len(data)), 1<<40, Config{}, Meter{}); err != nil {
			t.Fatal(err)
		}
		req := CopyRequest{SrcBucket: "bkt", SrcKey: "src", DstBucket: "bkt", DstKey: "dst", Overwrite: true}
		if _, err := CopyMultipart(ctx, e.client, req, testPart, 2, Meter{}); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		src, _ := oss.HeadObject(ctx, e.client, "bkt", "src")
		dst, err := oss.HeadObject(ctx, e.client, "bkt", "dst")
		if err != nil || dst.Header.Get("x-oss-hash-crc64ecma") != src.Header.Get("x-oss-hash-crc64ecma") {
			t.Fatalf("%s: target %v, crc %s want %s", tc.name, err, dst.Header.Get("x-oss-hash-crc64ecma"), src.Header.Get("x-oss-hash-crc64ecma"))
		}
		if tags, err := oss.ObjectTagging(ctx, e.client, "bkt", "dst"); err != nil || tags != "team=a%20b&tier=gold" {
			t.Fatalf("%s: tags %q, %v", tc.name, tags, err)
		}
		if n := e.uploads(t); n != 0 {
			t.Fatalf("%s: %d uploads left", tc.name, n)
		}
	}
}

// enableVersioning turns versioning on in the test bucket.
func (e *env) enableVersioning(t *testing.T) {
	t.Helper()
	doc := `<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>`
	resp, err := e.client.Do(context.Background(), &oss.Request{Method: http.MethodPut, Bucket: "bkt",
		Query: [][2]string{{"versioning", ""}}, Body: strings.NewReader(doc), ContentLength: int64(len(doc))})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// putVersion writes key through the server (so it gets a version id) and returns that id.
func (e *env) putVersion(t *testing.T, key string, data []byte, h http.Header) string {
	t.Helper()
	res, err := Put(context.Background(), e.client, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: key, Header: h},
		bytes.NewReader(data), int64(len(data)), 1<<40, Config{}, Meter{})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Header.Get("x-oss-version-id")
	if id == "" {
		t.Fatal("no version id")
	}
	return id
}

// A copy in parts of an older version reads that version everywhere, as CopyObject of
// /bkt/src?versionId=ID would: its bytes (each UploadPartCopy names the version), its headers
// and its tags, while a newer version is the latest.
func TestCopyMultipartOfAVersion(t *testing.T) {
	e := newEnv(t)
	e.enableVersioning(t)
	ctx := context.Background()
	old := randomBytes(3*testPart + 5)
	h := http.Header{}
	h.Set("x-oss-meta-color", "blue")
	h.Set("x-oss-tagging", "gen=one")
	v1 := e.putVersion(t, "src", old, h)
	h = http.Header{}
	h.Set("x-oss-meta-color", "red")
	h.Set("x-oss-tagging", "gen=two")
	e.putVersion(t, "src", randomBytes(2*testPart+1), h)

	var sources []string
	var mu sync.Mutex
	d := &hookDoer{d: e.client, before: func(_ int64, r *oss.Request) error {
		if s := r.Header.Get("x-oss-copy-source"); s != "" {
			mu.Lock()
			sources = append(sources, s)
			mu.Unlock()
		}
		return nil
	}}
	req := CopyRequest{SrcBucket: "bkt", SrcKey: "src", SrcVersionID: v1, DstBucket: "bkt", DstKey: "dst", Overwrite: true}
	if _, err := CopyMultipart(ctx, d, req, testPart, 2, Meter{}); err != nil {
		t.Fatal(err)
	}
	got, header := e.read(t, "dst")
	tags, err := oss.ObjectTagging(ctx, e.client, "bkt", "dst")
	if err != nil || !bytes.Equal(got, old) || header.Get("x-oss-meta-color") != "blue" || tags != "gen=one" ||
		header.Get("x-oss-object-type") != "Multipart" {
		t.Fatalf("equal %v, headers %v, tags %q %v", bytes.Equal(got, old), header, tags, err)
	}
	if want := "/bkt/src?versionId=" + url.QueryEscape(v1); len(sources) != 4 || slices.ContainsFunc(sources, func(s string) bool { return s != want }) {
		t.Fatalf("copy sources %v, want 4 of %s", sources, want)
	}
	if n := e.uploads(t); n != 0 {
		t.Fatalf("%d uploads left", n)
	}

	// A version that does not exist fails at the HEAD, before any upload starts.
	req.SrcVersionID = "nosuchversion"
	if _, err := CopyMultipart(ctx, e.client, req, testPart, 2, Meter{}); err == nil || e.uploads(t) != 0 {
		t.Fatalf("missing version: %v, %d uploads left", err, e.uploads(t))
	}
}

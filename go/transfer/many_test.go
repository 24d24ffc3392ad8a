package transfer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
	"github.com/pyjindo/pyjindo/go/oss/signer"
)

func isCode(err error, code string) bool {
	var se *oss.ServiceError
	return errors.As(err, &se) && se.Code == code
}

func TestGetManyKeepsOrderAndReportsEachItem(t *testing.T) {
	e := newEnv(t)
	var items []GetItem
	var want [][]byte
	for i := range 50 {
		data := randomBytes(1000 + i)
		e.put(t, fmt.Sprintf("k%02d", i), data)
		items = append(items, GetItem{Bucket: "bkt", Key: fmt.Sprintf("k%02d", i)})
		want = append(want, data)
	}
	big := randomBytes(5*testPart + 3)
	e.put(t, "big", big)
	items = append(items, GetItem{Bucket: "bkt", Key: "big"}) // parallel parts
	want = append(want, big)
	items = append(items, GetItem{Bucket: "bkt", Key: "missing"})
	want = append(want, nil)
	// A caller that knows the size gets the bytes in its own buffer; a wrong size is not used.
	known := make([]byte, len(want[3]))
	items[3].Buffer = known
	wrong := make([]byte, 7)
	items[4].Buffer = wrong
	items[5].NoHeader = true
	var moved atomic.Int64
	held := NewHeld() // the bytes of items without a buffer of their size
	defer held.Close()
	res, err := GetMany(context.Background(), e.client, items, 8, Config{PartSize: testPart, CheckCRC: true},
		Meter{Add: func(n int64) { moved.Add(n) }}, held)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for i, r := range res {
		if want[i] == nil {
			if !isCode(r.Err, "NoSuchKey") {
				t.Fatalf("item %d: %v", i, r.Err)
			}
			continue
		}
		if r.Err != nil || !bytes.Equal(r.Data, want[i]) || r.CRC != crc.Checksum(want[i]) || r.Status != 200 {
			t.Fatalf("item %d: err %v, %d bytes, status %d", i, r.Err, len(r.Data), r.Status)
		}
		total += int64(len(want[i]))
	}
	if !res[3].InPlace || &res[3].Data[0] != &known[0] || res[4].InPlace || res[0].InPlace {
		t.Fatalf("in place: %v %v %v", res[3].InPlace, res[4].InPlace, res[0].InPlace)
	}
	if res[5].Header != nil || res[6].Header.Get("Etag") == "" {
		t.Fatalf("headers: %v, %v", res[5].Header, res[6].Header)
	}
	if moved.Load() != total {
		t.Fatalf("progress %d of %d", moved.Load(), total)
	}
	for i := range res {
		held.Release(&res[i])
		if res[i].Data != nil && !res[i].InPlace {
			t.Fatalf("item %d: released, still %d bytes", i, len(res[i].Data))
		}
	}
	if n := len(held.slabs); n > 1 { // the current slab stays until the store closes
		t.Fatalf("%d slabs left with every item released", n)
	}
}

func TestHeldUnmapsASlabWithItsLastItem(t *testing.T) {
	h := NewHeld()
	defer h.Close()
	var rs []GetResult
	for range 2 * slabSize / (64 << 10) { // two slabs of 64 KiB items
		r := GetResult{}
		r.Data, r.slab = h.alloc(64 << 10)
		r.Data[len(r.Data)-1] = 1 // writable
		rs = append(rs, r)
	}
	big := GetResult{}
	big.Data, big.slab = h.alloc(slabSize) // its own slab
	if len(h.slabs) != 3 {
		t.Fatalf("%d slabs", len(h.slabs))
	}
	h.Release(&big)
	for i := range rs[:len(rs)/2] {
		h.Release(&rs[i])
	}
	if len(h.slabs) != 1 {
		t.Fatalf("%d slabs after releasing all but the current one's items", len(h.slabs))
	}
	h.Close()
	if len(h.slabs) != 0 || rs[len(rs)-1].slab.mem != nil {
		t.Fatalf("close left %d slabs", len(h.slabs))
	}
}

// pySlice is data[start:end] in Python (end nil: to the end), the reference for GetItem ranges.
func pySlice(data []byte, start int64, end *int64) []byte {
	n := int64(len(data))
	clamp := func(i int64) int64 {
		if i < 0 {
			i += n
		}
		return min(max(i, 0), n)
	}
	from, to := clamp(start), n
	if end != nil {
		to = clamp(*end)
	}
	if to <= from {
		return []byte{}
	}
	return data[from:to]
}

func TestGetManyRangesAreSlices(t *testing.T) {
	e := newEnv(t)
	big := randomBytes(3*testPart + 11)
	small := []byte("0123456789")
	e.put(t, "big", big)
	e.put(t, "small", small)
	e.put(t, "empty", nil)
	end := func(i int64) *int64 { return &i }
	n := int64(len(big))
	type rng struct {
		start int64
		end   *int64
	}
	var items []GetItem
	var want [][]byte
	add := func(key string, data []byte, r rng) {
		items = append(items, GetItem{Bucket: "bkt", Key: key, Start: r.start, End: r.end})
		want = append(want, pySlice(data, r.start, r.end))
	}
	bounds := []int64{-15, -10, -9, -3, -1, 0, 1, 3, 9, 10, 12}
	for _, s := range bounds {
		add("small", small, rng{s, nil})
		add("empty", nil, rng{s, nil})
		for _, e := range bounds {
			add("small", small, rng{s, end(e)})
			add("empty", nil, rng{s, end(e)})
		}
	}
	for _, r := range []rng{
		{10, end(20)},
		{n - 5, end(n + 100)}, // past the end: cut (OSS's default would send it all)
		{n, end(n + 10)},      // starts at the end: nothing
		{n + 5, nil},
		{testPart - 3, nil}, // open range over several parts
		{-9, nil},           // the last 9 bytes
		{5, end(-testPart)}, // a negative end over several parts
		{-2*testPart - 7, end(-testPart)},
		{-2*testPart - 7, end(2*testPart + 3)},
	} {
		add("big", big, r)
	}
	res, err := GetMany(context.Background(), e.client, items, 0, Config{PartSize: testPart}, Meter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, it := range items {
		if res[i].Err != nil || !bytes.Equal(res[i].Data, want[i]) {
			t.Errorf("%s [%d:%v]: err %v, got %d bytes, want %d", it.Key, it.Start, it.End, res[i].Err, len(res[i].Data), len(want[i]))
		}
	}
	// A size the caller knew: written into its buffer, also when cut to a negative end.
	buf := make([]byte, 4)
	res, _ = GetMany(context.Background(), e.client, []GetItem{{Bucket: "bkt", Key: "small", Start: 3, End: end(-3), Buffer: buf}}, 0, Config{}, Meter{}, nil)
	if res[0].Err != nil || !res[0].InPlace || string(buf) != "3456" || res[0].CRC != crc.Checksum(buf) {
		t.Fatalf("in place: %+v %q", res[0], buf)
	}
	// A missing object is an error even for a range that is empty whatever the size.
	res, _ = GetMany(context.Background(), e.client, []GetItem{{Bucket: "bkt", Key: "nope", Start: -3, End: end(-1)}}, 0, Config{}, Meter{}, nil)
	if !isCode(res[0].Err, "NoSuchKey") {
		t.Fatalf("missing: %v", res[0].Err)
	}
}

// gate blocks every request until limit of them are in flight at once (or a generous timeout
// passes, so a broken engine fails instead of hanging) and records the most ever in flight.
type gate struct {
	d       oss.Doer
	limit   int
	mu      sync.Mutex
	now     int
	most    int
	reached chan struct{}
}

func newGate(d oss.Doer, limit int) *gate {
	return &gate{d: d, limit: limit, reached: make(chan struct{})}
}

func (g *gate) Do(ctx context.Context, r *oss.Request) (*http.Response, error) {
	g.mu.Lock()
	g.now++
	g.most = max(g.most, g.now)
	if g.now == g.limit {
		select {
		case <-g.reached:
		default:
			close(g.reached)
		}
	}
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.now--
		g.mu.Unlock()
	}()
	select {
	case <-g.reached:
	case <-time.After(10 * time.Second):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.d.Do(ctx, r)
}

func TestManyKeepsABoundedNumberInFlight(t *testing.T) {
	e := newEnv(t)
	var items []GetItem
	var refs []ObjectRef
	for i := range 100 {
		e.put(t, fmt.Sprintf("k%03d", i), []byte("x"))
		items = append(items, GetItem{Bucket: "bkt", Key: fmt.Sprintf("k%03d", i)})
		refs = append(refs, ObjectRef{"bkt", fmt.Sprintf("k%03d", i)})
	}
	for _, limit := range []int{1, 6, 64} {
		g := newGate(e.client, limit)
		res, err := GetMany(context.Background(), g, items, limit, Config{}, Meter{}, nil)
		if err != nil || res[99].Err != nil || string(res[99].Data) != "x" {
			t.Fatal(err, res[99].Err)
		}
		if g.most != limit {
			t.Fatalf("GetMany with %d: at most %d in flight", limit, g.most)
		}
		g = newGate(e.client, limit)
		if _, errs, err := HeadMany(context.Background(), g, refs, limit); err != nil || errs[0] != nil {
			t.Fatal(err, errs[0])
		}
		if g.most != limit {
			t.Fatalf("HeadMany with %d: at most %d in flight", limit, g.most)
		}
	}
	// The default is 64.
	g := newGate(e.client, DefaultManyConcurrency)
	if _, err := GetMany(context.Background(), g, items, 0, Config{}, Meter{}, nil); err != nil || g.most != DefaultManyConcurrency {
		t.Fatal(err, g.most)
	}
}

func TestGetManyStopsWhenCancelled(t *testing.T) {
	e := newEnv(t)
	var items []GetItem
	for i := range 200 {
		e.put(t, fmt.Sprintf("k%03d", i), []byte("data"))
		items = append(items, GetItem{Bucket: "bkt", Key: fmt.Sprintf("k%03d", i)})
	}
	ctx, cancel := context.WithCancel(context.Background())
	d := &hookDoer{d: e.client, before: func(n int64, r *oss.Request) error {
		if n == 20 {
			cancel()
		}
		return nil
	}}
	res, err := GetMany(ctx, d, items, 4, Config{}, Meter{}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	undone := 0
	for _, r := range res {
		if r.Err != nil {
			undone++
			if !errors.Is(r.Err, context.Canceled) {
				t.Fatalf("item error %v", r.Err)
			}
		} else if string(r.Data) != "data" {
			t.Fatalf("data %q", r.Data)
		}
	}
	if undone < 150 || d.count.Load() > 30 {
		t.Fatalf("%d undone after %d requests", undone, d.count.Load())
	}
}

func TestGetManyToFilesLeavesNoPartialFile(t *testing.T) {
	e := newEnv(t)
	big := randomBytes(4*testPart + 1)
	e.put(t, "big", big)
	e.put(t, "a", []byte("aaa"))
	e.put(t, "b/c", []byte("bc"))
	dir := t.TempDir()
	// The big object's third ranged request fails for good: its item fails, the others land.
	d := &hookDoer{d: e.client, before: func(n int64, r *oss.Request) error {
		if r.Key == "big" && strings.HasPrefix(r.Header.Get("Range"), fmt.Sprintf("bytes=%d-", 2*testPart)) {
			return &oss.ServiceError{Status: 403, Code: "AccessDenied"}
		}
		return nil
	}}
	items := []FileItem{
		{Bucket: "bkt", Key: "a", Filename: filepath.Join(dir, "a")},
		{Bucket: "bkt", Key: "big", Filename: filepath.Join(dir, "big")},
		{Bucket: "bkt", Key: "missing", Filename: filepath.Join(dir, "missing")},
		{Bucket: "bkt", Key: "b/c", Filename: filepath.Join(dir, "b", "c")}, // b/ is created
	}
	var moved atomic.Int64
	res, err := GetManyToFiles(context.Background(), d, items, 0, Config{PartSize: testPart}, true, Meter{Add: func(n int64) { moved.Add(n) }})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err != nil || res[3].Err != nil || !isCode(res[1].Err, "AccessDenied") || !isCode(res[2].Err, "NoSuchKey") {
		t.Fatalf("errors %v %v %v %v", res[0].Err, res[1].Err, res[2].Err, res[3].Err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "a")); string(got) != "aaa" || res[0].CRC != crc.Checksum([]byte("aaa")) {
		t.Fatalf("a: %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "b", "c")); string(got) != "bc" {
		t.Fatalf("b/c: %q", got)
	}
	if names := dirNames(t, dir); strings.Join(names, ",") != "a,b" {
		t.Fatalf("left in the directory: %v", names)
	}
}

func TestPutManyFromFiles(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	small, big := []byte("small"), randomBytes(3*testPart+5)
	os.WriteFile(filepath.Join(dir, "s"), small, 0o644)
	os.WriteFile(filepath.Join(dir, "b"), big, 0o644)
	items := []FileItem{
		{Bucket: "bkt", Key: "up/s", Filename: filepath.Join(dir, "s"), Header: http.Header{"Content-Type": {"text/plain"}}},
		{Bucket: "bkt", Key: "up/missing", Filename: filepath.Join(dir, "nope")},
		{Bucket: "bkt", Key: "up/b", Filename: filepath.Join(dir, "b")},
	}
	var moved atomic.Int64
	res, err := PutManyFromFiles(context.Background(), e.client, items, 0, 2*testPart, Config{PartSize: testPart}, true,
		Meter{Add: func(n int64) { moved.Add(n) }})
	if err != nil {
		t.Fatal(err)
	}
	var ce *oss.ClientError
	if res[0].Err != nil || res[2].Err != nil || !errors.As(res[1].Err, &ce) {
		t.Fatalf("errors %v %v %v", res[0].Err, res[1].Err, res[2].Err)
	}
	if moved.Load() != int64(len(small)+len(big)) || res[2].CRC != crc.Checksum(big) {
		t.Fatalf("progress %d crc %d", moved.Load(), res[2].CRC)
	}
	got, err := GetMany(context.Background(), e.client, []GetItem{{Bucket: "bkt", Key: "up/s"}, {Bucket: "bkt", Key: "up/b"}}, 0, Config{}, Meter{}, nil)
	if err != nil || !bytes.Equal(got[0].Data, small) || !bytes.Equal(got[1].Data, big) ||
		got[0].Header.Get("Content-Type") != "text/plain" || got[1].Header.Get("x-oss-object-type") != "Multipart" {
		t.Fatalf("stored: %v %v %v", err, got[0].Header, got[1].Header)
	}
}

func TestHeadManyReportsEachObject(t *testing.T) {
	e := newEnv(t)
	e.put(t, "a", []byte("12345"))
	res, errs, err := HeadMany(context.Background(), e.client, []ObjectRef{{"bkt", "a"}, {"bkt", "nope"}, {"nobucket", "a"}}, 0)
	if err != nil || errs[0] != nil || res[0].Header.Get("Content-Length") != "5" {
		t.Fatal(err, errs[0])
	}
	if !isCode(errs[1], "NoSuchKey") || !isCode(errs[2], "NoSuchBucket") {
		t.Fatalf("%v / %v", errs[1], errs[2])
	}
}

func (e *env) uploads(t *testing.T) int {
	t.Helper()
	ups, err := e.store.ListUploads("bkt")
	if err != nil {
		t.Fatal(err)
	}
	return len(ups)
}

func (e *env) exists(key string) bool {
	_, err := oss.HeadObject(context.Background(), e.client, "bkt", key)
	return err == nil
}

func TestWriterStreamsPartsAndCompletes(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(5*MinPartSize + 123)
	var moved atomic.Int64
	w := NewWriter(e.client, &oss.Request{Bucket: "bkt", Key: "w", Header: http.Header{"Content-Type": {"application/x-test"}}},
		Config{Concurrency: 2}, false, Meter{Add: func(n int64) { moved.Add(n) }})
	part := make([]byte, MinPartSize)
	for off := 0; off+MinPartSize < len(data); off += MinPartSize {
		copy(part, data[off:]) // the writer copies: reusing the buffer at once is fine
		if err := w.WritePart(context.Background(), part); err != nil {
			t.Fatal(err)
		}
		if e.exists("w") {
			t.Fatal("the object is visible before Close")
		}
	}
	if w.UploadID() == "" || e.uploads(t) != 1 {
		t.Fatal("no upload under way")
	}
	res, err := w.Close(context.Background(), data[5*MinPartSize:])
	if err != nil {
		t.Fatal(err)
	}
	if !res.Multipart || res.CRC != crc.Checksum(data) || res.Header.Get("x-oss-hash-crc64ecma") != fmt.Sprint(res.CRC) {
		t.Fatalf("result %+v", res)
	}
	got, _ := GetMany(context.Background(), e.client, []GetItem{{Bucket: "bkt", Key: "w"}}, 0, Config{}, Meter{}, nil)
	if !bytes.Equal(got[0].Data, data) || got[0].Header.Get("Content-Type") != "application/x-test" || moved.Load() != int64(len(data)) {
		t.Fatalf("stored %d bytes, type %q, progress %d", len(got[0].Data), got[0].Header.Get("Content-Type"), moved.Load())
	}
	if _, err := w.Close(context.Background(), nil); !errors.Is(err, ErrWriterClosed) {
		t.Fatalf("second close: %v", err)
	}
	if err := w.WritePart(context.Background(), part); !errors.Is(err, ErrWriterClosed) {
		t.Fatalf("write after close: %v", err)
	}
	// Less than a part: one PutObject at Close, nothing before.
	w = NewWriter(e.client, &oss.Request{Bucket: "bkt", Key: "small"}, Config{}, false, Meter{})
	if res, err := w.Close(context.Background(), []byte("tiny")); err != nil || res.Multipart {
		t.Fatal(err)
	}
	// An empty object too.
	w = NewWriter(e.client, &oss.Request{Bucket: "bkt", Key: "empty"}, Config{}, false, Meter{})
	if _, err := w.Close(context.Background(), nil); err != nil || !e.exists("empty") {
		t.Fatal(err)
	}
	if err := w.WritePart(context.Background(), []byte("short")); err == nil {
		t.Fatal("a short part was accepted")
	}
}

// TestWriterWriteCutsAnyWritesIntoParts: Write takes pieces of any size, the caller's buffer
// reusable at once, and sends parts of exactly PartSize but the last, each as soon as it is
// full; an object of less than a part is one PutObject.
func TestWriterWriteCutsAnyWritesIntoParts(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex
	var sizes []int64 // the parts sent, in order of part number
	d := &hookDoer{d: e.client, before: func(_ int64, r *oss.Request) error {
		if r.Method == http.MethodPut && len(r.Query) == 2 {
			n, _ := strconv.Atoi(r.Query[1][1])
			mu.Lock()
			for len(sizes) < n {
				sizes = append(sizes, 0)
			}
			sizes[n-1] = r.ContentLength
			mu.Unlock()
		}
		return nil
	}}
	data := randomBytes(3*MinPartSize + 77)
	w := NewWriter(d, &oss.Request{Bucket: "bkt", Key: "w"}, Config{PartSize: MinPartSize, Concurrency: 2}, false, Meter{})
	buf := make([]byte, 3*MinPartSize)
	for off, i := 0, 0; off < len(data)-10; i++ {
		n := min([]int{1, MinPartSize - 1, 2*MinPartSize + 5, 0, 300}[i%5], len(data)-10-off)
		copy(buf, data[off:off+n])
		if err := w.Write(context.Background(), buf[:n]); err != nil {
			t.Fatal(err)
		}
		for j := range buf[:n] {
			buf[j] = 'X' // the writer copied: reusing the buffer changes nothing
		}
		off += n
	}
	res, err := w.Close(context.Background(), data[len(data)-10:])
	if err != nil {
		t.Fatal(err)
	}
	got, _ := GetMany(context.Background(), e.client, []GetItem{{Bucket: "bkt", Key: "w"}}, 0, Config{}, Meter{}, nil)
	if !res.Multipart || res.CRC != crc.Checksum(data) || !bytes.Equal(got[0].Data, data) {
		t.Fatalf("multipart %v, stored %d bytes of %d", res.Multipart, len(got[0].Data), len(data))
	}
	if want := []int64{MinPartSize, MinPartSize, MinPartSize, 77}; fmt.Sprint(sizes) != fmt.Sprint(want) {
		t.Fatalf("parts %v, want %v", sizes, want)
	}
	// Less than a part, written in two pieces: one PutObject.
	sizes = nil
	w = NewWriter(d, &oss.Request{Bucket: "bkt", Key: "one"}, Config{PartSize: MinPartSize}, false, Meter{})
	if err := w.Write(context.Background(), data[:MinPartSize-2]); err != nil {
		t.Fatal(err)
	}
	res, err = w.Close(context.Background(), data[MinPartSize-2:MinPartSize-1])
	if err != nil || res.Multipart || sizes != nil || !e.exists("one") {
		t.Fatalf("less than a part: %v, multipart %v, parts %v", err, res != nil && res.Multipart, sizes)
	}
	// A small object costs no whole part of memory: the first part's buffer grows as it fills.
	w = NewWriter(d, &oss.Request{Bucket: "bkt", Key: "small"}, Config{PartSize: 64 << 20}, false, Meter{})
	if err := w.Write(context.Background(), data[:1000]); err != nil || cap(w.open) > firstBuffer {
		t.Fatalf("a 1,000-byte object: %v, a buffer of %d bytes", err, cap(w.open))
	}
	more := randomBytes(600 << 10)
	want := bytes.Clone(data[:1000])
	for range 3 { // past firstBuffer: the buffer grows
		if err := w.Write(context.Background(), more); err != nil {
			t.Fatal(err)
		}
		want = append(want, more...)
	}
	if cap(w.open) > 2*firstBuffer {
		t.Fatalf("%d bytes in a buffer of %d", len(w.open), cap(w.open))
	}
	if res, err := w.Close(context.Background(), nil); err != nil || res.Multipart {
		t.Fatalf("a small object: %v", err)
	}
	got, _ = GetMany(context.Background(), e.client, []GetItem{{Bucket: "bkt", Key: "small"}}, 0, Config{}, Meter{}, nil)
	if !bytes.Equal(got[0].Data, want) {
		t.Fatal("the small object's bytes differ")
	}
	// A full part goes up at once, before the next write.
	w = NewWriter(d, &oss.Request{Bucket: "bkt", Key: "full"}, Config{PartSize: MinPartSize}, false, Meter{})
	defer w.Abort()
	if err := w.Write(context.Background(), data[:MinPartSize]); err != nil || w.UploadID() == "" {
		t.Fatalf("a full part: %v, upload %q", err, w.UploadID())
	}
}

// partsTaken answers every UploadPart itself without reading its body, noting its size; other
// requests go to d.
type partsTaken struct {
	d     oss.Doer
	mu    sync.Mutex
	sizes map[int]int64
}

func (p *partsTaken) Do(ctx context.Context, r *oss.Request) (*http.Response, error) {
	if r.Method != http.MethodPut || len(r.Query) != 2 || r.Query[1][0] != "partNumber" {
		return p.d.Do(ctx, r)
	}
	n, _ := strconv.Atoi(r.Query[1][1])
	p.mu.Lock()
	p.sizes[n] = r.ContentLength
	p.mu.Unlock()
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Etag": {`"E"`}}, Body: http.NoBody}, nil
}

// TestWriterWritePartsGrowPast5000: the parts Write cuts keep PartSize for 5,000 parts and then
// grow as a stream's (streamPartSize), so 10,000 parts are not the end of a checkpoint.
func TestWriterWritePartsGrowPast5000(t *testing.T) {
	e := newEnv(t)
	d := &partsTaken{d: e.client, sizes: map[int]int64{}}
	w := NewWriter(d, &oss.Request{Bucket: "bkt", Key: "big"}, Config{PartSize: MinPartSize, Concurrency: 8}, false, Meter{})
	defer w.Abort()
	chunk := randomBytes(10 * MinPartSize)
	for range 500 {
		if err := w.Write(context.Background(), chunk); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Write(context.Background(), chunk[:2*MinPartSize]); err != nil {
		t.Fatal(err)
	}
	w.wg.Wait()
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.sizes) != 5001 || d.sizes[1] != MinPartSize || d.sizes[5000] != MinPartSize || d.sizes[5001] != 2*MinPartSize {
		t.Fatalf("%d parts, the first %d, the 5,000th %d, the 5,001st %d bytes", len(d.sizes), d.sizes[1], d.sizes[5000], d.sizes[5001])
	}
}

func TestWriterAbortsOnFailureCancelAndAbort(t *testing.T) {
	e := newEnv(t)
	part := randomBytes(MinPartSize)
	// A part that fails for good: the next call reports it, Close aborts.
	d := &hookDoer{d: e.client, before: func(n int64, r *oss.Request) error {
		if r.Method == http.MethodPut && len(r.Query) == 2 && r.Query[1] == [2]string{"partNumber", "2"} {
			return &oss.ServiceError{Status: 403, Code: "AccessDenied"}
		}
		return nil
	}}
	w := NewWriter(d, &oss.Request{Bucket: "bkt", Key: "f"}, Config{Concurrency: 1}, false, Meter{})
	var err error
	for range 5 {
		if err = w.WritePart(context.Background(), part); err != nil {
			break
		}
	}
	if !isCode(err, "AccessDenied") {
		t.Fatalf("write: %v", err)
	}
	if _, err := w.Close(context.Background(), nil); !isCode(err, "AccessDenied") {
		t.Fatalf("close: %v", err)
	}
	if e.uploads(t) != 0 || e.exists("f") {
		t.Fatal("the failed upload was left behind")
	}
	// Cancelled while completing: aborted.
	w = NewWriter(e.client, &oss.Request{Bucket: "bkt", Key: "c"}, Config{}, false, Meter{})
	if err := w.WritePart(context.Background(), part); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.Close(ctx, []byte("end")); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled close: %v", err)
	}
	if e.uploads(t) != 0 || e.exists("c") {
		t.Fatal("the cancelled upload was left behind")
	}
	// Abort by the caller (an exception in Python): nothing stays.
	w = NewWriter(e.client, &oss.Request{Bucket: "bkt", Key: "a"}, Config{}, false, Meter{})
	for range 3 {
		if err := w.WritePart(context.Background(), part); err != nil {
			t.Fatal(err)
		}
	}
	w.Abort()
	w.Abort()
	if e.uploads(t) != 0 || e.exists("a") {
		t.Fatal("the aborted upload was left behind")
	}
	if _, err := w.Close(context.Background(), nil); !errors.Is(err, ErrWriterClosed) {
		t.Fatalf("close after abort: %v", err)
	}
}

func TestWriterAbortReportsAFailedAbortRequest(t *testing.T) {
	e := newEnv(t)
	part := randomBytes(MinPartSize)
	var answer error
	var deletes atomic.Int32
	d := &hookDoer{d: e.client, before: func(n int64, r *oss.Request) error {
		if r.Method == http.MethodDelete {
			deletes.Add(1)
			return answer
		}
		return nil
	}}
	abortAfterAPart := func(key string) error {
		w := NewWriter(d, &oss.Request{Bucket: "bkt", Key: key}, Config{}, false, Meter{})
		if err := w.WritePart(context.Background(), part); err != nil {
			t.Fatal(err)
		}
		deletes.Store(0)
		err := w.Abort()
		// called again: the same answer, told again, and no second request
		if again := w.Abort(); again != err || deletes.Load() != 1 {
			t.Fatalf("a second abort: %v after %v, %d requests", again, err, deletes.Load())
		}
		return err
	}
	// The network down: the parts stay, and the caller is told.
	answer = &oss.RequestError{Err: errors.New("connection refused")}
	var re *oss.RequestError
	if err := abortAfterAPart("down"); !errors.As(err, &re) {
		t.Fatalf("abort with the network down: %v", err)
	}
	if e.uploads(t) != 1 {
		t.Fatal("the upload whose abort failed is gone")
	}
	// NoSuchUpload: the upload is gone already (an earlier attempt's answer was lost).
	answer = &oss.ServiceError{Status: http.StatusNotFound, Code: "NoSuchUpload"}
	if err := abortAfterAPart("gone"); err != nil {
		t.Fatalf("abort of an upload already gone: %v", err)
	}
}

func TestWriterForbidOverwrite(t *testing.T) {
	e := newEnv(t)
	e.put(t, "taken", []byte("old"))
	part := randomBytes(MinPartSize)
	for _, multipart := range []bool{false, true} {
		w := NewWriter(e.client, &oss.Request{Bucket: "bkt", Key: "taken"}, Config{}, true, Meter{})
		if multipart {
			if err := w.WritePart(context.Background(), part); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.Close(context.Background(), []byte("new")); !isCode(err, "FileAlreadyExists") {
			t.Fatalf("multipart %v: %v", multipart, err)
		}
		if e.uploads(t) != 0 {
			t.Fatal("the refused upload was left behind")
		}
		got, _ := GetMany(context.Background(), e.client, []GetItem{{Bucket: "bkt", Key: "taken"}}, 0, Config{}, Meter{}, nil)
		if string(got[0].Data) != "old" {
			t.Fatalf("replaced: %q", got[0].Data)
		}
		// A free key is created.
		key := fmt.Sprint("free-", multipart)
		w = NewWriter(e.client, &oss.Request{Bucket: "bkt", Key: key}, Config{}, true, Meter{})
		if multipart {
			if err := w.WritePart(context.Background(), part); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.Close(context.Background(), []byte("new")); err != nil || !e.exists(key) {
			t.Fatal(err)
		}
	}
}

func TestSeekReaderReadsAnywhere(t *testing.T) {
	e := newEnv(t)
	data := randomBytes(20*testPart + 77)
	e.put(t, "obj", data)
	var reopened atomic.Int64 // requests starting at byte 1110
	d := &hookDoer{d: e.client, before: func(_ int64, r *oss.Request) error {
		if strings.HasPrefix(r.Header.Get("Range"), "bytes=1110-") {
			reopened.Add(1)
		}
		return nil
	}}
	r, err := OpenSeekReader(context.Background(), d, "bkt", "obj", "", nil, Config{PartSize: testPart, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Size != int64(len(data)) {
		t.Fatal(r.Size)
	}
	read := func(at int64, n int) []byte {
		t.Helper()
		if err := r.SeekTo(at); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, n)
		m, err := r.Read(context.Background(), buf)
		if err != nil && err != io.EOF {
			t.Fatal(err)
		}
		return buf[:m]
	}
	// A parquet-like pattern: the footer, then chunks here and there, then a scan.
	for _, c := range []struct {
		at int64
		n  int
	}{{int64(len(data)) - 8, 8}, {int64(len(data)) - 5000, 4992}, {100, 10}, {110, 1000}, {3 * testPart, 2 * testPart},
		{50, 30}, {0, len(data)}, {int64(len(data)), 10}, {int64(len(data)) + 5, 1}} {
		want := data[min(int(c.at), len(data)):min(int(c.at)+c.n, len(data))]
		if got := read(c.at, c.n); !bytes.Equal(got, want) {
			t.Fatalf("at %d: %d bytes, want %d", c.at, len(got), len(want))
		}
	}
	if r.Pos() != int64(len(data))+5 {
		t.Fatal(r.Pos())
	}
	// A near forward seek reads on in the segment under way instead of opening another.
	if got := read(1000, 10); !bytes.Equal(got, data[1000:1010]) {
		t.Fatal("read at 1000")
	}
	if got := read(1110, 10); !bytes.Equal(got, data[1110:1120]) || reopened.Load() != 0 {
		t.Fatalf("reopened %d times", reopened.Load())
	}
	if got := read(1110, 10); !bytes.Equal(got, data[1110:1120]) || reopened.Load() != 1 {
		t.Fatalf("a backward seek: reopened %d times", reopened.Load())
	}
	// A replaced object fails instead of mixing versions.
	e.put(t, "obj", append([]byte{^data[0]}, data[1:]...))
	if err := r.SeekTo(5 * testPart); err != nil {
		t.Fatal(err)
	}
	_, err = r.Read(context.Background(), make([]byte, 10))
	var se *oss.ServiceError
	if !errors.As(err, &se) || se.Status != http.StatusPreconditionFailed {
		t.Fatalf("changed object: %v", err)
	}
	if _, err := OpenSeekReader(context.Background(), e.client, "bkt", "nope", "", nil, Config{}); !isCode(err, "NoSuchKey") {
		t.Fatal(err)
	}
}

// slowInitiate serves each initiation at once (the upload exists) but holds its answer until
// release is closed: a slow server, with the writer's cancel or Abort landing in between.
func slowInitiate(created chan<- struct{}, release <-chan struct{}) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !isInitiate(r) {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			created <- struct{}{}
			<-release
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		})
	}
}

func TestWriterStoppedDuringInitiationLeavesNoUpload(t *testing.T) {
	part := randomBytes(MinPartSize)
	for _, how := range []string{"abort", "cancel"} {
		t.Run(how, func(t *testing.T) {
			created, release := make(chan struct{}, 1), make(chan struct{})
			var once sync.Once
			unblock := func() { once.Do(func() { close(release) }) }
			e := newEnvBehind(t, slowInitiate(created, release), nil)
			t.Cleanup(unblock) // before the server's Close, which waits for its handlers
			w := NewWriter(e.client, &oss.Request{Bucket: "bkt", Key: "slow"}, Config{}, false, Meter{})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			written := make(chan error, 1)
			go func() { written <- w.WritePart(ctx, part) }()
			<-created // the server made the upload; its id is not answered yet
			aborted := make(chan struct{})
			if how == "abort" {
				go func() { w.Abort(); close(aborted) }()
			} else {
				cancel()
			}
			if err := <-written; err == nil {
				t.Fatal("the write succeeded")
			}
			unblock() // the answer (the id) arrives after the writer was stopped
			if how == "abort" {
				<-aborted
			} else if _, err := w.Close(context.Background(), nil); !errors.Is(err, context.Canceled) {
				t.Fatalf("close after the cancelled write: %v", err)
			}
			if n := e.uploads(t); n != 0 {
				t.Fatalf("%d upload(s) left behind", n)
			}
		})
	}
}

// TestWriterCloseOwnsItsSinglePutBody: net/http may go on sending a request body after the
// answer came (an error before the body was read); the caller's buffer, Python's, may be
// reused or freed by then, so Close must send a copy of it.
func TestWriterCloseOwnsItsSinglePutBody(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	type seen struct{ n, bad int64 }
	got, reused := make(chan seen, 1), make(chan struct{})
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- seen{-1, -1}
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(20 * time.Second))
		br := bufio.NewReader(c)
		req, err := http.ReadRequest(br)
		if err != nil {
			got <- seen{-1, -1}
			return
		}
		doc := "<Error><Code>AccessDenied</Code><Message>no</Message><RequestId>1</RequestId></Error>"
		fmt.Fprintf(c, "HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nx-oss-request-id: 1\r\nContent-Length: %d\r\n\r\n%s", len(doc), doc)
		<-reused // the rest of the body is read only after the caller reused its buffer
		var s seen
		buf := make([]byte, 1<<20)
		for s.n < req.ContentLength {
			m, err := req.Body.Read(buf)
			s.n += int64(m)
			s.bad += int64(m - bytes.Count(buf[:m], []byte("W")))
			if err != nil {
				break
			}
		}
		got <- s
	}()
	c, err := oss.New(oss.Config{Endpoint: ln.Addr().String(), Credentials: signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}})
	if err != nil {
		t.Fatal(err)
	}
	last, junk := bytes.Repeat([]byte("W"), 32<<20), bytes.Repeat([]byte("J"), 32<<20)
	w := NewWriter(c, &oss.Request{Bucket: "bkt", Key: "k"}, Config{Retry: retry.Policy{Retryer: retry.Standard{Attempts: 1}}}, false, Meter{})
	if _, err := w.Close(context.Background(), last); !isCode(err, "AccessDenied") {
		t.Fatalf("close: %v", err)
	}
	copy(last, junk) // the caller reuses its buffer at once (Python frees it)
	close(reused)
	if s := <-got; s.bad != 0 {
		t.Fatalf("the server got %d bytes of the body after its answer, %d of them not the caller's data", s.n, s.bad)
	}
}

// A Read after Close (a read that got the reader just before another thread closed it) must not
// open a segment: nothing would ever stop its prefetches.
func TestSeekReaderReadAfterCloseSendsNothing(t *testing.T) {
	e := newEnv(t)
	e.put(t, "obj", randomBytes(1000))
	d := &hookDoer{d: e.client, before: func(int64, *oss.Request) error { return nil }}
	r, err := OpenSeekReader(context.Background(), d, "bkt", "obj", "", nil, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(context.Background(), make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	r.Close()
	sent := d.count.Load()
	for _, at := range []int64{10, 500} { // in the closed segment's range, and a seek
		if err := r.SeekTo(at); err != nil {
			t.Fatal(err)
		}
		var ce *oss.ClientError
		if n, err := r.Read(context.Background(), make([]byte, 10)); n != 0 || !errors.As(err, &ce) {
			t.Fatalf("read at %d after close: %d, %v", at, n, err)
		}
	}
	if d.count.Load() != sent {
		t.Fatalf("%d requests after close", d.count.Load()-sent)
	}
}

// A reader opened on a version reads that version through its parallel prefetches, every
// request naming it, while a newer version is the latest; an unknown version fails at the HEAD.
func TestSeekReaderReadsAVersion(t *testing.T) {
	e := newEnv(t)
	e.enableVersioning(t)
	old := randomBytes(6*testPart + 3)
	v1 := e.putVersion(t, "obj", old, nil)
	e.putVersion(t, "obj", randomBytes(testPart), nil)
	var mu sync.Mutex
	var unnamed []string
	d := &hookDoer{d: e.client, before: func(_ int64, r *oss.Request) error {
		if !slices.Equal(r.Query, [][2]string{{"versionId", v1}}) {
			mu.Lock()
			unnamed = append(unnamed, r.Method+" "+r.Header.Get("Range"))
			mu.Unlock()
		}
		return nil
	}}
	r, err := OpenSeekReader(context.Background(), d, "bkt", "obj", v1, nil, Config{PartSize: testPart, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Size != int64(len(old)) || r.Header.Get("x-oss-version-id") != v1 {
		t.Fatalf("size %d, version %q", r.Size, r.Header.Get("x-oss-version-id"))
	}
	for _, at := range []int64{int64(len(old)) - 10, 5, 0} { // a seek, then a scan of the whole
		if err := r.SeekTo(at); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, len(old)-int(at))
		if n, err := r.Read(context.Background(), buf); err != nil || !bytes.Equal(buf[:n], old[at:]) {
			t.Fatalf("at %d: %d bytes, %v", at, n, err)
		}
	}
	if len(unnamed) != 0 {
		t.Fatalf("requests without the version: %v", unnamed)
	}
	if _, err := OpenSeekReader(context.Background(), e.client, "bkt", "obj", "nosuchversion", nil, Config{}); !isCode(err, "NoSuchVersion") {
		t.Fatal(err)
	}
}

func TestGetManySendsTheItemsVersion(t *testing.T) {
	e := newEnv(t)
	e.put(t, "v", []byte("data"))
	var queries [][][2]string
	var mu sync.Mutex
	d := &hookDoer{d: e.client, before: func(_ int64, r *oss.Request) error {
		mu.Lock()
		queries = append(queries, r.Query)
		mu.Unlock()
		return nil
	}}
	res, _ := GetMany(context.Background(), d, []GetItem{{Bucket: "bkt", Key: "v", VersionID: "v1"}, {Bucket: "bkt", Key: "v"}}, 1, Config{}, Meter{}, nil)
	// The local server has no versioning in this bucket: a version id it does not know is an error.
	if res[0].Err == nil || res[1].Err != nil || len(queries) != 2 {
		t.Fatalf("%v %v %v", res[0].Err, res[1].Err, queries)
	}
	if want := [][2]string{{"versionId", "v1"}}; !slices.Equal(queries[0], want) || len(queries[1]) != 0 {
		t.Fatalf("queries %v", queries)
	}
}

package store

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"testing"
)

func memOf(s Store) *memBlobs { return s.(*core).blobs.(*memBlobs) }

// unsized hides a reader's length, as a chunked request body does.
type unsized struct{ r io.Reader }

func (u unsized) Read(p []byte) (int, error) { return u.r.Read(p) }

// failing yields n bytes and then fails, as a body whose client went away.
type failing struct{ n int }

func (f *failing) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errors.New("connection reset")
	}
	m := min(len(p), f.n)
	f.n -= m
	return m, nil
}

// Stored contents are accounted at exactly their size, whether the length was declared or not,
// and deleting them gives the memory back.
func TestMemoryHoldsWhatItStores(t *testing.T) {
	s := NewMemory(nil)
	s.CreateBucket("bkt")
	m := memOf(s)
	sizes := []int{0, 1, minChunk - 1, minChunk + 1, maxChunk + 3, 3*maxChunk + 12345}
	var total int64
	for i, n := range sizes {
		data := bytes.Repeat([]byte{byte(i)}, n)
		for _, sized := range []bool{true, false} {
			key := string(rune('a'+i)) + map[bool]string{true: "-sized", false: "-chunked"}[sized]
			var body io.Reader = bytes.NewReader(data)
			hint := int64(n)
			if !sized {
				body, hint = unsized{body}, 0
			}
			if _, err := s.Put("bkt", key, body, Attrs{}, PutOptions{SizeHint: hint}); err != nil {
				t.Fatal(err)
			}
			total += int64(n)
			if got := m.inUse(); got != total {
				t.Fatalf("%s (%d bytes): %d bytes accounted, %d stored", key, n, got, total)
			}
			_, r, err := s.Open("bkt", key)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]byte, n)
			if k, err := r.ReadAt(got, 0); k != n || (err != nil && err != io.EOF) || !bytes.Equal(got, data) {
				t.Fatalf("%s: read back %d bytes, %v", key, k, err)
			}
			if n > 10 {
				tail := make([]byte, 10)
				if k, _ := r.ReadAt(tail, int64(n-5)); k != 5 || !bytes.Equal(tail[:5], data[n-5:]) {
					t.Fatalf("%s: tail read %d bytes", key, k)
				}
			}
			r.Close()
		}
	}
	for i := range sizes {
		for _, suffix := range []string{"-sized", "-chunked"} {
			if err := s.Delete("bkt", string(rune('a'+i))+suffix); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got := m.inUse(); got != 0 {
		t.Fatalf("%d bytes still accounted after deleting everything", got)
	}
}

// A body of unknown length costs about its size in the heap, not the 1.3-2x of a doubling buffer.
func TestMemoryHeapCostOfAnUnsizedBody(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation")
	}
	s := NewMemory(nil)
	s.CreateBucket("bkt")
	const size = 40 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := s.Put("bkt", "k", unsized{io.LimitReader(zeros{}, size)}, Attrs{}, PutOptions{}); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > size*11/10 {
		t.Fatalf("storing %d bytes grew the heap by %d", size, grew)
	}
	runtime.KeepAlive(s)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// With a limit, a write that would pass it fails with ErrInsufficientStorage, before reading when
// the length is declared, and leaves nothing; so does a body that fails midway. Parts count too.
func TestMemoryLimit(t *testing.T) {
	s := NewMemoryLimited(nil, 10<<20)
	s.CreateBucket("bkt")
	m := memOf(s)
	if _, err := s.Put("bkt", "six", bytes.NewReader(make([]byte, 6<<20)), Attrs{}, PutOptions{SizeHint: 6 << 20}); err != nil {
		t.Fatal(err)
	}
	for _, sized := range []bool{true, false} {
		var body io.Reader = bytes.NewReader(make([]byte, 6<<20))
		hint := int64(6 << 20)
		if !sized {
			body, hint = unsized{body}, 0
		}
		if _, err := s.Put("bkt", "more", body, Attrs{}, PutOptions{SizeHint: hint}); !errors.Is(err, ErrInsufficientStorage) {
			t.Fatalf("sized=%v: %v, want ErrInsufficientStorage", sized, err)
		}
		if _, err := s.Stat("bkt", "more"); !errors.Is(err, ErrNoSuchKey) {
			t.Fatalf("sized=%v: a refused object was stored", sized)
		}
		if got := m.inUse(); got != 6<<20 {
			t.Fatalf("sized=%v: %d bytes accounted after a refused put", sized, got)
		}
	}
	unread := &failing{n: 1 << 30}
	if _, err := s.Put("bkt", "huge", unread, Attrs{}, PutOptions{SizeHint: 5 << 30}); !errors.Is(err, ErrInsufficientStorage) || unread.n != 1<<30 {
		t.Fatalf("a declared 5 GiB: %v, %d bytes read", err, 1<<30-unread.n)
	}
	u, _ := s.InitUpload("bkt", "mp", Attrs{})
	if _, err := s.PutPart("bkt", "mp", u.UploadID, 1, bytes.NewReader(make([]byte, 5<<20)), PutOptions{SizeHint: 5 << 20}); !errors.Is(err, ErrInsufficientStorage) {
		t.Fatalf("part: %v", err)
	}
	if _, err := s.Put("bkt", "broken", unsized{&failing{n: 3 << 20}}, Attrs{}, PutOptions{}); err == nil {
		t.Fatal("a failed body was stored")
	}
	if got := m.inUse(); got != 6<<20 {
		t.Fatalf("%d bytes accounted after an aborted body", got)
	}
	s.Delete("bkt", "six")
	if _, err := s.Put("bkt", "now", bytes.NewReader(make([]byte, 9<<20)), Attrs{}, PutOptions{SizeHint: 9 << 20}); err != nil {
		t.Fatalf("after a delete: %v", err)
	}
}

// panicking yields n bytes and then panics, as a request body does when the server aborts the
// handler (http.ErrAbortHandler).
type panicking struct{ n int }

func (p *panicking) Read(b []byte) (int, error) {
	if p.n == 0 {
		panic("aborted")
	}
	m := min(len(b), p.n)
	p.n -= m
	return m, nil
}

// A body that panics midway gives back all it had reserved: otherwise every aborted upload
// would shrink the limit for good, ending in InsufficientStorage for everything.
func TestMemoryLimitSurvivesPanickingBody(t *testing.T) {
	s := NewMemoryLimited(nil, 20<<20)
	s.CreateBucket("bkt")
	m := memOf(s)
	for _, hint := range []int64{8 << 20, 0} {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the body's panic was swallowed")
				}
			}()
			s.Put("bkt", "k", &panicking{n: 4 << 20}, Attrs{}, PutOptions{SizeHint: hint})
		}()
		if got := m.inUse(); got != 0 {
			t.Fatalf("hint %d: %d bytes still accounted after a panicking body", hint, got)
		}
	}
}

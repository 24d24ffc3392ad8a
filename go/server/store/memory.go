package store

import (
	"io"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// NewMemory returns a Store that keeps everything in memory, without limit; now may be nil
// (time.Now).
func NewMemory(now func() time.Time) Store { return NewMemoryLimited(now, 0) }

// NewMemoryLimited is NewMemory holding at most maxBytes of object and part contents (0 = no
// limit), counting bodies still being received: a write that would go past it fails with
// ErrInsufficientStorage and leaves nothing behind.
func NewMemoryLimited(now func() time.Time, maxBytes int64) Store {
	return newCore(&memBlobs{data: map[string]*memBlob{}, limit: maxBytes}, nopJournal{}, now)
}

// A blob is held in chunks, each allocated at its final size: with a known length the chunks sum
// to exactly that; with an unknown one they grow geometrically, and the last is trimmed. Nothing
// is ever copied to grow, and a body still arriving holds what it sent plus at most one chunk.
const (
	minChunk = 64 << 10
	maxChunk = 8 << 20
)

type memBlobs struct {
	next  atomic.Uint64
	limit int64 // 0 = none

	mu   sync.Mutex
	data map[string]*memBlob
	used int64 // bytes allocated to blobs, stored or being written
}

type memBlob struct {
	chunks [][]byte
	starts []int64 // offset of each chunk
	size   int64
}

// reserve accounts for n more bytes, or fails when that would pass the limit.
func (m *memBlobs) reserve(n int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.limit > 0 && m.used+n > m.limit {
		return ErrInsufficientStorage
	}
	m.used += n
	return nil
}

func (m *memBlobs) release(n int64) {
	m.mu.Lock()
	m.used -= n
	m.mu.Unlock()
}

// inUse is the number of bytes accounted for now.
func (m *memBlobs) inUse() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.used
}

func (m *memBlobs) write(r io.Reader, sizeHint int64) (id string, size int64, err error) {
	if m.limit > 0 && sizeHint > 0 {
		// A declared length that cannot fit is refused before a byte is read.
		m.mu.Lock()
		full := m.used+sizeHint > m.limit
		m.mu.Unlock()
		if full {
			return "", 0, ErrInsufficientStorage
		}
	}
	b := &memBlob{}
	var held int64
	stored := false
	defer func() { // also when r panics (a handler aborting mid-body), where err stays nil
		if !stored {
			m.release(held)
		}
	}()
	for {
		var lead []byte // a byte read to learn whether data goes on past the declared length
		if sizeHint <= 0 || size >= sizeHint {
			var one [1]byte
			if n, err := fill(r, one[:]); n == 0 && err == io.EOF {
				break
			} else if n == 0 {
				return "", 0, err
			}
			lead = one[:]
		}
		want := nextChunk(size, sizeHint)
		if err := m.reserve(want); err != nil {
			return "", 0, err
		}
		held += want
		chunk := make([]byte, want)
		off := copy(chunk, lead)
		n, rerr := fill(r, chunk[off:])
		n += off
		if rerr != nil && rerr != io.EOF {
			return "", 0, rerr
		}
		if n < len(chunk) {
			// The body ended inside this chunk: keep only what it holds.
			chunk = append([]byte(nil), chunk[:n]...)
			m.release(want - int64(n))
			held -= want - int64(n)
		}
		if n > 0 {
			b.starts = append(b.starts, size)
			b.chunks = append(b.chunks, chunk)
			size += int64(n)
		}
		if rerr != nil {
			break // the body ended inside this chunk
		}
	}
	b.size = size
	id = strconv.FormatUint(m.next.Add(1), 10)
	m.mu.Lock()
	m.data[id] = b
	m.mu.Unlock()
	stored = true
	return id, size, nil
}

// fill reads into p until it is full or r fails; unlike io.ReadFull it reports a short body's
// io.EOF as such, so only a clean end (io.EOF) ends a blob and any other failure fails the write.
func fill(r io.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := r.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// nextChunk is the size of the next chunk for a blob that holds size bytes so far.
func nextChunk(size, sizeHint int64) int64 {
	if sizeHint > size {
		return min(sizeHint-size, maxChunk)
	}
	return min(max(size, minChunk), maxChunk)
}

func (m *memBlobs) open(id string) (io.ReaderAt, io.Closer, error) {
	m.mu.Lock()
	b, ok := m.data[id]
	m.mu.Unlock()
	if !ok {
		return nil, nil, ErrNoSuchKey
	}
	return b, io.NopCloser(nil), nil
}

func (m *memBlobs) remove(id string) {
	m.mu.Lock()
	if b, ok := m.data[id]; ok {
		m.used -= b.size
		delete(m.data, id)
	}
	m.mu.Unlock()
}

func (b *memBlob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= b.size {
		return 0, io.EOF
	}
	n := 0
	i := sort.Search(len(b.starts), func(i int) bool { return b.starts[i] > off }) - 1
	for ; i >= 0 && i < len(b.chunks) && n < len(p); i++ {
		n += copy(p[n:], b.chunks[i][off+int64(n)-b.starts[i]:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

type nopJournal struct{}

func (nopJournal) putBucket(BucketInfo) error             { return nil }
func (nopJournal) putAccount(AccountInfo) error           { return nil }
func (nopJournal) deleteBucket(string) error              { return nil }
func (nopJournal) putKey(string, string, []*object) error { return nil }
func (nopJournal) deleteKey(string, string) error         { return nil }
func (nopJournal) putUpload(string, *upload) error        { return nil }
func (nopJournal) deleteUpload(string, string) error      { return nil }

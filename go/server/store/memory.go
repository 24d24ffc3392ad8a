package store

import (
	"bytes"
	"io"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// NewMemory returns a Store that keeps everything in memory; now may be nil (time.Now).
func NewMemory(now func() time.Time) Store {
	return newCore(&memBlobs{data: map[string][]byte{}}, nopJournal{}, now)
}

type memBlobs struct {
	mu   sync.RWMutex
	next atomic.Uint64
	data map[string][]byte
}

func (m *memBlobs) write(r io.Reader, sizeHint int64) (string, int64, error) {
	var buf bytes.Buffer
	if sizeHint > 0 {
		// Trust a declared length only so far: a client may declare 5 GiB and send nothing.
		buf.Grow(int(min(sizeHint, 64<<20)) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(r); err != nil {
		return "", 0, err
	}
	id := strconv.FormatUint(m.next.Add(1), 10)
	m.mu.Lock()
	m.data[id] = buf.Bytes()
	m.mu.Unlock()
	return id, int64(buf.Len()), nil
}

func (m *memBlobs) open(id string) (io.ReaderAt, io.Closer, error) {
	m.mu.RLock()
	b, ok := m.data[id]
	m.mu.RUnlock()
	if !ok {
		return nil, nil, ErrNoSuchKey
	}
	return bytes.NewReader(b), io.NopCloser(nil), nil
}

func (m *memBlobs) remove(id string) {
	m.mu.Lock()
	delete(m.data, id)
	m.mu.Unlock()
}

type nopJournal struct{}

func (nopJournal) putBucket(BucketInfo) error        { return nil }
func (nopJournal) deleteBucket(string) error         { return nil }
func (nopJournal) putObject(string, *object) error   { return nil }
func (nopJournal) deleteObject(string, string) error { return nil }
func (nopJournal) putUpload(string, *upload) error   { return nil }
func (nopJournal) deleteUpload(string, string) error { return nil }

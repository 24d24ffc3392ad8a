package transfer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// MinPartSize is the smallest part OSS accepts other than the last; MaxParts the most parts.
const (
	MinPartSize = 100 << 10
	MaxParts    = 10000
)

// ErrWriterClosed is returned by a Writer used after Close or Abort.
var ErrWriterClosed = errors.New("the upload is already completed or aborted")

// Writer streams an object of unknown size to OSS as a multipart upload (a file object open for
// writing). Write takes bytes in any amounts and copies them into parts of cfg.PartSize (its
// buffers, reused); WritePart takes whole parts (copied too). Parts are uploaded in the
// background with at most cfg.Concurrency in flight, so memory stays within Concurrency+1 parts;
// a writer with more parts waits for a slot. Nothing is visible under the key until Close
// completes the upload; any failure, a cancelled call or Abort aborts it, so no parts are left
// behind. An object that never reaches a whole part is sent by Close as one PutObject.
//
// Calls must not overlap, except Abort, which may come from anywhere at any time. A writer is
// fed by Write or by WritePart, not both.
type Writer struct {
	d      oss.Doer
	req    oss.Request // bucket, key and the headers a PutObject would carry
	cfg    Config
	forbid bool
	verify bool // Close compares the CRC64 of what was sent with the server's
	m      Meter

	ctx    context.Context // the background part uploads; cancelled by failure or abort
	cancel context.CancelFunc
	slots  Slots       // parts in flight
	free   chan []byte // the buffers of parts uploaded, for the next parts to reuse
	wg     sync.WaitGroup
	// Write's part being filled and its size (the caller's goroutine only)
	open     []byte
	openSize int

	mu       sync.Mutex
	uploadID string
	started  time.Time // the server's Date of the initiation's answer, to recognise our object
	parts    []uploadedPart
	err      error // the first failure: only Abort remains possible
	finished bool  // completed or aborted
	aborting bool  // finished by Abort (not Close)

	abortOnce sync.Once
	abortErr  error // the abort request's failure, told to every Abort
}

// NewWriter prepares an upload of req.Bucket/req.Key; req.Header goes to the initiation (or the
// PutObject): Content-Type, x-oss-meta-*, ... With forbidOverwrite the object is only created
// if none exists under the key (x-oss-forbid-overwrite on the completion, which OSS checks
// atomically: a FileAlreadyExists failure aborts the upload).
func NewWriter(d oss.Doer, req *oss.Request, cfg Config, forbidOverwrite bool, m Meter) *Writer {
	cfg = cfg.withDefaults()
	cfg.PartSize = max(cfg.PartSize, MinPartSize)
	// Concurrency parts in flight and Write's open one
	w := &Writer{d: d, req: *req, cfg: cfg, forbid: forbidOverwrite, m: m, slots: NewSlots(cfg.Concurrency),
		free: make(chan []byte, cfg.Concurrency+1)}
	w.req.Header = req.Header.Clone()
	if w.req.Header == nil {
		w.req.Header = http.Header{}
	}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	return w
}

// VerifyCRC makes Close compare the CRC64 of every byte sent with the completed object's
// x-oss-hash-crc64ecma (an *oss.InconsistentError worded as oss2's on a mismatch). Call it
// before the first write.
func (w *Writer) VerifyCRC(on bool) *Writer {
	w.verify = on
	return w
}

// fail records the first failure and stops the part uploads.
func (w *Writer) fail(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
	w.cancel()
}

func (w *Writer) failure() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.finished {
		return ErrWriterClosed
	}
	return w.err
}

// UploadID is the multipart upload's id, "" before the first part.
func (w *Writer) UploadID() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.uploadID
}

// WritePart queues p (copied: the caller may reuse it at once) as the next part, initiating the
// upload on the first part. It waits while Concurrency parts are in flight, and returns the
// first failure of an earlier part. p must hold at least MinPartSize bytes: the last part, which
// may be smaller, goes to Close. If ctx ends while WritePart waits, the writer fails (whether
// the part was queued is unknown): only Abort remains.
func (w *Writer) WritePart(ctx context.Context, p []byte) error {
	if err := w.failure(); err != nil {
		return err
	}
	if len(p) < MinPartSize {
		return &oss.ClientError{Message: fmt.Sprintf("a part other than the last needs at least %d bytes, got %d", MinPartSize, len(p))}
	}
	stop := context.AfterFunc(ctx, func() { w.fail(ctx.Err()) })
	defer stop()
	return w.queue(p, false)
}

// Write appends p to the object (copied: the caller may reuse p at once). The bytes fill parts
// of cfg.PartSize, growing after 5,000 parts as streamPartSize says (so the 10,000 parts OSS
// allows hold 523 GiB at 8 MiB), and a part is queued as soon as it is full. Like WritePart it
// waits while Concurrency parts are in flight, returns the first failure of an earlier part,
// and fails the writer if ctx ends while it waits.
func (w *Writer) Write(ctx context.Context, p []byte) error {
	if err := w.failure(); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { w.fail(ctx.Err()) })
	defer stop()
	return w.write(p)
}

// firstBuffer is the least the first part's buffer starts with when the bytes at hand do not
// fill it: it grows as more come, so a small object costs no whole part of memory. Later parts
// (the object is large) get whole buffers at once.
const firstBuffer = 1 << 20

func (w *Writer) write(p []byte) error {
	for len(p) > 0 {
		if w.open == nil {
			w.mu.Lock()
			queued := len(w.parts)
			w.mu.Unlock()
			w.openSize = int(streamPartSize(w.cfg.PartSize, queued))
			n := w.openSize
			if queued == 0 {
				n = min(n, max(len(p), firstBuffer))
			}
			w.open = w.buffer(n)[:0]
		}
		n := min(w.openSize-len(w.open), len(p))
		if len(w.open)+n > cap(w.open) {
			grown := make([]byte, len(w.open), min(w.openSize, max(2*cap(w.open), len(w.open)+n)))
			copy(grown, w.open)
			w.open = grown
		}
		w.open = append(w.open, p[:n]...)
		p = p[n:]
		if len(w.open) == w.openSize {
			full := w.open
			w.open = nil
			if err := w.queue(full, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// initiateTimeout bounds an initiation that a cancel or Abort no longer waits for.
const initiateTimeout = time.Minute

// start initiates the upload. The initiation runs to its end whatever happens to the writer
// meanwhile: a cancel landing after the server created the upload but before its answer arrived
// would otherwise lose the id and leave the upload behind. It is counted in wg so that Abort
// waits for it; if the writer was stopped meanwhile, the new upload is aborted here.
func (w *Writer) start() (string, error) {
	w.mu.Lock()
	if w.finished || w.err != nil {
		w.mu.Unlock()
		return "", w.failure()
	}
	w.wg.Add(1) // under mu, before Abort (which sets finished under mu) can reach wg.Wait
	w.mu.Unlock()
	type answer struct {
		id   string
		date time.Time
		err  error
	}
	done := make(chan answer, 1)
	go func() {
		defer w.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(w.ctx), initiateTimeout)
		defer cancel()
		id, date, err := initiate(ctx, w.d, &w.req)
		if err == nil {
			w.mu.Lock()
			stopped := w.finished || w.err != nil
			if !stopped {
				w.uploadID, w.started = id, date
			}
			w.mu.Unlock()
			if stopped {
				abort(ctx, w.d, &w.req, id)
			}
		}
		done <- answer{id, date, err}
	}()
	select {
	case a := <-done:
		if a.err != nil {
			w.fail(a.err)
		}
		if err := w.failure(); err != nil {
			return "", err
		}
		return a.id, nil
	case <-w.ctx.Done(): // stopped: the initiation finishes (and cleans up) in the background
		return "", w.failure()
	}
}

// queue uploads p as the next part: p itself if owned (a buffer of the writer's, given up to the
// upload), else a copy of it made once a slot is free (so that a buffer of a part uploaded is).
func (w *Writer) queue(p []byte, owned bool) error {
	w.mu.Lock()
	id := w.uploadID
	w.mu.Unlock()
	if id == "" {
		var err error
		if id, err = w.start(); err != nil {
			return err
		}
	}
	slot, err := w.slots.Acquire(w.ctx)
	if err != nil {
		return w.failure()
	}
	w.mu.Lock()
	if w.err != nil {
		w.mu.Unlock()
		w.slots.Release(slot)
		return w.err
	}
	if len(w.parts) >= MaxParts {
		w.mu.Unlock()
		w.slots.Release(slot)
		err := &oss.ClientError{Message: fmt.Sprintf("an upload has at most %d parts: write larger parts", MaxParts)}
		w.fail(err)
		return err
	}
	w.parts = append(w.parts, uploadedPart{})
	number := len(w.parts)
	w.wg.Add(1) // under mu, with w.err still nil: Abort's wg.Wait comes later and sees it
	w.mu.Unlock()
	buf := p
	if !owned {
		buf = w.buffer(len(p))
		copy(buf, p)
	}
	go func() {
		defer w.wg.Done()
		defer w.slots.Release(slot)
		defer w.recycle(buf) // putPart has returned: the transport let go of the body
		up, err := putPart(w.ctx, w.d, &w.req, id, number, bytes.NewReader(buf), 0, int64(len(buf)), w.cfg.Retry, w.m.Add)
		if err != nil {
			w.fail(fmt.Errorf("part %d: %w", number, err))
			return
		}
		w.mu.Lock()
		w.parts[number-1] = up
		w.mu.Unlock()
	}()
	return nil
}

// buffer returns n bytes for a part: the buffer of a part uploaded before if one is free and
// large enough, so a long stream of parts reuses Concurrency+1 buffers instead of leaving a
// trail of garbage that lets the heap grow to twice the parts in flight before the collector
// runs. A new one is faulted in at once (populate; it is about to be filled): one page fault
// per 4 KiB otherwise.
func (w *Writer) buffer(n int) []byte {
	select {
	case b := <-w.free:
		if cap(b) >= n {
			return b[:n]
		}
	default:
	}
	b := make([]byte, n)
	populate(b)
	return b
}

func (w *Writer) recycle(b []byte) {
	select {
	case w.free <- b:
	default:
	}
}

// Close sends last (the final bytes, any size, possibly none; after Write's bytes, if any) and
// completes the upload: one PutObject if no part was queued, else the last part and
// CompleteMultipartUpload. On any failure the upload is aborted. The result carries the
// completion's answer and the CRC64 of every byte sent.
func (w *Writer) Close(ctx context.Context, last []byte) (*PutResult, error) {
	if err := w.failure(); err != nil {
		if !errors.Is(err, ErrWriterClosed) {
			w.Abort()
		}
		return nil, err
	}
	stop := context.AfterFunc(ctx, func() { w.fail(ctx.Err()) })
	defer stop()
	res, err := w.complete(last)
	if err != nil {
		w.fail(err)
		w.Abort()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	w.mu.Lock()
	w.finished = true
	w.mu.Unlock()
	w.cancel()
	if w.verify {
		if err := oss.CheckCRC(oss.OpPutObject, res.CRC, res.Header); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (w *Writer) complete(last []byte) (*PutResult, error) {
	owned := false
	if w.open != nil { // Write's part under way: last is more of it
		if err := w.write(last); err != nil {
			return nil, err
		}
		last, w.open, owned = w.open, nil, true
	}
	if w.UploadID() == "" {
		req := w.req
		req.Method = http.MethodPut
		req.Header = w.req.Header.Clone()
		if w.forbid {
			req.Header.Set("x-oss-forbid-overwrite", "true")
		}
		// A copy (at most one part) unless the writer's own: last is the caller's buffer
		// (Python's, freed when Close returns), and net/http may go on reading a request body
		// after RoundTrip returned, e.g. when the server answered an error before taking the
		// whole body. The writer's own is never reused after this.
		body := last
		if !owned {
			body = bytes.Clone(last)
		}
		return Put(w.ctx, w.d, &req, bytes.NewReader(body), int64(len(body)), -1, w.cfg, w.m)
	}
	if len(last) > 0 {
		if err := w.queue(last, owned); err != nil {
			return nil, err
		}
	}
	w.wg.Wait()
	if err := w.failure(); err != nil {
		return nil, err
	}
	w.mu.Lock()
	parts := make([]oss.CompletePart, len(w.parts))
	var sum uint64
	for i, p := range w.parts {
		parts[i] = oss.CompletePart{PartNumber: i + 1, ETag: p.etag}
		sum = crc.Combine(sum, p.crc, p.size)
	}
	id, started := w.uploadID, w.started
	w.mu.Unlock()
	h := http.Header{}
	if w.forbid {
		h.Set("x-oss-forbid-overwrite", "true")
	}
	// Retried as UploadMultipart's is: an attempt that may have acted and a later one that
	// finds the upload gone means the object may be ours (see completedAnyway).
	res, mayHaveCompleted, err := complete(w.ctx, w.d, &w.req, id, parts, h)
	if err != nil && mayHaveCompleted && w.ctx.Err() == nil {
		if head, ok := completedAnyway(w.ctx, w.d, &w.req, sum, started); ok {
			abort(w.ctx, w.d, &w.req, id) // in case the object is another writer's identical one
			return &PutResult{Status: head.Status, Header: head.Header, CRC: sum, Multipart: true}, nil
		}
	}
	if err != nil {
		return nil, err
	}
	return &PutResult{Status: res.Status, Header: res.Header, Body: res.Body, CRC: sum, Multipart: true}, nil
}

// Abort stops the part uploads and aborts the upload (even if the writer's calls were
// cancelled: that is when a leftover is likely). It is a no-op after Close. It returns the
// failure of the abort request (the parts uploaded so far may then remain); an abort called
// again, or at the same time, does not send it again but waits for it and returns the same.
func (w *Writer) Abort() error {
	w.mu.Lock()
	if w.finished && !w.aborting {
		w.mu.Unlock()
		return nil
	}
	w.finished, w.aborting = true, true
	if w.err == nil {
		w.err = ErrWriterClosed
	}
	w.mu.Unlock()
	w.abortOnce.Do(func() {
		w.cancel()
		w.wg.Wait()
		if id := w.UploadID(); id != "" {
			w.abortErr = abort(context.Background(), w.d, &w.req, id)
		}
	})
	return w.abortErr
}

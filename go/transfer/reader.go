package transfer

import (
	"context"
	"io"
	"sync"

	"github.com/pyjindo/pyjindo/go/crc"
)

// Reader reads a Download sequentially while a bounded window of later parts is fetched in
// parallel, so streaming consumers (copyfileobj, iteration) are fast in memory of at most
// window+1 parts.
//
// At most Concurrency parts are fetched at once, and a fetch that ends starts the next part
// itself while fewer than window parts wait to be read out: parts fetched side by side end
// together (all of the first round, on the same first answer), and were each next one
// started only once the reader reached a part, the connections would idle in turn while it
// read out the round (24 connections of 50 MB/s: 4% of a checkpoint load).
type Reader struct {
	dl     *Download
	ctx    context.Context
	cancel context.CancelFunc
	window int // parts started and not yet read out, at most
	conc   int // parts being fetched, at most

	first io.ReadCloser // delivered bytes [0, firstLen), read directly
	cur   *prefetch     // the part being read
	pos   int64         // delivered bytes handed out so far
	// crc is the CRC64 of the bytes handed out before cur; curCRC that of cur.buf[:curCRCAt].
	// A part read out whole adds the CRC its fetch computed, so a reader nobody asks for
	// its CRC (SeekReader) reads each byte once more, not twice (see CRC).
	crc      uint64
	curCRC   uint64
	curCRCAt int
	err      error

	mu       sync.Mutex // guards the rest: the fetches start parts too
	pending  []part     // parts not yet started
	queue    []*prefetch
	fetching int
	// spare holds the buffers of parts read out, for the next parts started: a long scan then
	// holds window+1 part buffers, not a trail of garbage for the collector.
	spare   [][]byte
	fetches sync.WaitGroup
}

type prefetch struct {
	p    part
	buf  []byte
	done chan struct{}
	err  error
	crc  uint64 // of buf, once done without err
	read int
}

// NewReader starts reading dl; window is the number of parts fetched ahead, at most
// concurrency of them at once (default: one and a half times the concurrency, so a fetch
// that ends goes on with the next part while the reader reads out the ones before).
func (dl *Download) NewReader(ctx context.Context, window int) *Reader {
	conc := dl.cfg.Concurrency
	if window <= 0 {
		window = conc + conc/2
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &Reader{dl: dl, ctx: ctx, cancel: cancel, window: window, conc: min(conc, window), first: dl.first}
	dl.first = nil
	if dl.ranged {
		r.pending = dl.parts(dl.firstLen)
	}
	r.mu.Lock()
	r.fill()
	r.mu.Unlock()
	return r
}

// fill starts parts while the limits allow; r.mu is held. Nothing starts once the reader is
// closed (its context cancelled), so Close can wait for the fetches.
func (r *Reader) fill() {
	for r.fetching < r.conc && len(r.queue) < r.window && len(r.pending) > 0 && r.ctx.Err() == nil {
		p := r.pending[0]
		r.pending = r.pending[1:]
		r.queue = append(r.queue, r.start(p, nil))
	}
}

// start fetches part p in the background; broke is a failed first attempt already made (see
// fetch). r.mu is held; the caller queues the part.
func (r *Reader) start(p part, broke error) *prefetch {
	var buf []byte
	if n := len(r.spare); n > 0 {
		buf, r.spare = r.spare[n-1], r.spare[:n-1]
	}
	if int64(cap(buf)) < p.n {
		buf = make([]byte, p.n)
	}
	f := &prefetch{p: p, buf: buf[:p.n], done: make(chan struct{})}
	r.fetching++
	r.fetches.Add(1)
	go func() {
		defer r.fetches.Done()
		f.crc, f.err = r.dl.fetch(r.ctx, p, Sink{Buffer: f.buf, Base: p.off}, nil, broke)
		r.mu.Lock()
		r.fetching--
		r.fill()
		r.mu.Unlock()
		// Only now may the reader take the part: were it read out while still counted as
		// fetching, a reader with nothing queued could find fill starting nothing.
		close(f.done)
	}()
	return f
}

// Read fills p from the delivered bytes in order; io.EOF at the end.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n := 0
	for n < len(p) {
		m, err := r.readOnce(p[n:])
		n += m
		if err != nil {
			if err != io.EOF {
				r.err = err
			}
			if n > 0 && err == io.EOF {
				return n, nil
			}
			return n, err
		}
	}
	return n, nil
}

func (r *Reader) readOnce(p []byte) (int, error) {
	if r.first != nil {
		want := min(int64(len(p)), r.dl.firstLen-r.pos)
		if r.dl.firstLen < 0 { // length unknown: read to EOF
			want = int64(len(p))
		}
		if want > 0 {
			m, err := r.first.Read(p[:want])
			r.crc = crc.Update(r.crc, p[:m])
			r.pos += int64(m)
			if err == io.EOF && (r.dl.firstLen < 0 || r.pos == r.dl.firstLen) {
				err = nil
				r.dl.firstLen, r.dl.Length = r.pos, max(r.dl.Length, r.pos)
			} else if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			if err != nil && r.dl.ranged && !destinationFailed(err) && r.ctx.Err() == nil {
				// The first response broke off: fetch the rest of its part like any other, the
				// break counted as the part's first attempt.
				r.first.Close()
				r.first = nil
				rest := part{r.pos, r.dl.firstLen - r.pos}
				r.mu.Lock()
				stopped := r.ctx.Err() // cancelled meanwhile: nothing may start
				if stopped == nil {
					r.queue = append([]*prefetch{r.start(rest, r.dl.firstBroke(r.pos, err))}, r.queue...)
				}
				r.mu.Unlock()
				return m, stopped
			}
			if err != nil || m > 0 {
				return m, err
			}
		}
		r.first.Close()
		r.first = nil
	}
	cur, err := r.current()
	if err != nil {
		return 0, err
	}
	// A large read is usually into fresh memory (torch.load's tensors): each piece is faulted
	// in with one call before its copy rather than a trap per page during it.
	populate(p[:min(len(p), len(cur.buf)-cur.read)])
	m := copy(p, cur.buf[cur.read:])
	r.consumed(p[:m])
	return m, nil
}

// current is the prefetched part being read out, waiting for it (and starting the next one in
// the window) when the last one was read out; io.EOF after the last part.
func (r *Reader) current() (*prefetch, error) {
	if r.cur == nil {
		r.mu.Lock()
		r.fill()
		if len(r.queue) == 0 {
			ended := len(r.pending) == 0
			r.mu.Unlock()
			if !ended {
				return nil, r.ctx.Err() // cancelled: fill starts nothing more
			}
			return nil, io.EOF
		}
		r.cur = r.queue[0]
		r.queue = r.queue[1:]
		r.fill()
		r.mu.Unlock()
		select {
		case <-r.cur.done:
		case <-r.ctx.Done():
			return nil, r.ctx.Err()
		}
		if r.cur.err != nil {
			return nil, r.cur.err
		}
	}
	return r.cur, nil
}

// consumed records b, the next bytes of the current part, as handed out.
func (r *Reader) consumed(b []byte) {
	r.cur.read += len(b)
	r.pos += int64(len(b))
	if r.cur.read == len(r.cur.buf) {
		r.crc = crc.Combine(r.crc, r.cur.crc, int64(len(r.cur.buf)))
		r.curCRC, r.curCRCAt = 0, 0
		r.mu.Lock()
		r.spare = append(r.spare, r.cur.buf)
		r.fill()
		r.mu.Unlock()
		r.cur = nil
	}
}

// WriteTo writes the rest of the delivered bytes to w in order (io.Copy uses it): each
// prefetched part goes out in one Write straight from its buffer, so a stream to a pipe costs
// no copy and few system calls. A failed Write ends the reader with a destination error (see
// destinationFailed); the bytes before it were written.
func (r *Reader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	var scratch []byte // for the first response, which is read, not prefetched
	for r.err == nil {
		var b []byte
		var part *prefetch // b is the rest of this part, consumed once written
		if r.first != nil {
			if scratch == nil {
				scratch = make([]byte, 256<<10)
			}
			m, err := r.readOnce(scratch) // counted as read: CRC and position
			if err == io.EOF && m == 0 {
				return total, nil
			}
			if err != nil && err != io.EOF {
				r.err = err
			}
			b = scratch[:m]
		} else {
			cur, err := r.current()
			if err == io.EOF {
				return total, nil
			}
			if err != nil {
				r.err = err
				break
			}
			b, part = cur.buf[cur.read:], cur
		}
		if len(b) == 0 {
			continue
		}
		n, err := w.Write(b)
		if n < len(b) && err == nil {
			err = io.ErrShortWrite
		}
		if part != nil {
			r.consumed(b[:n])
		}
		total += int64(n)
		if err != nil {
			r.err = &writeError{err}
		}
	}
	return total, r.err
}

// CRC is the CRC64 of the bytes read so far. Within a part it is computed here, from where the
// last call left off, so asking after every read costs one pass over the bytes, as before.
func (r *Reader) CRC() uint64 {
	if r.cur == nil || r.cur.read == 0 {
		return r.crc
	}
	r.curCRC = crc.Update(r.curCRC, r.cur.buf[r.curCRCAt:r.cur.read])
	r.curCRCAt = r.cur.read
	return crc.Combine(r.crc, r.curCRC, int64(r.cur.read))
}

// Pos is the number of bytes read so far.
func (r *Reader) Pos() int64 { return r.pos }

// Close stops the prefetches and releases the connection.
func (r *Reader) Close() {
	r.cancel()
	if r.first != nil {
		r.first.Close()
	}
	r.fetches.Wait()
}

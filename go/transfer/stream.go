package transfer

import (
	"context"
	"io"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// Streams: an object from a reader of unknown length (a pipe), and an object to a writer in
// order. Both keep memory bounded by the part size times the parts in flight, whatever the size.

// maxPartSize is the largest part OSS accepts.
const maxPartSize = 5 << 30

// streamPartSize is the size of part i (from 0) of a stream of unknown length: the configured
// size for the first 5,000 parts (40 GiB at 8 MiB), so memory stays where the caller put it for
// any common stream, then doubling every 1,000 parts, so that the 10,000 parts OSS allows hold
// 67,000 times the configured size (523 GiB at 8 MiB) instead of 10,000 times.
func streamPartSize(base int64, i int) int64 {
	size := base
	for n := i - 4000; n >= 1000 && size < maxPartSize; n -= 1000 {
		size *= 2
	}
	return min(size, maxPartSize)
}

// chunk is a piece of the stream read by UploadStream's reader goroutine.
type chunk struct {
	b   []byte
	end bool  // the stream ended after b
	err error // reading failed (b holds what came before)
}

// UploadStream reads src to its end and stores what it read as req.Bucket/req.Key (req.Header
// as for NewWriter). A stream that ends within its first part goes up as one PutObject; a longer
// one as a multipart upload through a Writer, parts of cfg.PartSize (growing past 5,000 parts,
// see streamPartSize) sent cfg.Concurrency at a time while the next ones are read. Memory is
// Concurrency+2 parts at most: the parts in flight, the one read ahead (held back so that a
// stream of exactly one part is one PutObject) and the one being read.
//
// Nothing is visible under the key until the upload completes; a failure to read src, a failed
// request or a cancelled ctx aborts it (no parts are left behind). src is read on a goroutine of
// its own, so a cancellation returns at once even while a Read blocks (a terminal, an idle pipe);
// that goroutine ends when the Read returns. With forbidOverwrite the object is only created if
// the key is free (x-oss-forbid-overwrite, checked atomically by OSS: FileAlreadyExists).
//
// The result's CRC is that of the bytes read from src, computed as they were read: the caller
// compares it with the answer's x-oss-hash-crc64ecma to check the whole way, copies included.
func UploadStream(ctx context.Context, d oss.Doer, req *oss.Request, src io.Reader, cfg Config, forbidOverwrite bool, m Meter) (*PutResult, error) {
	cfg = cfg.withDefaults()
	if cfg.PartSize < MinPartSize {
		cfg.PartSize = MinPartSize
	}
	stop := make(chan struct{})
	defer close(stop)
	chunks := make(chan chunk)
	free := make(chan []byte, 2) // the two read buffers, back from the writer
	free <- nil
	free <- nil
	go func() {
		for i := 0; ; i++ {
			var buf []byte
			select {
			case buf = <-free:
			case <-stop:
				return
			}
			size := streamPartSize(cfg.PartSize, i)
			if int64(cap(buf)) < size {
				buf = make([]byte, size)
			}
			n, err := io.ReadFull(src, buf[:size])
			c := chunk{b: buf[:n]}
			switch err {
			case nil:
			case io.EOF, io.ErrUnexpectedEOF:
				c.end = true
			default:
				c.err = &oss.ClientError{Message: "reading the data to upload: " + err.Error()}
			}
			select {
			case chunks <- c:
			case <-stop:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	next := func() (chunk, error) {
		select {
		case c := <-chunks:
			return c, c.err
		case <-ctx.Done():
			return chunk{}, ctx.Err()
		}
	}
	w := NewWriter(d, req, cfg, forbidOverwrite, m)
	var sum uint64
	held, err := next()
	for err == nil && !held.end {
		var c chunk
		if c, err = next(); err != nil {
			break
		}
		if c.end && len(c.b) == 0 {
			held.end = true // held is the last part: Close sends it (one PutObject if the only one)
			break
		}
		// held is a whole part with more after it.
		sum = crc.Update(sum, held.b)
		if err = w.WritePart(ctx, held.b); err != nil {
			break
		}
		free <- held.b
		held = c
	}
	if err != nil {
		w.Abort()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	sum = crc.Update(sum, held.b)
	res, err := w.Close(ctx, held.b)
	if err != nil {
		return nil, err
	}
	res.CRC = sum
	return res, nil
}

// progressWriter tells a Meter of what goes through it.
type progressWriter struct {
	w io.Writer
	m Meter
}

func (p progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.m.add(int64(n))
	return n, err
}

// StreamTo writes the bytes dl delivers to w in order: later parts are fetched in parallel,
// at most window of them ahead (0: the Reader's default, see NewReader), each pinned to the ETag of the
// first answer, and written whole from their buffers; memory is window+1 parts. It returns the
// count and CRC64 of the bytes written. A failure of w is a destination error, not retried;
// what was written before any failure stays written: a stream cannot take bytes back.
func StreamTo(ctx context.Context, dl *Download, w io.Writer, window int, m Meter) (int64, uint64, error) {
	if dl.Length >= 0 {
		m.setTotal(dl.Length)
	}
	r := dl.NewReader(ctx, window)
	defer r.Close()
	n, err := r.WriteTo(progressWriter{w, m})
	if err != nil && ctx.Err() != nil && !destinationFailed(err) {
		err = ctx.Err()
	}
	return n, r.CRC(), err
}

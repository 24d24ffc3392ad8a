package transfer

import (
	"context"
	"fmt"
	"io"

	"github.com/pyjindo/pyjindo/go/oss"
)

// Body is an opened Download read by a caller that asks for it in pieces (ReadInOrder, through
// the prefetching Reader) or whole (ReadAll, parts fetched in parallel into the caller's
// buffer), as a file-like GetObject result is. It keeps the position, the CRC64 of everything
// read so far (so a partial read has its running CRC, as oss2's) and whether the end was
// reached; a body that ends before the Download's length is a RequestError, not a short read.
// Its buffers are the caller's memory (Python's), often fresh: a large one asks for huge pages
// (preferHuge), which only memory outside Go's heap may, as the runtime manages its own.
// Calls must not overlap.
type Body struct {
	dl     *Download
	ctx    context.Context // the prefetch's: it outlives each call
	reader *Reader
	pos    int64
	crc    uint64
	eof    bool
}

// NewBody reads dl under ctx, which must live as long as the Body.
func NewBody(ctx context.Context, dl *Download) *Body { return &Body{dl: dl, ctx: ctx} }

// EOF tells whether the end of the body was reached.
func (b *Body) EOF() bool { return b.eof }

// CRC is the CRC64 of every byte read so far.
func (b *Body) CRC() uint64 { return b.crc }

// Start is the offset in the object of the body's first byte.
func (b *Body) Start() int64 { return b.dl.Start }

// Pos is the count of bytes read so far.
func (b *Body) Pos() int64 { return b.pos }

// Length is the Download's length (-1 when unknown).
func (b *Body) Length() int64 { return b.dl.Length }

// ReadInOrder fills buf from where the last read ended, less only at the end; progress gets
// the bytes read. After the end it reads 0 bytes.
func (b *Body) ReadInOrder(buf []byte, progress func(int64)) (int, error) {
	if b.eof {
		return 0, nil
	}
	if b.reader == nil {
		b.reader = b.dl.NewReader(b.ctx, 0)
	}
	preferHuge(buf)
	n, err := io.ReadFull(b.reader, buf)
	b.pos += int64(n)
	if progress != nil {
		progress(int64(n))
	}
	ended := err == io.EOF || err == io.ErrUnexpectedEOF
	switch {
	case err == nil:
		b.eof = b.pos == b.dl.Length
	case ended && (b.dl.Length < 0 || b.pos == b.dl.Length):
		b.eof = true // the end, short buffer or not
	case ended:
		return n, &oss.RequestError{Err: fmt.Errorf("the body ended after %d of %d bytes", b.pos, b.dl.Length)}
	default:
		return n, err
	}
	b.crc = b.reader.CRC()
	return n, nil
}

// ReadAll fills buf, which must be the size of what is left, with parts fetched in parallel and
// read straight into their place (read() with no size). A body already read in pieces goes on
// the same way, in order.
func (b *Body) ReadAll(buf []byte, progress func(int64), setTotal func(int64)) (int, error) {
	if b.reader != nil || b.eof {
		return b.ReadInOrder(buf, progress)
	}
	if int64(len(buf)) != b.dl.Length {
		return 0, &oss.ClientError{Message: fmt.Sprintf("read-all buffer of %d bytes for %d left", len(buf), b.dl.Length)}
	}
	if setTotal != nil {
		setTotal(b.dl.Length)
	}
	preferHuge(buf)
	sum, err := b.dl.Fill(b.ctx, Sink{Buffer: buf, Progress: progress}, 256<<10)
	if err != nil {
		return 0, err
	}
	b.pos, b.crc, b.eof = b.dl.Length, sum, true
	return len(buf), nil
}

// Close stops the prefetch and releases the Download.
func (b *Body) Close() {
	if b.reader != nil {
		b.reader.Close()
	}
	b.dl.Close()
}

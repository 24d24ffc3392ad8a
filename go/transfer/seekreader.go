package transfer

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/pyjindo/pyjindo/go/oss"
)

// SeekReader reads one object at any offset, for file objects opened for reading (parquet
// footers, torch.load). It reads a segment of the object at a time through a prefetching Reader:
// from the start without a seek the segment is the whole object (a sequential scan at full
// parallel speed); after a seek it is small (random reads fetch little they do not use) and
// doubles each time reading runs on into the next segment, so a scan after a seek soon gets the
// whole window again. Every request is pinned to the ETag seen when it was opened: an object
// replaced meanwhile fails with 412 PreconditionFailed (or ErrChanged) instead of mixing versions.
// A reader opened on a version id names it in every request's query (HEAD and GETs alike).
//
// Calls must not overlap.
type SeekReader struct {
	d      oss.Doer
	bucket string
	key    string
	query  [][2]string // versionId=, or nothing for the latest version
	header http.Header
	cfg    Config

	// Size, ETag and Header are the object's, from the HEAD that opened the reader.
	Size   int64
	ETag   string
	Header http.Header

	pos    int64 // where the next Read starts
	seeked bool  // a Seek happened: segments start small
	span   int64 // the next segment's length after a seek
	ended  int64 // where the last segment ended: reading on from there is sequential

	seg      *Reader // nil: no segment open
	segStart int64
	segEnd   int64
	segStop  context.CancelFunc
	closed   bool // after Close no segment is opened: nothing would stop its prefetches
}

func errReaderClosed() error { return &oss.ClientError{Message: "read from a closed reader"} }

// Segment lengths after a seek: the first, and the largest before the rest of the object is taken.
const (
	firstSpan = 1 << 20
	maxSpan   = 64 << 20
)

// OpenSeekReader sends a HEAD for the size and ETag of the object's version versionID ("" for
// the latest); header goes with every request.
func OpenSeekReader(ctx context.Context, d oss.Doer, bucket, key, versionID string, header http.Header, cfg Config) (*SeekReader, error) {
	cfg = cfg.withDefaults()
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	res, err := oss.HeadObjectVersion(ctx, d, bucket, key, versionID)
	if err != nil {
		return nil, err
	}
	var query [][2]string
	if versionID != "" {
		query = [][2]string{{"versionId", versionID}}
	}
	var size int64
	if _, err := fmt.Sscan(res.Header.Get("Content-Length"), &size); err != nil {
		return nil, &oss.RequestError{Err: fmt.Errorf("HEAD %s: no Content-Length", key)}
	}
	return &SeekReader{d: d, bucket: bucket, key: key, query: query, header: h, cfg: cfg, Size: size, ETag: res.Header.Get("ETag"),
		Header: res.Header, span: firstSpan, ended: -1}, nil
}

// Pos is the offset of the next Read.
func (r *SeekReader) Pos() int64 { return r.pos }

// SeekTo moves to offset pos (>= 0; past the end reads nothing). The segment under way is kept
// if pos is in its part not yet read and near: skipping a little is cheaper than a new request.
func (r *SeekReader) SeekTo(pos int64) error {
	if pos < 0 {
		return &oss.ClientError{Message: fmt.Sprintf("negative seek position %d", pos)}
	}
	if pos != r.pos {
		r.seeked = true
	}
	r.pos = pos
	return nil
}

// nearSkip is how far ahead in the current segment a seek may land and still read on.
const nearSkip = 256 << 10

// Read fills p from the current offset (less only at the end of the object; io.EOF when no
// byte is left). If ctx ends, the segment under way is dropped and the next Read opens a new one.
func (r *SeekReader) Read(ctx context.Context, p []byte) (int, error) {
	if r.closed {
		return 0, errReaderClosed()
	}
	if r.pos >= r.Size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.pos < r.Size {
		if err := r.position(ctx, int64(len(p)-n)); err != nil {
			return n, err
		}
		stop := context.AfterFunc(ctx, r.segStop)
		m, err := io.ReadFull(r.seg, p[n:n+int(min(int64(len(p)-n), r.segEnd-r.pos))])
		stop()
		n += m
		r.pos += int64(m)
		if err != nil {
			r.drop()
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			return n, err
		}
		if r.pos == r.segEnd {
			r.drop()
			r.ended = r.pos
			r.span = min(r.span*2, maxSpan) // reading ran on: the next segment is larger
		}
	}
	return n, nil
}

// position makes the open segment deliver r.pos next, opening one if needed; want is how many
// bytes the caller asks for.
func (r *SeekReader) position(ctx context.Context, want int64) error {
	if r.closed {
		return errReaderClosed()
	}
	if r.seg != nil {
		at := r.segStart + r.seg.Pos()
		if r.pos >= at && r.pos < r.segEnd && r.pos-at <= nearSkip {
			if _, err := io.CopyN(io.Discard, r.seg, r.pos-at); err == nil {
				return nil
			}
		}
		r.drop()
	}
	if r.pos != r.ended {
		r.span = firstSpan // a jump: start small again
	}
	end := r.Size
	if r.seeked {
		end = min(r.Size, r.pos+max(r.span, want))
		if r.pos+max(r.span, want) >= r.Size || r.span >= maxSpan {
			end = r.Size
		}
	}
	h := r.header.Clone()
	h.Set("Range", fmt.Sprintf("bytes=%d-%d", r.pos, end-1))
	if r.ETag != "" {
		h.Set("If-Match", r.ETag)
	}
	segCtx, cancel := context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, cancel)
	dl, err := Open(segCtx, r.d, &oss.Request{Method: http.MethodGet, Bucket: r.bucket, Key: r.key, Query: r.query, Header: h}, r.cfg)
	stop()
	if err != nil {
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return err
	}
	if dl.Start != r.pos || dl.Length != end-r.pos {
		dl.Close()
		cancel()
		return &oss.RequestError{Err: fmt.Errorf("asked for bytes %d-%d of %s, got %d from %d", r.pos, end-1, r.key, dl.Length, dl.Start)}
	}
	r.seg, r.segStart, r.segEnd, r.segStop = dl.NewReader(segCtx, 0), r.pos, end, cancel
	return nil
}

func (r *SeekReader) drop() {
	if r.seg != nil {
		r.segStop()
		r.seg.Close()
		r.seg = nil
	}
}

// Close stops the prefetches; a Read after it fails (a ClientError) and sends nothing.
func (r *SeekReader) Close() {
	r.closed = true
	r.drop()
}

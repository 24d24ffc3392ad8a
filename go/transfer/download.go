// Package transfer moves large objects fast: a download is split into ranged GETs run on several
// connections at once, each part written straight into its place (the caller's buffer, or a file
// at its offset); an upload above a threshold becomes a parallel multipart upload. CRC64 is
// computed per part and combined, so checking costs no second pass.
package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// Config sizes transfers. Zero values take the defaults.
type Config struct {
	PartSize    int64 // bytes per ranged GET or uploaded part; default 8 MiB
	Concurrency int   // parts in flight; default 8
	// Retry is the policy each part is retried under; give the client's (the zero Policy: 3
	// attempts within 30 s). With one attempt there are no retries, and no CRC repair either.
	Retry retry.Policy
	// CheckCRC repairs a whole-object download whose parts do not add up to the object's CRC64
	// by fetching the wrong parts again (see verify.go); the caller still checks the result.
	CheckCRC bool
	// Decode, when set, decodes what DownloadFile writes (see Decoder).
	Decode Decoder
}

// Defaults, chosen by measurement (bench/): 8 connections fill a link of 8 x 50 MB/s, and 8 MiB
// parts amortise the request latency to under 2% at that rate.
const (
	DefaultPartSize    = 8 << 20
	DefaultConcurrency = 8
)

func (c Config) withDefaults() Config {
	if c.PartSize <= 0 {
		c.PartSize = DefaultPartSize
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	return c
}

// Download is an opened GET: the response as the caller should see it, and the means to fetch
// the delivered bytes in parallel parts.
type Download struct {
	d    oss.Doer
	req  oss.Request // the caller's request without its Range header
	cfg  Config
	etag string

	// Status and Header are what a single GET of the caller's request would have returned:
	// 200 and the whole Content-Length for a plain get, 206 and Content-Range for a valid range.
	Status int
	Header http.Header
	// Start and Length are the delivered bytes' offset in the object and their count.
	Start, Length int64

	first    io.ReadCloser // the first response's body: delivered bytes [0, firstLen)
	firstLen int64
	ranged   bool // the server honours ranges for this object: later parts can be fetched in parallel
}

// ErrChanged is returned when the object is replaced while it is being downloaded.
var ErrChanged = errors.New("the object changed during the download")

// Open sends the first GET. For a plain get or a simple byte range it asks only for the first
// part; the Content-Range of the answer gives the object size, so no HEAD is needed and a small
// object takes one request. Errors (NoSuchKey ...) come from Open itself.
//
// The answer must be what the caller's own GET would have had from OSS, whose default range
// behaviour ignores a range reaching past the object (200 and the whole object; with
// `x-oss-range-behavior: standard` it is cut to fit, and a start past the end is 416):
//   - no range: the first part as "bytes=0-P"; an object smaller than P comes whole with 200.
//   - "bytes=a-b": the first part as "bytes=a-min(b, a+P-1)"; if the answer shows that b is past
//     the object, the caller's range was invalid and a plain get is opened instead (unless standard).
//   - "bytes=a-": the first part with the standard behaviour, so an object ending within it is cut
//     to fit (as the caller's open range would be) instead of ignored. An endpoint that ignores
//     that header answers 200 then: the caller's range is sent unchanged instead.
//   - other ranges (suffix, several, malformed): sent unchanged and read as one stream.
//
// When the first part's request got 416 but differs from the caller's, the caller's request is
// sent unchanged: its answer (the whole object, or the same 416) is the right one.
func Open(ctx context.Context, d oss.Doer, req *oss.Request, cfg Config) (*Download, error) {
	cfg = cfg.withDefaults()
	dl := &Download{d: d, req: *req, cfg: cfg}
	dl.req.Header = req.Header.Clone()
	if dl.req.Header == nil {
		dl.req.Header = http.Header{}
	}
	userRange := dl.req.Header.Get("Range")
	dl.req.Header.Del("Range")
	standard := strings.EqualFold(dl.req.Header.Get(rangeBehavior), "standard")
	start, end, simple := parseSimpleRange(userRange)
	if simple && userRange != "" && end < 0 && !standard && req.URL != "" {
		// An open range is cut to fit only with the x-oss-range-behavior header, which a
		// presigned URL's signature covers (V1 signs every x-oss- header): send it unchanged.
		simple = false
	}
	first := dl.request()
	changed := false // first differs from the caller's request
	added := false   // first asks for the standard range behaviour, which the caller did not
	if simple {
		last := start + cfg.PartSize - 1
		if end >= 0 && end < last {
			last = end
		}
		sent := fmt.Sprintf("bytes=%d-%d", start, last)
		first.Header.Set("Range", sent)
		changed = sent != userRange
		if userRange != "" && end < 0 && !standard {
			first.Header.Set(rangeBehavior, "standard")
			changed, added = true, true
		}
	} else if userRange != "" {
		first.Header.Set("Range", userRange)
	}
	resp, err := d.Do(ctx, first)
	var se *oss.ServiceError
	if changed && errors.As(err, &se) && se.Status == http.StatusRequestedRangeNotSatisfiable {
		return dl.openUnchanged(ctx, userRange)
	}
	if err != nil {
		return nil, err
	}
	cs, ce, total, partial := parseContentRange(resp.Header.Get("Content-Range"))
	if added && resp.StatusCode != http.StatusPartialContent {
		// The endpoint ignored x-oss-range-behavior (an OSS-compatible store) and answered as
		// for a range past the object: ask for the caller's open range itself.
		resp.Body.Close()
		return dl.openUnchanged(ctx, userRange)
	}
	if resp.StatusCode == http.StatusPartialContent && partial && simple && userRange != "" && end >= total && !standard {
		// The caller's range reaches past the object: OSS ignores it, so the answer is the
		// whole object. Rare enough that dropping this part and starting again is fine.
		resp.Body.Close()
		plain := dl.req // without the Range; the caller did not ask for the standard behaviour
		return Open(ctx, d, &plain, cfg)
	}
	dl.first = resp.Body
	dl.Header = resp.Header // the answer is this Download's alone: no copy
	dl.Status = resp.StatusCode
	dl.etag = resp.Header.Get("ETag")
	if resp.StatusCode != http.StatusPartialContent || !partial || !simple {
		// A whole object (no range, or one the server ignored as invalid: an object smaller
		// than the first part) or a range we pass through unchanged: one stream, which a break
		// resumes like a part when it can.
		dl.Length = resp.ContentLength
		dl.firstLen = resp.ContentLength
		if resp.StatusCode == http.StatusPartialContent && partial {
			dl.Start = cs
		}
		dl.ranged = dl.resumable(resp)
		return dl, nil
	}
	dl.ranged = true
	dl.Start = cs
	dl.firstLen = ce - cs + 1
	last := total - 1
	if end >= 0 && end < last {
		last = end
	}
	dl.Length = last - cs + 1
	if userRange == "" {
		dl.Status = http.StatusOK
		dl.Header.Del("Content-Range")
	} else {
		dl.Header.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", cs, last, total))
	}
	dl.Header.Set("Content-Length", strconv.FormatInt(dl.Length, 10))
	return dl, nil
}

// rangeBehavior is the header that makes OSS cut a range reaching past the object to fit.
const rangeBehavior = "x-oss-range-behavior"

// openUnchanged sends the caller's request, with Range rng ("" for none), as it is and reads the
// answer as one stream.
func (dl *Download) openUnchanged(ctx context.Context, rng string) (*Download, error) {
	r := dl.request()
	if rng != "" {
		r.Header.Set("Range", rng)
	}
	resp, err := dl.d.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	dl.first = resp.Body
	dl.Header = resp.Header
	dl.Status = resp.StatusCode
	dl.etag = resp.Header.Get("ETag")
	dl.Length, dl.firstLen = resp.ContentLength, resp.ContentLength
	if cs, _, _, ok := parseContentRange(resp.Header.Get("Content-Range")); ok && resp.StatusCode == http.StatusPartialContent {
		dl.Start = cs
	}
	dl.ranged = dl.resumable(resp)
	return dl, nil
}

// resumable tells whether resp, an answer read as one stream (it is the only part), can be
// resumed after a break like any part, by a ranged GET of the bytes not yet read pinned to its
// ETag: it must be bytes of the object as stored (the whole object with 200, or the one range of
// its Content-Range with 206), of a known length, with an ETag. Without this a small object,
// which OSS answers whole to the first part's range, would have no retry for its body.
func (dl *Download) resumable(resp *http.Response) bool {
	if dl.etag == "" || resp.ContentLength < 0 || dl.transformed() {
		return false
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return resp.Header.Get("Content-Range") == ""
	case http.StatusPartialContent:
		cs, ce, _, ok := parseContentRange(resp.Header.Get("Content-Range"))
		return ok && ce-cs+1 == resp.ContentLength
	}
	return false
}

// transformed tells whether the caller's request asks for something other than the stored bytes
// (an image processed by x-oss-process, an encoding): ranges of such an answer are not ranges of
// the object, and its CRC is not the object's.
func (dl *Download) transformed() bool {
	if dl.req.Header.Get("Accept-Encoding") != "" {
		return true
	}
	for _, kv := range dl.req.Query {
		if kv[0] == "x-oss-process" {
			return true
		}
	}
	return false
}

func (dl *Download) request() *oss.Request {
	r := dl.req
	r.Header = dl.req.Header.Clone()
	r.Body = nil
	r.ContentLength = 0
	return &r
}

// Close releases the first response if it was not read.
func (dl *Download) Close() {
	if dl.first != nil {
		dl.first.Close()
	}
}

// parseSimpleRange reads "bytes=a-b" or "bytes=a-" (end -1) with a <= b; anything else (suffix,
// several ranges, no range) is not simple. No range at all is simple from 0.
func parseSimpleRange(v string) (start, end int64, ok bool) {
	if v == "" {
		return 0, -1, true
	}
	spec, found := strings.CutPrefix(strings.TrimSpace(v), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	a, b, found := strings.Cut(spec, "-")
	if !found || a == "" {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(a, 10, 64)
	if err != nil || start < 0 {
		return 0, 0, false
	}
	if b == "" {
		return start, -1, true
	}
	end, err = strconv.ParseInt(b, 10, 64)
	if err != nil || end < start {
		return 0, 0, false
	}
	return start, end, true
}

// parseContentRange reads "bytes s-e/total".
func parseContentRange(v string) (start, end, total int64, ok bool) {
	spec, found := strings.CutPrefix(v, "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	r, t, found := strings.Cut(spec, "/")
	if !found {
		return 0, 0, 0, false
	}
	a, b, found := strings.Cut(r, "-")
	if !found {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	start, err1 = strconv.ParseInt(a, 10, 64)
	end, err2 = strconv.ParseInt(b, 10, 64)
	total, err3 = strconv.ParseInt(t, 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || start < 0 || end < start || total <= end {
		return 0, 0, 0, false
	}
	return start, end, total, true
}

// part is a piece of the delivered bytes: [off, off+n) relative to Start.
type part struct{ off, n int64 }

// minTailPart is the smallest part the tail is cut into: below it, request latency dominates.
const minTailPart = 1 << 20

// parts splits [from, Length) into parts. Once less than a part per connection is left, each
// part is what is left spread over the connections (at least minTailPart), so parts shrink as
// the end nears and the connections finish close together instead of some idling while others
// fetch a whole last part (512 MiB read over 24 connections of 10 MB/s: 85% of the link with
// the last round cut in halves, 96% with this taper).
func (dl *Download) parts(from int64) []part {
	var ps []part
	conc := int64(dl.cfg.Concurrency)
	for off := from; off < dl.Length; {
		left := dl.Length - off
		n := min(dl.cfg.PartSize, max(minTailPart, left/conc), left)
		ps = append(ps, part{off, n})
		off += n
	}
	return ps
}

// Sink receives downloaded bytes at their offsets in the delivered range. With Buffer, parts
// are read straight into Buffer[off-Base:]; otherwise WriteAt gets each piece (concurrently, for
// disjoint ranges). Progress, if set, is told of every piece.
type Sink struct {
	Buffer   []byte
	Base     int64
	WriteAt  func(off int64, b []byte) error
	Progress func(n int64)
}

// bufferRead is the size of each read into a Sink's Buffer: the CRC is updated while the bytes
// are still in the cache.
const bufferRead = 256 << 10

// scratch is a buffer of size for the reads into w, or nil when w has a Buffer: the bytes are
// read straight into it, and a scratch buffer per part would only be garbage (16 KiB per object
// of a batch of small ones, as much as the objects themselves).
func (w Sink) scratch(size int) []byte {
	if w.Buffer != nil {
		return nil
	}
	return make([]byte, size)
}

// fetch reads part p into w (which takes absolute delivered offsets) and returns the part's CRC.
// A failed attempt is retried under the policy, resuming from the byte it reached; a failure of
// the destination is not retried (fetching again cannot help).
//
// broke, if not nil, is the failure of an attempt already made: the first response's body,
// which broke off at p.off. It counts as the part's first attempt, so the first part has the
// same attempts (and time bound) as any other, however it began.
func (dl *Download) fetch(ctx context.Context, p part, w Sink, buf []byte, broke error) (uint64, error) {
	var sum uint64
	done := int64(0)
	pol := partPolicy(ctx, dl.cfg.Retry, http.MethodGet, dl.req.Bucket, dl.req.Key, func() string {
		return fmt.Sprintf("bytes=%d-%d", dl.Start+p.off, dl.Start+p.off+p.n-1)
	})
	err := pol.Do(ctx, func(attempt int) error {
		if attempt == 1 && broke != nil {
			return broke
		}
		r := dl.request()
		r.NoRetry = true // retried here, resuming from the byte reached
		from, to := dl.Start+p.off+done, dl.Start+p.off+p.n-1
		r.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", from, to))
		if dl.etag != "" {
			r.Header.Set("If-Match", dl.etag)
		}
		resp, err := dl.d.Do(ctx, r)
		if err != nil {
			var se *oss.ServiceError
			if errors.As(err, &se) && se.Status == http.StatusPreconditionFailed {
				return fmt.Errorf("%w (ETag was %s)", ErrChanged, dl.etag)
			}
			return err
		}
		cs, _, _, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if resp.StatusCode != http.StatusPartialContent || !ok || cs != from {
			resp.Body.Close()
			return fmt.Errorf("transfer: asked for bytes %d-%d, got status %d with Content-Range %q",
				from, to, resp.StatusCode, resp.Header.Get("Content-Range"))
		}
		n, crcPart, err := copyAt(resp.Body, w, p.off+done, p.n-done, buf)
		resp.Body.Close()
		sum = crc.Combine(sum, crcPart, n)
		done += n
		if err != nil && !destinationFailed(err) && ctx.Err() == nil {
			// The body broke off: a connection failure, retried from the byte reached. One that
			// made progress first does not use up an attempt (progressed, retry.Progressed), so
			// a large part cut often is not lost where a small one would have been read.
			broken := error(&oss.RequestError{Err: fmt.Errorf("reading bytes %d-%d: %w", from, to, err)})
			if progressed(n, to-from+1) {
				broken = retry.Progressed(broken)
			}
			return broken
		}
		return err
	}, nil)
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("transfer: part at %d: %w", p.off, err)
	}
	return sum, nil
}

// minProgress is how much a broken attempt must have delivered to be given back (see fetch).
const minProgress = 64 << 10

// progressed tells whether an attempt that asked for asked bytes and got n before its body broke
// moved its part forward enough not to count against the attempts: minProgress bytes, or half of
// what it asked for (the end of a part). So a part has at most its size / minProgress + 17 such
// attempts, and a server cutting every answer short after a few bytes still ends the part.
func progressed(n, asked int64) bool { return n > 0 && (n >= minProgress || 2*n >= asked) }

// partPolicy is pol telling the Observer ctx carries (oss.WithObserver), if any, of each retry
// of one part, named by method, bucket, key and part(); without one it is pol, at no cost.
func partPolicy(ctx context.Context, pol retry.Policy, method, bucket, key string, part func() string) retry.Policy {
	if o := oss.ObserverFrom(ctx); o != nil && o.OnRetry != nil {
		pol.Notify = o.Named(pol.Notify, oss.RetryEvent{Method: method, Bucket: bucket, Key: key, Part: part()})
	}
	return pol
}

// copyAt copies n bytes (n < 0: up to EOF, for a body of unknown length) from r to the sink at
// off, through scratch when the sink has no buffer (see Sink.scratch); it returns the count and
// CRC. A body that ends early is io.ErrUnexpectedEOF.
func copyAt(r io.Reader, w Sink, off, n int64, scratch []byte) (int64, uint64, error) {
	var got int64
	var sum uint64
	if w.Progress != nil {
		// Progress as the bytes arrive, each read of the body, not per chunk filled: a chunk is
		// up to 1 MiB, which on a slow connection is longer than a progress callback's 50 ms.
		r = &progressReader{r: r, progress: w.Progress}
	}
	if w.Buffer != nil && n > 0 {
		populate(w.Buffer[off-w.Base : off-w.Base+n])
	}
	for n < 0 || got < n {
		size := int64(len(scratch))
		if w.Buffer != nil {
			size = bufferRead
		}
		if n >= 0 {
			size = min(size, n-got)
		}
		var b []byte
		if w.Buffer != nil {
			at := off + got - w.Base
			b = w.Buffer[at : at+size]
		} else {
			b = scratch[:size]
		}
		m, err := io.ReadFull(r, b)
		if m > 0 {
			if w.Buffer == nil {
				if werr := w.WriteAt(off+got, b[:m]); werr != nil {
					return got, sum, &writeError{werr}
				}
			}
			sum = crc.Update(sum, b[:m])
			got += int64(m)
		}
		if err != nil {
			if got == n || (n < 0 && (err == io.EOF || err == io.ErrUnexpectedEOF)) {
				return got, sum, nil
			}
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return got, sum, err
		}
	}
	return got, sum, nil
}

// progressReader tells progress of every read of r.
type progressReader struct {
	r        io.Reader
	progress func(n int64)
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.progress(int64(n))
	}
	return n, err
}

// writeError is a failure of the destination, which a retry cannot fix.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// destinationFailed tells whether err is a failure to write the destination.
func destinationFailed(err error) bool {
	var we *writeError
	return errors.As(err, &we)
}

// firstBroke is the failure of the first response's body after n bytes, as an attempt of its
// part: a connection failure, retried from there (given back after progress, as in fetch).
func (dl *Download) firstBroke(n int64, err error) error {
	broken := error(&oss.RequestError{Err: fmt.Errorf("reading bytes %d-%d: broke off after %d: %w", dl.Start, dl.Start+dl.firstLen-1, n, err)})
	if progressed(n, dl.firstLen) {
		return retry.Progressed(broken)
	}
	return broken
}

// Fill delivers all bytes to the sink and returns their CRC. The first part comes from the first
// response; the rest run in parallel. bufSize is the size of the scratch buffers, and of each
// read through them, when the sink has no Buffer (and of those reading parts again to repair a
// CRC). Fill may be called once, before any Reader.
func (dl *Download) Fill(ctx context.Context, w Sink, bufSize int) (uint64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	first := dl.first
	dl.first = nil
	if first == nil {
		return 0, errors.New("transfer: download already consumed")
	}
	stopFirst := context.AfterFunc(ctx, func() { first.Close() })
	defer stopFirst()
	defer first.Close() // also when Fill fails before the first part is read
	if !dl.ranged {
		n, sum, err := copyAt(first, w, 0, dl.Length, w.scratch(bufSize))
		if err != nil {
			return 0, err
		}
		if dl.Length < 0 { // no Content-Length (chunked): the body's end is the end
			dl.Length = n
		}
		return dl.repair(ctx, w, []part{{0, dl.Length}}, []uint64{sum}, bufSize)
	}
	rest := dl.parts(dl.firstLen)
	crcs := make([]uint64, len(rest))
	var firstCRC uint64
	bufs := make([][]byte, dl.cfg.Concurrency)
	// Item 0 finishes the first part, streaming on the first response's connection; items 1...
	// are the other parts in order. Each hands items out in order to the first free worker,
	// so the first part's worker takes parts like the others once done, and Concurrency
	// connections stay busy to the end (with parts shrinking toward it, see parts).
	err := Each(ctx, len(rest)+1, dl.cfg.Concurrency, true, func(ctx context.Context, worker, i int) error {
		if bufs[worker] == nil {
			bufs[worker] = w.scratch(bufSize)
		}
		buf := bufs[worker]
		if i > 0 {
			c, err := dl.fetch(ctx, rest[i-1], w, buf, nil)
			crcs[i-1] = c
			return err
		}
		n, c, err := copyAt(first, w, 0, dl.firstLen, buf)
		first.Close()
		if err != nil {
			// The first response broke: fetch what is missing of the first part again.
			if destinationFailed(err) || ctx.Err() != nil {
				return err
			}
			more, err := dl.fetch(ctx, part{n, dl.firstLen - n}, w, buf, dl.firstBroke(n, err))
			if err != nil {
				return err
			}
			c = crc.Combine(c, more, dl.firstLen-n)
		}
		firstCRC = c
		return nil
	})
	if cerr := ctx.Err(); cerr != nil {
		return 0, cerr // cancelled: a part's error (a read of the closed first body) is its echo
	}
	if err != nil {
		return 0, err
	}
	return dl.repair(ctx, w, append([]part{{0, dl.firstLen}}, rest...), append([]uint64{firstCRC}, crcs...), bufSize)
}

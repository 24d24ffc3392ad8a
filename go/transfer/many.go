package transfer

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// The batch engine: one call over many objects, with a bounded number of them in flight at once,
// results in the order of the items and an error per item (a missing key fails its item, not the
// batch). Small objects are latency-bound, so the rate grows with the number in flight; a large
// object still goes through the parallel ranged path (Open and Fill) on its own.

// DefaultManyConcurrency is how many objects GetMany and the others work on at once.
const DefaultManyConcurrency = 64

func manyWorkers(n int) int {
	if n <= 0 {
		return DefaultManyConcurrency
	}
	return n
}

// forEachItem runs fn on every item with at most workers at once. Per-item failures are the
// callee's to record; an item never started because ctx ended gets ctx's error through skipped.
func forEachItem(ctx context.Context, n, workers int, fn func(ctx context.Context, i int), skipped func(i int, err error)) error {
	started := make([]bool, n)
	err := Each(ctx, n, manyWorkers(workers), false, func(ctx context.Context, _, i int) error {
		started[i] = true
		fn(ctx, i)
		return nil
	})
	if err != nil {
		for i, s := range started {
			if !s {
				skipped(i, err)
			}
		}
	}
	return err
}

// GetItem is one object, or part of one, to fetch.
type GetItem struct {
	Bucket, Key string
	// Start and End select bytes [Start, End) as a Python slice (and fsspec's cat_file) does:
	// End nil reads to the end, and a negative Start or End counts back from the object's end.
	// A range reaching past the object is cut to fit, and an empty one (a start at or past the
	// end, an end at or before the start) gives no bytes, not OSS's default of the whole
	// object for an invalid range. Start 0 and End nil is a plain GET.
	Start int64
	End   *int64
	// Buffer, if not nil, receives the bytes when their count is exactly len(Buffer) (the
	// caller knew the size): they are written in place, with no copy. Otherwise a buffer is
	// allocated.
	Buffer    []byte
	Header    http.Header // more request headers (x-oss-process, ...); may be nil
	VersionID string      // a version of the object; "" the current one
	// NoHeader leaves the result's Header nil: a batch keeps every result to its end, and the
	// response headers of 10,000 small objects took 20 MiB.
	NoHeader bool
}

// GetResult is one item's outcome.
type GetResult struct {
	Data    []byte // the bytes: GetItem.Buffer when InPlace
	InPlace bool
	Status  int
	Header  http.Header
	CRC     uint64 // CRC64 of Data
	Err     error
	slab    *slab // where Data is, when in a Held store
}

// GetMany fetches items with at most concurrency (0: DefaultManyConcurrency) objects in flight;
// each object larger than cfg.PartSize is fetched in parallel parts as Open and Fill do. With
// cfg.CheckCRC a whole object's CRC64 is compared with the server's. m counts bytes. The
// results are in the order of items; the error is ctx's if the batch was cut short (the items
// left undone then carry it too). With held, the bytes of an item not read into its Buffer are
// in held (see Held), until released; otherwise in Go's heap.
func GetMany(ctx context.Context, d oss.Doer, items []GetItem, concurrency int, cfg Config, m Meter, held *Held) ([]GetResult, error) {
	cfg = cfg.withDefaults()
	out := make([]GetResult, len(items))
	err := forEachItem(ctx, len(items), concurrency, func(ctx context.Context, i int) {
		out[i] = getOne(ctx, d, &items[i], cfg, m, held)
	}, func(i int, err error) { out[i].Err = err })
	return out, err
}

// getRange is how an item's [start, end) is fetched: the Range header ("" for the whole
// object), or empty when no byte can be in it whatever the object's size. A range relative to
// a size not known ahead (a negative end, or a negative start with an end) is fetched as the
// least range that covers it, and cut to it once the answer gives the size (cut): the bytes
// fetched in vain are at most |end|, or the ones before a negative start within [0, end).
func getRange(start int64, end *int64) (rng string, empty, cut bool) {
	switch {
	case end == nil && start == 0:
		return "", false, false
	case end == nil && start < 0:
		return fmt.Sprintf("bytes=%d", start), false, false // "bytes=-N": the last N bytes
	case end == nil:
		return fmt.Sprintf("bytes=%d-", start), false, false
	case start >= 0 && *end >= 0:
		return fmt.Sprintf("bytes=%d-%d", start, *end-1), *end <= start, false
	case start >= 0: // to |end| bytes before the end
		return fmt.Sprintf("bytes=%d-", start), false, true
	case *end < 0: // both from the end: the last -start bytes, less the last -end
		return fmt.Sprintf("bytes=%d", start), *end <= start, true
	}
	// From -start bytes before the end up to end: the bytes before end, less those before the start.
	return fmt.Sprintf("bytes=0-%d", *end-1), *end == 0, true
}

// cutTo keeps, of data (the object's bytes from dl.Start), those in [start, end) of getRange.
func cutTo(data []byte, dl *Download, start int64, end *int64) []byte {
	size := dl.Start + int64(len(data)) // the answer reaches the object's end, or is the whole object
	if _, _, total, ok := parseContentRange(dl.Header.Get("Content-Range")); ok {
		size = total
	}
	from, to := start, *end
	if from < 0 {
		from = max(0, size+from)
	}
	if to < 0 {
		to = max(0, size+to)
	}
	from = min(max(from-dl.Start, 0), int64(len(data)))
	to = min(max(to-dl.Start, 0), int64(len(data)))
	if to <= from {
		return []byte{}
	}
	return data[from:to]
}

func getOne(ctx context.Context, d oss.Doer, it *GetItem, cfg Config, m Meter, held *Held) GetResult {
	rng, empty, cut := getRange(it.Start, it.End)
	if empty {
		return GetResult{Data: []byte{}, Status: http.StatusPartialContent, Header: http.Header{}}
	}
	h := it.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if rng != "" {
		h.Set("Range", rng)
		h.Set(rangeBehavior, "standard")
	}
	req := &oss.Request{Method: http.MethodGet, Bucket: it.Bucket, Key: it.Key, Header: h}
	if it.VersionID != "" {
		req.Query = [][2]string{{"versionId", it.VersionID}}
	}
	dl, err := Open(ctx, d, req, cfg)
	if err != nil {
		var se *oss.ServiceError
		if rng != "" && errors.As(err, &se) && se.Status == http.StatusRequestedRangeNotSatisfiable {
			return GetResult{Data: []byte{}, Status: se.Status, Header: se.Header} // a start past the end: no bytes
		}
		return GetResult{Err: err}
	}
	defer dl.Close()
	res := GetResult{Status: dl.Status, Header: dl.Header}
	if it.NoHeader {
		res.Header = nil
	}
	if dl.Length < 0 {
		// No Content-Length (a chunked answer): gather the body as it comes.
		var body []byte
		res.CRC, err = dl.Fill(ctx, Sink{WriteAt: func(_ int64, b []byte) error { body = append(body, b...); return nil },
			Progress: m.Add}, 32<<10)
		res.Data = body
	} else {
		switch {
		case int64(len(it.Buffer)) == dl.Length && it.Buffer != nil && !cut:
			res.Data, res.InPlace = it.Buffer, true
		case held != nil && dl.Length > 0:
			res.Data, res.slab = held.alloc(int(dl.Length))
		default:
			res.Data = make([]byte, dl.Length)
		}
		// Reads of at most the object's size: small objects are the common case here.
		res.CRC, err = dl.Fill(ctx, Sink{Buffer: res.Data, Progress: m.Add}, int(min(max(dl.Length, 4<<10), 256<<10)))
	}
	if err == nil && cfg.CheckCRC && rng == "" && dl.Status == http.StatusOK {
		err = oss.CheckCRC(oss.OpGetObject, res.CRC, dl.Header)
	}
	if err != nil {
		held.Release(&res)
		return GetResult{Err: err}
	}
	if cut {
		res.Data = cutTo(res.Data, dl, it.Start, it.End)
		if len(res.Data) == len(it.Buffer) && it.Buffer != nil {
			data := it.Buffer[:copy(it.Buffer, res.Data)]
			held.Release(&res)
			res.Data, res.InPlace = data, true
		}
		res.CRC = crc.Checksum(res.Data)
	}
	return res
}

// FileItem pairs an object with a local file.
type FileItem struct {
	Bucket, Key string
	Filename    string
	Header      http.Header // more request headers; may be nil
}

// ManyFileResult is one file's outcome (Err its failure); see GetManyToFiles and PutManyFromFiles.
type ManyFileResult struct {
	Status int
	Header http.Header
	CRC    uint64
	Err    error
}

// GetManyToFiles downloads each object to its file (see DownloadFile: a temporary file beside
// the target, renamed over it only when complete, so a failed or cancelled item leaves no
// partial file), creating missing parent directories, at most concurrency objects at once.
// m counts bytes.
func GetManyToFiles(ctx context.Context, d oss.Doer, items []FileItem, concurrency int, cfg Config, verify bool, m Meter) ([]ManyFileResult, error) {
	out := make([]ManyFileResult, len(items))
	add := Meter{Add: m.Add} // each file's total is not the batch's
	err := forEachItem(ctx, len(items), concurrency, func(ctx context.Context, i int) {
		it := &items[i]
		if dir := filepath.Dir(it.Filename); dir != "" {
			if err := os.MkdirAll(dir, 0o777); err != nil {
				out[i].Err = &oss.ClientError{Message: err.Error(), Err: err}
				return
			}
		}
		res, err := DownloadFile(ctx, d, &oss.Request{Method: http.MethodGet, Bucket: it.Bucket, Key: it.Key, Header: it.Header.Clone()},
			it.Filename, cfg, verify, add)
		if err != nil {
			out[i].Err = err
			return
		}
		out[i] = ManyFileResult{Status: res.Status, Header: res.Header, CRC: res.CRC}
	}, func(i int, err error) { out[i].Err = err })
	return out, err
}

// PutManyFromFiles uploads each file to its object, at most concurrency files at once; a file
// of threshold bytes or more goes up as a parallel multipart upload (see Put). With verify the
// CRC64 of the bytes sent is compared with the server's. m counts bytes.
func PutManyFromFiles(ctx context.Context, d oss.Doer, items []FileItem, concurrency int, threshold int64, cfg Config, verify bool, m Meter) ([]ManyFileResult, error) {
	out := make([]ManyFileResult, len(items))
	add := Meter{Add: m.Add}
	err := forEachItem(ctx, len(items), concurrency, func(ctx context.Context, i int) {
		out[i] = putFile(ctx, d, &items[i], threshold, cfg, verify, add)
	}, func(i int, err error) { out[i].Err = err })
	return out, err
}

func putFile(ctx context.Context, d oss.Doer, it *FileItem, threshold int64, cfg Config, verify bool, m Meter) ManyFileResult {
	f, err := os.Open(it.Filename)
	if err != nil {
		return ManyFileResult{Err: &oss.ClientError{Message: err.Error(), Err: err}}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return ManyFileResult{Err: &oss.ClientError{Message: err.Error(), Err: err}}
	}
	if st.IsDir() {
		return ManyFileResult{Err: &oss.ClientError{Message: fmt.Sprintf("%s is a directory", it.Filename)}}
	}
	h := it.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	req := &oss.Request{Method: http.MethodPut, Bucket: it.Bucket, Key: it.Key, Header: h}
	res, err := Put(ctx, d, req, f, st.Size(), threshold, cfg, m)
	if err == nil && verify {
		err = oss.CheckCRC(oss.OpPutObject, res.CRC, res.Header)
	}
	if err != nil {
		return ManyFileResult{Err: err}
	}
	return ManyFileResult{Status: res.Status, Header: res.Header, CRC: res.CRC}
}

// ObjectRef names an object.
type ObjectRef struct{ Bucket, Key string }

// HeadMany sends a HEAD for every object, at most concurrency at once; each result's Err is its
// failure (NoSuchKey for a missing object, whose error carries no body, as OSS sends none).
func HeadMany(ctx context.Context, d oss.Doer, refs []ObjectRef, concurrency int) ([]oss.Result, []error, error) {
	out := make([]oss.Result, len(refs))
	errs := make([]error, len(refs))
	err := forEachItem(ctx, len(refs), concurrency, func(ctx context.Context, i int) {
		out[i], errs[i] = oss.HeadObject(ctx, d, refs[i].Bucket, refs[i].Key)
	}, func(i int, err error) { errs[i] = err })
	return out, errs, err
}

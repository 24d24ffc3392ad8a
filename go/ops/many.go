package ops

import (
	"context"
	"runtime/debug"
	"sync"
	"unsafe"

	"github.com/pyjindo/pyjindo/go/transfer"
)

// The batch engine's operations (go/transfer/many.go): one call over many objects, one result
// per item in order, each with its error as data (ErrorDict) rather than failing the call. The
// call itself fails only for bad arguments or when cancelled.

func init() {
	register("get_many", BufferTable, getMany)
	register("many_take", BufferTable, manyTake)
	register("get_many_to_files", NoBuffer, getManyToFiles)
	register("put_many_from_files", NoBuffer, putManyFromFiles)
	register("head_many", NoBuffer, headMany)
	register("delete_many", NoBuffer, deleteMany)
}

// bufferTable reads the caller's buffer as n (pointer, length) pairs of machine words, each
// naming a buffer Go may fill (pointer 0: none); no buffer at all means none for any item. The
// caller keeps those buffers alive until the operation is done, as it does the single buffer of
// any operation.
func bufferTable(buf []byte, n int) ([][]byte, error) {
	type entry struct {
		p unsafe.Pointer
		n uintptr
	}
	size := int(unsafe.Sizeof(entry{}))
	if n == 0 || len(buf) == 0 {
		return nil, nil
	}
	if len(buf) != n*size || uintptr(unsafe.Pointer(&buf[0]))%unsafe.Alignof(entry{}) != 0 {
		return nil, clientErrorf("buffer table of %d bytes for %d items", len(buf), n)
	}
	table := unsafe.Slice((*entry)(unsafe.Pointer(&buf[0])), n)
	out := make([][]byte, n)
	for i, e := range table {
		if e.p != nil {
			out[i] = unsafe.Slice((*byte)(e.p), int(e.n))
		}
	}
	return out, nil
}

// setTotal reports the bytes expected, if the caller knows them (else unknown).
func setTotal(p Progress, total int64) {
	if total > 0 {
		p.SetTotal(total)
	} else {
		p.SetTotal(-1)
	}
}

type GetManyItem struct {
	Object
	Start     int64  `json:"start"`
	End       *int64 `json:"end"` // null: to the end; negative: from the end (a Python slice)
	Headers   Pairs  `json:"headers"`
	VersionID string `json:"version_id"`
}

type GetManyArgs struct {
	Items       []GetManyItem `json:"items" arg:"required"`
	Concurrency int           `json:"concurrency"`
	Total       int64         `json:"total"` // the bytes expected, if the caller knows (else 0)
}

type GetManyItemResult struct {
	N       int64          `json:"n"`
	InPlace bool           `json:"in_place"`
	Error   map[string]any `json:"error"`
}

type GetManyResult struct {
	Items []GetManyItemResult `json:"items"`
	// Held names the bytes kept for many_take (nil: none).
	Held *HandleRef `json:"held"`
}

// heldData keeps the bytes of items the caller had no buffer of the right size for, outside
// Go's heap (transfer.Held), until many_take copies them out (or the handle is freed).
type heldData struct {
	mu    sync.Mutex
	store *transfer.Held
	res   []transfer.GetResult
}

func (h *heldData) Close() {
	h.mu.Lock()
	h.store.Close()
	h.res = nil
	h.mu.Unlock()
}

// getMany fetches many objects or ranges (transfer.GetMany). The buffer is a table, one entry
// per item: where the caller knows an item's size it passes a buffer of that size, filled in
// place. The bytes of every other item stay in Go under the returned "held" handle until
// many_take copies them into buffers the caller then allocates at the sizes returned.
func getMany(ctx context.Context, c *Call, a *GetManyArgs) (GetManyResult, error) {
	bufs, err := bufferTable(c.Buffer, len(a.Items))
	if err != nil {
		return GetManyResult{}, err
	}
	items := make([]transfer.GetItem, len(a.Items))
	for i, it := range a.Items {
		items[i] = transfer.GetItem{Bucket: it.Bucket, Key: it.Key, Start: it.Start, End: it.End, Header: it.Headers.Header(),
			VersionID: it.VersionID, NoHeader: true}
		if bufs != nil {
			items[i].Buffer = bufs[i]
		}
	}
	setTotal(c.Progress, a.Total)
	held := &heldData{store: transfer.NewHeld()}
	res, _ := transfer.GetMany(ctx, c.Session.Client, items, a.Concurrency, c.Session.Transfer, transfer.Meter{Add: c.Progress.Add}, held.store)
	if err := ctx.Err(); err != nil {
		held.Close()
		return GetManyResult{}, err
	}
	out := GetManyResult{Items: make([]GetManyItemResult, len(res))}
	var heldBytes int64
	for i, r := range res {
		out.Items[i] = GetManyItemResult{N: int64(len(r.Data)), InPlace: r.InPlace, Error: itemError(r.Err)}
		if r.Err == nil && !r.InPlace {
			heldBytes += int64(len(r.Data))
		}
	}
	if heldBytes == 0 {
		held.Close()
		return out, nil
	}
	// Python allocates as much again to copy the held bytes out: first give back the heap the
	// fetches left as garbage, which the runtime would return only minutes later (10 MiB of a
	// 10,000-object batch's 220 MiB peak). Only for a large batch: it is a full collection
	// (milliseconds with a large heap, stalling the session's other operations).
	if heldBytes >= freeMemoryAfter {
		debug.FreeOSMemory()
	}
	held.res = res
	out.Held = &HandleRef{c.Handles.New(held), "batch data"}
	return out, nil
}

// freeMemoryAfter is the held size from which getMany gives the heap's garbage back first.
const freeMemoryAfter = 64 << 20

type ManyTakeArgs struct {
	Held    uint64 `json:"held" arg:"required"`
	Indices []int  `json:"indices" arg:"required"`
}

type Empty struct{}

// manyTake copies held items (indices) into the caller's buffers (a buffer table, one entry
// per index, each of the size get_many returned) and releases them.
func manyTake(_ context.Context, c *Call, a *ManyTakeArgs) (Empty, error) {
	h, err := handleArg[*heldData](c, a.Held, "batch data")
	if err != nil {
		return Empty{}, err
	}
	bufs, err := bufferTable(c.Buffer, len(a.Indices))
	if err != nil {
		return Empty{}, err
	}
	if len(bufs) != len(a.Indices) { // no table at all: bufferTable gives none
		return Empty{}, clientErrorf("many_take: %d buffers for %d items", len(bufs), len(a.Indices))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for j, i := range a.Indices {
		if i < 0 || i >= len(h.res) || h.res[i].InPlace || h.res[i].Data == nil || len(h.res[i].Data) != len(bufs[j]) {
			return Empty{}, clientErrorf("batch item %d is not held at that size", i)
		}
		copy(bufs[j], h.res[i].Data)
		h.store.Release(&h.res[i])
		h.res[i].Data = nil // also when in Go's heap (a body of unknown length)
	}
	return Empty{}, nil
}

type FileItem struct {
	Object
	Filename string `json:"filename" arg:"required"`
	Headers  Pairs  `json:"headers"`
}

type FileManyArgs struct {
	Items       []FileItem `json:"items" arg:"required"`
	Concurrency int        `json:"concurrency"`
	Total       int64      `json:"total"`
}

type FileItemResult struct {
	Status  int            `json:"status"`
	Headers Pairs          `json:"headers"`
	CRC     uint64         `json:"crc"`
	Error   map[string]any `json:"error"`
}

func fileItems(in []FileItem) []transfer.FileItem {
	out := make([]transfer.FileItem, len(in))
	for i, it := range in {
		out[i] = transfer.FileItem{Bucket: it.Bucket, Key: it.Key, Filename: it.Filename, Header: it.Headers.Header()}
	}
	return out
}

func fileResults(res []transfer.ManyFileResult) []FileItemResult {
	out := make([]FileItemResult, len(res))
	for i, r := range res {
		out[i] = FileItemResult{Status: r.Status, CRC: r.CRC, Error: itemError(r.Err), Headers: Pairs{}}
		if r.Err == nil {
			out[i].Headers = HeaderPairs(r.Header)
		}
	}
	return out
}

// getManyToFiles downloads objects to files (transfer.GetManyToFiles: no partial files).
func getManyToFiles(ctx context.Context, c *Call, a *FileManyArgs) ([]FileItemResult, error) {
	setTotal(c.Progress, a.Total)
	s := c.Session
	res, _ := transfer.GetManyToFiles(ctx, s.Client, fileItems(a.Items), a.Concurrency, s.Transfer, s.EnableCRC,
		transfer.Meter{Add: c.Progress.Add})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return fileResults(res), nil
}

// putManyFromFiles uploads files (transfer.PutManyFromFiles: multipart from the session's
// threshold).
func putManyFromFiles(ctx context.Context, c *Call, a *FileManyArgs) ([]FileItemResult, error) {
	setTotal(c.Progress, a.Total)
	s := c.Session
	res, _ := transfer.PutManyFromFiles(ctx, s.Client, fileItems(a.Items), a.Concurrency, s.MultipartThreshold, s.Transfer,
		s.EnableCRC, transfer.Meter{Add: c.Progress.Add})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return fileResults(res), nil
}

type HeadManyArgs struct {
	Items       []Object `json:"items" arg:"required"`
	Concurrency int      `json:"concurrency"`
}

// headMany sends a HEAD per object (transfer.HeadMany).
func headMany(ctx context.Context, c *Call, a *HeadManyArgs) ([]FileItemResult, error) {
	refs := make([]transfer.ObjectRef, len(a.Items))
	for i, it := range a.Items {
		refs[i] = transfer.ObjectRef{Bucket: it.Bucket, Key: it.Key}
	}
	res, errs, _ := transfer.HeadMany(ctx, c.Session.Client, refs, a.Concurrency)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]FileItemResult, len(res))
	for i, r := range res {
		out[i] = FileItemResult{Status: r.Status, Error: itemError(errs[i]), Headers: Pairs{}}
		if errs[i] == nil {
			out[i].Headers = HeaderPairs(r.Header)
		}
	}
	return out, nil
}

type DeleteManyArgs struct {
	Bucket      string   `json:"bucket" arg:"required"`
	Keys        []string `json:"keys" arg:"required"`
	Concurrency int      `json:"concurrency"`
}

type DeleteFailure struct {
	Key     string `json:"key"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type DeleteManyResult struct {
	Deleted []string        `json:"deleted"`
	Failed  []DeleteFailure `json:"failed"`
}

// deleteMany deletes keys of one bucket with batch deletes of 1000 keys, several at once
// (transfer.DeleteMany); it fails with the first failed request's error, and reports the keys OSS
// said it could not delete.
func deleteMany(ctx context.Context, c *Call, a *DeleteManyArgs) (DeleteManyResult, error) {
	deleted, failed, err := transfer.DeleteMany(ctx, c.Session.Client, a.Bucket, a.Keys, a.Concurrency,
		transfer.Meter{Add: c.Progress.Add, SetTotal: c.Progress.SetTotal})
	if err != nil {
		return DeleteManyResult{}, err
	}
	out := DeleteManyResult{Deleted: deleted, Failed: []DeleteFailure{}}
	if out.Deleted == nil {
		out.Deleted = []string{}
	}
	for _, f := range failed {
		out.Failed = append(out.Failed, DeleteFailure{f.Key, f.Code, f.Message})
	}
	return out, nil
}

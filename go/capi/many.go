package main

/*
#include <stdint.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"
	"unsafe"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// The batch engine's operations (go/transfer/many.go): one call over many objects, one result
// per item in order, each with its error as data (errorDict) rather than failing the call. The
// call itself fails only for bad arguments or when cancelled.

// bufferTable reads the caller's buffer as n (pointer, length) pairs of machine words, each
// naming a Python buffer Go may fill (pointer 0: none); no buffer at all means none for any
// item. Python keeps those buffers alive until
// the operation is done, as it does the single buffer of any operation.
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

func itemError(err error) map[string]any {
	if err == nil {
		return nil
	}
	return errorDict(transferError(err))
}

// cancelled is the call's own failure: Ctrl-C. The items' errors are results, and the
// engine's own error is only ctx's.
func cancelled(ctx context.Context) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}

type getManyItem struct {
	Bucket  string      `json:"bucket"`
	Key     string      `json:"key"`
	Start   int64       `json:"start"`
	End     *int64      `json:"end"` // null: to the end; negative: from the end (a Python slice)
	Headers [][2]string `json:"headers"`
}

type getManyItemResult struct {
	N       int64          `json:"n"`
	InPlace bool           `json:"in_place"`
	Headers [][2]string    `json:"headers,omitempty"`
	Error   map[string]any `json:"error"`
}

// heldData keeps the bytes of items the caller had no buffer of the right size for, until
// many_take copies them out (or the handle is freed).
type heldData struct {
	mu   sync.Mutex
	data [][]byte
}

func (h *heldData) close() {
	h.mu.Lock()
	h.data = nil
	h.mu.Unlock()
}

// opGetMany fetches many objects or ranges (transfer.GetMany). buf is a buffer table, one entry
// per item: where the caller knows an item's size it passes a buffer of that size, filled in
// place. The bytes of every other item stay in Go under the returned "held" handle until
// many_take copies them into buffers Python then allocates at the sizes returned.
func opGetMany(ctx context.Context, s *session, raw json.RawMessage, buf []byte, p progress) (any, error) {
	var a struct {
		Items       []getManyItem `json:"items"`
		Concurrency int           `json:"concurrency"`
		WithHeaders bool          `json:"with_headers"`
		Total       int64         `json:"total"` // the bytes expected, if the caller knows (else 0)
	}
	if err := decodeArgs("get_many", raw, &a); err != nil {
		return nil, err
	}
	bufs, err := bufferTable(buf, len(a.Items))
	if err != nil {
		return nil, err
	}
	items := make([]transfer.GetItem, len(a.Items))
	for i, it := range a.Items {
		items[i] = transfer.GetItem{Bucket: it.Bucket, Key: it.Key, Start: it.Start, End: it.End,
			Header: target{Headers: it.Headers}.header()}
		if bufs != nil {
			items[i].Buffer = bufs[i]
		}
	}
	if a.Total > 0 {
		p.SetTotal(a.Total)
	} else {
		p.SetTotal(-1)
	}
	res, _ := transfer.GetMany(ctx, s.client, items, a.Concurrency, s.transfer, transfer.Meter{Add: p.Add})
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	out := make([]getManyItemResult, len(res))
	held := &heldData{data: make([][]byte, len(res))}
	anyHeld := false
	for i, r := range res {
		out[i] = getManyItemResult{N: int64(len(r.Data)), InPlace: r.InPlace, Error: itemError(r.Err)}
		if a.WithHeaders && r.Err == nil {
			out[i].Headers = headerPairs(r.Header)
		}
		if r.Err == nil && !r.InPlace && len(r.Data) > 0 {
			held.data[i], anyHeld = r.Data, true
		}
	}
	result := map[string]any{"items": out, "held": nil}
	if anyHeld {
		result["held"] = handleRef{newHandle(held), "batch data"}
	}
	return result, nil
}

// opManyTake copies held items (indices) into the caller's buffers (a buffer table, one entry
// per index, each of the size get_many returned) and releases them.
func opManyTake(_ context.Context, _ *session, raw json.RawMessage, buf []byte, _ progress) (any, error) {
	var a struct {
		Held    uint64 `json:"held"`
		Indices []int  `json:"indices"`
	}
	if err := decodeArgs("many_take", raw, &a); err != nil {
		return nil, err
	}
	h, ok := handleValue[*heldData](C.uintptr_t(a.Held))
	if !ok {
		return nil, clientErrorf("bad batch data handle")
	}
	bufs, err := bufferTable(buf, len(a.Indices))
	if err != nil {
		return nil, err
	}
	if len(bufs) != len(a.Indices) { // no table at all: bufferTable gives none
		return nil, clientErrorf("many_take: %d buffers for %d items", len(bufs), len(a.Indices))
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for j, i := range a.Indices {
		if i < 0 || i >= len(h.data) || h.data[i] == nil || len(h.data[i]) != len(bufs[j]) {
			return nil, clientErrorf("batch item %d is not held at that size", i)
		}
		copy(bufs[j], h.data[i])
		h.data[i] = nil
	}
	return map[string]any{}, nil
}

type fileItem struct {
	Bucket   string      `json:"bucket"`
	Key      string      `json:"key"`
	Filename string      `json:"filename"`
	Headers  [][2]string `json:"headers"`
}

type fileItemResult struct {
	Status  int            `json:"status"`
	Headers [][2]string    `json:"headers"`
	CRC     uint64         `json:"crc"`
	Error   map[string]any `json:"error"`
}

func fileItems(in []fileItem) []transfer.FileItem {
	out := make([]transfer.FileItem, len(in))
	for i, it := range in {
		out[i] = transfer.FileItem{Bucket: it.Bucket, Key: it.Key, Filename: it.Filename, Header: target{Headers: it.Headers}.header()}
	}
	return out
}

func fileResults(res []transfer.ManyFileResult) []fileItemResult {
	out := make([]fileItemResult, len(res))
	for i, r := range res {
		out[i] = fileItemResult{Status: r.Status, CRC: r.CRC, Error: itemError(r.Err), Headers: [][2]string{}}
		if r.Err == nil {
			out[i].Headers = headerPairs(r.Header)
		}
	}
	return out
}

type fileManyArgs struct {
	Items       []fileItem `json:"items"`
	Concurrency int        `json:"concurrency"`
	Total       int64      `json:"total"`
}

func (a fileManyArgs) setTotal(p progress) {
	if a.Total > 0 {
		p.SetTotal(a.Total)
	} else {
		p.SetTotal(-1)
	}
}

// opGetManyToFiles downloads objects to files (transfer.GetManyToFiles: no partial files).
func opGetManyToFiles(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a fileManyArgs
	if err := decodeArgs("get_many_to_files", raw, &a); err != nil {
		return nil, err
	}
	a.setTotal(p)
	res, _ := transfer.GetManyToFiles(ctx, s.client, fileItems(a.Items), a.Concurrency, s.transfer, s.enableCRC,
		transfer.Meter{Add: p.Add})
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	return fileResults(res), nil
}

// opPutManyFromFiles uploads files (transfer.PutManyFromFiles: multipart from the session's
// threshold).
func opPutManyFromFiles(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a fileManyArgs
	if err := decodeArgs("put_many_from_files", raw, &a); err != nil {
		return nil, err
	}
	a.setTotal(p)
	res, _ := transfer.PutManyFromFiles(ctx, s.client, fileItems(a.Items), a.Concurrency, s.multipartThreshold, s.transfer,
		s.enableCRC, transfer.Meter{Add: p.Add})
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	return fileResults(res), nil
}

// opHeadMany sends a HEAD per object (transfer.HeadMany).
func opHeadMany(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var a struct {
		Items []struct {
			Bucket string `json:"bucket"`
			Key    string `json:"key"`
		} `json:"items"`
		Concurrency int `json:"concurrency"`
	}
	if err := decodeArgs("head_many", raw, &a); err != nil {
		return nil, err
	}
	refs := make([]transfer.ObjectRef, len(a.Items))
	for i, it := range a.Items {
		refs[i] = transfer.ObjectRef{Bucket: it.Bucket, Key: it.Key}
	}
	res, errs, _ := transfer.HeadMany(ctx, s.client, refs, a.Concurrency)
	if err := cancelled(ctx); err != nil {
		return nil, err
	}
	out := make([]fileItemResult, len(res))
	for i, r := range res {
		out[i] = fileItemResult{Status: r.Status, Error: itemError(errs[i]), Headers: [][2]string{}}
		if errs[i] == nil {
			out[i].Headers = headerPairs(r.Header)
		}
	}
	return out, nil
}

// writer is a streaming upload Python writes part by part (transfer.Writer); freeing its handle
// before it completed aborts it, so a file object dropped without close leaves nothing behind.
type writer struct {
	mu  sync.Mutex // Python calls one at a time; this makes sure
	w   *transfer.Writer
	crc bool
}

func (w *writer) close() { w.w.Abort() }

// opWriterOpen prepares a streaming upload; nothing is sent until the first part.
func opWriterOpen(_ context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a struct {
		target
		ForbidOverwrite bool `json:"forbid_overwrite"`
	}
	if err := decodeArgs("writer_open", raw, &a); err != nil {
		return nil, err
	}
	// Progress of the parts goes nowhere: each write is its own operation with its own counters.
	w := &writer{w: transfer.NewWriter(s.client, a.request(http.MethodPut), s.transfer, a.ForbidOverwrite, transfer.Meter{}),
		crc: s.enableCRC}
	return map[string]any{"writer": handleRef{newHandle(w), "writer"}}, nil
}

func writerArg(raw json.RawMessage, op string) (*writer, error) {
	var a struct {
		Writer uint64 `json:"writer"`
	}
	if err := decodeArgs(op, raw, &a); err != nil {
		return nil, err
	}
	w, ok := handleValue[*writer](C.uintptr_t(a.Writer))
	if !ok {
		return nil, clientErrorf("bad writer handle")
	}
	return w, nil
}

// opWriterWrite queues buf as the next part (copied; it waits while the writer's parts in
// flight are at the session's concurrency).
func opWriterWrite(ctx context.Context, _ *session, raw json.RawMessage, buf []byte, _ progress) (any, error) {
	w, err := writerArg(raw, "writer_write")
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.w.WritePart(ctx, buf); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, transferError(err)
	}
	return map[string]any{"upload_id": w.w.UploadID()}, nil
}

// opWriterClose sends buf as the last bytes and completes the upload (aborted on failure).
func opWriterClose(ctx context.Context, _ *session, raw json.RawMessage, buf []byte, _ progress) (any, error) {
	w, err := writerArg(raw, "writer_close")
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	res, err := w.w.Close(ctx, buf)
	if err == nil && w.crc {
		err = oss.CheckCRC(oss.OpPutObject, res.CRC, res.Header)
	}
	if err != nil {
		return nil, transferError(err)
	}
	return map[string]any{"status": res.Status, "headers": headerPairs(res.Header), "crc": res.CRC, "multipart": res.Multipart}, nil
}

// opWriterAbort aborts the upload (idempotent; nothing after a completed close).
func opWriterAbort(_ context.Context, _ *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	w, err := writerArg(raw, "writer_abort")
	if err != nil {
		return nil, err
	}
	w.w.Abort() // not under w.mu: an abort may interrupt a write waiting for a slot
	return map[string]any{}, nil
}

// seekReader is a random-access reader of one object (transfer.SeekReader).
type seekReader struct {
	mu sync.Mutex
	r  *transfer.SeekReader
}

func (r *seekReader) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.r.Close()
}

// opReaderOpen sends a HEAD and returns a reader handle with the object's size and headers.
func opReaderOpen(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var t target
	if err := decodeArgs("reader_open", raw, &t); err != nil {
		return nil, err
	}
	r, err := transfer.OpenSeekReader(ctx, s.client, t.Bucket, t.Key, t.header(), s.transfer)
	if err != nil {
		return nil, err
	}
	return map[string]any{"reader": handleRef{newHandle(&seekReader{r: r}), "reader"}, "size": r.Size,
		"headers": headerPairs(r.Header)}, nil
}

// opReaderRead fills buf from offset pos (less only at the end of the object).
func opReaderRead(ctx context.Context, _ *session, raw json.RawMessage, buf []byte, _ progress) (any, error) {
	var a struct {
		Reader uint64 `json:"reader"`
		Pos    int64  `json:"pos"`
	}
	if err := decodeArgs("reader_read", raw, &a); err != nil {
		return nil, err
	}
	r, ok := handleValue[*seekReader](C.uintptr_t(a.Reader))
	if !ok {
		return nil, clientErrorf("bad reader handle")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.r.SeekTo(a.Pos); err != nil {
		return nil, err
	}
	n, err := r.r.Read(ctx, buf)
	if err != nil && !errors.Is(err, io.EOF) { // Python's position has not moved: nothing is lost
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, transferError(err)
	}
	return map[string]any{"n": n}, nil
}

// opDeleteMany deletes keys of one bucket with batch deletes of 1000 keys, several at once
// (transfer.DeleteMany); it fails with the first failed request's error, and reports the keys OSS
// said it could not delete.
func opDeleteMany(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a struct {
		Bucket      string   `json:"bucket"`
		Keys        []string `json:"keys"`
		Concurrency int      `json:"concurrency"`
	}
	if err := decodeArgs("delete_many", raw, &a); err != nil {
		return nil, err
	}
	deleted, failed, err := transfer.DeleteMany(ctx, s.client, a.Bucket, a.Keys, a.Concurrency, transfer.Meter{Add: p.Add, SetTotal: p.SetTotal})
	if err != nil {
		return nil, err
	}
	if deleted == nil {
		deleted = []string{}
	}
	type failure struct {
		Key     string `json:"key"`
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	failures := []failure{}
	for _, f := range failed {
		failures = append(failures, failure{f.Key, f.Code, f.Message})
	}
	return map[string]any{"deleted": deleted, "failed": failures}, nil
}

package ops

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"

	"github.com/pyjindo/pyjindo/go/transfer"
)

// The file objects' operations: a streaming writer ("wb") and a random-access reader ("rb"),
// each under a handle.

func init() {
	register("writer_open", NoBuffer, writerOpen)
	register("writer_write", BufferIn, writerWrite)
	register("writer_close", BufferIn, writerClose)
	register("writer_abort", NoBuffer, writerAbort)
	register("reader_open", NoBuffer, readerOpen)
	register("reader_read", BufferOut, readerRead)
}

// writer is a streaming upload written part by part (transfer.Writer); freeing its handle
// before it completed aborts it, so a file object dropped without close leaves nothing behind.
type writer struct {
	mu sync.Mutex // the caller calls one at a time; this makes sure
	w  *transfer.Writer
}

func (w *writer) Close() { w.w.Abort() }

type WriterOpenArgs struct {
	Object
	Headers         Pairs `json:"headers"`
	ForbidOverwrite bool  `json:"forbid_overwrite"`
	PartSize        int64 `json:"part_size"` // 0: the session's
}

type WriterOpenResult struct {
	Writer HandleRef `json:"writer"`
}

// writerOpen prepares a streaming upload; nothing is sent until the first part.
func writerOpen(_ context.Context, c *Call, a *WriterOpenArgs) (WriterOpenResult, error) {
	s := c.Session
	req := Target{Object: a.Object, Headers: a.Headers}.request(http.MethodPut)
	// Progress of the parts goes nowhere: each write is its own operation with its own counters.
	w := transfer.NewWriter(s.Client, req, s.transferConfig(a.PartSize), a.ForbidOverwrite, transfer.Meter{}).VerifyCRC(s.EnableCRC)
	return WriterOpenResult{Writer: HandleRef{c.Handles.New(&writer{w: w}), "writer"}}, nil
}

type WriterArgs struct {
	Writer uint64 `json:"writer" arg:"required"`
}

type WriterWriteResult struct {
	UploadID string `json:"upload_id"`
}

// writerWrite appends the buffer to the object (copied into the writer's parts; it waits while
// the writer's parts in flight are at the session's concurrency).
func writerWrite(ctx context.Context, c *Call, a *WriterArgs) (WriterWriteResult, error) {
	w, err := handleArg[*writer](c, a.Writer, "writer")
	if err != nil {
		return WriterWriteResult{}, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.w.Write(ctx, c.Buffer); err != nil {
		return WriterWriteResult{}, interrupted(ctx, err)
	}
	return WriterWriteResult{UploadID: w.w.UploadID()}, nil
}

type WriterCloseResult struct {
	Status    int    `json:"status"`
	Headers   Pairs  `json:"headers"`
	CRC       uint64 `json:"crc"`
	Multipart bool   `json:"multipart"`
}

// writerClose sends the buffer as the last bytes and completes the upload (aborted on failure;
// its CRC64 checked with the session's enable_crc).
func writerClose(ctx context.Context, c *Call, a *WriterArgs) (WriterCloseResult, error) {
	w, err := handleArg[*writer](c, a.Writer, "writer")
	if err != nil {
		return WriterCloseResult{}, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	res, err := w.w.Close(ctx, c.Buffer)
	if err != nil {
		return WriterCloseResult{}, err
	}
	return WriterCloseResult{Status: res.Status, Headers: HeaderPairs(res.Header), CRC: res.CRC, Multipart: res.Multipart}, nil
}

// writerAbort aborts the upload (idempotent; nothing after a completed close).
func writerAbort(_ context.Context, c *Call, a *WriterArgs) (Empty, error) {
	w, err := handleArg[*writer](c, a.Writer, "writer")
	if err != nil {
		return Empty{}, err
	}
	// not under w.mu: an abort may interrupt a write waiting for a slot
	return Empty{}, w.w.Abort()
}

// seekReader is a random-access reader of one object (transfer.SeekReader).
type seekReader struct {
	mu sync.Mutex
	r  *transfer.SeekReader
}

func (r *seekReader) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.r.Close()
}

type ReaderOpenArgs struct {
	Object
	VersionID string `json:"version_id"` // a version of the object; "" the latest
	Headers   Pairs  `json:"headers"`
}

type ReaderOpenResult struct {
	Reader  HandleRef `json:"reader"`
	Size    int64     `json:"size"`
	Headers Pairs     `json:"headers"`
}

// readerOpen sends a HEAD (of a version, if named) and returns a reader handle with the
// object's size and headers.
func readerOpen(ctx context.Context, c *Call, a *ReaderOpenArgs) (ReaderOpenResult, error) {
	r, err := transfer.OpenSeekReader(ctx, c.Session.Client, a.Bucket, a.Key, a.VersionID, a.Headers.Header(), c.Session.Transfer)
	if err != nil {
		return ReaderOpenResult{}, err
	}
	return ReaderOpenResult{Reader: HandleRef{c.Handles.New(&seekReader{r: r}), "reader"}, Size: r.Size,
		Headers: HeaderPairs(r.Header)}, nil
}

type ReaderReadArgs struct {
	Reader uint64 `json:"reader" arg:"required"`
	Pos    int64  `json:"pos" arg:"required"`
}

type ReaderReadResult struct {
	N int `json:"n"`
}

// readerRead fills the buffer from offset pos (less only at the end of the object).
func readerRead(ctx context.Context, c *Call, a *ReaderReadArgs) (ReaderReadResult, error) {
	r, err := handleArg[*seekReader](c, a.Reader, "reader")
	if err != nil {
		return ReaderReadResult{}, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.r.SeekTo(a.Pos); err != nil {
		return ReaderReadResult{}, err
	}
	n, err := r.r.Read(ctx, c.Buffer)
	if err != nil && !errors.Is(err, io.EOF) { // the caller's position has not moved: nothing is lost
		return ReaderReadResult{}, interrupted(ctx, err)
	}
	return ReaderReadResult{N: n}, nil
}

package main

/*
#include <stdint.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// stream is an opened GetObject that Python reads: all at once in parallel (read()), or in
// pieces through a prefetching reader (read(amt), iteration).
type stream struct {
	mu     sync.Mutex
	ctx    context.Context // lives as long as the stream; cancelled by close
	cancel context.CancelFunc
	dl     *transfer.Download
	reader *transfer.Reader
	pos    int64
	crc    uint64
	eof    bool
	// retries are those made under ctx (the prefetch outlives each call), kept when the stream
	// was opened with pjRetryEvents and handed to the log of each operation on it (bind).
	retries *retryLog
}

func (s *stream) close() {
	s.cancel()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reader != nil {
		s.reader.Close()
	}
	s.dl.Close()
}

// bind cancels the stream when the operation ctx is cancelled (Ctrl-C in Python), and hands the
// stream's retries to the operation's log, until the returned stop is called.
func (s *stream) bind(ctx context.Context, p progress) (stop func()) {
	after := context.AfterFunc(ctx, s.cancel)
	unlink := s.retries.follow(p.retries())
	return func() {
		after()
		unlink()
	}
}

func transferError(err error) error {
	switch {
	case errors.Is(err, transfer.ErrChanged):
		return &oss.InconsistentError{Message: err.Error()}
	case errors.Is(err, transfer.ErrWriterClosed): // a misuse, not a network failure
		return &oss.ClientError{Message: err.Error()}
	}
	return err
}

type getOpenResult struct {
	responseJSON
	Stream handleRef `json:"stream"`
	Length int64     `json:"length"`
}

// opGetOpen sends the first GET (errors such as NoSuchKey surface from get_object itself, as in
// oss2) and returns the response as a single GET would have given it, and a stream handle.
func opGetOpen(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var t target
	if err := decodeArgs("get_open", raw, &t); err != nil {
		return nil, err
	}
	started := time.Now()
	st := &stream{}
	st.ctx, st.cancel = context.WithCancel(context.Background())
	if p.retries() != nil {
		st.retries = &retryLog{}
		st.ctx = oss.WithObserver(st.ctx, st.retries.observer())
	}
	stop := st.bind(ctx, p)
	dl, err := transfer.Open(st.ctx, s.client, t.request(http.MethodGet), s.transfer)
	stop()
	if err == nil && ctx.Err() != nil {
		dl.Close() // interrupted as it opened: Python will not see the handle to free it
		err = ctx.Err()
	}
	if err != nil {
		st.cancel()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	st.dl = dl
	h := newHandle(st)
	return getOpenResult{responseJSON: describe(dl.Status, dl.Header, nil, started), Stream: handleRef{h, "GetObjectResult"}, Length: dl.Length}, nil
}

func streamArg(raw json.RawMessage) (*stream, error) {
	var a struct {
		Stream uint64 `json:"stream"`
	}
	if err := decodeArgs("stream", raw, &a); err != nil {
		return nil, err
	}
	st, ok := handleValue[*stream](C.uintptr_t(a.Stream))
	if !ok {
		return nil, clientErrorf("bad stream handle")
	}
	return st, nil
}

// streamReadResult's CRC is the CRC64 of everything read so far, so that client_crc after a
// partial read is the running value, as oss2's.
type streamReadResult struct {
	N   int    `json:"n"`
	EOF bool   `json:"eof"`
	CRC uint64 `json:"crc"`
}

func (s *stream) result(n int) streamReadResult {
	return streamReadResult{N: n, EOF: s.eof, CRC: s.crc}
}

// opStreamRead fills the caller's buffer in order (less only at the end) from the prefetching
// reader.
func opStreamRead(ctx context.Context, _ *session, raw json.RawMessage, buf []byte, p progress) (any, error) {
	st, err := streamArg(raw)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.readInOrder(ctx, buf, p)
}

// readInOrder reads through the prefetching reader; the caller holds st.mu.
func (st *stream) readInOrder(ctx context.Context, buf []byte, p progress) (any, error) {
	if st.eof {
		return st.result(0), nil
	}
	if st.reader == nil {
		st.reader = st.dl.NewReader(st.ctx, 0)
	}
	stop := st.bind(ctx, p)
	defer stop()
	n, err := io.ReadFull(st.reader, buf)
	st.pos += int64(n)
	p.Add(int64(n))
	switch {
	case err == nil:
		st.eof = st.pos == st.dl.Length
	case (err == io.EOF || err == io.ErrUnexpectedEOF) && (st.dl.Length < 0 || st.pos == st.dl.Length):
		st.eof = true // the end, short buffer or not
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		return nil, &oss.RequestError{Err: fmt.Errorf("the body ended after %d of %d bytes", st.pos, st.dl.Length)}
	default:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, transferError(err)
	}
	st.crc = st.reader.CRC()
	return st.result(n), nil
}

// opStreamReadAll fills the caller's buffer, sized to what is left, with parts fetched in
// parallel and read straight into their place (read() with no size).
func opStreamReadAll(ctx context.Context, _ *session, raw json.RawMessage, buf []byte, p progress) (any, error) {
	st, err := streamArg(raw)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.reader != nil || st.eof {
		return st.readInOrder(ctx, buf, p) // already reading in pieces: go on the same way
	}
	if int64(len(buf)) != st.dl.Length {
		return nil, clientErrorf("read-all buffer of %d bytes for %d left", len(buf), st.dl.Length)
	}
	p.SetTotal(st.dl.Length)
	stop := st.bind(ctx, p)
	defer stop()
	sum, err := st.dl.Fill(st.ctx, transfer.Sink{Buffer: buf, Progress: p.Add}, 256<<10)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, transferError(err)
	}
	st.pos, st.crc, st.eof = st.dl.Length, sum, true
	return st.result(len(buf)), nil
}

type getToFileArgs struct {
	target
	Filename string `json:"filename"`
	CheckCRC bool   `json:"check_crc"`
	PartSize int64  `json:"part_size"` // bytes per ranged GET instead of the session's (resumable_download)
}

type getToFileResult struct {
	responseJSON
	CRC uint64 `json:"crc"`
}

// opGetToFile downloads into a file (see transfer.DownloadFile: never a partial file).
func opGetToFile(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a getToFileArgs
	if err := decodeArgs("get_to_file", raw, &a); err != nil {
		return nil, err
	}
	started := time.Now()
	res, err := transfer.DownloadFile(ctx, s.client, a.request(http.MethodGet), a.Filename, s.transferConfig(a.PartSize),
		a.CheckCRC, transfer.Meter{Add: p.Add, SetTotal: p.SetTotal})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, transferError(err)
	}
	return getToFileResult{responseJSON: describe(res.Status, res.Header, nil, started), CRC: res.CRC}, nil
}

package main

/*
#include <stdint.h>
*/
import "C"

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
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

// bind cancels the stream when the operation ctx is cancelled (Ctrl-C in Python) until the
// returned stop is called.
func (s *stream) bind(ctx context.Context) (stop func() bool) {
	return context.AfterFunc(ctx, s.cancel)
}

func transferError(err error) error {
	if errors.Is(err, transfer.ErrChanged) {
		return &oss.InconsistentError{Message: err.Error()}
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
func opGetOpen(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var t target
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, clientErrorf("bad get arguments: %v", err)
	}
	started := time.Now()
	st := &stream{}
	st.ctx, st.cancel = context.WithCancel(context.Background())
	stop := context.AfterFunc(ctx, st.cancel)
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
	resp := &http.Response{StatusCode: dl.Status, Header: dl.Header}
	h := newHandle(st)
	return getOpenResult{responseJSON: describe(resp, nil, started), Stream: handleRef{h, "GetObjectResult"}, Length: dl.Length}, nil
}

func streamArg(raw json.RawMessage) (*stream, error) {
	var a struct {
		Stream uint64 `json:"stream"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, clientErrorf("bad stream arguments: %v", err)
	}
	st, ok := handleValue[*stream](C.uintptr_t(a.Stream))
	if !ok {
		return nil, clientErrorf("bad stream handle")
	}
	return st, nil
}

type streamReadResult struct {
	N   int     `json:"n"`
	EOF bool    `json:"eof"`
	CRC *uint64 `json:"crc,omitempty"`
}

func (s *stream) result(n int) streamReadResult {
	res := streamReadResult{N: n, EOF: s.eof}
	if s.eof {
		c := s.crc
		res.CRC = &c
	}
	return res
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
	stop := st.bind(ctx)
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
	stop := st.bind(ctx)
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

// opGetToFile downloads in parallel parts, each written at its offset of a temporary file beside
// the target, and renames it over the target only when complete and verified: a failure never
// leaves a partial file at the target.
func opGetToFile(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a getToFileArgs
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, clientErrorf("bad get_to_file arguments: %v", err)
	}
	started := time.Now()
	dl, err := transfer.Open(ctx, s.client, a.request(http.MethodGet), s.transferConfig(a.PartSize))
	if err != nil {
		return nil, err
	}
	defer dl.Close()
	p.SetTotal(dl.Length)
	target := a.Filename
	if real, err := filepath.EvalSymlinks(target); err == nil {
		target = real // through a symlink to the file it names, as oss2's open(filename, "wb") does
	}
	f, err := createTemp(target)
	if err != nil {
		return nil, clientErrorf("%v", err)
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if st, err := os.Stat(target); err == nil { // keep an existing file's mode
		if err := f.Chmod(st.Mode().Perm()); err != nil {
			return nil, clientErrorf("%v", err)
		}
	}
	sum, err := dl.Fill(ctx, transfer.Sink{WriteAt: func(off int64, b []byte) error {
		_, err := f.WriteAt(b, off)
		return err
	}, Progress: p.Add}, 1<<20)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, transferError(err)
	}
	resp := &http.Response{StatusCode: dl.Status, Header: dl.Header}
	if a.CheckCRC && dl.Status == http.StatusOK {
		if err := checkCRC("get", sum, resp); err != nil {
			return nil, err
		}
	}
	if err := f.Close(); err != nil {
		return nil, clientErrorf("%v", err)
	}
	if err := os.Rename(f.Name(), target); err != nil {
		return nil, clientErrorf("%v", err)
	}
	ok = true
	return getToFileResult{responseJSON: describe(resp, nil, started), CRC: sum}, nil
}

// createTemp makes a new file beside target, with mode 0666 less the umask (what open(..., "wb")
// gives a new file; os.CreateTemp would give 0600).
func createTemp(target string) (*os.File, error) {
	dir, base := filepath.Split(target)
	for range 100 {
		var b [6]byte
		rand.Read(b[:])
		f, err := os.OpenFile(filepath.Join(dir, "."+base+".pyjindo-"+hex.EncodeToString(b[:])), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, os.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("cannot create a temporary file beside %s", target)
}

package main

/*
#include <stdint.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime/cgo"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// stream is an open GetObject body that Python reads in pieces.
type stream struct {
	mu   sync.Mutex
	body io.ReadCloser
	crc  uint64
	eof  bool
}

func (s *stream) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body.Close()
}

type getOpenResult struct {
	responseJSON
	Stream uint64 `json:"stream"`
}

// opGetOpen sends the GET and returns the response headers and a stream handle for the body, so
// errors (NoSuchKey ...) surface from get_object itself, as in oss2.
func opGetOpen(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var t target
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, clientErrorf("bad get arguments: %v", err)
	}
	started := time.Now()
	// The body outlives this operation: it must not be tied to the operation's context.
	resp, err := s.client.Do(context.WithoutCancel(ctx), t.request(http.MethodGet))
	if err != nil {
		return nil, err
	}
	h := cgo.NewHandle(&stream{body: resp.Body})
	return getOpenResult{responseJSON: describe(resp, nil, started), Stream: uint64(h)}, nil
}

type streamReadResult struct {
	N   int     `json:"n"`
	EOF bool    `json:"eof"`
	CRC *uint64 `json:"crc,omitempty"`
}

// opStreamRead fills the caller's buffer from the stream (less only at the end).
func opStreamRead(ctx context.Context, _ *session, raw json.RawMessage, buf []byte, p progress) (any, error) {
	var a struct {
		Stream uint64 `json:"stream"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, clientErrorf("bad stream_read arguments: %v", err)
	}
	st, ok := handleValue[*stream](C.uintptr_t(a.Stream))
	if !ok {
		return nil, clientErrorf("bad stream handle")
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.eof {
		c := st.crc
		return streamReadResult{EOF: true, CRC: &c}, nil
	}
	stop := context.AfterFunc(ctx, func() { st.body.Close() }) // cancel unblocks the read
	defer stop()
	n, err := io.ReadFull(st.body, buf)
	st.crc = crc.Update(st.crc, buf[:n])
	p.Add(int64(n))
	switch err {
	case nil:
	case io.EOF, io.ErrUnexpectedEOF:
		st.eof = true
	default:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &oss.RequestError{Err: err}
	}
	res := streamReadResult{N: n, EOF: st.eof}
	if st.eof {
		c := st.crc
		res.CRC = &c
	}
	return res, nil
}

type getToFileArgs struct {
	target
	Filename string `json:"filename"`
	CheckCRC bool   `json:"check_crc"`
}

type getToFileResult struct {
	responseJSON
	CRC uint64 `json:"crc"`
}

// opGetToFile downloads into a temporary file beside the target and renames it over the target
// only when complete and verified: a failure never leaves a partial file at the target.
func opGetToFile(ctx context.Context, s *session, raw json.RawMessage, _ []byte, p progress) (any, error) {
	var a getToFileArgs
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, clientErrorf("bad get_to_file arguments: %v", err)
	}
	started := time.Now()
	resp, err := s.client.Do(ctx, a.request(http.MethodGet))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p.SetTotal(resp.ContentLength)
	dir, base := filepath.Split(a.Filename)
	f, err := os.CreateTemp(dir, "."+base+".pyjindo-*")
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
	mode := os.FileMode(0o644) // what a file written by oss2 gets under the usual umask
	if st, err := os.Stat(a.Filename); err == nil {
		mode = st.Mode().Perm()
	}
	if err := f.Chmod(mode); err != nil {
		return nil, clientErrorf("%v", err)
	}
	w := &crcWriter{w: f, p: p}
	if _, err := io.CopyBuffer(w, resp.Body, make([]byte, 1<<20)); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &oss.RequestError{Err: err}
	}
	if a.CheckCRC && resp.StatusCode == http.StatusOK {
		if err := checkCRC("get", w.crc, resp); err != nil {
			return nil, err
		}
	}
	if err := f.Close(); err != nil {
		return nil, clientErrorf("%v", err)
	}
	if err := os.Rename(f.Name(), a.Filename); err != nil {
		return nil, clientErrorf("%v", err)
	}
	ok = true
	return getToFileResult{responseJSON: describe(resp, nil, started), CRC: w.crc}, nil
}

type crcWriter struct {
	w   io.Writer
	crc uint64
	p   progress
}

func (c *crcWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.crc = crc.Update(c.crc, b[:n])
	c.p.Add(int64(n))
	return n, err
}

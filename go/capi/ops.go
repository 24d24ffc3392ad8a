package main

/*
#include <stdint.h>
#include <stddef.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/pyjindo/pyjindo/go/oss"
)

// An operation runs in its own goroutine so Python can wait for it in short slices (and so
// see Ctrl-C), cancel it, and poll its progress counters. Python keeps the data buffer it passed
// alive until pj_wait reports the operation done.
type operation struct {
	cancel   context.CancelFunc
	done     chan struct{}
	result   []byte // JSON: {"ok": ...} or {"error": {...}}; set before done closes
	consumed atomic.Int64
	total    atomic.Int64
	retries  *retryLog // with pjRetryEvents only; drained by pj_events
}

// progress is what an operation reports while it runs.
type progress struct{ op *operation }

func (p progress) Add(n int64)      { p.op.consumed.Add(n) }
func (p progress) SetTotal(n int64) { p.op.total.Store(n) }
func (p progress) Consumed() int64  { return p.op.consumed.Load() }

// retries is the operation's retry log (nil without pjRetryEvents), for the operations whose
// work goes on under a context of its own (a stream's prefetch).
func (p progress) retries() *retryLog {
	if p.op == nil {
		return nil
	}
	return p.op.retries
}

// opFunc is one named operation. buf is the caller's buffer (data to send, or room to fill);
// it is only valid until the function returns.
type opFunc func(ctx context.Context, s *session, args json.RawMessage, buf []byte, p progress) (any, error)

// pj_start begins operation name on session sess with JSON args and an optional buffer. flags
// is 0 or pjRetryEvents (collect the operation's retries for pj_events). It returns an
// operation handle, or 0 with *errOut set to an error JSON (free with pj_free).
//
//export pj_start
func pj_start(sess C.uintptr_t, name *C.char, args *C.char, buf unsafe.Pointer, bufLen C.size_t, flags C.int, errOut **C.char) (h C.uintptr_t) {
	defer recoverInto(errOut)
	s, err := sessionFrom(sess)
	if err != nil {
		*errOut = C.CString(string(errorJSON(err)))
		return 0
	}
	fn, ok := operations()[C.GoString(name)]
	if !ok {
		*errOut = C.CString(string(errorJSON(clientErrorf("unknown operation %q", C.GoString(name)))))
		return 0
	}
	argBytes := []byte(C.GoString(args))
	var data []byte
	if buf != nil && bufLen > 0 {
		data = unsafe.Slice((*byte)(buf), int(bufLen))
	}
	op, ctx := newOperation(int(flags))
	go func() {
		defer close(op.done)
		defer op.cancel()
		defer func() {
			if r := recover(); r != nil {
				op.result = errorJSON(clientErrorf("internal error: %v", r))
			}
		}()
		v, err := fn(ctx, s, argBytes, data, progress{op})
		if err != nil {
			op.result = errorJSON(err)
			return
		}
		op.result = okJSON(v)
	}()
	return newHandle(op)
}

// newOperation is an operation and the context it runs in; with pjRetryEvents the context
// carries an Observer that keeps the operation's retries (and nothing else exists without it).
func newOperation(flags int) (*operation, context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	op := &operation{cancel: cancel, done: make(chan struct{})}
	if flags&pjRetryEvents != 0 {
		op.retries = &retryLog{}
		ctx = oss.WithObserver(ctx, op.retries.observer())
	}
	return op, ctx
}

// pj_wait waits up to timeoutMs for the operation; it returns 1 when done, 0 on timeout, -1 for
// a bad handle.
//
//export pj_wait
func pj_wait(h C.uintptr_t, timeoutMs C.int) (rc C.int) {
	defer recoverInto(nil)
	op, ok := handleValue[*operation](h)
	if !ok {
		return -1
	}
	t := time.NewTimer(time.Duration(timeoutMs) * time.Millisecond)
	defer t.Stop()
	select {
	case <-op.done:
		return 1
	case <-t.C:
		return 0
	}
}

// pj_result returns the finished operation's JSON result (free with pj_free), or NULL if it is
// not done yet.
//
//export pj_result
func pj_result(h C.uintptr_t) *C.char {
	defer recoverInto(nil)
	op, ok := handleValue[*operation](h)
	if !ok {
		return C.CString(string(errorJSON(clientErrorf("bad operation handle"))))
	}
	select {
	case <-op.done:
		return C.CString(string(op.result))
	default:
		return nil
	}
}

// pj_cancel asks the operation to stop; its cleanup (abort multipart, remove temp file) runs
// before pj_wait reports it done.
//
//export pj_cancel
func pj_cancel(h C.uintptr_t) {
	defer recoverInto(nil)
	if op, ok := handleValue[*operation](h); ok {
		op.cancel()
	}
}

// pj_progress reads the operation's byte counters (total is -1 until known).
//
//export pj_progress
func pj_progress(h C.uintptr_t, consumed, total *C.int64_t) {
	defer recoverInto(nil)
	if op, ok := handleValue[*operation](h); ok {
		*consumed = C.int64_t(op.consumed.Load())
		*total = C.int64_t(op.total.Load())
	}
}

func okJSON(v any) []byte {
	b, err := json.Marshal(map[string]any{"ok": v})
	if err != nil {
		return errorJSON(fmt.Errorf("encode result: %w", err))
	}
	return b
}

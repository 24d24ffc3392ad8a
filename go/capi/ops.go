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

	"github.com/pyjindo/pyjindo/go/ops"
	"github.com/pyjindo/pyjindo/go/oss"
)

// An operation runs in its own goroutine so Python can wait for it in short slices (and so
// see Ctrl-C), cancel it, and poll its progress counters. Python keeps the data buffer it passed
// alive until pj_wait reports the operation done. Which operations exist, their arguments and
// their results is go/ops's registry: this file only decodes the C arguments, runs the named
// operation and encodes its result.
type operation struct {
	cancel   context.CancelFunc
	done     chan struct{}
	result   []byte // JSON: {"ok": ...} or {"error": {...}}; set before done closes
	consumed atomic.Int64
	total    atomic.Int64
	retries  *ops.RetryLog  // with pjRetryEvents only; drained by pj_events
	watch    watchState     // the notifier told of its end (pj_watch)
	queued   *ops.QuickCall // an event loop's quick call: in its session's queue until it starts
	session  *ops.Session   // an event loop's quick call's: its result's buffer goes back there
}

// progress is what an operation reports while it runs (ops.Progress).
type progress struct{ op *operation }

func (p progress) Add(n int64)      { p.op.consumed.Add(n) }
func (p progress) SetTotal(n int64) { p.op.total.Store(n) }

func (p progress) Retries() *ops.RetryLog {
	if p.op == nil {
		return nil
	}
	return p.op.retries
}

// pj_start begins operation name (go/ops) on session sess with JSON args and an optional
// buffer. flags is 0 or pjRetryEvents (collect the operation's retries for pj_events). It
// returns an operation handle, or 0 with *errOut set to an error JSON (free with pj_free).
//
//export pj_start
func pj_start(sess C.uintptr_t, name *C.char, args *C.char, buf unsafe.Pointer, bufLen C.size_t, flags C.int, errOut **C.char) (h C.uintptr_t) {
	defer recoverInto(errOut)
	s, err := sessionFrom(sess)
	if err != nil {
		*errOut = C.CString(string(errorJSON(err)))
		return 0
	}
	fn, ok := ops.Lookup(C.GoString(name))
	if !ok {
		*errOut = C.CString(string(errorJSON(ops.ClientErrorf("unknown operation %q", C.GoString(name)))))
		return 0
	}
	argBytes := []byte(C.GoString(args))
	op := startOperation(s, callerBuffer(buf, bufLen), int(flags), errorJSON, func(ctx context.Context, call *ops.Call) []byte {
		v, err := fn.Run(ctx, call, argBytes)
		if err != nil {
			return errorJSON(err)
		}
		return okJSON(v)
	})
	return newHandle(op)
}

// callerBuffer is the caller's buffer as a slice (nil for none); it is valid until the operation
// using it is done.
func callerBuffer(buf unsafe.Pointer, n C.size_t) []byte {
	if buf == nil || n == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(buf), int(n))
}

// startOperation runs work on its own goroutine (s.Go) as an operation of session s; a panic in it
// becomes the result encodeErr gives for an internal error.
func startOperation(s *ops.Session, data []byte, flags int, encodeErr func(error) []byte,
	work func(ctx context.Context, call *ops.Call) []byte) *operation {
	op, run := prepareOperation(s, data, flags, encodeErr, work)
	s.Go(run)
	return op
}

// prepareOperation is startOperation's operation and the function that runs it, for the caller
// to start.
func prepareOperation(s *ops.Session, data []byte, flags int, encodeErr func(error) []byte,
	work func(ctx context.Context, call *ops.Call) []byte) (*operation, func()) {
	op, ctx := newOperation(flags)
	return op, func() {
		defer op.markEnded()
		defer close(op.done)
		defer op.cancel()
		defer func() {
			if r := recover(); r != nil {
				op.result = encodeErr(ops.ClientErrorf("internal error: %v", r))
			}
		}()
		op.result = work(ctx, &ops.Call{Session: s, Buffer: data, Progress: progress{op}, Handles: cgoHandles{}})
	}
}

// wait waits up to timeoutMs for op to end and tells whether it has.
func (op *operation) wait(timeoutMs C.int) bool {
	if timeoutMs <= 0 { // a look, not a wait: no timer to make and fire
		select {
		case <-op.done:
			return true
		default:
			return false
		}
	}
	t := time.NewTimer(time.Duration(timeoutMs) * time.Millisecond)
	defer t.Stop()
	select {
	case <-op.done:
		return true
	case <-t.C:
		return false
	}
}

// newOperation is an operation and the context it runs in; with pjRetryEvents the context
// carries an Observer that keeps the operation's retries (and nothing else exists without it).
func newOperation(flags int) (*operation, context.Context) {
	ctx, cancel := context.WithCancel(context.Background())
	op := &operation{cancel: cancel, done: make(chan struct{})}
	if flags&pjRetryEvents != 0 {
		op.retries = &ops.RetryLog{}
		ctx = oss.WithObserver(ctx, op.retries.Observer())
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
	if op.wait(timeoutMs) {
		return 1
	}
	return 0
}

// pj_result returns the finished operation's JSON result (free with pj_free), or NULL if it is
// not done yet.
//
//export pj_result
func pj_result(h C.uintptr_t) *C.char {
	defer recoverInto(nil)
	op, ok := handleValue[*operation](h)
	if !ok {
		return C.CString(string(errorJSON(ops.ClientErrorf("bad operation handle"))))
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
		if op.queued != nil {
			op.queued.Hurry() // still waiting for a place: it ends now, not when its turn comes
		}
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

// pj_ops describes the registry (ops.Describe: each operation's required and optional argument
// keys, its buffer, its result keys; the session configuration as "$session") as JSON (free
// with pj_free). pyjindo's tests compare it with pyjindo/_ops.py.
//
//export pj_ops
func pj_ops() *C.char {
	defer recoverInto(nil)
	b, err := json.Marshal(ops.Describe())
	if err != nil {
		return nil
	}
	return C.CString(string(b))
}

func okJSON(v any) []byte {
	b, err := json.Marshal(map[string]any{"ok": v})
	if err != nil {
		return errorJSON(fmt.Errorf("encode result: %w", err))
	}
	return b
}

package main

/*
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
*/
import "C"

import (
	"context"
	"time"
	"unsafe"

	"github.com/pyjindo/pyjindo/go/ops"
	"github.com/pyjindo/pyjindo/go/oss"
)

// pj_call runs a quick operation (go/ops RunQuick: head, put, exists, small get) in one crossing:
// args is its block of NUL-separated fields (argsLen bytes), buf the body to send. It waits up
// to timeoutMs for it: done, it returns 1 with *out (free with pj_free) and *outLen set to the
// result ('C' compact or 'J' JSON); still running, it returns 0 with *opOut an operation
// handle, which the caller waits on as on pj_start's (pj_wait, pj_cancel) and reads with
// pj_result_bytes or pj_take_result. flags is 0 or pjRetryEvents (as pj_start's); with it, an
// operation that did not end on the caller's thread always comes back as a handle, for
// pj_events. A notifier handle (watcherHandle) other than 0 watches
// that operation, as pj_watch would (an event loop's call: one crossing fewer). -1: *out is an
// error JSON ('J' form) and nothing runs.
//
//export pj_call
func pj_call(sess C.uintptr_t, kind C.int, args *C.char, argsLen C.size_t, buf unsafe.Pointer, bufLen C.size_t,
	flags C.int, timeoutMs C.int, watcherHandle C.uintptr_t, opOut *C.uintptr_t, out **C.char, outLen *C.size_t) (rc C.int) {
	defer func() {
		if r := recover(); r != nil {
			setBytes(out, outLen, append([]byte{'J'}, errorJSON(ops.ClientErrorf("pyjindo internal error: %v", r))...))
			rc = -1
		}
	}()
	jsonError := func(err error) []byte { return append([]byte{'J'}, errorJSON(err)...) }
	s, err := sessionFrom(sess)
	if err != nil {
		setBytes(out, outLen, jsonError(err))
		return -1
	}
	var watcher *notifier
	if watcherHandle != 0 {
		if watcher, _ = handleValue[*notifier](watcherHandle); watcher == nil {
			setBytes(out, outLen, jsonError(ops.ClientErrorf("bad notifier handle")))
			return -1
		}
	}
	block := C.GoStringN(args, C.int(argsLen))
	data := callerBuffer(buf, bufLen)
	run := &oss.DirectRun{}
	// (retry events may be asked for: a run on the caller's thread hands a retry off, and the
	// run that goes on collects them)
	if watcher == nil && int(flags)&^pjRetryEvents == 0 && s.InlineReady() && s.QuickInline(int(kind), block, len(data)) {
		// On the caller's thread: no hand-off to another goroutine and back (go/oss direct.go),
		// within the wait slice; an exchange still running then goes on a goroutine as below.
		run.Budget = time.Now().Add(time.Duration(timeoutMs) * time.Millisecond)
		// Nothing cancels a run on the caller's thread (the caller is in it; a run handed off goes
		// on as an operation of its own, which pj_cancel reaches), so its context never ends:
		// the watches of it (context.AfterFunc: the exchange's, the stream's) cost no
		// registration.
		ctx := oss.WithDirect(context.Background(), run)
		inline := &operation{}
		if int(flags)&pjRetryEvents != 0 {
			inline.retries = &ops.RetryLog{} // a stream the run opens logs its later parts' retries
		}
		var mem cResult
		settled := false
		defer func() {
			if !settled { // a panic in the run (the recover above reports it): what it held goes
				mem.give(nil, nil, nil)
				run.Discard()
			}
		}()
		result := ops.RunQuick(ctx, &ops.Call{Session: s, Buffer: data, Progress: progress{inline}, Handles: cgoHandles{}, Result: mem.alloc}, int(kind), block)
		run.End()
		settled = true
		if !run.HandedOff() {
			mem.give(result, out, outLen)
			return 1
		}
		mem.give(nil, nil, nil)
		// the caller's wait slice is what is left of the budget
		timeoutMs = C.int(max(0, time.Until(run.Budget).Milliseconds()))
		run = run.Resume()
	}
	op, work := prepareOperation(s, data, int(flags), jsonError, func(ctx context.Context, call *ops.Call) []byte {
		defer run.Discard() // an exchange handed off and not continued (cancelled first) is closed
		if err := ctx.Err(); err != nil {
			return jsonError(err) // cancelled while waiting for a place
		}
		if s.Client.Direct() {
			ctx = oss.WithDirect(ctx, run)
		}
		return ops.RunQuick(ctx, call, int(kind), block)
	})
	if watcher != nil {
		// an event loop's call: in the session's quick queue (ops.Session.StartQuick)
		op.queued, op.session = s.NewQuickCall(work), s
		s.StartQuick(op.queued)
	} else {
		s.Go(work)
	}
	// with its retries asked for, the caller gets the handle even when the operation is done:
	// it takes them with pj_events
	if op.retries == nil && op.wait(timeoutMs) {
		setBytes(out, outLen, op.result)
		return 1
	}
	h := newHandle(op)
	if watcher != nil {
		op.watchBy(watcher, h)
	}
	*opOut = h
	return 0
}

// pj_result_bytes sets *out (free with pj_free) and *outLen to the finished quick operation's
// result and returns 1; 0 when it is not done, -1 for a bad handle.
//
//export pj_result_bytes
func pj_result_bytes(h C.uintptr_t, out **C.char, outLen *C.size_t) C.int {
	defer recoverInto(nil)
	op, ok := handleValue[*operation](h)
	if !ok {
		return -1
	}
	select {
	case <-op.done:
		setBytes(out, outLen, op.result)
		return 1
	default:
		return 0
	}
}

// pj_take_result copies the finished operation's result into buf, which must be exactly its
// length (the size its notifier reported), and frees the handle: the end of an event loop's
// quick call in one crossing, with no C allocation. 0 when done; -1 (the handle kept) for a bad
// handle, an operation not done or a length that differs.
//
//export pj_take_result
func pj_take_result(h C.uintptr_t, buf unsafe.Pointer, bufLen C.size_t) C.int {
	defer recoverInto(nil)
	if !takeResult(h, unsafe.Slice((*byte)(buf), int(bufLen))) {
		return -1
	}
	return 0
}

// takeResult is pj_take_result on a slice of the caller's buffer.
func takeResult(h C.uintptr_t, dst []byte) bool {
	op, ok := handleValue[*operation](h)
	if !ok {
		return false
	}
	select {
	case <-op.done:
	default:
		return false
	}
	if len(dst) != len(op.result) {
		return false
	}
	copy(dst, op.result)
	pj_free_handle(h)
	if op.session != nil {
		op.session.RecycleResult(op.result) // copied out: the next get reads into it
	}
	return true
}

// cResult is the C memory a quick operation run on its caller's thread builds its result in
// (ops.Call.Result): the caller gets it as it is, with no copy.
type cResult struct{ p unsafe.Pointer }

func (m *cResult) alloc(n int) []byte {
	m.give(nil, nil, nil) // one result per run: an earlier one was not used
	m.p = C.malloc(C.size_t(max(n, 1)))
	return unsafe.Slice((*byte)(m.p), n)
}

// give sets *out and *outLen to result: m's memory when result is it, else a C copy (result may
// be nil: m's memory is freed).
func (m *cResult) give(result []byte, out **C.char, outLen *C.size_t) {
	if m.p != nil && len(result) > 0 && unsafe.Pointer(unsafe.SliceData(result)) == m.p {
		*out, *outLen = (*C.char)(m.p), C.size_t(len(result))
		m.p = nil
		return
	}
	if m.p != nil {
		C.free(m.p)
		m.p = nil
	}
	if out != nil {
		setBytes(out, outLen, result)
	}
}

func setBytes(out **C.char, outLen *C.size_t, b []byte) {
	*out = (*C.char)(C.CBytes(b))
	*outLen = C.size_t(len(b))
}

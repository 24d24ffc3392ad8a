package main

/*
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
*/
import "C"

import (
	"context"
	"unsafe"

	"github.com/pyjindo/pyjindo/go/ops"
)

// pj_call runs a quick operation (go/ops RunQuick: head, put, exists, small get) in one crossing:
// args is its block of NUL-separated fields (argsLen bytes), buf the body to send. It waits up
// to timeoutMs for it: done, it returns 1 with *out (free with pj_free) and *outLen set to the
// result ('C' compact or 'J' JSON); still running, it returns 0 with *opOut an operation
// handle, which the caller waits on as on pj_start's (pj_wait, pj_cancel) and reads with
// pj_result_bytes. -1: *out is an error JSON ('J' form) and nothing runs.
//
//export pj_call
func pj_call(sess C.uintptr_t, kind C.int, args *C.char, argsLen C.size_t, buf unsafe.Pointer, bufLen C.size_t,
	flags C.int, timeoutMs C.int, opOut *C.uintptr_t, out **C.char, outLen *C.size_t) (rc C.int) {
	defer func() {
		if r := recover(); r != nil {
			setBytes(out, outLen, append([]byte{'J'}, errorJSON(ops.ClientErrorf("pyjindo internal error: %v", r))...))
			rc = -1
		}
	}()
	s, err := sessionFrom(sess)
	if err != nil {
		setBytes(out, outLen, append([]byte{'J'}, errorJSON(err)...))
		return -1
	}
	block := C.GoStringN(args, C.int(argsLen))
	jsonError := func(err error) []byte { return append([]byte{'J'}, errorJSON(err)...) }
	op := startOperation(s, callerBuffer(buf, bufLen), int(flags), jsonError, func(ctx context.Context, call *ops.Call) []byte {
		return ops.RunQuick(ctx, call, int(kind), block)
	})
	if op.wait(timeoutMs) {
		setBytes(out, outLen, op.result)
		return 1
	}
	*opOut = newHandle(op)
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

func setBytes(out **C.char, outLen *C.size_t, b []byte) {
	*out = (*C.char)(C.CBytes(b))
	*outLen = C.size_t(len(b))
}

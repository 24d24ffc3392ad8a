package main

/*
#include <stdint.h>
#include <stdlib.h>
*/
import "C"

import (
	"encoding/json"
	"runtime"
	"runtime/cgo"
	"sync/atomic"
)

// Go values cross the boundary only as cgo handles (DESIGN.md section 2). The runtime's handle
// table, and the count of live handles kept beside it for pj_stats, are the only global state.
var liveHandles atomic.Int64

func newHandle(v any) C.uintptr_t {
	liveHandles.Add(1)
	return C.uintptr_t(cgo.NewHandle(v))
}

// handleValue returns the value behind h if it has type T.
func handleValue[T any](h C.uintptr_t) (v T, ok bool) {
	if h == 0 {
		return v, false
	}
	defer func() {
		if recover() != nil { // an already freed or invalid handle panics in cgo.Handle.Value
			ok = false
		}
	}()
	v, ok = cgo.Handle(h).Value().(T)
	return v, ok
}

// closer is implemented by handle values that hold resources (sessions, streams).
type closer interface{ close() }

// pj_free_handle releases a handle and whatever it holds; freeing an operation that is still
// running cancels it.
//
//export pj_free_handle
func pj_free_handle(h C.uintptr_t) {
	defer recoverInto(nil)
	if h == 0 {
		return
	}
	v, ok := handleValue[any](h)
	if !ok {
		return
	}
	switch x := v.(type) {
	case *operation:
		x.cancel()
		<-x.done // it may still be writing into the caller's buffer; cancellation is prompt
	case closer:
		x.close()
	}
	cgo.Handle(h).Delete()
	liveHandles.Add(-1)
}

// pj_stats returns {"goroutines": n, "handles": n} (free with pj_free): a leak shows as growth.
//
//export pj_stats
func pj_stats() *C.char {
	b, _ := json.Marshal(map[string]int64{"goroutines": int64(runtime.NumGoroutine()), "handles": liveHandles.Load()})
	return C.CString(string(b))
}

package main

/*
#include <stdint.h>
*/
import "C"

import (
	"runtime/cgo"
)

// Go values cross the boundary only as cgo handles (DESIGN.md section 2); the runtime's handle
// table is the one piece of global state.

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
	case closer:
		x.close()
	}
	cgo.Handle(h).Delete()
}

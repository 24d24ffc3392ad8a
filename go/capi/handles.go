package main

/*
#include <stdint.h>
#include <stdlib.h>
*/
import "C"

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"runtime"
	"runtime/cgo"
	"sync/atomic"
	"unsafe"

	"github.com/pyjindo/pyjindo/go/ops"
)

// Go values cross the boundary only as cgo handles (docs/ARCHITECTURE.md, "The C ABI"). The runtime's handle
// table, and the count of live handles kept beside it for pj_stats, are the only global state,
// with handleTag, which is fixed when the library is loaded.
var liveHandles atomic.Int64

// A forked Python child loads a fresh copy of this library, whose cgo handle numbers start again
// from 1, while the child may still hold numbers from the parent's copy. Each loaded copy marks
// its numbers with a random tag in bits the cgo counter never reaches, so a number from another
// copy is refused instead of naming one of this copy's objects. (Python checks the library
// generation first; this is the second guard.)
const (
	tagShift = 47
	tagBits  = 16
)

var handleTag = newHandleTag()

func newHandleTag() uintptr {
	if unsafe.Sizeof(uintptr(0)) < 8 {
		return 0 // no spare bits on 32-bit platforms
	}
	var b [2]byte
	for b == [2]byte{} { // a zero tag would accept untagged numbers
		rand.Read(b[:])
	}
	return uintptr(binary.LittleEndian.Uint16(b[:])) << tagShift
}

func tagMask() uintptr {
	if handleTag == 0 {
		return 0
	}
	return (1<<tagBits - 1) << tagShift
}

func newHandle(v any) C.uintptr_t {
	liveHandles.Add(1)
	return C.uintptr_t(uintptr(cgo.NewHandle(v)) | handleTag)
}

// untag returns the cgo handle behind a number this copy of the library handed out.
func untag(h C.uintptr_t) (cgo.Handle, bool) {
	n := uintptr(h)
	if n == 0 || n&tagMask() != handleTag {
		return 0, false
	}
	return cgo.Handle(n &^ tagMask()), true
}

// handleValue returns the value behind h if it has type T.
func handleValue[T any](h C.uintptr_t) (v T, ok bool) {
	ch, ok := untag(h)
	if !ok {
		return v, false
	}
	defer func() {
		if recover() != nil { // an already freed or invalid handle panics in cgo.Handle.Value
			ok = false
		}
	}()
	v, ok = ch.Value().(T)
	return v, ok
}

// cgoHandles is the handle table as go/ops sees it.
type cgoHandles struct{}

func (cgoHandles) New(v any) uint64 { return uint64(newHandle(v)) }

func (cgoHandles) Value(h uint64) (any, bool) { return handleValue[any](C.uintptr_t(h)) }

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
	case ops.Closer: // sessions, streams, writers, readers, batch data
		x.Close()
	}
	ch, _ := untag(h)
	ch.Delete()
	liveHandles.Add(-1)
}

// pj_stats returns {"goroutines": n, "handles": n} (free with pj_free): a leak shows as growth.
//
//export pj_stats
func pj_stats() *C.char {
	b, _ := json.Marshal(map[string]int64{"goroutines": int64(runtime.NumGoroutine()), "handles": liveHandles.Load()})
	return C.CString(string(b))
}

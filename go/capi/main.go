// Package main is pyjindo's C ABI: the only package that imports "C". It is built with
// `go build -buildmode=c-shared` into pyjindo/_jindo.so and loaded by cffi in ABI mode.
//
// Rules (docs/ARCHITECTURE.md, "The C ABI"): Go objects cross as cgo handles, never pointers; every export
// recovers from panics; strings Go allocates are freed with pj_free.
package main

/*
#include <stdlib.h>
*/
import "C"

import "unsafe"

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// pj_version returns the library version; free it with pj_free.
//
//export pj_version
func pj_version() *C.char {
	return C.CString(version)
}

// pj_free releases memory the library allocated (strings, JSON documents).
//
//export pj_free
func pj_free(p unsafe.Pointer) {
	C.free(p)
}

func main() {}

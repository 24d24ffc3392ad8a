package main

import (
	"runtime/cgo"
	"testing"
)

func TestHandlesCarryThisCopysTag(t *testing.T) {
	if handleTag == 0 {
		t.Skip("no tag on 32-bit platforms")
	}
	h := newHandle(42)
	defer pj_free_handle(h)
	if v, ok := handleValue[int](h); !ok || v != 42 {
		t.Fatalf("handleValue = %v, %v; want 42, true", v, ok)
	}
	// What another copy of the library (a forked child's) would have handed out for the same
	// object: the same cgo number under a different tag, or no tag at all.
	other := h ^ (1 << tagShift)
	if v, ok := handleValue[int](other); ok {
		t.Fatalf("a number with another copy's tag resolved to %v", v)
	}
	untagged := h & (1<<tagShift - 1) // the bare cgo number, as an older build handed out
	if cgo.Handle(untagged).Value() != 42 {
		t.Fatal("the bare number is not the cgo handle")
	}
	if v, ok := handleValue[int](untagged); ok {
		t.Fatalf("an untagged number resolved to %v", v)
	}
	if _, ok := handleValue[int](0); ok {
		t.Fatal("handle 0 resolved")
	}
}

func TestFreeingAForeignNumberDoesNothing(t *testing.T) {
	if handleTag == 0 {
		t.Skip("no tag on 32-bit platforms")
	}
	h := newHandle("kept")
	defer pj_free_handle(h)
	pj_free_handle(h ^ (1 << tagShift)) // must not free h's object
	if v, ok := handleValue[string](h); !ok || v != "kept" {
		t.Fatalf("after freeing a foreign number: %v, %v", v, ok)
	}
}

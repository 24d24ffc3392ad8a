package main

/*
#include <stdint.h>
*/
import "C"

// pjRetryEvents is pj_start's flag asking for the operation's retries: Python sets it when its
// retry logger is enabled, then drains them with pj_events while it waits and once at the end,
// and logs them on its own thread (Go never calls into Python). Without it the operation has no
// retry log (ops.RetryLog) and its context no Observer: nothing is collected or allocated.
const pjRetryEvents = 1

// pj_events returns the operation's retries since the last call as JSON (free with pj_free), or
// NULL when there are none or it was not started with pjRetryEvents.
//
//export pj_events
func pj_events(h C.uintptr_t) *C.char {
	defer recoverInto(nil)
	op, ok := handleValue[*operation](h)
	if !ok || op.retries == nil {
		return nil
	}
	if b := op.retries.Drain(); b != nil {
		return C.CString(string(b))
	}
	return nil
}

package main

import (
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
)

// Without the flag an operation has no retry log and its context no Observer: nothing is
// collected for a Python whose retry logger is off.
func TestOperationCollectsRetriesOnlyWhenAsked(t *testing.T) {
	op, ctx := newOperation(0)
	defer op.cancel()
	if op.retries != nil || oss.ObserverFrom(ctx) != nil {
		t.Fatal("an operation started without pjRetryEvents collects retries")
	}
	op, ctx = newOperation(pjRetryEvents)
	defer op.cancel()
	o := oss.ObserverFrom(ctx)
	if op.retries == nil || o == nil || o.OnRetry == nil {
		t.Fatal("an operation started with pjRetryEvents has no retry log")
	}
}

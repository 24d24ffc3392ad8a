package transfer

import (
	"context"
	"sync"
)

// Meter receives a transfer's progress; nil fields are ignored.
type Meter struct {
	Add      func(n int64) // n more units done (negative: undone, to be sent again)
	SetTotal func(n int64) // the total, once known
}

func (m Meter) add(n int64) {
	if m.Add != nil {
		m.Add(n)
	}
}

func (m Meter) setTotal(n int64) {
	if m.SetTotal != nil {
		m.SetTotal(n)
	}
}

// Slots is the one bound on work in flight, shared by the pools of the Go core (Each, the
// Writer's parts, Python's quick calls from an event loop): at most n holders at once, each
// holding a slot number in [0, n) that no other holder has meanwhile (a holder can keep a
// scratch buffer per slot).
type Slots chan int

// NewSlots returns n free slots (at least one).
func NewSlots(n int) Slots {
	s := make(Slots, max(1, n))
	for i := range cap(s) {
		s <- i
	}
	return s
}

// Acquire waits for a free slot; when ctx ends first (or has ended) it returns ctx's error and
// no slot.
func (s Slots) Acquire(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	select {
	case i := <-s:
		return i, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Release frees a slot Acquire returned.
func (s Slots) Release(i int) { s <- i }

// Each is the bounded worker pool: it calls fn(ctx, worker, i) for i in [0, n), each on its
// own goroutine (a single item on the caller's), handing the items out in order as one of at
// most workers slots is free (worker is the slot). At the first error, or when ctx ends, it stops handing out work and
// returns the first error (or ctx's if items were left undone). With abort, the calls under
// way are cancelled too (the parts of one transfer: the transfer has failed); without, they
// finish (a half-done item, such as a copy without its delete, is worse than a finished one).
func Each(ctx context.Context, n, workers int, abort bool, fn func(ctx context.Context, worker, i int) error) error {
	if n == 1 { // on the caller's goroutine: a small object's one part starts no goroutine
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(ctx, 0, 0)
	}
	feedCtx, stop := context.WithCancel(ctx) // ends at the first error: no more items go out
	defer stop()
	callCtx := ctx
	if abort {
		callCtx = feedCtx
	}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	slots := NewSlots(min(workers, n))
	sent := 0
	for ; sent < n; sent++ {
		w, err := slots.Acquire(feedCtx)
		if err != nil {
			break
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer slots.Release(w)
			if err := fn(callCtx, w, i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
					stop()
				}
				mu.Unlock()
			}
		}(sent)
	}
	wg.Wait()
	if first == nil && sent < n {
		first = ctx.Err()
	}
	return first
}

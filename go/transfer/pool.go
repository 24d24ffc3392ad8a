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

// forEach is the one bounded worker pool: it calls fn(ctx, worker, i) for i in [0, n), handing
// the items out in order to the first free of at most workers goroutines (worker, in
// [0, workers), names the goroutine, so that a call can use its scratch buffer). At the first
// error, or when ctx ends, it stops handing out work and returns the first error (or ctx's if
// items were left undone). With abort, the calls under way are cancelled too (the parts of one
// transfer: the transfer has failed); without, they finish (a half-done item, such as a copy
// without its delete, is worse than a finished one).
func forEach(ctx context.Context, n, workers int, abort bool, fn func(ctx context.Context, worker, i int) error) error {
	if n == 1 { // on the caller's goroutine: a small object's one part starts no goroutine
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(ctx, 0, 0)
	}
	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if !abort {
		callCtx = ctx
	}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
		next  = make(chan int)
		stop  = make(chan struct{})
	)
	for w := range max(1, min(workers, n)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(callCtx, w, i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
						close(stop)
						cancel()
					}
					mu.Unlock()
				}
			}
		}()
	}
	sent := 0
feed:
	for ; sent < n && ctx.Err() == nil; sent++ {
		select {
		case next <- sent:
		case <-stop:
			break feed
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil && sent < n {
		first = ctx.Err()
	}
	return first
}

package ops

import (
	"sync/atomic"
	"time"
)

// workers runs a session's operations on goroutines kept for the next one: a new goroutine
// grows its stack to what a request needs (copied at each doubling) on every call, about 5% of
// the CPU of a small get. At most maxIdle wait (maxIdleWorkers, or a session's calls in flight
// when it says how many: pyjindo.aio's connections), each for at most keep (workerIdle).
type workers struct {
	work    chan func() // unbuffered: a send succeeds only when a worker is waiting
	idle    atomic.Int32
	maxIdle int32
	keep    time.Duration
}

const (
	maxIdleWorkers = 4
	workerIdle     = time.Second
)

func newWorkers(keep time.Duration, maxIdle int) *workers {
	return &workers{work: make(chan func()), keep: keep, maxIdle: int32(max(maxIdle, maxIdleWorkers))}
}

// Go runs f on a waiting worker, or on a new goroutine.
func (w *workers) Go(f func()) {
	select {
	case w.work <- f:
	default:
		go w.run(f)
	}
}

// run runs f, then waits for more work while few enough others wait.
func (w *workers) run(f func()) {
	var t *time.Timer
	for {
		f()
		f = nil // a waiting worker holds nothing of the operation it ran (its result, its session)
		if w.idle.Add(1) > w.maxIdle {
			w.idle.Add(-1)
			return
		}
		if t == nil {
			t = time.NewTimer(w.keep)
		} else {
			t.Reset(w.keep)
		}
		select {
		case f = <-w.work:
			w.idle.Add(-1)
		case <-t.C:
			w.idle.Add(-1)
			return
		}
	}
}

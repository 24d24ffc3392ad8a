package ops

import (
	"runtime"
	"sync"
	"testing"
	"time"
)

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestWorkersReuseWaitingGoroutines(t *testing.T) {
	w := newWorkers(time.Minute, 0)
	before := runtime.NumGoroutine()
	for i := 0; i < 100; i++ {
		done := make(chan struct{})
		w.Go(func() { close(done) })
		<-done
		waitFor(t, "a worker to wait", func() bool { return w.idle.Load() >= 1 })
	}
	// A worker counts itself idle just before it waits: an operation sent in between finds no
	// one waiting and starts a second worker, now and then. Without reuse there would be
	// maxIdleWorkers.
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Fatalf("100 operations in a row left %d goroutines, want at most two more than %d", n, before)
	}
}

func TestWorkersKeepFewAndEndIdle(t *testing.T) {
	w := newWorkers(50*time.Millisecond, 0)
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	release := make(chan struct{})
	for i := 0; i < 3*maxIdleWorkers; i++ { // all at once: each on a goroutine of its own
		wg.Add(1)
		w.Go(func() { defer wg.Done(); <-release })
	}
	close(release)
	wg.Wait()
	waitFor(t, "extra workers to end", func() bool { return runtime.NumGoroutine() <= before+maxIdleWorkers })
	if n := w.idle.Load(); n > maxIdleWorkers {
		t.Fatalf("%d idle workers, want at most %d", n, maxIdleWorkers)
	}
	waitFor(t, "idle workers to end", func() bool { return runtime.NumGoroutine() <= before })
	if n := w.idle.Load(); n != 0 {
		t.Fatalf("%d idle workers after they ended", n)
	}
}

func TestWorkersKeepAsManyAsTheSessionsCallsInFlight(t *testing.T) {
	w := newWorkers(300*time.Millisecond, 3*maxIdleWorkers)
	var wg sync.WaitGroup
	release := make(chan struct{})
	for i := 0; i < 3*maxIdleWorkers; i++ {
		wg.Add(1)
		w.Go(func() { defer wg.Done(); <-release })
	}
	close(release)
	wg.Wait()
	waitFor(t, "every worker to wait", func() bool { return w.idle.Load() == 3*maxIdleWorkers })
	waitFor(t, "idle workers to end", func() bool { return w.idle.Load() == 0 })
}

package main

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/ops"
)

// blockedOperation is an operation that ends when release is closed.
func blockedOperation(release chan struct{}) *operation {
	return startOperation(&ops.Session{}, nil, 0, errorJSON, func(ctx context.Context, call *ops.Call) []byte {
		<-release
		return []byte(`{"ok":null}`)
	})
}

// readByte waits (bounded) for the notifier's pipe to become readable and drains it.
func readByte(t *testing.T, n *notifier) int {
	t.Helper()
	buf := make([]byte, 16)
	deadline := time.Now().Add(5 * time.Second)
	for {
		k, err := syscall.Read(n.rfd, buf)
		if err == nil {
			return k
		}
		if err != syscall.EAGAIN || time.Now().After(deadline) {
			t.Fatalf("read pipe: %v", err)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestAWatchedOperationIsQueuedAndWakesThePipeOnce(t *testing.T) {
	n, err := newNotifier()
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	release := make(chan struct{})
	ops := []*operation{blockedOperation(release), blockedOperation(release), blockedOperation(release)}
	handles := make(map[uint64]bool)
	for _, op := range ops {
		h := newHandle(op)
		defer pj_free_handle(h)
		op.watchBy(n, h)
		handles[uint64(h)] = true
	}
	if got := n.take(10); len(got) != 0 {
		t.Fatalf("queued before any ended: %v", got)
	}
	close(release)
	for _, op := range ops {
		<-op.done
	}
	deadline := time.Now().Add(5 * time.Second)
	var taken []uint64
	for len(taken) < 3 && time.Now().Before(deadline) {
		for _, e := range n.take(2) {
			taken = append(taken, uint64(e.handle))
		}
		time.Sleep(time.Millisecond)
	}
	if len(taken) != 3 {
		t.Fatalf("taken %v, want the 3 operations", taken)
	}
	for _, h := range taken {
		if !handles[h] {
			t.Fatalf("took %d, which was not watched", h)
		}
	}
	// One byte for the empty queue's first ending; the others found the queue non-empty
	// unless it had been taken in between.
	if k := readByte(t, n); k < 1 || k > 3 {
		t.Fatalf("pipe held %d bytes", k)
	}
}

func TestAnOperationWatchedAfterItEndedIsQueuedAtOnce(t *testing.T) {
	n, err := newNotifier()
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	release := make(chan struct{})
	close(release)
	op := blockedOperation(release)
	<-op.done
	h := newHandle(op)
	defer pj_free_handle(h)
	for deadline := time.Now().Add(5 * time.Second); ; {
		op.watch.mu.Lock()
		ended := op.watch.ended
		op.watch.mu.Unlock()
		if ended {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the operation never marked its end")
		}
		time.Sleep(time.Millisecond)
	}
	op.watchBy(n, h)
	if got := n.take(10); len(got) != 1 || got[0].handle != h || int(got[0].size) != len(op.result) {
		t.Fatalf("taken %v, want [{%d %d}]", got, h, len(op.result))
	}
	if k := readByte(t, n); k != 1 {
		t.Fatalf("pipe held %d bytes, want 1", k)
	}
}

func TestAClosedNotifierDropsEndings(t *testing.T) {
	n, err := newNotifier()
	if err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	op := blockedOperation(release)
	h := newHandle(op)
	defer pj_free_handle(h)
	op.watchBy(n, h)
	n.Close()
	close(release)
	<-op.done
	if got := n.take(10); len(got) != 0 {
		t.Fatalf("a closed notifier queued %v", got)
	}
}

func TestTakeResultCopiesAFinishedResultOfTheSizeReportedAndFreesTheHandle(t *testing.T) {
	release := make(chan struct{})
	op := blockedOperation(release)
	h := newHandle(op)
	defer pj_free_handle(h) // a no-op once taken
	if takeResult(h, make([]byte, 11)) {
		t.Fatal("took the result of an operation still running")
	}
	close(release)
	<-op.done
	if takeResult(h, make([]byte, 3)) {
		t.Fatal("took a result into a buffer of another length")
	}
	got := make([]byte, len(op.result))
	if !takeResult(h, got) || string(got) != `{"ok":null}` {
		t.Fatalf("took %q", got)
	}
	if _, ok := handleValue[*operation](h); ok {
		t.Fatal("the handle outlived its result being taken")
	}
}

package main

/*
#include <stdint.h>
#include <stddef.h>
*/
import "C"

import (
	"sync"
	"syscall"
	"unsafe"
)

// A notifier lets an event loop (pyjindo.aio) learn that operations ended without a thread per
// call and without polling: an operation watched by it is queued when it ends, and the first
// one queued after the loop last took the queue writes one byte to a pipe the loop watches
// (asyncio's add_reader). The loop drains the pipe before it takes the queue, so no ending is
// missed and the pipe holds at most one unread byte.
type notifier struct {
	mu     sync.Mutex
	ended  []ending // in the order they ended, not yet taken
	rfd    int
	wfd    int
	closed bool
}

// ending is an ended operation as the loop takes it: its handle and the length of its result,
// so the loop can make room for a quick result before it takes it (pj_take_result).
type ending struct {
	handle C.uintptr_t
	size   C.size_t
}

func (n *notifier) push(e ending) {
	n.mu.Lock()
	defer n.mu.Unlock() // the write happens under the lock so Close cannot free the fd during it
	if n.closed {
		return
	}
	wake := len(n.ended) == 0
	n.ended = append(n.ended, e)
	if wake {
		syscall.Write(n.wfd, []byte{1}) // non-blocking; a full pipe already wakes the loop
	}
}

// Close closes the pipe; operations ending later are dropped (pj_free_handle calls it).
func (n *notifier) Close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.closed {
		n.closed = true
		syscall.Close(n.rfd)
		syscall.Close(n.wfd)
	}
}

// watchState is what an operation needs to report its end to a notifier (pj_watch).
type watchState struct {
	mu      sync.Mutex
	ended   bool
	watcher *notifier
	handle  C.uintptr_t
}

// markEnded runs once the operation's done channel is closed.
func (op *operation) markEnded() {
	op.watch.mu.Lock()
	op.watch.ended = true
	n, h := op.watch.watcher, op.watch.handle
	op.watch.mu.Unlock()
	if n != nil {
		n.push(ending{h, C.size_t(len(op.result))})
	}
}

// newNotifier makes a notifier with a non-blocking pipe whose ends are not inherited by exec.
func newNotifier() (*notifier, error) {
	var p [2]int
	syscall.ForkLock.RLock()
	err := syscall.Pipe(p[:])
	if err == nil {
		syscall.CloseOnExec(p[0])
		syscall.CloseOnExec(p[1])
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, err
	}
	n := &notifier{rfd: p[0], wfd: p[1]}
	if err = syscall.SetNonblock(p[0], true); err == nil {
		err = syscall.SetNonblock(p[1], true)
	}
	if err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

// watchBy queues the operation (handle h) on n when it ends, at once if it has.
func (op *operation) watchBy(n *notifier, h C.uintptr_t) {
	op.watch.mu.Lock()
	ended := op.watch.ended
	if !ended {
		op.watch.watcher, op.watch.handle = n, h
	}
	op.watch.mu.Unlock()
	if ended {
		n.push(ending{h, C.size_t(len(op.result))})
	}
}

// take removes and returns up to max ended operations, oldest first.
func (n *notifier) take(max int) []ending {
	n.mu.Lock()
	defer n.mu.Unlock()
	k := min(max, len(n.ended))
	out := append([]ending(nil), n.ended[:k]...)
	n.ended = append(n.ended[:0], n.ended[k:]...)
	return out
}

// pj_notifier_new makes a notifier and sets fds[0] to the pipe end to watch for reading (and
// fds[1] to the other end, which a forked child closes); 0 and *errOut on failure. Freeing the
// handle closes both ends.
//
//export pj_notifier_new
func pj_notifier_new(fds *C.int, errOut **C.char) (h C.uintptr_t) {
	defer recoverInto(errOut)
	n, err := newNotifier()
	if err != nil {
		*errOut = C.CString(string(errorJSON(err)))
		return 0
	}
	out := unsafe.Slice(fds, 2)
	out[0], out[1] = C.int(n.rfd), C.int(n.wfd)
	return newHandle(n)
}

// pj_watch queues operation op on notifier n when it ends (at once if it has); 0, or -1 for a
// bad handle. An operation is watched by one notifier, once.
//
//export pj_watch
func pj_watch(op C.uintptr_t, n C.uintptr_t) (rc C.int) {
	defer recoverInto(nil)
	o, ok := handleValue[*operation](op)
	if !ok {
		return -1
	}
	nt, ok := handleValue[*notifier](n)
	if !ok {
		return -1
	}
	o.watchBy(nt, op)
	return 0
}

// pj_notifier_take moves up to capacity ended operation handles into out, and the lengths of
// their results into sizes, and returns how many (-1 for a bad handle); the caller calls again
// while it gets capacity.
//
//export pj_notifier_take
func pj_notifier_take(n C.uintptr_t, out *C.uintptr_t, sizes *C.size_t, capacity C.size_t) (count C.int) {
	defer recoverInto(nil)
	nt, ok := handleValue[*notifier](n)
	if !ok {
		return -1
	}
	taken := nt.take(int(capacity))
	if len(taken) > 0 {
		hs, ss := unsafe.Slice(out, len(taken)), unsafe.Slice(sizes, len(taken))
		for i, e := range taken {
			hs[i], ss[i] = e.handle, e.size
		}
	}
	return C.int(len(taken))
}

package ops

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// testHandles is a handle table like go/capi's, for tests: numbers from 1, values freed once.
type testHandles struct {
	mu   sync.Mutex
	next uint64
	m    map[uint64]any
}

func newTestHandles() *testHandles { return &testHandles{m: map[uint64]any{}} }

func (h *testHandles) New(v any) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	h.m[h.next] = v
	return h.next
}

func (h *testHandles) Value(n uint64) (any, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	v, ok := h.m[n]
	return v, ok
}

// free releases a handle as pj_free_handle does.
func (h *testHandles) free(n uint64) {
	h.mu.Lock()
	v, ok := h.m[n]
	delete(h.m, n)
	h.mu.Unlock()
	if c, isCloser := v.(Closer); ok && isCloser {
		c.Close()
	}
}

// closeAll frees every handle left.
func (h *testHandles) closeAll() {
	h.mu.Lock()
	ns := make([]uint64, 0, len(h.m))
	for n := range h.m {
		ns = append(ns, n)
	}
	h.mu.Unlock()
	for _, n := range ns {
		h.free(n)
	}
}

// testProgress counts as go/capi's operation does.
type testProgress struct {
	consumed, total atomic.Int64
	retries         *RetryLog
}

func (p *testProgress) Add(n int64)        { p.consumed.Add(n) }
func (p *testProgress) SetTotal(n int64)   { p.total.Store(n) }
func (p *testProgress) Retries() *RetryLog { return p.retries }

// run calls operation name through the registry as go/capi's pj_start does, a panic being a
// failure of the test.
func run(t *testing.T, s *Session, h Handles, name, args string, buf []byte) (res any, err error) {
	t.Helper()
	op, ok := Lookup(name)
	if !ok {
		t.Fatalf("no operation %q", name)
	}
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v", name, r)
		}
	}()
	if h == nil {
		h = newTestHandles()
	}
	return op.Run(context.Background(), &Call{Session: s, Buffer: buf, Progress: &testProgress{}, Handles: h}, []byte(args))
}

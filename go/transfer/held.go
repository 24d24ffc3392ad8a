package transfer

import "sync"

// Held keeps the bytes of a batch's items that no caller buffer could take (GetMany without
// sizes) outside Go's heap, in slabs the caller's copying releases one by one. In the heap those
// bytes were live data to the collector, which then let as much garbage again pile up before
// it ran (GOGC=100): a batch of small objects peaked at its bytes, their copies and that much
// garbage, 2.6x its size. Here the collector never sees them, and a slab goes back to the
// system (munmap) once its last item is released, while the caller's copies grow.
type Held struct {
	mu    sync.Mutex
	cur   *slab // the slab new items go to
	slabs map[*slab]struct{}
}

type slab struct {
	mem    []byte
	used   int
	live   int  // items in it not yet released
	mapped bool // mem is an anonymous mapping (else heap: the mapping failed)
}

// slabSize is the size of the slabs small items share; an item over a quarter of it gets its own.
const slabSize = 4 << 20

// NewHeld is an empty store.
func NewHeld() *Held { return &Held{slabs: map[*slab]struct{}{}} }

// alloc is n bytes of the store and the slab they are in.
func (h *Held) alloc(n int) ([]byte, *slab) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if n > slabSize/4 {
		s := newSlab(n)
		s.used, s.live = n, 1
		h.slabs[s] = struct{}{}
		return s.mem, s
	}
	if h.cur == nil || h.cur.used+n > len(h.cur.mem) {
		if h.cur != nil && h.cur.live == 0 {
			h.drop(h.cur)
		}
		h.cur = newSlab(slabSize)
		h.slabs[h.cur] = struct{}{}
	}
	s := h.cur
	b := s.mem[s.used : s.used+n : s.used+n]
	s.used += n
	s.live++
	return b, s
}

func newSlab(n int) *slab {
	if mem, err := mapAnon(n); err == nil {
		return &slab{mem: mem, mapped: true}
	}
	return &slab{mem: make([]byte, n)}
}

// drop unmaps s; nothing may refer to its bytes any more. h.mu is held.
func (h *Held) drop(s *slab) {
	if s.mapped {
		unmapAnon(s.mem)
	}
	s.mem = nil
	delete(h.slabs, s)
}

// Release gives back r's bytes, which must not be used after (r.Data becomes nil). A result
// whose bytes are not in the store (or a nil store) is left as it is.
func (h *Held) Release(r *GetResult) {
	if h == nil || r.slab == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	s := r.slab
	r.Data, r.slab = nil, nil
	s.live--
	if s.live == 0 && s != h.cur {
		h.drop(s)
	}
}

// Close gives back every byte of the store: no result's Data from it may be used after.
func (h *Held) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.slabs {
		h.drop(s)
	}
	h.cur = nil
}

package ops

// A small get's result is its body behind its fields, in one buffer (quickGet). Its caller
// copies it out at once (an event loop's take, go/capi pj_take_result) and hands it back
// (RecycleResult): the next get reads into it, so 10,000 gathered gets do not allocate and zero
// 160 MB that the garbage collector then has to go after (a collection every few hundred gets).
// A sync call on its C caller's thread gives C memory instead (Call.Result), which its caller
// takes as it is.

// resultBuffer is a buffer of n bytes for a quick result, handed back or new; its bytes are
// not zeroed.
func (s *Session) resultBuffer(n int) []byte {
	if b, ok := s.results.Get().(*[]byte); ok {
		if cap(*b) >= n {
			return (*b)[:n]
		}
		s.results.Put(b)
	}
	return make([]byte, n)
}

// RecycleResult hands back a quick result the caller has copied out and no longer uses.
func (s *Session) RecycleResult(b []byte) {
	if cap(b) > 0 && cap(b) <= resultBufferMax {
		s.results.Put(&b)
	}
}

// resultBufferMax is the largest buffer kept: a small get's result (QuickGetMax and its fields).
const resultBufferMax = QuickGetMax + 64<<10

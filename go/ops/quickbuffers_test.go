package ops

import "testing"

func TestResultBufferIsTheSizeAskedWhateverWasHandedBack(t *testing.T) {
	s := &Session{}
	for _, n := range []int{16 << 10, 100, 64 << 10, 0, 16<<10 + 300} {
		b := s.resultBuffer(n)
		if len(b) != n {
			t.Fatalf("resultBuffer(%d) has %d bytes", n, len(b))
		}
		s.RecycleResult(b)
	}
	s.RecycleResult(make([]byte, 0, resultBufferMax+1)) // too large to keep
	if b := s.resultBuffer(resultBufferMax + 1); len(b) != resultBufferMax+1 {
		t.Fatalf("resultBuffer gave %d bytes", len(b))
	}
}

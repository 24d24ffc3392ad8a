package ops

import (
	"sync"
	"testing"
	"time"
)

// runQuickCalls starts n calls on a queue of limit places, lets them end together and returns
// the most that ran at once and the order in which they began.
func runQuickCalls(t *testing.T, limit, n int) (int, []int) {
	s := &Session{workers: newWorkers(time.Second, 4), quick: quickQueue{limit: limit}}
	var (
		mu          sync.Mutex
		running, hi int
		order       []int
		wg          sync.WaitGroup
	)
	gate := make(chan struct{})
	wg.Add(n)
	for i := range n {
		s.StartQuick(s.NewQuickCall(func() {
			defer wg.Done()
			mu.Lock()
			running++
			hi = max(hi, running)
			order = append(order, i)
			mu.Unlock()
			<-gate
			mu.Lock()
			running--
			mu.Unlock()
		}))
	}
	close(gate)
	wg.Wait()
	// the last worker gives its place up just after its call
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		s.quick.mu.Lock()
		r, w := s.quick.running, len(s.quick.waiting)
		s.quick.mu.Unlock()
		if r == 0 && w == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the calls: %d running, %d waiting", r, w)
		}
	}
	return hi, order
}

func TestQuickQueueRunsAtMostLimitAtOnce(t *testing.T) {
	if hi, order := runQuickCalls(t, 3, 300); hi > 3 || len(order) != 300 {
		t.Fatalf("%d calls ran at once (limit 3), %d of 300 ran", hi, len(order))
	}
}

func TestQuickQueueStartsWaitingCallsInOrder(t *testing.T) {
	_, order := runQuickCalls(t, 1, 200)
	for i, c := range order {
		if c != i {
			t.Fatalf("call %d started %dth: %v", c, i, order[:min(len(order), 10)])
		}
	}
}

func TestQuickQueueHurryStartsAWaitingCallAtOnce(t *testing.T) {
	s := &Session{workers: newWorkers(time.Second, 4), quick: quickQueue{limit: 1}}
	block, blocked := make(chan struct{}), make(chan struct{})
	s.StartQuick(s.NewQuickCall(func() { close(blocked); <-block }))
	<-blocked
	ran := make(chan int, 3)
	calls := make([]*QuickCall, 3)
	for i := range calls {
		calls[i] = s.NewQuickCall(func() { ran <- i })
		s.StartQuick(calls[i])
	}
	calls[1].Hurry()
	select {
	case i := <-ran:
		if i != 1 {
			t.Fatalf("call %d ran, want the hurried 1", i)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the hurried call did not run while the place was taken")
	}
	calls[1].Hurry() // started already: nothing more
	close(block)
	for _, want := range []int{0, 2} {
		if i := <-ran; i != want {
			t.Fatalf("call %d ran, want %d", i, want)
		}
	}
	select {
	case i := <-ran:
		t.Fatalf("call %d ran twice", i)
	case <-time.After(20 * time.Millisecond):
	}
}

package ops

import "sync"

// quickQueue runs the quick calls an event loop starts (pyjindo.aio, through go/capi pj_call):
// at most `limit` at once (the session's connections), the others in the order they came.
// pyjindo.aio starts more calls than that, so that one ending lets the next go out at once here
// rather than after the loop's turn comes. A waiting call is a function in the queue, not a
// parked goroutine: the worker of a call that ends runs the next one itself, with no hand-over
// to another goroutine (and so no wake-up of another thread), and only `limit` goroutines'
// stacks exist for the garbage collector to scan and grow again.
type quickQueue struct {
	mu      sync.Mutex
	limit   int
	running int          // workers running calls
	waiting []*QuickCall // from head on, in order; a call taken out early is nil
	head    int
}

// QuickCall is a call given to the session's quick queue (StartQuick).
type QuickCall struct {
	run    func()
	q      *quickQueue
	s      *Session
	queued bool // in q.waiting (under q.mu)
	index  int  // its place in q.waiting while queued
}

// NewQuickCall is run as a call of the session's quick queue, to start with StartQuick.
func (s *Session) NewQuickCall(run func()) *QuickCall {
	return &QuickCall{run: run, q: &s.quick, s: s}
}

// StartQuick runs c on a worker now if fewer than the session's connections run, else once the
// calls queued before it have started.
func (s *Session) StartQuick(c *QuickCall) {
	q := c.q
	q.mu.Lock()
	if q.running < max(q.limit, 1) { // a Session not made by NewSession has no limit set
		q.running++
		q.mu.Unlock()
		s.Go(func() { q.work(c) })
		return
	}
	c.queued, c.index = true, len(q.waiting)
	q.waiting = append(q.waiting, c)
	q.mu.Unlock()
}

// Hurry starts c at once, outside the limit, if it is still waiting: the caller has cancelled
// it, and it is to end now (its run sees its context ended), not when its turn comes.
func (c *QuickCall) Hurry() {
	q := c.q
	q.mu.Lock()
	if !c.queued {
		q.mu.Unlock()
		return
	}
	c.queued = false
	q.waiting[c.index] = nil
	q.mu.Unlock()
	c.s.Go(c.run)
}

// work runs c, then the waiting calls in order while there are any.
func (q *quickQueue) work(c *QuickCall) {
	for c != nil {
		c.run()
		c = q.next()
	}
}

// next takes the first waiting call, or gives up the worker's place when none waits.
func (q *quickQueue) next() *QuickCall {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.head < len(q.waiting) {
		c := q.waiting[q.head]
		q.waiting[q.head] = nil
		q.head++
		if c != nil {
			c.queued = false
			q.compact()
			return c
		}
	}
	q.waiting, q.head = q.waiting[:0], 0
	q.running--
	return nil
}

// compact moves the waiting calls to the front once the taken ones are half the slice, so it
// does not grow without bound while calls keep coming.
func (q *quickQueue) compact() {
	if q.head < 64 || q.head < len(q.waiting)/2 {
		return
	}
	n := copy(q.waiting, q.waiting[q.head:])
	clear(q.waiting[n:])
	q.waiting, q.head = q.waiting[:n], 0
	for i, c := range q.waiting {
		if c != nil {
			c.index = i
		}
	}
}

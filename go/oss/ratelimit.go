package oss

import (
	"context"
	"io"
	"sync"
	"time"
)

// Limiter is a token bucket of bytes per second shared by every request of a client (and of every
// client given the same Limiter): its connections together move at most Rate bytes a second, after
// a burst of at most limiterBurst bytes. Bytes are paid for after they moved, so a read never
// waits for bytes it has not read; the wait comes before the next read.
type Limiter struct {
	rate float64 // bytes per second
	mu   sync.Mutex
	// next is when the bucket is full again minus the burst: a read at time t owes nothing while
	// next <= t; each byte moves next on by 1/rate.
	next  time.Time
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
}

// limiterBurst bounds what the bucket saves up while idle: 64 KiB, or a quarter second of the
// rate when that is less, so that even a slow limit is kept within a few percent over a second.
const limiterBurst = 64 << 10

// NewLimiter limits to bytesPerSecond (> 0).
func NewLimiter(bytesPerSecond int64) *Limiter {
	return &Limiter{rate: float64(bytesPerSecond), now: time.Now, sleep: sleepCtx}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *Limiter) burst() float64 { return min(limiterBurst, l.rate/4) }

// chunk is the most bytes a read should take at once, so that waits stay short and the
// connections sharing the limit take turns.
func (l *Limiter) chunk() int { return max(int(l.burst()), 1024) }

// pay takes n bytes from the bucket and waits until they are covered.
func (l *Limiter) pay(ctx context.Context, n int) error {
	if l == nil || n <= 0 {
		return nil
	}
	l.mu.Lock()
	now := l.now()
	earliest := now.Add(-time.Duration(l.burst() / l.rate * float64(time.Second)))
	if l.next.Before(earliest) {
		l.next = earliest
	}
	l.next = l.next.Add(time.Duration(float64(n) / l.rate * float64(time.Second)))
	wait := l.next.Sub(now)
	l.mu.Unlock()
	if wait <= 0 {
		return nil
	}
	return l.sleep(ctx, wait)
}

// limitedReader is a body (request or response) read at most as fast as its Limiter allows.
type limitedReader struct {
	r   io.Reader
	l   *Limiter
	ctx context.Context
}

func (lr *limitedReader) Read(p []byte) (int, error) {
	if c := lr.l.chunk(); len(p) > c {
		p = p[:c]
	}
	n, err := lr.r.Read(p)
	if werr := lr.l.pay(lr.ctx, n); werr != nil && err == nil {
		err = werr
	}
	return n, err
}

// limitedBody is a response body read through a Limiter; Close closes the body.
type limitedBody struct {
	limitedReader
	c io.Closer
}

func (b *limitedBody) Close() error { return b.c.Close() }

func limitBody(ctx context.Context, rc io.ReadCloser, l *Limiter) io.ReadCloser {
	if l == nil {
		return rc
	}
	return &limitedBody{limitedReader: limitedReader{r: rc, l: l, ctx: ctx}, c: rc}
}

package retry

import (
	"math/rand/v2"
	"time"
)

// Backoff is exponential backoff with full jitter: the wait after failed attempt n is uniform in
// (0, min(Max, Base·2^(n-1))], so many clients that failed together do not retry in step.
type Backoff struct {
	Base time.Duration // 0: DefaultBackoffBase
	Max  time.Duration // 0: DefaultBackoffMax
	// Rand returns a number in [0, n); nil: math/rand/v2. Tests make the jitter predictable.
	Rand func(n int64) int64
}

// The zero Backoff starts at 100 ms and is capped at 3 s.
const (
	DefaultBackoffBase = 100 * time.Millisecond
	DefaultBackoffMax  = 3 * time.Second
)

// Delay is the wait after failed attempt number attempt (1, 2, ...).
func (b Backoff) Delay(attempt int) time.Duration {
	base, ceiling := b.Base, b.Max
	if base <= 0 {
		base = DefaultBackoffBase
	}
	if ceiling <= 0 {
		ceiling = DefaultBackoffMax
	}
	// The shift is bounded so that it cannot overflow; the cap applies long before.
	limit := min(base<<min(max(attempt-1, 0), 20), ceiling)
	if limit <= 0 {
		limit = ceiling
	}
	draw := rand.Int64N
	if b.Rand != nil {
		draw = b.Rand
	}
	return time.Duration(draw(int64(limit)) + 1)
}

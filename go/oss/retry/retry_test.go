package retry

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// fakeClock advances only when the policy sleeps.
type fakeClock struct {
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }
func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

type answer struct {
	status int
	code   string
}

func (a answer) Error() string     { return fmt.Sprintf("%d %s", a.status, a.code) }
func (a answer) HTTPStatus() int   { return a.status }
func (a answer) ErrorCode() string { return a.code }
func slowDown() error              { return answer{503, "SlowDown"} }
func fixedDelay(d time.Duration) Backoff {
	return Backoff{Base: d, Max: d, Rand: func(n int64) int64 { return n - 1 }}
}

type connErr struct{}

func (connErr) Error() string          { return "connection reset" }
func (connErr) ConnectionFailed() bool { return true }

func TestDoStopsAfterMaxAttemptsWithTheLastError(t *testing.T) {
	clk := &fakeClock{}
	p := Policy{Retryer: Standard{Attempts: 4, Backoff: fixedDelay(time.Second)}, Clock: clk}
	calls := 0
	var told []error
	err := p.Do(context.Background(), func(n int) error {
		calls++
		if n != calls {
			t.Fatalf("attempt %d numbered %d", calls, n)
		}
		return fmt.Errorf("attempt %d: %w", n, slowDown())
	}, func(err error) { told = append(told, err) })
	if calls != 4 || err == nil || err.Error() != "attempt 4: 503 SlowDown" {
		t.Fatalf("%d calls, err %v", calls, err)
	}
	// Told of each failure another attempt followed, and waited before each of those.
	if len(told) != 3 || len(clk.sleeps) != 3 {
		t.Fatalf("told %d times, slept %v", len(told), clk.sleeps)
	}
}

func TestDoSucceedsAfterRetries(t *testing.T) {
	p := Policy{Retryer: Standard{Attempts: 3}, Clock: &fakeClock{}}
	calls := 0
	err := p.Do(context.Background(), func(n int) error {
		calls++
		if n < 3 {
			return connErr{}
		}
		return nil
	}, nil)
	if err != nil || calls != 3 {
		t.Fatalf("%d calls, err %v", calls, err)
	}
}

// No attempt starts, its wait counted, past MaxTime after the first started: attempts 1 (t=0),
// 2 (t=4s), 3 (t=8s); a fourth would start at 12s > 10s.
func TestDoStopsBeforeTheTimeBudget(t *testing.T) {
	clk := &fakeClock{}
	p := Policy{Retryer: Standard{Attempts: 100, Backoff: fixedDelay(4 * time.Second)}, MaxTime: 10 * time.Second, Clock: clk}
	calls := 0
	err := p.Do(context.Background(), func(int) error { calls++; return slowDown() }, nil)
	if calls != 3 || err == nil {
		t.Fatalf("%d calls, err %v", calls, err)
	}
}

func TestDoDoesNotRetryFinalErrors(t *testing.T) {
	for _, final := range []error{
		answer{404, "NoSuchKey"}, answer{501, "NotImplemented"}, answer{507, "InsufficientStorage"},
		errors.New("disk full"), context.Canceled, Permanent(slowDown()),
	} {
		calls := 0
		err := Policy{Clock: &fakeClock{}}.Do(context.Background(), func(int) error { calls++; return final }, nil)
		if calls != 1 || !errors.Is(err, final) && err != final {
			t.Errorf("%v: %d calls, err %v", final, calls, err)
		}
	}
}

func TestDoEndsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := Policy{Clock: &fakeClock{}}.Do(ctx, func(int) error { calls++; cancel(); return slowDown() }, nil)
	if calls != 1 || err == nil {
		t.Fatalf("%d calls, err %v", calls, err)
	}
	// Cancelled during the wait: ctx's error.
	ctx, cancel = context.WithCancel(context.Background())
	p := Policy{Retryer: Standard{Backoff: fixedDelay(time.Hour)}, MaxTime: 2 * time.Hour}
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	if err := p.Do(ctx, func(int) error { return slowDown() }, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestOneAttemptMeansNoRetry(t *testing.T) {
	calls := 0
	New(1, 0).Do(context.Background(), func(int) error { calls++; return slowDown() }, nil)
	if calls != 1 {
		t.Fatalf("%d calls", calls)
	}
}

func TestIsErrorRetryable(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{answer{500, "InternalError"}, true},
		{answer{502, "BadGateway"}, true},
		{answer{503, "SlowDown"}, true},
		{answer{504, ""}, true},
		{answer{501, "NotImplemented"}, false},
		{answer{507, "InsufficientStorage"}, false},
		{answer{400, "RequestTimeout"}, true},
		{answer{403, "AccessDenied"}, false},
		{answer{404, "NoSuchKey"}, false},
		{answer{412, "PreconditionFailed"}, false},
		{fmt.Errorf("part 3: %w", connErr{}), true},
		{errors.New("plain"), false},
		{context.DeadlineExceeded, false},
		{Transient(errors.New("crc mismatch")), true},
		{Permanent(answer{503, "SlowDown"}), false},
		{fmt.Errorf("outer: %w", Permanent(connErr{})), false},
	} {
		if got := IsErrorRetryable(tc.err); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.err, got, tc.want)
		}
	}
}

func TestBackoffIsExponentialWithFullJitterAndCapped(t *testing.T) {
	top := Backoff{Rand: func(n int64) int64 { return n - 1 }}
	bottom := Backoff{Rand: func(int64) int64 { return 0 }}
	for attempt, want := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond,
		4: 800 * time.Millisecond, 6: 3 * time.Second, 1000: 3 * time.Second} {
		if got := top.Delay(attempt); got != want {
			t.Errorf("attempt %d: at most %v, want %v", attempt, got, want)
		}
		if got := bottom.Delay(attempt); got != 1 {
			t.Errorf("attempt %d: at least %v", attempt, got)
		}
	}
	seen := map[time.Duration]bool{}
	for range 50 {
		seen[Backoff{}.Delay(5)] = true
	}
	if len(seen) < 10 {
		t.Fatal("no jitter")
	}
}

// A failed attempt that made progress (Progressed) does not use up an attempt: a part cut five
// times while bytes still arrive is read whole with 3 attempts; failures without progress still
// end it at the third; one attempt is still no retry; the time bound counts from the last
// progress.
func TestProgressedAttemptsDoNotCount(t *testing.T) {
	var broken error = connErr{}
	clk := &fakeClock{now: time.Unix(0, 0)}
	p := Policy{Retryer: Standard{Attempts: 3}, Clock: clk}
	var events []Event
	p.Notify = func(e Event) { events = append(events, e) }
	calls := 0
	err := p.Do(context.Background(), func(n int) error {
		calls++
		if n <= 5 {
			return Progressed(broken)
		}
		return nil
	}, nil)
	if err != nil || calls != 6 {
		t.Fatalf("%v after %d calls", err, calls)
	}
	if len(events) != 5 || events[4].Attempt != 5 || events[4].MaxAttempts != 8 || events[4].Err != broken {
		t.Fatalf("%+v", events)
	}
	calls = 0
	err = p.Do(context.Background(), func(n int) error {
		calls++
		if n%2 == 1 {
			return Progressed(broken)
		}
		return broken
	}, nil)
	if err != broken || calls != 6 { // three failures without progress, each after one with
		t.Fatalf("%v after %d calls", err, calls)
	}
	calls = 0
	if err = (Policy{Retryer: Standard{Attempts: 1}, Clock: clk}).Do(context.Background(), func(int) error {
		calls++
		return Progressed(broken)
	}, nil); err != broken || calls != 1 {
		t.Fatalf("one attempt: %v after %d calls", err, calls)
	}
	// Progress measures the time bound again: attempts of 8 s each, all but the last two making
	// progress, outlast a 10 s bound, and the last two (no progress) are ended by it.
	calls = 0
	start := clk.now
	err = Policy{Retryer: Standard{Attempts: 5, Backoff: fixedDelay(time.Second)}, Clock: clk, MaxTime: 10 * time.Second}.Do(context.Background(), func(n int) error {
		calls++
		clk.now = clk.now.Add(8 * time.Second)
		if n <= 4 {
			return Progressed(broken)
		}
		return broken
	}, nil)
	if err != broken || calls != 6 {
		t.Fatalf("a slow part making progress: %v after %d calls, %v", err, calls, clk.now.Sub(start))
	}
}

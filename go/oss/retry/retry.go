// Package retry is the client's one retry policy: which failures are worth another attempt, how
// many attempts a request gets, how long to wait before each, and how long retrying may go on.
// Every request (oss.Client.Do), every download and upload part and every listing page is retried
// through Policy.Do; nothing else in the client loops on a failure.
//
// The seam is the Retryer interface, as in Alibaba's Go SDK v2 (IsErrorRetryable, MaxAttempts,
// RetryDelay); the bound on total time and the clock are the Policy's, so tests can replace the
// clock and a caller can replace the rules without touching the loop.
package retry

import (
	"context"
	"errors"
	"time"
)

// Retryer decides, for a failed attempt, whether another may follow and after how long.
type Retryer interface {
	// IsErrorRetryable tells whether sending the same request again may succeed.
	IsErrorRetryable(err error) bool
	// MaxAttempts is the number of attempts in all, the first included (1: no retry).
	MaxAttempts() int
	// RetryDelay is the wait after failed attempt number attempt (1, 2, ...) before the next.
	RetryDelay(attempt int, err error) time.Duration
}

// Clock is the time the policy measures and waits in; tests replace it.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or returns ctx's error if ctx ends first.
	Sleep(ctx context.Context, d time.Duration) error
}

// Defaults of the zero Policy; pyjindo's Bucket(retry_attempts=3, retry_time=30.0).
const (
	DefaultMaxAttempts = 3
	DefaultMaxTime     = 30 * time.Second
)

// Policy is a Retryer with a bound on the total time and a clock. The zero Policy is Standard
// with the defaults, on the real clock.
type Policy struct {
	Retryer Retryer // nil: Standard{}
	// MaxTime bounds the time spent retrying: no attempt starts, counting its wait, later than
	// MaxTime after the first attempt started. 0: DefaultMaxTime.
	MaxTime time.Duration
	Clock   Clock // nil: the real clock
	// Notify, if set, is told of every retry Do decides on, before its wait (a log line); nil
	// costs nothing.
	Notify func(Event)
}

// Event is one retry decided on: attempt number Attempt of MaxAttempts failed with Err, and the
// next starts after Delay.
type Event struct {
	Attempt, MaxAttempts int
	Err                  error
	Delay                time.Duration
}

// New is the standard policy with attempts in all (0: the default; 1: no retry) within maxTime
// (0: the default).
func New(attempts int, maxTime time.Duration) Policy {
	return Policy{Retryer: Standard{Attempts: attempts}, MaxTime: maxTime}
}

func (p Policy) retryer() Retryer {
	if p.Retryer == nil {
		return Standard{}
	}
	return p.Retryer
}

// MaxAttempts is the number of attempts an operation gets in all (at least 1).
func (p Policy) MaxAttempts() int { return max(p.retryer().MaxAttempts(), 1) }

// IsErrorRetryable tells whether err is worth another attempt under this policy.
func (p Policy) IsErrorRetryable(err error) bool { return p.retryer().IsErrorRetryable(err) }

// MaxRetryTime is the bound on the time spent retrying one operation.
func (p Policy) MaxRetryTime() time.Duration {
	if p.MaxTime <= 0 {
		return DefaultMaxTime
	}
	return p.MaxTime
}

// Now is the policy's clock.
func (p Policy) Now() time.Time { return p.clock().Now() }

func (p Policy) clock() Clock {
	if p.Clock == nil {
		return realClock{}
	}
	return p.Clock
}

// Do calls attempt(1), attempt(2), ... until one succeeds or its error is final: not retryable,
// the attempts are used up, ctx has ended, or the next attempt would start (after its wait) more
// than MaxTime after the first started. onRetry, if set, is told of each failed attempt that
// another will follow, before the wait. Do returns the last attempt's error, or ctx's when it
// ends during a wait. An attempt that resumes where the last one stopped (a download part) keeps
// its own state: Do only counts, classifies and waits. A failure marked Progressed does not count
// against the attempts (unless there is only one: no retry), and MaxTime is measured again from
// it, so a slow part that broke after moving on still gets its retries.
func (p Policy) Do(ctx context.Context, attempt func(n int) error, onRetry func(err error)) error {
	r, clk := p.retryer(), p.clock()
	attempts, budget := p.MaxAttempts(), p.MaxRetryTime()
	start := clk.Now()
	counted := 0 // failed attempts that count: those that made no progress (Progressed)
	for n := 1; ; n++ {
		err := attempt(n)
		var pe *progressed
		progress := errors.As(err, &pe)
		if progress {
			err = pe.err // the error as the attempt made it: callers never see the mark
		}
		if err != nil && (!progress || attempts == 1) { // one attempt means no retry, whatever it did
			counted++
		} else if progress {
			start = clk.Now() // alive: the time bound is for retrying what makes no progress
		}
		// Each attempt that made progress gives one back: n of attempts+(n-counted).
		if err == nil || counted >= attempts || ctx.Err() != nil || !r.IsErrorRetryable(err) {
			return err
		}
		delay := r.RetryDelay(max(counted, 1), err)
		if clk.Now().Sub(start)+delay > budget {
			return err
		}
		if onRetry != nil {
			onRetry(err)
		}
		if p.Notify != nil {
			p.Notify(Event{Attempt: n, MaxAttempts: attempts + n - counted, Err: err, Delay: delay})
		}
		if serr := clk.Sleep(ctx, delay); serr != nil {
			return serr
		}
	}
}

// Standard is the policy OSS calls for: connection failures, 5xx answers other than 501
// NotImplemented and 507 InsufficientStorage, SlowDown and RequestTimeout are retried, with
// exponential backoff and full jitter.
type Standard struct {
	Attempts int     // in all, the first included; 0: DefaultMaxAttempts
	Backoff  Backoff // zero: 100 ms doubling to 3 s
}

// IsErrorRetryable is the package's IsErrorRetryable.
func (s Standard) IsErrorRetryable(err error) bool { return IsErrorRetryable(err) }

// MaxAttempts is Attempts, or the default.
func (s Standard) MaxAttempts() int {
	if s.Attempts <= 0 {
		return DefaultMaxAttempts
	}
	return s.Attempts
}

// RetryDelay is the backoff's delay.
func (s Standard) RetryDelay(attempt int, _ error) time.Duration { return s.Backoff.Delay(attempt) }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

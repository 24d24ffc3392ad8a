package credentials

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a fake time source tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// countingSource hands out credentials valid for life, numbered, after a delay; fail makes
// it fail instead.
type countingSource struct {
	clock *clock
	life  time.Duration
	delay time.Duration
	calls atomic.Int32
	fail  atomic.Bool
}

func (s *countingSource) Credentials(ctx context.Context) (Credentials, error) {
	n := s.calls.Add(1)
	time.Sleep(s.delay)
	if s.fail.Load() {
		return Credentials{}, errors.New("metadata service unreachable")
	}
	c := NewStatic(fmt.Sprintf("ak-%d", n), "sk", "tok", "fake role").Creds
	c.Expiration = s.clock.Now().Add(s.life)
	return c, nil
}

func newRefreshing(life time.Duration) (*Refreshing, *countingSource, *clock) {
	clk := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	src := &countingSource{clock: clk, life: life, delay: 20 * time.Millisecond}
	r := &Refreshing{Source: src, Now: clk.Now, Ahead: 5 * time.Minute, Jitter: time.Minute}
	return r, src, clk
}

// hammer calls r.Credentials from n goroutines at once and returns the keys they got.
func hammer(t *testing.T, r *Refreshing, n int) map[string]int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[string]int{}
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			c, err := r.Credentials(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got[c.AccessKeyID]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return got
}

func TestThousandConcurrentCallersCauseOneRefresh(t *testing.T) {
	r, src, clk := newRefreshing(time.Hour)
	if got := hammer(t, r, 1000); src.calls.Load() != 1 || got["ak-1"] != 1000 {
		t.Fatalf("first fetch: %d calls, %v", src.calls.Load(), got)
	}
	clk.Add(55 * time.Minute) // inside the refresh window (it opens 5 to 6 minutes before expiry)
	got := hammer(t, r, 1000)
	for deadline := time.Now().Add(5 * time.Second); r.flightDone() == false && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if src.calls.Load() != 2 {
		t.Fatalf("%d refreshes for 1000 callers, want exactly one", src.calls.Load()-1)
	}
	// The old keys were still valid, so no caller waited: all got ak-1 (or ak-2 if late).
	if got["ak-1"]+got["ak-2"] != 1000 {
		t.Fatalf("%v", got)
	}
	if c, _ := r.Credentials(context.Background()); c.AccessKeyID != "ak-2" {
		t.Fatalf("after the refresh: %+v", c)
	}
	clk.Add(2 * time.Hour) // everything expired: callers wait for one refresh
	if got := hammer(t, r, 1000); src.calls.Load() != 3 || got["ak-3"] != 1000 {
		t.Fatalf("after expiry: %d calls, %v", src.calls.Load(), got)
	}
}

func TestFailedRefreshKeepsValidCredentials(t *testing.T) {
	r, src, clk := newRefreshing(time.Hour)
	var logged atomic.Value
	r.Logf = func(f string, a ...any) { logged.Store(fmt.Sprintf(f, a...)) }
	r.Credentials(context.Background())
	src.fail.Store(true)
	clk.Add(58 * time.Minute)
	c, err := r.Credentials(context.Background())
	if err != nil || c.AccessKeyID != "ak-1" {
		t.Fatalf("%+v %v", c, err)
	}
	for deadline := time.Now().Add(5 * time.Second); logged.Load() == nil && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if msg, _ := logged.Load().(string); !strings.Contains(msg, "unreachable") || !strings.Contains(msg, "fake role") {
		t.Fatalf("log %q", msg)
	}
	// Not asked again on every call: the next try is a while later.
	calls := src.calls.Load()
	for range 100 {
		if c, err := r.Credentials(context.Background()); err != nil || c.AccessKeyID != "ak-1" {
			t.Fatalf("%+v %v", c, err)
		}
	}
	if src.calls.Load() != calls {
		t.Fatalf("a failing source was asked %d more times", src.calls.Load()-calls)
	}
}

func TestExpiredCredentialsAndFailedRefreshNameTheSource(t *testing.T) {
	r, src, clk := newRefreshing(time.Hour)
	r.Credentials(context.Background())
	src.fail.Store(true)
	clk.Add(61 * time.Minute)
	_, err := r.Credentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "fake role") || !strings.Contains(err.Error(), "expired at 2026-01-01T01:00:00Z") || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("%v", err)
	}
	src.fail.Store(false) // the source recovers: so do callers
	if c, err := r.Credentials(context.Background()); err != nil || c.Expired(clk.Now()) {
		t.Fatalf("%+v %v", c, err)
	}
}

func TestRefreshTimeIsAheadOfExpiryWithJitter(t *testing.T) {
	r, _, _ := newRefreshing(time.Hour)
	now := time.Unix(0, 0)
	seen := map[time.Time]bool{}
	for range 50 {
		at := r.refreshTime(now, now.Add(time.Hour))
		if at.Before(now.Add(54*time.Minute)) || at.After(now.Add(55*time.Minute)) {
			t.Fatalf("refresh at %v", at.Sub(now))
		}
		seen[at] = true
	}
	if len(seen) < 2 {
		t.Fatal("no jitter")
	}
	if at := r.refreshTime(now, now.Add(2*time.Second)); at.Before(now.Add(500*time.Millisecond)) || at.After(now.Add(time.Second)) {
		t.Fatalf("short lifetime refreshes in its second half: %v", at.Sub(now))
	}
}

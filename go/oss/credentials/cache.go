package credentials

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Refreshing caches the credentials of a source that hands out expiring ones (ECS RAM role,
// RRSA) and fetches new ones ahead of expiry:
//   - refreshes start Ahead (plus up to Jitter, so many processes do not call the metadata
//     service in step) before the credentials expire, or halfway through a short lifetime;
//   - one refresh at a time, however many callers: while it runs, callers with still-valid
//     credentials get those at once, the others wait for its result;
//   - a failed refresh while the credentials are still valid is logged and the old ones kept
//     (tried again a little later); once they have expired, callers get an error naming the
//     source and the expiry.
type Refreshing struct {
	Source Provider
	Ahead  time.Duration // default 5 minutes
	Jitter time.Duration // default 1 minute
	Now    func() time.Time
	Logf   func(format string, args ...any) // failed refreshes; nil: not logged
	// Timeout bounds one refresh, which runs apart from the caller's context so that one
	// caller giving up does not fail the others waiting on it. Default 30 s.
	Timeout time.Duration

	mu        sync.Mutex
	cur       Credentials
	have      bool
	refreshAt time.Time
	flight    *flight
}

type flight struct {
	done  chan struct{}
	creds Credentials
	err   error
}

// Refresh puts a Refreshing cache in front of source.
func Refresh(source Provider) *Refreshing { return &Refreshing{Source: source} }

func (r *Refreshing) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Refreshing) Credentials(ctx context.Context) (Credentials, error) {
	r.mu.Lock()
	now := r.now()
	if r.have && now.Before(r.refreshAt) {
		c := r.cur
		r.mu.Unlock()
		return c, nil
	}
	f := r.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		r.flight = f
		go r.refresh(context.WithoutCancel(ctx), f)
	}
	if r.have && !r.cur.Expired(now) {
		c := r.cur // still valid: do not wait for the refresh
		r.mu.Unlock()
		return c, nil
	}
	r.mu.Unlock()
	select {
	case <-f.done:
		return f.creds, f.err
	case <-ctx.Done():
		return Credentials{}, ctx.Err()
	}
}

func (r *Refreshing) refresh(ctx context.Context, f *flight) {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	creds, err := r.Source.Credentials(ctx)
	cancel()

	r.mu.Lock()
	defer r.mu.Unlock()
	defer close(f.done)
	r.flight = nil
	now := r.now()
	if err == nil && creds.Expired(now) {
		err = fmt.Errorf("%s handed out credentials that expired at %s", creds.Source, creds.Expiration.Format(time.RFC3339))
	}
	if err != nil {
		if r.have && !r.cur.Expired(now) {
			if r.Logf != nil {
				r.Logf("refreshing credentials from %s failed, keeping those valid until %s: %v", r.cur.Source, r.cur.Expiration.Format(time.RFC3339), err)
			}
			// Try again after a tenth of the time left, at least a second, so a broken source
			// is not asked on every request.
			r.refreshAt = now.Add(max(r.cur.Expiration.Sub(now)/10, time.Second))
			f.creds = r.cur
			return
		}
		if r.have {
			err = fmt.Errorf("credentials from %s expired at %s and refreshing them failed: %w", r.cur.Source, r.cur.Expiration.Format(time.RFC3339), err)
		}
		f.err = err
		return
	}
	r.cur, r.have, f.creds = creds, true, creds
	r.refreshAt = r.refreshTime(now, creds.Expiration)
}

// refreshTime is when to start the next refresh of credentials fetched at now.
func (r *Refreshing) refreshTime(now, exp time.Time) time.Time {
	if exp.IsZero() {
		return now.Add(100 * 365 * 24 * time.Hour)
	}
	ahead, jitter := r.Ahead, r.Jitter
	if ahead <= 0 {
		ahead = 5 * time.Minute
	}
	if jitter <= 0 {
		jitter = time.Minute
	}
	life := exp.Sub(now)
	// A short lifetime (a test, a short STS session) refreshes in its second half instead.
	ahead, jitter = min(ahead, life/2), min(jitter, life/4)
	if jitter > 0 {
		ahead += rand.N(jitter)
	}
	return exp.Add(-ahead)
}

// flightDone tells whether no refresh is under way (for tests).
func (r *Refreshing) flightDone() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.flight == nil
}

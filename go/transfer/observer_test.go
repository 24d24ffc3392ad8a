package transfer

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"sort"
	"sync"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// retriesSeen is an Observer for one call's context that keeps its retry events.
type retriesSeen struct {
	mu     sync.Mutex
	events []oss.RetryEvent
}

func (s *retriesSeen) ctx() context.Context {
	return oss.WithObserver(context.Background(), &oss.Observer{OnRetry: func(e oss.RetryEvent) {
		s.mu.Lock()
		s.events = append(s.events, e)
		s.mu.Unlock()
	}})
}

func (s *retriesSeen) parts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.events {
		out = append(out, e.Method+" "+e.Bucket+"/"+e.Key+" "+e.Part)
	}
	sort.Strings(out)
	return out
}

// A retried download part is told to the Observer of the call's context, named by its range;
// the first GET's retry is Client.Do's, named by the request.
func TestPartRetriesReachTheCallsObserver(t *testing.T) {
	e := newEnvBehind(t, failFirst(func(r *http.Request) bool {
		return r.Method == http.MethodGet && r.Header.Get("Range") == "bytes=102400-204799"
	}, "503", 1), nil)
	data := randomBytes(3 * testPart)
	e.put(t, "obj", data)
	var seen retriesSeen
	ctx := seen.ctx()
	dl, err := Open(ctx, e.client, get("obj", ""), Config{PartSize: testPart, Concurrency: 2})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, dl.Length)
	if _, err := dl.Fill(ctx, Sink{Buffer: buf}, 64<<10); err != nil || !bytes.Equal(buf, data) {
		t.Fatalf("fill: %v", err)
	}
	if got := seen.parts(); len(got) != 1 || got[0] != "GET bkt/obj bytes=102400-204799" {
		t.Fatalf("retries seen: %q", got)
	}
	ev := seen.events[0]
	var se *oss.ServiceError
	if ev.Attempt != 1 || ev.MaxAttempts != retry.DefaultMaxAttempts || !errors.As(ev.Err, &se) || se.Code != "SlowDown" || ev.Delay <= 0 {
		t.Fatalf("event: %+v", ev)
	}
}

// A retried upload part is named by its number.
func TestUploadPartRetriesReachTheCallsObserver(t *testing.T) {
	e := newEnvBehind(t, failFirst(func(r *http.Request) bool {
		return r.URL.Query().Get("partNumber") == "2"
	}, "500", 2), nil)
	var seen retriesSeen
	req := &oss.Request{Bucket: "bkt", Key: "up", Header: http.Header{}}
	if _, err := UploadMultipart(seen.ctx(), e.client, req, bytes.NewReader(randomBytes(3*testPart)), 3*testPart,
		Config{PartSize: testPart, Concurrency: 2}, nil); err != nil {
		t.Fatal(err)
	}
	got := seen.parts()
	if len(got) != 2 || got[0] != "PUT bkt/up partNumber=2" || got[1] != got[0] {
		t.Fatalf("retries seen: %q", got)
	}
}

// Without an Observer in the context, a part's policy is the configured one, untouched.
func TestPartPolicyWithoutObserverIsUnchanged(t *testing.T) {
	pol := retry.New(5, 0)
	got := partPolicy(context.Background(), pol, "GET", "b", "k", func() string { panic("named without an observer") })
	if got.Notify != nil || got.MaxAttempts() != 5 {
		t.Fatalf("policy changed: %+v", got)
	}
}

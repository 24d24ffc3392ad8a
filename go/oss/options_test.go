package oss

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/retry"
	"github.com/pyjindo/pyjindo/go/server"
	"github.com/pyjindo/pyjindo/go/server/store"
)

func TestLimiterChargesEachByteOnceAfterTheBurst(t *testing.T) {
	now := time.Unix(0, 0)
	var slept time.Duration
	l := NewLimiter(1000)
	l.now = func() time.Time { return now }
	l.sleep = func(_ context.Context, d time.Duration) error { slept += d; now = now.Add(d); return nil }
	for range 10 {
		if err := l.pay(context.Background(), 100); err != nil {
			t.Fatal(err)
		}
	}
	// 1000 bytes at 1000 B/s with a burst of a quarter second: 0.75 s of waiting.
	if slept < 740*time.Millisecond || slept > 760*time.Millisecond {
		t.Fatalf("slept %v for 1000 bytes at 1000 B/s, want 750ms", slept)
	}
	now = now.Add(time.Hour) // idle: the bucket fills up to the burst only
	slept = 0
	l.pay(context.Background(), 500)
	if slept < 240*time.Millisecond || slept > 260*time.Millisecond {
		t.Fatalf("after idling, 500 bytes slept %v, want 250ms", slept)
	}
}

// The limits hold for the bodies of every request of the client together: two uploads at once
// share one budget, and a download has its own.
func TestClientLimitsUploadAndDownloadBytesPerSecond(t *testing.T) {
	ts := startServer(t, server.Config{})
	const rate = 256 << 10
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds, UploadLimit: NewLimiter(rate), DownloadLimit: NewLimiter(rate)})
	data := bytes.Repeat([]byte("x"), 256<<10)
	start := time.Now()
	var wg sync.WaitGroup
	for _, k := range []string{"a", "b"} {
		wg.Add(1)
		go func() { defer wg.Done(); put(t, c, k, data) }()
	}
	wg.Wait()
	// 512 KiB at 256 KiB/s after a 64 KiB burst: 1.75 s.
	if d := time.Since(start); d < 1500*time.Millisecond || d > 10*time.Second {
		t.Fatalf("two uploads of 256 KiB at 256 KiB/s together took %v, want about 1.75s", d)
	}
	if _, err := ts.store.Put("bkt", "big", bytes.NewReader(append(data, data...)), store.Attrs{}, store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	if got := get(t, c, "big"); len(got) != 512<<10 {
		t.Fatalf("got %d bytes", len(got))
	}
	if d := time.Since(start); d < 1500*time.Millisecond || d > 10*time.Second {
		t.Fatalf("a download of 512 KiB at 256 KiB/s took %v, want about 1.75s", d)
	}
}

// The observer sees every attempt with its status and request id, and every retry with its
// number and wait; it never sees the signature.
func TestObserverSeesRequestsAndRetriesWithoutCredentials(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("x-oss-request-id", "RID"+strings.Repeat("x", calls))
		if calls == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "<Error><Code>SlowDown</Code><Message>slow</Message></Error>")
			return
		}
		w.WriteHeader(http.StatusOK)
	})}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	var mu sync.Mutex
	var reqs []RequestEvent
	var retries []RetryEvent
	obs := &Observer{
		OnRequest: func(e RequestEvent) { mu.Lock(); reqs = append(reqs, e); mu.Unlock() },
		OnRetry:   func(e RetryEvent) { mu.Lock(); retries = append(retries, e); mu.Unlock() },
	}
	c := mustNew(t, Config{Endpoint: ln.Addr().String(), Credentials: testCreds, Observer: obs,
		Retry: retry.Policy{Retryer: retry.Standard{Attempts: 3, Backoff: retry.Backoff{Base: time.Millisecond, Max: time.Millisecond}}}})
	if _, _, err := send(context.Background(), c, &Request{Method: "GET", Bucket: "bkt", Key: "k"}); err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 2 || reqs[0].Status != 503 || reqs[1].Status != 200 || reqs[1].RequestID != "RIDxx" {
		t.Fatalf("requests seen: %+v", reqs)
	}
	var se *ServiceError
	if !errors.As(reqs[0].Err, &se) || se.Code != "SlowDown" || reqs[1].Err != nil {
		t.Fatalf("errors seen: %v, %v", reqs[0].Err, reqs[1].Err)
	}
	if reqs[0].Method != "GET" || reqs[0].Bucket != "bkt" || reqs[0].Key != "k" || reqs[0].Duration <= 0 {
		t.Fatalf("request identity: %+v", reqs[0])
	}
	if got := reqs[1].RequestHeader.Get("Authorization"); got != "<redacted>" {
		t.Fatalf("Authorization seen as %q", got)
	}
	if len(retries) != 1 || retries[0].Attempt != 1 || retries[0].MaxAttempts != 3 || retries[0].Key != "k" || retries[0].Delay <= 0 {
		t.Fatalf("retries seen: %+v", retries)
	}
}

func TestRestoreObjectAndObjectACL(t *testing.T) {
	ts := startServer(t, server.Config{RestoreDelay: time.Hour})
	c := mustNew(t, Config{Endpoint: ts.addr, Credentials: testCreds})
	ctx := context.Background()
	for key, h := range map[string]http.Header{"cold": {"X-Oss-Storage-Class": {"Archive"}}, "hot": {"X-Oss-Object-Acl": {"private"}}} {
		resp, err := c.Do(ctx, &Request{Method: "PUT", Bucket: "bkt", Key: key, Header: h, Body: strings.NewReader("x"), ContentLength: 1})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	res, err := RestoreObject(ctx, c, &RestoreObjectRequest{Bucket: "bkt", Key: "cold", Document: []byte("<RestoreRequest><Days>2</Days></RestoreRequest>")})
	if err != nil || res.Status != http.StatusAccepted {
		t.Fatalf("restore: %v %v", res.Status, err)
	}
	_, err = RestoreObject(ctx, c, &RestoreObjectRequest{Bucket: "bkt", Key: "cold"})
	var se *ServiceError
	if !errors.As(err, &se) || se.Status != 409 || se.Code != "RestoreAlreadyInProgress" {
		t.Fatalf("second restore: %v", err)
	}
	if _, err := RestoreObject(ctx, c, &RestoreObjectRequest{Bucket: "bkt", Key: "hot"}); !errors.As(err, &se) || se.Code != "OperationNotSupported" {
		t.Fatalf("restore of a Standard object: %v", err)
	}
	for key, want := range map[string]string{"cold": "default", "hot": "private"} {
		if acl, err := ObjectACL(ctx, c, "bkt", key); err != nil || acl != want {
			t.Fatalf("ACL of %s: %q %v, want %q", key, acl, err, want)
		}
	}
}

package oss

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// flaky answers 503 SlowDown to the first `fail` requests, then 200.
func flaky(t *testing.T, fail int64) (*Client, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, r.ContentLength)
		if r.ContentLength > 0 {
			r.Body.Read(body)
		}
		if n.Add(1) <= fail {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(503)
			w.Write([]byte("<Error><Code>SlowDown</Code><Message>slow down</Message></Error>"))
			return
		}
		w.Write([]byte("ok:" + string(body)))
	}))
	t.Cleanup(ts.Close)
	c, err := New(Config{Endpoint: ts.URL, SignVersion: "anonymous"})
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}

func TestIdempotentRequestsAreRetried(t *testing.T) {
	c, n := flaky(t, 2)
	resp, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Bucket: "bkt", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n.Load() != 3 {
		t.Fatalf("%d attempts, want 3", n.Load())
	}
}

func TestReplayableBodyIsSentAgain(t *testing.T) {
	c, n := flaky(t, 1)
	r := &Request{Method: http.MethodPut, Bucket: "bkt", Key: "k", ContentLength: 4,
		GetBody: func() io.Reader { return strings.NewReader("data") }}
	r.Body = r.GetBody()
	resp, err := c.Do(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(got) != "ok:data" || n.Load() != 2 {
		t.Fatalf("got %q after %d attempts", got, n.Load())
	}
}

func TestRetriesRunOutWithTheLastError(t *testing.T) {
	c, n := flaky(t, 100)
	_, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Bucket: "bkt", Key: "k"})
	var se *ServiceError
	if !errors.As(err, &se) || se.Code != "SlowDown" || n.Load() != 3 {
		t.Fatalf("err %v after %d attempts", err, n.Load())
	}
}

func TestNonIdempotentAndUnreplayableAreNotRetried(t *testing.T) {
	for _, r := range []*Request{
		{Method: http.MethodPost, Bucket: "bkt", Key: "k", Query: [][2]string{{"append", ""}, {"position", "0"}}},
		{Method: http.MethodPut, Bucket: "bkt", Key: "k", Body: strings.NewReader("once"), ContentLength: 4},
		{Method: http.MethodGet, Bucket: "bkt", Key: "k", NoRetry: true},
	} {
		c, n := flaky(t, 1)
		if _, err := c.Do(context.Background(), r); err == nil || n.Load() != 1 {
			t.Fatalf("%s %v: err %v after %d attempts", r.Method, r.Query, err, n.Load())
		}
	}
}

// A proxy given in the config carries the requests (oss2's proxies={"http": ...}).
func TestProxyIsUsed(t *testing.T) {
	var seen atomic.Value
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.URL.String()) // a proxy sees the absolute URL
		w.Write([]byte("via proxy"))
	}))
	defer proxy.Close()
	c, err := New(Config{Endpoint: "oss-cn-hangzhou.aliyuncs.com", SignVersion: "anonymous", Proxy: proxy.URL})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Bucket: "bkt", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "via proxy" || seen.Load() != "http://bkt.oss-cn-hangzhou.aliyuncs.com/k" {
		t.Fatalf("body %q, proxy saw %v", body, seen.Load())
	}
	if _, err := New(Config{Endpoint: "x.com", Proxy: "::bad"}); err == nil {
		t.Fatal("bad proxy accepted")
	}
}

// A POST marked Retry is retried like an idempotent request, its body replayed, and OnRetry is
// told of each failed attempt; unmarked, the same POST is sent once.
func TestPostMarkedRetryIsRetried(t *testing.T) {
	c, n := flaky(t, 2)
	var told []error
	r := &Request{Method: http.MethodPost, Bucket: "bkt", Key: "k", Query: [][2]string{{"uploadId", "x"}},
		ContentLength: 4, GetBody: func() io.Reader { return strings.NewReader("done") }, Retry: true,
		OnRetry: func(err error) { told = append(told, err) }}
	r.Body = r.GetBody()
	resp, err := c.Do(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var se *ServiceError
	if string(got) != "ok:done" || n.Load() != 3 || len(told) != 2 || !errors.As(told[0], &se) || se.Code != "SlowDown" {
		t.Fatalf("got %q after %d attempts, told %v", got, n.Load(), told)
	}
}

// With ReadAll, an answer whose body breaks off is a failed attempt, retried; the body the
// caller gets is the whole of a later answer.
func TestReadAllRetriesABrokenBody(t *testing.T) {
	var n atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Length", "100")
			w.Write([]byte("<Initiate"))
			panic(http.ErrAbortHandler) // the connection drops mid-body
		}
		w.Write([]byte("<InitiateMultipartUploadResult/>"))
	}))
	defer ts.Close()
	c, err := New(Config{Endpoint: ts.URL, SignVersion: "anonymous"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(context.Background(), &Request{Method: http.MethodPost, Bucket: "bkt", Key: "k",
		Query: [][2]string{{"uploads", ""}}, Retry: true, ReadAll: true})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	if string(got) != "<InitiateMultipartUploadResult/>" || n.Load() != 2 {
		t.Fatalf("got %q after %d attempts", got, n.Load())
	}
}

// instantClock is a retry clock whose waits take no time.
type instantClock struct{}

func (instantClock) Now() time.Time                                   { return time.Now() }
func (instantClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// Do retries under the policy in Config.Retry: its attempts, its clock.
func TestClientRetriesUnderItsPolicy(t *testing.T) {
	c, n := flaky(t, 100)
	c.cfg.Retry = retry.Policy{Retryer: retry.Standard{Attempts: 7}, Clock: instantClock{}}
	if _, err := c.Do(context.Background(), &Request{Method: http.MethodGet, Bucket: "bkt", Key: "k"}); err == nil || n.Load() != 7 {
		t.Fatalf("err %v after %d attempts, want 7", err, n.Load())
	}
}

// A full server (507 InsufficientStorage) is answered at once, not asked again with the same body;
// so is 501 NotImplemented.
func TestInsufficientStorageIsNotRetried(t *testing.T) {
	for _, status := range []int{http.StatusInsufficientStorage, http.StatusNotImplemented} {
		testStatusNotRetried(t, status)
	}
}

func testStatusNotRetried(t *testing.T, status int) {
	var n atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		w.Write([]byte("<Error><Code>" + strings.ReplaceAll(http.StatusText(status), " ", "") + "</Code><Message>no</Message></Error>"))
	}))
	t.Cleanup(ts.Close)
	c, err := New(Config{Endpoint: ts.URL, SignVersion: "anonymous"})
	if err != nil {
		t.Fatal(err)
	}
	r := &Request{Method: http.MethodPut, Bucket: "bkt", Key: "k", ContentLength: 4,
		GetBody: func() io.Reader { return strings.NewReader("data") }}
	r.Body = r.GetBody()
	_, err = c.Do(context.Background(), r)
	var se *ServiceError
	if !errors.As(err, &se) || se.Status != status {
		t.Fatalf("got %v", err)
	}
	if n.Load() != 1 {
		t.Fatalf("%d attempts, want 1", n.Load())
	}
}

// An Observer carried by the context (one call's, go/capi's retry log) is told of the call's
// attempts and retries, named with the query, beside the client's; other calls do not reach it.
func TestContextObserverSeesOnlyItsCall(t *testing.T) {
	c, _ := flaky(t, 2)
	c.cfg.Retry = retry.Policy{Clock: instantClock{}}
	var clientRetries, callRetries []RetryEvent
	var callRequests []RequestEvent
	c.cfg.Observer = &Observer{OnRetry: func(e RetryEvent) { clientRetries = append(clientRetries, e) }}
	obs := &Observer{OnRetry: func(e RetryEvent) { callRetries = append(callRetries, e) },
		OnRequest: func(e RequestEvent) { callRequests = append(callRequests, e) }}
	ctx := WithObserver(context.Background(), obs)
	if ObserverFrom(ctx) != obs || ObserverFrom(context.Background()) != nil || WithObserver(ctx, nil) != ctx {
		t.Fatal("WithObserver / ObserverFrom")
	}
	resp, err := c.Do(ctx, &Request{Method: http.MethodGet, Bucket: "bkt", Key: "k", Query: [][2]string{{"acl", ""}}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(callRetries) != 2 || len(clientRetries) != 2 || len(callRequests) != 3 {
		t.Fatalf("call retries %d, client retries %d, call requests %d", len(callRetries), len(clientRetries), len(callRequests))
	}
	for i, e := range callRetries {
		var se *ServiceError
		if e.Method != "GET" || e.Bucket != "bkt" || e.Key != "k" || len(e.Query) != 1 || e.Query[0][0] != "acl" ||
			e.Attempt != i+1 || e.MaxAttempts != 3 || !errors.As(e.Err, &se) || se.Code != "SlowDown" {
			t.Fatalf("retry %d: %+v", i, e)
		}
	}
	if callRequests[0].Status != 503 || callRequests[2].Status != 200 {
		t.Fatalf("requests: %+v", callRequests)
	}
	// Another call, without the observer in its context, is not the call's.
	resp, err = c.Do(context.Background(), &Request{Method: http.MethodGet, Bucket: "bkt", Key: "k"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(callRetries) != 2 || len(callRequests) != 3 {
		t.Fatal("a call without the context observer reached it")
	}
}

// Named tells the policy's own Notify first, then the observer, with the name and the event.
func TestNamedNotifier(t *testing.T) {
	var order []string
	var seen RetryEvent
	next := func(retry.Event) { order = append(order, "policy") }
	o := &Observer{OnRetry: func(e RetryEvent) { order = append(order, "observer"); seen = e }}
	n := o.Named(next, RetryEvent{Method: "GET", Bucket: "b", Key: "k", Part: "bytes=0-9"})
	n(retry.Event{Attempt: 2, MaxAttempts: 3, Delay: time.Second})
	if strings.Join(order, ",") != "policy,observer" || seen.Part != "bytes=0-9" || seen.Attempt != 2 || seen.Delay != time.Second {
		t.Fatalf("order %v, event %+v", order, seen)
	}
	var none *Observer
	if none.Named(nil, RetryEvent{}) != nil || (&Observer{}).Named(nil, RetryEvent{}) != nil {
		t.Fatal("an observer without OnRetry added a notifier")
	}
}

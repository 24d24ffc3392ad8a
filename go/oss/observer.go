package oss

import (
	"context"
	"net/http"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// Observer is told of what a Client does, for logs: the CLI's --loglevel (Config.Observer, the
// whole client) and Python's logging (WithObserver, one call of a client shared by many).
// Each function may be nil; a nil Observer costs nothing. They are called on the goroutine
// that sent the request, so they must be quick and safe for concurrent use.
type Observer struct {
	// OnRequest is told of every request sent (every attempt), answered or not.
	OnRequest func(RequestEvent)
	// OnRetry is told of every retry Client.Do decides on, before its wait. Loops that retry
	// themselves (go/transfer's parts) report through their policy's Notify: see RetryNotifier.
	OnRetry func(RetryEvent)
}

// RequestEvent is one request sent.
type RequestEvent struct {
	Method, Bucket, Key string
	Query               [][2]string // the request's, in order (shared: not to be changed)
	Status              int         // 0: no answer (a connection failure, a cancellation)
	RequestID           string      // x-oss-request-id of the answer
	// Duration is from sending to the answer's headers (a 2xx body is read later by the caller)
	// or, for an error, to the end of its body.
	Duration time.Duration
	Err      error // nil for a 2xx answer
	// RequestHeader is what was sent, signed, without Authorization and the STS token;
	// ResponseHeader is the answer's (nil without one).
	RequestHeader, ResponseHeader http.Header
}

// RetryEvent is one retry decided on.
type RetryEvent struct {
	// Method, Bucket and Key name the request; empty when the loop is not one request's and
	// nobody named it (a transfer's part under RetryNotifier; Named names them).
	Method, Bucket, Key string
	Query               [][2]string // the request's, for a retry Client.Do decided on (shared: not to be changed)
	// Part names a transfer's part: "bytes=a-b" of a download, "partNumber=n" of an upload; ""
	// for a whole request.
	Part string
	retry.Event
}

type observerKey struct{}

// WithObserver returns ctx carrying o: the requests and retries Client.Do makes under ctx are
// told to o as well as to Config.Observer, and go/transfer's loops tell o of the retries of
// their parts, named (Named). It scopes an Observer to one call on a client that serves many
// (go/capi's operations, whose retries Python logs); a nil o returns ctx unchanged.
func WithObserver(ctx context.Context, o *Observer) context.Context {
	if o == nil {
		return ctx
	}
	return context.WithValue(ctx, observerKey{}, o)
}

// ObserverFrom is the Observer ctx carries (WithObserver), or nil.
func ObserverFrom(ctx context.Context) *Observer {
	o, _ := ctx.Value(observerKey{}).(*Observer)
	return o
}

// Named is a retry.Policy.Notify for one named loop: it tells next (the policy's own Notify,
// if any), then o.OnRetry of each retry as name with the retry's Event. Without an OnRetry it
// is next itself, so a nil Observer adds nothing to a policy.
func (o *Observer) Named(next func(retry.Event), name RetryEvent) func(retry.Event) {
	if o == nil || o.OnRetry == nil {
		return next
	}
	return func(e retry.Event) {
		if next != nil {
			next(e)
		}
		ev := name
		ev.Event = e
		o.OnRetry(ev)
	}
}

// RetryNotifier is a retry.Policy.Notify that tells o.OnRetry, for the policies of loops that
// retry themselves (go/transfer.Config.Retry); nil when there is nothing to tell.
func (o *Observer) RetryNotifier() func(retry.Event) {
	if o == nil || o.OnRetry == nil {
		return nil
	}
	return func(e retry.Event) { o.OnRetry(RetryEvent{Event: e}) }
}

// redacted is h without the credentials a log must never show.
func redacted(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range []string{"Authorization", "X-Oss-Security-Token"} {
		if _, ok := out[k]; ok {
			out[k] = []string{"<redacted>"}
		}
	}
	return out
}

// observe reports one attempt of r to the observers: the client's and the call's (ctxObs).
func (c *Client) observe(ctxObs *Observer, r *Request, req *http.Request, resp *http.Response, err error, start time.Time) {
	tell := func(o *Observer) bool { return o != nil && o.OnRequest != nil }
	if !tell(c.cfg.Observer) && !tell(ctxObs) {
		return
	}
	e := RequestEvent{Method: r.Method, Bucket: r.Bucket, Key: r.Key, Query: r.Query, Duration: time.Since(start), Err: err}
	if req != nil {
		e.RequestHeader = redacted(req.Header)
	}
	if resp != nil {
		e.Status, e.RequestID, e.ResponseHeader = resp.StatusCode, resp.Header.Get("X-Oss-Request-Id"), resp.Header
	}
	for _, o := range [...]*Observer{c.cfg.Observer, ctxObs} {
		if tell(o) {
			o.OnRequest(e)
		}
	}
}

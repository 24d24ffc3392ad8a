package oss

import (
	"net/http"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// Observer is told of what a Client does, for logs (the CLI's --loglevel, later Python's logging).
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
	// Method, Bucket and Key name the request; empty when the loop is not one request's (a
	// transfer's part, which reports its own requests through OnRequest).
	Method, Bucket, Key string
	retry.Event
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

// observe reports one attempt of r to the observer.
func (c *Client) observe(r *Request, req *http.Request, resp *http.Response, err error, start time.Time) {
	o := c.cfg.Observer
	if o == nil || o.OnRequest == nil {
		return
	}
	e := RequestEvent{Method: r.Method, Bucket: r.Bucket, Key: r.Key, Query: r.Query, Duration: time.Since(start), Err: err}
	if req != nil {
		e.RequestHeader = redacted(req.Header)
	}
	if resp != nil {
		e.Status, e.RequestID, e.ResponseHeader = resp.StatusCode, resp.Header.Get("x-oss-request-id"), resp.Header
	}
	o.OnRequest(e)
}

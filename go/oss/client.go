// Package oss is pyjindo's OSS client: endpoint rules as oss2 has them, V1/V2/V4 signing, a pooled
// HTTP transport, and errors that carry everything OSS returns (status, code, message, request
// id, host id, EC, headers). It knows nothing of Python; go/capi shapes its results.
package oss

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pyjindo/pyjindo/go/oss/credentials"
	"github.com/pyjindo/pyjindo/go/oss/retry"
	"github.com/pyjindo/pyjindo/go/oss/signer"
)

// Config describes how to reach and sign for OSS.
type Config struct {
	Endpoint       string // "host[:port]" or with scheme; no scheme means http
	IsCname        bool   // the endpoint is a custom domain bound to the bucket
	PathStyle      bool   // force path-style addressing
	ConnectTimeout time.Duration
	ReadTimeout    time.Duration      // longest wait for a response's headers; 0 = ConnectTimeout
	Credentials    signer.Credentials // fixed keys; ignored when CredentialsProvider is set
	// CredentialsProvider, when set, is asked for the keys of every request and every retry
	// (see go/oss/credentials; put sources whose keys expire behind credentials.Refresh).
	CredentialsProvider credentials.Provider
	SignVersion         string // "v1" (default), "v2", "v4", or "anonymous" (unsigned; empty keys are still signed)
	Region              string // required for v4
	UserAgent           string
	MaxConns            int // per host; 0 = 64
	// Retry is the retry policy (the zero Policy: 3 attempts within 30 s). Do applies it to
	// idempotent requests (GET, HEAD, DELETE, PUT, OPTIONS) with a replayable body and to
	// requests marked Retry; go/transfer applies the same policy to its parts.
	Retry retry.Policy
	// Proxy is an HTTP proxy URL (as oss2's proxies={"http": ...}); "" uses the environment's.
	Proxy string
	// UploadLimit and DownloadLimit, when set, bound the bytes a second of every request body
	// sent and every response body read, all connections together (share one Limiter between
	// clients to bound a whole process). nil: unlimited.
	UploadLimit, DownloadLimit *Limiter
	// Observer, when set, is told of every request and retry (logs). nil costs nothing.
	Observer *Observer
}

// Client sends signed requests to OSS. It is safe for concurrent use.
type Client struct {
	cfg       Config
	endpoint  Endpoint
	pathStyle bool
	http      *http.Client
	direct    *directPool // nil when requests go through a proxy
	now       func() time.Time
	// V1 and V2 signing's own state, kept between requests: HMACs keyed with the secret
	// (*signer.V1MAC) and the Date of the second now
	macs sync.Pool
	date atomic.Pointer[httpDate]
}

// httpDate is a second's Date header.
type httpDate struct {
	unix int64
	text string
}

// httpDate is the Date header for now, formatted once a second.
func (c *Client) httpDate(now time.Time) string {
	if d := c.date.Load(); d != nil && d.unix == now.Unix() {
		return d.text
	}
	d := &httpDate{unix: now.Unix(), text: now.UTC().Format(http.TimeFormat)}
	c.date.Store(d)
	return d.text
}

// New returns a client for cfg.
func New(cfg Config) (*Client, error) {
	ep, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = 60 * time.Second
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = cfg.ConnectTimeout
	}
	if cfg.MaxConns <= 0 {
		cfg.MaxConns = 64
	}
	if cfg.SignVersion == "" {
		cfg.SignVersion = "v1"
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "pyjindo"
	}
	switch cfg.SignVersion {
	case "v1", "v2", "v4", "anonymous":
	default:
		return nil, &ClientError{Message: fmt.Sprintf("unknown signature version %q", cfg.SignVersion)}
	}
	if cfg.SignVersion == "v4" && cfg.Region == "" {
		return nil, &ClientError{Message: "The region should not be None in signature version 4."}
	}
	// oss2's rule: IP addresses and localhost cannot carry a bucket label, so use path style.
	pathStyle := cfg.PathStyle || ep.IPOrLocalhost
	proxy := http.ProxyFromEnvironment
	if cfg.Proxy != "" {
		u, err := url.Parse(cfg.Proxy)
		if err != nil || u.Host == "" {
			return nil, &ClientError{Message: fmt.Sprintf("bad proxy URL %q", cfg.Proxy)}
		}
		proxy = http.ProxyURL(u)
	}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 proxy,
		DialContext:           dialer.DialContext,
		MaxIdleConns:          cfg.MaxConns * 2,
		MaxIdleConnsPerHost:   cfg.MaxConns,
		MaxConnsPerHost:       0,
		IdleConnTimeout:       50 * time.Second,
		ResponseHeaderTimeout: cfg.ReadTimeout,
		ExpectContinueTimeout: time.Second,
		// Go would otherwise ask for gzip and transparently inflate, breaking lengths and ranges.
		DisableCompression: true,
		WriteBufferSize:    32 << 10,
		ReadBufferSize:     32 << 10,
	}
	c := &Client{cfg: cfg, endpoint: ep, pathStyle: pathStyle, now: time.Now,
		http: &http.Client{Transport: transport}}
	// Direct exchanges (direct.go) go to the endpoint itself: through a proxy, net/http's
	// transport carries every request.
	if u, err := proxy(&http.Request{URL: &url.URL{Scheme: ep.Scheme, Host: ep.Host}}); err == nil && u == nil {
		c.direct = &directPool{dialer: dialer, readTimeout: cfg.ReadTimeout, maxIdle: cfg.MaxConns,
			waits: newAnswerWaits(runtime.GOMAXPROCS(0))}
		if ep.Scheme == "https" {
			c.direct.tls = &tls.Config{}
		}
	}
	return c, nil
}

// Endpoint is the endpoint the client sends to.
func (c *Client) Endpoint() Endpoint { return c.endpoint }

// Close releases idle connections.
func (c *Client) Close() {
	c.http.CloseIdleConnections()
	if c.direct != nil {
		c.direct.closeIdle()
	}
}

// MaxConns is the number of connections to the endpoint the client keeps for reuse.
func (c *Client) MaxConns() int { return c.cfg.MaxConns }

// Direct tells whether the client can make direct exchanges (WithDirect): it does not go
// through a proxy.
func (c *Client) Direct() bool { return c.direct != nil }

// Request is one OSS request. Query keeps its order; a parameter with an empty value is sent bare
// (`?uploads`). Body may be nil; ContentLength is -1 when unknown. GetBody, when set, returns a
// fresh copy of the body, which lets a failed attempt be retried.
type Request struct {
	Method        string
	Bucket        string
	Key           string
	Query         [][2]string
	Header        http.Header
	Body          io.Reader
	ContentLength int64
	GetBody       func() io.Reader
	NoRetry       bool // the caller retries itself under the policy (transfer parts) or must not retry
	// Retry allows retries of a request that is safe to send again although its method is not
	// idempotent because the caller copes with a repeat: CompleteMultipartUpload (a repeat of a
	// completed upload is recognised) and InitiateMultipartUpload (extra uploads are aborted).
	Retry bool
	// ReadAll reads a 2xx answer's whole body (a small document) inside the attempt, so a body
	// that breaks off is a failed attempt, retried like a reset; the body is then in memory.
	ReadAll bool
	// OnRetry, if set, is told of each failed attempt before the request is sent again.
	OnRetry func(err error)
	// URL, when set, is a complete URL (a presigned one) to send the request to as it is:
	// Bucket, Key and Query are then only names for errors, and the request is not signed,
	// since the URL carries its signature.
	URL string
}

func (r *Request) values() url.Values {
	v := url.Values{}
	for _, kv := range r.Query {
		v.Add(kv[0], kv[1])
	}
	return v
}

// escapeKey percent-encodes a key for the URL path as oss2 does (quote with safe "/").
func escapeKey(key string) string { return quote(key, "-_.~/") }

// QuoteAll escapes everything but letters, digits and "-_.~", as Python's quote(s, safe="")
// (copy sources, presigned URLs).
func QuoteAll(s string) string { return quote(s, "-_.~") }

func quote(s, safe string) string {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9' || strings.IndexByte(safe, s[i]) >= 0) {
		i++
	}
	if i == len(s) {
		return s // nothing to escape
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(safe, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func escapeQuery(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

// URL returns the request's URL.
func (c *Client) URL(r *Request) string {
	var b strings.Builder
	b.Grow(len(c.endpoint.Scheme) + len(c.endpoint.Host) + len(r.Bucket) + 3*len(r.Key) + 8)
	b.WriteString(c.endpoint.Scheme)
	b.WriteString("://")
	switch {
	case r.Bucket == "" || c.cfg.IsCname:
		b.WriteString(c.endpoint.Host)
		b.WriteByte('/')
	case c.pathStyle:
		b.WriteString(c.endpoint.Host)
		b.WriteString("/" + r.Bucket + "/")
	default:
		b.WriteString(r.Bucket + "." + c.endpoint.Host)
		b.WriteByte('/')
	}
	b.WriteString(escapeKey(r.Key))
	for i, kv := range r.Query {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(escapeQuery(kv[0]))
		if kv[1] != "" {
			b.WriteByte('=')
			b.WriteString(escapeQuery(kv[1]))
		}
	}
	return b.String()
}

// Do sends r and returns the response with its body unread when the status is 2xx; otherwise it
// reads the error and returns a *ServiceError. Transport failures are *RequestError. Requests that
// are safe to repeat are retried under the client's policy (see Config.Retry); the error returned
// is the last attempt's.
func (c *Client) Do(ctx context.Context, r *Request) (*http.Response, error) {
	if r.NoRetry || !(r.Retry || idempotent(r.Method)) || (r.Body != nil && r.GetBody == nil) {
		return c.once(ctx, r)
	}
	var resp *http.Response
	pol := c.cfg.Retry
	d := DirectFrom(ctx)
	if d != nil && c.direct != nil && d.inBudget() && pol.MaxAttempts() > 1 {
		// No retry waits on a C caller's thread: a failure to retry is handed off, and the run
		// that goes on counts it as its first attempt.
		resp, err := c.once(ctx, r)
		if err == nil || err == ErrHandedOff || ctx.Err() != nil || !pol.IsErrorRetryable(err) {
			return resp, err
		}
		return nil, d.handOffFailure(r.Method, c.URL(r), err)
	}
	name := RetryEvent{Method: r.Method, Bucket: r.Bucket, Key: r.Key, Query: r.Query}
	pol.Notify = ObserverFrom(ctx).Named(c.cfg.Observer.Named(pol.Notify, name), name)
	err := pol.Do(ctx, func(attempt int) error {
		if attempt > 1 && r.GetBody != nil {
			r.Body = r.GetBody()
		}
		if attempt == 1 && d != nil {
			if err := d.takeFailure(r.Method, func() string { return c.URL(r) }); err != nil {
				return err // the first attempt, made on the caller's thread
			}
		}
		var err error
		resp, err = c.once(ctx, r)
		return err
	}, r.OnRetry)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodDelete, http.MethodPut, http.MethodOptions:
		return true
	}
	return false
}

func (c *Client) once(ctx context.Context, r *Request) (_ *http.Response, err error) {
	// The keys of this attempt, asked for before anything is built: a retry after a rotation
	// signs with the new keys.
	var creds signer.Credentials
	if c.cfg.SignVersion != "anonymous" && r.URL == "" {
		if creds, err = c.credentials(ctx); err != nil {
			return nil, err
		}
	}
	var body io.Reader = http.NoBody
	var guard *bodyGuard
	if r.Body != nil && r.ContentLength != 0 {
		guard = &bodyGuard{r: r.Body, closed: make(chan struct{})}
		if c.cfg.UploadLimit != nil {
			guard.src = &limitedReader{r: r.Body, l: c.cfg.UploadLimit, ctx: ctx}
		}
		body = guard
	}
	target := r.URL
	if target == "" {
		target = c.URL(r)
	}
	// A request with a body has its own context so that an answer that came before the body was
	// sent can stop the transport from reading it; then once waits until the transport let go of
	// the body (it may be a Python buffer, released as soon as the call returns).
	reqCtx, cancel := ctx, context.CancelFunc(func() {})
	if guard != nil {
		reqCtx, cancel = context.WithCancel(ctx)
	}
	released := false
	defer func() {
		if !released {
			cancel()
			guard.wait(nil)
		}
	}()
	req, err := http.NewRequestWithContext(reqCtx, r.Method, target, body)
	if err != nil {
		return nil, &ClientError{Message: err.Error()}
	}
	if r.Body != nil {
		req.ContentLength = r.ContentLength
	}
	req.Header = requestHeader(r.Header)
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	c.sign(req, r, creds)
	keepContentLength(req)
	start := time.Now()
	var resp *http.Response
	if d := DirectFrom(ctx); d != nil && c.direct != nil {
		resp, err = c.direct.exchange(c.http, req, d)
		if err == ErrHandedOff {
			return nil, err // the run goes on elsewhere: not a failure of the request
		}
	} else {
		resp, err = c.http.Do(req)
	}
	if o := ObserverFrom(ctx); o != nil || c.cfg.Observer != nil {
		defer func() { c.observe(o, r, req, resp, err, start) }()
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &RequestError{Err: err}
	}
	if resp.StatusCode/100 == 2 {
		// A success means the body was read whole: the transport closes it as it finishes
		// writing, which it does without being cancelled; the response stays readable.
		guard.wait(ctx.Done())
		released = true
		resp.Body = &cancelOnClose{ReadCloser: limitBody(ctx, resp.Body, c.cfg.DownloadLimit), cancel: cancel}
		if r.ReadAll {
			raw, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				return nil, &RequestError{Err: fmt.Errorf("reading the %d response: %w", resp.StatusCode, err)}
			}
			resp.Body = io.NopCloser(bytes.NewReader(raw))
		}
		return resp, nil
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil && len(raw) == 0 && resp.Request.Method != http.MethodHead {
		return nil, &RequestError{Err: fmt.Errorf("reading the %d error response: %w", resp.StatusCode, err)}
	}
	return nil, newServiceError(resp, raw)
}

// CurrentCredentials are the keys requests are signed with now, with their expiry and
// source; the provider's failure is a *CredentialsError, as a request would get.
func (c *Client) CurrentCredentials(ctx context.Context) (credentials.Credentials, error) {
	if c.cfg.CredentialsProvider == nil || c.cfg.SignVersion == "anonymous" {
		return credentials.Credentials{Credentials: c.cfg.Credentials, Source: "static keys"}, nil
	}
	creds, err := c.cfg.CredentialsProvider.Credentials(ctx)
	if err != nil {
		return credentials.Credentials{}, &CredentialsError{Err: err}
	}
	return creds, nil
}

// credentials are the keys to sign with now: the provider's, or the fixed ones.
func (c *Client) credentials(ctx context.Context) (signer.Credentials, error) {
	if c.cfg.CredentialsProvider == nil || c.cfg.SignVersion == "anonymous" {
		return c.cfg.Credentials, nil
	}
	creds, err := c.cfg.CredentialsProvider.Credentials(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return signer.Credentials{}, ctx.Err()
		}
		// Final: the provider has its own retries (Refreshing); a request retry would only
		// ask it again at once.
		return signer.Credentials{}, &CredentialsError{Err: err}
	}
	return creds.Credentials, nil
}

func (c *Client) sign(req *http.Request, r *Request, creds signer.Credentials) {
	bucket := r.Bucket
	switch {
	// Empty keys are signed as any others (OSS refuses them, as oss2 gets it to): only an
	// explicitly anonymous client sends nothing.
	case c.cfg.SignVersion == "anonymous" || r.URL != "":
		return
	case c.cfg.SignVersion == "v4":
		signer.SignV4(req.Method, bucket, r.Key, r.values(), req.Header, c.cfg.Region, nil, creds, c.now())
	case c.cfg.SignVersion == "v2":
		now := c.now()
		req.Header["Date"] = []string{c.httpDate(now)} // the one the signer would set
		signer.SignV2(req.Method, bucket, r.Key, r.values(), req.Header, creds, now)
	default:
		now := c.now()
		req.Header["Date"] = []string{c.httpDate(now)}
		m, _ := c.macs.Get().(*signer.V1MAC)
		if m == nil {
			m = &signer.V1MAC{}
		}
		m.SignV1(req.Method, bucket, r.Key, r.values(), req.Header, creds, now)
		c.macs.Put(m)
	}
}

// requestHeader is a copy of h for a request, as Header.Add would build it value by value
// (canonical keys, none without a value), in Clone's two allocations.
func requestHeader(h http.Header) http.Header {
	out := h.Clone()
	if out == nil {
		return http.Header{}
	}
	for k, vs := range out {
		if ck := http.CanonicalHeaderKey(k); ck != k || len(vs) == 0 {
			delete(out, k)
			if len(vs) > 0 {
				out[ck] = append(out[ck], vs...)
			}
		}
	}
	return out
}

// keepContentLength makes net/http send the Content-Length header the caller gave a request
// without a body (a GET whose presigned URL, V2 or V4, signs content-length among its additional
// headers: oss2, through requests, sends it). net/http writes Content-Length from ContentLength
// only, and for a request without a body only for POST, PUT and PATCH; a header key it does not
// recognise (lower case, not canonical) is written as it is. A value other than 0 announces a
// body that never comes: the connection is then closed after the answer, never reused.
func keepContentLength(req *http.Request) {
	v := req.Header.Get("Content-Length")
	if v == "" || req.ContentLength != 0 {
		return
	}
	switch req.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return // net/http sends "Content-Length: 0" itself
	}
	req.Header.Del("Content-Length")
	req.Header["content-length"] = []string{v}
	if v != "0" {
		req.Close = true
	}
}

// ContentMD5 is the base64 MD5 header value for data.
func ContentMD5(sum []byte) string { return base64.StdEncoding.EncodeToString(sum) }

// bodyGuard is a request body that reports when the transport closed it: net/http may go on
// reading a body after Do returns (an error answered before the body was sent, a cancellation).
type bodyGuard struct {
	r      io.Reader
	src    io.Reader // what Read reads: r, or r through an upload Limiter
	once   sync.Once
	closed chan struct{}
}

func (g *bodyGuard) Read(p []byte) (int, error) {
	if g.src != nil {
		return g.src.Read(p)
	}
	return g.r.Read(p)
}

// Close closes the caller's body too when it is a Closer, as net/http would have.
func (g *bodyGuard) Close() error {
	var err error
	g.once.Do(func() {
		if c, ok := g.r.(io.Closer); ok {
			err = c.Close()
		}
		close(g.closed)
	})
	return err
}

// wait blocks until the transport closed the body (or stop is closed); a nil guard has no body.
func (g *bodyGuard) wait(stop <-chan struct{}) {
	if g == nil {
		return
	}
	select {
	case <-g.closed:
	case <-stop:
	}
}

// cancelOnClose ends a request's own context when its response body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// logObserver is --loglevel's observer: info writes one line per request and per retry to
// stderr, debug adds the request's and the answer's headers (the client leaves Authorization and
// the STS token out). ossutil writes these to ossutil.log beside its binary; jindo writes to
// stderr, which a user can redirect. nil when logging is off.
func (c *call) logObserver() (*oss.Observer, error) {
	level := c.opts.str("loglevel")
	switch level {
	case "":
		return nil, nil
	case "info", "debug":
	default:
		return nil, usagef("--loglevel must be info or debug, not %q", level)
	}
	l := &requestLog{w: c.env.Stderr, debug: level == "debug", json: c.json()}
	return &oss.Observer{OnRequest: l.request, OnRetry: l.retry}, nil
}

type requestLog struct {
	mu          sync.Mutex
	w           io.Writer
	debug, json bool // json: each event one JSON line, as every stderr line under --output-format json
}

// line writes one event as a JSON line {kind: fields}.
func (l *requestLog) line(kind string, fields map[string]any) {
	fields["level"], fields["time"] = level(l.debug), stamp()
	b, _ := json.Marshal(map[string]any{kind: fields})
	fmt.Fprintf(l.w, "%s\n", b)
}

func stamp() string { return time.Now().UTC().Format("2006-01-02T15:04:05.000Z") }

func target(bucket, key string) string {
	switch {
	case bucket == "":
		return "/"
	case key == "":
		return bucket
	}
	return bucket + "/" + key
}

func (l *requestLog) request(e oss.RequestEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.json {
		f := map[string]any{"method": e.Method, "bucket": e.Bucket, "key": e.Key, "query": query(e.Query), "status": e.Status,
			"request_id": e.RequestID, "ms": float64(e.Duration.Microseconds()) / 1000}
		if e.Err != nil {
			f["error"] = errorFields(e.Err)
		}
		if l.debug {
			f["request_headers"], f["response_headers"] = e.RequestHeader, e.ResponseHeader
		}
		l.line("request", f)
		return
	}
	status := fmt.Sprint(e.Status)
	if e.Status == 0 {
		status = "no-answer"
	}
	fmt.Fprintf(l.w, "[%s] %s %s %s%s %s request-id=%s %.1fms", level(l.debug), stamp(), e.Method, target(e.Bucket, e.Key), query(e.Query), status, orDash(e.RequestID),
		float64(e.Duration.Microseconds())/1000)
	if e.Err != nil {
		fmt.Fprintf(l.w, " error=%q", describeError(e.Err))
	}
	fmt.Fprintln(l.w)
	if l.debug {
		writeHeaders(l.w, "> ", e.RequestHeader)
		writeHeaders(l.w, "< ", e.ResponseHeader)
	}
}

func (l *requestLog) retry(e oss.RetryEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.json {
		l.line("retry", map[string]any{"method": e.Method, "bucket": e.Bucket, "key": e.Key, "attempt": e.Attempt,
			"max_attempts": e.MaxAttempts, "error": errorFields(e.Err), "delay_ms": e.Delay.Milliseconds()})
		return
	}
	what := "a part"
	if e.Method != "" {
		what = e.Method + " " + target(e.Bucket, e.Key)
	}
	fmt.Fprintf(l.w, "[%s] %s retry %s: attempt %d of %d failed: %s; next attempt in %s\n", level(l.debug), stamp(), what,
		e.Attempt, e.MaxAttempts, describeError(e.Err), e.Delay.Round(time.Millisecond))
}

// query is the request's query as the URL carries it ("?uploadId=...&partNumber=2"), or "".
func query(q [][2]string) string {
	var b strings.Builder
	for i, kv := range q {
		b.WriteByte("?&"[min(i, 1)])
		b.WriteString(url.QueryEscape(kv[0]))
		if kv[1] != "" {
			b.WriteString("=" + url.QueryEscape(kv[1]))
		}
	}
	return b.String()
}

func level(debug bool) string {
	if debug {
		return "debug"
	}
	return "info"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeHeaders(w io.Writer, prefix string, h http.Header) {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range h[k] {
			fmt.Fprintf(w, "    %s%s: %s\n", prefix, k, v)
		}
	}
}

// retryNotifier is the policy hook that logs the retries of transfer parts (their loops are
// go/transfer's, not the client's).
func (c *call) retryNotifier() func(retry.Event) {
	return c.observer.RetryNotifier()
}

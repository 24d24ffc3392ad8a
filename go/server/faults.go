package server

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults make the server misbehave on purpose, for reliability tests: at Rate, a request gets one
// of Kinds. With Header set, a loopback client can also ask for a fault on one request with
// `x-jindo-fault: KIND[=ARG]`. Kinds:
//
//	500, 503     answer InternalError or SlowDown before doing anything
//	500=N, 503=N (header only) the same for the first N requests with this header value, method,
//	             host, path, query and Range, then serve them: a request that succeeds on
//	             attempt N+1, and each ranged part of a download retried N times
//	reset[=N]    drop the connection after N bytes of the response body (default: half of it),
//	             or, for a request with a body, after reading N bytes of it; reset=random
//	             (also in --faults) after a number of bytes drawn uniformly below the length
//	stall[=D]    wait D (default Faults.Stall) before answering
//	corrupt      flip one byte of an object's body (CRC64 checks must catch it)
type Faults struct {
	Rate   float64
	Kinds  []string
	Stall  time.Duration
	Header bool

	mu     sync.Mutex
	counts map[string]int // requests seen per 500=N / 503=N fault and request (see onlyFirst)
}

// FaultHeader is the per-request fault control header.
const FaultHeader = "x-jindo-fault"

// ParseFaultKinds checks a comma-separated list of fault kinds.
func ParseFaultKinds(s string) ([]string, error) {
	var kinds []string
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		switch k {
		case "":
			continue
		case "500", "503", "reset", "reset=random", "stall", "corrupt":
			kinds = append(kinds, k)
		default:
			return nil, fmt.Errorf("unknown fault kind %q (want 500, 503, reset, reset=random, stall, corrupt)", k)
		}
	}
	return kinds, nil
}

// fault is the fault chosen for one request.
type fault struct {
	kind string
	arg  string
}

// pickFault decides whether this request misbehaves.
func (rq *request) pickFault() (fault, bool) {
	f := rq.s.cfg.Faults
	if f == nil {
		return fault{}, false
	}
	if f.Header {
		if v := rq.r.Header.Get(FaultHeader); v != "" && isLoopback(rq.r.RemoteAddr) {
			kind, arg, _ := strings.Cut(v, "=")
			if (kind == "500" || kind == "503") && arg != "" {
				n, err := strconv.Atoi(arg)
				return fault{kind: kind}, err == nil && f.onlyFirst(rq.r, v, n)
			}
			return fault{kind: kind, arg: arg}, true
		}
	}
	if f.Rate > 0 && len(f.Kinds) > 0 && rand.Float64() < f.Rate {
		kind, arg, _ := strings.Cut(f.Kinds[rand.IntN(len(f.Kinds))], "=")
		return fault{kind: kind, arg: arg}, true
	}
	return fault{}, false
}

// maxFaultCounts bounds the requests remembered for 500=N / 503=N: tests make a few each.
const maxFaultCounts = 10000

// onlyFirst tells whether request r, carrying fault header value v, is among the first n of its
// kind (v, method, host, path and query, Range).
func (f *Faults) onlyFirst(r *http.Request, v string, n int) bool {
	id := strings.Join([]string{v, r.Method, r.Host, r.URL.RequestURI(), r.Header.Get("Range")}, " ")
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.counts == nil || len(f.counts) >= maxFaultCounts {
		f.counts = map[string]int{}
	}
	f.counts[id]++
	return f.counts[id] <= n
}

func isLoopback(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// injectFault picks a fault for this request, if any, and applies it.
func (rq *request) injectFault() *ossError {
	f, ok := rq.pickFault()
	if !ok {
		return nil
	}
	return rq.applyFault(f)
}

// applyFault acts on a chosen fault. It returns an error to answer with, or wraps the response
// writer and request body so the fault happens while the request is served.
func (rq *request) applyFault(f fault) *ossError {
	switch f.kind {
	case "500":
		return errInternal(nil)
	case "503":
		return &ossError{Status: 503, Code: "SlowDown", Message: "Please reduce your request rate.", EC: "0003-00000005"}
	case "stall":
		d := rq.s.cfg.Faults.Stall
		if v, err := time.ParseDuration(f.arg); err == nil {
			d = v
		}
		if d <= 0 {
			d = 30 * time.Second
		}
		select {
		case <-time.After(d):
		case <-rq.r.Context().Done():
		}
	case "reset":
		n, err := strconv.ParseInt(f.arg, 10, 64)
		if f.arg == "random" {
			n = resetRandom
		} else if err != nil {
			n = resetHalf
		}
		if rq.r.ContentLength > 0 {
			if n == resetRandom {
				n = rand.Int64N(rq.r.ContentLength)
			} else if n < 0 {
				n = rq.r.ContentLength / 2
			}
			rq.r.Body = &abortingBody{r: rq.r.Body, left: n}
			return nil
		}
		rq.w = &faultyWriter{ResponseWriter: rq.w, resetAt: n}
	case "corrupt":
		rq.w = &faultyWriter{ResponseWriter: rq.w, resetAt: resetNever, corrupt: true}
	}
	return nil
}

// What resetAt may say besides a count of bytes.
const (
	resetHalf   = -1 // half the Content-Length
	resetNever  = -2
	resetRandom = -3 // a count drawn uniformly below the Content-Length
)

// faultyWriter drops the connection after resetAt body bytes (or as resetHalf, resetRandom say)
// or flips one byte in the middle of the body.
type faultyWriter struct {
	http.ResponseWriter
	resetAt int64
	corrupt bool
	written int64
	flipAt  int64
}

// Unwrap lets http.NewResponseController reach the connection through the wrapper: without it
// every read deadline the handlers set (body timeouts) would fail silently under a fault.
func (w *faultyWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *faultyWriter) WriteHeader(status int) {
	length, _ := strconv.ParseInt(w.Header().Get("Content-Length"), 10, 64)
	switch {
	case w.resetAt == resetHalf:
		w.resetAt = length / 2
	case w.resetAt == resetRandom && length > 0:
		w.resetAt = rand.Int64N(length)
	case w.resetAt == resetRandom:
		w.resetAt = 0
	}
	w.flipAt = length / 2
	if status/100 != 2 {
		w.resetAt, w.corrupt = resetNever, false // errors pass untouched
	}
	if w.Header().Get("X-Oss-Object-Type") == "" {
		// Only object data is corrupted: that is what CRC64 protects. A flipped byte in a
		// listing would be a different test (TCP checksums make both rare in practice).
		w.corrupt = false
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *faultyWriter) Write(p []byte) (int, error) {
	if w.resetAt >= 0 && w.written+int64(len(p)) > w.resetAt {
		n, _ := w.ResponseWriter.Write(p[:w.resetAt-w.written])
		w.written += int64(n)
		if f, ok := w.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		panic(http.ErrAbortHandler) // net/http closes the connection without finishing the response
	}
	if w.corrupt && w.flipAt >= w.written && w.flipAt < w.written+int64(len(p)) {
		q := append([]byte(nil), p...)
		q[w.flipAt-w.written] ^= 0xFF
		w.corrupt = false
		n, err := w.ResponseWriter.Write(q)
		w.written += int64(n)
		return n, err
	}
	n, err := w.ResponseWriter.Write(p)
	w.written += int64(n)
	return n, err
}

// abortingBody drops the connection after `left` bytes of the request body.
type abortingBody struct {
	r    interface{ Read([]byte) (int, error) }
	left int64
}

func (b *abortingBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		panic(http.ErrAbortHandler)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *abortingBody) Close() error { return nil }

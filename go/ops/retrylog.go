package ops

import (
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/pyjindo/pyjindo/go/oss"
)

// A caller that logs retries (Python, when its retry logger is enabled) gives each operation a
// RetryLog: the operation's context carries its Observer (oss.WithObserver), and the caller
// drains it while it waits and once at the end, and logs the records on its own thread (Go
// never calls into Python). Without one nothing is collected or allocated.

// retryLogSize bounds the retries an operation keeps between two drains (50 ms apart): the
// last ones are kept and the older ones only counted.
const retryLogSize = 100

// RetryLog is one operation's retries not yet drained.
type RetryLog struct {
	mu      sync.Mutex
	events  []retryRecord
	dropped int
	// linked is a log whose retries drain moves into this one: a stream's, while an
	// operation on the stream runs (follow).
	linked atomic.Pointer[RetryLog]
}

// retryRecord is one retry as Python logs it. Status, code and request id are the failed
// attempt's answer; without one (a connection failure) error says what happened.
type retryRecord struct {
	Method      string  `json:"method"`
	Bucket      string  `json:"bucket"`
	Key         string  `json:"key"`
	Params      string  `json:"params"` // the request's query, as Client.Do sent it ("uploads", "uploadId=...")
	Part        string  `json:"part"`   // a transfer's part: "bytes=a-b" or "partNumber=n"
	Attempt     int     `json:"attempt"`
	MaxAttempts int     `json:"max_attempts"`
	Status      int     `json:"status"`
	Code        string  `json:"code"`
	RequestID   string  `json:"request_id"`
	Error       string  `json:"error"`
	Connection  bool    `json:"connection"` // no answer: a connection failure or a body that broke off
	Backoff     float64 `json:"backoff"`    // seconds before the next attempt
}

// Observer is the Observer an operation's context carries (oss.WithObserver).
func (l *RetryLog) Observer() *oss.Observer { return &oss.Observer{OnRetry: l.add} }

func (l *RetryLog) add(e oss.RetryEvent) {
	r := retryRecord{Method: e.Method, Bucket: e.Bucket, Key: e.Key, Params: params(e.Query), Part: e.Part,
		Attempt: e.Attempt, MaxAttempts: e.MaxAttempts, Backoff: e.Delay.Seconds()}
	var se *oss.ServiceError
	var re *oss.RequestError
	switch {
	case errors.As(e.Err, &se):
		r.Status, r.Code, r.RequestID, r.Error = se.Status, se.Code, se.RequestID, se.Message
	case errors.As(e.Err, &re):
		r.Connection, r.Error = true, re.Err.Error()
	case e.Err != nil:
		r.Error = e.Err.Error()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keep(r)
}

// keep adds r, dropping the oldest beyond retryLogSize; l.mu is held.
func (l *RetryLog) keep(r retryRecord) {
	if len(l.events) == retryLogSize {
		copy(l.events, l.events[1:])
		l.events = l.events[:retryLogSize-1]
		l.dropped++
	}
	l.events = append(l.events, r)
}

// take removes and returns what l holds.
func (l *RetryLog) take() ([]retryRecord, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	events, dropped := l.events, l.dropped
	l.events, l.dropped = nil, 0
	return events, dropped
}

// moveTo moves what l holds into dst.
func (l *RetryLog) moveTo(dst *RetryLog) {
	events, dropped := l.take()
	if len(events) == 0 && dropped == 0 {
		return
	}
	dst.mu.Lock()
	defer dst.mu.Unlock()
	dst.dropped += dropped
	for _, r := range events {
		dst.keep(r)
	}
}

// follow links l (a stream's log) to dst (an operation's) until the returned func is called,
// which moves what is left; retries made while no operation follows wait in l for the next.
// Either log nil: nothing to do.
func (l *RetryLog) follow(dst *RetryLog) (unlink func()) {
	if l == nil || dst == nil {
		return func() {}
	}
	dst.linked.Store(l)
	return func() {
		dst.linked.Store(nil)
		l.moveTo(dst)
	}
}

// Drain returns the retries since the last drain as JSON {"events": [...], "dropped": n}, or
// nil when there were none.
func (l *RetryLog) Drain() []byte {
	if linked := l.linked.Load(); linked != nil {
		linked.moveTo(l)
	}
	events, dropped := l.take()
	if len(events) == 0 && dropped == 0 {
		return nil
	}
	b, err := json.Marshal(map[string]any{"events": events, "dropped": dropped})
	if err != nil {
		return nil
	}
	return b
}

// params is a query as "a=1&b" (unescaped: a name for a log, not a URL).
func params(q [][2]string) string {
	s := ""
	for i, kv := range q {
		if i > 0 {
			s += "&"
		}
		s += kv[0]
		if kv[1] != "" {
			s += "=" + kv[1]
		}
	}
	return s
}

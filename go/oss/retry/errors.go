package retry

import (
	"errors"
	"net/http"
)

// What the policy needs to know of an error, as interfaces so that this package does not depend
// on the client's error types (go/oss implements them).
type (
	// ServiceError is an error answer: its HTTP status and OSS error code.
	ServiceError interface {
		HTTPStatus() int
		ErrorCode() string
	}
	// ConnectionError is a failure to get an answer (refused, reset, timed out, a body that broke
	// off): the request may or may not have been served, and sending it again may succeed.
	ConnectionError interface {
		ConnectionFailed() bool
	}
	// Hinted is an error that says itself whether it is worth another attempt (Transient,
	// Permanent); its word wins over the rules below.
	Hinted interface {
		RetryableError() bool
	}
)

// IsErrorRetryable is the standard rule: an error that says so itself (Hinted); a connection
// failure; an answer 5xx other than 501 NotImplemented (the same request cannot become
// implemented) and 507 InsufficientStorage (the server is full: sending the same body again at
// once only makes it read and refuse that body again); SlowDown and RequestTimeout. Anything
// else (4xx, a client error, a cancelled context, a failure of the destination) is final.
func IsErrorRetryable(err error) bool {
	var h Hinted
	if errors.As(err, &h) {
		return h.RetryableError()
	}
	var se ServiceError
	if errors.As(err, &se) {
		switch code, status := se.ErrorCode(), se.HTTPStatus(); {
		case code == "SlowDown" || code == "RequestTimeout":
			return true
		case status == http.StatusNotImplemented || status == http.StatusInsufficientStorage:
			return false
		default:
			return status >= 500
		}
	}
	var ce ConnectionError
	return errors.As(err, &ce) && ce.ConnectionFailed()
}

type hinted struct {
	err       error
	retryable bool
}

func (h *hinted) Error() string        { return h.err.Error() }
func (h *hinted) Unwrap() error        { return h.err }
func (h *hinted) RetryableError() bool { return h.retryable }

// Transient marks err as worth another attempt (a part whose CRC64 came out wrong).
func Transient(err error) error { return &hinted{err: err, retryable: true} }

// Permanent marks err as final: the attempt has retried under the policy already, or the
// failure is not one a repeat can fix.
func Permanent(err error) error { return &hinted{err: err, retryable: false} }

type progressed struct{ err error }

func (p *progressed) Error() string { return p.err.Error() }
func (p *progressed) Unwrap() error { return p.err }

// Progressed marks a failed attempt that moved its operation forward (a download part whose body
// broke off after bytes arrived): the next attempt resumes where it stopped, so Do does not count
// it against the attempts, and measures its time bound again from there. An operation that makes
// no progress has its attempts and time as before; so under frequent breaks a large part (or a
// slow one) is not lost for having been cut more often than a small one.
func Progressed(err error) error {
	if err == nil {
		return nil
	}
	return &progressed{err: err}
}

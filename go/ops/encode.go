package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/credentials"
	"github.com/pyjindo/pyjindo/go/oss/crypto"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// Header values (and raw bodies) are bytes, JSON strings are Unicode: they cross as Latin-1
// text, one character per byte, which is also how oss2 (http.client) hands header values to
// its users and puts str values on the wire.

// Latin1 is b as Latin-1 text.
func Latin1(b []byte) string {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			r := make([]rune, len(b))
			for i, c := range b {
				r[i] = rune(c)
			}
			return string(r)
		}
	}
	return string(b) // ASCII: the same either way
}

// FromLatin1 is the bytes Latin-1 text s stands for. Python sends nothing else; a character
// beyond Latin-1 is kept as UTF-8 rather than lost.
func FromLatin1(s string) string {
	if isASCII(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r < 256 {
			b = append(b, byte(r))
		} else {
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

// Pairs are headers (or query parameters) as the caller sends and reads them: [name, value]
// pairs of Latin-1 text.
type Pairs [][2]string

// Header is p as the bytes the caller meant.
func (p Pairs) Header() http.Header {
	h := http.Header{}
	for _, kv := range p {
		h.Add(FromLatin1(kv[0]), FromLatin1(kv[1]))
	}
	return h
}

// HeaderPairs is hdr as Pairs (never nil).
func HeaderPairs(hdr http.Header) Pairs {
	headers := make(Pairs, 0, len(hdr))
	for k, vs := range hdr {
		for _, v := range vs {
			if !isASCII(v) { // ASCII is the same text in Latin-1: no copy
				v = Latin1([]byte(v))
			}
			headers = append(headers, [2]string{k, v})
		}
	}
	return headers
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Object names an object (or a bucket, when Key is "").
type Object struct {
	Bucket string `json:"bucket" arg:"required"`
	Key    string `json:"key" arg:"required"`
}

// Target is a request to an object: its query and headers, or a presigned URL.
type Target struct {
	Object
	Params  [][2]string `json:"params"`
	Headers Pairs       `json:"headers"`
	// URL, when set, is a presigned URL the request goes to unchanged and unsigned
	// (get_object_with_url and friends); Bucket and Key then only name it in errors.
	URL string `json:"url"`
}

func (t Target) request(method string) *oss.Request {
	return &oss.Request{Method: method, Bucket: t.Bucket, Key: t.Key, Query: t.Params, Header: t.Headers.Header(),
		ContentLength: -1, URL: t.URL}
}

// Response is what an operation returns about an HTTP response.
type Response struct {
	Status    int     `json:"status"`
	RequestID string  `json:"request_id"`
	Headers   Pairs   `json:"headers"`
	Body      any     `json:"body"`
	Duration  float64 `json:"duration"`
}

func describe(status int, header http.Header, body any, started time.Time) Response {
	if header == nil {
		header = http.Header{}
	}
	return Response{Status: status, RequestID: header.Get("X-Oss-Request-Id"), Headers: HeaderPairs(header),
		Body: body, Duration: time.Since(started).Seconds()}
}

// HandleRef is a Go value handed to the caller as a handle: {"$handle": n, "kind": k}, which
// Python turns into a Handle tagged with its library generation.
type HandleRef struct {
	H    uint64
	Kind string
}

func (r HandleRef) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]any{"$handle": r.H, "kind": r.Kind})
}

// handleArg is the value of type T behind the caller's handle number h.
func handleArg[T any](c *Call, h uint64, what string) (T, error) {
	var zero T
	v, ok := c.Handles.Value(h)
	if !ok {
		return zero, clientErrorf("bad %s handle", what)
	}
	t, ok := v.(T)
	if !ok {
		return zero, clientErrorf("bad %s handle", what)
	}
	return t, nil
}

// Closer is implemented by handle values that hold resources (sessions, streams, writers):
// the caller calls close when it frees the handle.
type Closer interface{ Close() }

func clientErrorf(format string, a ...any) error {
	return &oss.ClientError{Message: fmt.Sprintf(format, a...)}
}

// ClientErrorf is bad input from the caller: it becomes oss2's ClientError.
func ClientErrorf(format string, a ...any) error { return clientErrorf(format, a...) }

// ErrorDict is err as the dict pyjindo.exceptions.from_error_dict takes (an operation's
// error, or one item's in a batch result).
func ErrorDict(err error) map[string]any {
	err = transfer.OSSError(err)
	var se *oss.ServiceError
	var re *oss.RequestError
	var ce *oss.ClientError
	var ie *oss.InconsistentError
	var cre *oss.CredentialsError
	var de *oss.DocumentError
	var kme *crypto.KMSError
	var kfe *crypto.KMSFormatError
	switch {
	case errors.As(err, &se):
		return map[string]any{"kind": "server", "status": se.Status, "code": se.Code, "message": se.Message,
			"request_id": se.RequestID, "host_id": se.HostID, "ec": se.EC, "headers": HeaderPairs(se.Header),
			"details": se.Details, "body": Latin1(se.Body)}
	case errors.As(err, &ie):
		return map[string]any{"kind": "inconsistent", "message": ie.Message, "request_id": ie.RequestID}
	case errors.As(err, &ce):
		return map[string]any{"kind": "client", "message": ce.Message}
	case errors.As(err, &kme):
		return map[string]any{"kind": "openapi", "status": kme.Status, "code": kme.Code, "message": kme.Message,
			"request_id": kme.RequestID}
	case errors.As(err, &kfe):
		return map[string]any{"kind": "openapi_format", "message": kfe.Error()}
	case errors.As(err, &cre):
		// Nothing was sent; not_found tells "no source had keys" from "a source failed".
		return map[string]any{"kind": "credentials", "message": cre.Err.Error(), "not_found": errors.Is(cre.Err, credentials.ErrNotFound)}
	case errors.As(err, &re):
		return map[string]any{"kind": "request", "message": re.Err.Error()}
	case errors.As(err, &de):
		return map[string]any{"kind": "document", "message": de.Error()}
	case errors.Is(err, context.Canceled):
		return map[string]any{"kind": "request", "message": "operation cancelled"}
	default:
		return map[string]any{"kind": "request", "message": err.Error()}
	}
}

// itemError is one item's error in a batch result (nil: none).
func itemError(err error) map[string]any {
	if err == nil {
		return nil
	}
	return ErrorDict(err)
}

// interrupted is ctx's error when the call was cancelled (Ctrl-C), else err: a failure caused
// by the cancellation reads as one.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

package oss

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
)

// ServiceError is an error response from OSS.
type ServiceError struct {
	Status    int
	Code      string
	Message   string
	RequestID string
	HostID    string
	EC        string
	Header    http.Header
	Details   map[string]string // every child element of <Error>
	Body      []byte
}

func (e *ServiceError) Error() string {
	return fmt.Sprintf("oss: %d %s: %s (request id %s)", e.Status, e.Code, e.Message, e.RequestID)
}

// HTTPStatus and ErrorCode let the retry policy classify the answer (retry.ServiceError).
func (e *ServiceError) HTTPStatus() int   { return e.Status }
func (e *ServiceError) ErrorCode() string { return e.Code }

// RequestError is a failure to get a response: connection refused or reset, timeout, a body that
// broke off. The retry policy retries it (retry.ConnectionError).
type RequestError struct{ Err error }

func (e *RequestError) Error() string          { return "oss: request failed: " + e.Err.Error() }
func (e *RequestError) Unwrap() error          { return e.Err }
func (e *RequestError) ConnectionFailed() bool { return true }

// DocumentError is a response document that does not read as its kind: malformed XML, or an
// element whose text is not of its type (a boolean other than "true" or "false", as oss2 refuses
// one). The request was answered, so it is not retried; pyjindo raises RuntimeError, as oss2
// does for a document it cannot read.
type DocumentError struct{ Err error }

func (e *DocumentError) Error() string { return "oss: bad response document: " + e.Err.Error() }
func (e *DocumentError) Unwrap() error { return e.Err }

// CredentialsError is a request not sent because no credentials could be had to sign it.
type CredentialsError struct{ Err error }

func (e *CredentialsError) Error() string { return "credentials: " + e.Err.Error() }
func (e *CredentialsError) Unwrap() error { return e.Err }

// RetryableError is false: the provider retries itself (credentials.Refreshing), and asking
// it again at once would only repeat its answer.
func (e *CredentialsError) RetryableError() bool { return false }

// ClientError is bad input detected before anything was sent, or a local failure (a file that
// cannot be written); Err, when set, is the cause, so errors.Is finds its errno.
type ClientError struct {
	Message string
	Err     error
}

func (e *ClientError) Error() string { return e.Message }
func (e *ClientError) Unwrap() error { return e.Err }

// InconsistentError reports data whose CRC64 differs from what OSS computed.
type InconsistentError struct {
	Message   string
	RequestID string
}

func (e *InconsistentError) Error() string { return e.Message }

// newServiceError reads the error document: the body, or for a bodiless (HEAD) response the
// base64 x-oss-err header.
func newServiceError(resp *http.Response, body []byte) *ServiceError {
	e := &ServiceError{Status: resp.StatusCode, Header: resp.Header, Body: body,
		RequestID: resp.Header.Get("X-Oss-Request-Id"), EC: resp.Header.Get("X-Oss-Ec")}
	doc := body
	if len(doc) == 0 {
		if v := resp.Header.Get("X-Oss-Err"); v != "" {
			if dec, err := base64.StdEncoding.DecodeString(v); err == nil {
				doc = dec
			}
		}
	}
	e.Details = parseErrorDetails(doc)
	if v := e.Details["Code"]; v != "" {
		e.Code = v
	}
	e.Message = e.Details["Message"]
	if v := e.Details["RequestId"]; v != "" {
		e.RequestID = v
	}
	e.HostID = e.Details["HostId"]
	if v := e.Details["EC"]; v != "" {
		e.EC = v
	}
	return e
}

// parseErrorDetails returns the text of each child of an <Error> document, by oss2's rules: a
// document whose root is another element has none; one that is not well formed keeps the Code
// and Message its text shows, if it has <Error> and </Error> at all.
func parseErrorDetails(doc []byte) map[string]string {
	out := map[string]string{}
	if len(doc) == 0 {
		return out
	}
	var root struct {
		XMLName  xml.Name
		Children []struct {
			XMLName xml.Name
			Text    string `xml:",chardata"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal(doc, &root); err != nil {
		return guessErrorDetails(doc)
	}
	if root.XMLName.Local != "Error" {
		return out
	}
	for _, c := range root.Children {
		out[c.XMLName.Local] = c.Text
	}
	return out
}

var guessedErrorDetails = []*regexp.Regexp{regexp.MustCompile(`<(Code)>(.*)</Code>`), regexp.MustCompile(`<(Message)>(.*)</Message>`)}

// guessErrorDetails reads Code and Message out of a broken error document, as oss2 does.
func guessErrorDetails(doc []byte) map[string]string {
	out := map[string]string{}
	if !bytes.Contains(doc, []byte("<Error>")) || !bytes.Contains(doc, []byte("</Error>")) {
		return out
	}
	for _, re := range guessedErrorDetails {
		if m := re.FindSubmatch(doc); m != nil {
			out[string(m[1])] = string(m[2])
		}
	}
	return out
}

// NextAppendPosition is the position a PositionNotEqualToLength error names, or -1.
func (e *ServiceError) NextAppendPosition() int64 {
	n, err := strconv.ParseInt(e.Header.Get("x-oss-next-append-position"), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

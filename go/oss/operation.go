package oss

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Doer sends one request; *Client is one. The typed operations (objects.go, multipart.go,
// listing.go, buckets.go, batchdelete.go) are functions of a Doer so that callers can interpose
// (go/transfer's tests inject faults this way); each takes its retry behaviour from the Doer.
type Doer interface {
	Do(ctx context.Context, r *Request) (*http.Response, error)
}

// Result is what every typed operation reports about its response.
type Result struct {
	Status int
	Header http.Header
}

// RequestID is the x-oss-request-id of the response.
func (r Result) RequestID() string { return r.Header.Get("X-Oss-Request-Id") }

func resultOf(resp *http.Response) Result {
	return Result{Status: resp.StatusCode, Header: resp.Header}
}

// send performs r and reads the (small) response body whole, inside the attempt (ReadAll), so
// that a body that breaks off is retried like a reset.
func send(ctx context.Context, d Doer, r *Request) (Result, []byte, error) {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.ReadAll = true
	resp, err := d.Do(ctx, r)
	if err != nil {
		return Result{}, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return Result{}, nil, &RequestError{Err: fmt.Errorf("read %s response: %w", r.Method, err)}
	}
	return resultOf(resp), raw, nil
}

// sendDiscard performs r and drops the response body.
func sendDiscard(ctx context.Context, d Doer, r *Request) (Result, error) {
	res, _, err := send(ctx, d, r)
	return res, err
}

// decodeDocument decodes an OSS response document into v; what failed is named by op.
func decodeDocument(op string, raw []byte, v any) error {
	dec := xml.NewDecoder(bytes.NewReader(raw))
	err := dec.Decode(v)
	if err == nil {
		err = endOfDocument(dec)
	}
	if err != nil {
		return &DocumentError{Err: fmt.Errorf("%s: %w", op, err)}
	}
	return nil
}

// endOfDocument reads what follows the root element: nothing but space, comments and the like.
func endOfDocument(dec *xml.Decoder) error {
	for {
		tok, err := dec.Token()
		switch t := tok.(type) {
		case xml.StartElement:
			return errors.New("a second root element")
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return errors.New("text after the root element")
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// setDocument makes doc the request body, replayable for retries, with its Content-MD5 when
// withMD5 (OSS requires it for some documents, such as a batch delete).
func setDocument(r *Request, doc []byte, withMD5 bool) {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Body = bytes.NewReader(doc)
	r.GetBody = func() io.Reader { return bytes.NewReader(doc) }
	r.ContentLength = int64(len(doc))
	if len(doc) > 0 && r.Header.Get("Content-Type") == "" {
		r.Header.Set("Content-Type", "application/xml")
	}
	if withMD5 {
		sum := md5.Sum(doc)
		r.Header.Set("Content-MD5", ContentMD5(sum[:]))
	}
}

// unquote decodes %XX escapes as Python's urllib.parse.unquote does (oss2 decodes
// encoding-type=url answers with it): a malformed escape stays as it is, '+' stays '+'.
func unquote(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b = append(b, byte(v))
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	return string(b)
}

// decodeName is a name from a document answered with encodingType ("url" or "").
func decodeName(s, encodingType string) string {
	if encodingType == "url" {
		return unquote(s)
	}
	return s
}

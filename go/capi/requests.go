package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func operations() map[string]opFunc {
	return map[string]opFunc{
		"request":            opRequest,
		"get_open":           opGetOpen,
		"stream_read":        opStreamRead,
		"stream_read_all":    opStreamReadAll,
		"get_to_file":        opGetToFile,
		"batch_delete":       opBatchDelete,
		"complete_multipart": opCompleteMultipart,
		"rename":             opRename,
		"sign_url":           opSignURL,
	}
}

// target names an object (or bucket, when Key is "") with the query and headers to send.
type target struct {
	Method  string      `json:"method"`
	Bucket  string      `json:"bucket"`
	Key     string      `json:"key"`
	Params  [][2]string `json:"params"`
	Headers [][2]string `json:"headers"`
}

func (t target) request(method string) *oss.Request {
	h := http.Header{}
	for _, kv := range t.Headers {
		h.Add(fromLatin1(kv[0]), fromLatin1(kv[1]))
	}
	if t.Method != "" {
		method = t.Method
	}
	return &oss.Request{Method: method, Bucket: t.Bucket, Key: t.Key, Query: t.Params, Header: h, ContentLength: -1}
}

// Header values (and raw bodies) are bytes, JSON strings are Unicode: they cross the boundary as
// Latin-1 text, one character per byte, which is also how oss2 (http.client) hands header values
// to its users and puts str values on the wire.

// latin1 is b as Latin-1 text.
func latin1(b []byte) string {
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

// fromLatin1 is the bytes Latin-1 text s stands for. Python sends nothing else; a character
// beyond Latin-1 is kept as UTF-8 rather than lost.
func fromLatin1(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
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

func headerPairs(hdr http.Header) [][2]string {
	headers := [][2]string{}
	for k, vs := range hdr {
		for _, v := range vs {
			headers = append(headers, [2]string{k, latin1([]byte(v))})
		}
	}
	return headers
}

// responseJSON is what every operation returns about the HTTP response.
type responseJSON struct {
	Status    int         `json:"status"`
	RequestID string      `json:"request_id"`
	Headers   [][2]string `json:"headers"`
	Body      any         `json:"body"`
	Duration  float64     `json:"duration"`
}

func describe(resp *http.Response, body any, started time.Time) responseJSON {
	return responseJSON{Status: resp.StatusCode, RequestID: resp.Header.Get("x-oss-request-id"), Headers: headerPairs(resp.Header),
		Body: body, Duration: time.Since(started).Seconds()}
}

// fdReaderAt reads a file descriptor Python owns with pread, never closing it.
type fdReaderAt int

func (fd fdReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		m, err := syscall.Pread(int(fd), p[n:], off+int64(n))
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return n, err
		}
		if m == 0 {
			return n, io.EOF
		}
		n += m
	}
	return n, nil
}

type requestArgs struct {
	target
	Parse    string  `json:"parse"`
	CheckCRC bool    `json:"check_crc"`
	InitCRC  *string `json:"init_crc"`
	FD       *int    `json:"fd"`
	Offset   int64   `json:"offset"`
	Size     int64   `json:"size"`
	// This request's multipart threshold and part size, instead of the session's (resumable_upload
	// with explicit sizes); the threshold is -1 for never.
	MultipartThreshold *int64 `json:"multipart_threshold"`
	PartSize           int64  `json:"part_size"`
}

// crcOperation names the write as oss2's CRC mismatch message does.
func crcOperation(r *oss.Request) string {
	for _, kv := range r.Query {
		switch kv[0] {
		case "append":
			return "append object"
		case "uploadId":
			return "upload part"
		}
	}
	return "put object"
}

func checkCRC(operation string, client uint64, resp *http.Response) error {
	v := resp.Header.Get("x-oss-hash-crc64ecma")
	if v == "" {
		return nil
	}
	server, err := strconv.ParseUint(v, 10, 64)
	if err == nil && server == client {
		return nil
	}
	return &oss.InconsistentError{
		Message:   fmt.Sprintf("InconsistentError: req_id: %s, operation: %s, CRC checksum of client: %d is mismatch with oss: %s", resp.Header.Get("x-oss-request-id"), operation, client, v),
		RequestID: resp.Header.Get("x-oss-request-id"),
	}
}

// opRequest sends one request with an optional body (the caller's buffer or a file descriptor)
// and returns the response, its document parsed when args.parse names one.
func opRequest(ctx context.Context, s *session, raw json.RawMessage, buf []byte, p progress) (any, error) {
	var a requestArgs
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, clientErrorf("bad request arguments: %v", err)
	}
	r := a.request("GET")
	var body *crc.Reader
	var newBody func() io.Reader
	switch {
	case a.FD != nil:
		newBody = func() io.Reader { return io.NewSectionReader(fdReaderAt(*a.FD), a.Offset, a.Size) }
		r.ContentLength = a.Size
	case buf != nil || r.Method == http.MethodPut || r.Method == http.MethodPost:
		newBody = func() io.Reader { return bytes.NewReader(buf) }
		r.ContentLength = int64(len(buf))
	}
	if newBody != nil {
		// Each attempt reads a fresh body; progress restarts and the CRC is the last attempt's.
		r.GetBody = func() io.Reader {
			if body != nil {
				p.Add(-body.N)
			}
			body = &crc.Reader{R: newBody(), Progress: p.Add}
			return body
		}
		r.Body = r.GetBody()
		p.SetTotal(r.ContentLength)
	}
	started := time.Now()
	threshold := s.multipartThreshold
	if a.MultipartThreshold != nil {
		threshold = *a.MultipartThreshold
	}
	if useMultipart(r, threshold) {
		return putMultipart(ctx, s, r, a, buf, p, started)
	}
	resp, err := s.client.Do(ctx, r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	doc, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, &oss.RequestError{Err: err}
	}
	if a.CheckCRC && body != nil {
		sent := body.Sum
		if a.InitCRC != nil {
			init, err := strconv.ParseUint(*a.InitCRC, 10, 64)
			if err != nil {
				return nil, clientErrorf("bad init_crc %q", *a.InitCRC)
			}
			sent = crc.Combine(init, body.Sum, body.N)
		}
		if err := checkCRC(crcOperation(r), sent, resp); err != nil {
			return nil, err
		}
	}
	var parsed any
	if a.Parse != "" {
		if parsed, err = oss.ParseDocument(a.Parse, doc); err != nil {
			return nil, &oss.RequestError{Err: err}
		}
	} else if len(doc) > 0 {
		parsed = latin1(doc)
	}
	return describe(resp, parsed, started), nil
}

// opSignURL builds a presigned URL; it sends nothing.
func opSignURL(_ context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var a struct {
		target
		Expires           int64    `json:"expires"`
		SlashSafe         bool     `json:"slash_safe"`
		AdditionalHeaders []string `json:"additional_headers"`
	}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, clientErrorf("bad sign_url arguments: %v", err)
	}
	return map[string]string{"url": s.client.Presign(a.request(http.MethodGet), a.Expires, a.SlashSafe, a.AdditionalHeaders, time.Now())}, nil
}

// useMultipart tells whether a request is a plain PutObject big enough for a parallel
// multipart upload.
func useMultipart(r *oss.Request, threshold int64) bool {
	if threshold < 0 || r.Method != http.MethodPut || len(r.Query) > 0 || r.Header.Get("x-oss-copy-source") != "" {
		return false
	}
	if r.Header.Get("Content-MD5") != "" || r.Header.Get("x-oss-callback") != "" {
		// OSS verifies a whole body's MD5, and calls a callback, only for a single PUT.
		return false
	}
	return r.ContentLength >= max(threshold, 1)
}

// putMultipart sends a PutObject's body as a parallel multipart upload, straight from the
// caller's buffer or file; the result looks like the PutObject's (ETag and CRC headers).
func putMultipart(ctx context.Context, s *session, r *oss.Request, a requestArgs, buf []byte, p progress, started time.Time) (any, error) {
	var src io.ReaderAt = bytes.NewReader(buf)
	if a.FD != nil {
		src = io.NewSectionReader(fdReaderAt(*a.FD), a.Offset, a.Size)
	}
	up, err := transfer.UploadMultipart(ctx, s.client, r, src, r.ContentLength, s.transferConfig(a.PartSize), p.Add)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	if a.CheckCRC {
		if err := checkCRC("put object", up.CRC, up.Response); err != nil {
			return nil, err
		}
	}
	return describe(up.Response, nil, started), nil
}

// escapeSource is the x-oss-copy-source value for bucket/key.
func escapeSource(bucket, key string) string { return "/" + bucket + "/" + oss.QuoteAll(key) }

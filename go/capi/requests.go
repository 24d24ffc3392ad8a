package main

import (
	"bytes"
	"context"
	"encoding/json"
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
		"copy_multipart":     opCopyMultipart,
		"sign_url":           opSignURL,
		// The batch engine, the streaming writer and the random-access reader (many.go).
		"get_many":            opGetMany,
		"many_take":           opManyTake,
		"get_many_to_files":   opGetManyToFiles,
		"put_many_from_files": opPutManyFromFiles,
		"head_many":           opHeadMany,
		"writer_open":         opWriterOpen,
		"writer_write":        opWriterWrite,
		"writer_close":        opWriterClose,
		"writer_abort":        opWriterAbort,
		"reader_open":         opReaderOpen,
		"reader_read":         opReaderRead,
		"delete_many":         opDeleteMany,
		"credentials":         opCredentials,
	}
}

// target names an object (or bucket, when Key is "") with the query and headers to send.
type target struct {
	Method  string      `json:"method"`
	Bucket  string      `json:"bucket"`
	Key     string      `json:"key"`
	Params  [][2]string `json:"params"`
	Headers [][2]string `json:"headers"`
	// URL, when set, is a presigned URL the request goes to unchanged and unsigned
	// (get_object_with_url and friends); Bucket and Key then only name it in errors.
	URL string `json:"url"`
}

func (t target) request(method string) *oss.Request {
	if t.Method != "" {
		method = t.Method
	}
	return &oss.Request{Method: method, Bucket: t.Bucket, Key: t.Key, Query: t.Params, Header: t.header(), ContentLength: -1, URL: t.URL}
}

// header is t.Headers as the bytes Python meant (see latin1).
func (t target) header() http.Header {
	h := http.Header{}
	for _, kv := range t.Headers {
		h.Add(fromLatin1(kv[0]), fromLatin1(kv[1]))
	}
	return h
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

func describe(status int, header http.Header, body any, started time.Time) responseJSON {
	return responseJSON{Status: status, RequestID: header.Get("x-oss-request-id"), Headers: headerPairs(header),
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
	Parse    string `json:"parse"`
	CheckCRC bool   `json:"check_crc"`
	// Operation names the write whose CRC is checked (Python knows which method it is in):
	// put_object, append_object or upload_part.
	Operation string  `json:"operation"`
	InitCRC   *string `json:"init_crc"`
	FD        *int    `json:"fd"`
	Offset    int64   `json:"offset"`
	Size      int64   `json:"size"`
	// This request's multipart threshold and part size, instead of the session's (resumable_upload
	// with explicit sizes); the threshold is -1 for never.
	MultipartThreshold *int64 `json:"multipart_threshold"`
	PartSize           int64  `json:"part_size"`
}

// crcOperations names each write as oss2's CRC mismatch message does.
var crcOperations = map[string]string{
	"put_object": oss.OpPutObject, "append_object": oss.OpAppendObject, "upload_part": oss.OpUploadPart,
}

// opRequest sends one request with an optional body (the caller's buffer or a file descriptor)
// and returns the response, its document parsed when args.parse names one.
func opRequest(ctx context.Context, s *session, raw json.RawMessage, buf []byte, p progress) (any, error) {
	var a requestArgs
	if err := decodeArgs("request", raw, &a); err != nil {
		return nil, err
	}
	crcOp, known := crcOperations[a.Operation]
	if a.CheckCRC && !known {
		return nil, clientErrorf("check_crc needs an operation (put_object, append_object, upload_part), got %q", a.Operation)
	}
	var initCRC uint64
	if a.InitCRC != nil {
		var err error
		if initCRC, err = strconv.ParseUint(*a.InitCRC, 10, 64); err != nil {
			return nil, clientErrorf("bad init_crc %q", *a.InitCRC)
		}
	}
	r := a.request("GET")
	started := time.Now()
	var src io.ReaderAt
	size := int64(len(buf))
	switch {
	case a.FD != nil:
		src, size = io.NewSectionReader(fdReaderAt(*a.FD), a.Offset, a.Size), a.Size
	case buf != nil || r.Method == http.MethodPut || r.Method == http.MethodPost:
		src = bytes.NewReader(buf)
	}
	if src == nil {
		resp, err := s.client.Do(ctx, r)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		doc, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, &oss.RequestError{Err: err}
		}
		return describeDocument(resp.StatusCode, resp.Header, doc, a.Parse, started)
	}
	threshold := s.multipartThreshold
	if a.MultipartThreshold != nil {
		threshold = *a.MultipartThreshold
	}
	res, err := transfer.Put(ctx, s.client, r, src, size, threshold, s.transferConfig(a.PartSize),
		transfer.Meter{Add: p.Add, SetTotal: p.SetTotal})
	if err != nil {
		return nil, err
	}
	if a.CheckCRC {
		sent := res.CRC
		if a.InitCRC != nil {
			sent = crc.Combine(initCRC, res.CRC, size)
		}
		if err := oss.CheckCRC(crcOp, sent, res.Header); err != nil {
			return nil, err
		}
	}
	return describeDocument(res.Status, res.Header, res.Body, a.Parse, started)
}

// describeDocument is the response with its document parsed as kind, or passed raw.
func describeDocument(status int, header http.Header, doc []byte, kind string, started time.Time) (responseJSON, error) {
	var body any
	if kind != "" {
		parsed, err := oss.ParseDocument(kind, doc)
		if err != nil {
			return responseJSON{}, &oss.RequestError{Err: err}
		}
		body = parsed
	} else if len(doc) > 0 {
		body = latin1(doc)
	}
	return describe(status, header, body, started), nil
}

// opSignURL builds a presigned URL; it sends nothing.
func opSignURL(ctx context.Context, s *session, raw json.RawMessage, _ []byte, _ progress) (any, error) {
	var a struct {
		target
		Expires           int64    `json:"expires"`
		SlashSafe         bool     `json:"slash_safe"`
		AdditionalHeaders []string `json:"additional_headers"`
	}
	if err := decodeArgs("sign_url", raw, &a); err != nil {
		return nil, err
	}
	u, err := s.client.PresignContext(ctx, a.request(http.MethodGet), a.Expires, a.SlashSafe, a.AdditionalHeaders, time.Now())
	if err != nil {
		return nil, err
	}
	return map[string]string{"url": u}, nil
}

// decodeArgs decodes an operation's JSON arguments strictly: a key Go does not know is an error,
// so the Python side cannot send something that is silently ignored.
func decodeArgs(op string, raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return clientErrorf("bad %s arguments: %v", op, err)
	}
	if dec.More() {
		return clientErrorf("bad %s arguments: trailing data", op)
	}
	return nil
}

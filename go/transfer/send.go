package transfer

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// SendOptions are what Send needs besides the request and its body.
type SendOptions struct {
	// Threshold is the body size from which a plain PutObject becomes a parallel multipart
	// upload (see UseMultipart); negative means never.
	Threshold int64
	Config    Config
	// Verify, when set, names the write whose CRC64 is compared with the server's answer
	// (oss.OpPutObject, oss.OpAppendObject, oss.OpUploadPart: the word oss2's message uses).
	Verify string
	// InitCRC is the CRC64 of the object before this request's bytes (an append's init_crc):
	// the CRC64 compared is then that of the whole object, InitCRC chained with the body's.
	InitCRC *uint64
	Meter   Meter
}

// SendResult is one request's answer: status, headers and the whole body read.
type SendResult = PutResult

// Send sends req and reads its whole answer. With no body (src nil) and a method that carries
// none, it is one request through d (retried there when safe); otherwise the body, size bytes
// of src (nothing for a PUT or POST without one), goes through Put: one request with a fresh
// body per attempt, or a multipart upload from opts.Threshold. With opts.Verify the CRC64 of the
// bytes sent, chained after opts.InitCRC, must match the server's x-oss-hash-crc64ecma.
func Send(ctx context.Context, d oss.Doer, req *oss.Request, src io.ReaderAt, size int64, opts SendOptions) (*SendResult, error) {
	if src == nil && req.Method != http.MethodPut && req.Method != http.MethodPost {
		resp, err := d.Do(ctx, req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var doc []byte
		if req.Method != http.MethodHead { // (io.ReadAll's first buffer, for an answer without a body)
			if doc, err = io.ReadAll(resp.Body); err != nil {
				return nil, &oss.RequestError{Err: err}
			}
		}
		return &SendResult{Status: resp.StatusCode, Header: resp.Header, Body: doc}, nil
	}
	if src == nil {
		src, size = bytes.NewReader(nil), 0
	}
	res, err := Put(ctx, d, req, src, size, opts.Threshold, opts.Config, opts.Meter)
	if err != nil {
		return nil, err
	}
	if opts.Verify != "" {
		sent := res.CRC
		if opts.InitCRC != nil {
			sent = crc.Combine(*opts.InitCRC, res.CRC, size)
		}
		if err := oss.CheckCRC(opts.Verify, sent, res.Header); err != nil {
			return nil, err
		}
	}
	return res, nil
}

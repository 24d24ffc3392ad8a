package transfer

import (
	"context"
	"io"
	"net/http"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// PutResult is a finished upload: the answer (for a multipart upload, CompleteMultipartUpload's,
// whose headers carry the ETag and x-oss-hash-crc64ecma) and the CRC64 of the bytes sent.
type PutResult struct {
	Status int
	Header http.Header
	Body   []byte // the answer's body; nil after a multipart upload
	CRC    uint64
	// Multipart tells whether the body went up as a multipart upload.
	Multipart bool
}

// UseMultipart tells whether req, carrying size bytes, is a plain PutObject large enough
// (threshold > 0 and size >= threshold) to go up as a parallel multipart upload. A negative
// threshold means never. Requests OSS treats specially in one PUT stay one PUT: with a query
// (append, upload part), a copy source, a Content-MD5 (verified over the whole body) or a callback,
// and so does a PUT to a presigned URL, which signs that one request only.
func UseMultipart(req *oss.Request, size, threshold int64) bool {
	if threshold < 0 || req.Method != http.MethodPut || len(req.Query) > 0 || req.URL != "" {
		return false
	}
	for _, h := range []string{"x-oss-copy-source", "Content-MD5", "x-oss-callback"} {
		if req.Header.Get(h) != "" {
			return false
		}
	}
	return size >= max(threshold, 1)
}

// Put sends size bytes of src (read with ReadAt: the caller's buffer or a file, no copies) as
// req's body. A PutObject of threshold bytes or more goes up as a parallel multipart upload
// (UploadMultipart); any other request is sent once, retried under the client's policy with a
// fresh body each attempt. req.Method may be anything that carries a body (PUT, POST append).
func Put(ctx context.Context, d oss.Doer, req *oss.Request, src io.ReaderAt, size, threshold int64, cfg Config, m Meter) (*PutResult, error) {
	m.setTotal(size)
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if UseMultipart(req, size, threshold) {
		up, err := UploadMultipart(ctx, d, req, src, size, cfg, m.Add)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, err
		}
		return &PutResult{Status: up.Status, Header: up.Header, CRC: up.CRC, Multipart: true}, nil
	}
	r := *req
	var body *crc.Reader
	// Each attempt reads a fresh body; progress restarts and the CRC is the last attempt's.
	r.GetBody = func() io.Reader {
		if body != nil {
			m.add(-body.N)
		}
		body = &crc.Reader{R: io.NewSectionReader(src, 0, size), Progress: m.Add}
		return body
	}
	r.Body = r.GetBody()
	r.ContentLength = size
	resp, err := d.Do(ctx, &r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var raw []byte
	if resp.ContentLength != 0 { // (io.ReadAll's first buffer, for an answer without a body)
		if raw, err = io.ReadAll(resp.Body); err != nil {
			return nil, &oss.RequestError{Err: err}
		}
	}
	return &PutResult{Status: resp.StatusCode, Header: resp.Header, Body: raw, CRC: body.Sum}, nil
}

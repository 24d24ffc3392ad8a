package transfer

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
)

// Upload is the outcome of a multipart upload: the CompleteMultipartUpload response (whose
// headers carry the ETag and x-oss-hash-crc64ecma) and the CRC of the bytes sent.
type Upload struct {
	Response *http.Response
	Body     []byte
	CRC      uint64
}

// UploadMultipart stores size bytes of src as req.Bucket/req.Key with parallel parts read with
// ReadAt (the caller's buffer or a file, no copies). req.Header carries what a PutObject would
// (Content-Type, x-oss-meta-*, ...); it goes to the initiation. Any failure, including
// cancellation, aborts the upload so no parts are left behind. progress is called with byte counts.
func UploadMultipart(ctx context.Context, d Doer, req *oss.Request, src io.ReaderAt, size int64, cfg Config, progress func(int64)) (*Upload, error) {
	cfg = cfg.withDefaults()
	partSize := cfg.PartSize
	for size > partSize*10000 {
		partSize *= 2
	}
	// Initiation is retried under the client's policy. An attempt that failed may still have
	// created an upload on the server (a reset after it answered, a 500 after it acted), so once
	// any attempt failed, the uploads of this key initiated since we began are aborted, except
	// the one we use.
	retried := false
	init := &oss.Request{Method: http.MethodPost, Bucket: req.Bucket, Key: req.Key, Header: req.Header.Clone(),
		Query: [][2]string{{"uploads", ""}}, Retry: true, ReadAll: true, OnRetry: func(error) { retried = true }}
	initiated := time.Now()
	resp, err := d.Do(ctx, init)
	if err != nil {
		if retried || oss.Retryable(err) {
			abortStrays(ctx, d, req, initiated, "")
		}
		return nil, err
	}
	var initDoc struct {
		UploadID string `xml:"UploadId"`
	}
	err = xml.NewDecoder(resp.Body).Decode(&initDoc)
	resp.Body.Close()
	if err != nil || initDoc.UploadID == "" {
		abortStrays(ctx, d, req, initiated, "") // the upload exists; its id was lost with the body
		return nil, &oss.RequestError{Err: fmt.Errorf("initiate multipart upload: bad response: %v", err)}
	}
	uploadID := initDoc.UploadID
	if retried {
		abortStrays(ctx, d, req, initiated, uploadID)
	}
	up, err := uploadParts(ctx, d, req, uploadID, src, size, partSize, cfg, progress)
	if err != nil && up != nil && ctx.Err() == nil && mayHaveCompleted(err) {
		// Completion failed in a way that may hide a success: its answer was lost, or a retry
		// found the upload gone because an earlier attempt completed it. If the object is there
		// with our CRC, it succeeded.
		if resp, ok := completedAnyway(ctx, d, req, up.CRC); ok {
			// The same bytes may have been there before: abort in case this upload was not the
			// one that completed (if it was, the abort just finds no such upload).
			abort(ctx, d, req, uploadID)
			up.Response, up.Body = resp, nil
			return up, nil
		}
	}
	if err != nil {
		abort(ctx, d, req, uploadID)
		return nil, err
	}
	return up, nil
}

// mayHaveCompleted tells whether a failed CompleteMultipartUpload may have taken effect: a lost
// answer, a server error, or NoSuchUpload (a retry after an attempt that did complete it).
func mayHaveCompleted(err error) bool {
	var se *oss.ServiceError
	if errors.As(err, &se) && se.Code == "NoSuchUpload" {
		return true
	}
	return oss.Retryable(err)
}

// abort aborts an upload, even when ctx is cancelled: that is exactly when a leftover is likely.
func abort(ctx context.Context, d Doer, req *oss.Request, uploadID string) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if r, err := d.Do(actx, &oss.Request{Method: http.MethodDelete, Bucket: req.Bucket, Key: req.Key,
		Query: [][2]string{{"uploadId", uploadID}}}); err == nil {
		r.Body.Close()
	}
}

type uploadedPart struct {
	etag string
	crc  uint64
	size int64
}

func uploadParts(ctx context.Context, d Doer, req *oss.Request, uploadID string, src io.ReaderAt, size, partSize int64, cfg Config, progress func(int64)) (*Upload, error) {
	count := int((size + partSize - 1) / partSize)
	if count == 0 {
		count = 1
	}
	parts := make([]uploadedPart, count)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		next     = make(chan int)
	)
	for range min(cfg.Concurrency, count) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				off := int64(i) * partSize
				n := min(partSize, size-off)
				p, err := putPart(ctx, d, req, uploadID, i+1, src, off, n, cfg.Retries, progress)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
					continue
				}
				parts[i] = p
			}
		}()
	}
	for i := 0; i < count && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload>`)
	var sum uint64
	for i, p := range parts {
		fmt.Fprintf(&doc, "<Part><PartNumber>%d</PartNumber><ETag>&quot;%s&quot;</ETag></Part>", i+1, p.etag)
		sum = crc.Combine(sum, p.crc, p.size)
	}
	doc.WriteString("</CompleteMultipartUpload>")
	body := doc.String()
	// Completion is retried under the client's policy: a repeat of a completed upload answers
	// NoSuchUpload, which UploadMultipart recognises by the object's CRC.
	resp, err := d.Do(ctx, &oss.Request{Method: http.MethodPost, Bucket: req.Bucket, Key: req.Key,
		Query: [][2]string{{"uploadId", uploadID}}, Header: http.Header{"Content-Type": {"application/xml"}},
		Body: strings.NewReader(body), ContentLength: int64(len(body)),
		GetBody: func() io.Reader { return strings.NewReader(body) }, Retry: true, ReadAll: true})
	if err != nil {
		return &Upload{CRC: sum}, err // the CRC lets the caller check whether it completed anyway
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return &Upload{CRC: sum}, &oss.RequestError{Err: err}
	}
	return &Upload{Response: resp, Body: raw, CRC: sum}, nil
}

// completedAnyway checks, after a lost CompleteMultipartUpload answer, whether the object now
// holds exactly what was sent (type Multipart, same CRC64); it returns the HEAD response.
func completedAnyway(ctx context.Context, d Doer, req *oss.Request, sum uint64) (*http.Response, bool) {
	resp, err := d.Do(ctx, &oss.Request{Method: http.MethodHead, Bucket: req.Bucket, Key: req.Key})
	if err != nil {
		return nil, false
	}
	resp.Body.Close()
	ok := resp.Header.Get("x-oss-object-type") == "Multipart" && resp.Header.Get("x-oss-hash-crc64ecma") == strconv.FormatUint(sum, 10)
	return resp, ok
}

// abortStrays aborts uploads of this key initiated since `since` (less a clock allowance), which
// a failed InitiateMultipartUpload may have created, except `keep`. Trade-off: an upload of the
// same key that another writer started in those seconds is aborted too (its writer gets
// NoSuchUpload, a clean error); leaving strays would cost storage silently instead.
func abortStrays(ctx context.Context, d Doer, req *oss.Request, since time.Time, keep string) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	resp, err := d.Do(actx, &oss.Request{Method: http.MethodGet, Bucket: req.Bucket,
		Query: [][2]string{{"uploads", ""}, {"prefix", req.Key}, {"max-uploads", "1000"}}, ReadAll: true})
	if err != nil {
		return
	}
	var doc struct {
		Uploads []struct {
			Key       string
			UploadID  string `xml:"UploadId"`
			Initiated string
		} `xml:"Upload"`
	}
	err = xml.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil {
		return
	}
	for _, u := range doc.Uploads {
		t, err := time.Parse("2006-01-02T15:04:05.000Z", u.Initiated)
		if u.Key != req.Key || u.UploadID == keep || err != nil || t.Before(since.Add(-2*time.Second)) {
			continue
		}
		if r, err := d.Do(actx, &oss.Request{Method: http.MethodDelete, Bucket: req.Bucket, Key: req.Key,
			Query: [][2]string{{"uploadId", u.UploadID}}}); err == nil {
			r.Body.Close()
		}
	}
}

// putPart uploads one part, retrying transport failures and 5xx answers.
func putPart(ctx context.Context, d Doer, req *oss.Request, uploadID string, number int, src io.ReaderAt, off, n int64, retries int, progress func(int64)) (uploadedPart, error) {
	var lastErr error
	for attempt := 0; attempt <= retries; attempt++ {
		if attempt > 0 {
			if err := sleepCtx(ctx, backoff(attempt)); err != nil {
				return uploadedPart{}, err
			}
		}
		// A fresh reader each attempt: the transport may still hold the last one.
		cr := &crc.Reader{R: io.NewSectionReader(src, off, n), Progress: progress}
		resp, err := d.Do(ctx, &oss.Request{Method: http.MethodPut, Bucket: req.Bucket, Key: req.Key,
			Query:  [][2]string{{"uploadId", uploadID}, {"partNumber", strconv.Itoa(number)}},
			Header: http.Header{}, Body: cr, ContentLength: n, NoRetry: true})
		if progress != nil && err != nil {
			progress(-cr.N) // the bytes will be sent again
		}
		if err != nil {
			if !retryable(err) || ctx.Err() != nil {
				return uploadedPart{}, err
			}
			lastErr = err
			continue
		}
		resp.Body.Close()
		if v := resp.Header.Get("x-oss-hash-crc64ecma"); v != "" && v != strconv.FormatUint(cr.Sum, 10) {
			if progress != nil {
				progress(-cr.N)
			}
			lastErr = &oss.InconsistentError{Message: fmt.Sprintf("part %d: CRC64 of client %d differs from OSS %s", number, cr.Sum, v),
				RequestID: resp.Header.Get("x-oss-request-id")}
			continue
		}
		return uploadedPart{etag: strings.Trim(resp.Header.Get("ETag"), `"`), crc: cr.Sum, size: n}, nil
	}
	if lastErr == nil {
		lastErr = errors.New("no attempt made")
	}
	return uploadedPart{}, lastErr
}

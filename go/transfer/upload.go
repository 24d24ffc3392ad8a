package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// Upload is the outcome of a multipart upload: the CompleteMultipartUpload answer (whose headers
// carry the ETag and x-oss-hash-crc64ecma; after a completion recognised as ours despite a
// failure, the HEAD's), its body, and the CRC of the bytes sent.
type Upload struct {
	oss.Result
	Body []byte
	CRC  uint64
}

// UploadMultipart stores size bytes of src as req.Bucket/req.Key with parallel parts read with
// ReadAt (the caller's buffer or a file, no copies). req.Header carries what a PutObject would
// (Content-Type, x-oss-meta-*, ...); it goes to the initiation. Any failure, including
// cancellation, aborts the upload so no parts are left behind. progress is called with byte counts.
func UploadMultipart(ctx context.Context, d oss.Doer, req *oss.Request, src io.ReaderAt, size int64, cfg Config, progress func(int64)) (*Upload, error) {
	cfg = cfg.withDefaults()
	partSize := cfg.PartSize
	for size > partSize*10000 {
		partSize *= 2
	}
	uploadID, initiated, err := initiate(ctx, d, req)
	if err != nil {
		return nil, err
	}
	up, mayHaveCompleted, err := uploadParts(ctx, d, req, uploadID, src, size, partSize, cfg, progress)
	if err != nil && mayHaveCompleted && ctx.Err() == nil {
		// An attempt of the completion may have taken effect (its answer lost, or a server
		// error after acting), and a later one then finds the upload gone. If the object is
		// ours, it succeeded.
		if res, ok := completedAnyway(ctx, d, req, up.CRC, initiated); ok {
			// Another writer may have stored the same bytes since we initiated: abort in case
			// ours was not the upload that completed (if it was, the abort finds no upload).
			abort(ctx, d, req, uploadID)
			up.Result, up.Body = res, nil
			return up, nil
		}
	}
	if err != nil {
		abort(ctx, d, req, uploadID)
		return nil, err
	}
	return up, nil
}

// mayHaveActed tells whether a failed attempt of a request that is not idempotent may have taken
// effect: its answer was lost (the server may have served it), or a server error other than
// SlowDown (OSS may fail after acting; SlowDown refuses a request before doing anything).
func mayHaveActed(err error) bool {
	var se *oss.ServiceError
	if errors.As(err, &se) {
		return se.Status >= 500 && se.Code != "SlowDown"
	}
	var re *oss.RequestError
	return errors.As(err, &re)
}

// initiate starts the upload, retried under the client's policy, and returns its id and the
// server's Date of the answer (a time not before the upload's initiation; zero if absent). An
// attempt that may have acted may have left an upload whose id we never saw: those strays are
// aborted (see abortStrays); attempts refused with SlowDown create none, so they cost nothing.
func initiate(ctx context.Context, d oss.Doer, req *oss.Request) (string, time.Time, error) {
	var since time.Time // local start of the first attempt that may have created an upload
	start := time.Now()
	failed := func(err error) {
		if since.IsZero() && mayHaveActed(err) {
			since = start
		}
		start = time.Now() // the next attempt starts after this (and a backoff)
	}
	res, err := oss.InitiateMultipartUpload(ctx, d, &oss.InitiateMultipartUploadRequest{Bucket: req.Bucket, Key: req.Key,
		Header: req.Header, Retry: true, OnRetry: failed})
	answered := time.Now()
	if err != nil {
		// A lost answer, or an answer without a readable upload id (a RequestError: that
		// attempt's upload exists), may have left strays.
		failed(err)
		if !since.IsZero() {
			abortStrays(ctx, d, req, "", time.Time{}, since, answered)
		}
		return "", time.Time{}, err
	}
	date, _ := http.ParseTime(res.Header.Get("Date"))
	if !since.IsZero() {
		abortStrays(ctx, d, req, res.UploadID, date, since, answered)
	}
	return res.UploadID, date, nil
}

// abort aborts an upload, even when ctx is cancelled: that is exactly when a leftover is likely.
// The error says the parts may remain; callers that already return another failure ignore it.
// NoSuchUpload is success: the upload is gone (an attempt whose answer was lost aborted it).
func abort(ctx context.Context, d oss.Doer, req *oss.Request, uploadID string) error {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, err := oss.AbortMultipartUpload(actx, d, req.Bucket, req.Key, uploadID)
	var se *oss.ServiceError
	if err == nil || errors.As(err, &se) && se.Code == "NoSuchUpload" {
		return nil
	}
	return fmt.Errorf("abort multipart upload %s of %s: %w", uploadID, req.Key, err)
}

type uploadedPart struct {
	etag string
	crc  uint64
	size int64
}

// uploadParts uploads the parts and completes the upload. mayHaveCompleted tells, when completion
// failed, whether one of its attempts may have taken effect anyway; Upload.CRC is then set.
func uploadParts(ctx context.Context, d oss.Doer, req *oss.Request, uploadID string, src io.ReaderAt, size, partSize int64, cfg Config, progress func(int64)) (up *Upload, mayHaveCompleted bool, err error) {
	count := int((size + partSize - 1) / partSize)
	if count == 0 {
		count = 1
	}
	parts := make([]uploadedPart, count)
	err = Each(ctx, count, cfg.Concurrency, true, func(ctx context.Context, _, i int) error {
		off := int64(i) * partSize
		p, err := putPart(ctx, d, req, uploadID, i+1, src, off, min(partSize, size-off), cfg.Retry, progress)
		parts[i] = p
		return err
	})
	if err != nil {
		return nil, false, err
	}
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	list := make([]oss.CompletePart, count)
	var sum uint64
	for i, p := range parts {
		list[i] = oss.CompletePart{PartNumber: i + 1, ETag: p.etag}
		sum = crc.Combine(sum, p.crc, p.size)
	}
	res, mayHaveCompleted, err := complete(ctx, d, req, uploadID, list, nil)
	if err != nil {
		return &Upload{CRC: sum}, mayHaveCompleted, err
	}
	return &Upload{Result: res.Result, Body: res.Body, CRC: sum}, false, nil
}

// complete completes an upload with parts (and header h), retried under the client's policy. A
// repeat of an upload that an earlier attempt completed answers NoSuchUpload: only an attempt
// that may have acted makes that answer worth checking (see mayHaveActed and completedAnyway),
// so mayHaveCompleted tells, on failure, whether one did.
func complete(ctx context.Context, d oss.Doer, req *oss.Request, uploadID string, parts []oss.CompletePart, h http.Header) (res *oss.CompleteMultipartUploadResult, mayHaveCompleted bool, err error) {
	acted := func(err error) {
		if mayHaveActed(err) {
			mayHaveCompleted = true
		}
	}
	res, err = oss.CompleteMultipartUpload(ctx, d, &oss.CompleteMultipartUploadRequest{Bucket: req.Bucket, Key: req.Key,
		UploadID: uploadID, Parts: parts, Header: h, Retry: true, OnRetry: acted})
	if err != nil {
		acted(err)
		return nil, mayHaveCompleted, err
	}
	return res, false, nil
}

// completedAnyway checks, after a completion that may have taken effect failed, whether the
// object is ours: type Multipart, the CRC64 of what we sent, and stored no earlier than our
// upload was initiated (initiated: the server's Date of that answer), so that an identical object
// stored before is not taken for ours. Both times count whole seconds: Last-Modified has no more.
// It returns the HEAD's answer.
func completedAnyway(ctx context.Context, d oss.Doer, req *oss.Request, sum uint64, initiated time.Time) (oss.Result, bool) {
	if initiated.IsZero() {
		return oss.Result{}, false // nothing to tell our object from an older one
	}
	res, err := oss.HeadObject(ctx, d, req.Bucket, req.Key)
	if err != nil {
		return oss.Result{}, false
	}
	modified, err := http.ParseTime(res.Header.Get("Last-Modified"))
	ok := err == nil && !modified.Before(initiated.Truncate(time.Second)) &&
		res.Header.Get("x-oss-object-type") == "Multipart" && res.Header.Get("X-Oss-Hash-Crc64ecma") == strconv.FormatUint(sum, 10)
	return res, ok
}

// abortStrays aborts the uploads of this key that our failed initiation attempts may have
// created, except keep (the one we use; "" if none). Clocks may differ by minutes, so the window
// is in server time: it ends at our upload's initiation (without one, at the listing's Date) and
// starts that much earlier than the local time elapsed since `since`, the start of the first
// attempt that may have acted. Listed times may be whole seconds, so the start is rounded down:
// another writer's upload initiated in the window, or in the same second as ours, is aborted
// too (it gets NoSuchUpload, a clean error; leaving strays would cost storage silently instead).
// keepDate, the Date of our upload's answer (which arrived at answered), stands in for its
// initiation if the listing lacks it.
func abortStrays(ctx context.Context, d oss.Doer, req *oss.Request, keep string, keepDate, since, answered time.Time) {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	page, err := oss.ListMultipartUploads(actx, d, &oss.ListMultipartUploadsRequest{Bucket: req.Bucket, Prefix: req.Key, MaxUploads: 1000})
	if err != nil {
		return
	}
	listed := time.Now()
	listDate, _ := http.ParseTime(page.Header.Get("Date"))
	var anchor, last time.Time
	elapsed := answered.Sub(since)
	if keep == "" {
		// No upload of ours: every attempt ended before the listing, whose Date is floored.
		anchor, last, elapsed = listDate, listDate.Add(time.Second), listed.Sub(since)
	} else {
		anchor = keepDate
		for _, u := range page.Uploads {
			if t, ok := u.InitiatedTime(); ok && u.UploadID == keep {
				anchor = t
			}
		}
		last = anchor
	}
	if anchor.IsZero() {
		return // no server time to place the window in: aborting blind could hit other writers
	}
	first := anchor.Add(-elapsed).Truncate(time.Second)
	for _, u := range page.Uploads {
		t, ok := u.InitiatedTime()
		if u.Key != req.Key || u.UploadID == keep || !ok || t.Before(first) || t.After(last) {
			continue
		}
		oss.AbortMultipartUpload(actx, d, req.Bucket, req.Key, u.UploadID)
	}
}

// putPart uploads one part under the retry policy; a part whose CRC64 the server computed
// differently is sent again too. Progress counts each byte once: an attempt's bytes are taken
// back when it fails.
func putPart(ctx context.Context, d oss.Doer, req *oss.Request, uploadID string, number int, src io.ReaderAt, off, n int64, pol retry.Policy, progress func(int64)) (uploadedPart, error) {
	var done uploadedPart
	pol = partPolicy(ctx, pol, http.MethodPut, req.Bucket, req.Key, func() string { return "partNumber=" + strconv.Itoa(number) })
	err := pol.Do(ctx, func(int) error {
		// A fresh reader each attempt: the transport may still hold the last one.
		cr := &crc.Reader{R: io.NewSectionReader(src, off, n), Progress: progress}
		resp, err := d.Do(ctx, &oss.Request{Method: http.MethodPut, Bucket: req.Bucket, Key: req.Key,
			Query:  [][2]string{{"uploadId", uploadID}, {"partNumber", strconv.Itoa(number)}},
			Header: http.Header{}, Body: cr, ContentLength: n, NoRetry: true})
		if err != nil {
			if progress != nil {
				progress(-cr.N) // the bytes will be sent again
			}
			return err
		}
		resp.Body.Close()
		if v := resp.Header.Get("X-Oss-Hash-Crc64ecma"); v != "" && v != strconv.FormatUint(cr.Sum, 10) {
			if progress != nil {
				progress(-cr.N)
			}
			return retry.Transient(&oss.InconsistentError{Message: fmt.Sprintf("part %d: CRC64 of client %d differs from OSS %s", number, cr.Sum, v),
				RequestID: resp.Header.Get("X-Oss-Request-Id")})
		}
		done = uploadedPart{etag: resp.Header.Get("ETag"), crc: cr.Sum, size: n}
		return nil
	}, nil)
	return done, err
}

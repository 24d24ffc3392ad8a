package server

import (
	"io"
	"strconv"
)

// x-oss-traffic-limit caps one request's body, upload or download, at a rate in bits per second
// within OSS's range (100 KiB/s to 100 MiB/s); as a header or, in presigned URLs, a query
// parameter.

const (
	minTrafficLimit = 819200    // bit/s
	maxTrafficLimit = 838860800 // bit/s
)

// trafficLimit returns the request's limit in bytes per second, 0 when it sets none.
func (rq *request) trafficLimit() (int64, *ossError) {
	v := rq.r.Header.Get("X-Oss-Traffic-Limit")
	if v == "" {
		v = rq.query.Get("x-oss-traffic-limit")
	}
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < minTrafficLimit || n > maxTrafficLimit {
		e := errInvalidArgument("x-oss-traffic-limit", v, "The x-oss-traffic-limit must be between 819200 and 838860800 bits per second.")
		e.EC = "0017-00000802"
		return 0, e
	}
	return n / 8, nil
}

// throttledReader paces reads to a rate.
type throttledReader struct {
	r io.Reader
	p *pacer
}

func (t throttledReader) Read(b []byte) (int, error) {
	if len(b) > t.p.burst {
		b = b[:t.p.burst]
	}
	n, err := t.r.Read(b)
	t.p.wait(n)
	return n, err
}

// throttledWriter paces writes to a rate.
type throttledWriter struct {
	w io.Writer
	p *pacer
}

func (t throttledWriter) Write(b []byte) (int, error) {
	written := 0
	for len(b) > 0 {
		chunk := b[:min(len(b), t.p.burst)]
		t.p.wait(len(chunk))
		n, err := t.w.Write(chunk)
		written += n
		if err != nil {
			return written, err
		}
		b = b[n:]
	}
	return written, nil
}

// limitedInput is the request body, throttled when the request sets a traffic limit.
func (rq *request) limitedInput(rate int64) io.Reader {
	body := rq.body()
	if rate <= 0 {
		return body
	}
	return throttledReader{r: body, p: newPacer(rate)}
}

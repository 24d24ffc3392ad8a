package ops

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
)

// BenchmarkQuick measures the quick door's calls (as pj_call runs them, without cgo) next to
// the same request made with oss.Client.Do alone ("raw"): the difference is go/ops' and
// go/transfer's cost per call. The server runs in process, so B/op and allocs/op include its
// share, the same in both.
func BenchmarkQuick(b *testing.B) {
	s := testSession(b, `, "multipart_threshold": -1`) // pyjindo.Bucket: oss2 never splits a put_object
	blob := bytes.Repeat([]byte("x"), 16<<10)
	ctx := context.Background()
	if _, err := s.Client.Do(ctx, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: "k", Header: http.Header{},
		Body: bytes.NewReader(blob), ContentLength: int64(len(blob))}); err != nil {
		b.Fatal(err)
	}
	h := newTestHandles()
	defer h.closeAll()
	quick := map[string]struct {
		kind int
		args []string
		buf  []byte
	}{
		"head":   {QuickRequest, []string{"HEAD", "bkt", "k", "", "", "0"}, nil},
		"exists": {QuickRequest, []string{"HEAD", "bkt", "k", "", "", "1", "objectMeta", ""}, nil},
		"get":    {QuickGet, []string{"GET", "bkt", "k", "", "", "0"}, nil},
		"put":    {QuickRequest, []string{"PUT", "bkt", "k-put", "put_object", "", "0", "Content-Type", "application/octet-stream"}, blob},
	}
	for _, op := range []string{"head", "exists", "get", "put"} {
		q := quick[op]
		block := strings.Join(q.args, "\x00")
		b.Run(op+"/quick", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out := RunQuick(ctx, &Call{Session: s, Buffer: q.buf, Progress: &testProgress{}, Handles: h}, q.kind, block)
				if out[0] != 'C' {
					b.Fatalf("%s", out)
				}
			}
		})
		b.Run(op+"/raw", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := &oss.Request{Method: q.args[0], Bucket: "bkt", Key: q.args[2], Header: http.Header{}, ContentLength: -1}
				if op == "exists" {
					r.Query = [][2]string{{"objectMeta", ""}}
				}
				if q.buf != nil {
					r.Body, r.ContentLength = bytes.NewReader(q.buf), int64(len(q.buf))
				}
				resp, err := s.Client.Do(ctx, r)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}

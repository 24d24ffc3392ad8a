package ops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func TestManyTakeRefusesAMissingBufferTable(t *testing.T) {
	hs := newTestHandles()
	h := hs.New(&heldData{store: transfer.NewHeld(), res: []transfer.GetResult{{Data: []byte("abc")}}})
	args := fmt.Sprintf(`{"held": %d, "indices": [0]}`, h)
	for _, buf := range [][]byte{nil, {}} {
		var ce *oss.ClientError
		if _, err := run(t, nil, hs, "many_take", args, buf); !errors.As(err, &ce) {
			t.Fatalf("buffer %v: %v", buf, err)
		}
	}
	if _, err := run(t, nil, hs, "many_take", fmt.Sprintf(`{"held": %d, "indices": []}`, h), nil); err != nil {
		t.Fatalf("nothing to take: %v", err)
	}
}

// fakeObject answers a HEAD and ranged GETs of a 10-byte object, counting the GETs.
type fakeObject struct{ gets atomic.Int64 }

func (f *fakeObject) Do(_ context.Context, r *oss.Request) (*http.Response, error) {
	h := http.Header{"Content-Length": {"10"}, "Etag": {`"e"`}}
	if r.Method == http.MethodHead {
		return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(""))}, nil
	}
	f.gets.Add(1)
	h.Set("Content-Range", "bytes 0-9/10")
	return &http.Response{StatusCode: 206, Header: h, ContentLength: 10, Body: io.NopCloser(strings.NewReader("0123456789"))}, nil
}

// A reader_read that got its reader just before close() (another thread) ran must fail and open
// no segment: nothing would stop that segment's prefetches.
func TestReaderReadAfterCloseOpensNothing(t *testing.T) {
	f := &fakeObject{}
	r, err := transfer.OpenSeekReader(context.Background(), f, "bkt", "k", "", nil, transfer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	sr := &seekReader{r: r}
	hs := newTestHandles()
	h := hs.New(sr)
	sr.Close()
	var ce *oss.ClientError
	if _, err := run(t, nil, hs, "reader_read", fmt.Sprintf(`{"reader": %d, "pos": 0}`, h), make([]byte, 4)); !errors.As(err, &ce) {
		t.Fatalf("read after close: %v", err)
	}
	if f.gets.Load() != 0 {
		t.Fatalf("%d GETs after close", f.gets.Load())
	}
}

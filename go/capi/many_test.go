package main

import (
	"context"
	"encoding/json"
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

// call runs an operation as pj_start's goroutine would, a panic being a failure of the test.
func call(t *testing.T, op opFunc, args string, buf []byte) (res any, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	return op(context.Background(), nil, json.RawMessage(args), buf, progress{})
}

func TestManyTakeRefusesAMissingBufferTable(t *testing.T) {
	h := newHandle(&heldData{data: [][]byte{[]byte("abc")}})
	defer pj_free_handle(h)
	args := fmt.Sprintf(`{"held": %d, "indices": [0]}`, uint64(h))
	for _, buf := range [][]byte{nil, {}} {
		var ce *oss.ClientError
		if _, err := call(t, opManyTake, args, buf); !errors.As(err, &ce) {
			t.Fatalf("buffer %v: %v", buf, err)
		}
	}
	if _, err := call(t, opManyTake, fmt.Sprintf(`{"held": %d, "indices": []}`, uint64(h)), nil); err != nil {
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
	r, err := transfer.OpenSeekReader(context.Background(), f, "bkt", "k", nil, transfer.Config{})
	if err != nil {
		t.Fatal(err)
	}
	sr := &seekReader{r: r}
	h := newHandle(sr)
	defer pj_free_handle(h)
	sr.close()
	var ce *oss.ClientError
	if _, err := call(t, opReaderRead, fmt.Sprintf(`{"reader": %d, "pos": 0}`, uint64(h)), make([]byte, 4)); !errors.As(err, &ce) {
		t.Fatalf("read after close: %v", err)
	}
	if f.gets.Load() != 0 {
		t.Fatalf("%d GETs after close", f.gets.Load())
	}
}

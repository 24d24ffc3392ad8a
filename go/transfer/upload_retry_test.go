package transfer

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
	"github.com/pyjindo/pyjindo/go/server"
	"github.com/pyjindo/pyjindo/go/server/store"
)

// armed matches requests that match once the test arms it.
func armed(on *atomic.Bool, match func(*http.Request) bool) func(*http.Request) bool {
	return func(r *http.Request) bool { return on.Load() && match(r) }
}

func putMeta(e *env, data []byte, v string) error {
	req := &oss.Request{Bucket: "bkt", Key: "up", Header: http.Header{"X-Oss-Meta-V": {v}}}
	_, err := UploadMultipart(context.Background(), e.client, req, bytes.NewReader(data), int64(len(data)),
		Config{PartSize: testPart, Concurrency: 2}, nil)
	return err
}

// A put of the same bytes with new metadata whose completion never took effect fails, and the
// object keeps the old metadata, even though an object of the same type and CRC64 is there.
func TestCompletionThatNeverHappenedFails(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mode  string
		times int64
		later time.Duration // how much later the second put runs, on the server's clock
	}{
		// SlowDown is refused before anything is done: no completion to look for.
		{"SlowDown every time", "503", 1000, 0},
		// Dropped before it was served, so never acted; the answer looks lost. The object that
		// is there was stored before this upload was initiated, so it is not ours.
		{"dropped unserved every time", "dropped", 1000, 10 * time.Second},
		// NoSuchUpload with no earlier attempt that may have completed it: the upload was
		// aborted by someone else, not completed by us.
		{"NoSuchUpload at once", "nosuchupload", 1, 0},
	} {
		var on atomic.Bool
		clock := &skewedClock{}
		e := newEnvAt(t, failFirst(armed(&on, isComplete), tc.mode, tc.times), nil, clock.now)
		data := randomBytes(3*testPart + 5)
		if err := putMeta(e, data, "1"); err != nil {
			t.Fatal(err)
		}
		clock.advance(tc.later)
		on.Store(true)
		if err := putMeta(e, data, "2"); err == nil {
			t.Errorf("%s: the put succeeded", tc.name)
		}
		if info, err := e.store.Stat("bkt", "up"); err != nil || info.Meta["v"] != "1" {
			t.Errorf("%s: object %+v, %v", tc.name, info, err)
		}
		if ups, _ := e.store.ListUploads("bkt"); len(ups) != 0 {
			t.Errorf("%s: uploads left behind: %+v", tc.name, ups)
		}
	}
}

func isListUploads(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Query().Has("uploads")
}

// Another writer's upload of the same key survives our retried initiation: a SlowDown creates no
// upload, so nothing is looked for; after a lost answer, only the uploads initiated (in server
// time) between our first attempt and our upload are aborted, whether the other one was
// initiated before that window or after our upload.
func TestRetriedInitiateSparesOtherWriters(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mode  string
		other string // when the other writer initiates: "before" we start, or "after" our upload
	}{
		{"SlowDown", "503", "before"},
		{"lost answers, other before", "lost", "before"},
		{"lost answers, other after", "lost", "after"},
	} {
		clock := &skewedClock{}
		var e *env
		var otherID string
		var once sync.Once
		initOther := func() {
			u, err := e.store.InitUpload("bkt", "up", store.Attrs{})
			if err != nil {
				t.Fatal(err)
			}
			otherID = u.UploadID
		}
		e = newEnvAt(t, func(h http.Handler) http.Handler {
			h = failFirst(isInitiate, tc.mode, 2)(h)
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.other == "after" && isListUploads(r) {
					once.Do(func() {
						clock.advance(5 * time.Second)
						initOther()
					})
				}
				h.ServeHTTP(w, r)
			})
		}, nil, clock.now)
		if tc.other == "before" {
			initOther()
			clock.advance(5 * time.Second)
		}
		data := randomBytes(3*testPart + 5)
		if err := putMeta(e, data, "1"); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		ups, _ := e.store.ListUploads("bkt")
		ids := []string{}
		for _, u := range ups {
			ids = append(ids, u.UploadID)
		}
		// Ours are gone (strays included); the other writer's is there.
		if !slices.Equal(ids, []string{otherID}) {
			t.Errorf("%s: uploads %v, want only the other writer's %s", tc.name, ids, otherID)
		}
	}
}

// When our initiation fails for good after an attempt that may have created an upload, the
// strays are aborted, but not an upload another writer initiated before our first attempt.
func TestFailedInitiateAbortsOnlyItsStrays(t *testing.T) {
	clock := &skewedClock{}
	e := newEnvAt(t, failFirst(isInitiate, "lost", 1000), nil, clock.now)
	other, err := e.store.InitUpload("bkt", "up", store.Attrs{})
	if err != nil {
		t.Fatal(err)
	}
	clock.advance(5 * time.Second)
	err = putMeta(e, randomBytes(3*testPart+5), "1")
	var re *oss.RequestError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want the lost answer's error", err)
	}
	ups, _ := e.store.ListUploads("bkt")
	if len(ups) != 1 || ups[0].UploadID != other.UploadID {
		t.Fatalf("uploads %+v, want only %s", ups, other.UploadID)
	}
}

// instantClock is a retry clock whose waits take no time.
type instantClock struct{}

func (instantClock) Now() time.Time                                   { return time.Now() }
func (instantClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

func fastPolicy(attempts int) retry.Policy {
	return retry.Policy{Retryer: retry.Standard{Attempts: attempts}, Clock: instantClock{}}
}

func isPart(n string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == http.MethodPut && r.URL.Query().Get("partNumber") == n }
}

// An upload part is sent at most the policy's attempts times; the progress counts each byte once
// however often a part was sent (the bytes of a failed attempt are taken back).
func TestUploadPartsRetryUnderThePolicy(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		failures int64 // of part 2, reset after half its body
		ok       bool
	}{{4, 3, true}, {3, 3, false}} {
		var sends atomic.Int64
		e := newEnvBehind(t, func(h http.Handler) http.Handler {
			h = failFirst(isPart("2"), "dropped", tc.failures)(h)
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if isPart("2")(r) {
					sends.Add(1)
				}
				h.ServeHTTP(w, r)
			})
		}, nil)
		data := randomBytes(3*testPart + 5)
		var sent atomic.Int64
		_, err := UploadMultipart(context.Background(), e.client, &oss.Request{Bucket: "bkt", Key: "up", Header: http.Header{}},
			bytes.NewReader(data), int64(len(data)), Config{PartSize: testPart, Concurrency: 2, Retry: fastPolicy(tc.attempts)},
			func(n int64) { sent.Add(n) })
		if (err == nil) != tc.ok || sends.Load() != min(int64(tc.attempts), tc.failures+1) {
			t.Fatalf("%d attempts: err %v after %d sends of part 2", tc.attempts, err, sends.Load())
		}
		if tc.ok && sent.Load() != int64(len(data)) {
			t.Fatalf("progress counted %d bytes of %d", sent.Load(), len(data))
		}
	}
}

// A download part is fetched at most the policy's attempts times, each resuming from the byte
// the last one reached.
func TestDownloadPartsRetryUnderThePolicy(t *testing.T) {
	e := newEnvBehind(t, noWrap, &server.Faults{Header: true})
	data := randomBytes(4 * testPart)
	e.put(t, "obj", data)
	for _, tc := range []struct {
		attempts int
		ok       bool
	}{{4, true}, {3, false}} {
		var mu sync.Mutex
		var ranges []string
		d := &hookDoer{d: e.client, before: func(_ int64, r *oss.Request) error {
			rng := r.Header.Get("Range")
			var from, to int
			if _, err := fmt.Sscanf(rng, "bytes=%d-%d", &from, &to); err == nil && from >= 2*testPart && from < 3*testPart {
				mu.Lock()
				defer mu.Unlock()
				ranges = append(ranges, rng)
				if len(ranges) <= 3 {
					r.Header.Set(server.FaultHeader, "reset=1") // one byte, then the connection drops
				}
			}
			return nil
		}}
		got, _, err := download(t, d, Config{PartSize: testPart, Concurrency: 2, Retry: fastPolicy(tc.attempts)})
		if (err == nil) != tc.ok || len(ranges) != min(tc.attempts, 4) {
			t.Fatalf("%d attempts: err %v, part 3 asked as %v", tc.attempts, err, ranges)
		}
		if tc.ok && !bytes.Equal(got, data) {
			t.Fatal("data differs")
		}
		for i, rng := range ranges { // one byte more each time
			if want := fmt.Sprintf("bytes=%d-%d", 2*testPart+i, 3*testPart-1); rng != want {
				t.Fatalf("attempt %d asked for %s, want %s", i+1, rng, want)
			}
		}
	}
}

// respDoer changes each answer after the fact.
type respDoer struct {
	d     oss.Doer
	after func(r *oss.Request, resp *http.Response)
}

func (h respDoer) Do(ctx context.Context, r *oss.Request) (*http.Response, error) {
	resp, err := h.d.Do(ctx, r)
	if err == nil {
		h.after(r, resp)
	}
	return resp, err
}

// The Complete document is XML built by encoding/xml: an ETag with markup characters arrives as
// the same text, quoted once.
func TestCompleteDocumentCarriesETagsEscaped(t *testing.T) {
	var doc atomic.Value
	e := newEnvBehind(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if isComplete(r) {
				raw, _ := io.ReadAll(r.Body)
				doc.Store(raw)
				r.Body = io.NopCloser(bytes.NewReader(raw))
			}
			h.ServeHTTP(w, r)
		})
	}, nil)
	d := respDoer{d: e.client, after: func(r *oss.Request, resp *http.Response) {
		if r.Method == http.MethodPut {
			resp.Header.Set("ETag", `"<a&b>"`)
		}
	}}
	data := randomBytes(testPart + 5)
	UploadMultipart(context.Background(), d, &oss.Request{Bucket: "bkt", Key: "up", Header: http.Header{}},
		bytes.NewReader(data), int64(len(data)), Config{PartSize: testPart, Retry: fastPolicy(1)}, nil)
	raw, _ := doc.Load().([]byte)
	var got struct {
		Parts []struct {
			PartNumber int
			ETag       string
		} `xml:"Part"`
	}
	if err := xml.Unmarshal(raw, &got); err != nil || len(got.Parts) != 2 || got.Parts[1].ETag != `"<a&b>"` || got.Parts[1].PartNumber != 2 {
		t.Fatalf("document %q: %+v, %v", raw, got, err)
	}
}

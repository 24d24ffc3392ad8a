package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func randomData(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(n), 3))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// runIO runs a command with stdin from in and stdout kept as bytes.
func (e *testEnv) runIO(ctx context.Context, in io.Reader, args ...string) (int, []byte, string) {
	var out, errs bytes.Buffer
	code := Run(ctx, args, Env{Stdin: in, Stdout: &out, Stderr: &errs, Home: e.home, Getenv: func(string) string { return "" }})
	return code, out.Bytes(), errs.String()
}

func TestCpStdinUploadsPartsTinyAndEmpty(t *testing.T) {
	e := newTestEnv(t)
	data := randomData(5*100<<10 + 7)
	e.count("")
	code, out, errs := e.runIO(context.Background(), bytes.NewReader(data), "cp", "-", "oss://bkt/big", "--part-size", "100K", "--parallel", "3")
	if code != 0 || !bytes.Equal(e.get(t, "big"), data) || !strings.Contains(string(out), "Succeed: Total num: 1, size: 512,007.") {
		t.Fatalf("%d %q %q", code, out, errs)
	}
	if n := e.count(`^PUT /bkt/big\?.*partNumber=`); n != 6 {
		t.Fatalf("%d parts, want 6", n)
	}
	code, _, errs = e.runIO(context.Background(), strings.NewReader("tiny"), "cp", "-", "oss://bkt/tiny")
	if code != 0 || string(e.get(t, "tiny")) != "tiny" {
		t.Fatalf("%d %q", code, errs)
	}
	if n := e.count(`^PUT /bkt/tiny$`); n != 1 || e.count(`uploads`) != 0 {
		t.Fatalf("a tiny stream is not one PutObject: %d", n)
	}
	if code, _, errs = e.runIO(context.Background(), strings.NewReader(""), "cp", "-", "oss://bkt/empty"); code != 0 {
		t.Fatalf("%d %q", code, errs)
	}
	if keys := e.keys(t, "empty"); len(keys) != 1 || len(e.get(t, "empty")) != 0 {
		t.Fatalf("empty stdin: %v", keys)
	}
	if ups, _ := e.store.ListUploads("bkt"); len(ups) != 0 {
		t.Fatalf("uploads left: %v", ups)
	}
}

// Without -f an existing object is not replaced by a stream: there is no asking on stdin.
func TestCpStdinNeedsForceToOverwrite(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "k", []byte("old"))
	code, _, errs := e.runIO(context.Background(), strings.NewReader("new"), "cp", "-", "oss://bkt/k")
	if code != ExitFailed || !strings.Contains(errs, "give -f to overwrite") || string(e.get(t, "k")) != "old" {
		t.Fatalf("%d %q", code, errs)
	}
	if code, _, errs = e.runIO(context.Background(), strings.NewReader("new"), "cp", "-f", "-", "oss://bkt/k"); code != 0 || string(e.get(t, "k")) != "new" {
		t.Fatalf("%d %q", code, errs)
	}
}

func TestCpToStdoutWritesTheBytesOnlyAndHonoursRange(t *testing.T) {
	e := newTestEnv(t)
	data := randomData(7*100<<10 + 50<<10)
	e.put(t, "obj", data)
	e.count("")
	code, out, errs := e.runIO(context.Background(), strings.NewReader(""), "cp", "oss://bkt/obj", "-", "--part-size", "100K", "--parallel", "3")
	if code != 0 || !bytes.Equal(out, data) {
		t.Fatalf("%d: %d bytes, %q", code, len(out), errs)
	}
	if !strings.Contains(errs, "Succeed: Total num: 1, size: 768,000.") || !strings.Contains(errs, "elapsed") {
		t.Fatalf("summary not on stderr: %q", errs)
	}
	if n := e.count(`^GET /bkt/obj`); n < 7 {
		t.Fatalf("%d GETs: not read in parts", n)
	}
	e.put(t, "empty", nil)
	if code, out, errs = e.runIO(context.Background(), nil, "cp", "oss://bkt/empty", "-"); code != 0 || len(out) != 0 {
		t.Fatalf("empty object: %d %q %q", code, out, errs)
	}
	e.put(t, "r", []byte("0123456789"))
	for rng, want := range map[string]string{"2-5": "2345", "7-": "789", "-3": "789"} {
		code, out, errs = e.runIO(context.Background(), nil, "cp", "oss://bkt/r", "-", "--range", rng)
		if code != 0 || string(out) != want {
			t.Fatalf("--range %s: %d %q %q", rng, code, out, errs)
		}
	}
}

func TestCpStreamUsageAndDryRun(t *testing.T) {
	e := newTestEnv(t)
	for _, args := range [][]string{
		{"cp", "-", "-"}, {"cp", "-r", "-", "oss://bkt/d/"}, {"cp", "-r", "oss://bkt/d/", "-"}, {"cp", "-", "local"},
		{"cp", "-", "oss://bkt/dir/"}, {"cp", "-u", "-", "oss://bkt/k"}, {"cp", "-", "oss://bkt/k", "--range", "1-2"},
	} {
		if code, _, errs := e.runIO(context.Background(), strings.NewReader("x"), args...); code != ExitUsage {
			t.Fatalf("%v: %d %q", args, code, errs)
		}
	}
	code, out, errs := e.runIO(context.Background(), strings.NewReader("data"), "cp", "-", "oss://bkt/k", "--dry-run")
	if code != 0 || !strings.Contains(string(out), "would upload (standard input) -> oss://bkt/k") || len(e.keys(t, "k")) != 0 {
		t.Fatalf("%d %q %q", code, out, errs)
	}
	e.put(t, "obj", []byte("abc"))
	code, out, errs = e.runIO(context.Background(), nil, "cp", "oss://bkt/obj", "-", "--dry-run")
	if code != 0 || len(out) != 0 || !strings.Contains(errs, "would download oss://bkt/obj -> (standard output)") {
		t.Fatalf("%d %q %q", code, out, errs)
	}
}

// stalledStdin gives n bytes, then blocks (a quiet pipe) until release is closed.
type stalledStdin struct {
	n       int
	release chan struct{}
}

func (r *stalledStdin) Read(p []byte) (int, error) {
	if r.n == 0 {
		<-r.release
		return 0, io.EOF
	}
	m := min(len(p), r.n)
	for i := range p[:m] {
		p[i] = 'z'
	}
	r.n -= m
	return m, nil
}

func TestCpStdinCancelledMidUploadLeavesNothing(t *testing.T) {
	e := newTestEnv(t)
	var parts atomic.Int64
	partRE := regexp.MustCompile(`partNumber=`)
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut && partRE.MatchString(r.URL.RawQuery) {
			parts.Add(1)
		}
		return false
	})
	in := &stalledStdin{n: 5 * 100 << 10, release: make(chan struct{})}
	defer close(in.release)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for deadline := time.Now().Add(10 * time.Second); parts.Load() < 3 && time.Now().Before(deadline); {
			time.Sleep(5 * time.Millisecond)
		}
		cancel() // Ctrl-C, while stdin has nothing more to give
	}()
	code, _, errs := e.runIO(ctx, in, "cp", "-", "oss://bkt/c", "--part-size", "100K", "--parallel", "2")
	if code != ExitInterrupted || !strings.Contains(errs, "interrupted") || parts.Load() < 3 {
		t.Fatalf("%d %q after %d parts", code, errs, parts.Load())
	}
	if ups, _ := e.store.ListUploads("bkt"); len(ups) != 0 {
		t.Fatalf("uploads left: %v", ups)
	}
	if len(e.keys(t, "c")) != 0 {
		t.Fatal("an object was stored")
	}
}

func TestCpToStdoutServerErrorMidDownloadExitsOne(t *testing.T) {
	e := newTestEnv(t)
	data := randomData(8 * 100 << 10)
	e.put(t, "obj", data)
	// Parts from the fifth on are refused for good (AccessDenied is not retried).
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		var from int
		if _, err := fmt.Sscanf(r.Header.Get("Range"), "bytes=%d-", &from); err == nil && from >= 4*100<<10 {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>injected</Message><RequestId>RID</RequestId></Error>`)
			return true
		}
		return false
	})
	code, out, errs := e.runIO(context.Background(), nil, "cp", "oss://bkt/obj", "-", "--part-size", "100K", "--parallel", "2")
	if code != ExitFailed || !strings.Contains(errs, "AccessDenied") || !strings.Contains(errs, "already written to standard output") {
		t.Fatalf("%d %q", code, errs)
	}
	if len(out) > 4*100<<10 || !bytes.Equal(out, data[:len(out)]) {
		t.Fatalf("%d bytes out, not a prefix of the object", len(out))
	}
}

// crcLiar changes the x-oss-hash-crc64ecma of the answers it passes on.
type crcLiar struct{ http.ResponseWriter }

func (w crcLiar) WriteHeader(code int) {
	if w.Header().Get("x-oss-hash-crc64ecma") != "" {
		w.Header().Set("x-oss-hash-crc64ecma", "1")
	}
	w.ResponseWriter.WriteHeader(code)
}

func TestCpToStdoutCRCMismatchExitsOneAndSaysTheBytesAreOut(t *testing.T) {
	e := newTestEnv(t)
	data := randomData(3 * 100 << 10)
	e.put(t, "obj", data)
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		e.srv.ServeHTTP(crcLiar{w}, r)
		return true
	})
	code, out, errs := e.runIO(context.Background(), nil, "cp", "oss://bkt/obj", "-", "--part-size", "100K")
	if code != ExitFailed || !bytes.Equal(out, data) || !strings.Contains(errs, "is mismatch with oss: 1") || !strings.Contains(errs, "already written") {
		t.Fatalf("%d %q", code, errs)
	}
	if code, out, _ = e.runIO(context.Background(), nil, "cp", "oss://bkt/obj", "-", "--disable-crc64"); code != 0 || !bytes.Equal(out, data) {
		t.Fatalf("--disable-crc64: %d", code)
	}
}

func TestCpStdinCRCMismatchExitsOne(t *testing.T) {
	e := newTestEnv(t)
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost && r.URL.Query().Has("uploadId") { // the completion
			w = crcLiar{w}
		}
		e.srv.ServeHTTP(w, r)
		return true
	})
	code, _, errs := e.runIO(context.Background(), bytes.NewReader(randomData(3*100<<10)), "cp", "-", "oss://bkt/k", "--part-size", "100K")
	if code != ExitFailed || !strings.Contains(errs, "is mismatch with oss: 1") {
		t.Fatalf("%d %q", code, errs)
	}
}

// cat reads with the command's transfer settings, as cp does: its parts are --part-size long,
// and each is retried under --retry-times (it used to open with a zero Config: 8 MiB parts and
// 3 attempts a part whatever the command line said).
func TestCatHonoursPartSizeAndRetryTimes(t *testing.T) {
	e := newTestEnv(t)
	data := randomData(300 << 10)
	e.put(t, "big", data)
	failures := map[string]int{} // per Range: the parts after the first fail 4 times each
	var mu sync.Mutex
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		rng := r.Header.Get("Range")
		if r.Method != http.MethodGet || rng == "" || strings.HasPrefix(rng, "bytes=0-") {
			return false
		}
		mu.Lock()
		defer mu.Unlock()
		if failures[rng] < 4 {
			failures[rng]++
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	r := e.run(t, "cat", "oss://bkt/big", "--part-size", "100K", "--parallel", "2", "--retry-times", "5")
	if r.code != ExitOK || !bytes.Equal([]byte(r.stdout), data) {
		t.Fatalf("exit %d, %d bytes of %d: %s", r.code, len(r.stdout), len(data), r.stderr)
	}
	if len(failures) != 2 || failures["bytes=102400-204799"] != 4 || failures["bytes=204800-307199"] != 4 {
		t.Fatalf("parts asked for: %v", failures)
	}
	// With 4 attempts a part, each part's 4 failures end it.
	clear(failures)
	if r = e.run(t, "cat", "oss://bkt/big", "--part-size", "100K", "--retry-times", "4"); r.code != ExitFailed {
		t.Fatalf("exit %d with 4 attempts against 4 failures", r.code)
	}
	if r = e.run(t, "cat", "oss://bkt/big", "--part-size", "10K"); r.code != ExitUsage || !strings.Contains(r.stderr, "--part-size") {
		t.Fatalf("a 10K part size: exit %d %q", r.code, r.stderr)
	}
}

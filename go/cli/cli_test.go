package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/signer"
	"github.com/pyjindo/pyjindo/go/server"
	"github.com/pyjindo/pyjindo/go/server/store"
	"github.com/pyjindo/pyjindo/go/transfer"
)

// env is a jindo server in-process with bucket "bkt", counting the requests it serves.
type testEnv struct {
	endpoint string
	store    store.Store
	home     string
	mu       sync.Mutex
	requests []string                                      // "METHOD path?query"
	hook     func(http.ResponseWriter, *http.Request) bool // before each request: true if it answered
	srv      http.Handler                                  // the server, for a hook that serves itself
}

func (e *testEnv) setHook(h func(http.ResponseWriter, *http.Request) bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.hook = h
}

func newTestEnv(t *testing.T) *testEnv { return newTestEnvWith(t, map[string]string{"ak": "sk"}) }

// newTestEnvWith is newTestEnv with a server that accepts the keys in creds.
func newTestEnvWith(t *testing.T, creds map[string]string) *testEnv {
	t.Helper()
	st := store.NewMemory(nil)
	if _, err := st.CreateBucket("bkt"); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{endpoint: "http://" + ln.Addr().String(), store: st, home: t.TempDir()}
	srv := server.New(server.Config{Store: st, Credentials: creds, Faults: &server.Faults{Header: true}})
	e.srv = srv
	hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.requests = append(e.requests, r.Method+" "+r.URL.RequestURI())
		hook := e.hook
		e.mu.Unlock()
		if hook != nil && hook(w, r) {
			return
		}
		srv.ServeHTTP(w, r)
	})}
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	cfg := fmt.Sprintf("[Credentials]\nlanguage=EN\nendpoint=%s\naccessKeyID=ak\naccessKeySecret=sk\n", e.endpoint)
	if err := os.WriteFile(filepath.Join(e.home, ".ossutilconfig"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// count tells how many requests matched re, and forgets them.
func (e *testEnv) count(re string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, r := range e.requests {
		if regexp.MustCompile(re).MatchString(r) {
			n++
		}
	}
	e.requests = nil
	return n
}

type result struct {
	code           int
	stdout, stderr string
}

func (e *testEnv) run(t *testing.T, args ...string) result {
	t.Helper()
	return e.runCtx(context.Background(), "", args...)
}

func (e *testEnv) runCtx(ctx context.Context, stdin string, args ...string) result {
	return e.runEnv(ctx, stdin, nil, args...)
}

// runEnv runs a command with the environment variables vars.
func (e *testEnv) runEnv(ctx context.Context, stdin string, vars map[string]string, args ...string) result {
	var out, errs bytes.Buffer
	code := Run(ctx, args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errs, Home: e.home,
		Getenv: func(k string) string { return vars[k] }})
	return result{code, out.String(), errs.String()}
}

func (e *testEnv) put(t *testing.T, key string, data []byte) {
	t.Helper()
	if _, err := e.store.Put("bkt", key, bytes.NewReader(data), store.Attrs{}, store.PutOptions{}); err != nil {
		t.Fatal(err)
	}
}

func (e *testEnv) get(t *testing.T, key string) []byte {
	t.Helper()
	c := e.client(t)
	resp, err := c.Do(context.Background(), &oss.Request{Method: http.MethodGet, Bucket: "bkt", Key: key})
	if err != nil {
		t.Fatalf("get %s: %v", key, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}

func (e *testEnv) client(t *testing.T) *oss.Client {
	c, err := oss.New(oss.Config{Endpoint: e.endpoint, Credentials: signer.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *testEnv) keys(t *testing.T, prefix string) []string {
	t.Helper()
	var out []string
	err := walk(context.Background(), e.client(t), "bkt", prefix, "", 0, func(o objectInfo) error {
		out = append(out, o.Key)
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOptionsParseInterleavedBundledAndRepeated(t *testing.T) {
	specs := append([]option{}, transferOptions...)
	p, err := parseOptions("cp", specs, []string{"a", "-rf", "--include", "*.txt", "b", "-j3", "--exclude=x*", "--parallel", "4", "--", "-odd"})
	if err != nil {
		t.Fatal(err)
	}
	if !p.bool("recursive") || !p.bool("force") || p.int("jobs", 0) != 3 || p.int("parallel", 0) != 4 {
		t.Fatalf("options: %+v", p)
	}
	if got := strings.Join(p.args, ","); got != "a,b,-odd" {
		t.Fatalf("args %q", got)
	}
	if _, err := parseOptions("cp", specs, []string{"--nope"}); !isUsage(err) {
		t.Fatalf("unknown option: %v", err)
	}
	if _, err := parseOptions("cp", specs, []string{"-j", "many"}); !isUsage(err) {
		t.Fatalf("bad number: %v", err)
	}
}

func isUsage(err error) bool {
	var ue *usageError
	return errors.As(err, &ue)
}

func TestFilterLastMatchingRuleDecides(t *testing.T) {
	f, err := newFilter([]string{"--include", "*.txt", "--exclude", "skip*", "-r"})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"a.txt": true, "d/b.txt": true, "skip.txt": false, "c.bin": false} {
		if f.match(name) != want {
			t.Errorf("match(%q) = %v", name, !want)
		}
	}
	f, _ = newFilter([]string{"--exclude=*.log"})
	if !f.match("a.txt") || f.match("x/y.log") {
		t.Error("exclude only: everything but *.log")
	}
}

func TestSplitLineQuotes(t *testing.T) {
	got, err := splitLine(`cp "a b.txt" 'oss://bkt/c d' -f x\ y`)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "cp|a b.txt|oss://bkt/c d|-f|x y" {
		t.Fatalf("%q", got)
	}
	if _, err := splitLine(`cp "open`); err == nil {
		t.Fatal("unclosed quote accepted")
	}
}

func TestEndpointIsMergedPerSettingButKeysComeWholeFromOneSource(t *testing.T) {
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, ".ossutilconfig"), []byte("[Credentials]\nendpoint=file-ep\naccessKeyID=file-id\naccessKeySecret=file-sk\nstsToken=file-tok\n[Other]\naccessKeyID=no\n"), 0o600)
	envVars := map[string]string{"OSS_ACCESS_KEY_ID": "env-id", "OSS_ENDPOINT": "env-ep"}
	env := &Env{Home: home, Getenv: func(k string) string { return envVars[k] }}
	p, _ := parseOptions("ls", credentialOptions, []string{"-e", "flag-ep"})
	s, err := resolveSettings(p, env, func(string) {})
	if err != nil || s.Endpoint != "flag-ep" {
		t.Fatalf("%+v %v", s, err)
	}
	// OSS_ACCESS_KEY_ID without its secret is refused, not completed with the file's.
	if c, err := s.Provider.Credentials(context.Background()); err == nil || !strings.Contains(err.Error(), "OSS_ACCESS_KEY_SECRET") {
		t.Fatalf("half a pair in the environment gave %+v, %v", c, err)
	}
	envVars["OSS_ACCESS_KEY_SECRET"] = "env-sk"
	p, _ = parseOptions("ls", credentialOptions, nil)
	if s, err = resolveSettings(p, env, func(string) {}); err != nil || s.Endpoint != "env-ep" {
		t.Fatalf("%+v %v", s, err)
	}
	if c, err := s.Provider.Credentials(context.Background()); err != nil || c.AccessKeyID != "env-id" || c.AccessKeySecret != "env-sk" || c.SecurityToken != "" {
		t.Fatalf("the environment's pair, without the file's token: %+v %v", c, err)
	}
	envVars = map[string]string{}
	if s, err = resolveSettings(p, env, func(string) {}); err != nil || s.Endpoint != "file-ep" {
		t.Fatalf("%+v %v", s, err)
	}
	if c, err := s.Provider.Credentials(context.Background()); err != nil || c.AccessKeyID != "file-id" || c.AccessKeySecret != "file-sk" || c.SecurityToken != "file-tok" {
		t.Fatalf("the file's keys with its token: %+v %v", c, err)
	}
	p, _ = parseOptions("ls", credentialOptions, []string{"-c", filepath.Join(home, "missing")})
	if _, err := resolveSettings(p, env, func(string) {}); err == nil {
		t.Fatal("a named config file that is missing must fail")
	}
	p, _ = parseOptions("ls", credentialOptions, []string{"--sign-version", "v4", "-e", "oss-cn-beijing.aliyuncs.com"})
	if s, err := resolveSettings(p, env, func(string) {}); err != nil || s.Region != "cn-beijing" {
		t.Fatalf("v4 region from endpoint: %+v %v", s, err)
	}
}

func TestNoCredentialsIsUsageError(t *testing.T) {
	var out, errs bytes.Buffer
	code := Run(context.Background(), []string{"ls", "oss://bkt"}, Env{Stdout: &out, Stderr: &errs, Home: t.TempDir()})
	if code != ExitUsage || !strings.Contains(errs.String(), "no endpoint") {
		t.Fatalf("exit %d, stderr %q", code, errs.String())
	}
}

func TestLsLongFormatShortFormatAndJSON(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "dir/a b.txt", []byte("hello"))
	e.put(t, "dir/sub/c", nil)
	e.put(t, "top", []byte("x"))
	r := e.run(t, "ls", "oss://bkt")
	lines := strings.Split(r.stdout, "\n")
	if r.code != 0 || !strings.HasPrefix(lines[0], "LastModifiedTime") || !strings.Contains(lines[0], "Size(B)  StorageClass   ETAG") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	if !regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+ +5 +Standard   5D41402ABC4B2A76B9719D911017C592  +oss://bkt/dir/a b.txt$`).MatchString(lines[1]) {
		t.Fatalf("long line %q", lines[1])
	}
	if !strings.Contains(r.stdout, "Object Number is: 3\n") || !strings.Contains(r.stdout, "(s) elapsed") {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "ls", "-s", "oss://bkt/dir/")
	if !strings.HasPrefix(r.stdout, "oss://bkt/dir/a b.txt\noss://bkt/dir/sub/c\nObject Number is: 2\n") {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "ls", "-d", "oss://bkt/")
	if !strings.HasPrefix(r.stdout, "oss://bkt/top\noss://bkt/dir/\nObject and Directory Number is: 2\n") {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "ls", "--limited-num", "1", "-s", "oss://bkt")
	if !strings.HasPrefix(r.stdout, "oss://bkt/dir/a b.txt\nObject Number is: 1\n") {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "ls", "oss://bkt", "--output-format", "json")
	if !strings.Contains(r.stdout, `"key":"dir/a b.txt","size":5`) || !strings.HasSuffix(r.stdout, "\"count\": 3}\n") {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "ls")
	if !strings.Contains(r.stdout, "oss://bkt\n") || !strings.Contains(r.stdout, "Bucket Number is: 1") {
		t.Fatalf("%q", r.stdout)
	}
}

func TestLsStreamsPagesOf1000(t *testing.T) {
	e := newTestEnv(t)
	for i := range 2500 {
		e.put(t, fmt.Sprintf("k/%05d", i), nil)
	}
	e.count("")
	r := e.run(t, "ls", "-s", "oss://bkt/k/")
	if r.code != 0 || !strings.Contains(r.stdout, "Object Number is: 2500\n") || strings.Count(r.stdout, "oss://bkt/k/") != 2500 {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if n := e.count(`^GET /bkt/\?.*max-keys=1000`); n != 3 {
		t.Fatalf("%d list requests, want 3 pages", n)
	}
}

func TestCpTreeRoundTripUnicodeSpacesEmpty(t *testing.T) {
	e := newTestEnv(t)
	src := t.TempDir()
	files := map[string]string{"a.txt": "alpha", "with space/é ü.txt": "unicode", "empty": "", "deep/er/x.bin": strings.Repeat("x", 70000), "hollow/": ""}
	writeTree(t, src, files)
	r := e.run(t, "cp", "-r", src, "oss://bkt/up")
	if r.code != 0 || !strings.Contains(r.stdout, "Succeed: Total num: 5, size: 70,012. OK num: 5(upload 4 files, 1 directories).") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	got := e.keys(t, "up/")
	want := []string{"up/a.txt", "up/deep/er/x.bin", "up/empty", "up/hollow/", "up/with space/é ü.txt"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("keys %q", got)
	}
	if string(e.get(t, "up/with space/é ü.txt")) != "unicode" {
		t.Fatal("content")
	}
	dst := t.TempDir()
	r = e.run(t, "cp", "-r", "oss://bkt/up/", dst)
	if r.code != 0 || !strings.Contains(r.stdout, "(download 4 objects, 1 directories)") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	for name, data := range files {
		p := filepath.Join(dst, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if st, err := os.Stat(p); err != nil || !st.IsDir() {
				t.Errorf("%s: not a directory", name)
			}
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil || string(b) != data {
			t.Errorf("%s: %v %d bytes", name, err, len(b))
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dst, ".*jindo-*"))
	if len(leftovers) > 0 {
		t.Fatalf("temp files left: %q", leftovers)
	}
}

func TestCpIncludeExclude(t *testing.T) {
	e := newTestEnv(t)
	src := t.TempDir()
	writeTree(t, src, map[string]string{"a.txt": "1", "b.log": "2", "d/c.txt": "3", "d/skip.txt": "4"})
	r := e.run(t, "cp", "-r", src, "oss://bkt/f/", "--include", "*.txt", "--exclude", "skip*")
	if r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if got := strings.Join(e.keys(t, "f/"), "|"); got != "f/a.txt|f/d/c.txt" {
		t.Fatalf("%q", got)
	}
}

func TestCpMissingKeyReportsCodeAndRequestID(t *testing.T) {
	e := newTestEnv(t)
	r := e.run(t, "cp", "oss://bkt/nope", filepath.Join(t.TempDir(), "x"))
	if r.code != ExitFailed || !strings.Contains(r.stderr, "ErrorCode=NoSuchKey") || !regexp.MustCompile(`RequestId=\w+`).MatchString(r.stderr) ||
		!strings.Contains(r.stdout, "FinishWithError: Scanned 1 objects. Error num: 1.") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestWrongSecretExitsOneWithSignatureError(t *testing.T) {
	e := newTestEnv(t)
	r := e.run(t, "ls", "oss://bkt", "-i", "ak", "-k", "wrong")
	if r.code != ExitFailed || !strings.Contains(r.stderr, "ErrorCode=SignatureDoesNotMatch") || !strings.Contains(r.stderr, "RequestId=") {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
}

func TestCpUpdateAndForce(t *testing.T) {
	e := newTestEnv(t)
	src := filepath.Join(t.TempDir(), "f.txt")
	os.WriteFile(src, []byte("new"), 0o644)
	e.put(t, "f.txt", []byte("old"))
	// Without -f the existing object is asked about; no answer leaves it alone.
	r := e.run(t, "cp", src, "oss://bkt/")
	if r.code != 0 || string(e.get(t, "f.txt")) != "old" || !strings.Contains(r.stdout, "skip 1 files") {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
	r = e.runCtx(context.Background(), "y\n", "cp", src, "oss://bkt/")
	if r.code != 0 || string(e.get(t, "f.txt")) != "new" {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
	// -u: the object is newer than the file now.
	os.WriteFile(src, []byte("newer"), 0o644)
	past := mustParseTime(t, "2001-01-01T00:00:00Z")
	os.Chtimes(src, past, past)
	if r = e.run(t, "cp", "-u", src, "oss://bkt/f.txt"); string(e.get(t, "f.txt")) != "new" {
		t.Fatalf("-u replaced a newer object: %q", r.stdout)
	}
	if r = e.run(t, "cp", "-f", src, "oss://bkt/f.txt"); string(e.get(t, "f.txt")) != "newer" {
		t.Fatalf("-f: %q", r.stderr)
	}
}

func TestCpRangeAndDryRun(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "r", []byte("0123456789"))
	out := filepath.Join(t.TempDir(), "part")
	if r := e.run(t, "cp", "oss://bkt/r", out, "--range", "2-5"); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "2345" {
		t.Fatalf("%q", b)
	}
	r := e.run(t, "cp", "oss://bkt/r", "oss://bkt/r2", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "oss://bkt/r -> oss://bkt/r2") || len(e.keys(t, "r2")) != 0 {
		t.Fatalf("%q", r.stdout)
	}
}

func TestCpServerSideCopyRecursive(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "s/1", []byte("one"))
	e.put(t, "s/d/2", []byte("two"))
	e.count("")
	r := e.run(t, "cp", "-r", "oss://bkt/s/", "oss://bkt/t/")
	if r.code != 0 || strings.Join(e.keys(t, "t/"), "|") != "t/1|t/d/2" || string(e.get(t, "t/d/2")) != "two" {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
}

func TestBigUploadIsMultipartAndVerified(t *testing.T) {
	e := newTestEnv(t)
	src := filepath.Join(t.TempDir(), "big")
	data := bytes.Repeat([]byte("0123456789abcdef"), 40000) // 640,000 bytes
	os.WriteFile(src, data, 0o644)
	e.count("")
	r := e.run(t, "cp", src, "oss://bkt/big", "--bigfile-threshold", "200K", "--part-size", "100K")
	if r.code != 0 || !bytes.Equal(e.get(t, "big"), data) {
		t.Fatalf("%q", r.stderr)
	}
	if n := e.count(`^PUT /bkt/big\?.*partNumber=`); n != 7 {
		t.Fatalf("%d parts, want 7", n)
	}
}

func TestRmRecursiveBatchesOf1000(t *testing.T) {
	e := newTestEnv(t)
	for i := range 2100 {
		e.put(t, fmt.Sprintf("del/%05d", i), nil)
	}
	e.put(t, "keep", nil)
	e.count("")
	r := e.run(t, "rm", "-r", "-f", "oss://bkt/del/")
	if r.code != 0 || !strings.Contains(r.stdout, "Succeed: Total 2100 objects. Removed 2100 objects.") {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
	if n := e.count(`^POST /bkt/\?delete`); n != 3 {
		t.Fatalf("%d batch deletes, want 3", n)
	}
	if got := e.keys(t, ""); len(got) != 1 {
		t.Fatalf("left %d", len(got))
	}
	// Without -f, the question is asked and "no" deletes nothing.
	e.put(t, "del/x", nil)
	if r := e.runCtx(context.Background(), "n\n", "rm", "-r", "oss://bkt/del/"); r.code != 0 || len(e.keys(t, "del/")) != 1 {
		t.Fatalf("%q", r.stderr)
	}
}

func TestRmMultipartAndBucket(t *testing.T) {
	e := newTestEnv(t)
	c := e.client(t)
	resp, err := c.Do(context.Background(), &oss.Request{Method: http.MethodPost, Bucket: "bkt", Key: "u", Query: [][2]string{{"uploads", ""}}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r := e.run(t, "ls", "-m", "oss://bkt")
	if !strings.Contains(r.stdout, "UploadID Number is: 1") {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "rm", "-m", "oss://bkt/u")
	if r.code != 0 || !strings.Contains(r.stdout, "Removed 1 uploadIds") {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
	if r = e.run(t, "mb", "oss://other-bucket"); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if r = e.run(t, "mkdir", "oss://other-bucket/d"); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if r = e.run(t, "rb", "oss://other-bucket"); r.code != ExitFailed || !strings.Contains(r.stderr, "BucketNotEmpty") {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if r = e.run(t, "rm", "-r", "-f", "-b", "oss://other-bucket"); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if r = e.run(t, "stat", "oss://other-bucket"); r.code != ExitFailed || !strings.Contains(r.stderr, "NoSuchBucket") {
		t.Fatalf("%q", r.stderr)
	}
}

func TestStatDuCatHashPresign(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "o", []byte("123456789"))
	r := e.run(t, "stat", "oss://bkt/o")
	if r.code != 0 || !strings.Contains(r.stdout, "X-Oss-Hash-Crc64ecma") || !strings.Contains(r.stdout, ": 11051210869376104954\n") {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
	r = e.run(t, "stat", "oss://bkt/o", "--output-format", "json")
	if !strings.Contains(r.stdout, `"content_length": 9,`) || !strings.Contains(r.stdout, `"hash_crc64ecma": "11051210869376104954"`) {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "du", "oss://bkt", "--output-format=json")
	if !strings.Contains(r.stdout, `"object_count": 1`) || !strings.Contains(r.stdout, `"total_size": 9`) {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "du", "oss://bkt")
	if !strings.Contains(r.stdout, "total du size(byte):9\n") {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "cat", "oss://bkt/o")
	if r.stdout != "123456789" {
		t.Fatalf("%q", r.stdout)
	}
	f := filepath.Join(t.TempDir(), "h")
	os.WriteFile(f, []byte("123456789"), 0o644)
	r = e.run(t, "hash", f)
	if !strings.HasPrefix(r.stdout, "CRC64-ECMA                  : 11051210869376104954\n") {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "hash", "--type", "md5", f)
	if !strings.HasPrefix(r.stdout, "MD5                         : 25F9E794323B453885F5181F1B624D0B\n") {
		t.Fatalf("%q", r.stdout)
	}
	r = e.run(t, "sign", "oss://bkt/o", "--timeout", "300")
	url := strings.SplitN(r.stdout, "\n", 2)[0]
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "123456789" {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
}

func TestSyncCopiesDifferencesAndDeletes(t *testing.T) {
	e := newTestEnv(t)
	src := t.TempDir()
	writeTree(t, src, map[string]string{"same": "same", "changed": "new content", "added": "a"})
	e.put(t, "s/same", []byte("same"))
	e.put(t, "s/changed", []byte("old"))
	e.put(t, "s/extra", []byte("x"))
	// The objects are newer than the files, so "same" is left alone by time and size.
	r := e.run(t, "sync", src, "oss://bkt/s/", "--delete", "-f")
	if r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if got := strings.Join(e.keys(t, "s/"), "|"); got != "s/added|s/changed|s/same" {
		t.Fatalf("%q", got)
	}
	if string(e.get(t, "s/changed")) != "new content" || !strings.Contains(r.stdout, "skip 1 files") || !strings.Contains(r.stdout, "Deleted 1 objects.") {
		t.Fatalf("%q", r.stdout)
	}
	// --checksum finds a same-size change that --size-only misses.
	os.WriteFile(filepath.Join(src, "same"), []byte("SAME"), 0o644)
	e.run(t, "sync", src, "oss://bkt/s/", "--size-only")
	if string(e.get(t, "s/same")) != "same" {
		t.Fatal("--size-only copied a same-size file")
	}
	e.run(t, "sync", src, "oss://bkt/s/", "--checksum")
	if string(e.get(t, "s/same")) != "SAME" {
		t.Fatal("--checksum missed a change")
	}
	dst, backup := t.TempDir(), t.TempDir()
	os.WriteFile(filepath.Join(dst, "stale"), []byte("z"), 0o644)
	if r = e.run(t, "sync", "oss://bkt/s/", dst, "--delete", "-f", "--backup-dir", backup); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(backup, "stale")); err != nil || string(b) != "z" {
		t.Fatalf("the extra file was not moved to the backup directory: %q %v", b, err)
	}
	names, _ := os.ReadDir(dst)
	var got []string
	for _, n := range names {
		got = append(got, n.Name())
	}
	sort.Strings(got)
	if strings.Join(got, "|") != "added|changed|same" {
		t.Fatalf("%q", got)
	}
}

func TestRunFileRunsEveryLine(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	var lines []string
	for i := range 10 {
		p := filepath.Join(dir, fmt.Sprintf("f %d", i))
		os.WriteFile(p, []byte{byte(i)}, 0o644)
		lines = append(lines, fmt.Sprintf("cp %q oss://bkt/run/%d -f", p, i))
	}
	lines = append(lines, "# a comment", "cp oss://bkt/missing "+filepath.Join(dir, "m"))
	file := filepath.Join(dir, "cmds")
	os.WriteFile(file, []byte(strings.Join(lines, "\n")), 0o644)
	r := e.run(t, "run", file, "-j", "4")
	if r.code != ExitFailed || len(e.keys(t, "run/")) != 10 || strings.Count(r.stderr, "NoSuchKey") != 1 {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	// The failing command is line 12 of the file (after ten copies and a comment): its error
	// and the closing count say so, and every line of output names its line.
	if !strings.Contains(r.stderr, "line 12: Error: oss: service returned error: StatusCode=404, ErrorCode=NoSuchKey") ||
		!strings.Contains(r.stderr, "Error: 1 of 11 commands failed: line 12\n") {
		t.Fatalf("%q", r.stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !regexp.MustCompile(`^line \d+: `).MatchString(line) {
			t.Fatalf("an output line names no line of the file: %q", line)
		}
	}
}

func TestResumableUploadSkipsStoredParts(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "big")
	data := bytes.Repeat([]byte("resume me!"), 60000) // 600,000 bytes: 6 parts of 100 KiB
	os.WriteFile(src, data, 0o644)
	ckdir := filepath.Join(dir, "ck")
	// A first run that dies after its third part: the save of the fourth fails.
	c := e.client(t)
	st, _ := os.Stat(src)
	f, _ := os.Open(src)
	saves := 0
	state := &transfer.UploadState{}
	path := checkpointPath(ckdir, src, "bkt", "big")
	os.MkdirAll(ckdir, 0o700)
	inode, ctime := fileID(st)
	ck := &checkpoint{Version: checkpointVersion, Source: src, Size: st.Size(), MtimeNs: st.ModTime().UnixNano(),
		Inode: inode, CtimeNs: ctime, Bucket: "bkt", Key: "big"}
	_, err := transfer.ResumableUpload(context.Background(), c, &oss.Request{Method: http.MethodPut, Bucket: "bkt", Key: "big", Header: http.Header{}},
		f, st.Size(), transfer.Config{PartSize: 100 << 10, Concurrency: 1}, state, func(u *transfer.UploadState) error {
			saves++
			if len(u.Parts) == 4 {
				return errors.New("crash")
			}
			ck.Upload = *u
			return writeCheckpoint(path, ck)
		}, nil)
	f.Close()
	if err == nil {
		t.Fatal("the crash did not stop the upload")
	}
	saved, err := readCheckpoint(path)
	if err != nil || len(saved.Upload.Parts) != 3 {
		t.Fatalf("checkpoint: %+v %v", saved, err)
	}
	e.count("")
	r := e.run(t, "cp", src, "oss://bkt/big", "--checkpoint-dir", ckdir, "--bigfile-threshold", "100K", "--part-size", "100K")
	if r.code != 0 || !bytes.Equal(e.get(t, "big"), data) {
		t.Fatalf("%q %q", r.stdout, r.stderr)
	}
	if n := e.count(`^PUT /bkt/big\?.*partNumber=`); n != 3 {
		t.Fatalf("resume sent %d parts, want the 3 missing", n)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("checkpoint left after success")
	}
}

func TestCancelledUploadIsAbortedAndDownloadLeavesNoFile(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "big")
	os.WriteFile(src, bytes.Repeat([]byte("z"), 3<<20), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := e.runCtx(ctx, "", "cp", src, "oss://bkt/big", "--bigfile-threshold", "1M", "--part-size", "100K")
	if r.code != ExitInterrupted || !strings.Contains(r.stderr, "interrupted") {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if r := e.run(t, "ls", "-m", "oss://bkt"); !strings.Contains(r.stdout, "UploadID Number is: 0") {
		t.Fatalf("upload left: %q", r.stdout)
	}
	e.put(t, "obj", bytes.Repeat([]byte("y"), 3<<20))
	out := filepath.Join(dir, "out")
	r = e.runCtx(ctx, "", "cp", "oss://bkt/obj", out)
	if r.code != ExitInterrupted {
		t.Fatalf("%d", r.code)
	}
	if names, _ := os.ReadDir(dir); len(names) != 1 {
		t.Fatalf("files left: %v", names)
	}
}

func mustParseTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// run's -i -k -t are one source: a line giving any key option of its own gets none of run's
// (mixed, a line's -i would sign with run's secret and run's token join the line's keys).
func TestRunLinesTakeKeysWholeFromRunOrFromThemselves(t *testing.T) {
	shared := []string{"--endpoint=ep"}
	keys := []string{"--access-key-id=AK1", "--access-key-secret=SK1", "--sts-token=TOK"}
	lines, err := readRunLines(strings.NewReader("ls oss://bkt\nls -i AK2 -k SK2 oss://bkt\nls --access-key-id=AK3 oss://bkt\n"), shared, keys)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"ls --endpoint=ep --access-key-id=AK1 --access-key-secret=SK1 --sts-token=TOK oss://bkt",
		"ls --endpoint=ep -i AK2 -k SK2 oss://bkt",
		"ls --endpoint=ep --access-key-id=AK3 oss://bkt",
	}
	for i, l := range lines {
		if got := strings.Join(l.words, " "); got != want[i] {
			t.Fatalf("line %d: %q, want %q", l.n, got, want[i])
		}
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines", len(lines))
	}
}

package cli

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/server/store"
	"github.com/pyjindo/pyjindo/go/transfer"
)

func (e *testEnv) stat(t *testing.T, key string) store.ObjectInfo {
	t.Helper()
	info, err := e.store.Stat("bkt", key)
	if err != nil {
		t.Fatalf("stat %s: %v", key, err)
	}
	return info
}

func mustRun(t *testing.T, e *testEnv, stdin string, args ...string) result {
	t.Helper()
	r := e.runCtx(context.Background(), stdin, args...)
	if r.code != 0 {
		t.Fatalf("jindo %s: exit %d\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// --meta, --acl, --storage-class and --tagging reach the stored object, whether it went up in one
// PUT or as a multipart upload (the headers ride on InitiateMultipartUpload).
func TestCpHeaderOptionsReachSimpleAndMultipartUploads(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	small, big := filepath.Join(dir, "small.txt"), filepath.Join(dir, "big.txt")
	os.WriteFile(small, []byte("small"), 0o644)
	os.WriteFile(big, bytes.Repeat([]byte("b"), 300<<10), 0o644)
	opts := []string{"--meta", "Content-Type:text/x-mine#Cache-Control:no-cache#X-Oss-Meta-Owner:me#Expires:2030-01-02T03:04:05Z",
		"--acl", "private", "--storage-class", "IA", "--tagging", "a=1&b=x y", "--bigfile-threshold", "200K", "--part-size", "100K"}
	e.count("")
	mustRun(t, e, "", append([]string{"cp", small, "oss://bkt/small.txt"}, opts...)...)
	mustRun(t, e, "", append([]string{"cp", big, "oss://bkt/big.txt"}, opts...)...)
	if n := e.count(`^POST /bkt/big.txt\?uploads`); n != 1 {
		t.Fatalf("%d initiations, want the big file's one", n)
	}
	for _, key := range []string{"small.txt", "big.txt"} {
		info := e.stat(t, key)
		if info.ContentType != "text/x-mine" || info.Headers["Cache-Control"] != "no-cache" || info.Meta["owner"] != "me" ||
			info.Headers["Expires"] != "Wed, 02 Jan 2030 03:04:05 GMT" || info.ACL != "private" || info.StorageClass != "IA" ||
			info.Tagging != "a=1&b=x+y" {
			t.Fatalf("%s stored as %+v", key, info.Attrs)
		}
	}
}

// A copy within OSS keeps the source's headers and tags unless --meta or --tagging replaces
// them; a copy in parts (sources over 1 GiB) gives the same result.
func TestCpWithinOssReplacesHeadersOnlyWhenGiven(t *testing.T) {
	e := newTestEnv(t)
	src := filepath.Join(t.TempDir(), "s.txt")
	os.WriteFile(src, bytes.Repeat([]byte("s"), 300<<10), 0o644)
	mustRun(t, e, "", "cp", src, "oss://bkt/s.txt", "--meta", "X-Oss-Meta-Old:1#Cache-Control:max-age=1", "--tagging", "t=1")
	mustRun(t, e, "", "cp", "oss://bkt/s.txt", "oss://bkt/kept.txt")
	mustRun(t, e, "", "cp", "oss://bkt/s.txt", "oss://bkt/replaced.txt", "--meta", "X-Oss-Meta-New:2", "--acl", "public-read")
	mustRun(t, e, "", "cp", "oss://bkt/s.txt", "oss://bkt/retagged.txt", "--tagging", "u=2")
	if info := e.stat(t, "kept.txt"); info.Meta["old"] != "1" || info.Headers["Cache-Control"] != "max-age=1" || info.Tagging != "t=1" {
		t.Fatalf("plain copy: %+v", info.Attrs)
	}
	if info := e.stat(t, "replaced.txt"); info.Meta["old"] != "" || info.Meta["new"] != "2" || info.Headers["Cache-Control"] != "" ||
		info.ACL != "public-read" || info.Tagging != "t=1" {
		t.Fatalf("copy with --meta: %+v", info.Attrs)
	}
	if info := e.stat(t, "retagged.txt"); info.Tagging != "u=2" || info.Meta["old"] != "1" {
		t.Fatalf("copy with --tagging: %+v", info.Attrs)
	}
	c := e.client(t)
	hdr, err := (&call{opts: &parsed{vals: map[string]string{"meta": "X-Oss-Meta-New:3", "tagging": "p=q", "storage-class": "Archive"}}, cmd: &command{name: "cp"}}).objectHeaders(false, true)
	if err != nil {
		t.Fatal(err)
	}
	req := transfer.CopyRequest{SrcBucket: "bkt", SrcKey: "s.txt", DstBucket: "bkt", DstKey: "parts.txt", Overwrite: true, Header: hdr}
	if _, err := transfer.CopyMultipart(context.Background(), c, req, 100<<10, 2, transfer.Meter{}); err != nil {
		t.Fatal(err)
	}
	if info := e.stat(t, "parts.txt"); info.Meta["old"] != "" || info.Meta["new"] != "3" || info.Tagging != "p=q" || info.StorageClass != "Archive" || info.Type != "Multipart" {
		t.Fatalf("copy in parts: %+v %s", info.Attrs, info.Type)
	}
}

func TestCpHeaderOptionsCheckedAsOssutil(t *testing.T) {
	e := newTestEnv(t)
	f := filepath.Join(t.TempDir(), "f")
	os.WriteFile(f, []byte("x"), 0o644)
	e.put(t, "o", []byte("x"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"cp", f, "oss://bkt/f", "--acl", "secret"}, "invalid acl: secret, please check"},
		{[]string{"cp", f, "oss://bkt/f", "--tagging", "a=1&&b=2"}, "tagging value is empty,maybe exist &&"},
		{[]string{"cp", f, "oss://bkt/f", "--tagging", "a=1=2"}, "tagging value error a=1=2"},
		{[]string{"cp", f, "oss://bkt/f", "--meta", "Foo:1"}, "unsupported header:Foo"},
		{[]string{"cp", f, "oss://bkt/f", "--meta", "Expires:soon"}, "Expires"},
		{[]string{"cp", f, "oss://bkt/f", "--storage-class", "Cold"}, "invalid storage class: Cold"},
		{[]string{"cp", "oss://bkt/o", f, "--tagging", "a=1"}, "No need to set tagging for download"},
		{[]string{"cp", "oss://bkt/o", f, "--acl", "private"}, "No need to set ACL for download"},
	} {
		r := e.run(t, c.args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d %q, want %q", c.args, r.code, r.stderr, c.want)
		}
	}
	if keys := e.keys(t, "f"); len(keys) != 0 {
		t.Fatalf("refused commands stored %v", keys)
	}
}

// set-meta: replace-all by default (after a question unless -f), --update merges into the
// current headers and ACL (skipping objects that have them already), --delete removes; tags
// stay; -r asks first and takes --include.
func TestSetMetaReplaceUpdateDeleteRecursive(t *testing.T) {
	e := newTestEnv(t)
	src := filepath.Join(t.TempDir(), "o.txt")
	os.WriteFile(src, []byte("x"), 0o644)
	mustRun(t, e, "", "cp", src, "oss://bkt/o.txt", "--meta", "Cache-Control:no-cache#X-Oss-Meta-A:1", "--acl", "private", "--tagging", "k=v")

	mustRun(t, e, "", "set-meta", "oss://bkt/o.txt", "X-Oss-Meta-B:2#Content-Type:text/y", "-u")
	if info := e.stat(t, "o.txt"); info.Meta["a"] != "1" || info.Meta["b"] != "2" || info.ContentType != "text/y" ||
		info.Headers["Cache-Control"] != "no-cache" || info.ACL != "private" || info.Tagging != "k=v" {
		t.Fatalf("after --update: %+v", info.Attrs)
	}
	before := e.stat(t, "o.txt").LastModified
	e.count("")
	mustRun(t, e, "", "set-meta", "oss://bkt/o.txt", "X-Oss-Meta-B:2", "--update")
	if n := e.count(`^PUT `); n != 0 || !e.stat(t, "o.txt").LastModified.Equal(before) {
		t.Fatalf("an update that changes nothing copied the object (%d PUTs)", n)
	}
	mustRun(t, e, "", "set-meta", "oss://bkt/o.txt", "X-Oss-Meta-A#Cache-Control", "--delete")
	if info := e.stat(t, "o.txt"); info.Meta["a"] != "" || info.Meta["b"] != "2" || info.Headers["Cache-Control"] != "" || info.ACL != "private" {
		t.Fatalf("after --delete: %+v", info.Attrs)
	}
	// Replace-all asks; "n" changes nothing.
	r := e.runCtx(context.Background(), "n\n", "set-meta", "oss://bkt/o.txt", "X-Oss-Meta-C:3")
	if r.code != ExitFailed || !strings.Contains(r.stderr, "operation is canceled") || e.stat(t, "o.txt").Meta["b"] != "2" {
		t.Fatalf("refused replace: %d %q", r.code, r.stderr)
	}
	mustRun(t, e, "y\n", "set-meta", "oss://bkt/o.txt", "X-Oss-Meta-C:3")
	if info := e.stat(t, "o.txt"); len(info.Meta) != 1 || info.Meta["c"] != "3" || info.ContentType != "application/octet-stream" || info.Tagging != "k=v" {
		t.Fatalf("after replace: %+v", info.Attrs)
	}
	if r := e.run(t, "set-meta", "oss://bkt/o.txt", "X-Oss-Meta-C:3", "-u", "--delete"); r.code != ExitUsage {
		t.Fatalf("--update with --delete: %d %q", r.code, r.stderr)
	}
	if r := e.run(t, "set-meta", "oss://bkt/o.txt", "X-Oss-Meta-C:3", "--delete"); r.code != ExitUsage || !strings.Contains(r.stderr, "please set value:3 to empty") {
		t.Fatalf("--delete with a value: %d %q", r.code, r.stderr)
	}

	for _, k := range []string{"p/a.jpg", "p/b.txt", "p/c/d.jpg"} {
		e.put(t, k, []byte("x"))
	}
	r = e.runCtx(context.Background(), "n\n", "set-meta", "oss://bkt/p/", "X-Oss-Meta-R:1", "-r", "-u")
	if r.code != 0 || !strings.Contains(r.stderr, "(y or N)?") || e.stat(t, "p/a.jpg").Meta["r"] != "" {
		t.Fatalf("declined -r: %d %q", r.code, r.stderr)
	}
	r = mustRun(t, e, "y\n", "set-meta", "oss://bkt/p/", "X-Oss-Meta-R:1", "-r", "-u", "--include", "*.jpg")
	if !strings.Contains(r.stdout, "Succeed: Total 2 objects. Setted meta on 2 objects(skip 0 objects).") {
		t.Fatalf("summary %q", r.stdout)
	}
	if e.stat(t, "p/a.jpg").Meta["r"] != "1" || e.stat(t, "p/c/d.jpg").Meta["r"] != "1" || e.stat(t, "p/b.txt").Meta["r"] != "" {
		t.Fatal("--include *.jpg was not what changed")
	}
}

func TestRestoreOneRecursiveAndWithDocument(t *testing.T) {
	e := newTestEnv(t)
	for _, k := range []string{"cold/a", "cold/b"} {
		if _, err := e.store.Put("bkt", k, strings.NewReader("x"), store.Attrs{StorageClass: "Archive"}, store.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	e.put(t, "cold/hot", []byte("x"))
	mustRun(t, e, "", "restore", "oss://bkt/cold/a")
	mustRun(t, e, "", "restore", "oss://bkt/cold/a") // under way: done, as in ossutil
	if e.stat(t, "cold/a").RestoreExpiry.IsZero() {
		t.Fatal("not restored")
	}
	doc := filepath.Join(t.TempDir(), "r.xml")
	os.WriteFile(doc, []byte("<RestoreRequest><Days>3</Days></RestoreRequest>"), 0o644)
	mustRun(t, e, "", "restore", "oss://bkt/cold/b", doc)
	if info := e.stat(t, "cold/b"); info.RestoreExpiry.Sub(info.RestoreReady) != 72*time.Hour {
		t.Fatalf("restored for %v, want the document's 3 days", info.RestoreExpiry.Sub(info.RestoreReady))
	}
	r := e.run(t, "restore", "oss://bkt/cold/", "-r", "-f")
	if r.code != ExitFailed || !strings.Contains(r.stdout, "FinishWithError: Total 3 objects. Restore 2 objects(skip 0 objects), Error 1 objects.") ||
		!strings.Contains(r.stderr, "OperationNotSupported") {
		t.Fatalf("restore -r: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if r := e.run(t, "restore", "oss://bkt/"); r.code != ExitUsage {
		t.Fatalf("restore of a bucket without -r: %d", r.code)
	}
}

// --encoding-type url: object names in oss:// arguments (and cp's local paths) are URL-encoded;
// a bucket name is not.
func TestEncodingTypeURLDecodesObjectNames(t *testing.T) {
	e := newTestEnv(t)
	const name, enc = "中文 a+b.txt", "%E4%B8%AD%E6%96%87%20a%2Bb.txt"
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "local file"), []byte("data"), 0o644)
	mustRun(t, e, "", "cp", filepath.Join(dir, "local%20file"), "oss://bkt/"+enc, "--encoding-type", "url")
	if string(e.get(t, name)) != "data" {
		t.Fatal("upload did not decode")
	}
	if r := mustRun(t, e, "", "stat", "oss://bkt/"+enc, "--encoding-type", "url"); !strings.Contains(r.stdout, "Content-Length") {
		t.Fatalf("stat: %q", r.stdout)
	}
	if r := mustRun(t, e, "", "ls", "oss://bkt/%E4%B8%AD", "--encoding-type", "url", "-s"); !strings.Contains(r.stdout, "oss://bkt/"+name) {
		t.Fatalf("ls: %q", r.stdout)
	}
	mustRun(t, e, "", "set-meta", "oss://bkt/"+enc, "X-Oss-Meta-E:1", "-u", "--encoding-type", "url")
	if e.stat(t, name).Meta["e"] != "1" {
		t.Fatal("set-meta did not decode")
	}
	mustRun(t, e, "", "cp", "oss://bkt/"+enc, filepath.Join(dir, "back%2Btoo"), "--encoding-type", "url")
	if b, _ := os.ReadFile(filepath.Join(dir, "back+too")); string(b) != "data" {
		t.Fatal("download did not decode the local path")
	}
	if r := e.run(t, "ls", "oss://b%6Bt", "--encoding-type", "url"); r.code != ExitUsage || !strings.Contains(r.stderr, "bucket url do not support --encoding-type option") {
		t.Fatalf("encoded bucket: %d %q", r.code, r.stderr)
	}
	if r := e.run(t, "stat", "oss://bkt/%zz", "--encoding-type", "url"); r.code != ExitUsage || !strings.Contains(r.stderr, "object name is not url encoded") {
		t.Fatalf("bad escape: %d %q", r.code, r.stderr)
	}
	mustRun(t, e, "", "rm", "oss://bkt/"+enc, "--encoding-type", "url")
	if len(e.keys(t, "")) != 0 {
		t.Fatal("rm did not decode")
	}
}

// --loglevel info: a line per request and per retry on stderr; debug adds headers but never
// the signature.
func TestLogLevelLinesPerRequestAndRetry(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "k", []byte("x"))
	var failed atomic.Bool
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodHead && !failed.Swap(true) {
			w.Header().Set("x-oss-request-id", "FAILED1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	r := mustRun(t, e, "", "stat", "oss://bkt/k", "--loglevel", "info")
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "HEAD bkt/k 503 request-id=FAILED1") ||
		!strings.Contains(lines[1], "retry HEAD bkt/k: attempt 1 of 3 failed") || !strings.Contains(lines[1], "next attempt in") ||
		!strings.Contains(lines[2], "HEAD bkt/k 200 request-id=") || !strings.HasPrefix(lines[2], "[info] ") {
		t.Fatalf("log:\n%s", r.stderr)
	}
	r = mustRun(t, e, "", "stat", "oss://bkt/k", "--loglevel", "debug")
	if !strings.Contains(r.stderr, "> Authorization: <redacted>") || strings.Contains(r.stderr, "OSS ak:") || !strings.Contains(r.stderr, "< X-Oss-Request-Id:") {
		t.Fatalf("debug log:\n%s", r.stderr)
	}
	if r := mustRun(t, e, "", "stat", "oss://bkt/k"); r.stderr != "" {
		t.Fatalf("no --loglevel, yet stderr: %q", r.stderr)
	}
	if r := e.run(t, "stat", "oss://bkt/k", "--loglevel", "trace"); r.code != ExitUsage {
		t.Fatalf("--loglevel trace: %d", r.code)
	}
	// A multipart upload's parts retry in go/transfer's loop: logged too.
	var partFailed atomic.Bool
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Query().Get("partNumber") == "2" && !partFailed.Swap(true) {
			w.WriteHeader(http.StatusInternalServerError)
			return true
		}
		return false
	})
	big := filepath.Join(t.TempDir(), "big")
	os.WriteFile(big, bytes.Repeat([]byte("p"), 300<<10), 0o644)
	r = mustRun(t, e, "", "cp", big, "oss://bkt/big", "--bigfile-threshold", "200K", "--part-size", "100K", "--loglevel", "info")
	if !strings.Contains(r.stderr, "retry a part: attempt 1 of 3 failed") || !regexp.MustCompile(`PUT bkt/big\?uploadId=\S+&partNumber=2 500`).MatchString(r.stderr) ||
		!strings.Contains(r.stderr, "POST bkt/big?uploads 200") || strings.Count(r.stderr, "&partNumber=2 200") != 1 {
		t.Fatalf("multipart log:\n%s", r.stderr)
	}
}

// --maxupspeed and --maxdownspeed are KB/s (1024 bytes) for the whole command.
func TestMaxUpAndDownSpeedBoundTheCommand(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a": strings.Repeat("a", 256<<10), "b": strings.Repeat("b", 256<<10)})
	start := time.Now()
	mustRun(t, e, "", "cp", "-r", dir, "oss://bkt/t/", "--maxupspeed", "256", "-j", "2")
	// 512 KiB at 256 KiB/s, both files at once, after a 64 KiB burst: 1.75 s.
	if d := time.Since(start); d < 1500*time.Millisecond || d > 10*time.Second {
		t.Fatalf("upload took %v, want about 1.75s", d)
	}
	start = time.Now()
	mustRun(t, e, "", "cp", "-r", "oss://bkt/t/", filepath.Join(dir, "back"), "--maxdownspeed", "256", "-j", "2")
	if d := time.Since(start); d < 1500*time.Millisecond || d > 10*time.Second {
		t.Fatalf("download took %v, want about 1.75s", d)
	}
	if r := e.run(t, "cp", "-r", dir, "oss://bkt/t/", "--maxupspeed", "-1"); r.code != ExitUsage || !strings.Contains(r.stderr, "less than 0") {
		t.Fatalf("negative speed: %d %q", r.code, r.stderr)
	}
}

// --snapshot-path: a rerun skips what was transferred and is unchanged, without asking OSS; a
// changed file goes again; a torn last record (a crash) is ignored.
func TestSnapshotSkipsUnchangedFilesAndObjects(t *testing.T) {
	e := newTestEnv(t)
	dir, snap := t.TempDir(), filepath.Join(t.TempDir(), "snap")
	writeTree(t, dir, map[string]string{"a": "1", "sub/b": "2"})
	mustRun(t, e, "", "cp", "-r", dir, "oss://bkt/s/", "--snapshot-path", snap)
	e.count("")
	r := mustRun(t, e, "", "cp", "-r", dir, "oss://bkt/s/", "--snapshot-path", snap)
	if n := e.count(""); n != 0 || !strings.Contains(r.stdout, "skip 2 files") {
		t.Fatalf("rerun sent %d requests: %q", n, r.stdout)
	}
	past := time.Now().Add(-time.Hour)
	os.Chtimes(filepath.Join(dir, "a"), past, past)
	mustRun(t, e, "", "cp", "-r", dir, "oss://bkt/s/", "--snapshot-path", snap)
	if n := e.count(`^PUT /bkt/s/`); n != 1 {
		t.Fatalf("%d uploads after one file changed, want 1", n)
	}
	// A crash mid-record leaves a partial line: it is ignored and the file is rewritten whole.
	f, _ := os.OpenFile(filepath.Join(snap, snapshotFile), os.O_WRONLY|os.O_APPEND, 0)
	f.WriteString(`{"k":"torn`)
	f.Close()
	mustRun(t, e, "", "cp", "-r", dir, "oss://bkt/s/", "--snapshot-path", snap)
	if n := e.count(`^PUT `); n != 0 {
		t.Fatalf("%d uploads after a torn record", n)
	}
	if b, _ := os.ReadFile(filepath.Join(snap, snapshotFile)); bytes.Contains(b, []byte("torn")) || bytes.Count(b, []byte("\n")) != 2 {
		t.Fatalf("snapshot file not rewritten: %q", b)
	}

	out, dsnap := filepath.Join(t.TempDir(), "out"), filepath.Join(t.TempDir(), "dsnap")
	mustRun(t, e, "", "cp", "-r", "oss://bkt/s/", out, "--snapshot-path", dsnap)
	e.count("")
	mustRun(t, e, "", "cp", "-r", "oss://bkt/s/", out, "--snapshot-path", dsnap)
	if n := e.count(`^GET /bkt/s/`); n != 0 {
		t.Fatalf("rerun downloaded %d objects", n)
	}
	os.Remove(filepath.Join(out, "a"))
	mustRun(t, e, "", "cp", "-r", "oss://bkt/s/", out, "--snapshot-path", dsnap)
	if b, _ := os.ReadFile(filepath.Join(out, "a")); string(b) != "1" {
		t.Fatal("a removed file was not downloaded again")
	}
	if r := e.run(t, "cp", "-r", "oss://bkt/s/", "oss://bkt/x/", "--snapshot-path", dsnap); r.code != ExitUsage ||
		!strings.Contains(r.stderr, "CopyObject doesn't support option --snapshot-path") {
		t.Fatalf("copy with a snapshot: %d %q", r.code, r.stderr)
	}
}

func TestHelpListsNewCommandsAndOptions(t *testing.T) {
	var b bytes.Buffer
	Usage(&b)
	for _, name := range []string{"set-meta", "restore"} {
		if !strings.Contains(b.String(), "  "+name+" ") {
			t.Errorf("jindo -h lacks %s:\n%s", name, b.String())
		}
	}
	e := newTestEnv(t)
	r := mustRun(t, e, "", "cp", "-h")
	for _, o := range []string{"--meta", "--acl", "--storage-class", "--tagging", "--encoding-type", "--loglevel", "--maxupspeed", "--maxdownspeed", "--snapshot-path"} {
		if !strings.Contains(r.stdout, o+" VALUE") {
			t.Errorf("cp -h lacks %s", o)
		}
	}
}

// sync takes cp's object options (ossutil's sync is its cp): the headers reach every object it
// uploads or copies, --encoding-type decodes both arguments, and --snapshot-path skips what was
// synced without making it look extra to --delete.
func TestSyncTakesCpsObjectOptions(t *testing.T) {
	e := newTestEnv(t)
	root := t.TempDir()
	dir := filepath.Join(root, "a b")
	writeTree(t, dir, map[string]string{"x.txt": "1", "sub/y.txt": "2"})
	mustRun(t, e, "", "sync", filepath.Join(root, "a%20b"), "oss://bkt/%E4%B8%AD/", "--encoding-type", "url",
		"--meta", "Cache-Control:no-cache#X-Oss-Meta-Owner:me", "--acl", "private", "--storage-class", "IA", "--tagging", "k=v")
	for _, key := range []string{"中/x.txt", "中/sub/y.txt"} {
		info := e.stat(t, key)
		if info.Headers["Cache-Control"] != "no-cache" || info.Meta["owner"] != "me" || info.ACL != "private" ||
			info.StorageClass != "IA" || info.Tagging != "k=v" {
			t.Fatalf("%s stored as %+v", key, info.Attrs)
		}
	}
	mustRun(t, e, "", "sync", "oss://bkt/中/", "oss://bkt/copy/", "--meta", "X-Oss-Meta-Owner:you", "--acl", "public-read")
	if info := e.stat(t, "copy/sub/y.txt"); info.Meta["owner"] != "you" || info.ACL != "public-read" {
		t.Fatalf("copy stored as %+v", info.Attrs)
	}
	if r := e.run(t, "sync", "oss://bkt/中/", filepath.Join(root, "down"), "--acl", "private"); r.code != ExitUsage ||
		!strings.Contains(r.stderr, "No need to set ACL for download") {
		t.Fatalf("download with --acl: %d %q", r.code, r.stderr)
	}

	snap := filepath.Join(root, "snap")
	mustRun(t, e, "", "sync", dir, "oss://bkt/s/", "--snapshot-path", snap)
	e.store.Put("bkt", "s/extra", strings.NewReader("x"), store.Attrs{}, store.PutOptions{})
	e.count("")
	r := mustRun(t, e, "", "sync", dir, "oss://bkt/s/", "--snapshot-path", snap, "--delete", "-f")
	if n := e.count(`^(PUT|GET /bkt/s/|HEAD)`); n != 0 || !strings.Contains(r.stdout, "skip 2 files") {
		t.Fatalf("rerun sent %d requests: %q", n, r.stdout)
	}
	if _, err := e.store.Stat("bkt", "s/extra"); err == nil {
		t.Fatal("the extra object was kept")
	}
	for _, key := range []string{"s/x.txt", "s/sub/y.txt"} {
		e.stat(t, key) // skipped by the snapshot, not deleted as extra
	}
}

package cli

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// srcTree is the local tree the source-spelling tests upload.
var srcTree = map[string]string{"a.txt": "alpha", "d/b.txt": "beta"}

func TestUploadKeysDoNotDependOnHowTheSourceIsSpelled(t *testing.T) {
	e := newTestEnv(t)
	parent := t.TempDir()
	src := filepath.Join(parent, "src")
	writeTree(t, src, srcTree)
	if err := os.Mkdir(filepath.Join(src, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		name, dir, arg string // dir: the working directory, "" to keep it
	}{
		{"trailing slash", "", src + "/"},
		{"dot slash", parent, "./src"},
		{"dot slash with trailing slash", parent, "./src/"},
		{"dot", src, "."},
		{"absolute with ..", "", filepath.Join(src, "sub") + "/.."},
	} {
		if tc.dir != "" {
			t.Chdir(tc.dir)
		}
		prefix := strings.Repeat("p", i+1) + "/"
		r := e.run(t, "cp", "-r", tc.arg, "oss://bkt/"+prefix)
		if r.code != 0 {
			t.Fatalf("%s: %d %q", tc.name, r.code, r.stderr)
		}
		want := []string{prefix + "a.txt", prefix + "d/b.txt", prefix + "sub/"}
		if got := e.keys(t, prefix); !slices.Equal(got, want) {
			t.Errorf("%s (%s): keys %q, want %q", tc.name, tc.arg, got, want)
		}
	}
}

func TestSyncDeleteAfterASyncWithAnotherSpellingDeletesNothing(t *testing.T) {
	e := newTestEnv(t)
	parent := t.TempDir()
	writeTree(t, filepath.Join(parent, "src"), srcTree)
	t.Chdir(parent)
	want := []string{"s/a.txt", "s/d/b.txt"}
	for _, arg := range []string{"src", "src/", "./src", filepath.Join(parent, "src", "d", "..")} {
		r := e.run(t, "sync", arg, "oss://bkt/s/", "--delete", "-f")
		if r.code != 0 {
			t.Fatalf("sync %s: %d %q", arg, r.code, r.stderr)
		}
		if got := e.keys(t, ""); !slices.Equal(got, want) {
			t.Fatalf("after sync %s: keys %q, want %q", arg, got, want)
		}
		if strings.Contains(r.stdout, "Deleted") {
			t.Fatalf("sync %s deleted objects: %q", arg, r.stdout)
		}
	}
	if string(e.get(t, "s/d/b.txt")) != "beta" {
		t.Fatal("content")
	}
}

// siblings puts objects under "dir/" and beside it under names that also start with "dir".
func siblings(t *testing.T, e *testEnv) {
	e.put(t, "dir/file", []byte("in dir"))
	e.put(t, "dirfile", []byte("sibling file"))
	e.put(t, "dir2/only.txt", []byte("sibling dir"))
}

func TestRecursiveDownloadOfAPrefixWithoutSlashKeepsSiblingNames(t *testing.T) {
	e := newTestEnv(t)
	siblings(t, e)
	dl := t.TempDir()
	if r := e.run(t, "cp", "-r", "oss://bkt/dir", dl); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	// As ossutil: the name after the prefix's last "/", here the whole key.
	for name, data := range map[string]string{"dir/file": "in dir", "dirfile": "sibling file", "dir2/only.txt": "sibling dir"} {
		if b, err := os.ReadFile(filepath.Join(dl, filepath.FromSlash(name))); err != nil || string(b) != data {
			t.Errorf("%s: %q %v", name, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dl, "file")); err == nil {
		t.Error("a sibling landed under a mangled name")
	}
	// With the slash, only what is under the prefix, named relative to it.
	dl2 := t.TempDir()
	if r := e.run(t, "cp", "-r", "oss://bkt/dir/", dl2); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if names := dirNames(t, dl2); !slices.Equal(names, []string{"file"}) {
		t.Fatalf("%q", names)
	}
}

func TestRecursiveCopyOfAPrefixWithoutSlashKeepsSiblingNames(t *testing.T) {
	e := newTestEnv(t)
	siblings(t, e)
	if r := e.run(t, "cp", "-r", "oss://bkt/dir", "oss://bkt/out/"); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if got, want := e.keys(t, "out/"), []string{"out/dir/file", "out/dir2/only.txt", "out/dirfile"}; !slices.Equal(got, want) {
		t.Fatalf("keys %q, want %q", got, want)
	}
}

func TestSyncAppendsTheSlashToPrefixes(t *testing.T) {
	e := newTestEnv(t)
	siblings(t, e)
	r := e.run(t, "sync", "--delete", "-f", "oss://bkt/dir", "oss://bkt/dir2")
	if r.code != 0 {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	// dir2/ is made like dir/: its one object, with dir/file's content (not dirfile's).
	if got, want := e.keys(t, ""), []string{"dir/file", "dir2/file", "dirfile"}; !slices.Equal(got, want) {
		t.Fatalf("keys %q, want %q", got, want)
	}
	if b := e.get(t, "dir2/file"); string(b) != "in dir" {
		t.Fatalf("dir2/file holds %q", b)
	}
	dl := t.TempDir()
	if r := e.run(t, "sync", "oss://bkt/dir", dl); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if names := dirNames(t, dl); !slices.Equal(names, []string{"file"}) {
		t.Fatalf("%q", names)
	}
}

func TestSyncRefusesAFileSource(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "dir/a", []byte("a"))
	e.put(t, "dir/b", []byte("b"))
	file := filepath.Join(t.TempDir(), "one")
	os.WriteFile(file, []byte("x"), 0o644)
	for _, dst := range []string{"oss://bkt/dir", "oss://bkt/dir/"} {
		r := e.run(t, "sync", "--delete", file, dst)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "not a directory") {
			t.Fatalf("%s: %d %q", dst, r.code, r.stderr)
		}
	}
	if got := e.keys(t, ""); !slices.Equal(got, []string{"dir/a", "dir/b"}) {
		t.Fatalf("keys %q", got)
	}
}

func TestRecursiveCopyRefusesOverlappingPrefixes(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "rec/a", []byte("a"))
	e.put(t, "rec/z/b", []byte("b"))
	for _, args := range [][]string{
		{"cp", "-r", "oss://bkt/rec/", "oss://bkt/rec/z/"},
		{"cp", "-r", "oss://bkt/rec", "oss://bkt/rec2/"}, // "rec" lists "rec2/..." too
		{"cp", "-r", "oss://bkt/rec/z/", "oss://bkt/rec/"},
		{"cp", "-r", "oss://bkt/rec/", "oss://bkt/rec"},
		{"cp", "-r", "oss://bkt/", "oss://bkt/copy/"},
		{"sync", "oss://bkt/rec", "oss://bkt/rec/z"},
	} {
		r := e.run(t, args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "is inside") {
			t.Errorf("%q: %d %q", args, r.code, r.stderr)
		}
	}
	if got := e.keys(t, ""); !slices.Equal(got, []string{"rec/a", "rec/z/b"}) {
		t.Fatalf("keys %q", got)
	}
	// Another bucket, or prefixes apart, are fine; so is copying one object beside itself.
	if r := e.run(t, "cp", "-r", "oss://bkt/rec/", "oss://bkt/other/"); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if r := e.run(t, "cp", "oss://bkt/rec/a", "oss://bkt/rec/a2"); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestRmRecursivePromptWarnsThatAPrefixWithoutSlashMatchesSiblings(t *testing.T) {
	e := newTestEnv(t)
	siblings(t, e)
	r := e.runCtx(t.Context(), "n\n", "rm", "-r", "oss://bkt/dir")
	if r.code != 0 || !strings.Contains(r.stderr, `such as "dir2/x" and "dirfile"`) || len(e.keys(t, "")) != 3 {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if r := e.runCtx(t.Context(), "n\n", "rm", "-r", "oss://bkt/dir/"); strings.Contains(r.stderr, "Note:") {
		t.Fatalf("%q", r.stderr)
	}
	if r := e.run(t, "rm", "--help"); !strings.Contains(r.stdout, "dir2/... and dirfile") {
		t.Fatalf("%q", r.stdout)
	}
}

func TestCpDownloadIntoAFIFOKeepsTheFIFO(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "o", []byte("through the pipe"))
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	if r := e.run(t, "cp", "-f", "oss://bkt/o", fifo); r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	st, err := os.Lstat(fifo)
	if err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO was replaced: %v %v", st.Mode(), err)
	}
	if b := <-got; string(b) != "through the pipe" {
		t.Fatalf("%q", b)
	}
}

func TestRunPutsSharedOptionsBeforeTheLinesOwnAndGivesNoStdin(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	os.WriteFile(file, []byte("x"), 0o644)
	runFile := func(lines ...string) string {
		p := filepath.Join(dir, "cmds")
		os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
		return p
	}
	// A "--" in the line: run's options must not become arguments after it.
	if r := e.run(t, "run", runFile("cp -f -- "+file+" oss://bkt/dashes"), "-i", "ak", "-k", "sk"); r.code != 0 {
		t.Fatalf("--: %d %q %q", r.code, r.stdout, r.stderr)
	}
	// The line's own keys win over run's, whole (a line's -k alone is refused, as on its own).
	if r := e.run(t, "run", runFile("cp -f "+file+" oss://bkt/own -i ak -k sk"), "-i", "ak", "-k", "wrong"); r.code != 0 {
		t.Fatalf("own option: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if got := e.keys(t, ""); !slices.Equal(got, []string{"dashes", "own"}) {
		t.Fatalf("keys %q", got)
	}
	// run's stdin is not the commands' stdin: rm -r's question reads no answer.
	e.put(t, "del/a", nil)
	if r := e.runCtx(t.Context(), "y\ny\n", "run", runFile("rm -r oss://bkt/del/")); r.code != 0 || len(e.keys(t, "del/")) != 1 {
		t.Fatalf("rm read run's stdin: %d %q %q", r.code, r.stdout, r.stderr)
	}
	// cp - has no data to read under run: an error, not an empty object.
	if r := e.runCtx(t.Context(), "data", "run", runFile("cp - oss://bkt/fromstdin")); r.code != ExitFailed ||
		!strings.Contains(r.stderr, "not available") || len(e.keys(t, "fromstdin")) != 0 {
		t.Fatalf("cp - under run: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestRmAndSyncPrintEachKeyABatchDeleteRefused(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "del/a", nil)
	e.put(t, "del/b c", nil)
	// The server answers batch deletes as OSS does when a policy protects one key.
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || !r.URL.Query().Has("delete") {
			return false
		}
		w.Header().Set("Content-Type", "application/xml")
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><DeleteResult><EncodingType>url</EncodingType>`+
			`<Deleted><Key>del%2Fa</Key></Deleted>`+
			`<Error><Key>del%2Fb%20c</Key><Code>AccessDenied</Code><Message>denied by policy</Message></Error></DeleteResult>`)
		return true
	})
	r := e.run(t, "rm", "-r", "-f", "oss://bkt/del/")
	if r.code != ExitFailed || !strings.Contains(r.stderr, `oss://bkt/del/b c: ErrorCode=AccessDenied, ErrorMessage="denied by policy"`) ||
		!strings.Contains(r.stdout, "Removed 1 objects") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	r = e.run(t, "sync", "--delete", "-f", t.TempDir(), "oss://bkt/del/")
	if r.code != ExitFailed || !strings.Contains(r.stderr, `oss://bkt/del/b c: ErrorCode=AccessDenied`) {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
}

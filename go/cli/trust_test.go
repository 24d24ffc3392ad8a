package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

func (e *testEnv) runInteractive(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errs bytes.Buffer
	code := Run(context.Background(), args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errs, Home: e.home,
		Getenv: func(string) string { return "" }, Interactive: true})
	return result{code, out.String(), errs.String()}
}

func TestSyncDeleteListsAndDeletesNothingWithoutConsent(t *testing.T) {
	e := newTestEnv(t)
	src := t.TempDir()
	writeTree(t, src, map[string]string{"keep": "k"})
	e.put(t, "s/extra1", []byte("x"))
	e.put(t, "s/extra2", []byte("y"))
	all := "s/extra1|s/extra2|s/keep"

	// No terminal and no -f: nobody can answer, so nothing is deleted and the user is told how.
	r := e.run(t, "sync", src, "oss://bkt/s/", "--delete")
	if r.code != ExitFailed || !strings.Contains(r.stderr, "oss://bkt/s/extra1") || !strings.Contains(r.stderr, "-f") {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if got := strings.Join(e.keys(t, "s/"), "|"); got != all {
		t.Fatalf("deleted without consent: %q", got)
	}
	// A terminal answering no (or nothing) deletes nothing either.
	for _, answer := range []string{"n\n", "\n", ""} {
		r = e.runInteractive(t, answer, "sync", src, "oss://bkt/s/", "--delete")
		if r.code != ExitFailed || !strings.Contains(r.stderr, "Delete these 2 objects (y or N)?") {
			t.Fatalf("answer %q: %d %q", answer, r.code, r.stderr)
		}
		if got := strings.Join(e.keys(t, "s/"), "|"); got != all {
			t.Fatalf("answer %q deleted: %q", answer, got)
		}
	}
	// A dry run says exactly what would go, and deletes nothing.
	r = e.run(t, "sync", src, "oss://bkt/s/", "--delete", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "would delete oss://bkt/s/extra1\nwould delete oss://bkt/s/extra2\n") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	if got := strings.Join(e.keys(t, "s/"), "|"); got != all {
		t.Fatalf("a dry run deleted: %q", got)
	}
	// "y" on a terminal deletes them.
	r = e.runInteractive(t, "y\n", "sync", src, "oss://bkt/s/", "--delete")
	if r.code != 0 || !strings.Contains(r.stdout, "Deleted 2 objects.") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	if got := strings.Join(e.keys(t, "s/"), "|"); got != "s/keep" {
		t.Fatalf("%q", got)
	}
}

func TestSyncDeleteToADirectoryMovesFilesToTheBackupDir(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "s/keep", []byte("k"))
	dst, backup := t.TempDir(), t.TempDir()
	writeTree(t, dst, map[string]string{"keep": "k", "sub/extra": "precious"})
	r := e.run(t, "sync", "oss://bkt/s/", dst, "--delete", "-f")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "--backup-dir") {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	r = e.run(t, "sync", "oss://bkt/s/", dst, "--delete", "-f", "--backup-dir", filepath.Join(dst, "bak"))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "inside the destination") {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dst, "sub", "extra")); string(b) != "precious" {
		t.Fatal("a refused sync touched the file")
	}
	r = e.run(t, "sync", "oss://bkt/s/", dst, "--delete", "-f", "--backup-dir", backup)
	if r.code != 0 || !strings.Contains(r.stdout, "Moved 1 files to "+backup) {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dst, "sub", "extra")); !os.IsNotExist(err) {
		t.Fatal("the extra file is still in the destination")
	}
	if b, _ := os.ReadFile(filepath.Join(backup, "sub", "extra")); string(b) != "precious" {
		t.Fatal("the extra file is not in the backup directory under its relative path")
	}
}

// A wrong secret on a tree of 200 files: one request finds it out, one error is printed, and
// the summary neither says Succeed nor counts bytes that were refused.
func TestAWrongSecretStopsTheJobAtTheFirstRequest(t *testing.T) {
	e := newTestEnv(t)
	src := t.TempDir()
	files := map[string]string{}
	for i := range 200 {
		files[fmt.Sprintf("f%03d", i)] = strings.Repeat("x", 1000)
	}
	writeTree(t, src, files)
	e.count("")
	r := e.run(t, "cp", "-r", "-f", src, "oss://bkt/up/", "-i", "ak", "-k", "wrong")
	if r.code != ExitFailed {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if n := e.count(""); n > 2 {
		t.Fatalf("%d requests sent with a wrong secret", n)
	}
	if n := strings.Count(r.stderr, "SignatureDoesNotMatch"); n != 1 {
		t.Fatalf("the error is printed %d times: %q", n, r.stderr)
	}
	if !strings.Contains(r.stdout, "Stopped:") || !strings.Contains(r.stdout, "Transfer size: 0.") || strings.Contains(r.stdout, "average speed") {
		t.Fatalf("%q", r.stdout)
	}
}

// An error about one object (here a 404 on its GET) is reported and the rest go on; with
// --disable-ignore-error the first one ends the job.
func TestAnItemErrorGoesOnUnlessDisableIgnoreError(t *testing.T) {
	e := newTestEnv(t)
	for i := range 20 {
		e.put(t, fmt.Sprintf("d/%02d", i), []byte("data"))
	}
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/d/05") {
			w.Header().Set("x-oss-request-id", "gone")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, "<Error><Code>NoSuchKey</Code><Message>gone</Message><RequestId>gone</RequestId></Error>")
			return true
		}
		return false
	})
	dst := t.TempDir()
	r := e.run(t, "cp", "-r", "oss://bkt/d/", dst, "-j", "1")
	if r.code != ExitFailed || !strings.Contains(r.stdout, "FinishWithError: Scanned 20 objects. Error num: 1. OK num: 19") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	dst = t.TempDir()
	r = e.run(t, "cp", "-r", "oss://bkt/d/", dst, "-j", "1", "--disable-ignore-error")
	names, _ := os.ReadDir(dst)
	if r.code != ExitFailed || !strings.Contains(r.stdout, "Stopped:") || len(names) > 6 {
		t.Fatalf("%d %d files %q %q", r.code, len(names), r.stdout, r.stderr)
	}
}

func TestAnInterruptedCopySaysSoAndExits130(t *testing.T) {
	e := newTestEnv(t)
	src := t.TempDir()
	files := map[string]string{}
	for i := range 50 {
		files[fmt.Sprintf("f%02d", i)] = "content"
	}
	writeTree(t, src, files)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var puts atomic.Int32
	e.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut && puts.Add(1) == 10 {
			cancel()
		}
		return false
	})
	r := e.runCtx(ctx, "", "cp", "-r", "-f", src, "oss://bkt/i/", "-j", "1")
	if r.code != ExitInterrupted || !strings.Contains(r.stdout, "Interrupted: Scanned") || strings.Contains(r.stdout, "Succeed") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
}

func TestDryRunsSayWhatWouldHappen(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "obj", []byte("data"))
	out := filepath.Join(t.TempDir(), "out")
	r := e.run(t, "cp", "oss://bkt/obj", out, "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "would download oss://bkt/obj -> "+out) ||
		!strings.Contains(r.stdout, "Dry run: Total num: 1") || !strings.Contains(r.stdout, "Nothing was changed.") {
		t.Fatalf("%d %q", r.code, r.stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatal("a dry run wrote the file")
	}
}

func TestRmOfAMissingKeyRemovesNothing(t *testing.T) {
	e := newTestEnv(t)
	r := e.run(t, "rm", "oss://bkt/missing")
	if r.code != 0 || !strings.Contains(r.stdout, "Removed 0 objects.") || !strings.Contains(r.stderr, "does not exist") {
		t.Fatalf("%d %q %q", r.code, r.stdout, r.stderr)
	}
	e.put(t, "there", []byte("x"))
	if r = e.run(t, "rm", "oss://bkt/there"); !strings.Contains(r.stdout, "Removed 1 objects.") {
		t.Fatalf("%q", r.stdout)
	}
}

// A part whose bytes arrive corrupted is fetched again, as the SDK's downloads do, instead of
// failing the file.
func TestCpDownloadRepairsACorruptedPart(t *testing.T) {
	e := newTestEnv(t)
	data := bytes.Repeat([]byte("0123456789abcdef"), 3*100<<10/16+100) // 3 parts of 100 KiB and a bit
	e.put(t, "obj", data)
	var corrupted atomic.Int32
	e.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Header.Get("Range"), "bytes=102400-") && corrupted.Add(1) == 1 {
			r.Header.Set("x-jindo-fault", "corrupt")
		}
		return false
	})
	out := filepath.Join(t.TempDir(), "out")
	r := e.run(t, "cp", "oss://bkt/obj", out, "--part-size", "100K")
	if r.code != 0 {
		t.Fatalf("%d %q", r.code, r.stderr)
	}
	if corrupted.Load() < 2 {
		t.Fatalf("the corrupted part was fetched %d times", corrupted.Load())
	}
	if b, _ := os.ReadFile(out); !bytes.Equal(b, data) {
		t.Fatal("the file differs from the object")
	}
}

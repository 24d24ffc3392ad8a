package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Edge cases found in review: each test shows a defect the code once had.

// checkBackupDir refuses a backup directory inside the destination by testing whether the
// relative path starts with "..": a directory inside the destination whose name starts with ".."
// ("..bak") passes, and the next sync moves the backup's own files into the backup again.
func TestSyncRefusesABackupDirInsideTheDestinationNamedDotDotSomething(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "s/keep", []byte("k"))
	dst := t.TempDir()
	writeTree(t, dst, map[string]string{"keep": "k", "extra": "x"})
	r := e.run(t, "sync", "oss://bkt/s/", dst, "--delete", "-f", "--backup-dir", filepath.Join(dst, "..bak"))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "inside the destination") {
		t.Fatalf("a backup dir inside the destination was accepted: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// checkBackupDir compares paths made absolute but not resolved: a backup directory reached
// through a symlink into the destination is accepted.
func TestSyncRefusesABackupDirThatIsASymlinkIntoTheDestination(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "s/keep", []byte("k"))
	dst := t.TempDir()
	writeTree(t, dst, map[string]string{"keep": "k", "extra": "x", "inner/": ""})
	link := filepath.Join(t.TempDir(), "bak")
	if err := os.Symlink(filepath.Join(dst, "inner"), link); err != nil {
		t.Fatal(err)
	}
	r := e.run(t, "sync", "oss://bkt/s/", dst, "--delete", "-f", "--backup-dir", link)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "inside the destination") {
		t.Fatalf("a backup dir inside the destination (through a symlink) was accepted: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// cat writes the object to the process's stdout directly, so the "nothing printed yet" check of
// finish under --output-format json appends a summary document to the object's bytes.
func TestCatUnderJSONWritesOnlyTheObject(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "k", []byte("data\n"))
	r := e.run(t, "cat", "oss://bkt/k", "--output-format", "json")
	if r.code != 0 || r.stdout != "data\n" {
		t.Fatalf("cat's output is not the object: %d %q", r.code, r.stdout)
	}
	e.put(t, "empty", nil)
	if r = e.run(t, "cat", "oss://bkt/empty", "--output-format", "json"); r.code != 0 || r.stdout != "" {
		t.Fatalf("cat's output is not the empty object: %d %q", r.code, r.stdout)
	}
}

// config writes its text lines to the process's stdout directly; under --output-format json the
// summary document follows them, so stdout is not one JSON document.
func TestConfigUnderJSONPrintsOneDocument(t *testing.T) {
	e := newTestEnv(t)
	cfg := filepath.Join(t.TempDir(), "cfg")
	r := e.run(t, "config", "-e", "http://x", "-i", "id", "-k", "secret", "-c", cfg, "--output-format", "json")
	var v any
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &v) != nil {
		t.Fatalf("stdout is not one JSON document: %d %q", r.code, r.stdout)
	}
}

// cp - oss://b/k parses --meta, --acl, --storage-class and --tagging (cpConfig) but builds its
// request with an empty header: the object is stored without them, and nothing says so.
func TestStreamUploadKeepsTheHeaderOptions(t *testing.T) {
	e := newTestEnv(t)
	code, _, errs := e.runIO(context.Background(), strings.NewReader("from stdin"), "cp", "-", "oss://bkt/s",
		"--meta", "X-Oss-Meta-Owner:me", "--acl", "private", "--storage-class", "IA", "--tagging", "a=1")
	if code != 0 {
		t.Fatalf("%d %q", code, errs)
	}
	if info := e.stat(t, "s"); info.Meta["owner"] != "me" || info.ACL != "private" || info.StorageClass != "IA" || info.Tagging != "a=1" {
		t.Fatalf("the header options were dropped: %+v", info.Attrs)
	}
}

// failSecondPage makes every listing request with a non-empty marker fail with AccessDenied.
func failSecondPage(e *testEnv) {
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet && r.URL.Query().Get("marker") != "" {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>denied</Message><RequestId>R1</RequestId></Error>`)
			return true
		}
		return false
	})
}

// ls streams its JSON document page by page: a listing that fails after the first page leaves
// stdout an unterminated document ("{"entries": [ ..." with no end), not one JSON document.
func TestLsUnderJSONFailingOnTheSecondPageLeavesNoBrokenDocument(t *testing.T) {
	e := newTestEnv(t)
	for i := range 1001 {
		e.put(t, fmt.Sprintf("p/%04d", i), []byte("x"))
	}
	failSecondPage(e)
	r := e.run(t, "ls", "oss://bkt/p/", "--output-format", "json")
	var v any
	if r.code != ExitFailed || (r.stdout != "" && json.Unmarshal([]byte(r.stdout), &v) != nil) {
		t.Fatalf("stdout is neither empty nor one JSON document: %d %q... %q", r.code, r.stdout[:min(len(r.stdout), 80)], r.stderr)
	}
}

// rm -r --dry-run under json streams its entries too: the same failure leaves a broken document.
func TestRmDryRunUnderJSONFailingOnTheSecondPageLeavesNoBrokenDocument(t *testing.T) {
	e := newTestEnv(t)
	for i := range 1001 {
		e.put(t, fmt.Sprintf("p/%04d", i), []byte("x"))
	}
	failSecondPage(e)
	r := e.run(t, "rm", "-r", "oss://bkt/p/", "--dry-run", "--output-format", "json")
	var v any
	if r.code != ExitFailed || (r.stdout != "" && json.Unmarshal([]byte(r.stdout), &v) != nil) {
		t.Fatalf("stdout is neither empty nor one JSON document: %d %q... %q", r.code, r.stdout[:min(len(r.stdout), 80)], r.stderr)
	}
}

// EndsJob's "AccessDenied ends the job while nothing has succeeded" counts skipped items as
// successes. A sync whose first items are unchanged (skipped from the listing, no request made)
// then meets a bucket that refuses every PUT: each changed file sends its PUT and prints its 403,
// where a wrong secret on the same tree stops at the first.
func TestSyncWithUnchangedFilesFirstStopsAtABucketThatRefusesWrites(t *testing.T) {
	e := newTestEnv(t)
	src := t.TempDir()
	files := map[string]string{"a-unchanged": "same"}
	for i := range 100 {
		files[fmt.Sprintf("b%03d", i)] = "new"
	}
	writeTree(t, src, files)
	mustRun(t, e, "", "cp", src+"/a-unchanged", "oss://bkt/s/a-unchanged")
	e.setHook(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>denied</Message><RequestId>R1</RequestId></Error>`)
			return true
		}
		return false
	})
	e.count("")
	r := e.run(t, "sync", src, "oss://bkt/s/", "-j", "8")
	// The first item being a skip, the other workers start at once: up to -j PUTs may be in flight.
	if n := e.count(`^PUT `); r.code != ExitFailed || n > 8 || strings.Count(r.stderr, "AccessDenied") > 1 {
		t.Fatalf("%d PUTs refused, %d errors printed, exit %d", n, strings.Count(r.stderr, "AccessDenied"), r.code)
	}
}

// set-meta -r and restore -r (eachObject) print ossutil's text summary on stdout and text errors
// on stderr whatever --output-format says.
func TestSetMetaAndRestoreRecursiveUnderJSON(t *testing.T) {
	e := newTestEnv(t)
	e.put(t, "p/a", []byte("a"))
	for _, args := range [][]string{
		{"set-meta", "-r", "-f", "oss://bkt/p/", "X-Oss-Meta-A:b", "--output-format", "json"},
		{"restore", "-r", "-f", "oss://bkt/p/", "--output-format", "json"}, // a Standard object: an error
	} {
		r := e.run(t, args...)
		var v any
		if json.Unmarshal([]byte(r.stdout), &v) != nil {
			t.Errorf("%s: stdout is not one JSON document: %d %q", args[0], r.code, r.stdout)
		}
		for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
			if line != "" && json.Unmarshal([]byte(line), &v) != nil {
				t.Errorf("%s: an error line on stderr is not JSON: %q", args[0], line)
			}
		}
	}
}

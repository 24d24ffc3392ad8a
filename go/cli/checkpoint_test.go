package cli

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// interruptedUpload uploads src as bkt/big in 100 KiB parts, one at a time, and cancels the run
// when the fourth part is sent: the checkpoint in ckdir keeps the first three, or four when the
// fourth part's answer wins the race with the cancellation.
func interruptedUpload(t *testing.T, e *testEnv, src, ckdir string) *checkpoint {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var parts atomic.Int32
	e.setHook(func(_ http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut && r.URL.Query().Get("partNumber") != "" && parts.Add(1) == 4 {
			cancel()
		}
		return false
	})
	defer e.setHook(nil)
	r := e.runCtx(ctx, "", "cp", src, "oss://bkt/big", "--checkpoint-dir", ckdir, "--bigfile-threshold", "100K",
		"--part-size", "100K", "--parallel", "1")
	if r.code == 0 {
		t.Fatalf("the upload was not interrupted: %q", r.stdout)
	}
	ck, err := readCheckpoint(checkpointPath(ckdir, src, "bkt", "big"))
	if err != nil || len(ck.Upload.Parts) < 3 || len(ck.Upload.Parts) > 4 {
		t.Fatalf("checkpoint %+v %v", ck, err)
	}
	return ck
}

// rewrite writes data over src in place and sets its mtime back: same size, same mtime.
func rewrite(t *testing.T, src string, data []byte, off int64) {
	t.Helper()
	st, err := os.Stat(src)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(src, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(data, off); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(src, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if now, _ := os.Stat(src); now.Size() != st.Size() || !now.ModTime().Equal(st.ModTime()) {
		t.Fatal("size or mtime changed")
	}
}

func TestResumeAfterARewriteWithTheSameSizeAndMtimeUploadsTheNewContent(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	src, ckdir := filepath.Join(dir, "big"), filepath.Join(dir, "ck")
	os.WriteFile(src, bytes.Repeat([]byte("old content "), 50000), 0o644) // 600,000 bytes: 6 parts
	interruptedUpload(t, e, src, ckdir)
	fresh := bytes.Repeat([]byte("NEW CONTENT "), 50000)
	rewrite(t, src, fresh, 0)
	r := e.run(t, "cp", "-f", src, "oss://bkt/big", "--checkpoint-dir", ckdir, "--bigfile-threshold", "100K", "--part-size", "100K")
	if r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if got := e.get(t, "big"); !bytes.Equal(got, fresh) {
		t.Fatalf("the object holds the old parts: %q...", got[:24])
	}
	if r := e.run(t, "ls", "-m", "oss://bkt"); !strings.Contains(r.stdout, "UploadID Number is: 0") {
		t.Fatalf("the stale upload is left: %q", r.stdout)
	}
}

// Even when the file's identity (size, mtime, inode, ctime) is the same, a stored part whose
// bytes changed is sent again, and only those.
func TestResumeSendsAgainTheStoredPartsWhoseBytesChanged(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	src, ckdir := filepath.Join(dir, "big"), filepath.Join(dir, "ck")
	data := bytes.Repeat([]byte("0123456789"), 60000)
	os.WriteFile(src, data, 0o644)
	ck := interruptedUpload(t, e, src, ckdir)
	rewrite(t, src, []byte("CHANGED"), 150_000) // in part 2
	copy(data[150_000:], "CHANGED")
	// What a ctime-less filesystem, or a tool that restores it, would give: the same identity.
	st, _ := os.Stat(src)
	ck.Inode, ck.CtimeNs = fileID(st)
	if err := writeCheckpoint(checkpointPath(ckdir, src, "bkt", "big"), ck); err != nil {
		t.Fatal(err)
	}
	e.count("")
	r := e.run(t, "cp", "-f", src, "oss://bkt/big", "--checkpoint-dir", ckdir, "--bigfile-threshold", "100K", "--part-size", "100K")
	if r.code != 0 {
		t.Fatalf("%q", r.stderr)
	}
	if !bytes.Equal(e.get(t, "big"), data) {
		t.Fatal("the object holds a stale part")
	}
	if n, want := e.count(`^PUT /bkt/big\?.*partNumber=`), 6-len(ck.Upload.Parts)+1; n != want {
		t.Fatalf("%d parts sent, want %d (part 2 again, and the parts not stored)", n, want)
	}
}

// A record cut short (what a power loss could leave before records were synced) is reported, its
// upload aborted, and the job started over: it no longer fails every rerun.
func TestADamagedCheckpointIsReportedAndTheUploadStartsOver(t *testing.T) {
	e := newTestEnv(t)
	dir := t.TempDir()
	src, ckdir := filepath.Join(dir, "big"), filepath.Join(dir, "ck")
	data := bytes.Repeat([]byte("checkpoint "), 60000)
	os.WriteFile(src, data, 0o644)
	ck := interruptedUpload(t, e, src, ckdir)
	path := checkpointPath(ckdir, src, "bkt", "big")
	raw, _ := os.ReadFile(path)
	if err := os.WriteFile(path, raw[:len(raw)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	r := e.run(t, "cp", "-f", src, "oss://bkt/big", "--checkpoint-dir", ckdir, "--bigfile-threshold", "100K", "--part-size", "100K")
	if r.code != 0 {
		t.Fatalf("rerun failed: %q", r.stderr)
	}
	if !strings.Contains(r.stderr, "damaged checkpoint") || !strings.Contains(r.stderr, ck.Upload.UploadID+" was aborted") {
		t.Fatalf("stderr %q", r.stderr)
	}
	if !bytes.Equal(e.get(t, "big"), data) {
		t.Fatal("the object differs from the file")
	}
	if r := e.run(t, "ls", "-m", "oss://bkt"); !strings.Contains(r.stdout, "UploadID Number is: 0") {
		t.Fatalf("the old upload is left: %q", r.stdout)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the checkpoint is left after success")
	}
}

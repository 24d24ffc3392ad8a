//go:build linux

package transfer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/oss"
)

// TestDownloadOverAFileRemovesOnlyStaleTempsOfThatName: a killed download's temporary file is
// removed by the next download to the same name; one whose writer still holds it, one written
// moments ago, one of another name and a look-alike that is not ours all stay.
func TestDownloadOverAFileRemovesOnlyStaleTempsOfThatName(t *testing.T) {
	e := newEnv(t)
	e.put(t, "obj", []byte("new"))
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	old := time.Now().Add(-2 * staleAfter)
	write := func(name string, age time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
		os.Chtimes(p, age, age)
		return p
	}
	write("out", old)
	write(".out.pyjindo-0123456789ab", old)         // killed writer: removed
	write(".out.pyjindo-aaaaaaaaaaaa", time.Now())  // written just now: kept
	write(".other.pyjindo-0123456789ab", old)       // another target's: kept
	write(".out.pyjindo-notours", old)              // not our pattern: kept
	live := write(".out.pyjindo-bbbbbbbbbbbb", old) // a live writer's: kept
	f, err := os.Open(live)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	if _, err := DownloadFile(context.Background(), e.client, get("obj", ""), target, Config{}, true, Meter{}); err != nil {
		t.Fatal(err)
	}
	want := []string{".other.pyjindo-0123456789ab", ".out.pyjindo-aaaaaaaaaaaa", ".out.pyjindo-bbbbbbbbbbbb", ".out.pyjindo-notours", "out"}
	if names := dirNames(t, dir); !slices.Equal(names, want) {
		t.Fatalf("directory holds %v, want %v", names, want)
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Fatalf("target holds %q", got)
	}
}

// TestDownloadOverAFileGoesThroughAnUnnamedFile: while a download over an existing file runs,
// the directory shows only the old file (nothing a kill -9 could leave behind).
func TestDownloadOverAFileGoesThroughAnUnnamedFile(t *testing.T) {
	e := newEnv(t)
	e.put(t, "obj", randomBytes(3*testPart))
	dir := t.TempDir()
	target := filepath.Join(dir, "out")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	var during []string
	d := &hookDoer{d: e.client, before: func(n int64, r *oss.Request) error {
		if n == 2 {
			during = dirNames(t, dir)
		}
		return nil
	}}
	if _, err := DownloadFile(context.Background(), d, get("obj", ""), target, Config{PartSize: testPart, Concurrency: 1}, true, Meter{}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(during, []string{"out"}) {
		t.Fatalf("during the download the directory held %v", during)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"out"}) {
		t.Fatalf("afterwards the directory holds %v", names)
	}
}

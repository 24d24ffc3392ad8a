//go:build linux

package transfer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/pyjindo/pyjindo/go/oss"
)

// holdLock opens name and takes its flock, as a live writer holds its temporary file.
func holdLock(t *testing.T, name string) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
}

// TestDownloadRemovesOnlyStaleTempsOfThatName: a killed download's temporary file, however young,
// is removed by the next download to the same name, whether that name exists or not and whether
// the download goes through an unnamed file or a named one; one whose writer still holds it, one
// of another name and look-alikes that are not ours stay.
func TestDownloadRemovesOnlyStaleTempsOfThatName(t *testing.T) {
	e := newEnv(t)
	e.put(t, "obj", []byte("new"))
	for _, c := range []struct {
		name          string
		exists, named bool
	}{{"new name", false, false}, {"new name, named temp", false, true},
		{"existing file", true, false}, {"existing file, named temp", true, true}} {
		t.Run(c.name, func(t *testing.T) {
			if c.named {
				t.Setenv(namedTempEnv, "1")
			}
			dir := t.TempDir()
			write := func(name string) string {
				p := filepath.Join(dir, name)
				if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
					t.Fatal(err)
				}
				return p
			}
			if c.exists {
				write("out")
			}
			write(".out.pyjindo-0")   // killed writer, just now: removed
			write(".out.pyjindo-7")   // the last slot always tried: removed
			write(".out.pyjindo-8")   // past it, after names that exist: removed
			write(".other.pyjindo-0") // another target's: kept
			write(".out.pyjindo-10")  // past a free slot: not looked at, kept
			write(".out.pyjindo-0123456789ab")
			holdLock(t, write(".out.pyjindo-3")) // a live writer's: kept
			if _, err := DownloadFile(context.Background(), e.client, get("obj", ""), filepath.Join(dir, "out"), Config{}, true, Meter{}); err != nil {
				t.Fatal(err)
			}
			want := []string{".other.pyjindo-0", ".out.pyjindo-0123456789ab", ".out.pyjindo-10", ".out.pyjindo-3", "out"}
			if names := dirNames(t, dir); !slices.Equal(names, want) {
				t.Fatalf("directory holds %v, want %v", names, want)
			}
			if got, _ := os.ReadFile(filepath.Join(dir, "out")); string(got) != "new" {
				t.Fatalf("target holds %q", got)
			}
		})
	}
}

// TestNamedTempPath: with PYJINDO_TEST_NAMED_TEMP the download is written under the first free
// temporary name (one held by a live writer is skipped) and renamed over the target.
func TestNamedTempPath(t *testing.T) {
	t.Setenv(namedTempEnv, "1")
	e := newEnv(t)
	e.put(t, "obj", randomBytes(3*testPart))
	dir := t.TempDir()
	live := filepath.Join(dir, ".out.pyjindo-0")
	if err := os.WriteFile(live, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	holdLock(t, live)
	var during []string
	d := &hookDoer{d: e.client, before: func(n int64, r *oss.Request) error {
		if n == 2 {
			during = dirNames(t, dir)
		}
		return nil
	}}
	if _, err := DownloadFile(context.Background(), d, get("obj", ""), filepath.Join(dir, "out"), Config{PartSize: testPart, Concurrency: 1}, true, Meter{}); err != nil {
		t.Fatal(err)
	}
	if want := []string{".out.pyjindo-0", ".out.pyjindo-1"}; !slices.Equal(during, want) {
		t.Fatalf("during the download the directory held %v, want %v", during, want)
	}
	if want := []string{".out.pyjindo-0", "out"}; !slices.Equal(dirNames(t, dir), want) {
		t.Fatalf("afterwards the directory holds %v, want %v", dirNames(t, dir), want)
	}
}

// TestMoreDownloadsThanTheFirstTempSlots: with the first tempSlots names held by live writers, a
// stale file in the next slot is still swept (the sweep goes on while names exist), and the
// download takes that slot; the live writers' files are left.
func TestMoreDownloadsThanTheFirstTempSlots(t *testing.T) {
	t.Setenv(namedTempEnv, "1")
	e := newEnv(t)
	e.put(t, "obj", []byte("new"))
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	for slot := range tempSlots {
		name := tempName(out, slot)
		if err := os.WriteFile(name, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		holdLock(t, name)
	}
	stale := tempName(out, tempSlots)
	if err := os.WriteFile(stale, []byte("left by a killed download"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := DownloadFile(context.Background(), e.client, get("obj", ""), out, Config{}, true, Meter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(out); string(got) != "new" {
		t.Fatalf("out holds %q", got)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) || len(dirNames(t, dir)) != tempSlots+1 {
		t.Fatalf("the stale file was not swept: %v", dirNames(t, dir))
	}
}

// TestATempIsNeverSeenUnlocked: a sweep cannot remove a temporary file from its creation to its
// rename: not between the creation and the creator's lock (the creator then gives it up), and not
// between the close and the rename.
func TestATempIsNeverSeenUnlocked(t *testing.T) {
	target := filepath.Join(t.TempDir(), "out")
	name := tempName(target, 0)

	// A sweep locks the new file before its creator: the creator gives it up.
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	holdLock(t, name)
	if _, err := holdTemp(f, true); !errors.Is(err, errSwept) {
		t.Fatalf("creator's lock while a sweep holds it: %v", err)
	}
	// The sweep removed it and let go before the creator locked it: given up too.
	os.Remove(name)
	if _, err := holdTemp(f, true); !errors.Is(err, errSwept) {
		t.Fatalf("creator's lock after a sweep removed it: %v", err)
	}
	f.Close()

	tmp, err := createTemp(target)
	if err != nil {
		t.Fatal(err)
	}
	if tmp.name != name {
		t.Fatalf("created %s, want %s", tmp.name, name)
	}
	sweepStaleTemps(target)
	if err := tmp.f.Close(); err != nil {
		t.Fatal(err)
	}
	sweepStaleTemps(target) // between the close and the rename (install's own close is of a new descriptor)
	if tmp.f, err = os.Open(name); err != nil {
		t.Fatal(err)
	}
	if err := tmp.install(target); err != nil {
		t.Fatal(err)
	}
	if names := dirNames(t, filepath.Dir(target)); !slices.Equal(names, []string{"out"}) {
		t.Fatalf("directory holds %v", names)
	}
	// The lock went with the rename: nothing of ours holds the file any more.
	holdLock(t, target)
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

// TestANewNameSweepsFromSlotZero: a download to a new name looks at slot 0 only, unless it is
// taken (a tree of new files pays one lookup a file); a leftover in a later slot, left by
// downloads to the name that ran at once, goes with the next download over the file.
func TestANewNameSweepsFromSlotZero(t *testing.T) {
	e := newEnv(t)
	e.put(t, "obj", []byte("new"))
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	stale := tempName(out, 2)
	if err := os.WriteFile(stale, []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, wantStale := range []bool{true, false} {
		if _, err := DownloadFile(context.Background(), e.client, get("obj", ""), out, Config{}, true, Meter{}); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(stale); (err == nil) != wantStale {
			t.Fatalf("download %d: the leftover in slot 2 exists: %v", i+1, err == nil)
		}
	}
}

package transfer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// Temporary files beside a download's target are named ".NAME.pyjindo-" and a slot number. The
// process writing one holds an exclusive flock on it until it is renamed or removed, so a later
// download to the same NAME tells a live one from one whose writer was killed (the kernel drops
// the lock with the process) and removes only the latter, however young. The names are numbered,
// not random, so that this sweep tries them in turn (failed lookups, about 10 us for the first
// tempSlots) instead of reading the directory on every download (35 ms per download in a
// directory of 100,000 files: quadratic over a tree). A writer takes the first free slot; the
// sweep tries the first tempSlots and goes on past them while names exist.
const (
	tempMarker   = ".pyjindo-"
	tempSlots    = 8
	maxTempSlots = 1024 // downloads to one name at once, before a clear error
)

// tempName is the hidden name of slot beside target.
func tempName(target string, slot int) string {
	dir, base := filepath.Split(target)
	return filepath.Join(dir, "."+base+tempMarker+strconv.Itoa(slot))
}

// A namedTemp is a temporary file of ours under its name, with the lock that marks it live.
type namedTemp struct {
	f    *os.File
	name string
	hold *os.File // the lock (see holdTemp); nil where there is no flock
}

// install closes the complete file, renames it over target, and only then drops its lock.
func (t *namedTemp) install(target string) error {
	if err := t.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(t.name, target); err != nil {
		return err
	}
	// Done: the name may be another download's from here, so nothing may remove it any more.
	t.hold.Close()
	return nil
}

// discard removes the file while its lock is still held (once dropped, a sweep may remove the
// name and another download take it), then closes it.
func (t *namedTemp) discard() {
	os.Remove(t.name)
	t.f.Close()
	t.hold.Close()
}

// errSwept: a sweep found the file just created and locked it before its creator could.
var errSwept = errors.New("temporary file taken by a sweep")

// errNoSlot: every temporary name of target is taken.
func errNoSlot(target string) error {
	return fmt.Errorf("cannot create a temporary file beside %s: %s to %d all exist (held by running downloads, or left where locks do not work)",
		target, tempName(target, 0), maxTempSlots-1)
}

// createTemp makes a new file beside target in its first free slot, with mode 0666 less the
// umask (what open(..., "wb") gives a new file; os.CreateTemp would give 0600), locked as ours.
func createTemp(target string) (*namedTemp, error) {
	for slot := range maxTempSlots {
		name := tempName(target, slot)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		hold, err := holdTemp(f, true)
		if err == nil {
			return &namedTemp{f: f, name: name, hold: hold}, nil
		}
		if !errors.Is(err, errSwept) {
			os.Remove(name) // locked: nobody else removes it or has its name
			f.Close()
			return nil, err
		}
		f.Close() // the sweep that has it removes it
	}
	return nil, errNoSlot(target)
}

// linkTemp names the unnamed file f with a free temporary name beside target. f is locked
// first, so the name is never seen unlocked.
func linkTemp(f *os.File, target string) (*namedTemp, error) {
	hold, err := holdTemp(f, false)
	if err != nil {
		return nil, err
	}
	for slot := range maxTempSlots {
		name := tempName(target, slot)
		err := nameUnnamed(f, name)
		if err == nil {
			return &namedTemp{f: f, name: name, hold: hold}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			hold.Close()
			return nil, err
		}
	}
	hold.Close()
	return nil, errNoSlot(target)
}

// tempExists tells whether target's temporary name of slot is taken (by anything).
func tempExists(target string, slot int) bool {
	_, err := os.Lstat(tempName(target, slot))
	return err == nil
}

// sweepStaleTemps removes the temporary files of target whose writers are gone: the first
// tempSlots names, and the next ones as long as they exist. Errors only mean something is left
// for the next sweep.
func sweepStaleTemps(target string) {
	for slot := range maxTempSlots {
		if !removeIfStale(tempName(target, slot)) && slot >= tempSlots-1 {
			return
		}
	}
}

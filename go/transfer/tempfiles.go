package transfer

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Temporary files beside a download's target are named ".NAME.pyjindo-" and 12 hex digits. The
// process writing one holds an exclusive flock on it for its whole life, so a later download to
// the same NAME can tell a live one from one whose writer was killed (the kernel drops the lock
// with the process) and remove only the latter.
const tempMarker = ".pyjindo-"

// tempName is a random hidden name beside target.
func tempName(target string) string {
	dir, base := filepath.Split(target)
	var b [6]byte
	rand.Read(b[:])
	return filepath.Join(dir, "."+base+tempMarker+hex.EncodeToString(b[:]))
}

// isTempOf tells whether name (a base name) is one of ours for the target base.
func isTempOf(name, base string) bool {
	suffix, ok := strings.CutPrefix(name, "."+base+tempMarker)
	if !ok || len(suffix) != 12 {
		return false
	}
	_, err := hex.DecodeString(suffix)
	return err == nil
}

// createTemp makes a new file beside target with mode 0666 less the umask (what open(..., "wb")
// gives a new file; os.CreateTemp would give 0600), locked as ours.
func createTemp(target string) (*os.File, error) {
	for range 100 {
		f, err := os.OpenFile(tempName(target), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err == nil {
			lockTemp(f)
		}
		return f, err
	}
	return nil, fmt.Errorf("cannot create a temporary file beside %s", target)
}

// linkTemp names the unnamed file f with a new temporary name beside target and returns it. f is
// locked first, so the name is never seen unlocked.
func linkTemp(f *os.File, target string) (string, error) {
	lockTemp(f)
	for range 100 {
		name := tempName(target)
		if err := nameUnnamed(f, name); !errors.Is(err, os.ErrExist) {
			return name, err
		}
	}
	return "", fmt.Errorf("cannot name a temporary file beside %s", target)
}

// sweepStaleTemps removes the temporary files of target whose writers are gone. It reads the
// directory once; errors only mean something is left for the next sweep.
func sweepStaleTemps(target string) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	for {
		names, err := d.Readdirnames(1024)
		for _, n := range names {
			if isTempOf(n, base) {
				removeIfStale(filepath.Join(dir, n))
			}
		}
		if err != nil {
			return
		}
	}
}

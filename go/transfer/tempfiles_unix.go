//go:build unix

package transfer

import (
	"os"
	"syscall"
	"time"
)

const staleAfter = time.Minute

// lockTemp marks f as in use for as long as this process has it open.
func lockTemp(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) }

// removeIfStale removes name if no live process holds its lock and it has not been written for
// staleAfter: a writer closes its file (dropping the lock) just before renaming it over the
// target, and that moment must not look stale. Only regular files are looked at: O_NOFOLLOW
// keeps a symlink named like ours from leading anywhere else.
func removeIfStale(name string) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() || time.Since(st.ModTime()) < staleAfter {
		return
	}
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
		os.Remove(name)
	}
}

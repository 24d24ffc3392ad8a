//go:build unix

package transfer

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// holdTemp locks f, a new temporary file, and returns a second descriptor of it that keeps the
// lock: a flock belongs to the open file, so it lasts until both are closed, and the writer can
// close f (where NFS and FUSE report write errors) and rename it with the lock still held.
//
// A sweep locks a file it finds and then removes it, and a file just created (named) can be
// found before its creator locks it. So the creator's lock must succeed and the file must still
// have its name afterwards; else it is the sweep's (errSwept). Once the creator holds the lock,
// no sweep can take it: there is no moment in which a live file looks abandoned, and no age is
// needed to tell. Where flock is not supported the file stays unlocked, and no sweep can lock it
// either.
func holdTemp(f *os.File, named bool) (*os.File, error) {
	fd := int(f.Fd())
	err := syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, errSwept
	}
	if named {
		var st syscall.Stat_t
		if err := syscall.Fstat(fd, &st); err != nil {
			return nil, err
		}
		if st.Nlink == 0 {
			return nil, errSwept
		}
	}
	// Close-on-exec, as every descriptor of Go's: a child must not keep the lock after we die.
	syscall.ForkLock.RLock()
	dup, err := syscall.Dup(fd)
	if err == nil {
		syscall.CloseOnExec(dup)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, &os.PathError{Op: "dup", Path: f.Name(), Err: err}
	}
	return os.NewFile(uintptr(dup), f.Name()), nil
}

// removeIfStale removes name if no live process holds its lock, and tells whether name existed.
// Only regular files are looked at: O_NOFOLLOW keeps a symlink named like ours from leading
// anywhere else. The file is opened for writing where it can be: NFSv4 emulates flock with
// POSIX locks, which refuse an exclusive lock on a file open only for reading.
func removeIfStale(name string) bool {
	const flags = syscall.O_NOFOLLOW | syscall.O_NONBLOCK
	f, err := os.OpenFile(name, os.O_RDWR|flags, 0)
	if errors.Is(err, fs.ErrPermission) {
		f, err = os.OpenFile(name, os.O_RDONLY|flags, 0)
	}
	if err != nil {
		return !errors.Is(err, fs.ErrNotExist)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return true
	}
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return true
	}
	// Removed only if the name still holds the file locked: between this open and the lock,
	// another sweep may have removed it and a new download created its own under the name.
	if now, err := os.Lstat(name); err == nil && os.SameFile(st, now) {
		os.Remove(name)
	}
	return true
}

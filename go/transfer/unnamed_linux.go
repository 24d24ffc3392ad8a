package transfer

import (
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"unsafe"
)

// Linux's O_TMPFILE (the kernel's __O_TMPFILE with the architecture's O_DIRECTORY) and the
// linkat(2) arguments the syscall package does not export.
const (
	oTmpfile        = 0x400000 | syscall.O_DIRECTORY
	atFDCWD         = -100
	atSymlinkFollow = 0x400
)

// openUnnamed opens a new regular file in dir that has no name (O_TMPFILE), with mode 0666 less
// the umask. Until nameUnnamed links it, nobody sees it, and a crash leaves nothing behind; the
// directory is changed once (the link) instead of twice (a temporary name, then the rename),
// which is most of the cost of downloading a tree of small files. It fails on file systems
// without O_TMPFILE; the caller then uses a named temporary file.
func openUnnamed(dir string) (*os.File, error) {
	if dir == "" {
		dir = "."
	}
	fd, err := syscall.Open(dir, oTmpfile|syscall.O_RDWR|syscall.O_CLOEXEC, 0o666)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	return os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed)")), nil
}

// nameUnnamed gives f (from openUnnamed) the name target. It fails with an fs.ErrExist error when
// target exists: linkat never replaces.
func nameUnnamed(f *os.File, target string) error {
	src, err := syscall.BytePtrFromString("/proc/self/fd/" + strconv.Itoa(int(f.Fd())))
	if err != nil {
		return err
	}
	dst, err := syscall.BytePtrFromString(target)
	if err != nil {
		return err
	}
	// atFDCWD is negative: it goes through an int variable, as the syscall package's own
	// wrappers do, since a negative constant cannot convert to uintptr.
	cwd := atFDCWD
	_, _, errno := syscall.Syscall6(syscall.SYS_LINKAT, uintptr(cwd), uintptr(unsafe.Pointer(src)),
		uintptr(cwd), uintptr(unsafe.Pointer(dst)), atSymlinkFollow, 0)
	if errno != 0 {
		return &os.LinkError{Op: "link", Old: f.Name(), New: target, Err: errno}
	}
	return nil
}

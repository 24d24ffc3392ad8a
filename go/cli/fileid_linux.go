package cli

import (
	"os"
	"syscall"
)

// fileID is what tells a file rewritten in place, or replaced, from the one a checkpoint was
// made of when its size and mtime are the same: its inode and its ctime (which no utime call
// can set back).
func fileID(st os.FileInfo) (inode uint64, ctimeNs int64) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Ino, s.Ctim.Nano()
	}
	return 0, 0
}

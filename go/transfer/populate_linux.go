package transfer

import (
	"os"
	"syscall"
	"unsafe"
)

// madvPopulateWrite (Linux 5.14) faults a range in, writable, in one call.
const madvPopulateWrite = 23

// populate prepares b, a part's place in the caller's buffer, for the bytes about to be read
// into it. A large read() fills fresh memory from Python, which otherwise takes one page
// fault per 4 KiB page the first time a receive writes to it: 262,144 traps for 1 GiB, 12% of
// the read's CPU. Advice only: an older kernel refuses it and the pages fault in as before.
func populate(b []byte) {
	if len(b) < 1<<20 {
		return
	}
	page := uintptr(os.Getpagesize())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	skip := int((page - start%page) % page) // madvise takes whole pages
	_ = syscall.Madvise(b[skip:skip+(len(b)-skip)/int(page)*int(page)], madvPopulateWrite)
}

package transfer

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"unsafe"
)

const (
	// madvPopulateWrite (Linux 5.14) faults a range in, writable, in one call.
	madvPopulateWrite = 23
	// hugePage is the size of an x86-64 or arm64 transparent huge page (a buddy block of order 9
	// with 4 KiB pages).
	hugePage = 2 << 20
	// minHuge is the smallest destination worth asking huge pages for: below it the reading of
	// /proc/buddyinfo is no longer small beside the fill.
	minHuge = 8 << 20
)

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

// preferHuge asks for b, a caller's whole destination outside Go's heap about to be filled
// (and populated part by part), to be backed by 2 MiB pages (MADV_HUGEPAGE, for the kernel's
// default "madvise" mode of transparent huge pages). Even populated in one call, 4 KiB pages cost the kernel an
// allocation and its bookkeeping each, half of a 1 GiB read()'s CPU; a huge page is one for
// 512 of them (a warm 1 GiB read(): 0.60 -> 0.29 cpu-s/GB, 2.1 -> 3.7 GB/s).
//
// Only where a huge page comes ready: when the kernel has the free 2 MiB blocks already
// (otherwise it compacts memory on the spot), and not on a VM whose balloon reports free pages
// to its host, which takes back exactly the free 2 MiB blocks: the first touch of each 4 KiB of
// one then traps to the host, and a 1 GiB read() took 2.7 cpu-s/GB there. Advice only: without
// it the pages are 4 KiB as before.
func preferHuge(b []byte) {
	if len(b) < minHuge {
		return
	}
	huge := hugeInside(b)
	n := len(huge) / hugePage
	if n == 0 || os.Getpagesize() != 4096 || reportsFreePages() {
		return
	}
	buddy, err := os.ReadFile("/proc/buddyinfo")
	if err != nil || freeHugeBlocks(buddy) < n+n/4 {
		return
	}
	_ = syscall.Madvise(huge, madvHugepage)
}

// hugeInside is the part of b made of whole 2 MiB pages (aligned to 2 MiB), maybe empty.
func hugeInside(b []byte) []byte {
	at := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	skip := int((hugePage - at%hugePage) % hugePage)
	if skip >= len(b) {
		return nil
	}
	return b[skip : skip+(len(b)-skip)/hugePage*hugePage]
}

// madvHugepage is MADV_HUGEPAGE.
const madvHugepage = 14

// freeHugeBlocks counts the free 2 MiB blocks (order 9 and up, with 4 KiB pages) of all zones
// in buddyinfo, /proc/buddyinfo's text: per zone, "Node 0, zone Normal" then the number of
// free blocks of order 0, 1, ...
func freeHugeBlocks(buddyinfo []byte) int {
	total := 0
	for _, line := range bytes.Split(buddyinfo, []byte("\n")) {
		fields := bytes.Fields(line)
		if len(fields) < 4 || !bytes.Equal(fields[2], []byte("zone")) {
			continue
		}
		for order, f := range fields[4:] {
			count, err := strconv.Atoi(string(f))
			if err == nil && order >= 9 {
				total += count << (order - 9)
			}
		}
	}
	return total
}

// reportsFreePages tells whether a virtio balloon here reports free pages to the host
// (feature bit 5, VIRTIO_BALLOON_F_REPORTING; sysfs shows the features as a string of 0s and
// 1s, bit 0 first).
func reportsFreePages() bool {
	paths, _ := filepath.Glob("/sys/bus/virtio/drivers/virtio_balloon/virtio*/features")
	for _, p := range paths {
		if features, err := os.ReadFile(p); err == nil && balloonReports(features) {
			return true
		}
	}
	return false
}

// balloonReports reads a virtio device's features string for VIRTIO_BALLOON_F_REPORTING.
func balloonReports(features []byte) bool { return len(features) > 5 && features[5] == '1' }

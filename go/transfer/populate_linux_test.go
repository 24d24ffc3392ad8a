package transfer

import (
	"os"
	"syscall"
	"testing"
	"unsafe"
)

func TestFreeHugeBlocksCountsOrderNineAndUpInEveryZone(t *testing.T) {
	buddyinfo := []byte(`Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 
Node 0, zone    DMA32   2227   2136   1711   1146    685    476    303    211    102     38    614 
Node 0, zone   Normal  65837  64723  28289  26507  20534   9401   3660   1856    808    357    602 
`)
	// order 9 counts 1 each, order 10 counts 2: DMA 1+6, DMA32 38+1228, Normal 357+1204
	if got, want := freeHugeBlocks(buddyinfo), 7+1266+1561; got != want {
		t.Fatalf("freeHugeBlocks = %d, want %d", got, want)
	}
	if got := freeHugeBlocks([]byte("Node 0, zone Normal 5 4 3\n")); got != 0 {
		t.Fatalf("no block of order 9 or more: got %d", got)
	}
	if got := freeHugeBlocks(nil); got != 0 {
		t.Fatalf("empty buddyinfo: got %d", got)
	}
}

func TestBalloonReportsReadsFeatureBitFive(t *testing.T) {
	for features, want := range map[string]bool{
		"01100101000000000000000000000000100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\n": true,
		"01100001000000000000000000000000100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000\n": false,
		"0110": false,
	} {
		if got := balloonReports([]byte(features)); got != want {
			t.Errorf("balloonReports(%.8s...) = %v, want %v", features, got, want)
		}
	}
}

func TestTheHugePagesAdvisedAreWholeAndInside(t *testing.T) {
	b := make([]byte, 16<<20+12345)
	for _, off := range []int{0, 48, hugePage - 1, hugePage} {
		in := b[off:]
		huge := hugeInside(in)
		start := uintptr(unsafe.Pointer(unsafe.SliceData(huge)))
		first := uintptr(unsafe.Pointer(unsafe.SliceData(in)))
		if start%hugePage != 0 || len(huge)%hugePage != 0 || len(huge) < len(in)-2*hugePage ||
			start < first || start+uintptr(len(huge)) > first+uintptr(len(in)) {
			t.Fatalf("offset %d: %d bytes at +%d, not whole 2 MiB pages inside %d bytes", off, len(huge), start-first, len(in))
		}
	}
	if got := hugeInside(b[:hugePage]); len(got) > 0 && len(got) != hugePage {
		t.Fatalf("2 MiB: got %d bytes", len(got))
	}
}

func TestBytesAdvisedHugeAndPopulatedStayAsTheyWere(t *testing.T) {
	if _, err := os.Stat("/sys/kernel/mm/transparent_hugepage"); err != nil {
		t.Skip("this kernel has no transparent huge pages")
	}
	b := make([]byte, 16<<20)
	for i := range b {
		b[i] = byte(i)
	}
	if err := syscall.Madvise(hugeInside(b), madvHugepage); err != nil {
		t.Fatalf("MADV_HUGEPAGE on whole 2 MiB pages: %v", err)
	}
	populate(b)
	preferHuge(b)
	for i := range b {
		if b[i] != byte(i) {
			t.Fatalf("byte %d changed", i)
		}
	}
}

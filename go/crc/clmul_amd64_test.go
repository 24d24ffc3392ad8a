package crc

import (
	"hash/crc64"
	"math/rand/v2"
	"testing"
)

// foldWide folds bytes into a block with their CRC, as fold16 does (the blocks themselves may
// differ: each is only defined up to the polynomial), from every length foldWide takes (every
// multiple of 16 from 256, so each count of 256-byte rounds and of 16-byte tail blocks) and at
// several alignments of the first byte.
func TestFoldWideKeepsTheCRC(t *testing.T) {
	if !hasWideCLMUL {
		t.Skip("no VPCLMULQDQ on 512-bit registers here")
	}
	r := rand.New(rand.NewPCG(5, 6))
	buf := make([]byte, 4096+64)
	for i := range buf {
		buf[i] = byte(r.Uint32())
	}
	blockCRC := func(lo, hi uint64) uint64 {
		var b [16]byte
		for i := 0; i < 8; i++ {
			b[i] = byte(lo >> (8 * i))
			b[8+i] = byte(hi >> (8 * i))
		}
		return ^crc64.Update(^uint64(0), Table, b[:])
	}
	for off := 0; off < 64; off += 7 {
		for n := 256; n <= 4096; n += 16 {
			init := r.Uint64()
			p := buf[off : off+n]
			want := ^crc64.Update(init, Table, p) // the plain CRC: no final inversion
			if got := blockCRC(foldWide(^init, p, &wideConstants)); got != want {
				t.Fatalf("offset %d, %d bytes: foldWide's block has CRC %x, want %x", off, n, got, want)
			}
			if got := blockCRC(fold16(^init, p, &foldConstants)); got != want {
				t.Fatalf("offset %d, %d bytes: fold16's block has CRC %x, want %x", off, n, got, want)
			}
		}
	}
}

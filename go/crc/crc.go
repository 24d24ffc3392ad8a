// Package crc computes the CRC-64/ECMA-182 checksums OSS reports in x-oss-hash-crc64ecma, and
// combines the checksums of adjacent pieces so parallel parts never need a second pass.
package crc

import (
	"hash/crc64"
	"io"
)

// Table is the reflected ECMA-182 table; Go's crc64 with it matches OSS (and oss2's crcmod).
var Table = crc64.MakeTable(crc64.ECMA)

// Update continues crc over p.
func Update(crc uint64, p []byte) uint64 { return update(crc, p) }

// Checksum is the CRC of p.
func Checksum(p []byte) uint64 { return update(0, p) }

// Combine returns the CRC of A||B given crc(A), crc(B) and len(B), by applying len2 zero bytes to
// crcA with GF(2) matrix squaring (the method zlib uses for crc32_combine), in O(log len2).
func Combine(crcA, crcB uint64, len2 int64) uint64 {
	if len2 <= 0 {
		return crcA
	}
	if crcA == 0 {
		// The zero bytes act linearly on crcA, so they leave 0 as it is: skip the matrices.
		// Summing parts starts here, once per object (every single-part download).
		return crcB
	}
	var even, odd [64]uint64
	// odd is the operator for one zero bit.
	odd[0] = 0xC96C5795D7870F42 // reflected ECMA polynomial
	row := uint64(1)
	for i := 1; i < 64; i++ {
		odd[i] = row
		row <<= 1
	}
	square(&even, &odd) // two zero bits
	square(&odd, &even) // four zero bits
	for {
		square(&even, &odd) // first pass: one zero byte
		if len2&1 != 0 {
			crcA = times(&even, crcA)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
		square(&odd, &even)
		if len2&1 != 0 {
			crcA = times(&odd, crcA)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
	}
	return crcA ^ crcB
}

func times(mat *[64]uint64, vec uint64) uint64 {
	var sum uint64
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func square(dst, mat *[64]uint64) {
	for i := 0; i < 64; i++ {
		dst[i] = times(mat, mat[i])
	}
}

// Reader passes R through, keeping the CRC and count of what was read and telling Progress
// (if set) of each piece: the body of an upload, checked against x-oss-hash-crc64ecma.
type Reader struct {
	R        io.Reader
	Sum      uint64
	N        int64
	Progress func(n int64)
}

func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.R.Read(p)
	if n > 0 {
		r.Sum = Update(r.Sum, p[:n])
		r.N += int64(n)
		if r.Progress != nil {
			r.Progress(int64(n))
		}
	}
	return n, err
}

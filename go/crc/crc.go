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

// Combine returns the CRC of A||B given crc(A), crc(B) and len(B): crc(A) times x^(8 len2)
// modulo the polynomial, XORed with crc(B). The power comes from x2n, one product per set bit
// of len2, so a combine costs a few microseconds, not the milliseconds of zlib's old matrix
// squaring (a download combines once per part).
func Combine(crcA, crcB uint64, len2 int64) uint64 {
	if len2 <= 0 {
		return crcA
	}
	if crcA == 0 {
		// The operator is linear, so it maps 0 to 0: the first part of a download (and the
		// only part of a small object) costs nothing.
		return crcB
	}
	p := one
	for k := 3; len2 != 0; k, len2 = k+1, len2>>1 { // 8 len2 bits: start at x^(2^3)
		if len2&1 != 0 {
			p = mulMod(x2n[k], p)
		}
	}
	return mulMod(p, crcA) ^ crcB
}

// In the reflected representation the CRC uses, the top bit is x^0 and a right shift
// multiplies by x.
const (
	one  = uint64(1) << 63
	poly = 0xC96C5795D7870F42 // reflected ECMA-182
)

// x2n[k] is x^(2^k) modulo the polynomial, for every bit of 8 len2 (len2 < 2^63).
var x2n = func() (t [66]uint64) {
	p := one >> 1 // x^1
	for k := range t {
		t[k] = p
		p = mulMod(p, p)
	}
	return t
}()

// mulMod is a times b modulo the polynomial.
func mulMod(a, b uint64) uint64 {
	var p uint64
	for m := one; a != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
			a ^= m
		}
		if b&1 != 0 {
			b = b>>1 ^ poly
		} else {
			b >>= 1
		}
	}
	return p
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

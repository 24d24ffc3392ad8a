package crc

import (
	"math/rand/v2"
	"testing"
)

func TestCheckValue(t *testing.T) {
	if got := Checksum([]byte("123456789")); got != 11051210869376104954 {
		t.Fatalf("crc64(123456789) = %d", got)
	}
}

func TestCombineMatchesWhole(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, sizes := range [][2]int{{0, 0}, {0, 5}, {5, 0}, {1, 1}, {100, 3}, {4096, 100001}, {7, 1 << 20}} {
		a, b := make([]byte, sizes[0]), make([]byte, sizes[1])
		for i := range a {
			a[i] = byte(r.Uint32())
		}
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		want := Checksum(append(append([]byte{}, a...), b...))
		if got := Combine(Checksum(a), Checksum(b), int64(len(b))); got != want {
			t.Errorf("sizes %v: combine %d, whole %d", sizes, got, want)
		}
	}
}

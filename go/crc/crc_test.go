package crc

import (
	"hash/crc64"
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

func TestCombineComposesForHugeLengths(t *testing.T) {
	a := Checksum([]byte("123456789"))
	for _, n := range []int64{1, 1 << 40, 1<<62 - 3, 1<<63 - 1 - (1 << 62)} {
		m := int64(1<<63-1) - n
		if got, want := Combine(Combine(a, 0, n), 0, m), Combine(a, 0, n+m); got != want {
			t.Errorf("n %d: %x in two steps, %x in one", n, got, want)
		}
	}
}

func BenchmarkCombine(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Combine(uint64(i)|1, 7, 8<<20+int64(i))
	}
}

func TestUpdateMatchesTheTable(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 70000)
	for i := range buf {
		buf[i] = byte(r.Uint32())
	}
	for _, n := range []int{0, 1, 15, 16, 17, 255, 256, 257, 319, 320, 321, 1000, 1023, 1024, 1025, 1039, 1040, 1296, 1535, 4096, 4097, 65536, 69999} {
		for _, init := range []uint64{0, 1, 0xFFFFFFFFFFFFFFFF, r.Uint64()} {
			want := crc64.Update(init, Table, buf[:n])
			if got := Update(init, buf[:n]); got != want {
				t.Fatalf("len %d init %x: %x, want %x", n, init, got, want)
			}
		}
	}
}

func BenchmarkUpdate(b *testing.B) {
	p := make([]byte, 256<<10)
	b.SetBytes(int64(len(p)))
	for i := 0; i < b.N; i++ {
		Update(0, p)
	}
}

func FuzzUpdateMatchesTheTable(f *testing.F) {
	f.Add(uint64(0), make([]byte, 300))
	f.Add(^uint64(0), []byte("123456789"))
	f.Fuzz(func(t *testing.T, init uint64, p []byte) {
		if got, want := Update(init, p), crc64.Update(init, Table, p); got != want {
			t.Fatalf("len %d: %x, want %x", len(p), got, want)
		}
	})
}

package transfer

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss"
	"github.com/pyjindo/pyjindo/go/oss/retry"
	"github.com/pyjindo/pyjindo/go/server"
)

// partRange is the Range header of part i of an object cut into testPart parts.
func partRange(i int) string { return fmt.Sprintf("bytes=%d-%d", i*testPart, (i+1)*testPart-1) }

// readings maps a part to the readings of it (0: first) that are corrupted.
type readings map[int][]int

func (r readings) pick(parts int) func(rng string, seen int) bool {
	byRange := map[string][]int{}
	for i, seen := range r {
		byRange[partRange(i)] = seen
	}
	return func(rng string, seen int) bool {
		for _, s := range byRange[rng] {
			if s == seen {
				return true
			}
		}
		return false
	}
}

// download opens and fills a whole object of `parts` testPart parts through d.
func download(t *testing.T, d oss.Doer, cfg Config) ([]byte, uint64, error) {
	t.Helper()
	dl, err := Open(context.Background(), d, get("obj", ""), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return fillBuffer(t, dl)
}

// Many corrupted parts are repaired, at the cost of a second reading and one fetch per bad part:
// whether every second reading is clean (all suspects at once), some good parts' second readings
// are corrupted (elimination picks the bad ones out), or there are more suspects than bits in a
// CRC (a third reading of the suspects decides by majority).
func TestManyCorruptPartsAreRepaired(t *testing.T) {
	e := newEnvBehind(t, noWrap, &server.Faults{Header: true})
	for _, tc := range []struct {
		name    string
		parts   int
		corrupt readings
		maxReqs int64
	}{
		{"17 of 41, second reading clean", 41, firstReadings(0, 34, 2), 41 + 41 + 17},
		{"17 of 41, 3 good parts read wrong the second time", 41,
			merge(firstReadings(6, 40, 2), readings{1: {1}, 3: {1}, 5: {1}}), 41 + 41 + 17},
		{"66 of 70 and 2 good parts read wrong the second time", 70,
			merge(firstReadings(2, 68, 1), readings{0: {1}, 1: {1}}), 70 + 70 + 68 + 66},
	} {
		data := randomBytes(tc.parts * testPart)
		e.put(t, "obj", data)
		d := corruptSome(e, tc.corrupt.pick(tc.parts))
		got, sum, err := download(t, d, Config{PartSize: testPart, Concurrency: 4, CheckCRC: true})
		if err != nil || !bytes.Equal(got, data) || sum != crc.Checksum(data) {
			t.Errorf("%s: err %v, exact %v", tc.name, err, bytes.Equal(got, data))
			continue
		}
		if n := d.count.Load(); n > tc.maxReqs {
			t.Errorf("%s: %d requests, want at most %d", tc.name, n, tc.maxReqs)
		}
	}
}

// firstReadings corrupts the first reading of parts from, from+step, ... below to.
func firstReadings(from, to, step int) readings {
	r := readings{}
	for i := from; i < to; i += step {
		r[i] = []int{0}
	}
	return r
}

func merge(a, b readings) readings {
	for k, v := range b {
		a[k] = append(a[k], v...)
	}
	return a
}

// The repair is bounded: with retries off (retry_attempts=1) there is none; the second reading
// stops as soon as the parts read differently explain the mismatch; a failure that retrying
// cannot fix ends it at once (the caller then reports the mismatch, as oss2 does); there are
// at most the policy's attempts less one rounds; and no round starts after the retry time.
func TestRepairIsBounded(t *testing.T) {
	e := newEnvBehind(t, noWrap, &server.Faults{Header: true})
	const parts = 10
	data := randomBytes(parts * testPart)
	e.put(t, "obj", data)
	for _, tc := range []struct {
		name    string
		cfg     Config
		corrupt readings
		deny    bool // answer every GET after the first reading 403
		reqs    int64
		exact   bool
	}{
		{"retries off", Config{Retry: retry.New(1, 0)}, readings{2: {0}}, false, parts, false},
		{"first part bad, found first", Config{Concurrency: 1}, readings{0: {0}}, false, parts + 1 + 1, true},
		{"403 in the second reading", Config{Concurrency: 1}, readings{2: {0}}, true, parts + 1, false},
		{"bad on every reading", Config{Concurrency: 1}, readings{2: {0, 1, 2, 3, 4}}, false, parts + 2*parts, false},
		{"bad on every reading, 5 attempts", Config{Concurrency: 1, Retry: retry.New(5, 0)}, readings{2: {0, 1, 2, 3, 4, 5, 6}}, false, parts + 4*parts, false},
		{"bad on every reading, out of time", Config{Concurrency: 1, Retry: retry.New(0, time.Nanosecond)}, readings{2: {0, 1, 2, 3, 4}}, false, parts + parts, false},
	} {
		d := corruptSome(e, tc.corrupt.pick(parts))
		if tc.deny {
			corrupt := d.before
			d.before = func(n int64, r *oss.Request) error {
				if n > parts {
					return &oss.ServiceError{Status: 403, Code: "AccessDenied", Message: "injected"}
				}
				return corrupt(n, r)
			}
		}
		cfg := tc.cfg
		cfg.PartSize, cfg.CheckCRC = testPart, true
		got, sum, err := download(t, d, cfg)
		if err != nil || sum != crc.Checksum(got) || bytes.Equal(got, data) != tc.exact {
			t.Errorf("%s: err %v, CRC of the bytes %v, exact %v", tc.name, err, sum == crc.Checksum(got), bytes.Equal(got, data))
			continue
		}
		if n := d.count.Load(); n != tc.reqs {
			t.Errorf("%s: %d requests, want %d", tc.name, n, tc.reqs)
		}
	}
}

func TestSolveGF2(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]uint64, 40)
	for i := range xs {
		xs[i] = r.Uint64()
	}
	want := map[int]bool{3: true, 17: true, 39: true}
	target := xs[3] ^ xs[17] ^ xs[39]
	pick, found, unique := solveGF2(xs, target)
	if !found || !unique {
		t.Fatalf("found %v unique %v", found, unique)
	}
	for j, p := range pick {
		if p != want[j] {
			t.Fatalf("pick %v", pick)
		}
	}
	// A target outside the span of few vectors has no answer.
	if _, found, _ := solveGF2(xs[:3], r.Uint64()); found {
		t.Fatal("found an answer outside the span")
	}
	// A repeated vector: two answers, so not unique; the one given must still be one.
	dup := append(append([]uint64{}, xs[:5]...), xs[2])
	pick, found, unique = solveGF2(dup, xs[2]^xs[4])
	if !found || unique {
		t.Fatalf("repeated vector: found %v unique %v", found, unique)
	}
	var acc uint64
	for j, p := range pick {
		if p {
			acc ^= dup[j]
		}
	}
	if acc != xs[2]^xs[4] {
		t.Fatal("the answer given does not XOR to the target")
	}
	// More vectors than bits: never unique.
	many := make([]uint64, 70)
	for i := range many {
		many[i] = r.Uint64()
	}
	if _, found, unique := solveGF2(many, many[0]^many[69]); !found || unique {
		t.Fatalf("70 vectors: found %v unique %v", found, unique)
	}
}

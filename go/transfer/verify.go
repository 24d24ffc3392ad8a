package transfer

import (
	"context"
	"errors"
	"math/bits"
	"net/http"
	"strconv"
	"sync"

	"github.com/pyjindo/pyjindo/go/crc"
)

// Repairing a download whose CRC64 does not match.
//
// OSS gives one CRC for the whole object (a ranged GET's x-oss-hash-crc64ecma is the whole
// object's too), so a mismatch says that some part is wrong, not which. The parts' CRCs combine
// linearly: crc(whole) = XOR over parts i of Z(after_i)·crc_i, where Z(n) is the GF(2) operator
// for n zero bytes and after_i the bytes that follow part i. So:
//
//  1. Read every part again, keeping only its CRC (a second opinion; nothing is written).
//  2. The parts whose two CRCs differ are the suspects: one of the two readings was corrupted.
//     A part read the same twice is not a suspect this round, though it may be wrong twice the
//     same way (a fault that flips the same byte of the same range): later rounds read it again.
//  3. Find the set S of suspects for which taking the second CRC makes the combination equal the
//     object's CRC: XOR over S of Z(after_i)·(crc_i ^ crc_i') == want ^ got. A wrong S matching
//     by chance is as likely as a CRC64 collision among at most 2^maxSuspects candidates.
//  4. Fetch the parts of S again into the destination, each checked against its now-known CRC
//     and fetched again while it differs (within the part retry budget).
//
// A round that finds no S (both readings of a part were corrupted) starts over, up to
// Config.Retries rounds. The CRC returned is always that of the bytes the sink holds and the
// caller still compares it with the object's, so wrong bytes are never returned as right. All
// this costs nothing until a mismatch; after one, a round costs a second reading of the object.

// maxSuspects bounds the subset search (2^maxSuspects XORs). More suspects than this in one
// round means the network corrupts heavily; the round is then counted as failed.
const maxSuspects = 16

// wholeCRC is the CRC64 the delivered bytes must have: the object's, when they are the whole
// object as stored (status 200; not transformed by x-oss-process or an Accept-Encoding).
func (dl *Download) wholeCRC() (uint64, bool) {
	if !dl.cfg.CheckCRC || dl.Status != http.StatusOK || dl.Length <= 0 || dl.req.Header.Get("Accept-Encoding") != "" {
		return 0, false
	}
	for _, kv := range dl.req.Query {
		if kv[0] == "x-oss-process" {
			return 0, false
		}
	}
	v := dl.Header.Get("x-oss-hash-crc64ecma")
	if v == "" {
		return 0, false
	}
	want, err := strconv.ParseUint(v, 10, 64)
	return want, err == nil
}

// repair makes the delivered bytes match the object's CRC when they do not (see above). ps are
// all the parts, crcs their CRCs as written to w. It returns the CRC of what w now holds.
func (dl *Download) repair(ctx context.Context, w Sink, ps []part, crcs []uint64, bufSize int) (uint64, error) {
	want, ok := dl.wholeCRC()
	got := combineAll(ps, crcs)
	if !ok || got == want {
		return got, nil
	}
	w.Progress = nil // these bytes were counted once already
	after := make([]int64, len(ps))
	for i := len(ps) - 2; i >= 0; i-- {
		after[i] = after[i+1] + ps[i+1].n
	}
	for round := 0; round < max(dl.cfg.Retries, 1) && got != want; round++ {
		again := make([]uint64, len(ps))
		errs := dl.each(ctx, len(ps), bufSize, func(i int, buf []byte) error {
			c, err := dl.fetch(ctx, ps[i], Sink{WriteAt: func(int64, []byte) error { return nil }}, buf)
			again[i] = c
			return err
		})
		var suspects []int
		for i, err := range errs {
			if err != nil {
				if errors.Is(err, ErrChanged) || ctx.Err() != nil {
					return 0, err
				}
				continue // no second opinion on this part this round
			}
			if again[i] != crcs[i] {
				suspects = append(suspects, i)
			}
		}
		if len(suspects) == 0 || len(suspects) > maxSuspects {
			continue
		}
		deltas := make([]uint64, len(suspects))
		for j, i := range suspects {
			deltas[j] = crc.Combine(crcs[i]^again[i], 0, after[i])
		}
		mask, found := subsetXOR(deltas, want^got)
		if !found {
			continue
		}
		var fix []int
		for j, i := range suspects {
			if mask&(1<<j) != 0 {
				fix = append(fix, i)
			}
		}
		errs = dl.each(ctx, len(fix), bufSize, func(k int, buf []byte) error {
			i := fix[k]
			for attempt := 0; attempt <= dl.cfg.Retries; attempt++ {
				c, err := dl.fetch(ctx, ps[i], w, buf)
				crcs[i] = c // what w now holds, right or not
				if err != nil || c == again[i] {
					return err
				}
			}
			return nil
		})
		for _, err := range errs {
			if err != nil {
				return 0, err // the part is half rewritten: its bytes are no longer known
			}
		}
		got = combineAll(ps, crcs)
	}
	return got, nil
}

func combineAll(ps []part, crcs []uint64) uint64 {
	var sum uint64
	for i, p := range ps {
		sum = crc.Combine(sum, crcs[i], p.n)
	}
	return sum
}

// subsetXOR finds a non-empty subset of xs (as a bit mask) whose XOR is target, walking the
// subsets in Gray-code order so each step toggles one element.
func subsetXOR(xs []uint64, target uint64) (uint32, bool) {
	var acc uint64
	var mask uint32
	for g := uint32(1); g < 1<<len(xs); g++ {
		j := bits.TrailingZeros32(g) // the element that changes between Gray codes g-1 and g
		acc ^= xs[j]
		mask ^= 1 << j
		if acc == target {
			return mask, true
		}
	}
	return 0, false
}

// each runs fn(i) for i in [0, n) on up to Concurrency goroutines, each with its own buffer,
// and returns every call's error.
func (dl *Download) each(ctx context.Context, n, bufSize int, fn func(i int, buf []byte) error) []error {
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(dl.cfg.Concurrency, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, bufSize)
			for i := range next {
				if err := ctx.Err(); err != nil {
					errs[i] = err
					continue
				}
				errs[i] = fn(i, buf)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return errs
}

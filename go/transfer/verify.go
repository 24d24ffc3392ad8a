package transfer

import (
	"context"
	"errors"
	"math/bits"
	"net/http"
	"slices"
	"strconv"
	"sync"

	"github.com/pyjindo/pyjindo/go/crc"
	"github.com/pyjindo/pyjindo/go/oss/retry"
)

// Repairing a download whose CRC64 does not match.
//
// OSS gives one CRC for the whole object (a ranged GET's x-oss-hash-crc64ecma is the whole
// object's too), so a mismatch says that some part is wrong, not which. The parts' CRCs combine
// linearly over GF(2): crc(whole) = XOR over parts i of Z(after_i)·crc_i, where Z(n) is the
// operator for n zero bytes and after_i the bytes that follow part i. So:
//
//  1. Read the parts again, keeping only their CRCs (a second opinion; nothing is written).
//  2. The parts whose two CRCs differ are the suspects: one of the two readings was corrupted.
//     A part read the same twice is not a suspect this round, though it may be wrong twice the
//     same way (a fault that flips the same byte of the same range): later rounds read it again.
//     Usually the second readings are clean: as soon as the suspects found so far explain the
//     mismatch, the rest of the second reading is cancelled.
//  3. Otherwise find the set S of suspects for which taking the second CRC makes the combination
//     equal the object's CRC: XOR over S of delta_i == want ^ got, delta_i = Z(after_i)·(crc_i ^
//     crc_i'), a linear system over GF(2) solved by elimination. S is unique when the deltas are
//     independent; when they are not (more than 64 suspects, or bad luck), the suspects are read
//     a third time and each takes the CRC two of its three readings agree on.
//  4. Fetch the parts of S again into the destination, each checked against its now-known CRC
//     and fetched again while it differs (within the part retry budget).
//
// A round that finds no S (both readings of a part were corrupted) starts over: the rounds are
// retries under the policy (Config.Retry), so there are at most its attempts less one, and none
// starts past its time bound. A failure that retrying cannot
// fix (403, 404) ends the repair: the caller reports the mismatch, as oss2 would. The CRC
// returned is always that of the bytes the sink holds and the caller still compares it with the
// object's, so wrong bytes are never returned as right, whatever S was chosen. All this costs
// nothing until a mismatch.

// wholeCRC is the CRC64 the delivered bytes must have: the object's, when they are the whole
// object as stored (status 200; not transformed by x-oss-process or an Accept-Encoding).
func (dl *Download) wholeCRC() (uint64, bool) {
	if !dl.cfg.CheckCRC || dl.Status != http.StatusOK || dl.Length <= 0 || dl.transformed() {
		return 0, false
	}
	v := dl.Header.Get("X-Oss-Hash-Crc64ecma")
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
	pol := dl.cfg.Retry
	deadline := pol.Now().Add(pol.MaxRetryTime())
	outOfTime := func() bool { return pol.Now().After(deadline) }
	w.Progress = nil // these bytes were counted once already
	after := make([]int64, len(ps))
	for i := len(ps) - 2; i >= 0; i-- {
		after[i] = after[i+1] + ps[i+1].n
	}
	// delta is how the whole's CRC changes when part i's CRC becomes c instead of crcs[i].
	delta := func(i int, c uint64) uint64 { return crc.Combine(crcs[i]^c, 0, after[i]) }
	all := make([]int, len(ps))
	for i := range all {
		all[i] = i
	}
	// One attempt (retry_attempts=1) turns retries off, and with them this repair.
	for round := 1; round < pol.MaxAttempts() && got != want && (round == 1 || !outOfTime()); round++ {
		target := want ^ got
		var suspects []int
		var acc uint64 // the deltas of the suspects found so far
		again, stop, err := dl.readCRCs(ctx, ps, all, bufSize, func(i int, c uint64) bool {
			if c == crcs[i] {
				return false
			}
			suspects = append(suspects, i)
			acc ^= delta(i, c)
			return acc == target
		})
		if err != nil {
			return 0, err
		}
		if stop {
			break
		}
		slices.Sort(suspects)
		fix := suspects
		if acc != target {
			if fix, stop, err = dl.explain(ctx, ps, crcs, suspects, again, target, delta, bufSize); err != nil {
				return 0, err
			}
			if stop {
				break
			}
			if fix == nil {
				continue
			}
		}
		// Each part of S is fetched into the destination until it has the CRC it must have,
		// under the policy (a wrong reading is Transient; fetch has retried its own failures).
		bufs := make([][]byte, dl.cfg.Concurrency)
		err = Each(ctx, len(fix), dl.cfg.Concurrency, false, func(ctx context.Context, worker, k int) error {
			if bufs[worker] == nil {
				bufs[worker] = make([]byte, bufSize)
			}
			i := fix[k]
			err := pol.Do(ctx, func(int) error {
				c, err := dl.fetch(ctx, ps[i], w, bufs[worker], nil)
				crcs[i] = c // what w now holds, right or not
				switch {
				case err != nil:
					return retry.Permanent(err) // fetch has retried it under the policy
				case c != again[i]:
					return retry.Transient(errWrongReading)
				}
				return nil
			}, nil)
			if errors.Is(err, errWrongReading) {
				return nil // out of attempts: the next round reads every part again
			}
			return err
		})
		if err != nil {
			return 0, err // the part is half rewritten: its bytes are no longer known
		}
		got = combineAll(ps, crcs)
	}
	return got, nil
}

// errWrongReading is a part fetched again whose CRC is still not the one it must have.
var errWrongReading = errors.New("transfer: the part read differently again")

// readCRCs reads the parts idx again into nowhere and returns their CRCs, indexed like ps (those
// not read are left 0). seen is told of each (one call at a time); when it returns true, the
// reads still to come are cancelled. stop reports a failure that retrying cannot fix (the reads
// are cancelled then too); err, that the object changed or ctx ended.
func (dl *Download) readCRCs(ctx context.Context, ps []part, idx []int, bufSize int, seen func(i int, c uint64) bool) (out []uint64, stop bool, err error) {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out = make([]uint64, len(ps))
	var mu sync.Mutex
	var fatal error
	discard := Sink{WriteAt: func(int64, []byte) error { return nil }}
	bufs := make([][]byte, dl.cfg.Concurrency)
	Each(rctx, len(idx), dl.cfg.Concurrency, false, func(ctx context.Context, worker, k int) error {
		if bufs[worker] == nil {
			bufs[worker] = make([]byte, bufSize)
		}
		i := idx[k]
		c, err := dl.fetch(ctx, ps[i], discard, bufs[worker], nil)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case rctx.Err() != nil:
			// cancelled: by us (enough was read, or a fatal error) or with ctx
		case err == nil:
			out[i] = c
			if seen(i, c) {
				cancel()
			}
		case errors.Is(err, ErrChanged) || !dl.cfg.Retry.IsErrorRetryable(err):
			if fatal == nil {
				fatal = err
			}
			cancel()
		}
		// A failure that outlasted fetch's own retries gives no opinion on this part.
		return nil
	})
	if err := ctx.Err(); err != nil {
		return nil, false, err
	}
	if errors.Is(fatal, ErrChanged) {
		return nil, false, fatal
	}
	return out, fatal != nil, nil
}

// explain finds the suspects whose second CRCs (again) explain target, the mismatch, by GF(2)
// elimination; when the answer is not unique, by a third reading of the suspects and a majority
// vote. On success again holds, for each suspect in fix, the CRC it must have. nil: no answer.
func (dl *Download) explain(ctx context.Context, ps []part, crcs []uint64, suspects []int, again []uint64, target uint64,
	delta func(int, uint64) uint64, bufSize int) (fix []int, stop bool, err error) {
	deltas := make([]uint64, len(suspects))
	for j, i := range suspects {
		deltas[j] = delta(i, again[i])
	}
	pick, found, unique := solveGF2(deltas, target)
	if !found {
		return nil, false, nil // some part was read wrong twice: the next round reads all again
	}
	if unique {
		for j, i := range suspects {
			if pick[j] {
				fix = append(fix, i)
			}
		}
		return fix, false, nil
	}
	third, stop, err := dl.readCRCs(ctx, ps, suspects, bufSize, func(int, uint64) bool { return false })
	if err != nil || stop {
		return nil, stop, err
	}
	var acc uint64
	for _, i := range suspects {
		if third[i] == again[i] { // the first reading was the odd one out
			fix = append(fix, i)
			acc ^= delta(i, again[i])
		}
		// Agreeing with the first reading: it stands. Agreeing with neither: no majority, and
		// the part is kept as it is unless the others alone explain the mismatch.
	}
	if acc != target {
		return nil, false, nil
	}
	return fix, false, nil
}

// solveGF2 finds which of xs XOR to target (pick[j]: xs[j] is in), by Gaussian elimination over
// GF(2) on the 64 bits. unique: xs are independent, so no other choice gives target.
func solveGF2(xs []uint64, target uint64) (pick []bool, found, unique bool) {
	words := (len(xs) + 63) / 64
	type row struct {
		v   uint64
		set []uint64 // the xs XORed into v, as a bit set
	}
	var basis [64]*row // by leading bit
	unique = true
	for j, x := range xs {
		r := &row{v: x, set: make([]uint64, words)}
		r.set[j/64] |= 1 << (j % 64)
		for r.v != 0 {
			b := 63 - bits.LeadingZeros64(r.v)
			if basis[b] == nil {
				basis[b] = r
				break
			}
			r.v ^= basis[b].v
			for w := range r.set {
				r.set[w] ^= basis[b].set[w]
			}
		}
		if r.v == 0 {
			unique = false // x is a combination of earlier ones
		}
	}
	acc := make([]uint64, words)
	for t := target; t != 0; {
		b := 63 - bits.LeadingZeros64(t)
		if basis[b] == nil {
			return nil, false, false
		}
		t ^= basis[b].v
		for w := range acc {
			acc[w] ^= basis[b].set[w]
		}
	}
	pick = make([]bool, len(xs))
	for j := range pick {
		pick[j] = acc[j/64]&(1<<(j%64)) != 0
	}
	return pick, true, unique
}
func combineAll(ps []part, crcs []uint64) uint64 {
	var sum uint64
	for i, p := range ps {
		sum = crc.Combine(sum, crcs[i], p.n)
	}
	return sum
}

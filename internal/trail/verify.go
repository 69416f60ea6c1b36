package trail

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"openisms/internal/isms"
)

// Break names the first entry at which the chain does not hold.
type Break struct {
	Seq    int64
	Reason string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit trail broken at entry %d: %s", b.Seq, b.Reason)
}

// Result is the outcome of a verification.
type Result struct {
	Count int64
	Head  string // hash of the last entry
	Break *Break // nil when the chain holds
}

// Bounds describes the stored trail: its smallest and largest seq and the
// number of rows.
type Bounds struct {
	Min, Max, Count int64
}

// RangeScan feeds the entries with lo ≤ seq ≤ hi to fn in ascending seq
// order. The store implements it; fn may be called from several
// goroutines at once, each on its own range.
type RangeScan func(ctx context.Context, lo, hi int64, fn func(*isms.AuditEntry) error) error

// minSegment is the smallest range worth its own query.
var minSegment int64 = 20_000

// segment is what one range of the chain looked like.
type segment struct {
	lo, hi    int64
	count     int64
	first     int64  // seq of the first entry seen, 0 if none
	firstPrev string // its prev_hash
	last      int64
	lastHash  string
	brk       *Break // first break inside the range
}

// verifySegment checks one range on its own: seqs follow each other from
// lo, each prev_hash links to the entry before it, each hash matches.
func verifySegment(ctx context.Context, scan RangeScan, lo, hi int64) (segment, error) {
	s := segment{lo: lo, hi: hi}
	expect := lo
	var buf []byte
	err := scan(ctx, lo, hi, func(e *isms.AuditEntry) error {
		s.count++
		if s.brk == nil {
			switch {
			case e.Seq != expect:
				s.brk = &Break{Seq: e.Seq, Reason: fmt.Sprintf("expected entry %d here: entries are missing or inserted", expect)}
			case s.first != 0 && e.PrevHash != s.lastHash:
				s.brk = &Break{Seq: e.Seq, Reason: "prev_hash does not match the hash of the entry before it"}
			default:
				var got string
				var err error
				got, buf, err = Compute(e, buf)
				if err != nil {
					s.brk = &Break{Seq: e.Seq, Reason: err.Error()}
				} else if got != e.Hash {
					s.brk = &Break{Seq: e.Seq, Reason: "hash does not match the entry's content"}
				}
			}
		}
		if s.first == 0 {
			s.first, s.firstPrev = e.Seq, e.PrevHash
		}
		s.last, s.lastHash = e.Seq, e.Hash
		expect = e.Seq + 1
		return nil
	})
	return s, err
}

// Verify walks the whole chain and reports the first broken entry.
//
// Each entry can be checked against its neighbour alone, so the range
// 1…Max is cut into pieces verified in parallel, each on its own database
// connection; the pieces are then joined end to start. Rows outside 1…Max
// or a row count that does not match are breaks too.
func Verify(ctx context.Context, b Bounds, scan RangeScan) (Result, error) {
	if b.Count == 0 {
		return Result{}, nil
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	size := max(minSegment, (b.Max+int64(workers)*4-1)/(int64(workers)*4))
	var segs []segment
	for lo := int64(1); lo <= b.Max; lo += size {
		segs = append(segs, segment{lo: lo, hi: min(b.Max, lo+size-1)})
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
		errs []error
	)
	for range min(workers, len(segs)) {
		wg.Go(func() {
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(segs) || ctx.Err() != nil {
					return
				}
				s, err := verifySegment(ctx, scan, segs[i].lo, segs[i].hi)
				mu.Lock()
				segs[i] = s
				if err != nil {
					errs = append(errs, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(errs) > 0 {
		return Result{}, errs[0]
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}

	res := Result{}
	prevHash, prevLast := GenesisHash, int64(0)
	for _, s := range segs {
		res.Count += s.count
		if res.Break == nil && s.count > 0 {
			switch {
			case s.first != prevLast+1:
				res.Break = &Break{Seq: s.first, Reason: fmt.Sprintf("expected entry %d here: entries are missing or inserted", prevLast+1)}
			case s.firstPrev != prevHash:
				res.Break = &Break{Seq: s.first, Reason: "prev_hash does not match the hash of the entry before it"}
			case s.brk != nil:
				res.Break = s.brk
			}
		}
		if s.count > 0 {
			prevHash, prevLast = s.lastHash, s.last
		}
	}
	res.Head = prevHash
	if res.Break == nil && (b.Min < 1 || res.Count != b.Count) {
		res.Break = &Break{Seq: b.Min, Reason: fmt.Sprintf("%d entries lie outside the chain 1…%d", b.Count-res.Count, b.Max)}
	}
	return res, nil
}

package trail

import (
	"context"
	"fmt"
	"testing"
	"time"

	"openisms/internal/isms"
)

// chain builds n sealed entries in memory.
func chain(n int) []isms.AuditEntry {
	out := make([]isms.AuditEntry, n)
	prev := GenesisHash
	for i := range out {
		e := isms.AuditEntry{Seq: int64(i + 1), At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Actor: "a",
			Action: "x", Summary: fmt.Sprint(i)}
		if err := Seal(&e, prev); err != nil {
			panic(err)
		}
		prev = e.Hash
		out[i] = e
	}
	return out
}

// sliceScan serves entries from a slice ordered by seq, as the store would.
func sliceScan(entries []isms.AuditEntry) RangeScan {
	return func(ctx context.Context, lo, hi int64, fn func(*isms.AuditEntry) error) error {
		for i := range entries {
			if entries[i].Seq >= lo && entries[i].Seq <= hi {
				e := entries[i]
				if err := fn(&e); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func bounds(entries []isms.AuditEntry) Bounds {
	b := Bounds{Count: int64(len(entries))}
	for i, e := range entries {
		if i == 0 || e.Seq < b.Min {
			b.Min = e.Seq
		}
		b.Max = max(b.Max, e.Seq)
	}
	return b
}

func TestCanonicalIsUnambiguous(t *testing.T) {
	// Moving a character from one field to the next must change the bytes.
	a := isms.AuditEntry{Seq: 1, Actor: "ab", Action: "c", Alg: AlgSHA256}
	b := isms.AuditEntry{Seq: 1, Actor: "a", Action: "bc", Alg: AlgSHA256}
	if string(Canonical(nil, &a)) == string(Canonical(nil, &b)) {
		t.Fatal("field boundaries are ambiguous")
	}
	// The time's representation is fixed whatever the zone it comes in.
	c := a
	c.At = time.Date(2026, 1, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	d := a
	d.At = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if string(Canonical(nil, &c)) != string(Canonical(nil, &d)) {
		t.Fatal("the same instant encodes differently in two zones")
	}
}

func TestSealKnownVector(t *testing.T) {
	e := isms.AuditEntry{Seq: 1, At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), OrgID: "o", Actor: "a", Action: "x"}
	if err := Seal(&e, GenesisHash); err != nil {
		t.Fatal(err)
	}
	// The encoding is part of the audit evidence: changing it silently
	// would break every stored chain. Computed outside Go with
	//   printf 'isms-trail-v1\x011\x1b2026-01-02T03:04:05.000006Z\x01o\x01a\x00\x01x\x00\x00\x00\x00\x00\x06sha256' | sha256sum
	const want = "42338e9a05a2ee22661bb7978761ef53109f20425229f27c1883624c37f12b1a"
	if e.Hash != want || e.Alg != AlgSHA256 || e.PrevHash != GenesisHash {
		t.Fatalf("hash %s, want %s", e.Hash, want)
	}
}

func TestVerifyParallelSegments(t *testing.T) {
	defer func(old int64) { minSegment = old }(minSegment)
	minSegment = 7 // many small segments, joined at their ends

	good := chain(100)
	res, err := Verify(context.Background(), bounds(good), sliceScan(good))
	if err != nil || res.Break != nil || res.Count != 100 || res.Head != good[99].Hash {
		t.Fatalf("good chain: %+v %v", res, err)
	}

	type mutate func([]isms.AuditEntry) []isms.AuditEntry
	cases := []struct {
		name string
		m    mutate
		want int64
	}{
		{"edit", func(c []isms.AuditEntry) []isms.AuditEntry { c[41].Summary = "x"; return c }, 42},
		{"edit at a segment boundary", func(c []isms.AuditEntry) []isms.AuditEntry { c[7].Summary = "x"; return c }, 8},
		{"delete at a segment start", func(c []isms.AuditEntry) []isms.AuditEntry { return append(c[:7:7], c[8:]...) }, 9},
		{"delete a whole segment", func(c []isms.AuditEntry) []isms.AuditEntry { return append(c[:14:14], c[21:]...) }, 22},
		{"swap across segments", func(c []isms.AuditEntry) []isms.AuditEntry {
			c[10].Seq, c[30].Seq = c[30].Seq, c[10].Seq
			c[10], c[30] = c[30], c[10]
			return c
		}, 11},
		{"entry outside the chain", func(c []isms.AuditEntry) []isms.AuditEntry {
			return append([]isms.AuditEntry{{Seq: 0, Alg: AlgSHA256}}, c...)
		}, 0},
		{"rehashed edit", func(c []isms.AuditEntry) []isms.AuditEntry {
			c[60].Summary = "x"
			h, _, _ := Compute(&c[60], nil)
			c[60].Hash = h
			return c
		}, 62},
		{"unknown algorithm", func(c []isms.AuditEntry) []isms.AuditEntry { c[3].Alg = "md5"; return c }, 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.m(chain(100))
			res, err := Verify(context.Background(), bounds(c), sliceScan(c))
			if err != nil {
				t.Fatal(err)
			}
			if res.Break == nil || res.Break.Seq != tc.want {
				t.Fatalf("break %+v, want at %d", res.Break, tc.want)
			}
		})
	}
}

func TestVerifyEmpty(t *testing.T) {
	res, err := Verify(context.Background(), Bounds{}, sliceScan(nil))
	if err != nil || res.Break != nil || res.Count != 0 {
		t.Fatalf("%+v %v", res, err)
	}
}

// The hand-written time encoding equals time.Format for any instant.
func TestTimeFieldMatchesFormat(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.FixedZone("CST", 8*3600)),
		time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Unix(0, 0),
		time.Date(9999, 12, 31, 23, 59, 59, 1000, time.UTC),
	} {
		want := field(nil, tm.UTC().Format(timeLayout))
		if got := timeField(nil, tm); string(got) != string(want) {
			t.Errorf("%v: %q, want %q", tm, got, want)
		}
	}
}

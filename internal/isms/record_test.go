package isms

import (
	"testing"
	"time"
)

// Retention periods end as the Civil Code counts them; the cutoff the
// disposal query uses agrees with them day by day.
func TestRetention(t *testing.T) {
	for _, c := range []struct {
		date   string
		months int
		end    string
	}{
		{"2024-01-15", 12, "2025-01-15"},
		{"2024-02-29", 12, "2025-02-28"}, // no 29 February in 2025: the month's last day
		{"2025-01-31", 1, "2025-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2023-12-31", 6, "2024-06-30"},
		{"2020-05-20", 120, "2030-05-20"},
		{"2024-01-15", 0, ""}, // permanent
	} {
		if got := RetentionEnd(c.date, c.months); got != c.end {
			t.Errorf("RetentionEnd(%s, %d) = %q, want %q", c.date, c.months, got, c.end)
		}
	}
	for _, c := range []struct {
		today  string
		months int
		cutoff string
	}{
		{"2025-01-16", 12, "2024-01-16"}, // 2024-01-15 ended yesterday; 2024-01-16 ends today
		{"2025-03-01", 12, "2024-03-01"}, // 2024-02-29 ended on 2025-02-28
		{"2025-03-01", 1, "2025-02-01"},  // 2025-01-29 … 01-31 all ended on 2025-02-28
		{"2025-03-31", 1, "2025-03-01"},  // 2025-02-28 ended 2025-03-28
		{"2025-03-31", 0, ""},
	} {
		if got := RetentionCutoff(c.today, c.months); got != c.cutoff {
			t.Errorf("RetentionCutoff(%s, %d) = %q, want %q", c.today, c.months, got, c.cutoff)
		}
	}
	// Every day of four years against every period from 1 to 37 months:
	// "date before cutoff" is exactly "retention ended before today".
	today := "2026-03-01"
	for months := 1; months <= 37; months++ {
		cut := RetentionCutoff(today, months)
		for d := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2026; d = d.AddDate(0, 0, 1) {
			date := d.Format(time.DateOnly)
			if past := RetentionEnd(date, months) < today; past != (date < cut) {
				t.Fatalf("%s kept %d months: past=%v but cutoff %s", date, months, past, cut)
			}
		}
	}
}

// A record's state follows its disposal, its holds and its dates, in
// that order.
func TestRecordState(t *testing.T) {
	now := time.Now()
	r := Record{RecordDate: "2025-11-01", Type: RecordType{RetentionMonths: 12}}
	for _, c := range []struct {
		today string
		setup func(*Record)
		want  string
	}{
		{"2026-11-01", func(*Record) {}, RecordKept},
		{"2026-11-02", func(*Record) {}, RecordDue},
		{"2026-11-02", func(r *Record) { r.HoldReason = "诉讼" }, RecordHeld},
		{"2026-11-02", func(r *Record) { r.Type.HoldReason = "监管调查" }, RecordHeld},
		{"2026-11-02", func(r *Record) { r.DisposalID = "x" }, RecordInDisp},
		{"2026-11-02", func(r *Record) { r.DisposalID, r.DisposedAt = "x", &now }, RecordDisposed},
		{"2099-01-01", func(r *Record) { r.Type.RetentionMonths = 0 }, RecordKept},
	} {
		x := r
		c.setup(&x)
		x.Compute(c.today)
		if x.State != c.want {
			t.Errorf("%s with %+v: %s, want %s", c.today, x, x.State, c.want)
		}
	}
}

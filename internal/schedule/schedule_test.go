package schedule

import (
	"errors"
	"testing"
	"time"

	"openisms/internal/isms"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func dates(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.In(shanghai).Format("2006-01-02 15:04")
	}
	return out
}

func between(t *testing.T, s isms.Schedule, from, to string) []string {
	t.Helper()
	a, _ := time.ParseInLocation("2006-01-02", from, shanghai)
	b, _ := time.ParseInLocation("2006-01-02", to, shanghai)
	got, err := Between(s, shanghai, a, b)
	if err != nil {
		t.Fatal(err)
	}
	return dates(got)
}

func eq(t *testing.T, name string, got []string, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %v, want %v", name, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: got %v, want %v", name, got, want)
		}
	}
}

func TestMonthEnds(t *testing.T) {
	// Anchored on 31 January: the last day of each shorter month, back on
	// the 31st when the month has one.
	s := isms.Schedule{Frequency: isms.FreqMonthly, Start: "2025-01-31", TimeOfDay: "17:30"}
	eq(t, "monthly on the 31st", between(t, s, "2025-01-01", "2025-06-01"),
		"2025-01-31 17:30", "2025-02-28 17:30", "2025-03-31 17:30", "2025-04-30 17:30", "2025-05-31 17:30")
	s.Start = "2025-01-30"
	eq(t, "monthly on the 30th", between(t, s, "2025-01-01", "2025-04-01"),
		"2025-01-30 17:30", "2025-02-28 17:30", "2025-03-30 17:30")
}

func TestLeapYears(t *testing.T) {
	s := isms.Schedule{Frequency: isms.FreqYearly, Start: "2024-02-29"}
	eq(t, "yearly on 29 February", between(t, s, "2024-01-01", "2029-01-01"),
		"2024-02-29 09:00", "2025-02-28 09:00", "2026-02-28 09:00", "2027-02-28 09:00", "2028-02-29 09:00")
	m := isms.Schedule{Frequency: isms.FreqMonthly, Start: "2024-01-29"}
	eq(t, "monthly on the 29th across a leap February", between(t, m, "2024-02-01", "2024-04-01"),
		"2024-02-29 09:00", "2024-03-29 09:00")
	eq(t, "and a common February", between(t, m, "2025-02-01", "2025-03-01"), "2025-02-28 09:00")
}

func TestQuartersAndHalves(t *testing.T) {
	q := isms.Schedule{Frequency: isms.FreqQuarterly, Start: "2025-03-31", TimeOfDay: "10:00"}
	eq(t, "quarterly from 31 March", between(t, q, "2025-01-01", "2026-04-01"),
		"2025-03-31 10:00", "2025-06-30 10:00", "2025-09-30 10:00", "2025-12-31 10:00", "2026-03-31 10:00")
	h := isms.Schedule{Frequency: isms.FreqHalfYearly, Start: "2025-08-31"}
	eq(t, "half-yearly from 31 August", between(t, h, "2025-01-01", "2027-01-01"),
		"2025-08-31 09:00", "2026-02-28 09:00", "2026-08-31 09:00")
}

func TestDaysAndWeeks(t *testing.T) {
	d := isms.Schedule{Frequency: isms.FreqEveryNDays, Interval: 15, Start: "2025-12-20"}
	eq(t, "every 15 days across the year end", between(t, d, "2025-12-01", "2026-02-01"),
		"2025-12-20 09:00", "2026-01-04 09:00", "2026-01-19 09:00")
	w := isms.Schedule{Frequency: isms.FreqRRule, RRule: "FREQ=WEEKLY;BYDAY=MO", Start: "2026-11-01", TimeOfDay: "08:30"}
	eq(t, "weekly on Mondays", between(t, w, "2026-11-01", "2026-11-20"), "2026-11-02 08:30", "2026-11-09 08:30", "2026-11-16 08:30")
	// Due times are instants: 09:00 in Shanghai is 01:00 UTC.
	got, _ := Between(isms.Schedule{Frequency: isms.FreqDaily, Start: "2026-01-01"}, shanghai,
		time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC))
	if len(got) != 1 || !got[0].Equal(time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC)) {
		t.Fatalf("instant: %v", got)
	}
}

func TestCheck(t *testing.T) {
	now := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		s    isms.Schedule
		want string
	}{
		"ok":           {isms.Schedule{Frequency: isms.FreqRRule, RRule: "FREQ=MONTHLY;BYDAY=1MO", Start: "2026-01-01"}, ""},
		"hourly ok":    {isms.Schedule{Frequency: isms.FreqRRule, RRule: "FREQ=HOURLY", Start: "2026-01-01"}, ""},
		"garbage":      {isms.Schedule{Frequency: isms.FreqRRule, RRule: "FREQ=SOMETIMES", Start: "2026-01-01"}, "schedule.rrule_invalid"},
		"never fires":  {isms.Schedule{Frequency: isms.FreqRRule, RRule: "FREQ=DAILY;UNTIL=20200101T000000Z", Start: "2019-01-01"}, "schedule.never_fires"},
		"impossible":   {isms.Schedule{Frequency: isms.FreqRRule, RRule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", Start: "2026-01-01"}, "schedule.never_fires"},
		"too often":    {isms.Schedule{Frequency: isms.FreqRRule, RRule: "FREQ=MINUTELY;INTERVAL=30", Start: "2026-01-01"}, "schedule.too_often"},
		"by minute":    {isms.Schedule{Frequency: isms.FreqRRule, RRule: "FREQ=HOURLY;BYMINUTE=0,30", Start: "2026-01-01"}, "schedule.too_often"},
		"future start": {isms.Schedule{Frequency: isms.FreqYearly, Start: "2030-05-01"}, ""},
	}
	for name, c := range cases {
		err := Check(c.s, shanghai, now)
		var e *isms.Error
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case c.want != "" && (!errors.As(err, &e) || e.Fields[0].Msg.ID != c.want):
			t.Errorf("%s: %v, want %s", name, err, c.want)
		}
	}
}

func FuzzCheck(f *testing.F) {
	for _, s := range []string{"FREQ=WEEKLY;BYDAY=MO", "FREQ=MINUTELY", "FREQ=YEARLY;BYMONTH=13", "RRULE:FREQ=DAILY;COUNT=3"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, r string) {
		_ = Check(isms.Schedule{Frequency: isms.FreqRRule, RRule: r, Start: "2026-01-01"}, time.UTC, now)
	})
}

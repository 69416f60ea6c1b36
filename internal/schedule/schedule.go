// Package schedule turns an obligation's Schedule into due times. It wraps
// the RFC 5545 recurrence engine (teambition/rrule-go) behind Between and
// Check, so the rest of the program never sees RRULE objects.
package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"openisms/internal/isms"
)

// rule builds the recurrence of s in loc.
func rule(s isms.Schedule, loc *time.Location) (*rrule.RRule, error) {
	start, err := time.ParseInLocation(isms.DateLayout, s.Start, loc)
	if err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	hour, minute, ok := s.Clock()
	if !ok {
		return nil, fmt.Errorf("time of day %q", s.TimeOfDay)
	}
	dtstart := time.Date(start.Year(), start.Month(), start.Day(), hour, minute, 0, 0, loc)
	interval := max(1, s.Interval)
	if s.Frequency == isms.FreqRRule {
		opt, err := rrule.StrToROptionInLocation(strings.TrimPrefix(strings.TrimSpace(s.RRule), "RRULE:"), loc)
		if err != nil {
			return nil, err
		}
		opt.Dtstart = dtstart
		return rrule.NewRRule(*opt)
	}
	opt := rrule.ROption{Dtstart: dtstart, Interval: interval}
	switch s.Frequency {
	case isms.FreqDaily, isms.FreqEveryNDays:
		opt.Freq = rrule.DAILY
	case isms.FreqWeekly:
		opt.Freq = rrule.WEEKLY
	case isms.FreqMonthly, isms.FreqQuarterly, isms.FreqHalfYearly:
		opt.Freq = rrule.MONTHLY
		opt.Interval = interval * map[isms.Frequency]int{isms.FreqMonthly: 1, isms.FreqQuarterly: 3, isms.FreqHalfYearly: 6}[s.Frequency]
		opt.Bymonthday, opt.Bysetpos = monthDay(start.Day())
	case isms.FreqYearly:
		opt.Freq = rrule.YEARLY
		opt.Bymonth = []int{int(start.Month())}
		opt.Bymonthday, opt.Bysetpos = monthDay(start.Day())
	default:
		return nil, fmt.Errorf("frequency %q", s.Frequency)
	}
	return rrule.NewRRule(opt)
}

// monthDay anchors a monthly rule on day d, or on the last day of months
// too short for it: "the 31st" means the 30th in April and the 28th or 29th
// in February, never a skipped month.
func monthDay(d int) ([]int, []int) {
	if d <= 28 {
		return []int{d}, nil
	}
	// Of {d, last day}, the first that exists in the month.
	return []int{d, -1}, []int{1}
}

// Between returns the due times in (after, before], in order.
func Between(s isms.Schedule, loc *time.Location, after, before time.Time) ([]time.Time, error) {
	r, err := rule(s, loc)
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for _, t := range r.Between(after, before, true) {
		if t.After(after) {
			out = append(out, t.UTC())
		}
	}
	return out, nil
}

// NextDue returns the first due time after t, if there is one.
func NextDue(s isms.Schedule, loc *time.Location, t time.Time) (time.Time, bool, error) {
	r, err := rule(s, loc)
	if err != nil {
		return time.Time{}, false, err
	}
	next := r.After(t, false)
	return next.UTC(), !next.IsZero(), nil
}

// Check refuses a schedule that does not parse, never fires from now on,
// or fires more often than once an hour. It returns field errors on the
// schedule's fields.
func Check(s isms.Schedule, loc *time.Location, now time.Time) error {
	r, err := rule(s, loc)
	if err != nil {
		return isms.Invalid("schedule.rrule", isms.M("schedule.rrule_invalid", "detail", err.Error()))
	}
	// Every rule is judged from its start or now, whichever is later.
	from := now
	if start := r.GetDTStart(); start.After(from) {
		from = start.Add(-time.Second)
	}
	next := r.After(from, true)
	if next.IsZero() {
		return isms.Invalid("schedule.rrule", isms.M("schedule.never_fires"))
	}
	prev := next
	for i := 0; i < 50; i++ {
		t := r.After(prev, false)
		if t.IsZero() {
			break
		}
		if t.Sub(prev) < time.Hour {
			return isms.Invalid("schedule.rrule", isms.M("schedule.too_often"))
		}
		prev = t
	}
	return nil
}

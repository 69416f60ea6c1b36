package isms

import "time"

// The recurring MLPS duties of a graded object (mlps.md §1.6): filing
// within 30 days of the level being confirmed or of going live (level 2
// and above), level evaluation (levels 3–5 yearly — a jurisdiction may
// make level 4 half-yearly; level 2 every two years as advice only), and
// self-inspection (level 3 yearly, level 4 half-yearly). The figures are
// a rule value so a jurisdiction's setting can replace them.

// MLPSRule holds the deadlines' figures.
type MLPSRule struct {
	FilingDays int `json:"filing_days"` // 30
	// EvaluationMonths and InspectionMonths give the interval per level
	// (index 1–5); 0 means no fixed interval.
	EvaluationMonths [6]int `json:"evaluation_months"`
	InspectionMonths [6]int `json:"inspection_months"`
	// AdvisoryEvaluation marks levels whose interval is customary, not
	// required (level 2).
	AdvisoryEvaluation [6]bool `json:"advisory_evaluation"`
}

// DefaultMLPSRule: the national defaults, level 4 evaluated yearly.
var DefaultMLPSRule = MLPSRule{
	FilingDays:         30,
	EvaluationMonths:   [6]int{0, 0, 24, 12, 12, 12},
	InspectionMonths:   [6]int{0, 0, 0, 12, 6, 0},
	AdvisoryEvaluation: [6]bool{false, false, true},
}

// MLPS duty kinds.
const (
	DutyFiling     = "filing"
	DutyEvaluation = "evaluation"
	DutyInspection = "self_inspection"
)

// MLPSFacts are the dates a graded object's duties count from
// (YYYY-MM-DD; "" when it has not happened).
type MLPSFacts struct {
	Level          int
	ConfirmedOn    string // the level was confirmed (graded, reviewed where required)
	LiveOn         string // the object went (or goes) into operation
	FiledOn        string // the filing was submitted
	LastEvaluation string // the last level evaluation was completed
	LastInspection string // the last self-inspection was done
}

// MLPSDuty is one computed deadline.
type MLPSDuty struct {
	Kind     string `json:"kind"`
	Due      string `json:"due"`
	From     string `json:"from"`     // the date it counts from
	Advisory bool   `json:"advisory"` // a customary interval, not a legal one
}

// Duties computes the object's next deadlines. Filing is due until it is
// filed; the first evaluation of a level-3-or-higher object is due with
// its filing (the filing needs the report); later ones and
// self-inspections count from the last one, or from the confirmation.
func (r MLPSRule) Duties(f MLPSFacts) ([]MLPSDuty, error) {
	if f.Level < 1 || f.Level > 5 {
		return nil, Invalid("level", M("field.range", "min", 1, "max", 5))
	}
	parse := func(field, s string) (time.Time, bool, error) {
		if s == "" {
			return time.Time{}, false, nil
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return t, false, Invalid(field, M("field.bad_date"))
		}
		return t, true, nil
	}
	confirmed, hasConfirmed, err := parse("confirmed_on", f.ConfirmedOn)
	if err != nil {
		return nil, err
	}
	live, hasLive, err := parse("live_on", f.LiveOn)
	if err != nil {
		return nil, err
	}
	if !hasConfirmed || f.Level < 2 {
		return nil, nil // nothing counts before the level is confirmed; level 1 is not filed or evaluated
	}
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	var out []MLPSDuty
	// Filing counts from the later of confirmation and going live.
	base := confirmed
	if hasLive && live.After(confirmed) {
		base = live
	}
	filingDue := base.AddDate(0, 0, r.FilingDays)
	if f.FiledOn == "" {
		out = append(out, MLPSDuty{Kind: DutyFiling, Due: day(filingDue), From: day(base)})
	}
	if months := r.EvaluationMonths[f.Level]; months > 0 {
		last, hasLast, err := parse("last_evaluation", f.LastEvaluation)
		if err != nil {
			return nil, err
		}
		d := MLPSDuty{Kind: DutyEvaluation, Advisory: r.AdvisoryEvaluation[f.Level]}
		switch {
		case hasLast:
			d.Due, d.From = day(last.AddDate(0, months, 0)), day(last)
		case f.Level >= 3:
			d.Due, d.From = day(filingDue), day(base)
		default:
			d.Due, d.From = day(base.AddDate(0, months, 0)), day(base)
		}
		out = append(out, d)
	}
	if months := r.InspectionMonths[f.Level]; months > 0 {
		last, hasLast, err := parse("last_inspection", f.LastInspection)
		if err != nil {
			return nil, err
		}
		if !hasLast {
			last = base
		}
		out = append(out, MLPSDuty{Kind: DutyInspection, Due: day(last.AddDate(0, months, 0)), From: day(last)})
	}
	return out, nil
}

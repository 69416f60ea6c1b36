package isms

import (
	"fmt"
	"testing"
)

// Hand-worked deadlines from grading and go-live dates.
func TestMLPSDuties(t *testing.T) {
	half := DefaultMLPSRule
	half.EvaluationMonths[4] = 6 // a jurisdiction that keeps the 2007 half-yearly rule
	for _, c := range []struct {
		name string
		rule MLPSRule
		f    MLPSFacts
		want string
	}{
		{"level 1: nothing", DefaultMLPSRule, MLPSFacts{Level: 1, ConfirmedOn: "2026-03-01"}, "[]"},
		{"not confirmed yet", DefaultMLPSRule, MLPSFacts{Level: 3}, "[]"},
		{"level 2 operating: filing, advisory evaluation in 24 months", DefaultMLPSRule,
			MLPSFacts{Level: 2, ConfirmedOn: "2026-03-01", LiveOn: "2024-05-01"},
			"[{filing 2026-03-31 2026-03-01 false} {evaluation 2028-03-01 2026-03-01 true}]"},
		{"level 3 going live later: filing and first evaluation 30 days after go-live", DefaultMLPSRule,
			MLPSFacts{Level: 3, ConfirmedOn: "2026-03-01", LiveOn: "2026-06-15"},
			"[{filing 2026-07-15 2026-06-15 false} {evaluation 2026-07-15 2026-06-15 false} {self_inspection 2027-06-15 2026-06-15 false}]"},
		{"level 3 filed and evaluated", DefaultMLPSRule,
			MLPSFacts{Level: 3, ConfirmedOn: "2025-02-01", FiledOn: "2025-02-20", LastEvaluation: "2025-11-20", LastInspection: "2026-01-10"},
			"[{evaluation 2026-11-20 2025-11-20 false} {self_inspection 2027-01-10 2026-01-10 false}]"},
		{"level 4, yearly by default", DefaultMLPSRule,
			MLPSFacts{Level: 4, ConfirmedOn: "2025-02-01", FiledOn: "2025-02-20", LastEvaluation: "2025-11-20"},
			"[{evaluation 2026-11-20 2025-11-20 false} {self_inspection 2025-08-01 2025-02-01 false}]"},
		{"level 4, half-yearly where the jurisdiction says so", half,
			MLPSFacts{Level: 4, ConfirmedOn: "2025-02-01", FiledOn: "2025-02-20", LastEvaluation: "2025-11-20"},
			"[{evaluation 2026-05-20 2025-11-20 false} {self_inspection 2025-08-01 2025-02-01 false}]"},
	} {
		ds, err := c.rule.Duties(c.f)
		if got := fmt.Sprint(ds); err != nil || got != c.want && !(c.want == "[]" && ds == nil) {
			t.Errorf("%s: %s %v\nwant %s", c.name, got, err, c.want)
		}
	}
	if _, err := DefaultMLPSRule.Duties(MLPSFacts{Level: 3, ConfirmedOn: "2026-02-30"}); ErrorCode(err) != CodeInvalid {
		t.Errorf("bad date: %v", err)
	}
	if _, err := DefaultMLPSRule.Duties(MLPSFacts{Level: 6}); ErrorCode(err) != CodeInvalid {
		t.Errorf("level 6: %v", err)
	}
}

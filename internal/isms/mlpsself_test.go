package isms

import (
	"math"
	"testing"
)

// The internal rate, worked by hand: 120 conform, 30 partial, 40
// nonconform, 21 not applicable of 211 → (120 + 15) / 190 = 71.05 %.
func TestSelfRate(t *testing.T) {
	var c SelfCounts
	for result, n := range map[string]int{ResultConform: 120, ResultPartial: 30, ResultNonconform: 40, ResultNA: 21} {
		for range n {
			c.Add(result)
		}
	}
	rate, ok := c.Rate()
	if !ok || math.Abs(rate-71.0526) > 0.001 || c.Total != 211 || c.Open() != 0 {
		t.Errorf("rate %.4f %v, counts %+v", rate, ok, c)
	}
	// Unassessed items do not count against the rate; nor does N/A.
	c = SelfCounts{}
	c.Add(ResultConform)
	c.Add(ResultPartial)
	c.Add("")
	c.Add(ResultNA)
	if rate, ok := c.Rate(); !ok || rate != 75 || c.Open() != 1 {
		t.Errorf("rate %v %v, open %d", rate, ok, c.Open())
	}
	if _, ok := (SelfCounts{Total: 3, NA: 3}).Rate(); ok {
		t.Error("a rate with nothing applicable assessed")
	}
}

func TestSelfCheckInput(t *testing.T) {
	id := "0193a5b0-7c1e-7cc0-8a5e-2f1f1d6b9e01"
	for _, tc := range []struct {
		in    SelfCheckInput
		field string
	}{
		{SelfCheckInput{Ref: "L3-PES1-01", Result: "yes"}, "L3-PES1-01 result"},
		{SelfCheckInput{Ref: "L3-PES1-01", Result: ResultNA}, "L3-PES1-01 note"},
		{SelfCheckInput{Ref: "L3-PES1-01", Result: ResultPartial, RiskID: ptr("x y")}, "L3-PES1-01 risk_id"},
		{SelfCheckInput{Ref: "L3-PES1-01", Result: ResultPartial, RectificationID: ptr("x")}, "L3-PES1-01 rectification_id"},
	} {
		if got := firstField(tc.in.Check()); got != tc.field {
			t.Errorf("%+v: %q, want a problem with %s", tc.in, got, tc.field)
		}
	}
	ok := SelfCheckInput{Ref: "L3-PES1-01", Result: ResultNonconform, Note: " no alarm ", RiskID: ptr(" " + id)}
	if err := ok.Check(); err != nil || ok.Note != "no alarm" || *ok.RiskID != id {
		t.Errorf("%v %+v", err, ok)
	}
	if err := (&SelfCheckInput{Ref: "L3-PES1-01", Result: ResultPartial, RiskID: ptr("FX-000012")}).Check(); err != nil {
		t.Errorf("a risk by its number: %v", err)
	}
	// Only a gap keeps links.
	if field, _ := (SelfCheck{Ref: "L3-PES1-01", Result: ResultConform, RiskID: id}).LinkProblem(); field != "L3-PES1-01 result" {
		t.Errorf("a conforming item kept its risk: %q", field)
	}
	if field, _ := (SelfCheck{Ref: "L3-PES1-01", Result: ResultPartial, RiskID: id}).LinkProblem(); field != "" {
		t.Errorf("a gap may keep its risk: %q", field)
	}
	x := SelfAssessment{Level: 4}
	if firstField(CheckSelfAssessment(&x)) != "level" {
		t.Error("level 4 has no shipped items")
	}
	x = SelfAssessment{Level: 3, Extensions: []string{"ics", "cloud"}}
	if err := CheckSelfAssessment(&x); err != nil || x.Extensions[0] != "cloud" {
		t.Errorf("%v %v", err, x.Extensions)
	}
	if got := ExtensionsFor([]string{"big_data", "iot", "cloud"}); len(got) != 2 || got[0] != "cloud" || got[1] != "iot" {
		t.Errorf("extensions %v", got)
	}
}

func firstField(err error) string {
	if e := AsError(err); err != nil && len(e.Fields) > 0 {
		return e.Fields[0].Field
	}
	return ""
}

func ptr[T any](v T) *T { return &v }

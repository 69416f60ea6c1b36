package isms

import "testing"

// Hand-worked cases for each method under its defaults.
func TestRiskMethods(t *testing.T) {
	for _, c := range []struct {
		name       string
		m          RiskMethod
		in         RiskInput
		l, f, r    float64
		level      int
		acceptable bool
	}{
		// L = round(√(4·3) = 3.46) = 3, F = round(√(5·4) = 4.47) = 4, R = 3·4 = 12: band 7–12, level 2.
		{"matrix", DefaultRiskMethod(MethodMatrix), RiskInput{T: 4, V: 3, Ia: 5, Va: 4}, 3, 4, 12, 2, true},
		{"matrix top", DefaultRiskMethod(MethodMatrix), RiskInput{T: 5, V: 5, Ia: 5, Va: 5}, 5, 5, 25, 5, false},
		{"matrix bottom", DefaultRiskMethod(MethodMatrix), RiskInput{T: 1, V: 1, Ia: 1, Va: 1}, 1, 1, 1, 1, true},
		// L = 2, F = 3, R = 6: the top of band 1–6.
		{"matrix band edge", DefaultRiskMethod(MethodMatrix), RiskInput{T: 2, V: 2, Ia: 3, Va: 3}, 2, 3, 6, 1, true},
		// L = 3.46, F = 4.47, R = 15.4662 → 15.47: above 11–15, level 4.
		{"multiply sqrt", DefaultRiskMethod(MethodMultiply), RiskInput{T: 4, V: 3, Ia: 5, Va: 4}, 3.46, 4.47, 15.47, 4, false},
		{"multiply half up", withRounding(RoundHalfUp), RiskInput{T: 4, V: 3, Ia: 5, Va: 4}, 3, 4, 12, 3, false},
		{"multiply up", withRounding(RoundUp), RiskInput{T: 4, V: 3, Ia: 5, Va: 4}, 4, 5, 20, 4, false},
		// √(2·2) = 2 exactly: rounding up leaves it.
		{"multiply up exact", withRounding(RoundUp), RiskInput{T: 2, V: 2, Ia: 1, Va: 1}, 2, 1, 2, 1, true},
		{"iso27005", DefaultRiskMethod(MethodISO27005), RiskInput{Likelihood: 3, Impact: 4}, 3, 4, 12, 3, false},
		{"iso27005 low", DefaultRiskMethod(MethodISO27005), RiskInput{Likelihood: 2, Impact: 5}, 2, 5, 10, 2, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.m.Validate(); err != nil {
				t.Fatalf("default method invalid: %v", err)
			}
			r, err := c.m.Compute(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if r.L != c.l || r.F != c.f || r.R != c.r || r.Level != c.level || r.Acceptable != c.acceptable {
				t.Fatalf("got %+v, want L %v F %v R %v level %d acceptable %v", r, c.l, c.f, c.r, c.level, c.acceptable)
			}
		})
	}
}

func withRounding(rule string) RiskMethod {
	m := DefaultRiskMethod(MethodMultiply)
	m.Rounding = rule
	return m
}

// Band boundaries: the last value of a band is in it, the next above it;
// values between whole-number bands go up.
func TestRiskBands(t *testing.T) {
	m := DefaultRiskMethod(MethodMultiply) // 1–5, 6–10, 11–15, 16–20, 21–25
	for r, want := range map[float64]int{1: 1, 5: 1, 5.01: 2, 6: 2, 10: 2, 10.5: 3, 15: 3, 16: 4, 20: 4, 20.01: 5, 25: 5} {
		if got := m.Level(r); got != want {
			t.Errorf("R %v: level %d, want %d", r, got, want)
		}
	}
}

// Broken methods and scores are refused, naming the place and the rule.
func TestRiskMethodRefusals(t *testing.T) {
	fieldOf := func(err error) string {
		e := AsError(err)
		if e == nil || len(e.Fields) == 0 {
			return ""
		}
		return e.Fields[0].Field + " " + e.Fields[0].Msg.ID
	}
	for name, c := range map[string]struct {
		change func(*RiskMethod)
		want   string
	}{
		"hole":         {func(m *RiskMethod) { m.LTable[2] = m.LTable[2][:4] }, "l_table[3] risk.table_shape"},
		"missing":      {func(m *RiskMethod) { m.FTable = nil }, "f_table risk.table_shape"},
		"out of scale": {func(m *RiskMethod) { m.LTable[1][4] = 6 }, "l_table[2][5] field.range"},
		"zero":         {func(m *RiskMethod) { m.RTable[0][0] = 0 }, "r_table[1][1] field.range"},
		"overlap":      {func(m *RiskMethod) { m.Bands[1].Min = 6 }, "bands[2].min risk.band_overlap"},
		"gap":          {func(m *RiskMethod) { m.Bands[2].Min = 14 }, "bands[3].min risk.band_gap"},
		"short":        {func(m *RiskMethod) { m.Bands[4].Max = 24 }, "bands[5].max risk.band_end"},
		"start":        {func(m *RiskMethod) { m.Bands[0].Min = 0 }, "bands[1].min risk.band_start"},
		"order":        {func(m *RiskMethod) { m.Bands[0].Level, m.Bands[1].Level = 2, 1 }, "bands[1].level risk.band_order"},
		"four bands":   {func(m *RiskMethod) { m.Bands = m.Bands[:4] }, "bands risk.bands_count"},
		"accept":       {func(m *RiskMethod) { m.AcceptLevel = 6 }, "accept_level field.range"},
		"kind":         {func(m *RiskMethod) { m.Kind = "guess" }, "kind field.one_of"},
	} {
		m := DefaultRiskMethod(MethodMatrix)
		c.change(&m)
		if got := fieldOf(m.Validate()); got != c.want {
			t.Errorf("%s: %q, want %q", name, got, c.want)
		}
	}
	// x·y then x·y reaches 625: bands ending at 25 are refused.
	m := DefaultRiskMethod(MethodMultiply)
	m.Combine = CombineProduct
	if got := fieldOf(m.Validate()); got != "bands[5].max risk.band_end" {
		t.Errorf("product bands: %q", got)
	}
	m = DefaultRiskMethod(MethodMatrix)
	if _, err := m.Compute(RiskInput{T: 6, V: 3, Ia: 5, Va: 0}); fieldOf(err) != "threat field.range" || len(AsError(err).Fields) != 2 {
		t.Errorf("scores out of scale: %v", err)
	}
	m = DefaultRiskMethod(MethodISO27005)
	if _, err := m.Compute(RiskInput{T: 3, V: 3, Ia: 3, Va: 3}); fieldOf(err) != "likelihood field.range" {
		t.Errorf("ISO scores missing: %v", err)
	}
}

// Asset value strategies against hand-worked values.
func TestAssetValue(t *testing.T) {
	w := [3]float64{0.4, 0.3, 0.3}
	for _, c := range []struct {
		strategy string
		c, i, a  int
		weights  [3]float64
		want     int
	}{
		{ValueMax, 5, 3, 1, w, 5},
		{ValueLog2, 5, 3, 1, w, 4},                       // log2((32+8+2)/3 = 14) = 3.81
		{ValueLog2, 1, 1, 1, w, 1},                       // log2(2) = 1
		{ValueLog2, 5, 5, 5, w, 5},                       // log2(32) = 5
		{ValueLog2, 3, 2, 2, w, 2},                       // log2((8+4+4)/3 = 5.33) = 2.415
		{ValueWeighted, 5, 3, 1, w, 3},                   // 2 + 0.9 + 0.3 = 3.2
		{ValueWeighted, 5, 4, 4, [3]float64{1, 1, 1}, 4}, // 4.33
		{ValueWeighted, 2, 3, 5, [3]float64{1, 1, 0}, 3}, // 2.5 rounds up
		{ValueWeighted, 2, 3, 5, [3]float64{}, 5},        // no weights: the highest
	} {
		if got := AssetValue(c.strategy, c.c, c.i, c.a, c.weights); got != c.want {
			t.Errorf("%s(%d, %d, %d): %d, want %d", c.strategy, c.c, c.i, c.a, got, c.want)
		}
	}
}

package isms

import (
	"math"
	"strconv"
)

// Risk calculation after GB/T 20984 (R = R(L(T, V), F(Ia, Va))) and
// ISO/IEC 27005, as pure functions of a method version and the scores,
// so that the same inputs under the same version always give the same
// result (mlps.md §4.3). Scores are on 1–5 scales (很低 … 很高).

// Risk method kinds.
const (
	MethodMatrix   = "matrix"   // 矩阵法: L, F and R from three 5×5 lookup tables
	MethodMultiply = "multiply" // 相乘法: L = f(T, V), F = f(Ia, Va), R = L × F
	MethodISO27005 = "iso27005" // likelihood and impact entered directly, R from a 5×5 table
)

// RiskMethodKinds lists the kinds.
var RiskMethodKinds = []string{MethodMatrix, MethodMultiply, MethodISO27005}

// Combining functions of the multiplication method and its rounding rules.
const (
	CombineSqrt    = "sqrt"    // z = √(x·y)
	CombineProduct = "product" // z = x·y
	RoundNone      = "none"    // keep two decimals
	RoundHalfUp    = "half_up" // to the nearest whole number, .5 up
	RoundUp        = "up"      // to the next whole number
)

// Table is a 5×5 lookup table: Table[x-1][y-1] for scores x and y.
type Table [][]int

// RiskBand maps risk values Min…Max (inclusive) to a level 1–5.
type RiskBand struct {
	Level int     `json:"level"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
}

// RiskMethod is one version of an organization's risk method. Changing a
// method makes a new version; an assessment keeps the version it used.
type RiskMethod struct {
	Version int    `json:"version"`
	Kind    string `json:"kind"`
	// Matrix method: likelihood from (T, V), loss from (Ia, Va).
	LTable Table `json:"l_table,omitempty"`
	FTable Table `json:"f_table,omitempty"`
	// Matrix and ISO/IEC 27005 methods: risk value from (L, F) or
	// (likelihood, impact), 1–25.
	RTable Table `json:"r_table,omitempty"`
	// Multiplication method.
	Combine  string `json:"combine,omitempty"`
	Rounding string `json:"rounding,omitempty"`
	// Bands map R to levels 1–5, in order, without gaps or overlaps; a
	// risk at or below AcceptLevel may be accepted.
	Bands       []RiskBand `json:"bands"`
	AcceptLevel int        `json:"accept_level"`
}

// RiskInput is what an assessor scores for one scenario: threat frequency
// T, vulnerability exploitability V, asset value Ia and vulnerability
// severity Va — or, for ISO/IEC 27005, likelihood and impact directly.
type RiskInput struct {
	T, V, Ia, Va       int
	Likelihood, Impact int
}

// RiskResult is the computed likelihood, loss, risk value and level.
type RiskResult struct {
	L          float64 `json:"l"`
	F          float64 `json:"f"`
	R          float64 `json:"r"`
	Level      int     `json:"level"`
	Acceptable bool    `json:"acceptable"`
}

// RiskLevels are the level names, 1–5.
var RiskLevels = []string{"very_low", "low", "medium", "high", "very_high"}

// rootTable is √(x·y) rounded half up: the default likelihood and loss
// tables, so that the matrix and multiplication defaults agree.
func rootTable() Table {
	t := make(Table, 5)
	for x := range 5 {
		t[x] = make([]int, 5)
		for y := range 5 {
			t[x][y] = int(math.Floor(math.Sqrt(float64((x+1)*(y+1))) + 0.5))
		}
	}
	return t
}

// productTable is x·y: the default risk table.
func productTable() Table {
	t := make(Table, 5)
	for x := range 5 {
		t[x] = make([]int, 5)
		for y := range 5 {
			t[x][y] = (x + 1) * (y + 1)
		}
	}
	return t
}

// DefaultRiskMethod returns the starting method of a kind. The tables and
// band cut-offs are the customary examples of mlps.md §4.3, not values
// the standard fixes: the settings page says so, and they are editable.
func DefaultRiskMethod(kind string) RiskMethod {
	m := RiskMethod{Version: 1, Kind: kind, AcceptLevel: 2}
	switch kind {
	case MethodMultiply:
		m.Combine, m.Rounding = CombineSqrt, RoundNone
		m.Bands = bandsFrom(5, 10, 15, 20, 25)
	case MethodISO27005:
		m.RTable = productTable()
		m.Bands = bandsFrom(5, 10, 15, 20, 25)
	default:
		m.Kind = MethodMatrix
		m.LTable, m.FTable, m.RTable = rootTable(), rootTable(), productTable()
		m.Bands = bandsFrom(6, 12, 18, 23, 25)
	}
	return m
}

// bandsFrom builds five whole-number bands from their upper bounds.
func bandsFrom(maxes ...float64) []RiskBand {
	out := make([]RiskBand, len(maxes))
	lo := 1.0
	for i, hi := range maxes {
		out[i] = RiskBand{Level: i + 1, Min: lo, Max: hi}
		lo = hi + 1
	}
	return out
}

// Validate checks a method: complete tables with values in range, bands
// that cover 1–25 in order without gaps or overlaps, a known combining
// function and rounding rule, an acceptance level 1–5.
func (m *RiskMethod) Validate() error {
	var p Problems
	switch m.Kind {
	case MethodMatrix:
		checkTable(&p, "l_table", m.LTable, 5)
		checkTable(&p, "f_table", m.FTable, 5)
		checkTable(&p, "r_table", m.RTable, 25)
	case MethodISO27005:
		checkTable(&p, "r_table", m.RTable, 25)
	case MethodMultiply:
		if m.Combine != CombineSqrt && m.Combine != CombineProduct {
			p.Add("combine", "field.one_of", "values", CombineSqrt+", "+CombineProduct)
		}
		if m.Rounding != RoundNone && m.Rounding != RoundHalfUp && m.Rounding != RoundUp {
			p.Add("rounding", "field.one_of", "values", RoundNone+", "+RoundHalfUp+", "+RoundUp)
		}
	default:
		p.Add("kind", "field.one_of", "values", MethodMatrix+", "+MethodMultiply+", "+MethodISO27005)
	}
	checkBands(&p, m.Bands, m.maxR())
	if m.AcceptLevel < 1 || m.AcceptLevel > 5 {
		p.Add("accept_level", "field.range", "min", 1, "max", 5)
	}
	return p.Err()
}

// maxR is the largest risk value the method can give.
func (m *RiskMethod) maxR() float64 {
	if m.Kind == MethodMultiply && m.Combine == CombineProduct {
		return 625 // (5·5)·(5·5)
	}
	return 25
}

// checkTable requires 5 rows of 5 values, each 1…max.
func checkTable(p *Problems, field string, t Table, max int) {
	if len(t) != 5 {
		p.Add(field, "risk.table_shape")
		return
	}
	for x, row := range t {
		if len(row) != 5 {
			p.Add(field+"["+strconv.Itoa(x+1)+"]", "risk.table_shape")
			continue
		}
		for y, v := range row {
			if v < 1 || v > max {
				p.Add(field+"["+strconv.Itoa(x+1)+"]["+strconv.Itoa(y+1)+"]", "field.range", "min", 1, "max", max)
			}
		}
	}
}

// checkBands requires levels 1–5 in order, the first starting at 1, each
// starting one above the previous end (no gap, no overlap), the last
// ending at max.
func checkBands(p *Problems, bands []RiskBand, max float64) {
	if len(bands) != 5 {
		p.Add("bands", "risk.bands_count")
		return
	}
	for i, b := range bands {
		f := "bands[" + strconv.Itoa(i+1) + "]"
		switch {
		case b.Level != i+1:
			p.Add(f+".level", "risk.band_order")
		case b.Min > b.Max:
			p.Add(f, "risk.band_empty")
		case i == 0 && b.Min != 1:
			p.Add(f+".min", "risk.band_start")
		case i > 0 && b.Min <= bands[i-1].Max:
			p.Add(f+".min", "risk.band_overlap", "level", i)
		case i > 0 && b.Min > bands[i-1].Max+1:
			p.Add(f+".min", "risk.band_gap", "level", i)
		case i == 4 && b.Max != max:
			p.Add(f+".max", "risk.band_end", "max", max)
		}
	}
}

// Compute scores one scenario under the method. The inputs must be on
// their 1–5 scales; the method must be valid.
func (m *RiskMethod) Compute(in RiskInput) (RiskResult, error) {
	var p Problems
	scale := func(field string, v int) {
		if v < 1 || v > 5 {
			p.Add(field, "field.range", "min", 1, "max", 5)
		}
	}
	if m.Kind == MethodISO27005 {
		scale("likelihood", in.Likelihood)
		scale("impact", in.Impact)
	} else {
		scale("threat", in.T)
		scale("vulnerability", in.V)
		scale("asset_value", in.Ia)
		scale("severity", in.Va)
	}
	if err := p.Err(); err != nil {
		return RiskResult{}, err
	}
	var r RiskResult
	switch m.Kind {
	case MethodMatrix:
		r.L, r.F = float64(m.LTable[in.T-1][in.V-1]), float64(m.FTable[in.Ia-1][in.Va-1])
		r.R = float64(m.RTable[int(r.L)-1][int(r.F)-1])
	case MethodISO27005:
		r.L, r.F = float64(in.Likelihood), float64(in.Impact)
		r.R = float64(m.RTable[in.Likelihood-1][in.Impact-1])
	default:
		r.L, r.F = m.combine(in.T, in.V), m.combine(in.Ia, in.Va)
		r.R = round2(r.L * r.F)
	}
	r.Level = m.Level(r.R)
	r.Acceptable = r.Level <= m.AcceptLevel
	return r, nil
}

// combine applies the multiplication method's function and rounding.
func (m *RiskMethod) combine(x, y int) float64 {
	z := float64(x * y)
	if m.Combine == CombineSqrt {
		z = math.Sqrt(z)
	}
	switch m.Rounding {
	case RoundHalfUp:
		return math.Floor(z + 0.5)
	case RoundUp:
		return math.Ceil(z - 1e-9)
	}
	return round2(z)
}

// round2 rounds to two decimals, half up, so results print and compare
// the same everywhere.
func round2(z float64) float64 { return math.Floor(z*100+0.5) / 100 }

// Level bands a risk value: the first band whose end it does not pass, so
// a value between two whole-number bands (5.5 between 1–5 and 6–10) takes
// the higher level.
func (m *RiskMethod) Level(r float64) int {
	for _, b := range m.Bands {
		if r <= b.Max {
			return b.Level
		}
	}
	return len(m.Bands)
}

// AssetValue strategies: how C, I and A combine into an asset's value.
const (
	ValueMax      = "max"      // the highest of the three
	ValueWeighted = "weighted" // a weighted mean, rounded half up
	ValueLog2     = "log2"     // round(log2((2^C + 2^I + 2^A) / 3))
)

// AssetValue combines confidentiality, integrity and availability values
// (1–5) into the asset's value 1–5. Weights are for ValueWeighted (C, I,
// A; they need not sum to 1).
func AssetValue(strategy string, c, i, a int, weights [3]float64) int {
	var v float64
	switch strategy {
	case ValueWeighted:
		sum := weights[0] + weights[1] + weights[2]
		if sum <= 0 {
			return max(c, i, a)
		}
		v = (weights[0]*float64(c) + weights[1]*float64(i) + weights[2]*float64(a)) / sum
	case ValueLog2:
		v = math.Log2((math.Exp2(float64(c)) + math.Exp2(float64(i)) + math.Exp2(float64(a))) / 3)
	default:
		return max(c, i, a)
	}
	return min(5, max(1, int(math.Floor(v+0.5+1e-9))))
}

// ValueStrategies lists the asset value strategies.
var ValueStrategies = []string{ValueMax, ValueWeighted, ValueLog2}

// Cell is where a result sits on the 5×5 heat map: likelihood and loss
// (or impact) on 1–5. Lookup methods give them directly; the
// multiplication method's √(x·y) is rounded half up, its x·y (1–25) put
// in fifths.
func (m *RiskMethod) Cell(r RiskResult) (l, f int) {
	at := func(v float64) int {
		if m.Kind == MethodMultiply && m.Combine == CombineProduct {
			v = math.Ceil(v/5 - 1e-9)
		}
		return min(5, max(1, int(math.Floor(v+0.5))))
	}
	return at(r.L), at(r.F)
}

package isms

import (
	"slices"
	"strconv"
	"strings"
)

// MLPS grading (定级, GB/T 22240): for each of two dimensions — the
// security of the business information (业务信息安全, "S") and of the
// system service (系统服务安全, "A") — the grader ticks which objects of
// protection would be harmed and how badly, with a justification for each
// judgement. A dimension's level is the highest cell of the grading
// matrix among its ticks; the object's level is the higher of the two.
// The matrix changed between template versions, so it is data
// (GradingMatrix), kept with every grading by its version.

// Objects of protection (受侵害的客体).
const (
	HarmCitizen  = "citizen"  // 公民、法人和其他组织的合法权益
	HarmSocial   = "social"   // 社会秩序、公共利益
	HarmNational = "national" // 国家安全 (2025: 或地区安全、国计民生)
)

// HarmObjects lists the objects of protection in the matrix's row order.
var HarmObjects = []string{HarmCitizen, HarmSocial, HarmNational}

// Degrees of harm (侵害程度).
const (
	DegreeGeneral = "general" // 一般损害
	DegreeSerious = "serious" // 严重损害
	DegreeExtreme = "extreme" // 特别严重损害
)

// HarmDegrees lists the degrees in the matrix's column order.
var HarmDegrees = []string{DegreeGeneral, DegreeSerious, DegreeExtreme}

// Grading dimensions.
const (
	DimBusiness = "business" // 业务信息安全保护等级 (S)
	DimService  = "service"  // 系统服务安全保护等级 (A)
)

// GradingDimensions lists the dimensions in the order forms show them.
var GradingDimensions = []string{DimBusiness, DimService}

// GradingMatrix maps an object of protection and a degree of harm to a
// level, for one template version. Both dimensions use the same matrix.
type GradingMatrix struct {
	Version string `json:"version" yaml:"version"` // template version: "2020", "2025"
	// Objects names each object of protection as this version words it.
	Objects map[string]string `json:"objects" yaml:"objects"`
	// Levels[object][degree] is the level of that cell.
	Levels map[string]map[string]int `json:"levels" yaml:"levels"`
}

// Cell is the level of one cell; ok is false when the matrix has no such
// cell.
func (m GradingMatrix) Cell(object, degree string) (level int, ok bool) {
	level, ok = m.Levels[object][degree]
	return level, ok
}

// Check validates a matrix as data: every cell present, levels 1–5.
func (m GradingMatrix) Check() error {
	var p Problems
	if strings.TrimSpace(m.Version) == "" {
		p.Add("version", "field.required")
	}
	for _, o := range HarmObjects {
		if strings.TrimSpace(m.Objects[o]) == "" {
			p.Add("objects "+o, "field.required")
		}
		for _, d := range HarmDegrees {
			if l, ok := m.Cell(o, d); !ok || l < 1 || l > 5 {
				p.Add("levels "+o+" "+d, "field.range", "min", 1, "max", 5)
			}
		}
	}
	return p.Err()
}

// HarmTick is one judgement of a grading: this object of protection
// would suffer this degree of harm, and why.
type HarmTick struct {
	Dimension     string `json:"dimension"` // GradingDimensions
	Object        string `json:"object"`    // HarmObjects
	Degree        string `json:"degree"`    // HarmDegrees
	Justification string `json:"justification"`
}

// GradingResult is what a grading's ticks give under a matrix.
type GradingResult struct {
	Business int `json:"business"` // S
	Service  int `json:"service"`  // A
	Level    int `json:"level"`    // the higher of the two
}

// Notation is the S/A notation that selects GB/T 22239 requirements, as
// in "S2A3".
func (r GradingResult) Notation() string {
	return "S" + strconv.Itoa(r.Business) + "A" + strconv.Itoa(r.Service)
}

// GradeTicks computes the levels of a grading under m. Each dimension
// needs at least one tick, each tick a known object and degree and a
// justification, and no cell may be ticked twice in one dimension.
// Problems name the tick by its dimension and position.
func GradeTicks(m GradingMatrix, ticks []HarmTick) (GradingResult, error) {
	var r GradingResult
	var p Problems
	seen := map[string]bool{}
	for i := range ticks {
		t := &ticks[i]
		TrimFields(&t.Justification)
		field := "ticks #" + strconv.Itoa(i+1)
		if !slices.Contains(GradingDimensions, t.Dimension) {
			p.Add(field+" dimension", "field.one_of", "values", strings.Join(GradingDimensions, ", "))
			continue
		}
		level, ok := m.Cell(t.Object, t.Degree)
		if !ok {
			p.Add(field+" object", "grading.unknown_cell", "object", t.Object, "degree", t.Degree)
			continue
		}
		key := t.Dimension + " " + t.Object + " " + t.Degree
		if seen[key] {
			p.Add(field, "grading.duplicate_tick")
			continue
		}
		seen[key] = true
		if t.Justification == "" {
			p.Add(field+" justification", "grading.justification_required")
		}
		checkLongText(&p, field+" justification", t.Justification, 4000)
		if t.Dimension == DimBusiness {
			r.Business = max(r.Business, level)
		} else {
			r.Service = max(r.Service, level)
		}
	}
	if r.Business == 0 {
		p.Add("ticks "+DimBusiness, "grading.dimension_required")
	}
	if r.Service == 0 {
		p.Add("ticks "+DimService, "grading.dimension_required")
	}
	r.Level = max(r.Business, r.Service)
	return r, p.Err()
}

// CheckClaimedLevel refuses a level stated on a form that disagrees with
// the one its ticks give.
func CheckClaimedLevel(r GradingResult, claimed int) error {
	if claimed != 0 && claimed != r.Level {
		return Invalid("level", M("grading.level_mismatch", "claimed", claimed, "level", r.Level, "s", r.Business,
			"a", r.Service))
	}
	return nil
}

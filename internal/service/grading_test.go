package service_test

import (
	"fmt"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/service"
)

// Every cell of both matrices, for both dimensions, against the tables of
// mlps.md §1.2 written out by hand; and the higher dimension decides.
func TestGradingMatrices(t *testing.T) {
	want := map[string][3][3]int{ // rows citizen, social, national; columns general, serious, extreme
		"2020": {{1, 2, 2}, {2, 3, 4}, {3, 4, 5}},
		"2025": {{1, 2, 2}, {2, 3, 4}, {4, 5, 5}},
	}
	vs, err := service.GradingTemplateVersions()
	if err != nil || fmt.Sprint(vs) != "[2020 2025]" {
		t.Fatalf("versions %v %v", vs, err)
	}
	for version, rows := range want {
		m, err := service.GradingMatrix(version)
		if err != nil {
			t.Fatal(err)
		}
		for i, object := range isms.HarmObjects {
			for j, degree := range isms.HarmDegrees {
				for _, dim := range isms.GradingDimensions {
					other := isms.DimService
					if dim == isms.DimService {
						other = isms.DimBusiness
					}
					// The other dimension at level 1 leaves this one to decide.
					r, err := isms.GradeTicks(m, []isms.HarmTick{
						{Dimension: dim, Object: object, Degree: degree, Justification: "影响"},
						{Dimension: other, Object: isms.HarmCitizen, Degree: isms.DegreeGeneral, Justification: "轻微"}})
					got := r.Business
					if dim == isms.DimService {
						got = r.Service
					}
					if err != nil || got != rows[i][j] || r.Level != rows[i][j] {
						t.Errorf("%s %s %s %s: %+v %v, want %d", version, dim, object, degree, r, err, rows[i][j])
					}
				}
			}
		}
	}
	if m, _ := service.GradingMatrix("2025"); m.Objects[isms.HarmNational] != "国家安全或地区安全、国计民生" {
		t.Errorf("2025 wording %q", m.Objects[isms.HarmNational])
	}
	if _, err := service.GradingMatrix("2008"); isms.ErrorCode(err) != isms.CodeInvalid {
		t.Errorf("unknown version: %v", err)
	}
}

// Each dimension takes its highest ticked cell; the level is the higher of
// the two; S/A notation follows.
func TestGradeTicks(t *testing.T) {
	m, err := service.GradingMatrix("2020")
	if err != nil {
		t.Fatal(err)
	}
	tick := func(dim, object, degree string) isms.HarmTick {
		return isms.HarmTick{Dimension: dim, Object: object, Degree: degree, Justification: "依据"}
	}
	r, err := isms.GradeTicks(m, []isms.HarmTick{
		tick(isms.DimBusiness, isms.HarmCitizen, isms.DegreeExtreme), // 2
		tick(isms.DimBusiness, isms.HarmSocial, isms.DegreeGeneral),  // 2
		tick(isms.DimService, isms.HarmSocial, isms.DegreeSerious),   // 3
		tick(isms.DimService, isms.HarmCitizen, isms.DegreeSerious),  // 2
	})
	if err != nil || r != (isms.GradingResult{Business: 2, Service: 3, Level: 3}) || r.Notation() != "S2A3" {
		t.Fatalf("%+v %s %v", r, r.Notation(), err)
	}
	if err := isms.CheckClaimedLevel(r, 2); isms.ErrorCode(err) != isms.CodeInvalid {
		t.Errorf("a claimed level 2 for S2A3: %v", err)
	}
	if err := isms.CheckClaimedLevel(r, 3); err != nil {
		t.Errorf("claimed 3: %v", err)
	}
	for _, c := range []struct {
		name  string
		ticks []isms.HarmTick
		field string
		rule  string
	}{
		{"no justification", []isms.HarmTick{{Dimension: isms.DimBusiness, Object: isms.HarmCitizen, Degree: isms.DegreeGeneral},
			tick(isms.DimService, isms.HarmCitizen, isms.DegreeGeneral)}, "ticks #1 justification", "grading.justification_required"},
		{"one dimension only", []isms.HarmTick{tick(isms.DimBusiness, isms.HarmCitizen, isms.DegreeGeneral)},
			"ticks service", "grading.dimension_required"},
		{"unknown degree", []isms.HarmTick{tick(isms.DimBusiness, isms.HarmCitizen, "huge")}, "ticks #1 object", "grading.unknown_cell"},
		{"same cell twice", []isms.HarmTick{tick(isms.DimBusiness, isms.HarmSocial, isms.DegreeGeneral),
			tick(isms.DimBusiness, isms.HarmSocial, isms.DegreeGeneral), tick(isms.DimService, isms.HarmCitizen, isms.DegreeGeneral)},
			"ticks #2", "grading.duplicate_tick"},
	} {
		_, err := isms.GradeTicks(m, c.ticks)
		e := isms.AsError(err)
		if e == nil || e.Fields[0].Field != c.field || e.Fields[0].Msg.ID != c.rule {
			t.Errorf("%s: %+v, want %s %s", c.name, e, c.field, c.rule)
		}
	}
}

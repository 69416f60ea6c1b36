package service_test

import (
	"context"
	"strings"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// coverRow finds a requirement of a coverage view by reference.
func coverRow(t *testing.T, c service.ControlCoverage, ref string) isms.CoverRow {
	t.Helper()
	for _, r := range c.Rows {
		if r.Ref == ref {
			return r
		}
	}
	t.Fatalf("no coverage row %s", ref)
	return isms.CoverRow{}
}

func TestMeasuresAndCoverage(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		fw, err := o.svc.SoAFrameworkID(ctx, o.author)
		if err != nil {
			t.Fatal(err)
		}
		emp1 := personID(t, o, "emp1")

		// Unknown requirements are refused, each named; nothing is stored.
		_, err = o.svc.SaveMeasure(ctx, o.author, "", isms.Measure{Title: "核心数据每日备份",
			Requirements: service.ParseMeasureRequirements("A.8.13\nISO27001:2022 A.9.99\nNOPE A.8.13")})
		wantCode(t, err, isms.CodeInvalid, "requirements")
		if e := isms.AsError(err); len(e.Fields) != 2 || e.Fields[0].Msg.Args["value"] != "ISO27001:2022 A.9.99" ||
			e.Fields[1].Msg.Args["value"] != "NOPE A.8.13" {
			t.Fatalf("problems %+v", e.Fields)
		}
		_, err = o.svc.SaveMeasure(ctx, o.author, "", isms.Measure{Title: " ", Status: "done"})
		wantCode(t, err, isms.CodeInvalid, "title")
		_, err = o.svc.SaveMeasure(ctx, o.head, "", isms.Measure{Title: "x"})
		wantCode(t, err, isms.CodeForbidden, "")
		if ms, _ := o.svc.Measures(ctx, o.author, store.MeasureFilter{}); len(ms) != 0 {
			t.Fatalf("refused measures stored: %d", len(ms))
		}

		// One backup measure covers A.8.13 of 2022 and, through the
		// mapping, nothing more; a second one names A.12.3.1 of 2013,
		// which maps to 8.13 as equal.
		backup, err := o.svc.SaveMeasure(ctx, o.author, "", isms.Measure{Title: "核心数据每日备份", DeptID: o.eng.ID,
			OwnerID: emp1, DueOn: "2026-10-01", Requirements: service.ParseMeasureRequirements("A.8.13")})
		if err != nil {
			t.Fatal(err)
		}
		if backup.Number() != "CS-0001" || backup.Status != isms.ImplPlanned || backup.Requirements[0].FrameworkID != fw {
			t.Fatalf("created %s %s %+v", backup.Number(), backup.Status, backup.Requirements)
		}
		legacy, err := o.svc.SaveMeasure(ctx, o.author, "", isms.Measure{Title: "旧版备份规程", Status: isms.ImplImplemented,
			Requirements: service.ParseMeasureRequirements("ISO27001:2013 A.12.3.1")})
		if err != nil || legacy.Number() != "CS-0002" {
			t.Fatal(legacy.Number(), err)
		}
		// The SoA excludes A.5.23: excluded requirements are not counted.
		x, _ := o.svc.SoA(ctx, o.author, fw)
		if _, err := o.svc.SaveSoARow(ctx, o.author, soaEntry(t, x, "A.5.23").Node.ID, service.SoARowInput{
			Applicable: ptr(false), Justification: "不使用云服务。"}); err != nil {
			t.Fatal(err)
		}

		c, err := o.svc.ControlCoverage(ctx, o.author, fw, "zh-CN")
		if err != nil {
			t.Fatal(err)
		}
		// 93 Annex A controls and the assessable clauses; one excluded.
		if c.Summary.Total != len(c.Rows)-1 || coverRow(t, c, "A.5.23").State != isms.CoverExcluded {
			t.Fatalf("total %d of %d rows", c.Summary.Total, len(c.Rows))
		}
		r := coverRow(t, c, "A.8.13")
		// The direct measure is planned; the mapped one is implemented
		// without evidence: no evidence beats partial.
		if len(r.Links) != 2 || r.State != isms.CoverNoEvidence {
			t.Fatalf("A.8.13 %s %+v", r.State, r.Links)
		}
		var via isms.CoverLink
		for _, l := range r.Links {
			if l.Via != "" {
				via = l
			}
		}
		if via.MeasureID != legacy.ID || via.Via != "ISO27001:2013 A.12.3.1" || via.Relation != isms.RelEqual {
			t.Fatalf("mapped link %+v", via)
		}
		if c.Summary.States[isms.CoverNoEvidence] != 1 || c.Summary.States[isms.CoverNone] != c.Summary.Total-1 {
			t.Fatalf("summary %+v", c.Summary)
		}

		// The owner (an employee, who does not see the SoA) sees their
		// measure, changes its status only, and adds evidence.
		own, err := o.svc.Measures(ctx, o.emp1, store.MeasureFilter{})
		if err != nil || len(own) != 1 || own[0].ID != backup.ID {
			t.Fatalf("owner's list %v %d", err, len(own))
		}
		if ms, _ := o.svc.Measures(ctx, o.emp2, store.MeasureFilter{}); len(ms) != 0 {
			t.Fatalf("another employee sees %d measures", len(ms))
		}
		if _, err := o.svc.Measure(ctx, o.emp2, backup.ID); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("another employee read the measure: %v", err)
		}
		m, err := o.svc.SaveMeasure(ctx, o.emp1, backup.ID, isms.Measure{Title: "改名", Status: isms.ImplImplemented})
		if err != nil || m.Title != "核心数据每日备份" || m.Status != isms.ImplImplemented || m.OwnerID != emp1 {
			t.Fatalf("owner's save %v %+v", err, m)
		}
		d, _ := o.svc.Measure(ctx, o.emp1, backup.ID)
		if !d.CanWork || d.CanEdit || len(d.Measure.Requirements) != 1 {
			t.Fatalf("owner's rights work %v edit %v, requirements %v", d.CanWork, d.CanEdit, d.Measure.Requirements)
		}
		ev, err := o.svc.AddMeasureEvidence(ctx, o.emp1, backup.ID, service.EvidenceInput{Title: "备份日志 2026-11",
			EffectiveOn: "2026-11-01", ExpiresOn: "2027-11-01"}, "backup.log", strings.NewReader("ok"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.AddMeasureEvidence(ctx, o.emp2, backup.ID, service.EvidenceInput{Title: "x",
			EffectiveOn: "2026-11-01"}, "x.log", strings.NewReader("x")); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("another employee added evidence: %v", err)
		}
		if _, _, err := o.svc.OpenAttachment(ctx, o.emp1, ev.AttachmentID); err != nil {
			t.Fatalf("owner cannot open their evidence: %v", err)
		}
		if _, _, err := o.svc.OpenAttachment(ctx, o.emp2, ev.AttachmentID); err == nil {
			t.Fatal("another employee opened the evidence")
		}

		// Implemented with evidence in effect: covered.
		c, _ = o.svc.ControlCoverage(ctx, o.author, fw, "zh-CN")
		if r := coverRow(t, c, "A.8.13"); r.State != isms.CoverCovered || c.Summary.States[isms.CoverCovered] != 1 {
			t.Fatalf("after evidence %s %+v", r.State, c.Summary)
		}
		// The 2013 framework sees the backup measure through the mapping
		// in the other direction.
		sums, err := o.svc.CoverageSummaries(ctx, o.author, "zh-CN")
		if err != nil || len(sums) != 2 {
			t.Fatalf("summaries %v %+v", err, sums)
		}
		f13 := sums[0]
		if f13.Code == service.DefaultSoAFramework {
			f13 = sums[1]
		}
		c13, _ := o.svc.ControlCoverage(ctx, o.author, f13.FrameworkID, "zh-CN")
		if r := coverRow(t, c13, "A.12.3.1"); r.State != isms.CoverCovered || len(r.Links) != 2 {
			t.Fatalf("2013 A.12.3.1 %s %+v", r.State, r.Links)
		}

		// The SoA line lists the measures naming it.
		line, err := o.svc.SoARow(ctx, o.top, soaEntry(t, x, "A.8.13").Node.ID)
		if err != nil || len(line.Measures) != 1 || line.Measures[0].ID != backup.ID {
			t.Fatalf("line measures %v %+v", err, line.Measures)
		}

		// Another organization sees none of it.
		other := otherOrgActor(t, o, isms.RoleISMSTeam)
		if _, err := o.svc.Measure(ctx, other, backup.ID); !isms.IsNotFound(err) {
			t.Fatalf("other organization read the measure: %v", err)
		}
		if err := o.svc.DeleteEvidence(ctx, other, ev.ID); !isms.IsNotFound(err) {
			t.Fatalf("other organization deleted evidence: %v", err)
		}
		if c, _ := o.svc.ControlCoverage(ctx, other, fw, "zh-CN"); coverRow(t, c, "A.8.13").State != isms.CoverNone {
			t.Fatal("another organization's coverage counts our measure")
		}

		// Removing the evidence, then the measure; each change is audited.
		if err := o.svc.DeleteEvidence(ctx, o.emp2, ev.ID); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("another employee removed evidence: %v", err)
		}
		if err := o.svc.DeleteEvidence(ctx, o.emp1, ev.ID); err != nil {
			t.Fatal(err)
		}
		if err := o.svc.DeleteMeasure(ctx, o.emp1, backup.ID); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("the owner deleted the measure: %v", err)
		}
		if err := o.svc.DeleteMeasure(ctx, o.author, backup.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.Measure(ctx, o.author, backup.ID); !isms.IsNotFound(err) {
			t.Fatalf("deleted measure read: %v", err)
		}
		entries, _ := o.svc.ListAudit(ctx, o.auditor(t), isms.AuditFilter{OrgID: o.org.ID, EntityType: "measure",
			EntityID: backup.ID, Limit: 50})
		got := map[string]bool{}
		for _, e := range entries {
			got[e.Action] = true
		}
		// The owner's status change keeps the requirements, and the trail
		// says so on both sides.
		for _, e := range entries {
			if e.Action == "measure.update" && strings.Count(e.Data, `"ref":"A.8.13"`) != 2 {
				t.Errorf("update entry lacks the requirements before and after: %s", e.Data)
			}
		}
		for _, a := range []string{"measure.create", "measure.update", "measure.evidence_add", "measure.evidence_remove",
			"measure.delete"} {
			if !got[a] {
				t.Errorf("no audit entry %s (have %v)", a, got)
			}
		}
	})
}

func TestCoverState(t *testing.T) {
	impl := isms.CoverLink{Status: isms.ImplImplemented}
	withEv := isms.CoverLink{Status: isms.ImplImplemented, Evidence: 1}
	partialMap := isms.CoverLink{Status: isms.ImplImplemented, Evidence: 3, Via: "X 1", Relation: isms.RelSubset}
	wider := isms.CoverLink{Status: isms.ImplImplemented, Evidence: 1, Via: "X 1", Relation: isms.RelSuperset}
	for _, c := range []struct {
		links []isms.CoverLink
		want  string
	}{
		{nil, isms.CoverNone},
		{[]isms.CoverLink{{Status: isms.ImplPlanned, Evidence: 2}}, isms.CoverPartial},
		{[]isms.CoverLink{impl}, isms.CoverNoEvidence},
		{[]isms.CoverLink{impl, withEv}, isms.CoverCovered},
		{[]isms.CoverLink{partialMap}, isms.CoverPartial},
		{[]isms.CoverLink{partialMap, wider}, isms.CoverCovered},
	} {
		if got := isms.CoverState(c.links); got != c.want {
			t.Errorf("%+v: %s, want %s", c.links, got, c.want)
		}
	}
	if got := isms.ParseRequirementKeys("A.8.13, ISO 27001 2013 A.12.3.1；A.8.13", "ISO27001:2022"); len(got) != 2 ||
		got[1].Framework != "ISO 27001 2013" || got[1].Ref != "A.12.3.1" {
		t.Fatalf("parsed %+v", got)
	}
}

package service_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func TestMLPSSelfAssessment(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		obj, _ := filedObject(t, o)

		// Level 4 has no shipped items; a level-3 cloud object gets the
		// 211 general items and the 46 of the cloud extension.
		_, err := o.svc.StartSelfAssessment(ctx, o.author, obj.ID, isms.SelfAssessment{Level: 4})
		wantCode(t, err, isms.CodeInvalid, "level")
		_, err = o.svc.StartSelfAssessment(ctx, o.head, obj.ID, isms.SelfAssessment{Level: 3})
		wantCode(t, err, isms.CodeForbidden, "")
		x, err := o.svc.StartSelfAssessment(ctx, o.author, obj.ID, isms.SelfAssessment{Level: 3,
			Extensions: []string{"cloud"}, Title: "2026 年自查"})
		if err != nil || x.Counts.Total != 257 {
			t.Fatalf("start: %v, %d items", err, x.Counts.Total)
		}
		_, err = o.svc.StartSelfAssessment(ctx, o.author, obj.ID, isms.SelfAssessment{Level: 2})
		wantCode(t, err, isms.CodeConflict, "object")
		// Another organization sees nothing of it.
		other := otherOrgActor(t, o, isms.RoleISMSTeam)
		_, err = o.svc.SelfAssessment(ctx, other, x.ID)
		wantCode(t, err, isms.CodeNotFound, "")
		_, err = o.svc.SelfAssessments(ctx, other, obj.ID)
		wantCode(t, err, isms.CodeNotFound, "")

		// A gap linked to a risk by its number and to a rectification item
		// of the object's evaluation.
		asset, err := o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "FW-1", Name: "边界防火墙", Type: "hardware",
			DeptID: o.eng.ID, C: 3, I: 3, A: 4})
		if err != nil {
			t.Fatal(err)
		}
		ra, err := o.svc.SaveAssessment(ctx, o.author, "", isms.Assessment{Title: "2026 风险评估", DeptIDs: []string{o.eng.ID},
			StartOn: "2026-11-01", EndOn: "2026-11-30"})
		if err != nil {
			t.Fatal(err)
		}
		threats, vulns, _ := o.svc.RiskCatalogs(ctx, o.author)
		risk, err := o.svc.SaveRisk(ctx, o.author, ra.ID, "", isms.Risk{AssetID: asset.ID, ThreatID: threats[0].ID,
			VulnID: vulns[0].ID, T: 3, V: 3, Va: 3})
		if err != nil {
			t.Fatal(err)
		}
		ag, _ := o.svc.SaveAgency(ctx, o.author, "", isms.Agency{Name: "某测评中心"})
		rate := 80.0
		ev, err := o.svc.RecordEvaluation(ctx, o.author, obj.ID, isms.Evaluation{AgencyID: ag.ID, CompletedOn: "2026-11-02",
			ReportNo: "CP-1", Template: isms.EvalTemplate2025, Rate: &rate, Conclusion: "basically_conform"})
		if err != nil {
			t.Fatal(err)
		}
		rect, err := o.svc.AddRectification(ctx, o.author, ev.ID, isms.Rectification{Description: "机房无防水检测", Risk: "medium"})
		if err != nil {
			t.Fatal(err)
		}

		// All or nothing: one bad answer (N/A without a reason) and
		// nothing is written.
		n, err := o.svc.RecordSelfChecks(ctx, o.author, x.ID, []isms.SelfCheckInput{
			{Ref: "L3-PES1-01", Result: isms.ResultConform},
			{Ref: "L3-PES1-02", Result: isms.ResultNA}})
		wantCode(t, err, isms.CodeInvalid, "L3-PES1-02 note")
		_, err = o.svc.RecordSelfChecks(ctx, o.author, x.ID, []isms.SelfCheckInput{
			{Ref: "L3-PES1-01", Result: isms.ResultConform}, {Ref: "L2-PES1-01", Result: isms.ResultConform}})
		wantCode(t, err, isms.CodeInvalid, "L2-PES1-01 ref")
		_, err = o.svc.RecordSelfChecks(ctx, o.author, x.ID, []isms.SelfCheckInput{
			{Ref: "L3-PES1-14", Result: isms.ResultNonconform, RiskID: ptr("FX-999999")}})
		wantCode(t, err, isms.CodeInvalid, "L3-PES1-14 risk_id")
		d, _ := o.svc.SelfAssessment(ctx, o.author, x.ID)
		if n != 0 || d.Assessment.Counts.Open() != 257 {
			t.Fatalf("a refused batch wrote %d items: %+v", n, d.Assessment.Counts)
		}

		// 150 conform, 40 partial, 50 nonconform, 17 not applicable, but
		// L3-PES1-14 (the 14th) is a gap: 149 / 40 / 51 / 17, internal rate
		// (149 + 0.5·40) / (257 − 17) = 169 / 240 = 70.42 %.
		var ins []isms.SelfCheckInput
		for i, c := range d.Checks {
			in := isms.SelfCheckInput{Ref: c.Ref}
			switch {
			case i < 150:
				in.Result = isms.ResultConform
			case i < 190:
				in.Result = isms.ResultPartial
			case i < 240:
				in.Result = isms.ResultNonconform
			default:
				in.Result, in.Note = isms.ResultNA, "不涉及"
			}
			if c.Ref == "L3-PES1-14" {
				in = isms.SelfCheckInput{Ref: c.Ref, Result: isms.ResultNonconform, Note: "未装漏水检测",
					RiskID: ptr(risk.Number()), RectificationID: ptr(rect.ID)}
			}
			ins = append(ins, in)
		}
		n, err = o.svc.RecordSelfChecks(ctx, o.author, x.ID, ins)
		if err != nil || n != 257 {
			t.Fatalf("answers: %d %v", n, err)
		}
		if n, _ := o.svc.RecordSelfChecks(ctx, o.author, x.ID, ins); n != 0 {
			t.Errorf("unchanged answers rewrote %d items", n)
		}
		// Links left out stay; a conforming result cannot keep them.
		if n, err := o.svc.RecordSelfChecks(ctx, o.author, x.ID, []isms.SelfCheckInput{{Ref: "L3-PES1-14",
			Result: isms.ResultNonconform, Note: "未装漏水检测"}}); err != nil || n != 0 {
			t.Errorf("an answer without its links: %d %v", n, err)
		}
		_, err = o.svc.RecordSelfChecks(ctx, o.author, x.ID, []isms.SelfCheckInput{{Ref: "L3-PES1-14", Result: isms.ResultConform}})
		wantCode(t, err, isms.CodeInvalid, "L3-PES1-14 result")
		d, _ = o.svc.SelfAssessment(ctx, o.author, x.ID)
		c := d.Assessment.Counts
		got, ok := c.Rate()
		if !ok || c.Open() != 0 || c.NA != 17 || c.Conform != 149 || c.Nonconform != 51 || math.Abs(got-70.4167) > 0.001 {
			t.Errorf("counts %+v rate %.4f", c, got)
		}
		for _, ch := range d.Checks {
			if ch.Ref == "L3-PES1-14" && (ch.RiskID != risk.ID || d.Risks[ch.RiskID] != risk.Number() || ch.RectificationID != rect.ID) {
				t.Errorf("links %+v", ch)
			}
		}
		if cp := d.ControlPoint(d.Checks[0]); cp.Ref != "PES1-01" || d.Item(d.Checks[0]).Ref != "L3-PES1-01" {
			t.Errorf("control point %+v", cp)
		}

		// Evidence once for ISO/IEC 27001 A.7.2 shows beside 物理访问控制;
		// evidence on the item counts on the item.
		fw, _ := o.svc.SoAFrameworkID(ctx, o.author)
		soa, _ := o.svc.SoA(ctx, o.author, fw)
		if _, err := o.svc.AddSoAEvidence(ctx, o.author, soaEntry(t, soa, "A.7.2").Node.ID,
			service.EvidenceInput{Title: "门禁记录", EffectiveOn: "2026-01-01"}, "door.pdf", strings.NewReader("d")); err != nil {
			t.Fatal(err)
		}
		item := d.Checks[2] // L3-PES1-03, under PES1-02
		if _, err := o.svc.AddMLPSEvidence(ctx, o.author, isms.EvidenceSelfCheck, item.ID,
			service.EvidenceInput{Title: "门禁照片"}, "gate.jpg", strings.NewReader("g")); err != nil {
			t.Fatal(err)
		}
		d, _ = o.svc.SelfAssessment(ctx, o.author, x.ID)
		if d.SoAEvidence["PES1-02"] != 1 || d.Checks[2].Evidence != 1 || d.Checks[2].Ref != "L3-PES1-03" ||
			strings.Join(d.ISO["PES1-02"], ",") != "A.7.2" {
			t.Errorf("evidence: SoA %v, item %+v, ISO %v", d.SoAEvidence, d.Checks[2], d.ISO["PES1-02"])
		}

		// The workbook: the title with the rate marked internal, a row per
		// item with its result, links and the ISO overlap.
		var buf bytes.Buffer
		var name string
		if err := o.svc.SelfAssessmentXLSX(ctx, o.top, x.ID, func(n string) { name = n }, &buf); err != nil {
			t.Fatal(err)
		}
		wb, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := wb.GetRows("自评估")
		if len(rows) != 2+257 || !strings.Contains(rows[0][0], "70.4%") || !strings.Contains(rows[0][0], "非测评结论") ||
			!strings.HasSuffix(name, ".xlsx") {
			t.Fatalf("workbook %q: %d rows, title %q", name, len(rows), rows[0])
		}
		for _, r := range rows[2:] {
			if r[2] == "L3-PES1-14" && (r[4] != "不符合 Not met" || r[9] != risk.Number() || r[10] != "CP-1 #1") {
				t.Errorf("row %v", r)
			}
			if r[2] == "L3-PES1-03" && (r[1] != "物理访问控制" || r[7] != "A.7.2") {
				t.Errorf("row %v", r)
			}
		}

		// Closed, it no longer changes; a new one may start.
		closed, err := o.svc.CloseSelfAssessment(ctx, o.author, x.ID)
		if err != nil || closed.Status != isms.SelfClosed || closed.ClosedAt == nil {
			t.Fatalf("close: %v %+v", err, closed)
		}
		_, err = o.svc.RecordSelfChecks(ctx, o.author, x.ID, ins[:1])
		wantCode(t, err, isms.CodeConflict, "status")
		_, err = o.svc.AddMLPSEvidence(ctx, o.author, isms.EvidenceSelfCheck, item.ID,
			service.EvidenceInput{Title: "迟到的照片"}, "late.jpg", strings.NewReader("l"))
		wantCode(t, err, isms.CodeConflict, "status")
		y, err := o.svc.StartSelfAssessment(ctx, o.author, obj.ID, isms.SelfAssessment{Level: 2})
		if err != nil || y.Counts.Total != 135 {
			t.Fatalf("level 2: %v %d", err, y.Counts.Total)
		}
		_, err = o.svc.CloseSelfAssessment(ctx, o.author, y.ID)
		wantCode(t, err, isms.CodeInvalid, "items")
		list, _ := o.svc.SelfAssessments(ctx, o.top, obj.ID)
		if len(list) != 2 || list[0].ID != y.ID || list[1].Counts.Conform != 149 {
			t.Errorf("list %+v", list)
		}
	})
}

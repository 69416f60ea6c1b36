package service_test

import (
	"context"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// An assessment end to end, with hand-worked results. Default matrix
// method (v1): T=3, V=4 → L = round(√12 = 3.46) = 3; Ia=4 (C=4), Va=4 →
// F = round(√16) = 4; R = 3·4 = 12 → band 7–12, level 2, acceptable
// (criterion: level ≤ 2). Multiplication method (v2, √ without
// rounding): L = 3.46, F = 4, R = 13.84 → band 11–15, level 3, not
// acceptable. The asset's C goes to 5: F = √20 = 4.47, R = 3.46 × 4.47 =
// 15.47, past the 11–15 band's end → level 4.
func TestRiskAssessment(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		o := newDocOrg(t, st)
		ctx := context.Background()
		asset, err := o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "DB-1", Name: "客户数据库", Type: "data_resource",
			DeptID: o.eng.ID, C: 4, I: 3, A: 3})
		if err != nil {
			t.Fatal(err)
		}
		x, err := o.svc.SaveAssessment(ctx, o.author, "", isms.Assessment{Title: "2026 年度风险评估", DeptIDs: []string{o.eng.ID},
			Consultation: "10 月 20 日与工程部座谈", StartOn: "2026-11-01", EndOn: "2026-11-30"})
		if err != nil || x.MethodVersion != 1 || x.Status != isms.AssessPlanning {
			t.Fatalf("assessment: %+v %v", x, err)
		}
		threats, vulns, err := o.svc.RiskCatalogs(ctx, o.author)
		if err != nil || len(threats) < 30 || len(vulns) < 25 {
			t.Fatalf("catalogs: %d %d %v", len(threats), len(vulns), err)
		}
		in := isms.Risk{AssetID: asset.ID, ThreatID: threats[0].ID, VulnID: vulns[0].ID, T: 3, V: 4, Va: 4, Controls: "双机热备",
			ControlEffect: "partly", ControlKind: "protective"}
		r, err := o.svc.SaveRisk(ctx, o.author, x.ID, "", in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Result != (isms.RiskResult{L: 3, F: 4, R: 12, Level: 2, Acceptable: true}) || r.Ia != 4 || r.N == 0 || r.DeptID != o.eng.ID {
			t.Fatalf("v1 result: %+v", r)
		}
		bad := in
		bad.T = 6
		_, err = o.svc.SaveRisk(ctx, o.author, x.ID, "", bad)
		wantCode(t, err, isms.CodeInvalid, "threat")
		// A new method version moves the open assessment and recomputes.
		m := isms.DefaultRiskMethod(isms.MethodMultiply)
		m2, n, err := o.svc.SetRiskMethod(ctx, o.author, m)
		if err != nil || m2.Version != 2 || n != 1 {
			t.Fatalf("method v2: %+v %d %v", m2, n, err)
		}
		got, _ := o.svc.Risk(ctx, o.head, r.ID)
		if got.Result != (isms.RiskResult{L: 3.46, F: 4, R: 13.84, Level: 3, Acceptable: false}) || got.MethodVersion != 2 {
			t.Fatalf("v2 result: %+v", got.Result)
		}
		broken := m
		broken.Bands = append([]isms.RiskBand{}, m.Bands...)
		broken.Bands[1].Min = 7 // a gap between 5 and 7
		_, _, err = o.svc.SetRiskMethod(ctx, o.author, broken)
		wantCode(t, err, isms.CodeInvalid, "")
		// The asset's value changes: its open risks follow.
		asset.C = 5
		if _, err := o.svc.UpdateAsset(ctx, o.author, asset.ID, asset); err != nil {
			t.Fatal(err)
		}
		got, _ = o.svc.Risk(ctx, o.head, r.ID)
		if got.Ia != 5 || got.Result.R != 15.47 || got.Result.Level != 4 {
			t.Fatalf("after value change: %+v", got.Result)
		}
		if c := countWhere(t, st, "audit_log", "action = 'risk.recompute'"); c != 1 {
			t.Fatalf("recompute audit entries: %d", c)
		}
		// Heat map and filters.
		l, err := o.svc.ListRisks(ctx, o.head, isms.RiskFilter{Level: 4}, true)
		if err != nil || l.Total != 1 || l.HeatMap[2][3] != 1 { // L 3.46 → 3, F 4.47 → 4
			t.Fatalf("register: %+v %v", l, err)
		}
		if l, _ := o.svc.ListRisks(ctx, o.head, isms.RiskFilter{CellL: 3, CellF: 4}, false); l.Total != 1 {
			t.Fatalf("cell filter: %d", l.Total)
		}
		// Treatment: reduce, with a plan item that becomes a task for the
		// engineering department's head.
		got.Treatment, got.ResidualT, got.ResidualV = isms.TreatReduce, 1, 2
		r, err = o.svc.SaveRisk(ctx, o.author, x.ID, got.ID, got)
		if err != nil {
			t.Fatal(err)
		}
		// Residual: L = √2 = 1.41, F = 4.47, R = 6.3 → band 6–10, level 2.
		if r.Residual.Level != 2 || !r.Residual.Acceptable {
			t.Fatalf("residual: %+v", r.Residual)
		}
		item, err := o.svc.SaveTreatment(ctx, o.author, r.ID, "", isms.TreatmentItem{Measure: "部署数据库审计", DeptID: o.eng.ID,
			DueOn: "2026-12-31", Cost: "5 万元"})
		if err != nil || item.TaskID == "" {
			t.Fatalf("treatment: %+v %v", item, err)
		}
		_, err = o.svc.SaveTreatment(ctx, o.author, r.ID, "", isms.TreatmentItem{Measure: "x", DeptID: o.eng.ID, DueOn: "2026-12-31", StartOn: "2027-01-05"})
		wantCode(t, err, isms.CodeInvalid, "due_on")
		// Acceptance goes to the top manager; the assessor (when a top
		// manager may not decide it; the management representative lacks the role.
		_, err = o.svc.RequestAcceptance(ctx, o.author, r.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		r, _ = o.svc.Risk(ctx, o.head, r.ID)
		_, err = o.svc.DecideApproval(ctx, o.rep, r.ApprovalID, true, "")
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.SaveRisk(ctx, o.author, x.ID, r.ID, r)
		wantCode(t, err, isms.CodeConflict, "acceptance")
		if _, err := o.svc.DecideApproval(ctx, o.top, r.ApprovalID, true, "同意接受"); err != nil {
			t.Fatal(err)
		}
		r, _ = o.svc.Risk(ctx, o.head, r.ID)
		if r.Acceptance != isms.AcceptAccepted || r.AcceptedAt == nil {
			t.Fatalf("accepted: %+v", r)
		}
		// A change flags the open assessment's risks for review.
		n, err = o.svc.RecordChange(ctx, o.author, "technology", "核心数据库迁移到云平台", nil)
		if err != nil || n != 1 {
			t.Fatalf("change: %d %v", n, err)
		}
		if l, _ := o.svc.ListRisks(ctx, o.head, isms.RiskFilter{Review: true}, false); l.Total != 1 {
			t.Fatalf("flagged: %d", l.Total)
		}
		// Closing steps through the statuses; closed is final.
		_, err = o.svc.SetAssessmentStatus(ctx, o.author, x.ID, isms.AssessClosed)
		wantCode(t, err, isms.CodeConflict, "status")
		for _, s := range isms.AssessmentStatuses[1:] {
			if _, err := o.svc.SetAssessmentStatus(ctx, o.author, x.ID, s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		_, err = o.svc.SaveRisk(ctx, o.author, x.ID, "", in)
		wantCode(t, err, isms.CodeConflict, "status")
		// Closed assessments keep their results when the method changes.
		if _, n, err := o.svc.SetRiskMethod(ctx, o.author, isms.DefaultRiskMethod(isms.MethodMatrix)); err != nil || n != 0 {
			t.Fatalf("v3: %d %v", n, err)
		}
		if got, _ := o.svc.Risk(ctx, o.head, r.ID); got.Result.Level != 4 || got.MethodVersion != 2 {
			t.Fatalf("closed result changed: %+v", got)
		}
		// A top manager who assessed may not accept their own assessment's
		// risks.
		both := o.top
		both.Roles = []isms.Role{isms.RoleTopManager, isms.RoleISMSTeam}
		y, err := o.svc.SaveAssessment(ctx, both, "", isms.Assessment{Title: "专项评估"})
		if err != nil {
			t.Fatal(err)
		}
		in.Treatment = isms.TreatAccept
		r2, err := o.svc.SaveRisk(ctx, o.author, y.ID, "", in)
		if err != nil {
			t.Fatal(err)
		}
		if r2, err = o.svc.RequestAcceptance(ctx, o.author, r2.ID, "按现状接受"); err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.DecideApproval(ctx, both, r2.ApprovalID, true, "")
		wantCode(t, err, isms.CodeForbidden, "")
		// Permissions.
		_, err = o.svc.SaveAssessment(ctx, o.head, "", isms.Assessment{Title: "x"})
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.ListRisks(ctx, o.emp1, isms.RiskFilter{}, false)
		wantCode(t, err, isms.CodeForbidden, "")
	})
}

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// An assessment worked through the pages: created, a risk added by asset
// code with the method's scores, treated with a plan item, its residual
// sent for acceptance and accepted by top management; the report and the
// register export show it. Bad input is refused with the field named.
func TestRiskEditPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		cli := isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}
		if _, err := s.svc.CreateAsset(ctx, cli, isms.Asset{Code: "DB-1", Name: "数据库", Type: "data_resource", C: 4, I: 3, A: 3}); err != nil {
			t.Fatal(err)
		}
		team := s.signIn("w-isms-team")
		// The assessment.
		status, body, _ := team.post("/assessments", url.Values{"title": {""}})
		if status != http.StatusBadRequest || !strings.Contains(body, "必填") {
			t.Fatalf("assessment without title: %d %.300s", status, stripTags(body))
		}
		status, _, loc := team.post("/assessments", url.Values{"title": {"2026 年度风险评估"}, "start_on": {"2026-11-01"}, "team": {"张三、李四"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/assessments/") {
			t.Fatalf("create assessment: %d %s", status, loc)
		}
		aPath := strings.Split(loc, "?")[0]
		ts, vs, err := s.svc.RiskCatalogs(ctx, cli)
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"asset_code": {"DB-1"}, "threat_id": {ts[0].ID}, "vulnerability_id": {vs[0].ID}, "t": {"3"}, "v": {"4"}, "va": {"4"}}
		// An unknown asset code and a score off the scale are refused,
		// naming the field.
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("asset_code", "NOPE-9")
		if status, body, _ := team.post(aPath+"/risks", bad); status != http.StatusBadRequest || !strings.Contains(body, "NOPE-9") {
			t.Fatalf("unknown asset: %d %.300s", status, stripTags(body))
		}
		bad.Set("asset_code", "DB-1")
		bad.Set("t", "6")
		if status, body, _ := team.post(aPath+"/risks", bad); status != http.StatusBadRequest || !strings.Contains(body, "1 到 5") {
			t.Fatalf("T = 6: %d %.300s", status, stripTags(body))
		}
		if n, _ := s.svc.ListRisks(ctx, cli, isms.RiskFilter{}, false); n.Total != 0 {
			t.Fatalf("a refused risk was stored: %d", n.Total)
		}
		// T 3, V 4 → L 3; Ia 4, Va 4 → F 4; R 12, level 2 (matrix defaults).
		status, _, loc = team.post(aPath+"/risks", form)
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/risks/") {
			t.Fatalf("add risk: %d %s", status, loc)
		}
		rPath := strings.Split(loc, "?")[0]
		_, body = team.get(rPath, "zh-CN")
		if !strings.Contains(body, "R <strong>12</strong>") || !strings.Contains(body, "DB-1 数据库") {
			t.Fatalf("risk page: %.500s", stripTags(body))
		}
		// Treat it: reduce, residual Va 2 → F 3 (√8 → 3), R 9, level 2.
		edit := url.Values{}
		for k, v := range form {
			edit[k] = v
		}
		list, _ := s.svc.ListRisks(ctx, cli, isms.RiskFilter{}, false)
		rk := list.Risks[0]
		edit.Set("asset_id", rk.AssetID)
		edit.Set("treatment", "reduce")
		edit.Set("residual_va", "2")
		if status, body, _ := team.post(rPath, edit); status != http.StatusSeeOther {
			t.Fatalf("edit risk: %d %.300s", status, stripTags(body))
		}
		rk, _ = s.svc.Risk(ctx, cli, rk.ID)
		if rk.Treatment != "reduce" || rk.Residual.R != 9 || rk.Residual.Level != 2 {
			t.Fatalf("after treatment: %+v %+v", rk.Treatment, rk.Residual)
		}
		// A plan item: its due day is required; then it is listed, and
		// overdue once past (the clock is 2026-11-02).
		if status, body, _ := team.post(rPath+"/treatments", url.Values{"measure": {"部署数据库审计"}, "department_id": {""}, "due_on": {""}}); status != http.StatusBadRequest ||
			!strings.Contains(body, "部署数据库审计") {
			t.Fatalf("item without department: %d %.300s", status, stripTags(body))
		}
		depts, _ := s.svc.ListDepartments(ctx, cli, isms.ListFilter{OrgID: s.root.ID})
		if status, _, _ := team.post(rPath+"/treatments", url.Values{"measure": {"部署数据库审计"}, "department_id": {depts[0].ID},
			"start_on": {"2026-10-01"}, "due_on": {"2026-10-31"}, "priority": {"high"}}); status != http.StatusSeeOther {
			t.Fatalf("add item: %d", status)
		}
		if _, body := team.get("/risks/plan", "zh-CN"); !strings.Contains(body, "部署数据库审计") || !strings.Contains(body, "1 项已逾期") || !strings.Contains(body, rk.Number()) {
			t.Fatalf("plan: %.800s", stripTags(body))
		}
		// Acceptance: asked for by the team, decided by top management.
		if status, _, _ := team.post(rPath+"/acceptance", url.Values{"note": {"剩余风险在准则内"}}); status != http.StatusSeeOther {
			t.Fatalf("request acceptance: %d", status)
		}
		rk, _ = s.svc.Risk(ctx, cli, rk.ID)
		if rk.Acceptance != isms.AcceptPending || rk.ApprovalID == "" {
			t.Fatalf("acceptance: %q", rk.Acceptance)
		}
		if status, _, _ := team.post("/approvals/"+rk.ApprovalID, url.Values{"decision": {"approve"}}); status != http.StatusForbidden && status != http.StatusConflict {
			t.Fatalf("the requester decided: %d", status)
		}
		top := s.signIn("w-top-manager")
		if status, body, _ := top.post("/approvals/"+rk.ApprovalID, url.Values{"decision": {"approve"}}); status != http.StatusSeeOther {
			t.Fatalf("top manager approves: %d %.300s", status, stripTags(body))
		}
		rk, _ = s.svc.Risk(ctx, cli, rk.ID)
		if rk.Acceptance != isms.AcceptAccepted {
			t.Fatalf("after approval: %q", rk.Acceptance)
		}
		// The report: counts by level, the approval block.
		shanghai, _ := time.LoadLocation("Asia/Shanghai")
		xs, _ := s.svc.Assessments(ctx, cli)
		for _, lang := range []string{"zh-CN", "en"} {
			for _, p := range []string{"/assessments", aPath, rPath, "/risks/plan", "/risks/method", "/risks/catalogs",
				"/risks/catalogs?threat=" + ts[0].ID, "/risks/catalogs?vulnerability=new", "/risks/report?assessment_id=" + xs[0].ID} {
				status, body := top.get(p, lang)
				if status != http.StatusOK {
					t.Fatalf("%s (%s): %d %.300s", p, lang, status, body)
				}
				if m := untranslated.FindString(stripTags(body)); m != "" {
					t.Errorf("%s (%s): untranslated key %q", p, lang, m)
				}
			}
		}
		_, body = top.get("/risks/report?assessment_id="+xs[0].ID, "zh-CN")
		if !strings.Contains(body, "信息安全剩余风险评估报告") || !strings.Contains(body, rk.AcceptedBy) {
			t.Fatalf("report: %.800s", stripTags(body))
		}
		// The register as a workbook: a header and the one risk.
		status, body = top.get("/risks.xlsx", "zh-CN")
		if status != http.StatusOK {
			t.Fatalf("export: %d", status)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Sheet1")
		if len(rows) != 2 || rows[1][0] != rk.Number() || rows[1][2] != "DB-1" || rows[1][18] != "12" || rows[1][24] != "已接受" {
			t.Fatalf("export rows: %q", rows)
		}
		status, body = top.get("/risks/report.xlsx?assessment_id="+xs[0].ID, "zh-CN")
		if f, err = excelize.OpenReader(strings.NewReader(body)); status != http.StatusOK || err != nil {
			t.Fatalf("report workbook: %d %v", status, err)
		}
		rows, _ = f.GetRows("Sheet1")
		if rows[0][0] != "信息安全剩余风险评估报告 Residual risk assessment report" || rows[len(rows)-1][0] != rk.Number() {
			t.Fatalf("report rows: %q", rows)
		}
		approved := false
		for _, row := range rows {
			if len(row) > 0 && strings.HasPrefix(row[0], "批准") {
				approved = len(row) == 3 && row[1] == rk.AcceptedBy && row[2] == rk.AcceptedAt.In(shanghai).Format(time.DateOnly)
			}
		}
		if !approved || rk.AcceptedBy == "" {
			t.Fatalf("report approval block: %q", rows)
		}
		// Closing needs every risk decided; it is, so the steps lead to closed.
		for _, st := range []string{"identification", "analysis", "evaluation", "treatment", "closed"} {
			if status, body, _ := team.post(aPath+"/status", url.Values{"status": {st}}); status != http.StatusSeeOther {
				t.Fatalf("to %s: %d %.300s", st, status, stripTags(body))
			}
		}
		if status, _, _ := team.post(rPath, edit); status != http.StatusConflict {
			t.Fatalf("a closed assessment's risk changed: %d", status)
		}
	})
}

// The method form: a band gap is refused naming the band; a new version
// recomputes the open risks.
func TestRiskMethodPage(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		cli := isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}
		x, _ := s.svc.CreateAsset(ctx, cli, isms.Asset{Code: "DB-1", Name: "数据库", Type: "data_resource", C: 4, I: 3, A: 3})
		a, _ := s.svc.SaveAssessment(ctx, cli, "", isms.Assessment{Title: "评估"})
		ts, vs, _ := s.svc.RiskCatalogs(ctx, cli)
		r, err := s.svc.SaveRisk(ctx, cli, a.ID, "", isms.Risk{AssetID: x.ID, ThreatID: ts[0].ID, VulnID: vs[0].ID, T: 3, V: 4, Va: 4})
		if err != nil {
			t.Fatal(err)
		}
		rep := s.signIn("w-management-rep")
		// The multiplication method, √ and no rounding, bands 1–5 … 21–25.
		f := url.Values{"kind": {"multiply"}, "combine": {"sqrt"}, "rounding": {"none"}, "accept_level": {"2"}}
		for i, b := range [][2]string{{"1", "5"}, {"6", "10"}, {"11", "15"}, {"16", "20"}, {"21", "25"}} {
			f.Set("band_min_"+string(rune('1'+i)), b[0])
			f.Set("band_max_"+string(rune('1'+i)), b[1])
		}
		f.Set("band_min_3", "12") // a gap after 10
		status, body, _ := rep.post("/risks/method", f)
		if status != http.StatusBadRequest || !strings.Contains(body, "空缺") && !strings.Contains(body, "gap") {
			t.Fatalf("band gap: %d %.500s", status, stripTags(body))
		}
		if ms, _ := s.svc.RiskMethods(ctx, cli); len(ms) != 1 {
			t.Fatalf("a refused method was saved: %d versions", len(ms))
		}
		f.Set("band_min_3", "11")
		if status, body, _ := rep.post("/risks/method", f); status != http.StatusSeeOther {
			t.Fatalf("save method: %d %.300s", status, stripTags(body))
		}
		// L = √12 = 3.46 (two decimals), F = √16 = 4, R = 3.46 × 4 = 13.84 → level 3.
		got, _ := s.svc.Risk(ctx, cli, r.ID)
		if got.MethodVersion != 2 || got.Result.R != 13.84 || got.Result.Level != 3 {
			t.Fatalf("recomputed: v%d %+v", got.MethodVersion, got.Result)
		}
		// The team may not change the method? It may (ISMS management);
		// a department head may not.
		head := s.signIn("w-dept-head")
		if status, _, _ := head.post("/risks/method", f); status != http.StatusForbidden {
			t.Fatalf("department head changed the method: %d", status)
		}
		// A threat added on the catalog page.
		team := s.signIn("w-isms-team")
		if status, body, _ := team.post("/risks/catalogs/threats", url.Values{"code": {"T-X1"}, "category": {"其他"}, "name": {""}, "frequency": {"3"}}); status != http.StatusBadRequest ||
			!strings.Contains(body, "T-X1") {
			t.Fatalf("threat without name: %d", status)
		}
		if status, _, _ := team.post("/risks/catalogs/threats", url.Values{"code": {"T-X1"}, "category": {"其他"}, "name": {"无人机窥探"}, "frequency": {"2"}}); status != http.StatusSeeOther {
			t.Fatalf("add threat: %d", status)
		}
		if _, body := team.get("/risks/catalogs", "zh-CN"); !strings.Contains(body, "无人机窥探") {
			t.Fatal("new threat not listed")
		}
	})
}

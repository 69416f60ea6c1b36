package service_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// newMLPSObject registers a grading object for the tests.
func newMLPSObject(t *testing.T, o *docOrg, name, authority string) isms.MLPSObject {
	t.Helper()
	obj, err := o.svc.SaveMLPSObject(context.Background(), o.author, "", isms.MLPSObject{Name: name, Type: isms.MLPSInfoSystem,
		DeptID: o.eng.ID, BusinessType: "public", ServiceScope: "city", ServiceUsers: "public", NetworkCoverage: "wan",
		NetworkNature: "internet", SourceIPs: "203.0.113.0/24", Domains: "www.example.cn", Ports: "443/TCP",
		LiveOn: "2026-09-01", Authority: authority,
		Categories: []isms.DataCat{{Name: "办事人信息", Level: "important", Personal: "sensitive", Volume: "120 GB",
			Sources: []string{"manual"}}}})
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

func tick(dim, object, degree string) isms.HarmTick {
	return isms.HarmTick{Dimension: dim, Object: object, Degree: degree, Justification: "影响" + object}
}

func TestMLPSObjectsRegister(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		web := newMLPSObject(t, o, "网上办事大厅", "")
		if web.Number() != "DJ-0001" || len(web.Categories) != 1 || web.Categories[0].ID == "" {
			t.Fatalf("created: %s %+v", web.Number(), web.Categories)
		}
		// A sub-system names its parent; the parent cannot then name
		// its child.
		sub, err := o.svc.SaveMLPSObject(ctx, o.author, "", isms.MLPSObject{Name: "办事大厅移动端", Type: isms.MLPSInfoSystem,
			Code: "XT-02", ParentID: web.ID, Tech: []string{"mobile"}, TechDetails: map[string]string{"mobile.apps": "随申办"}})
		if err != nil {
			t.Fatal(err)
		}
		web.ParentID = sub.ID
		_, err = o.svc.SaveMLPSObject(ctx, o.author, web.ID, web)
		wantCode(t, err, isms.CodeInvalid, "parent_id")
		web.ParentID = ""
		// Codes are unique; data categories are checked line by line.
		_, err = o.svc.SaveMLPSObject(ctx, o.author, "", isms.MLPSObject{Name: "重名", Type: isms.MLPSDataResource, Code: "XT-02"})
		wantCode(t, err, isms.CodeConflict, "code")
		web.Categories = append(web.Categories, isms.DataCat{Name: "", Level: "secret", Personal: "none"})
		_, err = o.svc.SaveMLPSObject(ctx, o.author, web.ID, web)
		wantCode(t, err, isms.CodeInvalid, "data_categories #2 name")
		web.Categories = web.Categories[:1]
		web.Categories[0].Volume = "150 GB"
		if _, err := o.svc.SaveMLPSObject(ctx, o.author, web.ID, web); err != nil {
			t.Fatal(err)
		}
		d, err := o.svc.MLPSObject(ctx, o.head, web.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Object.Categories[0].Volume != "150 GB" || len(d.Children) != 1 || d.Children[0].ID != sub.ID || d.CanEdit {
			t.Fatalf("detail: %+v children %d can edit %v", d.Object.Categories, len(d.Children), d.CanEdit)
		}
		list, err := o.svc.MLPSObjects(ctx, o.top, store.MLPSObjectFilter{Q: "dj-0002"})
		if err != nil || len(list) != 1 || list[0].ID != sub.ID || list[0].ParentLabel != "DJ-0001 网上办事大厅" {
			t.Fatalf("search by number: %v %+v", err, list)
		}
		// Who may see and change.
		_, err = o.svc.MLPSObjects(ctx, o.emp1, store.MLPSObjectFilter{})
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.SaveMLPSObject(ctx, o.head, web.ID, web)
		wantCode(t, err, isms.CodeForbidden, "")
		other := otherOrgActor(t, o, isms.RoleISMSTeam)
		_, err = o.svc.MLPSObject(ctx, other, web.ID)
		wantCode(t, err, isms.CodeNotFound, "")
		_, err = o.svc.SaveMLPSObject(ctx, other, web.ID, web)
		wantCode(t, err, isms.CodeNotFound, "")
		_, err = o.svc.StartGrading(ctx, other, web.ID, "2025", "")
		wantCode(t, err, isms.CodeNotFound, "")
		if list, _ := o.svc.MLPSObjects(ctx, other, store.MLPSObjectFilter{}); len(list) != 0 {
			t.Fatalf("another organization lists %d objects", len(list))
		}
		// The people responsible are people of the organization.
		web.SecurityBy = personID(t, o, "emp1")
		if _, err := o.svc.SaveMLPSObject(ctx, o.author, web.ID, web); err != nil {
			t.Fatal(err)
		}
	})
}

func TestMLPSGradingToCertificate(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		obj := newMLPSObject(t, o, "网上办事大厅", "市大数据中心")
		g, err := o.svc.StartGrading(ctx, o.author, obj.ID, "2025", "首次定级")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.StartGrading(ctx, o.author, obj.ID, "2025", "again"); isms.ErrorCode(err) != isms.CodeConflict {
			t.Fatalf("a second open grading: %v", err)
		}
		_, err = o.svc.SaveGrading(ctx, o.author, g.ID, service.GradingInput{Ticks: []isms.HarmTick{
			{Dimension: isms.DimBusiness, Object: isms.HarmSocial, Degree: isms.DegreeSerious}}})
		wantCode(t, err, isms.CodeInvalid, "ticks #1 justification")
		// 2025 matrix: national general harm is level 4 (2020: 3).
		if g, err = o.svc.SaveGrading(ctx, o.author, g.ID, service.GradingInput{Level: 3, Ticks: []isms.HarmTick{
			tick(isms.DimBusiness, isms.HarmSocial, isms.DegreeSerious), tick(isms.DimService, isms.HarmCitizen, isms.DegreeSerious)}}); err != nil {
			t.Fatal(err)
		}
		if g.Result().Notation() != "S3A2" {
			t.Fatalf("levels %s", g.Result().Notation())
		}
		_, err = o.svc.SaveGrading(ctx, o.author, g.ID, service.GradingInput{Level: 3, Ticks: []isms.HarmTick{
			tick(isms.DimBusiness, isms.HarmNational, isms.DegreeGeneral), tick(isms.DimService, isms.HarmCitizen, isms.DegreeSerious)}})
		wantCode(t, err, isms.CodeInvalid, "level")
		if g, err = o.svc.SubmitGrading(ctx, o.author, g.ID); err != nil || g.Status != isms.GradingReview {
			t.Fatalf("submit: %v %s", err, g.Status)
		}
		_, err = o.svc.SubmitFiling(ctx, o.author, g.ID, isms.Filing{Bureau: "市公安局", SubmittedOn: "2026-11-02", Template: isms.Form2025})
		wantCode(t, err, isms.CodeConflict, "status")
		g, err = o.svc.RecordExpertReview(ctx, o.author, g.ID, isms.ExpertReview{Experts: "张工、李工、王工", On: "2026-11-02",
			Conclusion: isms.ReviewAgree, Opinions: "定级合理"})
		if err != nil || g.Status != isms.GradingAuthority {
			t.Fatalf("review: %v %s", err, g.Status)
		}
		g, err = o.svc.RecordAuthorityDecision(ctx, o.author, g.ID, isms.AuthorityDecision{On: "2026-11-02", Decision: isms.AuthorityApprove})
		if err != nil || g.Status != isms.GradingFiling || g.AuthorityName != "市大数据中心" || g.ConfirmedOn != "2026-11-02" {
			t.Fatalf("approval: %v %+v", err, g)
		}
		f, err := o.svc.SubmitFiling(ctx, o.author, g.ID, isms.Filing{Bureau: "市公安局网安支队", SubmittedOn: "2026-11-02", Template: isms.Form2025})
		if err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.SubmitFiling(ctx, o.author, g.ID, isms.Filing{Bureau: "市公安局网安支队", SubmittedOn: "2026-11-02", Template: isms.Form2025})
		wantCode(t, err, isms.CodeConflict, "status")
		_, err = o.svc.RecordCertificate(ctx, o.author, f.ID, isms.Certificate{Number: "x", IssuedOn: "2026-11-02"})
		wantCode(t, err, isms.CodeConflict, "outcome")
		o.clock.Advance(10 * 24 * time.Hour)
		if f, err = o.svc.DecideFiling(ctx, o.author, f.ID, isms.FilingOutcome{Outcome: isms.FilingAccepted, DecidedOn: "2026-11-10"}); err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.RecordCertificate(ctx, o.author, f.ID, isms.Certificate{Number: "31010099001-26001", IssuedOn: "2026-11-01"})
		wantCode(t, err, isms.CodeInvalid, "issued_on")
		c, err := o.svc.RecordCertificate(ctx, o.author, f.ID, isms.Certificate{Number: "31010099001-26001", IssuedOn: "2026-11-12"})
		if err != nil || c.Bureau != "市公安局网安支队" {
			t.Fatalf("certificate: %v %+v", err, c)
		}
		d, err := o.svc.MLPSObject(ctx, o.top, obj.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.Object.Level() != 3 || d.Object.Current.Status != isms.GradingFiled || d.Object.Open != nil {
			t.Fatalf("object after filing: level %d %+v", d.Object.Level(), d.Object.Current)
		}
		if len(d.Certificates) != 1 || d.Certificates[0].Validity.ValidUntil != "2029-11-11" || d.Certificates[0].State != "valid" {
			t.Fatalf("certificate validity: %+v", d.Certificates)
		}

		// A material change: version 2, starting from version 1's ticks;
		// version 1 stays in force until version 2's level is confirmed.
		_, err = o.svc.StartGrading(ctx, o.author, obj.ID, "2025", "")
		wantCode(t, err, isms.CodeInvalid, "reason")
		g2, err := o.svc.StartGrading(ctx, o.author, obj.ID, "2025", "新增移动端，业务范围扩大")
		if err != nil || g2.Version != 2 || g2.Level != 3 || len(g2.Ticks) != 2 {
			t.Fatalf("re-grading: %v %+v", err, g2)
		}
		if g2, err = o.svc.SaveGrading(ctx, o.author, g2.ID, service.GradingInput{Ticks: []isms.HarmTick{
			tick(isms.DimBusiness, isms.HarmSocial, isms.DegreeExtreme), tick(isms.DimService, isms.HarmSocial, isms.DegreeSerious)}}); err != nil {
			t.Fatal(err)
		}
		if g2, err = o.svc.SubmitGrading(ctx, o.author, g2.ID); err != nil || g2.Status != isms.GradingReview {
			t.Fatalf("level 4 goes to the experts: %v %s", err, g2.Status)
		}
		if d, _ = o.svc.MLPSObject(ctx, o.top, obj.ID); d.Object.Level() != 3 || d.Object.Open == nil || d.Object.Open.Version != 2 {
			t.Fatalf("while V2 is reviewed: level %d", d.Object.Level())
		}
		g2, err = o.svc.RecordExpertReview(ctx, o.author, g2.ID, isms.ExpertReview{Experts: "专家组", On: "2026-11-12",
			Conclusion: isms.ReviewDisagree, Opinions: "社会秩序影响偏高"})
		if err != nil || g2.Status != isms.GradingReturned || g2.ReturnedBy != isms.GradingReview {
			t.Fatalf("disagreement: %v %+v", err, g2)
		}
		g2, _ = o.svc.SaveGrading(ctx, o.author, g2.ID, service.GradingInput{Ticks: []isms.HarmTick{
			tick(isms.DimBusiness, isms.HarmSocial, isms.DegreeSerious), tick(isms.DimService, isms.HarmSocial, isms.DegreeSerious)}})
		if g2, err = o.svc.SubmitGrading(ctx, o.author, g2.ID); err != nil {
			t.Fatal(err)
		}
		g2, _ = o.svc.RecordExpertReview(ctx, o.author, g2.ID, isms.ExpertReview{Experts: "专家组", On: "2026-11-12", Conclusion: isms.ReviewAgree})
		g2, err = o.svc.RecordAuthorityDecision(ctx, o.author, g2.ID, isms.AuthorityDecision{On: "2026-11-12", Decision: isms.AuthorityApprove})
		if err != nil || g2.Status != isms.GradingFiling {
			t.Fatalf("V2 approved: %v %s", err, g2.Status)
		}
		d, _ = o.svc.MLPSObject(ctx, o.top, obj.ID)
		if d.Object.Current.ID != g2.ID || d.Gradings[1].Status != isms.GradingOld || d.Gradings[1].Version != 1 {
			t.Fatalf("V1 superseded: %+v", d.Gradings)
		}
		// Every step is in the trail.
		entries, _ := o.svc.ListAudit(ctx, o.auditor(t), isms.AuditFilter{OrgID: o.org.ID, EntityType: "grading", Limit: 100})
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"mlps.grading_start", "mlps.grading_update", "mlps.grading_submit", "mlps.grading_review",
			"mlps.grading_authority", "mlps.filing_submit", "mlps.filing_decide", "mlps.grading_supersede"} {
			if !strings.Contains(strings.Join(actions, " "), want) {
				t.Errorf("no %s in the trail: %v", want, actions)
			}
		}
	})
}

func TestMLPSLevel1NotFiled(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		obj := newMLPSObject(t, o, "内部通讯录", "")
		g, _ := o.svc.StartGrading(ctx, o.author, obj.ID, "2020", "")
		g, _ = o.svc.SaveGrading(ctx, o.author, g.ID, service.GradingInput{Ticks: []isms.HarmTick{
			tick(isms.DimBusiness, isms.HarmCitizen, isms.DegreeGeneral), tick(isms.DimService, isms.HarmCitizen, isms.DegreeGeneral)}})
		g, err := o.svc.SubmitGrading(ctx, o.author, g.ID)
		if err != nil || g.Status != isms.GradingConfirmed {
			t.Fatalf("level 1: %v %s", err, g.Status)
		}
		_, err = o.svc.SubmitFiling(ctx, o.author, g.ID, isms.Filing{Bureau: "分局", SubmittedOn: "2026-11-02", Template: isms.FormClassic})
		wantCode(t, err, isms.CodeConflict, "level")
		// A draft never submitted may be discarded, a submitted one not.
		g2, _ := o.svc.StartGrading(ctx, o.author, obj.ID, "2020", "复核")
		if err := o.svc.DiscardGrading(ctx, o.author, g.ID); isms.ErrorCode(err) != isms.CodeConflict {
			t.Fatalf("discarding a confirmed grading: %v", err)
		}
		if err := o.svc.DiscardGrading(ctx, o.author, g2.ID); err != nil {
			t.Fatal(err)
		}
	})
}

// filedObject takes an object through grading to a filed level 3 with a
// certificate issued on 2026-11-02.
func filedObject(t *testing.T, o *docOrg) (isms.MLPSObject, isms.Grading) {
	t.Helper()
	ctx := context.Background()
	obj := newMLPSObject(t, o, "核心业务系统", "")
	g, _ := o.svc.StartGrading(ctx, o.author, obj.ID, "2020", "")
	if _, err := o.svc.SaveGrading(ctx, o.author, g.ID, service.GradingInput{Ticks: []isms.HarmTick{
		tick(isms.DimBusiness, isms.HarmSocial, isms.DegreeSerious), tick(isms.DimService, isms.HarmSocial, isms.DegreeSerious)}}); err != nil {
		t.Fatal(err)
	}
	_, _ = o.svc.SubmitGrading(ctx, o.author, g.ID)
	g, err := o.svc.RecordExpertReview(ctx, o.author, g.ID, isms.ExpertReview{Experts: "专家组", On: "2026-11-02", Conclusion: isms.ReviewAgree})
	if err != nil {
		t.Fatal(err)
	}
	f, err := o.svc.SubmitFiling(ctx, o.author, g.ID, isms.Filing{Bureau: "市公安局", SubmittedOn: "2026-11-02", Template: isms.FormClassic})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.DecideFiling(ctx, o.author, f.ID, isms.FilingOutcome{Outcome: isms.FilingAccepted, DecidedOn: "2026-11-02"}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.RecordCertificate(ctx, o.author, f.ID, isms.Certificate{Number: "BA-001", IssuedOn: "2026-11-02"}); err != nil {
		t.Fatal(err)
	}
	return obj, g
}

func TestMLPSEvaluationsAndRectification(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		ag, err := o.svc.SaveAgency(ctx, o.author, "", isms.Agency{Name: "某测评中心", Qualification: "SC202011130010000", Region: "上海"})
		if err != nil {
			t.Fatal(err)
		}
		// An evaluation of an object not graded yet is refused.
		ungraded := newMLPSObject(t, o, "待定级系统", "")
		score := 85.5
		ev := isms.Evaluation{AgencyID: ag.ID, StartedOn: "2026-10-20", CompletedOn: "2026-11-01", ReportNo: "CP-2026-001",
			Template: isms.EvalTemplate2021, Score: &score, Rating: "good"}
		_, err = o.svc.RecordEvaluation(ctx, o.author, ungraded.ID, ev)
		wantCode(t, err, isms.CodeConflict, "object_id")

		obj, _ := filedObject(t, o)
		bad := ev
		bad.Rating = ""
		bad.CompletedOn = "2026-10-01"
		_, err = o.svc.RecordEvaluation(ctx, o.author, obj.ID, bad)
		wantCode(t, err, isms.CodeInvalid, "rating")
		wantCode(t, err, isms.CodeInvalid, "completed_on")
		// A 2025 report: rate, conclusion, major hazards.
		rate := 78.0
		ev2, err := o.svc.RecordEvaluation(ctx, o.author, obj.ID, isms.Evaluation{AgencyID: ag.ID, CompletedOn: "2026-11-02",
			ReportNo: "CP-2026-002", Template: isms.EvalTemplate2025, Rate: &rate, Conclusion: "basically_conform", MajorHazards: 1})
		if err != nil || ev2.Level != 3 {
			t.Fatalf("2025 evaluation: %v level %d", err, ev2.Level)
		}
		// The certificate issued 2026-11-02 is extended by the evaluation
		// completed the same day: valid until 2030-11-01.
		d, _ := o.svc.MLPSObject(ctx, o.top, obj.ID)
		if v := d.Certificates[0].Validity; v.ValidUntil != "2030-11-01" || v.Extensions != 1 {
			t.Fatalf("validity with one evaluation: %+v", v)
		}

		// Issues with the four fixes; the one assigned to emp1 is a task
		// for emp1's account.
		emp1 := personID(t, o, "emp1")
		r1, err := o.svc.AddRectification(ctx, o.author, ev2.ID, isms.Rectification{Description: "管理员口令未定期更换",
			Category: "computing", ControlPoint: "身份鉴别", Risk: "high", MajorHazard: true, PersonID: emp1,
			Measure: "启用口令策略", Deadline: "2026-12-31", Funds: "0"})
		if err != nil || r1.TaskID == "" || r1.N != 1 {
			t.Fatalf("rectification: %v %+v", err, r1)
		}
		r2, err := o.svc.AddRectification(ctx, o.author, ev2.ID, isms.Rectification{Description: "未部署日志审计", Risk: "medium"})
		if err != nil || r2.N != 2 {
			t.Fatal(err)
		}
		_, err = o.svc.AddRectification(ctx, o.author, ev2.ID, isms.Rectification{Description: "x", Risk: "severe"})
		wantCode(t, err, isms.CodeInvalid, "risk")
		tasks, err := o.svc.ListTasks(ctx, o.emp1, service.ViewMine, time.Time{}, time.Time{})
		if err != nil || len(tasks) != 1 || !strings.Contains(tasks[0].TitleZH, "管理员口令") {
			t.Fatalf("emp1's tasks: %v %+v", err, tasks)
		}
		// emp1 fixes it; emp1 cannot verify it, nor can the fixer in
		// general; the ISMS team member who did not fix it verifies.
		if _, err := o.svc.RecordFix(ctx, o.emp2, r1.ID, "2026-11-02", "x"); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("another employee fixing: %v", err)
		}
		if r1, err = o.svc.RecordFix(ctx, o.emp1, r1.ID, "2026-11-02", "已启用 90 天口令策略"); err != nil || r1.Status != isms.RectFixed {
			t.Fatalf("fix: %v", err)
		}
		if r2, err = o.svc.RecordFix(ctx, o.author, r2.ID, "2026-11-02", "已部署"); err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.VerifyRectification(ctx, o.author, r2.ID, "2026-11-02", true, "")
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.VerifyRectification(ctx, o.emp1, r1.ID, "2026-11-02", true, "")
		wantCode(t, err, isms.CodeForbidden, "")
		if r1, err = o.svc.VerifyRectification(ctx, o.author, r1.ID, "2026-11-02", true, "抽查 3 台服务器"); err != nil || r1.Status != isms.RectVerified {
			t.Fatalf("verify: %v", err)
		}
		if r2, err = o.svc.VerifyRectification(ctx, o.rep, r2.ID, "2026-11-02", false, "仅部署未配置策略"); err != nil || r2.Status != isms.RectOpen {
			t.Fatalf("verification refused: %v %s", err, r2.Status)
		}
		x, err := o.svc.Evaluation(ctx, o.top, ev2.ID)
		if err != nil {
			t.Fatal(err)
		}
		f := x.Evaluation.Findings
		if f.Total != 2 || f.Done != 1 || f.High != 1 || f.HighDone != 1 || f.Medium != 1 || f.MediumDone != 0 || f.Hazards != 1 || f.HazardsDone != 1 {
			t.Fatalf("findings: %+v", f)
		}
		if tasks, _ := o.svc.ListTasks(ctx, o.emp1, service.ViewMine, time.Time{}, time.Time{}); len(tasks) != 0 {
			t.Fatalf("the verified item's task is still open: %+v", tasks)
		}
		other := otherOrgActor(t, o, isms.RoleISMSTeam)
		_, err = o.svc.Evaluation(ctx, other, ev2.ID)
		wantCode(t, err, isms.CodeNotFound, "")
		_, err = o.svc.RecordFix(ctx, other, r2.ID, "2026-11-02", "x")
		wantCode(t, err, isms.CodeNotFound, "")
	})
}

// dutyTasks lists the open MLPS duty tasks of the ISMS team, by title
// prefix, with their due days in Shanghai.
func dutyTasks(t *testing.T, o *docOrg) map[string]string {
	t.Helper()
	ts, err := o.svc.ListTasks(context.Background(), o.author, service.ViewMine, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, x := range ts {
		if strings.HasPrefix(x.SourceType, "mlps_") {
			out[x.SourceType] = x.DueAt.In(shanghai).Format(time.DateOnly)
		}
	}
	return out
}

func TestMLPSDutiesAsTasks(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		obj := newMLPSObject(t, o, "核心业务系统", "")
		g, _ := o.svc.StartGrading(ctx, o.author, obj.ID, "2020", "")
		_, _ = o.svc.SaveGrading(ctx, o.author, g.ID, service.GradingInput{Ticks: []isms.HarmTick{
			tick(isms.DimBusiness, isms.HarmSocial, isms.DegreeSerious), tick(isms.DimService, isms.HarmSocial, isms.DegreeSerious)}})
		_, _ = o.svc.SubmitGrading(ctx, o.author, g.ID)
		if len(dutyTasks(t, o)) != 0 {
			t.Fatalf("duties before the level is confirmed: %v", dutyTasks(t, o))
		}
		// Level 3 confirmed 2026-11-02 (went live 2026-09-01): filing due
		// 30 days later, the first evaluation with it, the first
		// self-inspection a year on.
		g, err := o.svc.RecordExpertReview(ctx, o.author, g.ID, isms.ExpertReview{Experts: "专家组", On: "2026-11-02", Conclusion: isms.ReviewAgree})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"mlps_filing": "2026-12-02", "mlps_evaluation": "2026-12-02", "mlps_self_inspection": "2027-11-02"}
		if got := dutyTasks(t, o); !maps.Equal(got, want) {
			t.Fatalf("duties after confirmation: %v, want %v", got, want)
		}
		// Submitting the filing meets the filing duty.
		f, err := o.svc.SubmitFiling(ctx, o.author, g.ID, isms.Filing{Bureau: "市公安局", SubmittedOn: "2026-11-02", Template: isms.Form2025})
		if err != nil {
			t.Fatal(err)
		}
		delete(want, "mlps_filing")
		if got := dutyTasks(t, o); !maps.Equal(got, want) {
			t.Fatalf("duties after filing: %v, want %v", got, want)
		}
		_, _ = o.svc.DecideFiling(ctx, o.author, f.ID, isms.FilingOutcome{Outcome: isms.FilingAccepted, DecidedOn: "2026-11-02"})
		// An evaluation completed 2026-11-10: the next is due a year on,
		// and a protection work plan 30 days after it.
		o.clock.Advance(8 * 24 * time.Hour)
		ag, _ := o.svc.SaveAgency(ctx, o.author, "", isms.Agency{Name: "测评中心"})
		rate := 90.0
		if _, err := o.svc.RecordEvaluation(ctx, o.author, obj.ID, isms.Evaluation{AgencyID: ag.ID, CompletedOn: "2026-11-10",
			ReportNo: "CP-1", Template: isms.EvalTemplate2025, Rate: &rate, Conclusion: "conform"}); err != nil {
			t.Fatal(err)
		}
		want["mlps_evaluation"], want["mlps_work_plan"] = "2027-11-10", "2026-12-10"
		if got := dutyTasks(t, o); !maps.Equal(got, want) {
			t.Fatalf("duties after the evaluation: %v, want %v", got, want)
		}
		// Completing the self-inspection on 2026-11-10 moves the next one
		// to 2027-11-10 at the scheduler's next pass.
		ts, _ := o.svc.ListTasks(ctx, o.author, service.ViewMine, time.Time{}, time.Time{})
		for _, x := range ts {
			if x.SourceType == "mlps_self_inspection" {
				if _, err := o.svc.CompleteTask(ctx, o.author, x.ID, "自查报告已归档"); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := o.svc.Tick(ctx, o.clock.Now()); err != nil {
			t.Fatal(err)
		}
		want["mlps_self_inspection"] = "2027-11-10"
		if got := dutyTasks(t, o); !maps.Equal(got, want) {
			t.Fatalf("duties after the self-inspection: %v, want %v", got, want)
		}
		// The pass claimed the object until the organization's next day: a
		// second scheduler cannot claim it again today.
		if err := st.InTx(ctx, func(tx *store.Tx) error {
			claimed, err := tx.ClaimMLPSDuties(ctx, obj.ID, o.clock.Now(), o.clock.Now().Add(time.Hour))
			if err == nil && claimed {
				t.Error("the object was claimed twice in one day")
			}
			due, err := tx.DueMLPSDuties(ctx, o.clock.Now().Add(16*time.Hour), 10)
			if err == nil && len(due) != 1 {
				t.Errorf("due the next day: %v", due)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		// A second pass changes nothing.
		if _, err := o.svc.Tick(ctx, o.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if got := dutyTasks(t, o); !maps.Equal(got, want) {
			t.Fatalf("a second pass moved the duties: %v", got)
		}
		// Settings: level 4 every 6 or 12 months only.
		_, err = o.svc.SetMLPSSettings(ctx, o.author, service.MLPSSettings{Level4EvaluationMonths: 3, WorkPlanDays: 30})
		wantCode(t, err, isms.CodeInvalid, "level4_evaluation_months")
		_, err = o.svc.SetMLPSSettings(ctx, o.head, service.DefaultMLPSSettings)
		wantCode(t, err, isms.CodeForbidden, "")
	})
}

// formCell finds a cell of a filled form by key.
func formCell(t *testing.T, f isms.FilledForm, key string) isms.FormCell {
	t.Helper()
	for _, c := range f.Cover {
		if c.Key == key {
			return c
		}
	}
	for _, tb := range f.Tables {
		for _, row := range tb.Rows {
			for _, c := range row {
				if c.Key == key {
					return c
				}
			}
		}
	}
	t.Fatalf("form %s has no %s", f.Template, key)
	return isms.FormCell{}
}

func TestMLPSFilingForms(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		obj, g := filedObject(t, o)
		classic, err := o.svc.FilingForm(ctx, o.top, g.ID, isms.FormClassic)
		if err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]string{"t1.unit_name": "文件控制测试单位", "t2.name": "核心业务系统",
			"t2.business_type": "5 公众服务", "t2.service_scope": "30 地（市、区）内", "t2.nature": "2 互联网",
			"t3.business_harm": "对社会秩序、公共利益造成严重损害", "t3.level": "第三级", "t3.business_level": "第三级",
			"t3.expert_review": "已评审（2026-11-02）", "t3.authority": "无", "cover.bureau": "市公安局", "cover.accepted_on": "2026-11-02",
			"t1.level_counts": "第一级 0，第二级 0，第三级 1，第四级 0，第五级 0", "t4.expert_opinion": "有"} {
			if c := formCell(t, classic, key); c.Value != want || !c.Filled {
				t.Errorf("classic %s: %q (filled %v), want %q", key, c.Value, c.Filled, want)
			}
		}
		if c := formCell(t, classic, "t1.postcode"); c.Filled || c.Value != "" {
			t.Errorf("the postcode is no data of ours: %+v", c)
		}
		// Typed-in fields are kept per grading and template; unknown ones
		// are refused; other organizations cannot.
		err = o.svc.SaveFormFields(ctx, o.author, g.ID, isms.FormClassic, map[string]string{"t1.postcode": "200001", "t9.x": "1"})
		wantCode(t, err, isms.CodeInvalid, "t9.x")
		if err := o.svc.SaveFormFields(ctx, o.author, g.ID, isms.FormClassic, map[string]string{"t1.postcode": "200001",
			"t1.industry": "49 其他"}); err != nil {
			t.Fatal(err)
		}
		if err := o.svc.SaveFormFields(ctx, o.author, g.ID, isms.FormClassic, map[string]string{"t1.industry": ""}); err != nil {
			t.Fatal(err)
		}
		classic, _ = o.svc.FilingForm(ctx, o.top, g.ID, isms.FormClassic)
		if c := formCell(t, classic, "t1.postcode"); c.Value != "200001" || c.Filled {
			t.Errorf("typed postcode: %+v", c)
		}
		if c := formCell(t, classic, "t1.industry"); c.Value != "" {
			t.Errorf("a cleared field: %+v", c)
		}
		err = o.svc.SaveFormFields(ctx, otherOrgActor(t, o, isms.RoleISMSTeam), g.ID, isms.FormClassic, map[string]string{"t1.postcode": "1"})
		wantCode(t, err, isms.CodeNotFound, "")
		_, err = o.svc.FilingForm(ctx, o.emp1, g.ID, isms.FormClassic)
		wantCode(t, err, isms.CodeForbidden, "")

		// The 2025 form: technology fields, and 表六 one row per data
		// category.
		obj.Tech = []string{"cloud"}
		obj.TechDetails = map[string]string{"cloud.role": "customer", "cloud.service_model": "saas", "cloud.platform_level": "3"}
		obj.Categories = append(obj.Categories, isms.DataCat{Name: "证照库", Level: "general", Personal: "none", Sources: []string{"shared"}})
		if _, err := o.svc.SaveMLPSObject(ctx, o.author, obj.ID, obj); err != nil {
			t.Fatal(err)
		}
		f25, err := o.svc.FilingForm(ctx, o.top, g.ID, isms.Form2025)
		if err != nil {
			t.Fatal(err)
		}
		if c := formCell(t, f25, "t4.cloud"); c.Value != "责任主体：云服务客户；服务模式：SaaS；云平台安全保护等级：第三级" {
			t.Errorf("cloud: %q", c.Value)
		}
		if c := formCell(t, f25, "t4.iot"); c.Filled {
			t.Errorf("IoT not used but filled: %q", c.Value)
		}
		for key, want := range map[string]string{"t6.name#1": "办事人信息", "t6.personal#1": "敏感个人信息", "t6.name#2": "证照库",
			"t6.sources#2": "共享交换", "t2.object_type": "信息系统", "t1.this_filing": "第二级 0，第三级 1，第四级 0，第五级 0"} {
			if c := formCell(t, f25, key); c.Value != want {
				t.Errorf("2025 %s: %q, want %q", key, c.Value, want)
			}
		}
	})
}

// docxText reads the text of a Word document's body back.
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := z.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	dec := xml.NewDecoder(f)
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "t"
		case xml.EndElement:
			if x.Name.Local == "tc" || x.Name.Local == "p" {
				out.WriteString("\n")
			}
			inText = false
		case xml.CharData:
			if inText {
				out.Write(x)
			}
		}
	}
	return out.String()
}

// Every field of both filing forms (mlps.md §2.1, §2.2) is in the Word
// document and the workbook, read back, with the values the data gives.
func TestMLPSFilingFormFiles(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		_, g := filedObject(t, o)
		for _, tmpl := range isms.FilingForms {
			form, err := o.svc.FilingForm(ctx, o.top, g.ID, tmpl)
			if err != nil {
				t.Fatal(err)
			}
			def, _ := service.FilingFormTemplate(tmpl)
			var docx, xlsx bytes.Buffer
			if err := export.FilingFormDOCX(&docx, form); err != nil {
				t.Fatal(err)
			}
			if err := export.FilingFormXLSX(&xlsx, form); err != nil {
				t.Fatal(err)
			}
			text := docxText(t, docx.Bytes())
			wb, err := excelize.OpenReader(&xlsx)
			if err != nil {
				t.Fatal(err)
			}
			cells := map[string]bool{}
			for _, sh := range wb.GetSheetList() {
				rows, _ := wb.GetRows(sh)
				for _, r := range rows {
					for _, c := range r {
						cells[c] = true
					}
				}
			}
			labels := []string{def.Title}
			for _, f := range def.Cover {
				labels = append(labels, f.Label)
			}
			for _, tb := range def.Tables {
				if tb.LevelAtLeast > g.Level {
					continue
				}
				labels = append(labels, tb.Title)
				for _, f := range tb.Fields {
					labels = append(labels, f.Label)
				}
			}
			for _, l := range labels {
				if !strings.Contains(text, l) {
					t.Errorf("%s DOCX lacks %q", tmpl, l)
				}
				if !cells[l] && l != def.Title {
					t.Errorf("%s XLSX lacks %q", tmpl, l)
				}
			}
			for _, v := range []string{"核心业务系统", "第三级", "对社会秩序、公共利益造成严重损害", "市公安局"} {
				if !strings.Contains(text, v) || !cells[v] && v != "对社会秩序、公共利益造成严重损害" {
					t.Errorf("%s lacks the value %q", tmpl, v)
				}
			}
			wb.Close()
		}
	})
}

func TestMLPSMaterials(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		_, g := filedObject(t, o)
		err := o.svc.SaveMaterials(ctx, o.author, g.ID, []service.MaterialInput{{Checklist: "classic_t4", Item: "nonsense"}})
		wantCode(t, err, isms.CodeInvalid, "classic_t4/nonsense")
		if err := o.svc.SaveMaterials(ctx, o.author, g.ID, []service.MaterialInput{
			{Checklist: "classic_t4", Item: "topology", Filename: "拓扑图.pdf", File: strings.NewReader("%PDF-1.4 拓扑")},
			{Checklist: "classic_t4", Item: "design", Present: true, Note: "安全建设方案 V2"},
			{Checklist: "classic_t4", Item: "products", Present: false},
			{Checklist: "grading_package", Item: "grading_report", Present: true}}); err != nil {
			t.Fatal(err)
		}
		x, err := o.svc.Grading(ctx, o.top, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Materials) != 4 || x.Materials[0].Checklist != "classic_t4" || len(x.Materials[0].Entries) != 7 {
			t.Fatalf("checklists for level 3: %d", len(x.Materials))
		}
		topo := x.Materials[0].Entries[0].Material
		if !topo.Present || len(topo.Files) != 1 || topo.Files[0].Filename != "拓扑图.pdf" {
			t.Fatalf("topology: %+v", topo)
		}
		form, _ := o.svc.FilingForm(ctx, o.top, g.ID, isms.FormClassic)
		for key, want := range map[string]string{"t4.topology": "有（拓扑图.pdf）", "t4.design": "有（安全建设方案 V2）",
			"t4.products": "无", "t4.expert_opinion": "有"} {
			if c := formCell(t, form, key); c.Value != want {
				t.Errorf("%s: %q, want %q", key, c.Value, want)
			}
		}
		f25, _ := o.svc.FilingForm(ctx, o.top, g.ID, isms.Form2025)
		if c := formCell(t, f25, "t5.topology"); c.Filled {
			t.Errorf("the 2025 form's own checklist is not recorded yet: %q", c.Value)
		}
		err = o.svc.SaveMaterials(ctx, o.head, g.ID, []service.MaterialInput{{Checklist: "classic_t4", Item: "topology"}})
		wantCode(t, err, isms.CodeForbidden, "")
		err = o.svc.SaveMaterials(ctx, otherOrgActor(t, o, isms.RoleISMSTeam), g.ID, []service.MaterialInput{{Checklist: "classic_t4", Item: "topology"}})
		wantCode(t, err, isms.CodeNotFound, "")
	})
}

// The grading report in both outlines, and read back from Word.
func TestMLPSGradingReport(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		obj, g := filedObject(t, o) // template 2020
		rep, err := o.svc.GradingReport(ctx, o.top, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		heads := map[string]bool{}
		for _, s := range rep.Sections {
			heads[s.Heading] = true
			all.WriteString(strings.Join(s.Paras, "\n") + "\n")
			for _, row := range s.Table {
				all.WriteString(strings.Join(row, "|") + "\n")
			}
		}
		text := all.String()
		for _, h := range []string{"一、定级对象描述", "（一）责任主体", "（二）定级对象构成", "（三）承载的业务情况", "（四）安全责任",
			"二、安全保护等级确定", "（一）业务信息安全保护等级的确定", "（二）系统服务安全保护等级的确定", "（三）安全保护等级"} {
			if !heads[h] {
				t.Errorf("2020 report lacks %q", h)
			}
		}
		if heads["（五）承载数据情况"] {
			t.Error("the 2020 outline has no data section")
		}
		for _, want := range []string{"社会秩序、公共利益|严重损害|第三级|影响social", "核心业务系统|第三级|第三级|第三级",
			"安全保护等级为第三级（S3A3）", "业务类型：公众服务", "网络性质为互联网"} {
			if !strings.Contains(text, want) {
				t.Errorf("2020 report lacks %q:\n%s", want, text)
			}
		}
		// A 2025 re-grading's report carries the data section.
		g2, err := o.svc.StartGrading(ctx, o.author, obj.ID, "2025", "2025 年模板")
		if err != nil {
			t.Fatal(err)
		}
		rep, err = o.svc.GradingReport(ctx, o.top, g2.ID)
		if err != nil {
			t.Fatal(err)
		}
		var data *isms.ReportSection
		for i := range rep.Sections {
			if rep.Sections[i].Heading == "（五）承载数据情况" {
				data = &rep.Sections[i]
			}
		}
		if data == nil || len(data.Table) != 2 || data.Table[1][0] != "办事人信息" || data.Table[1][1] != "重要及以上数据" {
			t.Fatalf("2025 data section: %+v", data)
		}
		var docx bytes.Buffer
		if err := export.ReportDOCX(&docx, rep); err != nil {
			t.Fatal(err)
		}
		if body := docxText(t, docx.Bytes()); !strings.Contains(body, "承载数据情况") || !strings.Contains(body, rep.Title) {
			t.Errorf("report DOCX: %.300s", body)
		}
		_, err = o.svc.GradingReport(ctx, o.emp1, g.ID)
		wantCode(t, err, isms.CodeForbidden, "")
	})
}

// An evaluation entered wrongly is corrected as the report states it:
// refused input names its field, the object and level stay, the
// certificate validity follows the corrected day, the audit trail keeps
// what it replaced.
func TestMLPSCorrectEvaluation(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		obj, _ := filedObject(t, o)
		ag, _ := o.svc.SaveAgency(ctx, o.author, "", isms.Agency{Name: "某测评中心"})
		score := 58.0
		ev, err := o.svc.RecordEvaluation(ctx, o.author, obj.ID, isms.Evaluation{AgencyID: ag.ID, CompletedOn: "2026-11-01",
			ReportNo: "CP-9", Template: isms.EvalTemplate2021, Score: &score, Rating: "poor"})
		if err != nil {
			t.Fatal(err)
		}
		od, _ := o.svc.MLPSObject(ctx, o.top, obj.ID)
		before := od.Certificates[0].Validity
		rate := 92.5
		fixed := isms.Evaluation{AgencyID: ag.ID, CompletedOn: "2026-11-02", ReportNo: "CP-2026-009",
			Template: isms.EvalTemplate2025, Rate: &rate, Conclusion: "conform"}
		bad := fixed
		bad.Conclusion = ""
		_, err = o.svc.CorrectEvaluation(ctx, o.author, ev.ID, bad)
		wantCode(t, err, isms.CodeInvalid, "conclusion")
		_, err = o.svc.CorrectEvaluation(ctx, o.head, ev.ID, fixed)
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.CorrectEvaluation(ctx, otherOrgActor(t, o, isms.RoleISMSTeam), ev.ID, fixed)
		wantCode(t, err, isms.CodeNotFound, "")
		got, err := o.svc.CorrectEvaluation(ctx, o.author, ev.ID, fixed)
		if err != nil || got.ObjectID != obj.ID || got.Level != ev.Level || got.Score != nil || *got.Rate != 92.5 {
			t.Fatalf("corrected: %v %+v", err, got)
		}
		d, _ := o.svc.Evaluation(ctx, o.top, ev.ID)
		if d.Evaluation.ReportNo != "CP-2026-009" || d.Evaluation.Conclusion != "conform" || d.Evaluation.Rating != "" {
			t.Errorf("read back %+v", d.Evaluation)
		}
		// The certificate of 2026-11-02 is extended by the evaluation now
		// completed that day (it was the day before, before the filing).
		od, _ = o.svc.MLPSObject(ctx, o.top, obj.ID)
		if v := od.Certificates[0].Validity; v.Extensions != 1 || v.ValidUntil != "2030-11-01" || before.Extensions != 0 {
			t.Errorf("validity before the correction %+v, after %+v", before, v)
		}
		entries, _ := o.svc.ListAudit(ctx, o.auditor(t), isms.AuditFilter{OrgID: o.org.ID, EntityType: "mlps_object", Limit: 100})
		found := false
		for _, e := range entries {
			found = found || e.Action == "mlps.evaluation_correct" && strings.Contains(string(e.Data), "CP-9")
		}
		if !found {
			t.Error("no audit entry keeps the record the correction replaced")
		}
	})
}

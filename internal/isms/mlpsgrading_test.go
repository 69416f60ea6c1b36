package isms

import (
	"testing"
)

// matrix2020 is the 2020 grading matrix of mlps.md §1.2, written out by
// hand (the shipped data is tested against it in the service).
var matrix2020 = GradingMatrix{Version: "2020",
	Objects: map[string]string{HarmCitizen: "公民", HarmSocial: "社会", HarmNational: "国家"},
	Levels: map[string]map[string]int{
		HarmCitizen:  {DegreeGeneral: 1, DegreeSerious: 2, DegreeExtreme: 2},
		HarmSocial:   {DegreeGeneral: 2, DegreeSerious: 3, DegreeExtreme: 4},
		HarmNational: {DegreeGeneral: 3, DegreeSerious: 4, DegreeExtreme: 5},
	}}

func ticks(business, service [2]string) []HarmTick {
	return []HarmTick{{DimBusiness, business[0], business[1], "因为"}, {DimService, service[0], service[1], "因为"}}
}

func wantProblem(t *testing.T, err error, field, id string) {
	t.Helper()
	e := AsError(err)
	if e == nil {
		t.Fatalf("want a refusal of %s (%s), got %v", field, id, err)
	}
	for _, f := range e.Fields {
		if f.Field == field && f.Msg.ID == id {
			return
		}
	}
	t.Fatalf("want %s: %s, got %v", field, id, err)
}

func TestGradingWorkflowLevel3WithAuthority(t *testing.T) {
	g := Grading{Version: 1, Status: GradingDraft}
	if err := g.SetTicks(matrix2020, ticks([2]string{HarmSocial, DegreeSerious}, [2]string{HarmCitizen, DegreeSerious}), 2); err == nil {
		t.Fatal("a stated level 2 against S3A2 was accepted")
	}
	if err := g.SetTicks(matrix2020, ticks([2]string{HarmSocial, DegreeSerious}, [2]string{HarmCitizen, DegreeSerious}), 3); err != nil {
		t.Fatal(err)
	}
	if g.Result().Notation() != "S3A2" || g.Level != 3 {
		t.Fatalf("got %s level %d", g.Result().Notation(), g.Level)
	}
	if err := g.Submit("2026-03-01", true); err != nil || g.Status != GradingReview {
		t.Fatalf("submit: %v, status %s", err, g.Status)
	}
	// The experts disagree: back to the grader with their opinions.
	err := g.RecordReview(ExpertReview{Experts: "张三、李四", On: "2026-03-05", Conclusion: ReviewDisagree}, "2026-03-10", true)
	wantProblem(t, err, "opinions", "grading.reasons_required")
	if err := g.RecordReview(ExpertReview{Experts: "张三、李四", On: "2026-02-28", Conclusion: ReviewAgree}, "2026-03-10", true); err == nil {
		t.Fatal("a review before the submission was accepted")
	}
	if err := g.RecordReview(ExpertReview{Experts: "张三、李四", On: "2026-03-05", Conclusion: ReviewDisagree,
		Opinions: "对社会秩序的影响评估不足"}, "2026-03-10", true); err != nil {
		t.Fatal(err)
	}
	if g.Status != GradingReturned || g.ReturnedBy != GradingReview || g.ReturnReason != "对社会秩序的影响评估不足" {
		t.Fatalf("after disagreement: %s by %s: %q", g.Status, g.ReturnedBy, g.ReturnReason)
	}
	if err := g.SetTicks(matrix2020, ticks([2]string{HarmSocial, DegreeSerious}, [2]string{HarmSocial, DegreeSerious}), 0); err != nil {
		t.Fatal(err)
	}
	if err := g.Submit("2026-03-11", true); err != nil || g.Status != GradingReview {
		t.Fatalf("resubmit: %v, status %s", err, g.Status)
	}
	if err := g.RecordReview(ExpertReview{Experts: "张三、李四", On: "2026-03-12", Conclusion: ReviewAgree}, "2026-03-12", true); err != nil {
		t.Fatal(err)
	}
	if g.Status != GradingAuthority || g.ConfirmedOn != "" {
		t.Fatalf("after agreement: %s, confirmed %q", g.Status, g.ConfirmedOn)
	}
	if err := g.RecordAuthority(AuthorityDecision{Authority: "市国资委", On: "2026-03-20", Decision: AuthorityApprove}, "2026-03-19"); err == nil {
		t.Fatal("a decision in the future was accepted")
	}
	if err := g.RecordAuthority(AuthorityDecision{Authority: "市国资委", On: "2026-03-20", Decision: AuthorityApprove}, "2026-03-20"); err != nil {
		t.Fatal(err)
	}
	if g.Status != GradingFiling || g.ConfirmedOn != "2026-03-20" || !g.InForce() {
		t.Fatalf("after approval: %s, confirmed %q", g.Status, g.ConfirmedOn)
	}

	// The bureau returns the materials: still filing. Then it asks for
	// a new grading: back to the grader; resubmitting the same level
	// skips the experts and the authority who agreed to it.
	f := Filing{Bureau: "某市公安局网安支队", SubmittedOn: "2026-03-25", Template: Form2025, Outcome: FilingPending}
	if err := CheckFilingSubmission(g, &f, "2026-03-25"); err != nil {
		t.Fatal(err)
	}
	o := FilingOutcome{Outcome: FilingReturned, DecidedOn: "2026-03-24", Reasons: "缺拓扑图"}
	wantProblem(t, o.Decide(&g, &f, "2026-04-01"), "decided_on", "grading.day_before")
	o.DecidedOn = "2026-03-28"
	if err := o.Decide(&g, &f, "2026-04-01"); err != nil || g.Status != GradingFiling || f.Outcome != FilingReturned {
		t.Fatalf("materials return: %v, %s, %s", err, g.Status, f.Outcome)
	}
	if err := o.Decide(&g, &f, "2026-04-01"); err == nil {
		t.Fatal("a decided submission was decided again")
	}
	f2 := Filing{Bureau: "某市公安局网安支队", SubmittedOn: "2026-04-02", Template: Form2025, Outcome: FilingPending}
	o = FilingOutcome{Outcome: FilingReturned, DecidedOn: "2026-04-03", Reasons: "业务描述与定级不符", Regrade: true}
	if err := o.Decide(&g, &f2, "2026-04-03"); err != nil || g.Status != GradingReturned || g.ReturnedBy != GradingFiling {
		t.Fatalf("regrade return: %v, %s by %s", err, g.Status, g.ReturnedBy)
	}
	if err := g.Submit("2026-04-05", true); err != nil || g.Status != GradingFiling || g.ConfirmedOn != "2026-04-05" {
		t.Fatalf("same level resubmitted: %v, %s, confirmed %s", err, g.Status, g.ConfirmedOn)
	}
	f3 := Filing{Bureau: "某市公安局网安支队", SubmittedOn: "2026-04-06", Template: Form2025, Outcome: FilingPending}
	o = FilingOutcome{Outcome: FilingAccepted, DecidedOn: "2026-04-10"}
	if err := o.Decide(&g, &f3, "2026-04-10"); err != nil || g.Status != GradingFiled || g.FiledOn != "2026-04-10" {
		t.Fatalf("accepted: %v, %s, filed %s", err, g.Status, g.FiledOn)
	}
	c := Certificate{Number: "11010043001-26001", Bureau: "某市公安局", IssuedOn: "2026-04-05"}
	wantProblem(t, CheckCertificate(&c, f3, "2026-04-20"), "issued_on", "grading.certificate_before_filing")
	c.IssuedOn = "2026-04-15"
	if err := CheckCertificate(&c, f3, "2026-04-20"); err != nil {
		t.Fatal(err)
	}
}

func TestGradingLevelChangeAsksExpertsAgain(t *testing.T) {
	g := Grading{Version: 1, Status: GradingDraft}
	if err := g.SetTicks(matrix2020, ticks([2]string{HarmCitizen, DegreeSerious}, [2]string{HarmCitizen, DegreeGeneral}), 0); err != nil {
		t.Fatal(err)
	}
	if err := g.Submit("2026-05-01", false); err != nil || g.Status != GradingReview {
		t.Fatalf("level 2: %v, %s", err, g.Status)
	}
	if err := g.RecordReview(ExpertReview{Experts: "王五", On: "2026-05-02", Conclusion: ReviewAgree}, "2026-05-02", false); err != nil {
		t.Fatal(err)
	}
	if g.Status != GradingFiling || g.ReviewLevel != 2 {
		t.Fatalf("no authority: straight to filing, got %s", g.Status)
	}
	f := Filing{Bureau: "分局", SubmittedOn: "2026-05-03", Template: FormClassic, Outcome: FilingPending}
	o := FilingOutcome{Outcome: FilingReturned, DecidedOn: "2026-05-04", Reasons: "应为第三级", Regrade: true}
	if err := o.Decide(&g, &f, "2026-05-04"); err != nil {
		t.Fatal(err)
	}
	if err := g.SetTicks(matrix2020, ticks([2]string{HarmSocial, DegreeSerious}, [2]string{HarmCitizen, DegreeGeneral}), 3); err != nil {
		t.Fatal(err)
	}
	if err := g.Submit("2026-05-05", false); err != nil || g.Status != GradingReview {
		t.Fatalf("a changed level goes to the experts again: %v, %s", err, g.Status)
	}
}

func TestGradingLevel1IsNotFiled(t *testing.T) {
	g := Grading{Version: 1, Status: GradingDraft}
	if err := g.Submit("2026-05-01", false); err == nil {
		t.Fatal("a grading with no ticks was submitted")
	}
	if err := g.SetTicks(matrix2020, ticks([2]string{HarmCitizen, DegreeGeneral}, [2]string{HarmCitizen, DegreeGeneral}), 1); err != nil {
		t.Fatal(err)
	}
	if err := g.Submit("2026-05-01", false); err != nil || g.Status != GradingConfirmed || g.ConfirmedOn != "2026-05-01" {
		t.Fatalf("level 1 without authority: %v, %s", err, g.Status)
	}
	f := Filing{Bureau: "分局", SubmittedOn: "2026-05-03", Template: FormClassic}
	wantProblem(t, CheckFilingSubmission(g, &f, "2026-05-03"), "level", "grading.level1_not_filed")
	// With an authority, level 1 still goes to the authority, then is
	// confirmed.
	h := Grading{Version: 1, Status: GradingDraft}
	_ = h.SetTicks(matrix2020, ticks([2]string{HarmCitizen, DegreeGeneral}, [2]string{HarmCitizen, DegreeGeneral}), 0)
	if err := h.Submit("2026-05-01", true); err != nil || h.Status != GradingAuthority {
		t.Fatalf("level 1 with authority: %v, %s", err, h.Status)
	}
	if err := h.RecordAuthority(AuthorityDecision{Authority: "局", On: "2026-05-02", Decision: AuthorityReject}, "2026-05-02"); err == nil {
		t.Fatal("a rejection without reasons was accepted")
	}
	if err := h.RecordAuthority(AuthorityDecision{Authority: "局", On: "2026-05-02", Decision: AuthorityApprove}, "2026-05-02"); err != nil || h.Status != GradingConfirmed {
		t.Fatalf("approved: %v, %s", err, h.Status)
	}
	if err := h.SetTicks(matrix2020, nil, 0); err == nil {
		t.Fatal("a confirmed grading was changed")
	}
}

func TestMLPSObjectValidate(t *testing.T) {
	o := MLPSObject{Name: "  网上办事大厅 ", Type: MLPSInfoSystem, Tech: []string{"mobile", "cloud"},
		TechDetails:  map[string]string{"cloud.service_model": "saas, iaas", "mobile.apps": "", "iot.transport": "NB-IoT"},
		ServiceScope: "cross_city", NetworkNature: "private", SourceIPs: "1.2.3.0/24", Outsourced: true}
	o.Normalize()
	if o.Name != "网上办事大厅" || o.Tech[0] != "cloud" || o.TechDetails["cloud.service_model"] != "iaas,saas" {
		t.Fatalf("normalized: %+v", o)
	}
	if _, ok := o.TechDetails["iot.transport"]; ok || o.SourceIPs != "" {
		t.Fatalf("fields of unused technologies or networks kept: %+v", o.TechDetails)
	}
	err := o.Validate()
	wantProblem(t, err, "service_scope_count", "mlps.scope_count")
	wantProblem(t, err, "outsourced_to", "mlps.outsourced_to_required")
	o.ServiceScopeCount, o.OutsourcedTo = 3, "某运维公司"
	o.TechDetails["cloud.platform_level"] = "6"
	wantProblem(t, o.Validate(), "tech_details cloud.platform_level", "field.one_of")
	o.TechDetails["cloud.platform_level"] = "3"
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	d := DataCat{Name: "客户信息", Level: "important", Personal: "sensitive", Sources: []string{"manual", "collected"}}
	d.Normalize()
	if err := d.Validate(); err != nil || d.Sources[0] != "collected" {
		t.Fatalf("data category: %v %v", err, d.Sources)
	}
	d.Level = "secret"
	wantProblem(t, d.Validate(), "level", "field.one_of")
}

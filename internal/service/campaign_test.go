package service_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// supervisionTree is a city coordination group over a county group over
// the test enterprise, with a supervisor account in each body, and an
// unrelated body with its own supervisor.
type supervisionTree struct {
	city, county, outside    isms.Organization
	citySup, countySup, away isms.Actor
}

func newSupervisionTree(t *testing.T, o *docOrg) supervisionTree {
	t.Helper()
	ctx := context.Background()
	cli := isms.CLIActor("t")
	var tr supervisionTree
	n := 0
	mk := func(name string) (isms.Organization, isms.Actor) {
		n++
		user := "sup" + strconv.Itoa(n)
		org, err := o.svc.CreateOrganization(ctx, cli, isms.Organization{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		p, err := o.svc.CreatePerson(ctx, cli, isms.Person{OrgID: org.ID, Name: name + "监管员", EmployeeNo: "S-" + user})
		if err != nil {
			t.Fatal(err)
		}
		acct, _, err := o.svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: org.ID, PersonID: p.ID,
			Username: user, Password: "Docs-pw-2026x", KeepPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.GrantRole(ctx, cli, acct.ID, isms.RoleSupervisor); err != nil {
			t.Fatal(err)
		}
		return org, isms.Actor{AccountID: acct.ID, OrgID: org.ID, OrgPath: org.Path, Username: user,
			Via: "session", Roles: []isms.Role{isms.RoleSupervisor}}
	}
	tr.city, tr.citySup = mk("市等保协调小组")
	tr.county, tr.countySup = mk("某区协调小组")
	tr.outside, tr.away = mk("无关监管机构")
	for _, pair := range [][2]string{{tr.city.ID, tr.county.ID}, {tr.county.ID, o.org.ID}} {
		if _, err := o.svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: pair[0], SupervisedID: pair[1],
			Kind: isms.SuperviseMLPS}); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

// seedCampaign is the seed's campaign, shortened: a self-check form due
// in the preparation phase and the grading materials in the next.
func seedCampaign() isms.Campaign {
	return isms.Campaign{Title: "国有企业信息安全等级保护工作", BasisNo: "某等保〔2026〕1号",
		Phases: []isms.CampaignPhase{{ID: "p1", Name: "前期准备", StartsOn: "2026-11-01", EndsOn: "2026-11-15"},
			{ID: "p2", Name: "组织实施", StartsOn: "2026-11-16", EndsOn: "2026-12-31"}},
		Requirements: []isms.Requirement{{PhaseID: "p1", TypeCode: "self_check", DueOn: "2026-11-10"},
			{PhaseID: "p2", TypeCode: "grading_package", Title: "定级材料报送", DueOn: "2026-12-15"}}}
}

// A campaign walks draft → open → closed: checked on the way, the
// audience "all below" the city is the enterprise (not the county body
// between), opening gives the enterprise a submission and a task per
// requirement.
func TestCampaignLifecycle(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		tr := newSupervisionTree(t, o)

		bad := seedCampaign()
		bad.Requirements[0].DueOn = "2026-11-20"
		_, err := o.svc.CreateCampaign(ctx, tr.citySup, bad)
		wantCode(t, err, isms.CodeInvalid, "requirements[0].due_on")
		bad = seedCampaign()
		bad.Requirements[1].TypeCode = "nonsense"
		_, err = o.svc.CreateCampaign(ctx, tr.citySup, bad)
		wantCode(t, err, isms.CodeInvalid, "requirements[1].type_code")
		_, err = o.svc.CreateCampaign(ctx, o.author, seedCampaign())
		wantCode(t, err, isms.CodeForbidden, "")

		c, err := o.svc.CreateCampaign(ctx, tr.citySup, seedCampaign())
		if err != nil {
			t.Fatal(err)
		}
		if c.Requirements[0].Title != "信息安全等级保护工作自查表" || len(c.Requirements[1].Schema.Fields) != 8 {
			t.Errorf("requirements from templates: %q, %d fields", c.Requirements[0].Title, len(c.Requirements[1].Schema.Fields))
		}
		_, err = o.svc.OpenCampaign(ctx, tr.citySup, c.ID)
		wantCode(t, err, isms.CodeInvalid, "audience")

		below, err := o.svc.AudienceBelow(ctx, tr.citySup, tr.city.ID)
		if err != nil || len(below) != 1 || below[0] != o.org.ID {
			t.Fatalf("all below the city: %v %v", err, below)
		}
		_, err = o.svc.SetCampaignAudience(ctx, tr.citySup, c.ID, service.Audience{OrgIDs: []string{tr.outside.ID}})
		wantCode(t, err, isms.CodeInvalid, "audience")
		members, err := o.svc.SetCampaignAudience(ctx, tr.citySup, c.ID, service.Audience{OrgIDs: below})
		if err != nil || len(members) != 1 || strings.Join(members[0].Chain, ",") != tr.county.ID+","+tr.city.ID {
			t.Fatalf("audience: %v %+v", err, members)
		}
		// The county body reviews but does not run it: a draft is not
		// shown to it, nor to the enterprise.
		if _, err := o.svc.CampaignFor(ctx, tr.countySup, c.ID); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Errorf("the county saw a draft: %v", err)
		}
		if _, err := o.svc.OpenCampaign(ctx, tr.countySup, c.ID); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Errorf("the county opened the city's campaign: %v", err)
		}
		if _, err := o.svc.OpenCampaign(ctx, tr.citySup, c.ID); err != nil {
			t.Fatal(err)
		}
		v, err := o.svc.CampaignFor(ctx, o.author, c.ID)
		if err != nil || v.Role != service.CampaignMember || len(v.Submissions) != 2 {
			t.Fatalf("the enterprise's view: %v %+v", err, v.Role)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'submission' AND status = 'open' AND org_id = '"+o.org.ID+"'"); n != 2 {
			t.Errorf("%d open submission tasks, want 2", n)
		}
		cv, err := o.svc.CampaignFor(ctx, tr.countySup, c.ID)
		if err != nil || cv.Role != service.CampaignReviewer || len(cv.Submissions) != 2 {
			t.Fatalf("the county's view: %v %v", err, cv.Role)
		}
		if _, err := o.svc.CampaignFor(ctx, tr.away, c.ID); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Errorf("an unrelated body saw the campaign: %v", err)
		}
		// Once open, deadlines move but requirements stay.
		moved := v.Campaign
		moved.Requirements[0].DueOn = "2026-11-12"
		if _, err := o.svc.UpdateCampaign(ctx, tr.citySup, c.ID, moved); err != nil {
			t.Fatal(err)
		}
		// The owed submission's task moved with its deadline (18:00 of
		// 11-12 in Shanghai is 10:00 UTC); the other's stayed.
		dues := func() []string {
			var out []string
			rows, err := st.DB().QueryContext(ctx, `SELECT due_at FROM tasks WHERE source_type = 'submission' AND status = 'open' ORDER BY due_at`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var d time.Time
				if err := rows.Scan(&d); err != nil {
					t.Fatal(err)
				}
				out = append(out, d.In(shanghai).Format("2006-01-02 15:04"))
			}
			return out
		}
		if got := strings.Join(dues(), ","); got != "2026-11-12 18:00,2026-12-15 18:00" {
			t.Errorf("open task due days after the move: %s", got)
		}
		moved.Requirements = moved.Requirements[:1]
		_, err = o.svc.UpdateCampaign(ctx, tr.citySup, c.ID, moved)
		wantCode(t, err, isms.CodeConflict, "requirements")

		if _, err := o.svc.CloseCampaign(ctx, tr.citySup, c.ID); err != nil {
			t.Fatal(err)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'submission' AND status = 'open'"); n != 0 {
			t.Errorf("%d submission tasks still open after closing", n)
		}
		// Reopened: what is still owed is asked for again.
		if _, err := o.svc.ReopenCampaign(ctx, tr.citySup, c.ID); err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(dues(), ","); got != "2026-11-12 18:00,2026-12-15 18:00" {
			t.Errorf("open tasks after reopening: %s", got)
		}
		if n := countWhere(t, st, "audit_log", "action LIKE 'campaign.%'"); n != 6 {
			t.Errorf("%d campaign audit entries, want create, audience, open, update, close, reopen", n)
		}
	})
}

// An enterprise fills its self-check form from its own data and submits;
// the county returns it, the enterprise resubmits, the county and then
// the city accept. Versions stay frozen; no body sees what was not
// submitted to it; a reviewer outside the chain or out of turn is
// refused; a body outside the links is refused and the refusal recorded.
func TestSubmissionReview(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		tr := newSupervisionTree(t, o)
		filedObject(t, o)
		c, err := o.svc.CreateCampaign(ctx, tr.citySup, seedCampaign())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.SetCampaignAudience(ctx, tr.citySup, c.ID, service.Audience{OrgIDs: []string{o.org.ID}}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.OpenCampaign(ctx, tr.citySup, c.ID); err != nil {
			t.Fatal(err)
		}
		v, _ := o.svc.CampaignFor(ctx, o.author, c.ID)
		selfID, pkgID := v.Submissions[0].ID, v.Submissions[1].ID

		// Pending: the form starts from the organization's data.
		sv, err := o.svc.Submission(ctx, o.author, selfID)
		if err != nil {
			t.Fatal(err)
		}
		if sv.Data["org_name"] != o.org.Name || sv.Data["systems_count"] != 1.0 || sv.Data["filed_count"] != 1.0 {
			t.Errorf("prefilled: %+v", sv.Data)
		}
		if rows := sv.Data.Rows("systems"); len(rows) != 1 || rows[0]["level"] != "第三级" || rows[0]["status"] != "已备案" {
			t.Errorf("pulled systems: %+v", rows)
		}
		// Nothing submitted: the county body is refused, and it is recorded.
		_, err = o.svc.Submission(ctx, tr.countySup, selfID)
		wantCode(t, err, isms.CodeForbidden, "")

		_, err = o.svc.SubmitSubmission(ctx, o.author, selfID)
		wantCode(t, err, isms.CodeInvalid, "data.leading_group")
		_, err = o.svc.SaveSubmission(ctx, o.author, selfID, map[string]any{"leading_group": "也许"})
		wantCode(t, err, isms.CodeInvalid, "data.leading_group")
		_, err = o.svc.SaveSubmission(ctx, o.author, selfID, map[string]any{"employees": "许多"})
		wantCode(t, err, isms.CodeInvalid, "data.employees")
		_, err = o.svc.SaveSubmission(ctx, o.author, selfID, map[string]any{"colour": "red"})
		wantCode(t, err, isms.CodeInvalid, "data.colour")
		_, err = o.svc.SaveSubmission(ctx, o.emp1, selfID, map[string]any{})
		wantCode(t, err, isms.CodeForbidden, "")
		form := map[string]any{"org_name": o.org.Name, "leading_group": "是", "department": "信息部", "liaison_name": "张三",
			"liaison_phone": "0571-88880000", "employees": "320",
			"unregistered": []any{map[string]any{"name": "门户网站", "planned_level": "第二级"}, map[string]any{}}}
		x, err := o.svc.SaveSubmission(ctx, o.author, selfID, form)
		if err != nil {
			t.Fatal(err)
		}
		if x.Status != isms.SubDraft || x.Data["employees"] != 320.0 || len(x.Data.Rows("unregistered")) != 1 ||
			len(x.Data.Rows("systems")) != 1 {
			t.Errorf("saved: %s %+v", x.Status, x.Data)
		}
		if x, err = o.svc.SubmitSubmission(ctx, o.author, selfID); err != nil || x.Version != 1 || x.Status != isms.SubSubmitted {
			t.Fatalf("submit: %v %+v", err, x)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'submission' AND status = 'done' AND source_id = '"+selfID+"'"); n != 1 {
			t.Errorf("%d done tasks for the submission", n)
		}
		_, err = o.svc.SaveSubmission(ctx, o.author, selfID, form)
		wantCode(t, err, isms.CodeConflict, "status")

		// The county has it; the city not yet, and the city may not decide
		// before the county.
		cv, err := o.svc.Submission(ctx, tr.countySup, selfID)
		if err != nil || !cv.CanReview || cv.Data != nil || len(cv.Versions) != 1 || cv.Versions[0].Data["department"] != "信息部" {
			t.Fatalf("county's view: %v review=%v working copy=%v", err, cv.CanReview, cv.Data)
		}
		_, err = o.svc.Submission(ctx, tr.citySup, selfID)
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.ReviewSubmission(ctx, tr.citySup, selfID, isms.SubmissionReview{Decision: isms.ReviewAccept})
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.ReviewSubmission(ctx, tr.away, selfID, isms.SubmissionReview{Decision: isms.ReviewAccept})
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.ReviewSubmission(ctx, tr.countySup, selfID, isms.SubmissionReview{Decision: isms.ReviewReturn})
		wantCode(t, err, isms.CodeInvalid, "comment")
		if q, _ := o.svc.ReviewQueue(ctx, tr.countySup); len(q) != 1 {
			t.Errorf("county queue: %d", len(q))
		}
		x, err = o.svc.ReviewSubmission(ctx, tr.countySup, selfID, isms.SubmissionReview{Decision: isms.ReviewReturn,
			Comment: "请补充领导小组组长"})
		if err != nil || x.Status != isms.SubReturned {
			t.Fatalf("return: %v %s", err, x.Status)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'submission' AND status = 'open' AND source_id = '"+selfID+"' AND title_zh LIKE '退回修改%'"); n != 1 {
			t.Errorf("%d resubmission tasks", n)
		}
		form["leader"] = "李总"
		if _, err := o.svc.SaveSubmission(ctx, o.author, selfID, form); err != nil {
			t.Fatal(err)
		}
		if x, err = o.svc.SubmitSubmission(ctx, o.author, selfID); err != nil || x.Version != 2 {
			t.Fatalf("resubmit: %v %+v", err, x)
		}
		if x, err = o.svc.ReviewSubmission(ctx, tr.countySup, selfID, isms.SubmissionReview{Decision: isms.ReviewAccept}); err != nil ||
			x.Status != isms.SubSubmitted || x.Level != 1 {
			t.Fatalf("county accepts: %v %+v", err, x)
		}
		cityView, err := o.svc.Submission(ctx, tr.citySup, selfID)
		if err != nil || !cityView.CanReview || len(cityView.Versions) != 2 || len(cityView.Reviews) != 2 {
			t.Fatalf("city's view: %v %+v", err, cityView.Reviews)
		}
		if cityView.Versions[1].Data["leader"] != nil || cityView.Versions[0].Data["leader"] != "李总" {
			t.Errorf("versions not frozen as submitted: %+v / %+v", cityView.Versions[1].Data, cityView.Versions[0].Data)
		}
		if x, err = o.svc.ReviewSubmission(ctx, tr.citySup, selfID, isms.SubmissionReview{Decision: isms.ReviewAccept}); err != nil ||
			x.Status != isms.SubAccepted {
			t.Fatalf("city accepts: %v %+v", err, x)
		}
		_, err = o.svc.ReviewSubmission(ctx, tr.citySup, selfID, isms.SubmissionReview{Decision: isms.ReviewAccept})
		wantCode(t, err, isms.CodeConflict, "status")

		// Outside the links: refused and recorded.
		before := countWhere(t, st, "audit_log", "action = 'supervision.denied'")
		_, err = o.svc.Submission(ctx, tr.away, selfID)
		wantCode(t, err, isms.CodeForbidden, "")
		if n := countWhere(t, st, "audit_log", "action = 'supervision.denied'"); n != before+1 {
			t.Errorf("denials recorded: %d, want %d", n, before+1)
		}

		// Files: the grading package's, seen by the county only once submitted.
		_, err = o.svc.AttachToSubmission(ctx, o.author, pkgID, "note", "a.txt", strings.NewReader("x"))
		wantCode(t, err, isms.CodeInvalid, "field")
		att, err := o.svc.AttachToSubmission(ctx, o.author, pkgID, "filing_form", "备案表.docx", strings.NewReader("备案表内容"))
		if err != nil {
			t.Fatal(err)
		}
		if pv, _ := o.svc.Submission(ctx, o.author, pkgID); len(pv.Data.Rows("systems")) != 1 || len(pv.Data.Refs("filing_form")) != 1 {
			t.Errorf("a first upload lost what the form starts from: %+v", pv.Data)
		}
		if _, _, err := o.svc.OpenAttachment(ctx, tr.countySup, att.ID); err == nil {
			t.Error("the county opened a file of a submission not submitted")
		}
		if _, _, err := o.svc.OpenAttachment(ctx, o.author, att.ID); err != nil {
			t.Errorf("the enterprise cannot open its own file: %v", err)
		}
		_, err = o.svc.SubmitSubmission(ctx, o.author, pkgID)
		wantCode(t, err, isms.CodeInvalid, "data.grading_report")

		// Closed: no submission unless reopened for the organization.
		if _, err := o.svc.CloseCampaign(ctx, tr.citySup, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.SaveSubmission(ctx, o.author, pkgID, map[string]any{"note": "补充"})
		wantCode(t, err, isms.CodeConflict, "status")
		if err := o.svc.ReopenFor(ctx, tr.citySup, c.ID, o.org.ID, "2026-11-05"); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.SaveSubmission(ctx, o.author, pkgID, map[string]any{"note": "补充"}); err != nil {
			t.Fatal(err)
		}
		o.clock.Advance(4 * 24 * time.Hour)
		_, err = o.svc.SaveSubmission(ctx, o.author, pkgID, map[string]any{"note": "再补充"})
		wantCode(t, err, isms.CodeConflict, "status")
	})
}

// Submitting a liaison registration makes it the organization's liaison.
func TestLiaisonRegistration(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		tr := newSupervisionTree(t, o)
		_, err := o.svc.SetLiaison(ctx, o.author, isms.Liaison{Name: "王五", Phone: "abc"})
		wantCode(t, err, isms.CodeInvalid, "phone")
		if _, err := o.svc.SetLiaison(ctx, o.author, isms.Liaison{Name: "王五", Post: "科长", Phone: "13800000000",
			AccountID: o.rep.AccountID}); err != nil {
			t.Fatal(err)
		}
		c, err := o.svc.CreateCampaign(ctx, tr.countySup, isms.Campaign{Title: "联络员登记",
			Phases:       []isms.CampaignPhase{{ID: "p", Name: "登记", StartsOn: "2026-11-01", EndsOn: "2026-11-30"}},
			Requirements: []isms.Requirement{{PhaseID: "p", TypeCode: "liaison", DueOn: "2026-11-20"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.SetCampaignAudience(ctx, tr.countySup, c.ID, service.Audience{OrgIDs: []string{o.org.ID}}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.OpenCampaign(ctx, tr.countySup, c.ID); err != nil {
			t.Fatal(err)
		}
		// The task goes to the liaison's account.
		if n := countWhere(t, st, "tasks", "source_type = 'submission' AND assignee_account = '"+o.rep.AccountID+"'"); n != 1 {
			t.Errorf("%d tasks for the liaison", n)
		}
		v, _ := o.svc.CampaignFor(ctx, o.author, c.ID)
		sv, _ := o.svc.Submission(ctx, o.author, v.Submissions[0].ID)
		if sv.Data["name"] != "王五" || sv.Data["post"] != "科长" {
			t.Errorf("prefilled from the liaison: %+v", sv.Data)
		}
		if _, err := o.svc.SaveSubmission(ctx, o.author, sv.ID, map[string]any{"name": "赵六", "post": "处长", "phone": "电话"}); err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.SubmitSubmission(ctx, o.author, sv.ID)
		wantCode(t, err, isms.CodeInvalid, "data.phone")
		if _, err := o.svc.SaveSubmission(ctx, o.author, sv.ID, map[string]any{"name": "赵六", "post": "处长", "phone": "13900000000"}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.SubmitSubmission(ctx, o.author, sv.ID); err != nil {
			t.Fatal(err)
		}
		l, _, _ := o.svc.Liaison(ctx, o.author)
		if l.Name != "赵六" || l.Phone != "13900000000" || l.AccountID != o.rep.AccountID {
			t.Errorf("liaison after registration: %+v", l)
		}
	})
}

// The roll-up of a campaign over 3 counties × 4 enterprises, against
// hand-counted figures: in county A one enterprise accepted by both
// levels, one waiting at the county, one returned, one silent; in county
// B all four submitted; county C silent. The first phase was due before
// today, the second is not yet due. The region filter keeps county A's.
func TestSupervisionRollupFixture(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		cli := isms.CLIActor("t")
		as := func(org isms.Organization) isms.Actor {
			return isms.Actor{OrgID: org.ID, OrgPath: org.Path, Username: "cli:t", Via: "cli"}
		}
		mk := func(name, region string) isms.Organization {
			org, err := o.svc.CreateOrganization(ctx, cli, isms.Organization{Name: name, RegionCode: region})
			if err != nil {
				t.Fatal(err)
			}
			return org
		}
		link := func(sup, sub isms.Organization) {
			if _, err := o.svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: sup.ID, SupervisedID: sub.ID,
				Kind: isms.SuperviseMLPS}); err != nil {
				t.Fatal(err)
			}
		}
		city := mk("市协调小组", "330100")
		firms := map[string][]isms.Organization{}
		counties := map[string]isms.Organization{}
		for i, c := range []string{"A", "B", "C"} {
			region := "33010" + strconv.Itoa(i+2)
			counties[c] = mk("县协调小组"+c, region)
			link(city, counties[c])
			for j := 1; j <= 4; j++ {
				f := mk(c+strconv.Itoa(j)+"企业", region)
				link(counties[c], f)
				firms[c] = append(firms[c], f)
			}
		}
		if _, err := o.svc.SaveMLPSObject(ctx, as(firms["A"][1]), "", isms.MLPSObject{Name: "未定级系统", Type: isms.MLPSInfoSystem}); err != nil {
			t.Fatal(err)
		}
		c, err := o.svc.CreateCampaign(ctx, as(city), isms.Campaign{Title: "等级保护工作",
			Phases: []isms.CampaignPhase{{ID: "p1", Name: "前期准备", StartsOn: "2026-10-01", EndsOn: "2026-10-31"},
				{ID: "p2", Name: "组织实施", StartsOn: "2026-11-01", EndsOn: "2026-11-30"}},
			Requirements: []isms.Requirement{{PhaseID: "p1", TypeCode: "liaison", DueOn: "2026-10-20"},
				{PhaseID: "p2", TypeCode: "self_check", DueOn: "2026-11-20"}}})
		if err != nil {
			t.Fatal(err)
		}
		p1, p2 := c.Phases[0].ID, c.Phases[1].ID
		if p1 == "p1" {
			t.Error("a phase kept the name the client gave it as its id")
		}
		below, err := o.svc.AudienceBelow(ctx, as(city), city.ID)
		if err != nil || len(below) != 12 {
			t.Fatalf("audience: %v %d", err, len(below))
		}
		// One by name and everything below the city: the twelve, once each.
		if _, err := o.svc.SetCampaignAudience(ctx, as(city), c.ID, service.Audience{OrgIDs: below[:1], Below: city.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.OpenCampaign(ctx, as(city), c.ID); err != nil {
			t.Fatal(err)
		}
		submit := func(f isms.Organization) string {
			v, err := o.svc.CampaignFor(ctx, as(f), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			id := v.Submissions[0].ID
			if _, err := o.svc.SaveSubmission(ctx, as(f), id, map[string]any{"name": "联络员", "post": "科长", "phone": "13800000000"}); err != nil {
				t.Fatal(err)
			}
			if _, err := o.svc.SubmitSubmission(ctx, as(f), id); err != nil {
				t.Fatal(err)
			}
			return id
		}
		review := func(body isms.Organization, id, decision string) {
			if _, err := o.svc.ReviewSubmission(ctx, as(body), id, isms.SubmissionReview{Decision: decision, Comment: "意见"}); err != nil {
				t.Fatal(err)
			}
		}
		a1 := submit(firms["A"][0])
		review(counties["A"], a1, isms.ReviewAccept)
		review(city, a1, isms.ReviewAccept)
		submit(firms["A"][1])
		review(counties["A"], submit(firms["A"][2]), isms.ReviewReturn)
		for _, f := range firms["B"] {
			submit(f)
		}

		d, err := o.svc.SupervisionDashboard(ctx, as(city), isms.SupervisedFilter{}, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Orgs) != 12 {
			t.Errorf("%d organizations in the campaign's roll-up, want the 12 enterprises", len(d.Orgs))
		}
		if got, want := d.PhaseTotals[p1], (isms.Progress{Required: 12, Done: 7, Late: 6, Returned: 1, Accepted: 1, Review: 5, Overdue: 5}); got != want {
			t.Errorf("phase 1 totals %+v, want %+v", got, want)
		}
		if got, want := d.PhaseTotals[p2], (isms.Progress{Required: 12}); got != want {
			t.Errorf("phase 2 totals %+v, want %+v", got, want)
		}
		if got, want := d.Progress[firms["A"][2].ID][p1], (isms.Progress{Required: 1, Done: 1, Late: 1, Returned: 1}); got != want {
			t.Errorf("A3's first phase %+v, want %+v", got, want)
		}
		if d.Total.Objects != 1 || d.Total.ByLevel[0] != 1 {
			t.Errorf("MLPS totals: %+v", d.Total)
		}
		d, err = o.svc.SupervisionDashboard(ctx, as(city), isms.SupervisedFilter{Region: "330102"}, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.PhaseTotals[p1], (isms.Progress{Required: 4, Done: 3, Late: 2, Returned: 1, Accepted: 1, Review: 1, Overdue: 1}); got != want || len(d.Orgs) != 4 {
			t.Errorf("county A's first phase %+v (%d organizations), want %+v", got, len(d.Orgs), want)
		}
		// The roll-up workbook: county A's four, their totals as counted.
		var buf bytes.Buffer
		if err := o.svc.SupervisionRollupXLSX(ctx, as(city), isms.SupervisedFilter{Region: "330102"}, c.ID, func(string) {}, &buf); err != nil {
			t.Fatal(err)
		}
		rows := xlsxRows(t, buf.Bytes())
		if len(rows) != 1+1+4+1 {
			t.Fatalf("roll-up rows: %d", len(rows))
		}
		if total := rows[6]; total[0] != "合计 Total" || total[4] != "3" || total[5] != "4" || total[6] != "2" || total[7] != "1" || total[8] != "1" {
			t.Errorf("roll-up totals: %q", total)
		}
		// All liaison registrations, one row per enterprise: the city reads
		// the values only of what reached it (A1's).
		buf.Reset()
		if err := o.svc.SubmissionsXLSX(ctx, as(city), c.ID, c.Requirements[0].ID, func(string) {}, &buf); err != nil {
			t.Fatal(err)
		}
		rows = xlsxRows(t, buf.Bytes())
		withValues := 0
		for _, r := range rows[2:] {
			if len(r) > 4 && r[4] == "联络员" {
				withValues++
				if r[0] != "A1企业" {
					t.Errorf("the city read %s's registration before it reached the city", r[0])
				}
			}
		}
		if len(rows) != 2+12 || withValues != 1 {
			t.Errorf("submissions workbook: %d rows, %d with values", len(rows), withValues)
		}
		// County B's body sees its own four only.
		d, err = o.svc.SupervisionDashboard(ctx, as(counties["B"]), isms.SupervisedFilter{}, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := d.PhaseTotals[p1], (isms.Progress{Required: 4, Done: 4, Review: 4}); got != want || len(d.Orgs) != 4 {
			t.Errorf("county B's view %+v (%d organizations), want %+v", got, len(d.Orgs), want)
		}
	})
}

// xlsxRows reads the first sheet of a workbook as text.
func xlsxRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// Deadlines with the clock moved on: the liaison is reminded a week
// before the due day; once it passes with nothing submitted the task
// escalates to the organization's top manager; submitting closes it.
func TestCampaignDeadlines(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		tr := newSupervisionTree(t, o)
		if _, err := o.svc.SetLiaison(ctx, o.author, isms.Liaison{Name: "王五", Phone: "13800000000", AccountID: o.rep.AccountID}); err != nil {
			t.Fatal(err)
		}
		c, err := o.svc.CreateCampaign(ctx, tr.citySup, isms.Campaign{Title: "联络员登记",
			Phases:       []isms.CampaignPhase{{ID: "p", Name: "登记", StartsOn: "2026-11-01", EndsOn: "2026-11-30"}},
			Requirements: []isms.Requirement{{PhaseID: "p", TypeCode: "liaison", DueOn: "2026-11-20"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.SetCampaignAudience(ctx, tr.citySup, c.ID, service.Audience{OrgIDs: []string{o.org.ID}}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.OpenCampaign(ctx, tr.citySup, c.ID); err != nil {
			t.Fatal(err)
		}
		notes := func(acct, kind string) int {
			return countWhere(t, st, "notifications", "account_id = '"+acct+"' AND kind = '"+kind+"'")
		}
		tick := func(day string) {
			d, _ := time.ParseInLocation(time.DateOnly, day, shanghai)
			o.clock.Advance(d.Add(10 * time.Hour).Sub(o.clock.Now()))
			if _, err := o.svc.Tick(ctx, o.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		tick("2026-11-05")
		if notes(o.rep.AccountID, "reminder") != 0 {
			t.Error("reminded more than a week early")
		}
		tick("2026-11-14")
		if notes(o.rep.AccountID, "reminder") != 1 || notes(o.top.AccountID, "escalation") != 0 {
			t.Errorf("a week before: %d reminders to the liaison, %d escalations", notes(o.rep.AccountID, "reminder"),
				notes(o.top.AccountID, "escalation"))
		}
		tick("2026-11-21")
		if notes(o.top.AccountID, "escalation") != 1 {
			t.Errorf("overdue: %d escalations to the top manager", notes(o.top.AccountID, "escalation"))
		}
		v, _ := o.svc.CampaignFor(ctx, o.author, c.ID)
		if !v.Submissions[0].Late(v.Today) {
			t.Error("the submission is not late after its due day")
		}
		// 督促: the city urges the late; the liaison gets it.
		_, err = o.svc.UrgeLate(ctx, tr.citySup, c.ID, []string{tr.outside.ID}, "")
		wantCode(t, err, isms.CodeInvalid, "org_ids")
		_, err = o.svc.UrgeLate(ctx, o.author, c.ID, nil, "")
		wantCode(t, err, isms.CodeForbidden, "")
		if n, err := o.svc.UrgeLate(ctx, tr.citySup, c.ID, nil, "请于本周内报送"); err != nil || n != 1 {
			t.Fatalf("urge: %v %d", err, n)
		}
		if notes(o.rep.AccountID, "urge") != 1 || countWhere(t, st, "audit_log", "action IN ('campaign.urge', 'submission.urged')") != 2 {
			t.Error("the urging did not reach the liaison or the trails")
		}
		if _, err := o.svc.SaveSubmission(ctx, o.author, v.Submissions[0].ID, map[string]any{"name": "王五", "post": "科长",
			"phone": "13800000000"}); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.SubmitSubmission(ctx, o.author, v.Submissions[0].ID); err != nil {
			t.Fatal(err)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'submission' AND status = 'open'"); n != 0 {
			t.Errorf("%d open tasks after submitting", n)
		}
		tick("2026-11-23")
		if notes(o.top.AccountID, "escalation") != 1 {
			t.Error("escalated again after the submission")
		}
	})
}

// A notice from the city reaches every organization below it; readers
// are recorded once each, the sender sees who read it where, an
// organization outside the links never sees it.
func TestBroadcastReceipts(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		tr := newSupervisionTree(t, o)
		_, err := o.svc.SendBroadcast(ctx, tr.citySup, isms.Broadcast{Kind: "memo", Title: "培训"})
		wantCode(t, err, isms.CodeInvalid, "kind")
		_, err = o.svc.SendBroadcast(ctx, o.author, isms.Broadcast{Kind: isms.BroadcastTraining, Title: "培训"})
		wantCode(t, err, isms.CodeForbidden, "")
		b, err := o.svc.SendBroadcast(ctx, tr.citySup, isms.Broadcast{Kind: isms.BroadcastTraining, Title: "等级保护培训通知",
			Body: "定于12月1日举办等级保护培训。\n请各单位派员参加。"})
		if err != nil || b.Targets != 2 {
			t.Fatalf("send: %v %d targets", err, b.Targets)
		}
		l, err := o.svc.Broadcasts(ctx, o.emp1)
		if err != nil || len(l.Received) != 1 || l.Received[0].ReadAt != nil {
			t.Fatalf("the employee's list: %v %+v", err, l.Received)
		}
		for range 2 {
			if _, err := o.svc.Broadcast(ctx, o.author, b.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := o.svc.Broadcast(ctx, o.emp1, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.Broadcast(ctx, tr.away, b.ID); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Errorf("an organization outside the links read it: %v", err)
		}
		v, err := o.svc.Broadcast(ctx, tr.citySup, b.ID)
		if err != nil || !v.Sender || len(v.Receipts) != 2 || v.ReadOrgs != 1 {
			t.Fatalf("the sender's view: %v %+v", err, v)
		}
		for _, r := range v.Receipts {
			switch r.OrgID {
			case o.org.ID:
				if r.Readers != 2 || r.FirstReader != "author" || r.FirstReadAt == nil {
					t.Errorf("the enterprise's receipt: %+v", r)
				}
			case tr.county.ID:
				if r.Readers != 0 || r.FirstReadAt != nil {
					t.Errorf("the county's receipt: %+v", r)
				}
			}
		}
		if n := countWhere(t, st, "audit_log", "action = 'broadcast.read'"); n != 2 {
			t.Errorf("%d read entries, want one per reader", n)
		}
	})
}

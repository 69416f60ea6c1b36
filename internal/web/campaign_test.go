package web_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// A campaign through its pages: the city body prepares it (a deadline
// outside its phase refused by name), chooses everything below it and
// opens it; the enterprise fills the self-check form its data started,
// is refused a missing answer, submits; the county returns it with a
// comment, the enterprise sees it and resubmits; the county and the city
// accept. Every page renders in both languages.
func TestCampaignPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := t.Context()
		cli := isms.CLIActor("t")
		city := s.signIn("owner1")
		county, err := s.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "区协调小组", ParentID: s.root.ID})
		if err != nil {
			t.Fatal(err)
		}
		firm, _ := s.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "某国有企业", ParentID: s.root.ID})
		for _, pair := range [][2]string{{s.root.ID, county.ID}, {county.ID, firm.ID}} {
			if _, err := s.svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: pair[0], SupervisedID: pair[1],
				Kind: isms.SuperviseMLPS}); err != nil {
				t.Fatal(err)
			}
		}
		account := func(org isms.Organization, user string, role isms.Role) {
			a, _, err := s.svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: org.ID, Username: user, Password: pw, KeepPassword: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.svc.GrantRole(ctx, cli, a.ID, role); err != nil {
				t.Fatal(err)
			}
		}
		account(county, "c-sup", isms.RoleSupervisor)
		account(firm, "f-team", isms.RoleISMSTeam)
		countyB, firmB := s.signIn("c-sup"), s.signIn("f-team")

		day := s.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		form := url.Values{"title": {"国有企业等级保护工作"}, "basis_no": {"某等保〔2026〕1号"},
			"phase.0.name": {"前期准备"}, "phase.0.starts_on": {day}, "phase.0.ends_on": {isms.AddDays(day, 20)},
			"req.0.type_code": {"self_check"}, "req.0.phase": {"0"}, "req.0.due_on": {isms.AddDays(day, 30)}}
		st0, body, _ := city.post("/campaigns", form)
		if st0 != 400 || !strings.Contains(body, "前期准备") || !strings.Contains(body, `value="国有企业等级保护工作"`) {
			t.Fatalf("a deadline outside its phase: %d %s", st0, between(body, `class="field-err"`, `</`))
		}
		form.Set("req.0.due_on", isms.AddDays(day, 10))
		st0, _, loc := city.post("/campaigns", form)
		if st0 != 303 || !strings.HasPrefix(loc, "/campaigns/") {
			t.Fatalf("create: %d %s", st0, loc)
		}
		cid := strings.TrimPrefix(strings.Split(loc, "?")[0], "/campaigns/")
		if st0, _, _ = city.post("/campaigns/"+cid+"/audience", url.Values{"below": {s.root.ID}}); st0 != 303 {
			t.Fatalf("audience: %d", st0)
		}
		if st0, _, _ = city.post("/campaigns/"+cid+"/open", nil); st0 != 303 {
			t.Fatalf("open: %d", st0)
		}
		_, body = city.get("/campaigns/"+cid, "zh-CN")
		if grid := between(body, `id="campaign-grid"`, `</table>`); !strings.Contains(grid, "某国有企业") || strings.Contains(grid, "区协调小组") ||
			!strings.Contains(grid, "未报送") {
			t.Errorf("progress grid: %s", grid)
		}

		v, err := s.svc.CampaignFor(ctx, isms.Actor{OrgID: firm.ID, OrgPath: firm.Path, Username: "cli:t", Via: "cli"}, cid)
		if err != nil || len(v.Submissions) != 1 {
			t.Fatalf("the enterprise's submissions: %v", err)
		}
		sub := "/submissions/" + v.Submissions[0].ID
		if _, body = firmB.get("/campaigns", "zh-CN"); !strings.Contains(body, "国有企业等级保护工作") {
			t.Error("the enterprise does not see its campaign")
		}
		if _, body = firmB.get(sub, "zh-CN"); !strings.Contains(body, `name="f.org_name" id="in-f-org_name" value="某国有企业"`) {
			t.Errorf("the form does not start from the organization's data: %s", between(body, `id="f-org_name"`, `</div></div>`))
		}
		answers := url.Values{"f.org_name": {"某国有企业"}, "f.department": {"信息部"}, "f.liaison_name": {"张三"},
			"f.liaison_phone": {"0571-88880000"}, "t.unregistered.0.name": {"门户网站"}, "t.unregistered.0.purpose": {""},
			"t.unregistered.0.planned_level": {"第二级"}, "t.unregistered.0.planned_on": {""}, "action": {"submit"}}
		st0, body, _ = firmB.post(sub, answers)
		if st0 != 400 || !strings.Contains(between(body, `id="f-leading_group"`, `</div></div>`), `class="field-err"`) ||
			!strings.Contains(body, `value="门户网站"`) {
			t.Fatalf("submitting without a required answer: %d %s", st0, between(body, `id="f-leading_group"`, `</div></div>`)+between(body, `id="f-unregistered"`, `</table>`))
		}
		answers.Set("f.leading_group", "是")
		if st0, _, _ = firmB.post(sub, answers); st0 != 303 {
			t.Fatalf("submit: %d", st0)
		}
		if st0, _ = city.get(sub, "zh-CN"); st0 != 403 {
			t.Errorf("the city read a submission before the county passed it up: %d", st0)
		}

		_, body = countyB.get("/campaigns", "zh-CN")
		if !strings.Contains(between(body, `id="review-queue"`, `</table>`), "某国有企业") {
			t.Fatal("the county's queue lacks the submission")
		}
		if _, body = countyB.get(sub, "zh-CN"); !strings.Contains(body, `id="review-form"`) || !strings.Contains(body, "门户网站") {
			t.Fatal("the county's review page")
		}
		if st0, body, _ = countyB.post(sub+"/review", url.Values{"decision": {"return"}}); st0 != 400 ||
			!strings.Contains(between(body, `id="review-form"`, `</form>`), `class="field-err"`) {
			t.Fatalf("a return without a comment: %d", st0)
		}
		if st0, _, _ = countyB.post(sub+"/review", url.Values{"decision": {"return"}, "comment": {"请填写领导小组组长"}}); st0 != 303 {
			t.Fatalf("return: %d", st0)
		}
		if _, body = firmB.get(sub, "zh-CN"); !strings.Contains(between(body, `id="return-comment"`, `</div>`), "请填写领导小组组长") {
			t.Error("the enterprise does not see the comment")
		}
		answers.Set("f.leader", "李总")
		if st0, _, _ = firmB.post(sub, answers); st0 != 303 {
			t.Fatalf("resubmit: %d", st0)
		}
		if st0, _, _ = countyB.post(sub+"/review", url.Values{"decision": {"accept"}}); st0 != 303 {
			t.Fatalf("county accepts: %d", st0)
		}
		if st0, _, _ = city.post(sub+"/review", url.Values{"decision": {"accept"}}); st0 != 303 {
			t.Fatalf("city accepts: %d", st0)
		}
		if _, body = firmB.get(sub, "zh-CN"); !strings.Contains(body, "已通过") || strings.Contains(body, `id="submit-submission"`) {
			t.Error("the accepted submission is not shown as accepted and frozen")
		}
		// The city drills down to the enterprise: its liaison is not
		// registered, its submission opens from the list.
		if _, body = city.get("/supervision/organizations/"+firm.ID, "zh-CN"); !strings.Contains(between(body,
			`id="supervised-submissions"`, `</table>`), `href="`+sub+`"`) {
			t.Error("the organization's page does not link its submission")
		}
		for _, lang := range []string{"zh-CN", "en"} {
			for _, p := range []struct {
				b    *browser
				path string
			}{{city, "/campaigns"}, {city, "/campaigns/new"}, {city, "/campaigns/" + cid}, {city, "/campaigns/" + cid + "/edit"},
				{city, sub}, {countyB, "/campaigns"}, {countyB, "/campaigns/" + cid}, {firmB, "/campaigns"},
				{firmB, "/campaigns/" + cid}, {firmB, sub}, {firmB, "/liaison"}} {
				status, body := p.b.get(p.path, lang)
				if status != 200 || untranslated.FindString(stripTags(body)) != "" {
					t.Errorf("%s (%s): %d %q", p.path, lang, status, untranslated.FindString(stripTags(body)))
				}
			}
		}
	})
}

package service_test

import (
	"context"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// Supervision links are kept by whoever administers both ends: a city
// coordination group over a county group over an enterprise; no loop, no
// pair twice, no link to an organization outside the actor's tree; each
// end's trail records the change.
func TestSupervisionLinks(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		cli := isms.CLIActor("t")
		root, err := o.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "平台"})
		if err != nil {
			t.Fatal(err)
		}
		admin := isms.Actor{OrgID: root.ID, OrgPath: root.Path, Username: "sys", Via: "session", Roles: []isms.Role{isms.RoleSystemAdmin}}
		org := func(name string) isms.Organization {
			x, err := o.svc.CreateOrganization(ctx, admin, isms.Organization{Name: name, ParentID: root.ID})
			if err != nil {
				t.Fatal(err)
			}
			return x
		}
		city, county, firm := org("市等保协调小组"), org("某区协调小组"), org("某国有企业")
		link := func(a isms.Actor, sup, sub isms.Organization) (isms.SupervisionLink, error) {
			return o.svc.AddSupervisionLink(ctx, a, isms.SupervisionLink{SupervisorID: sup.ID, SupervisedID: sub.ID, Kind: isms.SuperviseMLPS})
		}
		l1, err := link(admin, city, county)
		if err != nil || l1.SupervisorName != "市等保协调小组" {
			t.Fatalf("city → county: %v %+v", err, l1)
		}
		if _, err := link(admin, county, firm); err != nil {
			t.Fatal(err)
		}
		_, err = link(admin, firm, city)
		wantCode(t, err, isms.CodeConflict, "supervised_id")
		_, err = link(admin, city, county)
		wantCode(t, err, isms.CodeConflict, "supervised_id")
		_, err = link(admin, city, city)
		wantCode(t, err, isms.CodeInvalid, "supervised_id")
		_, err = o.svc.AddSupervisionLink(ctx, admin, isms.SupervisionLink{SupervisorID: city.ID, SupervisedID: firm.ID, Kind: "boss"})
		wantCode(t, err, isms.CodeInvalid, "kind")
		// The city body's own administrator administers only the city
		// body: it cannot give itself sight of another organization.
		cityAdmin := isms.Actor{OrgID: city.ID, OrgPath: city.Path, Username: "c", Via: "session", Roles: []isms.Role{isms.RoleSystemAdmin}}
		_, err = link(cityAdmin, city, o.org)
		wantCode(t, err, isms.CodeInvalid, "supervised_id")
		_, err = link(o.author, city, firm)
		wantCode(t, err, isms.CodeForbidden, "")
		if ok, _ := st.Supervises(ctx, city.ID, firm.ID); !ok {
			t.Error("the city does not supervise the enterprise along the county")
		}
		if ok, _ := st.Supervises(ctx, firm.ID, city.ID); ok {
			t.Error("supervision runs upward")
		}
		ls, _ := o.svc.SupervisionLinks(ctx, admin)
		if len(ls) != 2 {
			t.Errorf("links seen by the platform: %d", len(ls))
		}
		if ls, _ := o.svc.SupervisionLinks(ctx, cityAdmin); len(ls) != 1 {
			t.Errorf("links seen by the city body's administrator: %d", len(ls))
		}
		err = o.svc.RemoveSupervisionLink(ctx, cityAdmin, l1.ID)
		wantCode(t, err, isms.CodeNotFound, "")
		if err := o.svc.RemoveSupervisionLink(ctx, admin, l1.ID); err != nil {
			t.Fatal(err)
		}
		if ok, _ := st.Supervises(ctx, city.ID, firm.ID); ok {
			t.Error("the chain survived the removed link")
		}
		if n := countWhere(t, st, "audit_log", "action IN ('supervision.link', 'supervision.unlink')"); n != 6 {
			t.Errorf("%d audit entries, want one per end of two links and one removal", n)
		}
	})
}

// A city body sees the organizations below it along links with their MLPS
// roll-up, hand-checked; an organization outside its links is refused
// with 403 and the refusal recorded.
func TestSupervisedRollup(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		cli := isms.CLIActor("t")
		city, _ := o.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "市协调小组"})
		county, _ := o.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "区协调小组"})
		outside, _ := o.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "无关单位"})
		for _, pair := range [][2]string{{city.ID, county.ID}, {county.ID, o.org.ID}} {
			if _, err := o.svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: pair[0], SupervisedID: pair[1],
				Kind: isms.SuperviseMLPS}); err != nil {
				t.Fatal(err)
			}
		}
		// The enterprise: a filed level-3 system with a certificate, an
		// evaluation with one open high-risk issue, and an ungraded system.
		obj, _ := filedObject(t, o)
		newMLPSObject(t, o, "待定级系统", "")
		ag, _ := o.svc.SaveAgency(ctx, o.author, "", isms.Agency{Name: "测评中心"})
		rate := 80.0
		ev, err := o.svc.RecordEvaluation(ctx, o.author, obj.ID, isms.Evaluation{AgencyID: ag.ID, CompletedOn: "2026-11-02",
			ReportNo: "CP-1", Template: isms.EvalTemplate2025, Rate: &rate, Conclusion: "basically_conform", MajorHazards: 1})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.AddRectification(ctx, o.author, ev.ID, isms.Rectification{Description: "口令", Risk: "high"}); err != nil {
			t.Fatal(err)
		}
		sup := isms.Actor{OrgID: city.ID, OrgPath: city.Path, Username: "sup", Via: "session", Roles: []isms.Role{isms.RoleSupervisor}}
		orgs, err := o.svc.SupervisedOrganizations(ctx, sup, isms.SupervisedFilter{})
		if err != nil || len(orgs) != 2 {
			t.Fatalf("supervised: %v %+v", err, orgs)
		}
		if orgs[0].ID != county.ID || orgs[0].Depth != 1 || orgs[1].ID != o.org.ID || orgs[1].Depth != 2 || orgs[1].Via != "区协调小组" {
			t.Errorf("order and depth: %+v", orgs)
		}
		m := orgs[1].MLPS
		if m.Objects != 2 || m.ByLevel[3] != 1 || m.ByLevel[0] != 1 || m.Filed != 1 || m.Expiring != 0 || m.Expired != 0 ||
			m.LastEval != "2026-11-02" || m.LastResult != "basically_conform" || m.OpenByRisk["high"] != 1 || len(m.OpenByRisk) != 1 {
			t.Errorf("roll-up %+v", m)
		}
		// Filters: distance, region prefix, industry.
		region, industry := "310115", "能源"
		if _, err := o.svc.UpdateOrganization(ctx, cli, o.org.ID, isms.OrganizationPatch{RegionCode: &region, Industry: &industry}); err != nil {
			t.Fatal(err)
		}
		bad := "31011"
		_, err = o.svc.UpdateOrganization(ctx, cli, o.org.ID, isms.OrganizationPatch{RegionCode: &bad})
		wantCode(t, err, isms.CodeInvalid, "region_code")
		for _, c := range []struct {
			f    isms.SupervisedFilter
			want int
		}{{isms.SupervisedFilter{Depth: 1}, 1}, {isms.SupervisedFilter{Depth: 2}, 1}, {isms.SupervisedFilter{Region: "3101"}, 1},
			{isms.SupervisedFilter{Region: "32"}, 0}, {isms.SupervisedFilter{Industry: "能源"}, 1}, {isms.SupervisedFilter{Industry: "金融"}, 0}} {
			if got, _ := o.svc.SupervisedOrganizations(ctx, sup, c.f); len(got) != c.want {
				t.Errorf("filter %+v: %d organizations, want %d", c.f, len(got), c.want)
			}
		}
		if d, _ := o.svc.SupervisionDashboard(ctx, sup, isms.SupervisedFilter{}, ""); len(d.Industries) != 1 || d.Industries[0] != "能源" || d.MaxDepth != 2 {
			t.Errorf("choices %v %d", d.Industries, d.MaxDepth)
		}
		if x, err := o.svc.SupervisedOrganization(ctx, sup, o.org.ID); err != nil || x.MLPS.Filed != 1 {
			t.Errorf("one organization: %v %+v", err, x)
		}
		_, err = o.svc.SupervisedOrganization(ctx, sup, outside.ID)
		wantCode(t, err, isms.CodeForbidden, "")
		if n := countWhere(t, st, "audit_log", "action = 'supervision.denied'"); n != 1 {
			t.Errorf("%d refusals recorded", n)
		}
		// Supervision runs downward only; other roles have no such view.
		below := isms.Actor{OrgID: o.org.ID, OrgPath: o.org.Path, Username: "s2", Via: "session", Roles: []isms.Role{isms.RoleSupervisor}}
		if orgs, _ := o.svc.SupervisedOrganizations(ctx, below, isms.SupervisedFilter{}); len(orgs) != 0 {
			t.Errorf("the enterprise supervises %+v", orgs)
		}
		_, err = o.svc.SupervisedOrganizations(ctx, o.author, isms.SupervisedFilter{})
		wantCode(t, err, isms.CodeForbidden, "")
	})
}

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

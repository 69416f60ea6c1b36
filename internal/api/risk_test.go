package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// The register and the residual-risk report come out as workbooks over
// the API; an unknown assessment is 404 before any byte is written.
func TestRiskWorkbooks(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		owner := isms.Actor{OrgID: e.root.ID, Username: "cli:test", Via: "cli", Roles: []isms.Role{isms.RoleOwner}}
		asset, err := e.svc.CreateAsset(ctx, owner, isms.Asset{Code: "DB-1", Name: "数据库", Type: "data_resource", C: 4, I: 3, A: 3})
		if err != nil {
			t.Fatal(err)
		}
		x, err := e.svc.SaveAssessment(ctx, owner, "", isms.Assessment{Title: "年度评估"})
		if err != nil {
			t.Fatal(err)
		}
		ts, vs, _ := e.svc.RiskCatalogs(ctx, owner)
		r, err := e.svc.SaveRisk(ctx, owner, x.ID, "", isms.Risk{AssetID: asset.ID, ThreatID: ts[0].ID, VulnID: vs[0].ID, T: 3, V: 4, Va: 4})
		if err != nil {
			t.Fatal(err)
		}
		c := e.signedIn("admin", adminPassword)
		rows := func(path string) [][]string {
			t.Helper()
			res := c.do("GET", path, nil)
			if res.status != 200 || !strings.Contains(res.header.Get("Content-Type"), "spreadsheetml") {
				t.Fatalf("%s: %d %s", path, res.status, res.raw)
			}
			f, err := excelize.OpenReader(strings.NewReader(res.raw))
			if err != nil {
				t.Fatal(err)
			}
			out, _ := f.GetRows("Sheet1")
			return out
		}
		// T 3, V 4 → L 3; Ia 4, Va 4 → F 4; R 12.
		if got := rows("/risks.xlsx?level=2"); len(got) != 2 || got[1][0] != r.Number() || got[1][18] != "12" {
			t.Fatalf("register: %q", got)
		}
		if got := rows("/risks.xlsx?level=5"); len(got) != 1 {
			t.Fatalf("the filter let rows through: %q", got)
		}
		if got := rows("/assessments/" + x.ID + "/report.xlsx"); got[2][1] != "年度评估" || got[len(got)-1][0] != r.Number() {
			t.Fatalf("report: %q", got)
		}
		if res := c.do("GET", "/assessments/0192e4a0-0000-7000-8000-000000000000/report.xlsx", nil); res.status != 404 {
			t.Fatalf("unknown assessment: %d", res.status)
		}
	})
}

package service_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"openisms/internal/auth"
	"openisms/internal/demo"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// TestRiskLinesMatchRegister checks the register page's lines against the
// whole risks for every sort, both directions, the indexed filters and
// offsets, on both engines: the same risks in the same order, with the
// asset, threat and vulnerability names of each.
func TestRiskLinesMatchRegister(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		res, err := demo.Run(ctx, svc, isms.CLIActor("test"), demo.Size{Organizations: 1, DeptsPerOrg: 4, PeoplePerOrg: 10,
			Assets: 40, Risks: 400, AssetOrgs: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		owner := isms.Actor{OrgID: res.RootOrgID, Username: "cli:test", Via: "cli", Roles: []isms.Role{isms.RoleOwner}}
		threats, vulns, err := svc.RiskCatalogs(ctx, owner)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]string{}
		for _, x := range threats {
			names[x.ID] = x.Name
		}
		for _, x := range vulns {
			names[x.ID] = x.Name
		}
		filters := []isms.RiskFilter{{}, {Level: 4}, {Level: 2}, {Treatment: "none"}, {Treatment: isms.TreatReduce},
			{Acceptable: "no"}, {Acceptable: "yes", Level: 1}}
		checked := 0
		for _, base := range filters {
			for _, sort := range isms.RiskSorts {
				for _, desc := range []bool{false, true} {
					for _, offset := range []int{0, 30} {
						f := base
						f.Sort, f.Desc, f.Offset, f.Limit = sort, desc, offset, 25
						want, err := svc.ListRisks(ctx, owner, f, true)
						if err != nil {
							t.Fatal(err)
						}
						got, err := svc.RiskLines(ctx, owner, f)
						if err != nil {
							t.Fatal(err)
						}
						if got.Total != want.Total || got.HeatMap != want.HeatMap || len(got.Lines) != len(want.Risks) {
							t.Fatalf("%+v: total %d/%d, %d lines for %d risks", f, got.Total, want.Total, len(got.Lines), len(want.Risks))
						}
						ids := make([]string, len(want.Risks))
						for i, r := range want.Risks {
							ids[i] = r.AssetID
						}
						labels, err := svc.AssetLabels(ctx, owner, ids...)
						if err != nil {
							t.Fatal(err)
						}
						for i, l := range got.Lines {
							r := want.Risks[i]
							if l.ID != r.ID || l.N != r.N || l.Result.R != r.Result.R || l.Result.Level != r.Result.Level ||
								l.Residual.Level != r.Residual.Level || l.Treatment != r.Treatment || l.Acceptance != r.Acceptance ||
								l.AssetCode+" "+l.AssetName != labels[r.AssetID] || l.Threat != names[r.ThreatID] ||
								l.Vulnerability != names[r.VulnID] {
								t.Fatalf("%+v line %d: %+v, want %+v", f, i, l, r)
							}
							checked++
						}
					}
				}
			}
		}
		if checked < 1000 {
			t.Fatalf("only %d lines compared", checked)
		}
	})
}

// TestRiskPagesFollowRenames: the register's pages are kept by the risk
// stamp, and renaming the asset, threat or vulnerability a page shows
// moves the stamp on, on both engines.
func TestRiskPagesFollowRenames(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		res, err := demo.Run(ctx, svc, isms.CLIActor("test"), demo.Size{Organizations: 1, DeptsPerOrg: 2, PeoplePerOrg: 5,
			Assets: 10, Risks: 60, AssetOrgs: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		owner := isms.Actor{OrgID: res.RootOrgID, Username: "cli:test", Via: "cli", Roles: []isms.Role{isms.RoleOwner}}
		f := isms.RiskFilter{Limit: 10}
		page := func() service.RiskRegister {
			t.Helper()
			p, err := svc.RiskLines(ctx, owner, f)
			if err != nil || len(p.Lines) == 0 {
				t.Fatalf("register: %d lines, %v", len(p.Lines), err)
			}
			return p
		}
		first := page()
		if again := page(); &again.Lines[0] != &first.Lines[0] {
			t.Fatal("an unchanged register page was read again, not kept")
		}
		line := first.Lines[0]
		risk, err := svc.Risk(ctx, owner, line.ID)
		if err != nil {
			t.Fatal(err)
		}
		asset, err := svc.Asset(ctx, owner, risk.AssetID)
		if err != nil {
			t.Fatal(err)
		}
		asset.Name = "改名后的资产"
		if _, err := svc.UpdateAsset(ctx, owner, asset.ID, asset); err != nil {
			t.Fatal(err)
		}
		if got := page().Lines[0].AssetName; got != asset.Name {
			t.Errorf("after renaming the asset the page shows %q", got)
		}
		threats, vulns, err := svc.RiskCatalogs(ctx, owner)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range threats {
			if x.ID == risk.ThreatID {
				x.Name = "改名后的威胁"
				if _, err := svc.SaveThreat(ctx, owner, x.ID, x); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := page().Lines[0].Threat; got != "改名后的威胁" {
			t.Errorf("after renaming the threat the page shows %q", got)
		}
		for _, x := range vulns {
			if x.ID == risk.VulnID {
				x.Name = "改名后的脆弱性"
				if _, err := svc.SaveVulnerability(ctx, owner, x.ID, x); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got := page().Lines[0].Vulnerability; got != "改名后的脆弱性" {
			t.Errorf("after renaming the vulnerability the page shows %q", got)
		}
	})
}

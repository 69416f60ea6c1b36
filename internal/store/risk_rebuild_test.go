package store_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"

	"openisms/internal/auth"
	"openisms/internal/demo"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// A mass recompute on SQLite drops the indexes of risk_results and builds
// them again: afterwards the same indexes exist with the same
// definitions, and the register reads the new results through them.
func TestRecomputeRebuildsIndexes(t *testing.T) {
	defer store.SetRebuildThreshold(1)()
	st := testutil.OpenStore(t, filepath.Join(t.TempDir(), "isms.db"))
	indexes := func() []string {
		rows, err := st.DB().Query(`SELECT name || ' ' || sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'risk_results'
			AND sql IS NOT NULL ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		return out
	}
	before := indexes()
	if len(before) < 3 {
		t.Fatalf("indexes on risk_results: %v", before)
	}
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	res, err := demo.Run(ctx, svc, isms.CLIActor("t"), demo.Size{Organizations: 1, DeptsPerOrg: 2, PeoplePerOrg: 5,
		Assets: 40, Risks: 300, AssetOrgs: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	owner := isms.Actor{OrgID: res.RootOrgID, Username: "cli:t", Via: "cli", Roles: []isms.Role{isms.RoleOwner}}
	_, changed, err := svc.SetRiskMethod(ctx, owner, isms.DefaultRiskMethod(isms.MethodMatrix))
	if err != nil || changed == 0 {
		t.Fatalf("recompute: %d %v", changed, err)
	}
	if after := indexes(); !slices.Equal(before, after) {
		t.Errorf("indexes after the recompute:\n%v\nwant\n%v", after, before)
	}
	// The level index agrees with the rows.
	var viaIndex, direct int
	if err := st.DB().QueryRow(`SELECT count(*) FROM risk_results INDEXED BY risk_results_level WHERE org_id = ? AND level >= 3`,
		res.RootOrgID).Scan(&viaIndex); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRow(`SELECT count(*) FROM risk_results NOT INDEXED WHERE org_id = ? AND level >= 3`,
		res.RootOrgID).Scan(&direct); err != nil {
		t.Fatal(err)
	}
	if viaIndex != direct {
		t.Errorf("risk_results_level finds %d risks at level 3 and above, the table holds %d", viaIndex, direct)
	}
}

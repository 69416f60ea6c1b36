package service_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"testing"

	"openisms/internal/auth"
	"openisms/internal/blob"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// BenchmarkImportNIST imports the NIST SP 800-53 rev. 5 catalog (OSCAL,
// 1,189 controls and enhancements in 20 groups) into a fresh
// organization on each engine. Target ≤ 2 s.
func BenchmarkImportNIST(b *testing.B) {
	raw, err := os.ReadFile(testutil.SharedFile(b, "testdata/oscal/NIST_SP-800-53_rev5_catalog.json"))
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range testutil.Engines {
		b.Run(e.Name, func(b *testing.B) {
			st := benchStore(b, e)
			svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			ctx := context.Background()
			n := 0
			for b.Loop() {
				n++
				org, err := svc.CreateOrganization(ctx, isms.CLIActor("bench"), isms.Organization{Name: fmt.Sprintf("导入基准%d", n)})
				if err != nil {
					b.Fatal(err)
				}
				a := isms.Actor{OrgID: org.ID, OrgPath: org.Path, Username: "cli:bench", Via: "cli"}
				ch, err := svc.ImportFramework(ctx, a, service.FrameworkImport{FileName: "nist.json"}, bytes.NewReader(raw))
				if err != nil {
					b.Fatal(err)
				}
				if ch.Framework.Assessable != 1189 {
					b.Fatalf("%d controls", ch.Framework.Assessable)
				}
			}
		})
	}
}

// BenchmarkCoverageNIST reads the coverage view of the NIST SP 800-53
// catalog (1,189 requirements) for an organization with 300 measures:
// 240 naming three catalog controls each, 60 naming controls of the LOW
// baseline profile (reaching the catalog through its mappings), half of
// them implemented with evidence. Target ≤ 30 ms.
func BenchmarkCoverageNIST(b *testing.B) {
	raw, err := os.ReadFile(testutil.SharedFile(b, "testdata/oscal/NIST_SP-800-53_rev5_catalog.json"))
	if err != nil {
		b.Fatal(err)
	}
	low, err := os.ReadFile(testutil.SharedFile(b, "testdata/oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json"))
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range testutil.Engines {
		b.Run(e.Name, func(b *testing.B) {
			st := benchStore(b, e)
			svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			svc.SetBlobs(blob.Local{Dir: b.TempDir()})
			ctx := context.Background()
			org, err := svc.CreateOrganization(ctx, isms.CLIActor("bench"), isms.Organization{Name: "覆盖基准"})
			if err != nil {
				b.Fatal(err)
			}
			a := isms.Actor{OrgID: org.ID, OrgPath: org.Path, Username: "cli:bench", Via: "cli"}
			cat, err := svc.ImportFramework(ctx, a, service.FrameworkImport{FileName: "nist.json"}, bytes.NewReader(raw))
			if err != nil {
				b.Fatal(err)
			}
			prof, err := svc.ImportFramework(ctx, a, service.FrameworkImport{FileName: "low.json", Code: "NIST-LOW",
				Base: cat.Framework.Code}, bytes.NewReader(low))
			if err != nil {
				b.Fatal(err)
			}
			_, catNodes, _ := svc.Framework(ctx, a, cat.Framework.ID)
			_, lowNodes, _ := svc.Framework(ctx, a, prof.Framework.ID)
			refs := func(nodes []isms.RequirementNode, code string, from int) []isms.MeasureReq {
				var out []isms.MeasureReq
				for i := from; len(out) < 3 && i < from+len(nodes); i++ {
					if n := nodes[i%len(nodes)]; n.Assessable && !n.Withdrawn {
						out = append(out, isms.MeasureReq{Framework: code, Ref: n.Ref})
					}
				}
				return out
			}
			for i := range 300 {
				m := isms.Measure{Title: fmt.Sprintf("措施 %d", i), Status: isms.ImplPlanned,
					Requirements: refs(catNodes, cat.Framework.Code, i*4)}
				if i >= 240 {
					m.Requirements = refs(lowNodes, prof.Framework.Code, (i-240)*2)
				}
				if i%2 == 0 {
					m.Status = isms.ImplImplemented
				}
				m, err := svc.SaveMeasure(ctx, a, "", m)
				if err != nil {
					b.Fatal(err)
				}
				if i%2 == 0 {
					if _, err := svc.AddMeasureEvidence(ctx, a, m.ID, service.EvidenceInput{Title: "记录", EffectiveOn: "2026-01-01"},
						"r.txt", strings.NewReader("ok")); err != nil {
						b.Fatal(err)
					}
				}
			}
			for b.Loop() {
				c, err := svc.ControlCoverage(ctx, a, cat.Framework.ID, "zh-CN")
				if err != nil {
					b.Fatal(err)
				}
				if len(c.Rows) != 1189-182 || c.Summary.States[isms.CoverCovered] == 0 {
					b.Fatalf("%d rows, %+v", len(c.Rows), c.Summary)
				}
			}
		})
	}
}

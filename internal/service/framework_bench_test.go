package service_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"

	"openisms/internal/auth"
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

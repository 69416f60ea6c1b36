package service_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"openisms/internal/auth"
	"openisms/internal/demo"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// riskOrg fills a fresh database on an engine with one organization
// holding assets and risks scenarios, through the demo's path (the asset
// import, AddRisks), and returns its owner.
func riskOrg(b *testing.B, e testutil.Engine, assets, risks int) (*service.Service, isms.Actor) {
	svc, owner, _ := riskOrgStore(b, e, assets, risks)
	return svc, owner
}

// riskOrgStore is riskOrg, with the store.
func riskOrgStore(b *testing.B, e testutil.Engine, assets, risks int) (*service.Service, isms.Actor, *store.Store) {
	st := benchStore(b, e)
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	res, err := demo.Run(ctx, svc, isms.CLIActor("bench"), demo.Size{Organizations: 1, DeptsPerOrg: 8, PeoplePerOrg: 30,
		Assets: assets, Risks: risks, AssetOrgs: 1}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return svc, isms.Actor{OrgID: res.RootOrgID, Username: "cli:bench", Via: "cli", Roles: []isms.Role{isms.RoleOwner}}, st
}

// settle does on PostgreSQL what its autovacuum does within a minute of
// a mass change (200,000 new or rewritten rows are far past its
// thresholds): takes statistics and clears dead row versions, so each
// measured recompute meets the tables as a server in use would, not
// with the previous round's dead rows.
func settle(b *testing.B, st *store.Store) {
	if st.Engine != store.Postgres {
		return
	}
	if _, err := st.DB().Exec(`VACUUM ANALYZE risks, risk_results`); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRecomputeRisks changes the risk method of an organization
// with 200,000 risks (ISMS_BENCH_N overrides) in open assessments: every
// risk is recomputed and written in one transaction. Target ≤ 5 s.
func BenchmarkRecomputeRisks(b *testing.B) {
	n := benchN(200_000)
	for _, e := range testutil.Engines {
		b.Run(e.Name, func(b *testing.B) {
			svc, owner, st := riskOrgStore(b, e, 10_000, n)
			ctx := context.Background()
			kinds := []string{isms.MethodMultiply, isms.MethodMatrix}
			i := 0
			settle(b, st)
			for b.Loop() {
				m := isms.DefaultRiskMethod(kinds[i%2])
				i++
				if _, changed, err := svc.SetRiskMethod(ctx, owner, m); err != nil || changed == 0 {
					b.Fatalf("changed %d: %v", changed, err)
				}
				b.StopTimer()
				settle(b, st)
				b.StartTimer()
			}
			b.ReportMetric(float64(n), "risks")
		})
	}
}

// BenchmarkExportRisks writes 50,000 register rows (ISMS_BENCH_N
// overrides) as XLSX and reports the peak Go heap during the export.
// Targets ≤ 3 s and ≤ 200 MB.
func BenchmarkExportRisks(b *testing.B) {
	n := benchN(50_000)
	for _, e := range testutil.Engines {
		b.Run(e.Name, func(b *testing.B) {
			svc, owner := riskOrg(b, e, 2_500, n)
			ctx := context.Background()
			var peak atomic.Uint64
			for b.Loop() {
				runtime.GC()
				done := make(chan struct{})
				go sampleHeap(done, &peak)
				var w countingWriter
				if err := svc.RisksXLSX(ctx, owner, isms.RiskFilter{}, func() {}, &w); err != nil {
					b.Fatal(err)
				}
				close(done)
				if w.n < int64(n)*50 {
					b.Fatalf("only %d bytes", w.n)
				}
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-MB")
		})
	}
}

// sampleHeap records the highest heap in use until done.
func sampleHeap(done chan struct{}, peak *atomic.Uint64) {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	var ms runtime.MemStats
	for {
		runtime.ReadMemStats(&ms)
		if v := ms.HeapInuse + ms.StackInuse; v > peak.Load() {
			peak.Store(v)
		}
		select {
		case <-done:
			return
		case <-t.C:
		}
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

// BenchmarkImportAssets imports a 10,000-row asset sheet (ISMS_BENCH_N
// overrides) into a fresh organization, all or nothing, with the
// department and person lookups a real workbook needs. Target ≤ 5 s.
func BenchmarkImportAssets(b *testing.B) {
	n := benchN(10_000)
	for _, e := range testutil.Engines {
		b.Run(e.Name, func(b *testing.B) {
			svc, _ := riskOrg(b, e, 0, 0)
			ctx := context.Background()
			cli := isms.CLIActor("bench")
			sheet := [][]string{{"编号", "名称", "类型", "所属部门", "保密性", "完整性", "可用性", "IP地址", "MAC地址", "位置"}}
			for i := range n {
				sheet = append(sheet, []string{fmt.Sprintf("IM-%05d", i), "服务器 " + strconv.Itoa(i), "hardware", "部门", strconv.Itoa(1 + i%5),
					strconv.Itoa(1 + i%3), strconv.Itoa(1 + i%4), fmt.Sprintf("10.9.%d.%d", i/250, 1+i%250),
					fmt.Sprintf("00:1A:2B:%02X:%02X:%02X", i>>16&255, i>>8&255, i&255), "一号机房"})
			}
			k := 0
			for b.Loop() {
				b.StopTimer()
				k++
				org, err := svc.CreateOrganization(ctx, cli, isms.Organization{Name: fmt.Sprintf("导入单位%d", k)})
				if err != nil {
					b.Fatal(err)
				}
				if err := svc.CreateBulk(ctx, cli, service.Bulk{Departments: []isms.Department{{ID: service.NewID(), OrgID: org.ID, Name: "部门"}}}); err != nil {
					b.Fatal(err)
				}
				owner := isms.Actor{OrgID: org.ID, Username: "cli:bench", Via: "cli", Roles: []isms.Role{isms.RoleOwner}}
				b.StartTimer()
				if got, err := svc.ImportAssets(ctx, owner, sheet); err != nil || got != n {
					b.Fatalf("imported %d: %v", got, err)
				}
			}
		})
	}
}

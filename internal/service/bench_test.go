package service_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
	"openisms/internal/schedule"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func benchN(def int) int {
	if n, err := strconv.Atoi(os.Getenv("ISMS_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return def
}

// benchStore opens a fresh store on an engine: a file for SQLite (not
// memory, so figures include the disk), a new database for PostgreSQL.
func benchStore(b *testing.B, e testutil.Engine) *store.Store {
	dsn := e.DSN(b)
	if e.Name == "sqlite" {
		dsn = filepath.Join(b.TempDir(), "isms.db")
	}
	return testutil.OpenStore(b, dsn)
}

// BenchmarkYearOfOccurrences computes a year of due times for 1,000
// organizations × 40 obligations with the seed duties' mix of frequencies
// (the schedule arithmetic the scheduler does). Target ≤ 5 s.
func BenchmarkYearOfOccurrences(b *testing.B) {
	defs, err := service.DefaultObligations(2026)
	if err != nil {
		b.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
	to := from.AddDate(1, 0, 0)
	for b.Loop() {
		n := 0
		for org := 0; org < 1000; org++ {
			for i := 0; i < 40; i++ {
				due, err := schedule.Between(defs[i%len(defs)].Schedule, loc, from, to)
				if err != nil {
					b.Fatal(err)
				}
				n += len(due)
			}
		}
		b.ReportMetric(float64(n), "occurrences")
	}
}

// BenchmarkTickIdle is a scheduler pass with nothing due over a table of
// 1,000,000 tasks (ISMS_BENCH_N overrides). Target ≤ 10 ms.
func BenchmarkTickIdle(b *testing.B) {
	n := benchN(1_000_000)
	for _, e := range testutil.Engines {
		b.Run(e.Name, func(b *testing.B) {
			st := benchStore(b, e)
			clock := isms.NewFakeClock(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC))
			svc := service.New(st, clock, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			ctx := context.Background()
			org, err := svc.CreateOrganization(ctx, isms.CLIActor("b"), isms.Organization{Name: "基准"})
			if err != nil {
				b.Fatal(err)
			}
			past := clock.Now().AddDate(-3, 0, 0)
			for start := 0; start < n; start += 20000 {
				err := st.InTx(ctx, func(tx *store.Tx) error {
					for i := start; i < min(n, start+20000); i++ {
						due := past.Add(time.Duration(i) * time.Minute)
						nt := store.NewTask{Task: isms.Task{ID: service.NewID(), OrgID: org.ID, TitleZH: fmt.Sprintf("任务%d", i),
							AssigneeRole: isms.RoleEmployee, DueAt: due, Status: isms.TaskDone, CreatedAt: due}, RemindAt: due}
						if _, err := tx.InsertTask(ctx, &nt); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			// Every reminder already went out.
			if _, err := st.DB().Exec(`UPDATE tasks SET reminded = TRUE, next_escalation_at = NULL`); err != nil {
				b.Fatal(err)
			}
			if st.Engine == store.Postgres {
				// The steady state autovacuum keeps: the bulk update above
				// left a million dead entries in the partial indexes.
				if _, err := st.DB().Exec("VACUUM ANALYZE tasks"); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				res, err := svc.Tick(ctx, clock.Now())
				if err != nil || res != (service.TickResult{}) {
					b.Fatalf("%+v %v", res, err)
				}
			}
		})
	}
}

// BenchmarkApplySeedTemplate sets up a fresh organization from the seed
// template (5 departments, 50 matrix rows, 196 marks, 58 documents, each audited).
// Target ≤ 200 ms.
func BenchmarkApplySeedTemplate(b *testing.B) {
	tpl, err := orgtemplate.Load("iso27001-seed")
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range testutil.Engines {
		b.Run(e.Name, func(b *testing.B) {
			st := benchStore(b, e)
			svc := service.New(st, isms.NewFakeClock(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)), auth.Hasher{P: auth.TestParams},
				slog.New(slog.NewTextHandler(io.Discard, nil)))
			ctx := context.Background()
			cli := isms.CLIActor("b")
			i := 0
			for b.Loop() {
				b.StopTimer()
				org, err := svc.CreateOrganization(ctx, cli, isms.Organization{Name: fmt.Sprintf("模板基准%d", i)})
				if err != nil {
					b.Fatal(err)
				}
				i++
				b.StartTimer()
				if _, err := svc.ApplyTemplate(ctx, cli, org.ID, tpl); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

package service_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"openisms/internal/auth"
	"openisms/internal/demo"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

func newService(st *store.Store) *service.Service {
	return service.New(st, isms.NewFakeClock(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)), auth.Hasher{P: auth.TestParams},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func count(t *testing.T, st *store.Store, table string) int {
	var n int
	if err := st.DB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A bulk create is all or nothing, and names the row and field that failed.
func TestBulkIsAtomic(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		svc := newService(st)
		ctx := context.Background()
		a := isms.CLIActor("test")
		org := isms.Organization{ID: service.NewID(), Name: "批量单位"}
		dept := isms.Department{ID: service.NewID(), OrgID: org.ID, Name: "工程部"}
		people := []isms.Person{
			{ID: service.NewID(), OrgID: org.ID, DeptID: dept.ID, Name: "甲", EmployeeNo: "1"},
			{ID: service.NewID(), OrgID: org.ID, DeptID: dept.ID, Name: "乙", EmployeeNo: "2"},
			{ID: service.NewID(), OrgID: org.ID, DeptID: dept.ID, Name: "丙", EmployeeNo: "3", Email: "not-an-email"},
		}
		err := svc.CreateBulk(ctx, a, service.Bulk{Organizations: []isms.Organization{org}, Departments: []isms.Department{dept}, People: people})
		var e *isms.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "people[2].email" {
			t.Fatalf("err = %v", err)
		}
		for _, tbl := range []string{"organizations", "departments", "people", "person_terms", "audit_log"} {
			if n := count(t, st, tbl); n != 0 {
				t.Fatalf("%s has %d rows after a failed bulk", tbl, n)
			}
		}
		// A duplicate employee number inside the batch is caught by the database.
		people[2].Email, people[2].EmployeeNo = "", "1"
		err = svc.CreateBulk(ctx, a, service.Bulk{Organizations: []isms.Organization{org}, Departments: []isms.Department{dept}, People: people})
		if !errors.As(err, &e) || e.Code != isms.CodeConflict || e.Fields[0].Field != "people[2].employee_no" {
			t.Fatalf("duplicate: %v", err)
		}
		people[2].EmployeeNo = "3"
		if err := svc.CreateBulk(ctx, a, service.Bulk{Organizations: []isms.Organization{org}, Departments: []isms.Department{dept}, People: people}); err != nil {
			t.Fatal(err)
		}
		if n := count(t, st, "audit_log"); n != 5 {
			t.Fatalf("audit entries %d, want 5 (one per record)", n)
		}
	})
}

// The demo builds a valid tree with one account and a verifiable trail.
func TestDemoSmall(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		svc := newService(st)
		ctx := context.Background()
		res, err := demo.Run(ctx, svc, isms.CLIActor("test"), demo.Small, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Organizations != 4 || res.Departments != 32 || res.People != 120 || len(res.Accounts) != len(isms.GrantableRoles) {
			t.Fatalf("result %+v", res)
		}
		if n := count(t, st, "organizations"); n != 4 {
			t.Fatalf("organizations %d", n)
		}
		// The seed matrix over the demo's own departments (none added), and
		// the legal register's common entries.
		if n, m, l := count(t, st, "departments"), count(t, st, "matrix_rows"), count(t, st, "legal_items"); n != 32 || m != 50 || l != 13 {
			t.Fatalf("departments %d, matrix rows %d, legal items %d", n, m, l)
		}
		defs, err := service.DefaultObligations(2026)
		if err != nil || len(defs) < 18 || res.Obligations != len(defs) {
			t.Fatalf("default obligations: %d of %d (%v)", res.Obligations, len(defs), err)
		}
		orgs, _ := svc.ListOrganizations(ctx, isms.CLIActor("t"), isms.ListFilter{Limit: 10})
		for _, o := range orgs {
			if isms.CheckCreditCode(o.CreditCode) != "" {
				t.Errorf("%s: invalid credit code %s", o.Name, o.CreditCode)
			}
		}
		for _, acct := range res.Accounts {
			in, err := svc.SignIn(ctx, acct.Username, acct.Password, "", "127.0.0.1", "test")
			if err != nil {
				t.Fatalf("demo sign-in %s: %v", acct.Username, err)
			}
			if len(in.Roles) != 1 || in.Roles[0] != acct.Role {
				t.Fatalf("%s holds %v, want %s", acct.Username, in.Roles, acct.Role)
			}
		}
		if v, err := svc.VerifyAudit(ctx); err != nil || v.Break != nil {
			t.Fatalf("verify %+v %v", v, err)
		}
		if _, err := demo.Run(ctx, svc, isms.CLIActor("test"), demo.Small, nil); !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second run: %v", err)
		}
	})
}

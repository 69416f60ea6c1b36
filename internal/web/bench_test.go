package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"openisms/internal/app"
	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// BenchmarkPeoplePage renders the people list (50 rows) of an
// organization of 100,000 people, signed in, through the whole handler
// stack. Target: ≤ 10 ms median. ISMS_BENCH_N shrinks the organization.
func BenchmarkPeoplePage(b *testing.B) {
	n := 100_000
	if v := benchN(); v > 0 {
		n = v
	}
	st := testutil.OpenStore(b, filepath.Join(b.TempDir(), "isms.db"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, log)
	ctx := context.Background()
	cli := isms.CLIActor("bench")
	res, err := svc.Bootstrap(ctx, cli, service.BootstrapInput{Organization: isms.Organization{Name: "基准单位"}, Mode: service.BootstrapOwner,
		Usernames: map[isms.Role]string{isms.RoleOwner: "owner1"}, Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true})
	if err != nil {
		b.Fatal(err)
	}
	org := res.Organization.ID
	rules, _ := svc.SecuritySettings(ctx, cli, org)
	rules.RequireAdminTOTP = false // the owner browses without enrolling
	if _, err := svc.UpdateSecuritySettings(ctx, cli, org, rules); err != nil {
		b.Fatal(err)
	}
	dept := isms.Department{ID: service.NewID(), OrgID: org, Name: "部门"}
	if err := svc.CreateBulk(ctx, cli, service.Bulk{Departments: []isms.Department{dept}}); err != nil {
		b.Fatal(err)
	}
	surnames := []rune("王李张刘陈杨黄赵吴周")
	for start := 0; start < n; start += 5000 {
		var people []isms.Person
		for i := start; i < min(n, start+5000); i++ {
			people = append(people, isms.Person{ID: service.NewID(), OrgID: org, DeptID: dept.ID,
				Name: string(surnames[i%10]) + fmt.Sprintf("测%05d", i), EmployeeNo: fmt.Sprintf("B%06d", i)})
		}
		if err := svc.CreateBulk(ctx, cli, service.Bulk{People: people}); err != nil {
			b.Fatal(err)
		}
	}
	h := app.Handler(svc, log)
	in, err := svc.SignIn(ctx, "owner1", pw, "", "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	cookie := &http.Cookie{Name: "isms_session", Value: in.Secret}
	for _, q := range []string{"", "q=" + url.QueryEscape("王")} {
		b.Run("query="+q, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest("GET", "/people?"+q, nil)
				req.AddCookie(cookie)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 || strings.Count(w.Body.String(), "<tr>") != 51 {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}

func benchN() int {
	var n int
	_, _ = fmt.Sscan(os.Getenv("ISMS_BENCH_N"), &n)
	return n
}

// BenchmarkPermissionCheck measures what authorization adds to a
// request: loading the account's roles and consulting the table.
// Target: ≤ 50 µs.
func BenchmarkPermissionCheck(b *testing.B) {
	st := testutil.OpenStore(b, filepath.Join(b.TempDir(), "isms.db"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, log)
	ctx := context.Background()
	res, err := svc.Bootstrap(ctx, isms.CLIActor("b"), service.BootstrapInput{Organization: isms.Organization{Name: "基准"},
		Mode: service.BootstrapOwner, Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true})
	if err != nil {
		b.Fatal(err)
	}
	id := res.Accounts[0].Account.ID
	b.Run("table", func(b *testing.B) {
		a := isms.Actor{Roles: []isms.Role{isms.RoleEmployee, isms.RoleDeptHead, isms.RoleISMSTeam}, Via: "session"}
		for b.Loop() {
			if a.Can(isms.ActViewAudit) {
				b.Fatal("allowed")
			}
		}
	})
	b.Run("roles+table", func(b *testing.B) {
		for b.Loop() {
			roles, err := st.ActiveRoles(ctx, id)
			if err != nil || !(isms.Actor{Roles: roles, Via: "session"}).Can(isms.ActViewAudit) {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMyTasksPage renders "my tasks" for a member holding 60 open
// tasks in an organization with 100,000 tasks (ISMS_BENCH_N overrides).
// Target ≤ 10 ms median.
func BenchmarkMyTasksPage(b *testing.B) {
	n := 100_000
	if v := benchN(); v > 0 {
		n = v
	}
	st := testutil.OpenStore(b, filepath.Join(b.TempDir(), "isms.db"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, log)
	ctx := context.Background()
	cli := isms.CLIActor("bench")
	res, err := svc.Bootstrap(ctx, cli, service.BootstrapInput{Organization: isms.Organization{Name: "任务基准"}, Mode: service.BootstrapOwner,
		Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true})
	if err != nil {
		b.Fatal(err)
	}
	org := res.Organization.ID
	a, _, err := svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: org, Username: "member", Password: pw, KeepPassword: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.GrantRole(ctx, cli, a.ID, isms.RoleISMSTeam); err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	for start := 0; start < n; start += 20000 {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			for i := start; i < min(n, start+20000); i++ {
				role, status := isms.RoleEmployee, isms.TaskDone
				if i%(n/60+1) == 0 {
					role, status = isms.RoleISMSTeam, isms.TaskOpen
				}
				due := now.Add(time.Duration(i-n/2) * time.Minute)
				nt := store.NewTask{Task: isms.Task{ID: service.NewID(), OrgID: org, TitleZH: fmt.Sprintf("任务%d", i),
					AssigneeRole: role, DueAt: due, Status: status, CreatedAt: due}, RemindAt: due}
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
	h := app.Handler(svc, log)
	in, err := svc.SignIn(ctx, "member", pw, "", "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	cookie := &http.Cookie{Name: "isms_session", Value: in.Secret}
	for b.Loop() {
		req := httptest.NewRequest("GET", "/tasks", nil)
		req.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 || strings.Count(w.Body.String(), `href="/tasks/0`) < 50 {
			b.Fatalf("status %d, %d task links", w.Code, strings.Count(w.Body.String(), `href="/tasks/0`))
		}
	}
}

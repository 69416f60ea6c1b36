package service_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"openisms/internal/blob"
	"sync"
	"testing"
	"time"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// duty sets up an organization with the roles an escalation chain needs
// and a daily duty at 09:00 Shanghai time, one day's grace.
type duty struct {
	svc   *service.Service
	clock *isms.FakeClock
	org   isms.Organization
	team  isms.Actor // isms_team member: owns the duty
	rep   isms.Actor // management representative
	head  isms.Actor // department head
	obl   isms.Obligation
}

func actorOf(t *testing.T, svc *service.Service, st *store.Store, org isms.Organization, username string, role isms.Role) isms.Actor {
	t.Helper()
	ctx := context.Background()
	cli := isms.CLIActor("t")
	a, _, err := svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: org.ID, Username: username, Password: "Duty-pw-2026x", KeepPassword: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.GrantRole(ctx, cli, a.ID, role); err != nil {
		t.Fatal(err)
	}
	return isms.Actor{AccountID: a.ID, OrgID: org.ID, OrgPath: org.Path, Username: username, Via: "session", Roles: []isms.Role{role}}
}

func newDuty(t *testing.T, st *store.Store) *duty {
	t.Helper()
	clock := isms.NewFakeClock(time.Date(2026, 11, 2, 8, 0, 0, 0, shanghai))
	svc := service.New(st, clock, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.SetBlobs(blob.Local{Dir: t.TempDir()})
	ctx := context.Background()
	org, err := svc.CreateOrganization(ctx, isms.CLIActor("t"), isms.Organization{Name: "职责测试单位"})
	if err != nil {
		t.Fatal(err)
	}
	d := &duty{svc: svc, clock: clock, org: org}
	d.team = actorOf(t, svc, st, org, "team1", isms.RoleISMSTeam)
	d.rep = actorOf(t, svc, st, org, "rep1", isms.RoleManagementRep)
	d.head = actorOf(t, svc, st, org, "head1", isms.RoleDeptHead)
	d.obl, err = svc.CreateObligation(ctx, d.team, isms.Obligation{TitleZH: "登录日志审查", TitleEN: "Login log review",
		OwnerRole: isms.RoleISMSTeam, GraceDays: 1,
		Schedule: isms.Schedule{Frequency: isms.FreqDaily, Start: "2026-11-02", TimeOfDay: "09:00"}})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *duty) tick(t *testing.T) service.TickResult {
	t.Helper()
	res, err := d.svc.Tick(context.Background(), d.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (d *duty) inbox(t *testing.T, a isms.Actor) map[string]int {
	t.Helper()
	ns, err := d.svc.Inbox(context.Background(), a, false)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, n := range ns {
		out[n.Kind]++
	}
	return out
}

func TestTickGeneratesRemindsEscalatesAndCatchesUp(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		d := newDuty(t, st)
		if r := d.tick(t); r.Generated != 0 {
			t.Fatalf("08:00: nothing is due yet: %+v", r)
		}
		d.clock.Advance(time.Hour) // 09:00: the first occurrence
		if r := d.tick(t); r.Generated != 1 || r.Reminded != 1 || r.Escalated != 0 {
			t.Fatalf("09:00: %+v", r)
		}
		if r := d.tick(t); r != (service.TickResult{}) {
			t.Fatalf("second tick at the same time: %+v", r)
		}
		if got := d.inbox(t, d.team); got["reminder"] != 1 {
			t.Fatalf("team inbox: %v", got)
		}
		// The server is down for three days (now 5 Nov 09:00): one tick
		// catches up. Three more occurrences (3, 4, 5 Nov at 09:00), each
		// reminded once. Deadlines are due + 1 day; escalation comes after
		// them: the 2 Nov task (deadline 3 Nov) is past both steps
		// (department head at the deadline, management representative 24 h
		// later, 4 Nov); the 3 Nov task (deadline 4 Nov) is past its first
		// step only — its second step is due at 5 Nov 09:00, not after it.
		d.clock.Advance(3 * 24 * time.Hour)
		r := d.tick(t)
		if r.Generated != 3 || r.Reminded != 3 {
			t.Fatalf("catch-up: %+v", r)
		}
		if r.Escalated != 2+1 {
			t.Fatalf("catch-up escalations: %+v", r)
		}
		if r := d.tick(t); r != (service.TickResult{}) {
			t.Fatalf("tick after catch-up: %+v", r)
		}
		if got := d.inbox(t, d.rep); got["escalation"] != 1 {
			t.Fatalf("management representative: %v", got)
		}
		if got := d.inbox(t, d.head); got["escalation"] != 2 {
			t.Fatalf("department head: %v", got)
		}
		if got := d.inbox(t, d.team); got["reminder"] != 4 || got["escalation"] != 2 {
			t.Fatalf("assignee: %v", got)
		}
		overdue, err := d.svc.ListTasks(context.Background(), d.rep, service.ViewOverdue, time.Time{}, time.Time{})
		if err != nil || len(overdue) != 2 {
			t.Fatalf("overdue board: %d %v", len(overdue), err)
		}
		// Completing a task stops its escalation.
		mine, _ := d.svc.ListTasks(context.Background(), d.team, service.ViewMine, time.Time{}, time.Time{})
		if len(mine) != 4 {
			t.Fatalf("my tasks: %d", len(mine))
		}
		if _, err := d.svc.CompleteTask(context.Background(), d.team, mine[3].ID, ""); isms.ErrorCode(err) != isms.CodeInvalid {
			t.Fatalf("complete without evidence: %v", err)
		}
		if _, err := d.svc.CompleteTask(context.Background(), d.head, mine[3].ID, "已审查"); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("complete by someone else: %v", err)
		}
		done, err := d.svc.CompleteTask(context.Background(), d.team, mine[3].ID, "已审查，无异常登录")
		if err != nil || done.Status != isms.TaskDone {
			t.Fatalf("complete: %v", err)
		}
		d.clock.Advance(48 * time.Hour)
		d.tick(t)
		v, err := d.svc.VerifyAudit(context.Background())
		if err != nil || v.Break != nil {
			t.Fatalf("trail: %+v %v", v, err)
		}
	})
}

// Two schedulers working at once create every task once and send every
// reminder once.
func TestConcurrentSchedulers(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		d := newDuty(t, st)
		d.clock.Advance(10 * 24 * time.Hour)
		var wg sync.WaitGroup
		results := make([]service.TickResult, 4)
		errs := make([]error, 4)
		for i := range results {
			wg.Go(func() { results[i], errs[i] = d.svc.Tick(context.Background(), d.clock.Now()) })
		}
		wg.Wait()
		var gen, rem int
		for i := range results {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			gen += results[i].Generated
			rem += results[i].Reminded
		}
		if gen != 10 || rem != 10 {
			t.Fatalf("generated %d, reminded %d; want 10 each", gen, rem)
		}
		if got := d.inbox(t, d.team); got["reminder"] != 10 {
			t.Fatalf("reminders in the inbox: %v", got)
		}
	})
}

func TestSkipNeedsApproval(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		d := newDuty(t, st)
		d.clock.Advance(time.Hour)
		d.tick(t)
		ctx := context.Background()
		mine, _ := d.svc.ListTasks(ctx, d.team, service.ViewMine, time.Time{}, time.Time{})
		if _, err := d.svc.RequestSkip(ctx, d.team, mine[0].ID, ""); isms.ErrorCode(err) != isms.CodeInvalid {
			t.Fatalf("skip without reason: %v", err)
		}
		task, err := d.svc.RequestSkip(ctx, d.team, mine[0].ID, "系统停机维护")
		if err != nil || task.Status != isms.TaskSkipRequested {
			t.Fatalf("request: %v", err)
		}
		aps, _ := d.svc.ListApprovals(ctx, d.rep, "pending")
		if len(aps) != 1 {
			t.Fatalf("pending approvals for the representative: %d", len(aps))
		}
		if _, err := d.svc.DecideApproval(ctx, d.team, aps[0].ID, true, ""); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("self-approval: %v", err)
		}
		if _, err := d.svc.DecideApproval(ctx, d.rep, aps[0].ID, true, "同意"); err != nil {
			t.Fatal(err)
		}
		got, _ := d.svc.Task(ctx, d.team, task.ID)
		if got.Status != isms.TaskSkipped {
			t.Fatalf("status %s", got.Status)
		}
		// A skipped task never escalates.
		d.clock.Advance(5 * 24 * time.Hour)
		d.tick(t)
		for _, n := range mustInbox(t, d, d.head) {
			if n.TaskID == task.ID {
				t.Fatal("skipped task escalated")
			}
		}
	})
}

func mustInbox(t *testing.T, d *duty, a isms.Actor) []isms.Notification {
	ns, err := d.svc.Inbox(context.Background(), a, false)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func TestObligationRules(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		d := newDuty(t, st)
		ctx := context.Background()
		base := isms.Obligation{TitleZH: "测试", OwnerRole: isms.RoleISMSTeam,
			Schedule: isms.Schedule{Frequency: isms.FreqRRule, RRule: "FREQ=MONTHLY", Start: "2026-01-01"}}
		fieldOf := func(err error) string {
			var e *isms.Error
			if !errors.As(err, &e) || len(e.Fields) == 0 {
				return ""
			}
			return e.Fields[0].Field + " " + e.Fields[0].Msg.ID
		}
		cases := map[string]func(o *isms.Obligation){
			"schedule.rrule schedule.too_often":     func(o *isms.Obligation) { o.Schedule.RRule = "FREQ=MINUTELY" },
			"schedule.rrule schedule.rrule_invalid": func(o *isms.Obligation) { o.Schedule.RRule = "FREQ=NEVER" },
			"schedule.rrule schedule.never_fires":   func(o *isms.Obligation) { o.Schedule.RRule = "FREQ=DAILY;COUNT=1"; o.Schedule.Start = "2020-01-01" },
			"owner_role obligation.nobody_holds":    func(o *isms.Obligation) { o.OwnerRole = isms.RoleInternalAuditor },
			"escalation[1].role obligation.nobody_holds": func(o *isms.Obligation) {
				o.Escalation = []isms.EscalationStep{{Role: isms.RoleDeptHead}, {Role: isms.RoleTopManager, AfterHours: 48}}
			},
			"schedule.time_of_day schedule.bad_time": func(o *isms.Obligation) { o.Schedule.TimeOfDay = "25:00" },
		}
		for want, mutate := range cases {
			o := base
			mutate(&o)
			_, err := d.svc.CreateObligation(ctx, d.team, o)
			if got := fieldOf(err); got != want {
				t.Errorf("%s: got %q (%v)", want, got, err)
			}
		}
		if _, err := d.svc.CreateObligation(ctx, d.head, base); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Errorf("department head creates an obligation: %v", err)
		}
	})
}

// A department head sees the open tasks of their own department.
func TestDepartmentView(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		d := newDuty(t, st)
		ctx := context.Background()
		cli := isms.Actor{OrgID: d.org.ID, Username: "cli:t", Via: "cli"}
		dept, err := d.svc.CreateDepartment(ctx, cli, isms.Department{OrgID: d.org.ID, Name: "信息中心"})
		if err != nil {
			t.Fatal(err)
		}
		p, err := d.svc.CreatePerson(ctx, cli, isms.Person{OrgID: d.org.ID, DeptID: dept.ID, Name: "王部长", EmployeeNo: "H1"})
		if err != nil {
			t.Fatal(err)
		}
		pid := p.ID
		if _, err := d.svc.UpdateAccount(ctx, cli, d.head.AccountID, isms.AccountPatch{PersonID: &pid}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.svc.CreateObligation(ctx, d.team, isms.Obligation{TitleZH: "机房巡检", OwnerRole: isms.RoleISMSTeam, DeptID: dept.ID,
			Schedule: isms.Schedule{Frequency: isms.FreqDaily, Start: "2026-11-02", TimeOfDay: "09:00"}}); err != nil {
			t.Fatal(err)
		}
		d.clock.Advance(time.Hour)
		d.tick(t)
		got, err := d.svc.ListTasks(ctx, d.head, service.ViewDept, time.Time{}, time.Time{})
		if err != nil || len(got) != 1 || got[0].TitleZH != "机房巡检" {
			t.Fatalf("department view: %v %v", got, err)
		}
		// The representative has no department: an empty view, not an error.
		if got, err := d.svc.ListTasks(ctx, d.rep, service.ViewDept, time.Time{}, time.Time{}); err != nil || len(got) != 0 {
			t.Fatalf("no department: %v %v", got, err)
		}
	})
}

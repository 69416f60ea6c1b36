package service

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"openisms/internal/isms"
	"openisms/internal/schedule"
	"openisms/internal/store"
)

// NewTask is a one-off task, assigned by a person or created by a module
// (document acknowledgement, audit notice, corrective action…).
type NewTask struct {
	TitleZH, TitleEN string
	DeptID           string
	AssigneeRole     isms.Role
	AssigneeAccount  string
	DueAt            time.Time
	GraceDays        int
	LeadDays         int
	SourceType       string                // the module, e.g. "document"
	SourceID         string                // its record
	Escalation       []isms.EscalationStep // nil: the default chain
}

// CreateTask is the one call through which people and modules hand out
// work. The actor is the assigner, who approves a request to skip it.
func (s *Service) CreateTask(ctx context.Context, a isms.Actor, in NewTask) (isms.Task, error) {
	if err := a.Require(isms.ActManageObligations); err != nil {
		return isms.Task{}, err
	}
	var t isms.Task
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		t, err = s.createTask(ctx, tx, a, in)
		return err
	})
	return t, err
}

// createTask validates and inserts a one-off task inside tx; modules call
// it within their own transactions.
func (s *Service) createTask(ctx context.Context, tx *store.Tx, a isms.Actor, in NewTask) (isms.Task, error) {
	var p isms.Problems
	in.TitleZH, in.TitleEN = strings.TrimSpace(in.TitleZH), strings.TrimSpace(in.TitleEN)
	if in.TitleZH == "" {
		p.Add("title_zh", "field.required")
	}
	if in.AssigneeRole == "" && in.AssigneeAccount == "" {
		p.Add("assignee_role", "obligation.owner_required")
	}
	if in.AssigneeRole != "" && !in.AssigneeRole.Grantable() {
		p.Add("assignee_role", "field.one_of", "values", isms.JoinRoles(isms.GrantableRoles))
	}
	if in.DueAt.IsZero() {
		p.Add("due_at", "field.required")
	}
	if in.GraceDays < 0 || in.GraceDays > 90 {
		p.Add("grace_days", "field.range", "min", 0, "max", 90)
	}
	if err := p.Err(); err != nil {
		return isms.Task{}, err
	}
	if err := liveAccount(ctx, tx, a.OrgID, "assignee_account_id", in.AssigneeAccount); err != nil {
		return isms.Task{}, err
	}
	if in.AssigneeRole != "" && in.AssigneeAccount == "" {
		if n, err := tx.CountRoleHolders(ctx, a.OrgID, in.AssigneeRole); err != nil {
			return isms.Task{}, err
		} else if n == 0 {
			return isms.Task{}, isms.Invalid("assignee_role", isms.M("obligation.nobody_holds", "role", string(in.AssigneeRole)))
		}
	}
	if in.Escalation == nil {
		in.Escalation = isms.DefaultEscalation()
	}
	now := s.clock.Now()
	nt := store.NewTask{Task: isms.Task{ID: newID(), OrgID: a.OrgID, TitleZH: in.TitleZH, TitleEN: in.TitleEN,
		DeptID: in.DeptID, AssigneeRole: in.AssigneeRole, AssigneeAccount: in.AssigneeAccount, AssignedBy: a.AccountID,
		DueAt: isms.Normalize(in.DueAt), GraceDays: in.GraceDays, Status: isms.TaskOpen, SourceType: in.SourceType,
		SourceID: in.SourceID, CreatedAt: now},
		RemindAt: isms.Normalize(in.DueAt).Add(-time.Duration(in.LeadDays) * 24 * time.Hour), Escalation: in.Escalation}
	if _, err := tx.InsertTask(ctx, &nt); err != nil {
		return isms.Task{}, err
	}
	return nt.Task, s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "task.create", EntityType: "task",
		EntityID: nt.ID, Summary: nt.TitleZH, Data: nt.Task})
}

// mayWork reports whether the actor is the task's assignee: the named
// account, or a holder of the role it is assigned to.
func mayWork(a isms.Actor, t isms.Task) bool {
	if t.AssigneeAccount != "" {
		return t.AssigneeAccount == a.AccountID
	}
	return a.HasRole(t.AssigneeRole) || a.IsCLI()
}

func (s *Service) taskForWork(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Task, error) {
	if !isms.ValidID(id) {
		return isms.Task{}, isms.NotFound("task")
	}
	t, err := tx.Task(ctx, id)
	if err != nil {
		return t, err
	}
	if !a.OwnOrg(t.OrgID) {
		return isms.Task{}, isms.NotFound("task")
	}
	if !mayWork(a, t) {
		return t, isms.Forbidden(isms.M("task.not_assignee"))
	}
	if t.Status != isms.TaskOpen {
		return t, isms.Conflict("", isms.M("task.not_open"))
	}
	return t, nil
}

// CompleteTask closes a task with its evidence (a note; attachments and
// record links arrive with later modules).
func (s *Service) CompleteTask(ctx context.Context, a isms.Actor, id, evidence string) (isms.Task, error) {
	var t isms.Task
	evidence = strings.TrimSpace(evidence)
	if evidence == "" {
		return t, isms.Invalid("evidence", isms.M("task.evidence_required"))
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = s.taskForWork(ctx, tx, a, id); err != nil {
			return err
		}
		if t.ObligationID == "" {
			return s.finishDone(ctx, tx, a, &t, evidence)
		}
		o, err := tx.Obligation(ctx, t.ObligationID)
		if err != nil {
			return err
		}
		if o.Evidence == isms.EvidenceAttachment {
			files, err := tx.Attachments(ctx, "task", t.ID)
			if err != nil {
				return err
			}
			if len(files) == 0 {
				return isms.Invalid("file", isms.M("task.attachment_required"))
			}
		}
		if err := s.finishDone(ctx, tx, a, &t, evidence); err != nil {
			return err
		}
		// A duty done is a record of the duty's kind (a routine-duty
		// record when it names none).
		kind := recDuty
		if o.Evidence == isms.EvidenceRecord && o.RecordKind != "" {
			kind = o.RecordKind
		}
		loc, err := zones{}.of(ctx, tx, t.OrgID)
		if err != nil {
			return err
		}
		_, err = s.fileRecord(ctx, tx, a, t.OrgID, newRecord{TypeCode: kind,
			Title: t.TitleZH + " " + t.DueAt.In(loc).Format(time.DateOnly), DeptID: t.DeptID, SourceType: "task", SourceID: t.ID})
		return err
	})
	return t, err
}

// finishDone closes an open task with its evidence and the trail entry;
// modules whose own record is a task's evidence call it in their
// transaction.
func (s *Service) finishDone(ctx context.Context, tx *store.Tx, a isms.Actor, t *isms.Task, evidence string) error {
	now := s.clock.Now()
	t.Status, t.Evidence, t.CompletedBy, t.CompletedAt = isms.TaskDone, truncate(evidence, 4000), a.Name(), &now
	if err := tx.FinishTask(ctx, t, ""); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: t.OrgID, Action: "task.complete", EntityType: "task", EntityID: t.ID,
		Summary: t.TitleZH, Data: map[string]any{"evidence": t.Evidence, "due_at": t.DueAt, "late": now.After(t.Deadline())}})
}

// RequestSkip asks to skip a task, with a reason. The assigner approves
// (the management representative for generated occurrences); until then
// the task waits and does not escalate.
func (s *Service) RequestSkip(ctx context.Context, a isms.Actor, id, reason string) (isms.Task, error) {
	var t isms.Task
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return t, isms.Invalid("reason", isms.M("task.reason_required"))
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = s.taskForWork(ctx, tx, a, id); err != nil {
			return err
		}
		ap := isms.Approval{ID: newID(), OrgID: t.OrgID, Kind: approvalKindTaskSkip, SubjectType: "task", SubjectID: t.ID,
			Summary: fmt.Sprintf("%s — %s", t.TitleZH, reason), RequestedBy: a.AccountID, RequestedAt: s.clock.Now(),
			Status: isms.ApprovalPending, Approver: t.AssignedBy}
		if ap.Approver == "" || ap.Approver == a.AccountID {
			ap.Approver, ap.RequiredRole = "", isms.RoleManagementRep
		}
		if err := tx.CreateApproval(ctx, &ap); err != nil {
			return err
		}
		t.Status, t.SkipReason = isms.TaskSkipRequested, truncate(reason, 1000)
		if err := tx.FinishTask(ctx, &t, ap.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: t.OrgID, Action: "task.skip_request", EntityType: "task", EntityID: t.ID,
			Summary: t.TitleZH, Data: map[string]string{"reason": t.SkipReason, "approval_id": ap.ID}})
	})
	return t, err
}

const approvalKindTaskSkip = "task_skip"

// applyTaskSkip settles a decided skip request: skipped, or open again.
func (s *Service) applyTaskSkip(ctx context.Context, tx *store.Tx, a isms.Actor, ap isms.Approval) error {
	t, err := tx.Task(ctx, ap.SubjectID)
	if err != nil {
		return err
	}
	if t.Status != isms.TaskSkipRequested {
		return nil
	}
	action := "task.skip"
	if ap.Status == isms.ApprovalApproved {
		now := s.clock.Now()
		t.Status, t.CompletedBy, t.CompletedAt = isms.TaskSkipped, a.Name(), &now
	} else {
		t.Status, action = isms.TaskOpen, "task.skip_refused"
	}
	if err := tx.FinishTask(ctx, &t, ""); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: t.OrgID, Action: action, EntityType: "task", EntityID: t.ID,
		Summary: t.TitleZH, Data: map[string]string{"approval_id": ap.ID}})
}

// TaskView is a named set of tasks.
type TaskView string

// Task views.
const (
	ViewMine    TaskView = "mine"       // assigned to me or to my roles, not closed
	ViewOverdue TaskView = "overdue"    // the organization's overdue board
	ViewAll     TaskView = "all"        // the organization's tasks in a due range
	ViewDept    TaskView = "department" // open tasks of the actor's own department (a department head's view)
)

// ListTasks lists tasks for a view, in due order, within [from, to) when
// given.
func (s *Service) ListTasks(ctx context.Context, a isms.Actor, view TaskView, from, to time.Time) ([]isms.Task, error) {
	f := store.TaskFilter{OrgID: a.OrgID, DueFrom: from, DueTo: to, Limit: 500}
	switch view {
	case ViewMine:
		f.AccountID, f.Roles = a.AccountID, a.Roles
		f.Status = []isms.TaskStatus{isms.TaskOpen, isms.TaskSkipRequested}
	case ViewOverdue:
		if err := a.Require(isms.ActViewAllTasks); err != nil {
			return nil, err
		}
		f.Overdue = s.clock.Now()
	case ViewAll:
		if err := a.Require(isms.ActViewAllTasks); err != nil {
			return nil, err
		}
	case ViewDept:
		dept, err := s.actorDepartment(ctx, a)
		if err != nil {
			return nil, err
		}
		if dept == "" {
			return []isms.Task{}, nil
		}
		f.DeptID = dept
		f.Status = []isms.TaskStatus{isms.TaskOpen, isms.TaskSkipRequested}
	default:
		return nil, isms.Invalid("view", isms.M("field.one_of", "values", "mine, department, overdue, all"))
	}
	return s.st.ListTasks(ctx, f)
}

// Task reads a task the actor may see: assigned to them, or any with
// task.view_all.
func (s *Service) Task(ctx context.Context, a isms.Actor, id string) (isms.Task, error) {
	if !isms.ValidID(id) {
		return isms.Task{}, isms.NotFound("task")
	}
	t, err := s.st.Task(ctx, id)
	if err != nil {
		return t, err
	}
	if !a.OwnOrg(t.OrgID) || !(mayWork(a, t) || a.Can(isms.ActViewAllTasks)) {
		return isms.Task{}, isms.NotFound("task")
	}
	return t, nil
}

// Inbox lists the actor's notifications.
func (s *Service) Inbox(ctx context.Context, a isms.Actor, unreadOnly bool) ([]isms.Notification, error) {
	return s.st.ListNotifications(ctx, a.AccountID, unreadOnly, isms.MaxPageSize)
}

// UnreadCount counts the actor's unread notifications.
func (s *Service) UnreadCount(ctx context.Context, a isms.Actor) (int, error) {
	return s.st.UnreadCount(ctx, a.AccountID)
}

// MarkRead marks one notification (or all, with id "") read.
func (s *Service) MarkRead(ctx context.Context, a isms.Actor, id string) error {
	if id != "" && !isms.ValidID(id) {
		return isms.NotFound("notification")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.MarkRead(ctx, a.AccountID, id, s.clock.Now())
		return err
	})
}

// ObligationHistory lists every occurrence of an obligation with its
// evidence, newest due last (task.view_all).
func (s *Service) ObligationHistory(ctx context.Context, a isms.Actor, id string) ([]isms.Task, error) {
	o, err := s.Obligation(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := a.Require(isms.ActViewAllTasks); err != nil {
		return nil, err
	}
	return s.st.ListTasks(ctx, store.TaskFilter{OrgID: o.OrgID, Obligation: o.ID, Limit: 1000})
}

// CalendarEntry is a task, or an occurrence of an obligation that is not
// a task yet (Projected).
type CalendarEntry struct {
	isms.Task
	Projected bool
}

// Calendar lists the tasks due in [from, to) — the organization's for
// those who may see all tasks, one's own otherwise — and the future
// occurrences of the organization's duties in that range that are not
// tasks yet, so the calendar shows the whole year ahead.
func (s *Service) Calendar(ctx context.Context, a isms.Actor, from, to time.Time) ([]CalendarEntry, error) {
	view := ViewMine
	if a.Can(isms.ActViewAllTasks) {
		view = ViewAll
	}
	tasks, err := s.ListTasks(ctx, a, view, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]CalendarEntry, 0, len(tasks))
	have := map[string]bool{}
	for _, t := range tasks {
		out = append(out, CalendarEntry{Task: t})
		have[t.ObligationID+"|"+t.DueAt.Format(time.RFC3339)] = true
	}
	org, err := s.st.Organization(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	loc := orgLocation(org)
	obls, err := s.st.ListObligations(ctx, isms.ListFilter{OrgID: a.OrgID, Limit: isms.MaxPageSize})
	if err != nil {
		return nil, err
	}
	start := maxTime(from, s.clock.Now())
	for _, o := range obls {
		if !o.Active || view == ViewMine && !(o.OwnerAccount == a.AccountID || o.OwnerAccount == "" && a.HasRole(o.OwnerRole)) {
			continue
		}
		dues, err := schedule.Between(o.Schedule, loc, start, to)
		if err != nil {
			continue // a rule that no longer parses shows nothing rather than breaking the page
		}
		for _, d := range dues {
			if have[o.ID+"|"+d.Format(time.RFC3339)] {
				continue
			}
			out = append(out, CalendarEntry{Projected: true, Task: isms.Task{ObligationID: o.ID, OrgID: o.OrgID, TitleZH: o.TitleZH,
				TitleEN: o.TitleEN, AssigneeRole: o.OwnerRole, DueAt: d, Status: isms.TaskOpen, GraceDays: o.GraceDays}})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DueAt.Before(out[j].DueAt) })
	return out, nil
}

// actorDepartment is the department of the person the actor's account
// belongs to ("" when none).
func (s *Service) actorDepartment(ctx context.Context, a isms.Actor) (string, error) {
	id := s.actorPerson(ctx, a)
	if id == "" {
		return "", nil
	}
	p, err := s.st.Person(ctx, id)
	if err != nil {
		return "", err
	}
	return p.DeptID, nil
}

// SetObligationActive pauses or resumes a duty.
func (s *Service) SetObligationActive(ctx context.Context, a isms.Actor, id string, active bool) (isms.Obligation, error) {
	o, err := s.Obligation(ctx, a, id)
	if err != nil {
		return o, err
	}
	o.Active = active
	return s.UpdateObligation(ctx, a, id, o)
}

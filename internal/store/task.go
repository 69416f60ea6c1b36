package store

import (
	"context"
	"encoding/json"
	"time"

	"openisms/internal/isms"
)

const taskColumns = `id, org_id, coalesce(obligation_id, ''), title_zh, title_en, coalesce(dept_id, ''), assignee_role,
	coalesce(assignee_account, ''), assigned_by, due_at, grace_days, status, evidence, skip_reason, completed_by,
	completed_at, escalation_level, source_type, source_id, created_at`

func scanTask(row interface{ Scan(...any) error }, t *isms.Task) error {
	var completed nullTimeCol
	err := row.Scan(&t.ID, &t.OrgID, &t.ObligationID, &t.TitleZH, &t.TitleEN, &t.DeptID, &t.AssigneeRole,
		&t.AssigneeAccount, &t.AssignedBy, &t.DueAt, &t.GraceDays, &t.Status, &t.Evidence, &t.SkipReason, &t.CompletedBy,
		&completed, &t.EscalationLevel, &t.SourceType, &t.SourceID, &t.CreatedAt)
	t.CompletedAt = completed.ptr()
	t.DueAt, t.CreatedAt = isms.Normalize(t.DueAt), isms.Normalize(t.CreatedAt)
	return err
}

// NewTask is a task with what the scheduler needs to remind and escalate.
type NewTask struct {
	isms.Task
	RemindAt   time.Time
	Escalation []isms.EscalationStep
}

// InsertTask adds a task; an occurrence that already exists (same
// obligation and due time) is left alone and reported as not inserted.
func (tx *Tx) InsertTask(ctx context.Context, nt *NewTask) (bool, error) {
	t := &nt.Task
	var nextEsc *time.Time
	if len(nt.Escalation) > 0 {
		at := t.Deadline().Add(time.Duration(nt.Escalation[0].AfterHours) * time.Hour)
		nextEsc = &at
	}
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO tasks (id, org_id, obligation_id, title_zh, title_en, dept_id,
		assignee_role, assignee_account, assigned_by, due_at, grace_days, deadline_at, remind_at, escalation,
		next_escalation_at, status, source_type, source_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
		ON CONFLICT DO NOTHING`,
		t.ID, t.OrgID, nullStr(t.ObligationID), t.TitleZH, t.TitleEN, nullStr(t.DeptID), t.AssigneeRole,
		nullStr(t.AssigneeAccount), t.AssignedBy, t.DueAt, t.GraceDays, t.Deadline(), nt.RemindAt, jsonText(nt.Escalation),
		timePtr(nextEsc), t.Status, t.SourceType, t.SourceID, t.CreatedAt)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, mapErr(err)
}

func getTask(ctx context.Context, q queryer, id string) (isms.Task, error) {
	var t isms.Task
	if err := scanTask(q.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM tasks WHERE id = $1`, id), &t); err != nil {
		return t, notFound(err, "task")
	}
	return t, nil
}

// Task reads one task.
func (s *Store) Task(ctx context.Context, id string) (isms.Task, error) {
	return getTask(ctx, s.read, id)
}

// Task reads one task in the transaction.
func (tx *Tx) Task(ctx context.Context, id string) (isms.Task, error) { return getTask(ctx, tx.tx, id) }

// FinishTask records a task's completion, skip request or skip.
func (tx *Tx) FinishTask(ctx context.Context, t *isms.Task, approvalID string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE tasks SET status = $2, evidence = $3, skip_reason = $4, completed_by = $5,
		completed_at = $6, approval_id = coalesce($7, approval_id),
		next_escalation_at = CASE WHEN $2 = 'open' THEN next_escalation_at ELSE NULL END WHERE id = $1`,
		t.ID, t.Status, t.Evidence, t.SkipReason, t.CompletedBy, timePtr(t.CompletedAt), nullStr(approvalID))
	return mapErr(err)
}

// TaskFilter narrows a task listing.
type TaskFilter struct {
	OrgID      string
	AccountID  string      // tasks assigned to this account…
	Roles      []isms.Role // …or to one of these roles
	DeptID     string
	Status     []isms.TaskStatus // empty: all
	DueFrom    time.Time
	DueTo      time.Time
	Overdue    time.Time // non-zero: open tasks past their deadline at this time
	Obligation string
	// SourceIDs keeps the tasks given out for these modules' records.
	SourceIDs []string
	Limit     int
}

// ListTasks lists tasks by due time.
func (s *Store) ListTasks(ctx context.Context, f TaskFilter) ([]isms.Task, error) {
	w := newWhere()
	w.add("org_id = ?", f.OrgID)
	if f.AccountID != "" || len(f.Roles) > 0 {
		cond := "(assignee_account = ?"
		args := []any{f.AccountID}
		for _, r := range f.Roles {
			cond += " OR (assignee_account IS NULL AND assignee_role = ?)"
			args = append(args, string(r))
		}
		w.add(cond+")", args...)
	}
	if f.DeptID != "" {
		w.add("dept_id = ?", f.DeptID)
	}
	if len(f.Status) > 0 {
		cond := "status IN ("
		args := make([]any, len(f.Status))
		for i, st := range f.Status {
			if i > 0 {
				cond += ", "
			}
			cond += "?"
			args[i] = string(st)
		}
		w.add(cond+")", args...)
	}
	if !f.DueFrom.IsZero() {
		w.add("due_at >= ?", f.DueFrom)
	}
	if !f.DueTo.IsZero() {
		w.add("due_at < ?", f.DueTo)
	}
	if !f.Overdue.IsZero() {
		w.add("status = 'open' AND deadline_at < ?", f.Overdue)
	}
	if f.Obligation != "" {
		w.add("obligation_id = ?", f.Obligation)
	}
	if len(f.SourceIDs) > 0 {
		w.conds = append(w.conds, "source_id IN ("+placeholders(w, f.SourceIDs)+")")
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = isms.MaxPageSize
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+taskColumns+` FROM tasks`+w.sql()+` ORDER BY due_at, id LIMIT `+
		itoa(limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Task
	for rows.Next() {
		var t isms.Task
		if err := scanTask(rows, &t); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

// DueReminders claims up to limit open tasks whose reminder time has come
// and marks them reminded, so each reminder goes out once.
func (tx *Tx) DueReminders(ctx context.Context, now time.Time, limit int) ([]isms.Task, error) {
	q := `SELECT ` + taskColumns + ` FROM tasks WHERE reminded = FALSE AND remind_at <= $1 AND status = 'open'
		ORDER BY remind_at LIMIT $2`
	if tx.engine == Postgres {
		// Reminder passes take turns (one advisory lock), and wait for rows
		// another pass holds rather than skipping them: a skipped row would
		// wait for the next tick. The escalation pass skips locked rows, so
		// waiting here cannot deadlock with it.
		if _, err := tx.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7310001)`); err != nil {
			return nil, mapErr(err)
		}
		q += ` FOR UPDATE`
	}
	tasks, err := tx.queryTasks(ctx, q, now, limit)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE tasks SET reminded = TRUE WHERE id = $1`, t.ID); err != nil {
			return nil, mapErr(err)
		}
	}
	return tasks, nil
}

// DueEscalations claims up to limit open tasks whose next escalation step
// has come, with their chains.
func (tx *Tx) DueEscalations(ctx context.Context, now time.Time, limit int) ([]isms.Task, [][]isms.EscalationStep, error) {
	q := `SELECT ` + taskColumns + `, escalation FROM tasks WHERE next_escalation_at <= $1 AND status = 'open'
		ORDER BY next_escalation_at LIMIT $2`
	if tx.engine == Postgres {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := tx.tx.QueryContext(ctx, q, now, limit)
	if err != nil {
		return nil, nil, mapErr(err)
	}
	defer rows.Close()
	var tasks []isms.Task
	var chains [][]isms.EscalationStep
	for rows.Next() {
		var t isms.Task
		var completed nullTimeCol
		var esc string
		if err := rows.Scan(&t.ID, &t.OrgID, &t.ObligationID, &t.TitleZH, &t.TitleEN, &t.DeptID, &t.AssigneeRole,
			&t.AssigneeAccount, &t.AssignedBy, &t.DueAt, &t.GraceDays, &t.Status, &t.Evidence, &t.SkipReason, &t.CompletedBy,
			&completed, &t.EscalationLevel, &t.SourceType, &t.SourceID, &t.CreatedAt, &esc); err != nil {
			return nil, nil, mapErr(err)
		}
		t.DueAt = isms.Normalize(t.DueAt)
		var chain []isms.EscalationStep
		if err := json.Unmarshal([]byte(esc), &chain); err != nil {
			return nil, nil, isms.Internal(err)
		}
		tasks = append(tasks, t)
		chains = append(chains, chain)
	}
	return tasks, chains, mapErr(rows.Err())
}

// Escalated records that a task reached escalation level and when the
// next step is due (nil when the chain is exhausted).
func (tx *Tx) Escalated(ctx context.Context, id string, level int, next *time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE tasks SET escalation_level = $2, next_escalation_at = $3 WHERE id = $1`,
		id, level, timePtr(next))
	return mapErr(err)
}

func (tx *Tx) queryTasks(ctx context.Context, q string, args ...any) ([]isms.Task, error) {
	rows, err := tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Task
	for rows.Next() {
		var t isms.Task
		if err := scanTask(rows, &t); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"openisms/internal/isms"
)

const obligationColumns = `id, org_id, code, title_zh, title_en, description, coalesce(dept_id, ''), owner_role,
	coalesce(owner_account, ''), schedule, lead_days, grace_days, escalation, evidence, record_kind, source, active,
	created_at, updated_at, archived_at`

func scanObligation(row interface{ Scan(...any) error }, o *isms.Obligation) error {
	var sched, esc string
	var archived nullTimeCol
	err := row.Scan(&o.ID, &o.OrgID, &o.Code, &o.TitleZH, &o.TitleEN, &o.Description, &o.DeptID, &o.OwnerRole,
		&o.OwnerAccount, &sched, &o.LeadDays, &o.GraceDays, &esc, &o.Evidence, &o.RecordKind, &o.Source, &o.Active,
		&o.CreatedAt, &o.UpdatedAt, &archived)
	if err != nil {
		return err
	}
	o.ArchivedAt = archived.ptr()
	o.CreatedAt, o.UpdatedAt = isms.Normalize(o.CreatedAt), isms.Normalize(o.UpdatedAt)
	if err := json.Unmarshal([]byte(sched), &o.Schedule); err != nil {
		return fmt.Errorf("obligation %s schedule: %w", o.ID, err)
	}
	if err := json.Unmarshal([]byte(esc), &o.Escalation); err != nil {
		return fmt.Errorf("obligation %s escalation: %w", o.ID, err)
	}
	return nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// CreateObligation inserts o; nextRun is when its first occurrence must be
// generated (nil when it never falls due).
func (tx *Tx) CreateObligation(ctx context.Context, o *isms.Obligation, generatedUntil time.Time, nextRun *time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO obligations (id, org_id, code, title_zh, title_en, description, dept_id,
		owner_role, owner_account, schedule, lead_days, grace_days, escalation, evidence, record_kind, source, active,
		generated_until, next_run_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
		o.ID, o.OrgID, o.Code, o.TitleZH, o.TitleEN, o.Description, nullStr(o.DeptID), o.OwnerRole, nullStr(o.OwnerAccount),
		jsonText(o.Schedule), o.LeadDays, o.GraceDays, jsonText(o.Escalation), o.Evidence, o.RecordKind, o.Source, o.Active,
		generatedUntil, timePtr(nextRun), o.CreatedAt, o.UpdatedAt)
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("code", isms.M("obligation.code_taken"))
	}
	return mapErr(err)
}

// UpdateObligation writes o and moves the scheduler's bookmark.
func (tx *Tx) UpdateObligation(ctx context.Context, o *isms.Obligation, nextRun *time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE obligations SET title_zh = $2, title_en = $3, description = $4, dept_id = $5,
		owner_role = $6, owner_account = $7, schedule = $8, lead_days = $9, grace_days = $10, escalation = $11, evidence = $12,
		record_kind = $13, source = $14, active = $15, next_run_at = $16, updated_at = $17 WHERE id = $1`,
		o.ID, o.TitleZH, o.TitleEN, o.Description, nullStr(o.DeptID), o.OwnerRole, nullStr(o.OwnerAccount),
		jsonText(o.Schedule), o.LeadDays, o.GraceDays, jsonText(o.Escalation), o.Evidence, o.RecordKind, o.Source, o.Active,
		timePtr(nextRun), o.UpdatedAt)
	return mapErr(err)
}

func getObligation(ctx context.Context, q queryer, id string) (isms.Obligation, error) {
	var o isms.Obligation
	if err := scanObligation(q.QueryRowContext(ctx, `SELECT `+obligationColumns+` FROM obligations WHERE id = $1`, id), &o); err != nil {
		return o, notFound(err, "obligation")
	}
	return o, nil
}

// Obligation reads one obligation.
func (s *Store) Obligation(ctx context.Context, id string) (isms.Obligation, error) {
	return getObligation(ctx, s.read, id)
}

// Obligation reads one obligation in the transaction.
func (tx *Tx) Obligation(ctx context.Context, id string) (isms.Obligation, error) {
	return getObligation(ctx, tx.tx, id)
}

// GeneratedUntil reads an obligation's bookmark.
func (tx *Tx) GeneratedUntil(ctx context.Context, id string) (time.Time, error) {
	var t time.Time
	err := tx.tx.QueryRowContext(ctx, `SELECT generated_until FROM obligations WHERE id = $1`, id).Scan(&t)
	return isms.Normalize(t), mapErr(err)
}

// ListObligations lists an organization's obligations by title.
func (s *Store) ListObligations(ctx context.Context, f isms.ListFilter) ([]isms.Obligation, error) {
	w := newWhere()
	w.add("org_id = ?", f.OrgID)
	w.archived(f.Status)
	if f.Text != "" {
		w.add(`(lower(title_zh) LIKE ? ESCAPE '\' OR lower(title_en) LIKE ? ESCAPE '\' OR lower(code) LIKE ? ESCAPE '\')`,
			like(f.Text), like(f.Text), like(f.Text))
	}
	if f.After.ID != "" {
		w.add("(title_zh > ? OR (title_zh = ? AND id > ?))", f.After.Name, f.After.Name, f.After.ID)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+obligationColumns+` FROM obligations`+w.sql()+
		` ORDER BY title_zh, id LIMIT `+w.limit(f.Limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Obligation
	for rows.Next() {
		var o isms.Obligation
		if err := scanObligation(rows, &o); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, o)
	}
	return out, mapErr(rows.Err())
}

// DueObligations claims up to limit active obligations whose next
// occurrence must be generated by now. On PostgreSQL the rows are locked
// and rows other schedulers hold are skipped, so two servers never work on
// one obligation at once; SQLite's single writer does the same.
func (tx *Tx) DueObligations(ctx context.Context, now time.Time, limit int) ([]isms.Obligation, []time.Time, error) {
	q := `SELECT ` + obligationColumns + `, generated_until FROM obligations
		WHERE next_run_at <= $1 AND active = TRUE AND archived_at IS NULL ORDER BY next_run_at LIMIT $2`
	if tx.engine == Postgres {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := tx.tx.QueryContext(ctx, q, now, limit)
	if err != nil {
		return nil, nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Obligation
	var until []time.Time
	for rows.Next() {
		var o isms.Obligation
		var sched, esc string
		var archived nullTimeCol
		var gu time.Time
		if err := rows.Scan(&o.ID, &o.OrgID, &o.Code, &o.TitleZH, &o.TitleEN, &o.Description, &o.DeptID, &o.OwnerRole,
			&o.OwnerAccount, &sched, &o.LeadDays, &o.GraceDays, &esc, &o.Evidence, &o.RecordKind, &o.Source, &o.Active,
			&o.CreatedAt, &o.UpdatedAt, &archived, &gu); err != nil {
			return nil, nil, mapErr(err)
		}
		if err := json.Unmarshal([]byte(sched), &o.Schedule); err != nil {
			return nil, nil, isms.Internal(err)
		}
		if err := json.Unmarshal([]byte(esc), &o.Escalation); err != nil {
			return nil, nil, isms.Internal(err)
		}
		out = append(out, o)
		until = append(until, isms.Normalize(gu))
	}
	return out, until, mapErr(rows.Err())
}

// AdvanceObligation moves the bookmark after generating occurrences.
func (tx *Tx) AdvanceObligation(ctx context.Context, id string, generatedUntil time.Time, nextRun *time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE obligations SET generated_until = $2, next_run_at = $3 WHERE id = $1`,
		id, generatedUntil, timePtr(nextRun))
	return mapErr(err)
}

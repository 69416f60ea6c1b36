package store

import (
	"context"

	"openisms/internal/isms"
)

const approvalColumns = `id, org_id, kind, subject_type, subject_id, summary, requested_by, requested_at, required_role,
	needs_second, status, first_by, first_at, first_comment, second_by, second_at, second_comment, approver`

func scanApproval(row interface{ Scan(...any) error }, a *isms.Approval) error {
	var first, second nullTimeCol
	err := row.Scan(&a.ID, &a.OrgID, &a.Kind, &a.SubjectType, &a.SubjectID, &a.Summary, &a.RequestedBy, &a.RequestedAt,
		&a.RequiredRole, &a.NeedsSecond, &a.Status, &a.FirstBy, &first, &a.FirstComment, &a.SecondBy, &second, &a.SecondComment,
		&a.Approver)
	a.FirstAt, a.SecondAt = first.ptr(), second.ptr()
	a.RequestedAt = isms.Normalize(a.RequestedAt)
	return err
}

// CreateApproval inserts an approval request.
func (tx *Tx) CreateApproval(ctx context.Context, a *isms.Approval) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO approvals (id, org_id, kind, subject_type, subject_id, summary, requested_by,
		requested_at, required_role, needs_second, status, approver) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		a.ID, a.OrgID, a.Kind, a.SubjectType, a.SubjectID, a.Summary, a.RequestedBy, a.RequestedAt, a.RequiredRole,
		a.NeedsSecond, a.Status, a.Approver)
	return mapErr(err)
}

// Approval reads one approval in the transaction.
func (tx *Tx) Approval(ctx context.Context, id string) (isms.Approval, error) {
	var a isms.Approval
	if err := scanApproval(tx.tx.QueryRowContext(ctx, `SELECT `+approvalColumns+` FROM approvals WHERE id = $1`, id), &a); err != nil {
		return a, notFound(err, "approval")
	}
	return a, nil
}

// Approval reads one approval.
func (s *Store) Approval(ctx context.Context, id string) (isms.Approval, error) {
	var a isms.Approval
	if err := scanApproval(s.read.QueryRowContext(ctx, `SELECT `+approvalColumns+` FROM approvals WHERE id = $1`, id), &a); err != nil {
		return a, notFound(err, "approval")
	}
	return a, nil
}

// UpdateApproval writes the decision fields of a.
func (tx *Tx) UpdateApproval(ctx context.Context, a *isms.Approval) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE approvals SET status = $2, first_by = $3, first_at = $4, first_comment = $5,
		second_by = $6, second_at = $7, second_comment = $8 WHERE id = $1`,
		a.ID, a.Status, a.FirstBy, timePtr(a.FirstAt), a.FirstComment, a.SecondBy, timePtr(a.SecondAt), a.SecondComment)
	return mapErr(err)
}

// ListApprovals lists an organization's approvals, newest first, by
// status ("" for all).
func (s *Store) ListApprovals(ctx context.Context, orgID, status string, limit int) ([]isms.Approval, error) {
	w := newWhere()
	w.add("org_id = ?", orgID)
	if status != "" {
		w.add("status = ?", status)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+approvalColumns+` FROM approvals`+w.sql()+
		` ORDER BY requested_at DESC, id LIMIT `+w.limit(limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Approval
	for rows.Next() {
		var a isms.Approval
		if err := scanApproval(rows, &a); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, a)
	}
	return out, mapErr(rows.Err())
}

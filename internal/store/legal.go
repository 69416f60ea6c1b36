package store

import (
	"context"

	"openisms/internal/isms"
)

const legalColumns = `l.id, l.org_id, l.kind, l.title, l.issuer, l.number, l.issued_on, l.effective_on, l.abolished_on, l.status,
	l.applicability, l.obligations, coalesce(l.owner_dept_id, ''), l.next_review, l.notes, l.related_documents, l.related_controls,
	l.created_at, l.updated_at`

func scanLegal(row interface{ Scan(...any) error }, l *isms.LegalItem, extra ...any) error {
	err := row.Scan(append([]any{&l.ID, &l.OrgID, &l.Kind, &l.Title, &l.Issuer, &l.Number, &l.IssuedOn, &l.EffectiveOn,
		&l.AbolishedOn, &l.Status, &l.Applicability, &l.Obligations, &l.OwnerDeptID, &l.NextReview, &l.Notes,
		&l.RelatedDocuments, &l.RelatedControls, &l.CreatedAt, &l.UpdatedAt}, extra...)...)
	l.CreatedAt, l.UpdatedAt = isms.Normalize(l.CreatedAt), isms.Normalize(l.UpdatedAt)
	return err
}

// LegalFilter narrows the legal register.
type LegalFilter struct {
	OrgID, Kind, Status, Text string
	// DueBy lists items whose next review is on or before this date.
	DueBy string
}

// ListLegal lists an organization's register by kind and title, each with
// its newest evaluation. A register is hundreds of items, not thousands.
func (s *Store) ListLegal(ctx context.Context, f LegalFilter) ([]isms.LegalItem, error) {
	w := newWhere()
	w.add("l.org_id = ?", f.OrgID)
	if f.Kind != "" {
		w.add("l.kind = ?", f.Kind)
	}
	if f.Status != "" {
		w.add("l.status = ?", f.Status)
	}
	if f.DueBy != "" {
		w.add("l.next_review <> '' AND l.next_review <= ?", f.DueBy)
	}
	if f.Text != "" {
		w.add(`(lower(l.title) LIKE ? ESCAPE '\' OR lower(l.number) LIKE ? ESCAPE '\' OR lower(l.issuer) LIKE ? ESCAPE '\')`,
			like(f.Text), like(f.Text), like(f.Text))
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+legalColumns+`,
		coalesce((SELECT e.result FROM legal_evaluations e WHERE e.item_id = l.id ORDER BY e.evaluated_on DESC, e.created_at DESC LIMIT 1), ''),
		coalesce((SELECT max(e.evaluated_on) FROM legal_evaluations e WHERE e.item_id = l.id), '')
		FROM legal_items l`+w.sql()+` ORDER BY l.kind, l.title LIMIT 5000`, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.LegalItem
	for rows.Next() {
		var l isms.LegalItem
		if err := scanLegal(rows, &l, &l.LastResult, &l.LastEvaluated); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, l)
	}
	return out, mapErr(rows.Err())
}

// LegalItem reads one item with its evaluations, newest first.
func (s *Store) LegalItem(ctx context.Context, id string) (isms.LegalItem, error) {
	var l isms.LegalItem
	if err := scanLegal(s.read.QueryRowContext(ctx, `SELECT `+legalColumns+` FROM legal_items l WHERE l.id = $1`, id), &l); err != nil {
		return l, notFound(err, "legal_item")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, item_id, evaluated_on, result, evidence, evaluator, created_at
		FROM legal_evaluations WHERE item_id = $1 ORDER BY evaluated_on DESC, created_at DESC`, id)
	if err != nil {
		return l, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var e isms.LegalEvaluation
		if err := rows.Scan(&e.ID, &e.ItemID, &e.EvaluatedOn, &e.Result, &e.Evidence, &e.Evaluator, &e.CreatedAt); err != nil {
			return l, mapErr(err)
		}
		e.CreatedAt = isms.Normalize(e.CreatedAt)
		l.Evaluations = append(l.Evaluations, e)
	}
	return l, mapErr(rows.Err())
}

// LegalItem reads one item in the transaction, for a change.
func (tx *Tx) LegalItem(ctx context.Context, id string) (isms.LegalItem, error) {
	var l isms.LegalItem
	if err := scanLegal(tx.tx.QueryRowContext(ctx, `SELECT `+legalColumns+` FROM legal_items l WHERE l.id = $1`, id), &l); err != nil {
		return l, notFound(err, "legal_item")
	}
	return l, nil
}

// LegalTitles lists the titles an organization's register has.
func (tx *Tx) LegalTitles(ctx context.Context, orgID string) (map[string]bool, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT title FROM legal_items WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, mapErr(err)
		}
		out[t] = true
	}
	return out, mapErr(rows.Err())
}

// CreateLegalItem inserts an item.
func (tx *Tx) CreateLegalItem(ctx context.Context, l *isms.LegalItem) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO legal_items (id, org_id, kind, title, issuer, number, issued_on, effective_on,
		abolished_on, status, applicability, obligations, owner_dept_id, next_review, notes, related_documents, related_controls,
		created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
		l.ID, l.OrgID, l.Kind, l.Title, l.Issuer, l.Number, l.IssuedOn, l.EffectiveOn, l.AbolishedOn, l.Status,
		l.Applicability, l.Obligations, nullStr(l.OwnerDeptID), l.NextReview, l.Notes, l.RelatedDocuments, l.RelatedControls,
		l.CreatedAt, l.UpdatedAt)
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("title", isms.M("legal.title_taken"))
	}
	return mapErr(err)
}

// UpdateLegalItem writes an item's fields.
func (tx *Tx) UpdateLegalItem(ctx context.Context, l *isms.LegalItem) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE legal_items SET kind = $2, title = $3, issuer = $4, number = $5, issued_on = $6,
		effective_on = $7, abolished_on = $8, status = $9, applicability = $10, obligations = $11, owner_dept_id = $12,
		next_review = $13, notes = $14, updated_at = $15, related_documents = $16, related_controls = $17 WHERE id = $1`,
		l.ID, l.Kind, l.Title, l.Issuer, l.Number, l.IssuedOn, l.EffectiveOn, l.AbolishedOn, l.Status, l.Applicability,
		l.Obligations, nullStr(l.OwnerDeptID), l.NextReview, l.Notes, l.UpdatedAt, l.RelatedDocuments, l.RelatedControls)
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("title", isms.M("legal.title_taken"))
	}
	return mapErr(err)
}

// AddLegalEvaluation records an evaluation and moves the item's next
// review date.
func (tx *Tx) AddLegalEvaluation(ctx context.Context, e *isms.LegalEvaluation, nextReview string) error {
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO legal_evaluations (id, item_id, evaluated_on, result, evidence, evaluator, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, e.ID, e.ItemID, e.EvaluatedOn, e.Result, e.Evidence, e.Evaluator, e.CreatedAt); err != nil {
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE legal_items SET next_review = $2, updated_at = $3 WHERE id = $1`, e.ItemID, nextReview, e.CreatedAt)
	return mapErr(err)
}

// DueLegalReviews lists items whose review falls on or before by and that
// have no review task since they last changed (an evaluation changes the
// item, so each review period gets one task).
func (tx *Tx) DueLegalReviews(ctx context.Context, by string, limit int) ([]isms.LegalItem, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT `+legalColumns+` FROM legal_items l
		WHERE l.next_review <> '' AND l.next_review <= $1 AND l.status <> 'abolished' AND l.applicability <> 'not_applicable'
		AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.source_type = 'legal_item' AND t.source_id = l.id AND t.created_at >= l.updated_at)
		ORDER BY l.next_review, l.id LIMIT $2`, by, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.LegalItem
	for rows.Next() {
		var l isms.LegalItem
		if err := scanLegal(rows, &l); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, l)
	}
	return out, mapErr(rows.Err())
}

// TasksFor reads every task (any status) that a module's record gave
// out of the given kinds.
func (tx *Tx) TasksFor(ctx context.Context, sourceTypes []string, sourceID string) ([]isms.Task, error) {
	w := newWhere()
	w.add("source_id = ?", sourceID)
	w.add("source_type IN (" + placeholders(w, sourceTypes) + ")")
	return tx.queryTasks(ctx, `SELECT `+taskColumns+` FROM tasks`+w.sql()+` ORDER BY due_at`, w.args...)
}

// OpenTasksFor lists the open tasks a module's record gave out.
func (tx *Tx) OpenTasksFor(ctx context.Context, sourceType, sourceID string) ([]isms.Task, error) {
	return tx.queryTasks(ctx, `SELECT `+taskColumns+` FROM tasks WHERE source_type = $1 AND source_id = $2 AND status = 'open'`,
		sourceType, sourceID)
}

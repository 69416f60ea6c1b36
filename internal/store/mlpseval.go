package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"openisms/internal/isms"
)

// MLPS evaluation agencies, evaluations and rectifications.

// Agencies lists an organization's evaluation agencies by name.
func (s *Store) Agencies(ctx context.Context, orgID string) ([]isms.Agency, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, org_id, name, qualification, region, contacts, created_at
		FROM mlps_agencies WHERE org_id = $1 ORDER BY name`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Agency{}
	for rows.Next() {
		var x isms.Agency
		if err := rows.Scan(&x.ID, &x.OrgID, &x.Name, &x.Qualification, &x.Region, &x.Contacts, &x.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

// AgencyExists reports whether the organization has the agency.
func (tx *Tx) AgencyExists(ctx context.Context, orgID, id string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM mlps_agencies WHERE org_id = $1 AND id = $2`, orgID, id).Scan(&n)
	return n > 0, mapErr(err)
}

// SaveAgency inserts or updates an agency.
func (tx *Tx) SaveAgency(ctx context.Context, x *isms.Agency, insert bool) error {
	var err error
	if insert {
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO mlps_agencies (id, org_id, name, qualification, region, contacts, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, x.ID, x.OrgID, x.Name, x.Qualification, x.Region, x.Contacts, x.CreatedAt)
	} else {
		var res sql.Result
		res, err = tx.tx.ExecContext(ctx, `UPDATE mlps_agencies SET name = $3, qualification = $4, region = $5, contacts = $6
			WHERE id = $1 AND org_id = $2`, x.ID, x.OrgID, x.Name, x.Qualification, x.Region, x.Contacts)
		if err == nil {
			return mustAffect(res, nil, "agency")
		}
	}
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("name", isms.M("mlps.agency_taken"))
	}
	return mapErr(err)
}

var evaluationCols = []string{"id", "org_id", "object_id", "grading_id", "level", "agency_id", "started_on", "completed_on",
	"report_no", "template", "score", "rating", "rate", "conclusion", "major_hazards", "notes", "recorded_by", "created_at"}

func queryEvaluations(ctx context.Context, q queryer, where string, args ...any) ([]isms.Evaluation, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("e", evaluationCols)+`, coalesce(a.name, '')
		FROM mlps_evaluations e LEFT JOIN mlps_agencies a ON a.id = e.agency_id `+where, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Evaluation{}
	for rows.Next() {
		var e isms.Evaluation
		var score, rate sql.NullFloat64
		if err := rows.Scan(&e.ID, &e.OrgID, &e.ObjectID, &e.GradingID, &e.Level, &e.AgencyID, &e.StartedOn, &e.CompletedOn,
			&e.ReportNo, &e.Template, &score, &e.Rating, &rate, &e.Conclusion, &e.MajorHazards, &e.Notes, &e.RecordedBy,
			&e.CreatedAt, &e.AgencyName); err != nil {
			return nil, mapErr(err)
		}
		if score.Valid {
			e.Score = &score.Float64
		}
		if rate.Valid {
			e.Rate = &rate.Float64
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

// Evaluations lists the evaluations of an organization (objectID "") or
// of one object, newest first.
func (s *Store) Evaluations(ctx context.Context, orgID, objectID string) ([]isms.Evaluation, error) {
	if objectID == "" {
		return queryEvaluations(ctx, s.read, `WHERE e.org_id = $1 ORDER BY e.completed_on DESC, e.created_at DESC`, orgID)
	}
	return queryEvaluations(ctx, s.read, `WHERE e.org_id = $1 AND e.object_id = $2 ORDER BY e.completed_on DESC, e.created_at DESC`,
		orgID, objectID)
}

// Evaluation reads one evaluation.
func (s *Store) Evaluation(ctx context.Context, orgID, id string) (isms.Evaluation, error) {
	es, err := queryEvaluations(ctx, s.read, `WHERE e.org_id = $1 AND e.id = $2`, orgID, id)
	return one(es, err, "evaluation")
}

// Evaluation reads one evaluation in the transaction.
func (tx *Tx) Evaluation(ctx context.Context, orgID, id string) (isms.Evaluation, error) {
	es, err := queryEvaluations(ctx, tx.tx, `WHERE e.org_id = $1 AND e.id = $2`, orgID, id)
	return one(es, err, "evaluation")
}

func evaluationArgs(e *isms.Evaluation) []any {
	return []any{e.ID, e.OrgID, e.ObjectID, e.GradingID, e.Level, e.AgencyID, e.StartedOn, e.CompletedOn, e.ReportNo,
		e.Template, nullFloat(e.Score), e.Rating, nullFloat(e.Rate), e.Conclusion, e.MajorHazards, e.Notes, e.RecordedBy,
		e.CreatedAt}
}

// CreateEvaluation inserts an evaluation.
func (tx *Tx) CreateEvaluation(ctx context.Context, e *isms.Evaluation) error {
	_, err := tx.tx.ExecContext(ctx, insertSQL("mlps_evaluations", evaluationCols), evaluationArgs(e)...)
	return mapErr(err)
}

// UpdateEvaluation writes an evaluation's every field.
func (tx *Tx) UpdateEvaluation(ctx context.Context, e *isms.Evaluation) error {
	res, err := tx.tx.ExecContext(ctx, updateSQL("mlps_evaluations", evaluationCols), evaluationArgs(e)...)
	return mustAffect(res, err, "evaluation")
}

var rectCols = []string{"id", "org_id", "evaluation_id", "object_id", "n", "description", "category", "control_point", "risk",
	"major_hazard", "person_id", "measure", "deadline", "funds", "status", "fixed_by", "fixed_on",
	"fix_note", "verified_by", "verified_on", "verify_note", "task_id", "created_at", "updated_at"}

func rectArgs(r *isms.Rectification) []any {
	return []any{r.ID, r.OrgID, r.EvaluationID, r.ObjectID, r.N, r.Description, r.Category, r.ControlPoint, r.Risk,
		r.MajorHazard, r.PersonID, r.Measure, r.Deadline, r.Funds, r.Status, r.FixedBy, r.FixedOn, r.FixNote,
		r.VerifiedBy, r.VerifiedOn, r.VerifyNote, r.TaskID, r.CreatedAt, r.UpdatedAt}
}

func queryRects(ctx context.Context, q queryer, where string, args ...any) ([]isms.Rectification, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("r", rectCols)+`, coalesce(p.name, ''), coalesce(e.report_no, '')
		FROM mlps_rectifications r LEFT JOIN people p ON p.id = r.person_id
		LEFT JOIN mlps_evaluations e ON e.id = r.evaluation_id `+where, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Rectification{}
	for rows.Next() {
		var r isms.Rectification
		if err := rows.Scan(&r.ID, &r.OrgID, &r.EvaluationID, &r.ObjectID, &r.N, &r.Description, &r.Category,
			&r.ControlPoint, &r.Risk, &r.MajorHazard, &r.PersonID, &r.Measure, &r.Deadline, &r.Funds, &r.Status, &r.FixedBy,
			&r.FixedOn, &r.FixNote, &r.VerifiedBy, &r.VerifiedOn, &r.VerifyNote, &r.TaskID,
			&r.CreatedAt, &r.UpdatedAt, &r.PersonName, &r.EvaluationRef); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// Rectifications lists the rectifications of an organization, of one
// object or of one evaluation (whichever of objectID and evaluationID is
// given), by evaluation and number.
func (s *Store) Rectifications(ctx context.Context, orgID, objectID, evaluationID string) ([]isms.Rectification, error) {
	w := newWhere()
	w.add("r.org_id = ?", orgID)
	if objectID != "" {
		w.add("r.object_id = ?", objectID)
	}
	if evaluationID != "" {
		w.add("r.evaluation_id = ?", evaluationID)
	}
	return queryRects(ctx, s.read, strings.TrimSpace(w.sql())+` ORDER BY e.completed_on DESC, r.evaluation_id, r.n`, w.args...)
}

// Rectification reads one rectification in the transaction.
func (tx *Tx) Rectification(ctx context.Context, orgID, id string) (isms.Rectification, error) {
	rs, err := queryRects(ctx, tx.tx, `WHERE r.org_id = $1 AND r.id = $2`, orgID, id)
	return one(rs, err, "rectification")
}

// CreateRectification inserts a rectification with the evaluation's next
// number.
func (tx *Tx) CreateRectification(ctx context.Context, r *isms.Rectification) error {
	if err := tx.tx.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) + 1 FROM mlps_rectifications WHERE evaluation_id = $1`,
		r.EvaluationID).Scan(&r.N); err != nil {
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, insertSQL("mlps_rectifications", rectCols), rectArgs(r)...)
	return mapErr(err)
}

// UpdateRectification writes a rectification's every field.
func (tx *Tx) UpdateRectification(ctx context.Context, r *isms.Rectification) error {
	res, err := tx.tx.ExecContext(ctx, updateSQL("mlps_rectifications", rectCols), rectArgs(r)...)
	return mustAffect(res, err, "rectification")
}

// EvaluationDays lists an object's evaluations (id and completion day),
// oldest first: certificate validity and the duties count from them.
func (s *Store) EvaluationDays(ctx context.Context, orgID, objectID string) ([][2]string, error) {
	return evaluationDays(ctx, s.read, orgID, objectID)
}

// EvaluationDays lists an object's evaluations in the transaction.
func (tx *Tx) EvaluationDays(ctx context.Context, orgID, objectID string) ([][2]string, error) {
	return evaluationDays(ctx, tx.tx, orgID, objectID)
}

func evaluationDays(ctx context.Context, q queryer, orgID, objectID string) ([][2]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, completed_on FROM mlps_evaluations WHERE org_id = $1 AND object_id = $2
		ORDER BY completed_on, created_at`, orgID, objectID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var x [2]string
		if err := rows.Scan(&x[0], &x[1]); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

// FirstFiling is the day a grading's filing was first submitted ("" if
// it was not).
func (tx *Tx) FirstFiling(ctx context.Context, orgID, gradingID string) (string, error) {
	var day string
	err := tx.tx.QueryRowContext(ctx, `SELECT coalesce(min(submitted_on), '') FROM mlps_filings WHERE org_id = $1
		AND grading_id = $2`, orgID, gradingID).Scan(&day)
	return day, mapErr(err)
}

// DueMLPSDuties lists active objects (organization and id) whose daily
// duty pass is due at now, a batch at a time.
func (tx *Tx) DueMLPSDuties(ctx context.Context, now time.Time, limit int) ([][2]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT org_id, id FROM mlps_objects WHERE status = 'active' AND duties_due_at <= $1
		ORDER BY duties_due_at, id LIMIT $2`, isms.Normalize(now), limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var x [2]string
		if err := rows.Scan(&x[0], &x[1]); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

// ClaimMLPSDuties moves an object's next duty pass to next if it was due
// at now; false when another scheduler claimed it first.
func (tx *Tx) ClaimMLPSDuties(ctx context.Context, id string, now, next time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE mlps_objects SET duties_due_at = $2 WHERE id = $1 AND duties_due_at <= $3`,
		id, isms.Normalize(next), isms.Normalize(now))
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, mapErr(err)
}

// MLPSDutiesDue makes every object of an organization due for the duty
// pass (its rules changed).
func (tx *Tx) MLPSDutiesDue(ctx context.Context, orgID string, now time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE mlps_objects SET duties_due_at = $2 WHERE org_id = $1`, orgID, isms.Normalize(now))
	return mapErr(err)
}

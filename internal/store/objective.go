package store

import (
	"context"
	"database/sql"

	"openisms/internal/isms"
)

// ObjectiveFilter narrows the list of objectives.
type ObjectiveFilter struct {
	OrgID  string
	Kind   string
	DeptID string
	Status string
	// ParentID keeps the department objectives of one objective.
	ParentID string
	// MeasureID keeps the effectiveness measures of one applied measure;
	// FrameworkID and Ref those of one control.
	MeasureID        string
	FrameworkID, Ref string
	// OwnerID keeps those a person owns.
	OwnerID string
}

// StatusAll asks an objective list for retired objectives too; an empty
// status lists all but those.
const StatusAll = "all"

const objectiveColumns = `o.id, o.org_id, o.n, o.kind, o.parent_id, o.dept_id, o.statement, o.metric, o.unit, o.direction,
	o.target, o.threshold, o.frequency, o.owner_id, o.framework_id, o.ref, o.measure_id, o.status, o.approval_id,
	o.decided_by, o.decided_at, o.comment, o.updated_by, o.created_at, o.updated_at,
	coalesce(d.name, ''), coalesce(p.name, ''), coalesce(f.code, ''), coalesce(ms.n, 0), coalesce(ms.title, ''),
	coalesce(l.id, ''), coalesce(l.taken_on, ''), coalesce(l.value, 0), coalesce(l.measured_by, '')`

// objectiveFrom joins what an objective is read with, its latest
// measurement among them.
const objectiveFrom = ` FROM objectives o LEFT JOIN departments d ON d.id = o.dept_id
	LEFT JOIN people p ON p.id = o.owner_id
	LEFT JOIN frameworks f ON f.id = o.framework_id AND o.framework_id <> ''
	LEFT JOIN measures ms ON ms.id = o.measure_id AND o.measure_id <> ''
	LEFT JOIN measurements l ON l.id = (SELECT x.id FROM measurements x WHERE x.objective_id = o.id
		ORDER BY x.taken_on DESC, x.recorded_at DESC LIMIT 1)`

func queryObjectives(ctx context.Context, q queryer, query string, args ...any) ([]isms.Objective, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Objective{}
	for rows.Next() {
		var o isms.Objective
		var threshold sql.NullFloat64
		var decided nullTimeCol
		var code, mtitle string
		var mn int64
		var l isms.Measurement
		if err := rows.Scan(&o.ID, &o.OrgID, &o.N, &o.Kind, &o.ParentID, &o.DeptID, &o.Statement, &o.Metric, &o.Unit,
			&o.Direction, &o.Target, &threshold, &o.Frequency, &o.OwnerID, &o.FrameworkID, &o.Ref, &o.MeasureID, &o.Status,
			&o.ApprovalID, &o.DecidedBy, &decided, &o.Comment, &o.UpdatedBy, &o.CreatedAt, &o.UpdatedAt, &o.DeptName,
			&o.OwnerName, &code, &mn, &mtitle, &l.ID, &l.TakenOn, &l.Value, &l.MeasuredBy); err != nil {
			return nil, mapErr(err)
		}
		if threshold.Valid {
			o.Threshold = &threshold.Float64
		}
		o.DecidedAt = decided.ptr()
		switch {
		case o.Ref != "":
			o.Subject = isms.MeasureReq{Framework: code, Ref: o.Ref}.Key()
		case mn > 0:
			o.Subject = isms.Measure{N: mn}.Number() + " " + mtitle
		}
		if l.ID != "" {
			l.ObjectiveID, l.OrgID = o.ID, o.OrgID
			o.Latest = &l
		}
		out = append(out, o)
	}
	return out, mapErr(rows.Err())
}

// Objectives lists an organization's objectives by number.
func (s *Store) Objectives(ctx context.Context, f ObjectiveFilter) ([]isms.Objective, error) {
	w := newWhere()
	w.add("o.org_id = ?", f.OrgID)
	if f.Kind != "" {
		w.add("o.kind = ?", f.Kind)
	}
	if f.OwnerID != "" {
		w.add("o.owner_id = ?", f.OwnerID)
	}
	if f.DeptID != "" {
		w.add("o.dept_id = ?", f.DeptID)
	}
	switch f.Status {
	case StatusAll:
	case "":
		w.add("o.status <> ?", isms.ObjRetired)
	default:
		w.add("o.status = ?", f.Status)
	}
	if f.ParentID != "" {
		w.add("o.parent_id = ?", f.ParentID)
	}
	if f.MeasureID != "" {
		w.add("o.measure_id = ?", f.MeasureID)
	}
	if f.FrameworkID != "" {
		w.add("o.framework_id = ? AND o.ref = ?", f.FrameworkID, f.Ref)
	}
	return queryObjectives(ctx, s.read, `SELECT `+objectiveColumns+objectiveFrom+w.sql()+` ORDER BY o.n LIMIT 5000`, w.args...)
}

// Objective reads one objective of the organization.
func (s *Store) Objective(ctx context.Context, orgID, id string) (isms.Objective, error) {
	os, err := queryObjectives(ctx, s.read, `SELECT `+objectiveColumns+objectiveFrom+` WHERE o.org_id = $1 AND o.id = $2`,
		orgID, id)
	return one(os, err, "objective")
}

// Objective reads one objective in a transaction.
func (tx *Tx) Objective(ctx context.Context, orgID, id string) (isms.Objective, error) {
	os, err := queryObjectives(ctx, tx.tx, `SELECT `+objectiveColumns+objectiveFrom+` WHERE o.org_id = $1 AND o.id = $2`,
		orgID, id)
	return one(os, err, "objective")
}

func nullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

// CreateObjective stores a new objective with the organization's next
// number.
func (tx *Tx) CreateObjective(ctx context.Context, o *isms.Objective) error {
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO objectives (id, org_id, n, kind, parent_id, dept_id, statement, metric,
		unit, direction, target, threshold, frequency, owner_id, framework_id, ref, measure_id, status, updated_by,
		created_at, updated_at) VALUES ($1, $2, (SELECT coalesce(max(n), 0) + 1 FROM objectives WHERE org_id = $2), $3, $4,
		$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING n`,
		o.ID, o.OrgID, o.Kind, o.ParentID, o.DeptID, o.Statement, o.Metric, o.Unit, o.Direction, o.Target,
		nullFloat(o.Threshold), o.Frequency, o.OwnerID, o.FrameworkID, o.Ref, o.MeasureID, o.Status, o.UpdatedBy,
		o.CreatedAt).Scan(&o.N)
	return mapErr(err)
}

// UpdateObjective writes an objective's terms, owner and status.
func (tx *Tx) UpdateObjective(ctx context.Context, o *isms.Objective) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE objectives SET parent_id = $3, dept_id = $4, statement = $5, metric = $6,
		unit = $7, direction = $8, target = $9, threshold = $10, frequency = $11, owner_id = $12, framework_id = $13,
		ref = $14, measure_id = $15, status = $16, approval_id = $17, decided_by = $18, decided_at = $19, comment = $20,
		updated_by = $21, updated_at = $22 WHERE id = $1 AND org_id = $2`,
		o.ID, o.OrgID, o.ParentID, o.DeptID, o.Statement, o.Metric, o.Unit, o.Direction, o.Target, nullFloat(o.Threshold),
		o.Frequency, o.OwnerID, o.FrameworkID, o.Ref, o.MeasureID, o.Status, o.ApprovalID, o.DecidedBy, o.DecidedAt,
		o.Comment, o.UpdatedBy, o.UpdatedAt)
	return mustAffect(res, err, "objective")
}

// ChildObjectives counts the department objectives of an objective.
func (tx *Tx) ChildObjectives(ctx context.Context, orgID, id string) (n int, err error) {
	err = tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM objectives WHERE org_id = $1 AND parent_id = $2`, orgID, id).Scan(&n)
	return n, mapErr(err)
}

// LiveChildObjectives counts the department objectives of an objective
// that are not retired.
func (tx *Tx) LiveChildObjectives(ctx context.Context, orgID, id string) (n int, err error) {
	err = tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM objectives WHERE org_id = $1 AND parent_id = $2 AND status <> $3`,
		orgID, id, isms.ObjRetired).Scan(&n)
	return n, mapErr(err)
}

// DeleteObjective removes an objective that has no measurements, no
// evidence and no department objectives (the service has checked).
func (tx *Tx) DeleteObjective(ctx context.Context, orgID, id string) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM objectives WHERE id = $1 AND org_id = $2
		AND NOT EXISTS (SELECT 1 FROM measurements m WHERE m.objective_id = objectives.id)
		AND NOT EXISTS (SELECT 1 FROM objectives c WHERE c.parent_id = objectives.id)`, id, orgID)
	return mustAffect(res, err, "objective")
}

// Measurements lists an objective's measurements, oldest first.
func (s *Store) Measurements(ctx context.Context, orgID, objectiveID string) ([]isms.Measurement, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, org_id, objective_id, taken_on, value, note, measured_by, recorded_at
		FROM measurements WHERE objective_id = $1 AND org_id = $2 ORDER BY taken_on, recorded_at`, objectiveID, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Measurement{}
	for rows.Next() {
		var m isms.Measurement
		if err := rows.Scan(&m.ID, &m.OrgID, &m.ObjectiveID, &m.TakenOn, &m.Value, &m.Note, &m.MeasuredBy,
			&m.RecordedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// AddMeasurement stores a measurement.
func (tx *Tx) AddMeasurement(ctx context.Context, m *isms.Measurement) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO measurements (id, org_id, objective_id, taken_on, value, note, measured_by,
		recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, m.ID, m.OrgID, m.ObjectiveID, m.TakenOn, m.Value, m.Note,
		m.MeasuredBy, m.RecordedAt)
	return mapErr(err)
}

// EvidenceOf lists the evidence of every subject of one kind among ids,
// by subject.
func (s *Store) EvidenceOf(ctx context.Context, orgID, subject string, ids []string) (map[string][]isms.Evidence, error) {
	out := map[string][]isms.Evidence{}
	if len(ids) == 0 {
		return out, nil
	}
	w := newWhere()
	w.args = append(w.args, orgID, subject)
	in := placeholders(w, ids)
	es, err := queryEvidence(ctx, s.read, `SELECT `+evidenceColumns+evidenceFrom+`
		WHERE e.org_id = $1 AND e.subject = $2 AND e.subject_id IN (`+in+`) ORDER BY e.added_at`, w.args...)
	for _, e := range es {
		out[e.SubjectID] = append(out[e.SubjectID], e)
	}
	return out, err
}

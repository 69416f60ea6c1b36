package store

import (
	"context"
	"database/sql"
	"strings"

	"openisms/internal/isms"
)

// GB/T 22239 self-assessments of grading objects and their items.

var selfCols = []string{"id", "org_id", "object_id", "framework_id", "level", "extensions", "title", "status",
	"created_by", "created_at", "updated_at", "closed_at"}

func querySelfAssessments(ctx context.Context, q queryer, where string, args ...any) ([]isms.SelfAssessment, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("a", selfCols)+`, o.n, o.code, o.name,
		(SELECT count(*) FROM mlps_self_checks c WHERE c.assessment_id = a.id),
		(SELECT count(*) FROM mlps_self_checks c WHERE c.assessment_id = a.id AND c.result = 'conform'),
		(SELECT count(*) FROM mlps_self_checks c WHERE c.assessment_id = a.id AND c.result = 'partial'),
		(SELECT count(*) FROM mlps_self_checks c WHERE c.assessment_id = a.id AND c.result = 'nonconform'),
		(SELECT count(*) FROM mlps_self_checks c WHERE c.assessment_id = a.id AND c.result = 'na')
		FROM mlps_self_assessments a JOIN mlps_objects o ON o.id = a.object_id `+where, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.SelfAssessment{}
	for rows.Next() {
		var x isms.SelfAssessment
		var ext string
		var closed sql.NullTime
		var o isms.MLPSObject
		c := &x.Counts
		if err := rows.Scan(&x.ID, &x.OrgID, &x.ObjectID, &x.FrameworkID, &x.Level, &ext, &x.Title, &x.Status,
			&x.CreatedBy, &x.CreatedAt, &x.UpdatedAt, &closed, &o.N, &o.Code, &o.Name,
			&c.Total, &c.Conform, &c.Partial, &c.Nonconform, &c.NA); err != nil {
			return nil, mapErr(err)
		}
		if ext != "" {
			x.Extensions = strings.Split(ext, ",")
		}
		x.ClosedAt = nullTime(closed)
		x.ObjectLabel = o.Label()
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

// SelfAssessments lists an object's self-assessments, newest first.
func (s *Store) SelfAssessments(ctx context.Context, orgID, objectID string) ([]isms.SelfAssessment, error) {
	return querySelfAssessments(ctx, s.read, `WHERE a.org_id = $1 AND a.object_id = $2 ORDER BY a.created_at DESC, a.id DESC`,
		orgID, objectID)
}

// SelfAssessment reads one self-assessment with its counts.
func (s *Store) SelfAssessment(ctx context.Context, orgID, id string) (isms.SelfAssessment, error) {
	xs, err := querySelfAssessments(ctx, s.read, `WHERE a.org_id = $1 AND a.id = $2`, orgID, id)
	return one(xs, err, "self_assessment")
}

// SelfAssessment reads one self-assessment in the transaction.
func (tx *Tx) SelfAssessment(ctx context.Context, orgID, id string) (isms.SelfAssessment, error) {
	xs, err := querySelfAssessments(ctx, tx.tx, `WHERE a.org_id = $1 AND a.id = $2`, orgID, id)
	return one(xs, err, "self_assessment")
}

func selfArgs(x *isms.SelfAssessment) []any {
	return []any{x.ID, x.OrgID, x.ObjectID, x.FrameworkID, x.Level, strings.Join(x.Extensions, ","), x.Title, x.Status,
		x.CreatedBy, x.CreatedAt, x.UpdatedAt, x.ClosedAt}
}

var selfCheckCols = []string{"id", "org_id", "assessment_id", "node_id", "ref", "position", "result", "note",
	"risk_id", "rectification_id", "updated_by", "updated_at"}

func selfCheckArgs(c *isms.SelfCheck) []any {
	return []any{c.ID, c.OrgID, c.AssessmentID, c.NodeID, c.Ref, c.Position, c.Result, c.Note, c.RiskID,
		c.RectificationID, c.UpdatedBy, c.UpdatedAt}
}

// CreateSelfAssessment inserts a self-assessment and its items.
func (tx *Tx) CreateSelfAssessment(ctx context.Context, x *isms.SelfAssessment, checks []isms.SelfCheck) error {
	if _, err := tx.tx.ExecContext(ctx, insertSQL("mlps_self_assessments", selfCols), selfArgs(x)...); err != nil {
		return mapErr(err)
	}
	stmt, err := tx.tx.PrepareContext(ctx, insertSQL("mlps_self_checks", selfCheckCols))
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	for i := range checks {
		if _, err := stmt.ExecContext(ctx, selfCheckArgs(&checks[i])...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// OpenSelfAssessment returns the id of an object's open self-assessment,
// "" when it has none.
func (tx *Tx) OpenSelfAssessment(ctx context.Context, orgID, objectID string) (string, error) {
	var id string
	err := tx.tx.QueryRowContext(ctx, `SELECT id FROM mlps_self_assessments WHERE org_id = $1 AND object_id = $2 AND status = 'open'`,
		orgID, objectID).Scan(&id)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return id, mapErr(err)
}

// UpdateSelfAssessment writes a self-assessment's status and times.
func (tx *Tx) UpdateSelfAssessment(ctx context.Context, x *isms.SelfAssessment) error {
	res, err := tx.tx.ExecContext(ctx, updateSQL("mlps_self_assessments", selfCols), selfArgs(x)...)
	return mustAffect(res, err, "self_assessment")
}

// UpdateSelfCheck writes an item's answer.
func (tx *Tx) UpdateSelfCheck(ctx context.Context, c *isms.SelfCheck) error {
	res, err := tx.tx.ExecContext(ctx, updateSQL("mlps_self_checks", selfCheckCols), selfCheckArgs(c)...)
	return mustAffect(res, err, "self_check")
}

func querySelfChecks(ctx context.Context, q queryer, today, where string, args ...any) ([]isms.SelfCheck, error) {
	evidence, join := `0`, ``
	if today != "" {
		// Evidence in effect on the day, neither pending nor expired,
		// counted once for the whole assessment.
		args = append(args, today)
		n := itoa(len(args))
		evidence = `coalesce(ev.n, 0)`
		join = ` LEFT JOIN (SELECT e.subject_id, count(*) AS n FROM evidence e
			WHERE e.org_id = $1 AND e.subject = 'mlps_check' AND e.effective_on <= $` + n + `
				AND (e.expires_on = '' OR e.expires_on >= $` + n + `)
				AND e.subject_id IN (SELECT id FROM mlps_self_checks WHERE assessment_id = $2)
			GROUP BY e.subject_id) ev ON ev.subject_id = c.id`
	}
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("c", selfCheckCols)+`, `+evidence+`
		FROM mlps_self_checks c`+join+` `+where+` ORDER BY c.position`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.SelfCheck{}
	for rows.Next() {
		var c isms.SelfCheck
		var at sql.NullTime
		if err := rows.Scan(&c.ID, &c.OrgID, &c.AssessmentID, &c.NodeID, &c.Ref, &c.Position, &c.Result, &c.Note,
			&c.RiskID, &c.RectificationID, &c.UpdatedBy, &at, &c.Evidence); err != nil {
			return nil, mapErr(err)
		}
		c.UpdatedAt = nullTime(at)
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// SelfChecks lists a self-assessment's items in the framework's order,
// each with its count of evidence in effect today ($1 and $2 are the
// organization and the assessment).
func (s *Store) SelfChecks(ctx context.Context, orgID, assessmentID, today string) ([]isms.SelfCheck, error) {
	return querySelfChecks(ctx, s.read, today, `WHERE c.org_id = $1 AND c.assessment_id = $2`, orgID, assessmentID)
}

// SelfChecks lists a self-assessment's items in the transaction.
func (tx *Tx) SelfChecks(ctx context.Context, orgID, assessmentID string) ([]isms.SelfCheck, error) {
	return querySelfChecks(ctx, tx.tx, "", `WHERE c.org_id = $1 AND c.assessment_id = $2`, orgID, assessmentID)
}

// SelfCheck reads one item in the transaction (tx) or outside it.
func (s *Store) SelfCheck(ctx context.Context, orgID, id string) (isms.SelfCheck, error) {
	cs, err := querySelfChecks(ctx, s.read, "", `WHERE c.org_id = $1 AND c.id = $2`, orgID, id)
	return one(cs, err, "self_check")
}

// SelfCheck reads one item in the transaction.
func (tx *Tx) SelfCheck(ctx context.Context, orgID, id string) (isms.SelfCheck, error) {
	cs, err := querySelfChecks(ctx, tx.tx, "", `WHERE c.org_id = $1 AND c.id = $2`, orgID, id)
	return one(cs, err, "self_check")
}

// SelfNodes reads the requirement nodes a self-assessment's page needs:
// its items and the framework's grouping nodes (categories, control
// points), with the organization's own Chinese titles; without their
// attributes, which the page does not show.
func (s *Store) SelfNodes(ctx context.Context, orgID, frameworkID, assessmentID string) ([]isms.RequirementNode, error) {
	cols := strings.Replace(nodeColumns, "n.attributes", "'{}'", 1)
	return queryNodes(ctx, s.read, true, `SELECT `+cols+`, coalesce(t.title_zh, '') FROM requirement_nodes n
		LEFT JOIN requirement_titles t ON t.node_id = n.id AND t.org_id = $2
		WHERE n.framework_id = $1 AND (n.assessable = FALSE
			OR n.id IN (SELECT node_id FROM mlps_self_checks WHERE assessment_id = $3))
		ORDER BY n.position`, frameworkID, orgID, assessmentID)
}

// MappedSoAEvidence counts, for each node of a framework that maps to
// requirements of another (built in or the organization's own mapping),
// the organization's evidence in effect today on the SoA lines of those
// requirements: evidence collected once for ISO/IEC 27001 shows beside
// the GB/T 22239 item it also serves.
func (s *Store) MappedSoAEvidence(ctx context.Context, orgID, frameworkID, today string) (map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT m.source_node_id, count(DISTINCT e.id)
		FROM requirement_mappings m
		JOIN requirement_nodes src ON src.id = m.source_node_id AND src.framework_id = $2
		JOIN requirement_nodes t ON t.id = m.target_node_id
		JOIN soa_rows r ON r.org_id = $1 AND r.framework_id = t.framework_id AND r.ref = t.ref
		JOIN evidence e ON e.subject_id = r.id AND e.subject = 'soa_row' AND e.org_id = $1
		WHERE (m.org_id IS NULL OR m.org_id = $1) AND e.effective_on <= $3 AND (e.expires_on = '' OR e.expires_on >= $3)
		GROUP BY m.source_node_id`, orgID, frameworkID, today)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, mapErr(err)
		}
		out[id] = n
	}
	return out, mapErr(rows.Err())
}

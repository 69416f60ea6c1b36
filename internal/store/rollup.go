package store

import (
	"context"
	"fmt"
	"time"

	"openisms/internal/isms"
)

// What a supervising body's dashboard reads about every organization
// below it, in a handful of queries however many organizations there
// are.

// supervisedSQL is the organizations a body ($1) supervises along links.
const supervisedSQL = `(WITH RECURSIVE below(id) AS (
	SELECT supervised_id FROM supervision_links WHERE supervisor_id = $1
	UNION SELECT l.supervised_id FROM supervision_links l JOIN below ON l.supervisor_id = below.id)
	SELECT id FROM below)`

// SupervisedMLPS is the MLPS records of the organizations below a body:
// active objects, their gradings (by object and version), evaluations
// (newest first), certificates (oldest first), open rectifications, and
// per organization the open evaluation duties and how many are overdue.
type SupervisedMLPS struct {
	Objects        []isms.MLPSObject
	Gradings       []isms.Grading
	Evaluations    []isms.Evaluation
	Certificates   []isms.Certificate
	Rectifications []isms.Rectification
	EvalDue        map[string][2]int // org → open evaluation duties, of which overdue
}

// SupervisedMLPS reads the MLPS records below a body.
func (s *Store) SupervisedMLPS(ctx context.Context, supervisorID string, now time.Time) (SupervisedMLPS, error) {
	var out SupervisedMLPS
	var err error
	if out.Objects, err = queryMLPSObjects(ctx, s.read, mlpsObjectSelect+mlpsObjectFrom+
		` WHERE o.status = 'active' AND o.org_id IN `+supervisedSQL+` ORDER BY o.org_id, o.n`, supervisorID); err != nil {
		return out, err
	}
	if out.Gradings, err = queryGradings(ctx, s.read, gradingSelect+` WHERE g.org_id IN `+supervisedSQL+
		` ORDER BY g.object_id, g.version`, supervisorID); err != nil {
		return out, err
	}
	if out.Evaluations, err = queryEvaluations(ctx, s.read, `WHERE e.org_id IN `+supervisedSQL+
		` ORDER BY e.completed_on DESC, e.created_at DESC`, supervisorID); err != nil {
		return out, err
	}
	if out.Certificates, err = queryCertificatesWhere(ctx, s.read, ` WHERE org_id IN `+supervisedSQL, supervisorID); err != nil {
		return out, err
	}
	if out.Rectifications, err = queryRects(ctx, s.read, `WHERE r.org_id IN `+supervisedSQL+` AND r.status <> 'verified'`,
		supervisorID); err != nil {
		return out, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT org_id, due_at, grace_days FROM tasks
		WHERE source_type = 'mlps_evaluation' AND status = 'open' AND org_id IN `+supervisedSQL, supervisorID)
	if err != nil {
		return out, mapErr(err)
	}
	defer rows.Close()
	out.EvalDue = map[string][2]int{}
	for rows.Next() {
		var t isms.Task
		if err := rows.Scan(&t.OrgID, &t.DueAt, &t.GraceDays); err != nil {
			return out, mapErr(err)
		}
		t.Status = isms.TaskOpen
		c := out.EvalDue[t.OrgID]
		c[0]++
		if t.Overdue(now) {
			c[1]++
		}
		out.EvalDue[t.OrgID] = c
	}
	return out, mapErr(rows.Err())
}

// DashboardStamp is what a body's dashboard is cached by: the sum of
// every organization's MLPS stamp (any MLPS change, link, rename or move
// anywhere moves it on) and the campaign's stamp when one is shown. A
// sum over all organizations is a short scan, far cheaper than walking
// the body's links on every request; a change elsewhere only costs the
// body one recomputation.
func (s *Store) DashboardStamp(ctx context.Context, campaignID string) (string, error) {
	var n, sum, camp int64
	if err := s.read.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(mlps_stamp), 0) FROM organizations`).Scan(&n, &sum); err != nil {
		return "", mapErr(err)
	}
	if campaignID != "" {
		if err := s.read.QueryRowContext(ctx, `SELECT stamp FROM campaigns WHERE id = $1`, campaignID).Scan(&camp); err != nil {
			return "", mapErr(err)
		}
	}
	return fmt.Sprintf("%d/%d/%d", n, sum, camp), nil
}

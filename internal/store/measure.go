package store

import (
	"context"

	"openisms/internal/isms"
)

// MeasureFilter narrows the list of measures.
type MeasureFilter struct {
	OrgID   string
	Text    string // in the title or description
	DeptID  string
	OwnerID string
	Status  string
	// FrameworkID and Ref, together, keep the measures that name that
	// requirement.
	FrameworkID, Ref string
	// Overdue keeps only the measures whose due date is before Today and
	// whose status is not "implemented".
	Overdue bool
	// Evidence counts are for Today; WarnUntil bounds "expiring".
	Today, WarnUntil string
}

const measureColumns = `m.id, m.org_id, m.n, m.title, m.description, m.dept_id, m.owner_id, m.status, m.due_on,
	m.updated_by, m.created_at, m.updated_at, coalesce(d.name, ''), coalesce(p.name, ''), coalesce(e.valid, 0),
	coalesce(e.expiring, 0)`

// measureFrom joins what a measure is read with; $1 is the organization,
// $2 and $3 the days of the evidence counts.
var measureFrom = ` FROM measures m LEFT JOIN departments d ON d.id = m.dept_id
	LEFT JOIN people p ON p.id = m.owner_id
	LEFT JOIN ` + evidenceCounts(isms.EvidenceMeasure, "$1", "$2", "$3") + ` e ON e.subject_id = m.id`

func queryMeasures(ctx context.Context, q queryer, query string, args ...any) ([]isms.Measure, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Measure{}
	for rows.Next() {
		var m isms.Measure
		if err := rows.Scan(&m.ID, &m.OrgID, &m.N, &m.Title, &m.Description, &m.DeptID, &m.OwnerID, &m.Status, &m.DueOn,
			&m.UpdatedBy, &m.CreatedAt, &m.UpdatedAt, &m.DeptName, &m.OwnerName, &m.Evidence, &m.Expiring); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// Measures lists an organization's measures by number, with the
// requirements each names.
func (s *Store) Measures(ctx context.Context, f MeasureFilter) ([]isms.Measure, error) {
	w := newWhere()
	w.args = append(w.args, f.OrgID, f.Today, f.WarnUntil)
	w.conds = append(w.conds, "m.org_id = $1")
	if f.Text != "" {
		w.add(`(lower(m.title) LIKE ? ESCAPE '\' OR lower(m.description) LIKE ? ESCAPE '\')`, like(f.Text), like(f.Text))
	}
	if f.DeptID != "" {
		w.add("m.dept_id = ?", f.DeptID)
	}
	if f.OwnerID != "" {
		w.add("m.owner_id = ?", f.OwnerID)
	}
	if f.Status != "" {
		w.add("m.status = ?", f.Status)
	}
	if f.Overdue {
		w.add("m.due_on <> '' AND m.due_on < ? AND m.status <> ?", f.Today, isms.ImplImplemented)
	}
	if f.FrameworkID != "" {
		w.add(`m.id IN (SELECT measure_id FROM measure_requirements WHERE org_id = $1 AND framework_id = ? AND ref = ?)`,
			f.FrameworkID, f.Ref)
	}
	ms, err := queryMeasures(ctx, s.read, `SELECT `+measureColumns+measureFrom+w.sql()+` ORDER BY m.n LIMIT 5000`, w.args...)
	if err != nil || len(ms) == 0 {
		return ms, err
	}
	return ms, attachRequirements(ctx, s.read, f.OrgID, ms)
}

// Measure reads one measure of the organization with its requirements.
func (s *Store) Measure(ctx context.Context, orgID, id, today, warnUntil string) (isms.Measure, error) {
	ms, err := queryMeasures(ctx, s.read, `SELECT `+measureColumns+measureFrom+` WHERE m.org_id = $1 AND m.id = $4`,
		orgID, today, warnUntil, id)
	m, err := one(ms, err, "measure")
	if err != nil {
		return m, err
	}
	one := []isms.Measure{m}
	err = attachRequirements(ctx, s.read, orgID, one)
	return one[0], err
}

// MeasureForUpdate reads a measure in the transaction, without counts.
func (tx *Tx) MeasureForUpdate(ctx context.Context, orgID, id string) (isms.Measure, error) {
	ms, err := queryMeasures(ctx, tx.tx, `SELECT `+measureColumns+measureFrom+` WHERE m.org_id = $1 AND m.id = $4`,
		orgID, "", "", id)
	m, err := one(ms, err, "measure")
	if err != nil {
		return m, err
	}
	ms = []isms.Measure{m}
	err = attachRequirements(ctx, tx.tx, orgID, ms) // for the trail's "before"
	return ms[0], err
}

// attachRequirements fills each measure's requirements, with the node's
// ID and titles where the reference still exists.
func attachRequirements(ctx context.Context, db queryer, orgID string, ms []isms.Measure) error {
	byID := make(map[string]*isms.Measure, len(ms))
	ids := make([]string, len(ms))
	for i := range ms {
		byID[ms[i].ID] = &ms[i]
		ids[i] = ms[i].ID
		ms[i].Requirements = []isms.MeasureReq{}
	}
	// A page of measures reads its own requirements; a long list reads
	// the organization's at once.
	w := newWhere()
	w.args = append(w.args, orgID)
	only := ""
	if len(ids) <= 100 {
		only = ` AND r.measure_id IN (` + placeholders(w, ids) + `)`
	}
	args := w.args
	rows, err := db.QueryContext(ctx, `SELECT r.measure_id, r.framework_id, f.code, r.ref, coalesce(n.id, ''),
			coalesce(nullif(t.title_zh, ''), nullif(n.title_zh, ''), n.title_en, '')
		FROM measure_requirements r JOIN frameworks f ON f.id = r.framework_id
		LEFT JOIN requirement_nodes n ON n.framework_id = r.framework_id AND n.ref = r.ref
		LEFT JOIN requirement_titles t ON t.node_id = n.id AND t.org_id = $1
		WHERE r.org_id = $1`+only+` ORDER BY f.code, coalesce(n.position, 0), r.ref`, args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var mid string
		var q isms.MeasureReq
		if err := rows.Scan(&mid, &q.FrameworkID, &q.Framework, &q.Ref, &q.NodeID, &q.Title); err != nil {
			return mapErr(err)
		}
		if m := byID[mid]; m != nil {
			m.Requirements = append(m.Requirements, q)
		}
	}
	return mapErr(rows.Err())
}

// CreateMeasure stores a new measure with the organization's next number.
func (tx *Tx) CreateMeasure(ctx context.Context, m *isms.Measure) error {
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO measures (id, org_id, n, title, description, dept_id, owner_id, status,
		due_on, updated_by, created_at, updated_at)
		VALUES ($1, $2, (SELECT coalesce(max(n), 0) + 1 FROM measures WHERE org_id = $2), $3, $4, $5, $6, $7, $8, $9, $10,
		$10) RETURNING n`, m.ID, m.OrgID, m.Title, m.Description, m.DeptID, m.OwnerID, m.Status, m.DueOn, m.UpdatedBy,
		m.CreatedAt).Scan(&m.N)
	return mapErr(err)
}

// UpdateMeasure writes a measure's fields.
func (tx *Tx) UpdateMeasure(ctx context.Context, m *isms.Measure) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE measures SET title = $3, description = $4, dept_id = $5, owner_id = $6,
		status = $7, due_on = $8, updated_by = $9, updated_at = $10 WHERE id = $1 AND org_id = $2`, m.ID, m.OrgID, m.Title,
		m.Description, m.DeptID, m.OwnerID, m.Status, m.DueOn, m.UpdatedBy, m.UpdatedAt)
	return mustAffect(res, err, "measure")
}

// SetMeasureRequirements replaces the requirements a measure names.
func (tx *Tx) SetMeasureRequirements(ctx context.Context, orgID, measureID string, reqs []isms.MeasureReq) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM measure_requirements WHERE measure_id = $1 AND org_id = $2`,
		measureID, orgID); err != nil {
		return mapErr(err)
	}
	for _, q := range reqs {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO measure_requirements (org_id, measure_id, framework_id, ref)
			VALUES ($1, $2, $3, $4)`, orgID, measureID, q.FrameworkID, q.Ref); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// DeleteMeasure removes a measure with its requirements and evidence
// items (files stay in the blob store for the audit trail).
func (tx *Tx) DeleteMeasure(ctx context.Context, orgID, id string) error {
	for _, q := range []string{
		`DELETE FROM measure_requirements WHERE measure_id = $1 AND org_id = $2`,
		`DELETE FROM evidence WHERE subject_id = $1 AND org_id = $2 AND subject = 'measure'`,
	} {
		if _, err := tx.tx.ExecContext(ctx, q, id, orgID); err != nil {
			return mapErr(err)
		}
	}
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM measures WHERE id = $1 AND org_id = $2`, id, orgID)
	return mustAffect(res, err, "measure")
}

// ResolveRequirements finds, for "code ref" pairs, the framework the
// organization sees by code (its own before a built-in one) and whether
// it has the reference. The result maps a pair's Key to its framework ID
// and node ID; pairs not found are absent.
func (tx *Tx) ResolveRequirements(ctx context.Context, orgID string, reqs []isms.MeasureReq) (map[string][2]string, error) {
	out := map[string][2]string{}
	if len(reqs) == 0 {
		return out, nil
	}
	w := newWhere()
	w.args = append(w.args, orgID)
	codes, refs := make([]string, 0, len(reqs)), make([]string, 0, len(reqs))
	for _, q := range reqs {
		codes, refs = append(codes, q.Framework), append(refs, q.Ref)
	}
	inCodes := placeholders(w, codes)
	inRefs := placeholders(w, refs)
	rows, err := tx.tx.QueryContext(ctx, `SELECT f.code, n.ref, f.id, n.id FROM requirement_nodes n
		JOIN frameworks f ON f.id = n.framework_id AND (f.org_id IS NULL OR f.org_id = $1)
		WHERE f.code IN (`+inCodes+`) AND n.ref IN (`+inRefs+`) ORDER BY f.org_id IS NULL`, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, ref, fid, nid string
		if err := rows.Scan(&code, &ref, &fid, &nid); err != nil {
			return nil, mapErr(err)
		}
		key := isms.MeasureReq{Framework: code, Ref: ref}.Key()
		if _, seen := out[key]; !seen {
			out[key] = [2]string{fid, nid}
		}
	}
	return out, mapErr(rows.Err())
}

// CoverNode is an assessable requirement as the coverage view reads it.
type CoverNode struct {
	ID, Ref, TitleZH, TitleEN, OwnTitleZH, Category string
}

// CoverNodes lists a framework's assessable, non-withdrawn requirements
// in order: the few columns the coverage view needs.
func (s *Store) CoverNodes(ctx context.Context, orgID, frameworkID string) ([]CoverNode, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT n.id, n.ref, n.title_zh, n.title_en, coalesce(t.title_zh, ''), n.category
		FROM requirement_nodes n LEFT JOIN requirement_titles t ON t.node_id = n.id AND t.org_id = $2
		WHERE n.framework_id = $1 AND n.assessable AND NOT n.withdrawn ORDER BY n.position`, frameworkID, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []CoverNode
	for rows.Next() {
		var n CoverNode
		if err := rows.Scan(&n.ID, &n.Ref, &n.TitleZH, &n.TitleEN, &n.OwnTitleZH, &n.Category); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, n)
	}
	return out, mapErr(rows.Err())
}

// CoverMeasures is what coverage needs of an organization's measures,
// read once however many frameworks are then looked at.
type CoverMeasures struct {
	Links map[string]isms.CoverLink // by measure ID, evidence counted for the day read
	Reqs  []CoverReq                // the requirements the measures name
}

// CoverReq is a requirement a measure names.
type CoverReq struct {
	MeasureID, FrameworkID, Code, Ref string
}

// CoverMeasures reads the organization's measures as coverage links,
// with evidence in effect on day today, and the requirements they name.
func (s *Store) CoverMeasures(ctx context.Context, orgID, today string) (CoverMeasures, error) {
	cm := CoverMeasures{Links: map[string]isms.CoverLink{}}
	rows, err := s.read.QueryContext(ctx, `SELECT m.id, m.n, m.title, m.status, coalesce(e.valid, 0) FROM measures m
		LEFT JOIN `+evidenceCounts(isms.EvidenceMeasure, "$1", "$2", "$2")+` e ON e.subject_id = m.id
		WHERE m.org_id = $1`, orgID, today)
	if err != nil {
		return cm, mapErr(err)
	}
	for rows.Next() {
		var l isms.CoverLink
		var n int64
		if err := rows.Scan(&l.MeasureID, &n, &l.Title, &l.Status, &l.Evidence); err != nil {
			rows.Close()
			return cm, mapErr(err)
		}
		l.Number = isms.Measure{N: n}.Number()
		cm.Links[l.MeasureID] = l
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(cm.Links) == 0 {
		return cm, mapErr(err)
	}
	rows, err = s.read.QueryContext(ctx, `SELECT r.measure_id, r.framework_id, f.code, r.ref FROM measure_requirements r
		JOIN frameworks f ON f.id = r.framework_id WHERE r.org_id = $1 ORDER BY r.measure_id`, orgID)
	if err != nil {
		return cm, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var q CoverReq
		if err := rows.Scan(&q.MeasureID, &q.FrameworkID, &q.Code, &q.Ref); err != nil {
			return cm, mapErr(err)
		}
		cm.Reqs = append(cm.Reqs, q)
	}
	return cm, mapErr(rows.Err())
}

// CoverReach is where a requirement of another framework reaches one of
// the framework looked at: the reference there, and the relation of the
// other requirement to it.
type CoverReach struct{ Ref, Relation string }

// CoverMappings reads the mappings with one end in a framework, keyed by
// the other end ([framework ID, reference]); a mapping read from its
// target's side has its relation turned round.
func (s *Store) CoverMappings(ctx context.Context, orgID, frameworkID string) (map[[2]string][]CoverReach, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT o.framework_id, o.ref, n.ref, m.relation, 1 FROM requirement_nodes n
		JOIN requirement_mappings m ON m.target_node_id = n.id AND (m.org_id IS NULL OR m.org_id = $2)
		JOIN requirement_nodes o ON o.id = m.source_node_id
		WHERE n.framework_id = $1 AND o.framework_id <> $1
		UNION ALL
		SELECT o.framework_id, o.ref, n.ref, m.relation, 0 FROM requirement_nodes n
		JOIN requirement_mappings m ON m.source_node_id = n.id AND (m.org_id IS NULL OR m.org_id = $2)
		JOIN requirement_nodes o ON o.id = m.target_node_id
		WHERE n.framework_id = $1 AND o.framework_id <> $1`, frameworkID, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[[2]string][]CoverReach{}
	for rows.Next() {
		var fw, there, here, rel string
		var fromThere bool
		if err := rows.Scan(&fw, &there, &here, &rel, &fromThere); err != nil {
			return nil, mapErr(err)
		}
		if !fromThere {
			rel = isms.InverseRelation(rel)
		}
		k := [2]string{fw, there}
		out[k] = append(out[k], CoverReach{Ref: here, Relation: rel})
	}
	return out, mapErr(rows.Err())
}

// ReachedFrameworks lists the frameworks the organization's measures
// reach: those their requirements are on, and those mapped to one of
// those requirements in either direction.
func (s *Store) ReachedFrameworks(ctx context.Context, orgID string) (map[string]bool, error) {
	return pairs[bool](ctx, s.read, `
		SELECT framework_id, TRUE FROM measure_requirements WHERE org_id = $1
		UNION
		SELECT t.framework_id, TRUE FROM measure_requirements r
		JOIN requirement_nodes n ON n.framework_id = r.framework_id AND n.ref = r.ref
		JOIN requirement_mappings m ON m.source_node_id = n.id AND (m.org_id IS NULL OR m.org_id = $1)
		JOIN requirement_nodes t ON t.id = m.target_node_id WHERE r.org_id = $1
		UNION
		SELECT t.framework_id, TRUE FROM measure_requirements r
		JOIN requirement_nodes n ON n.framework_id = r.framework_id AND n.ref = r.ref
		JOIN requirement_mappings m ON m.target_node_id = n.id AND (m.org_id IS NULL OR m.org_id = $1)
		JOIN requirement_nodes t ON t.id = m.source_node_id WHERE r.org_id = $1`, orgID)
}

// ExcludedRefs lists the references the organization's SoA excludes on a
// framework.
func (s *Store) ExcludedRefs(ctx context.Context, orgID, frameworkID string) (map[string]bool, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT ref FROM soa_rows WHERE org_id = $1 AND framework_id = $2
		AND applicable IS NOT NULL AND NOT applicable`, orgID, frameworkID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, mapErr(err)
		}
		out[ref] = true
	}
	return out, mapErr(rows.Err())
}

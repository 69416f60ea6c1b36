package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"openisms/internal/isms"
)

const frameworkColumns = `id, coalesce(org_id, ''), code, name_zh, name_en, version, publisher, origin, file_name, file_hash,
	nodes, assessable, reference_controls, threats, created_at, updated_at`

func queryFrameworks(ctx context.Context, q queryer, query string, args ...any) ([]isms.Framework, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Framework{}
	for rows.Next() {
		var f isms.Framework
		if err := rows.Scan(&f.ID, &f.OrgID, &f.Code, &f.NameZH, &f.NameEN, &f.Version, &f.Publisher, &f.Origin, &f.FileName,
			&f.FileHash, &f.Nodes, &f.Assessable, &f.RefControls, &f.Threats, &f.CreatedAt, &f.UpdatedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, f)
	}
	return out, mapErr(rows.Err())
}

// Frameworks lists the frameworks an organization sees: the built-in
// ones first, then its own by code.
func (s *Store) Frameworks(ctx context.Context, orgID string) ([]isms.Framework, error) {
	return queryFrameworks(ctx, s.read, `SELECT `+frameworkColumns+` FROM frameworks
		WHERE org_id IS NULL OR org_id = $1 ORDER BY org_id IS NOT NULL, code`, orgID)
}

// Framework reads one framework the organization sees.
func (s *Store) Framework(ctx context.Context, orgID, id string) (isms.Framework, error) {
	fs, err := queryFrameworks(ctx, s.read, `SELECT `+frameworkColumns+` FROM frameworks
		WHERE id = $1 AND (org_id IS NULL OR org_id = $2)`, id, orgID)
	return one(fs, err, "framework")
}

// FrameworkByCode reads, in the transaction, the framework with code
// owned by orgID ("" for the built-in ones); found is false when none.
func (tx *Tx) FrameworkByCode(ctx context.Context, orgID, code string) (f isms.Framework, found bool, err error) {
	return frameworkByCode(ctx, tx.tx, orgID, code)
}

// FrameworkByCode reads the framework with code owned by orgID ("" for
// the built-in ones); found is false when none.
func (s *Store) FrameworkByCode(ctx context.Context, orgID, code string) (f isms.Framework, found bool, err error) {
	return frameworkByCode(ctx, s.read, orgID, code)
}

func frameworkByCode(ctx context.Context, q queryer, orgID, code string) (f isms.Framework, found bool, err error) {
	fs, err := queryFrameworks(ctx, q, `SELECT `+frameworkColumns+` FROM frameworks
		WHERE coalesce(org_id, '') = $1 AND code = $2`, orgID, code)
	if err != nil || len(fs) == 0 {
		return f, false, err
	}
	return fs[0], true, nil
}

// FrameworkByCodeFor finds, in the transaction, a framework an
// organization sees by code, its own before a built-in one.
func (tx *Tx) FrameworkByCodeFor(ctx context.Context, orgID, code string) (isms.Framework, error) {
	return frameworkByCodeFor(ctx, tx.tx, orgID, code)
}

// FrameworkByCodeFor finds a framework an organization sees by code, its
// own before a built-in one.
func (s *Store) FrameworkByCodeFor(ctx context.Context, orgID, code string) (isms.Framework, error) {
	return frameworkByCodeFor(ctx, s.read, orgID, code)
}

func frameworkByCodeFor(ctx context.Context, q queryer, orgID, code string) (isms.Framework, error) {
	fs, err := queryFrameworks(ctx, q, `SELECT `+frameworkColumns+` FROM frameworks
		WHERE (org_id IS NULL OR org_id = $1) AND code = $2 ORDER BY org_id IS NULL`, orgID, code)
	return one(fs, err, "framework")
}

func one[T any](xs []T, err error, entity string) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	if len(xs) == 0 {
		return zero, isms.NotFound(entity)
	}
	return xs[0], nil
}

// SaveFramework inserts or updates a framework's row.
func (tx *Tx) SaveFramework(ctx context.Context, f *isms.Framework, insert bool) error {
	args := []any{f.ID, nullStr(f.OrgID), f.Code, f.NameZH, f.NameEN, f.Version, f.Publisher, f.Origin, f.FileName, f.FileHash,
		f.Nodes, f.Assessable, f.CreatedAt, f.UpdatedAt, f.RefControls, f.Threats}
	q := `INSERT INTO frameworks (id, org_id, code, name_zh, name_en, version, publisher, origin, file_name, file_hash, nodes,
		assessable, created_at, updated_at, reference_controls, threats)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`
	if !insert {
		q = `UPDATE frameworks SET name_zh = $4, name_en = $5, version = $6, publisher = $7, origin = $8, file_name = $9,
			file_hash = $10, nodes = $11, assessable = $12, updated_at = $14, reference_controls = $15, threats = $16
			WHERE id = $1 AND coalesce(org_id, '') = coalesce($2, '') AND code = $3 AND created_at = $13`
	}
	_, err := tx.tx.ExecContext(ctx, q, args...)
	return mapErr(err)
}

const nodeColumns = `n.id, n.framework_id, n.ref, n.parent_ref, n.position, n.depth, n.title_zh, n.title_en, n.description,
	n.assessable, n.category, n.attributes, n.withdrawn`

func queryNodes(ctx context.Context, q queryer, own bool, query string, args ...any) ([]isms.RequirementNode, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.RequirementNode{}
	for rows.Next() {
		var n isms.RequirementNode
		var attrs string
		dest := []any{&n.ID, &n.FrameworkID, &n.Ref, &n.ParentRef, &n.Position, &n.Depth, &n.TitleZH, &n.TitleEN,
			&n.Description, &n.Assessable, &n.Category, &attrs, &n.Withdrawn}
		if own {
			dest = append(dest, &n.OwnTitleZH)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, mapErr(err)
		}
		if attrs != "" && attrs != "{}" {
			if err := json.Unmarshal([]byte(attrs), &n.Attributes); err != nil {
				return nil, err
			}
		}
		out = append(out, n)
	}
	return out, mapErr(rows.Err())
}

// RequirementNodes lists a framework's tree in order, with the reading
// organization's own Chinese titles.
func (s *Store) RequirementNodes(ctx context.Context, orgID, frameworkID string) ([]isms.RequirementNode, error) {
	return queryNodes(ctx, s.read, true, `SELECT `+nodeColumns+`, coalesce(t.title_zh, '') FROM requirement_nodes n
		LEFT JOIN requirement_titles t ON t.node_id = n.id AND t.org_id = $2
		WHERE n.framework_id = $1 ORDER BY n.position`, frameworkID, orgID)
}

// RequirementNode reads one node of a framework the organization sees.
func (s *Store) RequirementNode(ctx context.Context, orgID, id string) (isms.RequirementNode, error) {
	ns, err := queryNodes(ctx, s.read, true, `SELECT `+nodeColumns+`, coalesce(t.title_zh, '') FROM requirement_nodes n
		JOIN frameworks f ON f.id = n.framework_id AND (f.org_id IS NULL OR f.org_id = $2)
		LEFT JOIN requirement_titles t ON t.node_id = n.id AND t.org_id = $2
		WHERE n.id = $1`, id, orgID)
	return one(ns, err, "requirement")
}

// NodesOf reads a framework's nodes in the transaction (without titles
// of organizations), for an update in place.
func (tx *Tx) NodesOf(ctx context.Context, frameworkID string) ([]isms.RequirementNode, error) {
	return queryNodes(ctx, tx.tx, false, `SELECT `+nodeColumns+` FROM requirement_nodes n WHERE n.framework_id = $1
		ORDER BY n.position`, frameworkID)
}

func attrsJSON(n *isms.RequirementNode) (string, error) {
	if len(n.Attributes) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(n.Attributes)
	return string(b), err
}

// SaveNodes inserts (insert) or updates nodes by ID, with one prepared
// statement.
func (tx *Tx) SaveNodes(ctx context.Context, nodes []isms.RequirementNode, insert bool) error {
	if len(nodes) == 0 {
		return nil
	}
	q := `INSERT INTO requirement_nodes (id, framework_id, ref, parent_ref, position, depth, title_zh, title_en, description,
		assessable, category, attributes, withdrawn) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	if !insert {
		q = `UPDATE requirement_nodes SET parent_ref = $4, position = $5, depth = $6, title_zh = $7, title_en = $8,
			description = $9, assessable = $10, category = $11, attributes = $12, withdrawn = $13
			WHERE id = $1 AND framework_id = $2 AND ref = $3`
	}
	stmt, err := tx.tx.PrepareContext(ctx, q)
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	for i := range nodes {
		n := &nodes[i]
		attrs, err := attrsJSON(n)
		if err != nil {
			return err
		}
		if _, err := stmt.ExecContext(ctx, n.ID, n.FrameworkID, n.Ref, n.ParentRef, n.Position, n.Depth, n.TitleZH, n.TitleEN,
			n.Description, n.Assessable, n.Category, attrs, n.Withdrawn); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// DeleteNodes removes nodes a new version of their framework no longer
// has, with the mappings and organizations' titles that name them.
func (tx *Tx) DeleteNodes(ctx context.Context, ids []string) error {
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		w := newWhere()
		in := placeholders(w, part)
		for _, q := range []string{
			`DELETE FROM requirement_mappings WHERE source_node_id IN (` + in + `) OR target_node_id IN (` + in + `)`,
			`DELETE FROM requirement_titles WHERE node_id IN (` + in + `)`,
			`DELETE FROM requirement_texts WHERE node_id IN (` + in + `)`,
			`DELETE FROM requirement_nodes WHERE id IN (` + in + `)`,
		} {
			if _, err := tx.tx.ExecContext(ctx, q, w.args...); err != nil {
				return mapErr(err)
			}
		}
	}
	return nil
}

// NodeIDsByRef maps a framework's references to node IDs.
func (tx *Tx) NodeIDsByRef(ctx context.Context, frameworkID string) (map[string]string, error) {
	return pairs[string](ctx, tx.tx, `SELECT ref, id FROM requirement_nodes WHERE framework_id = $1`, frameworkID)
}

// AddMappings stores mapping pairs, leaving pairs already there as they
// are, and returns how many were new.
func (tx *Tx) AddMappings(ctx context.Context, ms []isms.Mapping) (int, error) {
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO requirement_mappings (id, org_id, source_node_id, target_node_id, relation)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`)
	if err != nil {
		return 0, mapErr(err)
	}
	defer stmt.Close()
	added := 0
	for _, m := range ms {
		res, err := stmt.ExecContext(ctx, m.ID, nullStr(m.OrgID), m.SourceNodeID, m.TargetNodeID, m.Relation)
		if err != nil {
			return added, mapErr(err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added++
		}
	}
	return added, nil
}

const mappingSelect = `SELECT m.id, coalesce(m.org_id, ''), m.source_node_id, m.target_node_id, m.relation,
	sf.code, s.ref, CASE WHEN s.title_zh <> '' THEN s.title_zh ELSE s.title_en END,
	tf.code, t.ref, CASE WHEN t.title_zh <> '' THEN t.title_zh ELSE t.title_en END
	FROM requirement_mappings m
	JOIN requirement_nodes s ON s.id = m.source_node_id JOIN frameworks sf ON sf.id = s.framework_id
	JOIN requirement_nodes t ON t.id = m.target_node_id JOIN frameworks tf ON tf.id = t.framework_id`

func queryMappings(ctx context.Context, q queryer, query string, args ...any) ([]isms.Mapping, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Mapping{}
	for rows.Next() {
		var m isms.Mapping
		if err := rows.Scan(&m.ID, &m.OrgID, &m.SourceNodeID, &m.TargetNodeID, &m.Relation, &m.SourceFramework, &m.SourceRef,
			&m.SourceTitle, &m.TargetFramework, &m.TargetRef, &m.TargetTitle); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// NodeMappings lists the mappings an organization sees from or to a node.
func (s *Store) NodeMappings(ctx context.Context, orgID, nodeID string) ([]isms.Mapping, error) {
	return queryMappings(ctx, s.read, mappingSelect+` WHERE (m.source_node_id = $1 OR m.target_node_id = $1)
		AND (m.org_id IS NULL OR m.org_id = $2) ORDER BY sf.code, s.position, tf.code, t.position`, nodeID, orgID)
}

// FrameworkMappings lists the mappings an organization sees from a
// framework's nodes.
func (s *Store) FrameworkMappings(ctx context.Context, orgID, frameworkID string) ([]isms.Mapping, error) {
	return queryMappings(ctx, s.read, mappingSelect+` WHERE s.framework_id = $1 AND (m.org_id IS NULL OR m.org_id = $2)
		ORDER BY s.position, tf.code, t.position`, frameworkID, orgID)
}

// MappingCounts counts, per framework, the mapping pairs an organization
// sees whose source is in it.
func (s *Store) MappingCounts(ctx context.Context, orgID string) (map[string]int, error) {
	return pairs[int](ctx, s.read, `SELECT s.framework_id, count(*) FROM requirement_mappings m
		JOIN requirement_nodes s ON s.id = m.source_node_id WHERE m.org_id IS NULL OR m.org_id = $1
		GROUP BY s.framework_id`, orgID)
}

// SetOwnText sets (or, when empty, removes) an organization's full text
// of a requirement.
func (tx *Tx) SetOwnText(ctx context.Context, orgID, nodeID, text string, at time.Time) error {
	var err error
	if text == "" {
		_, err = tx.tx.ExecContext(ctx, `DELETE FROM requirement_texts WHERE org_id = $1 AND node_id = $2`, orgID, nodeID)
	} else {
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO requirement_texts (org_id, node_id, text, updated_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, node_id) DO UPDATE SET text = $3, updated_at = $4`,
			orgID, nodeID, text, at)
	}
	return mapErr(err)
}

// OwnText reads an organization's full text of a requirement, "" when it
// has none.
func (s *Store) OwnText(ctx context.Context, orgID, nodeID string) (string, error) {
	var text string
	err := s.read.QueryRowContext(ctx, `SELECT text FROM requirement_texts WHERE org_id = $1 AND node_id = $2`,
		orgID, nodeID).Scan(&text)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return text, mapErr(err)
}

// OwnTextCount counts the requirements of a framework with the
// organization's full text.
func (s *Store) OwnTextCount(ctx context.Context, orgID, frameworkID string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM requirement_texts t JOIN requirement_nodes n ON n.id = t.node_id
		WHERE t.org_id = $1 AND n.framework_id = $2`, orgID, frameworkID).Scan(&n)
	return n, mapErr(err)
}

// SetOwnTitle sets (or, when empty, removes) an organization's own
// Chinese title for a node.
func (tx *Tx) SetOwnTitle(ctx context.Context, orgID, nodeID, title string, at time.Time) error {
	var err error
	if title == "" {
		_, err = tx.tx.ExecContext(ctx, `DELETE FROM requirement_titles WHERE org_id = $1 AND node_id = $2`, orgID, nodeID)
	} else {
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO requirement_titles (org_id, node_id, title_zh, updated_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, node_id) DO UPDATE SET title_zh = $3, updated_at = $4`,
			orgID, nodeID, title, at)
	}
	return mapErr(err)
}

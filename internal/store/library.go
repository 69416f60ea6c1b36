package store

import (
	"context"

	"openisms/internal/isms"
)

// A framework's library objects (reference controls and threats) and the
// requirements that name them.

const libraryColumns = `o.id, o.framework_id, o.kind, o.ref, o.urn, o.position, o.name_zh, o.name_en, o.category,
	o.csf_function, o.description`

func queryLibrary(ctx context.Context, q queryer, query string, args ...any) ([]isms.LibraryObject, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.LibraryObject{}
	for rows.Next() {
		var o isms.LibraryObject
		if err := rows.Scan(&o.ID, &o.FrameworkID, &o.Kind, &o.Ref, &o.URN, &o.Position, &o.NameZH, &o.NameEN, &o.Category,
			&o.Function, &o.Description); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, o)
	}
	return out, mapErr(rows.Err())
}

// LibraryObjects lists a framework's objects of a kind ("" every kind),
// by kind and position, each with the references of the requirements that
// name it in tree order. The caller has checked the framework is visible.
func (s *Store) LibraryObjects(ctx context.Context, frameworkID, kind string) ([]isms.LibraryObject, error) {
	w := newWhere()
	w.add("o.framework_id = ?", frameworkID)
	if kind != "" {
		w.add("o.kind = ?", kind)
	}
	objs, err := queryLibrary(ctx, s.read, `SELECT `+libraryColumns+` FROM library_objects o`+w.sql()+`
		ORDER BY o.kind, o.position`, w.args...)
	if err != nil || len(objs) == 0 {
		return objs, err
	}
	at := make(map[string]int, len(objs))
	for i, o := range objs {
		at[o.Kind+"\x00"+o.Ref] = i
	}
	rows, err := s.read.QueryContext(ctx, `SELECT l.kind, l.object_ref, l.node_ref FROM library_links l
		JOIN requirement_nodes n ON n.framework_id = l.framework_id AND n.ref = l.node_ref
		WHERE l.framework_id = $1 ORDER BY n.position`, frameworkID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, obj, node string
		if err := rows.Scan(&k, &obj, &node); err != nil {
			return nil, mapErr(err)
		}
		if i, ok := at[k+"\x00"+obj]; ok {
			objs[i].Requirements = append(objs[i].Requirements, node)
		}
	}
	return objs, mapErr(rows.Err())
}

// LibraryObject reads one object of a framework the organization sees.
func (s *Store) LibraryObject(ctx context.Context, orgID, id string) (isms.LibraryObject, error) {
	objs, err := queryLibrary(ctx, s.read, `SELECT `+libraryColumns+` FROM library_objects o
		JOIN frameworks f ON f.id = o.framework_id AND (f.org_id IS NULL OR f.org_id = $2)
		WHERE o.id = $1`, id, orgID)
	return one(objs, err, "library_object")
}

// LibraryObjectNodes lists the requirements that name an object, in tree
// order, with the reading organization's own Chinese titles.
func (s *Store) LibraryObjectNodes(ctx context.Context, orgID string, o isms.LibraryObject) ([]isms.RequirementNode, error) {
	return queryNodes(ctx, s.read, true, `SELECT `+nodeColumns+`, coalesce(t.title_zh, '') FROM library_links l
		JOIN requirement_nodes n ON n.framework_id = l.framework_id AND n.ref = l.node_ref
		LEFT JOIN requirement_titles t ON t.node_id = n.id AND t.org_id = $4
		WHERE l.framework_id = $1 AND l.kind = $2 AND l.object_ref = $3 ORDER BY n.position`,
		o.FrameworkID, o.Kind, o.Ref, orgID)
}

// NodeLibrary lists the objects a requirement names, by kind and
// position; an object of another library comes with its URN as reference
// and no ID.
func (s *Store) NodeLibrary(ctx context.Context, n isms.RequirementNode) ([]isms.LibraryObject, error) {
	return queryLibrary(ctx, s.read, `SELECT coalesce(o.id, ''), l.framework_id, l.kind, l.object_ref,
		coalesce(o.urn, l.object_ref), coalesce(o.position, 0), coalesce(o.name_zh, ''), coalesce(o.name_en, ''),
		coalesce(o.category, ''), coalesce(o.csf_function, ''), coalesce(o.description, '')
		FROM library_links l
		LEFT JOIN library_objects o ON o.framework_id = l.framework_id AND o.kind = l.kind AND o.ref = l.object_ref
		WHERE l.framework_id = $1 AND l.node_ref = $2
		ORDER BY l.kind, o.position IS NULL, o.position, l.object_ref`, n.FrameworkID, n.Ref)
}

// LibraryOf reads a framework's objects in the transaction, without
// links, for an update in place.
func (tx *Tx) LibraryOf(ctx context.Context, frameworkID string) ([]isms.LibraryObject, error) {
	return queryLibrary(ctx, tx.tx, `SELECT `+libraryColumns+` FROM library_objects o WHERE o.framework_id = $1
		ORDER BY o.kind, o.position`, frameworkID)
}

// SaveLibraryObjects inserts (insert) or updates objects by ID, with one
// prepared statement.
func (tx *Tx) SaveLibraryObjects(ctx context.Context, objs []isms.LibraryObject, insert bool) error {
	if len(objs) == 0 {
		return nil
	}
	q := `INSERT INTO library_objects (id, framework_id, kind, ref, urn, position, name_zh, name_en, category, csf_function,
		description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	if !insert {
		q = `UPDATE library_objects SET urn = $5, position = $6, name_zh = $7, name_en = $8, category = $9, csf_function = $10,
			description = $11 WHERE id = $1 AND framework_id = $2 AND kind = $3 AND ref = $4`
	}
	stmt, err := tx.tx.PrepareContext(ctx, q)
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	for _, o := range objs {
		if _, err := stmt.ExecContext(ctx, o.ID, o.FrameworkID, o.Kind, o.Ref, o.URN, o.Position, o.NameZH, o.NameEN,
			o.Category, o.Function, o.Description); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// DeleteLibraryObjects removes objects a new version no longer ships.
func (tx *Tx) DeleteLibraryObjects(ctx context.Context, ids []string) error {
	for start := 0; start < len(ids); start += 500 {
		w := newWhere()
		in := placeholders(w, ids[start:min(start+500, len(ids))])
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM library_objects WHERE id IN (`+in+`)`, w.args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// ReplaceLibraryLinks sets a framework's links to links.
func (tx *Tx) ReplaceLibraryLinks(ctx context.Context, frameworkID string, links []isms.LibraryLink) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM library_links WHERE framework_id = $1`, frameworkID); err != nil {
		return mapErr(err)
	}
	if len(links) == 0 {
		return nil
	}
	stmt, err := tx.tx.PrepareContext(ctx, `INSERT INTO library_links (framework_id, node_ref, kind, object_ref)
		VALUES ($1, $2, $3, $4)`)
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	for _, l := range links {
		if _, err := stmt.ExecContext(ctx, frameworkID, l.NodeRef, l.Kind, l.ObjectRef); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

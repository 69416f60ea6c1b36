package store

import (
	"context"
	"database/sql"

	"openisms/internal/isms"
)

// Supervision links between organizations.

func querySupervisionLinks(ctx context.Context, q queryer, where string, args ...any) ([]isms.SupervisionLink, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.supervisor_id, l.supervised_id, l.kind, l.note, l.created_by, l.created_at,
		a.name, b.name
		FROM supervision_links l JOIN organizations a ON a.id = l.supervisor_id JOIN organizations b ON b.id = l.supervised_id `+
		where+` ORDER BY a.name, b.name`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.SupervisionLink{}
	for rows.Next() {
		var l isms.SupervisionLink
		if err := rows.Scan(&l.ID, &l.SupervisorID, &l.SupervisedID, &l.Kind, &l.Note, &l.CreatedBy, &l.CreatedAt,
			&l.SupervisorName, &l.SupervisedName); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, l)
	}
	return out, mapErr(rows.Err())
}

// SupervisionLinks lists the links with an end in the subtree of path
// (an organization's path, "/a/b/"): those an administrator there sees.
func (s *Store) SupervisionLinks(ctx context.Context, path string) ([]isms.SupervisionLink, error) {
	return querySupervisionLinks(ctx, s.read, `WHERE a.path LIKE $1 OR b.path LIKE $1`, path+"%")
}

// SupervisionLink reads one link in the transaction.
func (tx *Tx) SupervisionLink(ctx context.Context, id string) (isms.SupervisionLink, error) {
	ls, err := querySupervisionLinks(ctx, tx.tx, `WHERE l.id = $1`, id)
	return one(ls, err, "supervision_link")
}

// CreateSupervisionLink inserts a link; the pair exists at most once.
func (tx *Tx) CreateSupervisionLink(ctx context.Context, l *isms.SupervisionLink) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO supervision_links (id, supervisor_id, supervised_id, kind, note, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, l.ID, l.SupervisorID, l.SupervisedID, l.Kind, l.Note, l.CreatedBy, l.CreatedAt)
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("supervised_id", isms.M("supervision.duplicate"))
	}
	return mapErr(err)
}

// DeleteSupervisionLink removes a link.
func (tx *Tx) DeleteSupervisionLink(ctx context.Context, id string) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM supervision_links WHERE id = $1`, id)
	return mustAffect(res, err, "supervision_link")
}

// Supervises reports whether supervisor supervises org, directly or
// along a chain of links.
func (tx *Tx) Supervises(ctx context.Context, supervisorID, orgID string) (bool, error) {
	return supervises(ctx, tx.tx, supervisorID, orgID)
}

// Supervises reports whether supervisor supervises org, directly or
// along a chain of links.
func (s *Store) Supervises(ctx context.Context, supervisorID, orgID string) (bool, error) {
	return supervises(ctx, s.read, supervisorID, orgID)
}

func supervises(ctx context.Context, q queryer, supervisorID, orgID string) (bool, error) {
	var found int
	err := q.QueryRowContext(ctx, `WITH RECURSIVE below(id) AS (
			SELECT supervised_id FROM supervision_links WHERE supervisor_id = $1
			UNION SELECT l.supervised_id FROM supervision_links l JOIN below ON l.supervisor_id = below.id)
		SELECT 1 FROM below WHERE id = $2`, supervisorID, orgID).Scan(&found)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return err == nil, mapErr(err)
}

// SupervisedOrgs lists the organizations a body supervises along links,
// each at its shortest distance with the body it is reached through.
func (s *Store) SupervisedOrgs(ctx context.Context, supervisorID string) ([]isms.SupervisedOrg, error) {
	rows, err := s.read.QueryContext(ctx, `WITH RECURSIVE below(id, depth, via) AS (
			SELECT supervised_id, 1, '' FROM supervision_links WHERE supervisor_id = $1
			UNION SELECT l.supervised_id, below.depth + 1, below.id FROM supervision_links l
				JOIN below ON l.supervisor_id = below.id WHERE below.depth < 16)
		SELECT o.id, o.name, b.depth, coalesce(v.name, ''), b.via, o.region_code, o.industry
		FROM (SELECT id, min(depth) AS depth FROM below GROUP BY id) d
		JOIN below b ON b.id = d.id AND b.depth = d.depth
		JOIN organizations o ON o.id = d.id AND o.archived_at IS NULL
		LEFT JOIN organizations v ON v.id = b.via
		ORDER BY b.depth, o.name`, supervisorID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.SupervisedOrg{}
	seen := map[string]bool{}
	for rows.Next() {
		var x isms.SupervisedOrg
		if err := rows.Scan(&x.ID, &x.Name, &x.Depth, &x.Via, &x.ViaID, &x.RegionCode, &x.Industry); err != nil {
			return nil, mapErr(err)
		}
		if !seen[x.ID] { // reached through two bodies at the same distance
			seen[x.ID] = true
			out = append(out, x)
		}
	}
	return out, mapErr(rows.Err())
}

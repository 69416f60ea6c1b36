package store

import (
	"context"
	"fmt"

	"openisms/internal/isms"
)

const deptColumns = `id, org_id, coalesce(parent_id, ''), path, name, code, coalesce(head_person_id, ''),
	created_at, updated_at, archived_at`

func scanDept(row interface{ Scan(...any) error }, d *isms.Department) error {
	var archived nullTimeCol
	err := row.Scan(&d.ID, &d.OrgID, &d.ParentID, &d.Path, &d.Name, &d.Code, &d.HeadPersonID,
		&d.CreatedAt, &d.UpdatedAt, &archived)
	d.ArchivedAt = archived.ptr()
	d.CreatedAt, d.UpdatedAt = isms.Normalize(d.CreatedAt), isms.Normalize(d.UpdatedAt)
	return err
}

func getDepartment(ctx context.Context, q queryer, id string) (isms.Department, error) {
	var d isms.Department
	if err := scanDept(q.QueryRowContext(ctx, `SELECT `+deptColumns+` FROM departments WHERE id = $1`, id), &d); err != nil {
		return d, notFound(err, "department")
	}
	return d, nil
}

// Department reads one department, archived or not.
func (s *Store) Department(ctx context.Context, id string) (isms.Department, error) {
	return getDepartment(ctx, s.read, id)
}

// Department reads one department inside the transaction.
func (tx *Tx) Department(ctx context.Context, id string) (isms.Department, error) {
	return getDepartment(ctx, tx.tx, id)
}

// CreateDepartment inserts d; ID, Path and times must be set.
func (tx *Tx) CreateDepartment(ctx context.Context, d *isms.Department) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO departments (id, org_id, parent_id, path, name, code, head_person_id,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		d.ID, d.OrgID, nullStr(d.ParentID), d.Path, d.Name, d.Code, nullStr(d.HeadPersonID), d.CreatedAt, d.UpdatedAt)
	return mapErr(err)
}

// UpdateDepartment writes d; a changed path moves the subtree with it.
func (tx *Tx) UpdateDepartment(ctx context.Context, d *isms.Department, oldPath string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE departments SET parent_id = $2, path = $3, name = $4, code = $5,
		head_person_id = $6, updated_at = $7 WHERE id = $1`,
		d.ID, nullStr(d.ParentID), d.Path, d.Name, d.Code, nullStr(d.HeadPersonID), d.UpdatedAt)
	if err != nil {
		return mapErr(err)
	}
	if oldPath != d.Path {
		lo, hi := subtreeRange(oldPath)
		_, err = tx.tx.ExecContext(ctx, `UPDATE departments SET path = CAST($1 AS TEXT) || substr(path, $2)
			WHERE org_id = $3 AND path > $4 AND path < $5`, d.Path, len(oldPath)+1, d.OrgID, lo, hi)
		if err != nil {
			return mapErr(fmt.Errorf("move department subtree: %w", err))
		}
	}
	return nil
}

// ArchiveDepartment marks a department archived.
func (tx *Tx) ArchiveDepartment(ctx context.Context, id string, at any) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE departments SET archived_at = $2, updated_at = $2 WHERE id = $1`, id, at)
	return mapErr(err)
}

// DepartmentInUse counts live sub-departments and live people of a
// department; an archived department must not hold either.
func (tx *Tx) DepartmentInUse(ctx context.Context, id string) (children, people int, err error) {
	err = tx.tx.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM departments WHERE parent_id = $1 AND archived_at IS NULL),
		(SELECT count(*) FROM people WHERE dept_id = $1 AND archived_at IS NULL)`, id).Scan(&children, &people)
	return children, people, mapErr(err)
}

// ListDepartments lists the departments of f.OrgID ordered by name.
func (s *Store) ListDepartments(ctx context.Context, f isms.ListFilter) ([]isms.Department, error) {
	w := newWhere()
	w.add("org_id = ?", f.OrgID)
	if f.ParentID != "" {
		w.add("parent_id = ?", f.ParentID)
	}
	w.archived(f.Status)
	if f.Text != "" {
		w.add(`(lower(name) LIKE ? ESCAPE '\' OR lower(code) LIKE ? ESCAPE '\')`, like(f.Text), like(f.Text))
	}
	w.after(f.After)
	rows, err := s.read.QueryContext(ctx, `SELECT `+deptColumns+` FROM departments`+w.sql()+
		` ORDER BY name, id LIMIT `+w.limit(f.Limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Department
	for rows.Next() {
		var d isms.Department
		if err := scanDept(rows, &d); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

// DepartmentNames lists an organization's live departments by name with
// only their ID and name filled, for choosers and filters.
func (s *Store) DepartmentNames(ctx context.Context, orgID string) ([]isms.Department, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name FROM departments WHERE org_id = $1 AND archived_at IS NULL
		ORDER BY name, id`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Department
	for rows.Next() {
		d := isms.Department{OrgID: orgID}
		if err := rows.Scan(&d.ID, &d.Name); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

// DepartmentsByName maps an organization's live departments by name.
func (tx *Tx) DepartmentsByName(ctx context.Context, orgID string) (map[string]isms.Department, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT id, org_id, name FROM departments WHERE org_id = $1 AND archived_at IS NULL`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]isms.Department{}
	for rows.Next() {
		var d isms.Department
		if err := rows.Scan(&d.ID, &d.OrgID, &d.Name); err != nil {
			return nil, mapErr(err)
		}
		out[d.Name] = d
	}
	return out, mapErr(rows.Err())
}

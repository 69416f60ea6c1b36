package store

import (
	"context"

	"openisms/internal/isms"
)

const personColumns = `id, org_id, coalesce(dept_id, ''), name, employee_no, post, phone, email, status,
	joined_on, left_on, created_at, updated_at, archived_at`

func scanPerson(row interface{ Scan(...any) error }, p *isms.Person) error {
	var archived nullTimeCol
	err := row.Scan(&p.ID, &p.OrgID, &p.DeptID, &p.Name, &p.EmployeeNo, &p.Post, &p.Phone, &p.Email, &p.Status,
		dateCol{&p.JoinedOn}, dateCol{&p.LeftOn}, &p.CreatedAt, &p.UpdatedAt, &archived)
	p.ArchivedAt = archived.ptr()
	p.CreatedAt, p.UpdatedAt = isms.Normalize(p.CreatedAt), isms.Normalize(p.UpdatedAt)
	return err
}

func getPerson(ctx context.Context, q queryer, id string) (isms.Person, error) {
	var p isms.Person
	if err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people WHERE id = $1`, id), &p); err != nil {
		return p, notFound(err, "person")
	}
	return p, nil
}

// Person reads one person, archived or not.
func (s *Store) Person(ctx context.Context, id string) (isms.Person, error) {
	return getPerson(ctx, s.read, id)
}

// Person reads one person inside the transaction.
func (tx *Tx) Person(ctx context.Context, id string) (isms.Person, error) {
	return getPerson(ctx, tx.tx, id)
}

// CreatePerson inserts p; ID and times must be set.
func (tx *Tx) CreatePerson(ctx context.Context, p *isms.Person) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO people (id, org_id, dept_id, name, employee_no, post, phone, email,
		status, joined_on, left_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		p.ID, p.OrgID, nullStr(p.DeptID), p.Name, p.EmployeeNo, p.Post, p.Phone, p.Email, p.Status,
		nullStr(p.JoinedOn), nullStr(p.LeftOn), p.CreatedAt, p.UpdatedAt)
	return mapErr(err)
}

// UpdatePerson writes every editable field of p.
func (tx *Tx) UpdatePerson(ctx context.Context, p *isms.Person) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE people SET dept_id = $2, name = $3, employee_no = $4, post = $5,
		phone = $6, email = $7, status = $8, joined_on = $9, left_on = $10, updated_at = $11 WHERE id = $1`,
		p.ID, nullStr(p.DeptID), p.Name, p.EmployeeNo, p.Post, p.Phone, p.Email, p.Status,
		nullStr(p.JoinedOn), nullStr(p.LeftOn), p.UpdatedAt)
	return mapErr(err)
}

// ArchivePerson marks a person archived.
func (tx *Tx) ArchivePerson(ctx context.Context, id string, at any) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE people SET archived_at = $2, updated_at = $2 WHERE id = $1`, id, at)
	return mapErr(err)
}

// ListPeople lists the people of f.OrgID ordered by name. f.Status may be
// a person status (active, left) besides archived and all; the default is
// everyone not archived.
func (s *Store) ListPeople(ctx context.Context, f isms.ListFilter) ([]isms.Person, error) {
	w := newWhere()
	w.add("org_id = ?", f.OrgID)
	if f.DeptID != "" {
		w.add("dept_id = ?", f.DeptID)
	}
	switch f.Status {
	case string(isms.PersonActive), string(isms.PersonLeft):
		w.archived("")
		w.add("status = ?", f.Status)
	default:
		w.archived(f.Status)
	}
	if f.Text != "" {
		t := like(f.Text)
		w.add(`(lower(name) LIKE ? ESCAPE '\' OR lower(employee_no) LIKE ? ESCAPE '\' OR phone LIKE ? ESCAPE '\'
			OR lower(email) LIKE ? ESCAPE '\' OR lower(post) LIKE ? ESCAPE '\')`, t, t, t, t, t)
	}
	w.after(f.After)
	rows, err := s.read.QueryContext(ctx, `SELECT `+personColumns+` FROM people`+w.sql()+
		` ORDER BY name, id LIMIT `+w.limit(f.Limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Person
	for rows.Next() {
		var p isms.Person
		if err := scanPerson(rows, &p); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}

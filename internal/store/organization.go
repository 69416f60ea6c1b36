package store

import (
	"context"
	"encoding/json"
	"fmt"

	"openisms/internal/isms"
)

const orgColumns = `id, coalesce(parent_id, ''), path, name, short_name, credit_code, kind, time_zone,
	contact_name, contact_phone, contact_email, address, region_code, industry, created_at, updated_at, archived_at`

func scanOrg(row interface{ Scan(...any) error }, o *isms.Organization) error {
	var archived nullTimeCol
	err := row.Scan(&o.ID, &o.ParentID, &o.Path, &o.Name, &o.ShortName, &o.CreditCode, &o.Kind, &o.TimeZone,
		&o.ContactName, &o.ContactPhone, &o.ContactEmail, &o.Address, &o.RegionCode, &o.Industry, &o.CreatedAt, &o.UpdatedAt, &archived)
	o.ArchivedAt = archived.ptr()
	o.CreatedAt, o.UpdatedAt = isms.Normalize(o.CreatedAt), isms.Normalize(o.UpdatedAt)
	return err
}

func getOrganization(ctx context.Context, q queryer, id string) (isms.Organization, error) {
	var o isms.Organization
	err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = $1`, id), &o)
	if err != nil {
		return o, notFound(err, "organization")
	}
	return o, nil
}

// Organization reads one organization, archived or not.
func (s *Store) Organization(ctx context.Context, id string) (isms.Organization, error) {
	return getOrganization(ctx, s.read, id)
}

// Organization reads one organization inside the transaction.
func (tx *Tx) Organization(ctx context.Context, id string) (isms.Organization, error) {
	return getOrganization(ctx, tx.tx, id)
}

// CreateOrganization inserts o; o.ID, o.Path and the times must be set.
func (tx *Tx) CreateOrganization(ctx context.Context, o *isms.Organization) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO organizations (id, parent_id, path, name, short_name, credit_code, kind,
		time_zone, contact_name, contact_phone, contact_email, address, region_code, industry, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		o.ID, nullStr(o.ParentID), o.Path, o.Name, o.ShortName, o.CreditCode, o.Kind, o.TimeZone,
		o.ContactName, o.ContactPhone, o.ContactEmail, o.Address, o.RegionCode, o.Industry, o.CreatedAt, o.UpdatedAt)
	return mapErr(err)
}

// UpdateOrganization writes every editable field of o. When the path
// changed (a move), the paths of all descendants are rewritten too.
func (tx *Tx) UpdateOrganization(ctx context.Context, o *isms.Organization, oldPath string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE organizations SET parent_id = $2, path = $3, name = $4, short_name = $5,
		credit_code = $6, kind = $7, time_zone = $8, contact_name = $9, contact_phone = $10, contact_email = $11,
		address = $12, updated_at = $13, region_code = $14, industry = $15 WHERE id = $1`,
		o.ID, nullStr(o.ParentID), o.Path, o.Name, o.ShortName, o.CreditCode, o.Kind, o.TimeZone,
		o.ContactName, o.ContactPhone, o.ContactEmail, o.Address, o.UpdatedAt, o.RegionCode, o.Industry)
	if err != nil {
		return mapErr(err)
	}
	if oldPath != o.Path {
		lo, hi := subtreeRange(oldPath)
		_, err = tx.tx.ExecContext(ctx, `UPDATE organizations SET path = CAST($1 AS TEXT) || substr(path, $2)
			WHERE path > $3 AND path < $4`, o.Path, len(oldPath)+1, lo, hi)
		if err != nil {
			return mapErr(fmt.Errorf("move organization subtree: %w", err))
		}
	}
	return nil
}

// ArchiveOrganization marks o archived at its UpdatedAt.
func (tx *Tx) ArchiveOrganization(ctx context.Context, id string, at any) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE organizations SET archived_at = $2, updated_at = $2 WHERE id = $1`, id, at)
	return mapErr(err)
}

// CountLiveChildren counts the organizations directly under id that are
// not archived.
func (tx *Tx) CountLiveChildOrganizations(ctx context.Context, id string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM organizations WHERE parent_id = $1 AND archived_at IS NULL`, id).Scan(&n)
	return n, mapErr(err)
}

// ListOrganizations lists organizations inside f.OrgPath (all when empty),
// ordered by name, one page at a time.
func (s *Store) ListOrganizations(ctx context.Context, f isms.ListFilter) ([]isms.Organization, error) {
	w := newWhere()
	if f.OrgPath != "" {
		lo, hi := subtreeRange(f.OrgPath)
		w.add("path >= ?", lo)
		w.add("path < ?", hi)
	}
	if f.ParentID != "" {
		w.add("parent_id = ?", f.ParentID)
	}
	w.archived(f.Status)
	if f.Text != "" {
		w.add(`(lower(name) LIKE ? ESCAPE '\' OR lower(short_name) LIKE ? ESCAPE '\' OR credit_code LIKE ? ESCAPE '\')`,
			like(f.Text), like(f.Text), like(f.Text))
	}
	w.after(f.After)
	q := `SELECT ` + orgColumns + ` FROM organizations` + w.sql() + ` ORDER BY name, id LIMIT ` + w.limit(f.Limit)
	rows, err := s.read.QueryContext(ctx, q, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Organization
	for rows.Next() {
		var o isms.Organization
		if err := scanOrg(rows, &o); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, o)
	}
	return out, mapErr(rows.Err())
}

// SecuritySettings reads an organization's sign-in rules, with the
// defaults for anything it has not set.
func getSecuritySettings(ctx context.Context, q queryer, orgID string) (isms.SecuritySettings, error) {
	var raw string
	if err := q.QueryRowContext(ctx, `SELECT security_settings FROM organizations WHERE id = $1`, orgID).Scan(&raw); err != nil {
		return isms.SecuritySettings{}, notFound(err, "organization")
	}
	s := isms.DefaultSecuritySettings()
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return s, isms.Internal(fmt.Errorf("organization %s security settings: %w", orgID, err))
	}
	return s, nil
}

// SecuritySettings reads an organization's sign-in rules.
func (s *Store) SecuritySettings(ctx context.Context, orgID string) (isms.SecuritySettings, error) {
	return getSecuritySettings(ctx, s.read, orgID)
}

// SecuritySettings reads an organization's sign-in rules in the transaction.
func (tx *Tx) SecuritySettings(ctx context.Context, orgID string) (isms.SecuritySettings, error) {
	return getSecuritySettings(ctx, tx.tx, orgID)
}

// SetSecuritySettings stores an organization's sign-in rules.
func (tx *Tx) SetSecuritySettings(ctx context.Context, orgID string, s isms.SecuritySettings, at any) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return isms.Internal(err)
	}
	_, err = tx.tx.ExecContext(ctx, `UPDATE organizations SET security_settings = $2, updated_at = $3 WHERE id = $1`, orgID, string(raw), at)
	return mapErr(err)
}

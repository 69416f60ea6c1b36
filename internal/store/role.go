package store

import (
	"context"
	"time"

	"openisms/internal/isms"
)

const grantColumns = `id, org_id, account_id, role, status, granted_by, granted_at, coalesce(approval_id, ''), revoked_by, revoked_at`

func scanGrant(row interface{ Scan(...any) error }, g *isms.RoleGrant) error {
	var revoked nullTimeCol
	err := row.Scan(&g.ID, &g.OrgID, &g.AccountID, &g.Role, &g.Status, &g.GrantedBy, &g.GrantedAt, &g.ApprovalID,
		&g.RevokedBy, &revoked)
	g.RevokedAt = revoked.ptr()
	g.GrantedAt = isms.Normalize(g.GrantedAt)
	return err
}

func activeRoles(ctx context.Context, q queryer, accountID string) ([]isms.Role, error) {
	rows, err := q.QueryContext(ctx, `SELECT role FROM role_grants WHERE account_id = $1 AND status = 'active' ORDER BY role`, accountID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Role
	for rows.Next() {
		var r isms.Role
		if err := rows.Scan(&r); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// ActiveRoles returns the roles an account holds now.
func (s *Store) ActiveRoles(ctx context.Context, accountID string) ([]isms.Role, error) {
	return activeRoles(ctx, s.read, accountID)
}

// ActiveRoles returns the roles an account holds now, in the transaction.
func (tx *Tx) ActiveRoles(ctx context.Context, accountID string) ([]isms.Role, error) {
	return activeRoles(ctx, tx.tx, accountID)
}

// LiveRolesOfPerson returns the active and pending roles of every live
// account of a person (or of one account when personID is empty), for the
// 三员 exclusivity check.
func (tx *Tx) LiveRolesOfPerson(ctx context.Context, accountID, personID string) ([]isms.Role, error) {
	q := `SELECT g.role FROM role_grants g WHERE g.status <> 'revoked' AND (g.account_id = $1`
	args := []any{accountID}
	if personID != "" {
		q += ` OR g.account_id IN (SELECT id FROM accounts WHERE person_id = $2 AND archived_at IS NULL)`
		args = append(args, personID)
	}
	rows, err := tx.tx.QueryContext(ctx, q+`)`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Role
	for rows.Next() {
		var r isms.Role
		if err := rows.Scan(&r); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// CreateGrant inserts a role grant.
func (tx *Tx) CreateGrant(ctx context.Context, g *isms.RoleGrant) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO role_grants (id, org_id, account_id, role, status, granted_by, granted_at, approval_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		g.ID, g.OrgID, g.AccountID, g.Role, g.Status, g.GrantedBy, g.GrantedAt, nullStr(g.ApprovalID))
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("role", isms.M("role.already_held"))
	}
	return mapErr(err)
}

// Grant reads one grant.
func (tx *Tx) Grant(ctx context.Context, id string) (isms.RoleGrant, error) {
	var g isms.RoleGrant
	if err := scanGrant(tx.tx.QueryRowContext(ctx, `SELECT `+grantColumns+` FROM role_grants WHERE id = $1`, id), &g); err != nil {
		return g, notFound(err, "role_grant")
	}
	return g, nil
}

// LiveGrant finds the pending or active grant of a role to an account.
func (tx *Tx) LiveGrant(ctx context.Context, accountID string, role isms.Role) (isms.RoleGrant, error) {
	var g isms.RoleGrant
	err := scanGrant(tx.tx.QueryRowContext(ctx, `SELECT `+grantColumns+` FROM role_grants
		WHERE account_id = $1 AND role = $2 AND status <> 'revoked'`, accountID, role), &g)
	if err != nil {
		return g, notFound(err, "role_grant")
	}
	return g, nil
}

// SetGrantStatus activates or revokes a grant.
func (tx *Tx) SetGrantStatus(ctx context.Context, id string, status isms.GrantStatus, by string, at time.Time) error {
	var err error
	if status == isms.GrantRevoked {
		_, err = tx.tx.ExecContext(ctx, `UPDATE role_grants SET status = $2, revoked_by = $3, revoked_at = $4 WHERE id = $1`, id, status, by, at)
	} else {
		_, err = tx.tx.ExecContext(ctx, `UPDATE role_grants SET status = $2 WHERE id = $1`, id, status)
	}
	return mapErr(err)
}

// ListGrants lists an account's grants, live first.
func (s *Store) ListGrants(ctx context.Context, accountID string) ([]isms.RoleGrant, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+grantColumns+` FROM role_grants WHERE account_id = $1
		ORDER BY CASE status WHEN 'revoked' THEN 1 ELSE 0 END, granted_at DESC LIMIT 200`, accountID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.RoleGrant
	for rows.Next() {
		var g isms.RoleGrant
		if err := scanGrant(rows, &g); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, g)
	}
	return out, mapErr(rows.Err())
}

// CountRoleHolders counts the active holders of a role in an organization.
func (tx *Tx) CountRoleHolders(ctx context.Context, orgID string, role isms.Role) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM role_grants g JOIN accounts a ON a.id = g.account_id
		WHERE g.org_id = $1 AND g.role = $2 AND g.status = 'active' AND a.archived_at IS NULL`, orgID, role).Scan(&n)
	return n, mapErr(err)
}

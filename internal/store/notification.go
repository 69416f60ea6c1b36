package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"openisms/internal/isms"
)

// CreateNotification puts a message in an account's inbox.
func (tx *Tx) CreateNotification(ctx context.Context, n *isms.Notification) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO notifications (id, org_id, account_id, kind, title, body, link, task_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		n.ID, n.OrgID, n.AccountID, n.Kind, n.Title, n.Body, n.Link, nullStr(n.TaskID), n.CreatedAt)
	return mapErr(err)
}

// ListNotifications lists an account's inbox, newest first.
func (s *Store) ListNotifications(ctx context.Context, accountID string, unreadOnly bool, limit int) ([]isms.Notification, error) {
	w := newWhere()
	w.add("account_id = ?", accountID)
	if unreadOnly {
		w.add("read_at IS NULL")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, org_id, account_id, kind, title, body, link, coalesce(task_id, ''),
		created_at, read_at FROM notifications`+w.sql()+` ORDER BY created_at DESC, id LIMIT `+w.limit(limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Notification
	for rows.Next() {
		var n isms.Notification
		var read nullTimeCol
		if err := rows.Scan(&n.ID, &n.OrgID, &n.AccountID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.TaskID, &n.CreatedAt, &read); err != nil {
			return nil, mapErr(err)
		}
		n.ReadAt = read.ptr()
		n.CreatedAt = isms.Normalize(n.CreatedAt)
		out = append(out, n)
	}
	return out, mapErr(rows.Err())
}

// UnreadCount counts an account's unread notifications.
func (s *Store) UnreadCount(ctx context.Context, accountID string) (int, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL`, accountID).Scan(&n)
	return n, mapErr(err)
}

// MarkRead marks one (id) or all (id "") of an account's notifications read.
func (tx *Tx) MarkRead(ctx context.Context, accountID, id string, at time.Time) (int64, error) {
	q := `UPDATE notifications SET read_at = $2 WHERE account_id = $1 AND read_at IS NULL`
	args := []any{accountID, at}
	if id != "" {
		q += ` AND id = $3`
		args = append(args, id)
	}
	res, err := tx.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return res.RowsAffected()
}

// RoleHolders lists the live accounts holding role in an organization.
func (tx *Tx) RoleHolders(ctx context.Context, orgID string, role isms.Role) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT g.account_id FROM role_grants g JOIN accounts a ON a.id = g.account_id
		WHERE g.org_id = $1 AND g.role = $2 AND g.status = 'active' AND a.archived_at IS NULL ORDER BY g.account_id`, orgID, role)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, id)
	}
	return out, mapErr(rows.Err())
}

// DepartmentHeadAccount returns the live account of a department's head,
// or "" when the department has no head or the head has no account.
func (tx *Tx) DepartmentHeadAccount(ctx context.Context, deptID string) (string, error) {
	var id string
	err := tx.tx.QueryRowContext(ctx, `SELECT a.id FROM departments d JOIN accounts a ON a.person_id = d.head_person_id
		WHERE d.id = $1 AND a.archived_at IS NULL ORDER BY a.id LIMIT 1`, deptID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, mapErr(err)
}

// RoleHolderMap lists, by role, the live accounts of an organization
// holding each role.
func (s *Store) RoleHolderMap(ctx context.Context, orgID string) (map[isms.Role][]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT g.role, g.account_id FROM role_grants g JOIN accounts a ON a.id = g.account_id
		WHERE g.org_id = $1 AND g.status = 'active' AND a.archived_at IS NULL ORDER BY g.role, a.username`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[isms.Role][]string{}
	for rows.Next() {
		var role, id string
		if err := rows.Scan(&role, &id); err != nil {
			return nil, mapErr(err)
		}
		out[isms.Role(role)] = append(out[isms.Role(role)], id)
	}
	return out, mapErr(rows.Err())
}

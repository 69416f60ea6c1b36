package store

import (
	"context"
	"strings"
	"time"

	"openisms/internal/isms"
)

const accountColumns = `id, org_id, coalesce(person_id, ''), username, display_name, privileged, must_change_password,
	password_hash, password_changed_at, failed_attempts, locked_until, last_sign_in_at, last_sign_in_ip,
	created_at, updated_at, archived_at, language, totp_secret <> '', notify_email`

func scanAccount(row interface{ Scan(...any) error }, a *isms.Account) error {
	var locked, last, archived nullTimeCol
	err := row.Scan(&a.ID, &a.OrgID, &a.PersonID, &a.Username, &a.DisplayName, &a.Privileged, &a.MustChangePassword,
		&a.PasswordHash, &a.PasswordChangedAt, &a.FailedAttempts, &locked, &last, &a.LastSignInIP,
		&a.CreatedAt, &a.UpdatedAt, &archived, &a.Language, &a.TOTPEnabled, &a.NotifyEmail)
	a.LockedUntil, a.LastSignInAt, a.ArchivedAt = locked.ptr(), last.ptr(), archived.ptr()
	a.PasswordChangedAt = isms.Normalize(a.PasswordChangedAt)
	a.CreatedAt, a.UpdatedAt = isms.Normalize(a.CreatedAt), isms.Normalize(a.UpdatedAt)
	return err
}

func getAccount(ctx context.Context, q queryer, id string) (isms.Account, error) {
	var a isms.Account
	if err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id), &a); err != nil {
		return a, notFound(err, "account")
	}
	return a, nil
}

// Account reads one account, archived or not.
func (s *Store) Account(ctx context.Context, id string) (isms.Account, error) {
	return getAccount(ctx, s.read, id)
}

// Account reads one account inside the transaction.
func (tx *Tx) Account(ctx context.Context, id string) (isms.Account, error) {
	return getAccount(ctx, tx.tx, id)
}

// AccountByUsername finds an account by sign-in name, in any letter case.
func (s *Store) AccountByUsername(ctx context.Context, username string) (isms.Account, error) {
	return getAccountByUsername(ctx, s.read, username)
}

// AccountByUsername finds an account by sign-in name inside the transaction.
func (tx *Tx) AccountByUsername(ctx context.Context, username string) (isms.Account, error) {
	return getAccountByUsername(ctx, tx.tx, username)
}

func getAccountByUsername(ctx context.Context, q queryer, username string) (isms.Account, error) {
	var a isms.Account
	err := scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE username_lower = $1`,
		strings.ToLower(username)), &a)
	if err != nil {
		return a, notFound(err, "account")
	}
	return a, nil
}

// CreateAccount inserts a; ID, hash and times must be set.
func (tx *Tx) CreateAccount(ctx context.Context, a *isms.Account) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO accounts (id, org_id, person_id, username, username_lower, display_name,
		privileged, must_change_password, password_hash, password_changed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		a.ID, a.OrgID, nullStr(a.PersonID), a.Username, strings.ToLower(a.Username), a.DisplayName,
		a.Privileged, a.MustChangePassword, a.PasswordHash, a.PasswordChangedAt, a.CreatedAt, a.UpdatedAt)
	return mapErr(err)
}

// UpdateAccount writes the profile fields of a.
func (tx *Tx) UpdateAccount(ctx context.Context, a *isms.Account) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET person_id = $2, display_name = $3, privileged = $4,
		updated_at = $5 WHERE id = $1`, a.ID, nullStr(a.PersonID), a.DisplayName, a.Privileged, a.UpdatedAt)
	return mapErr(err)
}

// SetLanguage stores an account's UI language.
func (tx *Tx) SetLanguage(ctx context.Context, id, lang string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET language = $2 WHERE id = $1`, id, lang)
	return mapErr(err)
}

// SetPassword stores a new password hash, remembers the old one in the
// history and clears any lockout.
func (tx *Tx) SetPassword(ctx context.Context, a *isms.Account, at time.Time) error {
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO password_history (account_id, password_hash, changed_at)
		SELECT id, password_hash, $2 FROM accounts WHERE id = $1`, a.ID, at); err != nil {
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $2, password_changed_at = $3,
		must_change_password = $4, failed_attempts = 0, locked_until = NULL, updated_at = $3 WHERE id = $1`,
		a.ID, a.PasswordHash, at, a.MustChangePassword)
	return mapErr(err)
}

// PasswordHistory returns the account's most recent previous hashes.
func (tx *Tx) PasswordHistory(ctx context.Context, accountID string, n int) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT password_hash FROM password_history WHERE account_id = $1
		ORDER BY changed_at DESC LIMIT $2`, accountID, n)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, h)
	}
	return out, mapErr(rows.Err())
}

// RecordSignIn notes a failed or successful attempt: the failure counter,
// the lock, and the last successful sign-in.
func (tx *Tx) RecordSignIn(ctx context.Context, a *isms.Account) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET failed_attempts = $2, locked_until = $3,
		last_sign_in_at = $4, last_sign_in_ip = $5 WHERE id = $1`,
		a.ID, a.FailedAttempts, timePtr(a.LockedUntil), timePtr(a.LastSignInAt), a.LastSignInIP)
	return mapErr(err)
}

// ArchiveAccount disables an account and ends its sessions.
func (tx *Tx) ArchiveAccount(ctx context.Context, id string, at any) error {
	if _, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET archived_at = $2, updated_at = $2 WHERE id = $1`, id, at); err != nil {
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1`, id)
	return mapErr(err)
}

// ListAccounts lists the accounts of f.OrgID (all organizations when
// empty, for the CLI) ordered by username.
func (s *Store) ListAccounts(ctx context.Context, f isms.ListFilter) ([]isms.Account, error) {
	w := newWhere()
	if f.OrgID != "" {
		w.add("org_id = ?", f.OrgID)
	}
	w.archived(f.Status)
	if f.Text != "" {
		w.add(`(username_lower LIKE ? ESCAPE '\' OR lower(display_name) LIKE ? ESCAPE '\')`, like(f.Text), like(f.Text))
	}
	if f.After.ID != "" {
		w.add("(username_lower > ? OR (username_lower = ? AND id > ?))", f.After.Name, f.After.Name, f.After.ID)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts`+w.sql()+
		` ORDER BY username_lower, id LIMIT `+w.limit(f.Limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Account
	for rows.Next() {
		var a isms.Account
		if err := scanAccount(rows, &a); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, a)
	}
	return out, mapErr(rows.Err())
}

// AccountOfPerson reads a person's live account.
func (tx *Tx) AccountOfPerson(ctx context.Context, personID string) (isms.Account, error) {
	var a isms.Account
	err := scanAccount(tx.tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE person_id = $1 AND archived_at IS NULL`, personID), &a)
	return a, notFound(err, "account")
}

// AccountName is an account as pickers show it.
type AccountName struct {
	ID, Username, Name string
}

// AccountNames lists an organization's live accounts by username.
func (s *Store) AccountNames(ctx context.Context, orgID string) ([]AccountName, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.username, coalesce(p.name, a.display_name, '') FROM accounts a
		LEFT JOIN people p ON p.id = a.person_id WHERE a.org_id = $1 AND a.archived_at IS NULL ORDER BY a.username LIMIT 5000`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []AccountName
	for rows.Next() {
		var n AccountName
		if err := rows.Scan(&n.ID, &n.Username, &n.Name); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, n)
	}
	return out, mapErr(rows.Err())
}

// AccountLabels names an organization's accounts for display, by ID: the
// person's (or display) name with the username, or the username alone.
// IDs that are not the organization's accounts are left out.
func (s *Store) AccountLabels(ctx context.Context, orgID string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		w := newWhere()
		w.args = append(w.args, orgID)
		rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.username, coalesce(p.name, a.display_name, '') FROM accounts a
			LEFT JOIN people p ON p.id = a.person_id WHERE a.org_id = $1 AND a.id IN (`+placeholders(w, part)+`)`, w.args...)
		if err != nil {
			return nil, mapErr(err)
		}
		for rows.Next() {
			var id, username, name string
			if err := rows.Scan(&id, &username, &name); err != nil {
				rows.Close()
				return nil, mapErr(err)
			}
			out[id] = username
			if name != "" && name != username {
				out[id] = name + "（" + username + "）"
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, mapErr(err)
		}
	}
	return out, nil
}

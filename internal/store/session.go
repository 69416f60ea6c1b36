package store

import (
	"context"
	"time"

	"openisms/internal/isms"
)

// CreateSession inserts a session; s.ID is the hash of its token.
func (tx *Tx) CreateSession(ctx context.Context, s *isms.Session) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO sessions (id, account_id, org_id, created_at, last_seen_at, expires_at,
		idle_seconds, ip, user_agent, password_change, totp_setup) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		s.ID, s.AccountID, s.OrgID, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, int64(s.IdleTimeout/time.Second),
		s.IP, s.UserAgent, s.PasswordChange, s.TOTPSetup)
	return mapErr(err)
}

// SessionHolder is what resolving a session to an actor needs of its
// account: every signed-in page asks, so it comes with the session in one
// query.
type SessionHolder struct {
	Username, Language string
	OrgID, OrgPath     string // the account's organization
	Archived           bool
}

// SessionWithHolder reads a session by the hash of its token, with its
// account's name, language and state and its organization's path.
func (s *Store) SessionWithHolder(ctx context.Context, id string) (isms.Session, SessionHolder, error) {
	var x isms.Session
	var h SessionHolder
	var idle int64
	var archived nullTimeCol
	err := s.read.QueryRowContext(ctx, `SELECT s.id, s.account_id, s.org_id, s.created_at, s.last_seen_at, s.expires_at,
		s.idle_seconds, s.ip, s.user_agent, s.password_change, s.totp_setup, a.username, a.language, a.archived_at, a.org_id, o.path
		FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN organizations o ON o.id = a.org_id
		WHERE s.id = $1`, id).Scan(&x.ID, &x.AccountID, &x.OrgID, &x.CreatedAt, &x.LastSeenAt, &x.ExpiresAt, &idle, &x.IP,
		&x.UserAgent, &x.PasswordChange, &x.TOTPSetup, &h.Username, &h.Language, &archived, &h.OrgID, &h.OrgPath)
	if err != nil {
		return x, h, notFound(err, "session")
	}
	h.Archived = archived.ptr() != nil
	x.IdleTimeout = time.Duration(idle) * time.Second
	x.CreatedAt, x.LastSeenAt, x.ExpiresAt = isms.Normalize(x.CreatedAt), isms.Normalize(x.LastSeenAt), isms.Normalize(x.ExpiresAt)
	return x, h, nil
}

// TouchSession moves a session's idle clock forward. It runs outside any
// service transaction: the last-seen time is bookkeeping, not a change of
// state for the trail.
func (s *Store) TouchSession(ctx context.Context, id string, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE id = $1`, id, at)
	return mapErr(err)
}

// DeleteSession ends one session.
func (tx *Tx) DeleteSession(ctx context.Context, id string) error {
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id)
	return mapErr(err)
}

// DeleteAccountSessions ends every session of an account except keep.
func (tx *Tx) DeleteAccountSessions(ctx context.Context, accountID, keep string) error {
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND id <> $2`, accountID, keep)
	return mapErr(err)
}

// ClearPasswordChange lifts the password-change restriction of every
// session of an account.
func (tx *Tx) ClearPasswordChange(ctx context.Context, accountID string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE sessions SET password_change = FALSE WHERE account_id = $1`, accountID)
	return mapErr(err)
}

// DeleteExpiredSessions removes sessions past their absolute expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, mapErr(err)
	}
	return res.RowsAffected()
}

// ClearTOTPSetup lifts the enrolment restriction of an account's sessions.
func (tx *Tx) ClearTOTPSetup(ctx context.Context, accountID string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE sessions SET totp_setup = FALSE WHERE account_id = $1`, accountID)
	return mapErr(err)
}

package store

import (
	"context"
	"time"

	"openisms/internal/isms"
)

const tokenColumns = `id, account_id, org_id, name, prefix, hash, created_at, expires_at, last_used_at, revoked_at`

func scanToken(row interface{ Scan(...any) error }, t *isms.APIToken) error {
	var exp, used, revoked nullTimeCol
	err := row.Scan(&t.ID, &t.AccountID, &t.OrgID, &t.Name, &t.Prefix, &t.Hash, &t.CreatedAt, &exp, &used, &revoked)
	t.ExpiresAt, t.LastUsedAt, t.RevokedAt = exp.ptr(), used.ptr(), revoked.ptr()
	t.CreatedAt = isms.Normalize(t.CreatedAt)
	return err
}

// CreateToken inserts an API token.
func (tx *Tx) CreateToken(ctx context.Context, t *isms.APIToken) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO api_tokens (id, account_id, org_id, name, prefix, hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		t.ID, t.AccountID, t.OrgID, t.Name, t.Prefix, t.Hash, t.CreatedAt, timePtr(t.ExpiresAt))
	return mapErr(err)
}

// TokenByHash finds a token by the hash of its secret.
func (tx *Tx) TokenByHash(ctx context.Context, hash string) (isms.APIToken, error) {
	var t isms.APIToken
	if err := scanToken(tx.tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1`, hash), &t); err != nil {
		return t, notFound(err, "token")
	}
	return t, nil
}

// Token reads a token by ID inside the transaction.
func (tx *Tx) Token(ctx context.Context, id string) (isms.APIToken, error) {
	var t isms.APIToken
	if err := scanToken(tx.tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id), &t); err != nil {
		return t, notFound(err, "token")
	}
	return t, nil
}

// TouchToken records that a token was used.
func (tx *Tx) TouchToken(ctx context.Context, id string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, at)
	return mapErr(err)
}

// RevokeToken marks a token revoked.
func (tx *Tx) RevokeToken(ctx context.Context, id string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1`, id, at)
	return mapErr(err)
}

// ListTokens lists the tokens of an account, newest first.
func (s *Store) ListTokens(ctx context.Context, accountID string) ([]isms.APIToken, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE account_id = $1
		ORDER BY created_at DESC, id LIMIT 500`, accountID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.APIToken
	for rows.Next() {
		var t isms.APIToken
		if err := scanToken(rows, &t); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

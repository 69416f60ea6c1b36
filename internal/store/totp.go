package store

import (
	"context"
	"time"
)

// TOTPState is an account's one-time password secret, the secret of an
// enrolment not yet confirmed, and the last time step accepted (a code is
// never accepted twice).
type TOTPState struct {
	Secret, Pending string
	LastStep        int64
}

// TOTP reads an account's one-time password state.
func (tx *Tx) TOTP(ctx context.Context, accountID string) (TOTPState, error) {
	var st TOTPState
	err := tx.tx.QueryRowContext(ctx, `SELECT totp_secret, totp_pending, totp_last_step FROM accounts WHERE id = $1`, accountID).
		Scan(&st.Secret, &st.Pending, &st.LastStep)
	if err != nil {
		return st, notFound(err, "account")
	}
	return st, nil
}

// SetTOTPPending stores a secret waiting for its first code.
func (tx *Tx) SetTOTPPending(ctx context.Context, accountID, secret string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET totp_pending = $2 WHERE id = $1`, accountID, secret)
	return mapErr(err)
}

// EnableTOTP makes the pending secret the account's secret.
func (tx *Tx) EnableTOTP(ctx context.Context, accountID string, step int64) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = totp_pending, totp_pending = '', totp_last_step = $2
		WHERE id = $1`, accountID, step)
	return mapErr(err)
}

// ResetTOTP removes an account's secret and recovery codes (a lost device).
func (tx *Tx) ResetTOTP(ctx context.Context, accountID string) error {
	if _, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET totp_secret = '', totp_pending = '', totp_last_step = 0 WHERE id = $1`, accountID); err != nil {
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = $1`, accountID)
	return mapErr(err)
}

// SetTOTPStep records the last accepted time step.
func (tx *Tx) SetTOTPStep(ctx context.Context, accountID string, step int64) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET totp_last_step = $2 WHERE id = $1`, accountID, step)
	return mapErr(err)
}

// ReplaceRecoveryCodes stores new recovery code hashes, dropping the old.
func (tx *Tx) ReplaceRecoveryCodes(ctx context.Context, accountID string, hashes []string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = $1`, accountID); err != nil {
		return mapErr(err)
	}
	for _, h := range hashes {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO recovery_codes (account_id, code_hash) VALUES ($1, $2)`, accountID, h); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// UseRecoveryCode marks an unused code used and reports whether it was.
func (tx *Tx) UseRecoveryCode(ctx context.Context, accountID, hash string, at time.Time) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $3 WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL`,
		accountID, hash, at)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, mapErr(err)
}

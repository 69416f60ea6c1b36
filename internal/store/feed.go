package store

import (
	"context"
	"time"
)

// CreateFeed stores a calendar feed's hash, revoking the account's
// earlier feeds: one live secret URL per person.
func (tx *Tx) CreateFeed(ctx context.Context, id, accountID, hash string, at time.Time) error {
	if err := tx.RevokeFeeds(ctx, accountID, at); err != nil {
		return err
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO calendar_feeds (id, account_id, hash, created_at) VALUES ($1, $2, $3, $4)`,
		id, accountID, hash, at)
	return mapErr(err)
}

// RevokeFeeds ends every live feed of an account.
func (tx *Tx) RevokeFeeds(ctx context.Context, accountID string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE calendar_feeds SET revoked_at = $2 WHERE account_id = $1 AND revoked_at IS NULL`, accountID, at)
	return mapErr(err)
}

// FeedAccount finds the account of a live feed by the hash of its secret.
func (s *Store) FeedAccount(ctx context.Context, hash string) (string, error) {
	var id string
	err := s.read.QueryRowContext(ctx, `SELECT account_id FROM calendar_feeds WHERE hash = $1 AND revoked_at IS NULL`, hash).Scan(&id)
	if err != nil {
		return "", notFound(err, "feed")
	}
	return id, nil
}

// HasFeed reports whether an account has a live feed.
func (s *Store) HasFeed(ctx context.Context, accountID string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM calendar_feeds WHERE account_id = $1 AND revoked_at IS NULL`, accountID).Scan(&n)
	return n > 0, mapErr(err)
}

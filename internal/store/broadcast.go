package store

import (
	"context"
	"database/sql"
	"time"

	"openisms/internal/isms"
)

// Broadcasts from supervising bodies, their targets and readers.

const broadcastSelect = `SELECT b.id, b.org_id, b.kind, b.title, b.body, b.created_by, b.created_at, o.name,
	(SELECT count(*) FROM broadcast_targets t WHERE t.broadcast_id = b.id),
	(SELECT count(DISTINCT r.org_id) FROM broadcast_reads r WHERE r.broadcast_id = b.id)`

func queryBroadcasts(ctx context.Context, q queryer, account, where string, args ...any) ([]isms.Broadcast, error) {
	sel := broadcastSelect + `, NULL`
	if account != "" {
		args = append(args, account)
		sel = broadcastSelect + `, (SELECT r.read_at FROM broadcast_reads r WHERE r.broadcast_id = b.id AND r.account_id = $` +
			itoa(len(args)) + `)`
	}
	rows, err := q.QueryContext(ctx, sel+` FROM broadcasts b JOIN organizations o ON o.id = b.org_id `+where+
		` ORDER BY b.created_at DESC, b.id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Broadcast{}
	for rows.Next() {
		var b isms.Broadcast
		var read sql.NullTime
		if err := rows.Scan(&b.ID, &b.OrgID, &b.Kind, &b.Title, &b.Body, &b.CreatedBy, &b.CreatedAt, &b.OrgName, &b.Targets,
			&b.ReadOrgs, &read); err != nil {
			return nil, mapErr(err)
		}
		b.ReadAt = nullTime(read)
		out = append(out, b)
	}
	return out, mapErr(rows.Err())
}

// CreateBroadcast stores a broadcast and the organizations it goes to.
func (tx *Tx) CreateBroadcast(ctx context.Context, b *isms.Broadcast, targets []string) error {
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO broadcasts (id, org_id, kind, title, body, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, b.ID, b.OrgID, b.Kind, b.Title, b.Body, b.CreatedBy, b.CreatedAt); err != nil {
		return mapErr(err)
	}
	for _, org := range targets {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO broadcast_targets (broadcast_id, org_id) VALUES ($1, $2)`, b.ID, org); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// BroadcastsSent lists an organization's broadcasts, newest first.
func (s *Store) BroadcastsSent(ctx context.Context, orgID string) ([]isms.Broadcast, error) {
	return queryBroadcasts(ctx, s.read, "", `WHERE b.org_id = $1`, orgID)
}

// BroadcastsTo lists the broadcasts sent to an organization, with when
// the account read each.
func (s *Store) BroadcastsTo(ctx context.Context, orgID, accountID string) ([]isms.Broadcast, error) {
	if !isms.ValidID(accountID) {
		accountID = ""
	}
	return queryBroadcasts(ctx, s.read, accountID, `WHERE b.id IN (SELECT broadcast_id FROM broadcast_targets WHERE org_id = $1)`, orgID)
}

// Broadcast reads one broadcast.
func (s *Store) Broadcast(ctx context.Context, id, accountID string) (isms.Broadcast, error) {
	if !isms.ValidID(accountID) {
		accountID = ""
	}
	bs, err := queryBroadcasts(ctx, s.read, accountID, `WHERE b.id = $1`, id)
	return one(bs, err, "broadcast")
}

// BroadcastTargeted reports whether a broadcast went to an organization.
func (s *Store) BroadcastTargeted(ctx context.Context, id, orgID string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM broadcast_targets WHERE broadcast_id = $1 AND org_id = $2`, id, orgID).Scan(&n)
	return n > 0, mapErr(err)
}

// MarkBroadcastRead records that an account read a broadcast, once;
// it reports whether this was the first time.
func (tx *Tx) MarkBroadcastRead(ctx context.Context, id, accountID, orgID string, at any) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `INSERT INTO broadcast_reads (broadcast_id, account_id, org_id, read_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (broadcast_id, account_id) DO NOTHING`, id, accountID, orgID, at)
	n, err := affected(res, err)
	return n > 0, err
}

// Receipts lists a broadcast's organizations by name with their readers.
func (s *Store) Receipts(ctx context.Context, id string) ([]isms.Receipt, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT t.org_id, o.name FROM broadcast_targets t JOIN organizations o ON o.id = t.org_id
		WHERE t.broadcast_id = $1 ORDER BY o.name, t.org_id`, id)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Receipt{}
	at := map[string]int{}
	for rows.Next() {
		var r isms.Receipt
		if err := rows.Scan(&r.OrgID, &r.OrgName); err != nil {
			return nil, mapErr(err)
		}
		at[r.OrgID] = len(out)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	reads, err := s.read.QueryContext(ctx, `SELECT r.org_id, a.username, r.read_at FROM broadcast_reads r
		JOIN accounts a ON a.id = r.account_id WHERE r.broadcast_id = $1 ORDER BY r.read_at`, id)
	if err != nil {
		return nil, mapErr(err)
	}
	defer reads.Close()
	for reads.Next() {
		var org, who string
		var when time.Time
		if err := reads.Scan(&org, &who, &when); err != nil {
			return nil, mapErr(err)
		}
		i, ok := at[org]
		if !ok {
			continue
		}
		r := &out[i]
		if r.FirstReadAt == nil {
			r.FirstReadAt, r.FirstReader = &when, who
		}
		r.Readers++
	}
	return out, mapErr(reads.Err())
}

package store

import (
	"context"
	"time"

	"openisms/internal/isms"
)

const channelColumns = `id, org_id, kind, name, config, carries, enabled, created_at, updated_at`

func scanChannel(row interface{ Scan(...any) error }, c *isms.Channel) error {
	err := row.Scan(&c.ID, &c.OrgID, &c.Kind, &c.Name, &c.Config, &c.Carries, &c.Enabled, &c.CreatedAt, &c.UpdatedAt)
	c.CreatedAt, c.UpdatedAt = isms.Normalize(c.CreatedAt), isms.Normalize(c.UpdatedAt)
	return err
}

// CreateChannel inserts a channel.
func (tx *Tx) CreateChannel(ctx context.Context, c *isms.Channel) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO channels (`+channelColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		c.ID, c.OrgID, c.Kind, c.Name, c.Config, c.Carries, c.Enabled, c.CreatedAt, c.UpdatedAt)
	return mapErr(err)
}

// SetChannelEnabled turns a channel on or off.
func (tx *Tx) SetChannelEnabled(ctx context.Context, id string, on bool, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE channels SET enabled = $2, updated_at = $3 WHERE id = $1`, id, on, at)
	return mapErr(err)
}

func listChannels(ctx context.Context, q queryer, orgID string) ([]isms.Channel, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+channelColumns+` FROM channels WHERE org_id = $1 ORDER BY kind, name, id`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Channel
	for rows.Next() {
		var c isms.Channel
		if err := scanChannel(rows, &c); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// ListChannels lists an organization's channels.
func (s *Store) ListChannels(ctx context.Context, orgID string) ([]isms.Channel, error) {
	return listChannels(ctx, s.read, orgID)
}

// Channels lists an organization's channels in the transaction.
func (tx *Tx) Channels(ctx context.Context, orgID string) ([]isms.Channel, error) {
	return listChannels(ctx, tx.tx, orgID)
}

// Channel reads one channel.
func (s *Store) Channel(ctx context.Context, id string) (isms.Channel, error) {
	var c isms.Channel
	if err := scanChannel(s.read.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM channels WHERE id = $1`, id), &c); err != nil {
		return c, notFound(err, "channel")
	}
	return c, nil
}

// EmailOf returns an account's email address and whether it wants email:
// the address of the person the account belongs to.
func (tx *Tx) EmailOf(ctx context.Context, accountID string) (string, bool, error) {
	var email string
	var on bool
	err := tx.tx.QueryRowContext(ctx, `SELECT coalesce(p.email, ''), a.notify_email FROM accounts a
		LEFT JOIN people p ON p.id = a.person_id WHERE a.id = $1`, accountID).Scan(&email, &on)
	return email, on, mapErr(err)
}

// SetNotifyEmail stores an account's email preference.
func (tx *Tx) SetNotifyEmail(ctx context.Context, accountID string, on bool) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE accounts SET notify_email = $2 WHERE id = $1`, accountID, on)
	return mapErr(err)
}

// QueueDelivery adds a pending delivery.
func (tx *Tx) QueueDelivery(ctx context.Context, d *isms.Delivery) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO deliveries (id, org_id, channel_id, notification_id, message, status,
		next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)`,
		d.ID, d.OrgID, d.ChannelID, nullStr(d.NotificationID), d.Message, d.NextAttemptAt, d.CreatedAt)
	return mapErr(err)
}

const deliveryColumns = `id, org_id, channel_id, coalesce(notification_id, ''), message, status, attempts, next_attempt_at,
	last_error, created_at, sent_at`

func scanDelivery(row interface{ Scan(...any) error }, d *isms.Delivery) error {
	var sent nullTimeCol
	err := row.Scan(&d.ID, &d.OrgID, &d.ChannelID, &d.NotificationID, &d.Message, &d.Status, &d.Attempts, &d.NextAttemptAt,
		&d.LastError, &d.CreatedAt, &sent)
	d.SentAt = sent.ptr()
	d.NextAttemptAt, d.CreatedAt = isms.Normalize(d.NextAttemptAt), isms.Normalize(d.CreatedAt)
	return err
}

// ClaimDeliveries leases up to limit due deliveries: their next attempt
// moves lease ahead, so a sender that dies mid-send is retried after the
// lease, and two senders never take the same delivery.
func (tx *Tx) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]isms.Delivery, error) {
	q := `SELECT ` + deliveryColumns + ` FROM deliveries WHERE status = 'pending' AND next_attempt_at <= $1
		ORDER BY next_attempt_at LIMIT $2`
	if tx.engine == Postgres {
		q += ` FOR UPDATE SKIP LOCKED`
	}
	rows, err := tx.tx.QueryContext(ctx, q, now, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	var out []isms.Delivery
	for rows.Next() {
		var d isms.Delivery
		if err := scanDelivery(rows, &d); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	for _, d := range out {
		if _, err := tx.tx.ExecContext(ctx, `UPDATE deliveries SET next_attempt_at = $2 WHERE id = $1`, d.ID, now.Add(lease)); err != nil {
			return nil, mapErr(err)
		}
	}
	return out, nil
}

// FinishDelivery records an attempt: sent, to be retried at retryAt, or
// failed for good (retryAt nil).
func (tx *Tx) FinishDelivery(ctx context.Context, id string, sent bool, errText string, at time.Time, retryAt *time.Time) error {
	status := "sent"
	next := at
	switch {
	case sent:
	case retryAt != nil:
		status, next = "pending", *retryAt
	default:
		status = "failed"
	}
	var sentAt any
	if sent {
		sentAt = at
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE deliveries SET status = $2, attempts = attempts + 1, last_error = $3,
		next_attempt_at = $4, sent_at = $5 WHERE id = $1`, id, status, errText, next, sentAt)
	return mapErr(err)
}

// ListDeliveries lists an organization's delivery log, newest first.
func (s *Store) ListDeliveries(ctx context.Context, orgID, status string, limit int) ([]isms.Delivery, error) {
	w := newWhere()
	w.add("org_id = ?", orgID)
	if status != "" {
		w.add("status = ?", status)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries`+w.sql()+
		` ORDER BY created_at DESC, id LIMIT `+w.limit(limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Delivery
	for rows.Next() {
		var d isms.Delivery
		if err := scanDelivery(rows, &d); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

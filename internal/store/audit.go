package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"openisms/internal/isms"
	"openisms/internal/trail"
)

// trailLockKey is the PostgreSQL advisory lock that serializes appends to
// the trail across every isms instance on the database.
const trailLockKey = 0x15a5_7a11

const auditColumns = `seq, at, org_id, actor, actor_name, action, entity_type, entity_id, summary, data, ip,
	alg, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }, e *isms.AuditEntry) error {
	err := row.Scan(&e.Seq, &e.At, &e.OrgID, &e.Actor, &e.ActorName, &e.Action, &e.EntityType, &e.EntityID,
		&e.Summary, &e.Data, &e.IP, &e.Alg, &e.PrevHash, &e.Hash)
	e.At = isms.Normalize(e.At)
	return err
}

// AppendAudit links e to the end of the trail and inserts it, in the
// caller's transaction: the entry commits or rolls back with the change it
// records. On SQLite the single writer already serializes appends; on
// PostgreSQL a transaction-scoped advisory lock does.
func (tx *Tx) AppendAudit(ctx context.Context, e *isms.AuditEntry) error {
	if !tx.haveHead {
		if tx.engine == Postgres {
			if _, err := tx.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(trailLockKey)); err != nil {
				return mapErr(fmt.Errorf("lock audit trail: %w", err))
			}
		}
		err := tx.tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&tx.headSeq, &tx.head)
		if err != nil && !errors.Is(err, sql.ErrNoRows) { // no rows: an empty trail starts at genesis
			return mapErr(fmt.Errorf("read audit head: %w", err))
		}
		tx.haveHead = true
	}
	e.Seq = tx.headSeq + 1
	if err := trail.Seal(e, tx.head); err != nil {
		return isms.Internal(err)
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO audit_log (`+auditColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		e.Seq, e.At, e.OrgID, e.Actor, e.ActorName, e.Action, e.EntityType, e.EntityID, e.Summary, e.Data, e.IP,
		e.Alg, e.PrevHash, e.Hash)
	if err != nil {
		return mapErr(fmt.Errorf("append audit entry: %w", err))
	}
	tx.headSeq, tx.head = e.Seq, e.Hash
	return nil
}

// ListAudit lists trail entries newest first, filtered and scoped.
func (s *Store) ListAudit(ctx context.Context, f isms.AuditFilter) ([]isms.AuditEntry, error) {
	w := newWhere()
	if f.OrgPath != "" {
		lo, hi := subtreeRange(f.OrgPath)
		w.add("org_id IN (SELECT id FROM organizations WHERE path >= ? AND path < ?)", lo, hi)
	}
	if f.Actor != "" {
		w.add("actor = ?", f.Actor)
	}
	if f.EntityType != "" {
		w.add("entity_type = ?", f.EntityType)
	}
	if f.EntityID != "" {
		w.add("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		w.add("at >= ?", isms.Normalize(f.From))
	}
	if !f.To.IsZero() {
		w.add("at < ?", isms.Normalize(f.To))
	}
	if f.BeforeSeq > 0 {
		w.add("seq < ?", f.BeforeSeq)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log`+w.sql()+
		` ORDER BY seq DESC LIMIT `+w.limit(f.Limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.AuditEntry
	for rows.Next() {
		var e isms.AuditEntry
		if err := scanAudit(rows, &e); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

// ScanAudit feeds every entry to fn in ascending order, for verification.
func (s *Store) ScanAudit(ctx context.Context, fn func(*isms.AuditEntry) error) error {
	rows, err := s.read.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		e := new(isms.AuditEntry)
		if err := scanAudit(rows, e); err != nil {
			return mapErr(err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

// VerifyAudit walks the whole trail (see trail.Verify).
func (s *Store) VerifyAudit(ctx context.Context) (trail.Result, error) {
	return trail.Verify(ctx, s.ScanAudit)
}

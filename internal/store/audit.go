package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

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
	if f.OrgID != "" {
		w.add("org_id = ?", f.OrgID)
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

// scanAuditRange feeds the entries with lo ≤ seq ≤ hi to fn in order,
// reusing one entry (fn must not keep it).
func (s *Store) scanAuditRange(ctx context.Context, lo, hi int64, fn func(*isms.AuditEntry) error) error {
	if s.Engine == Postgres {
		return s.scanAuditRangePG(ctx, lo, hi, fn)
	}
	// SQLite returns the time as text, parsed here: the driver's general
	// parser costs a fifth of a verification.
	cols := strings.Replace(auditColumns, "seq, at,", "seq, CAST(at AS TEXT),", 1)
	rows, err := s.read.QueryContext(ctx, `SELECT `+cols+` FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq`, lo, hi)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	var e isms.AuditEntry
	var at sqliteTime
	for rows.Next() {
		if err := rows.Scan(&e.Seq, &at, &e.OrgID, &e.Actor, &e.ActorName, &e.Action, &e.EntityType, &e.EntityID,
			&e.Summary, &e.Data, &e.IP, &e.Alg, &e.PrevHash, &e.Hash); err != nil {
			return mapErr(err)
		}
		e.At = at.t
		if err := fn(&e); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}

// scanAuditRangePG reads through pgx directly rather than database/sql:
// for a million rows the generic row path costs more than the hashing.
func (s *Store) scanAuditRangePG(ctx context.Context, lo, hi int64, fn func(*isms.AuditEntry) error) error {
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return mapErr(err)
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return isms.Internal(fmt.Errorf("postgres connection is %T", dc))
		}
		rows, err := pc.Conn().Query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq`, lo, hi)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		var e isms.AuditEntry
		for rows.Next() {
			if err := rows.Scan(&e.Seq, &e.At, &e.OrgID, &e.Actor, &e.ActorName, &e.Action, &e.EntityType, &e.EntityID,
				&e.Summary, &e.Data, &e.IP, &e.Alg, &e.PrevHash, &e.Hash); err != nil {
				return mapErr(err)
			}
			e.At = isms.Normalize(e.At)
			if err := fn(&e); err != nil {
				return err
			}
		}
		return mapErr(rows.Err())
	})
}

// VerifyAudit walks the whole trail (see trail.Verify).
func (s *Store) VerifyAudit(ctx context.Context) (trail.Result, error) {
	var b trail.Bounds
	err := s.read.QueryRowContext(ctx, `SELECT coalesce(min(seq), 0), coalesce(max(seq), 0), count(*) FROM audit_log`).
		Scan(&b.Min, &b.Max, &b.Count)
	if err != nil {
		return trail.Result{}, mapErr(err)
	}
	return trail.Verify(ctx, b, s.scanAuditRange)
}

// sqliteTime scans the driver's UTC text form "2006-01-02 15:04:05.999999+00:00"
// quickly, falling back to time.Parse for anything else.
type sqliteTime struct{ t time.Time }

func (st *sqliteTime) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case time.Time:
		st.t = isms.Normalize(x)
		return nil
	default:
		return fmt.Errorf("audit time: unexpected %T", v)
	}
	if t, ok := parseUTC(s); ok {
		st.t = t
		return nil
	}
	t, err := time.Parse("2006-01-02 15:04:05.999999999-07:00", s)
	if err != nil {
		return fmt.Errorf("audit time %q: %w", s, err)
	}
	st.t = isms.Normalize(t)
	return nil
}

func parseUTC(s string) (time.Time, bool) {
	if len(s) < 25 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' || !strings.HasSuffix(s, "+00:00") {
		return time.Time{}, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	h, ok4 := num(11, 13)
	mi, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return time.Time{}, false
	}
	nsec := 0
	rest := s[19 : len(s)-6]
	if rest != "" {
		if rest[0] != '.' || len(rest) > 10 {
			return time.Time{}, false
		}
		frac := rest[1:]
		f, ok := num(20, 20+len(frac))
		if !ok {
			return time.Time{}, false
		}
		for range 9 - len(frac) {
			f *= 10
		}
		nsec = f
	}
	return time.Date(y, time.Month(mo), d, h, mi, sec, nsec, time.UTC).Truncate(time.Microsecond), true
}

// Package store keeps the domain in SQLite or PostgreSQL through
// database/sql, with one SQL text for both engines ($N placeholders,
// RETURNING, ON CONFLICT). Migrations per engine are embedded and applied
// at start.
//
// One file per domain object. Every query on organization-owned rows is
// scoped by org_id. Store methods never decide who may do what: that is the
// service's job.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"openisms/internal/isms"
)

// Engine names a database engine.
type Engine string

// Supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Store is the database. On SQLite it holds one writer connection (SQLite
// allows one writer at a time; queuing in Go beats retrying on "database is
// locked") and a pool of readers. On PostgreSQL both are the same pool.
type Store struct {
	Engine Engine
	write  *sql.DB
	read   *readDB
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn: a postgres:// URL, or a path to a SQLite file
// (created with its directory if missing). It does not migrate.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if IsPostgres(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		// As many idle connections as open ones: with fewer, a busy
		// server closes and reopens backends (and their statement caches)
		// between requests. Idle ones go after five quiet minutes.
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20)
		db.SetConnMaxIdleTime(5 * time.Minute)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("connect to postgres: %w", err)
		}
		return &Store{Engine: Postgres, write: db, read: &readDB{DB: db}}, nil
	}
	return openSQLite(ctx, dsn)
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	path = strings.TrimPrefix(path, "sqlite://")
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	// busy_timeout first so the other pragmas wait instead of failing when
	// another process holds the file; WAL lets readers run beside the writer.
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_time_format=sqlite"
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	// The writer keeps a 64 MiB page cache: with the default 2 MiB, a
	// recompute of 200,000 risks read its index pages from the file again
	// and again.
	write, err := sql.Open("sqlite", base+"&_txlock=immediate&_pragma=cache_size(-65536)")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// Readers map the file (up to 1 GiB) rather than copy pages into
	// each connection's small cache: a register page reads scattered
	// rows, and copying their pages in took a fifth of its time.
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)&_pragma=mmap_size(1073741824)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	read.SetConnMaxIdleTime(0)
	return &Store{Engine: SQLite, write: write, read: &readDB{DB: read, stmts: map[string]*sql.Stmt{}}}, nil
}

// Close closes every connection.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read.DB != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.read.PingContext(ctx) }

// DB returns the writing handle, for tests and tools that need raw SQL.
func (s *Store) DB() *sql.DB { return s.write }

// queryer is what both *sql.DB and *sql.Tx offer; read helpers take it so
// the same code reads inside and outside a transaction.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx is one write transaction. Services get it from InTx and call its
// methods; the audit entry goes in through the same Tx.
type Tx struct {
	tx     *sql.Tx
	engine Engine
	// head caches the trail's last hash once this transaction holds the
	// trail lock, so many appends in one transaction read it once.
	head     string
	headSeq  int64
	haveHead bool
}

// InTx runs fn in one transaction and commits when fn returns nil. Any
// error or panic rolls everything back, so nothing is half-written.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return isms.Internal(fmt.Errorf("begin transaction: %w", err))
	}
	tx := &Tx{tx: sqlTx, engine: s.Engine}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = sqlTx.Commit(); err != nil {
		return mapErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// like builds a LIKE pattern matching text anywhere, with the wildcard
// characters in text escaped (used with ESCAPE '\').
func like(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(text)) + "%"
}

// subtreeRange turns a tree path "/a/b/" into the half-open range
// [path, upper) that holds the path of every node in its subtree. Paths
// compare bytewise ("C" collation on PostgreSQL) and '0' follows '/'.
func subtreeRange(path string) (lo, hi string) {
	return path, path[:len(path)-1] + "0"
}

// nullStr turns "" into NULL for optional references.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullTime scans a nullable timestamp into *time.Time.
func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := isms.Normalize(t.Time)
	return &v
}

// timePtr is the value of an optional time for a query.
func timePtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return isms.Normalize(*t)
}

// dateCol scans a DATE (PostgreSQL returns time.Time) or TEXT (SQLite)
// column into "2006-01-02", or "" for NULL.
type dateCol struct{ s *string }

func (d dateCol) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.s = ""
	case time.Time:
		*d.s = x.Format(isms.DateLayout)
	case string:
		*d.s = x
	case []byte:
		*d.s = string(x)
	default:
		return fmt.Errorf("date column: unexpected %T", v)
	}
	return nil
}

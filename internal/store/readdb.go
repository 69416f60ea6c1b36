package store

import (
	"context"
	"database/sql"
	"sync"
)

// readDB is the pool reads go through. On SQLite it prepares each query
// text once per connection and keeps the statement: modernc's SQLite
// spends about as long parsing and planning a register page's query as
// running it. PostgreSQL's driver (pgx) keeps its own statement cache, so
// there stmts is nil and queries pass straight through.
type readDB struct {
	*sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// maxStmts bounds the kept statements. Query texts come from a fixed set
// of code paths, but filters combine; past the bound a text is simply not
// kept, so no statement is ever closed under a running query.
const maxStmts = 512

// maxKeptArgs leaves out texts with long IN lists: their shape changes
// with the list's length, and each would take a place for one use.
const maxKeptArgs = 24

// stmt returns the kept statement for q, preparing it the first time; nil
// when statements are not kept or q would not prepare (the plain query
// then reports the error).
func (r *readDB) stmt(ctx context.Context, q string, args int) *sql.Stmt {
	if r.stmts == nil || args > maxKeptArgs {
		return nil
	}
	r.mu.RLock()
	st, ok := r.stmts[q]
	r.mu.RUnlock()
	if ok {
		return st
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if st, ok := r.stmts[q]; ok {
		return st
	}
	if len(r.stmts) >= maxStmts {
		return nil
	}
	st, err := r.DB.PrepareContext(ctx, q)
	if err != nil {
		return nil
	}
	r.stmts[q] = st
	return st
}

// QueryContext runs q through its kept statement when there is one.
func (r *readDB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := r.stmt(ctx, q, len(args)); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return r.DB.QueryContext(ctx, q, args...)
}

// QueryRowContext runs q through its kept statement when there is one.
func (r *readDB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if st := r.stmt(ctx, q, len(args)); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return r.DB.QueryRowContext(ctx, q, args...)
}

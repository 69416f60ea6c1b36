package testutil

import (
	"context"
	"path/filepath"
	"testing"

	"openisms/internal/store"
)

// Engine is one database engine a test runs on.
type Engine struct {
	Name string
	// DSN returns a fresh, empty database for one test.
	DSN func(tb testing.TB) string
}

// Engines are SQLite and PostgreSQL, in that order.
var Engines = []Engine{
	{Name: "sqlite", DSN: func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "isms.db") }},
	{Name: "postgres", DSN: PostgresDSN},
}

// OpenStore opens and migrates a store at dsn, closed when the test ends.
func OpenStore(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return st
}

// EachEngine runs fn as a subtest on a fresh, migrated store of each engine.
func EachEngine(t *testing.T, fn func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(e.Name, func(t *testing.T) {
			fn(t, OpenStore(t, e.DSN(t)))
		})
	}
}

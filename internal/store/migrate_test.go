package store_test

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"openisms/internal/store"
	"openisms/internal/testutil"
)

// withExtra returns the real migrations plus one more file per engine.
func withExtra(t *testing.T, name, sql string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	for _, dir := range []string{"migrations/sqlite", "migrations/postgres"} {
		entries, err := fs.ReadDir(store.EmbeddedMigrations, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, _ := fs.ReadFile(store.EmbeddedMigrations, dir+"/"+e.Name())
			m[dir+"/"+e.Name()] = &fstest.MapFile{Data: b}
		}
		m[dir+"/"+name] = &fstest.MapFile{Data: []byte(sql)}
	}
	return m
}

func openRaw(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// A failing migration stops start-up with its name, and leaves the schema
// at the last good version.
func TestFailingMigrationIsNamed(t *testing.T) {
	restore := store.SetMigrationFS(withExtra(t, "99999_broken.sql", "-- +goose Up\nCREATE TABLE broken (id NOPE_TYPE_(;\n"))
	defer restore()
	for _, e := range testutil.Engines {
		t.Run(e.Name, func(t *testing.T) {
			st := openRaw(t, e.DSN(t))
			_, err := st.Migrate(context.Background())
			if err == nil || !strings.Contains(err.Error(), "99999_broken.sql") {
				t.Fatalf("err = %v, want it to name 99999_broken.sql", err)
			}
			s, err := st.Status(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			real, _ := fs.ReadDir(store.EmbeddedMigrations, "migrations/"+e.Name)
			if s.Current != int64(len(real)) || s.Latest != 99999 {
				t.Fatalf("status %+v, want current %d, latest 99999", s, len(real))
			}
			if err := st.CheckSchema(context.Background()); err == nil {
				t.Fatal("CheckSchema passed on a half-migrated database")
			}
		})
	}
}

// A database migrated by a newer program is refused, not "fixed".
func TestNewerSchemaRefused(t *testing.T) {
	for _, e := range testutil.Engines {
		t.Run(e.Name, func(t *testing.T) {
			dsn := e.DSN(t)
			func() {
				restore := store.SetMigrationFS(withExtra(t, "99999_future.sql", "-- +goose Up\nCREATE TABLE future_things (id TEXT);\n"))
				defer restore()
				st := openRaw(t, dsn)
				if _, err := st.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
			}()
			st := openRaw(t, dsn)
			_, err := st.Migrate(context.Background())
			if !errors.Is(err, store.ErrSchemaTooNew) {
				t.Fatalf("Migrate: %v, want ErrSchemaTooNew", err)
			}
			if err := st.CheckSchema(context.Background()); !errors.Is(err, store.ErrSchemaTooNew) {
				t.Fatalf("CheckSchema: %v", err)
			}
		})
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		applied, err := st.Migrate(context.Background())
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate: %v %v", applied, err)
		}
		if err := st.CheckSchema(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}

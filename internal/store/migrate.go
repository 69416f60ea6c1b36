package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed migrations
var embedded embed.FS

// migrationFS is where migrations come from; tests swap it to prove that a
// failing migration stops start-up.
var migrationFS fs.FS = embedded

// SchemaStatus is where the database's schema stands against this binary.
type SchemaStatus struct {
	Current int64 // applied in the database
	Latest  int64 // newest this binary knows
}

func (s *Store) provider() (*goose.Provider, error) {
	dir, dialect := "migrations/sqlite", goose.DialectSQLite3
	var opts []goose.ProviderOption
	if s.Engine == Postgres {
		dir, dialect = "migrations/postgres", goose.DialectPostgres
		// Several instances may start at once on one PostgreSQL: an
		// advisory lock lets one of them migrate while the others wait.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	sub, err := fs.Sub(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(dialect, s.write, sub, opts...)
}

// Status reports the applied and the newest known schema version.
func (s *Store) Status(ctx context.Context) (SchemaStatus, error) {
	p, err := s.provider()
	if err != nil {
		return SchemaStatus{}, fmt.Errorf("migrations: %w", err)
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return SchemaStatus{}, fmt.Errorf("read schema version: %w", err)
	}
	srcs := p.ListSources()
	var latest int64
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	return SchemaStatus{Current: cur, Latest: latest}, nil
}

// ErrSchemaTooNew means the database was migrated by a newer isms.
var ErrSchemaTooNew = errors.New("database schema is newer than this program")

// Migrate applies every pending migration, each in its own transaction. It
// refuses a database whose schema is newer than this binary, and names the
// migration that failed, which stays unapplied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	st, err := s.Status(ctx)
	if err != nil {
		return nil, err
	}
	if st.Current > st.Latest {
		return nil, fmt.Errorf("%w: database is at version %d, this program knows up to %d; run a newer isms",
			ErrSchemaTooNew, st.Current, st.Latest)
	}
	p, err := s.provider()
	if err != nil {
		return nil, err
	}
	results, err := p.Up(ctx)
	var pe *goose.PartialError
	if errors.As(err, &pe) {
		results = pe.Applied
	}
	var applied []string
	for _, r := range results {
		applied = append(applied, r.Source.Path)
	}
	if err != nil {
		if pe != nil && pe.Failed != nil {
			return applied, fmt.Errorf("migration %s failed: %w", pe.Failed.Source.Path, pe.Err)
		}
		return applied, fmt.Errorf("migrate: %w", err)
	}
	return applied, nil
}

// CheckSchema returns an error unless the schema is exactly current: the
// server must not run on a schema it does not know.
func (s *Store) CheckSchema(ctx context.Context) error {
	st, err := s.Status(ctx)
	if err != nil {
		return err
	}
	switch {
	case st.Current > st.Latest:
		return fmt.Errorf("%w: database is at version %d, this program knows up to %d", ErrSchemaTooNew, st.Current, st.Latest)
	case st.Current < st.Latest:
		return fmt.Errorf("database schema is at version %d, %d is needed: run isms migrate", st.Current, st.Latest)
	}
	return nil
}

package store

import "io/fs"

// SetMigrationFS swaps the migration source for a test and returns a
// function that restores it.
func SetMigrationFS(f fs.FS) (restore func()) {
	old := migrationFS
	migrationFS = f
	return func() { migrationFS = old }
}

// EmbeddedMigrations are the real migration files.
var EmbeddedMigrations fs.FS = embedded

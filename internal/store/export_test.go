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

// SetRebuildThreshold changes how many results make a write rebuild the
// risks table's result indexes, and returns a function that restores it.
func SetRebuildThreshold(n int) (restore func()) {
	old := rebuildThreshold
	rebuildThreshold = n
	return func() { rebuildThreshold = old }
}

package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedFile returns the path of a file under the project's shared
// directory (third-party test data, catalogs), found as ISMS_SHARED or as
// a "shared" directory beside the repository or any directory above the
// test. Tests read third-party data there; it is never copied into the
// repository.
func SharedFile(tb testing.TB, rel string) string {
	tb.Helper()
	if dir := os.Getenv("ISMS_SHARED"); dir != "" {
		return filepath.Join(dir, rel)
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, "shared", rel)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if filepath.Dir(dir) == dir {
			tb.Fatalf("%s not found in a shared directory above %s (set ISMS_SHARED)", rel, wd)
		}
	}
}

// OpenShared opens a shared file; it is closed when the test ends.
func OpenShared(tb testing.TB, rel string) *os.File {
	tb.Helper()
	f, err := os.Open(SharedFile(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

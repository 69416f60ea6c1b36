package store_test

import (
	"context"
	"testing"

	"openisms/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// Both drivers must bind $N by number, not by position: the same SQL text
// serves both engines only if "$2, $1" means what it says.
func TestPlaceholdersBindByNumber(t *testing.T) {
	for _, e := range testutil.Engines {
		t.Run(e.Name, func(t *testing.T) {
			st := testutil.OpenStore(t, e.DSN(t))
			var a, b string
			err := st.DB().QueryRowContext(context.Background(),
				`SELECT CAST($2 AS TEXT), CAST($1 AS TEXT)`, "first", "second").Scan(&a, &b)
			if err != nil {
				t.Fatal(err)
			}
			if a != "second" || b != "first" {
				t.Fatalf("$2,$1 bound as %q,%q; want second,first", a, b)
			}
			var n int
			if err := st.DB().QueryRowContext(context.Background(),
				`SELECT CAST($1 AS INTEGER) + CAST($1 AS INTEGER) * CAST($2 AS INTEGER)`, 2, 10).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 22 {
				t.Fatalf("reused $1: got %d, want 22", n)
			}
		})
	}
}

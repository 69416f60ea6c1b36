package store

import (
	"database/sql"
	"strconv"
	"strings"
	"time"

	"openisms/internal/isms"
)

// where builds a WHERE clause from conditions written with "?" and numbers
// the placeholders $1, $2, … as both engines expect.
type where struct {
	conds []string
	args  []any
}

func newWhere() *where { return &where{} }

// paramList is "$from+1, $from+2, …": the placeholders of n values
// numbered after from.
func paramList(from, n int) string {
	var b strings.Builder
	for j := range n {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(from+j+1))
	}
	return b.String()
}

// add appends a condition; each "?" in cond takes the next arg.
func (w *where) add(cond string, args ...any) {
	var b strings.Builder
	for _, c := range cond {
		if c == '?' {
			w.args = append(w.args, args[0])
			args = args[1:]
			b.WriteString("$" + strconv.Itoa(len(w.args)))
			continue
		}
		b.WriteRune(c)
	}
	w.conds = append(w.conds, b.String())
}

// archived applies the usual status filter: live rows unless "archived"
// or "all" is asked for.
func (w *where) archived(status string) {
	switch status {
	case "all":
	case "archived":
		w.conds = append(w.conds, "archived_at IS NOT NULL")
	default:
		w.conds = append(w.conds, "archived_at IS NULL")
	}
}

// after continues a name-ordered list after the cursor row.
func (w *where) after(c isms.Cursor) {
	if c.ID != "" {
		w.add("(name > ? OR (name = ? AND id > ?))", c.Name, c.Name, c.ID)
	}
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// limit returns the page size, clamped, as SQL text (it is an int, never
// user text).
func (w *where) limit(n int) string { return strconv.Itoa(isms.ClampLimit(n)) }

// nullTimeCol scans a nullable timestamp.
type nullTimeCol struct{ sql.NullTime }

func (c nullTimeCol) ptr() *time.Time { return nullTime(c.NullTime) }

func itoa(n int) string { return strconv.Itoa(n) }

package isms

// ListFilter is what every register listing accepts. Lists are ordered by
// name then ID and paged by a keyset cursor, so page N costs the same as
// page 1.
type ListFilter struct {
	OrgID    string
	OrgPath  string // organizations: restrict to this subtree
	Text     string // substring of the name and other identifying text
	DeptID   string
	ParentID string
	Status   string // "active" (default), "archived", "all", or an entity status
	// Sort names the column a register is ordered by where it offers a
	// choice ("" is the name); text searches are always in name order.
	Sort  string
	After Cursor
	Limit int
}

// Cursor is the last row of the previous page.
type Cursor struct {
	Name string
	ID   string
}

// Page bounds.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// ClampLimit returns a usable page size.
func ClampLimit(n int) int {
	if n <= 0 {
		return DefaultPageSize
	}
	if n > MaxPageSize {
		return MaxPageSize
	}
	return n
}

package isms

import "time"

// Matrix marks: ▲ primary responsibility (主要), △ support (配合), - not
// applicable; a blank cell has no mark.
const (
	MarkPrimary = "▲"
	MarkSupport = "△"
	MarkNone    = "-"
)

// ValidMark reports whether m is a mark or blank. People type "–" (en
// dash) or "—" for "not applicable": NormalizeMark maps them first.
func ValidMark(m string) bool {
	return m == "" || m == MarkPrimary || m == MarkSupport || m == MarkNone
}

// NormalizeMark maps the ways people write marks in Excel to the three.
func NormalizeMark(m string) string {
	switch m {
	case "▲", "主", "主要", "P", "p":
		return MarkPrimary
	case "△", "配", "配合", "S", "s":
		return MarkSupport
	case "-", "–", "—", "－", "/":
		return MarkNone
	}
	return m
}

// MatrixRow is one clause or control area of the matrix.
type MatrixRow struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Key       string    `json:"key"` // e.g. "4.2.1", "A.11.1"
	TitleZH   string    `json:"title_zh"`
	TitleEN   string    `json:"title_en"`
	Position  int       `json:"position"`
	CreatedAt time.Time `json:"created_at"`
}

// Matrix is an organization's whole grid.
type Matrix struct {
	Rows        []MatrixRow                  `json:"rows"`
	Departments []Department                 `json:"departments"`
	Cells       map[string]map[string]string `json:"cells"` // row ID → department ID → mark
}

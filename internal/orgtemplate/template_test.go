package orgtemplate

import (
	"strings"
	"testing"

	"openisms/internal/isms"
)

// Every built-in template parses and checks.
func TestBuiltInTemplatesParse(t *testing.T) {
	if got := strings.Join(Names(), ","); got != "iso27001,iso27001-seed" {
		t.Fatalf("names = %s", got)
	}
	for _, n := range Names() {
		tpl, err := Load(n)
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		if tpl.Name != n || tpl.TitleZH == "" || tpl.TitleEN == "" {
			t.Errorf("%s: name or titles missing: %+v", n, tpl)
		}
	}
	if _, err := Load("nope"); isms.ErrorCode(err) != isms.CodeInvalid {
		t.Fatalf("unknown template: %v", err)
	}
}

// The seed template's matrix is the manual's appendix 3: 50 rows, and the
// column tallies of the transcription (seed-requirements table (d)).
func TestSeedMatrixTallies(t *testing.T) {
	tpl, err := Load("iso27001-seed")
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.Departments) != 5 || len(tpl.Matrix.Rows) != 50 {
		t.Fatalf("%d departments, %d rows", len(tpl.Departments), len(tpl.Matrix.Rows))
	}
	// ▲ △ - blank per column, in column order.
	want := map[string][4]int{
		"信息安全管理小组": {25, 15, 2, 8},
		"行政部":      {6, 0, 0, 44},
		"商务部":      {19, 28, 2, 1},
		"财务部":      {19, 28, 2, 1},
		"工程部":      {5, 43, 2, 0},
	}
	for c, name := range tpl.Matrix.Columns {
		var got [4]int
		for _, r := range tpl.Matrix.Rows {
			switch r.Marks[c] {
			case isms.MarkPrimary:
				got[0]++
			case isms.MarkSupport:
				got[1]++
			case isms.MarkNone:
				got[2]++
			default:
				got[3]++
			}
		}
		if got != want[name] {
			t.Errorf("%s: ▲△-blank = %v, want %v", name, got, want[name])
		}
	}
	if r := tpl.Matrix.Rows[36]; r.Key != "A.11.1" || r.Marks[2] != "" || r.Marks[4] != isms.MarkSupport {
		t.Errorf("row 37 = %+v", r)
	}
}

// A broken template is refused with the reason.
func TestParseRejects(t *testing.T) {
	for name, src := range map[string]string{
		"column":   "name: x\ndepartments: [{name: 甲}]\nmatrix: {columns: [乙], rows: []}\n",
		"marks":    "name: x\ndepartments: [{name: 甲}]\nmatrix: {columns: [甲], rows: [{key: '1', marks: ['▲', '△']}]}\n",
		"bad mark": "name: x\ndepartments: [{name: 甲}]\nmatrix: {columns: [甲], rows: [{key: '1', marks: ['X']}]}\n",
		"repeated": "name: x\ndepartments: [{name: 甲}]\nmatrix: {columns: [甲], rows: [{key: '1', marks: ['']}, {key: '1', marks: ['']}]}\n",
	} {
		if _, err := Parse([]byte(src)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

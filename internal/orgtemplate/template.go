// Package orgtemplate holds organization templates: data files that set up
// an ISMS in one step (departments, the responsibility matrix, the
// policy). A template is YAML under templates/, embedded in the binary:
//
//	name: iso27001-seed          # what `isms init -template` takes
//	title_zh / title_en:         # shown in the setup page's choice
//	policy_zh / policy_en:       # the information security policy statement
//	scope_zh / scope_en, boundary_zh / boundary_en:   # the ISMS's scope and boundaries
//	roles:                       # ISMS roles, their duties and the system role that fills each
//	  - {key: management_rep, title_zh: 管理者代表, role: management_rep, duties_zh: …}
//	documents:                   # the document register, as drafts to write
//	  - {code: XX-B-02, title_zh: 文件控制程序, title_en: …, type: procedure, department: 信息安全管理小组}
//	record_types:                # records control: kinds of record and how long each is kept
//	  - {code: training, name_zh: 培训记录, category: a, form: table, medium: both, retention_months: 36,
//	     location: 档案柜, department: 信息安全管理小组, document: XX-B-18}
//	departments:                 # top-level departments, by name
//	  - {name: 行政部, code: ADM}
//	matrix:
//	  columns: [行政部, …]       # department names, in column order
//	  rows:                      # one per clause; marks ▲ △ - or "" per column
//	    - {key: "4.1", title_zh: 总要求, title_en: General requirements, marks: ["▲"]}
//
// Applying a template (service.ApplyTemplate) adds what an organization
// lacks and changes nothing it has.
package orgtemplate

import (
	"embed"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"openisms/internal/isms"
)

//go:embed templates/*.yaml
var files embed.FS

// Template is one organization template.
type Template struct {
	Name        string             `yaml:"name" json:"name"`
	TitleZH     string             `yaml:"title_zh" json:"title_zh"`
	TitleEN     string             `yaml:"title_en" json:"title_en"`
	PolicyZH    string             `yaml:"policy_zh,omitempty" json:"policy_zh,omitempty"`
	PolicyEN    string             `yaml:"policy_en,omitempty" json:"policy_en,omitempty"`
	ScopeZH     string             `yaml:"scope_zh,omitempty" json:"scope_zh,omitempty"`
	ScopeEN     string             `yaml:"scope_en,omitempty" json:"scope_en,omitempty"`
	BoundaryZH  string             `yaml:"boundary_zh,omitempty" json:"boundary_zh,omitempty"`
	BoundaryEN  string             `yaml:"boundary_en,omitempty" json:"boundary_en,omitempty"`
	Roles       []isms.ProfileRole `yaml:"roles,omitempty" json:"roles,omitempty"`
	Documents   []Document         `yaml:"documents,omitempty" json:"documents,omitempty"`
	RecordTypes []RecordType       `yaml:"record_types,omitempty" json:"record_types,omitempty"`
	Departments []Department       `yaml:"departments" json:"departments"`
	Matrix      Matrix             `yaml:"matrix" json:"matrix"`
}

// Document is an entry of a template's document register. Its type is
// one of isms.DocTypes; department names one of the template's
// departments (the owner).
type Document struct {
	Code       string `yaml:"code" json:"code"`
	TitleZH    string `yaml:"title_zh" json:"title_zh"`
	TitleEN    string `yaml:"title_en,omitempty" json:"title_en,omitempty"`
	Type       string `yaml:"type" json:"type"`
	Department string `yaml:"department,omitempty" json:"department,omitempty"`
}

// RecordType is a kind of record (records control, manual §4.3.3): the
// fields of isms.RecordType, the owner by department name and the
// requiring document by code. Built-in types the template does not list
// are added as well, with their defaults.
type RecordType struct {
	Code            string `yaml:"code" json:"code"`
	NameZH          string `yaml:"name_zh" json:"name_zh"`
	NameEN          string `yaml:"name_en,omitempty" json:"name_en,omitempty"`
	Category        string `yaml:"category" json:"category"`
	Form            string `yaml:"form" json:"form"`
	Medium          string `yaml:"medium,omitempty" json:"medium,omitempty"`
	RetentionMonths int    `yaml:"retention_months" json:"retention_months"`
	Location        string `yaml:"location,omitempty" json:"location,omitempty"`
	Department      string `yaml:"department,omitempty" json:"department,omitempty"`
	Document        string `yaml:"document,omitempty" json:"document,omitempty"`
}

// Department is a top-level department of a template.
type Department struct {
	Name string `yaml:"name" json:"name"`
	Code string `yaml:"code,omitempty" json:"code,omitempty"`
}

// Matrix is a template's responsibility matrix.
type Matrix struct {
	Columns []string    `yaml:"columns" json:"columns"`
	Rows    []MatrixRow `yaml:"rows" json:"rows"`
}

// MatrixRow is one clause with a mark per column.
type MatrixRow struct {
	Key     string   `yaml:"key" json:"key"`
	TitleZH string   `yaml:"title_zh" json:"title_zh"`
	TitleEN string   `yaml:"title_en,omitempty" json:"title_en,omitempty"`
	Marks   []string `yaml:"marks" json:"marks"`
}

// Names lists the built-in templates.
func Names() []string {
	entries, _ := files.ReadDir("templates")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}

// Load reads a built-in template by name.
func Load(name string) (Template, error) {
	for _, n := range Names() {
		if n == name {
			b, err := files.ReadFile(path.Join("templates", name+".yaml"))
			if err != nil {
				return Template{}, err
			}
			return Parse(b)
		}
	}
	return Template{}, isms.Invalid("template", isms.M("template.unknown", "value", name, "names", strings.Join(Names(), ", ")))
}

// Parse reads and checks a template: every matrix column a department of
// the template, one mark per column, marks valid, keys unique.
func Parse(b []byte) (Template, error) {
	var t Template
	if err := yaml.Unmarshal(b, &t); err != nil {
		return t, fmt.Errorf("template: %w", err)
	}
	depts := map[string]bool{}
	for _, d := range t.Departments {
		depts[d.Name] = true
	}
	for _, c := range t.Matrix.Columns {
		if !depts[c] {
			return t, fmt.Errorf("template %s: matrix column %q is not one of its departments", t.Name, c)
		}
	}
	codes := map[string]bool{}
	for i, d := range t.Documents {
		if d.Code == "" || codes[d.Code] || d.TitleZH == "" {
			return t, fmt.Errorf("template %s: document %d: code %q missing or repeated, or no title", t.Name, i+1, d.Code)
		}
		codes[d.Code] = true
		if !slices.Contains(isms.DocTypes, d.Type) {
			return t, fmt.Errorf("template %s: document %s: type %q is not one of %s", t.Name, d.Code, d.Type, strings.Join(isms.DocTypes, ", "))
		}
		if d.Department != "" && !depts[d.Department] {
			return t, fmt.Errorf("template %s: document %s: department %q is not one of its departments", t.Name, d.Code, d.Department)
		}
	}
	prof := t.Profile()
	prof.Normalize()
	if err := prof.Validate(); err != nil {
		return t, fmt.Errorf("template %s: policy, scope or roles: %w", t.Name, err)
	}
	rtCodes := map[string]bool{}
	for i, r := range t.RecordTypes {
		if r.Code == "" || rtCodes[r.Code] {
			return t, fmt.Errorf("template %s: record type %d: code %q missing or repeated", t.Name, i+1, r.Code)
		}
		rtCodes[r.Code] = true
		rt := isms.RecordType{Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, Category: r.Category, Form: r.Form,
			Medium: r.Medium, RetentionMonths: r.RetentionMonths, Location: r.Location, DocumentCode: r.Document}
		rt.Normalize()
		if err := rt.Validate(); err != nil {
			return t, fmt.Errorf("template %s: record type %s: %w", t.Name, r.Code, err)
		}
		if r.Department != "" && !depts[r.Department] {
			return t, fmt.Errorf("template %s: record type %s: department %q is not one of its departments", t.Name, r.Code, r.Department)
		}
	}
	keys := map[string]bool{}
	for i, r := range t.Matrix.Rows {
		if r.Key == "" || keys[r.Key] {
			return t, fmt.Errorf("template %s: matrix row %d: key %q missing or repeated", t.Name, i+1, r.Key)
		}
		keys[r.Key] = true
		if len(r.Marks) != len(t.Matrix.Columns) {
			return t, fmt.Errorf("template %s: matrix row %s has %d marks for %d columns", t.Name, r.Key, len(r.Marks), len(t.Matrix.Columns))
		}
		for _, m := range r.Marks {
			if !isms.ValidMark(m) {
				return t, fmt.Errorf("template %s: matrix row %s: bad mark %q", t.Name, r.Key, m)
			}
		}
	}
	return t, nil
}

// Profile is the template's ISMS profile: policy, scope, boundaries, roles.
func (t Template) Profile() isms.Profile {
	return isms.Profile{PolicyZH: t.PolicyZH, PolicyEN: t.PolicyEN, ScopeZH: t.ScopeZH, ScopeEN: t.ScopeEN,
		BoundaryZH: t.BoundaryZH, BoundaryEN: t.BoundaryEN, Roles: t.Roles}
}

// Marshal writes a template in the file format.
func Marshal(t Template) ([]byte, error) { return yaml.Marshal(t) }

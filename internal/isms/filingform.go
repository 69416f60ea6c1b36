package isms

import (
	"fmt"
	"strings"
	"time"
)

// MLPS filing forms (备案表) as data: a template lists its cover fields
// and tables, each field with the data source that fills it, or none when
// it is typed in on the form (mlps.md §2.1, §2.2). Layouts changed between
// the classic and the 2025 form, so they are versioned data
// (service/defaults/mlps/filing-forms.yaml), not code.

// FormField is one field of a filing form.
type FormField struct {
	Key    string `json:"key" yaml:"key"`
	Label  string `json:"label" yaml:"label"`
	Source string `json:"source,omitempty" yaml:"source"`
}

// FormTable is one table of a filing form; Repeat names a list whose
// items each fill the fields once (表六: "data_categories"); LevelAtLeast
// limits it to objects of that level and above.
type FormTable struct {
	ID           string      `json:"id" yaml:"id"`
	Title        string      `json:"title" yaml:"title"`
	Repeat       string      `json:"repeat,omitempty" yaml:"repeat"`
	LevelAtLeast int         `json:"level_at_least,omitempty" yaml:"level_at_least"`
	Fields       []FormField `json:"fields" yaml:"fields"`
}

// FilingFormTemplate is one version of the filing form.
type FilingFormTemplate struct {
	Template string      `json:"template" yaml:"template"`
	Title    string      `json:"title" yaml:"title"`
	Cover    []FormField `json:"cover" yaml:"cover"`
	Tables   []FormTable `json:"tables" yaml:"tables"`
}

// Check validates a template as data: a known version, a title, tables
// with ids and titles, and field keys unique and labelled.
func (t FilingFormTemplate) Check() error {
	if t.Template != FormClassic && t.Template != Form2025 {
		return fmt.Errorf("filing form %q: unknown template", t.Template)
	}
	if strings.TrimSpace(t.Title) == "" || len(t.Tables) == 0 {
		return fmt.Errorf("filing form %s: no title or tables", t.Template)
	}
	seen := map[string]bool{}
	check := func(f FormField) error {
		if f.Key == "" || f.Label == "" || seen[f.Key] {
			return fmt.Errorf("filing form %s: field %q is blank or repeated", t.Template, f.Key)
		}
		seen[f.Key] = true
		return nil
	}
	for _, f := range t.Cover {
		if err := check(f); err != nil {
			return err
		}
	}
	for _, tb := range t.Tables {
		if tb.ID == "" || tb.Title == "" || len(tb.Fields) == 0 {
			return fmt.Errorf("filing form %s: table %q incomplete", t.Template, tb.ID)
		}
		for _, f := range tb.Fields {
			if err := check(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// Field finds a field of the template by key.
func (t FilingFormTemplate) Field(key string) (FormField, bool) {
	for _, f := range t.Cover {
		if f.Key == key {
			return f, true
		}
	}
	for _, tb := range t.Tables {
		for _, f := range tb.Fields {
			if f.Key == key {
				return f, true
			}
		}
	}
	return FormField{}, false
}

// FormCell is a field with its value: Filled when the data gave it,
// otherwise what was typed in (editable).
type FormCell struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Value  string `json:"value"`
	Filled bool   `json:"filled"`
}

// FilledTable is a table of a filled form; a repeated table has one set
// of cells per item.
type FilledTable struct {
	ID     string       `json:"id"`
	Title  string       `json:"title"`
	Labels []string     `json:"labels"` // the fields' labels, for a repeated table's header
	Rows   [][]FormCell `json:"rows"`
}

// FilledForm is a filing form filled for one grading.
type FilledForm struct {
	Template string        `json:"template"`
	Title    string        `json:"title"`
	Object   string        `json:"object"` // its label
	Cover    []FormCell    `json:"cover"`
	Tables   []FilledTable `json:"tables"`
}

// MaterialItem is one item of a materials checklist.
type MaterialItem struct {
	Key   string `json:"key" yaml:"key"`
	Label string `json:"label" yaml:"label"`
}

// MaterialChecklist lists the materials that go with a filing or a
// stage of the programme; Form ties it to a filing form's table (the
// form's rows read it), LevelAtLeast limits it to higher levels.
type MaterialChecklist struct {
	Checklist    string         `json:"checklist" yaml:"checklist"`
	Title        string         `json:"title" yaml:"title"`
	Form         string         `json:"form,omitempty" yaml:"form"`
	LevelAtLeast int            `json:"level_at_least,omitempty" yaml:"level_at_least"`
	Items        []MaterialItem `json:"items" yaml:"items"`
}

// Material is where one item of a checklist stands for a grading: there
// or not, a note (the attachment's name as the form prints it), and its
// files as evidence.
type Material struct {
	ID        string     `json:"id"`
	OrgID     string     `json:"org_id"`
	GradingID string     `json:"grading_id"`
	Checklist string     `json:"checklist"`
	Item      string     `json:"item"`
	Present   bool       `json:"present"`
	Note      string     `json:"note"`
	UpdatedBy string     `json:"updated_by"`
	UpdatedAt time.Time  `json:"updated_at"`
	Files     []Evidence `json:"files,omitempty"`
}

// FormText is how a filing form prints the item: "有（拓扑图.pdf）" or "无".
func (m Material) FormText() string {
	if !m.Present {
		return "无"
	}
	if m.Note != "" {
		return "有（" + m.Note + "）"
	}
	var names []string
	for _, f := range m.Files {
		if f.Filename != "" {
			names = append(names, f.Filename)
		} else {
			names = append(names, f.Title)
		}
	}
	if len(names) > 0 {
		return "有（" + strings.Join(names, "、") + "）"
	}
	return "有"
}

// Report is a generated document: a title, a subtitle and numbered
// sections of paragraphs and tables (the grading report, 定级报告).
type Report struct {
	Title    string          `json:"title"`
	Subtitle string          `json:"subtitle"`
	Sections []ReportSection `json:"sections"`
}

// ReportSection is a heading with its paragraphs and, optionally, a table
// (its first row the header).
type ReportSection struct {
	Heading string     `json:"heading"`
	Level   int        `json:"level"` // 1 or 2
	Paras   []string   `json:"paras,omitempty"`
	Table   [][]string `json:"table,omitempty"`
}

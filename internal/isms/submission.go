package isms

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A submission type is data, not code: a small schema of fields that a
// campaign's requirement copies from a template (联络员登记, 自查表, the
// grading-materials and written-filing packages) or that a supervising
// body writes itself.

// FieldKind is what a submission field holds.
type FieldKind string

// Field kinds. A table holds rows of scalar columns; an attachment holds
// the ids of files uploaded to the submission; a pull field is a table
// the system fills from the organization's own data (its MLPS objects),
// which the organization may refresh but not edit.
const (
	FieldText       FieldKind = "text"
	FieldNumber     FieldKind = "number"
	FieldDate       FieldKind = "date"
	FieldChoice     FieldKind = "choice"
	FieldTable      FieldKind = "table"
	FieldAttachment FieldKind = "attachment"
	FieldPull       FieldKind = "pull"
)

// FieldKinds lists the kinds.
var FieldKinds = []FieldKind{FieldText, FieldNumber, FieldDate, FieldChoice, FieldTable, FieldAttachment, FieldPull}

// scalarKinds may be table columns.
var scalarKinds = []FieldKind{FieldText, FieldNumber, FieldDate, FieldChoice}

// PullSources are the organization's data a pull field reads.
var PullSources = map[string][]string{
	"mlps_objects": {"name", "level", "status", "filing_no", "filed_on", "last_evaluation"},
}

// Prefills are the organization's facts a scalar field may start from.
var Prefills = []string{"org.name", "org.credit_code", "org.address", "org.region_code", "org.industry",
	"org.contact_name", "org.contact_phone", "liaison.name", "liaison.post", "liaison.phone", "liaison.email",
	"mlps.objects", "mlps.filed"}

// Field is one field of a submission type.
type Field struct {
	Key      string    `json:"key"` // [a-z][a-z0-9_]*, unique in its schema
	LabelZH  string    `json:"label_zh"`
	LabelEN  string    `json:"label_en,omitempty"`
	Kind     FieldKind `json:"kind"`
	Required bool      `json:"required,omitempty"`
	Help     string    `json:"help,omitempty"`
	Choices  []string  `json:"choices,omitempty"` // choice
	Columns  []Field   `json:"columns,omitempty"` // table and pull
	Source   string    `json:"source,omitempty"`  // pull: a PullSources key
	Prefill  string    `json:"prefill,omitempty"` // scalar: one of Prefills
}

// Label is the field's label in the language ("en" or zh).
func (f Field) Label(lang string) string {
	if lang == "en" && f.LabelEN != "" {
		return f.LabelEN
	}
	return f.LabelZH
}

// SubmissionSchema is the fields of a submission type, in order.
type SubmissionSchema struct {
	Fields []Field `json:"fields"`
}

var fieldKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Check validates a schema: keys well formed and unique, kinds known,
// choices for a choice, scalar columns for a table, a known source (whose
// columns it is given) for a pull field.
func (s *SubmissionSchema) Check() error {
	var p Problems
	if len(s.Fields) == 0 {
		p.Add("fields", "submission.no_fields")
	}
	if len(s.Fields) > 100 {
		p.Add("fields", "field.max_items", "max", 100)
	}
	checkFields(&p, "fields", s.Fields, false)
	for i := range s.Fields {
		f := &s.Fields[i]
		if f.Kind == FieldPull {
			cols, ok := PullSources[f.Source]
			if !ok {
				p.Add("fields["+strconv.Itoa(i)+"].source", "field.one_of", "values", "mlps_objects")
				continue
			}
			for j, c := range f.Columns {
				if !slices.Contains(cols, c.Key) {
					p.Add("fields["+strconv.Itoa(i)+"].columns["+strconv.Itoa(j)+"].key", "field.one_of",
						"values", strings.Join(cols, ", "))
				}
			}
		}
	}
	return p.Err()
}

func checkFields(p *Problems, at string, fields []Field, columns bool) {
	seen := map[string]bool{}
	for i := range fields {
		f := &fields[i]
		name := at + "[" + strconv.Itoa(i) + "]"
		TrimFields(&f.Key, &f.LabelZH, &f.LabelEN, &f.Help, &f.Source, &f.Prefill)
		if !fieldKey.MatchString(f.Key) {
			p.Add(name+".key", "submission.bad_key")
		} else if seen[f.Key] {
			p.Add(name+".key", "submission.duplicate_key", "key", f.Key)
		}
		seen[f.Key] = true
		checkText(p, name+".label_zh", f.LabelZH, true, 200)
		checkText(p, name+".label_en", f.LabelEN, false, 200)
		checkText(p, name+".help", f.Help, false, 1000)
		kinds := FieldKinds
		if columns {
			kinds = scalarKinds
		}
		if !slices.Contains(kinds, f.Kind) {
			vals := make([]string, len(kinds))
			for j, k := range kinds {
				vals[j] = string(k)
			}
			p.Add(name+".kind", "field.one_of", "values", strings.Join(vals, ", "))
			continue
		}
		if f.Kind == FieldChoice {
			if len(f.Choices) == 0 {
				p.Add(name+".choices", "field.required")
			}
			for j, c := range f.Choices {
				checkText(p, name+".choices["+strconv.Itoa(j)+"]", c, true, 100)
			}
		}
		if f.Kind == FieldTable || f.Kind == FieldPull {
			if len(f.Columns) == 0 {
				p.Add(name+".columns", "field.required")
			}
			checkFields(p, name+".columns", f.Columns, true)
		}
		if f.Prefill != "" && (!slices.Contains(Prefills, f.Prefill) || !slices.Contains(scalarKinds, f.Kind)) {
			p.Add(name+".prefill", "field.one_of", "values", strings.Join(Prefills, ", "))
		}
	}
}

// SubmissionData is a submission's values by field key: a string for
// text, date and choice, a float64 for a number, a list of rows (column
// key → scalar) for a table or pull field, a list of attachment ids for
// an attachment field. Absent keys are empty.
type SubmissionData map[string]any

// Limits of a submission's values.
const (
	MaxSubmissionText = 4000
	MaxSubmissionRows = 500
	MaxSubmissionRefs = 50
)

// Clean checks data against the schema and returns it in its stored
// form: numbers and rows parsed from the strings a form sends, blank
// values dropped. Unknown keys are refused. When final, required fields
// must hold a value (the check before submitting); a draft may be
// incomplete.
func (s SubmissionSchema) Clean(data map[string]any, final bool) (SubmissionData, error) {
	var p Problems
	out := SubmissionData{}
	known := map[string]bool{}
	for _, f := range s.Fields {
		known[f.Key] = true
		name := "data." + f.Key
		v := data[f.Key]
		var present bool
		switch f.Kind {
		case FieldTable, FieldPull:
			rows := cleanRows(&p, name, f.Columns, v)
			if len(rows) > 0 {
				out[f.Key] = rows
			}
			present = len(rows) > 0
		case FieldAttachment:
			ids := cleanRefs(&p, name, v)
			if len(ids) > 0 {
				out[f.Key] = ids
			}
			present = len(ids) > 0
		default:
			x, ok := cleanScalar(&p, name, f, v)
			if ok {
				out[f.Key] = x
			}
			present = ok
		}
		if final && f.Required && !present && !p.Has(name) {
			p.Add(name, "field.required")
		}
	}
	keys := make([]string, 0, len(data))
	for k := range data {
		if !known[k] {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		p.Add("data."+k, "submission.unknown_field")
	}
	return out, p.Err()
}

// cleanScalar parses one scalar value; ok is false for a blank one.
func cleanScalar(p *Problems, name string, f Field, v any) (any, bool) {
	if v == nil {
		return nil, false
	}
	if f.Kind == FieldNumber {
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				p.Add(name, "field.not_a_number")
				return nil, false
			}
			return x, true
		case int:
			return float64(x), true
		case string:
			x = strings.TrimSpace(x)
			if x == "" {
				return nil, false
			}
			n, err := strconv.ParseFloat(x, 64)
			if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
				p.Add(name, "field.not_a_number")
				return nil, false
			}
			return n, true
		}
		p.Add(name, "field.not_a_number")
		return nil, false
	}
	str, ok := v.(string)
	if !ok {
		p.Add(name, "submission.want_text")
		return nil, false
	}
	str = strings.TrimSpace(str)
	if str == "" {
		return nil, false
	}
	switch f.Kind {
	case FieldText:
		checkText(p, name, str, false, MaxSubmissionText)
	case FieldDate:
		checkDate(p, name, str)
	case FieldChoice:
		if !slices.Contains(f.Choices, str) {
			p.Add(name, "field.one_of", "values", strings.Join(f.Choices, ", "))
		}
	}
	return str, !p.Has(name)
}

// cleanRows parses a table's rows; entirely blank rows are dropped.
func cleanRows(p *Problems, name string, cols []Field, v any) []map[string]any {
	if v == nil {
		return nil
	}
	var in []map[string]any
	switch x := v.(type) {
	case []map[string]any:
		in = x
	case []any:
		for _, r := range x {
			m, ok := r.(map[string]any)
			if !ok {
				p.Add(name, "submission.want_rows")
				return nil
			}
			in = append(in, m)
		}
	default:
		p.Add(name, "submission.want_rows")
		return nil
	}
	var out []map[string]any
	for _, r := range in {
		row := map[string]any{}
		at := name + "[" + strconv.Itoa(len(out)) + "]"
		for _, c := range cols {
			if x, ok := cleanScalar(p, at+"."+c.Key, c, r[c.Key]); ok {
				row[c.Key] = x
			}
		}
		for k := range r {
			if !slices.ContainsFunc(cols, func(c Field) bool { return c.Key == k }) {
				p.Add(at+"."+k, "submission.unknown_field")
			}
		}
		if len(row) == 0 {
			continue
		}
		for _, c := range cols {
			if c.Required && row[c.Key] == nil && !p.Has(at+"."+c.Key) {
				p.Add(at+"."+c.Key, "field.required")
			}
		}
		out = append(out, row)
		if len(out) > MaxSubmissionRows {
			p.Add(name, "field.max_items", "max", MaxSubmissionRows)
			break
		}
	}
	return out
}

// cleanRefs parses a list of attachment ids.
func cleanRefs(p *Problems, name string, v any) []string {
	var in []string
	switch x := v.(type) {
	case nil:
		return nil
	case []string:
		in = x
	case []any:
		for _, r := range x {
			s, ok := r.(string)
			if !ok {
				p.Add(name, "field.bad_id")
				return nil
			}
			in = append(in, s)
		}
	default:
		p.Add(name, "field.bad_id")
		return nil
	}
	var out []string
	for _, id := range in {
		if id = strings.TrimSpace(id); id == "" || slices.Contains(out, id) {
			continue
		}
		if !ValidID(id) {
			p.Add(name, "field.bad_id")
			return nil
		}
		out = append(out, id)
	}
	if len(out) > MaxSubmissionRefs {
		p.Add(name, "field.max_items", "max", MaxSubmissionRefs)
	}
	return out
}

// Refs returns the attachment ids of an attachment field.
func (d SubmissionData) Refs(key string) []string {
	switch x := d[key].(type) {
	case []string:
		return x
	case []any:
		var out []string
		for _, v := range x {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Rows returns the rows of a table or pull field.
func (d SubmissionData) Rows(key string) []map[string]any {
	switch x := d[key].(type) {
	case []map[string]any:
		return x
	case []any:
		var out []map[string]any
		for _, v := range x {
			if m, ok := v.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// Text renders a scalar value for a page or a workbook.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	}
	return ""
}

// Submission is one organization's answer to one requirement: its
// working copy (seen only by the organization), the number of its latest
// submitted version, and where review stands — the index in the review
// chain of the body deciding now, and the furthest it has reached (a body
// sees a submission once it has reached that body).
type Submission struct {
	ID            string         `json:"id"`
	CampaignID    string         `json:"campaign_id"`
	RequirementID string         `json:"requirement_id"`
	OrgID         string         `json:"org_id"`
	Status        string         `json:"status"` // SubmissionStatuses
	Version       int            `json:"version"`
	Level         int            `json:"level"`
	Reached       int            `json:"reached"`
	Data          SubmissionData `json:"data,omitempty"`
	UpdatedBy     string         `json:"updated_by"`
	UpdatedAt     time.Time      `json:"updated_at"`
	SubmittedAt   *time.Time     `json:"submitted_at,omitempty"` // of the latest version
	FirstAt       *time.Time     `json:"first_submitted_at,omitempty"`
	// Read with it.
	OrgName          string   `json:"org_name,omitempty"`
	Chain            []string `json:"chain,omitempty"`
	DueOn            string   `json:"due_on,omitempty"`
	CampaignTitle    string   `json:"campaign_title,omitempty"`
	RequirementTitle string   `json:"requirement_title,omitempty"`
}

// Submission states. Pending: nothing saved yet; draft: a working copy
// saved, not submitted; submitted: a version under review at Level;
// returned: the latest version sent back for changes; accepted: accepted
// by every body in the chain.
const (
	SubPending   = "pending"
	SubDraft     = "draft"
	SubSubmitted = "submitted"
	SubReturned  = "returned"
	SubAccepted  = "accepted"
)

// SubmissionStatuses lists the states in display order.
var SubmissionStatuses = []string{SubPending, SubDraft, SubSubmitted, SubReturned, SubAccepted}

// Late reports whether the organization still owes the submission after
// its due day: nothing under review or accepted by then.
func (s *Submission) Late(today string) bool {
	return s.DueOn != "" && s.DueOn < today && (s.Status == SubPending || s.Status == SubDraft || s.Status == SubReturned)
}

// Editable reports whether the organization may change the working copy.
func (s *Submission) Editable() bool {
	return s.Status == SubPending || s.Status == SubDraft || s.Status == SubReturned
}

// SubmissionVersion is a submitted, frozen version.
type SubmissionVersion struct {
	SubmissionID string         `json:"submission_id"`
	Version      int            `json:"version"`
	Data         SubmissionData `json:"data"`
	SubmittedBy  string         `json:"submitted_by"`
	SubmittedAt  time.Time      `json:"submitted_at"`
}

// SubmissionReview is one body's decision on a version.
type SubmissionReview struct {
	ID            string    `json:"id"`
	SubmissionID  string    `json:"submission_id"`
	Version       int       `json:"version"`
	Level         int       `json:"level"`
	ReviewerOrgID string    `json:"reviewer_org_id"`
	Reviewer      string    `json:"reviewer"`
	Decision      string    `json:"decision"` // ReviewAccept or ReviewReturn
	Comment       string    `json:"comment"`
	DecidedAt     time.Time `json:"decided_at"`
	// Read with it.
	ReviewerOrgName string `json:"reviewer_org_name,omitempty"`
}

// Review decisions.
const (
	ReviewAccept = "accept"
	ReviewReturn = "return"
)

// Check validates a decision: a return needs a comment saying what to
// change.
func (r *SubmissionReview) Check() error {
	var p Problems
	r.Comment = strings.TrimSpace(r.Comment)
	if r.Decision != ReviewAccept && r.Decision != ReviewReturn {
		p.Add("decision", "field.one_of", "values", "accept, return")
	}
	checkText(&p, "comment", r.Comment, r.Decision == ReviewReturn, 2000)
	return p.Err()
}

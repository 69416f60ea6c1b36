package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"openisms/internal/isms"
)

// FrameworkColumns are the columns of a framework CSV, in order. ref and
// a title are required; every other column may be left out. Columns named
// attr:NAME become the node's attributes (for example attr:level).
var FrameworkColumns = []string{"ref", "parent", "title_zh", "title_en", "assessable", "category", "withdrawn", "description"}

// MappingColumns are the columns of a mapping CSV.
var MappingColumns = []string{"source_framework", "source_ref", "target_framework", "target_ref", "relation"}

// bad is an import problem naming the element and the rule.
func bad(field, id string, kv ...any) error { return isms.Invalid(field, isms.M(id, kv...)) }

// ReadFrameworkCSV reads a framework's tree from CSV (UTF-8, header row,
// optional BOM). The framework's code and names are not in the file:
// the caller sets them.
func ReadFrameworkCSV(r io.Reader) (isms.Catalog, error) {
	var c isms.Catalog
	rows, header, err := readCSV(r)
	if err != nil {
		return c, err
	}
	col := columns(header)
	if _, ok := col["ref"]; !ok {
		return c, bad("file", "framework.csv_column", "column", "ref")
	}
	_, zh := col["title_zh"]
	_, en := col["title_en"]
	if !zh && !en {
		return c, bad("file", "framework.csv_column", "column", "title_zh / title_en")
	}
	var p isms.Problems
	for i, row := range rows {
		get := cells(col, row)
		n := isms.RequirementNode{Ref: get("ref"), ParentRef: get("parent"), TitleZH: get("title_zh"), TitleEN: get("title_en"),
			Category: get("category"), Description: get("description")}
		line := "row " + strconv.Itoa(i+2)
		var ok bool
		if n.Assessable, ok = parseBool(get("assessable"), true); !ok {
			p.Add(line+" assessable", "framework.csv_bool", "value", get("assessable"))
		}
		if n.Withdrawn, ok = parseBool(get("withdrawn"), false); !ok {
			p.Add(line+" withdrawn", "framework.csv_bool", "value", get("withdrawn"))
		}
		for j, h := range header {
			if name, ok := strings.CutPrefix(h, "attr:"); ok && j < len(row) && row[j] != "" {
				if n.Attributes == nil {
					n.Attributes = map[string]string{}
				}
				n.Attributes[name] = row[j]
			}
		}
		c.Nodes = append(c.Nodes, n)
	}
	if err := p.Err(); err != nil {
		return c, err
	}
	// A node's parent may come after it in a hand-written file; the
	// catalog wants parents first.
	return c, orderParentsFirst(&c)
}

// readCSV reads a whole CSV with a header row of lower-case names.
func readCSV(r io.Reader) (rows [][]string, header []string, err error) {
	b, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return nil, nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	all, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, nil, bad("file", "framework.csv_syntax", "line", pe.Line, "err", pe.Err.Error())
		}
		return nil, nil, bad("file", "framework.csv_syntax", "line", 0, "err", err.Error())
	}
	if len(all) < 2 {
		return nil, nil, bad("file", "framework.csv_empty")
	}
	for _, h := range all[0] {
		header = append(header, strings.ToLower(strings.TrimSpace(h)))
	}
	return all[1:], header, nil
}

func parseBool(s string, empty bool) (bool, bool) {
	switch strings.ToLower(s) {
	case "":
		return empty, true
	case "1", "true", "yes", "y", "是", "x":
		return true, true
	case "0", "false", "no", "n", "否":
		return false, true
	}
	return false, false
}

// orderParentsFirst puts every node after its parent, keeping the file's
// order otherwise. Unknown parents and cycles are left for Check.
func orderParentsFirst(c *isms.Catalog) error {
	byRef := make(map[string]int, len(c.Nodes))
	for i, n := range c.Nodes {
		if _, dup := byRef[n.Ref]; !dup {
			byRef[n.Ref] = i
		}
	}
	children := map[string][]int{}
	var roots []int
	for i, n := range c.Nodes {
		if _, ok := byRef[n.ParentRef]; n.ParentRef == "" || !ok || n.ParentRef == n.Ref {
			roots = append(roots, i)
		} else {
			children[n.ParentRef] = append(children[n.ParentRef], i)
		}
	}
	out := make([]isms.RequirementNode, 0, len(c.Nodes))
	placed := make([]bool, len(c.Nodes))
	var walk func(i int)
	walk = func(i int) {
		if placed[i] {
			return
		}
		placed[i] = true
		out = append(out, c.Nodes[i])
		if byRef[c.Nodes[i].Ref] == i {
			for _, k := range children[c.Nodes[i].Ref] {
				walk(k)
			}
		}
	}
	for _, i := range roots {
		walk(i)
	}
	for i := range c.Nodes {
		if !placed[i] { // in a cycle
			return bad("node "+c.Nodes[i].Ref+" parent", "framework.parent_cycle", "parent", c.Nodes[i].ParentRef)
		}
	}
	c.Nodes = out
	return nil
}

// WriteFrameworkCSV writes a framework's tree in the columns
// ReadFrameworkCSV reads, attributes as attr: columns.
func WriteFrameworkCSV(w io.Writer, nodes []isms.RequirementNode) error {
	var attrs []string
	for _, n := range nodes {
		for k := range n.Attributes {
			if !slices.Contains(attrs, k) {
				attrs = append(attrs, k)
			}
		}
	}
	slices.Sort(attrs)
	cw := csv.NewWriter(w)
	header := slices.Clone(FrameworkColumns)
	for _, a := range attrs {
		header = append(header, "attr:"+a)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, n := range nodes {
		row := []string{n.Ref, n.ParentRef, n.TitleZH, n.TitleEN, strconv.FormatBool(n.Assessable), n.Category,
			strconv.FormatBool(n.Withdrawn), n.Description}
		for _, a := range attrs {
			row = append(row, n.Attributes[a])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// MappingRow is one line of a mapping CSV.
type MappingRow struct {
	Line                                                        int
	SourceFramework, SourceRef, TargetFramework, TargetRef, Rel string
}

// ReadMappingCSV reads mapping pairs; the relation defaults to equal.
func ReadMappingCSV(r io.Reader) ([]MappingRow, error) {
	rows, header, err := readCSV(r)
	if err != nil {
		return nil, err
	}
	col := columns(header)
	for _, k := range MappingColumns[:4] {
		if _, ok := col[k]; !ok {
			return nil, bad("file", "framework.csv_column", "column", k)
		}
	}
	var p isms.Problems
	out := make([]MappingRow, 0, len(rows))
	for i, row := range rows {
		get := cells(col, row)
		m := MappingRow{Line: i + 2, SourceFramework: get("source_framework"), SourceRef: get("source_ref"),
			TargetFramework: get("target_framework"), TargetRef: get("target_ref"), Rel: strings.ToLower(get("relation"))}
		if m.Rel == "" {
			m.Rel = isms.RelEqual
		}
		line := "row " + strconv.Itoa(m.Line)
		for k, v := range map[string]string{"source_framework": m.SourceFramework, "source_ref": m.SourceRef,
			"target_framework": m.TargetFramework, "target_ref": m.TargetRef} {
			if v == "" {
				p.Add(line+" "+k, "field.required")
			}
		}
		if !slices.Contains(isms.MappingRelations, m.Rel) {
			p.Add(line+" relation", "field.one_of", "values", strings.Join(isms.MappingRelations, ", "))
		}
		out = append(out, m)
	}
	return out, p.Err()
}

// WriteMappingCSV writes mappings in the columns ReadMappingCSV reads.
func WriteMappingCSV(w io.Writer, ms []isms.Mapping) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(MappingColumns); err != nil {
		return err
	}
	for _, m := range ms {
		if err := cw.Write([]string{m.SourceFramework, m.SourceRef, m.TargetFramework, m.TargetRef, m.Relation}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// DetectFrameworkFormat names the format of a framework file from its
// first bytes: OSCAL JSON, CISO Assistant YAML, or CSV.
func DetectFrameworkFormat(head []byte) string {
	t := bytes.TrimSpace(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")))
	switch {
	case bytes.HasPrefix(t, []byte("{")):
		return isms.OriginOSCAL
	case bytes.Contains(t, []byte("urn:")) || bytes.Contains(t, []byte("objects:")) || bytes.HasPrefix(t, []byte("---")):
		return isms.OriginYAML
	}
	return isms.OriginCSV
}

// FrameworkFile names a framework's download in format (csv or oscal)
// and gives its content type.
func FrameworkFile(code, format string) (name, contentType string) {
	name = SafeName(code)
	if format == isms.OriginOSCAL {
		return name + "-oscal.json", "application/json"
	}
	return name + ".csv", "text/csv; charset=utf-8"
}

// SafeName makes text usable in a download's file name.
func SafeName(text string) string {
	return strings.NewReplacer(":", "-", "/", "-", "\\", "-", "\"", "", " ", "-").Replace(text)
}

// TextRow is one line of a requirements' full-text file: a reference, its
// text and, optionally, the organization's own Chinese title.
type TextRow struct {
	Line               int
	Ref, Text, TitleZH string
	HasTitle           bool // the file has a title_zh column
}

// ReadTextsCSV reads a full-text file (columns ref and text, optionally
// title_zh; UTF-8, header row, optional BOM). Rows are checked by the
// caller against the framework.
func ReadTextsCSV(r io.Reader) ([]TextRow, error) {
	rows, header, err := readCSV(r)
	if err != nil {
		return nil, err
	}
	col := columns(header)
	for _, k := range []string{"ref", "text"} {
		if _, ok := col[k]; !ok {
			return nil, bad("file", "framework.csv_column", "column", k)
		}
	}
	_, hasTitle := col["title_zh"]
	out := make([]TextRow, 0, len(rows))
	for i, row := range rows {
		get := cells(col, row)
		out = append(out, TextRow{Line: i + 2, Ref: get("ref"), Text: get("text"), TitleZH: get("title_zh"), HasTitle: hasTitle})
	}
	return out, nil
}

// columns maps a CSV header's names to their positions.
func columns(header []string) map[string]int {
	col := make(map[string]int, len(header))
	for i, h := range header {
		col[h] = i
	}
	return col
}

// cells reads a row's cells by column name, trimmed; "" for a column the
// file lacks or the row leaves out.
func cells(col map[string]int, row []string) func(string) string {
	return func(k string) string {
		if j, ok := col[k]; ok && j < len(row) {
			return strings.TrimSpace(row[j])
		}
		return ""
	}
}

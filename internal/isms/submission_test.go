package isms

import (
	"testing"
)

func schemaFixture() SubmissionSchema {
	return SubmissionSchema{Fields: []Field{
		{Key: "name", LabelZH: "名称", Kind: FieldText, Required: true},
		{Key: "staff", LabelZH: "人数", Kind: FieldNumber},
		{Key: "on", LabelZH: "日期", Kind: FieldDate},
		{Key: "group", LabelZH: "领导小组", Kind: FieldChoice, Choices: []string{"是", "否"}, Required: true},
		{Key: "systems", LabelZH: "系统", Kind: FieldTable, Columns: []Field{
			{Key: "name", LabelZH: "名称", Kind: FieldText, Required: true},
			{Key: "level", LabelZH: "等级", Kind: FieldNumber}}},
		{Key: "files", LabelZH: "附件", Kind: FieldAttachment, Required: true},
	}}
}

// A form's strings become stored values: numbers parsed, blank values
// and blank rows dropped; a draft may be incomplete, a submission not.
func TestSchemaClean(t *testing.T) {
	s := schemaFixture()
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	in := map[string]any{"name": " 某单位 ", "staff": "320", "on": "", "group": "是",
		"systems": []any{map[string]any{"name": "门户", "level": "2"}, map[string]any{"name": "", "level": ""}},
		"files":   []any{"0192e4a0-0000-7000-8000-000000000001"}}
	d, err := s.Clean(in, true)
	if err != nil {
		t.Fatal(err)
	}
	if d["name"] != "某单位" || d["staff"] != 320.0 || d["on"] != nil || len(d.Rows("systems")) != 1 ||
		d.Rows("systems")[0]["level"] != 2.0 || len(d.Refs("files")) != 1 {
		t.Errorf("cleaned: %+v", d)
	}
	if _, err := s.Clean(map[string]any{"name": "x"}, false); err != nil {
		t.Errorf("an incomplete draft: %v", err)
	}
	for _, c := range []struct {
		in    map[string]any
		field string
	}{
		{map[string]any{"name": "x", "group": "是", "files": []any{"0192e4a0-0000-7000-8000-000000000001"}, "staff": "许多"}, "data.staff"},
		{map[string]any{"name": "x", "group": "也许"}, "data.group"},
		{map[string]any{"name": "x", "on": "2026-13-01"}, "data.on"},
		{map[string]any{"name": "x", "colour": "红"}, "data.colour"},
		{map[string]any{"name": "x", "systems": []any{map[string]any{"level": "3"}}}, "data.systems[0].name"},
		{map[string]any{"name": "x", "systems": "门户"}, "data.systems"},
		{map[string]any{"name": "x", "files": []any{"not-an-id"}}, "data.files"},
		{map[string]any{"name": "x"}, "data.group"}, // final: required
	} {
		_, err := s.Clean(c.in, true)
		e := AsError(err)
		found := false
		for _, f := range e.Fields {
			found = found || f.Field == c.field
		}
		if e == nil || !found {
			t.Errorf("%v: want a problem on %s, got %v", c.in, c.field, err)
		}
	}
}

// A schema names its fields well: keys, kinds, choices, columns, sources.
func TestSchemaCheck(t *testing.T) {
	for _, c := range []struct {
		f     Field
		field string
	}{
		{Field{Key: "Bad Key", LabelZH: "x", Kind: FieldText}, "fields[0].key"},
		{Field{Key: "a", LabelZH: "x", Kind: "image"}, "fields[0].kind"},
		{Field{Key: "a", LabelZH: "x", Kind: FieldChoice}, "fields[0].choices"},
		{Field{Key: "a", LabelZH: "x", Kind: FieldTable}, "fields[0].columns"},
		{Field{Key: "a", LabelZH: "x", Kind: FieldTable, Columns: []Field{{Key: "t", LabelZH: "y", Kind: FieldTable}}}, "fields[0].columns[0].kind"},
		{Field{Key: "a", LabelZH: "x", Kind: FieldPull, Source: "people", Columns: []Field{{Key: "name", LabelZH: "y", Kind: FieldText}}}, "fields[0].source"},
		{Field{Key: "a", LabelZH: "x", Kind: FieldText, Prefill: "org.secret"}, "fields[0].prefill"},
		{Field{Key: "a", Kind: FieldText}, "fields[0].label_zh"},
	} {
		s := SubmissionSchema{Fields: []Field{c.f}}
		e := AsError(s.Check())
		found := false
		if e != nil {
			for _, f := range e.Fields {
				found = found || f.Field == c.field
			}
		}
		if !found {
			t.Errorf("%+v: want a problem on %s, got %v", c.f, c.field, e)
		}
	}
	dup := SubmissionSchema{Fields: []Field{{Key: "a", LabelZH: "x", Kind: FieldText}, {Key: "a", LabelZH: "y", Kind: FieldText}}}
	if e := AsError(dup.Check()); e == nil || e.Fields[0].Field != "fields[1].key" {
		t.Errorf("a repeated key: %v", e)
	}
}

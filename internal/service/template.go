package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
	"openisms/internal/store"
)

// TemplateResult counts what applying a template added.
type TemplateResult struct {
	Departments int `json:"departments"`
	MatrixRows  int `json:"matrix_rows"`
	Marks       int `json:"marks"`
	Documents   int `json:"documents"`
	RecordTypes int `json:"record_types"`
	// Profile counts the policy, scope and boundary texts and the ISMS
	// roles filled in.
	Profile int `json:"profile"`
}

// ApplyTemplate sets an organization up from a template in one
// transaction. It adds what is missing — departments by name, matrix rows
// by key (with their marks) — and changes nothing that exists: a clause
// the organization already has keeps its marks, so applying twice is the
// same as applying once.
func (s *Service) ApplyTemplate(ctx context.Context, a isms.Actor, orgID string, t orgtemplate.Template) (TemplateResult, error) {
	var res TemplateResult
	for _, act := range []isms.Action{isms.ActManageDepartments, isms.ActManageISMS} {
		if err := a.Require(act); err != nil {
			return res, err
		}
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := recordOrg(ctx, tx, a, "org_id", orgID); err != nil {
			return err
		}
		var err error
		res, err = s.applyTemplate(ctx, tx, a, orgID, t)
		return err
	})
	return res, err
}

func (s *Service) applyTemplate(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, t orgtemplate.Template) (TemplateResult, error) {
	var res TemplateResult
	depts, err := tx.DepartmentsByName(ctx, orgID)
	if err != nil {
		return res, err
	}
	for _, td := range t.Departments {
		if _, ok := depts[td.Name]; ok {
			continue
		}
		d, err := s.createDepartment(ctx, tx, a, isms.Department{OrgID: orgID, Name: td.Name, Code: td.Code})
		if err != nil {
			return res, err
		}
		depts[d.Name] = d
		res.Departments++
	}
	existing, err := tx.MatrixRows(ctx, orgID)
	if err != nil {
		return res, err
	}
	have := map[string]bool{}
	for _, r := range existing {
		have[r.Key] = true
	}
	for _, tr := range t.Matrix.Rows {
		if have[tr.Key] {
			continue
		}
		r, err := s.addMatrixRow(ctx, tx, a, orgID, tr.Key, tr.TitleZH, tr.TitleEN)
		if err != nil {
			return res, err
		}
		res.MatrixRows++
		for i, mark := range tr.Marks {
			if mark == "" {
				continue
			}
			if err := s.setCell(ctx, tx, a, r, depts[t.Matrix.Columns[i]], "", mark); err != nil {
				return res, err
			}
			res.Marks++
		}
	}
	codes, err := tx.DocumentCodes(ctx, orgID)
	if err != nil {
		return res, err
	}
	for _, td := range t.Documents {
		if codes[td.Code] {
			continue
		}
		d := isms.Document{Code: td.Code, Title: td.TitleZH, Type: td.Type, DeptID: depts[td.Department].ID}
		d.CompilingDeptID = d.DeptID
		if _, err := s.createDocument(ctx, tx, a, orgID, DocInput{Document: d, ChangeNote: "由模板登记 / registered from template " + t.Name}); err != nil {
			return res, err
		}
		res.Documents++
	}
	types, err := tx.RecordTypes(ctx, orgID)
	if err != nil {
		return res, err
	}
	haveType := map[string]bool{}
	for _, rt := range types {
		haveType[rt.Code] = true
	}
	for _, tr := range t.RecordTypes {
		if haveType[tr.Code] {
			continue
		}
		rt := isms.RecordType{Code: tr.Code, NameZH: tr.NameZH, NameEN: tr.NameEN, Category: tr.Category, Form: tr.Form,
			Medium: tr.Medium, RetentionMonths: tr.RetentionMonths, Location: tr.Location, OwnerDeptID: depts[tr.Department].ID,
			DocumentCode: tr.Document}
		if _, err := s.createRecordType(ctx, tx, a, orgID, rt); err != nil {
			return res, err
		}
		res.RecordTypes++
	}
	n, err := s.addDefaultRecordTypes(ctx, tx, a, orgID)
	if err != nil {
		return res, err
	}
	res.RecordTypes += n
	var prof isms.Profile
	if _, err := tx.Setting(ctx, orgID, profileSetting, &prof); err != nil {
		return res, err
	}
	old := prof
	old.Roles = append([]isms.ProfileRole(nil), prof.Roles...)
	if res.Profile = mergeProfile(&prof, t.Profile()); res.Profile > 0 {
		if err := s.saveProfile(ctx, tx, a, orgID, old, &prof); err != nil {
			return res, err
		}
	}
	return res, nil
}

// ExportTemplate writes an organization's structure as a template — its
// live departments (as top-level departments: a template is flat) and its
// responsibility matrix — so a group can roll its own standard out to its
// subsidiaries.
func (s *Service) ExportTemplate(ctx context.Context, a isms.Actor, orgID, name string) (orgtemplate.Template, error) {
	t := orgtemplate.Template{Name: name}
	if err := a.Require(isms.ActViewStructure); err != nil {
		return t, err
	}
	if !isms.ValidID(orgID) || !a.OwnOrg(orgID) {
		return t, isms.NotFound("organization")
	}
	o, err := s.st.Organization(ctx, orgID)
	if err != nil {
		return t, err
	}
	t.TitleZH, t.TitleEN = o.Name, o.Name
	depts, err := s.st.ListDepartments(ctx, isms.ListFilter{OrgID: orgID, Limit: isms.MaxPageSize})
	if err != nil {
		return t, err
	}
	rows, err := s.st.MatrixRows(ctx, orgID)
	if err != nil {
		return t, err
	}
	cells, err := s.st.MatrixCells(ctx, orgID)
	if err != nil {
		return t, err
	}
	t.Departments = []orgtemplate.Department{}
	t.Matrix.Columns = []string{}
	t.Matrix.Rows = []orgtemplate.MatrixRow{}
	for _, d := range depts {
		t.Departments = append(t.Departments, orgtemplate.Department{Name: d.Name, Code: d.Code})
		t.Matrix.Columns = append(t.Matrix.Columns, d.Name)
	}
	for _, r := range rows {
		tr := orgtemplate.MatrixRow{Key: r.Key, TitleZH: r.TitleZH, TitleEN: r.TitleEN, Marks: make([]string, len(depts))}
		for i, d := range depts {
			tr.Marks[i] = cells[r.ID][d.ID]
		}
		t.Matrix.Rows = append(t.Matrix.Rows, tr)
	}
	names := map[string]string{}
	for _, d := range depts {
		names[d.ID] = d.Name
	}
	var prof isms.Profile
	if _, err := s.st.Setting(ctx, orgID, profileSetting, &prof); err != nil {
		return t, err
	}
	t.PolicyZH, t.PolicyEN, t.ScopeZH, t.ScopeEN = prof.PolicyZH, prof.PolicyEN, prof.ScopeZH, prof.ScopeEN
	t.BoundaryZH, t.BoundaryEN, t.Roles = prof.BoundaryZH, prof.BoundaryEN, prof.Roles
	types, err := s.st.RecordTypes(ctx, orgID)
	if err != nil {
		return t, err
	}
	for _, rt := range types {
		t.RecordTypes = append(t.RecordTypes, orgtemplate.RecordType{Code: rt.Code, NameZH: rt.NameZH, NameEN: rt.NameEN,
			Category: rt.Category, Form: rt.Form, Medium: rt.Medium, RetentionMonths: rt.RetentionMonths, Location: rt.Location,
			Department: names[rt.OwnerDeptID], Document: rt.DocumentCode})
	}
	for after := ""; ; {
		docs, err := s.st.ListDocuments(ctx, store.DocFilter{OrgID: orgID, After: after, Limit: isms.MaxPageSize})
		if err != nil {
			return t, err
		}
		for _, d := range docs {
			if d.Status == isms.DocObsolete {
				continue
			}
			t.Documents = append(t.Documents, orgtemplate.Document{Code: d.Code, TitleZH: d.Title, Type: d.Type, Department: names[d.DeptID]})
		}
		if len(docs) < isms.MaxPageSize {
			return t, nil
		}
		after = docs[len(docs)-1].Code
	}
}

package service_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// The matrix: rows added, marks set and cleared, each change in the trail;
// bad marks, foreign rows and other organizations' departments refused.
func TestMatrixCells(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := service.New(st, isms.NewFakeClock(time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)), auth.Hasher{P: auth.TestParams},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		cli := isms.CLIActor("t")
		org, err := svc.CreateOrganization(ctx, cli, isms.Organization{Name: "矩阵单位"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := svc.CreateOrganization(ctx, cli, isms.Organization{Name: "别的单位"})
		if err != nil {
			t.Fatal(err)
		}
		it, _ := svc.CreateDepartment(ctx, cli, isms.Department{OrgID: org.ID, Name: "信息技术部"})
		hr, _ := svc.CreateDepartment(ctx, cli, isms.Department{OrgID: org.ID, Name: "人力资源部"})
		foreign, _ := svc.CreateDepartment(ctx, cli, isms.Department{OrgID: other.ID, Name: "信息技术部"})
		team := actorOf(t, svc, st, org, "mteam", isms.RoleISMSTeam)
		emp := actorOf(t, svc, st, org, "memp", isms.RoleEmployee)
		outsider := actorOf(t, svc, st, other, "mout", isms.RoleISMSTeam)

		r, err := svc.AddMatrixRow(ctx, team, "A.9", "访问控制", "Access control")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddMatrixRow(ctx, team, "A.9", "重复", ""); isms.ErrorCode(err) != isms.CodeConflict {
			t.Fatalf("duplicate key: %v", err)
		}
		if _, err := svc.AddMatrixRow(ctx, emp, "A.10", "密码", ""); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("employee adds a row: %v", err)
		}
		if err := svc.SetMatrixCell(ctx, team, r.ID, it.ID, "主要"); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetMatrixCell(ctx, team, r.ID, hr.ID, "△"); err != nil {
			t.Fatal(err)
		}
		var e *isms.Error
		if err := svc.SetMatrixCell(ctx, team, r.ID, hr.ID, "X"); !errors.As(err, &e) || e.Fields[0].Field != "mark" {
			t.Fatalf("bad mark: %v", err)
		}
		if err := svc.SetMatrixCell(ctx, team, r.ID, foreign.ID, "▲"); !errors.As(err, &e) || e.Fields[0].Field != "department_id" {
			t.Fatalf("foreign department: %v", err)
		}
		if err := svc.SetMatrixCell(ctx, outsider, r.ID, foreign.ID, "▲"); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Fatalf("other organization's row: %v", err)
		}
		// Setting the same mark again changes nothing and records nothing.
		if err := svc.SetMatrixCell(ctx, team, r.ID, it.ID, "▲"); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetMatrixCell(ctx, team, r.ID, hr.ID, ""); err != nil {
			t.Fatal(err)
		}
		m, err := svc.Matrix(ctx, emp)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Rows) != 1 || m.Cells[r.ID][it.ID] != "▲" || len(m.Cells[r.ID]) != 1 || len(m.Departments) != 2 {
			t.Fatalf("matrix = %+v", m)
		}
		hist, err := svc.MatrixHistory(ctx, emp)
		if err != nil {
			t.Fatal(err)
		}
		// row added, IT ▲, HR △, HR cleared: four entries, newest first.
		if len(hist) != 4 || hist[0].Action != "matrix.set" || hist[3].Action != "matrix.row_add" {
			t.Fatalf("history = %d entries: %+v", len(hist), hist)
		}
		if om, _ := svc.Matrix(ctx, outsider); len(om.Rows) != 0 {
			t.Fatalf("another organization sees %d rows", len(om.Rows))
		}
	})
}

// An import is all or nothing and names the row and column of every
// problem; a good sheet adds new clauses and replaces marks.
func TestMatrixImport(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := newService(st)
		cli := isms.CLIActor("t")
		org, _ := svc.CreateOrganization(ctx, cli, isms.Organization{Name: "导入单位"})
		it, _ := svc.CreateDepartment(ctx, cli, isms.Department{OrgID: org.ID, Name: "信息技术部"})
		hr, _ := svc.CreateDepartment(ctx, cli, isms.Department{OrgID: org.ID, Name: "人力资源部"})
		team := actorOf(t, svc, st, org, "iteam", isms.RoleISMSTeam)
		before := count(t, st, "audit_log")

		bad := [][]string{
			{"编号", "名称", "Title", "信息技术部", "财务部"},
			{"4.1", "理解组织", "Context", "▲", ""},
			{"", "缺编号", "", "△", ""},
			{"A.7", "人力资源安全", "HR", "X", ""},
		}
		_, err := svc.ImportMatrix(ctx, team, bad)
		var e *isms.Error
		if !errors.As(err, &e) {
			t.Fatalf("bad sheet accepted: %v", err)
		}
		got := map[string]bool{}
		for _, f := range e.Fields {
			got[f.Field] = true
		}
		for _, want := range []string{"R1C5", "R3C1", "R4C4"} {
			if !got[want] {
				t.Errorf("no problem reported at %s (got %v)", want, got)
			}
		}
		if len(e.Fields) != 3 {
			t.Errorf("problems = %v", e.Fields)
		}
		if n := count(t, st, "matrix_rows") + count(t, st, "matrix_cells"); n != 0 || count(t, st, "audit_log") != before {
			t.Fatalf("a failed import wrote %d matrix rows/cells", n)
		}

		good := [][]string{
			{"编号", "名称", "Title", "信息技术部", "人力资源部"},
			{"4.1", "理解组织及其环境", "Context", "△", "-"},
			{"A.7", "人力资源安全", "HR security", "配合", "主"},
			{"", "", "", "", ""},
		}
		n, err := svc.ImportMatrix(ctx, team, good)
		if err != nil {
			t.Fatal(err)
		}
		// two rows + four marks
		if n != 6 {
			t.Fatalf("changes = %d, want 6", n)
		}
		// Importing again changes nothing; a changed mark changes one cell.
		if n, _ := svc.ImportMatrix(ctx, team, good); n != 0 {
			t.Fatalf("re-import changed %d", n)
		}
		good[2][4] = ""
		if n, _ := svc.ImportMatrix(ctx, team, good); n != 1 {
			t.Fatalf("one change counted as %d", n)
		}
		m, _ := svc.Matrix(ctx, team)
		if len(m.Rows) != 2 || m.Rows[1].Key != "A.7" || m.Cells[m.Rows[1].ID][it.ID] != "△" || m.Cells[m.Rows[1].ID][hr.ID] != "" ||
			m.Cells[m.Rows[0].ID][hr.ID] != "-" {
			t.Fatalf("matrix after import: %+v", m)
		}
	})
}

// The seed template sets up 5 departments and the 50-row matrix in one
// step; applying it again changes nothing, and an organization's own
// edits survive a re-apply.
func TestApplySeedTemplate(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := newService(st)
		cli := isms.CLIActor("t")
		org, _ := svc.CreateOrganization(ctx, cli, isms.Organization{Name: "模板单位"})
		// One department exists already: it is kept, not duplicated.
		if _, err := svc.CreateDepartment(ctx, cli, isms.Department{OrgID: org.ID, Name: "财务部"}); err != nil {
			t.Fatal(err)
		}
		tpl, err := orgtemplate.Load("iso27001-seed")
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.ApplyTemplate(ctx, cli, org.ID, tpl)
		if err != nil {
			t.Fatal(err)
		}
		// 50 rows × 5 columns = 250 cells, 54 of them blank (8+44+1+1+0).
		// Record types: the template's 16 plus the 4 built-in ones it does
		// not list (inspection, drill, inventory, duty_record). Profile: the
		// policy in two languages and five ISMS roles.
		if res != (service.TemplateResult{Departments: 4, MatrixRows: 50, Marks: 196, Documents: 58, RecordTypes: 25, Profile: 7}) {
			t.Fatalf("result = %+v", res)
		}
		team := actorOf(t, svc, st, org, "tteam", isms.RoleISMSTeam)
		// The manual's policy and the ISMS roles of its authorization letter.
		prof, err := svc.Profile(ctx, team)
		if err != nil || prof.PolicyZH != "切实推行安全管理，积极防御风险" || len(prof.Roles) != 5 ||
			prof.Roles[1].Key != "management_rep" || prof.Roles[1].Role != isms.RoleManagementRep || prof.ScopeZH != "" {
			t.Fatalf("profile: %+v %v", prof, err)
		}
		// The 58 documents of appendices 5 and 6, drafts in code order.
		docs, err := svc.ListDocuments(ctx, team, store.DocFilter{Limit: 100})
		if err != nil || len(docs) != 58 {
			t.Fatalf("documents: %d %v", len(docs), err)
		}
		policies, procedures := 0, 0
		for _, d := range docs {
			switch {
			case d.Status != isms.DocDraft || d.VersionLabel != "A/0":
				t.Fatalf("%s: %s %s", d.Code, d.Status, d.VersionLabel)
			case strings.HasPrefix(d.Code, "XX-A-"):
				policies++
			case strings.HasPrefix(d.Code, "XX-B-"):
				procedures++
			}
		}
		if policies != 23 || procedures != 35 || docs[0].Code != "XX-A-01" || docs[0].Type != isms.DocManual ||
			docs[57].Code != "XX-B-35" || docs[57].Title != "软件开发管理程序" || docs[57].Type != isms.DocProcedure {
			t.Fatalf("policies %d, procedures %d, first %+v, last %+v", policies, procedures, docs[0], docs[57])
		}
		m, _ := svc.Matrix(ctx, team)
		if len(m.Departments) != 5 || len(m.Rows) != 50 || m.Rows[0].Key != "4.1" || m.Rows[49].Key != "A.15" {
			t.Fatalf("matrix: %d departments, %d rows", len(m.Departments), len(m.Rows))
		}
		// The organization changes a mark; re-applying keeps it.
		var admin isms.Department
		for _, d := range m.Departments {
			if d.Name == "行政部" {
				admin = d
			}
		}
		if err := svc.SetMatrixCell(ctx, team, m.Rows[0].ID, admin.ID, "△"); err != nil {
			t.Fatal(err)
		}
		before := count(t, st, "audit_log")
		res, err = svc.ApplyTemplate(ctx, cli, org.ID, tpl)
		if err != nil || res != (service.TemplateResult{}) {
			t.Fatalf("re-apply: %+v %v", res, err)
		}
		if n := count(t, st, "audit_log"); n != before {
			t.Fatalf("re-apply wrote %d audit entries", n-before)
		}
		m, _ = svc.Matrix(ctx, team)
		if m.Cells[m.Rows[0].ID][admin.ID] != "△" {
			t.Fatal("re-apply overwrote the organization's own mark")
		}
		// Export as a template, read it back, apply it to a subsidiary: the
		// same grid, the organization's own edit included.
		exp, err := svc.ExportTemplate(ctx, cli, org.ID, "group-standard")
		if err != nil {
			t.Fatal(err)
		}
		src, err := orgtemplate.Marshal(exp)
		if err != nil {
			t.Fatal(err)
		}
		back, err := orgtemplate.Parse(src)
		if err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		sub, _ := svc.CreateOrganization(ctx, cli, isms.Organization{Name: "子公司", ParentID: org.ID})
		if res, err := svc.ApplyTemplate(ctx, cli, sub.ID, back); err != nil || res.Departments != 5 || res.MatrixRows != 50 || res.Marks != 196 || res.Documents != 58 ||
			res.RecordTypes != 25 || res.Profile != 7 {
			t.Fatalf("apply export: %+v %v", res, err)
		}
		subTeam := actorOf(t, svc, st, sub, "steam", isms.RoleISMSTeam)
		sm, _ := svc.Matrix(ctx, subTeam)
		for i, r := range sm.Rows {
			for _, d := range sm.Departments {
				var od isms.Department
				for _, x := range m.Departments {
					if x.Name == d.Name {
						od = x
					}
				}
				if got, want := sm.Cells[r.ID][d.ID], m.Cells[m.Rows[i].ID][od.ID]; got != want || r.Key != m.Rows[i].Key {
					t.Fatalf("row %s × %s: %q, want %q", r.Key, d.Name, got, want)
				}
			}
		}
		// An employee may not apply a template.
		emp := actorOf(t, svc, st, org, "temp", isms.RoleEmployee)
		if _, err := svc.ApplyTemplate(ctx, emp, org.ID, tpl); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("employee: %v", err)
		}
	})
}

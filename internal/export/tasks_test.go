package export

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
)

// Compare cells, not zip bytes.
func TestTasksRoundTrip(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	done := time.Date(2026, 11, 3, 2, 0, 0, 0, time.UTC)
	tasks := []isms.Task{
		{TitleZH: "登录日志审查", TitleEN: "Login log review", DueAt: time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC),
			AssigneeRole: isms.RoleSecurityAdmin, Status: isms.TaskDone, Evidence: "无异常", CompletedBy: "secadmin", CompletedAt: &done},
		{TitleZH: "服务器月度检查", DueAt: time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC), AssigneeRole: isms.RoleSystemAdmin,
			Status: isms.TaskOpen, EscalationLevel: 2},
	}
	var buf bytes.Buffer
	if err := Tasks(&buf, tasks, loc); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0][0] != TaskHeaders[0] {
		t.Fatalf("rows: %v", rows)
	}
	want := []string{"登录日志审查", "Login log review", "2026-11-02 09:00", "security_admin", "done", "无异常", "", "secadmin", "2026-11-03 10:00", "0"}
	for i, w := range want {
		if rows[1][i] != w {
			t.Errorf("row 2 col %d: %q, want %q", i+1, rows[1][i], w)
		}
	}
	if rows[2][2] != "2026-11-05 10:00" || rows[2][9] != "2" {
		t.Errorf("row 3: %v", rows[2])
	}
}

// A matrix export reads back cell for cell, so an edited export imports.
func TestMatrixRoundTrip(t *testing.T) {
	m := isms.Matrix{
		Rows:        []isms.MatrixRow{{ID: "r1", Key: "4.1", TitleZH: "理解组织", TitleEN: "Context"}, {ID: "r2", Key: "A.7", TitleZH: "人力资源安全"}},
		Departments: []isms.Department{{ID: "d1", Name: "信息技术部"}, {ID: "d2", Name: "人力资源部"}},
		Cells:       map[string]map[string]string{"r1": {"d1": "▲", "d2": "-"}, "r2": {"d2": "△"}},
	}
	var buf bytes.Buffer
	if err := Matrix(&buf, m); err != nil {
		t.Fatal(err)
	}
	sheet, err := ReadSheet(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"编号 No.", "名称 Title", "英文名 English", "信息技术部", "人力资源部"},
		{"4.1", "理解组织", "Context", "▲", "-"},
		{"A.7", "人力资源安全", "", "", "△"},
	}
	if fmt.Sprint(sheet) != fmt.Sprint(want) {
		t.Fatalf("sheet = %q\nwant %q", sheet, want)
	}
	if _, err := ReadSheet(strings.NewReader("not a workbook")); isms.ErrorCode(err) != isms.CodeInvalid {
		t.Fatalf("garbage: %v", err)
	}
}

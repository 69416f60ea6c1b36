package export_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"openisms/internal/export"
	"openisms/internal/isms"
)

func TestSoAXLSX(t *testing.T) {
	yes, no := true, false
	lines := []isms.SoALine{
		{Ref: "A.5.1", TitleZH: "信息安全策略", TitleEN: "Policies for information security", Applicable: &yes,
			Reasons: []string{isms.ReasonLegal, isms.ReasonRisk}, Status: isms.ImplImplemented, Department: "行政部",
			Owner: "张三", Documents: []string{"XX-A-01 信息安全方针", "XX-B-02 文件控制程序"}, Evidence: 2, ReviewedOn: "2026-10-01"},
		{Ref: "A.5.23", TitleEN: "Information security for use of cloud services", Applicable: &no,
			Justification: "不使用云服务。", Status: isms.ImplNotStarted},
	}
	var buf bytes.Buffer
	if err := export.SoAXLSX(&buf, export.SoAHeader{Organization: "测试单位", Framework: "ISO27001:2022", Version: "V2",
		PreparedBy: "李四", ApprovedBy: "王五", ApprovedAt: "2026-11-02"}, lines); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("适用性声明")
	if err != nil {
		t.Fatal(err)
	}
	// Title, three header lines, a blank, the heading, two lines, a blank,
	// the approval block.
	if len(rows) != 12 || rows[0][0] != "适用性声明 Statement of Applicability" || rows[3][1] != "V2  " {
		t.Fatalf("rows %q", rows)
	}
	want := [][]string{
		{"A.5.1", "信息安全策略\nPolicies for information security", "适用", "法律法规、风险处理", "", "已实施", "行政部", "张三", "",
			"XX-A-01 信息安全方针\nXX-B-02 文件控制程序", "2", "2026-10-01"},
		{"A.5.23", "Information security for use of cloud services", "不适用", "", "不使用云服务。", ""},
	}
	for i, w := range want {
		got := rows[6+i]
		for j := range w {
			g := "" // trailing empty cells are not read back
			if j < len(got) {
				g = got[j]
			}
			if g != w[j] {
				t.Fatalf("line %d col %d: %q, want %q", i, j, g, w[j])
			}
		}
	}
	if rows[10][0] != "批准 Approved by" || rows[10][1] != "王五  2026-11-02" {
		t.Fatalf("approval block %q", rows[9:])
	}
}

package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
)

// SoAHeader is what the workbook says above and below the lines: whose
// SoA, on which framework, which version, and who prepared and approved
// it (names as people read them).
type SoAHeader struct {
	Organization string
	Framework    string // code and name
	Version      string // "V3", or "工作稿 Working copy"
	Status       string
	PreparedBy   string
	PreparedAt   string
	ApprovedBy   string
	ApprovedAt   string
	Comment      string
}

// soaColumns are the usual SoA layout: control, title, applicable,
// reasons, justification, status, department, owner, how it is done,
// documents, evidence, last reviewed.
var soaColumns = []struct {
	head  string
	width float64
}{
	{"控制编号\nControl", 10}, {"控制名称\nTitle", 34}, {"是否适用\nApplicable", 10}, {"纳入理由\nReasons", 18},
	{"理由说明 / 排除理由\nJustification", 34}, {"实施状态\nStatus", 12}, {"责任部门\nDepartment", 14},
	{"负责人\nOwner", 10}, {"实施方式\nImplementation", 40}, {"相关文件\nDocuments", 28}, {"证据\nEvidence", 8},
	{"最近评审\nReviewed", 12},
}

// SoALineCells gives a line's cells in the layout's order (shared by
// the workbook and the printable page).
func SoALineCells(l isms.SoALine) []string {
	app := "未决定"
	switch {
	case l.Applicable == nil:
	case *l.Applicable:
		app = "适用"
	default:
		app = "不适用"
	}
	reasons := make([]string, len(l.Reasons))
	for i, r := range l.Reasons {
		reasons[i] = isms.SoAReasonNames[r][0]
	}
	title := l.TitleZH
	if title == "" {
		title = l.TitleEN
	} else if l.TitleEN != "" {
		title += "\n" + l.TitleEN
	}
	evidence := ""
	if l.Evidence > 0 {
		evidence = fmt.Sprint(l.Evidence)
	}
	status := "" // only an applicable control is implemented or not
	if l.Applicable != nil && *l.Applicable {
		status = isms.ImplStatusNames[l.Status][0]
	}
	return []string{l.Ref, title, app, strings.Join(reasons, "、"), l.Justification, status,
		l.Department, l.Owner, l.Implementation, strings.Join(l.Documents, "\n"), evidence, l.ReviewedOn}
}

// SoAXLSX writes a version's lines as a workbook: a title block, the
// table with a frozen heading, and the approval block under it.
func SoAXLSX(w io.Writer, h SoAHeader, lines []isms.SoALine) error {
	const sheet = "适用性声明"
	b, err := newBook(sheet)
	if err != nil {
		return err
	}
	defer b.Close()
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	cellAlign := &excelize.Alignment{WrapText: true, Vertical: "top"}
	var title, head, body, excluded int
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&head, excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8EEF4"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}}},
		{&body, excelize.Style{Border: border, Alignment: cellAlign}},
		{&excluded, excelize.Style{Border: border, Font: &excelize.Font{Color: "7A7A7A"}, Alignment: cellAlign}},
	} {
		if *s.id, err = b.f.NewStyle(&s.style); err != nil {
			return err
		}
	}
	for i, c := range soaColumns {
		if err := b.sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	const headRow = 6 // under the title, three lines about the version and a blank
	if err := b.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headRow, TopLeftCell: fmt.Sprintf("A%d", headRow+1),
		ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	put := func(style int, vals ...string) error {
		cells := make([]any, len(vals))
		for i, v := range vals {
			cells[i] = excelize.Cell{StyleID: style, Value: v}
		}
		return b.put(cells...)
	}
	if err := put(title, "适用性声明 Statement of Applicability"); err != nil {
		return err
	}
	for _, l := range [][2]string{{"单位 Organization", h.Organization}, {"框架 Framework", h.Framework},
		{"版本 Version", h.Version + "  " + h.Status}, {}} {
		if err := put(0, l[:]...); err != nil {
			return err
		}
	}
	heads := make([]string, len(soaColumns))
	for i, c := range soaColumns {
		heads[i] = c.head
	}
	if err := put(head, heads...); err != nil {
		return err
	}
	for _, l := range lines {
		style := body
		if l.Applicable != nil && !*l.Applicable {
			style = excluded
		}
		if err := put(style, SoALineCells(l)...); err != nil {
			return err
		}
	}
	for _, l := range [][2]string{{}, {"编制 Prepared by", h.PreparedBy + "  " + h.PreparedAt},
		{"批准 Approved by", h.ApprovedBy + "  " + h.ApprovedAt}, {"意见 Comment", h.Comment}} {
		if err := put(0, l[:]...); err != nil {
			return err
		}
	}
	last, _ := excelize.ColumnNumberToName(len(soaColumns))
	if err := b.sw.MergeCell("A1", last+"1"); err != nil {
		return err
	}
	if err := b.flush(); err != nil {
		return err
	}
	if err := b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", sheet, headRow, headRow), Scope: sheet}); err != nil {
		return err
	}
	landscape := "landscape"
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape}); err != nil {
		return err
	}
	return b.f.Write(w)
}

package export

import (
	"io"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
)

// RecordHeaders are the columns of a records-register export.
var RecordHeaders = []string{"编号 Number", "记录名称 Record", "记录类型 Type", "类别 Category", "形式 Form", "记录日期 Date",
	"部门 Department", "存放地点 Kept at", "保存至 Kept until", "状态 State", "冻结原因 Hold"}

// Records writes the register page by page: next returns the following
// page, empty at the end, so the whole register never sits in memory.
// deptNames names departments by ID.
func Records(w io.Writer, next func() ([]isms.Record, error), deptNames map[string]string) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	head := make([]any, len(RecordHeaders))
	for i, h := range RecordHeaders {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	row := 2
	for {
		page, err := next()
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			loc, until, hold := r.Location, r.RetainUntil, r.HoldReason
			if loc == "" {
				loc = r.Type.Location
			}
			if until == "" {
				until = "永久 permanent"
			}
			if hold == "" {
				hold = r.Type.HoldReason
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, []any{r.Number(), r.Title, r.Type.NameZH, r.Type.Category, r.Type.Form, r.RecordDate,
				deptNames[r.DeptID], loc, until, r.State, hold}); err != nil {
				return err
			}
			row++
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

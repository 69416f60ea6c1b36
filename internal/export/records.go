package export

import (
	"io"

	"openisms/internal/isms"
)

// RecordHeaders are the columns of a records-register export.
var RecordHeaders = []string{"编号 Number", "记录名称 Record", "记录类型 Type", "类别 Category", "形式 Form", "记录日期 Date",
	"部门 Department", "存放地点 Kept at", "保存至 Kept until", "状态 State", "冻结原因 Hold"}

// Records writes the register page by page: next returns the following
// page, empty at the end, so the whole register never sits in memory.
// deptNames names departments by ID.
func Records(w io.Writer, next func() ([]isms.Record, error), deptNames map[string]string) error {
	b, err := newBook("Sheet1")
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.header(RecordHeaders); err != nil {
		return err
	}
	if err := putPages(b, next, func(r isms.Record) []any {
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
		return []any{r.Number(), r.Title, r.Type.NameZH, r.Type.Category, r.Type.Form, r.RecordDate,
			deptNames[r.DeptID], loc, until, r.State, hold}
	}); err != nil {
		return err
	}
	return b.finish(w)
}

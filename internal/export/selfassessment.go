package export

import (
	"io"
	"strings"
)

// SelfRow is one item of a GB/T 22239 self-assessment as the workbook
// shows it.
type SelfRow struct {
	Category, ControlPoint, Ref, Item, Result, Note string
	Evidence                                        int
	ISO                                             []string
	SoAEvidence                                     int
	Risk, Rectification                             string
}

// SelfHeaders are the columns of a self-assessment workbook.
var SelfHeaders = []string{"安全类 Category", "控制点 Control point", "编号 Ref.", "要求项 Item", "判定 Result",
	"说明 Note", "证据 Evidence", "ISO/IEC 27001:2022", "ISO 证据 ISO evidence", "风险 Risk", "整改项 Rectification"}

// SelfResultNames name the results in both languages.
var SelfResultNames = map[string]string{"": "未判定 Not assessed", "conform": "符合 Met", "partial": "部分符合 Partly met",
	"nonconform": "不符合 Not met", "na": "不适用 Not applicable"}

// SelfAssessment writes a self-assessment as one sheet: the title line
// (object, level, internal rate labelled as such), the headings, a row
// per item in the standard's order.
func SelfAssessment(w io.Writer, title string, rows []SelfRow) error {
	b, err := newBook("自评估")
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.put(title); err != nil {
		return err
	}
	if err := b.header(SelfHeaders); err != nil {
		return err
	}
	for _, r := range rows {
		if err := b.put(r.Category, r.ControlPoint, r.Ref, r.Item, SelfResultNames[r.Result], r.Note, r.Evidence,
			strings.Join(r.ISO, " "), r.SoAEvidence, r.Risk, r.Rectification); err != nil {
			return err
		}
	}
	return b.finish(w)
}

package export

import (
	"io"
)

// RollupPhase is one phase's figures of an organization in a roll-up.
type RollupPhase struct{ Done, Required, Late, Returned, Accepted int }

// RollupRow is one organization of a supervising body's roll-up.
type RollupRow struct {
	Name, Via, Region, Industry string
	Phases                      []RollupPhase
	Objects                     int
	ByLevel                     [6]int // 0 not graded, 1–5
	Filed, Expiring, Expired    int
	EvalDue, EvalLate           int
	LastEval, LastResult        string
	High, Medium, Low           int
}

// Rollup writes a supervising body's roll-up as the city sends it upward:
// the title line, headings (a group of four per phase of the campaign,
// if one is chosen), a row per organization and the totals.
func Rollup(w io.Writer, title string, phases []string, rows []RollupRow, total RollupRow) error {
	b, err := newBook("汇总")
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.put(title); err != nil {
		return err
	}
	heads := []string{"单位 Organization", "上级 Via", "行政区划 Region", "行业 Industry"}
	for _, p := range phases {
		heads = append(heads, p+" 已报送 Sent", p+" 应报送 Required", p+" 逾期 Late", p+" 退回 Returned", p+" 通过 Accepted")
	}
	heads = append(heads, "定级对象 Objects", "未定级 Not graded", "第一级 L1", "第二级 L2", "第三级 L3", "第四级 L4", "第五级 L5",
		"已备案 Filed", "证明90天内到期 Expiring", "证明已过期 Expired", "测评到期 Evaluations due", "测评逾期 Overdue",
		"最近测评 Last evaluation", "结论 Result", "未完成整改（高）Open high", "（中）Medium", "（低）Low")
	if err := b.header(heads); err != nil {
		return err
	}
	line := func(r RollupRow) error {
		vals := []any{r.Name, r.Via, r.Region, r.Industry}
		for _, p := range r.Phases {
			vals = append(vals, p.Done, p.Required, p.Late, p.Returned, p.Accepted)
		}
		vals = append(vals, r.Objects, r.ByLevel[0], r.ByLevel[1], r.ByLevel[2], r.ByLevel[3], r.ByLevel[4], r.ByLevel[5],
			r.Filed, r.Expiring, r.Expired, r.EvalDue, r.EvalLate, r.LastEval, r.LastResult, r.High, r.Medium, r.Low)
		return b.put(vals...)
	}
	for _, r := range rows {
		if err := line(r); err != nil {
			return err
		}
	}
	total.Name = "合计 Total"
	if err := line(total); err != nil {
		return err
	}
	return b.finish(w)
}

// Table writes a title line, headings and rows: all submissions of one
// type, one row per organization.
func Table(w io.Writer, sheet, title string, heads []string, rows [][]any) error {
	b, err := newBook(sheet)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.put(title); err != nil {
		return err
	}
	if err := b.header(heads); err != nil {
		return err
	}
	for _, r := range rows {
		if err := b.put(r...); err != nil {
			return err
		}
	}
	return b.finish(w)
}

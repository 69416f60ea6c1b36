package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"openisms/internal/i18n"
	"openisms/internal/isms"
)

// The risk register and the residual-risk report (信息安全剩余风险评估报告)
// as workbooks, written with excelize's stream writer so that memory
// stays flat however many risks there are.

// RiskNames resolves what a risk row refers to.
type RiskNames struct {
	Assessments, Threats, Vulns, Departments map[string]string
	// Assets maps an asset's ID to its code and name; Names fills it a
	// page at a time.
	Assets map[string][2]string
}

// riskHeader is the register's header row.
var riskHeader = []any{"编号 No.", "风险评估 Assessment", "资产编号 Asset code", "资产名称 Asset", "部门 Department",
	"威胁 Threat", "脆弱性 Vulnerability", "风险场景 Scenario", "现有控制 Existing controls", "控制有效性 Effectiveness",
	"T", "V", "Ia", "Va", "可能性 Likelihood", "影响 Impact", "L", "F", "R", "风险等级 Level", "可接受 Acceptable",
	"处理方式 Treatment", "剩余风险值 Residual R", "剩余风险等级 Residual level", "接受状态 Acceptance",
	"接受人 Accepted by", "接受时间 Accepted at", "复核原因 Review"}

// zh labels a value with the Chinese text the pages show for it
// (prefix + value, e.g. "ui.risk.treat_" + "reduce"); empty stays empty.
func zh(prefix, value string) string {
	if value == "" {
		return ""
	}
	return i18n.T(i18n.ZH, isms.Msg{ID: prefix + value})
}

func levelName(n int) string {
	if n < 1 || n > 5 {
		return ""
	}
	return fmt.Sprintf("%d %s", n, zh("ui.asset.level_", strconv.Itoa(n)))
}

func scoreOrBlank(n int) any {
	if n == 0 {
		return ""
	}
	return n
}

// riskRow is one risk as the register prints it.
func riskRow(r isms.Risk, n RiskNames, loc *time.Location) []any {
	asset := n.Assets[r.AssetID]
	var residualR any = ""
	if r.Residual.Level > 0 {
		residualR = r.Residual.R
	}
	treatment := zh("ui.risk.treat_", r.Treatment)
	if r.Treatment == "" {
		treatment = zh("ui.risk.", "undecided")
	}
	accepted := ""
	if r.AcceptedAt != nil {
		accepted = r.AcceptedAt.In(loc).Format("2006-01-02 15:04")
	}
	return []any{r.Number(), n.Assessments[r.AssessmentID], asset[0], asset[1], n.Departments[r.DeptID],
		n.Threats[r.ThreatID], n.Vulns[r.VulnID], r.Description, r.Controls, zh("ui.risk.effect_", r.ControlEffect),
		scoreOrBlank(r.T), scoreOrBlank(r.V), scoreOrBlank(r.Ia), scoreOrBlank(r.Va), scoreOrBlank(r.Likelihood), scoreOrBlank(r.Impact),
		r.Result.L, r.Result.F, r.Result.R, levelName(r.Result.Level), yesNo(r.Result.Acceptable), treatment,
		residualR, levelName(r.Residual.Level), zh("ui.risk.accept_", r.Acceptance), r.AcceptedBy, accepted, r.ReviewReason}
}

// putRisks writes the register's heading and the rows of the pages next
// yields.
func putRisks(b *book, next func() ([]isms.Risk, error), n RiskNames, loc *time.Location) error {
	if err := b.put(riskHeader...); err != nil {
		return err
	}
	return putPages(b, next, func(r isms.Risk) []any { return riskRow(r, n, loc) })
}

// Risks writes the register: the rows next yields (page by page, empty
// at the end), streaming.
func Risks(w io.Writer, next func() ([]isms.Risk, error), n RiskNames, loc *time.Location) error {
	b, err := newBook("Sheet1")
	if err != nil {
		return err
	}
	defer b.Close()
	if err := putRisks(b, next, n, loc); err != nil {
		return err
	}
	return b.finish(w)
}

// RiskReport is the residual-risk report's heading, summary and approval
// block; its risks come as register rows.
type RiskReport struct {
	Organization string
	Assessment   isms.Assessment
	Method       isms.RiskMethod
	Departments  string
	Inherent     [5]int // risks by level
	Residual     [5]int // by residual level (the level where no residual was assessed)
	Accepted     int    // residual risks accepted by top management
	Pending      int
	Above        int // residual risks still above the criterion and not accepted
	Acceptors    []string
	AcceptedOn   string // the latest acceptance
	PreparedBy   string
	Generated    time.Time
}

// ResidualReport writes the report as a workbook: heading, summary by
// level, the approval block, then every risk of the assessment.
func ResidualReport(w io.Writer, rep RiskReport, next func() ([]isms.Risk, error), n RiskNames, loc *time.Location) error {
	b, err := newBook("Sheet1")
	if err != nil {
		return err
	}
	defer b.Close()
	x := rep.Assessment
	head := [][]any{
		{"信息安全剩余风险评估报告 Residual risk assessment report"},
		{"组织 Organization", rep.Organization},
		{"风险评估 Assessment", x.Title},
		{"范围 Scope", x.Scope},
		{"部门 Departments", rep.Departments},
		{"评估小组 Team", x.Team},
		{"评估时间 Period", x.StartOn + " – " + x.EndOn},
		{"方法 Method", fmt.Sprintf("v%d %s", rep.Method.Version, rep.Method.Kind)},
		{"可接受准则 Criterion", fmt.Sprintf("等级 ≤ %s", levelName(rep.Method.AcceptLevel))},
		{"生成时间 Generated", rep.Generated.In(loc).Format("2006-01-02 15:04")},
		{},
		{"等级 Level", "风险数 Risks", "剩余风险数 Residual"},
	}
	for lvl := 5; lvl >= 1; lvl-- {
		head = append(head, []any{levelName(lvl), rep.Inherent[lvl-1], rep.Residual[lvl-1]})
	}
	head = append(head, []any{},
		[]any{"审批 Approval"},
		[]any{"编制 Prepared by", rep.PreparedBy},
		[]any{"已接受的剩余风险 Accepted", rep.Accepted},
		[]any{"待批准 Pending", rep.Pending},
		[]any{"高于准则且未接受 Above the criterion, not accepted", rep.Above},
		[]any{"批准（最高管理者）Approved by top management", strings.Join(rep.Acceptors, "、"), rep.AcceptedOn},
		[]any{"审核（管理者代表）Reviewed by the management representative", "", ""},
		[]any{},
	)
	for _, r := range head {
		if err := b.put(r...); err != nil {
			return err
		}
	}
	if err := putRisks(b, next, n, loc); err != nil {
		return err
	}
	return b.finish(w)
}

package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"openisms/internal/isms"
	"openisms/internal/service"
)

// excluded are the demo's exclusions, with the reason an organization
// would give.
var excluded = map[string]string{
	"A.5.23": "本单位不使用外部云服务，业务系统均部署在自有机房。",
	"A.8.30": "本单位无外包开发，软件均由信息中心自行开发或采购成品。",
	"A.7.9":  "本单位设备不带离场所；笔记本电脑外出按 A.8.1 管理。",
}

// soa fills the root organization's Statement of Applicability on
// ISO/IEC 27001:2022, has the top manager approve it as V1, then leaves
// a few changes in the working copy so the comparison has something to
// show.
func (g *gen) soa(ctx context.Context, svc *service.Service, team, top isms.Actor) error {
	fw, err := svc.SoAFrameworkID(ctx, team)
	if err != nil {
		return err
	}
	x, err := svc.SoA(ctx, team, fw)
	if err != nil {
		return err
	}
	yes, no := true, false
	statuses := []string{isms.ImplImplemented, isms.ImplImplemented, isms.ImplImplemented, isms.ImplPartial, isms.ImplPlanned}
	reasons := [][]string{{isms.ReasonRisk}, {isms.ReasonRisk, isms.ReasonBestPractice}, {isms.ReasonLegal, isms.ReasonRisk},
		{isms.ReasonBusiness}, {isms.ReasonContract, isms.ReasonRisk}}
	for _, e := range x.Entries {
		in := service.SoARowInput{Applicable: &yes, Reasons: reasons[g.r.IntN(len(reasons))],
			Status: statuses[g.r.IntN(len(statuses))], DeptID: e.ProposedDept}
		if why, ok := excluded[e.Node.Ref]; ok {
			in = service.SoARowInput{Applicable: &no, Justification: why}
		}
		if _, err := svc.SaveSoARow(ctx, team, e.Node.ID, in); err != nil {
			return fmt.Errorf("%s: %w", e.Node.Ref, err)
		}
	}
	v, err := svc.SubmitSoA(ctx, team, fw, "2026 年度适用性声明")
	if err != nil {
		return err
	}
	if _, err := svc.DecideApproval(ctx, top, v.ApprovalID, true, "同意发布。"); err != nil {
		return err
	}
	// Since V1: cloud services came in.
	for _, e := range x.Entries {
		if e.Node.Ref == "A.5.23" {
			_, err := svc.SaveSoARow(ctx, team, e.Node.ID, service.SoARowInput{Applicable: &yes,
				Reasons: []string{isms.ReasonBusiness, isms.ReasonRisk}, Status: isms.ImplPlanned, DeptID: e.ProposedDept})
			return err
		}
	}
	return nil
}

// demoMeasures are applied measures with the requirements they satisfy,
// some of them through the 2013 catalog so coverage shows mappings. dueIn
// is the due date in days from today (0: none; negative: overdue);
// evidenceFor, when not 0, gives the measure evidence expiring that many
// days from today (within 30: flagged as expiring).
var demoMeasures = []struct {
	title, reqs, status string
	dueIn, evidenceFor  int
}{
	{"核心业务数据每日增量、每周全量备份，异地保存", "A.8.13\nISO27001:2013 A.12.3.1", isms.ImplImplemented, 0, 20},
	{"每季度用户访问权限复核", "A.5.15\nA.5.18\nA.8.2", isms.ImplImplemented, 0, 80},
	{"终端统一防病毒与补丁管理", "A.8.7\nA.8.8", isms.ImplImplemented, 0, 0},
	{"机房门禁与出入登记", "A.7.1\nA.7.2\nISO27001:2013 A.11.1.2", isms.ImplImplemented, 0, 200},
	{"信息安全意识年度培训", "A.6.3", isms.ImplPartial, -20, 0},
	{"日志集中采集与审计（保存 6 个月以上）", "A.8.15\nA.8.16", isms.ImplPlanned, 25, 0},
	{"供应商安全协议与年度评价", "A.5.19\nA.5.20\nA.5.22", isms.ImplPlanned, 70, 0},
}

// measures adds the demo's measures, each in a department with the
// department's first person as owner, evidence where the list gives it
// (files need a blob store), and one overdue measure.
func (g *gen) measures(ctx context.Context, svc *service.Service, team isms.Actor, today string) error {
	depts, err := svc.DepartmentNames(ctx, team)
	if err != nil || len(depts) == 0 {
		return err
	}
	for i, dm := range demoMeasures {
		due := ""
		if dm.dueIn != 0 {
			due = isms.AddDays(today, dm.dueIn)
		}
		d := depts[i%len(depts)]
		ps, err := svc.ListPeople(ctx, team, isms.ListFilter{OrgID: team.OrgID, DeptID: d.ID, Limit: 1})
		if err != nil {
			return err
		}
		owner := ""
		if len(ps) > 0 {
			owner = ps[0].ID
		}
		m, err := svc.SaveMeasure(ctx, team, "", isms.Measure{Title: dm.title, Status: dm.status, DueOn: due, DeptID: d.ID,
			OwnerID: owner, Requirements: service.ParseMeasureRequirements(dm.reqs)})
		if err != nil {
			return fmt.Errorf("%s: %w", dm.title, err)
		}
		if dm.evidenceFor != 0 && svc.HasBlobs() {
			if _, err := svc.AddMeasureEvidence(ctx, team, m.ID, service.EvidenceInput{Title: "执行记录（" + today[:7] + "）",
				EffectiveOn: isms.AddDays(today, -20), ExpiresOn: isms.AddDays(today, dm.evidenceFor)}, "record.txt",
				strings.NewReader(dm.title+" 执行记录")); err != nil {
				return err
			}
		}
	}
	return nil
}

// objectives adds the demo's security objectives (one broken down for a
// department) and an effectiveness measure, approved by the top manager,
// with a year of monthly measurements ending in each state.
func (g *gen) objectives(ctx context.Context, svc *service.Service, team, top isms.Actor, today string) error {
	f := func(v float64) *float64 { return &v }
	depts, err := svc.DepartmentNames(ctx, team)
	if err != nil || len(depts) == 0 {
		return err
	}
	type demoObjective struct {
		o      isms.Objective
		values []float64 // monthly, oldest first
	}
	avail := isms.Objective{Statement: "核心业务系统年度可用率不低于 99.5%", Metric: "（计划运行时间 − 非计划停机时间）/ 计划运行时间",
		Unit: "%", Target: 99.5, Threshold: f(99), Frequency: "monthly"}
	list := []demoObjective{
		{avail, []float64{99.8, 99.9, 99.7, 99.2, 99.6, 99.9, 99.95, 99.7, 99.8, 99.6, 99.9, 99.85}},
		{isms.Objective{Statement: "重大信息安全事件为 0 起", Metric: "按事件管理程序定级为重大及以上的事件数", Unit: "起",
			Direction: isms.AtMost, Target: 0, Frequency: "quarterly"}, []float64{0, 0, 0, 0}},
		{isms.Objective{Statement: "员工信息安全培训覆盖率不低于 95%", Metric: "参训人数 / 在岗人数", Unit: "%", Target: 95,
			Threshold: f(90), Frequency: "quarterly"}, []float64{88, 91, 93, 92}},
		{isms.Objective{Kind: isms.ObjectiveEffectiveness, Statement: "备份恢复演练成功率", Metric: "成功恢复次数 / 演练次数",
			Unit: "%", Target: 100, Threshold: f(90), Frequency: "quarterly", Control: "ISO27001:2022 A.8.13"},
			[]float64{100, 100, 80, 100}},
	}
	var first string
	for i, dm := range list {
		o, err := svc.SaveObjective(ctx, team, "", dm.o)
		if err != nil {
			return fmt.Errorf("%s: %w", dm.o.Statement, err)
		}
		if i == 0 {
			first = o.ID
		}
		if err := approveAndMeasure(ctx, svc, team, top, o, dm.values, today); err != nil {
			return err
		}
	}
	// The first objective's share for a department, not yet submitted.
	share := avail
	share.ParentID, share.DeptID, share.Statement, share.Target = first, depts[0].ID, depts[0].Name+"负责系统月度可用率不低于 99.8%", 99.8
	_, err = svc.SaveObjective(ctx, team, "", share)
	return err
}

func approveAndMeasure(ctx context.Context, svc *service.Service, team, top isms.Actor, o isms.Objective, values []float64, today string) error {
	o, err := svc.SubmitObjective(ctx, team, o.ID)
	if err != nil {
		return err
	}
	if _, err := svc.DecideApproval(ctx, top, o.ApprovalID, true, "同意。"); err != nil {
		return err
	}
	step := map[string]int{"monthly": 1, "quarterly": 3}[o.Frequency]
	t, _ := time.Parse(time.DateOnly, today)
	for i, v := range values {
		on := t.AddDate(0, -step*(len(values)-1-i), 0).Format(time.DateOnly)
		if _, err := svc.AddMeasurement(ctx, team, o.ID, service.MeasurementInput{TakenOn: on, Value: v}, "", nil); err != nil {
			return err
		}
	}
	return nil
}

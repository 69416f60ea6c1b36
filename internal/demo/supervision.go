package demo

import (
	"context"
	"fmt"
	"time"

	"openisms/internal/isms"
	"openisms/internal/service"
)

// supervision makes the group a supervising body over its subsidiaries
// and runs a campaign over them: the first has registered its liaison
// (accepted) and sent its self-check form for review, the second's
// liaison registration came back with a comment, the third has done
// nothing yet.
func (g *gen) supervision(ctx context.Context, svc *service.Service, cli isms.Actor, root isms.Organization, subs []isms.Organization,
	sup isms.Actor) error {
	if len(subs) == 0 {
		return nil
	}
	for _, o := range subs {
		if _, err := svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: root.ID, SupervisedID: o.ID,
			Kind: isms.SuperviseGroup, Note: "集团对子公司的信息安全监督"}); err != nil {
			return err
		}
	}
	today := svc.Clock().Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	c, err := svc.CreateCampaign(ctx, sup, isms.Campaign{Title: "2026年度信息安全等级保护工作", BasisNo: "华东能源信〔2026〕12号",
		Basis: "关于开展2026年度子公司信息安全等级保护自查和定级备案工作的通知",
		Phases: []isms.CampaignPhase{
			{ID: "prep", Name: "前期准备", StartsOn: isms.AddDays(today, -10), EndsOn: isms.AddDays(today, 20)},
			{ID: "impl", Name: "组织实施", StartsOn: isms.AddDays(today, 21), EndsOn: isms.AddDays(today, 80)}},
		Requirements: []isms.Requirement{
			{PhaseID: "prep", TypeCode: "liaison", DueOn: isms.AddDays(today, -2)},
			{PhaseID: "prep", TypeCode: "self_check", DueOn: isms.AddDays(today, 15)},
			{PhaseID: "impl", TypeCode: "grading_package", DueOn: isms.AddDays(today, 60)}}})
	if err != nil {
		return err
	}
	if _, err := svc.SetCampaignAudience(ctx, sup, c.ID, service.Audience{Below: root.ID}); err != nil {
		return err
	}
	if _, err := svc.OpenCampaign(ctx, sup, c.ID); err != nil {
		return err
	}
	answer := func(o isms.Organization, req int, data map[string]any) (string, error) {
		in := isms.Actor{OrgID: o.ID, OrgPath: o.Path, Username: cli.Username, Via: cli.Via}
		v, err := svc.CampaignFor(ctx, in, c.ID)
		if err != nil {
			return "", err
		}
		id := v.Submissions[req].ID
		// What the form starts from, with the answers typed over it.
		sv, err := svc.Submission(ctx, in, id)
		if err != nil {
			return "", err
		}
		for k, x := range sv.Data {
			if _, typed := data[k]; !typed {
				data[k] = x
			}
		}
		if _, err := svc.SaveSubmission(ctx, in, id, data); err != nil {
			return "", err
		}
		_, err = svc.SubmitSubmission(ctx, in, id)
		return id, err
	}
	liaison := func(o isms.Organization) map[string]any {
		return map[string]any{"name": g.personName(), "post": "信息技术部经理", "department": "信息技术部",
			"phone": fmt.Sprintf("139%08d", g.r.IntN(100000000)), "email": "it@example.cn"}
	}
	id, err := answer(subs[0], 0, liaison(subs[0]))
	if err != nil {
		return fmt.Errorf("liaison of %s: %w", subs[0].Name, err)
	}
	if _, err := svc.ReviewSubmission(ctx, sup, id, isms.SubmissionReview{Decision: isms.ReviewAccept}); err != nil {
		return err
	}
	if _, err := answer(subs[0], 1, map[string]any{"org_name": subs[0].Name, "employees": "420", "leading_group": "是",
		"leader": g.personName(), "department": "信息技术部", "liaison_name": g.personName(), "liaison_phone": "021-68880000",
		"problems": "部分系统尚未完成定级", "plan": "组织实施阶段完成定级和专家评审",
		"unregistered": []any{map[string]any{"name": "仓储管理系统", "purpose": "仓储与物流", "planned_level": "第二级"}}}); err != nil {
		return fmt.Errorf("self-check of %s: %w", subs[0].Name, err)
	}
	if len(subs) > 1 {
		id, err := answer(subs[1], 0, liaison(subs[1]))
		if err != nil {
			return fmt.Errorf("liaison of %s: %w", subs[1].Name, err)
		}
		if _, err := svc.ReviewSubmission(ctx, sup, id, isms.SubmissionReview{Decision: isms.ReviewReturn,
			Comment: "联络员应为本单位负责信息安全工作的中层以上人员，请更正职务并补充电子邮箱。"}); err != nil {
			return err
		}
	}
	return nil
}

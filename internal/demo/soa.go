package demo

import (
	"context"
	"fmt"

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

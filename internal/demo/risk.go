package demo

import (
	"context"
	"fmt"
	"strconv"

	"openisms/internal/isms"
	"openisms/internal/service"
)

// Assets and risk scenarios for the demo: an asset register imported
// through the XLSX import's path, one assessment per organization and
// scenarios added to it, some treated, some with residual scores.

// assetKinds are the demo's asset types with a name stem, a location and
// the usual C/I/A range.
var assetKinds = []struct {
	typ, stem, loc string
	hardware       bool
}{
	{"hardware", "服务器", "一号机房", true},
	{"hardware", "办公计算机", "办公区", true},
	{"network", "核心交换机", "一号机房", true},
	{"software", "操作系统", "", false},
	{"data_resource", "业务数据库", "一号机房", false},
	{"information_system", "办公自动化系统", "", false},
	{"service", "互联网接入服务", "", false},
	{"site", "机房", "总部大楼", false},
	{"business", "客户服务业务", "", false},
	{"people", "系统管理员岗位", "", false},
}

// assets imports n assets into an organization through the import path
// (every row checked as a user's workbook would be).
func (g *gen) assets(ctx context.Context, svc *service.Service, owner isms.Actor, depts []isms.Department, n int) error {
	sheet := [][]string{{"code", "name", "type", "department", "location", "c", "i", "a", "ip", "importance"}}
	for i := range n {
		k := assetKinds[i%len(assetKinds)]
		ip := ""
		if k.hardware {
			ip = fmt.Sprintf("10.%d.%d.%d", 1+i/65025%250, i/255%255, 1+i%254)
		}
		c, in, a := 1+g.r.IntN(5), 1+g.r.IntN(5), 1+g.r.IntN(5)
		sheet = append(sheet, []string{fmt.Sprintf("ZC-%05d", i+1), fmt.Sprintf("%s %d", k.stem, i/len(assetKinds)+1), k.typ,
			depts[i%len(depts)].Name, k.loc, strconv.Itoa(c), strconv.Itoa(in), strconv.Itoa(a), ip, strconv.Itoa(1 + g.r.IntN(5))})
	}
	_, err := svc.ImportAssets(ctx, owner, sheet)
	return err
}

// risks opens an assessment over the organization's assets and adds n
// scenarios spread over them, in batches of one transaction each.
func (g *gen) risks(ctx context.Context, svc *service.Service, owner isms.Actor, n int) error {
	x, err := svc.SaveAssessment(ctx, owner, "", isms.Assessment{Title: "2026 年度信息安全风险评估", Scope: "本单位全部信息资产",
		Team: "信息安全管理小组", StartOn: "2026-03-01", EndOn: "2026-04-30",
		Consultation: "2026-03-15 与各部门负责人座谈，确认资产清单和主要威胁；工程部提出增加机房环境监控。"})
	if err != nil {
		return err
	}
	ts, vs, err := svc.RiskCatalogs(ctx, owner)
	if err != nil {
		return err
	}
	var ids []string
	for f := (isms.AssetFilter{Limit: isms.MaxPageSize}); ; {
		page, err := svc.ListAssets(ctx, owner, f)
		if err != nil {
			return err
		}
		for _, a := range page.Assets {
			ids = append(ids, a.ID)
		}
		f.Offset += len(page.Assets)
		if len(page.Assets) < f.Limit || f.Offset >= page.Total {
			break
		}
	}
	if len(ids) == 0 {
		return nil
	}
	const batch = 10_000
	for start := 0; start < n; start += batch {
		rs := make([]isms.Risk, 0, min(batch, n-start))
		for i := start; i < min(n, start+batch); i++ {
			t, v := ts[g.r.IntN(len(ts))], vs[g.r.IntN(len(vs))]
			r := isms.Risk{AssetID: ids[i%len(ids)], ThreatID: t.ID, VulnID: v.ID, T: clamp(t.Frequency + g.r.IntN(3) - 1),
				V: 1 + g.r.IntN(5), Va: clamp(v.Severity + g.r.IntN(3) - 1), Controls: "已有管理制度和基本技术防护",
				ControlEffect: isms.ControlEffects[1+g.r.IntN(3)], ControlKind: isms.ControlKinds[1+g.r.IntN(2)]}
			switch g.r.IntN(10) {
			case 0, 1, 2, 3:
				r.Treatment, r.ResidualVa = isms.TreatReduce, max(1, r.Va-2)
			case 4, 5:
				r.Treatment = isms.TreatAccept
			case 6:
				r.Treatment = isms.TreatTransfer
			}
			rs = append(rs, r)
		}
		if _, err := svc.AddRisks(ctx, owner, x.ID, rs); err != nil {
			return fmt.Errorf("risks %d–%d: %w", start+1, start+len(rs), err)
		}
	}
	return nil
}

func clamp(v int) int { return min(5, max(1, v)) }

package service

import (
	"context"
	"fmt"
	"strings"

	"openisms/internal/isms"
)

// GradingReport writes a grading's report (定级报告) from the data, in the
// outline of its template version (mlps.md §2.3): the object described
// (responsibility, composition, business; the 2025 outline adds the
// departments by role and the data it carries), then the level of each
// dimension from the harmed objects and degrees with their justification,
// and the final level.
func (s *Service) GradingReport(ctx context.Context, a isms.Actor, gradingID string) (isms.Report, error) {
	var r isms.Report
	x, err := s.Grading(ctx, a, gradingID)
	if err != nil {
		return r, err
	}
	o, links, _, err := s.objectParts(ctx, a.OrgID, x.Object)
	if err != nil {
		return r, err
	}
	org, err := s.st.Organization(ctx, a.OrgID)
	if err != nil {
		return r, err
	}
	g, m := x.Grading, x.Matrix
	v2025 := g.Template == "2025"
	r.Title = o.Name + "安全等级保护定级报告"
	r.Subtitle = fmt.Sprintf("%s · %s · V%d", org.Name, zh("template", g.Template), g.Version)
	or := func(v, none string) string {
		if strings.TrimSpace(v) == "" {
			return none
		}
		return v
	}
	// 1. The object.
	r.Sections = append(r.Sections, isms.ReportSection{Heading: "一、定级对象描述", Level: 1})
	r.Sections = append(r.Sections, isms.ReportSection{Heading: "（一）责任主体", Level: 2, Paras: []string{
		fmt.Sprintf("%s（以下简称“%s”）是%s的网络安全责任主体，由%s负责其安全保护工作。", o.Name, o.Name, org.Name, or(o.DeptName, "本单位")),
	}})
	comp := []string{fmt.Sprintf("%s为%s，网络覆盖范围为%s，网络性质为%s。", o.Name, zh("type", o.Type),
		or(plain(zh("network_coverage", o.NetworkCoverage)), "（未填写）"), or(plain(zh("network_nature", o.NetworkNature)), "（未填写）"))}
	if len(o.Tech) > 0 {
		comp = append(comp, "采用的技术："+zhList("tech", o.Tech)+"。")
	}
	if o.NetworkNature == "internet" && o.Domains != "" {
		comp = append(comp, "互联网域名："+o.Domains+"。")
	}
	var assets [][]string
	for _, l := range links {
		assets = append(assets, []string{l.AssetCode, l.AssetName, zh("asset_role", l.Role)})
	}
	sec := isms.ReportSection{Heading: "（二）定级对象构成", Level: 2, Paras: comp}
	if len(assets) > 0 {
		sec.Table = append([][]string{{"资产编号", "名称", "用途"}}, assets...)
	}
	r.Sections = append(r.Sections, sec)
	r.Sections = append(r.Sections, isms.ReportSection{Heading: "（三）承载的业务情况", Level: 2, Paras: []string{
		fmt.Sprintf("业务类型：%s。%s", or(plain(zh("business_type", o.BusinessType)), "未填写"), or(o.BusinessDesc, "")),
		fmt.Sprintf("服务范围：%s；服务对象：%s。", or(plain(zh("service_scope", o.ServiceScope)), "未填写"), or(zh("service_users", o.ServiceUsers), "未填写")),
	}})
	resp := []string{fmt.Sprintf("责任部门：%s；建设责任人：%s；运维责任人：%s；安全责任人：%s。", or(o.DeptName, "—"),
		or(o.ConstructionName, "—"), or(o.OperationName, "—"), or(o.SecurityName, "—"))}
	if v2025 {
		resp = append(resp, fmt.Sprintf("定级责任单位：%s；上级行业主管部门：%s。网络安全与数据安全责任均由上述部门和人员承担。",
			org.Name, or(o.Authority, "无")))
	}
	r.Sections = append(r.Sections, isms.ReportSection{Heading: "（四）安全责任", Level: 2, Paras: resp})
	if v2025 {
		data := isms.ReportSection{Heading: "（五）承载数据情况", Level: 2}
		if len(o.Categories) == 0 {
			data.Paras = []string{"未登记数据类别。"}
		} else {
			data.Table = [][]string{{"数据名称", "拟定数据级别", "个人信息", "数据总量", "数据来源", "流出单位"}}
			for _, c := range o.Categories {
				data.Table = append(data.Table, []string{c.Name, zh("data_level", c.Level), zh("personal", c.Personal), c.Volume,
					zhList("sources", c.Sources), c.OutflowUnits})
			}
		}
		r.Sections = append(r.Sections, data)
	}
	// 2. The levels.
	r.Sections = append(r.Sections, isms.ReportSection{Heading: "二、安全保护等级确定", Level: 1})
	for i, dim := range isms.GradingDimensions {
		head := []string{"（一）业务信息安全保护等级的确定", "（二）系统服务安全保护等级的确定"}[i]
		level := g.Business
		if dim == isms.DimService {
			level = g.Service
		}
		sec := isms.ReportSection{Heading: head, Level: 2}
		tbl := [][]string{{"受侵害的客体", "侵害程度", "对应等级", "判断理由"}}
		for _, t := range g.Ticks {
			if t.Dimension != dim {
				continue
			}
			l, _ := m.Cell(t.Object, t.Degree)
			tbl = append(tbl, []string{m.Objects[t.Object], zh("degree", t.Degree), zh("level", fmt.Sprint(l)), t.Justification})
		}
		sec.Table = tbl
		sec.Paras = []string{fmt.Sprintf("%s遭到破坏时，所侵害的客体及侵害程度如下表；依据定级矩阵取最高者，%s为%s。",
			map[string]string{isms.DimBusiness: "业务信息", isms.DimService: "系统服务"}[dim], zh("dim", dim), zh("level", fmt.Sprint(level)))}
		r.Sections = append(r.Sections, sec)
	}
	r.Sections = append(r.Sections, isms.ReportSection{Heading: "（三）安全保护等级", Level: 2,
		Paras: []string{fmt.Sprintf("取业务信息安全保护等级和系统服务安全保护等级中的较高者，%s的安全保护等级为%s（%s）。", o.Name,
			zh("level", fmt.Sprint(g.Level)), g.Result().Notation())},
		Table: [][]string{{"定级对象名称", "安全保护等级", "业务信息安全保护等级", "系统服务安全保护等级"},
			{o.Name, zh("level", fmt.Sprint(g.Level)), zh("level", fmt.Sprint(g.Business)), zh("level", fmt.Sprint(g.Service))}}})
	return r, nil
}

// plain drops the form code before an option's name ("3 广域网" → "广域网")
// for prose.
func plain(s string) string { return strings.TrimLeft(s, "0123456789 ") }

package service

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"openisms/internal/export"
	"openisms/internal/isms"
)

// evalResultNames name evaluation conclusions and ratings in a workbook
// sent upward, in both languages.
var evalResultNames = map[string]string{"conform": "符合 Conform", "basically_conform": "基本符合 Basically conform",
	"nonconform": "不符合 Nonconform", "excellent": "优 Excellent", "good": "良 Good", "fair": "中 Fair", "poor": "差 Poor"}

// SupervisionRollupXLSX writes the dashboard as a workbook: one row per
// organization shown (after the filter and, with a campaign, its
// audience), its progress per phase and its MLPS status, and the totals.
func (s *Service) SupervisionRollupXLSX(ctx context.Context, a isms.Actor, f isms.SupervisedFilter, campaignID string,
	name func(string), w io.Writer) error {
	d, err := s.SupervisionDashboard(ctx, a, f, campaignID)
	if err != nil {
		return err
	}
	org, err := s.st.Organization(ctx, a.OrgID)
	if err != nil {
		return err
	}
	title := org.Name + " 监管汇总 Supervision roll-up · " + d.Today
	var phases []string
	if d.Campaign != nil {
		title = org.Name + " · " + d.Campaign.Title + " · " + d.Today
		for _, p := range d.Campaign.Phases {
			phases = append(phases, p.Name)
		}
	}
	row := func(name, via, region, industry string, m isms.MLPSRollup, progress func(phase string) isms.Progress) export.RollupRow {
		r := export.RollupRow{Name: name, Via: via, Region: region, Industry: industry, Objects: m.Objects, Filed: m.Filed,
			Expiring: m.Expiring, Expired: m.Expired, EvalDue: m.EvalDue, EvalLate: m.EvalLate, LastEval: m.LastEval,
			LastResult: evalResultNames[m.LastResult], High: m.OpenByRisk["high"], Medium: m.OpenByRisk["medium"], Low: m.OpenByRisk["low"]}
		for l := 0; l <= 5; l++ {
			r.ByLevel[l] = m.ByLevel[l]
		}
		if d.Campaign != nil {
			for _, ph := range d.Campaign.Phases {
				p := progress(ph.ID)
				r.Phases = append(r.Phases, export.RollupPhase{Done: p.Done, Required: p.Required, Late: p.Late,
					Returned: p.Returned, Accepted: p.Accepted})
			}
		}
		return r
	}
	rows := make([]export.RollupRow, 0, len(d.Orgs))
	for _, o := range d.Orgs {
		rows = append(rows, row(o.Name, o.Via, o.RegionCode, o.Industry, o.MLPS, func(p string) isms.Progress { return d.Progress[o.ID][p] }))
	}
	total := row("", "", "", "", d.Total, func(p string) isms.Progress { return d.PhaseTotals[p] })
	name(fmt.Sprintf("监管汇总-%s.xlsx", d.Today))
	return export.Rollup(w, title, phases, rows, total)
}

// SubmissionsXLSX writes every answer to one requirement of a campaign
// the actor's body runs or reviews for, one row per organization: its
// status and, where the submission has reached the body, the latest
// submitted version's values (a table's rows and a field's files as
// text).
func (s *Service) SubmissionsXLSX(ctx context.Context, a isms.Actor, campaignID, requirementID string, name func(string), w io.Writer) error {
	v, err := s.CampaignFor(ctx, a, campaignID)
	if err != nil {
		return err
	}
	if v.Role == CampaignMember {
		return isms.NotFound("campaign")
	}
	req, ok := v.Requirement(requirementID)
	if !ok {
		return isms.NotFound("requirement")
	}
	versions, err := s.st.LatestVersions(ctx, requirementID)
	if err != nil {
		return err
	}
	files, err := s.st.SubmissionFileNames(ctx, requirementID)
	if err != nil {
		return err
	}
	heads := []string{"单位 Organization", "状态 Status", "版本 Version", "报送时间 Submitted"}
	for _, f := range req.Schema.Fields {
		heads = append(heads, f.LabelZH+" "+f.LabelEN)
	}
	var rows [][]any
	for _, x := range v.Submissions {
		if x.RequirementID != requirementID {
			continue
		}
		row := []any{x.OrgName, subStatusNames[x.Status], x.Version, ""}
		level := slices.Index(x.Chain, a.OrgID)
		ver, has := versions[x.ID]
		if has && level >= 0 && level <= x.Reached {
			row[3] = ver.SubmittedAt.In(displayZone()).Format("2006-01-02 15:04")
			for _, f := range req.Schema.Fields {
				row = append(row, cellText(f, ver.Data, files))
			}
		}
		rows = append(rows, row)
	}
	name(fmt.Sprintf("%s-%s.xlsx", v.Title, req.Title))
	return export.Table(w, "报送", v.Title+" · "+req.Title, heads, rows)
}

// subStatusNames name submission states in a workbook, in both languages.
var subStatusNames = map[string]string{isms.SubPending: "未报送 Not submitted", isms.SubDraft: "填写中 Draft",
	isms.SubSubmitted: "审核中 Under review", isms.SubReturned: "已退回 Returned", isms.SubAccepted: "已通过 Accepted"}

// cellText renders one field of a version for a workbook cell: a
// number as a number, a table's rows one per line, files by name.
func cellText(f isms.Field, d isms.SubmissionData, files map[string]string) any {
	switch f.Kind {
	case isms.FieldTable, isms.FieldPull:
		var lines []string
		for _, r := range d.Rows(f.Key) {
			var cells []string
			for _, c := range f.Columns {
				if v := isms.Text(r[c.Key]); v != "" {
					cells = append(cells, v)
				}
			}
			lines = append(lines, strings.Join(cells, " · "))
		}
		return strings.Join(lines, "\n")
	case isms.FieldAttachment:
		var names []string
		for _, id := range d.Refs(f.Key) {
			names = append(names, files[id])
		}
		return strings.Join(names, "\n")
	case isms.FieldNumber:
		if n, ok := d[f.Key].(float64); ok {
			return n
		}
	}
	return isms.Text(d[f.Key])
}

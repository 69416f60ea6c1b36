package service

import (
	"cmp"
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"openisms/internal/export"
	"openisms/internal/isms"
)

// The register's export and the residual-risk report (信息安全剩余风险评估报告,
// manual §4.2.1.8): what remains after treatment, level by level, and who
// accepted it.

// exportPage is how many risks an export reads at a time.
const exportPage = 5000

// riskNames resolves the catalog, assessment and department names of an
// organization's risks; asset labels are read page by page.
func (s *Service) riskNames(ctx context.Context, orgID string) (export.RiskNames, error) {
	n := export.RiskNames{Assessments: map[string]string{}, Threats: map[string]string{}, Vulns: map[string]string{},
		Departments: map[string]string{}, Assets: map[string][2]string{}}
	ts, err := s.st.Threats(ctx, orgID)
	if err != nil {
		return n, err
	}
	for _, t := range ts {
		n.Threats[t.ID] = t.Code + " " + t.Name
	}
	vs, err := s.st.Vulnerabilities(ctx, orgID)
	if err != nil {
		return n, err
	}
	for _, v := range vs {
		n.Vulns[v.ID] = v.Code + " " + v.Name
	}
	xs, err := s.st.AssessmentTitles(ctx, orgID)
	if err != nil {
		return n, err
	}
	for _, x := range xs {
		n.Assessments[x.ID] = x.Title
	}
	depts, err := s.st.ListDepartments(ctx, isms.ListFilter{OrgID: orgID, Status: "all", Limit: isms.MaxPageSize})
	for _, d := range depts {
		n.Departments[d.ID] = d.Name
	}
	return n, err
}

// riskPages yields the risks matching f a page at a time in number
// order, naming each page's assets as it goes.
func (s *Service) riskPages(ctx context.Context, f isms.RiskFilter, n export.RiskNames) func() ([]isms.Risk, error) {
	var after int64
	done := false
	return func() ([]isms.Risk, error) {
		if done {
			return nil, nil
		}
		page, err := s.st.RisksAfter(ctx, f, after, exportPage)
		if err != nil {
			return nil, err
		}
		done = len(page) < exportPage
		if len(page) == 0 {
			return nil, nil
		}
		after = page[len(page)-1].N
		ids := make([]string, 0, len(page))
		for _, r := range page {
			if _, ok := n.Assets[r.AssetID]; !ok {
				ids = append(ids, r.AssetID)
			}
		}
		codes, names, err := s.st.AssetLabels(ctx, f.OrgID, dedupe(ids))
		if err != nil {
			return nil, err
		}
		for id, c := range codes {
			n.Assets[id] = [2]string{c, names[id]}
		}
		return page, nil
	}
}

// RisksXLSX writes the register's risks matching f (every page, in
// number order) as a workbook; ready is called before the first byte.
func (s *Service) RisksXLSX(ctx context.Context, a isms.Actor, f isms.RiskFilter, ready func(), w io.Writer) error {
	if err := a.Require(isms.ActViewRisks); err != nil {
		return err
	}
	f.OrgID = a.OrgID
	if err := checkRiskFilter(&f); err != nil {
		return err
	}
	n, err := s.riskNames(ctx, a.OrgID)
	if err != nil {
		return err
	}
	loc, err := s.orgLocation(ctx, a.OrgID)
	if err != nil {
		return err
	}
	ready()
	return export.Risks(w, s.riskPages(ctx, f, n), n, loc)
}

// ResidualReport is the residual-risk report of one assessment: its
// heading, counts and approval block, and the risks to print (all of
// them up to printLimit; the workbook has every one).
type ResidualReport struct {
	export.RiskReport
	Risks     []isms.Risk
	Total     int
	Truncated bool
	Names     export.RiskNames
}

// printLimit is how many risks the printed report lists.
const printLimit = 2000

// residualReport reads the report's heading, counts and approval
// block, and the names and time zone its rows are written with.
func (s *Service) residualReport(ctx context.Context, a isms.Actor, assessmentID string) (export.RiskReport, export.RiskNames, *time.Location, error) {
	var rep export.RiskReport
	var loc *time.Location
	x, err := s.Assessment(ctx, a, assessmentID)
	if err != nil {
		return rep, export.RiskNames{}, nil, err
	}
	rep.Assessment, rep.Generated = x, s.clock.Now()
	org, err := s.st.Organization(ctx, a.OrgID)
	if err != nil {
		return rep, export.RiskNames{}, nil, err
	}
	rep.Organization, loc = org.Name, orgLocation(org)
	names, err := s.riskNames(ctx, a.OrgID)
	if err != nil {
		return rep, names, loc, err
	}
	ms, err := s.RiskMethods(ctx, a)
	if err != nil {
		return rep, names, loc, err
	}
	rep.Method = ms[len(ms)-1]
	if i := slices.IndexFunc(ms, func(m isms.RiskMethod) bool { return m.Version == x.MethodVersion }); i >= 0 {
		rep.Method = ms[i]
	}
	depts := make([]string, 0, len(x.DeptIDs))
	for _, id := range x.DeptIDs {
		depts = append(depts, names.Departments[id])
	}
	rep.Departments = strings.Join(depts, "、")
	if acc, err := s.st.Account(ctx, x.CreatedByID); err == nil {
		rep.PreparedBy = cmp.Or(acc.DisplayName, acc.Username)
	}
	counts, err := s.st.RiskLevelCounts(ctx, a.OrgID, x.ID)
	if err != nil {
		return rep, names, loc, err
	}
	for _, c := range counts {
		if c.Level >= 1 && c.Level <= 5 {
			rep.Inherent[c.Level-1] += c.N
		}
		res := cmp.Or(c.Residual, c.Level) // no residual assessed: the level stands
		if res >= 1 && res <= 5 {
			rep.Residual[res-1] += c.N
		}
		switch {
		case c.Acceptance == isms.AcceptAccepted:
			rep.Accepted += c.N
		case c.Acceptance == isms.AcceptPending:
			rep.Pending += c.N
		case res > rep.Method.AcceptLevel:
			rep.Above += c.N
		}
	}
	// Who accepted: the top managers named on accepted risks, and the
	// latest day.
	var last *time.Time
	if rep.Acceptors, last, err = s.st.RiskAcceptors(ctx, a.OrgID, x.ID); err == nil && last != nil {
		rep.AcceptedOn = last.In(loc).Format(time.DateOnly)
	}
	return rep, names, loc, err
}

// RiskReport reads the residual-risk report of an assessment for print.
func (s *Service) RiskReport(ctx context.Context, a isms.Actor, assessmentID string) (ResidualReport, error) {
	var out ResidualReport
	var err error
	if out.RiskReport, out.Names, _, err = s.residualReport(ctx, a, assessmentID); err != nil {
		return out, err
	}
	next := s.riskPages(ctx, isms.RiskFilter{OrgID: a.OrgID, AssessmentID: out.Assessment.ID}, out.Names)
	for len(out.Risks) < printLimit {
		page, err := next()
		if err != nil {
			return out, err
		}
		if len(page) == 0 {
			break
		}
		out.Risks = append(out.Risks, page...)
	}
	for _, n := range out.Inherent {
		out.Total += n
	}
	if len(out.Risks) > printLimit {
		out.Risks = out.Risks[:printLimit]
	}
	out.Truncated = len(out.Risks) < out.Total
	return out, nil
}

// RiskReportXLSX writes the residual-risk report as a workbook.
func (s *Service) RiskReportXLSX(ctx context.Context, a isms.Actor, assessmentID string, ready func(), w io.Writer) error {
	rep, names, loc, err := s.residualReport(ctx, a, assessmentID)
	if err != nil {
		return err
	}
	ready()
	return export.ResidualReport(w, rep, s.riskPages(ctx, isms.RiskFilter{OrgID: a.OrgID, AssessmentID: rep.Assessment.ID}, names), names, loc)
}

// orgLocation reads an organization's time zone.
func (s *Service) orgLocation(ctx context.Context, orgID string) (*time.Location, error) {
	org, err := s.st.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return orgLocation(org), nil
}

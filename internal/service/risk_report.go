package service

import (
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
	xs, err := s.st.Assessments(ctx, orgID)
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

func (s *Service) residualReport(ctx context.Context, a isms.Actor, assessmentID string) (export.RiskReport, error) {
	var rep export.RiskReport
	x, err := s.Assessment(ctx, a, assessmentID)
	if err != nil {
		return rep, err
	}
	rep.Assessment, rep.Generated = x, s.clock.Now()
	org, err := s.st.Organization(ctx, a.OrgID)
	if err != nil {
		return rep, err
	}
	rep.Organization = org.Name
	ms, err := s.RiskMethods(ctx, a)
	if err != nil {
		return rep, err
	}
	if i := slices.IndexFunc(ms, func(m isms.RiskMethod) bool { return m.Version == x.MethodVersion }); i >= 0 {
		rep.Method = ms[i]
	} else {
		rep.Method = ms[len(ms)-1]
	}
	depts, err := s.st.ListDepartments(ctx, isms.ListFilter{OrgID: a.OrgID, Status: "all", Limit: isms.MaxPageSize})
	if err != nil {
		return rep, err
	}
	var names []string
	for _, d := range depts {
		if slices.Contains(x.DeptIDs, d.ID) {
			names = append(names, d.Name)
		}
	}
	rep.Departments = strings.Join(names, "、")
	if acc, err := s.st.Account(ctx, x.CreatedByID); err == nil {
		rep.PreparedBy = acc.DisplayName
		if rep.PreparedBy == "" {
			rep.PreparedBy = acc.Username
		}
	}
	counts, err := s.st.RiskLevelCounts(ctx, a.OrgID, x.ID)
	if err != nil {
		return rep, err
	}
	for _, c := range counts {
		if c.Level >= 1 && c.Level <= 5 {
			rep.Inherent[c.Level-1] += c.N
		}
		res := c.Residual
		if res == 0 {
			res = c.Level
		}
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
	next := s.riskPages(ctx, isms.RiskFilter{OrgID: a.OrgID, AssessmentID: x.ID, Acceptance: isms.AcceptAccepted},
		export.RiskNames{Assets: map[string][2]string{}})
	for {
		rs, err := next()
		if err != nil || len(rs) == 0 {
			return rep, err
		}
		for _, r := range rs {
			if r.AcceptedBy != "" && !slices.Contains(rep.Acceptors, r.AcceptedBy) {
				rep.Acceptors = append(rep.Acceptors, r.AcceptedBy)
			}
			if r.AcceptedAt != nil {
				if day := r.AcceptedAt.In(orgLocation(org)).Format("2006-01-02"); day > rep.AcceptedOn {
					rep.AcceptedOn = day
				}
			}
		}
	}
}

// RiskReport reads the residual-risk report of an assessment for print.
func (s *Service) RiskReport(ctx context.Context, a isms.Actor, assessmentID string) (ResidualReport, error) {
	var out ResidualReport
	rep, err := s.residualReport(ctx, a, assessmentID)
	if err != nil {
		return out, err
	}
	out.RiskReport = rep
	if out.Names, err = s.riskNames(ctx, a.OrgID); err != nil {
		return out, err
	}
	next := s.riskPages(ctx, isms.RiskFilter{OrgID: a.OrgID, AssessmentID: rep.Assessment.ID}, out.Names)
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
	for _, n := range rep.Inherent {
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
	rep, err := s.residualReport(ctx, a, assessmentID)
	if err != nil {
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
	return export.ResidualReport(w, rep, s.riskPages(ctx, isms.RiskFilter{OrgID: a.OrgID, AssessmentID: rep.Assessment.ID}, n), n, loc)
}

// orgLocation reads an organization's time zone.
func (s *Service) orgLocation(ctx context.Context, orgID string) (*time.Location, error) {
	org, err := s.st.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return orgLocation(org), nil
}

package service

import (
	"context"
	"slices"

	"openisms/internal/isms"
)

// SupervisionDashboard is a supervising body's view of everything below
// it: each organization's MLPS status and, for a chosen campaign, its
// submissions by phase, with totals.
type SupervisionDashboard struct {
	Orgs      []isms.SupervisedOrg
	Total     isms.MLPSRollup
	Campaigns []isms.Campaign // the body's own and those it reviews for, to choose from
	Campaign  *isms.Campaign  // the chosen one
	// Progress of the chosen campaign by organization and phase, and
	// totals by phase, over the organizations shown.
	Progress    map[string]map[string]isms.Progress
	PhaseTotals map[string]isms.Progress
	Today       string
}

// SupervisionDashboard builds the dashboard for the filter and, when
// campaignID is set, that campaign (which the body runs or reviews for).
func (s *Service) SupervisionDashboard(ctx context.Context, a isms.Actor, f isms.SupervisedFilter, campaignID string) (SupervisionDashboard, error) {
	var d SupervisionDashboard
	orgs, err := s.SupervisedOrganizations(ctx, a, f)
	if err != nil {
		return d, err
	}
	d.Orgs = orgs
	d.Total = isms.MLPSRollup{ByLevel: map[int]int{}, OpenByRisk: map[string]int{}}
	for _, o := range orgs {
		d.Total.Add(o.MLPS)
	}
	l, err := s.Campaigns(ctx, a)
	if err != nil {
		return d, err
	}
	for _, c := range append(l.Owned, l.Reviewing...) {
		if c.Status != isms.CampaignDraft {
			d.Campaigns = append(d.Campaigns, c)
		}
	}
	if d.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return d, err
	}
	if campaignID == "" {
		return d, nil
	}
	v, err := s.CampaignFor(ctx, a, campaignID)
	if err != nil {
		return d, err
	}
	if v.Role == CampaignMember || v.Status == isms.CampaignDraft {
		return d, isms.NotFound("campaign")
	}
	d.Campaign = &v.Campaign
	shown := map[string]bool{}
	for _, o := range orgs {
		shown[o.ID] = true
	}
	d.Progress, d.PhaseTotals = map[string]map[string]isms.Progress{}, map[string]isms.Progress{}
	for _, x := range v.Submissions {
		if !shown[x.OrgID] {
			continue
		}
		r, ok := v.Requirement(x.RequirementID)
		if !ok {
			continue
		}
		if d.Progress[x.OrgID] == nil {
			d.Progress[x.OrgID] = map[string]isms.Progress{}
		}
		p := d.Progress[x.OrgID][r.PhaseID]
		p.Count(x, d.Today)
		d.Progress[x.OrgID][r.PhaseID] = p
		t := d.PhaseTotals[r.PhaseID]
		t.Count(x, d.Today)
		d.PhaseTotals[r.PhaseID] = t
	}
	// Organizations outside the campaign's audience are not part of it.
	d.Orgs = slices.DeleteFunc(d.Orgs, func(o isms.SupervisedOrg) bool { return d.Progress[o.ID] == nil })
	d.Total = isms.MLPSRollup{ByLevel: map[int]int{}, OpenByRisk: map[string]int{}}
	for _, o := range d.Orgs {
		d.Total.Add(o.MLPS)
	}
	return d, nil
}

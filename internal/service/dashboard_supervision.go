package service

import (
	"context"
	"fmt"
	"slices"

	"golang.org/x/sync/singleflight"

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
	// The filters' choices: the industries below the body and the
	// deepest distance.
	Industries []string
	MaxDepth   int
}

// bodyView is what a body's dashboard is computed from, kept between
// requests: every organization below with its MLPS roll-up and, for a
// campaign, the progress of each. It is keyed by the dashboard stamp,
// which every change below moves on in the writing transaction (database
// triggers), and by the minute, since lateness and overdue duties move
// with the clock; so a kept view is at most a minute behind the clock and
// never behind the data, on any instance.
type bodyView struct {
	orgs     []isms.SupervisedOrg
	campaign *isms.Campaign
	progress map[string]map[string]isms.Progress
}

type dashKey struct{ body, campaign, stamp, minute string }

type dashCache struct {
	views *kept[dashKey, *bodyView]
	// flight makes concurrent requests for one missing view wait for a
	// single computation instead of each doing it (the minute's first
	// requests arrive together).
	flight singleflight.Group
}

// maxDashViews bounds the views kept.
const maxDashViews = 64

// bodyView returns the actor's body's view, computed once per stamp and
// minute. The caller has checked that the actor may supervise.
func (s *Service) bodyView(ctx context.Context, a isms.Actor, campaignID, today string) (*bodyView, error) {
	stamp, err := s.st.DashboardStamp(ctx, campaignID)
	if err != nil {
		return nil, err
	}
	k := dashKey{body: a.OrgID, campaign: campaignID, stamp: stamp + "/" + today,
		minute: s.clock.Now().Format("2006-01-02T15:04")}
	if v, ok := s.dash.views.get(k); ok {
		return v, nil
	}
	x, err, _ := s.dash.flight.Do(fmt.Sprintf("%+v", k), func() (any, error) {
		if v, ok := s.dash.views.get(k); ok {
			return v, nil
		}
		v, err := s.computeBodyView(ctx, a, campaignID, today)
		if err == nil {
			s.dash.views.put(k, v)
		}
		return v, err
	})
	if err != nil {
		return nil, err
	}
	return x.(*bodyView), nil
}

// computeBodyView reads and sums everything below the actor's body.
func (s *Service) computeBodyView(ctx context.Context, a isms.Actor, campaignID, today string) (*bodyView, error) {
	var err error
	v := &bodyView{}
	if v.orgs, err = s.st.SupervisedOrgs(ctx, a.OrgID); err != nil {
		return nil, err
	}
	rolls, err := s.mlpsRollups(ctx, a.OrgID, today)
	if err != nil {
		return nil, err
	}
	for i := range v.orgs {
		v.orgs[i].MLPS = rolls[v.orgs[i].ID]
		if v.orgs[i].MLPS.ByLevel == nil {
			v.orgs[i].MLPS = isms.MLPSRollup{ByLevel: map[int]int{}, OpenByRisk: map[string]int{}}
		}
	}
	if campaignID != "" {
		cv, err := s.CampaignFor(ctx, a, campaignID)
		if err != nil {
			return nil, err
		}
		if cv.Role == CampaignMember || cv.Status == isms.CampaignDraft {
			return nil, isms.NotFound("campaign")
		}
		v.campaign = &cv.Campaign
		v.progress = map[string]map[string]isms.Progress{}
		for _, x := range cv.Submissions {
			r, ok := cv.Requirement(x.RequirementID)
			if !ok {
				continue
			}
			if v.progress[x.OrgID] == nil {
				v.progress[x.OrgID] = map[string]isms.Progress{}
			}
			p := v.progress[x.OrgID][r.PhaseID]
			p.Count(x, today)
			v.progress[x.OrgID][r.PhaseID] = p
		}
	}
	return v, nil
}

// SupervisionDashboard builds the dashboard for the filter and, when
// campaignID is set, that campaign (which the body runs or reviews for):
// with a campaign, only the organizations of its audience in the body's
// view are shown.
func (s *Service) SupervisionDashboard(ctx context.Context, a isms.Actor, f isms.SupervisedFilter, campaignID string) (SupervisionDashboard, error) {
	var d SupervisionDashboard
	if err := a.Require(isms.ActSupervise); err != nil {
		return d, err
	}
	if campaignID != "" && !isms.ValidID(campaignID) {
		return d, isms.NotFound("campaign")
	}
	var err error
	if d.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return d, err
	}
	v, err := s.bodyView(ctx, a, campaignID, d.Today)
	if err != nil {
		return d, err
	}
	d.Campaign = v.campaign
	d.Total = isms.MLPSRollup{ByLevel: map[int]int{}, OpenByRisk: map[string]int{}}
	if d.Campaign != nil {
		d.Progress, d.PhaseTotals = map[string]map[string]isms.Progress{}, map[string]isms.Progress{}
	}
	for _, o := range v.orgs {
		if o.Industry != "" && !slices.Contains(d.Industries, o.Industry) {
			d.Industries = append(d.Industries, o.Industry)
		}
		d.MaxDepth = max(d.MaxDepth, o.Depth)
		if !f.Match(o) {
			continue
		}
		if d.Campaign != nil {
			p := v.progress[o.ID]
			if p == nil { // not in the campaign's audience
				continue
			}
			d.Progress[o.ID] = p
			for phase, x := range p {
				t := d.PhaseTotals[phase]
				t.Add(x)
				d.PhaseTotals[phase] = t
			}
		}
		d.Orgs = append(d.Orgs, o)
		d.Total.Add(o.MLPS)
	}
	slices.Sort(d.Industries)
	l, err := s.Campaigns(ctx, a)
	if err != nil {
		return d, err
	}
	for _, c := range append(l.Owned, l.Reviewing...) {
		if c.Status != isms.CampaignDraft {
			d.Campaigns = append(d.Campaigns, c)
		}
	}
	return d, nil
}

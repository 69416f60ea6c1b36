package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// ControlsDashboard is where the controls stand for those who see the
// SoA: on the organization's SoA framework, the share of applicable
// controls implemented and the controls without evidence (neither on
// their SoA line nor through a covering measure); evidence expiring
// within 30 days (SoA lines and measures); overdue measures; objectives
// and effectiveness measures by state, those at risk or missed named;
// and coverage per framework, through mappings.
type ControlsDashboard struct {
	Framework       isms.Framework      `json:"framework"`
	Applicable      int                 `json:"applicable"`
	Implemented     int                 `json:"implemented"`
	NoEvidence      []string            `json:"without_evidence"` // references
	Expiring        int                 `json:"evidence_expiring"`
	OverdueMeasures int                 `json:"overdue_measures"`
	States          map[string]int      `json:"objective_states"`
	Attention       []isms.Objective    `json:"objectives_attention"` // at risk or missed
	Coverage        []isms.CoverSummary `json:"coverage"`
}

// Controls reads the controls dashboard.
func (s *Service) Controls(ctx context.Context, a isms.Actor, lang string) (ControlsDashboard, error) {
	var d ControlsDashboard
	fw, err := s.SoAFrameworkID(ctx, a)
	if err != nil {
		return d, err
	}
	x, err := s.SoA(ctx, a, fw)
	if err != nil {
		return d, err
	}
	d.Framework = x.Framework
	cov, err := s.ControlCoverage(ctx, a, fw, lang)
	if err != nil {
		return d, err
	}
	covered := map[string]bool{}
	for _, r := range cov.Rows {
		covered[r.Ref] = r.State == isms.CoverCovered
	}
	d.NoEvidence = []string{}
	for _, e := range x.Entries {
		r := e.Row
		if !r.IsApplicable() {
			continue
		}
		d.Applicable++
		if r.Status == isms.ImplImplemented {
			d.Implemented++
		}
		if r.Evidence == 0 && !covered[e.Node.Ref] {
			d.NoEvidence = append(d.NoEvidence, e.Node.Ref)
		}
		d.Expiring += r.Expiring
	}
	ms, err := s.Measures(ctx, a, store.MeasureFilter{})
	if err != nil {
		return d, err
	}
	today := x.Today
	for _, m := range ms {
		d.Expiring += m.Expiring
		if m.Overdue(today) {
			d.OverdueMeasures++
		}
	}
	os, err := s.Objectives(ctx, a, store.ObjectiveFilter{Status: isms.ObjApproved})
	if err != nil {
		return d, err
	}
	d.States = map[string]int{}
	d.Attention = []isms.Objective{}
	for _, o := range os {
		d.States[o.State]++
		if o.State == isms.StateAtRisk || o.State == isms.StateMissed {
			d.Attention = append(d.Attention, o)
		}
	}
	if d.Coverage, err = s.CoverageSummaries(ctx, a, lang); err != nil {
		return d, err
	}
	return d, nil
}

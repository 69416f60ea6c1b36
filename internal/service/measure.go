package service

import (
	"context"
	"io"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Measures lists the organization's applied measures (控制措施).
// Whoever may not see the SoA sees the measures they own, and no others.
func (s *Service) Measures(ctx context.Context, a isms.Actor, f store.MeasureFilter) ([]isms.Measure, error) {
	if !a.Can(isms.ActViewSoA) {
		f.OwnerID = s.actorPerson(ctx, a)
		if f.OwnerID == "" {
			return []isms.Measure{}, nil
		}
	}
	if f.FrameworkID != "" && !isms.ValidID(f.FrameworkID) {
		return []isms.Measure{}, nil
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	f.OrgID, f.Today, f.WarnUntil = a.OrgID, today, isms.AddDays(today, isms.EvidenceWarnDays)
	return s.st.Measures(ctx, f)
}

// MeasureDetail is a measure with its evidence and what the reader may do.
type MeasureDetail struct {
	Measure  isms.Measure    `json:"measure"`
	Evidence []isms.Evidence `json:"evidence"`
	Today    string          `json:"today"`
	// CanEdit: every field (the ISMS team); CanWork: status and evidence
	// (also the measure's owner).
	CanEdit bool `json:"can_edit"`
	CanWork bool `json:"can_work"`
}

// Measure reads one measure with its evidence, for those who see the
// SoA and for the measure's owner.
func (s *Service) Measure(ctx context.Context, a isms.Actor, id string) (MeasureDetail, error) {
	var d MeasureDetail
	if !isms.ValidID(id) {
		return d, isms.NotFound("measure")
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return d, err
	}
	d.Today = today
	if d.Measure, err = s.st.Measure(ctx, a.OrgID, id, today, isms.AddDays(today, isms.EvidenceWarnDays)); err != nil {
		return d, err
	}
	if d.CanWork, d.CanEdit, err = s.measureAccess(ctx, a, d.Measure); err != nil {
		return MeasureDetail{}, err
	}
	d.Evidence, err = s.st.Evidence(ctx, a.OrgID, isms.EvidenceMeasure, id)
	return d, err
}

// actorPerson is the person the actor's account belongs to ("" none).
func (s *Service) actorPerson(ctx context.Context, a isms.Actor) string {
	if a.AccountID == "" {
		return ""
	}
	acct, err := s.st.Account(ctx, a.AccountID)
	if err != nil || acct.OrgID != a.OrgID {
		return ""
	}
	return acct.PersonID
}

// measureAccess says what the actor may do with a measure: work on it
// (status and evidence: the ISMS team and the measure's owner) and edit
// it (everything: the ISMS team). Whoever neither sees the SoA nor owns
// the measure is refused.
func (s *Service) measureAccess(ctx context.Context, a isms.Actor, m isms.Measure) (work, edit bool, err error) {
	owner := m.OwnerID != "" && s.actorPerson(ctx, a) == m.OwnerID
	if !owner && !a.Can(isms.ActViewSoA) {
		return false, false, a.Require(isms.ActViewSoA)
	}
	edit = a.Can(isms.ActManageSoA)
	return edit || owner, edit, nil
}

// measureToWork reads a measure in tx for someone who changes its status
// or evidence: the ISMS team, or the measure's owner. full reports
// whether the actor may change everything.
func (s *Service) measureToWork(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (m isms.Measure, full bool, err error) {
	if !isms.ValidID(id) {
		return m, false, isms.NotFound("measure")
	}
	if m, err = tx.MeasureForUpdate(ctx, a.OrgID, id); err != nil {
		return m, false, err
	}
	work, full, err := s.measureAccess(ctx, a, m)
	if err == nil && !work {
		err = a.Require(isms.ActManageSoA)
	}
	return m, full, err
}

// SaveMeasure creates a measure (id "") or updates one. The ISMS team
// may change everything; the measure's owner only its status.
// Requirements are checked as a whole: every unknown one is named.
func (s *Service) SaveMeasure(ctx context.Context, a isms.Actor, id string, in isms.Measure) (isms.Measure, error) {
	if id == "" {
		if err := a.Require(isms.ActManageSoA); err != nil {
			return in, err
		}
	}
	if err := s.ensureBuiltins(ctx); err != nil { // requirements may be on built-in frameworks
		return in, err
	}
	now := s.clock.Now()
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var old isms.Measure
		action := "measure.create"
		setReqs := true // the ISMS team's form states the requirements; the owner's does not
		if id != "" {
			var err error
			if old, setReqs, err = s.measureToWork(ctx, tx, a, id); err != nil {
				return err
			}
			switch {
			case !setReqs: // the owner keeps everything but the status as it was
				status := in.Status
				in = old
				in.Status = status
			case in.Requirements == nil: // not stated: kept as they were
				in.Requirements, setReqs = old.Requirements, false
			}
			action = "measure.update"
		}
		if err := in.Validate(); err != nil {
			return err
		}
		if _, err := liveDept(ctx, tx, a.OrgID, "department_id", in.DeptID); err != nil {
			return err
		}
		if in.OwnerID != old.OwnerID {
			if err := livePerson(ctx, tx, a.OrgID, "owner_id", in.OwnerID); err != nil {
				return err
			}
		}
		in.OrgID, in.UpdatedBy, in.UpdatedAt = a.OrgID, a.Name(), now
		if id == "" {
			in.ID, in.CreatedAt = newID(), now
			if err := tx.CreateMeasure(ctx, &in); err != nil {
				return err
			}
		} else {
			in.ID, in.N, in.CreatedAt = old.ID, old.N, old.CreatedAt
			if err := tx.UpdateMeasure(ctx, &in); err != nil {
				return err
			}
		}
		if setReqs {
			if err := s.resolveRequirements(ctx, tx, a.OrgID, in.Requirements); err != nil {
				return err
			}
			if err := tx.SetMeasureRequirements(ctx, a.OrgID, in.ID, in.Requirements); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: "measure", EntityID: in.ID,
			Summary: in.Number() + " " + in.Title, Data: map[string]any{"before": nilIfEmpty(old), "after": in}})
	})
	return in, err
}

func nilIfEmpty(m isms.Measure) any {
	if m.ID == "" {
		return nil
	}
	return m
}

// resolveRequirements fills each requirement's framework from its code,
// refusing, by key, those the organization has no framework or reference
// for.
func (s *Service) resolveRequirements(ctx context.Context, tx *store.Tx, orgID string, reqs []isms.MeasureReq) error {
	found, err := tx.ResolveRequirements(ctx, orgID, reqs)
	if err != nil {
		return err
	}
	var p isms.Problems
	for i := range reqs {
		ids, ok := found[reqs[i].Key()]
		if !ok {
			p.Add("requirements", "measure.unknown_requirement", "value", reqs[i].Key())
			continue
		}
		reqs[i].FrameworkID, reqs[i].NodeID = ids[0], ids[1]
	}
	return p.Err()
}

// DeleteMeasure removes a measure, its requirements and its evidence.
func (s *Service) DeleteMeasure(ctx context.Context, a isms.Actor, id string) error {
	if err := a.Require(isms.ActManageSoA); err != nil {
		return err
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		m, _, err := s.measureToWork(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteMeasure(ctx, a.OrgID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "measure.delete", EntityType: "measure", EntityID: id,
			Summary: m.Number() + " " + m.Title, Data: m})
	})
}

// AddMeasureEvidence adds an item of evidence to a measure.
func (s *Service) AddMeasureEvidence(ctx context.Context, a isms.Actor, id string, in EvidenceInput, filename string, file io.Reader) (isms.Evidence, error) {
	// Refuse before the file is read into the blob store.
	if !isms.ValidID(id) {
		return isms.Evidence{}, isms.NotFound("measure")
	}
	m, err := s.st.Measure(ctx, a.OrgID, id, "", "")
	if err != nil {
		return isms.Evidence{}, err
	}
	if work, _, err := s.measureAccess(ctx, a, m); err != nil || !work {
		if err == nil {
			err = a.Require(isms.ActManageSoA)
		}
		return isms.Evidence{}, err
	}
	pe, err := s.prepareEvidence(a, isms.EvidenceMeasure, in, filename, file)
	if err != nil {
		return pe.e, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		m, _, err := s.measureToWork(ctx, tx, a, id)
		if err != nil {
			return err
		}
		data, err := pe.save(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "measure.evidence_add", EntityType: "measure",
			EntityID: m.ID, Summary: m.Number() + " " + pe.e.Title, Data: data})
	})
	return pe.e, err
}

// ControlCoverage is a framework's coverage view: each assessable requirement
// with the measures that reach it, and the counts.
type ControlCoverage struct {
	Framework isms.Framework    `json:"framework"`
	Rows      []isms.CoverRow   `json:"rows"`
	Summary   isms.CoverSummary `json:"summary"`
	Today     string            `json:"today"`
}

// ControlCoverage reads which requirements of a framework have a measure and
// evidence, directly or through a mapping from another framework.
// Requirements the organization's SoA excludes are marked so and left
// out of the counts.
func (s *Service) ControlCoverage(ctx context.Context, a isms.Actor, frameworkID, lang string) (ControlCoverage, error) {
	f, err := s.frameworkFor(ctx, a, isms.ActViewSoA, frameworkID)
	if err != nil {
		return ControlCoverage{}, err
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return ControlCoverage{}, err
	}
	ms, err := s.st.CoverMeasures(ctx, a.OrgID, today)
	if err != nil {
		return ControlCoverage{}, err
	}
	return s.coverage(ctx, a.OrgID, f, ms, today, lang)
}

// coverage computes one framework's view from the organization's
// measures, read once by the caller.
func (s *Service) coverage(ctx context.Context, orgID string, f isms.Framework, ms store.CoverMeasures, today, lang string) (ControlCoverage, error) {
	c := ControlCoverage{Framework: f, Today: today}
	nodes, err := s.st.CoverNodes(ctx, orgID, f.ID)
	if err != nil {
		return c, err
	}
	mapped, err := s.st.CoverMappings(ctx, orgID, f.ID)
	if err != nil {
		return c, err
	}
	excluded, err := s.st.ExcludedRefs(ctx, orgID, f.ID)
	if err != nil {
		return c, err
	}
	// The measures reaching each reference: naming it, or naming a
	// requirement mapped to it.
	links := map[string][]isms.CoverLink{}
	for _, q := range ms.Reqs {
		l := ms.Links[q.MeasureID]
		if q.FrameworkID == f.ID {
			links[q.Ref] = append(links[q.Ref], l)
			continue
		}
		for _, x := range mapped[[2]string{q.FrameworkID, q.Ref}] {
			v := l
			v.Via, v.Relation = isms.MeasureReq{Framework: q.Code, Ref: q.Ref}.Key(), x.Relation
			links[x.Ref] = append(links[x.Ref], v)
		}
	}
	c.Rows = make([]isms.CoverRow, len(nodes))
	c.Summary = isms.CoverSummary{FrameworkID: f.ID, Code: f.Code, Name: f.Name(lang), States: map[string]int{}}
	for i, n := range nodes {
		rn := isms.RequirementNode{TitleZH: n.TitleZH, TitleEN: n.TitleEN, OwnTitleZH: n.OwnTitleZH}
		r := isms.CoverRow{NodeID: n.ID, Ref: n.Ref, Title: rn.Title(lang), Category: n.Category,
			Links: bestLinks(links[n.Ref]), MissingZH: rn.MissingZH()}
		if excluded[n.Ref] {
			r.State = isms.CoverExcluded
		} else {
			r.State = isms.CoverState(r.Links)
			c.Summary.Total++
			c.Summary.States[r.State]++
		}
		c.Rows[i] = r
	}
	return c, nil
}

// bestLinks keeps one link per measure: the direct one when the measure
// names the requirement itself, else its fullest mapping.
func bestLinks(links []isms.CoverLink) []isms.CoverLink {
	if len(links) < 2 {
		return links
	}
	rank := func(l isms.CoverLink) int {
		switch {
		case l.Via == "":
			return 0
		case l.Full():
			return 1
		}
		return 2
	}
	out := make([]isms.CoverLink, 0, len(links))
	at := map[string]int{}
	for _, l := range links {
		i, seen := at[l.MeasureID]
		switch {
		case !seen:
			at[l.MeasureID] = len(out)
			out = append(out, l)
		case rank(l) < rank(out[i]):
			out[i] = l
		}
	}
	return out
}

// CoverageSummaries counts coverage for every framework the organization
// sees that any of its measures reaches, directly or through a mapping;
// the measures are read once for all of them.
func (s *Service) CoverageSummaries(ctx context.Context, a isms.Actor, lang string) ([]isms.CoverSummary, error) {
	fs, err := s.Frameworks(ctx, a)
	if err != nil {
		return nil, err
	}
	if err := a.Require(isms.ActViewSoA); err != nil {
		return nil, err
	}
	reached, err := s.st.ReachedFrameworks(ctx, a.OrgID)
	if err != nil || len(reached) == 0 {
		return nil, err
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	ms, err := s.st.CoverMeasures(ctx, a.OrgID, today)
	if err != nil {
		return nil, err
	}
	var out []isms.CoverSummary
	for _, f := range fs {
		if !reached[f.ID] {
			continue
		}
		c, err := s.coverage(ctx, a.OrgID, f, ms, today, lang)
		if err != nil {
			return nil, err
		}
		if c.Summary.Total > 0 && c.Summary.States[isms.CoverNone] < c.Summary.Total {
			out = append(out, c.Summary)
		}
	}
	return out, nil
}

// ParseMeasureRequirements reads requirements typed in a form, one per
// line, on the default framework when a line gives a reference alone.
func ParseMeasureRequirements(text string) []isms.MeasureReq {
	return isms.ParseRequirementKeys(strings.TrimSpace(text), DefaultSoAFramework)
}

package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Transition is the result of generating an SoA on a new framework
// version from the one on the old version.
type Transition struct {
	Framework isms.Framework `json:"framework"`
	Carried   int            `json:"carried"` // decisions carried over (equal relation)
	Flagged   int            `json:"flagged"` // lines left for review
}

// SoA transition: from the 2013 Annex A to the 2022 one.
const (
	transitionFrom = "ISO27001:2013"
	transitionTo   = "ISO27001:2022"
)

// TransitionSoA generates the 2022 working copy from the organization's
// 2013 SoA through the built-in mapping. A 2022 control that one 2013
// control maps to with the relation "equal" takes that control's
// decisions; every other control gets a review note naming its 2013
// sources and their decisions, so nothing is dropped silently. Links
// to documents, risks and assets are carried to every control a source
// maps to. The 2022 working copy must not have decisions yet.
func (s *Service) TransitionSoA(ctx context.Context, a isms.Actor) (Transition, error) {
	var t Transition
	if err := a.Require(isms.ActManageSoA); err != nil {
		return t, err
	}
	if err := s.ensureBuiltins(ctx); err != nil {
		return t, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		from, err := tx.FrameworkByCodeFor(ctx, a.OrgID, transitionFrom)
		if err != nil {
			return err
		}
		to, err := tx.FrameworkByCodeFor(ctx, a.OrgID, transitionTo)
		if err != nil {
			return err
		}
		t.Framework = to
		old, err := tx.SoARowsOf(ctx, a.OrgID, from.ID)
		if err != nil {
			return err
		}
		decidedOld := 0
		for _, r := range old {
			if r.Decided() {
				decidedOld++
			}
		}
		if decidedOld == 0 {
			return isms.Invalid("framework", isms.M("soa.transition_nothing", "framework", from.Code))
		}
		existing, err := tx.SoARowsOf(ctx, a.OrgID, to.ID)
		if err != nil {
			return err
		}
		for _, r := range existing {
			if r.Decided() {
				return isms.Conflict("framework", isms.M("soa.transition_started", "framework", to.Code))
			}
		}
		oldLinks, err := tx.SoALinks(ctx, a.OrgID, from.ID)
		if err != nil {
			return err
		}
		nodes, err := tx.NodesOf(ctx, to.ID)
		if err != nil {
			return err
		}
		sources, err := tx.MappingSources(ctx, a.OrgID, from.ID, to.ID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		for _, n := range nodes {
			if !soaEligible(n) {
				continue
			}
			r, found := existing[n.Ref]
			if !found {
				r = isms.SoARow{ID: newID(), OrgID: a.OrgID, FrameworkID: to.ID, Ref: n.Ref, Status: isms.ImplNotStarted}
			}
			r.UpdatedBy, r.UpdatedAt = a.Name(), now
			srcs := sources[n.Ref]
			var notes []string
			links := map[string][]string{}
			for _, m := range srcs {
				o, ok := old[m.SourceRef]
				for _, l := range oldLinks[o.ID] {
					if !slices.Contains(links[l.Kind], l.TargetID) {
						links[l.Kind] = append(links[l.Kind], l.TargetID)
					}
				}
				notes = append(notes, m.SourceRef+"（"+m.Relation+"）："+describeRow(o, ok))
			}
			switch {
			case len(srcs) == 1 && srcs[0].Relation == isms.RelEqual && old[srcs[0].SourceRef].Decided():
				o := old[srcs[0].SourceRef]
				r.Applicable, r.Reasons, r.Justification, r.Status = o.Applicable, o.Reasons, o.Justification, o.Status
				r.DeptID, r.OwnerID, r.Implementation = o.DeptID, o.OwnerID, o.Implementation
				r.ReviewNote = ""
				t.Carried++
			case len(srcs) == 0:
				r.ReviewNote = "2022 新增控制，需评审。New in 2022: review."
				t.Flagged++
			default:
				r.ReviewNote = "由 2013 转换，需评审。From 2013, review: " + strings.Join(notes, "；")
				t.Flagged++
			}
			// The sources' links replace the row's of the same kinds; the
			// row's other links stay.
			if err := writeSoARow(ctx, tx, &r, found, links); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.transition", EntityType: "framework", EntityID: to.ID,
			Summary: fmt.Sprintf("%s → %s: %d carried, %d for review", from.Code, to.Code, t.Carried, t.Flagged),
			Data:    map[string]any{"from": from.ID, "to": to.ID, "carried": t.Carried, "flagged": t.Flagged}})
	})
	return t, err
}

// describeRow prints an old row's decision for a review note.
func describeRow(r isms.SoARow, found bool) string {
	switch {
	case !found || !r.Decided():
		return "未决定 undecided"
	case r.IsApplicable():
		return "适用 applicable, " + r.Status
	}
	return "不适用 excluded: " + r.Justification
}

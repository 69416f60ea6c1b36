package service

import (
	"context"
	"slices"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Supervision between organizations: the links, kept by whoever
// administers both ends (the platform's root organization, a group over
// its subsidiaries), never by the supervising body alone — a body cannot
// give itself sight of an organization.

// SupervisionLinks lists the links with an end among the organizations
// the actor administers.
func (s *Service) SupervisionLinks(ctx context.Context, a isms.Actor) ([]isms.SupervisionLink, error) {
	if err := a.Require(isms.ActManageOrganization); err != nil {
		return nil, err
	}
	return s.st.SupervisionLinks(ctx, a.OrgPath)
}

// AddSupervisionLink links a supervising organization to one it
// supervises. Both must be organizations the actor administers and not
// archived; a link that would close a loop (the supervised body already
// supervises the supervisor, directly or along links) is refused, as is a
// pair linked already. Each organization's trail records it.
func (s *Service) AddSupervisionLink(ctx context.Context, a isms.Actor, in isms.SupervisionLink) (isms.SupervisionLink, error) {
	if err := a.Require(isms.ActManageOrganization); err != nil {
		return in, err
	}
	if err := in.Check(); err != nil {
		return in, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		sup, err := writableOrg(ctx, tx, a, "supervisor_id", in.SupervisorID)
		if err != nil {
			return err
		}
		sub, err := writableOrg(ctx, tx, a, "supervised_id", in.SupervisedID)
		if err != nil {
			return err
		}
		loop, err := tx.Supervises(ctx, sub.ID, sup.ID)
		if err != nil {
			return err
		}
		if loop {
			return isms.Conflict("supervised_id", isms.M("supervision.cycle", "name", sub.Name))
		}
		in.ID, in.CreatedBy, in.CreatedAt = newID(), a.Name(), s.clock.Now()
		in.SupervisorName, in.SupervisedName = sup.Name, sub.Name
		if err := tx.CreateSupervisionLink(ctx, &in); err != nil {
			return err
		}
		for _, org := range []string{sup.ID, sub.ID} {
			if err := s.record(ctx, tx, a, audit{OrgID: org, Action: "supervision.link", EntityType: "supervision_link",
				EntityID: in.ID, Summary: sup.Name + " → " + sub.Name, Data: in}); err != nil {
				return err
			}
		}
		return nil
	})
	return in, err
}

// RemoveSupervisionLink removes a link whose both ends the actor
// administers.
func (s *Service) RemoveSupervisionLink(ctx context.Context, a isms.Actor, id string) error {
	if err := a.Require(isms.ActManageOrganization); err != nil {
		return err
	}
	if !isms.ValidID(id) {
		return isms.NotFound("supervision_link")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		l, err := tx.SupervisionLink(ctx, id)
		if err != nil {
			return err
		}
		for _, org := range []string{l.SupervisorID, l.SupervisedID} {
			o, err := tx.Organization(ctx, org)
			if err == nil {
				err = inScope(a, o)
			}
			if err != nil {
				return isms.NotFound("supervision_link")
			}
		}
		if err := tx.DeleteSupervisionLink(ctx, id); err != nil {
			return err
		}
		for _, org := range []string{l.SupervisorID, l.SupervisedID} {
			if err := s.record(ctx, tx, a, audit{OrgID: org, Action: "supervision.unlink", EntityType: "supervision_link",
				EntityID: l.ID, Summary: l.SupervisorName + " → " + l.SupervisedName, Data: l}); err != nil {
				return err
			}
		}
		return nil
	})
}

// SupervisedOrganizations lists the organizations the actor's body
// supervises along links that pass the filter, each with its MLPS
// roll-up: all that crosses a link before campaigns (the organization's
// name, region, industry and MLPS status).
func (s *Service) SupervisedOrganizations(ctx context.Context, a isms.Actor, f isms.SupervisedFilter) ([]isms.SupervisedOrg, error) {
	if err := a.Require(isms.ActSupervise); err != nil {
		return nil, err
	}
	all, err := s.st.SupervisedOrgs(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	orgs := all[:0]
	for _, o := range all {
		if f.Match(o) {
			orgs = append(orgs, o)
		}
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	for i := range orgs {
		if orgs[i].MLPS, err = s.mlpsRollup(ctx, orgs[i].ID, today); err != nil {
			return nil, err
		}
	}
	return orgs, nil
}

// SupervisedChoices lists what the filters of a body's view offer: the
// industries of the organizations below it and the deepest distance.
func (s *Service) SupervisedChoices(ctx context.Context, a isms.Actor) (industries []string, maxDepth int, err error) {
	if err := a.Require(isms.ActSupervise); err != nil {
		return nil, 0, err
	}
	all, err := s.st.SupervisedOrgs(ctx, a.OrgID)
	if err != nil {
		return nil, 0, err
	}
	for _, o := range all {
		if o.Industry != "" && !slices.Contains(industries, o.Industry) {
			industries = append(industries, o.Industry)
		}
		maxDepth = max(maxDepth, o.Depth)
	}
	slices.Sort(industries)
	return industries, maxDepth, nil
}

// SupervisedOrganization reads one supervised organization's roll-up. An
// organization outside the body's links is refused (403) and the refusal
// is recorded in the body's trail.
func (s *Service) SupervisedOrganization(ctx context.Context, a isms.Actor, orgID string) (isms.SupervisedOrg, error) {
	var x isms.SupervisedOrg
	if err := a.Require(isms.ActSupervise); err != nil {
		return x, err
	}
	orgs, err := s.st.SupervisedOrgs(ctx, a.OrgID)
	if err != nil {
		return x, err
	}
	for _, o := range orgs {
		if o.ID == orgID {
			x = o
		}
	}
	if x.ID == "" {
		err := s.st.InTx(ctx, func(tx *store.Tx) error {
			return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "supervision.denied", EntityType: "organization",
				EntityID: orgID, Summary: orgID, Data: map[string]string{"organization_id": orgID}})
		})
		if err != nil {
			return x, err
		}
		return x, isms.Forbidden(isms.M("supervision.not_supervised"))
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return x, err
	}
	x.MLPS, err = s.mlpsRollup(ctx, x.ID, today)
	return x, err
}

// mlpsRollup sums an organization's MLPS status: active objects by the
// level in force, those filed, their latest certificates ending within 90
// days or ended, the latest evaluation as reported, and open
// rectifications by risk.
func (s *Service) mlpsRollup(ctx context.Context, orgID, today string) (isms.MLPSRollup, error) {
	r := isms.MLPSRollup{ByLevel: map[int]int{}, OpenByRisk: map[string]int{}}
	objs, err := s.objectsWithGradings(ctx, store.MLPSObjectFilter{OrgID: orgID})
	if err != nil {
		return r, err
	}
	active := map[string]bool{}
	for i := range objs {
		o := &objs[i]
		active[o.ID] = true
		r.Objects++
		r.ByLevel[o.Level()]++
		if o.Current != nil && o.Current.Status == isms.GradingFiled {
			r.Filed++
		}
	}
	evals, err := s.st.Evaluations(ctx, orgID, "")
	if err != nil {
		return r, err
	}
	days := map[string][]string{}
	for _, e := range evals {
		days[e.ObjectID] = append(days[e.ObjectID], e.CompletedOn)
	}
	if len(evals) > 0 { // newest first
		r.LastEval, r.LastResult = evals[0].CompletedOn, evals[0].Conclusion
		if r.LastResult == "" {
			r.LastResult = evals[0].Rating
		}
	}
	certs, err := s.st.Certificates(ctx, orgID, "")
	if err != nil {
		return r, err
	}
	latest := map[string]isms.Certificate{} // by object; certificates come oldest first
	for _, c := range certs {
		if active[c.ObjectID] {
			latest[c.ObjectID] = c
		}
	}
	soon := isms.AddDays(today, 90)
	for objectID, c := range latest {
		v, err := isms.DefaultCertificateRule.Validity(c.IssuedOn, days[objectID])
		if err != nil {
			return r, err
		}
		switch {
		case v.ValidUntil < today:
			r.Expired++
		case v.ValidUntil <= soon:
			r.Expiring++
		}
	}
	rects, err := s.st.Rectifications(ctx, orgID, "", "")
	if err != nil {
		return r, err
	}
	for _, x := range rects {
		if x.Status != isms.RectVerified && active[x.ObjectID] {
			r.OpenByRisk[x.Risk]++
		}
	}
	return r, nil
}

package service

import (
	"context"

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
	d, err := s.SupervisionDashboard(ctx, a, f, "")
	return d.Orgs, err
}

// SupervisedOrganization reads one supervised organization's roll-up. An
// organization outside the body's links is refused (403) and the refusal
// is recorded in the body's trail.
func (s *Service) SupervisedOrganization(ctx context.Context, a isms.Actor, orgID string) (isms.SupervisedOrg, error) {
	var x isms.SupervisedOrg
	d, err := s.SupervisionDashboard(ctx, a, isms.SupervisedFilter{}, "")
	if err != nil {
		return x, err
	}
	for _, o := range d.Orgs {
		if o.ID == orgID {
			return o, nil
		}
	}
	return x, s.denySupervision(ctx, a, "organization", orgID)
}

// mlpsRollups sums the MLPS status of every organization below a body:
// active objects by the level in force, those filed, their latest
// certificates ending within 90 days or ended, the latest evaluation as
// reported, evaluation duties open and overdue, and open rectifications
// by risk.
func (s *Service) mlpsRollups(ctx context.Context, supervisorID, today string) (map[string]isms.MLPSRollup, error) {
	d, err := s.st.SupervisedMLPS(ctx, supervisorID, s.clock.Now())
	if err != nil {
		return nil, err
	}
	out := map[string]isms.MLPSRollup{}
	roll := func(org string) isms.MLPSRollup {
		r, ok := out[org]
		if !ok {
			r = isms.MLPSRollup{ByLevel: map[int]int{}, OpenByRisk: map[string]int{}}
		}
		return r
	}
	gradings := map[string][]isms.Grading{}
	for _, g := range d.Gradings {
		gradings[g.ObjectID] = append(gradings[g.ObjectID], g)
	}
	active := map[string]bool{}
	for i := range d.Objects {
		o := &d.Objects[i]
		attachGradings(o, gradings[o.ID])
		active[o.ID] = true
		r := roll(o.OrgID)
		r.Objects++
		r.ByLevel[o.Level()]++
		if o.Current != nil && o.Current.Status == isms.GradingFiled {
			r.Filed++
		}
		out[o.OrgID] = r
	}
	days := map[string][]string{}
	for _, e := range d.Evaluations { // newest first
		days[e.ObjectID] = append(days[e.ObjectID], e.CompletedOn)
		if r := roll(e.OrgID); r.LastEval == "" {
			r.LastEval, r.LastResult = e.CompletedOn, e.Conclusion
			if r.LastResult == "" {
				r.LastResult = e.Rating
			}
			out[e.OrgID] = r
		}
	}
	latest := map[string]isms.Certificate{} // by object; certificates come oldest first
	for _, c := range d.Certificates {
		if active[c.ObjectID] {
			latest[c.ObjectID] = c
		}
	}
	soon := isms.AddDays(today, 90)
	for objectID, c := range latest {
		v, err := isms.DefaultCertificateRule.Validity(c.IssuedOn, days[objectID])
		if err != nil {
			return nil, err
		}
		r := roll(c.OrgID)
		switch {
		case v.ValidUntil < today:
			r.Expired++
		case v.ValidUntil <= soon:
			r.Expiring++
		}
		out[c.OrgID] = r
	}
	for _, x := range d.Rectifications {
		if active[x.ObjectID] {
			r := roll(x.OrgID)
			r.OpenByRisk[x.Risk]++
			out[x.OrgID] = r
		}
	}
	for org, c := range d.EvalDue {
		r := roll(org)
		r.EvalDue, r.EvalLate = c[0], c[1]
		out[org] = r
	}
	return out, nil
}

// SupervisedDetail is what a body sees of one organization below it: its
// roll-up, its liaison, and its submissions to the campaigns the body
// runs or reviews for (each openable once it has reached the body).
type SupervisedDetail struct {
	Org         isms.SupervisedOrg
	Liaison     *isms.Liaison
	Submissions []isms.Submission
	Today       string // the body's, which lateness is judged by
}

// SupervisedOrganizationDetail reads one organization below the actor's
// body; one outside its links is refused (403) and recorded.
func (s *Service) SupervisedOrganizationDetail(ctx context.Context, a isms.Actor, orgID string) (SupervisedDetail, error) {
	var d SupervisedDetail
	var err error
	if d.Org, err = s.SupervisedOrganization(ctx, a, orgID); err != nil {
		return d, err
	}
	if l, ok, err := s.st.Liaison(ctx, orgID); err != nil {
		return d, err
	} else if ok {
		d.Liaison = &l
	}
	if d.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return d, err
	}
	d.Submissions, err = s.st.Submissions(ctx, store.SubmissionFilter{OrgID: orgID, Chain: a.OrgID})
	return d, err
}

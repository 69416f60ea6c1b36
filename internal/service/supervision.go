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

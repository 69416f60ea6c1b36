package service

import (
	"context"
	"time"

	"openisms/internal/isms"
	"openisms/internal/schedule"
	"openisms/internal/store"
)

// orgLocation is the time zone an organization's duties fall due in.
func orgLocation(o isms.Organization) *time.Location {
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		loc, _ = time.LoadLocation(isms.DefaultTimeZone)
	}
	return loc
}

// checkObligation validates an obligation against the schedule engine and
// stored state: the rule fires and not too often, the department is the
// organization's, and every role it names has a holder.
func (s *Service) checkObligation(ctx context.Context, tx *store.Tx, o *isms.Obligation, org isms.Organization) error {
	if err := schedule.Check(o.Schedule, orgLocation(org), s.clock.Now()); err != nil {
		return err
	}
	if _, err := liveDept(ctx, tx, o.OrgID, "department_id", o.DeptID); err != nil {
		return err
	}
	if err := liveAccount(ctx, tx, o.OrgID, "owner_account_id", o.OwnerAccount); err != nil {
		return err
	}
	var p isms.Problems
	check := func(field string, r isms.Role) error {
		if r == "" {
			return nil
		}
		n, err := tx.CountRoleHolders(ctx, o.OrgID, r)
		if err == nil && n == 0 {
			p.Add(field, "obligation.nobody_holds", "role", string(r))
		}
		return err
	}
	if err := check("owner_role", o.OwnerRole); err != nil {
		return err
	}
	for i, st := range o.Escalation {
		if err := check("escalation["+itoa(i)+"].role", st.Role); err != nil {
			return err
		}
	}
	return p.Err()
}

// nextRun is when the obligation's next occurrence after t must be
// generated: its due time less the reminder lead (nil when none).
func nextRun(o isms.Obligation, loc *time.Location, after time.Time) (*time.Time, error) {
	next, ok, err := schedule.NextDue(o.Schedule, loc, after)
	if err != nil || !ok {
		return nil, err
	}
	run := next.Add(-time.Duration(o.LeadDays) * 24 * time.Hour)
	return &run, nil
}

// CreateObligation registers a recurring duty. Occurrences are generated
// from now on: a duty whose start lies in the past does not produce a
// backlog of overdue tasks.
func (s *Service) CreateObligation(ctx context.Context, a isms.Actor, o isms.Obligation) (isms.Obligation, error) {
	if err := a.Require(isms.ActManageObligations); err != nil {
		return o, err
	}
	if o.OrgID == "" {
		o.OrgID = a.OrgID
	}
	o.Normalize()
	o.ID = newID()
	o.Active = true
	if err := o.Validate(); err != nil {
		return o, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		return s.createObligation(ctx, tx, a, &o)
	})
	return o, err
}

func (s *Service) createObligation(ctx context.Context, tx *store.Tx, a isms.Actor, o *isms.Obligation) error {
	org, err := recordOrg(ctx, tx, a, "org_id", o.OrgID)
	if err != nil {
		return err
	}
	if err := s.checkObligation(ctx, tx, o, org); err != nil {
		return err
	}
	now := s.clock.Now()
	o.CreatedAt, o.UpdatedAt = now, now
	run, err := nextRun(*o, orgLocation(org), now)
	if err != nil {
		return isms.Internal(err)
	}
	if err := tx.CreateObligation(ctx, o, now, run); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: o.OrgID, Action: "obligation.create", EntityType: "obligation",
		EntityID: o.ID, Summary: o.TitleZH, Data: o})
}

// UpdateObligation replaces an obligation's editable fields. A new
// schedule applies from now on; tasks already generated stay.
func (s *Service) UpdateObligation(ctx context.Context, a isms.Actor, id string, in isms.Obligation) (isms.Obligation, error) {
	var o isms.Obligation
	if !isms.ValidID(id) {
		return o, isms.NotFound("obligation")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		before, err := tx.Obligation(ctx, id)
		if err != nil {
			return err
		}
		if !a.OwnOrg(before.OrgID) {
			return isms.NotFound("obligation")
		}
		if err := a.Require(isms.ActManageObligations); err != nil {
			return err
		}
		o = in
		o.ID, o.OrgID, o.Code, o.CreatedAt = before.ID, before.OrgID, before.Code, before.CreatedAt
		o.Normalize()
		if err := o.Validate(); err != nil {
			return err
		}
		org, err := tx.Organization(ctx, o.OrgID)
		if err != nil {
			return err
		}
		if err := s.checkObligation(ctx, tx, &o, org); err != nil {
			return err
		}
		now := s.clock.Now()
		o.UpdatedAt = now
		until, err := tx.GeneratedUntil(ctx, id)
		if err != nil {
			return err
		}
		var run *time.Time
		if o.Active {
			if run, err = nextRun(o, orgLocation(org), maxTime(until, now)); err != nil {
				return isms.Internal(err)
			}
		}
		if err := tx.UpdateObligation(ctx, &o, run); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: o.OrgID, Action: "obligation.update", EntityType: "obligation",
			EntityID: o.ID, Summary: o.TitleZH, Data: changes(before, o)})
	})
	return o, err
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// Obligation reads one obligation of the actor's organization.
func (s *Service) Obligation(ctx context.Context, a isms.Actor, id string) (isms.Obligation, error) {
	if !isms.ValidID(id) {
		return isms.Obligation{}, isms.NotFound("obligation")
	}
	o, err := s.st.Obligation(ctx, id)
	if err != nil {
		return o, err
	}
	if !a.OwnOrg(o.OrgID) {
		return isms.Obligation{}, isms.NotFound("obligation")
	}
	return o, nil
}

// ListObligations lists the organization's obligations (everyone in it
// may see what duties exist).
func (s *Service) ListObligations(ctx context.Context, a isms.Actor, f isms.ListFilter) ([]isms.Obligation, error) {
	f.OrgID = a.OrgID
	return s.st.ListObligations(ctx, f)
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

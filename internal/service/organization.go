package service

import (
	"context"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
	"openisms/internal/store"
)

// CreateOrganization registers an organization. An account may only create
// organizations below its own; the console may also create roots.
func (s *Service) CreateOrganization(ctx context.Context, a isms.Actor, o isms.Organization) (isms.Organization, error) {
	o, _, err := s.CreateOrganizationFrom(ctx, a, o, nil)
	return o, err
}

// CreateOrganizationFrom registers an organization and, when tpl is not
// nil, sets it up from the template in the same transaction: whoever may
// create an organization may give it its starting structure.
func (s *Service) CreateOrganizationFrom(ctx context.Context, a isms.Actor, o isms.Organization, tpl *orgtemplate.Template) (isms.Organization, TemplateResult, error) {
	var res TemplateResult
	if err := a.Require(isms.ActManageOrganization); err != nil {
		return o, res, err
	}
	o.Normalize()
	o.ID = newID()
	if err := o.Validate(); err != nil {
		return o, res, err
	}
	if o.ParentID == "" && !a.IsCLI() {
		return o, res, isms.Invalid("parent_id", isms.M("field.required"))
	}
	now := s.clock.Now()
	o.CreatedAt, o.UpdatedAt = now, now
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		parentPath := ""
		if o.ParentID != "" {
			parent, err := writableOrg(ctx, tx, a, "parent_id", o.ParentID)
			if err != nil {
				return err
			}
			parentPath = parent.Path
		}
		o.Path = isms.ChildPath(parentPath, o.ID)
		if err := tx.CreateOrganization(ctx, &o); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, audit{OrgID: o.ID, Action: "organization.create", EntityType: "organization",
			EntityID: o.ID, Summary: o.Name, Data: o}); err != nil {
			return err
		}
		if tpl == nil {
			return nil
		}
		var err error
		res, err = s.applyTemplate(ctx, tx, a, o.ID, *tpl)
		return err
	})
	return o, res, err
}

// Organization reads one organization in the actor's scope.
func (s *Service) Organization(ctx context.Context, a isms.Actor, id string) (isms.Organization, error) {
	if !isms.ValidID(id) {
		return isms.Organization{}, isms.NotFound("organization")
	}
	o, err := s.st.Organization(ctx, id)
	if err == nil {
		err = inScope(a, o)
	}
	if err == nil {
		err = a.Require(isms.ActViewOrganization)
	}
	return o, err
}

// UpdateOrganization changes fields of an organization; a new parent moves
// it with its whole subtree, never under itself.
func (s *Service) UpdateOrganization(ctx context.Context, a isms.Actor, id string, p isms.OrganizationPatch) (isms.Organization, error) {
	var o isms.Organization
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		before, err := tx.Organization(ctx, id)
		if err == nil {
			err = inScope(a, before)
		}
		if err == nil {
			err = a.Require(isms.ActManageOrganization)
		}
		if err != nil {
			return err
		}
		if before.ArchivedAt != nil {
			return isms.Conflict("", isms.M("error.archived", "entity", "organization"))
		}
		o = before
		p.Apply(&o)
		o.Normalize()
		if err := o.Validate(); err != nil {
			return err
		}
		if o.ParentID != before.ParentID {
			if o.ID == a.OrgID {
				return isms.Invalid("parent_id", isms.M("organization.move_own"))
			}
			if o.ParentID == "" {
				if !a.IsCLI() {
					return isms.Invalid("parent_id", isms.M("field.required"))
				}
				o.Path = isms.ChildPath("", o.ID)
			} else {
				parent, err := writableOrg(ctx, tx, a, "parent_id", o.ParentID)
				if err != nil {
					return err
				}
				if isms.IsUnder(parent.Path, before.Path) {
					return isms.Invalid("parent_id", isms.M("tree.cycle"))
				}
				o.Path = isms.ChildPath(parent.Path, o.ID)
			}
		}
		o.UpdatedAt = s.clock.Now()
		if err := tx.UpdateOrganization(ctx, &o, before.Path); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: o.ID, Action: "organization.update", EntityType: "organization",
			EntityID: o.ID, Summary: o.Name, Data: changes(before, o)})
	})
	return o, err
}

// ArchiveOrganization takes an organization out of lists. It must have no
// live sub-organizations, and nobody archives their own organization.
func (s *Service) ArchiveOrganization(ctx context.Context, a isms.Actor, id string) (isms.Organization, error) {
	var o isms.Organization
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		o, err = tx.Organization(ctx, id)
		if err == nil {
			err = inScope(a, o)
		}
		if err == nil {
			err = a.Require(isms.ActManageOrganization)
		}
		if err != nil {
			return err
		}
		if o.ArchivedAt != nil {
			return nil // already archived: nothing changes, nothing to record
		}
		if o.ID == a.OrgID {
			return isms.Conflict("", isms.M("organization.archive_own"))
		}
		n, err := tx.CountLiveChildOrganizations(ctx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return isms.Conflict("", isms.M("organization.has_children", "count", n))
		}
		now := s.clock.Now()
		if err := tx.ArchiveOrganization(ctx, id, now); err != nil {
			return err
		}
		o.ArchivedAt, o.UpdatedAt = &now, now
		return s.record(ctx, tx, a, audit{OrgID: o.ID, Action: "organization.archive", EntityType: "organization",
			EntityID: o.ID, Summary: o.Name})
	})
	return o, err
}

// ListOrganizations lists the organizations in the actor's scope.
func (s *Service) ListOrganizations(ctx context.Context, a isms.Actor, f isms.ListFilter) ([]isms.Organization, error) {
	if err := a.Require(isms.ActViewOrganization); err != nil {
		return nil, err
	}
	f.OrgPath = a.OrgPath
	if a.IsCLI() {
		f.OrgPath = ""
	}
	if f.ParentID != "" && !isms.ValidID(f.ParentID) {
		return nil, isms.Invalid("parent_id", isms.M("field.bad_id"))
	}
	f.Text = strings.TrimSpace(f.Text)
	return s.st.ListOrganizations(ctx, f)
}

// SecuritySettings reads an organization's sign-in rules.
func (s *Service) SecuritySettings(ctx context.Context, a isms.Actor, orgID string) (isms.SecuritySettings, error) {
	if !isms.ValidID(orgID) || !a.OwnOrg(orgID) {
		return isms.SecuritySettings{}, isms.NotFound("organization")
	}
	if err := a.Require(isms.ActManageSettings); err != nil {
		return isms.SecuritySettings{}, err
	}
	return s.st.SecuritySettings(ctx, orgID)
}

// PasswordRules returns the sign-in rules of the actor's own organization,
// which everyone may read (the password page shows them).
func (s *Service) PasswordRules(ctx context.Context, a isms.Actor) (isms.SecuritySettings, error) {
	return s.st.SecuritySettings(ctx, a.OrgID)
}

// UpdateSecuritySettings replaces an organization's sign-in rules.
func (s *Service) UpdateSecuritySettings(ctx context.Context, a isms.Actor, orgID string, set isms.SecuritySettings) (isms.SecuritySettings, error) {
	if !isms.ValidID(orgID) || !a.OwnOrg(orgID) {
		return set, isms.NotFound("organization")
	}
	if err := a.Require(isms.ActManageSettings); err != nil {
		return set, err
	}
	if err := set.Validate(); err != nil {
		return set, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		o, err := recordOrg(ctx, tx, a, "org_id", orgID)
		if err != nil {
			return err
		}
		before, err := tx.SecuritySettings(ctx, o.ID)
		if err != nil {
			return err
		}
		if err := tx.SetSecuritySettings(ctx, o.ID, set, s.clock.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: o.ID, Action: "organization.security_settings", EntityType: "organization",
			EntityID: o.ID, Summary: o.Name, Data: changes(before, set)})
	})
	return set, err
}

// Counts returns the sizes of the registers the actor may see (zero for
// the others), for the workbench.
func (s *Service) Counts(ctx context.Context, a isms.Actor) (store.Counts, error) {
	c, err := s.st.CountRegisters(ctx, a.OrgID, a.OrgPath)
	if err != nil {
		return c, err
	}
	if !a.Can(isms.ActViewOrganization) {
		c.Organizations = 0
	}
	if !a.Can(isms.ActViewStructure) {
		c.Departments, c.People = 0, 0
	}
	if !a.Can(isms.ActViewAccounts) {
		c.Accounts = 0
	}
	return c, nil
}

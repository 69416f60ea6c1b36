package service

import (
	"context"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// checkDeptRefs validates a department's parent and head against stored
// state: both in the same organization and live, and the parent not inside
// the department's own subtree. It returns the parent's path ("" for a root).
// The head is checked only when checkHead is set, so a department whose
// head has since left can still be edited in other ways.
func checkDeptRefs(ctx context.Context, tx *store.Tx, d *isms.Department, selfPath string, checkHead bool) (string, error) {
	var p isms.Problems
	parentPath := ""
	if d.ParentID != "" {
		parent, err := tx.Department(ctx, d.ParentID)
		switch {
		case isms.ErrorCode(err) == isms.CodeNotFound || err == nil && parent.OrgID != d.OrgID:
			p.Add("parent_id", "ref.department_missing")
		case err != nil:
			return "", err
		case parent.ArchivedAt != nil:
			p.Add("parent_id", "ref.department_archived")
		case selfPath != "" && isms.IsUnder(parent.Path, selfPath):
			p.Add("parent_id", "tree.cycle")
		default:
			parentPath = parent.Path
		}
	}
	if d.HeadPersonID != "" && checkHead {
		head, err := tx.Person(ctx, d.HeadPersonID)
		switch {
		case isms.ErrorCode(err) == isms.CodeNotFound || err == nil && head.OrgID != d.OrgID:
			p.Add("head_person_id", "ref.person_missing")
		case err != nil:
			return "", err
		case head.ArchivedAt != nil || head.Status != isms.PersonActive:
			p.Add("head_person_id", "ref.person_inactive")
		}
	}
	return parentPath, p.Err()
}

// CreateDepartment adds a department to an organization.
func (s *Service) CreateDepartment(ctx context.Context, a isms.Actor, d isms.Department) (isms.Department, error) {
	if err := a.Require(isms.ActManageDepartments); err != nil {
		return d, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := recordOrg(ctx, tx, a, "org_id", d.OrgID); err != nil {
			return err
		}
		var err error
		d, err = s.createDepartment(ctx, tx, a, d)
		return err
	})
	return d, err
}

// createDepartment validates and inserts a department of a checked
// organization inside tx, with its trail entry.
func (s *Service) createDepartment(ctx context.Context, tx *store.Tx, a isms.Actor, d isms.Department) (isms.Department, error) {
	d.Normalize()
	d.ID = newID()
	if err := d.Validate(); err != nil {
		return d, err
	}
	now := s.clock.Now()
	d.CreatedAt, d.UpdatedAt = now, now
	parentPath, err := checkDeptRefs(ctx, tx, &d, "", true)
	if err != nil {
		return d, err
	}
	d.Path = isms.ChildPath(parentPath, d.ID)
	if err := tx.CreateDepartment(ctx, &d); err != nil {
		return d, err
	}
	return d, s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "department.create", EntityType: "department",
		EntityID: d.ID, Summary: d.Name, Data: d})
}

// deptInScope loads a department of the actor's organization for a
// change; others' departments do not exist for the actor.
func deptInScope(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Department, error) {
	d, err := tx.Department(ctx, id)
	if err != nil {
		return d, err
	}
	if !a.OwnOrg(d.OrgID) {
		return isms.Department{}, isms.NotFound("department")
	}
	return d, a.Require(isms.ActManageDepartments)
}

// Department reads one department in the actor's scope.
func (s *Service) Department(ctx context.Context, a isms.Actor, id string) (isms.Department, error) {
	if !isms.ValidID(id) {
		return isms.Department{}, isms.NotFound("department")
	}
	d, err := s.st.Department(ctx, id)
	if err != nil {
		return d, err
	}
	if !a.OwnOrg(d.OrgID) {
		return isms.Department{}, isms.NotFound("department")
	}
	return d, a.Require(isms.ActViewStructure)
}

// UpdateDepartment renames, re-codes, moves or changes the head of a
// department; a move takes its sub-departments along.
func (s *Service) UpdateDepartment(ctx context.Context, a isms.Actor, id string, p isms.DepartmentPatch) (isms.Department, error) {
	var d isms.Department
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		before, err := deptInScope(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if before.ArchivedAt != nil {
			return isms.Conflict("", isms.M("error.archived", "entity", "department"))
		}
		if _, err := recordOrg(ctx, tx, a, "org_id", before.OrgID); err != nil {
			return err
		}
		d = before
		p.Apply(&d)
		d.Normalize()
		if err := d.Validate(); err != nil {
			return err
		}
		parentPath, err := checkDeptRefs(ctx, tx, &d, before.Path, d.HeadPersonID != before.HeadPersonID)
		if err != nil {
			return err
		}
		d.Path = isms.ChildPath(parentPath, d.ID)
		d.UpdatedAt = s.clock.Now()
		if err := tx.UpdateDepartment(ctx, &d, before.Path); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "department.update", EntityType: "department",
			EntityID: d.ID, Summary: d.Name, Data: changes(before, d)})
	})
	return d, err
}

// ArchiveDepartment takes an empty department out of lists.
func (s *Service) ArchiveDepartment(ctx context.Context, a isms.Actor, id string) (isms.Department, error) {
	var d isms.Department
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = deptInScope(ctx, tx, a, id); err != nil {
			return err
		}
		if d.ArchivedAt != nil {
			return nil
		}
		children, people, err := tx.DepartmentInUse(ctx, id)
		if err != nil {
			return err
		}
		if children > 0 || people > 0 {
			return isms.Conflict("", isms.M("department.not_empty", "departments", children, "people", people))
		}
		now := s.clock.Now()
		if err := tx.ArchiveDepartment(ctx, id, now); err != nil {
			return err
		}
		d.ArchivedAt, d.UpdatedAt = &now, now
		return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "department.archive", EntityType: "department",
			EntityID: d.ID, Summary: d.Name})
	})
	return d, err
}

// ListDepartments lists the departments of one organization in scope.
func (s *Service) ListDepartments(ctx context.Context, a isms.Actor, f isms.ListFilter) ([]isms.Department, error) {
	if err := s.listOrg(ctx, a, &f, isms.ActViewStructure); err != nil {
		return nil, err
	}
	if f.ParentID != "" && !isms.ValidID(f.ParentID) {
		return nil, isms.Invalid("parent_id", isms.M("field.bad_id"))
	}
	return s.st.ListDepartments(ctx, f)
}

// DepartmentNames lists the actor's organization's live departments with
// only their ID and name, for choosers and filters.
func (s *Service) DepartmentNames(ctx context.Context, a isms.Actor) ([]isms.Department, error) {
	f := isms.ListFilter{}
	if err := s.listOrg(ctx, a, &f, isms.ActViewStructure); err != nil {
		return nil, err
	}
	return s.st.DepartmentNames(ctx, f.OrgID)
}

// listOrg settles which organization a register listing covers (the
// actor's own; another organization's registers do not exist for it) and
// checks that the actor may read the register.
func (s *Service) listOrg(ctx context.Context, a isms.Actor, f *isms.ListFilter, act isms.Action) error {
	f.Text = strings.TrimSpace(f.Text)
	if f.OrgID == "" {
		if a.OrgID == "" {
			return isms.Invalid("org_id", isms.M("field.required"))
		}
		f.OrgID = a.OrgID
	}
	if !isms.ValidID(f.OrgID) {
		return isms.Invalid("org_id", isms.M("field.bad_id"))
	}
	if !a.OwnOrg(f.OrgID) {
		return isms.NotFound("organization")
	}
	if _, err := s.st.Organization(ctx, f.OrgID); err != nil {
		return err
	}
	return a.Require(act)
}

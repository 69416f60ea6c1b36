package service

import (
	"context"
	"fmt"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// NewID returns a new primary key, for callers that build linked records
// before handing them over (bulk imports, the demo).
func NewID() string { return newID() }

// Bulk is a set of new records created together: all or nothing. Parents
// come before their children in each slice; IDs are set by the caller
// (NewID) so records can refer to each other. Department heads are linked
// after the people exist.
type Bulk struct {
	Organizations []isms.Organization
	Departments   []isms.Department
	People        []isms.Person
}

// rowError prefixes the fields of an invalid-input error with the row, so
// an import can report "people[12].email: …".
func rowError(err error, kind string, i int) error {
	e, ok := err.(*isms.Error)
	if !ok {
		return err
	}
	out := *e
	out.Fields = make([]isms.FieldError, len(e.Fields))
	for j, f := range e.Fields {
		f.Field = fmt.Sprintf("%s[%d].%s", kind, i, f.Field)
		out.Fields[j] = f
	}
	if len(out.Fields) == 0 {
		out.Fields = []isms.FieldError{{Field: fmt.Sprintf("%s[%d]", kind, i), Msg: e.Message}}
	}
	return &out
}

// prefixFields prefixes the fields of an invalid-input error.
func prefixFields(err error, prefix string) error {
	e, ok := err.(*isms.Error)
	if !ok {
		return err
	}
	out := *e
	out.Fields = make([]isms.FieldError, len(e.Fields))
	for j, f := range e.Fields {
		f.Field = prefix + f.Field
		out.Fields[j] = f
	}
	return &out
}

// CreateBulk validates and creates every record of b in one transaction,
// with one audit entry per record.
func (s *Service) CreateBulk(ctx context.Context, a isms.Actor, b Bulk) error {
	now := s.clock.Now()
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		orgPaths := map[string]string{}
		for i := range b.Organizations {
			o := &b.Organizations[i]
			o.Normalize()
			if err := o.Validate(); err != nil {
				return rowError(err, "organizations", i)
			}
			parentPath, known := orgPaths[o.ParentID]
			switch {
			case o.ParentID == "" && a.IsCLI():
			case o.ParentID == "":
				return rowError(isms.Invalid("parent_id", isms.M("field.required")), "organizations", i)
			case !known:
				parent, err := writableOrg(ctx, tx, a, "parent_id", o.ParentID)
				if err != nil {
					return rowError(err, "organizations", i)
				}
				parentPath = parent.Path
			}
			o.Path = isms.ChildPath(parentPath, o.ID)
			orgPaths[o.ID] = o.Path
			o.CreatedAt, o.UpdatedAt = now, now
			if err := tx.CreateOrganization(ctx, o); err != nil {
				return rowError(err, "organizations", i)
			}
			if err := s.record(ctx, tx, a, audit{OrgID: o.ID, Action: "organization.create", EntityType: "organization",
				EntityID: o.ID, Summary: o.Name, Data: o}); err != nil {
				return err
			}
		}
		checkOrg := func(kind string, i int, orgID string) error {
			if _, ok := orgPaths[orgID]; ok {
				return nil
			}
			_, err := writableOrg(ctx, tx, a, "org_id", orgID)
			if err == nil {
				orgPaths[orgID] = ""
			}
			return rowError(err, kind, i)
		}
		deptPaths := map[string]string{}
		deptOrg := map[string]string{}
		heads := map[string]string{}
		for i := range b.Departments {
			d := &b.Departments[i]
			d.Normalize()
			if err := d.Validate(); err != nil {
				return rowError(err, "departments", i)
			}
			if err := checkOrg("departments", i, d.OrgID); err != nil {
				return err
			}
			head := d.HeadPersonID
			d.HeadPersonID = ""
			parentPath, known := deptPaths[d.ParentID]
			if d.ParentID != "" && (!known || deptOrg[d.ParentID] != d.OrgID) {
				var err error
				if parentPath, err = checkDeptRefs(ctx, tx, d, "", false); err != nil {
					return rowError(err, "departments", i)
				}
			}
			d.Path = isms.ChildPath(parentPath, d.ID)
			deptPaths[d.ID], deptOrg[d.ID] = d.Path, d.OrgID
			d.CreatedAt, d.UpdatedAt = now, now
			if err := tx.CreateDepartment(ctx, d); err != nil {
				return rowError(err, "departments", i)
			}
			if head != "" {
				heads[d.ID] = head
				d.HeadPersonID = head
			}
			if err := s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "department.create", EntityType: "department",
				EntityID: d.ID, Summary: d.Name, Data: d}); err != nil {
				return err
			}
		}
		for i := range b.People {
			p := &b.People[i]
			p.Normalize()
			if err := p.Validate(); err != nil {
				return rowError(err, "people", i)
			}
			if err := checkOrg("people", i, p.OrgID); err != nil {
				return err
			}
			if p.DeptID != "" && deptOrg[p.DeptID] != p.OrgID {
				if err := checkPersonDept(ctx, tx, p); err != nil {
					return rowError(err, "people", i)
				}
			}
			p.CreatedAt, p.UpdatedAt = now, now
			if err := tx.CreatePerson(ctx, p); err != nil {
				return rowError(err, "people", i)
			}
			if err := s.record(ctx, tx, a, audit{OrgID: p.OrgID, Action: "person.create", EntityType: "person",
				EntityID: p.ID, Summary: p.Name + " " + p.EmployeeNo, Data: p}); err != nil {
				return err
			}
		}
		for i := range b.Departments {
			d := &b.Departments[i]
			if heads[d.ID] == "" {
				continue
			}
			if _, err := checkDeptRefs(ctx, tx, &isms.Department{OrgID: d.OrgID, HeadPersonID: d.HeadPersonID}, "", true); err != nil {
				return rowError(err, "departments", i)
			}
			if err := tx.UpdateDepartment(ctx, d, d.Path); err != nil {
				return rowError(err, "departments", i)
			}
		}
		return nil
	})
}

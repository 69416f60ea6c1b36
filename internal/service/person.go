package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// checkPersonDept checks that a person's department is a live department
// of the person's organization.
func checkPersonDept(ctx context.Context, tx *store.Tx, p *isms.Person) error {
	_, err := liveDept(ctx, tx, p.OrgID, "department_id", p.DeptID)
	return err
}

// CreatePerson registers a person in an organization.
func (s *Service) CreatePerson(ctx context.Context, a isms.Actor, p isms.Person) (isms.Person, error) {
	if err := a.Require(isms.ActManagePeople); err != nil {
		return p, err
	}
	p.Normalize()
	p.ID = newID()
	if err := p.Validate(); err != nil {
		return p, err
	}
	now := s.clock.Now()
	p.CreatedAt, p.UpdatedAt = now, now
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := recordOrg(ctx, tx, a, "org_id", p.OrgID); err != nil {
			return err
		}
		if err := checkPersonDept(ctx, tx, &p); err != nil {
			return err
		}
		if err := tx.CreatePerson(ctx, &p); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: p.OrgID, Action: "person.create", EntityType: "person",
			EntityID: p.ID, Summary: p.Name + " " + p.EmployeeNo, Data: p})
	})
	return p, err
}

// personInScope loads a person of the actor's organization for a change.
func personInScope(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Person, error) {
	p, err := tx.Person(ctx, id)
	if err != nil {
		return p, err
	}
	if !a.OwnOrg(p.OrgID) {
		return isms.Person{}, isms.NotFound("person")
	}
	return p, a.Require(isms.ActManagePeople)
}

// Person reads one person in the actor's scope.
func (s *Service) Person(ctx context.Context, a isms.Actor, id string) (isms.Person, error) {
	if !isms.ValidID(id) {
		return isms.Person{}, isms.NotFound("person")
	}
	p, err := s.st.Person(ctx, id)
	if err != nil {
		return p, err
	}
	if !a.OwnOrg(p.OrgID) {
		return isms.Person{}, isms.NotFound("person")
	}
	return p, a.Require(isms.ActViewStructure)
}

// UpdatePerson changes a person's record.
func (s *Service) UpdatePerson(ctx context.Context, a isms.Actor, id string, patch isms.PersonPatch) (isms.Person, error) {
	var p isms.Person
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		before, err := personInScope(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if before.ArchivedAt != nil {
			return isms.Conflict("", isms.M("error.archived", "entity", "person"))
		}
		if _, err := recordOrg(ctx, tx, a, "org_id", before.OrgID); err != nil {
			return err
		}
		p = before
		patch.Apply(&p)
		p.Normalize()
		if err := p.Validate(); err != nil {
			return err
		}
		if err := checkPersonDept(ctx, tx, &p); err != nil {
			return err
		}
		p.UpdatedAt = s.clock.Now()
		if err := tx.UpdatePerson(ctx, &p); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: p.OrgID, Action: "person.update", EntityType: "person",
			EntityID: p.ID, Summary: p.Name + " " + p.EmployeeNo, Data: changes(before, p)})
	})
	return p, err
}

// ArchivePerson takes a person out of lists; the record stays readable.
func (s *Service) ArchivePerson(ctx context.Context, a isms.Actor, id string) (isms.Person, error) {
	var p isms.Person
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = personInScope(ctx, tx, a, id); err != nil {
			return err
		}
		if p.ArchivedAt != nil {
			return nil
		}
		now := s.clock.Now()
		if err := tx.ArchivePerson(ctx, id, now); err != nil {
			return err
		}
		p.ArchivedAt, p.UpdatedAt = &now, now
		return s.record(ctx, tx, a, audit{OrgID: p.OrgID, Action: "person.archive", EntityType: "person",
			EntityID: p.ID, Summary: p.Name + " " + p.EmployeeNo})
	})
	return p, err
}

// ListPeople lists the people of one organization in scope.
func (s *Service) ListPeople(ctx context.Context, a isms.Actor, f isms.ListFilter) ([]isms.Person, error) {
	if err := s.listOrg(ctx, a, &f, isms.ActViewStructure); err != nil {
		return nil, err
	}
	if f.DeptID != "" && !isms.ValidID(f.DeptID) {
		return nil, isms.Invalid("department_id", isms.M("field.bad_id"))
	}
	return s.st.ListPeople(ctx, f)
}

package service

import (
	"context"
	"slices"
	"strings"

	"openisms/internal/isms"
)

// Library objects: the reference controls and threats a framework's
// library ships, read by whoever may see the framework.

// LibraryObjects lists a framework's objects of a kind (reference_control
// or threat; "" both), each with the references of the requirements that
// name it.
func (s *Service) LibraryObjects(ctx context.Context, a isms.Actor, frameworkID, kind string) (isms.Framework, []isms.LibraryObject, error) {
	if kind != "" && !slices.Contains(isms.LibraryKinds, kind) {
		return isms.Framework{}, nil, isms.Invalid("kind", isms.M("field.one_of", "values", strings.Join(isms.LibraryKinds, ", ")))
	}
	f, err := s.framework(ctx, a, frameworkID)
	if err != nil {
		return f, nil, err
	}
	objs, err := s.st.LibraryObjects(ctx, f.ID, kind)
	return f, objs, err
}

// LibraryObjectDetail is one object with its framework and the
// requirements that name it.
type LibraryObjectDetail struct {
	Object       isms.LibraryObject     `json:"object"`
	Framework    isms.Framework         `json:"framework"`
	Requirements []isms.RequirementNode `json:"requirements"`
}

// LibraryObject reads one reference control or threat.
func (s *Service) LibraryObject(ctx context.Context, a isms.Actor, id string) (LibraryObjectDetail, error) {
	var d LibraryObjectDetail
	if err := a.Require(isms.ActViewFrameworks); err != nil {
		return d, err
	}
	if !isms.ValidID(id) {
		return d, isms.NotFound("library_object")
	}
	var err error
	if d.Object, err = s.st.LibraryObject(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	if d.Framework, err = s.st.Framework(ctx, a.OrgID, d.Object.FrameworkID); err != nil {
		return d, err
	}
	if d.Requirements, err = s.st.LibraryObjectNodes(ctx, a.OrgID, d.Object); err != nil {
		return d, err
	}
	for _, n := range d.Requirements {
		d.Object.Requirements = append(d.Object.Requirements, n.Ref)
	}
	return d, nil
}

package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// liveDept checks that id names a live department of the organization and
// returns it; the error names field. An empty id passes.
func liveDept(ctx context.Context, tx *store.Tx, orgID, field, id string) (isms.Department, error) {
	if id == "" {
		return isms.Department{}, nil
	}
	if !isms.ValidID(id) {
		return isms.Department{}, isms.Invalid(field, isms.M("ref.department_missing"))
	}
	d, err := tx.Department(ctx, id)
	switch {
	case isms.ErrorCode(err) == isms.CodeNotFound || err == nil && d.OrgID != orgID:
		return d, isms.Invalid(field, isms.M("ref.department_missing"))
	case err != nil:
		return d, err
	case d.ArchivedAt != nil:
		return d, isms.Invalid(field, isms.M("ref.department_archived"))
	}
	return d, nil
}

// liveDepts checks each of ids with liveDept.
func liveDepts(ctx context.Context, tx *store.Tx, orgID, field string, ids []string) error {
	for _, id := range ids {
		if _, err := liveDept(ctx, tx, orgID, field, id); err != nil {
			return err
		}
	}
	return nil
}

// liveAccount checks that id names a live account of the organization; the
// error names field. An empty id passes.
func liveAccount(ctx context.Context, tx *store.Tx, orgID, field, id string) error {
	if id == "" {
		return nil
	}
	if !isms.ValidID(id) {
		return isms.Invalid(field, isms.M("error.not_found", "entity", "account"))
	}
	acct, err := tx.Account(ctx, id)
	if isms.ErrorCode(err) == isms.CodeNotFound || err == nil && (acct.OrgID != orgID || acct.ArchivedAt != nil) {
		return isms.Invalid(field, isms.M("error.not_found", "entity", "account"))
	}
	return err
}

// livePerson checks that id names a current person of the organization;
// the error names field. An empty id passes.
func livePerson(ctx context.Context, tx *store.Tx, orgID, field, id string) error {
	if id == "" {
		return nil
	}
	p, err := tx.Person(ctx, id)
	switch {
	case isms.ErrorCode(err) == isms.CodeNotFound || err == nil && p.OrgID != orgID:
		return isms.Invalid(field, isms.M("ref.person_missing"))
	case err != nil:
		return err
	case p.ArchivedAt != nil || p.Status == isms.PersonLeft:
		return isms.Invalid(field, isms.M("ref.person_inactive"))
	}
	return nil
}

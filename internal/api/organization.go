package api

import (
	"net/http"

	"openisms/internal/isms"
)

// organizationInput is what a client may set when creating one.
type organizationInput struct {
	ParentID     string       `json:"parent_id"`
	Name         string       `json:"name"`
	ShortName    string       `json:"short_name"`
	CreditCode   string       `json:"credit_code"`
	Kind         isms.OrgKind `json:"kind"`
	TimeZone     string       `json:"time_zone"`
	ContactName  string       `json:"contact_name"`
	ContactPhone string       `json:"contact_phone"`
	ContactEmail string       `json:"contact_email"`
	Address      string       `json:"address"`
}

func orgKey(o isms.Organization) (string, string) { return o.Name, o.ID }

func (a *API) listOrganizations(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := listFilter(r, "active", "archived", "all")
	if err != nil {
		return err
	}
	items, err := a.svc.ListOrganizations(r.Context(), actor, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page(items, f.Limit, orgKey))
}

func (a *API) createOrganization(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in organizationInput
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := a.svc.CreateOrganization(r.Context(), actor, in.toOrg())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

func (in organizationInput) toOrg() isms.Organization {
	return isms.Organization{ParentID: in.ParentID, Name: in.Name, ShortName: in.ShortName, CreditCode: in.CreditCode,
		Kind: in.Kind, TimeZone: in.TimeZone, ContactName: in.ContactName, ContactPhone: in.ContactPhone,
		ContactEmail: in.ContactEmail, Address: in.Address}
}

func (a *API) getOrganization(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	o, err := a.svc.Organization(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *API) updateOrganization(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var p isms.OrganizationPatch
	if err := decode(r, &p); err != nil {
		return err
	}
	if !isms.ValidID(r.PathValue("id")) {
		return isms.NotFound("organization")
	}
	o, err := a.svc.UpdateOrganization(r.Context(), actor, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *API) archiveOrganization(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if !isms.ValidID(r.PathValue("id")) {
		return isms.NotFound("organization")
	}
	o, err := a.svc.ArchiveOrganization(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *API) getSecuritySettings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	s, err := a.svc.SecuritySettings(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

func (a *API) putSecuritySettings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	// Fields left out keep their current values.
	in, err := a.svc.SecuritySettings(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	s, err := a.svc.UpdateSecuritySettings(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, s)
}

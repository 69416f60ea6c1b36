package api

import (
	"net/http"

	"openisms/internal/isms"
)

// The ISMS profile: policy, scope, boundaries, roles.

func (a *API) getProfile(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	p, err := a.svc.Profile(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (a *API) putProfile(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Profile
	if err := decode(r, &in); err != nil {
		return err
	}
	in.UpdatedAt = nil
	p, err := a.svc.SetProfile(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

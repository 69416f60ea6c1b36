package api

import (
	"net/http"
	"strconv"

	"openisms/internal/isms"
)

// Supervision links between organizations.

func (a *API) listSupervisionLinks(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	ls, err := a.svc.SupervisionLinks(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": ls})
}

func (a *API) addSupervisionLink(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.SupervisionLink
	if err := decode(r, &in); err != nil {
		return err
	}
	l, err := a.svc.AddSupervisionLink(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, l)
}

func (a *API) removeSupervisionLink(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := a.svc.RemoveSupervisionLink(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) listSupervisedOrgs(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	depth, _ := strconv.Atoi(q.Get("depth"))
	orgs, err := a.svc.SupervisedOrganizations(r.Context(), actor, isms.SupervisedFilter{Depth: depth, Region: q.Get("region"),
		Industry: q.Get("industry")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": orgs})
}

func (a *API) getSupervisedOrg(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	o, err := a.svc.SupervisedOrganization(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *API) supervisedSubmissions(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.SupervisedOrganizationDetail(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"liaison": d.Liaison, "submissions": d.Submissions})
}

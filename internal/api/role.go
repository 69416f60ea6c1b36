package api

import (
	"net/http"

	"openisms/internal/isms"
)

func (a *API) listGrants(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	items, err := a.svc.ListGrants(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if items == nil {
		items = []isms.RoleGrant{}
	}
	return writeJSON(w, http.StatusOK, list[isms.RoleGrant]{Items: items})
}

type grantRequest struct {
	Role isms.Role `json:"role"`
}

// grantRole answers 201 with an active grant, or 202 with a pending one
// that waits for approval.
func (a *API) grantRole(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in grantRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	g, err := a.svc.GrantRole(r.Context(), actor, r.PathValue("id"), in.Role)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if g.Status == isms.GrantPending {
		status = http.StatusAccepted
	}
	return writeJSON(w, status, g)
}

func (a *API) revokeRole(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	g, err := a.svc.RevokeRole(r.Context(), actor, r.PathValue("id"), isms.Role(r.PathValue("role")))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

func (a *API) listApprovals(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	items, err := a.svc.ListApprovals(r.Context(), actor, r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Approval]{Items: items})
}

type decisionRequest struct {
	Comment string `json:"comment"`
}

func (a *API) decide(approve bool) handler {
	return func(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
		var in decisionRequest
		if err := decode(r, &in); err != nil {
			return err
		}
		ap, err := a.svc.DecideApproval(r.Context(), actor, r.PathValue("id"), approve, in.Comment)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, ap)
	}
}

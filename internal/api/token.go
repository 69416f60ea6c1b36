package api

import (
	"net/http"
	"strings"
	"time"

	"openisms/internal/isms"
)

type tokenRequest struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
}

type createdToken struct {
	isms.APIToken
	// Token is the secret, shown only in this response.
	Token string `json:"token"`
}

func lower(s string) string { return strings.ToLower(s) }

func (a *API) listTokens(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	items, err := a.svc.ListTokens(r.Context(), actor)
	if err != nil {
		return err
	}
	if items == nil {
		items = []isms.APIToken{}
	}
	return writeJSON(w, http.StatusOK, list[isms.APIToken]{Items: items})
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in tokenRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	t, secret, err := a.svc.CreateToken(r.Context(), actor, "", in.Name, in.ExpiresAt)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, createdToken{APIToken: t, Token: secret})
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	t, err := a.svc.RevokeToken(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

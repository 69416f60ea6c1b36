package api

import (
	"net/http"

	"openisms/internal/isms"
	"openisms/internal/service"
)

func accountKey(a isms.Account) (string, string) { return lower(a.Username), a.ID }

type createdAccount struct {
	isms.Account
	// InitialPassword is present only when the server generated it.
	InitialPassword string `json:"initial_password,omitempty"`
}

func (a *API) listAccounts(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := listFilter(r, "active", "archived", "all")
	if err != nil {
		return err
	}
	items, err := a.svc.ListAccounts(r.Context(), actor, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page(items, f.Limit, accountKey))
}

func (a *API) createAccount(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in service.NewAccount
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.OrgID == "" {
		in.OrgID = actor.OrgID
	}
	acct, pw, err := a.svc.CreateAccount(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, createdAccount{Account: acct, InitialPassword: pw})
}

func (a *API) getAccount(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	acct, err := a.svc.Account(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, acct)
}

func (a *API) updateAccount(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var p isms.AccountPatch
	if err := decode(r, &p); err != nil {
		return err
	}
	acct, err := a.svc.UpdateAccount(r.Context(), actor, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, acct)
}

func (a *API) archiveAccount(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	acct, err := a.svc.ArchiveAccount(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, acct)
}

type resetPasswordRequest struct {
	// Password is the new password; empty makes the server generate one.
	Password string `json:"password"`
}

func (a *API) resetPassword(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in resetPasswordRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	pw, err := a.svc.ResetPassword(r.Context(), actor, r.PathValue("id"), in.Password)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"initial_password": pw, "must_change_password": true})
}

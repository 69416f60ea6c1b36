package web

import (
	"net/http"

	"openisms/internal/isms"
)

type meData struct {
	Account     isms.Account
	Tokens      []isms.APIToken
	NotifyEmail bool
}

func (wb *Web) me(w http.ResponseWriter, r *req) error {
	acct, err := wb.svc.Account(r.Context(), r.Actor, r.Actor.AccountID)
	if err != nil {
		return err
	}
	tokens, err := wb.svc.ListTokens(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "me", page{Title: "ui.nav.me", Data: meData{Account: acct, Tokens: tokens,
		NotifyEmail: acct.NotifyEmail}})
}

// setLanguage remembers the account's language.
func (wb *Web) setLanguage(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if err := wb.svc.SetLanguage(r.Context(), r.Actor, f.Get("language")); err != nil {
		return err
	}
	return redirect(w, r, "/me", "ui.flash.saved")
}

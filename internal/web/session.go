package web

import (
	"net/http"
	"strings"

	"openisms/internal/i18n"
	"openisms/internal/isms"
)

type signinData struct {
	Next string
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (wb *Web) signinPage(w http.ResponseWriter, r *req) error {
	if need, err := wb.svc.NeedsSetup(r.Context()); err == nil && need {
		return redirect(w, r, "/setup", "")
	}
	return wb.render(w, r, http.StatusOK, "signin", page{Title: "ui.signin.title", Data: signinData{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (wb *Web) signin(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	next := safeNext(f.Get("next"))
	res, err := wb.svc.SignIn(r.Context(), f.Get("username"), f.Get("password"), f.Get("totp"), clientIP(r.Request), r.UserAgent())
	if err != nil {
		p := page{Title: "ui.signin.title", Data: signinData{Next: next}, Form: map[string]string{"username": f.Get("username")}}
		e := isms.AsError(err)
		if e.Code != isms.CodeUnauthenticated {
			return err
		}
		p.Error = i18n.T(r.Lang, e.Message)
		return wb.render(w, r, http.StatusUnauthorized, "signin", p)
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: res.Secret, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode, Expires: res.Session.ExpiresAt})
	if res.Session.PasswordChange {
		return redirect(w, r, "/password", "")
	}
	if res.Session.TOTPSetup {
		return redirect(w, r, "/me/totp", "")
	}
	return redirect(w, r, next, "")
}

func (wb *Web) signout(w http.ResponseWriter, r *req) error {
	if err := wb.svc.SignOut(r.Context(), r.Actor, r.SessionID); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return redirect(w, r, "/signin", "ui.flash.signed_out")
}

type passwordData struct {
	Forced bool
	Rules  isms.SecuritySettings
}

func (wb *Web) passwordPage(w http.ResponseWriter, r *req) error {
	rules, err := wb.svc.PasswordRules(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "password", page{Title: "ui.password.title",
		Data: passwordData{Forced: r.Actor.PasswordChange, Rules: rules}})
}

func (wb *Web) changePassword(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	rules, err := wb.svc.PasswordRules(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	p := page{Title: "ui.password.title", Data: passwordData{Forced: r.Actor.PasswordChange, Rules: rules}}
	if f.Get("new_password") != f.Get("confirm") {
		p.Fields = map[string]string{"confirm": i18n.T(r.Lang, isms.M("ui.password.mismatch"))}
		return wb.render(w, r, http.StatusBadRequest, "password", p)
	}
	if err := wb.svc.ChangePassword(r.Context(), r.Actor, r.SessionID, f.Get("current_password"), f.Get("new_password")); err != nil {
		return wb.formError(w, r, "password", p, err)
	}
	return redirect(w, r, "/", "ui.flash.password_changed")
}

package api

import (
	"net/http"
	"time"

	"openisms/internal/isms"
)

type signInRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// TOTP is the one-time code (or a recovery code) of accounts that
	// have enrolled a generator.
	TOTP string `json:"totp"`
}

type sessionResponse struct {
	Account                isms.Account  `json:"account"`
	Roles                  []isms.Role   `json:"roles"`
	Actions                []isms.Action `json:"actions"`
	ExpiresAt              time.Time     `json:"expires_at,omitzero"`
	PasswordChangeRequired bool          `json:"password_change_required"`
	TOTPSetupRequired      bool          `json:"totp_setup_required"`
	PreviousSignInAt       *time.Time    `json:"previous_sign_in_at,omitempty"`
	PreviousSignInIP       string        `json:"previous_sign_in_ip,omitempty"`
}

func (a *API) signIn(w http.ResponseWriter, r *http.Request, _ isms.Actor) error {
	var in signInRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	res, err := a.svc.SignIn(r.Context(), in.Username, in.Password, in.TOTP, clientIP(r), r.UserAgent())
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: res.Secret, Path: "/", HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteLaxMode, Expires: res.Session.ExpiresAt,
	})
	return writeJSON(w, http.StatusCreated, sessionResponse{
		Account: res.Account, ExpiresAt: res.Session.ExpiresAt, PasswordChangeRequired: res.Session.PasswordChange,
		TOTPSetupRequired: res.Session.TOTPSetup,
		Roles:             nonNil(res.Roles), Actions: allowed(isms.Actor{Roles: res.Roles, Via: "session"}),
		PreviousSignInAt: res.PreviousAt, PreviousSignInIP: res.PreviousIP,
	})
}

func (a *API) currentSession(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	acct, err := a.svc.Account(r.Context(), actor, actor.AccountID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sessionResponse{Account: acct, PasswordChangeRequired: actor.PasswordChange,
		TOTPSetupRequired: actor.TOTPSetup,
		Roles:             nonNil(actor.Roles), Actions: allowed(actor)})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// allowed lists what the actor may do, so clients can hide the rest.
func allowed(actor isms.Actor) []isms.Action {
	out := []isms.Action{}
	for _, act := range isms.Actions {
		if actor.Can(act) {
			out = append(out, act)
		}
	}
	return out
}

type languageRequest struct {
	Language string `json:"language"`
}

func (a *API) setLanguage(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in languageRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.svc.SetLanguage(r.Context(), actor, in.Language); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) signOut(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if id := sessionID(r); id != "" {
		if err := a.svc.SignOut(r.Context(), actor, id); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in changePasswordRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.svc.ChangePassword(r.Context(), actor, sessionID(r), in.CurrentPassword, in.NewPassword); err != nil {
		return renameField(err, "password", "new_password")
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// renameField renames a field in an invalid-input error, where the API's
// name for an input differs from the domain's.
func renameField(err error, from, to string) error {
	e, ok := err.(*isms.Error)
	if !ok {
		return err
	}
	for i := range e.Fields {
		if e.Fields[i].Field == from {
			e.Fields[i].Field = to
		}
	}
	return e
}

type totpStart struct {
	Secret string `json:"secret"`
	URL    string `json:"otpauth_url"`
	QRPNG  []byte `json:"qr_png"` // base64 in JSON
}

func (a *API) startTOTP(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	e, err := a.svc.StartTOTP(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, totpStart{Secret: e.Secret, URL: e.URL, QRPNG: e.QRPNG})
}

type totpConfirm struct {
	Code string `json:"code"`
}

func (a *API) confirmTOTP(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in totpConfirm
	if err := decode(r, &in); err != nil {
		return err
	}
	codes, err := a.svc.ConfirmTOTP(r.Context(), actor, in.Code)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"recovery_codes": codes})
}

func (a *API) resetTOTP(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := a.svc.ResetTOTP(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

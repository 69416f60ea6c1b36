package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
)

type totpData struct {
	Secret        string
	QR            template.URL // data: URL of the QR code PNG
	RecoveryCodes []string
	Enabled       bool
	Required      bool
}

// totpPage starts (or restarts) an enrolment and shows the QR code. An
// account that already has a generator sees its status instead.
func (wb *Web) totpPage(w http.ResponseWriter, r *req) error {
	acct, err := wb.svc.Account(r.Context(), r.Actor, r.Actor.AccountID)
	if err != nil {
		return err
	}
	d := totpData{Enabled: acct.TOTPEnabled, Required: r.Actor.TOTPSetup}
	if !acct.TOTPEnabled {
		e, err := wb.svc.StartTOTP(r.Context(), r.Actor)
		if err != nil {
			return err
		}
		d.Secret = e.Secret
		d.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(e.QRPNG))
	}
	return wb.render(w, r, http.StatusOK, "totp", page{Title: "ui.totp.title", Data: d})
}

func (wb *Web) confirmTOTP(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	codes, err := wb.svc.ConfirmTOTP(r.Context(), r.Actor, f.Get("code"))
	if err != nil {
		// A new QR code would not match the app the person just set up:
		// show the same secret again with the error.
		p := page{Title: "ui.totp.title", Data: totpData{Secret: f.Get("secret"), Required: r.Actor.TOTPSetup}}
		return wb.formError(w, r, "totp", p, err)
	}
	return wb.render(w, r, http.StatusOK, "totp", page{Title: "ui.totp.title", Data: totpData{Enabled: true, RecoveryCodes: codes}})
}

func (wb *Web) resetTOTP(w http.ResponseWriter, r *req) error {
	id := r.PathValue("id")
	if err := wb.svc.ResetTOTP(r.Context(), r.Actor, id); err != nil {
		return err
	}
	return redirect(w, r, "/accounts/"+id, "ui.flash.totp_reset")
}

package web

import (
	"crypto/subtle"
	"net/http"

	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
	"openisms/internal/service"
)

type setupData struct {
	Token     string
	Result    *service.BootstrapResult
	Templates []orgtemplate.Template
}

// templateChoices lists the built-in templates for a select.
func templateChoices() []orgtemplate.Template {
	var out []orgtemplate.Template
	for _, n := range orgtemplate.Names() {
		if t, err := orgtemplate.Load(n); err == nil {
			out = append(out, t)
		}
	}
	return out
}

// chosenTemplate loads the template a form chose; "" is none.
func chosenTemplate(name string) (*orgtemplate.Template, error) {
	if name == "" {
		return nil, nil
	}
	t, err := orgtemplate.Load(name)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// setupAllowed checks the one-time link: the server prints it at start on
// an empty database, so only whoever can read the server's output can
// claim the installation.
func (wb *Web) setupAllowed(r *req, token string) error {
	need, err := wb.svc.NeedsSetup(r.Context())
	if err != nil {
		return err
	}
	if !need {
		return isms.Conflict("", isms.M("setup.done"))
	}
	want := wb.currentSetupToken()
	if want == "" || subtle.ConstantTimeCompare([]byte(token), []byte(want)) != 1 {
		return isms.Forbidden(isms.M("ui.setup.bad_link"))
	}
	return nil
}

func (wb *Web) setupPage(w http.ResponseWriter, r *req) error {
	token := r.URL.Query().Get("token")
	if err := wb.setupAllowed(r, token); err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "setup", page{Title: "ui.setup.title", Data: setupData{Token: token, Templates: templateChoices()},
		Form: map[string]string{"mode": "split"}})
}

func (wb *Web) setup(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	token := f.Get("token")
	if err := wb.setupAllowed(r, token); err != nil {
		return err
	}
	p := page{Title: "ui.setup.title", Data: setupData{Token: token, Templates: templateChoices()},
		Form: map[string]string{"name": f.Get("name"), "short_name": f.Get("short_name"), "credit_code": f.Get("credit_code"),
			"mode": f.Get("mode"), "template": f.Get("template")}}
	tpl, err := chosenTemplate(f.Get("template"))
	if err != nil {
		return wb.formError(w, r, "setup", p, err)
	}
	res, err := wb.svc.Bootstrap(r.Context(), isms.Actor{Username: "setup", Via: "system", IP: clientIP(r.Request)},
		service.BootstrapInput{
			Organization: isms.Organization{Name: f.Get("name"), ShortName: f.Get("short_name"), CreditCode: f.Get("credit_code")},
			Mode:         service.BootstrapMode(f.Get("mode")),
			Template:     tpl,
		})
	if err != nil {
		return wb.formError(w, r, "setup", p, err)
	}
	wb.SetSetupToken("")
	p.Data = setupData{Result: &res}
	return wb.render(w, r, http.StatusCreated, "setup", p)
}

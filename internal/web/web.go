// Package web is the HTML interface: server-rendered html/template pages,
// embedded with their stylesheet and small script. routes.go lists every
// page; handlers call the same service methods as the JSON API and never
// decide permissions themselves (they only hide what the roles cannot use).
// Pages work without JavaScript.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"openisms/internal/export"
	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/service"
)

//go:embed templates static
var files embed.FS

// SessionCookie is shared with the API: one sign-in serves both.
const SessionCookie = "isms_session"

const langCookie = "isms_lang"

// Web serves the HTML pages.
type Web struct {
	svc   *service.Service
	log   *slog.Logger
	mux   *http.ServeMux
	pages map[string]*template.Template
	// Demo marks a demo installation: the pages say so.
	Demo       bool
	setupMu    sync.Mutex
	setupToken string // secret of the one-time setup link; "" once set up
}

// SetSetupToken arms the one-time setup link.
func (wb *Web) SetSetupToken(t string) {
	wb.setupMu.Lock()
	defer wb.setupMu.Unlock()
	wb.setupToken = t
}

func (wb *Web) currentSetupToken() string {
	wb.setupMu.Lock()
	defer wb.setupMu.Unlock()
	return wb.setupToken
}

// access says what a page needs.
type access int

const (
	public     access = iota // anyone
	signedIn                 // a session, even one that must change its password
	authorized               // a session in good standing
)

// req is what a handler gets besides the response writer.
type req struct {
	*http.Request
	Actor     isms.Actor
	SessionID string
	Lang      string
}

type handler func(w http.ResponseWriter, r *req) error

type route struct {
	Method, Path string
	Access       access
	H            handler
	Upload       bool // takes a file upload (a larger body)
}

// New parses every template and builds the routes.
func New(svc *service.Service, log *slog.Logger) (*Web, error) {
	wb := &Web{svc: svc, log: log, mux: http.NewServeMux()}
	if err := wb.parse(); err != nil {
		return nil, err
	}
	for _, rt := range wb.routes() {
		wb.mux.Handle(rt.Method+" "+rt.Path, wb.wrap(rt))
	}
	static, _ := fs.Sub(files, "static")
	wb.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	return wb, nil
}

// Routes returns "METHOD /path" of every page route, for tests.
func (wb *Web) Routes() []string {
	var out []string
	for _, rt := range wb.routes() {
		out = append(out, rt.Method+" "+rt.Path)
	}
	return out
}

func (wb *Web) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	wb.mux.ServeHTTP(w, r)
}

// securityHeaders are sent with every page: no inline script or style, no
// framing, no MIME sniffing, no referrer to other sites.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// wrap authenticates, applies the password-change gate and renders errors.
func (wb *Web) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, hr *http.Request) {
		limit := int64(1 << 20)
		if rt.Upload {
			limit = service.MaxUpload + 1<<20 // the file and the form around it
		}
		hr.Body = http.MaxBytesReader(w, hr.Body, limit)
		r := &req{Request: hr, Lang: wb.language(hr, "")}
		if c, err := hr.Cookie(SessionCookie); err == nil && c.Value != "" {
			if a, id, err := wb.svc.Authenticate(hr.Context(), c.Value, clientIP(hr)); err == nil {
				r.Actor, r.SessionID = a, id
				r.Lang = wb.language(hr, a.Language)
				// The language switch is remembered for the account.
				if l := hr.URL.Query().Get("lang"); l == r.Lang && l != a.Language {
					if err := wb.svc.SetLanguage(hr.Context(), a, l); err != nil {
						wb.log.WarnContext(hr.Context(), "remember language", "err", err)
					}
					r.Actor.Language = l
				}
			}
		}
		if l := hr.URL.Query().Get("lang"); r.SessionID == "" && (l == i18n.ZH || l == i18n.EN) {
			http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
		}
		if rt.Access != public && r.SessionID == "" {
			http.Redirect(w, hr, "/signin?next="+url.QueryEscape(hr.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if rt.Access == authorized && r.Actor.PasswordChange {
			http.Redirect(w, hr, "/password", http.StatusSeeOther)
			return
		}
		if rt.Access == authorized && r.Actor.TOTPSetup {
			http.Redirect(w, hr, "/me/totp", http.StatusSeeOther)
			return
		}
		if err := rt.H(w, r); err != nil {
			wb.renderError(w, r, err)
		}
	})
}

// language picks the UI language: ?lang= wins, then the account's choice,
// then the cookie of a visitor who chose, then Accept-Language.
func (wb *Web) language(r *http.Request, account string) string {
	if l := r.URL.Query().Get("lang"); l == i18n.ZH || l == i18n.EN {
		return l
	}
	if account != "" {
		return account
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == i18n.ZH || c.Value == i18n.EN) {
		return c.Value
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language"))
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// page is what every template gets.
type page struct {
	Lang   string
	Title  string
	Actor  isms.Actor
	Nav    []navItem
	Path   string
	Flash  string
	Error  string
	Fields map[string]string // field → message, for inline errors
	Form   map[string]string // values to put back into a form
	Demo   bool
	Owner  bool // an interim owner account: show the split warning
	Data   any
	Year   int
	Unread int // unread notifications, for the bell
}

type navItem struct {
	Path, Label string
	Active      bool
}

// nav lists the modules the actor's roles can use.
func (wb *Web) nav(r *req) []navItem {
	items := []struct {
		path, key string
		act       isms.Action
	}{
		{"/", "ui.nav.home", ""},
		{"/tasks", "ui.nav.tasks", ""},
		{"/calendar", "ui.nav.calendar", ""},
		{"/tasks/department", "ui.tasks.department", ""},
		{"/tasks/board", "ui.tasks.board", isms.ActViewAllTasks},
		{"/obligations", "ui.nav.obligations", ""},
		{"/isms", "ui.nav.profile", isms.ActViewStructure},
		{"/matrix", "ui.nav.matrix", isms.ActViewStructure},
		{"/legal", "ui.nav.legal", isms.ActViewStructure},
		{"/documents", "ui.nav.documents", isms.ActViewDocuments},
		{"/records", "ui.nav.records", isms.ActViewRecords},
		{"/assets", "ui.nav.assets", isms.ActViewAssets},
		{"/risks", "ui.nav.risks", isms.ActViewRisks},
		{"/soa", "ui.nav.soa", isms.ActViewSoA},
		{"/measures", "ui.nav.measures", ""}, // the owner sees their own
		{"/coverage", "ui.nav.coverage", isms.ActViewSoA},
		{"/objectives", "ui.nav.objectives", ""}, // the owner sees their own
		{"/frameworks", "ui.nav.frameworks", isms.ActViewFrameworks},
		{"/mlps", "ui.nav.mlps", isms.ActViewMLPS},
		{"/supervision", "ui.nav.supervision", isms.ActSupervise},
		{"/campaigns", "ui.nav.campaigns", ""}, // supervisors and those who answer them
		{"/broadcasts", "ui.nav.broadcasts", ""},
		{"/organizations", "ui.nav.organizations", isms.ActViewOrganization},
		{"/departments", "ui.nav.departments", isms.ActViewStructure},
		{"/people", "ui.nav.people", isms.ActViewStructure},
		{"/accounts", "ui.nav.accounts", isms.ActViewAccounts},
		{"/approvals", "ui.nav.approvals", ""},
		{"/settings", "ui.nav.settings", isms.ActManageSettings},
		{"/audit", "ui.nav.audit", isms.ActViewAudit},
		{"/me", "ui.nav.me", ""},
	}
	var out []navItem
	for _, it := range items {
		if it.act != "" && !r.Actor.Can(it.act) ||
			it.path == "/campaigns" && !r.Actor.Can(isms.ActSupervise) && !r.Actor.Can(isms.ActSubmit) {
			continue
		}
		active := it.path == r.URL.Path || it.path != "/" && it.path != "/tasks" && strings.HasPrefix(r.URL.Path, it.path+"/")
		out = append(out, navItem{Path: it.path, Label: i18n.T(r.Lang, isms.M(it.key)), Active: active})
	}
	return out
}

// render executes a page into a buffer first, so a template error becomes
// a clean error page instead of half a page.
func (wb *Web) render(w http.ResponseWriter, r *req, status int, name string, p page) error {
	t, ok := wb.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	p.Lang, p.Actor, p.Path, p.Demo = r.Lang, r.Actor, r.URL.Path, wb.Demo
	p.Owner = r.Actor.HasRole(isms.RoleOwner)
	p.Year = time.Now().Year()
	if r.SessionID != "" {
		p.Nav = wb.nav(r)
		if n, err := wb.svc.UnreadCount(r.Context(), r.Actor); err == nil {
			p.Unread = n
		}
	}
	if p.Title != "" {
		p.Title = i18n.T(r.Lang, isms.M(p.Title))
	}
	if f := r.URL.Query().Get("flash"); f != "" && p.Flash == "" && strings.HasPrefix(f, "ui.flash.") {
		p.Flash = i18n.T(r.Lang, isms.M(f))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", r.Lang)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// formError re-renders a form page with the error's message and its field
// messages next to the fields.
func (wb *Web) formError(w http.ResponseWriter, r *req, name string, p page, err error) error {
	e := isms.AsError(err)
	if e.Code == isms.CodeInternal || e.Code == isms.CodeNotFound || e.Code == isms.CodeForbidden {
		return err
	}
	p.Error = i18n.T(r.Lang, e.Message)
	p.Fields = map[string]string{}
	for _, f := range e.Fields {
		p.Fields[f.Field] = i18n.T(r.Lang, f.Msg)
	}
	status := http.StatusBadRequest
	if e.Code == isms.CodeConflict {
		status = http.StatusConflict
	}
	return wb.render(w, r, status, name, p)
}

// renderError shows an error page with a status that fits the error.
func (wb *Web) renderError(w http.ResponseWriter, r *req, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = &isms.Error{Code: isms.CodeTooLarge, Message: isms.M("request.too_large", "max", "1 MiB")}
	}
	e := isms.AsError(err)
	status := map[isms.Code]int{isms.CodeInvalid: 400, isms.CodeNotFound: 404, isms.CodeConflict: 409,
		isms.CodeForbidden: 403, isms.CodeUnauthenticated: 401, isms.CodeTooLarge: 413}[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
		wb.log.ErrorContext(r.Context(), "page failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := page{Title: "ui.error.title", Error: i18n.T(r.Lang, e.Message), Data: status}
	if rerr := wb.render(w, r, status, "error", p); rerr != nil {
		wb.log.ErrorContext(r.Context(), "error page failed", "err", rerr)
		http.Error(w, http.StatusText(status), status)
	}
}

// redirect sends the browser on after a successful form (POST, redirect,
// GET), with a flash message key.
func redirect(w http.ResponseWriter, r *req, to, flash string) error {
	if flash != "" {
		// The query goes before a #fragment.
		to, frag, hasFrag := strings.Cut(to, "#")
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "flash=" + url.QueryEscape(flash)
		if hasFrag {
			to += "#" + frag
		}
		http.Redirect(w, r.Request, to, http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r.Request, to, http.StatusSeeOther)
	return nil
}

// attachXLSX sends what follows as a workbook to save under filename.
func attachXLSX(w http.ResponseWriter, filename string) {
	export.Attach(w.Header(), filename, export.ContentType)
}

// dated names a download after today: "risks" → "risks-20261121.xlsx".
func (wb *Web) dated(name string) string {
	return name + "-" + wb.svc.Clock().Now().In(displayZone).Format("20060102") + ".xlsx"
}

// form reads a submitted form; field values are trimmed by the domain.
func form(r *req) (url.Values, error) {
	if err := r.ParseForm(); err != nil {
		return nil, &isms.Error{Code: isms.CodeInvalid, Message: isms.M("error.invalid"), Err: err}
	}
	return r.PostForm, nil
}

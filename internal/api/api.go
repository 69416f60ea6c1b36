// Package api is the JSON API under /api/v1: routes.go lists every route;
// one file per domain object holds its handlers. Handlers decode, call one
// service method and encode; errors become application/problem+json in the
// caller's language. The API never decides permissions itself.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// MaxBody is the largest request body accepted.
const MaxBody = 1 << 20

// SessionCookie is the name of the session cookie.
const SessionCookie = "isms_session"

//go:embed openapi.yaml
var openapiYAML []byte

// OpenAPI returns the API description served at /api/v1/openapi.yaml.
func OpenAPI() []byte { return openapiYAML }

// API serves /api/v1.
type API struct {
	svc *service.Service
	log *slog.Logger
	mux *http.ServeMux
}

// New builds the API handler.
func New(svc *service.Service, log *slog.Logger) *API {
	a := &API{svc: svc, log: log, mux: http.NewServeMux()}
	for _, rt := range a.routes() {
		a.mux.Handle(rt.Method+" "+Prefix+rt.Path, a.wrap(rt))
	}
	a.mux.HandleFunc(Prefix+"/", a.notFound)
	return a
}

func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.mux.ServeHTTP(w, r) }

// notFound answers paths no route matches: 405 when the path exists for
// another method, else 404, both as problem+json.
func (a *API) notFound(w http.ResponseWriter, r *http.Request) {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, p := a.mux.Handler(probe); p != "" && p != Prefix+"/" {
			a.writeError(w, r, &isms.Error{Code: "method_not_allowed", Message: isms.M("request.method_not_allowed")})
			return
		}
	}
	a.writeError(w, r, &isms.Error{Code: isms.CodeNotFound, Message: isms.M("request.not_found")})
}

// handler is an API handler for an authenticated actor.
type handler func(w http.ResponseWriter, r *http.Request, actor isms.Actor) error

// access says what a route needs from the caller.
type access int

const (
	public     access = iota // no credential
	signedIn                 // any session, even one that must change its password
	authorized               // a session or token in good standing
)

type route struct {
	Method string
	Path   string
	Access access
	H      handler
	Upload bool // takes a file (multipart/form-data, a larger body)
}

type ctxKey int

const sessionIDKey ctxKey = 1

// wrap turns a route into an http.Handler: authenticate, enforce the
// password-change gate, run, and map any error to problem+json.
func (a *API) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			limit := int64(MaxBody)
			if rt.Upload {
				limit = service.MaxUpload + MaxBody
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		var actor isms.Actor
		if rt.Access != public {
			var err error
			var sessionID string
			actor, sessionID, err = a.authenticate(r, rt)
			if err != nil {
				a.writeError(w, r, err)
				return
			}
			if actor.PasswordChange && rt.Access == authorized {
				a.writeError(w, r, &isms.Error{Code: isms.CodePasswordChange, Message: isms.M("auth.password_change_required")})
				return
			}
			if actor.TOTPSetup && rt.Access == authorized {
				a.writeError(w, r, &isms.Error{Code: isms.CodeTOTPSetup, Message: isms.M("auth.totp_setup_required")})
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), sessionIDKey, sessionID))
		}
		if err := rt.H(w, r, actor); err != nil {
			a.writeError(w, r, err)
		}
	})
}

func (a *API) authenticate(r *http.Request, rt route) (isms.Actor, string, error) {
	ip := clientIP(r)
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || secret == "" {
			return isms.Actor{}, "", isms.Unauthenticated(isms.M("auth.token_invalid"))
		}
		actor, err := a.svc.AuthenticateToken(r.Context(), strings.TrimSpace(secret), ip, rt.Method+" "+rt.Path)
		return actor, "", err
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return isms.Actor{}, "", isms.Unauthenticated(isms.M("auth.required"))
	}
	return a.svc.Authenticate(r.Context(), c.Value, ip)
}

func sessionID(r *http.Request) string {
	s, _ := r.Context().Value(sessionIDKey).(string)
	return s
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// lang is the caller's language.
func lang(r *http.Request) string { return i18n.Negotiate(r.Header.Get("Accept-Language")) }

// writeJSON writes v with status. Encoding happens into memory first so an
// encoding failure can still become a clean error response.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return isms.Internal(err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// list is the envelope of every paged list.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// statusOf maps error codes to HTTP statuses.
func statusOf(code isms.Code) int {
	switch code {
	case isms.CodeInvalid:
		return http.StatusBadRequest
	case isms.CodeNotFound:
		return http.StatusNotFound
	case isms.CodeConflict:
		return http.StatusConflict
	case isms.CodeForbidden, isms.CodePasswordChange, isms.CodeTOTPSetup:
		return http.StatusForbidden
	case isms.CodeUnauthenticated:
		return http.StatusUnauthorized
	case isms.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case "method_not_allowed":
		return http.StatusMethodNotAllowed
	}
	return http.StatusInternalServerError
}

// problem is an RFC 9457 problem document with our code and field errors.
type problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Code   isms.Code      `json:"code"`
	Detail string         `json:"detail"`
	Errors []problemField `json:"errors,omitempty"`
}

type problemField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = &isms.Error{Code: isms.CodeTooLarge, Message: isms.M("request.too_large", "max", "1 MiB"), Err: err}
	}
	e := isms.AsError(err)
	status := statusOf(e.Code)
	if status == http.StatusInternalServerError {
		a.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	l := lang(r)
	p := problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Code: e.Code, Detail: i18n.T(l, e.Message)}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, problemField{Field: f.Field, Message: i18n.T(l, f.Msg)})
	}
	b, _ := json.Marshal(p)
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.Header().Set("Content-Language", l)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="isms"`)
	}
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

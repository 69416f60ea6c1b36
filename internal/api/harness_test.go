package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"openisms/internal/blob"
	"strings"
	"testing"
	"time"

	"openisms/internal/app"
	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// env is one running server on one engine with a root organization and a
// signed-in-able account in it.
type env struct {
	t     *testing.T
	st    *store.Store
	svc   *service.Service
	clock *isms.FakeClock
	srv   *httptest.Server
	root  isms.Organization
	cli   isms.Actor
}

const adminPassword = "Str0ng-Passw0rd"

func newEnv(t *testing.T, st *store.Store) *env {
	t.Helper()
	// Start at the real time: cookie jars judge expiry by the real clock.
	clock := isms.NewFakeClock(time.Now())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, clock, auth.Hasher{P: auth.TestParams}, log)
	svc.SetBlobs(blob.Local{Dir: t.TempDir()})
	srv := httptest.NewServer(app.Handler(svc, log))
	t.Cleanup(srv.Close)
	e := &env{t: t, st: st, svc: svc, clock: clock, srv: srv, cli: isms.CLIActor("test")}
	// A small installation: one interim owner, "admin".
	res, err := svc.Bootstrap(context.Background(), e.cli, service.BootstrapInput{
		Organization: isms.Organization{Name: "测试集团有限公司"}, Mode: service.BootstrapOwner,
		Usernames: map[isms.Role]string{isms.RoleOwner: "admin"}, Passwords: map[isms.Role]string{isms.RoleOwner: adminPassword},
		KeepPasswords: true})
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	e.root = res.Organization
	// Most tests are not about one-time passwords: TestTOTP turns them on.
	e.setRequireTOTP(false)
	return e
}

func (e *env) setRequireTOTP(on bool) { e.relaxTOTP(e.root.ID, on) }

func (e *env) relaxTOTP(orgID string, on bool) {
	e.t.Helper()
	ctx := context.Background()
	rules, err := e.svc.SecuritySettings(ctx, e.cli, orgID)
	if err != nil {
		e.t.Fatal(err)
	}
	rules.RequireAdminTOTP = on
	if _, err := e.svc.UpdateSecuritySettings(ctx, e.cli, orgID, rules); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) makeOrg(name, parent string) isms.Organization {
	e.t.Helper()
	o, err := e.svc.CreateOrganization(context.Background(), e.cli, isms.Organization{Name: name, ParentID: parent})
	if err != nil {
		e.t.Fatalf("create org %s: %v", name, err)
	}
	e.relaxTOTP(o.ID, false)
	return o
}

// makeAccount creates an account holding roles, from the console.
func (e *env) makeAccount(orgID, username, password string, roles ...isms.Role) isms.Account {
	e.t.Helper()
	a, _, err := e.svc.CreateAccount(context.Background(), e.cli, service.NewAccount{OrgID: orgID, Username: username,
		Password: password, KeepPassword: true, Privileged: len(roles) > 0 && roles[0].IsAdmin()})
	if err != nil {
		e.t.Fatalf("create account %s: %v", username, err)
	}
	for _, r := range roles {
		if _, err := e.svc.GrantRole(context.Background(), e.cli, a.ID, r); err != nil {
			e.t.Fatalf("grant %s to %s: %v", r, username, err)
		}
	}
	return a
}

// client is one HTTP client with its own cookie jar.
type client struct {
	e     *env
	c     *http.Client
	token string
	lang  string
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, c: &http.Client{Jar: jar}}
}

// signedIn returns a client signed in as username.
func (e *env) signedIn(username, password string) *client {
	e.t.Helper()
	c := e.client()
	r := c.do("POST", "/session", map[string]string{"username": username, "password": password})
	if r.status != http.StatusCreated {
		e.t.Fatalf("sign in %s: %d %s", username, r.status, r.raw)
	}
	return c
}

type resp struct {
	status int
	raw    string
	header http.Header
}

// json decodes the body into a generic map.
func (r resp) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal([]byte(r.raw), &m)
	return m
}

func (r resp) str(key string) string { s, _ := r.json()[key].(string); return s }

// items returns the "items" of a list response.
func (r resp) items() []map[string]any {
	var m struct {
		Items []map[string]any `json:"items"`
	}
	_ = json.Unmarshal([]byte(r.raw), &m)
	return m.Items
}

// fieldErr returns the message for field in a problem response, or "".
func (r resp) fieldErr(field string) string {
	var p struct {
		Errors []struct{ Field, Message string }
	}
	_ = json.Unmarshal([]byte(r.raw), &p)
	for _, f := range p.Errors {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// do sends a request; body may be a string (sent as is) or a value
// (encoded as JSON).
func (c *client) do(method, path string, body any) resp {
	c.e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			c.e.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, c.e.srv.URL+"/api/v1"+path, rd)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, raw: string(b), header: res.Header}
}

// count returns the number of rows of table (test-only raw SQL).
func (e *env) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.st.DB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// doRaw sends body with an explicit content type.
func (c *client) doRaw(method, path, contentType, body string) resp {
	c.e.t.Helper()
	req, err := http.NewRequest(method, c.e.srv.URL+"/api/v1"+path, strings.NewReader(body))
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	res, err := c.c.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, raw: string(b), header: res.Header}
}

// upload posts a file as multipart/form-data in the field "file".
func (c *client) upload(path, filename, content string) resp {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		c.e.t.Fatal(err)
	}
	_, _ = io.WriteString(fw, content)
	_ = mw.Close()
	return c.doRaw("POST", path, mw.FormDataContentType(), body.String())
}

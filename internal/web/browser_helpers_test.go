package web_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"openisms/internal/app"
	"openisms/internal/auth"
	"openisms/internal/blob"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// browserSite is the server one browser test drives, on loopback, and
// the Chromium context driving it.
type browserSite struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// serveBrowser starts the whole application for svc on a loopback port
// until the test ends.
func serveBrowser(t *testing.T, ctx context.Context, svc *service.Service) *browserSite {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- app.Serve(srvCtx, ln, svc, slog.New(slog.NewTextHandler(io.Discard, nil)), false, io.Discard)
	}()
	t.Cleanup(func() { stop(); <-done })
	return &browserSite{t: t, ctx: ctx, base: "http://" + ln.Addr().String()}
}

// run performs browser actions, failing the test (named by what) after
// 30 seconds or on the first error.
func (b *browserSite) run(what string, actions ...chromedp.Action) {
	b.t.Helper()
	tctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// signIn signs in afresh (cookies cleared) as username with the tests'
// password.
func (b *browserSite) signIn(username string) {
	b.t.Helper()
	b.run("sign in as "+username, network.ClearBrowserCookies(), chromedp.Navigate(b.base+"/signin"),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", username, chromedp.ByID), chromedp.SendKeys("#password", pw, chromedp.ByID),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery), chromedp.WaitNotPresent("#password", chromedp.ByID))
}

// browserOrg is an organization set up for a browser test on a fresh
// SQLite file: the owner with the tests' password, administrators without
// a second factor, and for each user a person, an account and a role.
type browserOrg struct {
	svc    *service.Service
	org    isms.Organization
	people map[string]string     // username → person ID
	actors map[string]isms.Actor // username → the actor a signed-in session is
}

func newBrowserOrg(t *testing.T, name string, users map[string]isms.Role) *browserOrg {
	t.Helper()
	st := testutil.OpenStore(t, filepath.Join(t.TempDir(), "isms.db"))
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.SetBlobs(blob.Local{Dir: t.TempDir()})
	bg, cli := context.Background(), isms.CLIActor("t")
	res, err := svc.Bootstrap(bg, cli, service.BootstrapInput{Organization: isms.Organization{Name: name}, Mode: service.BootstrapOwner,
		Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	o := &browserOrg{svc: svc, org: res.Organization, people: map[string]string{}, actors: map[string]isms.Actor{}}
	rules, _ := svc.SecuritySettings(bg, cli, o.org.ID)
	rules.RequireAdminTOTP = false
	if _, err := svc.UpdateSecuritySettings(bg, cli, o.org.ID, rules); err != nil {
		t.Fatal(err)
	}
	for user, role := range users {
		p, err := svc.CreatePerson(bg, cli, isms.Person{OrgID: o.org.ID, Name: user, EmployeeNo: "B-" + user})
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := svc.CreateAccount(bg, cli, service.NewAccount{OrgID: o.org.ID, PersonID: p.ID, Username: user, Password: pw,
			KeepPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.GrantRole(bg, cli, a.ID, role); err != nil {
			t.Fatal(err)
		}
		o.people[user] = p.ID
		o.actors[user] = isms.Actor{AccountID: a.ID, OrgID: o.org.ID, Username: user, Via: "session", Roles: []isms.Role{role}}
	}
	return o
}

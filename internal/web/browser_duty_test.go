package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// TestBrowserDuties: an ISMS team member registers a daily duty in the
// browser, completes today's occurrence with evidence; tomorrow's is left
// to go overdue (the clock is moved); the management representative sees
// the escalation in the inbox, and it went out by email and to a webhook.
func TestBrowserDuties(t *testing.T) {
	ctx := testutil.Browser(t)
	st := testutil.OpenStore(t, filepath.Join(t.TempDir(), "isms.db"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	// 08:00 in Shanghai today, on the real date (cookies expire by the
	// real clock).
	realNow := time.Now().In(shanghai)
	clock := isms.NewFakeClock(time.Date(realNow.Year(), realNow.Month(), realNow.Day(), 8, 0, 0, 0, shanghai))
	svc := service.New(st, clock, auth.Hasher{P: auth.TestParams}, log)
	bg := context.Background()
	cli := isms.CLIActor("t")
	res, err := svc.Bootstrap(bg, cli, service.BootstrapInput{Organization: isms.Organization{Name: "职责浏览器测试"}, Mode: service.BootstrapOwner,
		Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	org := res.Organization
	orgCLI := isms.Actor{OrgID: org.ID, Username: "cli:t", Via: "cli"}
	rules, _ := svc.SecuritySettings(bg, cli, org.ID)
	rules.RequireAdminTOTP = false
	rules.SessionIdleMinutes, rules.SessionAbsoluteHours = 480, 72
	if _, err := svc.UpdateSecuritySettings(bg, cli, org.ID, rules); err != nil {
		t.Fatal(err)
	}
	person := func(name, no, email string) string {
		p, err := svc.CreatePerson(bg, orgCLI, isms.Person{OrgID: org.ID, Name: name, EmployeeNo: no, Email: email})
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	account := func(username, personID string, role isms.Role) {
		a, _, err := svc.CreateAccount(bg, cli, service.NewAccount{OrgID: org.ID, Username: username, PersonID: personID, Password: pw, KeepPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.GrantRole(bg, cli, a.ID, role); err != nil {
			t.Fatal(err)
		}
	}
	account("zhangwei", person("张伟", "T1", "zhangwei@example.cn"), isms.RoleISMSTeam)
	account("lirep", person("李代表", "T2", "rep@example.cn"), isms.RoleManagementRep)
	account("wanghead", person("王部长", "T3", "head@example.cn"), isms.RoleDeptHead)

	sink := testutil.StartMailSink(t)
	var hookMu sync.Mutex
	var hookBodies []string
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hookMu.Lock()
		hookBodies = append(hookBodies, string(b))
		hookMu.Unlock()
		_, _ = io.WriteString(w, `{"errcode":0}`)
	}))
	defer hook.Close()
	if _, err := svc.CreateChannel(bg, orgCLI, service.NewChannel{Kind: "smtp", Name: "邮件", Config: notify.Config{Host: sink.Host,
		Port: sink.Port, From: "isms@example.cn", TLS: "none"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateChannel(bg, orgCLI, service.NewChannel{Kind: "dingtalk", Name: "钉钉", Config: notify.Config{URL: hook.URL + "/robot", Secret: "SECx"}}); err != nil {
		t.Fatal(err)
	}

	site := serveBrowser(t, ctx, svc)
	run, base, signIn := site.run, site.base, site.signIn

	shots := t.ArtifactDir()
	n := 0
	shot := func(name string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var buf []byte
			if err := chromedp.FullScreenshot(&buf, 100).Do(ctx); err != nil {
				return err
			}
			n++
			return os.WriteFile(filepath.Join(shots, fmt.Sprintf("duty-%02d-%s.png", n, name)), buf, 0o644)
		})
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		run("read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
		return s
	}
	tick := func() {
		t.Helper()
		if _, err := svc.Tick(bg, clock.Now()); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.DeliverDue(bg, clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	run("chinese", network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": "zh-CN"}))

	// The team member registers a daily duty at 09:00, one day's grace.
	signIn("zhangwei")
	today := clock.Now().In(shanghai).Format("2006-01-02")
	run("new duty", chromedp.Navigate(base+"/obligations"), chromedp.WaitVisible("#title_zh", chromedp.ByID),
		chromedp.SendKeys("#title_zh", "机房巡检", chromedp.ByID), chromedp.SendKeys("#title_en", "Machine-room round", chromedp.ByID),
		chromedp.SetValue("#owner_role", "isms_team", chromedp.ByID), chromedp.SetValue("#frequency", "daily", chromedp.ByID),
		chromedp.SetValue("#start", today, chromedp.ByID), chromedp.SetValue("#reminder_lead_days", "0", chromedp.ByID),
		chromedp.SetValue("#grace_days", "1", chromedp.ByID),
		chromedp.Click(`form[action="/obligations"] button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(".notice.ok", chromedp.ByQuery),
		shot("duty-created"))
	if !strings.Contains(text("table.grid"), "机房巡检") {
		t.Fatal("duty not listed")
	}

	// 09:30: today's occurrence is due; complete it with evidence.
	clock.Advance(90 * time.Minute)
	tick()
	run("my tasks", chromedp.Navigate(base+"/tasks"), chromedp.WaitVisible("main h1", chromedp.ByQuery), shot("my-tasks"))
	run("open task", chromedp.Click(`//a[text()="机房巡检"]`, chromedp.BySearch), chromedp.WaitVisible("#evidence", chromedp.ByID),
		chromedp.SendKeys("#evidence", "温湿度正常，UPS 正常，无告警。", chromedp.ByID),
		chromedp.Click(`form[action$="/complete"] button`, chromedp.ByQuery), chromedp.WaitVisible(".notice.ok", chromedp.ByQuery),
		shot("task-completed"))

	// Tomorrow's occurrence is left alone; two days later it is overdue
	// and escalated to the department head, then the representative.
	clock.Advance(24 * time.Hour)
	tick()
	clock.Advance(49 * time.Hour)
	tick()
	signIn("lirep")
	run("inbox", chromedp.Navigate(base+"/inbox"), chromedp.WaitVisible("table.grid", chromedp.ByQuery), shot("inbox"))
	if got := text("table.grid"); !strings.Contains(got, "逾期升级：机房巡检") {
		t.Fatalf("inbox: %q", got)
	}
	run("board", chromedp.Navigate(base+"/tasks/board"), chromedp.WaitVisible("main h1", chromedp.ByQuery), shot("overdue-board"))
	if got := text("main"); !strings.Contains(got, "机房巡检") {
		t.Fatalf("overdue board: %q", got)
	}
	run("history", chromedp.Navigate(base+"/obligations"), chromedp.Click(`//a[text()="机房巡检"]`, chromedp.BySearch),
		chromedp.WaitVisible("table.grid", chromedp.ByQuery), shot("duty-history"))
	if got := text("table.grid"); !strings.Contains(got, "温湿度正常") {
		t.Fatalf("history lacks the evidence: %q", got)
	}

	if !sink.To("rep@example.cn", "Subject: ") {
		to, _ := sink.Received()
		t.Fatalf("no escalation email to the representative: %v", to)
	}
	hookMu.Lock()
	defer hookMu.Unlock()
	if len(hookBodies) == 0 || !strings.Contains(hookBodies[0], "机房巡检") {
		t.Fatalf("webhook: %v", hookBodies)
	}
}

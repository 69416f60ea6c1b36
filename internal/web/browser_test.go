package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"

	"openisms/internal/app"
	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// syncBuffer collects the server's console output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestBrowserFirstRun drives a real Chromium through a new installation:
// the setup link, the three administrators, a department and a person, a
// refused page, the audit trail as the audit administrator, and the
// language switch. Each page visited is saved as a screenshot.
func TestBrowserFirstRun(t *testing.T) {
	ctx := testutil.Browser(t)
	st := testutil.OpenStore(t, filepath.Join(t.TempDir(), "isms.db"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	out := &syncBuffer{}
	srvCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(srvCtx, ln, svc, log, false, out) }()
	t.Cleanup(func() { stop(); <-done })

	var link string
	for i := 0; i < 100 && link == ""; i++ {
		link = regexp.MustCompile(`http://\S+/setup\?token=[0-9a-f]+`).FindString(out.String())
		time.Sleep(20 * time.Millisecond)
	}
	if link == "" {
		t.Fatalf("no setup link printed: %q", out.String())
	}
	base := strings.SplitN(link, "/setup", 2)[0]
	shots := t.ArtifactDir()
	n := 0
	shot := func(name string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var buf []byte
			if err := chromedp.FullScreenshot(&buf, 100).Do(ctx); err != nil {
				return err
			}
			n++
			return os.WriteFile(filepath.Join(shots, fmt.Sprintf("%02d-%s.png", n, name)), buf, 0o644)
		})
	}
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Run(tctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		var s string
		run("read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
		return s
	}
	run("browser in Chinese", network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": "zh-CN,zh;q=0.9"}))

	// 1. First-run setup with the three administrators.
	run("setup page", chromedp.Navigate(link), chromedp.WaitVisible("#name", chromedp.ByID), shot("setup"))
	run("submit setup",
		chromedp.SendKeys("#name", "浏览器测试有限公司", chromedp.ByID),
		chromedp.SendKeys("#credit_code", "91350100M000100Y43", chromedp.ByID),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("table.grid", chromedp.ByQuery), shot("setup-done"))
	passwords := map[string]string{}
	var rows []string
	run("read passwords", chromedp.Evaluate(`Array.from(document.querySelectorAll("table.grid tr")).slice(1).map(r => r.cells[1].textContent + " " + r.cells[2].textContent)`, &rows))
	for _, r := range rows {
		f := strings.Fields(r)
		passwords[f[0]] = f[1]
	}
	if len(passwords) != 3 || passwords["sysadmin"] == "" || passwords["secadmin"] == "" || passwords["auditadmin"] == "" {
		t.Fatalf("setup accounts: %v", rows)
	}

	// signIn signs in and, at the first sign-in, changes the password.
	newPW := map[string]string{}
	signIn := func(user string) {
		t.Helper()
		pw := passwords[user]
		if p, ok := newPW[user]; ok {
			pw = p
		}
		run("sign in "+user, chromedp.Navigate(base+"/signin"), chromedp.WaitVisible("#username", chromedp.ByID),
			chromedp.SendKeys("#username", user, chromedp.ByID), chromedp.SendKeys("#password", pw, chromedp.ByID),
			chromedp.Click(`button[type=submit]`, chromedp.ByQuery), chromedp.WaitNotPresent("#password", chromedp.ByID))
		var url string
		run("where", chromedp.Location(&url))
		if strings.HasSuffix(url, "/password") {
			np := "Changed-" + user + "-2026!"
			np = strings.ReplaceAll(np, user, "x9Q") // never contain the username
			run("change password "+user, shot("password-"+user),
				chromedp.SendKeys("#current_password", pw, chromedp.ByID),
				chromedp.SendKeys("#new_password", np, chromedp.ByID),
				chromedp.SendKeys("#confirm", np, chromedp.ByID),
				chromedp.Click(`form[action="/password"] button`, chromedp.ByQuery),
				chromedp.WaitNotPresent("#current_password", chromedp.ByID))
			newPW[user] = np
			run("where", chromedp.Location(&url))
		}
		// Administrators enrol a one-time password generator first.
		if strings.HasSuffix(url, "/me/totp") {
			var secret string
			run("totp page", chromedp.WaitVisible("#secret", chromedp.ByID), shot("totp-"+user),
				chromedp.Text("#secret", &secret, chromedp.ByID))
			code, err := totp.GenerateCode(strings.TrimSpace(secret), time.Now())
			if err != nil {
				t.Fatal(err)
			}
			run("confirm totp", chromedp.SendKeys("#code", code, chromedp.ByID),
				chromedp.Click(`form[action="/me/totp"] button`, chromedp.ByQuery),
				chromedp.WaitVisible("pre.codes", chromedp.ByQuery), shot("recovery-"+user))
			if codes := text("pre.codes"); len(strings.Fields(codes)) != 10 {
				t.Fatalf("recovery codes: %q", codes)
			}
		}
	}
	signOut := func() {
		t.Helper()
		run("sign out", chromedp.Click(`form[action="/signout"] button`, chromedp.ByQuery), chromedp.WaitVisible("#username", chromedp.ByID))
	}

	// 2. The system administrator creates a department.
	signIn("sysadmin")
	run("departments", chromedp.Navigate(base+"/departments"), chromedp.WaitVisible("#name", chromedp.ByID), shot("departments"),
		chromedp.SendKeys("#name", "信息中心", chromedp.ByID), chromedp.SendKeys("#code", "IT", chromedp.ByID),
		chromedp.Click(`form[action="/departments"] button`, chromedp.ByQuery), chromedp.WaitVisible(".notice.ok", chromedp.ByQuery),
		shot("department-created"))
	if !strings.Contains(text("table.grid"), "信息中心") {
		t.Fatal("department not listed")
	}
	// A refused page is a clear message, not a blank or a crash.
	run("refused", chromedp.Navigate(base+"/accounts"), chromedp.WaitVisible(".notice.err", chromedp.ByQuery), shot("refused"))
	if msg := text(".notice.err"); !strings.Contains(msg, "无权") {
		t.Fatalf("refusal message: %q", msg)
	}
	signOut()

	// 3. The security administrator opens an account for an ISMS team
	// member and grants the role.
	signIn("secadmin")
	run("accounts", chromedp.Navigate(base+"/accounts"), chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", "lina", chromedp.ByID), chromedp.SendKeys("#display_name", "李娜", chromedp.ByID),
		chromedp.Click(`form[action="/accounts"] button`, chromedp.ByQuery), chromedp.WaitVisible("#newpw", chromedp.ByID),
		shot("account-created"))
	passwords["lina"] = text("#newpw")
	run("open account", chromedp.Click(`//a[text()="lina"]`, chromedp.BySearch), chromedp.WaitVisible(`select[name=role]`, chromedp.ByQuery),
		chromedp.SetValue(`select[name=role]`, "isms_team", chromedp.ByQuery),
		chromedp.Click(`form[action$="/roles"] button`, chromedp.ByQuery), chromedp.WaitVisible(".notice.ok", chromedp.ByQuery),
		shot("role-granted"))
	signOut()

	// 4. The ISMS team member registers a person.
	signIn("lina")
	run("new person", chromedp.Navigate(base+"/people/new"), chromedp.WaitVisible("#name", chromedp.ByID),
		chromedp.SendKeys("#name", "王建国", chromedp.ByID), chromedp.SendKeys("#employee_no", "E0001", chromedp.ByID),
		chromedp.SendKeys("#phone", "电话号码", chromedp.ByID),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(".field-err", chromedp.ByQuery),
		shot("person-invalid"))
	if msg := text(".field-err"); !strings.Contains(msg, "电话") {
		t.Fatalf("inline error: %q", msg)
	}
	run("fix person", chromedp.SetValue("#phone", "13800138000", chromedp.ByID),
		chromedp.Click(`form.form button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(".notice.ok", chromedp.ByQuery),
		shot("person-created"))
	run("people list", chromedp.Navigate(base+"/people?q="+"王"), chromedp.WaitVisible("table.grid", chromedp.ByQuery), shot("people"))
	if !strings.Contains(text("table.grid"), "王建国") {
		t.Fatal("person not listed")
	}
	signOut()

	// 5. The audit administrator sees the entry, and switches to English.
	signIn("auditadmin")
	run("audit", chromedp.Navigate(base+"/audit?action=person.create"), chromedp.WaitVisible("table.grid", chromedp.ByQuery), shot("audit"))
	if !strings.Contains(text("table.grid"), "王建国") {
		t.Fatal("person.create not in the trail")
	}
	run("english", chromedp.Click(`a[data-lang="en"]`, chromedp.ByQuery), chromedp.WaitVisible("h1", chromedp.ByQuery), shot("audit-en"))
	if h := text("main h1"); h != "Audit trail" {
		t.Fatalf("English heading: %q", h)
	}
	// The choice is remembered for the account, whatever the browser asks.
	run("remembered", chromedp.Navigate(base+"/me"), chromedp.WaitVisible("main h1", chromedp.ByQuery), shot("me-en"))
	if h := text("main h1"); h != "My account" {
		t.Fatalf("language not remembered: %q", h)
	}
}

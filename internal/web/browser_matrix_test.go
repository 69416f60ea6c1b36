package web_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// TestBrowserMatrix: an organization set up from the seed template shows
// the manual's matrix; changing a cell's select saves it at once (no
// button), and the change is in the history.
func TestBrowserMatrix(t *testing.T) {
	ctx := testutil.Browser(t)
	st := testutil.OpenStore(t, filepath.Join(t.TempDir(), "isms.db"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, isms.NewFakeClock(time.Now()), auth.Hasher{P: auth.TestParams}, log)
	bg := context.Background()
	cli := isms.CLIActor("t")
	tpl, err := orgtemplate.Load("iso27001-seed")
	if err != nil {
		t.Fatal(err)
	}
	res, err := svc.Bootstrap(bg, cli, service.BootstrapInput{Organization: isms.Organization{Name: "矩阵浏览器测试"}, Mode: service.BootstrapOwner,
		Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true, Template: &tpl})
	if err != nil {
		t.Fatal(err)
	}
	rules, _ := svc.SecuritySettings(bg, cli, res.Organization.ID)
	rules.RequireAdminTOTP = false
	if _, err := svc.UpdateSecuritySettings(bg, cli, res.Organization.ID, rules); err != nil {
		t.Fatal(err)
	}
	b := serveBrowser(t, ctx, svc)
	run, base := b.run, b.base
	b.signIn(res.Accounts[0].Account.Username)

	var rows int
	run("open matrix", chromedp.Navigate(base+"/matrix"), chromedp.WaitVisible("table.matrix", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("table.matrix tbody tr").length`, &rows))
	if rows != 50 {
		t.Fatalf("matrix shows %d rows, want 50", rows)
	}
	var shot []byte
	run("change a cell", chromedp.Evaluate(`(function(){
		var s = document.querySelector('select[aria-label="4.2.2 × 行政部"]');
		s.value = "△"; s.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, nil),
		chromedp.WaitVisible(".notice.ok", chromedp.ByQuery), chromedp.FullScreenshot(&shot, 100))
	_ = os.WriteFile(filepath.Join(t.ArtifactDir(), "matrix.png"), shot, 0o644)
	var got string
	run("read back", chromedp.Evaluate(`document.querySelector('select[aria-label="4.2.2 × 行政部"]').value`, &got))
	if got != "△" {
		t.Fatalf("after saving the cell shows %q", got)
	}
	hist, err := svc.MatrixHistory(bg, isms.Actor{OrgID: res.Organization.ID, Via: "cli"})
	if err != nil || len(hist) == 0 || hist[0].Action != "matrix.set" {
		t.Fatalf("history: %v %+v", err, hist)
	}
}

package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// TestBrowserRiskAssessment: an ISMS team member imports the asset
// register from a workbook, opens an assessment, adds a risk scenario
// (the threat's suggested frequency fills T), treats it and asks for its
// residual risk to be accepted; the top manager approves in the
// approvals list and the risk shows as accepted.
func TestBrowserRiskAssessment(t *testing.T) {
	ctx := testutil.Browser(t)
	o := newBrowserOrg(t, "风险浏览器测试", map[string]isms.Role{"zhangwei": isms.RoleISMSTeam, "zhaozong": isms.RoleTopManager})
	svc, org, bg, cli := o.svc, o.org, context.Background(), isms.CLIActor("t")
	if err := svc.CreateBulk(bg, cli, service.Bulk{Departments: []isms.Department{{ID: service.NewID(), OrgID: org.ID, Name: "信息中心"}}}); err != nil {
		t.Fatal(err)
	}
	book := filepath.Join(t.TempDir(), "assets.xlsx")
	if err := os.WriteFile(book, workbook(t, [][]any{
		{"编号", "名称", "类型", "所属部门", "保密性", "完整性", "可用性"},
		{"DB-01", "客户数据库", "data_resource", "信息中心", 4, 3, 3},
		{"SRV-01", "应用服务器", "hardware", "信息中心", 3, 3, 4},
	}), 0o600); err != nil {
		t.Fatal(err)
	}
	b := serveBrowser(t, ctx, svc)

	b.signIn("zhangwei")
	var text string
	b.run("import assets", chromedp.Navigate(b.base+"/assets/import"),
		chromedp.SetUploadFiles(`input[type=file]`, []string{book}, chromedp.ByQuery),
		chromedp.Click(`form[data-progress] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery), chromedp.Text(`.notice.ok`, &text, chromedp.ByQuery))
	if !strings.Contains(text, "2") {
		t.Fatalf("import flash: %q", text)
	}

	b.run("open an assessment", chromedp.Navigate(b.base+"/assessments"),
		chromedp.SendKeys(`#title`, "2026 年度风险评估", chromedp.ByID),
		chromedp.Submit(`#title`, chromedp.ByID), chromedp.WaitVisible(`#add-risk`, chromedp.ByID))

	ts, vs, err := svc.RiskCatalogs(bg, isms.Actor{OrgID: org.ID, Username: "cli:t", Via: "cli", Roles: []isms.Role{isms.RoleOwner}})
	if err != nil {
		t.Fatal(err)
	}
	var tValue string
	b.run("add a risk", chromedp.SendKeys(`#asset_code`, "DB-01", chromedp.ByID),
		chromedp.SetValue(`#threat_id`, ts[0].ID, chromedp.ByID),
		chromedp.Evaluate(`document.getElementById("threat_id").dispatchEvent(new Event("change", {bubbles: true}))`, nil),
		chromedp.Value(`#t`, &tValue, chromedp.ByID),
		chromedp.SetValue(`#vulnerability_id`, vs[0].ID, chromedp.ByID),
		chromedp.SetValue(`#v`, "4", chromedp.ByID), chromedp.SetValue(`#va`, "4", chromedp.ByID))
	if tValue != strconv.Itoa(ts[0].Frequency) {
		t.Fatalf("T after choosing the threat: %q, want its frequency %d", tValue, ts[0].Frequency)
	}
	b.run("save the risk", chromedp.SetValue(`#t`, "3", chromedp.ByID), chromedp.Submit(`#asset_code`, chromedp.ByID),
		chromedp.WaitVisible(`#plan`, chromedp.ByID), chromedp.Text(`dl.kv`, &text, chromedp.ByQuery))
	// T 3, V 4 → L 3; Ia 4, Va 4 → F 4; R 12, level 2.
	if !strings.Contains(text, "R 12") {
		t.Fatalf("risk page: %q", text)
	}

	b.run("treat it", chromedp.Click(`#edit summary`, chromedp.ByQuery),
		chromedp.SetValue(`#treatment`, "reduce", chromedp.ByID), chromedp.SetValue(`#residual_va`, "2", chromedp.ByID),
		chromedp.Submit(`#treatment`, chromedp.ByID), chromedp.WaitVisible(`#accept`, chromedp.ByID),
		chromedp.Text(`dl.kv`, &text, chromedp.ByQuery))
	if !strings.Contains(text, "R 9") {
		t.Fatalf("after treatment: %q", text)
	}
	riskURL := ""
	b.run("ask for acceptance", chromedp.Click(`#accept summary`, chromedp.ByQuery),
		chromedp.SendKeys(`#note`, "剩余风险在准则内", chromedp.ByID), chromedp.Submit(`#note`, chromedp.ByID),
		chromedp.WaitNotPresent(`#accept`, chromedp.ByID), chromedp.Location(&riskURL))
	owner := isms.Actor{OrgID: org.ID, Username: "cli:t", Via: "cli", Roles: []isms.Role{isms.RoleOwner}}
	rk, err := svc.Risk(bg, owner, strings.TrimPrefix(strings.Split(riskURL, "?")[0], b.base+"/risks/"))
	if err != nil || rk.Acceptance != isms.AcceptPending {
		t.Fatalf("after the request: %q %v", rk.Acceptance, err)
	}

	b.signIn("zhaozong")
	b.run("approve", chromedp.Navigate(b.base+"/approvals"),
		chromedp.Click(`button[name=decision][value=approve]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery),
		chromedp.Navigate(strings.Split(riskURL, "?")[0]), chromedp.WaitVisible(`dl.kv`, chromedp.ByQuery))
	if rk, _ = svc.Risk(bg, owner, rk.ID); rk.Acceptance != isms.AcceptAccepted || rk.AcceptedBy == "" {
		t.Fatalf("after approval: %q by %q", rk.Acceptance, rk.AcceptedBy)
	}
}

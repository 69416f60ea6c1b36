package web_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"openisms/internal/isms"
	"openisms/internal/testutil"
)

// TestBrowserMLPS: the ISMS team registers a system, grades it (social
// order seriously harmed: level 3), records the experts' agreement, files
// it, records the bureau's acceptance and the certificate; records an
// evaluation whose issue is assigned to an employee, who marks it fixed
// from the evaluation's page; a colleague who did not fix it verifies it.
// The filing form is printed (to PDF, A4) on the way.
func TestBrowserMLPS(t *testing.T) {
	ctx := testutil.Browser(t)
	o := newBrowserOrg(t, "等级保护测试单位", map[string]isms.Role{"wangfang": isms.RoleISMSTeam, "lisi": isms.RoleISMSTeam,
		"zhaoliu": isms.RoleEmployee})
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	b := serveBrowser(t, ctx, o.svc)

	chinese := network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": "zh-CN"})
	b.signIn("wangfang")
	b.run("chinese", chinese)
	var text, objURL string
	b.run("register the system", chromedp.Navigate(b.base+"/mlps/new"), chromedp.WaitVisible(`#mlps-form`, chromedp.ByID),
		chromedp.SendKeys(`#name`, "网上办事大厅", chromedp.ByID),
		chromedp.SetValue(`#type`, isms.MLPSInfoSystem, chromedp.ByID),
		chromedp.SetValue(`#live_on`, "2026-09-01", chromedp.ByID),
		chromedp.SetValue(`#business_type`, "public", chromedp.ByID),
		chromedp.Submit(`#name`, chromedp.ByID), chromedp.WaitVisible(`#mlps-facts`, chromedp.ByID),
		chromedp.Text(`h1`, &text, chromedp.ByQuery), chromedp.Location(&objURL))
	if !strings.Contains(text, "DJ-0001") {
		t.Fatalf("object page: %q", text)
	}
	b.run("grade it", chromedp.Click(`#grading-start button`, chromedp.ByQuery), chromedp.WaitVisible(`#grading-form`, chromedp.ByID),
		chromedp.SetValue(`select[name="deg.business.social"]`, isms.DegreeSerious, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="why.business.social"]`, "办事秩序受到严重影响", chromedp.ByQuery),
		chromedp.SetValue(`select[name="deg.service.citizen"]`, isms.DegreeSerious, chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="why.service.citizen"]`, "办事人无法按时办理", chromedp.ByQuery),
		chromedp.Submit(`#level`, chromedp.ByID))
	text = waitText(t, b, `#grading-result`, "S3")
	if !strings.Contains(text, "第三级 (S3)") || !strings.Contains(text, "第二级 (A2)") {
		t.Fatalf("levels: %q", text)
	}
	b.run("submit to the experts", chromedp.Click(`#grading-submit button`, chromedp.ByQuery),
		chromedp.WaitVisible(`#review-form`, chromedp.ByID),
		chromedp.SendKeys(`#experts`, "张工（市信息中心）、李工", chromedp.ByID),
		chromedp.Click(`#review-form input[name=conclusion][value=agree]`, chromedp.ByQuery),
		chromedp.Submit(`#experts`, chromedp.ByID), chromedp.WaitVisible(`#filing-form`, chromedp.ByID),
		chromedp.Text(`#grading-steps .on`, &text, chromedp.ByQuery))
	if !strings.Contains(text, "待备案") {
		t.Fatalf("step after review: %q", text)
	}
	b.run("file it", chromedp.SendKeys(`#bureau`, "市公安局网安支队", chromedp.ByID),
		chromedp.Submit(`#bureau`, chromedp.ByID), chromedp.WaitVisible(`#decide-form`, chromedp.ByID),
		chromedp.Click(`#decide-form input[name=outcome][value=accepted]`, chromedp.ByQuery),
		chromedp.Submit(`#decided_on`, chromedp.ByID), chromedp.WaitVisible(`#certificate-form`, chromedp.ByID),
		chromedp.SendKeys(`#number`, "31010043001-26001", chromedp.ByID),
		chromedp.Submit(`#number`, chromedp.ByID), chromedp.WaitVisible(`#grading-certificates`, chromedp.ByID))
	var pdf []byte
	b.run("print the filing form", chromedp.Click(`#open-form`, chromedp.ByID), chromedp.WaitVisible(`#filing-form-sheet`, chromedp.ByID),
		chromedp.Text(`h1.form-title`, &text, chromedp.ByQuery),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).Do(ctx)
			return err
		}))
	if text != "网络安全等级保护备案表" || !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 5000 {
		t.Fatalf("printed form: %q, %d bytes", text, len(pdf))
	}
	b.run("the object is filed", chromedp.Navigate(objURL), chromedp.WaitVisible(`#certificate-list`, chromedp.ByID),
		chromedp.Text(`#mlps-state`, &text, chromedp.ByID))
	if !strings.Contains(text, "第三级") || !strings.Contains(text, "已备案") {
		t.Fatalf("object state: %q", text)
	}

	var evalURL string
	b.run("register an agency", chromedp.Navigate(b.base+"/agencies"), chromedp.WaitVisible(`#agency-form`, chromedp.ByID),
		chromedp.SendKeys(`#name`, "某网络安全测评中心", chromedp.ByID), chromedp.Submit(`#name`, chromedp.ByID),
		chromedp.WaitVisible(`#agency-list`, chromedp.ByID))
	as, err := o.svc.Agencies(context.Background(), o.actors["wangfang"])
	if err != nil || len(as) != 1 {
		t.Fatal(as, err)
	}
	b.run("record the evaluation", chromedp.Navigate(objURL), chromedp.Click(`#evaluation-record summary`, chromedp.ByQuery),
		chromedp.WaitVisible(`#evaluation-form`, chromedp.ByID),
		chromedp.SetValue(`#agency_id`, as[0].ID, chromedp.ByID), chromedp.SendKeys(`#report_no`, "CP-2026-0118", chromedp.ByID),
		chromedp.SetValue(`#evaluation-form input[name=completed_on]`, today, chromedp.ByQuery),
		chromedp.SetValue(`#eval_template`, "2025", chromedp.ByID), chromedp.SendKeys(`#rate`, "86.5", chromedp.ByID),
		chromedp.SetValue(`#evaluation-form select[name=conclusion]`, "basically_conform", chromedp.ByQuery),
		chromedp.SendKeys(`#evaluation-form input[name=major_hazards]`, "1", chromedp.ByQuery),
		chromedp.Submit(`#report_no`, chromedp.ByID), chromedp.WaitVisible(`#evaluation-facts`, chromedp.ByID),
		chromedp.Text(`#evaluation-facts`, &text, chromedp.ByID), chromedp.Location(&evalURL))
	evalURL, _, _ = strings.Cut(evalURL, "?")
	if !strings.Contains(text, "86.5% 基本符合") || !strings.Contains(text, "重大风险隐患 1 项") {
		t.Fatalf("evaluation: %q", text)
	}
	b.run("record an issue for zhaoliu", chromedp.SendKeys(`#description`, "数据库管理员口令长期未更换", chromedp.ByID),
		chromedp.Click(`#rectification-form input[name=risk][value=high]`, chromedp.ByQuery),
		chromedp.SetValue(`#person_id`, o.people["zhaoliu"], chromedp.ByID),
		chromedp.SendKeys(`#measure`, "启用口令定期更换策略", chromedp.ByID),
		chromedp.SetValue(`#deadline`, "2027-01-31", chromedp.ByID), chromedp.SendKeys(`#funds`, "无", chromedp.ByID),
		chromedp.Submit(`#description`, chromedp.ByID), chromedp.WaitVisible(`#rectification-list`, chromedp.ByID))

	b.signIn("zhaoliu")
	b.run("chinese", chinese)
	b.run("the employee fixes it", chromedp.Navigate(evalURL), chromedp.WaitVisible(`#fix-1`, chromedp.ByID),
		chromedp.SendKeys(`#fix-1 input[name=note]`, "已启用 90 天更换策略", chromedp.ByQuery),
		chromedp.Click(`#fix-1 button`, chromedp.ByQuery), chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery),
		chromedp.Text(`#rectification-list`, &text, chromedp.ByID))
	if !strings.Contains(text, "待验证") {
		t.Fatalf("after the fix: %q", text)
	}

	b.signIn("lisi")
	b.run("chinese", chinese)
	b.run("a colleague verifies it", chromedp.Navigate(evalURL), chromedp.WaitVisible(`#verify-1`, chromedp.ByID),
		chromedp.Click(`#verify-1 button`, chromedp.ByQuery), chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery),
		chromedp.Text(`#rectification-list`, &text, chromedp.ByID))
	if !strings.Contains(text, "已整改") || !strings.Contains(text, "lisi") {
		t.Fatalf("after verification: %q", text)
	}
	b.run("the findings count it", chromedp.Text(`#findings-summary`, &text, chromedp.ByID))
	if !strings.Contains(text, "高风险 1 (1)") {
		t.Fatalf("findings: %q", text)
	}
}

// waitText reads a node's text until it contains want (the page may be
// navigating meanwhile), for up to ten seconds.
func waitText(t *testing.T, b *browserSite, sel, want string) string {
	t.Helper()
	var text string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		tctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		err := chromedp.Run(tctx, chromedp.Text(sel, &text, chromedp.ByQuery))
		cancel()
		if err == nil && strings.Contains(text, want) {
			return text
		}
	}
	t.Fatalf("%s never showed %q: %q", sel, want, text)
	return text
}

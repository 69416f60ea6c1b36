package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"openisms/internal/isms"
	"openisms/internal/testutil"
)

// TestBrowserMeasuresAndObjectives: the ISMS team records a backup
// measure for A.8.13 owned by an employee; coverage shows it implemented
// without evidence until the owner, who cannot see the SoA, opens their
// measure and adds a file. The team then sets a security objective the
// top manager approves from the approvals list, and its owner records a
// measurement that puts it at risk.
func TestBrowserMeasuresAndObjectives(t *testing.T) {
	ctx := testutil.Browser(t)
	o := newBrowserOrg(t, "措施与目标测试", map[string]isms.Role{"zhangwei": isms.RoleISMSTeam, "zhaozong": isms.RoleTopManager,
		"liming": isms.RoleEmployee})
	svc, people := o.svc, o.people
	evidence := filepath.Join(t.TempDir(), "备份恢复测试记录.txt")
	if err := os.WriteFile(evidence, []byte("2026 年备份恢复测试：成功"), 0o600); err != nil {
		t.Fatal(err)
	}
	today := time.Now().Format(time.DateOnly)
	b := serveBrowser(t, ctx, svc)

	b.signIn("zhangwei")
	var text, measureURL string
	b.run("create the measure", chromedp.Navigate(b.base+"/measures/new"), chromedp.WaitVisible(`#measure-form`, chromedp.ByID),
		chromedp.SendKeys(`#title`, "数据备份与恢复", chromedp.ByID),
		chromedp.SetValue(`#status`, isms.ImplImplemented, chromedp.ByID),
		chromedp.SetValue(`#owner_id`, people["liming"], chromedp.ByID),
		chromedp.SendKeys(`#requirements`, "A.8.13", chromedp.ByID),
		chromedp.Submit(`#title`, chromedp.ByID), chromedp.WaitVisible(`#measure-requirements`, chromedp.ByID),
		chromedp.Text(`h1`, &text, chromedp.ByQuery), chromedp.Location(&measureURL))
	if !strings.Contains(text, "CS-0001") || !strings.Contains(text, "数据备份与恢复") {
		t.Fatalf("measure page: %q", text)
	}
	measurePath := strings.TrimPrefix(measureURL, b.base)
	measurePath, _, _ = strings.Cut(measurePath, "?")
	coverage := func(what string) (covered, noEvidence string) {
		b.run(what, chromedp.Navigate(b.base+"/coverage"), chromedp.WaitVisible(`#coverage-counts`, chromedp.ByID),
			chromedp.Text(`#coverage-counts .card:nth-child(1) .n`, &covered, chromedp.ByQuery),
			chromedp.Text(`#coverage-counts .card:nth-child(2) .n`, &noEvidence, chromedp.ByQuery))
		return covered, noEvidence
	}
	if covered, noEvidence := coverage("coverage without evidence"); !strings.HasPrefix(covered, "0/123") || noEvidence != "1" {
		t.Fatalf("coverage before evidence: covered %q, no evidence %q", covered, noEvidence)
	}

	b.signIn("liming")
	b.run("the owner adds evidence", chromedp.Navigate(b.base+"/measures"),
		chromedp.Click(`#measures a[href="`+measurePath+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#evidence-form`, chromedp.ByID),
		chromedp.SendKeys(`#ev-title`, "备份恢复测试记录", chromedp.ByID),
		chromedp.SetUploadFiles(`#ev-file`, []string{evidence}, chromedp.ByID),
		chromedp.SetValue(`#ev-from`, today, chromedp.ByID),
		chromedp.Submit(`#ev-title`, chromedp.ByID), chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery),
		chromedp.Text(`#evidence`, &text, chromedp.ByID), chromedp.Text(`main`, &text, chromedp.ByQuery))
	if !strings.Contains(text, "备份恢复测试记录.txt") {
		t.Fatalf("evidence list: %q", text)
	}

	b.signIn("zhangwei")
	if covered, _ := coverage("coverage with evidence"); !strings.HasPrefix(covered, "1/123") {
		t.Fatalf("coverage after evidence: covered %q", covered)
	}
	b.run("set an objective", chromedp.Navigate(b.base+"/objectives/new"), chromedp.WaitVisible(`#objective-form`, chromedp.ByID),
		chromedp.SendKeys(`#statement`, "关键系统备份成功率不低于 95%", chromedp.ByID),
		chromedp.SendKeys(`#metric`, "成功的备份作业数 / 计划的备份作业数", chromedp.ByID),
		chromedp.SendKeys(`#target`, "95", chromedp.ByID), chromedp.SendKeys(`input[name=unit]`, "%", chromedp.ByQuery),
		chromedp.SendKeys(`#threshold`, "90", chromedp.ByID), chromedp.SetValue(`#frequency`, "monthly", chromedp.ByID),
		chromedp.SetValue(`#owner_id`, people["liming"], chromedp.ByID),
		chromedp.Submit(`#statement`, chromedp.ByID), chromedp.WaitVisible(`#objective-submit`, chromedp.ByID),
		chromedp.Click(`#objective-submit button`, chromedp.ByQuery), chromedp.WaitVisible(`.notice.warn`, chromedp.ByQuery))

	b.signIn("zhaozong")
	b.run("approve it from the approvals list", chromedp.Navigate(b.base+"/approvals"),
		chromedp.WaitVisible(`a[href^="/objectives/"]`, chromedp.ByQuery),
		chromedp.Click(`button[name=decision][value=approve]`, chromedp.ByQuery), chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery))

	b.signIn("liming")
	b.run("the owner records a measurement", chromedp.Navigate(b.base+"/objectives?lang=zh-CN"),
		chromedp.Click(`a[href^="/objectives/0"]`, chromedp.ByQuery), chromedp.WaitVisible(`#measurement-form`, chromedp.ByID),
		chromedp.SetValue(`#taken_on`, today, chromedp.ByID), chromedp.SendKeys(`#value`, "92.5", chromedp.ByID),
		chromedp.SendKeys(`#note`, "一次作业因磁带故障失败", chromedp.ByID),
		chromedp.Submit(`#value`, chromedp.ByID), chromedp.WaitVisible(`#measurement-list`, chromedp.ByID),
		chromedp.Text(`main`, &text, chromedp.ByQuery))
	if !strings.Contains(text, "92.5%") || !strings.Contains(text, "有风险") || !strings.Contains(text, "已批准") {
		t.Fatalf("objective after the measurement: %q", text)
	}
	var bars int
	b.run("the chart shows it", chromedp.Evaluate(`document.querySelectorAll(".chart-box svg circle").length`, &bars))
	if bars != 1 {
		t.Errorf("chart points: %d", bars)
	}
}

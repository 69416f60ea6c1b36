package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// TestBrowserSoA: an ISMS team member fills the Statement of
// Applicability (an exclusion is refused until it has a justification),
// submits it; the top manager opens it from the approvals list, approves
// it as V1 and downloads the workbook.
func TestBrowserSoA(t *testing.T) {
	ctx := testutil.Browser(t)
	o := newBrowserOrg(t, "适用性声明测试", map[string]isms.Role{"zhangwei": isms.RoleISMSTeam, "zhaozong": isms.RoleTopManager})
	svc, bg := o.svc, context.Background()
	team := o.actors["zhangwei"]
	fw, err := svc.SoAFrameworkID(bg, team)
	if err != nil {
		t.Fatal(err)
	}
	x, err := svc.SoA(bg, team, fw)
	if err != nil {
		t.Fatal(err)
	}
	// The team has worked through all but two controls already.
	var a51, a523 string
	yes := true
	for _, e := range x.Entries {
		switch e.Node.Ref {
		case "A.5.1":
			a51 = e.Node.ID
			continue
		case "A.5.23":
			a523 = e.Node.ID
			continue
		}
		if _, err := svc.SaveSoARow(bg, team, e.Node.ID, service.SoARowInput{Applicable: &yes,
			Reasons: []string{isms.ReasonRisk}, Status: isms.ImplPartial}); err != nil {
			t.Fatal(err)
		}
	}
	b := serveBrowser(t, ctx, svc)

	b.signIn("zhangwei")
	var text string
	b.run("exclude A.5.23 without a reason", chromedp.Navigate(b.base+"/soa"),
		chromedp.WaitVisible(`#soa`, chromedp.ByID),
		chromedp.Click(`a[href="/requirements/`+a523+`/soa"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#soa-line`, chromedp.ByID),
		chromedp.Click(`input[name=applicable][value=no]`, chromedp.ByQuery),
		chromedp.Submit(`#justification`, chromedp.ByID),
		chromedp.WaitVisible(`.field-err`, chromedp.ByQuery), chromedp.Text(`.field-err`, &text, chromedp.ByQuery))
	if !strings.Contains(text, "排除理由") && !strings.Contains(text, "justification") {
		t.Fatalf("refusal: %q", text)
	}
	b.run("give the justification", chromedp.SendKeys(`#justification`, "本单位不使用云服务。", chromedp.ByID),
		chromedp.Submit(`#justification`, chromedp.ByID), chromedp.WaitVisible(`#soa`, chromedp.ByID))
	b.run("include A.5.1", chromedp.Navigate(b.base+"/requirements/"+a51+"/soa"), chromedp.WaitVisible(`#soa-line`, chromedp.ByID),
		chromedp.Click(`input[name=applicable][value=yes]`, chromedp.ByQuery),
		chromedp.Click(`input[name=reasons][value=legal]`, chromedp.ByQuery),
		chromedp.SetValue(`#status`, isms.ImplImplemented, chromedp.ByID),
		chromedp.SendKeys(`#implementation`, "方针经最高管理者批准并发布。", chromedp.ByID),
		chromedp.Submit(`#implementation`, chromedp.ByID), chromedp.WaitVisible(`#soa`, chromedp.ByID),
		chromedp.Text(`#soa-counts`, &text, chromedp.ByID))
	if !strings.Contains(text, "93/93") {
		t.Fatalf("counts after filling: %q", text)
	}
	b.run("submit", chromedp.SendKeys(`#soa-submit input[name=note]`, "2026 年版", chromedp.ByQuery),
		chromedp.Submit(`#soa-submit input[name=note]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#soa-versions .notice.warn`, chromedp.ByQuery), chromedp.Text(`#soa-versions`, &text, chromedp.ByID))
	if !strings.Contains(text, "zhangwei") {
		t.Fatalf("pending notice: %q", text)
	}

	b.signIn("zhaozong")
	b.run("approve from the approvals list", chromedp.Navigate(b.base+"/approvals"),
		chromedp.Click(`a[href^="/soa-versions/"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#soa-decide`, chromedp.ByID),
		chromedp.Click(`#soa-decide button[value=approve]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery), chromedp.Text(`#soa-header`, &text, chromedp.ByID))
	if !strings.Contains(text, "V1") {
		t.Fatalf("version header: %q", text)
	}
	var encoded string
	b.run("download the workbook", chromedp.Evaluate(`fetch("/soa/`+fw+`/export").then(r => r.arrayBuffer()).then(b => {
		let s = ""; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`, &encoded,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows("适用性声明")
	if err != nil {
		t.Fatal(err)
	}
	var excluded, approved bool
	for _, r := range rows {
		if len(r) > 4 && r[0] == "A.5.23" && r[2] == "不适用" && r[4] == "本单位不使用云服务。" {
			excluded = true
		}
		if len(r) > 1 && r[0] == "批准 Approved by" && strings.Contains(r[1], "zhaozong") {
			approved = true
		}
	}
	if len(rows) != 6+93+4 || !excluded || !approved {
		t.Fatalf("workbook: %d rows, exclusion %v, approval %v", len(rows), excluded, approved)
	}
}

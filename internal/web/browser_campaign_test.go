package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// TestBrowserCampaign: a city coordination group runs a campaign over a
// county group's enterprise. The enterprise fills in its self-check form
// and submits it; the county returns it with a comment; the enterprise
// reads the comment, completes the form and submits again; the county
// and then the city accept it; the city downloads the roll-up, which
// counts the enterprise's accepted answer.
func TestBrowserCampaign(t *testing.T) {
	ctx := testutil.Browser(t)
	o := newBrowserOrg(t, "某国有企业", map[string]isms.Role{"qiye-team": isms.RoleISMSTeam})
	bg, cli := context.Background(), isms.CLIActor("t")
	body := func(name, user string) (isms.Organization, isms.Actor) {
		org, err := o.svc.CreateOrganization(bg, cli, isms.Organization{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := o.svc.CreateAccount(bg, cli, service.NewAccount{OrgID: org.ID, Username: user, Password: pw, KeepPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.GrantRole(bg, cli, a.ID, isms.RoleSupervisor); err != nil {
			t.Fatal(err)
		}
		return org, isms.Actor{AccountID: a.ID, OrgID: org.ID, OrgPath: org.Path, Username: user, Via: "session",
			Roles: []isms.Role{isms.RoleSupervisor}}
	}
	city, citySup := body("市等保协调小组", "city-sup")
	county, _ := body("区等保协调小组", "county-sup")
	for _, pair := range [][2]string{{city.ID, county.ID}, {county.ID, o.org.ID}} {
		if _, err := o.svc.AddSupervisionLink(bg, cli, isms.SupervisionLink{SupervisorID: pair[0], SupervisedID: pair[1],
			Kind: isms.SuperviseMLPS}); err != nil {
			t.Fatal(err)
		}
	}
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	c, err := o.svc.CreateCampaign(bg, citySup, isms.Campaign{Title: "国有企业等级保护工作", BasisNo: "某等保〔2026〕1号",
		Phases:       []isms.CampaignPhase{{ID: "p", Name: "前期准备", StartsOn: today, EndsOn: isms.AddDays(today, 30)}},
		Requirements: []isms.Requirement{{PhaseID: "p", TypeCode: "self_check", DueOn: isms.AddDays(today, 14)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.SetCampaignAudience(bg, citySup, c.ID, service.Audience{OrgIDs: []string{o.org.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.OpenCampaign(bg, citySup, c.ID); err != nil {
		t.Fatal(err)
	}
	b := serveBrowser(t, ctx, o.svc)
	chinese := network.SetExtraHTTPHeaders(network.Headers{"Accept-Language": "zh-CN"})

	b.signIn("qiye-team")
	b.run("open the self-check form", chinese, chromedp.Navigate(b.base+"/campaigns"),
		chromedp.Click(`#answering-campaigns a`, chromedp.ByQuery), chromedp.WaitVisible(`#my-submissions`, chromedp.ByID),
		chromedp.Click(`#my-submissions a`, chromedp.ByQuery), chromedp.WaitVisible(`#submission-form`, chromedp.ByID))
	var name string
	b.run("read the prefilled name", chromedp.Value(`#in-f-org_name`, &name, chromedp.ByID))
	if name != "某国有企业" {
		t.Fatalf("the form did not start from the organization's data: %q", name)
	}
	b.run("fill in and submit", chromedp.SetValue(`#in-f-leading_group`, "是", chromedp.ByID),
		chromedp.SendKeys(`#in-f-department`, "信息部", chromedp.ByID),
		chromedp.SendKeys(`#in-f-liaison_name`, "张三", chromedp.ByID),
		chromedp.SendKeys(`#in-f-liaison_phone`, "0571-88880000", chromedp.ByID),
		chromedp.SendKeys(`#in-t-unregistered-0-name`, "门户网站", chromedp.ByID),
		chromedp.Click(`#submit-submission`, chromedp.ByID), chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery))
	subURL := ""
	b.run("where", chromedp.Location(&subURL))
	subURL = strings.Split(subURL, "?")[0]
	waitText(t, b, `h1`, "审核中")

	b.signIn("county-sup")
	b.run("return it", chinese, chromedp.Navigate(b.base+"/campaigns"), chromedp.Click(`#review-queue a`, chromedp.ByQuery),
		chromedp.WaitVisible(`#review-form`, chromedp.ByID),
		chromedp.Click(`#review-form input[name=decision][value=return]`, chromedp.ByQuery),
		chromedp.SendKeys(`#comment`, "请填写领导小组组长", chromedp.ByID),
		chromedp.Click(`#decide`, chromedp.ByID), chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery))
	waitText(t, b, `h1`, "已退回")

	b.signIn("qiye-team")
	b.run("read the comment", chinese, chromedp.Navigate(subURL), chromedp.WaitVisible(`#return-comment`, chromedp.ByID))
	waitText(t, b, `#return-comment`, "请填写领导小组组长")
	b.run("complete and resubmit", chromedp.SendKeys(`#in-f-leader`, "李总", chromedp.ByID),
		chromedp.Click(`#submit-submission`, chromedp.ByID), chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery))
	waitText(t, b, `h1`, "审核中")

	for _, user := range []string{"county-sup", "city-sup"} {
		b.signIn(user)
		b.run(user+" accepts", chinese, chromedp.Navigate(subURL), chromedp.WaitVisible(`#review-form`, chromedp.ByID),
			chromedp.Click(`#decide`, chromedp.ByID), chromedp.WaitVisible(`.notice.ok`, chromedp.ByQuery))
	}
	waitText(t, b, `h1`, "已通过")
	waitText(t, b, `#submission-history`, "通过")

	var encoded string
	b.run("download the roll-up", chromedp.Navigate(b.base+"/supervision?campaign="+c.ID), chromedp.WaitVisible(`#campaign-progress`, chromedp.ByID),
		chromedp.Evaluate(`fetch(document.getElementById("rollup-export").href).then(r => r.arrayBuffer()).then(b => {
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
	rows, err := book.GetRows(book.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	// Title, headings, the enterprise, the totals: sent 1 of 1, none
	// late or returned, 1 accepted.
	if len(rows) != 4 || rows[2][0] != "某国有企业" || strings.Join(rows[3][4:9], ",") != "1,1,0,0,1" {
		t.Fatalf("roll-up: %q", rows)
	}
}

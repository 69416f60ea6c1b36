package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// TestBrowserDocumentWalk: in a real browser, a procedure registered by
// the seed template is written and submitted by the ISMS team, approved
// and distributed to a department by the management representative,
// acknowledged by an employee of that department, and printed with its
// controlled header; the acknowledgement is filed as a record.
func TestBrowserDocumentWalk(t *testing.T) {
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
	res, err := svc.Bootstrap(bg, cli, service.BootstrapInput{Organization: isms.Organization{Name: "文件浏览器测试"}, Mode: service.BootstrapOwner,
		Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true, Template: &tpl})
	if err != nil {
		t.Fatal(err)
	}
	org := res.Organization
	depts, err := svc.ListDepartments(bg, cli, isms.ListFilter{OrgID: org.ID, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	deptID := map[string]string{}
	for _, d := range depts {
		deptID[d.Name] = d.ID
	}
	accounts := map[string]string{}
	for _, p := range []struct {
		username, dept string
		role           isms.Role
	}{{"author", "信息安全管理小组", isms.RoleISMSTeam}, {"rep", "信息安全管理小组", isms.RoleManagementRep},
		{"clerk", "行政部", isms.RoleEmployee}} {
		person, err := svc.CreatePerson(bg, cli, isms.Person{OrgID: org.ID, DeptID: deptID[p.dept], Name: p.username, EmployeeNo: "B-" + p.username})
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := svc.CreateAccount(bg, cli, service.NewAccount{OrgID: org.ID, PersonID: person.ID, Username: p.username,
			Password: pw, KeepPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.GrantRole(bg, cli, a.ID, p.role); err != nil {
			t.Fatal(err)
		}
		accounts[p.username] = a.ID
	}
	team := isms.Actor{AccountID: accounts["author"], OrgID: org.ID, Username: "author", Via: "session", Roles: []isms.Role{isms.RoleISMSTeam}}
	docs, err := svc.ListDocuments(bg, team, store.DocFilter{Text: "XX-B-03"})
	if err != nil || len(docs) != 1 {
		t.Fatalf("seed procedure XX-B-03: %d %v", len(docs), err)
	}
	docURL := "/documents/" + docs[0].ID

	site := serveBrowser(t, ctx, svc)
	run, base, signIn := site.run, site.base, site.signIn
	shot := func(name string) {
		var png []byte
		run("screenshot "+name, chromedp.CaptureScreenshot(&png))
		_ = os.WriteFile(filepath.Join(t.ArtifactDir(), name+".png"), png, 0o644)
	}
	signOut := func() {
		t.Helper()
		run("sign out", chromedp.Click(`form[action="/signout"] button`, chromedp.ByQuery), chromedp.WaitVisible("#username", chromedp.ByID))
	}
	// submit clicks a form's button and waits for the next page (the
	// old one is marked, so a notice left on it cannot pass for the new
	// page's) to confirm the save.
	submit := func(sel string) chromedp.Action {
		return chromedp.Tasks{chromedp.Evaluate(`document.body.setAttribute("data-stale", "1")`, nil), chromedp.Click(sel, chromedp.ByQuery),
			chromedp.WaitNotPresent("body[data-stale]", chromedp.ByQuery), chromedp.WaitVisible(".notice.ok", chromedp.ByQuery)}
	}

	// The ISMS team writes the procedure and submits it to the
	// management representative.
	signIn("author")
	run("write", chromedp.Navigate(base+docURL), chromedp.WaitVisible("#edit", chromedp.ByID),
		chromedp.SetValue("#body", "# 目的\n\n规定记录的标识、储存、保护、检索、保管和处置。\n\n# 职责\n\n信息安全管理小组负责记录控制。", chromedp.ByID),
		submit(`#edit button[type=submit]`))
	run("submit", chromedp.SetValue("#reviewer_ids", accounts["rep"], chromedp.ByID),
		submit(`#submit button[type=submit]`))
	signOut()

	// The management representative approves it effective today (so it
	// is published at once) and distributes it to 行政部.
	signIn("rep")
	run("approve", chromedp.Navigate(base+docURL), chromedp.WaitVisible("#approve", chromedp.ByID),
		submit(`#approve button[type=submit]`))
	var publishable bool
	run("publish?", chromedp.Evaluate(`!!document.querySelector('form[action$="/publish"]')`, &publishable))
	if publishable {
		run("publish", submit(`form[action$="/publish"] button`))
	}
	run("distribute", chromedp.WaitVisible("#distribute", chromedp.ByID),
		chromedp.Click(`#distribute input[name=department_ids][value="`+deptID["行政部"]+`"]`, chromedp.ByQuery),
		submit(`#distribute button[type=submit]`))
	shot("document-published")
	signOut()

	// The clerk of 行政部 reads and acknowledges it.
	signIn("clerk")
	run("acknowledge", chromedp.Navigate(base+docURL), chromedp.WaitVisible("#ack", chromedp.ByID),
		submit(`#ack button[type=submit]`), chromedp.WaitNotPresent("#ack", chromedp.ByID))

	// The print view carries the controlled header; Chromium prints it.
	var header string
	var pdf []byte
	run("print", chromedp.Navigate(base+docURL+"/print"), chromedp.WaitVisible("body", chromedp.ByQuery),
		chromedp.Text("#controlled-header", &header, chromedp.ByID),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPrintBackground(true).Do(ctx)
			return err
		}))
	// The approver by name, not by account ID; the status as current.
	for _, want := range []string{"XX-B-03", "A/0", "rep"} {
		if !strings.Contains(header, want) {
			t.Errorf("controlled header %q lacks %q", header, want)
		}
	}
	if !strings.Contains(header, "已发布") && !strings.Contains(header, "Current") || strings.Contains(header, accounts["rep"]) {
		t.Errorf("controlled header %q: status, or approver shown by ID", header)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 5000 {
		t.Fatalf("printed PDF: %d bytes", len(pdf))
	}
	_ = os.WriteFile(filepath.Join(t.ArtifactDir(), "XX-B-03.pdf"), pdf, 0o644)
	run("leave the print view", chromedp.Navigate(base+"/"), chromedp.WaitVisible("main", chromedp.ByQuery))
	signOut()

	// The acknowledgement is on the document and in the records register.
	rep := isms.Actor{AccountID: accounts["rep"], OrgID: org.ID, Username: "rep", Via: "session", Roles: []isms.Role{isms.RoleManagementRep}}
	view, err := svc.Document(bg, rep, docs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if view.Status != isms.DocPublished {
		t.Fatalf("status %s", view.Status)
	}
	recs, err := svc.ListRecords(bg, rep, store.RecordFilter{SourceType: "document", SourceID: docs[0].ID})
	if err != nil || len(recs.Records) != 1 || recs.Records[0].Type.Code != "document_ack" || recs.Records[0].DeptID != deptID["行政部"] {
		t.Fatalf("acknowledgement record: %+v %v", recs.Records, err)
	}
	signIn("rep")
	run("records", chromedp.Navigate(base+"/records"), chromedp.WaitVisible("#records", chromedp.ByID))
	shot("records")
}

package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"openisms/internal/app"
	"openisms/internal/auth"
	"openisms/internal/blob"
	"openisms/internal/export"
	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
	"openisms/internal/web"
)

func TestMain(m *testing.M) { testutil.Main(m) }

// Every key the pages use exists in both languages. Keys built with
// printf are expanded over their known values.
func TestTemplateKeysTranslated(t *testing.T) {
	keyRe := regexp.MustCompile(`"(ui\.[a-z_.]+[a-z_])"`)
	printfRe := regexp.MustCompile(`printf "(ui\.[a-z_.]+)%s"`)
	expand := map[string][]string{
		"ui.approval.":            {"pending", "approved", "rejected", "cancelled"},
		"ui.framework.origin_":    isms.FrameworkOrigins,
		"ui.supervision.kind_":    isms.SupervisionKinds,
		"ui.campaign.status_":     {isms.CampaignDraft, isms.CampaignOpen, isms.CampaignClosed},
		"ui.sub.status_":          isms.SubmissionStatuses,
		"ui.broadcast.kind_":      isms.BroadcastKinds,
		"ui.submission.decision_": {isms.ReviewAccept, isms.ReviewReturn},
		"ui.framework.rel_":       isms.MappingRelations,
		"ui.grant.":               {"pending", "active", "revoked"},
		"ui.task.":                {"open", "done", "skip_requested", "skipped"},
		"ui.kindch.":              {"smtp", "dingtalk", "wecom", "feishu", "webhook"},
		"ui.carries.":             {"escalation", "all"},
		"ui.delivery.":            {"pending", "sent", "failed"},
		"ui.freq.":                {"daily", "weekly", "every_n_days", "monthly", "quarterly", "half_yearly", "yearly", "rrule"},
		"ui.legal.kind_":          isms.LegalKinds,
		"ui.rec.cat_":             isms.RecordCategories,
		"ui.rec.form_":            isms.RecordForms,
		"ui.rec.medium_":          isms.RecordMedia,
		"ui.rec.method_":          isms.DisposalMethods,
		"ui.rec.disp_":            isms.DisposalStatuses,
		"ui.rec.state_":           isms.RecordStates,
		"ui.rec.source_":          {"task", "legal_item", "document", "disposal"},
		"ui.legal.status_":        isms.LegalStatuses,
		"ui.legal.app_":           isms.LegalApplicability,
		"ui.legal.result_":        isms.LegalResults,
		"ui.doc.type_":            isms.DocTypes,
		"ui.doc.status_":          append(slices.Clone(isms.DocStatuses), isms.DocSuperseded),
		"ui.doc.level_":           isms.DocConfidentiality,
		"ui.doc.kind_":            {isms.CommentReview, isms.CommentConsult, isms.CommentReject, isms.CommentApprove},
		"ui.doc.stamp_":           {isms.DocSuperseded, isms.DocObsolete},
		"ui.doc.action_": {"document.create", "document.update", "document.submit", "document.comment", "document.approve",
			"document.reject", "document.publish", "document.revise", "document.review", "document.obsolete",
			"document.distribute", "document.acknowledge", "document.attach"},
		"ui.mlps.cert_step_":      {isms.CertStepStart, isms.CertStepExtend, isms.CertStepIgnore},
		"ui.mlps.":                {"construction_by", "operation_by", "security_by"},
		"ui.asset.strategy_":      isms.ValueStrategies,
		"ui.asset.ev_":            isms.AssetEvents,
		"ui.asset.evst_":          {isms.EventRecorded, isms.EventPending, isms.EventApproved, isms.EventRejected},
		"ui.asset.action_":        {"asset.create", "asset.update", "asset.event", "asset.event_request", "asset.event_applied"},
		"ui.asset.layer_":         {"business", "system", "component"},
		"ui.asset.type_":          isms.AssetTypes,
		"ui.asset.status_":        isms.AssetStatuses,
		"ui.asset.classic_":       {"information", "software", "physical", "services", "people", "intangible"},
		"ui.asset.":               {"confidentiality", "integrity", "availability", "replacement_cost", "importance", "confidentiality_hint", "integrity_hint", "availability_hint"},
		"ui.risk.treat_":          isms.TreatmentOptions,
		"ui.risk.accept_":         {isms.AcceptPending, isms.AcceptAccepted, isms.AcceptRejected},
		"ui.risk.effect_":         {"effective", "partly", "ineffective"},
		"ui.risk.kind_":           {"preventive", "protective"},
		"ui.risk.prio_":           isms.TreatmentPriorities,
		"ui.risk.tstatus_":        isms.TreatmentStatuses,
		"ui.risk.status_":         isms.AssessmentStatuses,
		"ui.risk.method_":         isms.RiskMethodKinds,
		"ui.risk.score_":          {"t", "v", "va", "likelihood", "impact"},
		"ui.risk.vkind_":          {"technical", "management"},
		"ui.risk.change_":         isms.ChangeKinds,
		"ui.risk.table_":          {"l", "f", "r"},
		"ui.risk.combine_":        {isms.CombineSqrt, isms.CombineProduct},
		"ui.risk.rounding_":       {isms.RoundNone, isms.RoundHalfUp, isms.RoundUp},
		"ui.asset.level_":         {"1", "2", "3", "4", "5"},
		"ui.soa.status_":          {isms.SoASubmitted, isms.SoAApproved, isms.SoAReturned},
		"ui.soa.app_":             {"yes", "no", "undecided"},
		"ui.soa.impl_":            isms.ImplStatuses,
		"ui.soa.flag_":            {"review", "no_evidence", "expiring"},
		"ui.soa.reason_":          isms.SoAReasons,
		"ui.soa.link_":            isms.SoALinkKinds,
		"ui.soa.ev_":              {"pending", "valid", "expiring", "expired"},
		"ui.soa.diff_":            {"from", "to"},
		"ui.framework.kind_":      isms.LibraryKinds,
		"ui.framework.kind1_":     isms.LibraryKinds,
		"ui.coverage.state_":      append(slices.Clone(isms.CoverStates), isms.CoverExcluded),
		"ui.objective.title_":     isms.ObjectiveKinds,
		"ui.objective.new_":       isms.ObjectiveKinds,
		"ui.objective.statement_": isms.ObjectiveKinds,
		"ui.objective.dir_":       {isms.AtLeast, isms.AtMost},
		"ui.objective.freq_":      isms.MeasureFrequencies,
		"ui.objective.state_":     isms.ObjectiveStates,
		"ui.objective.status_":    {isms.ObjDraft, isms.ObjSubmitted, isms.ObjApproved, isms.ObjReturned, isms.ObjRetired},
		"ui.soa.field_":           {"applicable", "reasons", "justification", "status", "department", "owner"},
		"ui.settings.": {"password_min_length", "password_min_classes", "password_max_age_days", "admin_password_max_age_days",
			"lockout_threshold", "lockout_minutes", "session_idle_minutes", "session_absolute_hours"},
	}
	keys := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".go")) {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range keyRe.FindAllStringSubmatch(string(b), -1) {
			if !strings.HasSuffix(m[1], ".") {
				keys[m[1]] = true
			}
		}
		for _, m := range printfRe.FindAllStringSubmatch(string(b), -1) {
			vals, ok := expand[m[1]]
			if !ok {
				t.Errorf("printf key %s%%s: add its values to this test", m[1])
			}
			for _, v := range vals {
				keys[m[1]+v] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys; the scan is broken", len(keys))
	}
	for k := range keys {
		for _, lang := range []string{i18n.ZH, i18n.EN} {
			if !i18n.Has(lang, k) {
				t.Errorf("%s: missing %s", lang, k)
			}
		}
	}
}

// site is a running server with an owner and one account per role.
type site struct {
	t     *testing.T
	srv   *httptest.Server
	svc   *service.Service
	root  isms.Organization
	clock *isms.FakeClock
}

const pw = "Web-pages-2026"

func newSite(t *testing.T, st *store.Store) *site {
	t.Helper()
	clock := isms.NewFakeClock(time.Now())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, clock, auth.Hasher{P: auth.TestParams}, log)
	ctx := context.Background()
	cli := isms.CLIActor("test")
	res, err := svc.Bootstrap(ctx, cli, service.BootstrapInput{Organization: isms.Organization{Name: "网页测试单位"},
		Mode: service.BootstrapOwner, Usernames: map[isms.Role]string{isms.RoleOwner: "owner1"},
		Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	rules, _ := svc.SecuritySettings(ctx, cli, res.Organization.ID)
	rules.RequireAdminTOTP = false // the browser test covers enrolment
	if _, err := svc.UpdateSecuritySettings(ctx, cli, res.Organization.ID, rules); err != nil {
		t.Fatal(err)
	}
	for _, r := range isms.GrantableRoles {
		a, _, err := svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: res.Organization.ID, Username: "w-" + strings.ReplaceAll(string(r), "_", "-"),
			Password: pw, KeepPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.GrantRole(ctx, cli, a.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []string{"w-none", "w-target"} {
		if _, _, err := svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: res.Organization.ID, Username: u, Password: pw, KeepPassword: true}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := svc.CreateDepartment(ctx, cli, isms.Department{OrgID: res.Organization.ID, Name: "信息中心"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreatePerson(ctx, cli, isms.Person{OrgID: res.Organization.ID, DeptID: d.ID, Name: "张伟", EmployeeNo: "W001"}); err != nil {
		t.Fatal(err)
	}
	svc.SetBlobs(blob.Local{Dir: t.TempDir()})
	srv := httptest.NewServer(app.Handler(svc, log))
	t.Cleanup(srv.Close)
	return &site{t: t, srv: srv, svc: svc, root: res.Organization, clock: clock}
}

type browser struct {
	s *site
	c *http.Client
}

func (s *site) signIn(username string) *browser {
	s.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{s: s, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	status, _, loc := b.post("/signin", url.Values{"username": {username}, "password": {pw}})
	if status != http.StatusSeeOther || loc != "/" {
		s.t.Fatalf("sign in %s: %d → %s", username, status, loc)
	}
	return b
}

func (b *browser) get(path, lang string) (int, string) {
	b.s.t.Helper()
	req, _ := http.NewRequest("GET", b.s.srv.URL+path, nil)
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func (b *browser) upload(path, filename string, content []byte) (int, string) {
	b.s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", b.s.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept-Language", "zh-CN")
	res, err := b.c.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.s.t.Helper()
	res, err := b.c.PostForm(b.s.srv.URL+path, form)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header.Get("Location")
}

var untranslated = regexp.MustCompile(`\b(ui|error|field|role_name|action_name)\.[a-z_]+\.?[a-z_]*\b`)

// sampleDocuments registers a draft and publishes a procedure (with a
// revision under way), for the pages that show them.
func sampleDocuments(t *testing.T, s *site) (draft, published string) {
	t.Helper()
	ctx := context.Background()
	actor := func(username string, role isms.Role) isms.Actor {
		a, err := s.svc.AccountByUsername(ctx, isms.CLIActor("t"), username)
		if err != nil {
			t.Fatal(err)
		}
		return isms.Actor{AccountID: a.ID, OrgID: s.root.ID, Username: username, Via: "session", Roles: []isms.Role{role}}
	}
	team, rep := actor("w-isms-team", isms.RoleISMSTeam), actor("w-management-rep", isms.RoleManagementRep)
	d, err := s.svc.CreateDocument(ctx, team, service.DocInput{Document: isms.Document{Code: "XX-A-04.06", Title: "口令控制策略",
		Type: isms.DocPolicy}, Body: "# 口令\n\n| 项 | 要求 |\n|---|---|\n| 长度 | ≥ 8 |"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.svc.CreateDocument(ctx, team, service.DocInput{Document: isms.Document{Code: "XX-B-02", Title: "文件控制程序",
		Type: isms.DocProcedure}, Body: "文件的编制、评审、批准和发放。"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.SubmitDocument(ctx, team, p.ID, service.Submission{Reviewers: []string{rep.AccountID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.ApproveDocument(ctx, rep, p.ID, service.DocApproval{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.DistributeDocument(ctx, team, p.ID, service.Distribution{Roles: []isms.Role{isms.RoleEmployee}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.ReviseDocument(ctx, team, p.ID, service.Revision{Note: "年度修订"}); err != nil {
		t.Fatal(err)
	}
	return d.ID, p.ID
}

// Every page renders in both languages for the owner, with no raw
// message keys and the security headers set.
func TestEveryPageRenders(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		b := s.signIn("owner1")
		acct, _ := s.svc.AccountByUsername(context.Background(), isms.CLIActor("t"), "w-employee")
		people, _ := s.svc.ListPeople(context.Background(), isms.CLIActor("t"), isms.ListFilter{OrgID: s.root.ID})
		draft, published := sampleDocuments(t, s)
		pages := []string{"/", "/organizations", "/departments", "/people", "/people?q=%E5%BC%A0", "/people?sort=employee_no", "/people/new",
			"/people/" + people[0].ID, "/departments/" + people[0].DeptID, "/accounts", "/accounts/" + acct.ID, "/approvals", "/settings", "/audit", "/me", "/password", "/me/totp",
			"/tasks", "/tasks/board", "/tasks/department", "/calendar", "/calendar?month=2024-02", "/obligations", "/inbox", "/settings/channels", "/matrix", "/matrix/history", "/legal", "/legal?due=1&kind=law",
			"/documents", "/documents?q=%E5%8F%A3%E4%BB%A4&type=policy", "/documents/" + draft, "/documents/" + published,
			"/documents/" + published + "/print", "/documents/" + draft + "/print",
			"/isms", "/records", "/records?state=due&category=a", "/records/types", "/records/disposals", "/records/disposals?status=done"}
		for _, lang := range []string{"zh-CN", "en"} {
			for _, p := range pages {
				status, body := b.get(p, lang)
				if status != http.StatusOK {
					t.Errorf("%s (%s): %d", p, lang, status)
					continue
				}
				if m := untranslated.FindString(stripTags(body)); m != "" {
					t.Errorf("%s (%s): untranslated key %q", p, lang, m)
				}
				if !strings.Contains(body, `lang="`+lang+`"`) {
					t.Errorf("%s: not in %s", p, lang)
				}
			}
		}
		// The print view's page margins: code, version, status, page x of y.
		if status, css := b.get("/documents/"+published+"/print.css", "zh-CN"); status != http.StatusOK ||
			!strings.Contains(css, `"XX-B-02  文件控制程序"`) || !strings.Contains(css, `"版本 A/0 · 现行"`) ||
			!strings.Contains(css, `"第 " counter(page) " 页 / 共 " counter(pages) " 页"`) {
			t.Errorf("print.css: %d\n%s", status, css)
		}
		res, err := b.c.Get(s.srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("security headers: %v", res.Header)
		}
		// The workbench counts: 1 person, 1 department, 1 organization,
		// and the accounts made above (owner, one per role, w-none, w-target).
		_, home := b.get("/", "en")
		for _, want := range []string{`<div class="n">1</div><div class="l">People`, fmt.Sprintf(`<div class="n">%d</div><div class="l">Accounts`, len(isms.GrantableRoles)+3)} {
			if !strings.Contains(home, want) {
				t.Errorf("workbench lacks %s", want)
			}
		}
		if status, body := b.get("/tasks.xlsx?view=all", ""); status != http.StatusOK || !strings.HasPrefix(body, "PK") {
			t.Errorf("tasks export: %d", status)
		}
		if status, body := b.get("/audit.csv", ""); status != http.StatusOK || !strings.HasPrefix(body, "\ufeffseq,at,") {
			t.Errorf("csv export: %d %.80q", status, body)
		}
	})
}

// stripTags keeps the visible text and attribute values out of the way of
// the untranslated-key check (CSS class names look like keys).
func stripTags(s string) string {
	return regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, " ")
}

// uiMatrix says which roles may open each page; "any" is every signed-in
// account, "public" is everyone. A page missing here fails the test.
var uiMatrix = map[string][]string{
	"GET /setup": {"public"}, "POST /setup": {"public"}, "GET /signin": {"public"}, "POST /signin": {"public"},
	"POST /signout": {"any"}, "GET /password": {"any"}, "POST /password": {"any"},
	"GET /me/totp": {"any"}, "POST /me/totp": {"any"},
	"POST /accounts/{id}/totp/reset":                {"security_admin", "owner"},
	"POST /accounts/{id}/password":                  {"security_admin", "owner"},
	"POST /accounts/{id}/disable":                   {"security_admin", "owner"},
	"POST /organizations":                           {"system_admin", "owner"},
	"GET /supervision/links":                        {"system_admin", "owner"},
	"GET /supervision":                              {"supervisor", "owner"},
	"GET /supervision/organizations/{id}":           {"supervisor", "owner"},
	"POST /supervision/links":                       {"system_admin", "owner"},
	"POST /supervision/links/{id}/delete":           {"system_admin", "owner"},
	"GET /campaigns":                                {"management_rep", "isms_team", "supervisor", "owner"},
	"GET /supervision/export":                       {"supervisor", "owner"},
	"POST /campaigns/{id}/urge":                     {"supervisor", "owner"},
	"GET /broadcasts":                               {"any"},
	"POST /broadcasts":                              {"supervisor", "owner"},
	"GET /broadcasts/{id}":                          {"any"},
	"GET /campaigns/{id}/requirements/{rid}/export": {"supervisor", "owner"},
	"GET /campaigns/new":                            {"supervisor", "owner"},
	"POST /campaigns":                               {"supervisor", "owner"},
	"GET /campaigns/{id}":                           {"supervisor", "owner"},
	"GET /campaigns/{id}/edit":                      {"supervisor", "owner"},
	"POST /campaigns/{id}":                          {"supervisor", "owner"},
	"POST /campaigns/{id}/audience":                 {"supervisor", "owner"},
	"POST /campaigns/{id}/open":                     {"supervisor", "owner"},
	"POST /campaigns/{id}/close":                    {"supervisor", "owner"},
	"POST /campaigns/{id}/reopen":                   {"supervisor", "owner"},
	"POST /campaigns/{id}/reopen-for":               {"supervisor", "owner"},
	"GET /submissions/{id}":                         {"management_rep", "isms_team", "owner"},
	"POST /submissions/{id}":                        {"management_rep", "isms_team", "owner"},
	"POST /submissions/{id}/files":                  {"management_rep", "isms_team", "owner"},
	"POST /submissions/{id}/review":                 {"supervisor", "owner"},
	"GET /liaison":                                  {"management_rep", "isms_team", "owner"},
	"POST /liaison":                                 {"management_rep", "isms_team", "owner"},
	"GET /departments/{id}":                         structure,
	"POST /departments/{id}":                        {"management_rep", "isms_team", "system_admin", "owner"},
	"POST /departments/{id}/archive":                {"management_rep", "isms_team", "system_admin", "owner"},
	"GET /{$}":                                      {"any"},
	"GET /organizations":                            {"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "employee", "internal_auditor", "system_admin", "security_admin", "supervisor", "owner"},
	"GET /departments":                              structure,
	"POST /departments":                             {"management_rep", "isms_team", "system_admin", "owner"},
	"GET /people":                                   structure,
	"GET /people/new":                               {"management_rep", "isms_team", "owner"},
	"POST /people":                                  {"management_rep", "isms_team", "owner"},
	"GET /people/{id}":                              structure,
	"POST /people/{id}":                             {"management_rep", "isms_team", "owner"},
	"POST /people/{id}/archive":                     {"management_rep", "isms_team", "owner"},
	"GET /accounts":                                 {"security_admin", "owner"},
	"POST /accounts":                                {"security_admin", "owner"},
	"GET /accounts/{id}":                            {"security_admin", "owner"},
	"POST /accounts/{id}/roles":                     {"security_admin", "owner"},
	"POST /accounts/{id}/roles/{role}/revoke":       {"security_admin", "owner"},
	"GET /approvals":                                {"any"},
	"POST /approvals/{id}":                          {"top_manager"},
	"GET /settings":                                 {"system_admin", "owner"},
	"POST /settings":                                {"system_admin", "owner"},
	"GET /audit":                                    {"audit_admin", "owner"},
	"GET /audit.csv":                                {"audit_admin", "owner"},
	"GET /tasks":                                    {"any"}, "GET /tasks/board": {"top_manager", "deputy_gm", "management_rep", "isms_team", "internal_auditor", "owner"},
	"GET /tasks/{id}":           {"top_manager", "deputy_gm", "management_rep", "isms_team", "internal_auditor", "owner"},
	"POST /tasks/{id}/complete": {"isms_team"}, "POST /tasks/{id}/skip": {"isms_team"},
	"GET /calendar": {"any"}, "GET /obligations": {"any"}, "POST /obligations": {"management_rep", "isms_team", "owner"},
	"POST /obligations/defaults": {"management_rep", "isms_team", "owner"}, "GET /obligations/{id}": {"any"},
	"GET /inbox": {"any"}, "POST /inbox/read": {"any"},
	"GET /settings/channels": {"system_admin", "owner"}, "POST /settings/channels": {"system_admin", "owner"},
	"POST /settings/channels/{id}/test": {"system_admin", "owner"}, "POST /settings/channels/{id}/enable": {"system_admin", "owner"},
	"POST /me/notify":   {"any"},
	"POST /me/calendar": {"any"}, "POST /me/calendar/revoke": {"any"}, "GET /ical/{token}": {"public"},
	"GET /tasks.xlsx":       {"any"},
	"GET /tasks/department": {"any"}, "POST /obligations/{id}": {"management_rep", "isms_team", "owner"}, "POST /obligations/{id}/active": {"management_rep", "isms_team", "owner"},
	"POST /tasks/{id}/attachments": {"isms_team"},
	"GET /attachments/{id}":        {"top_manager", "deputy_gm", "management_rep", "isms_team", "internal_auditor", "owner"},
	"GET /me":                      {"any"},
	"POST /me/language":            {"any"},
	"GET /matrix":                  structure, "GET /matrix/history": structure, "GET /matrix.xlsx": structure,
	"POST /matrix/rows":   {"management_rep", "isms_team", "owner"},
	"POST /matrix/cells":  {"management_rep", "isms_team", "owner"},
	"POST /matrix/import": {"management_rep", "isms_team", "owner"},
	"GET /legal":          structure, "GET /legal/{id}": structure,
	"POST /legal":                                       {"management_rep", "isms_team", "owner"},
	"POST /legal/defaults":                              {"management_rep", "isms_team", "owner"},
	"POST /legal/{id}":                                  {"management_rep", "isms_team", "owner"},
	"POST /legal/{id}/evaluations":                      {"management_rep", "isms_team", "owner"},
	"GET /documents":                                    structure,
	"POST /documents":                                   docManagers,
	"POST /documents/settings":                          {"management_rep", "isms_team", "owner"},
	"GET /documents/{id}":                               structure,
	"GET /documents/{id}/print":                         structure,
	"GET /documents/{id}/print.css":                     structure,
	"POST /documents/{id}":                              docManagers,
	"POST /documents/{id}/files":                        docManagers,
	"POST /documents/{id}/submit":                       docManagers,
	"POST /documents/{id}/comments":                     docManagers,
	"POST /documents/{id}/approve":                      {"management_rep"}, // a procedure's approving role
	"POST /documents/{id}/reject":                       {"management_rep"},
	"POST /documents/{id}/publish":                      docManagers,
	"POST /documents/{id}/revise":                       docManagers,
	"POST /documents/{id}/review":                       docManagers,
	"POST /documents/{id}/obsolete":                     docManagers,
	"POST /documents/{id}/distribute":                   docManagers,
	"POST /documents/{id}/acknowledge":                  structure,
	"GET /isms":                                         structure,
	"POST /isms":                                        {"management_rep", "isms_team", "owner"},
	"GET /records":                                      recordViewers,
	"GET /records.xlsx":                                 recordViewers,
	"POST /records":                                     recordManagers,
	"POST /records/hold":                                recordManagers,
	"POST /records/release":                             recordManagers,
	"GET /records/{id}":                                 recordViewers,
	"GET /records/types":                                recordViewers,
	"POST /records/types":                               recordManagers,
	"POST /records/types/defaults":                      recordManagers,
	"GET /records/types/{id}":                           recordViewers,
	"POST /records/types/{id}":                          recordManagers,
	"POST /records/types/{id}/hold":                     recordManagers,
	"POST /records/types/{id}/release":                  recordManagers,
	"GET /records/disposals":                            recordViewers,
	"POST /records/disposals":                           recordManagers,
	"GET /records/disposals/{id}":                       recordViewers,
	"POST /records/disposals/{id}/approve":              {"top_manager", "management_rep", "owner"},
	"POST /records/disposals/{id}/reject":               {"top_manager", "management_rep", "owner"},
	"POST /records/disposals/{id}/execute":              recordManagers,
	"GET /assets":                                       assetViewers,
	"GET /assets/important":                             assetViewers,
	"GET /assets/computers":                             assetViewers,
	"GET /assets.xlsx":                                  assetViewers,
	"GET /assets/new":                                   assetManagers,
	"POST /assets":                                      assetManagers,
	"GET /assets/import":                                assetManagers,
	"POST /assets/import":                               assetManagers,
	"GET /assets/template.xlsx":                         assetViewers,
	"GET /assets/settings":                              assetViewers,
	"POST /assets/settings":                             {"management_rep", "isms_team", "owner"},
	"GET /assets/{id}":                                  assetViewers,
	"POST /assets/{id}":                                 assetManagers,
	"POST /assets/{id}/events":                          assetManagers,
	"GET /risks":                                        riskViewers,
	"GET /frameworks":                                   fwViewers,
	"POST /frameworks/import":                           fwManagers,
	"POST /frameworks/mappings/import":                  fwManagers,
	"POST /frameworks/{id}/texts":                       fwManagers,
	"GET /frameworks/{id}":                              fwViewers,
	"GET /frameworks/{id}/export":                       fwViewers,
	"GET /requirements/{id}":                            fwViewers,
	"GET /library/{id}":                                 fwViewers,
	"POST /requirements/{id}/title":                     fwManagers,
	"GET /soa":                                          soaViewers,
	"POST /soa/transition":                              soaManagers,
	"GET /soa/{id}":                                     soaViewers,
	"POST /soa/{id}/submit":                             soaManagers,
	"GET /soa/{id}/export":                              soaViewers,
	"GET /soa/{id}/print":                               soaViewers,
	"GET /soa/{id}/diff":                                soaViewers,
	"GET /soa/{id}/versions/{vid}":                      soaViewers,
	"POST /soa/{id}/versions/{vid}/decide":              {"top_manager"},
	"GET /soa-versions/{id}":                            soaViewers,
	"GET /requirements/{id}/soa":                        soaViewers,
	"POST /requirements/{id}/soa":                       soaManagers,
	"POST /requirements/{id}/soa/evidence":              soaManagers,
	"POST /requirements/{id}/soa/evidence/{eid}/delete": soaManagers,
	"GET /measures":                                     {"any"}, // the owner's own; none for others
	"GET /measures/new":                                 soaManagers,
	"POST /measures":                                    soaManagers,
	"GET /measures/{id}":                                soaViewers,
	"POST /measures/{id}":                               soaManagers,
	"POST /measures/{id}/delete":                        soaManagers,
	"POST /measures/{id}/evidence":                      soaManagers,
	"POST /measures/{id}/evidence/{eid}/delete":         soaManagers,
	"GET /coverage":                                     soaViewers,
	"GET /mlps":                                         mlpsViewers,
	"GET /mlps/new":                                     mlpsManagers,
	"POST /mlps/settings":                               mlpsManagers,
	"POST /mlps":                                        mlpsManagers,
	"GET /mlps/{id}":                                    mlpsViewers,
	"POST /mlps/{id}":                                   mlpsManagers,
	"POST /mlps/{id}/assets":                            mlpsManagers,
	"POST /mlps/{id}/assets/{asset}/delete":             mlpsManagers,
	"POST /mlps/{id}/evidence":                          mlpsManagers,
	"POST /mlps/{id}/evidence/{eid}/delete":             mlpsManagers,
	"POST /mlps/{id}/gradings":                          mlpsManagers,
	"GET /gradings/{id}":                                mlpsViewers,
	"POST /gradings/{id}":                               mlpsManagers,
	"POST /gradings/{id}/submit":                        mlpsManagers,
	"POST /gradings/{id}/discard":                       mlpsManagers,
	"POST /gradings/{id}/review":                        mlpsManagers,
	"POST /gradings/{id}/authority":                     mlpsManagers,
	"POST /gradings/{id}/filings":                       mlpsManagers,
	"POST /gradings/{id}/evidence":                      mlpsManagers,
	"POST /gradings/{id}/materials":                     mlpsManagers,
	"GET /gradings/{id}/report":                         mlpsViewers,
	"GET /gradings/{id}/report.docx":                    mlpsViewers,
	"GET /gradings/{id}/form":                           mlpsViewers,
	"POST /gradings/{id}/form":                          mlpsManagers,
	"GET /gradings/{id}/form.docx":                      mlpsViewers,
	"GET /gradings/{id}/form.xlsx":                      mlpsViewers,
	"POST /gradings/{id}/evidence/{eid}/delete":         mlpsManagers,
	"POST /filings/{id}/decide":                         mlpsManagers,
	"POST /filings/{id}/certificate":                    mlpsManagers,
	"GET /agencies":                                     mlpsViewers,
	"POST /agencies":                                    mlpsManagers,
	"POST /agencies/{id}":                               mlpsManagers,
	"POST /mlps/{id}/evaluations":                       mlpsManagers,
	"GET /evaluations/{id}":                             mlpsViewers,
	"POST /evaluations/{id}":                            mlpsManagers,
	"POST /evaluations/{id}/rectifications":             mlpsManagers,
	"POST /rectifications/{id}/fix":                     mlpsManagers,
	"POST /rectifications/{id}/verify":                  mlpsManagers,
	"POST /mlps/{id}/self-assessments":                  mlpsManagers,
	"GET /self-assessments/{id}":                        mlpsViewers,
	"POST /self-assessments/{id}":                       mlpsManagers,
	"POST /self-assessments/{id}/close":                 mlpsManagers,
	"GET /self-assessments/{id}/export":                 mlpsViewers,
	"GET /self-assessments/{id}/items/{ref}":            mlpsViewers,
	"POST /self-assessments/{id}/items/{ref}":           mlpsManagers,
	"POST /self-assessments/{id}/items/{ref}/evidence":  mlpsManagers,
	"POST /self-assessments/{id}/items/{ref}/evidence/{eid}/delete": mlpsManagers,
	"GET /objectives":                           {"any"}, // the owner's own; none for others
	"GET /objectives/new":                       soaManagers,
	"POST /objectives":                          soaManagers,
	"GET /objectives/{id}":                      soaViewers,
	"POST /objectives/{id}/retire":              soaManagers,
	"POST /objectives/{id}/delete":              soaManagers,
	"POST /objectives/{id}":                     soaManagers,
	"POST /objectives/{id}/submit":              soaManagers,
	"POST /objectives/{id}/measurements":        soaManagers,
	"GET /risks/{id}":                           riskViewers,
	"GET /risks.xlsx":                           riskViewers,
	"GET /risks/report":                         riskViewers,
	"GET /risks/report.xlsx":                    riskViewers,
	"GET /assessments":                          riskViewers,
	"POST /assessments":                         riskManagers,
	"GET /assessments/{id}":                     riskViewers,
	"POST /assessments/{id}":                    riskManagers,
	"POST /assessments/{id}/status":             riskManagers,
	"POST /assessments/{id}/risks":              riskManagers,
	"POST /risks/changes":                       riskManagers,
	"GET /risks/plan":                           riskViewers,
	"POST /risks/{id}":                          riskManagers,
	"POST /risks/{id}/acceptance":               riskManagers,
	"POST /risks/{id}/treatments":               riskManagers,
	"POST /risks/{id}/treatments/{item}":        riskManagers,
	"GET /risks/method":                         riskViewers,
	"POST /risks/method":                        riskManagers,
	"GET /risks/catalogs":                       riskViewers,
	"POST /risks/catalogs/threats":              riskManagers,
	"POST /risks/catalogs/threats/{id}":         riskManagers,
	"POST /risks/catalogs/vulnerabilities":      riskManagers,
	"POST /risks/catalogs/vulnerabilities/{id}": riskManagers,
}

var (
	recordViewers  = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "owner"}
	recordManagers = []string{"management_rep", "isms_team", "owner"}
	assetViewers   = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "system_admin", "owner"}
	assetManagers  = []string{"management_rep", "isms_team", "system_admin", "owner"}
	riskViewers    = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "owner"}
	riskManagers   = []string{"management_rep", "isms_team", "owner"}
	fwViewers      = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "system_admin", "owner"}
	fwManagers     = []string{"management_rep", "isms_team", "system_admin", "owner"}
	soaViewers     = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "owner"}
	soaManagers    = []string{"management_rep", "isms_team", "owner"}
	mlpsViewers    = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "system_admin", "owner"}
	mlpsManagers   = []string{"management_rep", "isms_team", "owner"}
)

var docManagers = []string{"management_rep", "isms_team", "dept_head", "owner"}

var structure = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "employee", "internal_auditor", "system_admin", "security_admin", "owner"}

// TestPageAuthorization opens every page as every role: allowed pages
// answer, refused ones answer 403 with a message; a foreign organization's
// records answer 404; a visitor who is not signed in goes to sign-in.
func TestPageAuthorization(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		cli := isms.CLIActor("t")
		people, _ := s.svc.ListPeople(ctx, cli, isms.ListFilter{OrgID: s.root.ID})
		target, _ := s.svc.AccountByUsername(ctx, cli, "w-target")
		wb, err := web.New(s.svc, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		roles := append([]string{"owner", "none"}, func() []string {
			var out []string
			for _, r := range isms.GrantableRoles {
				out = append(out, string(r))
			}
			return out
		}()...)
		browsers := map[string]*browser{}
		for _, r := range roles {
			u := "w-" + strings.ReplaceAll(r, "_", "-")
			if r == "owner" {
				u = "owner1"
			}
			browsers[r] = s.signIn(u)
		}
		var victims []string
		obl, err := s.svc.CreateObligation(ctx, isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}, isms.Obligation{
			TitleZH: "页面职责", OwnerRole: isms.RoleISMSTeam, Schedule: isms.Schedule{Frequency: isms.FreqMonthly, Start: "2026-01-01"}})
		if err != nil {
			t.Fatal(err)
		}
		obligationID := obl.ID
		ch, err := s.svc.CreateChannel(ctx, isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}, service.NewChannel{Kind: "webhook",
			Name: "页面", Config: notify.Config{URL: "https://hooks.example.cn/x"}})
		if err != nil {
			t.Fatal(err)
		}
		channelID := ch.ID
		atask, err := s.svc.CreateTask(ctx, isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}, service.NewTask{
			TitleZH: "附件任务", AssigneeRole: isms.RoleISMSTeam, DueAt: s.clock.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		att, err := s.svc.AttachToTask(ctx, isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}, atask.ID, "记录.txt", strings.NewReader("内容"))
		if err != nil {
			t.Fatal(err)
		}
		attachmentID := att.ID
		mrow, err := s.svc.AddMatrixRow(ctx, isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}, "A.5", "信息安全策略", "")
		if err != nil {
			t.Fatal(err)
		}
		legal, err := s.svc.CreateLegal(ctx, isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}, isms.LegalItem{Kind: "law", Title: "页面法"})
		if err != nil {
			t.Fatal(err)
		}
		// A published procedure: the management representative approves it.
		actorNamed := func(username string, role isms.Role) isms.Actor {
			a, err := s.svc.AccountByUsername(ctx, cli, username)
			if err != nil {
				t.Fatal(err)
			}
			return isms.Actor{AccountID: a.ID, OrgID: s.root.ID, Username: username, Via: "session", Roles: []isms.Role{role}}
		}
		team, rep := actorNamed("w-isms-team", isms.RoleISMSTeam), actorNamed("w-management-rep", isms.RoleManagementRep)
		doc, err := s.svc.CreateDocument(ctx, team, service.DocInput{Document: isms.Document{Code: "W-01", Title: "页面程序",
			Type: isms.DocProcedure}, Body: "正文"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.SubmitDocument(ctx, team, doc.ID, service.Submission{Reviewers: []string{rep.AccountID}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.ApproveDocument(ctx, rep, doc.ID, service.DocApproval{}); err != nil {
			t.Fatal(err)
		}
		// A record past retention in a pending disposal, and its type.
		orgCLI := isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}
		rtype, err := s.svc.CreateRecordType(ctx, orgCLI, isms.RecordType{Code: "page_log", NameZH: "页面记录", Category: "b",
			Form: "logbook", RetentionMonths: 12})
		if err != nil {
			t.Fatal(err)
		}
		rec, err := s.svc.RegisterRecord(ctx, orgCLI, isms.Record{TypeID: rtype.ID, Title: "2020 年登记簿", RecordDate: "2020-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		disp, err := s.svc.RequestDisposal(ctx, orgCLI, isms.DisposalRequest{RecordIDs: []string{rec.ID}, Method: "shred"})
		if err != nil {
			t.Fatal(err)
		}
		asset, err := s.svc.CreateAsset(ctx, orgCLI, isms.Asset{Code: "W-PC-01", Name: "页面电脑", Type: "hardware", C: 3, I: 3, A: 3})
		if err != nil {
			t.Fatal(err)
		}
		assessment, err := s.svc.SaveAssessment(ctx, orgCLI, "", isms.Assessment{Title: "页面评估"})
		if err != nil {
			t.Fatal(err)
		}
		threats, vulns, _ := s.svc.RiskCatalogs(ctx, orgCLI)
		risk, err := s.svc.SaveRisk(ctx, orgCLI, assessment.ID, "", isms.Risk{AssetID: asset.ID, ThreatID: threats[0].ID, VulnID: vulns[0].ID, T: 3, V: 3, Va: 3})
		if err != nil {
			t.Fatal(err)
		}
		fw, err := s.svc.ImportFramework(ctx, orgCLI, service.FrameworkImport{FileName: "w.yaml", Code: "PAGE"},
			strings.NewReader("objects:\n  threats:\n    - {urn: \"p:t:1\", ref_id: T.1, name: Page threat}\n  framework:\n"+
				"    ref_id: PAGE\n    requirement_nodes:\n      - {urn: \"p:1\", ref_id: P.1, name: Page, assessable: true, threats: [\"p:t:1\"]}\n"))
		if err != nil {
			t.Fatal(err)
		}
		_, fwNodes, err := s.svc.Framework(ctx, orgCLI, fw.Framework.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, fwLibrary, err := s.svc.LibraryObjects(ctx, orgCLI, fw.Framework.ID, "")
		if err != nil || len(fwLibrary) != 1 {
			t.Fatal(fwLibrary, err)
		}
		yes := true
		if _, err := s.svc.SaveSoARow(ctx, orgCLI, fwNodes[0].ID, service.SoARowInput{Applicable: &yes,
			Reasons: []string{isms.ReasonRisk}}); err != nil {
			t.Fatal(err)
		}
		soaVersion, err := s.svc.SubmitSoA(ctx, team, fw.Framework.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		measure, err := s.svc.SaveMeasure(ctx, orgCLI, "", isms.Measure{Title: "页面措施",
			Requirements: []isms.MeasureReq{{Framework: "PAGE", Ref: "P.1"}}})
		if err != nil {
			t.Fatal(err)
		}
		objective, err := s.svc.SaveObjective(ctx, orgCLI, "", isms.Objective{Statement: "页面目标", Metric: "计数", Target: 1,
			Frequency: "monthly"})
		if err != nil {
			t.Fatal(err)
		}
		if objective, err = s.svc.SubmitObjective(ctx, team, objective.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.DecideApproval(ctx, orgCLI, objective.ApprovalID, true, ""); err != nil {
			t.Fatal(err)
		}
		mlpsObj, err := s.svc.SaveMLPSObject(ctx, orgCLI, "", isms.MLPSObject{Name: "页面系统", Type: isms.MLPSInfoSystem})
		if err != nil {
			t.Fatal(err)
		}
		grading, err := s.svc.StartGrading(ctx, orgCLI, mlpsObj.ID, "2020", "")
		if err != nil {
			t.Fatal(err)
		}
		watched, err := s.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "受监管单位", ParentID: s.root.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: s.root.ID, SupervisedID: watched.ID,
			Kind: isms.SuperviseMLPS}); err != nil {
			t.Fatal(err)
		}
		// Campaigns: one the organization runs over the watched one (whose
		// liaison registration it has to review), one a body above runs
		// over the organization.
		upper, err := s.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "上级协调小组"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: upper.ID, SupervisedID: s.root.ID,
			Kind: isms.SuperviseMLPS}); err != nil {
			t.Fatal(err)
		}
		campaignDay := s.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		runCampaign := func(owner isms.Actor, member string) (isms.Campaign, isms.Submission) {
			c, err := s.svc.CreateCampaign(ctx, owner, isms.Campaign{Title: "联络员登记",
				Phases:       []isms.CampaignPhase{{ID: "p", Name: "登记", StartsOn: campaignDay, EndsOn: isms.AddDays(campaignDay, 30)}},
				Requirements: []isms.Requirement{{PhaseID: "p", TypeCode: "liaison", DueOn: isms.AddDays(campaignDay, 10)}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.svc.SetCampaignAudience(ctx, owner, c.ID, service.Audience{OrgIDs: []string{member}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.svc.OpenCampaign(ctx, owner, c.ID); err != nil {
				t.Fatal(err)
			}
			v, err := s.svc.CampaignFor(ctx, owner, c.ID)
			if err != nil || len(v.Submissions) != 1 {
				t.Fatalf("campaign fixture: %v", err)
			}
			return c, v.Submissions[0]
		}
		campaign, watchedSub := runCampaign(orgCLI, watched.ID)
		watchedCLI := isms.Actor{OrgID: watched.ID, OrgPath: watched.Path, Username: "cli:t", Via: "cli"}
		if _, err := s.svc.SaveSubmission(ctx, watchedCLI, watchedSub.ID, map[string]any{"name": "联络员", "post": "科长",
			"phone": "13800000000"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.SubmitSubmission(ctx, watchedCLI, watchedSub.ID); err != nil {
			t.Fatal(err)
		}
		// A notice from the body above, which every account reads.
		notice, err := s.svc.SendBroadcast(ctx, isms.Actor{OrgID: upper.ID, OrgPath: upper.Path, Username: "cli:t", Via: "cli"},
			isms.Broadcast{Kind: isms.BroadcastNotice, Title: "页面通知"})
		if err != nil {
			t.Fatal(err)
		}
		_, ownSub := runCampaign(isms.Actor{OrgID: upper.ID, OrgPath: upper.Path, Username: "cli:t", Via: "cli"}, s.root.ID)
		selfX, err := s.svc.StartSelfAssessment(ctx, orgCLI, mlpsObj.ID, isms.SelfAssessment{Level: 2})
		if err != nil {
			t.Fatal(err)
		}
		grading, err = s.svc.SaveGrading(ctx, orgCLI, grading.ID, service.GradingInput{Ticks: []isms.HarmTick{
			{Dimension: isms.DimBusiness, Object: isms.HarmSocial, Degree: isms.DegreeGeneral, Justification: "页面"},
			{Dimension: isms.DimService, Object: isms.HarmSocial, Degree: isms.DegreeGeneral, Justification: "页面"}}})
		if err != nil {
			t.Fatal(err)
		}
		filed, err := s.svc.StartGrading(ctx, orgCLI, func() string {
			o, err := s.svc.SaveMLPSObject(ctx, orgCLI, "", isms.MLPSObject{Name: "已定级系统", Type: isms.MLPSInfoSystem})
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}(), "2020", "")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = s.svc.SaveGrading(ctx, orgCLI, filed.ID, service.GradingInput{Ticks: grading.Ticks})
		_, _ = s.svc.SubmitGrading(ctx, orgCLI, filed.ID)
		orgDay := s.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		if filed, err = s.svc.RecordExpertReview(ctx, orgCLI, filed.ID, isms.ExpertReview{Experts: "专家", On: orgDay,
			Conclusion: isms.ReviewAgree}); err != nil {
			t.Fatal(err)
		}
		filing, err := s.svc.SubmitFiling(ctx, orgCLI, filed.ID, isms.Filing{Bureau: "公安局", SubmittedOn: orgDay,
			Template: isms.Form2025})
		if err != nil {
			t.Fatal(err)
		}
		agency, err := s.svc.SaveAgency(ctx, orgCLI, "", isms.Agency{Name: "页面测评机构"})
		if err != nil {
			t.Fatal(err)
		}
		rate := 80.0
		evaluation, err := s.svc.RecordEvaluation(ctx, orgCLI, filed.ObjectID, isms.Evaluation{AgencyID: agency.ID, CompletedOn: orgDay,
			ReportNo: "P-01", Template: isms.EvalTemplate2025, Rate: &rate, Conclusion: "conform"})
		if err != nil {
			t.Fatal(err)
		}
		rectification, err := s.svc.AddRectification(ctx, orgCLI, evaluation.ID, isms.Rectification{Description: "页面问题", Risk: "low"})
		if err != nil {
			t.Fatal(err)
		}
		seq := 0
		r0 := func() string { seq++; return strconv.Itoa(seq) }
		anon := &browser{s: s, c: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
		for _, route := range wb.Routes() {
			allowed, ok := uiMatrix[route]
			if !ok {
				t.Errorf("page %s is not in the matrix", route)
				continue
			}
			if allowed[0] == "public" || route == "POST /signout" {
				continue
			}
			method, path, _ := strings.Cut(route, " ")
			path = strings.NewReplacer("{$}", "", "{role}", "dept_head").Replace(path)
			switch {
			case strings.HasPrefix(path, "/people/{id}"):
				path = strings.Replace(path, "{id}", people[0].ID, 1)
			case strings.HasPrefix(path, "/tasks/{id}"):
				task, err := s.svc.CreateTask(ctx, isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}, service.NewTask{
					TitleZH: "页面任务", AssigneeRole: isms.RoleISMSTeam, DueAt: s.clock.Now().Add(time.Hour)})
				if err != nil {
					t.Fatal(err)
				}
				path = strings.Replace(path, "{id}", task.ID, 1)
			case strings.HasPrefix(path, "/attachments/{id}"):
				path = strings.Replace(path, "{id}", attachmentID, 1)
			case strings.HasPrefix(path, "/obligations/{id}"):
				path = strings.Replace(path, "{id}", obligationID, 1)
			case strings.HasPrefix(path, "/settings/channels/{id}"):
				path = strings.Replace(path, "{id}", channelID, 1)
			case strings.HasPrefix(path, "/departments/{id}"):
				path = strings.Replace(path, "{id}", people[0].DeptID, 1)
			case strings.HasPrefix(path, "/legal/{id}"):
				path = strings.Replace(path, "{id}", legal.ID, 1)
			case strings.HasPrefix(path, "/records/types/{id}"):
				path = strings.Replace(path, "{id}", rtype.ID, 1)
			case strings.HasPrefix(path, "/records/disposals/{id}"):
				path = strings.Replace(path, "{id}", disp.ID, 1)
			case strings.HasPrefix(path, "/records/{id}"):
				path = strings.Replace(path, "{id}", rec.ID, 1)
			case strings.HasPrefix(path, "/documents/{id}"):
				path = strings.Replace(path, "{id}", doc.ID, 1)
			case strings.HasPrefix(path, "/assets/{id}"):
				path = strings.Replace(path, "{id}", asset.ID, 1)
			case strings.HasPrefix(path, "/frameworks/{id}"):
				path = strings.Replace(path, "{id}", fw.Framework.ID, 1)
			case strings.HasPrefix(path, "/soa-versions/{id}"):
				path = strings.Replace(path, "{id}", soaVersion.ID, 1)
			case strings.HasPrefix(path, "/soa/{id}"):
				path = strings.NewReplacer("{id}", fw.Framework.ID, "{vid}", soaVersion.ID).Replace(path)
			case strings.HasPrefix(path, "/requirements/{id}"):
				path = strings.Replace(path, "{id}", fwNodes[0].ID, 1)
			case strings.HasPrefix(path, "/library/{id}"):
				path = strings.Replace(path, "{id}", fwLibrary[0].ID, 1)
			case strings.HasPrefix(path, "/measures/{id}"):
				path = strings.Replace(path, "{id}", measure.ID, 1)
			case strings.HasPrefix(path, "/mlps/{id}"):
				path = strings.NewReplacer("{id}", mlpsObj.ID, "{asset}", asset.ID).Replace(path)
			case strings.HasPrefix(path, "/gradings/{id}"):
				path = strings.Replace(path, "{id}", grading.ID, 1)
			case strings.HasPrefix(path, "/filings/{id}"):
				path = strings.Replace(path, "{id}", filing.ID, 1)
			case strings.HasPrefix(path, "/agencies/{id}"):
				path = strings.Replace(path, "{id}", agency.ID, 1)
			case strings.HasPrefix(path, "/evaluations/{id}"):
				path = strings.Replace(path, "{id}", evaluation.ID, 1)
			case strings.HasPrefix(path, "/supervision/organizations/{id}"):
				path = strings.Replace(path, "{id}", watched.ID, 1)
			case strings.HasPrefix(path, "/broadcasts/{id}"):
				path = strings.Replace(path, "{id}", notice.ID, 1)
			case strings.HasPrefix(path, "/campaigns/{id}"):
				path = strings.NewReplacer("{id}", campaign.ID, "{rid}", campaign.Requirements[0].ID).Replace(path)
			case route == "POST /submissions/{id}/review":
				path = strings.Replace(path, "{id}", watchedSub.ID, 1)
			case strings.HasPrefix(path, "/submissions/{id}"):
				path = strings.Replace(path, "{id}", ownSub.ID, 1)
			case strings.HasPrefix(path, "/self-assessments/{id}"):
				path = strings.NewReplacer("{id}", selfX.ID, "{ref}", "L2-PES1-01").Replace(path)
			case strings.HasPrefix(path, "/rectifications/{id}"):
				path = strings.Replace(path, "{id}", rectification.ID, 1)
			case strings.HasPrefix(path, "/objectives/{id}"):
				path = strings.Replace(path, "{id}", objective.ID, 1)
			case strings.HasPrefix(path, "/risks/report"):
				path += "?assessment_id=" + assessment.ID
			case strings.HasPrefix(path, "/assessments/{id}"):
				path = strings.Replace(path, "{id}", assessment.ID, 1)
			case strings.HasPrefix(path, "/risks/catalogs/threats/{id}"):
				path = strings.Replace(path, "{id}", threats[0].ID, 1)
			case strings.HasPrefix(path, "/risks/catalogs/vulnerabilities/{id}"):
				path = strings.Replace(path, "{id}", vulns[0].ID, 1)
			case strings.HasPrefix(path, "/risks/{id}"):
				path = strings.NewReplacer("{id}", risk.ID, "{item}", "0192e4a0-0000-7000-8000-000000000000").Replace(path)
			case strings.HasPrefix(path, "/accounts/{id}"):
				path = strings.Replace(path, "{id}", target.ID, 1)
			case strings.HasPrefix(path, "/approvals/{id}"):
				path = strings.Replace(path, "{id}", "0192e4a0-0000-7000-8000-000000000000", 1)
			}
			status := func(b *browser) int {
				if strings.HasSuffix(route, "/revoke") {
					_, _ = s.svc.GrantRole(ctx, cli, target.ID, isms.RoleDeptHead) // something to revoke
				}
				if method == "GET" {
					st, _ := b.get(path, "")
					return st
				}
				switch route {
				case "POST /mlps/{id}/assets/{asset}/delete":
					if err := s.svc.LinkMLPSAsset(ctx, orgCLI, mlpsObj.ID, isms.MLPSAssetLink{AssetID: asset.ID, Role: "server"}); err != nil {
						t.Fatal(err)
					}
				case "POST /mlps/{id}/evidence/{eid}/delete", "POST /gradings/{id}/evidence/{eid}/delete":
					subject, id := isms.EvidenceMLPSObject, mlpsObj.ID
					if strings.HasPrefix(route, "POST /gradings/") {
						subject, id = isms.EvidenceGrading, grading.ID
					}
					ev, err := s.svc.AddMLPSEvidence(ctx, orgCLI, subject, id, service.EvidenceInput{Title: "拓扑图"}, "t.txt",
						strings.NewReader("图"))
					if err != nil {
						t.Fatal(err)
					}
					path = strings.NewReplacer("{id}", id, "{eid}", ev.ID).Replace(strings.TrimPrefix(route, "POST "))
				case "POST /supervision/links/{id}/delete":
					// Removing is one-way: a fresh link to a fresh organization for each caller.
					sub, err := s.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "被监管单位 " + r0(), ParentID: s.root.ID})
					if err != nil {
						t.Fatal(err)
					}
					l, err := s.svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: s.root.ID, SupervisedID: sub.ID,
						Kind: isms.SuperviseGroup})
					if err != nil {
						t.Fatal(err)
					}
					path = "/supervision/links/" + l.ID + "/delete"
				case "POST /self-assessments/{id}/items/{ref}/evidence/{eid}/delete":
					d, err := s.svc.SelfCheckItem(ctx, orgCLI, selfX.ID, "L2-PES1-01")
					if err != nil {
						t.Fatal(err)
					}
					ev, err := s.svc.AddMLPSEvidence(ctx, orgCLI, isms.EvidenceSelfCheck, d.Check.ID, service.EvidenceInput{Title: "照片"},
						"p.txt", strings.NewReader("照"))
					if err != nil {
						t.Fatal(err)
					}
					path = strings.NewReplacer("{id}", selfX.ID, "{ref}", "L2-PES1-01", "{eid}", ev.ID).Replace(strings.TrimPrefix(route, "POST "))
				case "POST /gradings/{id}/discard":
					o, err := s.svc.SaveMLPSObject(ctx, orgCLI, "", isms.MLPSObject{Name: "待放弃", Type: isms.MLPSDataResource})
					if err != nil {
						t.Fatal(err)
					}
					g, err := s.svc.StartGrading(ctx, orgCLI, o.ID, "2025", "")
					if err != nil {
						t.Fatal(err)
					}
					path = "/gradings/" + g.ID + "/discard"
				}
				if strings.HasSuffix(route, "/evidence/{eid}/delete") && !strings.HasPrefix(route, "POST /mlps/") &&
					!strings.HasPrefix(route, "POST /gradings/") && !strings.HasPrefix(route, "POST /self-assessments/") {
					// Removing is one-way: fresh evidence for each caller.
					ev, err := s.svc.AddSoAEvidence(ctx, orgCLI, fwNodes[0].ID, service.EvidenceInput{Title: "页面证据",
						EffectiveOn: "2026-01-01"}, "e.txt", strings.NewReader("证据"))
					if err != nil {
						t.Fatal(err)
					}
					_, rp, _ := strings.Cut(route, " ")
					path = strings.NewReplacer("{id}", map[bool]string{true: measure.ID, false: fwNodes[0].ID}[strings.HasPrefix(rp, "/measures/")],
						"{eid}", ev.ID).Replace(rp)
				}
				if route == "POST /objectives/{id}/submit" || route == "POST /objectives/{id}/retire" || route == "POST /objectives/{id}/delete" {
					// One-way: a fresh draft for each caller.
					o, err := s.svc.SaveObjective(ctx, orgCLI, "", isms.Objective{Statement: "待提交", Metric: "m", Frequency: "monthly"})
					if err != nil {
						t.Fatal(err)
					}
					path = strings.Replace(strings.TrimPrefix(route, "POST "), "{id}", o.ID, 1)
				}
				if route == "POST /measures/{id}/delete" {
					m, err := s.svc.SaveMeasure(ctx, orgCLI, "", isms.Measure{Title: "待删措施"})
					if err != nil {
						t.Fatal(err)
					}
					path = "/measures/" + m.ID + "/delete"
				}
				if strings.HasSuffix(route, "/disable") {
					// Disabling is one-way: give each caller a fresh account.
					a, _, err := s.svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: s.root.ID, Username: fmt.Sprintf("victim-%d", len(victims)),
						Password: pw, KeepPassword: true})
					if err != nil {
						t.Fatal(err)
					}
					victims = append(victims, a.ID)
					path = "/accounts/" + a.ID + "/disable"
				}
				st, _, _ := b.post(path, url.Values{"role": {"dept_head"}, "language": {"en"}, "decision": {"approve"}, "name": {"信息中心"},
					"evidence": {"完成"}, "reason": {"不需要"}, "title": {"页面措施"}, "row": {mrow.ID}, "department": {people[0].DeptID}, "mark": {"▲"}})
				return st
			}
			if st := status(anon); st != http.StatusSeeOther {
				t.Errorf("%s anonymous: %d, want a redirect to sign-in", route, st)
			}
			for _, r := range roles {
				want := allowed[0] == "any" || slices.Contains(allowed, r)
				st := status(browsers[r])
				if st >= 500 {
					t.Errorf("%s as %s: status %d", route, r, st)
				}
				got := st != http.StatusForbidden && st != http.StatusNotFound
				if route == "POST /approvals/{id}" {
					// No such approval: 404 for everyone who may decide
					// approvals at all, 404 too for others. The API matrix
					// covers decisions on real requests.
					continue
				}
				if got != want {
					t.Errorf("%s as %s: %d, want allowed=%v", route, r, st, want)
				}
			}
		}
	})
}

// A duty is edited on its page: schedule, escalation and title.
func TestEditDutyPage(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		o, err := s.svc.CreateObligation(ctx, isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}, isms.Obligation{
			TitleZH: "旧名称", OwnerRole: isms.RoleISMSTeam, Schedule: isms.Schedule{Frequency: isms.FreqMonthly, Start: "2026-01-01"}})
		if err != nil {
			t.Fatal(err)
		}
		b := s.signIn("w-isms-team")
		status, body := b.get("/obligations/"+o.ID, "zh-CN")
		if status != 200 || !strings.Contains(body, `value="旧名称"`) || !strings.Contains(body, `name="esc_role_1"`) {
			t.Fatalf("edit form: %d", status)
		}
		form := url.Values{"title_zh": {"新名称"}, "owner_role": {"isms_team"}, "frequency": {"quarterly"}, "interval": {"1"},
			"start": {"2026-03-31"}, "time_of_day": {"10:00"}, "reminder_lead_days": {"3"}, "grace_days": {"2"},
			"esc_role_1": {"management_rep"}, "esc_hours_1": {"0"}, "esc_role_2": {""}}
		if st, body, loc := b.post("/obligations/"+o.ID, form); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/obligations/") {
			t.Fatalf("save: %d %.200s", st, body)
		}
		got, _ := s.svc.Obligation(ctx, isms.Actor{OrgID: s.root.ID, Via: "cli"}, o.ID)
		if got.TitleZH != "新名称" || got.Schedule.Frequency != isms.FreqQuarterly || got.GraceDays != 2 ||
			len(got.Escalation) != 1 || got.Escalation[0].Role != isms.RoleManagementRep {
			t.Fatalf("saved: %+v", got)
		}
		form.Set("time_of_day", "25:99")
		if st, body, _ := b.post("/obligations/"+o.ID, form); st != http.StatusBadRequest || !strings.Contains(body, "HH:MM") {
			t.Fatalf("bad time: %d", st)
		}
	})
}

// The matrix page: a clause added and a mark set by form, a bad mark
// refused with its message, the export a workbook, the history listing
// the change.
func TestMatrixPage(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		people, _ := s.svc.ListPeople(ctx, isms.CLIActor("t"), isms.ListFilter{OrgID: s.root.ID})
		dept := people[0].DeptID
		b := s.signIn("w-isms-team")
		if st, body, _ := b.post("/matrix/rows", url.Values{"key": {"A.8"}, "title_zh": {"资产管理"}}); st != http.StatusSeeOther {
			t.Fatalf("add row: %d %.300s", st, body)
		}
		if st, body, _ := b.post("/matrix/rows", url.Values{"key": {"A.8"}}); st != http.StatusConflict || !strings.Contains(body, "已有相同编号") {
			t.Fatalf("duplicate row: %d %.300s", st, body)
		}
		_, page := b.get("/matrix", "zh-CN")
		if !strings.Contains(page, "资产管理") || !strings.Contains(page, "无主要负责部门") {
			t.Fatalf("grid lacks the row or its warning")
		}
		m, _ := s.svc.Matrix(ctx, isms.Actor{OrgID: s.root.ID, Via: "cli"})
		row := m.Rows[0].ID
		if st, body, _ := b.post("/matrix/cells", url.Values{"row": {row}, "department": {dept}, "mark": {"X"}}); st != http.StatusBadRequest || !strings.Contains(body, "不是有效的标记") {
			t.Fatalf("bad mark: %d", st)
		}
		if st, _, loc := b.post("/matrix/cells", url.Values{"row": {row}, "department": {dept}, "mark": {"▲"}}); st != http.StatusSeeOther ||
			loc != "/matrix?flash=ui.flash.matrix_saved#row-"+row {
			t.Fatalf("set mark: %d %s", st, loc)
		}
		_, page = b.get("/matrix", "zh-CN")
		if !strings.Contains(page, `<option value="▲" selected>`) || strings.Contains(page, "无主要负责部门") {
			t.Fatalf("the mark is not shown as set")
		}
		if st, body := b.get("/matrix.xlsx", ""); st != http.StatusOK || !strings.HasPrefix(body, "PK") {
			t.Fatalf("export: %d", st)
		}
		if _, hist := b.get("/matrix/history", "zh-CN"); !strings.Contains(hist, "A.8") || !strings.Contains(hist, "▲") {
			t.Fatalf("history lacks the change")
		}
		// Import: the export's layout, edited, goes back in; a bad sheet is
		// refused cell by cell and changes nothing.
		depts, _ := s.svc.ListDepartments(ctx, isms.Actor{OrgID: s.root.ID, Via: "cli"}, isms.ListFilter{OrgID: s.root.ID})
		sheet := isms.Matrix{Rows: []isms.MatrixRow{{ID: "n", Key: "A.9", TitleZH: "访问控制"}}, Departments: depts,
			Cells: map[string]map[string]string{"n": {dept: "△"}}}
		var good, bad bytes.Buffer
		if err := export.Matrix(&good, sheet); err != nil {
			t.Fatal(err)
		}
		sheet.Cells["n"][dept] = "Y"
		_ = export.Matrix(&bad, sheet)
		if st, body := b.upload("/matrix/import", "bad.xlsx", bad.Bytes()); st != http.StatusBadRequest || !strings.Contains(body, "第2行第4列") {
			t.Fatalf("bad import: %d %.300s", st, body)
		}
		if st, body := b.upload("/matrix/import", "m.xlsx", good.Bytes()); st != http.StatusOK || !strings.Contains(body, "修改了 2 处") {
			t.Fatalf("import: %d %.300s", st, body)
		}
		// A new subsidiary set up from the seed template, in one step, by the
		// system administrator who creates it.
		if st, body, _ := s.signIn("w-system-admin").post("/organizations", url.Values{"parent_id": {s.root.ID}, "name": {"模板子公司"},
			"kind": {"enterprise"}, "template": {"iso27001-seed"}}); st != http.StatusSeeOther {
			t.Fatalf("new organization from template: %d %.300s", st, body)
		}
		orgs, _ := s.svc.ListOrganizations(ctx, isms.CLIActor("t"), isms.ListFilter{Text: "模板子公司", Limit: 10})
		if len(orgs) != 1 {
			t.Fatalf("subsidiary not created: %d", len(orgs))
		}
		sm, _ := s.svc.ExportTemplate(ctx, isms.CLIActor("t"), orgs[0].ID, "x")
		if len(sm.Departments) != 5 || len(sm.Matrix.Rows) != 50 {
			t.Fatalf("subsidiary: %d departments, %d rows", len(sm.Departments), len(sm.Matrix.Rows))
		}
		if st, body, _ := s.signIn("w-system-admin").post("/organizations", url.Values{"parent_id": {s.root.ID}, "name": {"坏模板"},
			"kind": {"enterprise"}, "template": {"nope"}}); st != http.StatusBadRequest || !strings.Contains(body, "没有名为") {
			t.Fatalf("unknown template: %d", st)
		}
		// An employee sees the marks but no forms.
		if _, page := s.signIn("w-employee").get("/matrix", "zh-CN"); strings.Contains(page, `action="/matrix/cells"`) || !strings.Contains(page, "▲") {
			t.Fatalf("employee view")
		}
	})
}

// The legal register page: common entries loaded, filtered by kind and
// text; an evaluation refused without evidence, then recorded and shown.
func TestLegalPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		b := s.signIn("w-isms-team")
		if st, _, _ := b.post("/legal/defaults", nil); st != http.StatusSeeOther {
			t.Fatalf("defaults: %d", st)
		}
		_, page := b.get("/legal?kind=standard&q=22239", "zh-CN")
		if !strings.Contains(page, "网络安全等级保护基本要求") || strings.Contains(page, "数据安全法") || !strings.Contains(page, "尚未评价") {
			t.Fatalf("filtered list wrong")
		}
		id := regexp.MustCompile(`href="/legal/([0-9a-f-]{36})"`).FindStringSubmatch(page)[1]
		if st, body, _ := b.post("/legal/"+id+"/evaluations", url.Values{"evaluated_on": {"2026-10-20"}, "result": {"noncompliant"}}); st != http.StatusBadRequest ||
			!strings.Contains(body, "须写明依据和差距") {
			t.Fatalf("evaluation without evidence: %d", st)
		}
		if st, _, _ := b.post("/legal/"+id+"/evaluations", url.Values{"evaluated_on": {"2026-10-20"}, "result": {"noncompliant"},
			"evidence": {"三级系统未完成年度测评"}}); st != http.StatusSeeOther {
			t.Fatalf("evaluation: %d", st)
		}
		_, detail := b.get("/legal/"+id, "zh-CN")
		if !strings.Contains(detail, "三级系统未完成年度测评") || !strings.Contains(detail, "2027-10-20") {
			t.Fatalf("detail lacks the evaluation")
		}
		if st, body, _ := b.post("/legal/"+id, url.Values{"title": {"信息安全技术 网络安全等级保护基本要求"}, "kind": {"standard"},
			"issued_on": {"2019-05-10"}, "effective_on": {"2019-01-01"}, "status": {"in_force"}, "applicability": {"applicable"}}); st != http.StatusBadRequest ||
			!strings.Contains(body, "实施日期不能早于发布日期") {
			t.Fatalf("effective before issued: %d", st)
		}
		// Linked to the documents that carry it out and the controls it bears on.
		if st, body, _ := b.post("/legal/"+id, url.Values{"title": {"信息安全技术 网络安全等级保护基本要求"}, "kind": {"standard"},
			"status": {"in_force"}, "applicability": {"applicable"}, "related_documents": {"XX-B-10，XX-A-04.06"},
			"related_controls": {"A.5.31, A.5.36"}}); st != http.StatusSeeOther {
			t.Fatalf("links: %d %.300s", st, body)
		}
		if _, detail := b.get("/legal/"+id, "zh-CN"); !strings.Contains(detail, `href="/documents?q=XX-A-04.06"`) || !strings.Contains(detail, "A.5.36") {
			t.Fatal("detail lacks the links")
		}
		if _, list := s.signIn("w-employee").get("/legal", "zh-CN"); !strings.Contains(list, "不符合") || strings.Contains(list, `action="/legal/defaults"`) {
			t.Fatalf("employee list")
		}
	})
}

// The document-control settings form saves, and refuses a limit out of
// range naming the field.
func TestDocumentSettingsForm(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		b := s.signIn("owner1")
		form := url.Values{"version_scheme": {"1.0"}, "review_months": {"24"}, "max_upload_mib": {"5000"}, "ack_days": {"10"}}
		for _, typ := range isms.DocTypes {
			form.Set("approver_"+typ, "management_rep")
		}
		if status, body, _ := b.post("/documents/settings", form); status != http.StatusBadRequest || !strings.Contains(body, "1024") {
			t.Fatalf("out of range: %d", status)
		}
		form.Set("max_upload_mib", "20")
		if status, _, _ := b.post("/documents/settings", form); status != http.StatusSeeOther {
			t.Fatalf("save: %d", status)
		}
		ds, err := s.svc.DocumentSettings(context.Background(), isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"})
		if err != nil || ds.VersionScheme != "1.0" || ds.ReviewMonths != 24 || ds.MaxUploadMiB != 20 || ds.AckDays != 10 ||
			ds.Approvers[isms.DocManual] != isms.RoleManagementRep {
			t.Fatalf("settings: %+v %v", ds, err)
		}
	})
}

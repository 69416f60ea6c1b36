package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
	"openisms/internal/web"
)

// Every value of every MLPS option list has a name in both languages.
func TestMLPSOptionKeys(t *testing.T) {
	lists := map[string][]string{"type": isms.MLPSObjectTypes, "tech": isms.MLPSTechnologies,
		"business_type": isms.MLPSBusinessTypes, "service_scope": isms.MLPSServiceScopes, "service_users": isms.MLPSServiceUsers,
		"network_coverage": isms.MLPSNetworkCoverages, "network_nature": isms.MLPSNetworkNatures,
		"interconnections": isms.MLPSInterconnections, "data_level": isms.DataLevels, "personal": isms.DataPersonalKinds,
		"sources": isms.DataSources, "asset_role": isms.MLPSAssetRoles, "status": isms.GradingStatuses,
		"object_status": isms.MLPSObjectStatuses, "harm": isms.HarmObjects, "degree": isms.HarmDegrees,
		"dim": isms.GradingDimensions, "level": {"0", "1", "2", "3", "4", "5"}, "form": isms.FilingForms,
		"template": {"2020", "2025"}, "outcome": {isms.FilingPending, isms.FilingAccepted, isms.FilingReturned},
		"conclusion": {isms.ReviewAgree, isms.ReviewDisagree}, "decision": {isms.AuthorityApprove, isms.AuthorityReject},
		"cert_state": {"valid", "renew", "expired"}, "rating": isms.EvalRatings2021,
		"conclusion2025": isms.EvalConclusions2025, "eval_template": isms.EvalTemplates, "risk": isms.FindingRisks,
		"rect_status": {isms.RectOpen, isms.RectFixed, isms.RectVerified}, "category": isms.SecurityCategories}
	for _, f := range isms.MLPSTechFields {
		lists["tf"] = append(lists["tf"], f.Key)
		if len(f.Options) > 0 {
			lists["tfo."+f.Key] = f.Options
		}
	}
	for list, values := range lists {
		for _, v := range values {
			key := web.MLPSOptKey(list, v)
			for _, lang := range []string{"zh-CN", "en"} {
				if got := i18n.T(lang, isms.M(key)); got == key || got == "" {
					t.Errorf("%s: no %s", lang, key)
				}
			}
		}
	}
}

var rawOption = regexp.MustCompile(`\bmlps\.opt\.[a-z_.]+`)

// The MLPS pages in both languages, a refused form naming its field, and
// a grading taken by its forms from ticks to a certificate.
func TestMLPSPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		b := s.signIn("owner1")
		check := func(path string) string {
			t.Helper()
			var zh string
			for _, lang := range []string{"zh-CN", "en"} {
				status, body := b.get(path, lang)
				if status != 200 {
					t.Fatalf("%s (%s): %d", path, lang, status)
				}
				text := stripTags(body)
				if m := untranslated.FindString(text); m != "" {
					t.Errorf("%s (%s): untranslated %q", path, lang, m)
				}
				if m := rawOption.FindString(body); m != "" {
					t.Errorf("%s (%s): untranslated %q", path, lang, m)
				}
				if lang == "zh-CN" {
					zh = body
				}
			}
			return zh
		}
		check("/mlps")
		check("/mlps/new")

		// A cross-city scope without its count and a blank data line
		// with a level: refused, naming the fields, in Chinese.
		objForm := url.Values{"name": {"网上办事大厅"}, "type": {"information_system"}, "service_scope": {"cross_city"},
			"tech": {"cloud"}, "td.cloud.role": {"customer"}, "td.cloud.service_model": {"saas", "paas"},
			"cat.0.name": {"办事人信息"}, "cat.0.level": {"important"}, "cat.0.personal": {"sensitive"}, "cat.0.sources": {"manual"},
			"cat.1.name": {""}, "cat.1.level": {"general"}, "cat.1.volume": {"3 GB"}, "cat.2.name": {""}}
		status, body, _ := b.post("/mlps", objForm)
		if status != 400 || !strings.Contains(body, "跨省或跨地市服务须填写") || !strings.Contains(body, "网上办事大厅") {
			t.Fatalf("refused form: %d\n%s", status, between(body, `<main`, `</main>`))
		}
		objForm.Set("service_scope_count", "3")
		objForm.Set("cat.1.name", "证照库")
		objForm.Set("cat.1.personal", "none")
		status, _, loc := b.post("/mlps", objForm)
		if status != 303 {
			t.Fatalf("create: %d", status)
		}
		objPath := strings.SplitN(loc, "?", 2)[0]
		page := check(objPath)
		for _, want := range []string{"DJ-0001", "PaaS、SaaS", "证照库", "3 GB"} {
			if !strings.Contains(page, want) {
				t.Errorf("object page lacks %q", want)
			}
		}
		if !strings.Contains(page, "21 跨地（市、区）") {
			t.Error("object page lacks the service scope with its form code")
		}

		// Grade it: start, tick, submit, experts agree, file, accepted,
		// certificate.
		status, _, loc = b.post(objPath+"/gradings", url.Values{"template": {"2025"}})
		if status != 303 {
			t.Fatalf("start grading: %d", status)
		}
		gPath := strings.SplitN(loc, "?", 2)[0]
		check(gPath)
		ticks := url.Values{"deg.business.social": {"serious"}, "deg.service.citizen": {"serious"},
			"why.service.citizen": {"办事人无法办理业务"}, "level": {"3"}}
		if status, body, _ = b.post(gPath, ticks); status != 400 || !strings.Contains(body, "每项判断都须写明理由") {
			t.Fatalf("a tick without its reason: %d", status)
		}
		ticks.Set("why.business.social", "办事秩序受到严重影响")
		if status, _, _ = b.post(gPath, ticks); status != 303 {
			t.Fatalf("ticks: %d", status)
		}
		if status, _, _ = b.post(gPath+"/submit", nil); status != 303 {
			t.Fatalf("submit: %d", status)
		}
		day := s.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		if status, body, _ = b.post(gPath+"/review", url.Values{"experts": {"张工"}, "on": {day}, "conclusion": {"disagree"}}); status != 400 ||
			!strings.Contains(body, "不同意或退回时须写明理由") {
			t.Fatalf("disagreement without reasons: %d", status)
		}
		if status, _, _ = b.post(gPath+"/review", url.Values{"experts": {"张工、李工"}, "on": {day}, "conclusion": {"agree"}}); status != 303 {
			t.Fatalf("review: %d", status)
		}
		if status, _, _ = b.post(gPath+"/filings", url.Values{"bureau": {"市公安局网安支队"}, "submitted_on": {day}, "template": {"2025"}}); status != 303 {
			t.Fatalf("filing: %d", status)
		}
		page = check(gPath)
		filing := regexp.MustCompile(`/filings/([0-9a-f-]{36})/decide`).FindStringSubmatch(page)
		if filing == nil {
			t.Fatal("no decision form for the pending filing")
		}
		if status, _, _ = b.post("/filings/"+filing[1]+"/decide", url.Values{"outcome": {"accepted"}, "decided_on": {day}}); status != 303 {
			t.Fatalf("decide: %d", status)
		}
		if status, _, _ = b.post("/filings/"+filing[1]+"/certificate", url.Values{"grading_id": {strings.TrimPrefix(gPath, "/gradings/")},
			"number": {"31010099001-26001"}, "issued_on": {day}}); status != 303 {
			t.Fatalf("certificate: %d", status)
		}
		// Materials: a note for one item, a file for another; the form's
		// 表四 reads them.
		if status, _, _ = b.post(gPath+"/materials", url.Values{"m.classic_t4.design.present": {"1"},
			"m.classic_t4.design.note": {"建设方案 V2"}, "m.classic_t4.products.present": {"0"}}); status != 303 {
			t.Fatalf("materials: %d", status)
		}
		var mbody bytes.Buffer
		mw := multipart.NewWriter(&mbody)
		fw, _ := mw.CreateFormFile("m.classic_t4.topology.file", "拓扑图.pdf")
		_, _ = fw.Write([]byte("%PDF-1.4 topology"))
		_ = mw.Close()
		req, _ := http.NewRequest("POST", s.srv.URL+gPath+"/materials", &mbody)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := b.c.Do(req)
		if err != nil || res.StatusCode != 303 {
			t.Fatalf("material file: %v %v", err, res.StatusCode)
		}
		res.Body.Close()
		if page := check(gPath); !strings.Contains(between(page, `id="materials-classic_t4"`, `</table>`), "拓扑图.pdf") {
			t.Error("the material's file is not listed")
		}
		// The filing forms, printable, with a typed-in field kept, and as
		// files.
		form := check(gPath + "/form?template=classic")
		if !strings.Contains(form, "信息系统安全等级保护备案表") || !strings.Contains(form, `name="f.t1.postcode"`) {
			t.Fatalf("classic form:\n%s", between(form, `<main`, `</main>`))
		}
		if status, _, _ = b.post(gPath+"/form", url.Values{"template": {"classic"}, "f.t1.postcode": {"200001"}}); status != 303 {
			t.Fatalf("save the form: %d", status)
		}
		if form = check(gPath + "/form?template=classic"); !strings.Contains(form, `value="200001"`) {
			t.Error("the typed postcode is not kept")
		}
		if status, _, _ = b.post(gPath+"/form", url.Values{"template": {"classic"}, "f.t9.bogus": {"x"}}); status != 400 {
			t.Errorf("an unknown field: %d", status)
		}
		for _, want := range []string{"有（拓扑图.pdf）", "有（建设方案 V2）"} {
			if !strings.Contains(form, want) {
				t.Errorf("classic form lacks %q", want)
			}
		}
		if form = check(gPath + "/form"); !strings.Contains(form, "表六 数据摸底调查表") || !strings.Contains(form, "证照库") {
			t.Error("the 2025 form lacks 表六 and its categories")
		}
		if rep := check(gPath + "/report"); !strings.Contains(rep, "网上办事大厅安全等级保护定级报告") || !strings.Contains(rep, "承载数据情况") {
			t.Error("the grading report page")
		}
		if status, body := b.get(gPath+"/report.docx", ""); status != 200 || !strings.HasPrefix(body, "PK") {
			t.Errorf("report.docx: %d", status)
		}
		for _, ext := range []string{".docx", ".xlsx"} {
			if status, body := b.get(gPath+"/form"+ext+"?template=classic", ""); status != 200 || !strings.HasPrefix(body, "PK") {
				t.Errorf("form%s: %d", ext, status)
			}
		}
		page = check(objPath)
		for _, want := range []string{"第三级", "S3A2", "已备案", "31010099001-26001", "起算，有效至"} {
			if !strings.Contains(page, want) {
				t.Errorf("object page after filing lacks %q", want)
			}
		}
		// An agency, an evaluation as its report states it, an issue with
		// its four fixes, fixed and verified by someone else.
		if status, _, _ = b.post("/agencies", url.Values{"name": {"某测评中心"}, "qualification_no": {"SC2020"}}); status != 303 {
			t.Fatalf("agency: %d", status)
		}
		agencies := check("/agencies")
		if id := regexp.MustCompile(`action="/agencies/([0-9a-f-]{36})"`).FindStringSubmatch(agencies); id == nil {
			t.Error("no form to change an agency")
		} else if status, _, _ = b.post("/agencies/"+id[1], url.Values{"name": {"某测评中心"}, "region": {"上海"}}); status != 303 {
			t.Errorf("change an agency: %d", status)
		} else if !strings.Contains(check("/agencies"), "上海") {
			t.Error("the agency's region is not kept")
		}
		page = check(objPath)
		agency := regexp.MustCompile(`<option value="([0-9a-f-]{36})">某测评中心</option>`).FindStringSubmatch(page)
		if agency == nil {
			t.Fatal("no agency to choose on the object page")
		}
		ev := url.Values{"agency_id": {agency[1]}, "report_no": {"CP-2026-01"}, "completed_on": {day}, "eval_template": {"2025"},
			"rate": {"abc"}, "conclusion": {"basically_conform"}, "major_hazards": {"1"}}
		if status, body, _ = b.post(objPath+"/evaluations", ev); status != 400 || !strings.Contains(body, "必须在 0 到 100 之间") {
			t.Fatalf("a rate that is no number: %d", status)
		}
		ev.Set("rate", "82.5")
		status, _, loc = b.post(objPath+"/evaluations", ev)
		if status != 303 {
			t.Fatalf("evaluation: %d", status)
		}
		evPath := strings.SplitN(loc, "?", 2)[0]
		if status, _, _ = b.post(evPath+"/rectifications", url.Values{"description": {"未启用双因素认证"}, "risk": {"high"},
			"major_hazard": {"1"}, "category": {"computing"}, "control_point": {"身份鉴别"}, "measure": {"启用 OTP"}, "deadline": {"2027-03-31"},
			"funds": {"2 万元"}}); status != 303 {
			t.Fatalf("issue: %d", status)
		}
		page = check(evPath)
		for _, want := range []string{"82.5% 基本符合", "重大风险隐患 1 项", "高风险 1 (0)", "启用 OTP", "待整改"} {
			if !strings.Contains(page, want) {
				t.Errorf("evaluation page lacks %q", want)
			}
		}
		rect := regexp.MustCompile(`/rectifications/([0-9a-f-]{36})/fix`).FindStringSubmatch(page)
		if rect == nil {
			t.Fatal("no fix form")
		}
		evID := strings.TrimPrefix(evPath, "/evaluations/")
		if status, _, _ = b.post("/rectifications/"+rect[1]+"/fix", url.Values{"evaluation_id": {evID}, "on": {day}, "note": {"已启用"}}); status != 303 {
			t.Fatalf("fix: %d", status)
		}
		// The fixer cannot verify.
		if status, body, _ = b.post("/rectifications/"+rect[1]+"/verify", url.Values{"evaluation_id": {evID}, "on": {day}, "result": {"ok"}}); status != 403 ||
			!strings.Contains(body, "验证人不能是整改人本人") {
			t.Fatalf("the fixer verifying: %d", status)
		}
		list := check("/mlps")
		if !strings.Contains(between(list, `id="mlps-objects"`, `</table>`), "S3A2") {
			t.Error("the register does not show the level")
		}
	})
}

// A self-assessment from an object's page: started with the object's
// extensions, answered in one form (a refusal names the item and keeps
// what was typed), filtered to its gaps, one item linked and given
// evidence, and not closed while items are open.
func TestMLPSSelfAssessmentPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		b := s.signIn("owner1")
		status, _, loc := b.post("/mlps", url.Values{"name": {"云上门户"}, "type": {"information_system"}, "tech": {"cloud"},
			"td.cloud.role": {"customer"}})
		if status != 303 {
			t.Fatalf("object: %d", status)
		}
		objPath := strings.SplitN(loc, "?", 2)[0]
		if _, body := b.get(objPath, "zh-CN"); !strings.Contains(body, `value="cloud" checked`) {
			t.Error("the cloud extension is not pre-selected")
		}
		status, _, loc = b.post(objPath+"/self-assessments", url.Values{"level": {"3"}, "extensions": {"cloud"}, "title": {"年度自查"}})
		if status != 303 || !strings.HasPrefix(loc, "/self-assessments/") {
			t.Fatalf("start: %d %s", status, loc)
		}
		xPath := strings.SplitN(loc, "?", 2)[0]
		for _, lang := range []string{"zh-CN", "en"} {
			status, body := b.get(xPath, lang)
			if status != 200 || untranslated.FindString(stripTags(body)) != "" || rawOption.FindString(body) != "" {
				t.Fatalf("%s (%s): %d %q", xPath, lang, status, untranslated.FindString(stripTags(body)))
			}
		}
		_, body := b.get(xPath, "zh-CN")
		if !strings.Contains(body, "共 257 项") || strings.Count(body, `<tr id="i-`) != 257 || !strings.Contains(body, "L3-CES2-19") {
			t.Fatalf("the page does not list the 211 + 46 items")
		}
		status, body, _ = b.post(xPath, url.Values{"r:L3-PES1-01": {"conform"}, "r:L3-PES1-02": {"na"}, "n:L3-PES1-02": {""},
			"r:L3-PES1-03": {"partial"}, "n:L3-PES1-03": {"门禁只在白天值守"}})
		if status != 400 || !strings.Contains(body, "判定为不适用时须说明理由") || !strings.Contains(body, "门禁只在白天值守") {
			t.Fatalf("refused batch: %d", status)
		}
		if status, _, _ = b.post(xPath, url.Values{"r:L3-PES1-01": {"conform"}, "r:L3-PES1-03": {"partial"},
			"n:L3-PES1-03": {"门禁只在白天值守"}, "filter": {"cat=PES"}}); status != 303 {
			t.Fatalf("save: %d", status)
		}
		_, body = b.get(xPath+"?result=gap", "zh-CN")
		if !strings.Contains(body, "显示 1 项") || !strings.Contains(body, `id="i-L3-PES1-03"`) || !strings.Contains(body, "75.0%") {
			t.Errorf("gap filter or rate: %s", between(body, `id="self-facts"`, `</form>`))
		}
		itemPath := xPath + "/items/L3-PES1-03"
		status, body, _ = b.post(itemPath, url.Values{"result": {"partial"}, "note": {"门禁只在白天值守"}, "risk": {"FX-000999"}})
		if status != 400 || !strings.Contains(body, "风险登记册中没有这个风险") {
			t.Fatalf("unknown risk: %d", status)
		}
		if status, _ = b.upload(itemPath+"/evidence", "gate.txt", []byte("门禁记录")); status != 303 {
			t.Fatalf("evidence: %d", status)
		}
		_, body = b.get(itemPath, "zh-CN")
		if !strings.Contains(body, "gate.txt") || !strings.Contains(body, "A.7.2") {
			t.Error("the item page lacks its evidence or its ISO overlap")
		}
		if _, body = b.get(xPath+"?q=L3-PES1-03", "zh-CN"); !strings.Contains(between(body, `id="i-L3-PES1-03"`, `</tr>`), `<td class="num nw">1`) {
			t.Error("the list does not count the item's evidence")
		}
		if status, body, _ = b.post(xPath+"/close", nil); status != 400 || !strings.Contains(body, "还有 255 项未判定") {
			t.Fatalf("close with open items: %d", status)
		}
		// A viewer without mlps.manage sees results, not inputs.
		if _, body = b.get(objPath, "zh-CN"); !strings.Contains(body, "年度自查") || !strings.Contains(body, "75.0%") {
			t.Error("the object page does not list the self-assessment")
		}
	})
}

// The supervisor's pages in both languages: the organizations below along
// links with their roll-up, one organization's page, and a refusal for an
// organization outside the links.
func TestSupervisionPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		b := s.signIn("owner1")
		ctx := t.Context()
		cli := isms.CLIActor("t")
		county, err := s.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "区协调小组", ParentID: s.root.ID})
		if err != nil {
			t.Fatal(err)
		}
		firm, _ := s.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "某国有企业", ParentID: s.root.ID})
		outside, _ := s.svc.CreateOrganization(ctx, cli, isms.Organization{Name: "无关单位", ParentID: s.root.ID})
		for _, pair := range [][2]string{{s.root.ID, county.ID}, {county.ID, firm.ID}} {
			if _, err := s.svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: pair[0], SupervisedID: pair[1],
				Kind: isms.SuperviseMLPS}); err != nil {
				t.Fatal(err)
			}
		}
		for _, lang := range []string{"zh-CN", "en"} {
			for _, path := range []string{"/supervision", "/supervision/organizations/" + firm.ID, "/supervision/links"} {
				status, body := b.get(path, lang)
				if status != 200 || untranslated.FindString(stripTags(body)) != "" || rawOption.FindString(body) != "" {
					t.Fatalf("%s (%s): %d %q", path, lang, status, untranslated.FindString(stripTags(body)))
				}
			}
		}
		_, body := b.get("/supervision", "zh-CN")
		if !strings.Contains(body, "区协调小组 › ") || !strings.Contains(body, "某国有企业") || strings.Contains(body, "无关单位") {
			t.Errorf("supervised organizations: %s", between(body, `id="supervised-orgs"`, `</table>`))
		}
		region := "310115"
		if _, err := s.svc.UpdateOrganization(ctx, cli, firm.ID, isms.OrganizationPatch{RegionCode: &region}); err != nil {
			t.Fatal(err)
		}
		if _, body = b.get("/supervision?depth=1", "zh-CN"); strings.Contains(between(body, `id="supervised-orgs"`, `</table>`), "某国有企业") {
			t.Error("the depth filter keeps an organization two links down")
		}
		if _, body = b.get("/supervision?region=3101", "zh-CN"); !strings.Contains(body, "某国有企业") || !strings.Contains(body, "310115") ||
			strings.Contains(between(body, `id="supervised-orgs"`, `</table>`), ">区协调小组<") {
			t.Error("the region filter")
		}
		if status, _ := b.get("/supervision/organizations/"+outside.ID, "zh-CN"); status != 403 {
			t.Errorf("an organization outside the links: %d", status)
		}
	})
}

package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"openisms/internal/store"
	"openisms/internal/testutil"
)

// Records control through the pages: a type, a paper record registered by
// hand, found past retention, a disposal requested from the due list,
// approved by the management representative, carried out and logged.
func TestRecordPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		team := s.signIn("w-isms-team")
		idIn := regexp.MustCompile(`[0-9a-f-]{36}`)
		st1, body, _ := team.post("/records/types", url.Values{"code": {"room_log"}, "name_zh": {"机房出入登记簿"},
			"category": {"b"}, "form": {"logbook"}, "medium": {"paper"}, "retention_months": {"十二"}})
		if st1 != http.StatusBadRequest || !strings.Contains(body, "必须在 0 到 1200 之间") {
			t.Fatalf("bad retention: %d", st1)
		}
		st1, _, loc := team.post("/records/types", url.Values{"code": {"room_log"}, "name_zh": {"机房出入登记簿"},
			"category": {"b"}, "form": {"logbook"}, "medium": {"paper"}, "retention_months": {"12"}, "location": {"工程部档案柜"}})
		if st1 != http.StatusSeeOther || !strings.HasPrefix(loc, "/records/types/") {
			t.Fatalf("create type: %d %s", st1, loc)
		}
		typeID := idIn.FindString(loc)
		old := s.clock.Now().AddDate(-2, 0, 0).Format(time.DateOnly)
		recent := s.clock.Now().AddDate(0, -1, 0).Format(time.DateOnly)
		register := func(title, date string) string {
			st, body, loc := team.post("/records", url.Values{"type_id": {typeID}, "title": {title}, "record_date": {date}})
			if st != http.StatusSeeOther {
				t.Fatalf("register %s: %d %.300s", title, st, body)
			}
			return idIn.FindString(loc)
		}
		oldID, recentID := register("旧登记簿第1册", old), register("新登记簿第2册", recent)
		if _, page := team.get("/records/"+oldID, "zh-CN"); !strings.Contains(page, "已到期") || !strings.Contains(page, "工程部档案柜") {
			t.Fatal("record page: state or location missing")
		}
		_, due := team.get("/records?state=due", "zh-CN")
		if !strings.Contains(due, "旧登记簿第1册") || strings.Contains(due, "新登记簿第2册") || !strings.Contains(due, `formaction="/records/disposals"`) {
			t.Fatal("due list")
		}
		// A record within retention is refused by number; the ticks stay.
		st1, body, _ = team.post("/records/disposals", url.Values{"record_ids": {oldID, recentID}, "method": {"shred"},
			"back": {"/records?state=due"}})
		if st1 != http.StatusConflict || !strings.Contains(body, "未到期不能销毁") || !regexp.MustCompile(`value="`+oldID+`" aria-label="[^"]+" checked`).MatchString(body) {
			t.Fatalf("refused request: %d", st1)
		}
		st1, _, loc = team.post("/records/disposals", url.Values{"record_ids": {oldID}, "method": {"shred"}, "reason": {"超过保存期限"},
			"back": {"/records?state=due"}})
		if st1 != http.StatusSeeOther || !strings.HasPrefix(loc, "/records/disposals/") {
			t.Fatalf("request: %d %s", st1, loc)
		}
		dispURL := loc[:strings.IndexAny(loc+"?", "?")]
		if st, _ := s.signIn("w-employee").get(dispURL, "zh-CN"); st != http.StatusForbidden {
			t.Fatalf("employee reads a disposal: %d", st)
		}
		if _, page := team.get(dispURL, "zh-CN"); strings.Contains(page, "/approve") {
			t.Fatal("the ISMS team is offered the approval")
		}
		rep := s.signIn("w-management-rep")
		if _, page := rep.get(dispURL, "zh-CN"); !strings.Contains(page, dispURL+"/approve") {
			t.Fatal("no approval form for the management representative")
		}
		if st, _, _ := rep.post(dispURL+"/approve", url.Values{"note": {"同意"}}); st != http.StatusSeeOther {
			t.Fatalf("approve: %d", st)
		}
		today := s.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		if st, body, _ := team.post(dispURL+"/execute", url.Values{"executed_on": {today}, "method": {"shred"}, "witness": {"王五"}}); st != http.StatusSeeOther {
			t.Fatalf("execute: %d %.300s", st, body)
		}
		_, page := team.get(dispURL, "zh-CN")
		if !strings.Contains(page, "王五") || !strings.Contains(page, "已销毁") || !strings.Contains(page, "监销人签字") {
			t.Fatal("disposal log page")
		}
		if _, page := team.get("/records?state=disposed", "en"); !strings.Contains(page, "旧登记簿第1册") || !strings.Contains(page, "Disposed") {
			t.Fatal("disposed list")
		}
		// The export follows the filter.
		if st, body := team.get("/records.xlsx?state=disposed", ""); st != http.StatusOK || !strings.HasPrefix(body, "PK") {
			t.Fatalf("export: %d", st)
		} else if x, err := excelize.OpenReader(strings.NewReader(body)); err != nil {
			t.Fatal(err)
		} else if rows, _ := x.GetRows("Sheet1"); len(rows) != 2 || rows[1][1] != "旧登记簿第1册" || rows[1][9] != "disposed" {
			t.Fatalf("exported rows: %v", rows)
		}
		if _, page := team.get("/records/disposals?status=done", "zh-CN"); !strings.Contains(page, "碎纸") {
			t.Fatal("disposal log list")
		}
		// A legal hold from the register.
		st1, _, loc = team.post("/records/hold", url.Values{"record_ids": {recentID}, "hold_reason": {"劳动争议"}, "back": {"/records?state=kept"}})
		if st1 != http.StatusSeeOther || !strings.HasPrefix(loc, "/records?state=kept") {
			t.Fatalf("hold: %d %s", st1, loc)
		}
		if _, page := team.get("/records?state=held", "zh-CN"); !strings.Contains(page, "新登记簿第2册") {
			t.Fatal("held list")
		}
	})
}

// The ISMS profile page: policy, scope and roles edited in one form; a
// repeated role key is refused, naming the row, and nothing changes.
func TestProfilePage(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		team := s.signIn("w-isms-team")
		form := url.Values{"policy_zh": {"切实推行安全管理，积极防御风险"}, "scope_zh": {"总部及数据中心的信息系统"}, "role_rows": {"3"},
			"key_0": {"management_rep"}, "title_zh_0": {"管理者代表"}, "role_0": {"management_rep"}, "duties_zh_0": {"负责体系运行"},
			"key_1": {""}, "title_zh_1": {""}}
		if st, body, _ := team.post("/isms", form); st != http.StatusSeeOther {
			t.Fatalf("save: %d %.300s", st, body)
		}
		_, page := s.signIn("w-employee").get("/isms", "zh-CN")
		if !strings.Contains(page, "切实推行安全管理，积极防御风险") || !strings.Contains(page, "总部及数据中心") ||
			!strings.Contains(page, "w-management-rep") || strings.Contains(page, `action="/isms"`) {
			t.Fatal("profile page as an employee")
		}
		form.Set("key_1", "management_rep")
		form.Set("title_zh_1", "重复")
		form.Set("policy_zh", "改了")
		if st, body, _ := team.post("/isms", form); st != http.StatusBadRequest || !strings.Contains(body, "代码重复") {
			t.Fatalf("repeated key: %d", st)
		}
		if _, page := team.get("/isms", "zh-CN"); strings.Contains(page, "改了") {
			t.Fatal("a refused form changed the profile")
		}
		if st, _, _ := s.signIn("w-employee").post("/isms", form); st != http.StatusForbidden {
			t.Fatalf("employee saves the profile: %d", st)
		}
	})
}

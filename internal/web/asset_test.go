package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// workbook builds an XLSX file from rows.
func workbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sheetRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The asset pages end to end: the template, an import refused with its
// row and column errors and nothing written, a good import, the register
// and its views in both languages, the computer register export, a form
// with a bad value, a lifecycle step and the settings.
func TestAssetPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		b := s.signIn("w-isms-team")
		status, body := b.get("/assets/template.xlsx", "zh-CN")
		if status != http.StatusOK || sheetRows(t, body)[0][0] != "编号 Code *" {
			t.Fatalf("template: %d", status)
		}
		head := []any{"编号 Code", "名称 Name", "类型 Type", "所属部门 Department", "所有者 Owner", "保密性 C", "完整性 I", "可用性 A",
			"IP地址 IP address", "MAC地址 MAC address", "使用人 User", "涉密计算机 Classified"}
		bad := workbook(t, [][]any{head,
			{"PC-001", "工作站", "硬件", "信息中心", "张伟", 3, 3, 3, "192.168.1.10", "", "张伟", "否"},
			{"PC-002", "工作站", "硬件", "信息中心", "张伟", 6, 3, 3, "", "", "", ""},
		})
		status, body = b.upload("/assets/import", "assets.xlsx", bad)
		if status != http.StatusBadRequest || !strings.Contains(body, "第3行，F 保密性 C：“6” —— 必须在 1 到 5 之间。") {
			t.Fatalf("bad import: %d %.2000s", status, body)
		}
		cli := isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}
		if l, _ := s.svc.ListAssets(ctx, cli, isms.AssetFilter{}); l.Total != 0 {
			t.Fatalf("a refused import wrote %d assets", l.Total)
		}
		good := workbook(t, [][]any{head,
			{"PC-001", "工作站", "硬件", "信息中心", "张伟", 3, 3, 3, "192.168.1.10", "00:1a:2b:3c:4d:5e", "张伟", "是"},
			{"SRV-001", "数据库服务器", "硬件", "信息中心", "W001", 5, 4, 4, "192.168.1.20", "", "", "否"},
			{"BIZ-01", "网上办事", "业务", "", "", 2, 3, 4, "", "", "", ""},
		})
		if status, body = b.upload("/assets/import", "assets.xlsx", good); status != http.StatusOK || !strings.Contains(body, "已导入 3 项资产") {
			t.Fatalf("import: %d %.500s", status, body)
		}
		for _, lang := range []string{"zh-CN", "en"} {
			for _, p := range []string{"/assets", "/assets?sort=value&desc=1&layer=component", "/assets?q=SRV", "/assets/important",
				"/assets/computers", "/assets/new", "/assets/import", "/assets/settings"} {
				status, body := b.get(p, lang)
				if status != http.StatusOK {
					t.Errorf("%s (%s): %d", p, lang, status)
				} else if m := untranslated.FindString(stripTags(body)); m != "" {
					t.Errorf("%s (%s): untranslated key %q", p, lang, m)
				}
			}
		}
		_, body = b.get("/assets/important", "zh-CN")
		if !strings.Contains(body, ">SRV-001<") || strings.Contains(body, ">PC-001<") {
			t.Fatalf("important list shows the wrong assets")
		}
		status, body = b.get("/assets.xlsx?view=computers", "zh-CN")
		rows := sheetRows(t, body)
		if status != http.StatusOK || len(rows) != 3 || rows[1][0] != "PC-001" || rows[1][3] != "张伟" || rows[1][6] != "00:1A:2B:3C:4D:5E" || rows[1][9] != "是" {
			t.Fatalf("computer register export: %d %v", status, rows)
		}
		// A form with a bad value comes back with the field's message.
		form := url.Values{"code": {"PC-003"}, "name": {"笔记本"}, "type": {"hardware"}, "confidentiality": {"3"}, "integrity": {"3"},
			"availability": {"3"}, "ip": {"300.1.1.1"}}
		if st, body, _ := b.post("/assets", form); st != http.StatusBadRequest || !strings.Contains(body, "不是有效的 IP 地址") {
			t.Fatalf("bad ip: %d", st)
		}
		form.Set("ip", "192.168.1.30")
		form.Set("pending_acceptance", "1")
		st0, _, loc := b.post("/assets", form)
		if st0 != http.StatusSeeOther || !strings.HasPrefix(loc, "/assets/") {
			t.Fatalf("create: %d %s", st0, loc)
		}
		id := strings.Split(strings.TrimPrefix(loc, "/assets/"), "?")[0]
		// Acceptance waits for a department head.
		zone, _ := time.LoadLocation("Asia/Shanghai")
		today := s.clock.Now().In(zone).Format("2006-01-02")
		st1, _, _ := b.post("/assets/"+id+"/events", url.Values{"kind": {"acceptance"}, "date": {today},
			"result": {"合格"}, "virus_checked": {"1"}})
		if st1 != http.StatusSeeOther {
			t.Fatalf("acceptance: %d", st1)
		}
		for _, lang := range []string{"zh-CN", "en"} {
			status, body := b.get("/assets/"+id, lang)
			if status != http.StatusOK || !strings.Contains(body, "PC-003") {
				t.Fatalf("detail (%s): %d", lang, status)
			}
			if m := untranslated.FindString(stripTags(body)); m != "" {
				t.Errorf("detail (%s): untranslated key %q", lang, m)
			}
		}
		if _, body := b.get("/assets/"+id, "zh-CN"); !strings.Contains(body, "待审批") {
			t.Fatalf("the pending step is not shown")
		}
		// Settings: log2 recomputes; the flash says how many changed.
		sf := url.Values{"value_strategy": {"log2"}, "weight_c": {"1"}, "weight_i": {"1"}, "weight_a": {"1"}, "important_value": {"4"},
			"important_level": {"0"}, "classifications": {"公开\n内部\n秘密"}, "owner_change_days": {"7"},
			"approver_acceptance": {"dept_head"}, "approver_transfer": {"deputy_gm"}, "approver_repair": {"dept_head"}, "approver_scrap": {"dept_head"}}
		if st, body, _ := b.post("/assets/settings", sf); st != http.StatusOK || !strings.Contains(body, "项资产的价值或重要标记已重新计算") {
			t.Fatalf("settings: %d %.300s", st, body)
		}
		sf.Set("classifications", "公开\n公开")
		if st, body, _ := b.post("/assets/settings", sf); st != http.StatusBadRequest || !strings.Contains(body, "密级方案") {
			t.Fatalf("bad settings: %d", st)
		}
	})
}

// The risk register draws its heat map; a cell's link filters the list;
// the risk page shows the result; both in both languages.
func TestRiskPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		ctx := context.Background()
		cli := isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"}
		x, err := s.svc.CreateAsset(ctx, cli, isms.Asset{Code: "DB-1", Name: "数据库", Type: "data_resource", C: 4, I: 3, A: 3})
		if err != nil {
			t.Fatal(err)
		}
		a, _ := s.svc.SaveAssessment(ctx, cli, "", isms.Assessment{Title: "年度评估"})
		ts, vs, _ := s.svc.RiskCatalogs(ctx, cli)
		// T 3, V 4 → L 3; Ia 4, Va 4 → F 4; R 12, level 2.
		r, err := s.svc.SaveRisk(ctx, cli, a.ID, "", isms.Risk{AssetID: x.ID, ThreatID: ts[0].ID, VulnID: vs[0].ID, T: 3, V: 4, Va: 4})
		if err != nil {
			t.Fatal(err)
		}
		b := s.signIn("w-isms-team")
		for _, lang := range []string{"zh-CN", "en"} {
			for _, p := range []string{"/risks", "/risks?cell_l=3&cell_f=4", "/risks?level=5", "/risks/" + r.ID} {
				status, body := b.get(p, lang)
				if status != http.StatusOK {
					t.Fatalf("%s (%s): %d %.600s", p, lang, status, body)
				}
				if m := untranslated.FindString(stripTags(body)); m != "" {
					t.Errorf("%s (%s): untranslated key %q", p, lang, m)
				}
			}
		}
		_, body := b.get("/risks", "zh-CN")
		if !strings.Contains(body, "<title>L3 × F4: 1</title>") || !strings.Contains(body, r.Number()) {
			t.Fatalf("heat map or row missing")
		}
		if _, body := b.get("/risks?cell_l=1&cell_f=1", "zh-CN"); strings.Contains(body, ">"+r.Number()+"<") {
			t.Fatalf("the cell filter let another cell's risk through")
		}
		if _, body := b.get("/risks/"+r.ID, "zh-CN"); !strings.Contains(body, "R <strong>12</strong>") {
			t.Fatalf("risk page lacks the result")
		}
	})
}

package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// personID finds a person of the test organization by name.
func personID(t *testing.T, o *docOrg, name string) string {
	t.Helper()
	ps, err := o.svc.ListPeople(context.Background(), isms.CLIActor("t"), isms.ListFilter{OrgID: o.org.ID, Text: name})
	if err != nil || len(ps) == 0 {
		t.Fatalf("person %s: %v", name, err)
	}
	return ps[0].ID
}

// Registering computes the value and the important flag; bad values and
// references are refused by field; another organization never sees it.
func TestAssetRegister(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		o := newDocOrg(t, st)
		ctx := context.Background()
		x, err := o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "SRV-01", Name: "财务服务器", Type: "hardware", DeptID: o.admin.ID,
			OwnerID: personID(t, o, "head"), C: 4, I: 3, A: 5, IP: "10.0.0.5", MAC: "00-1a-2b-3c-4d-5e", Classified: true})
		if err != nil {
			t.Fatal(err)
		}
		if x.Value != 5 || !x.Important || x.Status != isms.AssetInUse || x.MAC != "00:1A:2B:3C:4D:5E" || x.OwnerSince != "2026-11-02" {
			t.Fatalf("created: %+v", x)
		}
		_, err = o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "SRV-01", Name: "重复", Type: "hardware", C: 1, I: 1, A: 1})
		wantCode(t, err, isms.CodeConflict, "code")
		_, err = o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "X", Name: "坏值", Type: "hardware", C: 6, I: 0, A: 3})
		wantCode(t, err, isms.CodeInvalid, "confidentiality")
		wantCode(t, err, isms.CodeInvalid, "integrity")
		_, err = o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "X", Name: "坏地址", Type: "hardware", C: 1, I: 1, A: 1, IP: "10.0.0.999", Classification: "特级"})
		wantCode(t, err, isms.CodeInvalid, "ip")
		wantCode(t, err, isms.CodeInvalid, "classification")
		_, err = o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "X", Name: "坏上级", Type: "software", C: 1, I: 1, A: 1, ParentID: o.admin.ID})
		wantCode(t, err, isms.CodeInvalid, "parent_id")
		// Editing cannot move the owner; the parent cannot be a descendant.
		child, err := o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "APP-01", Name: "财务系统", Type: "information_system", C: 3, I: 3, A: 3, ParentID: x.ID})
		if err != nil {
			t.Fatal(err)
		}
		in := x
		in.OwnerID = personID(t, o, "emp1")
		_, err = o.svc.UpdateAsset(ctx, o.author, x.ID, in)
		wantCode(t, err, isms.CodeInvalid, "owner_id")
		in.OwnerID, in.ParentID = x.OwnerID, child.ID
		_, err = o.svc.UpdateAsset(ctx, o.author, x.ID, in)
		wantCode(t, err, isms.CodeInvalid, "parent_id")
		// Permissions and isolation.
		_, err = o.svc.CreateAsset(ctx, o.head, isms.Asset{Code: "Y", Name: "部门", Type: "hardware", C: 1, I: 1, A: 1})
		wantCode(t, err, isms.CodeForbidden, "")
		other, err := o.svc.CreateOrganization(ctx, isms.CLIActor("t"), isms.Organization{Name: "他单位"})
		if err != nil {
			t.Fatal(err)
		}
		foreign := isms.Actor{OrgID: other.ID, Username: "cli:other", Via: "cli"}
		_, err = o.svc.Asset(ctx, foreign, x.ID)
		wantCode(t, err, isms.CodeNotFound, "")
		if l, err := o.svc.ListAssets(ctx, foreign, isms.AssetFilter{}); err != nil || l.Total != 0 {
			t.Fatalf("foreign list: %+v %v", l, err)
		}
		// The views.
		l, err := o.svc.ListAssets(ctx, o.head, isms.AssetFilter{Important: true})
		if err != nil || l.Total != 1 || l.Assets[0].Code != "SRV-01" {
			t.Fatalf("important: %+v %v", l, err)
		}
		l, _ = o.svc.ListAssets(ctx, o.head, isms.AssetFilter{Computers: true, Text: "10.0.0"})
		if l.Total != 1 {
			t.Fatalf("computers by IP: %+v", l)
		}
		l, _ = o.svc.ListAssets(ctx, o.head, isms.AssetFilter{Layer: "system", Sort: "value", Desc: true})
		if l.Total != 1 || l.Assets[0].Code != "APP-01" {
			t.Fatalf("system layer: %+v", l)
		}
		_, err = o.svc.ListAssets(ctx, o.head, isms.AssetFilter{Sort: "evil; DROP"})
		wantCode(t, err, isms.CodeInvalid, "sort")
	})
}

// Changing the value strategy recomputes every asset in one transaction
// with one audit entry that carries the counts. Hand-worked: C,I,A =
// 4,2,1 is 4 by max, round((4+2+1)/3 = 2.33) = 2 weighted equally,
// round(log2((16+4+2)/3 = 7.33) = 2.87) = 3 by log2.
func TestAssetRecompute(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		o := newDocOrg(t, st)
		ctx := context.Background()
		a, _ := o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "A", Name: "甲", Type: "software", C: 4, I: 2, A: 1})
		b, _ := o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "B", Name: "乙", Type: "software", C: 5, I: 5, A: 5})
		if a.Value != 4 || !a.Important || b.Value != 5 {
			t.Fatalf("max: %d %d", a.Value, b.Value)
		}
		before := countWhere(t, st, "audit_log", "action = 'asset.settings'")
		for _, c := range []struct {
			strategy string
			want     int
			changed  int
		}{{isms.ValueWeighted, 2, 1}, {isms.ValueLog2, 3, 1}, {isms.ValueLog2, 3, 0}, {isms.ValueMax, 4, 1}} {
			as, _ := o.svc.AssetSettings(ctx, o.author)
			as.ValueStrategy = c.strategy
			_, n, err := o.svc.SetAssetSettings(ctx, o.author, as)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := o.svc.Asset(ctx, o.author, a.ID)
			if got.Value != c.want || n != c.changed || got.Important != (c.want >= 4) {
				t.Fatalf("%s: value %d (want %d), changed %d (want %d)", c.strategy, got.Value, c.want, n, c.changed)
			}
		}
		if n := countWhere(t, st, "audit_log", "action = 'asset.settings'") - before; n != 4 {
			t.Fatalf("audit entries: %d", n)
		}
		as, _ := o.svc.AssetSettings(ctx, o.author)
		as.Classifications = []string{"公开", "公开"}
		as.Approvers["transfer"] = "nobody"
		_, _, err := o.svc.SetAssetSettings(ctx, o.author, as)
		wantCode(t, err, isms.CodeInvalid, "classifications")
		wantCode(t, err, isms.CodeInvalid, "approvers.transfer")
		_, _, err = o.svc.SetAssetSettings(ctx, o.head, isms.DefaultAssetSettings())
		wantCode(t, err, isms.CodeForbidden, "")
	})
}

// The import is all or nothing and reports every error by row, column
// and rule.
func TestAssetImport(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		o := newDocOrg(t, st)
		ctx := context.Background()
		if _, err := o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "OLD-1", Name: "已有", Type: "site", C: 1, I: 1, A: 1}); err != nil {
			t.Fatal(err)
		}
		head := []string{"编号 Code *", "名称 Name *", "类型 Type *", "所属部门 Department", "所有者 Owner", "保密性 C *", "完整性 I *",
			"可用性 A *", "上级资产编号 Parent code", "IP地址 IP address", "涉密计算机 Classified"}
		bad := [][]string{head,
			{"PC-1", "电脑一", "硬件", "工程部", "emp1", "3", "3", "3", "", "192.168.1.2", "是"},
			{"PC-2", "电脑二", "计算机", "不存在部", "无此人", "6", "x", "3", "NOPE", "1.2.3", "也许"},
			{"OLD-1", "重复", "硬件", "", "", "1", "1", "1", "", "", ""},
			{"PC-1", "又一", "Hardware", "", "", "1", "1", "1", "", "", ""},
			{"", "", "", "", "", "", "", "", "", "", ""}, // blank rows are skipped
			{"", "无编号", "硬件", "", "", "1", "1", "", "", "", ""},
		}
		_, err := o.svc.ImportAssets(ctx, o.author, bad)
		e := isms.AsError(err)
		if e == nil || e.Code != isms.CodeInvalid {
			t.Fatalf("want invalid, got %v", err)
		}
		var msgs []string
		for _, f := range e.Fields {
			msgs = append(msgs, f.Field+" "+i18n.T("zh-CN", f.Msg))
		}
		all := strings.Join(msgs, "\n")
		for _, want := range []string{
			"R3C3 第3行，C 类型 Type *：“计算机” —— 不是已知的资产类型。",
			"R3C4 第3行，D 所属部门 Department：“不存在部” —— 部门不存在（按名称匹配）。",
			"R3C5 第3行，E 所有者 Owner：“无此人”",
			"R3C6 第3行，F 保密性 C *：“6” —— 必须在 1 到 5 之间。",
			"R3C7 第3行，G 完整性 I *：“x” —— 必须是整数。",
			"R3C9 第3行，I 上级资产编号 Parent code：“NOPE”",
			"R3C10 第3行，J IP地址 IP address：“1.2.3”",
			"R3C11 第3行，K 涉密计算机 Classified：“也许”",
			"R4C1 第4行，A 编号 Code *：“OLD-1” —— 资产编号已被使用。",
			"R5C1 第5行，A 编号 Code *：“PC-1” —— 编号与第2行重复。",
			"R7C1 第7行，A 编号 Code *：“” —— 必填。",
			"R7C8 第7行，H 可用性 A *：“” —— 必须在 1 到 5 之间。",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("missing %q in\n%s", want, all)
			}
		}
		if n := count(t, st, "assets"); n != 1 {
			t.Fatalf("a failed import wrote %d assets", n)
		}
		// Wrong columns are named before any row is read.
		_, err = o.svc.ImportAssets(ctx, o.author, [][]string{{"编号", "名字", "Type"}, {"A", "B", "硬件"}})
		e = isms.AsError(err)
		if e == nil || len(e.Fields) < 2 || !strings.Contains(i18n.T("zh-CN", e.Fields[0].Msg), "无法识别的列名“名字”") {
			t.Fatalf("headers: %+v", e)
		}
		// A good sheet: parents may come later in the sheet.
		good := [][]string{head,
			{"RACK-1", "机柜", "场所", "工程部", "", "2", "2", "4", "", "", ""},
			{"PC-1", "电脑一", "硬件", "工程部", "E-emp1", "4", "3", "3", "SRV-1", "192.168.1.2", "是"},
			{"SRV-1", "服务器", "hardware", "", "head", "3", "3", "3", "RACK-1", "", ""},
		}
		n, err := o.svc.ImportAssets(ctx, o.author, good)
		if err != nil || n != 3 {
			t.Fatalf("import: %d %v", n, err)
		}
		l, _ := o.svc.ListAssets(ctx, o.author, isms.AssetFilter{Text: "PC-1"})
		pc := l.Assets[0]
		if pc.OwnerID != personID(t, o, "emp1") || !pc.Classified || pc.Value != 4 || !pc.Important || pc.ParentID == "" || pc.DeptID != o.eng.ID {
			t.Fatalf("imported: %+v", pc)
		}
		if c := countWhere(t, st, "audit_log", "action = 'asset.import'"); c != 1 {
			t.Fatalf("import audit entries: %d", c)
		}
		// A cycle within a sheet is refused.
		_, err = o.svc.ImportAssets(ctx, o.author, [][]string{head,
			{"C-1", "一", "硬件", "", "", "1", "1", "1", "C-2", "", ""},
			{"C-2", "二", "硬件", "", "", "1", "1", "1", "C-1", "", ""}})
		wantCode(t, err, isms.CodeInvalid, "R2C9")
	})
}

// Lifecycle: an owner change filed more than a week late is flagged; a
// transfer waits for the deputy general manager (never the filer) and
// then moves the asset and files a record; send-out repair needs backup
// and wipe; scrapping ends it.
func TestAssetLifecycle(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		o := newDocOrg(t, st)
		ctx := context.Background()
		x, err := o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "PC-9", Name: "工作站", Type: "hardware", DeptID: o.admin.ID,
			OwnerID: personID(t, o, "emp1"), C: 2, I: 2, A: 2, Status: isms.AssetPending})
		if err != nil || x.Status != isms.AssetPending {
			t.Fatalf("pending: %+v %v", x, err)
		}
		// Acceptance goes to a department head; computers need a virus check.
		_, err = o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "acceptance", Date: "2026-11-01",
			Details: isms.EventDetails{Result: "合格"}})
		wantCode(t, err, isms.CodeInvalid, "virus_checked")
		e, err := o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "acceptance", Date: "2026-11-01",
			Details: isms.EventDetails{Result: "合格", VirusChecked: true}})
		if err != nil || e.Status != isms.EventPending {
			t.Fatalf("acceptance: %+v %v", e, err)
		}
		if _, err := o.svc.DecideApproval(ctx, o.head, e.ApprovalID, true, "同意"); err != nil {
			t.Fatal(err)
		}
		if got, _ := o.svc.Asset(ctx, o.author, x.ID); got.Status != isms.AssetInUse {
			t.Fatalf("after acceptance: %s", got.Status)
		}
		// Owner changes: on time (7 days) and late (8 days).
		onTime, err := o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "owner_change", Date: "2026-10-26",
			Details: isms.EventDetails{ToOwnerID: personID(t, o, "emp2")}})
		if err != nil || onTime.Late || onTime.Status != isms.EventRecorded || onTime.RecordID == "" {
			t.Fatalf("on time: %+v %v", onTime, err)
		}
		late, err := o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "owner_change", Date: "2026-10-25",
			Details: isms.EventDetails{ToOwnerID: personID(t, o, "emp1")}})
		if err != nil || !late.Late || late.Details.FromOwnerID != personID(t, o, "emp2") {
			t.Fatalf("late: %+v %v", late, err)
		}
		if ls, _ := o.svc.LateOwnerChanges(ctx, o.head); len(ls) != 1 || ls[0].ID != late.ID {
			t.Fatalf("late list: %+v", ls)
		}
		// A transfer needs a deputy general manager; nobody holds the role yet.
		tr := isms.AssetEvent{Kind: "transfer", Date: "2026-11-02", Details: isms.EventDetails{ToDeptID: o.eng.ID, ToLocation: "工程部 3 楼"}}
		_, err = o.svc.FileAssetEvent(ctx, o.author, x.ID, tr)
		wantCode(t, err, isms.CodeInvalid, "kind")
		dgm := actorOf(t, o.svc, st, o.org, "dgm", isms.RoleDeputyGM)
		e, err = o.svc.FileAssetEvent(ctx, o.author, x.ID, tr)
		if err != nil || e.Status != isms.EventPending {
			t.Fatalf("transfer: %+v %v", e, err)
		}
		_, err = o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "repair", Date: "2026-11-02", Details: isms.EventDetails{Fault: "蓝屏"}})
		wantCode(t, err, isms.CodeConflict, "kind")
		_, err = o.svc.DecideApproval(ctx, o.head, e.ApprovalID, true, "")
		wantCode(t, err, isms.CodeForbidden, "")
		if _, err := o.svc.DecideApproval(ctx, dgm, e.ApprovalID, true, "同意调用"); err != nil {
			t.Fatal(err)
		}
		got, _ := o.svc.Asset(ctx, o.author, x.ID)
		if got.DeptID != o.eng.ID || got.Location != "工程部 3 楼" {
			t.Fatalf("after transfer: %+v", got)
		}
		if n := countWhere(t, st, "records r JOIN record_types t ON t.id = r.type_id", fmt.Sprintf("t.code = 'asset_transfer' AND r.source_id = '%s'", x.ID)); n != 1 {
			t.Fatalf("transfer records: %d", n)
		}
		// Send-out repair: backup and wipe first; the return is accepted
		// and virus-checked.
		_, err = o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "repair", Date: "2026-11-02",
			Details: isms.EventDetails{Fault: "主板故障", SentOut: true, Vendor: "某维修公司"}})
		wantCode(t, err, isms.CodeInvalid, "data_backed_up")
		wantCode(t, err, isms.CodeInvalid, "data_wiped")
		_, err = o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "repair", Date: "2026-11-02",
			Details: isms.EventDetails{Fault: "主板故障", Vendor: "某维修公司"}})
		wantCode(t, err, isms.CodeInvalid, "supervisor")
		e, err = o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "repair", Date: "2026-11-02",
			Details: isms.EventDetails{Fault: "主板故障", SentOut: true, Vendor: "某维修公司", DataBackedUp: true, DataWiped: true}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.DecideApproval(ctx, o.head, e.ApprovalID, true, ""); err != nil {
			t.Fatal(err)
		}
		if got, _ := o.svc.Asset(ctx, o.author, x.ID); got.Status != isms.AssetInRepair {
			t.Fatalf("in repair: %s", got.Status)
		}
		_, err = o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "repair_return", Date: "2026-11-02", Details: isms.EventDetails{Accepted: true}})
		wantCode(t, err, isms.CodeInvalid, "virus_checked")
		if _, err := o.svc.FileAssetEvent(ctx, o.author, x.ID, isms.AssetEvent{Kind: "repair_return", Date: "2026-11-02",
			Details: isms.EventDetails{Accepted: true, VirusChecked: true}}); err != nil {
			t.Fatal(err)
		}
		// Scrapping: rejected first (the asset stays), then approved.
		sc := isms.AssetEvent{Kind: "scrap", Date: "2026-11-02", Details: isms.EventDetails{Reason: "主板损坏无修复价值", Appraisal: "经鉴定无升级维修价值", DataWiped: true}}
		e, err = o.svc.FileAssetEvent(ctx, o.author, x.ID, sc)
		if err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.DecideApproval(ctx, o.author, e.ApprovalID, true, "")
		wantCode(t, err, isms.CodeForbidden, "")
		if _, err := o.svc.DecideApproval(ctx, o.head, e.ApprovalID, false, "尚可使用"); err != nil {
			t.Fatal(err)
		}
		if got, _ := o.svc.Asset(ctx, o.author, x.ID); got.Status != isms.AssetInUse {
			t.Fatalf("after rejection: %s", got.Status)
		}
		e, _ = o.svc.FileAssetEvent(ctx, o.author, x.ID, sc)
		if _, err := o.svc.DecideApproval(ctx, o.head, e.ApprovalID, true, "同意报废"); err != nil {
			t.Fatal(err)
		}
		if got, _ := o.svc.Asset(ctx, o.author, x.ID); got.Status != isms.AssetScrapped {
			t.Fatalf("after scrapping: %s", got.Status)
		}
		events, _ := o.svc.AssetEvents(ctx, o.head, x.ID)
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Kind+":"+e.Status)
		}
		want := "acceptance:approved owner_change:recorded owner_change:recorded transfer:approved repair:approved repair_return:recorded scrap:rejected scrap:approved"
		if strings.Join(kinds, " ") != want {
			t.Fatalf("history:\n%s\nwant\n%s", strings.Join(kinds, " "), want)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'asset' AND status = 'open'"); n != 0 {
			t.Fatalf("approval tasks left open: %d", n)
		}
	})
}

package service_test

import (
	"context"
	"strings"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func recordStates(t *testing.T, svc *service.Service, a isms.Actor, state string) []string {
	t.Helper()
	l, err := svc.ListRecords(context.Background(), a, store.RecordFilter{State: state})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range l.Records {
		if r.State != state {
			t.Fatalf("%s listed under %s is %s", r.Title, state, r.State)
		}
		out = append(out, r.Title)
	}
	return out
}

// Retention and disposal, on both engines: only records past retention
// and not held are disposed of, with approval by someone else, and the
// disposal is logged (what, who, when, how).
func TestRecordRetentionAndDisposal(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st) // today is 2026-11-02 in Shanghai
		svc := o.svc
		logbook, err := svc.CreateRecordType(ctx, o.author, isms.RecordType{Code: "machine_room_log", NameZH: "机房出入登记簿",
			Category: "b", Form: "logbook", Medium: "paper", RetentionMonths: 12, Location: "工程部档案柜", OwnerDeptID: o.eng.ID})
		if err != nil {
			t.Fatal(err)
		}
		certs, err := svc.CreateRecordType(ctx, o.author, isms.RecordType{Code: "certificate", NameZH: "等级保护备案证明",
			Category: "c", Form: "certificate", RetentionMonths: 0})
		if err != nil {
			t.Fatal(err)
		}
		reg := func(typ isms.RecordType, title, date string) isms.Record {
			r, err := svc.RegisterRecord(ctx, o.author, isms.Record{TypeID: typ.ID, Title: title, RecordDate: date, DeptID: o.eng.ID})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		// Kept 12 months: the 2025-11-01 volume's last day was 2026-11-01.
		old := reg(logbook, "第1册", "2025-11-01")
		last := reg(logbook, "第2册", "2025-11-02")
		perm := reg(certs, "备案证明", "2010-01-01")
		older := reg(logbook, "第0册", "2024-06-30")
		if old.State != isms.RecordDue || old.RetainUntil != "2026-11-01" || last.State != isms.RecordKept || perm.RetainUntil != "" {
			t.Fatalf("states: %+v %+v %+v", old, last, perm)
		}
		if !strings.HasPrefix(old.Number(), "JL-") || old.N == last.N {
			t.Fatalf("numbers: %s %s", old.Number(), last.Number())
		}
		for text, want := range map[string]string{"第0册": "第0册", "0册": "第0册", "备案证": "备案证明", old.Number(): "第1册",
			strings.ToLower(last.Number()): "第2册", "无此记录": ""} {
			l, err := svc.ListRecords(ctx, o.rep, store.RecordFilter{Text: text})
			got := ""
			if len(l.Records) == 1 {
				got = l.Records[0].Title
			}
			if err != nil || got != want || len(l.Records) > 1 {
				t.Errorf("search %q: %d records, %q, %v", text, len(l.Records), got, err)
			}
		}
		if got := recordStates(t, svc, o.rep, isms.RecordDue); len(got) != 2 || got[0] != "第1册" || got[1] != "第0册" {
			t.Fatalf("due: %v", got)
		}
		if got := recordStates(t, svc, o.rep, isms.RecordKept); len(got) != 2 {
			t.Fatalf("kept: %v", got)
		}
		// A date in the future is refused, naming the field.
		_, err = svc.RegisterRecord(ctx, o.author, isms.Record{TypeID: logbook.ID, Title: "明天", RecordDate: "2026-11-03"})
		wantCode(t, err, isms.CodeInvalid, "record_date")

		// Within retention, permanent, unknown: refused, nothing written.
		for _, ids := range [][]string{{old.ID, last.ID}, {perm.ID}, {old.ID, "0192e4a0-0000-7000-8000-000000000000"}} {
			_, err := svc.RequestDisposal(ctx, o.author, isms.DisposalRequest{RecordIDs: ids, Method: "shred"})
			if err == nil {
				t.Fatal("disposal of a record not due was accepted")
			}
			wantCode(t, err, isms.AsError(err).Code, "record_ids")
		}
		_, err = svc.RequestDisposal(ctx, o.author, isms.DisposalRequest{RecordIDs: []string{old.ID}, Method: "bonfire"})
		wantCode(t, err, isms.CodeInvalid, "method")
		if n := count(t, st, "record_disposals"); n != 0 {
			t.Fatalf("%d disposals written by refused requests", n)
		}
		// Employees see no register; department heads read it but change nothing.
		_, err = svc.ListRecords(ctx, o.emp1, store.RecordFilter{})
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = svc.HoldRecords(ctx, o.head, []string{old.ID}, "诉讼", false)
		wantCode(t, err, isms.CodeForbidden, "")

		// A legal hold on the record, then on its type, blocks disposal.
		if n, err := svc.HoldRecords(ctx, o.author, []string{old.ID}, "", false); err == nil || n != 0 {
			t.Fatal("a hold without a reason was placed")
		}
		if _, err := svc.HoldRecords(ctx, o.author, []string{old.ID}, "劳动争议诉讼", false); err != nil {
			t.Fatal(err)
		}
		_, err = svc.RequestDisposal(ctx, o.author, isms.DisposalRequest{RecordIDs: []string{old.ID}, Method: "shred"})
		if e := isms.AsError(err); e.Code != isms.CodeConflict || e.Fields[0].Msg.ID != "record.on_hold" {
			t.Fatalf("held record: %v", err)
		}
		if got := recordStates(t, svc, o.rep, isms.RecordHeld); len(got) != 1 || got[0] != "第1册" {
			t.Fatalf("held: %v", got)
		}
		if _, err := svc.HoldRecords(ctx, o.author, []string{old.ID}, "", true); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.HoldRecordType(ctx, o.author, logbook.ID, "公安机关调查", false); err != nil {
			t.Fatal(err)
		}
		if got := recordStates(t, svc, o.rep, isms.RecordDue); len(got) != 0 {
			t.Fatalf("due while the type is held: %v", got)
		}
		if _, err := svc.HoldRecordType(ctx, o.author, logbook.ID, "", true); err != nil {
			t.Fatal(err)
		}

		// Request; the requester cannot approve; a hold placed meanwhile
		// stops the approval; once lifted, someone else approves.
		d, err := svc.RequestDisposal(ctx, o.rep, isms.DisposalRequest{RecordIDs: []string{old.ID, older.ID}, Method: "shred",
			Reason: "超过保存期限"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != isms.DisposalPending || d.RecordCount != 2 {
			t.Fatalf("request: %+v", d)
		}
		if got := recordStates(t, svc, o.rep, isms.RecordInDisp); len(got) != 2 {
			t.Fatalf("in disposal: %v", got)
		}
		_, err = svc.RequestDisposal(ctx, o.author, isms.DisposalRequest{RecordIDs: []string{old.ID}, Method: "shred"})
		if e := isms.AsError(err); e.Code != isms.CodeConflict || e.Fields[0].Msg.ID != "record.in_disposal" {
			t.Fatalf("second request: %v", err)
		}
		_, err = svc.DecideDisposal(ctx, o.rep, d.ID, true, "")
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = svc.DecideDisposal(ctx, o.author, d.ID, true, "")
		wantCode(t, err, isms.CodeForbidden, "") // the ISMS team does not approve disposals
		if _, err := svc.HoldRecords(ctx, o.author, []string{older.ID}, "审计调阅", false); err != nil {
			t.Fatal(err)
		}
		_, err = svc.DecideDisposal(ctx, o.top, d.ID, true, "")
		if e := isms.AsError(err); e.Code != isms.CodeConflict || e.Fields[0].Msg.ID != "record.on_hold" {
			t.Fatalf("approval over a hold: %v", err)
		}
		if _, err := svc.HoldRecords(ctx, o.author, []string{older.ID}, "", true); err != nil {
			t.Fatal(err)
		}
		if d, err = svc.DecideDisposal(ctx, o.top, d.ID, true, "同意"); err != nil || d.Status != isms.DisposalApproved {
			t.Fatalf("approve: %+v %v", d, err)
		}
		// Carried out: not before the approval, then logged.
		_, err = svc.ExecuteDisposal(ctx, o.author, d.ID, isms.DisposalExecution{ExecutedOn: "2026-11-01"})
		wantCode(t, err, isms.CodeInvalid, "executed_on")
		d, err = svc.ExecuteDisposal(ctx, o.author, d.ID, isms.DisposalExecution{ExecutedOn: "2026-11-02", Witness: "王五"})
		if err != nil || d.Status != isms.DisposalDone || d.ExecutedBy == "" || d.Method != "shred" {
			t.Fatalf("execute: %+v %v", d, err)
		}
		log, err := svc.ListDisposals(ctx, o.head, isms.DisposalDone)
		if err != nil || len(log) != 1 || log[0].Witness != "王五" || log[0].RequestedBy == "" || log[0].DecidedBy == "" {
			t.Fatalf("disposal log: %+v %v", log, err)
		}
		full, err := svc.Disposal(ctx, o.head, d.ID)
		if err != nil || len(full.Records) != 2 || full.Records[0].State != isms.RecordDisposed {
			t.Fatalf("disposal: %+v %v", full, err)
		}
		// The disposal is itself a record, kept permanently.
		filed, _ := svc.ListRecords(ctx, o.rep, store.RecordFilter{SourceType: "disposal", SourceID: d.ID})
		if len(filed.Records) != 1 || filed.Records[0].Type.Code != "disposal_log" || filed.Records[0].RetainUntil != "" {
			t.Fatalf("disposal record: %+v", filed.Records)
		}
		_, err = svc.HoldRecords(ctx, o.author, []string{old.ID}, "太迟了", false)
		wantCode(t, err, isms.CodeConflict, "record_ids")
		for _, action := range []string{"disposal.request", "disposal.approve", "disposal.execute", "record.hold", "record.release",
			"record_type.hold", "record_type.release"} {
			if countWhere(t, st, "audit_log", "action = '"+action+"'") == 0 {
				t.Errorf("no %s in the trail", action)
			}
		}
		// The approver's and the executor's tasks are closed.
		if n := countWhere(t, st, "tasks", "source_type = 'disposal' AND status = 'open'"); n != 0 {
			t.Fatalf("%d disposal tasks still open", n)
		}

		// A rejection needs a reason and frees the records.
		if _, err := svc.UpdateRecordType(ctx, o.author, logbook.ID, isms.RecordType{Code: "machine_room_log", NameZH: "机房出入登记簿",
			Category: "b", Form: "logbook", Medium: "paper", RetentionMonths: 6}); err != nil {
			t.Fatal(err)
		}
		// Six months now: the 2025-11-02 volume is past retention at once.
		d2, err := svc.RequestDisposal(ctx, o.author, isms.DisposalRequest{RecordIDs: []string{last.ID}, Method: "archive_transfer"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.DecideDisposal(ctx, o.rep, d2.ID, false, "")
		wantCode(t, err, isms.CodeInvalid, "note")
		if d2, err = svc.DecideDisposal(ctx, o.rep, d2.ID, false, "移交前须先扫描"); err != nil || d2.Status != isms.DisposalRejected {
			t.Fatalf("reject: %+v %v", d2, err)
		}
		_, err = svc.ExecuteDisposal(ctx, o.author, d2.ID, isms.DisposalExecution{ExecutedOn: "2026-11-02"})
		wantCode(t, err, isms.CodeConflict, "status")
		if got := recordStates(t, svc, o.rep, isms.RecordDue); len(got) != 1 || got[0] != "第2册" {
			t.Fatalf("due after rejection: %v", got)
		}

		// Another organization sees none of it.
		other, _ := svc.CreateOrganization(ctx, isms.CLIActor("t"), isms.Organization{Name: "他单位"})
		stranger := actorOf(t, svc, st, other, "stranger", isms.RoleManagementRep)
		_, err = svc.RecordEntry(ctx, stranger, old.ID)
		wantCode(t, err, isms.CodeNotFound, "")
		_, err = svc.Disposal(ctx, stranger, d.ID)
		wantCode(t, err, isms.CodeNotFound, "")
		_, err = svc.HoldRecords(ctx, stranger, []string{last.ID}, "越权", false)
		wantCode(t, err, isms.CodeInvalid, "record_ids")
		if l, _ := svc.ListRecords(ctx, stranger, store.RecordFilter{}); len(l.Records) != 0 {
			t.Fatalf("stranger lists %d records", len(l.Records))
		}
	})
}

// Modules file their records as they make them, each under its type; a
// duty's record kind names the type.
func TestModulesFileRecords(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		svc := o.svc
		ob, err := svc.CreateObligation(ctx, o.rep, isms.Obligation{TitleZH: "消防演练", OwnerRole: isms.RoleISMSTeam,
			Schedule: isms.Schedule{Frequency: isms.FreqMonthly, Start: "2026-10-01"}, LeadDays: 30, Evidence: isms.EvidenceRecord, RecordKind: "drill"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Tick(ctx, o.clock.Now()); err != nil {
			t.Fatal(err)
		}
		tasks, err := svc.ObligationHistory(ctx, o.rep, ob.ID)
		if err != nil || len(tasks) == 0 {
			t.Fatalf("tasks: %d %v", len(tasks), err)
		}
		if _, err := svc.CompleteTask(ctx, o.author, tasks[0].ID, "演练完成，记录见附件"); err != nil {
			t.Fatal(err)
		}
		item, err := svc.CreateLegal(ctx, o.rep, isms.LegalItem{Kind: "law", Title: "中华人民共和国网络安全法", OwnerDeptID: o.admin.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.EvaluateLegal(ctx, o.rep, item.ID, isms.LegalEvaluation{EvaluatedOn: "2026-10-30", Result: "compliant"}); err != nil {
			t.Fatal(err)
		}
		l, err := svc.ListRecords(ctx, o.head, store.RecordFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byType := map[string]isms.Record{}
		for _, r := range l.Records {
			byType[r.Type.Code] = r
		}
		drill, legal := byType["drill"], byType["legal_evaluation"]
		if drill.SourceType != "task" || drill.SourceID != tasks[0].ID || drill.Type.NameZH != "应急演练记录" || drill.Type.Category != "c" {
			t.Fatalf("duty record: %+v", drill)
		}
		// The evaluation's date is the record's; kept 36 months by default.
		if legal.RecordDate != "2026-10-30" || legal.RetainUntil != "2029-10-30" || legal.DeptID != o.admin.ID ||
			!strings.Contains(legal.Title, "网络安全法") {
			t.Fatalf("evaluation record: %+v", legal)
		}
		if n := countWhere(t, st, "audit_log", "action = 'record.file'"); n != 2 {
			t.Fatalf("%d record.file entries", n)
		}
		// The types were created on first use, once.
		if n := countWhere(t, st, "record_types", "code IN ('drill', 'legal_evaluation')"); n != 2 {
			t.Fatalf("%d types", n)
		}
	})
}

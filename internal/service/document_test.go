package service_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"openisms/internal/auth"
	"openisms/internal/blob"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// docOrg is an organization with two departments and the people who
// compile, review, approve and read documents.
type docOrg struct {
	svc                          *service.Service
	clock                        *isms.FakeClock
	org                          isms.Organization
	admin, eng                   isms.Department
	author, rep, top, head, emp1 isms.Actor
	emp2                         isms.Actor
}

func newDocOrg(t *testing.T, st *store.Store) *docOrg {
	t.Helper()
	ctx := context.Background()
	clock := isms.NewFakeClock(time.Date(2026, 11, 2, 9, 0, 0, 0, shanghai))
	svc := service.New(st, clock, auth.Hasher{P: auth.TestParams}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.SetBlobs(blob.Local{Dir: t.TempDir()})
	cli := isms.CLIActor("t")
	o := &docOrg{svc: svc, clock: clock}
	var err error
	if o.org, err = svc.CreateOrganization(ctx, cli, isms.Organization{Name: "文件控制测试单位"}); err != nil {
		t.Fatal(err)
	}
	o.admin, _ = svc.CreateDepartment(ctx, cli, isms.Department{OrgID: o.org.ID, Name: "行政部"})
	o.eng, _ = svc.CreateDepartment(ctx, cli, isms.Department{OrgID: o.org.ID, Name: "工程部"})
	person := func(username string, dept isms.Department, role isms.Role) isms.Actor {
		p, err := svc.CreatePerson(ctx, cli, isms.Person{OrgID: o.org.ID, DeptID: dept.ID, Name: username, EmployeeNo: "E-" + username})
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: o.org.ID, PersonID: p.ID, Username: username,
			Password: "Docs-pw-2026x", KeepPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.GrantRole(ctx, cli, a.ID, role); err != nil {
			t.Fatal(err)
		}
		return isms.Actor{AccountID: a.ID, OrgID: o.org.ID, OrgPath: o.org.Path, Username: username, Via: "session", Roles: []isms.Role{role}}
	}
	o.author = person("author", o.admin, isms.RoleISMSTeam)
	o.rep = person("rep", o.admin, isms.RoleManagementRep)
	o.top = person("top", o.admin, isms.RoleTopManager)
	o.head = person("head", o.eng, isms.RoleDeptHead)
	o.emp1 = person("emp1", o.eng, isms.RoleEmployee)
	o.emp2 = person("emp2", o.eng, isms.RoleEmployee)
	return o
}

func wantCode(t *testing.T, err error, code isms.Code, field string) {
	t.Helper()
	e := isms.AsError(err)
	if e == nil || e.Code != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	if field != "" {
		found := false
		for _, f := range e.Fields {
			found = found || f.Field == field
		}
		if !found {
			t.Fatalf("want field %s in %+v", field, e)
		}
	}
}

// A procedure walks draft → review → approval → publication → revision →
// supersession; every wrong step is refused and leaves nothing behind.
func TestDocumentLifecycle(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		svc := o.svc
		d, err := svc.CreateDocument(ctx, o.author, service.DocInput{Document: isms.Document{Code: "XX-B-02", Title: "文件控制程序",
			Type: isms.DocProcedure, DeptID: o.admin.ID}, Body: "# 目的\n\n规范文件的编制、评审、批准和发放。"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != isms.DocDraft || d.VersionLabel != "A/0" || d.ReviewMonths != 12 {
			t.Fatalf("new document: %+v", d)
		}
		// Duplicate code.
		_, err = svc.CreateDocument(ctx, o.author, service.DocInput{Document: isms.Document{Code: "XX-B-02", Title: "重复", Type: isms.DocProcedure}})
		wantCode(t, err, isms.CodeConflict, "code")
		// An employee can neither compile nor see the draft.
		_, err = svc.CreateDocument(ctx, o.emp1, service.DocInput{Document: isms.Document{Code: "E-1", Title: "x", Type: isms.DocForm}})
		wantCode(t, err, isms.CodeForbidden, "")
		if _, err := svc.Document(ctx, o.emp1, d.ID); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Fatalf("employee reads a draft: %v", err)
		}
		// Publishing or approving a draft is refused.
		_, err = svc.PublishDocument(ctx, o.author, d.ID)
		wantCode(t, err, isms.CodeConflict, "status")
		_, err = svc.ApproveDocument(ctx, o.rep, d.ID, service.DocApproval{})
		wantCode(t, err, isms.CodeConflict, "status")
		// Submit: a reviewer is required, the author cannot review.
		_, err = svc.SubmitDocument(ctx, o.author, d.ID, service.Submission{})
		wantCode(t, err, isms.CodeInvalid, "reviewer_ids")
		_, err = svc.SubmitDocument(ctx, o.author, d.ID, service.Submission{Reviewers: []string{o.author.AccountID}})
		wantCode(t, err, isms.CodeInvalid, "reviewer_ids")
		d, err = svc.SubmitDocument(ctx, o.author, d.ID, service.Submission{Reviewers: []string{o.head.AccountID}, Consulted: []string{o.eng.ID}})
		if err != nil || d.Status != isms.DocInReview {
			t.Fatalf("submit: %+v %v", d, err)
		}
		// In review the text is frozen.
		_, err = svc.UpdateDocument(ctx, o.author, d.ID, service.DocInput{Document: d, Body: "改"})
		wantCode(t, err, isms.CodeConflict, "status")
		// The reviewer sees the draft and has a task; the comment completes it.
		if _, err := svc.Document(ctx, o.head, d.ID); err != nil {
			t.Fatalf("reviewer reads: %v", err)
		}
		if _, err := svc.CommentDocument(ctx, o.head, d.ID, o.eng.ID, "工程部同意，建议补充外来文件的标识方法。"); err != nil {
			t.Fatal(err)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'document_version' AND status = 'open'"); n != 0 {
			t.Fatalf("%d review tasks still open", n)
		}
		// Approval: not by the author, not by the wrong role; an effective
		// date before the approval day is refused.
		author2 := o.author
		author2.Roles = []isms.Role{isms.RoleManagementRep}
		_, err = svc.ApproveDocument(ctx, author2, d.ID, service.DocApproval{})
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = svc.ApproveDocument(ctx, o.top, d.ID, service.DocApproval{})
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = svc.ApproveDocument(ctx, o.rep, d.ID, service.DocApproval{EffectiveDate: "2026-11-01"})
		wantCode(t, err, isms.CodeInvalid, "effective_date")
		// Reject returns it to draft with the reason.
		d, err = svc.RejectDocument(ctx, o.rep, d.ID, "补充外来文件部分")
		if err != nil || d.Status != isms.DocDraft {
			t.Fatalf("reject: %+v %v", d, err)
		}
		if _, err := svc.UpdateDocument(ctx, o.author, d.ID, service.DocInput{Document: d, Body: "# 目的\n\n含外来文件。", ChangeNote: "补充"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SubmitDocument(ctx, o.author, d.ID, service.Submission{Reviewers: []string{o.head.AccountID}}); err != nil {
			t.Fatal(err)
		}
		// Approved for a future day: approved, not yet in force; publishing
		// early is refused; the scheduler publishes on the day.
		d, err = svc.ApproveDocument(ctx, o.rep, d.ID, service.DocApproval{EffectiveDate: "2026-11-05", Comment: "同意发布"})
		if err != nil || d.Status != isms.DocApproved {
			t.Fatalf("approve: %+v %v", d, err)
		}
		_, err = svc.PublishDocument(ctx, o.author, d.ID)
		wantCode(t, err, isms.CodeConflict, "effective_date")
		o.clock.Advance(time.Date(2026, 11, 5, 0, 30, 0, 0, shanghai).Sub(o.clock.Now())) // 16:30 UTC the day before
		res, err := svc.Tick(ctx, o.clock.Now())
		if err != nil || res.Published != 1 {
			t.Fatalf("tick: %+v %v", res, err)
		}
		v, err := svc.Document(ctx, o.emp1, d.ID)
		if err != nil || v.Status != isms.DocPublished || v.EffectiveDate != "2026-11-05" || v.NextReview != "2027-11-05" ||
			len(v.Versions) != 1 || v.Current().Label != "A/0" {
			t.Fatalf("published: %+v %v", v.Document, err)
		}
		// Revise: A/1 is a draft while A/0 stays in force; readers see A/0 only.
		if _, err := svc.ReviseDocument(ctx, o.author, d.ID, service.Revision{Note: "年度修订"}); err != nil {
			t.Fatal(err)
		}
		v, _ = svc.Document(ctx, o.emp1, d.ID)
		if v.Status != isms.DocPublished || v.VersionLabel != "A/0" || len(v.Versions) != 1 {
			t.Fatalf("reader during revision: %+v", v.Document)
		}
		v, _ = svc.Document(ctx, o.author, d.ID)
		if v.RevisionStatus != isms.DocDraft || len(v.Versions) != 2 || v.Working().Label != "A/1" {
			t.Fatalf("author during revision: %+v", v.Document)
		}
		if _, err := svc.SubmitDocument(ctx, o.author, d.ID, service.Submission{Reviewers: []string{o.head.AccountID}}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ApproveDocument(ctx, o.rep, d.ID, service.DocApproval{}); err != nil {
			t.Fatal(err)
		}
		v, _ = svc.Document(ctx, o.emp1, d.ID)
		if v.VersionLabel != "A/1" || len(v.Versions) != 2 || v.Versions[1].Status != isms.DocSuperseded || !v.Versions[1].Retired() {
			t.Fatalf("after A/1: %+v %+v", v.Document, v.Versions)
		}
		// Withdraw: obsolete, still readable, marked.
		d, err = svc.ObsoleteDocument(ctx, o.rep, d.ID, "合并入手册")
		if err != nil || d.Status != isms.DocObsolete {
			t.Fatalf("obsolete: %+v %v", d, err)
		}
		v, _ = svc.Document(ctx, o.emp1, d.ID)
		if v.Current() == nil || v.Current().Status != isms.DocObsolete {
			t.Fatalf("obsolete view: %+v", v.Versions)
		}
		// The trail holds every step.
		var steps []string
		rows, err := st.DB().Query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY seq`, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			steps = append(steps, strings.TrimPrefix(s, "document."))
		}
		rows.Close()
		want := "create submit comment reject update submit approve publish revise submit approve publish obsolete"
		if got := strings.Join(steps, " "); got != want {
			t.Fatalf("trail:\n got %s\nwant %s", got, want)
		}
	})
}

func countWhere(t *testing.T, st *store.Store, table, cond string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow("SELECT count(*) FROM " + table + " WHERE " + cond).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// publishNow takes a new procedure straight to publication.
func publishNow(t *testing.T, o *docOrg, code, title, body string) isms.Document {
	t.Helper()
	ctx := context.Background()
	d, err := o.svc.CreateDocument(ctx, o.author, service.DocInput{Document: isms.Document{Code: code, Title: title,
		Type: isms.DocProcedure, DeptID: o.admin.ID}, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.svc.SubmitDocument(ctx, o.author, d.ID, service.Submission{Reviewers: []string{o.head.AccountID}}); err != nil {
		t.Fatal(err)
	}
	if d, err = o.svc.ApproveDocument(ctx, o.rep, d.ID, service.DocApproval{}); err != nil || d.Status != isms.DocPublished {
		t.Fatalf("publish: %+v %v", d, err)
	}
	return d
}

// Distribution gives each recipient one task; acknowledgements and the
// coverage by department follow; past the due day the rest are overdue.
func TestDocumentAcknowledgement(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		d := publishNow(t, o, "XX-A-04.06", "口令控制策略", "口令长度不少于8位。")
		// The engineering department (head, emp1, emp2) and the top manager's role.
		n, err := o.svc.DistributeDocument(ctx, o.author, d.ID, service.Distribution{DeptIDs: []string{o.eng.ID},
			Roles: []isms.Role{isms.RoleTopManager}, DueOn: "2026-11-09"})
		if err != nil || n != 4 {
			t.Fatalf("distribute: %d %v", n, err)
		}
		// Widening the list adds only the new people.
		n, err = o.svc.DistributeDocument(ctx, o.author, d.ID, service.Distribution{DeptIDs: []string{o.eng.ID, o.admin.ID}, DueOn: "2026-11-16"})
		if err != nil || n != 2 {
			t.Fatalf("widen: %d %v", n, err)
		}
		_, err = o.svc.DistributeDocument(ctx, o.author, d.ID, service.Distribution{})
		wantCode(t, err, isms.CodeInvalid, "department_ids")
		_, err = o.svc.DistributeDocument(ctx, o.author, d.ID, service.Distribution{DeptIDs: []string{o.eng.ID}, DueOn: "2026-11-01"})
		wantCode(t, err, isms.CodeInvalid, "due_on")
		if _, err := o.svc.AcknowledgeDocument(ctx, o.emp1, d.ID); err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.AcknowledgeDocument(ctx, o.emp1, d.ID)
		wantCode(t, err, isms.CodeConflict, "")
		if _, err := o.svc.AcknowledgeDocument(ctx, o.top, d.ID); err != nil {
			t.Fatal(err)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'document_ack' AND status = 'done'"); n != 2 {
			t.Fatalf("%d reading tasks done", n)
		}
		o.clock.Advance(time.Date(2026, 11, 10, 9, 0, 0, 0, shanghai).Sub(o.clock.Now()))
		v, err := o.svc.Document(ctx, o.rep, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]service.CoverageRow{}
		for _, r := range service.Coverage(v.Acks, o.clock.Now()) {
			got[r.DeptID] = r
		}
		// 工程部: emp1 read; head, emp2 overdue (due 11-09). 行政部: top read
		// (by role); author and rep were added later, due 11-16.
		if got[o.eng.ID] != (service.CoverageRow{DeptID: o.eng.ID, Acknowledged: 1, Overdue: 2}) ||
			got[o.admin.ID] != (service.CoverageRow{DeptID: o.admin.ID, Acknowledged: 1, Pending: 2}) {
			t.Fatalf("coverage: %+v", got)
		}
		// A reader sees only their own line.
		v, _ = o.svc.Document(ctx, o.emp2, d.ID)
		if len(v.Acks) != 1 || v.MyAck == nil || v.MyAck.AccountID != o.emp2.AccountID {
			t.Fatalf("reader's acks: %+v", v.Acks)
		}
	})
}

// Chinese substrings of two characters or more find documents by title and
// body on both engines, alongside the type, status and department filters.
func TestDocumentSearch(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		if ok, err := st.CJKTrigrams(ctx); err != nil || !ok {
			t.Fatalf("the trigram index does not cover Chinese under this database's locale: %v", err)
		}
		mk := func(code, title, typ, body string) {
			if _, err := o.svc.CreateDocument(ctx, o.author, service.DocInput{Document: isms.Document{Code: code, Title: title,
				Type: typ, DeptID: o.eng.ID}, Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		mk("XX-A-04.06", "口令控制策略", isms.DocPolicy, "口令长度不少于8位")
		mk("XX-A-04.12", "病毒防范策略", isms.DocPolicy, "安装防病毒软件并及时更新病毒库")
		mk("XX-B-29", "用户访问管理程序", isms.DocProcedure, "用户口令由系统管理员初始化")
		mk("XX-B-15", "信息安全事件管理程序", isms.DocProcedure, "Incident reporting within 2 hours")
		publishNow(t, o, "XX-B-02", "文件控制程序", "文件的编制与发放")
		codes := func(f store.DocFilter) string {
			t.Helper()
			docs, err := o.svc.ListDocuments(ctx, o.author, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, d := range docs {
				out = append(out, d.Code)
			}
			return strings.Join(out, " ")
		}
		for _, c := range []struct {
			f    store.DocFilter
			want string
		}{
			{store.DocFilter{Text: "口令"}, "XX-A-04.06 XX-B-29"},               // two characters: title and body
			{store.DocFilter{Text: "口令控制"}, "XX-A-04.06"},                     // trigram index
			{store.DocFilter{Text: "病毒库"}, "XX-A-04.12"},                      // body only
			{store.DocFilter{Text: "策略"}, "XX-A-04.06 XX-A-04.12"},            // two characters, title
			{store.DocFilter{Text: "INCIDENT"}, "XX-B-15"},                    // case-insensitive
			{store.DocFilter{Text: "xx-b"}, "XX-B-02 XX-B-15 XX-B-29"},        // code
			{store.DocFilter{Text: "口令", Type: isms.DocProcedure}, "XX-B-29"}, // with a filter
			{store.DocFilter{Status: isms.DocPublished}, "XX-B-02"},
			{store.DocFilter{Text: "50%"}, ""}, // LIKE metacharacters are literal
			{store.DocFilter{Text: "不存在的文字"}, ""},
			{store.DocFilter{Text: "发放"}, "XX-B-02"},    // two characters ending the text
			{store.DocFilter{Text: "8位"}, "XX-A-04.06"}, // digit and Chinese
			{store.DocFilter{Text: "IN"}, "XX-B-15"},    // two letters, any case
			{store.DocFilter{Text: "无此"}, ""},           // two characters nowhere
			{store.DocFilter{Text: "毒库"}, "XX-A-04.12"}, // two characters inside the text
		} {
			if got := codes(c.f); got != c.want {
				t.Errorf("%+v: got %q, want %q", c.f, got, c.want)
			}
		}
		// A reader sees only what was published.
		docs, _ := o.svc.ListDocuments(ctx, o.emp1, store.DocFilter{Text: "程序"})
		if len(docs) != 1 || docs[0].Code != "XX-B-02" {
			t.Fatalf("reader's search: %+v", docs)
		}
		// Editing the text moves the index with it.
		all, _ := o.svc.ListDocuments(ctx, o.author, store.DocFilter{Text: "病毒库"})
		in := service.DocInput{Document: all[0], Body: "终端安装杀毒软件"}
		if _, err := o.svc.UpdateDocument(ctx, o.author, all[0].ID, in); err != nil {
			t.Fatal(err)
		}
		if got := codes(store.DocFilter{Text: "毒库"}); got != "" {
			t.Fatalf("after the edit, 毒库 finds %q", got)
		}
		if got := codes(store.DocFilter{Text: "杀毒"}); got != "XX-A-04.12" {
			t.Fatalf("after the edit, 杀毒 finds %q", got)
		}
		if got := codes(store.DocFilter{Text: "病毒库"}); got != "" {
			t.Fatalf("old text still found: %q", got)
		}
		if got := codes(store.DocFilter{Text: "杀毒软件"}); got != "XX-A-04.12" {
			t.Fatalf("new text: %q", got)
		}
	})
}

func docx(t *testing.T, parts ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, p := range parts {
		w, _ := z.Create(p)
		fmt.Fprint(w, "<x/>")
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Files: PDF, DOCX and XLSX whose content matches their name, within the
// size limit, on drafts only.
func TestDocumentAttachments(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		d, err := o.svc.CreateDocument(ctx, o.author, service.DocInput{Document: isms.Document{Code: "F-01", Title: "表单", Type: isms.DocForm}})
		if err != nil {
			t.Fatal(err)
		}
		before := count(t, st, "attachments")
		for _, c := range []struct {
			name string
			body []byte
		}{
			{"setup.exe", []byte("MZ\x90\x00")},
			{"run.pdf", []byte("MZ\x90\x00 pretending")},
			{"fake.pdf", []byte("hello, not a pdf")},
			{"fake.docx", []byte("PK\x03\x04 broken")},
			{"sheet.xlsx", docx(t, "[Content_Types].xml", "word/document.xml")}, // a Word file named .xlsx
			{"empty.pdf", nil},
			{"big.pdf", append([]byte("%PDF-1.7\n"), make([]byte, 2<<20)...)},
		} {
			if c.name == "big.pdf" {
				ds := isms.DefaultDocSettings()
				ds.MaxUploadMiB = 1
				if _, err := o.svc.SetDocumentSettings(ctx, o.author, ds); err != nil {
					t.Fatal(err)
				}
			}
			_, err := o.svc.AttachToDocument(ctx, o.author, d.ID, c.name, bytes.NewReader(c.body))
			wantCode(t, err, isms.CodeInvalid, "file")
		}
		if n := count(t, st, "attachments"); n != before {
			t.Fatalf("refused files left %d rows", n-before)
		}
		for name, body := range map[string][]byte{"流程.pdf": []byte("%PDF-1.4\n%…"),
			"模板.docx": docx(t, "[Content_Types].xml", "word/document.xml"), "台账.xlsx": docx(t, "[Content_Types].xml", "xl/workbook.xml")} {
			if _, err := o.svc.AttachToDocument(ctx, o.author, d.ID, name, bytes.NewReader(body)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		v, _ := o.svc.Document(ctx, o.author, d.ID)
		if len(v.Working().Files) != 3 {
			t.Fatalf("files: %+v", v.Working().Files)
		}
		// A document with only files (no text) may be submitted.
		if _, err := o.svc.SubmitDocument(ctx, o.author, d.ID, service.Submission{Reviewers: []string{o.rep.AccountID}}); err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.AttachToDocument(ctx, o.author, d.ID, "late.pdf", strings.NewReader("%PDF-1.4"))
		wantCode(t, err, isms.CodeConflict, "status")
	})
}

// The periodic review: a task for the owner at the review date; "no
// change" moves the date a cycle on and completes it.
func TestDocumentPeriodicReview(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		d := publishNow(t, o, "XX-B-07", "管理评审程序", "每年至少一次。")
		if d.NextReview != "2027-11-02" {
			t.Fatalf("next review %s", d.NextReview)
		}
		o.clock.Advance(time.Date(2027, 10, 10, 9, 0, 0, 0, shanghai).Sub(o.clock.Now()))
		if _, err := o.svc.Tick(ctx, o.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var assignee, source string
		if err := st.DB().QueryRow(`SELECT coalesce(assignee_account, ''), source_id FROM tasks WHERE source_type = 'document_review'`).
			Scan(&assignee, &source); err != nil {
			t.Fatal(err)
		}
		// The owning department (行政部) has no head: the author reviews.
		if assignee != o.author.AccountID || source != d.ID {
			t.Fatalf("review task for %s on %s", assignee, source)
		}
		if _, err := o.svc.Tick(ctx, o.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'document_review'"); n != 1 {
			t.Fatalf("%d review tasks after two ticks", n)
		}
		_, err := o.svc.ReviewDocument(ctx, o.author, d.ID, "maybe", "x")
		wantCode(t, err, isms.CodeInvalid, "outcome")
		d, err = o.svc.ReviewDocument(ctx, o.author, d.ID, service.ReviewNoChange, "仍然适用")
		if err != nil || d.NextReview != "2028-10-10" || d.VersionLabel != "A/0" {
			t.Fatalf("review: %+v %v", d, err)
		}
		if n := countWhere(t, st, "tasks", "source_type = 'document_review' AND status = 'done'"); n != 1 {
			t.Fatal("review task not completed")
		}
		d, err = o.svc.ReviewDocument(ctx, o.author, d.ID, service.ReviewRevise, "标准换版")
		if err != nil || d.RevisionStatus != isms.DocDraft {
			t.Fatalf("review → revise: %+v %v", d, err)
		}
	})
}

func TestVersionLabels(t *testing.T) {
	for _, c := range []struct {
		scheme, from string
		major        bool
		want         string
	}{
		{"A/0", "A/0", false, "A/1"}, {"A/0", "A/9", false, "A/10"}, {"A/0", "A/3", true, "B/0"},
		{"1.0", "1.0", false, "1.1"}, {"1.0", "1.4", true, "2.0"}, {"A/0", "weird", false, "A/0"},
	} {
		if got := isms.NextVersion(c.scheme, c.from, c.major); got != c.want {
			t.Errorf("%s %s major=%v: %s, want %s", c.scheme, c.from, c.major, got, c.want)
		}
	}
}

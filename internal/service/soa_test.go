package service_test

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func ptr[T any](v T) *T { return &v }

// soaEntry finds a line of the working copy by reference.
func soaEntry(t *testing.T, x service.SoA, ref string) service.SoAEntry {
	t.Helper()
	for _, e := range x.Entries {
		if e.Node.Ref == ref {
			return e
		}
	}
	t.Fatalf("no SoA line %s", ref)
	return service.SoAEntry{}
}

// decideAll marks every undecided line applicable, implemented, for
// best practice.
func decideAll(t *testing.T, o *docOrg, x service.SoA) {
	t.Helper()
	for _, e := range x.Entries {
		if e.Row.Decided() {
			continue
		}
		if _, err := o.svc.SaveSoARow(context.Background(), o.author, e.Node.ID, service.SoARowInput{Applicable: ptr(true),
			Reasons: []string{isms.ReasonBestPractice}, Status: isms.ImplImplemented}); err != nil {
			t.Fatal(e.Node.Ref, err)
		}
	}
}

func TestSoAWorkingCopy(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		// The matrix puts 工程部 in charge of the organizational controls.
		row, err := o.svc.AddMatrixRow(ctx, o.author, "A.5", "组织控制", "Organizational controls")
		if err != nil {
			t.Fatal(err)
		}
		if err := o.svc.SetMatrixCell(ctx, o.author, row.ID, o.eng.ID, "▲"); err != nil {
			t.Fatal(err)
		}
		fw, err := o.svc.SoAFrameworkID(ctx, o.author)
		if err != nil {
			t.Fatal(err)
		}
		x, err := o.svc.SoA(ctx, o.author, fw)
		if err != nil {
			t.Fatal(err)
		}
		// 93 Annex A controls; the clauses 4–10 are mandatory, not in the SoA.
		if len(x.Entries) != 93 || x.Entries[0].Node.Ref != "A.5.1" || x.Entries[92].Node.Ref != "A.8.34" {
			t.Fatalf("%d lines, first %s", len(x.Entries), x.Entries[0].Node.Ref)
		}
		if e := soaEntry(t, x, "A.5.15"); e.ProposedDept != o.eng.ID || e.Row.ID != "" {
			t.Fatalf("A.5.15 proposal %q row %q", e.ProposedDept, e.Row.ID)
		}
		if e := soaEntry(t, x, "A.8.13"); e.ProposedDept != "" {
			t.Fatalf("A.8.13 proposal %q", e.ProposedDept)
		}
		node := soaEntry(t, x, "A.5.15").Node.ID

		// Refusals name the field and the rule; nothing is stored.
		_, err = o.svc.SaveSoARow(ctx, o.author, node, service.SoARowInput{Applicable: ptr(false)})
		wantCode(t, err, isms.CodeInvalid, "justification")
		_, err = o.svc.SaveSoARow(ctx, o.author, node, service.SoARowInput{Applicable: ptr(true)})
		wantCode(t, err, isms.CodeInvalid, "reasons")
		_, err = o.svc.SaveSoARow(ctx, o.author, node, service.SoARowInput{Applicable: ptr(true), Reasons: []string{"whim"}})
		wantCode(t, err, isms.CodeInvalid, "reasons")
		_, err = o.svc.SaveSoARow(ctx, o.author, node, service.SoARowInput{Applicable: ptr(true),
			Reasons: []string{isms.ReasonRisk}, Documents: []string{"NO-SUCH-DOC"}})
		wantCode(t, err, isms.CodeInvalid, "documents")
		_, err = o.svc.SaveSoARow(ctx, o.author, node, service.SoARowInput{Applicable: ptr(true),
			Reasons: []string{isms.ReasonRisk}, DeptID: newOtherOrgDept(t, o)})
		wantCode(t, err, isms.CodeInvalid, "department_id")
		_, err = o.svc.SaveSoARow(ctx, o.head, node, service.SoARowInput{Applicable: ptr(true), Reasons: []string{isms.ReasonRisk}})
		wantCode(t, err, isms.CodeForbidden, "")
		if x, _ := o.svc.SoA(ctx, o.author, fw); soaEntry(t, x, "A.5.15").Row.ID != "" {
			t.Fatal("a refused save stored a row")
		}
		// The clauses have no line.
		_, nodes, _ := o.svc.Framework(ctx, o.author, fw)
		clause := nodes[slices.IndexFunc(nodes, func(n isms.RequirementNode) bool { return n.Ref == "6.1" })]
		_, err = o.svc.SaveSoARow(ctx, o.author, clause.ID, service.SoARowInput{Applicable: ptr(true)})
		wantCode(t, err, isms.CodeInvalid, "requirement")

		// A saved line with links; reasons come back in their list order.
		doc, err := o.svc.CreateDocument(ctx, o.author, service.DocInput{Document: isms.Document{Code: "XX-B-09",
			Title: "访问控制程序", Type: isms.DocProcedure, DeptID: o.admin.ID}, Body: "# 目的"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.CreateAsset(ctx, o.author, isms.Asset{Code: "SRV-01", Name: "财务服务器", Type: "hardware",
			DeptID: o.admin.ID, C: 3, I: 3, A: 3})
		if err != nil {
			t.Fatal(err)
		}
		r, err := o.svc.SaveSoARow(ctx, o.author, node, service.SoARowInput{Applicable: ptr(true),
			Reasons: []string{isms.ReasonRisk, isms.ReasonLegal, isms.ReasonRisk}, Status: isms.ImplPartial, DeptID: o.eng.ID,
			OwnerID: o.headPerson(t), Implementation: "按访问控制程序授权。", Documents: []string{"XX-B-09"},
			Assets: []string{"SRV-01"}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Reasons, []string{isms.ReasonLegal, isms.ReasonRisk}) {
			t.Fatalf("reasons %v", r.Reasons)
		}
		x, _ = o.svc.SoA(ctx, o.author, fw)
		e := soaEntry(t, x, "A.5.15")
		if e.Row.ID != r.ID || e.ProposedDept != "" || len(e.Row.Links) != 2 ||
			e.Row.LinksOf(isms.LinkDocument)[0].TargetID != doc.ID || e.Row.LinksOf(isms.LinkAsset)[0].Label != "SRV-01 财务服务器" {
			t.Fatalf("saved line %+v", e.Row)
		}

		// Evidence: in effect, expiring within 30 days, expired, not yet.
		today := x.Today // 2026-11-02
		add := func(title, from, until string) isms.Evidence {
			ev, err := o.svc.AddSoAEvidence(ctx, o.author, node, service.EvidenceInput{Title: title, EffectiveOn: from,
				ExpiresOn: until}, "review.pdf", strings.NewReader("%PDF-1.4 access review"))
			if err != nil {
				t.Fatal(title, err)
			}
			return ev
		}
		add("权限复核记录", "2026-01-01", "")
		soon := add("年度渗透测试报告", "2025-12-01", isms.AddDays(today, 10))
		add("过期的证书", "2024-01-01", "2025-01-01")
		add("明年生效", "2027-01-01", "")
		_, err = o.svc.AddSoAEvidence(ctx, o.author, node, service.EvidenceInput{Title: "倒置", EffectiveOn: "2026-05-01",
			ExpiresOn: "2026-04-01"}, "x.pdf", strings.NewReader("x"))
		wantCode(t, err, isms.CodeInvalid, "expires_on")
		_, err = o.svc.AddSoAEvidence(ctx, o.author, node, service.EvidenceInput{Title: "无文件", EffectiveOn: "2026-05-01"}, "", nil)
		wantCode(t, err, isms.CodeInvalid, "file")
		_, err = o.svc.AddSoAEvidence(ctx, o.author, node, service.EvidenceInput{Title: "记录", EffectiveOn: "2026-05-01",
			RecordNumber: "JL-999999"}, "", nil)
		wantCode(t, err, isms.CodeInvalid, "record_number")
		x, _ = o.svc.SoA(ctx, o.author, fw)
		if e := soaEntry(t, x, "A.5.15"); e.Row.Evidence != 2 || e.Row.Expiring != 1 {
			t.Fatalf("evidence %d expiring %d", e.Row.Evidence, e.Row.Expiring)
		}
		d, err := o.svc.SoARow(ctx, o.top, node)
		if err != nil || len(d.Evidence) != 4 || d.Evidence[0].Title != "明年生效" {
			t.Fatalf("detail %v %+v", err, d.Evidence)
		}
		// Viewers open the file; another organization cannot.
		_, f, err := o.svc.OpenAttachment(ctx, o.top, soon.AttachmentID)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(f)
		f.Close()
		if string(b) != "%PDF-1.4 access review" {
			t.Fatalf("file %q", b)
		}
		other := otherOrgActor(t, o, isms.RoleISMSTeam)
		if _, _, err := o.svc.OpenAttachment(ctx, other, soon.AttachmentID); !isms.IsNotFound(err) {
			t.Fatalf("other organization opened evidence: %v", err)
		}
		if err := o.svc.DeleteEvidence(ctx, other, soon.ID); !isms.IsNotFound(err) {
			t.Fatalf("other organization deleted evidence: %v", err)
		}
		if x, _ := o.svc.SoA(ctx, other, fw); soaEntry(t, x, "A.5.15").Row.ID != "" {
			t.Fatal("another organization sees the line")
		}
		if err := o.svc.DeleteEvidence(ctx, o.author, soon.ID); err != nil {
			t.Fatal(err)
		}
		x, _ = o.svc.SoA(ctx, o.author, fw)
		if e := soaEntry(t, x, "A.5.15"); e.Row.Evidence != 1 || e.Row.Expiring != 0 {
			t.Fatalf("after removal: evidence %d expiring %d", e.Row.Evidence, e.Row.Expiring)
		}
		entries, _ := o.svc.ListAudit(ctx, o.auditor(t), isms.AuditFilter{OrgID: o.org.ID, EntityType: "soa_row", EntityID: r.ID, Limit: 50})
		if len(entries) < 5 {
			t.Fatalf("%d audit entries for the line", len(entries))
		}
	})
}

func TestSoAVersionsAndApproval(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		fw, _ := o.svc.SoAFrameworkID(ctx, o.author)
		x, _ := o.svc.SoA(ctx, o.author, fw)
		// Undecided lines block a submission, and are named.
		_, err := o.svc.SubmitSoA(ctx, o.author, fw, "")
		wantCode(t, err, isms.CodeInvalid, "applicable")
		if !strings.Contains(isms.AsError(err).Fields[0].Msg.Args["refs"].(string), "A.5.1, A.5.2") {
			t.Fatalf("refs not named: %+v", isms.AsError(err).Fields[0].Msg)
		}
		decideAll(t, o, x)
		cloud := soaEntry(t, x, "A.5.23").Node.ID
		if _, err := o.svc.SaveSoARow(ctx, o.author, cloud, service.SoARowInput{Applicable: ptr(false),
			Justification: "不使用云服务。"}); err != nil {
			t.Fatal(err)
		}
		v1, err := o.svc.SubmitSoA(ctx, o.author, fw, "首次发布")
		if err != nil {
			t.Fatal(err)
		}
		if v1.Status != isms.SoASubmitted || v1.Number != 0 || len(v1.Rows) != 93 {
			t.Fatalf("submitted %s %d %d", v1.Status, v1.Number, len(v1.Rows))
		}
		_, err = o.svc.SubmitSoA(ctx, o.author, fw, "")
		wantCode(t, err, isms.CodeConflict, "status")

		// The submitter may not approve, even holding the role.
		both := o.author
		both.Roles = append(slices.Clone(both.Roles), isms.RoleTopManager)
		_, err = o.svc.DecideApproval(ctx, both, v1.ApprovalID, true, "")
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.DecideApproval(ctx, o.rep, v1.ApprovalID, true, "")
		wantCode(t, err, isms.CodeForbidden, "")
		if _, err := o.svc.DecideApproval(ctx, o.top, v1.ApprovalID, true, "同意"); err != nil {
			t.Fatal(err)
		}
		v1, _ = o.svc.SoAVersion(ctx, o.top, v1.ID)
		if v1.Status != isms.SoAApproved || v1.Number != 1 || v1.DecidedBy != o.top.Name() || v1.Label() != "V1" {
			t.Fatalf("approved %s %d %s %s", v1.Status, v1.Number, v1.DecidedBy, v1.Label())
		}

		// A returned version keeps no number; the next approval is V2.
		if _, err := o.svc.SaveSoARow(ctx, o.author, cloud, service.SoARowInput{Applicable: ptr(true),
			Reasons: []string{isms.ReasonBusiness}, Status: isms.ImplPlanned, DeptID: o.eng.ID}); err != nil {
			t.Fatal(err)
		}
		returned, err := o.svc.SubmitSoA(ctx, o.author, fw, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.DecideApproval(ctx, o.top, returned.ApprovalID, false, "")
		wantCode(t, err, isms.CodeInvalid, "comment")
		if _, err := o.svc.DecideApproval(ctx, o.top, returned.ApprovalID, false, "云服务的理由不充分"); err != nil {
			t.Fatal(err)
		}
		returned, _ = o.svc.SoAVersion(ctx, o.top, returned.ID)
		if returned.Status != isms.SoAReturned || returned.Number != 0 || returned.Comment != "云服务的理由不充分" {
			t.Fatalf("returned %s %d %q", returned.Status, returned.Number, returned.Comment)
		}
		// Output uses the latest approved version unless asked otherwise.
		_, out, err := o.svc.SoAOutput(ctx, o.top, fw, "")
		if err != nil || out.ID != v1.ID {
			t.Fatalf("output %v %s", err, out.ID)
		}
		v2, err := o.svc.SubmitSoA(ctx, o.author, fw, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.DecideApproval(ctx, o.top, v2.ApprovalID, true, ""); err != nil {
			t.Fatal(err)
		}
		v2, _ = o.svc.SoAVersion(ctx, o.top, v2.ID)
		if v2.Number != 2 {
			t.Fatalf("second approval numbered %d", v2.Number)
		}
		// V1 did not change when the working copy did.
		v1again, _ := o.svc.SoAVersion(ctx, o.top, v1.ID)
		line := v1again.Rows[slices.IndexFunc(v1again.Rows, func(l isms.SoALine) bool { return l.Ref == "A.5.23" })]
		if *line.Applicable || line.Justification != "不使用云服务。" {
			t.Fatalf("V1 changed: %+v", line)
		}
		older, newer, diff, err := o.svc.DiffSoA(ctx, o.top, fw, v1.ID, v2.ID)
		if err != nil || older.Number != 1 || newer.Number != 2 {
			t.Fatal(err)
		}
		if len(diff) != 1 || diff[0].Ref != "A.5.23" {
			t.Fatalf("diff %+v", diff)
		}
		got := map[string][2]string{}
		for _, f := range diff[0].Fields {
			got[f.Field] = [2]string{f.Old, f.New}
		}
		want := map[string][2]string{"applicable": {"no", "yes"}, "reasons": {"", "business"},
			"justification": {"不使用云服务。", ""}, "status": {"not_started", "planned"}, "department": {"", "工程部"}}
		if len(got) != len(want) {
			t.Fatalf("diff fields %v", got)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("diff %s: %v, want %v", k, got[k], v)
			}
		}
		// The working copy compares too; another organization sees nothing.
		if _, _, d, err := o.svc.DiffSoA(ctx, o.top, fw, v2.ID, service.WorkingVersion); err != nil || len(d) != 0 {
			t.Fatalf("working diff %v %+v", err, d)
		}
		other := otherOrgActor(t, o, isms.RoleTopManager)
		if _, err := o.svc.SoAVersion(ctx, other, v1.ID); !isms.IsNotFound(err) {
			t.Fatalf("other organization read a version: %v", err)
		}
		if _, err := o.svc.DecideApproval(ctx, other, v2.ApprovalID, true, ""); err == nil {
			t.Fatal("other organization decided")
		}
		if vs, _ := o.svc.SoAVersions(ctx, o.top, fw); len(vs) != 3 {
			t.Fatalf("%d versions", len(vs))
		}
	})
}

func TestSoATransition(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		fws, _ := o.svc.Frameworks(ctx, o.author)
		id := map[string]string{}
		for _, f := range fws {
			id[f.Code] = f.ID
		}
		_, err := o.svc.TransitionSoA(ctx, o.author)
		wantCode(t, err, isms.CodeInvalid, "framework")

		old, err := o.svc.SoA(ctx, o.author, id["ISO27001:2013"])
		if err != nil {
			t.Fatal(err)
		}
		if len(old.Entries) != 114 {
			t.Fatalf("2013 SoA has %d lines", len(old.Entries))
		}
		save := func(x service.SoA, ref string, in service.SoARowInput) {
			t.Helper()
			if _, err := o.svc.SaveSoARow(ctx, o.author, soaEntry(t, x, ref).Node.ID, in); err != nil {
				t.Fatal(ref, err)
			}
		}
		// A.6.1.1 → A.5.2 alone: equal. A.18.2.3 → A.5.36 and A.8.8.
		save(old, "A.6.1.1", service.SoARowInput{Applicable: ptr(true), Reasons: []string{isms.ReasonLegal},
			Status: isms.ImplImplemented, DeptID: o.admin.ID, Implementation: "岗位职责说明书"})
		save(old, "A.18.2.3", service.SoARowInput{Applicable: ptr(false), Justification: "由集团统一检查。"})
		save(old, "A.12.6.1", service.SoARowInput{Applicable: ptr(true), Reasons: []string{isms.ReasonRisk},
			Status: isms.ImplPartial, Assets: nil})

		tr, err := o.svc.TransitionSoA(ctx, o.author)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Carried+tr.Flagged != 93 || tr.Carried != 1 {
			t.Fatalf("carried %d flagged %d", tr.Carried, tr.Flagged)
		}
		x, _ := o.svc.SoA(ctx, o.author, id["ISO27001:2022"])
		if e := soaEntry(t, x, "A.5.2"); !e.Row.IsApplicable() || e.Row.Status != isms.ImplImplemented ||
			e.Row.DeptID != o.admin.ID || e.Row.ReviewNote != "" || e.Row.Implementation != "岗位职责说明书" {
			t.Fatalf("A.5.2 not carried: %+v", e.Row)
		}
		for _, ref := range []string{"A.5.36", "A.8.8"} {
			e := soaEntry(t, x, ref)
			if e.Row.Decided() || !strings.Contains(e.Row.ReviewNote, "A.18.2.3") {
				t.Fatalf("%s: %+v", ref, e.Row)
			}
		}
		if n := soaEntry(t, x, "A.8.8").Row.ReviewNote; !strings.Contains(n, "A.12.6.1") || !strings.Contains(n, "由集团统一检查") {
			t.Fatalf("A.8.8 note %q", n)
		}
		if e := soaEntry(t, x, "A.5.7"); !strings.Contains(e.Row.ReviewNote, "New in 2022") {
			t.Fatalf("A.5.7 note %q", e.Row.ReviewNote)
		}
		// Saving a flagged line clears its note; a second transition would
		// overwrite decisions and is refused.
		save(x, "A.8.8", service.SoARowInput{Applicable: ptr(true), Reasons: []string{isms.ReasonRisk}, Status: isms.ImplPartial})
		x, _ = o.svc.SoA(ctx, o.author, id["ISO27001:2022"])
		if soaEntry(t, x, "A.8.8").Row.ReviewNote != "" {
			t.Fatal("note kept after review")
		}
		_, err = o.svc.TransitionSoA(ctx, o.author)
		wantCode(t, err, isms.CodeConflict, "framework")
	})
}

// otherOrgActor makes a second organization and a bare actor in it.
func otherOrgActor(t *testing.T, o *docOrg, role isms.Role) isms.Actor {
	t.Helper()
	org, err := o.svc.CreateOrganization(context.Background(), isms.CLIActor("t"), isms.Organization{Name: "另一单位" + string(role)})
	if err != nil {
		t.Fatal(err)
	}
	return isms.Actor{OrgID: org.ID, OrgPath: org.Path, Username: "x-" + string(role), Via: "session", Roles: []isms.Role{role}}
}

// newOtherOrgDept makes a department of another organization.
func newOtherOrgDept(t *testing.T, o *docOrg) string {
	t.Helper()
	other := otherOrgActor(t, o, isms.RoleISMSTeam)
	d, err := o.svc.CreateDepartment(context.Background(), isms.CLIActor("t"), isms.Department{OrgID: other.OrgID, Name: "外部门"})
	if err != nil {
		t.Fatal(err)
	}
	return d.ID
}

func (o *docOrg) headPerson(t *testing.T) string { return personID(t, o, "head") }

func (o *docOrg) auditor(t *testing.T) isms.Actor {
	return isms.Actor{OrgID: o.org.ID, OrgPath: o.org.Path, Username: "audit", Via: "session", Roles: []isms.Role{isms.RoleAuditAdmin}}
}

package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// Granting one of the three administrator roles waits for the top
// manager; the requester cannot approve; one person never holds two of
// them; nobody grants roles to themselves.
func TestAdminGrantsNeedApproval(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.makeAccount(e.root.ID, "secadm", "Sec-adm-2026x", isms.RoleSecurityAdmin)
		e.makeAccount(e.root.ID, "boss", "Top-2026-mgr!", isms.RoleTopManager)
		target := e.makeAccount(e.root.ID, "wangwu", "Wang-wu-2026", isms.RoleEmployee)
		sec := e.signedIn("secadm", "Sec-adm-2026x")
		boss := e.signedIn("boss", "Top-2026-mgr!")

		r := sec.do("POST", "/accounts/"+target.ID+"/roles", map[string]any{"role": "system_admin"})
		if r.status != http.StatusAccepted || r.str("status") != "pending" {
			t.Fatalf("request: %d %s", r.status, r.raw)
		}
		approvalID := r.str("approval_id")
		if roles, _ := e.st.ActiveRoles(context.Background(), target.ID); len(roles) != 1 {
			t.Fatalf("pending grant already active: %v", roles)
		}
		// A second administrator role, even pending, breaks the rule.
		r = sec.do("POST", "/accounts/"+target.ID+"/roles", map[string]any{"role": "audit_admin"})
		if r.status != http.StatusConflict || !strings.Contains(r.fieldErr("role"), "三员分立") {
			t.Fatalf("second admin role: %d %s", r.status, r.raw)
		}
		if r := sec.do("POST", "/approvals/"+approvalID+"/approve", map[string]any{"comment": "ok"}); r.status != http.StatusForbidden || !strings.Contains(r.raw, "自己") {
			t.Fatalf("self-approval: %d %s", r.status, r.raw)
		}
		if r := boss.do("GET", "/approvals?status=pending", nil); len(r.items()) != 1 {
			t.Fatalf("top manager's pending list: %s", r.raw)
		}
		if r := boss.do("POST", "/approvals/"+approvalID+"/approve", map[string]any{"comment": "同意"}); r.status != http.StatusOK || r.str("status") != "approved" {
			t.Fatalf("approve: %d %s", r.status, r.raw)
		}
		roles, _ := e.st.ActiveRoles(context.Background(), target.ID)
		if len(roles) != 2 {
			t.Fatalf("after approval: %v", roles)
		}
		if r := boss.do("POST", "/approvals/"+approvalID+"/approve", map[string]any{}); r.status != http.StatusForbidden {
			t.Fatalf("decide twice: %d", r.status)
		}
		// Rejection needs a reason, and withdraws the grant.
		other := e.makeAccount(e.root.ID, "zhaoliu", "Zhao-liu-2026")
		r = sec.do("POST", "/accounts/"+other.ID+"/roles", map[string]any{"role": "audit_admin"})
		ap := r.str("approval_id")
		if r := boss.do("POST", "/approvals/"+ap+"/reject", map[string]any{}); r.status != http.StatusBadRequest || r.fieldErr("comment") == "" {
			t.Fatalf("reject without reason: %d %s", r.status, r.raw)
		}
		if r := boss.do("POST", "/approvals/"+ap+"/reject", map[string]any{"comment": "未经培训"}); r.status != http.StatusOK {
			t.Fatalf("reject: %d %s", r.status, r.raw)
		}
		if r := sec.do("GET", "/accounts/"+other.ID+"/roles", nil); !strings.Contains(r.raw, `"revoked"`) {
			t.Fatalf("rejected grant: %s", r.raw)
		}
		// Ordinary roles are granted at once; never to oneself.
		if r := sec.do("POST", "/accounts/"+other.ID+"/roles", map[string]any{"role": "isms_team"}); r.status != http.StatusCreated {
			t.Fatalf("ordinary grant: %d %s", r.status, r.raw)
		}
		secAcct, _ := e.st.AccountByUsername(context.Background(), "secadm")
		if r := sec.do("POST", "/accounts/"+secAcct.ID+"/roles", map[string]any{"role": "isms_team"}); r.status != http.StatusForbidden {
			t.Fatalf("self grant: %d %s", r.status, r.raw)
		}
		if r := sec.do("DELETE", "/accounts/"+other.ID+"/roles/isms_team", nil); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		// The trail tells the whole story.
		got := strings.Join(e.actions(target.ID), ",")
		if !strings.Contains(got, "role.request") || !strings.HasSuffix(got, "role.grant") {
			t.Fatalf("trail of target: %s", got)
		}
	})
}

// The audit administrator reads the trail and nothing else, and the
// reading is itself in the trail.
func TestAuditAdminReadsAreRecorded(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		aud := e.makeAccount(e.root.ID, "auditor1", "Aud-2026-trail", isms.RoleAuditAdmin)
		c := e.signedIn("auditor1", "Aud-2026-trail")
		if r := c.do("GET", "/audit?limit=5", nil); r.status != http.StatusOK {
			t.Fatalf("audit: %d %s", r.status, r.raw)
		}
		for _, p := range []string{"/people", "/organizations", "/accounts", "/departments"} {
			if r := c.do("GET", p, nil); r.status != http.StatusForbidden {
				t.Errorf("audit admin GET %s: %d", p, r.status)
			}
		}
		entries, _ := e.st.ListAudit(context.Background(), isms.AuditFilter{Actor: aud.ID, Action: "audit.read", Limit: 5})
		if len(entries) != 1 {
			t.Fatalf("audit reads recorded: %d", len(entries))
		}
	})
}

package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// actions returns the trail's actions for an entity, oldest first.
func (e *env) actions(entityID string) []string {
	e.t.Helper()
	entries, err := e.st.ListAudit(context.Background(), isms.AuditFilter{EntityID: entityID, Limit: 200})
	if err != nil {
		e.t.Fatal(err)
	}
	out := make([]string, len(entries))
	for i, en := range entries {
		out[len(entries)-1-i] = en.Action
	}
	return out
}

func TestSignInLockout(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		acct := e.makeAccount(e.root.ID, "zhangsan", "Zs-2026-secure")
		c := e.client()
		for i := 1; i <= 4; i++ {
			r := c.do("POST", "/session", map[string]string{"username": "zhangsan", "password": "wrong"})
			if r.status != http.StatusUnauthorized || !strings.Contains(r.raw, "用户名或密码错误") {
				t.Fatalf("attempt %d: %d %s", i, r.status, r.raw)
			}
		}
		// The fifth failure locks the account for 15 minutes.
		r := c.do("POST", "/session", map[string]string{"username": "zhangsan", "password": "wrong"})
		if r.status != http.StatusUnauthorized || !strings.Contains(r.raw, "锁定") {
			t.Fatalf("fifth attempt: %d %s", r.status, r.raw)
		}
		// Locked: even the right password is refused.
		r = c.do("POST", "/session", map[string]string{"username": "zhangsan", "password": "Zs-2026-secure"})
		if r.status != http.StatusUnauthorized || !strings.Contains(r.raw, "锁定") {
			t.Fatalf("locked, right password: %d %s", r.status, r.raw)
		}
		e.clock.Advance(14 * time.Minute)
		if r := c.do("POST", "/session", map[string]string{"username": "zhangsan", "password": "Zs-2026-secure"}); r.status != http.StatusUnauthorized {
			t.Fatalf("still locked at 14 min: %d", r.status)
		}
		e.clock.Advance(2 * time.Minute)
		r = c.do("POST", "/session", map[string]string{"username": "zhangsan", "password": "Zs-2026-secure"})
		if r.status != http.StatusCreated {
			t.Fatalf("after lockout: %d %s", r.status, r.raw)
		}
		want := "session.sign_in_failed,session.sign_in_failed,session.sign_in_failed,session.sign_in_failed," +
			"session.sign_in_failed,account.lockout,session.sign_in_failed,session.sign_in_failed,session.sign_in"
		got := strings.Join(e.actions(acct.ID), ",")
		if !strings.HasSuffix(got, want) {
			t.Fatalf("trail:\n got %s\nwant …%s", got, want)
		}
		// Unknown names fail the same way and are recorded too.
		r = c.do("POST", "/session", map[string]string{"username": "nobody", "password": "x"})
		if r.status != http.StatusUnauthorized || !strings.Contains(r.raw, "用户名或密码错误") {
			t.Fatalf("unknown user: %d %s", r.status, r.raw)
		}
		entries, _ := e.st.ListAudit(context.Background(), isms.AuditFilter{Action: "session.sign_in_failed", Limit: 1})
		if len(entries) != 1 || entries[0].Summary != "nobody" {
			t.Fatalf("unknown-user attempt not recorded: %+v", entries)
		}
	})
}

func TestPasswordChangeRequired(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		admin := e.signedIn("admin", adminPassword)
		// An account made by someone else gets a generated password and
		// must change it first.
		r := admin.do("POST", "/accounts", map[string]any{"username": "lisi", "display_name": "李四"})
		if r.status != http.StatusCreated || r.str("initial_password") == "" || r.json()["must_change_password"] != true {
			t.Fatalf("create account: %d %s", r.status, r.raw)
		}
		initial := r.str("initial_password")
		c := e.client()
		r = c.do("POST", "/session", map[string]string{"username": "lisi", "password": initial})
		if r.status != http.StatusCreated || r.json()["password_change_required"] != true {
			t.Fatalf("first sign-in: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/people", nil); r.status != http.StatusForbidden || !strings.Contains(r.raw, "password_change_required") {
			t.Fatalf("gate: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/session", nil); r.status != http.StatusOK {
			t.Fatalf("session allowed while gated: %d", r.status)
		}
		r = c.do("POST", "/session/password", map[string]string{"current_password": "bad", "new_password": "Li-si-2026!"})
		if r.status != 400 || r.fieldErr("current_password") == "" {
			t.Fatalf("wrong current: %d %s", r.status, r.raw)
		}
		r = c.do("POST", "/session/password", map[string]string{"current_password": initial, "new_password": "abcdefgh"})
		if r.status != 400 || r.fieldErr("new_password") == "" {
			t.Fatalf("weak new: %d %s", r.status, r.raw)
		}
		r = c.do("POST", "/session/password", map[string]string{"current_password": initial, "new_password": "Li-si-2026!"})
		if r.status != http.StatusNoContent {
			t.Fatalf("change: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/tokens", nil); r.status != http.StatusOK {
			t.Fatalf("after change: %d %s", r.status, r.raw)
		}
		// The previous password may not come back.
		e.clock.Advance(10 * time.Minute)
		r = c.do("POST", "/session/password", map[string]string{"current_password": "Li-si-2026!", "new_password": initial})
		if r.status != 400 || !strings.Contains(r.fieldErr("new_password"), "最近") {
			t.Fatalf("reuse: %d %s", r.status, r.raw)
		}
	})
}

func TestPasswordExpiry(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		if _, _, err := e.svc.CreateAccount(ctx, e.cli, service.NewAccount{OrgID: e.root.ID, Username: "sysadm",
			Password: "Adm-2026-pass", Privileged: true, KeepPassword: true}); err != nil {
			t.Fatal(err)
		}
		e.makeAccount(e.root.ID, "clerk", "Clk-2026-pass")
		// 16 days: past the administrators' 15, within everyone else's 30.
		e.clock.Advance(16 * 24 * time.Hour)
		r := e.client().do("POST", "/session", map[string]string{"username": "sysadm", "password": "Adm-2026-pass"})
		if r.json()["password_change_required"] != true {
			t.Fatalf("admin after 16 days: %s", r.raw)
		}
		r = e.client().do("POST", "/session", map[string]string{"username": "clerk", "password": "Clk-2026-pass"})
		if r.json()["password_change_required"] != false {
			t.Fatalf("clerk after 16 days: %s", r.raw)
		}
		e.clock.Advance(15 * 24 * time.Hour)
		r = e.client().do("POST", "/session", map[string]string{"username": "clerk", "password": "Clk-2026-pass"})
		if r.json()["password_change_required"] != true {
			t.Fatalf("clerk after 31 days: %s", r.raw)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.signedIn("admin", adminPassword)
		r := c.do("POST", "/session", map[string]string{"username": "admin", "password": adminPassword})
		cookie := r.header.Get("Set-Cookie")
		for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, attr) {
				t.Errorf("cookie lacks %s: %s", attr, cookie)
			}
		}
		e.clock.Advance(29 * time.Minute)
		if r := c.do("GET", "/session", nil); r.status != http.StatusOK {
			t.Fatalf("within idle timeout: %d", r.status)
		}
		e.clock.Advance(31 * time.Minute)
		if r := c.do("GET", "/session", nil); r.status != http.StatusUnauthorized || !strings.Contains(r.raw, "超时") {
			t.Fatalf("after idle timeout: %d %s", r.status, r.raw)
		}
		// Sign out ends the session for good.
		c = e.signedIn("admin", adminPassword)
		if r := c.do("DELETE", "/session", nil); r.status != http.StatusNoContent {
			t.Fatalf("sign out: %d", r.status)
		}
		if r := c.do("GET", "/session", nil); r.status != http.StatusUnauthorized {
			t.Fatalf("after sign out: %d", r.status)
		}
	})
}

func TestTokens(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.signedIn("admin", adminPassword)
		r := c.do("POST", "/tokens", map[string]any{"name": "CMDB 同步"})
		if r.status != http.StatusCreated || !strings.HasPrefix(r.str("token"), "isms_t_") {
			t.Fatalf("create token: %d %s", r.status, r.raw)
		}
		secret, id := r.str("token"), r.str("id")
		if strings.Contains(c.do("GET", "/tokens", nil).raw, secret) {
			t.Fatal("token list shows the secret")
		}
		api := e.client()
		api.token = secret
		if r := api.do("GET", "/organizations", nil); r.status != http.StatusOK || len(r.items()) != 1 {
			t.Fatalf("token use: %d %s", r.status, r.raw)
		}
		if got := e.actions(id); strings.Join(got, ",") != "token.create,token.use" {
			t.Fatalf("token trail: %v", got)
		}
		if r := c.do("GET", "/tokens", nil); r.items()[0]["last_used_at"] == nil {
			t.Fatalf("last_used_at not set: %s", r.raw)
		}
		if r := c.do("DELETE", "/tokens/"+id, nil); r.status != http.StatusOK {
			t.Fatalf("revoke: %d %s", r.status, r.raw)
		}
		if r := api.do("GET", "/organizations", nil); r.status != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", r.status)
		}
		api.token = "isms_t_forged"
		if r := api.do("GET", "/organizations", nil); r.status != http.StatusUnauthorized {
			t.Fatalf("forged token: %d", r.status)
		}
		// Expiry in the past is refused; an expiring token stops working.
		past := e.clock.Now().Add(-time.Hour)
		if r := c.do("POST", "/tokens", map[string]any{"name": "x", "expires_at": past}); r.status != 400 || r.fieldErr("expires_at") == "" {
			t.Fatalf("past expiry: %d %s", r.status, r.raw)
		}
		r = c.do("POST", "/tokens", map[string]any{"name": "短期", "expires_at": e.clock.Now().Add(time.Hour)})
		api.token = r.str("token")
		if r := api.do("GET", "/session", nil); r.status != http.StatusOK {
			t.Fatalf("fresh token: %d", r.status)
		}
		e.clock.Advance(2 * time.Hour)
		if r := api.do("GET", "/session", nil); r.status != http.StatusUnauthorized {
			t.Fatalf("expired token: %d", r.status)
		}
	})
}

// An account sees its organization and those below it, nothing else; what
// it may not see does not exist for it.
func TestOrganizationIsolation(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		other := e.makeOrg("另一集团", "")
		e.makeAccount(other.ID, "outsider", "0ther-Side-26", isms.RoleSystemAdmin, isms.RoleISMSTeam)
		sub := e.makeOrg("测试子公司", e.root.ID)
		subPerson, err := e.svc.CreatePerson(ctx, e.cli, isms.Person{OrgID: sub.ID, Name: "赵六", EmployeeNo: "S1"})
		if err != nil {
			t.Fatal(err)
		}
		dept, err := e.svc.CreateDepartment(ctx, e.cli, isms.Department{OrgID: e.root.ID, Name: "财务部"})
		if err != nil {
			t.Fatal(err)
		}
		// A subsidiary's account cannot reach its parent.
		e.makeAccount(sub.ID, "subuser", "Sub-user-2026", isms.RoleSystemAdmin)

		// The parent sees the subsidiary in its tree, never its records.
		insider := e.signedIn("admin", adminPassword)
		if r := insider.do("GET", "/organizations/"+sub.ID, nil); r.status != http.StatusOK {
			t.Fatalf("parent reads subsidiary's organization: %d", r.status)
		}
		if r := insider.do("GET", "/people/"+subPerson.ID, nil); r.status != http.StatusNotFound {
			t.Fatalf("parent reads subsidiary's person: %d", r.status)
		}
		if r := insider.do("GET", "/people?org_id="+sub.ID, nil); r.status != http.StatusNotFound {
			t.Fatalf("parent lists subsidiary's people: %d", r.status)
		}

		out := e.signedIn("outsider", "0ther-Side-26")
		for _, path := range []string{"/organizations/" + e.root.ID, "/organizations/" + sub.ID, "/people/" + subPerson.ID,
			"/departments/" + dept.ID, "/organizations/" + e.root.ID + "/security-settings"} {
			if r := out.do("GET", path, nil); r.status != http.StatusNotFound {
				t.Errorf("outsider GET %s: %d", path, r.status)
			}
		}
		if r := out.do("GET", "/organizations", nil); len(r.items()) != 1 || r.items()[0]["id"] != other.ID {
			t.Errorf("outsider list: %s", r.raw)
		}
		if r := out.do("GET", "/people?org_id="+e.root.ID, nil); r.status != http.StatusNotFound {
			t.Errorf("outsider lists people of another org: %d %s", r.status, r.raw)
		}
		if r := out.do("PATCH", "/people/"+subPerson.ID, map[string]any{"name": "x"}); r.status != http.StatusNotFound {
			t.Errorf("outsider patch: %d", r.status)
		}
		if r := out.do("POST", "/departments/"+dept.ID+"/archive", nil); r.status != http.StatusNotFound {
			t.Errorf("outsider archive: %d", r.status)
		}
		if r := out.do("POST", "/people", map[string]any{"org_id": e.root.ID, "name": "x", "employee_no": "X1"}); r.status != http.StatusBadRequest || r.fieldErr("org_id") == "" {
			t.Errorf("outsider creates in another org: %d %s", r.status, r.raw)
		}
		if r := out.do("POST", "/organizations", map[string]any{"parent_id": e.root.ID, "name": "x"}); r.status != http.StatusBadRequest {
			t.Errorf("outsider creates org under another: %d", r.status)
		}
		if r := out.do("GET", "/audit", nil); strings.Contains(r.raw, e.root.ID) {
			t.Errorf("outsider sees another org's trail")
		}
		if r := out.do("GET", "/accounts?org_id="+e.root.ID, nil); r.status != http.StatusNotFound {
			t.Errorf("outsider lists accounts: %d", r.status)
		}

		subc := e.signedIn("subuser", "Sub-user-2026")
		if r := subc.do("GET", "/organizations/"+e.root.ID, nil); r.status != http.StatusNotFound {
			t.Errorf("subsidiary reads parent: %d", r.status)
		}
		if r := subc.do("PATCH", "/organizations/"+sub.ID, map[string]any{"parent_id": other.ID}); r.status != http.StatusBadRequest {
			t.Errorf("subsidiary moves itself: %d %s", r.status, r.raw)
		}
	})
}

package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// Administrators must enrol a generator before anything else; after that
// sign-in needs a current code, never the same code twice, or a recovery
// code once; the security administrator can reset a lost device.
func TestTOTP(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.setRequireTOTP(true)
		e.makeAccount(e.root.ID, "sysadm", "Sys-adm-2026x", isms.RoleSystemAdmin)
		sec := e.makeAccount(e.root.ID, "secadm", "Sec-adm-2026x", isms.RoleSecurityAdmin)
		_ = sec
		c := e.client()
		r := c.do("POST", "/session", map[string]string{"username": "sysadm", "password": "Sys-adm-2026x"})
		if r.status != http.StatusCreated || r.json()["totp_setup_required"] != true {
			t.Fatalf("first sign-in: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/departments", nil); r.status != http.StatusForbidden || !strings.Contains(r.raw, "totp_setup_required") {
			t.Fatalf("gate: %d %s", r.status, r.raw)
		}
		r = c.do("POST", "/session/totp", nil)
		secret := r.str("secret")
		if r.status != http.StatusOK || secret == "" || !strings.HasPrefix(r.str("otpauth_url"), "otpauth://totp/OpenISMS:sysadm") {
			t.Fatalf("start: %d %s", r.status, r.raw)
		}
		if r := c.do("POST", "/session/totp/confirm", map[string]string{"code": "000000"}); r.status != 400 || r.fieldErr("code") == "" {
			t.Fatalf("wrong code: %d %s", r.status, r.raw)
		}
		code, _ := totp.GenerateCode(secret, e.clock.Now())
		r = c.do("POST", "/session/totp/confirm", map[string]string{"code": code})
		var out struct {
			Codes []string `json:"recovery_codes"`
		}
		_ = json.Unmarshal([]byte(r.raw), &out)
		if r.status != http.StatusOK || len(out.Codes) != 10 {
			t.Fatalf("confirm: %d %s", r.status, r.raw)
		}
		if r := c.do("GET", "/departments", nil); r.status != http.StatusOK {
			t.Fatalf("after enrolment: %d %s", r.status, r.raw)
		}

		signIn := func(code string) resp {
			return e.client().do("POST", "/session", map[string]string{"username": "sysadm", "password": "Sys-adm-2026x", "totp": code})
		}
		if r := signIn(""); r.status != http.StatusUnauthorized || !strings.Contains(r.raw, "动态口令") {
			t.Fatalf("without code: %d %s", r.status, r.raw)
		}
		// The enrolment code was used: it is refused even in its window.
		if r := signIn(code); r.status != http.StatusUnauthorized {
			t.Fatalf("replayed code: %d %s", r.status, r.raw)
		}
		e.clock.Advance(30 * time.Second)
		next, _ := totp.GenerateCode(secret, e.clock.Now())
		if r := signIn(next); r.status != http.StatusCreated || r.json()["totp_setup_required"] != false {
			t.Fatalf("fresh code: %d %s", r.status, r.raw)
		}
		if r := signIn(strings.ToLower(out.Codes[0])); r.status != http.StatusCreated {
			t.Fatalf("recovery code: %d %s", r.status, r.raw)
		}
		if r := signIn(out.Codes[0]); r.status != http.StatusUnauthorized {
			t.Fatalf("recovery code reused: %d %s", r.status, r.raw)
		}

		// Lost phone: the security administrator resets it; the next
		// sign-in enrols again.
		acct, _ := e.st.AccountByUsername(t.Context(), "sysadm")
		secc := e.client()
		r = secc.do("POST", "/session", map[string]string{"username": "secadm", "password": "Sec-adm-2026x"})
		secc.do("POST", "/session/totp", nil)
		_ = r
		// secadm must enrol too before resetting anyone.
		if r := secc.do("POST", "/accounts/"+acct.ID+"/totp/reset", nil); r.status != http.StatusForbidden {
			t.Fatalf("reset before own enrolment: %d", r.status)
		}
		start := secc.do("POST", "/session/totp", nil)
		sc, _ := totp.GenerateCode(start.str("secret"), e.clock.Now())
		if r := secc.do("POST", "/session/totp/confirm", map[string]string{"code": sc}); r.status != http.StatusOK {
			t.Fatalf("secadm enrol: %d %s", r.status, r.raw)
		}
		if r := secc.do("POST", "/accounts/"+acct.ID+"/totp/reset", nil); r.status != http.StatusNoContent {
			t.Fatalf("reset: %d %s", r.status, r.raw)
		}
		if r := signIn(""); r.status != http.StatusCreated || r.json()["totp_setup_required"] != true {
			t.Fatalf("after reset: %d %s", r.status, r.raw)
		}
		got := strings.Join(e.actions(acct.ID), ",")
		for _, want := range []string{"account.totp_enable", "account.totp_reset"} {
			if !strings.Contains(got, want) {
				t.Errorf("trail lacks %s: %s", want, got)
			}
		}
	})
}

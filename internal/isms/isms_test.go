package isms

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCreditCode(t *testing.T) {
	// Worked by hand for 91350100M000100Y4 (GB 32100 weights):
	// 9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M(21)·20 + 0·29
	// + 0·25 + 0·13 + 1·8 + 0·24 + 0·10 + Y(30)·30 + 4·28 = 1640;
	// 1640 mod 31 = 28; 31 − 28 = 3 → check character "3".
	if c, ok := CreditCodeCheckChar("91350100M000100Y4"); !ok || c != '3' {
		t.Fatalf("check char = %q, want '3'", c)
	}
	cases := map[string]string{
		"91350100M000100Y43":  "",
		"91350100M000100Y44":  "credit_code.check",
		"91350100M000100Y4":   "credit_code.length",
		"91350100M000100Y430": "credit_code.length",
		"91350100O000100Y43":  "credit_code.charset", // O is not in the alphabet
		"9135010aM000100Y43":  "credit_code.charset", // lower case
		"913501A0M000100Y43":  "credit_code.division",
		"":                    "credit_code.length",
	}
	for code, want := range cases {
		if got := CheckCreditCode(code); got != want {
			t.Errorf("CheckCreditCode(%q) = %q, want %q", code, got, want)
		}
	}
	// A check value of 31 − 0 = 31 maps to "0": find such a prefix and check.
	if c, _ := CreditCodeCheckChar("00000000000000000"); c != '0' {
		t.Errorf("all-zero prefix: check %q, want '0'", c)
	}
}

func fields(err error) map[string]string {
	out := map[string]string{}
	var e *Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			out[f.Field] = f.Msg.ID
		}
	}
	return out
}

func TestPasswordRules(t *testing.T) {
	s := DefaultSecuritySettings()
	cases := []struct {
		pw, want string
	}{
		{"Zs-2026-secure", ""},
		{"correcthorse9", ""},
		{"short1A", "password.too_short"},
		{"abcdefghij", "password.classes"},
		{"12345678", "password.classes"},
		{"abcdefg1", "password.pattern"},
		{"87654321a", "password.pattern"},
		{"abcabcabc1", "password.pattern"},
		{"Ab1Ab1Ab1Ab1", "password.pattern"},
		{"aaaaaaaa1", "password.pattern"},
		{"q7Lm2xPz", ""},
		{"myzhangsan1", "password.contains_username"},
		{"Wang-Jianguo-1", "password.contains_name"},
	}
	for _, c := range cases {
		f := fields(CheckPassword(s, "password", c.pw, "zhangsan", "wang-jianguo"))
		got := f["password"]
		if c.want == "" && len(f) > 0 {
			t.Errorf("%q refused: %v", c.pw, f)
		}
		if c.want != "" && got == "" {
			t.Errorf("%q accepted, want %s", c.pw, c.want)
		}
		if c.want != "" && got != "" {
			found := false
			var e *Error
			errors.As(CheckPassword(s, "password", c.pw, "zhangsan", "wang-jianguo"), &e)
			for _, fe := range e.Fields {
				found = found || fe.Msg.ID == c.want
			}
			if !found {
				t.Errorf("%q: rules %v, want %s among them", c.pw, e.Fields, c.want)
			}
		}
	}
	s.PasswordMinClasses = 4
	if fields(CheckPassword(s, "password", "Zs-2026-secure", "", ""))["password"] != "" {
		t.Error("four classes refused a four-class password")
	}
	if fields(CheckPassword(s, "password", "Zs20261secure", "", ""))["password"] != "password.classes" {
		t.Error("four classes accepted a three-class password")
	}
}

func TestOrganizationValidate(t *testing.T) {
	o := Organization{ID: "0192e4a0-0000-7000-8000-000000000001", Name: "  某公司  ", CreditCode: "91350100m000100y43"}
	o.Normalize()
	if err := o.Validate(); err != nil {
		t.Fatalf("valid org refused: %v", err)
	}
	if o.Name != "某公司" || o.CreditCode != "91350100M000100Y43" || o.TimeZone != DefaultTimeZone || o.Kind != OrgEnterprise {
		t.Fatalf("normalize: %+v", o)
	}
	o.ParentID = o.ID
	o.TimeZone = "Local"
	o.ContactEmail = "a b@c.d"
	f := fields(o.Validate())
	for _, k := range []string{"parent_id", "time_zone", "contact_email"} {
		if f[k] == "" {
			t.Errorf("no problem for %s: %v", k, f)
		}
	}
}

func TestPersonValidate(t *testing.T) {
	p := Person{OrgID: "0192e4a0-0000-7000-8000-000000000001", Name: "李娜", EmployeeNo: "E1", Status: PersonLeft}
	if f := fields(p.Validate()); f["left_on"] != "person.left_needs_date" {
		t.Fatalf("left without date: %v", f)
	}
	p.Status, p.LeftOn = PersonActive, "2026-01-01"
	if f := fields(p.Validate()); f["status"] != "person.active_with_left_date" {
		t.Fatalf("active with date: %v", f)
	}
	p.Phone = "138-0013-8000"
	p.Status = PersonLeft
	if err := p.Validate(); err != nil {
		t.Fatalf("valid: %v", err)
	}
	p.Phone = "电话"
	if f := fields(p.Validate()); f["phone"] != "field.bad_phone" {
		t.Fatalf("phone: %v", f)
	}
}

func TestTreePaths(t *testing.T) {
	a := ChildPath("", "a")
	b := ChildPath(a, "b")
	if a != "/a/" || b != "/a/b/" {
		t.Fatalf("paths %q %q", a, b)
	}
	if !IsUnder(b, a) || !IsUnder(a, a) || IsUnder(a, b) || IsUnder("/ab/", "/a/") || IsUnder(a, "") {
		t.Fatal("IsUnder wrong")
	}
}

func TestAccountTimes(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	s := DefaultSecuritySettings()
	a := Account{PasswordChangedAt: now.Add(-20 * 24 * time.Hour)}
	if a.PasswordExpired(s, now) {
		t.Error("user password expired at 20 days")
	}
	a.Privileged = true
	if !a.PasswordExpired(s, now) {
		t.Error("admin password not expired at 20 days")
	}
	until := now.Add(time.Minute)
	a.LockedUntil = &until
	if !a.Locked(now) || a.Locked(until) {
		t.Error("lock bounds")
	}
	sess := Session{LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour), IdleTimeout: 30 * time.Minute}
	if sess.Expired(now.Add(30*time.Minute)) || !sess.Expired(now.Add(31*time.Minute)) {
		t.Error("idle bounds")
	}
	sess.LastSeenAt = now.Add(12 * time.Hour)
	if !sess.Expired(now.Add(12 * time.Hour)) {
		t.Error("absolute bound")
	}
}

func TestUsernames(t *testing.T) {
	for u, ok := range map[string]bool{"admin": true, "li.na": true, "a@b.cn": true, "ab": false, "_x1": false,
		"王五": false, "x y": false, strings.Repeat("a", 65): false} {
		if validUsername(u) != ok {
			t.Errorf("validUsername(%q) = %v", u, !ok)
		}
	}
}

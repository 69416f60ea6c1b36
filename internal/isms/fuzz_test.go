package isms

import "testing"

func FuzzCheckCreditCode(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "", "00000000000000000", "91350100M000100Y4\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		rule := CheckCreditCode(code)
		if rule == "" {
			c, ok := CreditCodeCheckChar(code[:17])
			if !ok || c != code[17] {
				t.Fatalf("%q accepted with wrong check character", code)
			}
		}
	})
}

func FuzzCheckPassword(f *testing.F) {
	for _, s := range []string{"Zs-2026-secure", "12345678", "aaaaaaaa", "", "密码密码密码密码1"} {
		f.Add(s, "user")
	}
	f.Fuzz(func(t *testing.T, pw, user string) {
		_ = CheckPassword(DefaultSecuritySettings(), "password", pw, user, "")
	})
}

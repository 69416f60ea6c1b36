package auth

import (
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := Hasher{P: TestParams}
	hash, err := h.Hash("Zs-2026-secure")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash format %q", hash)
	}
	if ok, err := h.Verify(hash, "Zs-2026-secure"); !ok || err != nil {
		t.Fatalf("right password: %v %v", ok, err)
	}
	if ok, _ := h.Verify(hash, "Zs-2026-securE"); ok {
		t.Fatal("wrong password accepted")
	}
	again, _ := h.Hash("Zs-2026-secure")
	if again == hash {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	// Parameters come from the hash: a hasher with other defaults verifies it.
	if ok, _ := (Hasher{P: DefaultParams}).Verify(hash, "Zs-2026-secure"); !ok {
		t.Fatal("hash not verifiable with other default parameters")
	}
	for _, bad := range []string{"", "$2a$10$abc", "$argon2id$v=19$m=x$a$b", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5"} {
		if ok, err := h.Verify(bad, "x"); ok || err == nil {
			t.Errorf("malformed %q: %v %v", bad, ok, err)
		}
	}
}

func TestSecrets(t *testing.T) {
	a, _ := NewSecret("isms_t_")
	b, _ := NewSecret("isms_t_")
	if a == b || !strings.HasPrefix(a, "isms_t_") || len(a) != len("isms_t_")+43 {
		t.Fatalf("secrets %q %q", a, b)
	}
	if SecretHash(a) == SecretHash(b) || len(SecretHash(a)) != 64 {
		t.Fatal("secret hash")
	}
	pw, _ := NewPassword()
	if len(pw) != 16 || !strings.ContainsAny(pw, "23456789") {
		t.Fatalf("password %q", pw)
	}
}

// Package auth holds credentials: argon2id password hashes and the random
// secrets behind sessions and API tokens. It stores nothing; the service
// decides when to check what.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultParams follow OWASP's argon2id baseline (19 MiB, 2 passes), which
// keeps a sign-in near 30 ms on a 2-core server.
var DefaultParams = Params{Time: 2, Memory: 19 * 1024, Threads: 1}

// TestParams are cheap, for tests only.
var TestParams = Params{Time: 1, Memory: 64, Threads: 1}

// Hasher hashes and checks passwords with fixed parameters.
type Hasher struct{ P Params }

// Hash returns the PHC-format argon2id hash of password with a new salt.
func (h Hasher) Hash(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.P.Time, h.P.Memory, h.P.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.P.Memory, h.P.Time, h.P.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrBadHash means a stored hash cannot be parsed.
var ErrBadHash = errors.New("auth: malformed password hash")

// Verify reports whether password matches hash. Parameters come from the
// hash, so raising DefaultParams keeps old hashes valid.
func (h Hasher) Verify(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, ErrBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when no account matches a sign-in name,
// so a wrong name costs as much time as a wrong password.
func (h Hasher) DummyHash() string {
	s, _ := h.Hash("not-a-real-password")
	return s
}

// NewSecret returns a random secret with the given prefix: 32 random bytes
// in URL-safe base64, e.g. "isms_s_…" for sessions and "isms_t_…" for
// API tokens, so a leaked secret is recognizable to secret scanners.
func NewSecret(prefix string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// SecretHash is how a secret is stored and looked up: SHA-256 in hex. The
// secrets are 256-bit random, so a fast hash is enough.
func SecretHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// NewPassword returns a random password that satisfies the default rules:
// 16 characters from letters of both cases and digits, always with each.
func NewPassword() (string, error) {
	const lower, upper, digits = "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
	all := lower + upper + digits
	for {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		for i := range b {
			b[i] = all[int(b[i])%len(all)]
		}
		s := string(b)
		if strings.ContainsAny(s, lower) && strings.ContainsAny(s, upper) && strings.ContainsAny(s, digits) {
			return s, nil
		}
	}
}

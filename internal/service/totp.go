package service

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base32"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// totpOpts are the RFC 6238 parameters every authenticator app supports.
var totpOpts = totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// recoveryCodes is how many single-use recovery codes an enrolment makes.
const recoveryCodes = 10

// TOTPEnrolment is what a person needs to add the account to an app.
type TOTPEnrolment struct {
	Secret string // base32, for typing in by hand
	URL    string // otpauth:// URL, for QR codes
	QRPNG  []byte // the URL as a QR code
}

// StartTOTP begins enrolling a one-time password generator for the
// actor's own account. Nothing changes until ConfirmTOTP.
func (s *Service) StartTOTP(ctx context.Context, a isms.Actor) (TOTPEnrolment, error) {
	if a.AccountID == "" {
		return TOTPEnrolment{}, isms.Unauthenticated(isms.M("auth.session_invalid"))
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: "OpenISMS", AccountName: a.Username})
	if err != nil {
		return TOTPEnrolment{}, isms.Internal(err)
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return TOTPEnrolment{}, isms.Internal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return TOTPEnrolment{}, isms.Internal(err)
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error { return tx.SetTOTPPending(ctx, a.AccountID, key.Secret()) })
	return TOTPEnrolment{Secret: key.Secret(), URL: key.URL(), QRPNG: buf.Bytes()}, err
}

// ConfirmTOTP checks a first code against the pending secret, turns the
// generator on and returns new recovery codes, shown once.
func (s *Service) ConfirmTOTP(ctx context.Context, a isms.Actor, code string) ([]string, error) {
	var codes []string
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		st, err := tx.TOTP(ctx, a.AccountID)
		if err != nil {
			return err
		}
		if st.Pending == "" {
			return isms.Invalid("code", isms.M("totp.not_started"))
		}
		step, ok := matchTOTP(st.Pending, code, s.clock.Now(), 0)
		if !ok {
			return isms.Invalid("code", isms.M("totp.wrong"))
		}
		if err := tx.EnableTOTP(ctx, a.AccountID, step); err != nil {
			return err
		}
		hashes := make([]string, recoveryCodes)
		for i := range hashes {
			c, err := newRecoveryCode()
			if err != nil {
				return isms.Internal(err)
			}
			codes = append(codes, c)
			hashes[i] = auth.SecretHash(normalizeRecovery(c))
		}
		if err := tx.ReplaceRecoveryCodes(ctx, a.AccountID, hashes); err != nil {
			return err
		}
		if err := tx.ClearTOTPSetup(ctx, a.AccountID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "account.totp_enable", EntityType: "account",
			EntityID: a.AccountID, Summary: a.Username})
	})
	return codes, err
}

// ResetTOTP removes another account's generator and recovery codes (a
// lost phone); the account enrols again at its next sign-in if its roles
// require it.
func (s *Service) ResetTOTP(ctx context.Context, a isms.Actor, accountID string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		acct, err := accountInScope(ctx, tx, a, accountID)
		if err != nil {
			return err
		}
		if acct.ID == a.AccountID {
			return isms.Forbidden(isms.M("totp.reset_self"))
		}
		if err := tx.ResetTOTP(ctx, acct.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: acct.OrgID, Action: "account.totp_reset", EntityType: "account",
			EntityID: acct.ID, Summary: acct.Username})
	})
}

// checkSecondFactor accepts a current one-time code (never one already
// used) or an unused recovery code, inside the sign-in transaction.
func (s *Service) checkSecondFactor(ctx context.Context, tx *store.Tx, accountID, code string) (bool, string, error) {
	st, err := tx.TOTP(ctx, accountID)
	if err != nil {
		return false, "", err
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return false, "", nil
	}
	if step, ok := matchTOTP(st.Secret, code, s.clock.Now(), st.LastStep); ok {
		return true, "totp", tx.SetTOTPStep(ctx, accountID, step)
	}
	ok, err := tx.UseRecoveryCode(ctx, accountID, auth.SecretHash(normalizeRecovery(code)), s.clock.Now())
	return ok, "recovery_code", err
}

// matchTOTP checks code against the steps around now (one step of clock
// drift either way), accepting only steps after lastStep, and returns the
// step it matched.
func matchTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	step := now.Unix() / 30
	for _, d := range []int64{0, -1, 1} {
		s := step + d
		if s <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*30, 0), totpOpts)
		if err == nil && want == code {
			return s, true
		}
	}
	return 0, false
}

// newRecoveryCode returns a code like "K7QD-2MXF-9TRB".
func newRecoveryCode() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	s := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)[:12]
	return s[:4] + "-" + s[4:8] + "-" + s[8:], nil
}

func normalizeRecovery(c string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(c), "-", ""))
}

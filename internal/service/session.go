package service

import (
	"context"
	"time"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// SignIn is the result of a successful sign-in.
type SignIn struct {
	Secret  string       // the session token for the cookie; shown once
	Session isms.Session //
	Account isms.Account
	// Previous is the account's last sign-in before this one, shown to the
	// person so they notice sign-ins that were not theirs.
	PreviousAt *time.Time
	PreviousIP string
	Roles      []isms.Role
}

// touchEvery is how stale a session's last-seen time may get before a
// request writes it again; it keeps reads from becoming writes.
const touchEvery = time.Minute

// SignIn checks a sign-in name and password. Failures are counted; after
// the organization's threshold the account locks for a while. Every
// outcome is in the trail. The password hash is checked outside the write
// transaction so a slow hash never holds SQLite's single writer.
func (s *Service) SignIn(ctx context.Context, username, password, code, ip, userAgent string) (SignIn, error) {
	var out SignIn
	bad := isms.Unauthenticated(isms.M("auth.bad_credentials"))
	if username == "" || password == "" {
		return out, bad
	}
	found, err := s.st.AccountByUsername(ctx, username)
	if err != nil && isms.ErrorCode(err) != isms.CodeNotFound {
		return out, err
	}
	hash := found.PasswordHash
	if found.ID == "" || found.ArchivedAt != nil {
		hash = s.dummy
	}
	ok, _ := s.hasher.Verify(hash, password)
	ok = ok && found.ID != "" && found.ArchivedAt == nil

	actor := isms.Actor{AccountID: found.ID, OrgID: found.OrgID, Username: username, Via: "session", IP: ip}
	var result error
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if found.ID == "" || found.ArchivedAt != nil {
			result = bad
			actor.AccountID = ""
			reason := "unknown username"
			if found.ID != "" {
				reason = "account disabled"
			}
			return s.record(ctx, tx, actor, audit{OrgID: found.OrgID, Action: "session.sign_in_failed",
				EntityType: "account", EntityID: found.ID, Summary: username, Data: map[string]string{"reason": reason}})
		}
		acct, err := tx.Account(ctx, found.ID) // fresh: counts may have moved meanwhile
		if err != nil {
			return err
		}
		settings, err := tx.SecuritySettings(ctx, acct.OrgID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if acct.Locked(now) {
			result = isms.Unauthenticated(isms.M("auth.locked", "until", *acct.LockedUntil))
			return s.record(ctx, tx, actor, audit{OrgID: acct.OrgID, Action: "session.sign_in_failed",
				EntityType: "account", EntityID: acct.ID, Summary: acct.Username, Data: map[string]string{"reason": "locked"}})
		}
		second, how := true, ""
		if ok && acct.TOTPEnabled {
			if second, how, err = s.checkSecondFactor(ctx, tx, acct.ID, code); err != nil {
				return err
			}
		}
		if !ok || !second {
			acct.FailedAttempts++
			result = bad
			reason := "wrong password"
			if ok {
				result, reason = isms.Unauthenticated(isms.M("auth.totp_required")), "wrong one-time code"
			}
			if err := s.record(ctx, tx, actor, audit{OrgID: acct.OrgID, Action: "session.sign_in_failed",
				EntityType: "account", EntityID: acct.ID, Summary: acct.Username,
				Data: map[string]any{"reason": reason, "failures": acct.FailedAttempts}}); err != nil {
				return err
			}
			if acct.FailedAttempts >= settings.LockoutThreshold {
				until := now.Add(time.Duration(settings.LockoutMinutes) * time.Minute)
				acct.LockedUntil, acct.FailedAttempts = &until, 0
				result = isms.Unauthenticated(isms.M("auth.locked", "until", until))
				if err := s.record(ctx, tx, actor, audit{OrgID: acct.OrgID, Action: "account.lockout",
					EntityType: "account", EntityID: acct.ID, Summary: acct.Username,
					Data: map[string]any{"until": until, "minutes": settings.LockoutMinutes}}); err != nil {
					return err
				}
			}
			return tx.RecordSignIn(ctx, &acct)
		}

		out.PreviousAt, out.PreviousIP = acct.LastSignInAt, acct.LastSignInIP
		acct.FailedAttempts, acct.LockedUntil = 0, nil
		acct.LastSignInAt, acct.LastSignInIP = &now, ip
		if err := tx.RecordSignIn(ctx, &acct); err != nil {
			return err
		}
		secret, err := auth.NewSecret("isms_s_")
		if err != nil {
			return isms.Internal(err)
		}
		sess := isms.Session{
			ID: auth.SecretHash(secret), AccountID: acct.ID, OrgID: acct.OrgID,
			CreatedAt: now, LastSeenAt: now,
			ExpiresAt:      now.Add(time.Duration(settings.SessionAbsoluteHours) * time.Hour),
			IdleTimeout:    time.Duration(settings.SessionIdleMinutes) * time.Minute,
			IP:             ip,
			UserAgent:      truncate(userAgent, 300),
			PasswordChange: acct.MustChangePassword || acct.PasswordExpired(settings, now),
		}
		roles, err := tx.ActiveRoles(ctx, acct.ID)
		if err != nil {
			return err
		}
		sess.TOTPSetup = settings.RequireAdminTOTP && !acct.TOTPEnabled && isms.NeedsTOTP(roles)
		if err := tx.CreateSession(ctx, &sess); err != nil {
			return err
		}
		out.Secret, out.Session, out.Account, out.Roles = secret, sess, acct, roles
		return s.record(ctx, tx, actor, audit{OrgID: acct.OrgID, Action: "session.sign_in", EntityType: "account",
			EntityID: acct.ID, Summary: acct.Username,
			Data: map[string]any{"password_change_required": sess.PasswordChange, "totp_setup_required": sess.TOTPSetup,
				"second_factor": how, "user_agent": sess.UserAgent}})
	})
	if err != nil {
		return SignIn{}, err
	}
	if result != nil {
		return SignIn{}, result
	}
	return out, nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}

// actorFor builds the actor of an authenticated account, with its roles.
func (s *Service) actorFor(ctx context.Context, acct isms.Account, via, ip string) (isms.Actor, error) {
	o, err := s.st.Organization(ctx, acct.OrgID)
	if err != nil {
		return isms.Actor{}, err
	}
	roles, err := s.st.ActiveRoles(ctx, acct.ID)
	if err != nil {
		return isms.Actor{}, err
	}
	return isms.Actor{AccountID: acct.ID, OrgID: acct.OrgID, OrgPath: o.Path, Username: acct.Username, Via: via, IP: ip,
		Roles: roles, Language: acct.Language}, nil
}

// Authenticate resolves a session token to its actor and keeps the
// session alive. Expired sessions and disabled accounts fail.
func (s *Service) Authenticate(ctx context.Context, secret, ip string) (isms.Actor, string, error) {
	none := isms.Unauthenticated(isms.M("auth.session_invalid"))
	if secret == "" {
		return isms.Actor{}, "", none
	}
	id := auth.SecretHash(secret)
	sess, h, err := s.st.SessionWithHolder(ctx, id)
	if isms.ErrorCode(err) == isms.CodeNotFound {
		return isms.Actor{}, "", none
	}
	if err != nil {
		return isms.Actor{}, "", err
	}
	now := s.clock.Now()
	if sess.Expired(now) {
		return isms.Actor{}, "", isms.Unauthenticated(isms.M("auth.session_expired"))
	}
	if h.Archived {
		return isms.Actor{}, "", none
	}
	roles, err := s.st.ActiveRoles(ctx, sess.AccountID)
	if err != nil {
		return isms.Actor{}, "", err
	}
	a := isms.Actor{AccountID: sess.AccountID, OrgID: h.OrgID, OrgPath: h.OrgPath, Username: h.Username, Via: "session",
		IP: ip, Roles: roles, Language: h.Language}
	a.PasswordChange, a.TOTPSetup = sess.PasswordChange, sess.TOTPSetup
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if err := s.st.TouchSession(ctx, id, now); err != nil {
			return a, "", err
		}
	}
	return a, id, nil
}

// SignOut ends the session with the given ID (the hash of its token).
func (s *Service) SignOut(ctx context.Context, a isms.Actor, sessionID string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteSession(ctx, sessionID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "session.sign_out", EntityType: "account",
			EntityID: a.AccountID, Summary: a.Username})
	})
}

// ChangePassword replaces the actor's own password after checking the
// current one. Other sessions of the account end; this one is freed from
// the password-change restriction.
func (s *Service) ChangePassword(ctx context.Context, a isms.Actor, sessionID, current, next string) error {
	if a.AccountID == "" {
		return isms.Unauthenticated(isms.M("auth.session_invalid"))
	}
	acct, err := s.st.Account(ctx, a.AccountID)
	if err != nil {
		return err
	}
	if ok, _ := s.hasher.Verify(acct.PasswordHash, current); !ok {
		return isms.Invalid("current_password", isms.M("password.current_wrong"))
	}
	if next == current {
		return isms.Invalid("password", isms.M("password.same_as_current"))
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		acct, err := tx.Account(ctx, a.AccountID)
		if err != nil {
			return err
		}
		if err := s.setPassword(ctx, tx, &acct, next, false); err != nil {
			return err
		}
		if err := tx.DeleteAccountSessions(ctx, acct.ID, sessionID); err != nil {
			return err
		}
		if err := tx.ClearPasswordChange(ctx, acct.ID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: acct.OrgID, Action: "account.password_change", EntityType: "account",
			EntityID: acct.ID, Summary: acct.Username})
	})
}

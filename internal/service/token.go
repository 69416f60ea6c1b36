package service

import (
	"context"
	"time"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// CreateToken issues an API token for the account acct (the actor's own
// unless the console names another). The secret is returned once and
// only its hash is kept.
func (s *Service) CreateToken(ctx context.Context, a isms.Actor, accountID, name string, expires *time.Time) (isms.APIToken, string, error) {
	now := s.clock.Now()
	t := isms.APIToken{ID: newID(), Name: name, CreatedAt: now, ExpiresAt: expires}
	isms.TrimFields(&t.Name)
	if err := t.Validate(now); err != nil {
		return t, "", err
	}
	secret, err := auth.NewSecret("isms_t_")
	if err != nil {
		return t, "", isms.Internal(err)
	}
	t.Hash, t.Prefix = auth.SecretHash(secret), secret[:12]
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if accountID == "" {
			accountID = a.AccountID
		}
		if accountID != a.AccountID && !a.IsCLI() {
			return isms.Forbidden(isms.M("token.only_own"))
		}
		acct, err := tx.Account(ctx, accountID)
		if err != nil {
			return err
		}
		if acct.ArchivedAt != nil {
			return isms.Conflict("", isms.M("error.archived", "entity", "account"))
		}
		t.AccountID, t.OrgID = acct.ID, acct.OrgID
		if err := tx.CreateToken(ctx, &t); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: t.OrgID, Action: "token.create", EntityType: "token",
			EntityID: t.ID, Summary: t.Name, Data: map[string]any{"account": acct.Username, "prefix": t.Prefix, "expires_at": t.ExpiresAt}})
	})
	if err != nil {
		return isms.APIToken{}, "", err
	}
	return t, secret, nil
}

// RevokeToken ends a token. Accounts revoke their own; the console any.
func (s *Service) RevokeToken(ctx context.Context, a isms.Actor, id string) (isms.APIToken, error) {
	var t isms.APIToken
	if !isms.ValidID(id) {
		return t, isms.NotFound("token")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if t, err = tx.Token(ctx, id); err != nil {
			return err
		}
		if t.AccountID != a.AccountID && !a.IsCLI() {
			return isms.NotFound("token")
		}
		if t.RevokedAt != nil {
			return nil
		}
		now := s.clock.Now()
		if err := tx.RevokeToken(ctx, id, now); err != nil {
			return err
		}
		t.RevokedAt = &now
		return s.record(ctx, tx, a, audit{OrgID: t.OrgID, Action: "token.revoke", EntityType: "token",
			EntityID: t.ID, Summary: t.Name, Data: map[string]string{"prefix": t.Prefix}})
	})
	return t, err
}

// ListTokens lists the actor's own tokens.
func (s *Service) ListTokens(ctx context.Context, a isms.Actor) ([]isms.APIToken, error) {
	return s.st.ListTokens(ctx, a.AccountID)
}

// AuthenticateToken resolves an API token to its actor. Each use is
// recorded in the trail and as the token's last-used time.
func (s *Service) AuthenticateToken(ctx context.Context, secret, ip, route string) (isms.Actor, error) {
	none := isms.Unauthenticated(isms.M("auth.token_invalid"))
	var actor isms.Actor
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		t, err := tx.TokenByHash(ctx, auth.SecretHash(secret))
		if isms.ErrorCode(err) == isms.CodeNotFound {
			return none
		}
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if t.RevokedAt != nil || t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
			return none
		}
		acct, err := tx.Account(ctx, t.AccountID)
		if err != nil {
			return err
		}
		if acct.ArchivedAt != nil {
			return none
		}
		o, err := tx.Organization(ctx, acct.OrgID)
		if err != nil {
			return err
		}
		roles, err := tx.ActiveRoles(ctx, acct.ID)
		if err != nil {
			return err
		}
		actor = isms.Actor{AccountID: acct.ID, OrgID: acct.OrgID, OrgPath: o.Path, Username: acct.Username, Via: "token", IP: ip,
			Roles: roles}
		if err := tx.TouchToken(ctx, t.ID, now); err != nil {
			return err
		}
		return s.record(ctx, tx, actor, audit{OrgID: t.OrgID, Action: "token.use", EntityType: "token",
			EntityID: t.ID, Summary: t.Name, Data: map[string]string{"route": route}})
	})
	return actor, err
}

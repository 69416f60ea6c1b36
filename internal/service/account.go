package service

import (
	"context"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// passwordHistory is how many earlier passwords may not be reused.
const passwordHistory = 5

// NewAccount is the input for creating an account. An empty Password
// makes the service generate one, returned once to the caller.
type NewAccount struct {
	OrgID       string `json:"org_id"`
	PersonID    string `json:"person_id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Privileged  bool   `json:"privileged"`
	Password    string `json:"password"`
	// KeepPassword skips the first-sign-in change (for the console's own
	// bootstrap accounts and the demo); accounts made by others must change.
	KeepPassword bool `json:"-"`
}

// CreateAccount opens an account. The returned string is the initial
// password when the service generated it.
func (s *Service) CreateAccount(ctx context.Context, a isms.Actor, in NewAccount) (isms.Account, string, error) {
	if err := a.Require(isms.ActManageAccounts); err != nil {
		return isms.Account{}, "", err
	}
	acct := isms.Account{OrgID: in.OrgID, PersonID: in.PersonID, Username: in.Username,
		DisplayName: in.DisplayName, Privileged: in.Privileged}
	acct.Normalize()
	acct.ID = newID()
	if err := acct.Validate(); err != nil {
		return acct, "", err
	}
	var generated string
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := recordOrg(ctx, tx, a, "org_id", acct.OrgID); err != nil {
			return err
		}
		var err error
		acct, generated, err = s.createAccount(ctx, tx, a, in)
		return err
	})
	return acct, generated, err
}

// createAccount validates and inserts an account inside tx and records it.
func (s *Service) createAccount(ctx context.Context, tx *store.Tx, a isms.Actor, in NewAccount) (isms.Account, string, error) {
	acct := isms.Account{OrgID: in.OrgID, PersonID: in.PersonID, Username: in.Username,
		DisplayName: in.DisplayName, Privileged: in.Privileged}
	acct.Normalize()
	acct.ID = newID()
	if err := acct.Validate(); err != nil {
		return acct, "", err
	}
	generated := ""
	if in.Password == "" {
		pw, err := auth.NewPassword()
		if err != nil {
			return acct, "", isms.Internal(err)
		}
		in.Password, generated = pw, pw
	}
	now := s.clock.Now()
	acct.CreatedAt, acct.UpdatedAt, acct.PasswordChangedAt = now, now, now
	acct.MustChangePassword = !in.KeepPassword
	personName, err := s.checkAccountPerson(ctx, tx, &acct)
	if err != nil {
		return acct, "", err
	}
	settings, err := tx.SecuritySettings(ctx, acct.OrgID)
	if err != nil {
		return acct, "", err
	}
	if err := isms.CheckPassword(settings, "password", in.Password, acct.Username, personName); err != nil {
		return acct, "", err
	}
	if acct.PasswordHash, err = s.hasher.Hash(in.Password); err != nil {
		return acct, "", isms.Internal(err)
	}
	if err := tx.CreateAccount(ctx, &acct); err != nil {
		return acct, "", err
	}
	return acct, generated, s.record(ctx, tx, a, audit{OrgID: acct.OrgID, Action: "account.create", EntityType: "account",
		EntityID: acct.ID, Summary: acct.Username, Data: acct})
}

// checkAccountPerson checks the linked person and returns their name.
func (s *Service) checkAccountPerson(ctx context.Context, tx *store.Tx, acct *isms.Account) (string, error) {
	if acct.PersonID == "" {
		return "", nil
	}
	p, err := tx.Person(ctx, acct.PersonID)
	switch {
	case isms.ErrorCode(err) == isms.CodeNotFound || err == nil && p.OrgID != acct.OrgID:
		return "", isms.Invalid("person_id", isms.M("ref.person_missing"))
	case err != nil:
		return "", err
	case p.ArchivedAt != nil || p.Status != isms.PersonActive:
		return "", isms.Invalid("person_id", isms.M("ref.person_inactive"))
	}
	return p.Name, nil
}

// accountInScope loads an account of the actor's organization that the
// actor may manage.
func accountInScope(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Account, error) {
	if !isms.ValidID(id) {
		return isms.Account{}, isms.NotFound("account")
	}
	acct, err := tx.Account(ctx, id)
	if err != nil {
		return acct, err
	}
	if !a.OwnOrg(acct.OrgID) {
		return isms.Account{}, isms.NotFound("account")
	}
	return acct, a.Require(isms.ActManageAccounts)
}

// Account reads one account: one's own, or one of the organization's
// for those who may view accounts.
func (s *Service) Account(ctx context.Context, a isms.Actor, id string) (isms.Account, error) {
	if !isms.ValidID(id) {
		return isms.Account{}, isms.NotFound("account")
	}
	acct, err := s.st.Account(ctx, id)
	if err != nil {
		return acct, err
	}
	if !a.OwnOrg(acct.OrgID) {
		return isms.Account{}, isms.NotFound("account")
	}
	if acct.ID == a.AccountID {
		return acct, nil
	}
	return acct, a.Require(isms.ActViewAccounts)
}

// AccountByUsername finds an account by sign-in name (console use).
func (s *Service) AccountByUsername(ctx context.Context, a isms.Actor, username string) (isms.Account, error) {
	acct, err := s.st.AccountByUsername(ctx, username)
	if err != nil {
		return acct, err
	}
	return s.Account(ctx, a, acct.ID)
}

// SetLanguage stores the actor's own UI language ("" follows the browser).
func (s *Service) SetLanguage(ctx context.Context, a isms.Actor, lang string) error {
	switch lang {
	case "", "zh-CN", "en":
	default:
		return isms.Invalid("language", isms.M("field.one_of", "values", "zh-CN, en"))
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetLanguage(ctx, a.AccountID, lang); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "account.language", EntityType: "account",
			EntityID: a.AccountID, Summary: a.Username, Data: map[string]string{"language": lang}})
	})
}

// UpdateAccount changes the display name, linked person or privilege flag.
func (s *Service) UpdateAccount(ctx context.Context, a isms.Actor, id string, p isms.AccountPatch) (isms.Account, error) {
	var acct isms.Account
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		before, err := accountInScope(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if before.ArchivedAt != nil {
			return isms.Conflict("", isms.M("error.archived", "entity", "account"))
		}
		acct = before
		p.Apply(&acct)
		acct.Normalize()
		if err := acct.Validate(); err != nil {
			return err
		}
		if acct.PersonID != before.PersonID {
			if _, err := s.checkAccountPerson(ctx, tx, &acct); err != nil {
				return err
			}
		}
		acct.UpdatedAt = s.clock.Now()
		if err := tx.UpdateAccount(ctx, &acct); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: acct.OrgID, Action: "account.update", EntityType: "account",
			EntityID: acct.ID, Summary: acct.Username, Data: changes(before, acct)})
	})
	return acct, err
}

// ArchiveAccount disables an account and ends its sessions. Nobody
// disables the account they are signed in with.
func (s *Service) ArchiveAccount(ctx context.Context, a isms.Actor, id string) (isms.Account, error) {
	var acct isms.Account
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if acct, err = accountInScope(ctx, tx, a, id); err != nil {
			return err
		}
		if acct.ArchivedAt != nil {
			return nil
		}
		if acct.ID == a.AccountID {
			return isms.Conflict("", isms.M("account.archive_self"))
		}
		now := s.clock.Now()
		if err := tx.ArchiveAccount(ctx, id, now); err != nil {
			return err
		}
		acct.ArchivedAt, acct.UpdatedAt = &now, now
		return s.record(ctx, tx, a, audit{OrgID: acct.OrgID, Action: "account.archive", EntityType: "account",
			EntityID: acct.ID, Summary: acct.Username})
	})
	return acct, err
}

// ResetPassword sets a new password for someone else's account (or
// generates one when password is empty); they must change it at the next
// sign-in. It returns the generated password.
func (s *Service) ResetPassword(ctx context.Context, a isms.Actor, id, password string) (string, error) {
	generated := ""
	if password == "" {
		pw, err := auth.NewPassword()
		if err != nil {
			return "", isms.Internal(err)
		}
		password, generated = pw, pw
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		acct, err := accountInScope(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if acct.ArchivedAt != nil {
			return isms.Conflict("", isms.M("error.archived", "entity", "account"))
		}
		if acct.ID == a.AccountID {
			return isms.Invalid("id", isms.M("account.reset_self"))
		}
		if err := s.setPassword(ctx, tx, &acct, password, true); err != nil {
			return err
		}
		if err := tx.DeleteAccountSessions(ctx, acct.ID, ""); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: acct.OrgID, Action: "account.password_reset", EntityType: "account",
			EntityID: acct.ID, Summary: acct.Username})
	})
	return generated, err
}

// setPassword checks the rules and history and stores a new password.
func (s *Service) setPassword(ctx context.Context, tx *store.Tx, acct *isms.Account, password string, mustChange bool) error {
	settings, err := tx.SecuritySettings(ctx, acct.OrgID)
	if err != nil {
		return err
	}
	personName := ""
	if acct.PersonID != "" {
		if p, err := tx.Person(ctx, acct.PersonID); err == nil {
			personName = p.Name
		}
	}
	if err := isms.CheckPassword(settings, "password", password, acct.Username, personName); err != nil {
		return err
	}
	history, err := tx.PasswordHistory(ctx, acct.ID, passwordHistory-1)
	if err != nil {
		return err
	}
	for _, old := range append([]string{acct.PasswordHash}, history...) {
		if ok, _ := s.hasher.Verify(old, password); ok {
			return isms.Invalid("password", isms.M("password.reused", "count", passwordHistory))
		}
	}
	if acct.PasswordHash, err = s.hasher.Hash(password); err != nil {
		return isms.Internal(err)
	}
	acct.MustChangePassword = mustChange
	return tx.SetPassword(ctx, acct, s.clock.Now())
}

// ListAccounts lists the accounts of one organization in scope; the
// console lists every organization's when no organization is given.
func (s *Service) ListAccounts(ctx context.Context, a isms.Actor, f isms.ListFilter) ([]isms.Account, error) {
	if !(a.IsCLI() && f.OrgID == "") {
		if err := s.listOrg(ctx, a, &f, isms.ActViewAccounts); err != nil {
			return nil, err
		}
	}
	return s.st.ListAccounts(ctx, f)
}

// AccountLabels names the actor's organization's accounts that records
// refer to (approvers, requesters, filers) for display. Trail entries and
// records keep account IDs; pages show these labels.
func (s *Service) AccountLabels(ctx context.Context, a isms.Actor, ids ...string) (map[string]string, error) {
	var valid []string
	for _, id := range dedupe(ids) {
		if isms.ValidID(id) {
			valid = append(valid, id)
		}
	}
	if len(valid) == 0 {
		return map[string]string{}, nil
	}
	return s.st.AccountLabels(ctx, a.OrgID, valid)
}

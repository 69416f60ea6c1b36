package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
	"openisms/internal/store"
)

// BootstrapMode says how the first administrators are set up.
type BootstrapMode string

// Bootstrap modes.
const (
	// BootstrapSplit creates three accounts, one per administrator role
	// (三员), as MLPS expects.
	BootstrapSplit BootstrapMode = "split"
	// BootstrapOwner creates one interim owner account for a small
	// installation, with a warning until the duties are split.
	BootstrapOwner BootstrapMode = "owner"
)

// BootstrapInput is the first-run setup.
type BootstrapInput struct {
	Organization isms.Organization
	Mode         BootstrapMode
	// Usernames and passwords of the accounts, by role (owner, or the three
	// administrators). Empty usernames get defaults; empty passwords are
	// generated. Accounts must change their password at first sign-in
	// unless KeepPasswords is set (tests and the demo).
	Usernames     map[isms.Role]string
	Passwords     map[isms.Role]string
	KeepPasswords bool
	// Template, when set, gives the organization its starting structure
	// in the same transaction.
	Template *orgtemplate.Template
}

// BootstrapAccount is one account the setup made.
type BootstrapAccount struct {
	Role     isms.Role
	Account  isms.Account
	Password string // generated password, shown once; "" if given
}

// BootstrapResult is what the setup made.
type BootstrapResult struct {
	Organization isms.Organization
	Accounts     []BootstrapAccount
	Template     TemplateResult
}

// NeedsSetup reports whether the database has no organization yet.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	orgs, err := s.st.ListOrganizations(ctx, isms.ListFilter{Status: "all", Limit: 1})
	return len(orgs) == 0, err
}

// Bootstrap creates the first organization and its administrator accounts
// in one transaction. It refuses a database that already has
// organizations: after the first run, accounts and roles are managed by
// the security administrator.
func (s *Service) Bootstrap(ctx context.Context, a isms.Actor, in BootstrapInput) (BootstrapResult, error) {
	var res BootstrapResult
	roles := isms.AdminRoles
	switch in.Mode {
	case BootstrapSplit:
	case BootstrapOwner:
		roles = []isms.Role{isms.RoleOwner}
	default:
		return res, isms.Invalid("mode", isms.M("field.one_of", "values", "split, owner"))
	}
	o := in.Organization
	o.ParentID = ""
	o.Normalize()
	o.ID = newID()
	if err := o.Validate(); err != nil {
		return res, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		empty, err := s.NeedsSetup(ctx)
		if err != nil {
			return err
		}
		if !empty {
			return isms.Conflict("", isms.M("setup.done"))
		}
		now := s.clock.Now()
		o.Path = isms.ChildPath("", o.ID)
		o.CreatedAt, o.UpdatedAt = now, now
		if err := tx.CreateOrganization(ctx, &o); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, audit{OrgID: o.ID, Action: "organization.create", EntityType: "organization",
			EntityID: o.ID, Summary: o.Name, Data: o}); err != nil {
			return err
		}
		for _, role := range roles {
			username := in.Usernames[role]
			if username == "" {
				username = defaultUsernames[role]
			}
			acct, pw, err := s.createAccount(ctx, tx, a, NewAccount{OrgID: o.ID, Username: username,
				DisplayName: username, Privileged: true, Password: in.Passwords[role], KeepPassword: in.KeepPasswords})
			if err != nil {
				return prefixFields(err, string(role)+".")
			}
			g := isms.RoleGrant{ID: newID(), OrgID: o.ID, AccountID: acct.ID, Role: role, Status: isms.GrantActive,
				GrantedBy: a.Name(), GrantedAt: now}
			if err := tx.CreateGrant(ctx, &g); err != nil {
				return err
			}
			if err := s.record(ctx, tx, a, audit{OrgID: o.ID, Action: "role.grant", EntityType: "account",
				EntityID: acct.ID, Summary: acct.Username + " " + string(role), Data: g}); err != nil {
				return err
			}
			res.Accounts = append(res.Accounts, BootstrapAccount{Role: role, Account: acct, Password: pw})
		}
		if in.Template == nil {
			return nil
		}
		res.Template, err = s.applyTemplate(ctx, tx, a, o.ID, *in.Template)
		return err
	})
	res.Organization = o
	return res, err
}

var defaultUsernames = map[isms.Role]string{
	isms.RoleOwner:         "owner",
	isms.RoleSystemAdmin:   "sysadmin",
	isms.RoleSecurityAdmin: "secadmin",
	isms.RoleAuditAdmin:    "auditadmin",
}

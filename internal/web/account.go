package web

import (
	"net/http"

	"openisms/internal/isms"
	"openisms/internal/service"
)

type accountsData struct {
	Accounts  []isms.Account
	CanManage bool
	Created   *createdAccount
}

type createdAccount struct {
	Username, Password string
}

func (wb *Web) accountsPage(r *req) (page, error) {
	accts, err := wb.svc.ListAccounts(r.Context(), r.Actor, isms.ListFilter{Limit: isms.MaxPageSize, Text: r.URL.Query().Get("q")})
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.nav.accounts", Data: &accountsData{Accounts: accts, CanManage: r.Actor.Can(isms.ActManageAccounts)},
		Form: map[string]string{"q": r.URL.Query().Get("q")}}, nil
}

func (wb *Web) accounts(w http.ResponseWriter, r *req) error {
	p, err := wb.accountsPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "accounts/list", p)
}

// createAccount opens an account with a generated password, shown once on
// the page that follows (never in a URL).
func (wb *Web) createAccount(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	acct, pw, err := wb.svc.CreateAccount(r.Context(), r.Actor, service.NewAccount{OrgID: r.Actor.OrgID,
		Username: f.Get("username"), DisplayName: f.Get("display_name")})
	p, perr := wb.accountsPage(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		p.Form = map[string]string{"username": f.Get("username"), "display_name": f.Get("display_name")}
		return wb.formError(w, r, "accounts/list", p, err)
	}
	p.Data.(*accountsData).Created = &createdAccount{Username: acct.Username, Password: pw}
	return wb.render(w, r, http.StatusCreated, "accounts/list", p)
}

type accountData struct {
	Account   isms.Account
	Grants    []isms.RoleGrant
	Roles     []isms.Role
	CanGrant  bool
	CanManage bool
	IsSelf    bool
	// NewPassword is a reset password, shown once.
	NewPassword string
}

func (wb *Web) accountPage(r *req, id string) (page, error) {
	acct, err := wb.svc.Account(r.Context(), r.Actor, id)
	if err != nil {
		return page{}, err
	}
	grants, err := wb.svc.ListGrants(r.Context(), r.Actor, id)
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.accounts.detail", Data: accountData{Account: acct, Grants: grants, Roles: isms.GrantableRoles,
		CanGrant: r.Actor.Can(isms.ActGrantRoles), CanManage: r.Actor.Can(isms.ActManageAccounts), IsSelf: acct.ID == r.Actor.AccountID}}, nil
}

func (wb *Web) account(w http.ResponseWriter, r *req) error {
	p, err := wb.accountPage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "accounts/detail", p)
}

func (wb *Web) grantRole(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	g, err := wb.svc.GrantRole(r.Context(), r.Actor, id, isms.Role(f.Get("role")))
	if err != nil {
		p, perr := wb.accountPage(r, id)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "accounts/detail", p, err)
	}
	flash := "ui.flash.role_granted"
	if g.Status == isms.GrantPending {
		flash = "ui.flash.role_pending"
	}
	return redirect(w, r, "/accounts/"+id, flash)
}

func (wb *Web) revokeRole(w http.ResponseWriter, r *req) error {
	id := r.PathValue("id")
	if _, err := wb.svc.RevokeRole(r.Context(), r.Actor, id, isms.Role(r.PathValue("role"))); err != nil {
		p, perr := wb.accountPage(r, id)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "accounts/detail", p, err)
	}
	return redirect(w, r, "/accounts/"+id, "ui.flash.role_revoked")
}

// disableAccount disables an account and ends its sessions.
func (wb *Web) disableAccount(w http.ResponseWriter, r *req) error {
	id := r.PathValue("id")
	if _, err := wb.svc.ArchiveAccount(r.Context(), r.Actor, id); err != nil {
		p, perr := wb.accountPage(r, id)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "accounts/detail", p, err)
	}
	return redirect(w, r, "/accounts/"+id, "ui.flash.account_disabled")
}

// resetPassword gives an account a generated password, shown once on the
// page; it must be changed at the next sign-in.
func (wb *Web) resetPassword(w http.ResponseWriter, r *req) error {
	id := r.PathValue("id")
	pw, err := wb.svc.ResetPassword(r.Context(), r.Actor, id, "")
	p, perr := wb.accountPage(r, id)
	if perr != nil {
		return perr
	}
	if err != nil {
		return wb.formError(w, r, "accounts/detail", p, err)
	}
	d := p.Data.(accountData)
	d.NewPassword = pw
	p.Data = d
	return wb.render(w, r, http.StatusOK, "accounts/detail", p)
}

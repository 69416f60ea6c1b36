package service

import (
	"context"
	"slices"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// approvalKindRoleGrant is the approval kind of administrator role grants.
const approvalKindRoleGrant = "role_grant"

// ListGrants lists an account's role grants: one's own, or any in the
// organization for those who may view accounts.
func (s *Service) ListGrants(ctx context.Context, a isms.Actor, accountID string) ([]isms.RoleGrant, error) {
	if _, err := s.Account(ctx, a, accountID); err != nil {
		return nil, err
	}
	return s.st.ListGrants(ctx, accountID)
}

// GrantRole gives an account of the actor's organization a role. The
// three administrator roles are exclusive per person, and granting one
// needs the top manager's approval: the grant stays pending until then.
// Nobody grants roles to their own account. The console grants directly
// (it is how an installation is bootstrapped and recovered).
func (s *Service) GrantRole(ctx context.Context, a isms.Actor, accountID string, role isms.Role) (isms.RoleGrant, error) {
	var g isms.RoleGrant
	if !role.Grantable() {
		return g, isms.Invalid("role", isms.M("field.one_of", "values", isms.JoinRoles(isms.GrantableRoles)))
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		acct, err := grantTarget(ctx, tx, a, accountID)
		if err != nil {
			return err
		}
		held, err := tx.LiveRolesOfPerson(ctx, acct.ID, acct.PersonID)
		if err != nil {
			return err
		}
		if slices.Contains(held, role) {
			return isms.Conflict("role", isms.M("role.already_held"))
		}
		if m := isms.CheckAdminExclusive(held, role); m != nil {
			return isms.Conflict("role", *m)
		}
		now := s.clock.Now()
		g = isms.RoleGrant{ID: newID(), OrgID: acct.OrgID, AccountID: acct.ID, Role: role, Status: isms.GrantActive,
			GrantedBy: a.Name(), GrantedAt: now}
		action := "role.grant"
		if role.IsAdmin() && !a.IsCLI() {
			ap := isms.Approval{ID: newID(), OrgID: acct.OrgID, Kind: approvalKindRoleGrant, SubjectType: "role_grant",
				SubjectID: g.ID, Summary: acct.Username + " → " + string(role), RequestedBy: a.AccountID, RequestedAt: now,
				RequiredRole: isms.RoleTopManager, Status: isms.ApprovalPending}
			if err := tx.CreateApproval(ctx, &ap); err != nil {
				return err
			}
			g.Status, g.ApprovalID, action = isms.GrantPending, ap.ID, "role.request"
		}
		if err := tx.CreateGrant(ctx, &g); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: acct.OrgID, Action: action, EntityType: "account", EntityID: acct.ID,
			Summary: acct.Username + " " + string(role), Data: g})
	})
	return g, err
}

// grantTarget loads the account a role is granted to or revoked from.
func grantTarget(ctx context.Context, tx *store.Tx, a isms.Actor, accountID string) (isms.Account, error) {
	if !isms.ValidID(accountID) {
		return isms.Account{}, isms.NotFound("account")
	}
	acct, err := tx.Account(ctx, accountID)
	if err != nil {
		return acct, err
	}
	if !a.OwnOrg(acct.OrgID) {
		return isms.Account{}, isms.NotFound("account")
	}
	if err := a.Require(isms.ActGrantRoles); err != nil {
		return acct, err
	}
	if acct.ID == a.AccountID {
		return acct, isms.Forbidden(isms.M("role.self_grant"))
	}
	if acct.ArchivedAt != nil {
		return acct, isms.Conflict("", isms.M("error.archived", "entity", "account"))
	}
	return acct, nil
}

// RevokeRole takes a role (or a pending request for it) from an account;
// a pending approval is cancelled with it.
func (s *Service) RevokeRole(ctx context.Context, a isms.Actor, accountID string, role isms.Role) (isms.RoleGrant, error) {
	var g isms.RoleGrant
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		acct, err := grantTarget(ctx, tx, a, accountID)
		if err != nil {
			return err
		}
		if g, err = tx.LiveGrant(ctx, acct.ID, role); err != nil {
			return err
		}
		now := s.clock.Now()
		if err := tx.SetGrantStatus(ctx, g.ID, isms.GrantRevoked, a.Name(), now); err != nil {
			return err
		}
		if g.Status == isms.GrantPending && g.ApprovalID != "" {
			ap, err := tx.Approval(ctx, g.ApprovalID)
			if err != nil {
				return err
			}
			ap.Status = isms.ApprovalCancelled
			if err := tx.UpdateApproval(ctx, &ap); err != nil {
				return err
			}
		}
		g.Status, g.RevokedBy, g.RevokedAt = isms.GrantRevoked, a.Name(), &now
		return s.record(ctx, tx, a, audit{OrgID: acct.OrgID, Action: "role.revoke", EntityType: "account", EntityID: acct.ID,
			Summary: acct.Username + " " + string(role), Data: g})
	})
	return g, err
}

// ListApprovals lists the approvals of the actor's organization that
// concern the actor: requested by them, or theirs to decide.
func (s *Service) ListApprovals(ctx context.Context, a isms.Actor, status string) ([]isms.Approval, error) {
	switch isms.ApprovalStatus(status) {
	case "", isms.ApprovalPending, isms.ApprovalApproved, isms.ApprovalRejected, isms.ApprovalCancelled:
	default:
		return nil, isms.Invalid("status", isms.M("field.one_of", "values", "pending, approved, rejected, cancelled"))
	}
	all, err := s.st.ListApprovals(ctx, a.OrgID, status, isms.MaxPageSize)
	if err != nil {
		return nil, err
	}
	out := []isms.Approval{}
	for _, ap := range all {
		mine := ap.Approver == a.AccountID || ap.Approver == "" && (ap.RequiredRole == "" || a.HasRole(ap.RequiredRole))
		if ap.RequestedBy == a.AccountID || ap.FirstBy == a.AccountID || mine {
			out = append(out, ap)
		}
	}
	return out, nil
}

// DecideApproval approves or rejects a request. The requester never
// decides, the second approver differs from the first, and the required
// role must be held. The decision and its effect (for a role grant: the
// grant becomes active, or is withdrawn) commit together.
func (s *Service) DecideApproval(ctx context.Context, a isms.Actor, id string, approve bool, comment string) (isms.Approval, error) {
	var ap isms.Approval
	if !isms.ValidID(id) {
		return ap, isms.NotFound("approval")
	}
	comment = truncate(comment, 1000)
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if ap, err = tx.Approval(ctx, id); err != nil {
			return err
		}
		if !a.OwnOrg(ap.OrgID) {
			return isms.NotFound("approval")
		}
		if m := ap.CanDecide(a.AccountID, a.Roles); m != nil && !(a.IsCLI() && ap.Status == isms.ApprovalPending) {
			return isms.Forbidden(*m)
		}
		if !approve && comment == "" {
			return isms.Invalid("comment", isms.M("approval.reason_required"))
		}
		now := s.clock.Now()
		done := true
		switch {
		case ap.FirstBy == "":
			ap.FirstBy, ap.FirstAt, ap.FirstComment = a.Name(), &now, comment
			done = !approve || !ap.NeedsSecond
		default:
			ap.SecondBy, ap.SecondAt, ap.SecondComment = a.Name(), &now, comment
		}
		action := "approval.approve"
		if !approve {
			ap.Status, action = isms.ApprovalRejected, "approval.reject"
		} else if done {
			ap.Status = isms.ApprovalApproved
		}
		if err := tx.UpdateApproval(ctx, &ap); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, audit{OrgID: ap.OrgID, Action: action, EntityType: "approval", EntityID: ap.ID,
			Summary: ap.Summary, Data: map[string]string{"comment": comment, "kind": ap.Kind}}); err != nil {
			return err
		}
		if ap.Status == isms.ApprovalPending {
			return nil
		}
		return s.applyApproval(ctx, tx, a, ap)
	})
	return ap, err
}

// applyApproval carries out a decided approval's effect.
func (s *Service) applyApproval(ctx context.Context, tx *store.Tx, a isms.Actor, ap isms.Approval) error {
	switch ap.Kind {
	case approvalKindTaskSkip:
		return s.applyTaskSkip(ctx, tx, a, ap)
	case approvalKindAssetEvent:
		return s.applyAssetApproval(ctx, tx, a, ap)
	case approvalKindRiskAccept:
		return s.applyRiskAcceptance(ctx, tx, a, ap)
	case approvalKindSoA:
		return s.applySoAApproval(ctx, tx, a, ap)
	case approvalKindObjective:
		return s.applyObjectiveApproval(ctx, tx, a, ap)
	case approvalKindRoleGrant:
		g, err := tx.Grant(ctx, ap.SubjectID)
		if err != nil {
			return err
		}
		if g.Status != isms.GrantPending {
			return nil
		}
		now := s.clock.Now()
		if ap.Status != isms.ApprovalApproved {
			if err := tx.SetGrantStatus(ctx, g.ID, isms.GrantRevoked, a.Name(), now); err != nil {
				return err
			}
			return s.record(ctx, tx, a, audit{OrgID: g.OrgID, Action: "role.refused", EntityType: "account",
				EntityID: g.AccountID, Summary: string(g.Role), Data: map[string]string{"approval_id": ap.ID}})
		}
		if err := tx.SetGrantStatus(ctx, g.ID, isms.GrantActive, "", now); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: g.OrgID, Action: "role.grant", EntityType: "account",
			EntityID: g.AccountID, Summary: string(g.Role), Data: map[string]string{"approval_id": ap.ID}})
	}
	return nil
}

package isms

import "time"

// ApprovalStatus is where an approval request stands.
type ApprovalStatus string

// Approval statuses.
const (
	ApprovalPending   ApprovalStatus = "pending"
	ApprovalApproved  ApprovalStatus = "approved"
	ApprovalRejected  ApprovalStatus = "rejected"
	ApprovalCancelled ApprovalStatus = "cancelled"
)

// Approval is a request that someone other than the requester must
// approve (maker ≠ checker ≠ approver). Modules create approvals for
// their own kinds of request and act when one is decided.
type Approval struct {
	ID            string         `json:"id"`
	OrgID         string         `json:"org_id"`
	Kind          string         `json:"kind"` // e.g. "role_grant"
	SubjectType   string         `json:"subject_type"`
	SubjectID     string         `json:"subject_id"`
	Summary       string         `json:"summary"`
	RequestedBy   string         `json:"requested_by"`
	RequestedAt   time.Time      `json:"requested_at"`
	RequiredRole  Role           `json:"required_role"` // empty: anyone but the requester with the action
	Approver      string         `json:"approver"`      // when set, only this account decides
	NeedsSecond   bool           `json:"needs_second"`  // a second, different approver
	Status        ApprovalStatus `json:"status"`
	FirstBy       string         `json:"first_by"`
	FirstAt       *time.Time     `json:"first_at"`
	FirstComment  string         `json:"first_comment"`
	SecondBy      string         `json:"second_by"`
	SecondAt      *time.Time     `json:"second_at"`
	SecondComment string         `json:"second_comment"`
}

// CanDecide reports why accountID may not decide a, or nil if it may:
// the requester never decides; a first approver is not the second; the
// required role must be held.
func (a *Approval) CanDecide(accountID string, roles []Role) *Msg {
	switch {
	case a.Status != ApprovalPending:
		m := M("approval.not_pending")
		return &m
	case accountID == a.RequestedBy:
		m := M("approval.self")
		return &m
	case a.FirstBy != "" && accountID == a.FirstBy:
		m := M("approval.same_approver")
		return &m
	}
	if a.Approver != "" {
		if accountID == a.Approver {
			return nil
		}
		m := M("approval.not_yours")
		return &m
	}
	if a.RequiredRole != "" {
		for _, r := range roles {
			if r == a.RequiredRole {
				return nil
			}
		}
		m := M("approval.role_required", "role", string(a.RequiredRole))
		return &m
	}
	return nil
}

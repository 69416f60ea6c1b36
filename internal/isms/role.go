package isms

import (
	"slices"
	"strings"
	"time"
)

// Role is a duty an account holds in its organization (DESIGN.md §1).
type Role string

// Roles.
const (
	RoleTopManager      Role = "top_manager"      // 最高管理者
	RoleManagementRep   Role = "management_rep"   // 管理者代表
	RoleISMSTeam        Role = "isms_team"        // 信息安全管理小组成员
	RoleDeptHead        Role = "dept_head"        // 部门负责人
	RoleEmployee        Role = "employee"         // 员工
	RoleInternalAuditor Role = "internal_auditor" // 内审员
	RoleSystemAdmin     Role = "system_admin"     // 系统管理员
	RoleSecurityAdmin   Role = "security_admin"   // 安全管理员
	RoleAuditAdmin      Role = "audit_admin"      // 审计管理员
	RoleSupervisor      Role = "supervisor"       // 监管人员
	RoleDeputyGM        Role = "deputy_gm"        // 副总经理: signs transfers (seed 002 篇1)
	// RoleOwner is the interim account of a small installation that holds
	// the three administrators' duties until they are split. It is only
	// ever created by the first-run setup, never granted.
	RoleOwner Role = "owner"
)

// GrantableRoles are the roles that can be granted, in display order.
var GrantableRoles = []Role{RoleTopManager, RoleDeputyGM, RoleManagementRep, RoleISMSTeam, RoleDeptHead, RoleEmployee,
	RoleInternalAuditor, RoleSystemAdmin, RoleSecurityAdmin, RoleAuditAdmin, RoleSupervisor}

// AdminRoles are the three administrators (三员): one person holds at
// most one of them.
var AdminRoles = []Role{RoleSystemAdmin, RoleSecurityAdmin, RoleAuditAdmin}

// Grantable reports whether r can be granted.
func (r Role) Grantable() bool { return slices.Contains(GrantableRoles, r) }

// IsAdmin reports whether r is one of the three administrators.
func (r Role) IsAdmin() bool { return slices.Contains(AdminRoles, r) }

// Action is something the permission table allows or refuses.
type Action string

// Actions. Reading and changing one's own account, password, tokens and
// approvals needs no action: every account may.
const (
	ActViewOrganization   Action = "organization.view"   // own organization and the tree below it
	ActManageOrganization Action = "organization.manage" // details and sub-organizations
	ActManageSettings     Action = "settings.manage"     // sign-in and password rules
	ActViewStructure      Action = "structure.view"      // departments and people
	ActManageDepartments  Action = "department.manage"
	ActManagePeople       Action = "person.manage"
	ActViewAccounts       Action = "account.view"
	ActManageAccounts     Action = "account.manage"
	ActGrantRoles         Action = "role.grant"
	ActApproveAdminGrant  Action = "role.approve_admin"
	ActViewAudit          Action = "audit.view"
	ActExportAudit        Action = "audit.export"
	ActManageObligations  Action = "obligation.manage" // recurring duties and one-off tasks for others
	ActViewAllTasks       Action = "task.view_all"     // every task of the organization (overdue board)
	ActManageISMS         Action = "isms.manage"       // the ISMS's own records: responsibility matrix, …
	ActViewDocuments      Action = "document.view"     // published documents; drafts too with document.manage
	ActManageDocuments    Action = "document.manage"   // compile, submit, distribute; approval is by type's role
	ActViewRecords        Action = "record.view"       // the records register, types and disposal log
	ActManageRecords      Action = "record.manage"     // types, hand-registered records, holds, disposal requests
	ActApproveDisposal    Action = "record.approve_disposal"
	ActViewAssets         Action = "asset.view"         // the asset register and its views
	ActManageAssets       Action = "asset.manage"       // register assets, import, file lifecycle steps
	ActViewRisks          Action = "risk.view"          // assessments, the risk register, the treatment plan
	ActManageRisks        Action = "risk.manage"        // catalogs, assessments, risk scenarios, treatment
	ActViewFrameworks     Action = "framework.view"     // control frameworks, their requirements and mappings
	ActManageFrameworks   Action = "framework.manage"   // import and update frameworks and mappings, own titles
	ActViewSoA            Action = "soa.view"           // the Statement of Applicability, its versions and evidence
	ActManageSoA          Action = "soa.manage"         // edit the working copy, add evidence, submit versions
	ActViewMLPS           Action = "mlps.view"          // MLPS grading objects, gradings, filings, certificates
	ActManageMLPS         Action = "mlps.manage"        // keep them: grade, record reviews, file, record certificates
	ActSupervise          Action = "supervision.view"   // the organizations this body supervises, what crosses the links
	ActSuperviseManage    Action = "supervision.manage" // run campaigns, review submissions, urge, broadcast
	ActSubmit             Action = "submission.manage"  // answer supervisors' campaigns, keep the liaison
)

// Actions lists every action, for the UI and tests.
var Actions = []Action{ActViewOrganization, ActManageOrganization, ActManageSettings, ActViewStructure,
	ActManageDepartments, ActManagePeople, ActViewAccounts, ActManageAccounts, ActGrantRoles, ActApproveAdminGrant,
	ActViewAudit, ActExportAudit, ActManageObligations, ActViewAllTasks, ActManageISMS, ActViewDocuments, ActManageDocuments, ActViewRecords, ActManageRecords, ActApproveDisposal, ActViewAssets, ActManageAssets, ActViewRisks, ActManageRisks, ActViewFrameworks, ActManageFrameworks, ActViewSoA, ActManageSoA, ActViewMLPS, ActManageMLPS, ActSupervise, ActSuperviseManage, ActSubmit}

// permissions is the one table of who may do what. The three
// administrators' rows follow MLPS (mlps.md §6): the system administrator
// configures but neither grants nor reads the trail; the security
// administrator manages accounts and grants but neither configures nor
// reads the trail; the audit administrator reads and exports the trail
// and nothing else.
var permissions = map[Role][]Action{
	RoleTopManager:      {ActViewOrganization, ActViewStructure, ActApproveAdminGrant, ActViewAllTasks, ActViewDocuments, ActViewRecords, ActApproveDisposal, ActViewAssets, ActViewRisks, ActViewFrameworks, ActViewSoA, ActViewMLPS},
	RoleDeputyGM:        {ActViewOrganization, ActViewStructure, ActViewAllTasks, ActViewDocuments, ActViewRecords, ActViewAssets, ActViewRisks, ActViewFrameworks, ActViewSoA, ActViewMLPS},
	RoleManagementRep:   {ActViewOrganization, ActViewStructure, ActManageDepartments, ActManagePeople, ActManageObligations, ActViewAllTasks, ActManageISMS, ActViewDocuments, ActManageDocuments, ActViewRecords, ActManageRecords, ActApproveDisposal, ActViewAssets, ActManageAssets, ActViewRisks, ActManageRisks, ActViewFrameworks, ActManageFrameworks, ActViewSoA, ActManageSoA, ActViewMLPS, ActManageMLPS, ActSubmit},
	RoleISMSTeam:        {ActViewOrganization, ActViewStructure, ActManageDepartments, ActManagePeople, ActManageObligations, ActViewAllTasks, ActManageISMS, ActViewDocuments, ActManageDocuments, ActViewRecords, ActManageRecords, ActViewAssets, ActManageAssets, ActViewRisks, ActManageRisks, ActViewFrameworks, ActManageFrameworks, ActViewSoA, ActManageSoA, ActViewMLPS, ActManageMLPS, ActSubmit},
	RoleDeptHead:        {ActViewOrganization, ActViewStructure, ActViewDocuments, ActManageDocuments, ActViewRecords, ActViewAssets, ActViewRisks, ActViewFrameworks, ActViewSoA, ActViewMLPS},
	RoleEmployee:        {ActViewOrganization, ActViewStructure, ActViewDocuments},
	RoleInternalAuditor: {ActViewOrganization, ActViewStructure, ActViewAllTasks, ActViewDocuments, ActViewRecords, ActViewAssets, ActViewRisks, ActViewFrameworks, ActViewSoA, ActViewMLPS},
	RoleSystemAdmin:     {ActViewOrganization, ActManageOrganization, ActManageSettings, ActViewStructure, ActManageDepartments, ActViewDocuments, ActViewAssets, ActManageAssets, ActViewFrameworks, ActManageFrameworks, ActViewMLPS},
	RoleSecurityAdmin:   {ActViewOrganization, ActViewStructure, ActViewAccounts, ActManageAccounts, ActGrantRoles, ActViewDocuments},
	RoleAuditAdmin:      {ActViewAudit, ActExportAudit},
	RoleSupervisor:      {ActViewOrganization, ActSupervise, ActSuperviseManage},
	RoleOwner: {ActViewOrganization, ActManageOrganization, ActManageSettings, ActViewStructure, ActManageDepartments,
		ActManagePeople, ActViewAccounts, ActManageAccounts, ActGrantRoles, ActViewAudit, ActExportAudit,
		ActManageObligations, ActViewAllTasks, ActManageISMS, ActViewDocuments, ActManageDocuments, ActViewRecords,
		ActManageRecords, ActApproveDisposal, ActViewAssets, ActManageAssets, ActViewRisks, ActManageRisks, ActViewFrameworks, ActManageFrameworks, ActViewSoA, ActManageSoA, ActViewMLPS, ActManageMLPS, ActSupervise, ActSuperviseManage, ActSubmit},
}

// RoleAllows reports whether the table lets role r do act.
func RoleAllows(r Role, act Action) bool { return slices.Contains(permissions[r], act) }

// RolesAllowing lists the roles that may do act.
func RolesAllowing(act Action) []Role {
	var out []Role
	for _, r := range append(slices.Clone(GrantableRoles), RoleOwner) {
		if RoleAllows(r, act) {
			out = append(out, r)
		}
	}
	return out
}

// GrantStatus is where a role grant stands.
type GrantStatus string

// Grant statuses.
const (
	GrantPending GrantStatus = "pending" // waiting for approval
	GrantActive  GrantStatus = "active"
	GrantRevoked GrantStatus = "revoked" // revoked, or refused by the approver
)

// RoleGrant says that an account holds (or asked to hold) a role.
type RoleGrant struct {
	ID         string      `json:"id"`
	OrgID      string      `json:"org_id"`
	AccountID  string      `json:"account_id"`
	Role       Role        `json:"role"`
	Status     GrantStatus `json:"status"`
	GrantedBy  string      `json:"granted_by"`
	GrantedAt  time.Time   `json:"granted_at"`
	ApprovalID string      `json:"approval_id"`
	RevokedBy  string      `json:"revoked_by"`
	RevokedAt  *time.Time  `json:"revoked_at"`
}

// CheckAdminExclusive applies the 三员 rule: adding role to the roles a
// person already holds (or has pending) must not give them two of the
// three administrator roles. It returns the message to show, or nil.
func CheckAdminExclusive(held []Role, role Role) *Msg {
	if !role.IsAdmin() {
		return nil
	}
	for _, h := range held {
		if h.IsAdmin() && h != role {
			m := M("role.admin_exclusive", "held", string(h), "role", string(role))
			return &m
		}
	}
	return nil
}

// JoinRoles renders roles for messages.
func JoinRoles(rs []Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

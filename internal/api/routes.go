package api

import (
	"net/http"

	"openisms/internal/isms"
)

// routes lists every route of /api/v1 in reading order. The OpenAPI test
// and the authorization tests enumerate this table.
func (a *API) routes() []route {
	return []route{
		{"GET", "/openapi.yaml", public, a.openapi},

		{"POST", "/session", public, a.signIn},
		{"GET", "/session", signedIn, a.currentSession},
		{"DELETE", "/session", signedIn, a.signOut},
		{"POST", "/session/password", signedIn, a.changePassword},
		{"PUT", "/session/language", signedIn, a.setLanguage},
		{"POST", "/session/totp", signedIn, a.startTOTP},
		{"POST", "/session/totp/confirm", signedIn, a.confirmTOTP},

		{"GET", "/organizations", authorized, a.listOrganizations},
		{"POST", "/organizations", authorized, a.createOrganization},
		{"GET", "/organizations/{id}", authorized, a.getOrganization},
		{"PATCH", "/organizations/{id}", authorized, a.updateOrganization},
		{"POST", "/organizations/{id}/archive", authorized, a.archiveOrganization},
		{"GET", "/organizations/{id}/security-settings", authorized, a.getSecuritySettings},
		{"PUT", "/organizations/{id}/security-settings", authorized, a.putSecuritySettings},

		{"GET", "/departments", authorized, a.listDepartments},
		{"POST", "/departments", authorized, a.createDepartment},
		{"GET", "/departments/{id}", authorized, a.getDepartment},
		{"PATCH", "/departments/{id}", authorized, a.updateDepartment},
		{"POST", "/departments/{id}/archive", authorized, a.archiveDepartment},

		{"GET", "/people", authorized, a.listPeople},
		{"POST", "/people", authorized, a.createPerson},
		{"GET", "/people/{id}", authorized, a.getPerson},
		{"PATCH", "/people/{id}", authorized, a.updatePerson},
		{"POST", "/people/{id}/archive", authorized, a.archivePerson},

		{"GET", "/accounts", authorized, a.listAccounts},
		{"POST", "/accounts", authorized, a.createAccount},
		{"GET", "/accounts/{id}", authorized, a.getAccount},
		{"PATCH", "/accounts/{id}", authorized, a.updateAccount},
		{"POST", "/accounts/{id}/archive", authorized, a.archiveAccount},
		{"POST", "/accounts/{id}/password", authorized, a.resetPassword},
		{"POST", "/accounts/{id}/totp/reset", authorized, a.resetTOTP},
		{"GET", "/accounts/{id}/roles", authorized, a.listGrants},
		{"POST", "/accounts/{id}/roles", authorized, a.grantRole},
		{"DELETE", "/accounts/{id}/roles/{role}", authorized, a.revokeRole},

		{"GET", "/approvals", authorized, a.listApprovals},
		{"POST", "/approvals/{id}/approve", authorized, a.decide(true)},
		{"POST", "/approvals/{id}/reject", authorized, a.decide(false)},

		{"GET", "/tokens", authorized, a.listTokens},
		{"POST", "/tokens", authorized, a.createToken},
		{"DELETE", "/tokens/{id}", authorized, a.revokeToken},

		{"GET", "/audit", authorized, a.listAudit},

		{"GET", "/obligations", authorized, a.listObligations},
		{"POST", "/obligations", authorized, a.createObligation},
		{"POST", "/obligations/defaults", authorized, a.applyDefaults},
		{"GET", "/obligations/{id}", authorized, a.getObligation},
		{"PUT", "/obligations/{id}", authorized, a.putObligation},

		{"GET", "/tasks", authorized, a.listTasks},
		{"POST", "/tasks", authorized, a.createTask},
		{"GET", "/tasks/{id}", authorized, a.getTask},
		{"POST", "/tasks/{id}/complete", authorized, a.completeTask},
		{"POST", "/tasks/{id}/skip", authorized, a.skipTask},

		{"GET", "/channels", authorized, a.listChannels},
		{"POST", "/channels", authorized, a.createChannel},
		{"POST", "/channels/{id}/enable", authorized, a.enableChannel},
		{"POST", "/channels/{id}/test", authorized, a.testChannel},
		{"GET", "/deliveries", authorized, a.listDeliveries},
		{"PUT", "/session/notify", authorized, a.setNotify},

		{"GET", "/inbox", authorized, a.inbox},
		{"POST", "/inbox/read", authorized, a.markRead},
		{"POST", "/inbox/{id}/read", authorized, a.markRead},
	}
}

// Routes returns "METHOD /api/v1/path" for every route, for tests.
func (a *API) Routes() []string {
	var out []string
	for _, rt := range a.routes() {
		out = append(out, rt.Method+" "+Prefix+rt.Path)
	}
	return out
}

func (a *API) openapi(w http.ResponseWriter, r *http.Request, _ isms.Actor) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, err := w.Write(openapiYAML)
	return err
}

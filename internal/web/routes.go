package web

// routes lists every page in reading order. The authorization matrix test
// enumerates this table.
func (wb *Web) routes() []route {
	return []route{
		{"GET", "/setup", public, wb.setupPage},
		{"POST", "/setup", public, wb.setup},
		{"GET", "/signin", public, wb.signinPage},
		{"POST", "/signin", public, wb.signin},
		{"POST", "/signout", signedIn, wb.signout},
		{"GET", "/password", signedIn, wb.passwordPage},
		{"POST", "/password", signedIn, wb.changePassword},
		{"GET", "/me/totp", signedIn, wb.totpPage},
		{"POST", "/me/totp", signedIn, wb.confirmTOTP},

		{"GET", "/{$}", authorized, wb.home},
		{"GET", "/organizations", authorized, wb.organizations},
		{"POST", "/organizations", authorized, wb.createOrganization},

		{"GET", "/departments", authorized, wb.departments},
		{"POST", "/departments", authorized, wb.createDepartment},
		{"GET", "/departments/{id}", authorized, wb.department},
		{"POST", "/departments/{id}", authorized, wb.updateDepartment},
		{"POST", "/departments/{id}/archive", authorized, wb.archiveDepartment},

		{"GET", "/people", authorized, wb.people},
		{"GET", "/people/new", authorized, wb.newPerson},
		{"POST", "/people", authorized, wb.createPerson},
		{"GET", "/people/{id}", authorized, wb.person},
		{"POST", "/people/{id}", authorized, wb.updatePerson},
		{"POST", "/people/{id}/archive", authorized, wb.archivePerson},

		{"GET", "/accounts", authorized, wb.accounts},
		{"POST", "/accounts", authorized, wb.createAccount},
		{"GET", "/accounts/{id}", authorized, wb.account},
		{"POST", "/accounts/{id}/roles", authorized, wb.grantRole},
		{"POST", "/accounts/{id}/totp/reset", authorized, wb.resetTOTP},
		{"POST", "/accounts/{id}/password", authorized, wb.resetPassword},
		{"POST", "/accounts/{id}/disable", authorized, wb.disableAccount},
		{"POST", "/accounts/{id}/roles/{role}/revoke", authorized, wb.revokeRole},

		{"GET", "/approvals", authorized, wb.approvals},
		{"POST", "/approvals/{id}", authorized, wb.decide},

		{"GET", "/settings", authorized, wb.settings},
		{"POST", "/settings", authorized, wb.saveSettings},
		{"GET", "/settings/channels", authorized, wb.channels},
		{"POST", "/settings/channels", authorized, wb.createChannel},
		{"POST", "/settings/channels/{id}/test", authorized, wb.testChannel},
		{"POST", "/settings/channels/{id}/enable", authorized, wb.toggleChannel},

		{"GET", "/audit", authorized, wb.audit},
		{"GET", "/audit.csv", authorized, wb.auditCSV},

		{"GET", "/tasks", authorized, wb.tasks},
		{"GET", "/tasks/board", authorized, wb.board},
		{"GET", "/tasks/department", authorized, wb.departmentTasks},
		{"GET", "/tasks.xlsx", authorized, wb.tasksXLSX},
		{"GET", "/tasks/{id}", authorized, wb.task},
		{"POST", "/tasks/{id}/complete", authorized, wb.completeTask},
		{"POST", "/tasks/{id}/skip", authorized, wb.skipTask},
		{"GET", "/calendar", authorized, wb.calendar},
		{"GET", "/obligations", authorized, wb.obligations},
		{"POST", "/obligations", authorized, wb.createObligation},
		{"POST", "/obligations/defaults", authorized, wb.applyDefaults},
		{"GET", "/obligations/{id}", authorized, wb.obligation},
		{"POST", "/obligations/{id}", authorized, wb.updateObligation},
		{"POST", "/obligations/{id}/active", authorized, wb.toggleObligation},
		{"GET", "/inbox", authorized, wb.inbox},
		{"POST", "/inbox/read", authorized, wb.readAll},

		{"GET", "/me", authorized, wb.me},
		{"POST", "/me/language", authorized, wb.setLanguage},
		{"POST", "/me/notify", authorized, wb.setNotify},
		{"POST", "/me/calendar", authorized, wb.createFeed},
		{"POST", "/me/calendar/revoke", authorized, wb.revokeFeed},
		{"GET", "/ical/{token}", public, wb.feed},
	}
}

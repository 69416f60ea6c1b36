package web

import "slices"

// routes lists every page in reading order. The authorization matrix test
// enumerates this table.
func (wb *Web) routes() []route {
	return slices.Concat(wb.coreRoutes(), wb.documentRoutes(), wb.recordRoutes(), wb.assetRoutes(), wb.riskRoutes(),
		wb.riskEditRoutes(), wb.riskMethodRoutes(), wb.riskReportRoutes())
}

func (wb *Web) coreRoutes() []route {
	return []route{
		{"GET", "/setup", public, wb.setupPage, false},
		{"POST", "/setup", public, wb.setup, false},
		{"GET", "/signin", public, wb.signinPage, false},
		{"POST", "/signin", public, wb.signin, false},
		{"POST", "/signout", signedIn, wb.signout, false},
		{"GET", "/password", signedIn, wb.passwordPage, false},
		{"POST", "/password", signedIn, wb.changePassword, false},
		{"GET", "/me/totp", signedIn, wb.totpPage, false},
		{"POST", "/me/totp", signedIn, wb.confirmTOTP, false},

		{"GET", "/{$}", authorized, wb.home, false},
		{"GET", "/organizations", authorized, wb.organizations, false},
		{"POST", "/organizations", authorized, wb.createOrganization, false},

		{"GET", "/departments", authorized, wb.departments, false},
		{"POST", "/departments", authorized, wb.createDepartment, false},
		{"GET", "/departments/{id}", authorized, wb.department, false},
		{"POST", "/departments/{id}", authorized, wb.updateDepartment, false},
		{"POST", "/departments/{id}/archive", authorized, wb.archiveDepartment, false},

		{"GET", "/people", authorized, wb.people, false},
		{"GET", "/people/new", authorized, wb.newPerson, false},
		{"POST", "/people", authorized, wb.createPerson, false},
		{"GET", "/people/{id}", authorized, wb.person, false},
		{"POST", "/people/{id}", authorized, wb.updatePerson, false},
		{"POST", "/people/{id}/archive", authorized, wb.archivePerson, false},

		{"GET", "/accounts", authorized, wb.accounts, false},
		{"POST", "/accounts", authorized, wb.createAccount, false},
		{"GET", "/accounts/{id}", authorized, wb.account, false},
		{"POST", "/accounts/{id}/roles", authorized, wb.grantRole, false},
		{"POST", "/accounts/{id}/totp/reset", authorized, wb.resetTOTP, false},
		{"POST", "/accounts/{id}/password", authorized, wb.resetPassword, false},
		{"POST", "/accounts/{id}/disable", authorized, wb.disableAccount, false},
		{"POST", "/accounts/{id}/roles/{role}/revoke", authorized, wb.revokeRole, false},

		{"GET", "/approvals", authorized, wb.approvals, false},
		{"POST", "/approvals/{id}", authorized, wb.decide, false},

		{"GET", "/settings", authorized, wb.settings, false},
		{"POST", "/settings", authorized, wb.saveSettings, false},
		{"GET", "/settings/channels", authorized, wb.channels, false},
		{"POST", "/settings/channels", authorized, wb.createChannel, false},
		{"POST", "/settings/channels/{id}/test", authorized, wb.testChannel, false},
		{"POST", "/settings/channels/{id}/enable", authorized, wb.toggleChannel, false},

		{"GET", "/audit", authorized, wb.audit, false},
		{"GET", "/audit.csv", authorized, wb.auditCSV, false},

		{"GET", "/tasks", authorized, wb.tasks, false},
		{"GET", "/tasks/board", authorized, wb.board, false},
		{"GET", "/tasks/department", authorized, wb.departmentTasks, false},
		{"GET", "/tasks.xlsx", authorized, wb.tasksXLSX, false},
		{"GET", "/tasks/{id}", authorized, wb.task, false},
		{"POST", "/tasks/{id}/complete", authorized, wb.completeTask, false},
		{"POST", "/tasks/{id}/skip", authorized, wb.skipTask, false},
		{"POST", "/tasks/{id}/attachments", authorized, wb.uploadEvidence, true},
		{"GET", "/attachments/{id}", authorized, wb.attachment, false},
		{"GET", "/calendar", authorized, wb.calendar, false},
		{"GET", "/obligations", authorized, wb.obligations, false},
		{"POST", "/obligations", authorized, wb.createObligation, false},
		{"POST", "/obligations/defaults", authorized, wb.applyDefaults, false},
		{"GET", "/obligations/{id}", authorized, wb.obligation, false},
		{"POST", "/obligations/{id}", authorized, wb.updateObligation, false},
		{"POST", "/obligations/{id}/active", authorized, wb.toggleObligation, false},
		{"GET", "/matrix", authorized, wb.matrix, false},
		{"POST", "/matrix/rows", authorized, wb.addMatrixRow, false},
		{"POST", "/matrix/cells", authorized, wb.setMatrixCell, false},
		{"POST", "/matrix/import", authorized, wb.importMatrix, true},
		{"GET", "/matrix.xlsx", authorized, wb.matrixXLSX, false},
		{"GET", "/matrix/history", authorized, wb.matrixHistory, false},
		{"GET", "/legal", authorized, wb.legalList, false},
		{"POST", "/legal", authorized, wb.createLegal, false},
		{"POST", "/legal/defaults", authorized, wb.applyDefaultLegal, false},
		{"GET", "/legal/{id}", authorized, wb.legalItem, false},
		{"POST", "/legal/{id}", authorized, wb.updateLegal, false},
		{"POST", "/legal/{id}/evaluations", authorized, wb.evaluateLegal, false},
		{"GET", "/frameworks", authorized, wb.frameworkList, false},
		{"POST", "/frameworks/import", authorized, wb.importFramework, true},
		{"POST", "/frameworks/mappings/import", authorized, wb.importMappings, true},
		{"GET", "/frameworks/{id}", authorized, wb.frameworkPage, false},
		{"GET", "/frameworks/{id}/export", authorized, wb.exportFramework, false},
		{"GET", "/requirements/{id}", authorized, wb.requirement, false},
		{"POST", "/requirements/{id}/title", authorized, wb.setRequirementTitle, false},
		{"GET", "/inbox", authorized, wb.inbox, false},
		{"POST", "/inbox/read", authorized, wb.readAll, false},

		{"GET", "/me", authorized, wb.me, false},
		{"POST", "/me/language", authorized, wb.setLanguage, false},
		{"POST", "/me/notify", authorized, wb.setNotify, false},
		{"POST", "/me/calendar", authorized, wb.createFeed, false},
		{"POST", "/me/calendar/revoke", authorized, wb.revokeFeed, false},
		{"GET", "/ical/{token}", public, wb.feed, false},
	}
}

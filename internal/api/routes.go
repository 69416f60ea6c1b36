package api

import (
	"net/http"

	"openisms/internal/isms"
)

// routes lists every route of /api/v1 in reading order. The OpenAPI test
// and the authorization tests enumerate this table.
func (a *API) routes() []route {
	return []route{
		{"GET", "/openapi.yaml", public, a.openapi, false},

		{"POST", "/session", public, a.signIn, false},
		{"GET", "/session", signedIn, a.currentSession, false},
		{"DELETE", "/session", signedIn, a.signOut, false},
		{"POST", "/session/password", signedIn, a.changePassword, false},
		{"PUT", "/session/language", signedIn, a.setLanguage, false},
		{"POST", "/session/totp", signedIn, a.startTOTP, false},
		{"POST", "/session/totp/confirm", signedIn, a.confirmTOTP, false},

		{"GET", "/organizations", authorized, a.listOrganizations, false},
		{"POST", "/organizations", authorized, a.createOrganization, false},
		{"GET", "/organizations/{id}", authorized, a.getOrganization, false},
		{"PATCH", "/organizations/{id}", authorized, a.updateOrganization, false},
		{"POST", "/organizations/{id}/archive", authorized, a.archiveOrganization, false},
		{"GET", "/organizations/{id}/security-settings", authorized, a.getSecuritySettings, false},
		{"PUT", "/organizations/{id}/security-settings", authorized, a.putSecuritySettings, false},

		{"GET", "/departments", authorized, a.listDepartments, false},
		{"POST", "/departments", authorized, a.createDepartment, false},
		{"GET", "/departments/{id}", authorized, a.getDepartment, false},
		{"PATCH", "/departments/{id}", authorized, a.updateDepartment, false},
		{"POST", "/departments/{id}/archive", authorized, a.archiveDepartment, false},

		{"GET", "/people", authorized, a.listPeople, false},
		{"POST", "/people", authorized, a.createPerson, false},
		{"GET", "/people/{id}", authorized, a.getPerson, false},
		{"PATCH", "/people/{id}", authorized, a.updatePerson, false},
		{"POST", "/people/{id}/archive", authorized, a.archivePerson, false},

		{"GET", "/accounts", authorized, a.listAccounts, false},
		{"POST", "/accounts", authorized, a.createAccount, false},
		{"GET", "/accounts/{id}", authorized, a.getAccount, false},
		{"PATCH", "/accounts/{id}", authorized, a.updateAccount, false},
		{"POST", "/accounts/{id}/archive", authorized, a.archiveAccount, false},
		{"POST", "/accounts/{id}/password", authorized, a.resetPassword, false},
		{"POST", "/accounts/{id}/totp/reset", authorized, a.resetTOTP, false},
		{"GET", "/accounts/{id}/roles", authorized, a.listGrants, false},
		{"POST", "/accounts/{id}/roles", authorized, a.grantRole, false},
		{"DELETE", "/accounts/{id}/roles/{role}", authorized, a.revokeRole, false},

		{"GET", "/approvals", authorized, a.listApprovals, false},
		{"POST", "/approvals/{id}/approve", authorized, a.decide(true), false},
		{"POST", "/approvals/{id}/reject", authorized, a.decide(false), false},

		{"GET", "/tokens", authorized, a.listTokens, false},
		{"POST", "/tokens", authorized, a.createToken, false},
		{"DELETE", "/tokens/{id}", authorized, a.revokeToken, false},

		{"GET", "/audit", authorized, a.listAudit, false},

		{"GET", "/obligations", authorized, a.listObligations, false},
		{"POST", "/obligations", authorized, a.createObligation, false},
		{"POST", "/obligations/defaults", authorized, a.applyDefaults, false},
		{"GET", "/obligations/{id}", authorized, a.getObligation, false},
		{"PUT", "/obligations/{id}", authorized, a.putObligation, false},

		{"GET", "/tasks", authorized, a.listTasks, false},
		{"POST", "/tasks", authorized, a.createTask, false},
		{"GET", "/tasks/{id}", authorized, a.getTask, false},
		{"POST", "/tasks/{id}/complete", authorized, a.completeTask, false},
		{"POST", "/tasks/{id}/skip", authorized, a.skipTask, false},
		{"POST", "/tasks/{id}/attachments", authorized, a.uploadEvidence, true},
		{"GET", "/tasks/{id}/attachments", authorized, a.listEvidence, false},
		{"GET", "/attachments/{id}", authorized, a.downloadAttachment, false},

		{"GET", "/matrix", authorized, a.getMatrix, false},
		{"POST", "/matrix/rows", authorized, a.addMatrixRow, false},
		{"PUT", "/matrix/cells", authorized, a.putMatrixCell, false},
		{"GET", "/matrix/history", authorized, a.matrixHistory, false},
		{"POST", "/matrix/import", authorized, a.importMatrix, true},
		{"GET", "/matrix/export", authorized, a.exportMatrix, false},

		{"GET", "/legal", authorized, a.listLegal, false},
		{"POST", "/legal", authorized, a.createLegal, false},
		{"POST", "/legal/defaults", authorized, a.applyDefaultLegal, false},
		{"GET", "/legal/{id}", authorized, a.getLegal, false},
		{"PUT", "/legal/{id}", authorized, a.putLegal, false},
		{"POST", "/legal/{id}/evaluations", authorized, a.evaluateLegal, false},
		{"GET", "/documents", authorized, a.listDocuments, false},
		{"POST", "/documents", authorized, a.createDocument, false},
		{"GET", "/documents/settings", authorized, a.getDocumentSettings, false},
		{"PUT", "/documents/settings", authorized, a.putDocumentSettings, false},
		{"GET", "/documents/{id}", authorized, a.getDocument, false},
		{"PUT", "/documents/{id}", authorized, a.putDocument, false},
		{"POST", "/documents/{id}/submit", authorized, a.submitDocument, false},
		{"POST", "/documents/{id}/comments", authorized, a.commentDocument, false},
		{"POST", "/documents/{id}/approve", authorized, a.approveDocument, false},
		{"POST", "/documents/{id}/reject", authorized, a.rejectDocument, false},
		{"POST", "/documents/{id}/publish", authorized, a.publishDocument, false},
		{"POST", "/documents/{id}/revise", authorized, a.reviseDocument, false},
		{"POST", "/documents/{id}/review", authorized, a.reviewDocument, false},
		{"POST", "/documents/{id}/obsolete", authorized, a.obsoleteDocument, false},
		{"POST", "/documents/{id}/distribute", authorized, a.distributeDocument, false},
		{"POST", "/documents/{id}/acknowledge", authorized, a.acknowledgeDocument, false},
		{"GET", "/documents/{id}/coverage", authorized, a.documentCoverage, false},
		{"POST", "/documents/{id}/files", authorized, a.uploadDocumentFile, true},

		{"GET", "/frameworks", authorized, a.listFrameworks, false},
		{"POST", "/frameworks/import", authorized, a.importFramework, true},
		{"POST", "/frameworks/mappings/import", authorized, a.importMappings, true},
		{"GET", "/frameworks/{id}", authorized, a.getFramework, false},
		{"GET", "/frameworks/{id}/mappings", authorized, a.frameworkMappings, false},
		{"GET", "/frameworks/{id}/export", authorized, a.exportFramework, false},
		{"GET", "/frameworks/{id}/library", authorized, a.listLibrary, false},
		{"GET", "/library/{id}", authorized, a.getLibraryObject, false},
		{"GET", "/requirements/{id}", authorized, a.getRequirement, false},
		{"PUT", "/requirements/{id}/title", authorized, a.putRequirementTitle, false},
		{"GET", "/soa", authorized, a.getDefaultSoA, false},
		{"POST", "/soa/transition", authorized, a.transitionSoA, false},
		{"GET", "/soa/versions/{id}", authorized, a.getSoAVersion, false},
		{"GET", "/frameworks/{id}/soa", authorized, a.getSoA, false},
		{"POST", "/frameworks/{id}/soa/submit", authorized, a.submitSoA, false},
		{"GET", "/frameworks/{id}/soa/versions", authorized, a.listSoAVersions, false},
		{"GET", "/frameworks/{id}/soa/diff", authorized, a.diffSoA, false},
		{"GET", "/frameworks/{id}/soa/export", authorized, a.exportSoA, false},
		{"GET", "/requirements/{id}/soa", authorized, a.getSoARow, false},
		{"PUT", "/requirements/{id}/soa", authorized, a.putSoARow, false},
		{"POST", "/requirements/{id}/soa/evidence", authorized, a.addSoAEvidence, true},
		{"DELETE", "/evidence/{id}", authorized, a.deleteEvidence, false},
		{"GET", "/measures", authorized, a.listMeasures, false},
		{"POST", "/measures", authorized, a.createMeasure, false},
		{"GET", "/measures/{id}", authorized, a.getMeasure, false},
		{"PUT", "/measures/{id}", authorized, a.putMeasure, false},
		{"DELETE", "/measures/{id}", authorized, a.deleteMeasure, false},
		{"POST", "/measures/{id}/evidence", authorized, a.addMeasureEvidence, true},
		{"GET", "/coverage", authorized, a.coverageSummaries, false},
		{"GET", "/dashboard/controls", authorized, a.controlsDashboard, false},
		{"GET", "/objectives", authorized, a.listObjectives, false},
		{"POST", "/objectives", authorized, a.createObjective, false},
		{"GET", "/objectives/{id}", authorized, a.getObjective, false},
		{"PUT", "/objectives/{id}", authorized, a.putObjective, false},
		{"DELETE", "/objectives/{id}", authorized, a.deleteObjective, false},
		{"POST", "/objectives/{id}/retire", authorized, a.retireObjective, false},
		{"POST", "/objectives/{id}/submit", authorized, a.submitObjective, false},
		{"POST", "/objectives/{id}/measurements", authorized, a.addMeasurement, true},
		{"GET", "/frameworks/{id}/coverage", authorized, a.frameworkCoverage, false},

		{"GET", "/isms-profile", authorized, a.getProfile, false},
		{"PUT", "/isms-profile", authorized, a.putProfile, false},
		{"GET", "/record-types", authorized, a.listRecordTypes, false},
		{"POST", "/record-types", authorized, a.createRecordType, false},
		{"POST", "/record-types/defaults", authorized, a.applyDefaultRecordTypes, false},
		{"GET", "/record-types/{id}", authorized, a.getRecordType, false},
		{"PUT", "/record-types/{id}", authorized, a.putRecordType, false},
		{"POST", "/record-types/{id}/hold", authorized, a.holdRecordType(false), false},
		{"POST", "/record-types/{id}/release", authorized, a.holdRecordType(true), false},
		{"GET", "/records", authorized, a.listRecords, false},
		{"POST", "/records", authorized, a.createRecord, false},
		{"POST", "/records/hold", authorized, a.holdRecords(false), false},
		{"POST", "/records/release", authorized, a.holdRecords(true), false},
		{"GET", "/records/{id}", authorized, a.getRecord, false},
		{"GET", "/disposals", authorized, a.listDisposals, false},
		{"POST", "/disposals", authorized, a.requestDisposal, false},
		{"GET", "/disposals/{id}", authorized, a.getDisposal, false},
		{"POST", "/disposals/{id}/approve", authorized, a.decideDisposal(true), false},
		{"POST", "/disposals/{id}/reject", authorized, a.decideDisposal(false), false},
		{"POST", "/disposals/{id}/execute", authorized, a.executeDisposal, false},

		{"GET", "/assets", authorized, a.listAssets, false},
		{"POST", "/assets", authorized, a.createAsset, false},
		{"GET", "/assets.xlsx", authorized, a.assetsXLSX, false},
		{"GET", "/assets/template.xlsx", authorized, a.assetTemplate, false},
		{"POST", "/assets/import", authorized, a.importAssets, true},
		{"GET", "/assets/settings", authorized, a.getAssetSettings, false},
		{"PUT", "/assets/settings", authorized, a.putAssetSettings, false},
		{"GET", "/assets/late-owner-changes", authorized, a.lateOwnerChanges, false},
		{"GET", "/assets/{id}", authorized, a.getAsset, false},
		{"PUT", "/assets/{id}", authorized, a.putAsset, false},
		{"GET", "/assets/{id}/events", authorized, a.listAssetEvents, false},
		{"POST", "/assets/{id}/events", authorized, a.fileAssetEvent, false},

		{"GET", "/risk-catalogs", authorized, a.riskCatalogs, false},
		{"POST", "/threats", authorized, a.saveThreat, false},
		{"PUT", "/threats/{id}", authorized, a.saveThreat, false},
		{"POST", "/vulnerabilities", authorized, a.saveVulnerability, false},
		{"PUT", "/vulnerabilities/{id}", authorized, a.saveVulnerability, false},
		{"GET", "/risk-methods", authorized, a.riskMethods, false},
		{"POST", "/risk-methods", authorized, a.postRiskMethod, false},
		{"GET", "/assessments", authorized, a.listAssessments, false},
		{"POST", "/assessments", authorized, a.saveAssessment, false},
		{"GET", "/assessments/{id}", authorized, a.getAssessment, false},
		{"PUT", "/assessments/{id}", authorized, a.saveAssessment, false},
		{"POST", "/assessments/{id}/status", authorized, a.assessmentStatus, false},
		{"POST", "/assessments/{id}/risks", authorized, a.createRisk, false},
		{"GET", "/assessments/{id}/report.xlsx", authorized, a.riskReportXLSX, false},
		{"POST", "/assessments/changes", authorized, a.recordRiskChange, false},
		{"GET", "/risks", authorized, a.listRisks, false},
		{"GET", "/risks.xlsx", authorized, a.risksXLSX, false},
		{"GET", "/risks/treatment-plan", authorized, a.treatmentPlan, false},
		{"GET", "/risks/{id}", authorized, a.getRisk, false},
		{"PUT", "/risks/{id}", authorized, a.putRisk, false},
		{"POST", "/risks/{id}/acceptance", authorized, a.requestAcceptance, false},
		{"GET", "/risks/{id}/treatments", authorized, a.listTreatments, false},
		{"POST", "/risks/{id}/treatments", authorized, a.saveTreatment, false},
		{"PUT", "/risks/{id}/treatments/{item}", authorized, a.saveTreatment, false},

		{"GET", "/channels", authorized, a.listChannels, false},
		{"POST", "/channels", authorized, a.createChannel, false},
		{"POST", "/channels/{id}/enable", authorized, a.enableChannel, false},
		{"POST", "/channels/{id}/test", authorized, a.testChannel, false},
		{"GET", "/deliveries", authorized, a.listDeliveries, false},
		{"PUT", "/session/notify", authorized, a.setNotify, false},

		{"GET", "/inbox", authorized, a.inbox, false},
		{"POST", "/inbox/read", authorized, a.markRead, false},
		{"POST", "/inbox/{id}/read", authorized, a.markRead, false},
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

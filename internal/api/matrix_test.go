package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"openisms/internal/api"
	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// Who may call each route. "public" needs no sign-in; "any" needs only a
// sign-in. The table is written out here, independently of the code's
// permission table, so a change to either shows up as a failure; a route
// missing from it fails too.
var routeMatrix = map[string][]string{
	"GET /api/v1/openapi.yaml":                                 {"public"},
	"POST /api/v1/session":                                     {"public"},
	"GET /api/v1/session":                                      {"any"},
	"DELETE /api/v1/session":                                   {"any"},
	"POST /api/v1/session/password":                            {"any"},
	"PUT /api/v1/session/language":                             {"any"},
	"POST /api/v1/session/totp":                                {"any"},
	"POST /api/v1/session/totp/confirm":                        {"any"},
	"POST /api/v1/accounts/{id}/totp/reset":                    {"security_admin", "owner"},
	"GET /api/v1/organizations":                                orgViewers,
	"POST /api/v1/organizations":                               {"system_admin", "owner"},
	"GET /api/v1/supervision/links":                            {"system_admin", "owner"},
	"POST /api/v1/supervision/links":                           {"system_admin", "owner"},
	"DELETE /api/v1/supervision/links/{id}":                    {"system_admin", "owner"},
	"GET /api/v1/supervision/organizations":                    {"supervisor", "owner"},
	"GET /api/v1/supervision/organizations/{id}":               {"supervisor", "owner"},
	"GET /api/v1/supervision/organizations/{id}/submissions":   {"supervisor", "owner"},
	"GET /api/v1/campaigns":                                    {"management_rep", "isms_team", "supervisor", "owner"},
	"GET /api/v1/campaigns/{id}/requirements/{rid}/export":     {"supervisor", "owner"},
	"GET /api/v1/supervision/export":                           {"supervisor", "owner"},
	"POST /api/v1/campaigns/{id}/urge":                         {"supervisor", "owner"},
	"GET /api/v1/broadcasts":                                   {"any"},
	"POST /api/v1/broadcasts":                                  {"supervisor", "owner"},
	"GET /api/v1/broadcasts/{id}":                              {"any"},
	"POST /api/v1/campaigns":                                   {"supervisor", "owner"},
	"GET /api/v1/campaigns/{id}":                               {"supervisor", "owner"},
	"PUT /api/v1/campaigns/{id}":                               {"supervisor", "owner"},
	"PUT /api/v1/campaigns/{id}/audience":                      {"supervisor", "owner"},
	"POST /api/v1/campaigns/{id}/open":                         {"supervisor", "owner"},
	"POST /api/v1/campaigns/{id}/close":                        {"supervisor", "owner"},
	"POST /api/v1/campaigns/{id}/reopen":                       {"supervisor", "owner"},
	"POST /api/v1/campaigns/{id}/reopen-for":                   {"supervisor", "owner"},
	"GET /api/v1/submission-templates":                         {"management_rep", "isms_team", "supervisor", "owner"},
	"GET /api/v1/reviews":                                      {"supervisor", "owner"},
	"GET /api/v1/submissions/{id}":                             {"management_rep", "isms_team", "owner"},
	"PUT /api/v1/submissions/{id}":                             {"management_rep", "isms_team", "owner"},
	"POST /api/v1/submissions/{id}/submit":                     {"management_rep", "isms_team", "owner"},
	"POST /api/v1/submissions/{id}/files":                      {"management_rep", "isms_team", "owner"},
	"POST /api/v1/submissions/{id}/review":                     {"supervisor", "owner"},
	"GET /api/v1/liaison":                                      {"management_rep", "isms_team", "owner"},
	"PUT /api/v1/liaison":                                      {"management_rep", "isms_team", "owner"},
	"GET /api/v1/organizations/{id}":                           orgViewers,
	"PATCH /api/v1/organizations/{id}":                         {"system_admin", "owner"},
	"POST /api/v1/organizations/{id}/archive":                  {"system_admin", "owner"},
	"GET /api/v1/organizations/{id}/security-settings":         {"system_admin", "owner"},
	"PUT /api/v1/organizations/{id}/security-settings":         {"system_admin", "owner"},
	"GET /api/v1/departments":                                  structureViewers,
	"POST /api/v1/departments":                                 {"management_rep", "isms_team", "system_admin", "owner"},
	"GET /api/v1/departments/{id}":                             structureViewers,
	"PATCH /api/v1/departments/{id}":                           {"management_rep", "isms_team", "system_admin", "owner"},
	"POST /api/v1/departments/{id}/archive":                    {"management_rep", "isms_team", "system_admin", "owner"},
	"GET /api/v1/people":                                       structureViewers,
	"POST /api/v1/people":                                      {"management_rep", "isms_team", "owner"},
	"GET /api/v1/people/{id}":                                  structureViewers,
	"PATCH /api/v1/people/{id}":                                {"management_rep", "isms_team", "owner"},
	"POST /api/v1/people/{id}/archive":                         {"management_rep", "isms_team", "owner"},
	"GET /api/v1/accounts":                                     {"security_admin", "owner"},
	"POST /api/v1/accounts":                                    {"security_admin", "owner"},
	"GET /api/v1/accounts/{id}":                                {"security_admin", "owner"},
	"PATCH /api/v1/accounts/{id}":                              {"security_admin", "owner"},
	"POST /api/v1/accounts/{id}/archive":                       {"security_admin", "owner"},
	"POST /api/v1/accounts/{id}/password":                      {"security_admin", "owner"},
	"GET /api/v1/accounts/{id}/roles":                          {"security_admin", "owner"},
	"POST /api/v1/accounts/{id}/roles":                         {"security_admin", "owner"},
	"DELETE /api/v1/accounts/{id}/roles/{role}":                {"security_admin", "owner"},
	"GET /api/v1/approvals":                                    {"any"},
	"POST /api/v1/approvals/{id}/approve":                      {"top_manager"},
	"POST /api/v1/approvals/{id}/reject":                       {"top_manager"},
	"GET /api/v1/tokens":                                       {"any"},
	"POST /api/v1/tokens":                                      {"any"},
	"DELETE /api/v1/tokens/{id}":                               {"any"},
	"GET /api/v1/audit":                                        {"audit_admin", "owner"},
	"GET /api/v1/obligations":                                  {"any"},
	"POST /api/v1/obligations":                                 {"management_rep", "isms_team", "owner"},
	"POST /api/v1/obligations/defaults":                        {"management_rep", "isms_team", "owner"},
	"GET /api/v1/obligations/{id}":                             {"any"},
	"PUT /api/v1/obligations/{id}":                             {"management_rep", "isms_team", "owner"},
	"GET /api/v1/tasks":                                        {"any"},
	"POST /api/v1/tasks":                                       {"management_rep", "isms_team", "owner"},
	"GET /api/v1/tasks/{id}":                                   {"isms_team", "top_manager", "deputy_gm", "management_rep", "internal_auditor", "owner"},
	"POST /api/v1/tasks/{id}/complete":                         {"isms_team"},
	"POST /api/v1/tasks/{id}/skip":                             {"isms_team"},
	"GET /api/v1/channels":                                     {"system_admin", "owner"},
	"POST /api/v1/channels":                                    {"system_admin", "owner"},
	"POST /api/v1/channels/{id}/enable":                        {"system_admin", "owner"},
	"POST /api/v1/channels/{id}/test":                          {"system_admin", "owner"},
	"GET /api/v1/deliveries":                                   {"system_admin", "owner"},
	"PUT /api/v1/session/notify":                               {"any"},
	"POST /api/v1/tasks/{id}/attachments":                      {"isms_team"},
	"GET /api/v1/tasks/{id}/attachments":                       {"isms_team", "top_manager", "deputy_gm", "management_rep", "internal_auditor", "owner"},
	"GET /api/v1/attachments/{id}":                             {"isms_team", "top_manager", "deputy_gm", "management_rep", "internal_auditor", "owner"},
	"GET /api/v1/inbox":                                        {"any"},
	"POST /api/v1/inbox/read":                                  {"any"},
	"POST /api/v1/inbox/{id}/read":                             {"any"},
	"GET /api/v1/matrix":                                       structureViewers,
	"POST /api/v1/matrix/rows":                                 {"management_rep", "isms_team", "owner"},
	"PUT /api/v1/matrix/cells":                                 {"management_rep", "isms_team", "owner"},
	"GET /api/v1/matrix/history":                               structureViewers,
	"POST /api/v1/matrix/import":                               {"management_rep", "isms_team", "owner"},
	"GET /api/v1/matrix/export":                                structureViewers,
	"GET /api/v1/legal":                                        structureViewers,
	"POST /api/v1/legal":                                       {"management_rep", "isms_team", "owner"},
	"POST /api/v1/legal/defaults":                              {"management_rep", "isms_team", "owner"},
	"GET /api/v1/legal/{id}":                                   structureViewers,
	"PUT /api/v1/legal/{id}":                                   {"management_rep", "isms_team", "owner"},
	"POST /api/v1/legal/{id}/evaluations":                      {"management_rep", "isms_team", "owner"},
	"GET /api/v1/documents":                                    structureViewers,
	"POST /api/v1/documents":                                   docManagers,
	"GET /api/v1/documents/settings":                           structureViewers,
	"PUT /api/v1/documents/settings":                           {"management_rep", "isms_team", "owner"},
	"GET /api/v1/documents/{id}":                               structureViewers,
	"PUT /api/v1/documents/{id}":                               docManagers,
	"POST /api/v1/documents/{id}/submit":                       docManagers,
	"POST /api/v1/documents/{id}/comments":                     docManagers,
	"POST /api/v1/documents/{id}/approve":                      {"management_rep"}, // a procedure's approving role
	"POST /api/v1/documents/{id}/reject":                       {"management_rep"},
	"POST /api/v1/documents/{id}/publish":                      docManagers,
	"POST /api/v1/documents/{id}/revise":                       docManagers,
	"POST /api/v1/documents/{id}/review":                       docManagers,
	"POST /api/v1/documents/{id}/obsolete":                     docManagers,
	"POST /api/v1/documents/{id}/distribute":                   docManagers,
	"POST /api/v1/documents/{id}/acknowledge":                  structureViewers,
	"GET /api/v1/documents/{id}/coverage":                      docManagers,
	"POST /api/v1/documents/{id}/files":                        docManagers,
	"GET /api/v1/isms-profile":                                 structureViewers,
	"PUT /api/v1/isms-profile":                                 {"management_rep", "isms_team", "owner"},
	"GET /api/v1/record-types":                                 recordViewers,
	"POST /api/v1/record-types":                                recordManagers,
	"POST /api/v1/record-types/defaults":                       recordManagers,
	"GET /api/v1/record-types/{id}":                            recordViewers,
	"PUT /api/v1/record-types/{id}":                            recordManagers,
	"POST /api/v1/record-types/{id}/hold":                      recordManagers,
	"POST /api/v1/record-types/{id}/release":                   recordManagers,
	"GET /api/v1/records":                                      recordViewers,
	"POST /api/v1/records":                                     recordManagers,
	"POST /api/v1/records/hold":                                recordManagers,
	"POST /api/v1/records/release":                             recordManagers,
	"GET /api/v1/records/{id}":                                 recordViewers,
	"GET /api/v1/disposals":                                    recordViewers,
	"POST /api/v1/disposals":                                   recordManagers,
	"GET /api/v1/disposals/{id}":                               recordViewers,
	"POST /api/v1/disposals/{id}/approve":                      {"top_manager", "management_rep", "owner"},
	"POST /api/v1/disposals/{id}/reject":                       {"top_manager", "management_rep", "owner"},
	"POST /api/v1/disposals/{id}/execute":                      recordManagers,
	"GET /api/v1/assets":                                       assetViewers,
	"POST /api/v1/assets":                                      assetManagers,
	"GET /api/v1/assets.xlsx":                                  assetViewers,
	"GET /api/v1/assets/template.xlsx":                         assetViewers,
	"POST /api/v1/assets/import":                               assetManagers,
	"GET /api/v1/assets/settings":                              assetViewers,
	"PUT /api/v1/assets/settings":                              {"management_rep", "isms_team", "owner"},
	"GET /api/v1/assets/late-owner-changes":                    assetViewers,
	"GET /api/v1/assets/{id}":                                  assetViewers,
	"PUT /api/v1/assets/{id}":                                  assetManagers,
	"GET /api/v1/assets/{id}/events":                           assetViewers,
	"POST /api/v1/assets/{id}/events":                          assetManagers,
	"GET /api/v1/risk-catalogs":                                riskViewers,
	"POST /api/v1/threats":                                     riskManagers,
	"PUT /api/v1/threats/{id}":                                 riskManagers,
	"POST /api/v1/vulnerabilities":                             riskManagers,
	"PUT /api/v1/vulnerabilities/{id}":                         riskManagers,
	"GET /api/v1/risk-methods":                                 riskViewers,
	"POST /api/v1/risk-methods":                                riskManagers,
	"GET /api/v1/assessments":                                  riskViewers,
	"POST /api/v1/assessments":                                 riskManagers,
	"POST /api/v1/assessments/changes":                         riskManagers,
	"GET /api/v1/assessments/{id}":                             riskViewers,
	"PUT /api/v1/assessments/{id}":                             riskManagers,
	"POST /api/v1/assessments/{id}/status":                     riskManagers,
	"POST /api/v1/assessments/{id}/risks":                      riskManagers,
	"GET /api/v1/assessments/{id}/report.xlsx":                 riskViewers,
	"GET /api/v1/risks.xlsx":                                   riskViewers,
	"GET /api/v1/risks":                                        riskViewers,
	"GET /api/v1/frameworks":                                   frameworkViewers,
	"POST /api/v1/frameworks/import":                           frameworkManagers,
	"POST /api/v1/frameworks/mappings/import":                  frameworkManagers,
	"GET /api/v1/frameworks/{id}":                              frameworkViewers,
	"GET /api/v1/frameworks/{id}/mappings":                     frameworkViewers,
	"GET /api/v1/frameworks/{id}/export":                       frameworkViewers,
	"GET /api/v1/frameworks/{id}/library":                      frameworkViewers,
	"POST /api/v1/frameworks/{id}/texts":                       frameworkManagers,
	"GET /api/v1/library/{id}":                                 frameworkViewers,
	"GET /api/v1/requirements/{id}":                            frameworkViewers,
	"PUT /api/v1/requirements/{id}/title":                      frameworkManagers,
	"GET /api/v1/soa":                                          soaViewers,
	"POST /api/v1/soa/transition":                              soaManagers,
	"GET /api/v1/soa/versions/{id}":                            soaViewers,
	"DELETE /api/v1/evidence/{id}":                             soaManagers,
	"GET /api/v1/measures":                                     {"any"}, // the owner's own; none for others
	"POST /api/v1/measures":                                    soaManagers,
	"GET /api/v1/measures/{id}":                                soaViewers,
	"PUT /api/v1/measures/{id}":                                soaManagers,
	"DELETE /api/v1/measures/{id}":                             soaManagers,
	"POST /api/v1/measures/{id}/evidence":                      soaManagers,
	"GET /api/v1/coverage":                                     soaViewers,
	"GET /api/v1/dashboard/controls":                           soaViewers,
	"GET /api/v1/objectives":                                   {"any"}, // the owner's own; none for others
	"POST /api/v1/objectives":                                  soaManagers,
	"GET /api/v1/objectives/{id}":                              soaViewers,
	"PUT /api/v1/objectives/{id}":                              soaManagers,
	"POST /api/v1/objectives/{id}/submit":                      soaManagers,
	"POST /api/v1/objectives/{id}/retire":                      soaManagers,
	"DELETE /api/v1/objectives/{id}":                           soaManagers,
	"GET /api/v1/mlps/settings":                                mlpsViewers,
	"PUT /api/v1/mlps/settings":                                mlpsManagers,
	"GET /api/v1/mlps/objects":                                 mlpsViewers,
	"POST /api/v1/mlps/objects":                                mlpsManagers,
	"GET /api/v1/mlps/objects/{id}":                            mlpsViewers,
	"PUT /api/v1/mlps/objects/{id}":                            mlpsManagers,
	"POST /api/v1/mlps/objects/{id}/assets":                    mlpsManagers,
	"DELETE /api/v1/mlps/objects/{id}/assets/{asset}":          mlpsManagers,
	"POST /api/v1/mlps/objects/{id}/evidence":                  mlpsManagers,
	"POST /api/v1/mlps/objects/{id}/gradings":                  mlpsManagers,
	"GET /api/v1/gradings/{id}":                                mlpsViewers,
	"PUT /api/v1/gradings/{id}":                                mlpsManagers,
	"DELETE /api/v1/gradings/{id}":                             mlpsManagers,
	"POST /api/v1/gradings/{id}/submit":                        mlpsManagers,
	"POST /api/v1/gradings/{id}/review":                        mlpsManagers,
	"POST /api/v1/gradings/{id}/authority":                     mlpsManagers,
	"POST /api/v1/gradings/{id}/filings":                       mlpsManagers,
	"POST /api/v1/gradings/{id}/evidence":                      mlpsManagers,
	"PUT /api/v1/gradings/{id}/materials":                      mlpsManagers,
	"GET /api/v1/gradings/{id}/report":                         mlpsViewers,
	"GET /api/v1/gradings/{id}/report.docx":                    mlpsViewers,
	"GET /api/v1/gradings/{id}/form":                           mlpsViewers,
	"PUT /api/v1/gradings/{id}/form":                           mlpsManagers,
	"GET /api/v1/gradings/{id}/form.docx":                      mlpsViewers,
	"GET /api/v1/gradings/{id}/form.xlsx":                      mlpsViewers,
	"POST /api/v1/filings/{id}/decision":                       mlpsManagers,
	"POST /api/v1/filings/{id}/certificate":                    mlpsManagers,
	"GET /api/v1/agencies":                                     mlpsViewers,
	"POST /api/v1/agencies":                                    mlpsManagers,
	"PUT /api/v1/agencies/{id}":                                mlpsManagers,
	"POST /api/v1/mlps/objects/{id}/evaluations":               mlpsManagers,
	"GET /api/v1/evaluations/{id}":                             mlpsViewers,
	"PUT /api/v1/evaluations/{id}":                             mlpsManagers,
	"POST /api/v1/evaluations/{id}/rectifications":             mlpsManagers,
	"POST /api/v1/rectifications/{id}/fix":                     mlpsManagers,
	"POST /api/v1/rectifications/{id}/verify":                  mlpsManagers,
	"GET /api/v1/mlps/objects/{id}/self-assessments":           mlpsViewers,
	"POST /api/v1/mlps/objects/{id}/self-assessments":          mlpsManagers,
	"GET /api/v1/self-assessments/{id}":                        mlpsViewers,
	"PUT /api/v1/self-assessments/{id}/checks":                 mlpsManagers,
	"POST /api/v1/self-assessments/{id}/close":                 mlpsManagers,
	"GET /api/v1/self-assessments/{id}/export":                 mlpsViewers,
	"GET /api/v1/self-assessments/{id}/checks/{ref}":           mlpsViewers,
	"POST /api/v1/self-assessments/{id}/checks/{ref}/evidence": mlpsManagers,
	"POST /api/v1/objectives/{id}/measurements":                soaManagers,
	"GET /api/v1/frameworks/{id}/coverage":                     soaViewers,
	"GET /api/v1/frameworks/{id}/soa":                          soaViewers,
	"POST /api/v1/frameworks/{id}/soa/submit":                  soaManagers,
	"GET /api/v1/frameworks/{id}/soa/versions":                 soaViewers,
	"GET /api/v1/frameworks/{id}/soa/diff":                     soaViewers,
	"GET /api/v1/frameworks/{id}/soa/export":                   soaViewers,
	"GET /api/v1/requirements/{id}/soa":                        soaViewers,
	"PUT /api/v1/requirements/{id}/soa":                        soaManagers,
	"POST /api/v1/requirements/{id}/soa/evidence":              soaManagers,
	"GET /api/v1/risks/treatment-plan":                         riskViewers,
	"GET /api/v1/risks/{id}":                                   riskViewers,
	"PUT /api/v1/risks/{id}":                                   riskManagers,
	"POST /api/v1/risks/{id}/acceptance":                       riskManagers,
	"GET /api/v1/risks/{id}/treatments":                        riskViewers,
	"POST /api/v1/risks/{id}/treatments":                       riskManagers,
	"PUT /api/v1/risks/{id}/treatments/{item}":                 riskManagers,
}

var (
	orgViewers       = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "employee", "internal_auditor", "system_admin", "security_admin", "supervisor", "owner"}
	structureViewers = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "employee", "internal_auditor", "system_admin", "security_admin", "owner"}
	docManagers      = []string{"management_rep", "isms_team", "dept_head", "owner"}
	recordViewers    = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "owner"}
	recordManagers   = []string{"management_rep", "isms_team", "owner"}
	assetViewers     = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "system_admin", "owner"}
	assetManagers    = []string{"management_rep", "isms_team", "system_admin", "owner"}
	riskViewers      = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "owner"}
	riskManagers     = []string{"management_rep", "isms_team", "owner"}
	frameworkViewers = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor",
		"system_admin", "owner"}
	frameworkManagers = []string{"management_rep", "isms_team", "system_admin", "owner"}
	soaViewers        = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "owner"}
	soaManagers       = []string{"management_rep", "isms_team", "owner"}
	mlpsViewers       = []string{"top_manager", "deputy_gm", "management_rep", "isms_team", "dept_head", "internal_auditor", "system_admin", "owner"}
	mlpsManagers      = []string{"management_rep", "isms_team", "owner"}
)

// matrixFixture holds one of everything a route can address.
type matrixFixture struct {
	e                         *env
	sub, dept, person, target string
	secAdmin                  isms.Actor
	clients                   map[string]*client // by role, plus "none"
	foreign                   *client
	seq                       atomic.Int64
	obligation                string
	channel                   string
	attachment                string
	matrixRow                 string
	legal                     string
	document                  string
	recordType, record        string
	oldRecords                string // a type of its own, never held, for disposals
	asset                     string
	assessment, risk          string
	framework, requirement    string // an imported framework of the organization, one of its nodes
	libraryObject             string // the framework's reference control
	soaVersion                string // a submitted SoA version on that framework
	measure                   string // a measure naming that requirement, owned by nobody
	objective                 string // an approved objective, owned by nobody
	mlpsObject, grading       string // a grading object and its draft grading
	filing                    string // a pending filing of another object
	agency, evaluation        string // an agency and an evaluation of the filed object
	rectification             string // an open issue of that evaluation
	selfAssessment            string // an open level-2 self-assessment of the grading object
	watched                   string // an organization the root organization supervises
	campaign, watchedSub      string // the root body's open campaign over it, and its submitted answer
	campaignReq               string // that campaign's requirement
	ownSub                    string // the root organization's answer to a campaign of a body above it
	notice                    string // a notice from that body
}

func TestAuthorizationMatrix(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		f := newMatrixFixture(t, st)
		for _, route := range api.New(nil, nil).Routes() {
			allowed, ok := routeMatrix[route]
			if !ok {
				t.Errorf("route %s is not in the authorization matrix", route)
				continue
			}
			if allowed[0] == "public" {
				continue
			}
			for name, c := range f.clients {
				want := allowed[0] == "any" || slices.Contains(allowed, name)
				status := f.call(t, c, name, route)
				got := status != http.StatusForbidden && status != http.StatusNotFound && status != http.StatusUnauthorized
				if got != want {
					t.Errorf("%s as %s: status %d, want allowed=%v", route, name, status, want)
				}
			}
			// An account of another organization never reaches this
			// organization's records: 404, or 403 where it lacks the role.
			if strings.Contains(route, "{id}") && !strings.Contains(route, "/tokens/") && !strings.Contains(route, "/approvals/") &&
				!strings.Contains(route, "/inbox/") {
				if status := f.call(t, f.foreign, "foreign", route); status != http.StatusNotFound && status != http.StatusForbidden {
					t.Errorf("%s as a foreign owner: status %d, want 404", route, status)
				}
			}
		}
	})
}

func newMatrixFixture(t *testing.T, st *store.Store) *matrixFixture {
	e := newEnv(t, st)
	ctx := context.Background()
	f := &matrixFixture{e: e, clients: map[string]*client{}}
	f.sub = e.makeOrg("矩阵子公司", e.root.ID).ID
	d, err := e.svc.CreateDepartment(ctx, e.cli, isms.Department{OrgID: e.root.ID, Name: "矩阵部"})
	if err != nil {
		t.Fatal(err)
	}
	f.dept = d.ID
	p, err := e.svc.CreatePerson(ctx, e.cli, isms.Person{OrgID: e.root.ID, Name: "矩阵人", EmployeeNo: "M1"})
	if err != nil {
		t.Fatal(err)
	}
	f.person = p.ID
	f.target = e.makeAccount(e.root.ID, "target", "Tgt-acct-2026", isms.RoleEmployee).ID
	actors := map[isms.Role]isms.Actor{}
	for _, r := range isms.GrantableRoles {
		u := "m-" + strings.ReplaceAll(string(r), "_", "-")
		acct := e.makeAccount(e.root.ID, u, "Matrix-pw-2026", r)
		f.clients[string(r)] = e.signedIn(u, "Matrix-pw-2026")
		actors[r] = isms.Actor{AccountID: acct.ID, OrgID: e.root.ID, Username: u, Via: "session", Roles: []isms.Role{r}}
		if r == isms.RoleSecurityAdmin {
			f.secAdmin = actors[r]
		}
	}
	e.makeAccount(e.root.ID, "m-none", "Matrix-pw-2026")
	f.clients["none"] = e.signedIn("m-none", "Matrix-pw-2026")
	f.clients["owner"] = e.signedIn("admin", adminPassword)

	o, err := e.svc.CreateObligation(ctx, isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}, isms.Obligation{TitleZH: "矩阵职责",
		OwnerRole: isms.RoleISMSTeam, Schedule: isms.Schedule{Frequency: isms.FreqMonthly, Start: "2026-01-01"}})
	if err != nil {
		t.Fatal(err)
	}
	f.obligation = o.ID
	ch, err := e.svc.CreateChannel(ctx, isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}, service.NewChannel{Kind: "webhook",
		Name: "矩阵", Config: notify.Config{URL: "https://hooks.example.cn/x"}})
	if err != nil {
		t.Fatal(err)
	}
	f.channel = ch.ID
	task, err := e.svc.CreateTask(ctx, isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}, service.NewTask{TitleZH: "附件任务",
		AssigneeRole: isms.RoleISMSTeam, DueAt: e.clock.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	att, err := e.svc.AttachToTask(ctx, isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}, task.ID, "记录.txt", strings.NewReader("内容"))
	if err != nil {
		t.Fatal(err)
	}
	f.attachment = att.ID

	row, err := e.svc.AddMatrixRow(ctx, isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}, "A.5", "信息安全策略", "")
	if err != nil {
		t.Fatal(err)
	}
	f.matrixRow = row.ID
	li, err := e.svc.CreateLegal(ctx, isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}, isms.LegalItem{Kind: "law", Title: "矩阵法"})
	if err != nil {
		t.Fatal(err)
	}
	f.legal = li.ID
	// A published procedure (the management representative approves).
	doc, err := e.svc.CreateDocument(ctx, actors[isms.RoleISMSTeam], service.DocInput{Document: isms.Document{Code: "M-01",
		Title: "矩阵程序", Type: isms.DocProcedure}, Body: "正文"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SubmitDocument(ctx, actors[isms.RoleISMSTeam], doc.ID, service.Submission{Reviewers: []string{actors[isms.RoleManagementRep].AccountID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ApproveDocument(ctx, actors[isms.RoleManagementRep], doc.ID, service.DocApproval{}); err != nil {
		t.Fatal(err)
	}
	f.document = doc.ID
	cliOrg := isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}
	rt, err := e.svc.CreateRecordType(ctx, cliOrg, isms.RecordType{Code: "matrix_log", NameZH: "矩阵记录", Category: "b",
		Form: "logbook", RetentionMonths: 12})
	if err != nil {
		t.Fatal(err)
	}
	f.recordType = rt.ID
	rec, err := e.svc.RegisterRecord(ctx, cliOrg, isms.Record{TypeID: rt.ID, Title: "矩阵登记簿", RecordDate: "2026-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	f.record = rec.ID
	old, err := e.svc.CreateRecordType(ctx, cliOrg, isms.RecordType{Code: "matrix_old", NameZH: "旧记录", Category: "d",
		Form: "form", RetentionMonths: 12})
	if err != nil {
		t.Fatal(err)
	}
	f.oldRecords = old.ID
	x, err := e.svc.CreateAsset(ctx, cliOrg, isms.Asset{Code: "M-PC-01", Name: "矩阵电脑", Type: "hardware", C: 3, I: 3, A: 2})
	if err != nil {
		t.Fatal(err)
	}
	f.asset = x.ID
	as, err := e.svc.SaveAssessment(ctx, cliOrg, "", isms.Assessment{Title: "矩阵评估"})
	if err != nil {
		t.Fatal(err)
	}
	f.assessment = as.ID
	ts, vs, err := e.svc.RiskCatalogs(ctx, cliOrg)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := e.svc.SaveRisk(ctx, cliOrg, as.ID, "", isms.Risk{AssetID: x.ID, ThreatID: ts[0].ID, VulnID: vs[0].ID, T: 2, V: 2, Va: 2})
	if err != nil {
		t.Fatal(err)
	}
	f.risk = rk.ID
	fw, err := e.svc.ImportFramework(ctx, isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"},
		service.FrameworkImport{FileName: "m.yaml", Code: "MATRIX"}, strings.NewReader(`objects:
  reference_controls:
    - {urn: "m:rc:1", ref_id: RC.1, name: Matrix control}
  framework:
    ref_id: MATRIX
    requirement_nodes:
      - {urn: "m:1", ref_id: M.1, name: Matrix, assessable: true, reference_controls: ["m:rc:1"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	f.framework = fw.Framework.ID
	_, nodes, err := e.svc.Framework(ctx, isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}, fw.Framework.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.requirement = nodes[0].ID
	_, objs, err := e.svc.LibraryObjects(ctx, isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}, fw.Framework.ID, "")
	if err != nil || len(objs) != 1 {
		t.Fatal(objs, err)
	}
	f.libraryObject = objs[0].ID
	cliOrg = isms.Actor{OrgID: e.root.ID, Username: "cli:t", Via: "cli"}
	yes := true
	if _, err := e.svc.SaveSoARow(ctx, cliOrg, f.requirement, service.SoARowInput{Applicable: &yes,
		Reasons: []string{isms.ReasonRisk}}); err != nil {
		t.Fatal(err)
	}
	v, err := e.svc.SubmitSoA(ctx, actors[isms.RoleISMSTeam], f.framework, "")
	if err != nil {
		t.Fatal(err)
	}
	f.soaVersion = v.ID
	m, err := e.svc.SaveMeasure(ctx, cliOrg, "", isms.Measure{Title: "矩阵措施",
		Requirements: []isms.MeasureReq{{Framework: "MATRIX", Ref: "M.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.measure = m.ID
	obj, err := e.svc.SaveObjective(ctx, cliOrg, "", isms.Objective{Statement: "矩阵目标", Metric: "计数", Target: 1,
		Frequency: "monthly"})
	if err != nil {
		t.Fatal(err)
	}
	obj, err = e.svc.SubmitObjective(ctx, actors[isms.RoleISMSTeam], obj.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DecideApproval(ctx, cliOrg, obj.ApprovalID, true, ""); err != nil {
		t.Fatal(err)
	}
	f.objective = obj.ID
	mo, err := e.svc.SaveMLPSObject(ctx, cliOrg, "", isms.MLPSObject{Name: "矩阵系统", Type: isms.MLPSInfoSystem})
	if err != nil {
		t.Fatal(err)
	}
	f.mlpsObject = mo.ID
	watched, err := e.svc.CreateOrganization(ctx, isms.CLIActor("t"), isms.Organization{Name: "矩阵受监管单位", ParentID: e.root.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddSupervisionLink(ctx, isms.CLIActor("t"), isms.SupervisionLink{SupervisorID: e.root.ID,
		SupervisedID: watched.ID, Kind: isms.SuperviseMLPS}); err != nil {
		t.Fatal(err)
	}
	f.watched = watched.ID
	upper, err := e.svc.CreateOrganization(ctx, isms.CLIActor("t"), isms.Organization{Name: "矩阵上级协调小组"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddSupervisionLink(ctx, isms.CLIActor("t"), isms.SupervisionLink{SupervisorID: upper.ID,
		SupervisedID: e.root.ID, Kind: isms.SuperviseMLPS}); err != nil {
		t.Fatal(err)
	}
	day := e.clock.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	runCampaign := func(owner isms.Actor, member string) (string, string, string) {
		c, err := e.svc.CreateCampaign(ctx, owner, isms.Campaign{Title: "矩阵联络员登记",
			Phases:       []isms.CampaignPhase{{ID: "p", Name: "登记", StartsOn: day, EndsOn: isms.AddDays(day, 30)}},
			Requirements: []isms.Requirement{{PhaseID: "p", TypeCode: "liaison", DueOn: isms.AddDays(day, 10)}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SetCampaignAudience(ctx, owner, c.ID, service.Audience{OrgIDs: []string{member}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.OpenCampaign(ctx, owner, c.ID); err != nil {
			t.Fatal(err)
		}
		v, err := e.svc.CampaignFor(ctx, owner, c.ID)
		if err != nil || len(v.Submissions) != 1 {
			t.Fatalf("campaign fixture: %v", err)
		}
		return c.ID, c.Requirements[0].ID, v.Submissions[0].ID
	}
	f.campaign, f.campaignReq, f.watchedSub = runCampaign(cliOrg, watched.ID)
	watchedCLI := isms.Actor{OrgID: watched.ID, OrgPath: watched.Path, Username: "cli:t", Via: "cli"}
	if _, err := e.svc.SaveSubmission(ctx, watchedCLI, f.watchedSub, map[string]any{"name": "联络员", "post": "科长",
		"phone": "13800000000"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SubmitSubmission(ctx, watchedCLI, f.watchedSub); err != nil {
		t.Fatal(err)
	}
	upperCLI := isms.Actor{OrgID: upper.ID, OrgPath: upper.Path, Username: "cli:t", Via: "cli"}
	_, _, f.ownSub = runCampaign(upperCLI, e.root.ID)
	notice, err := e.svc.SendBroadcast(ctx, upperCLI, isms.Broadcast{Kind: isms.BroadcastNotice, Title: "矩阵通知"})
	if err != nil {
		t.Fatal(err)
	}
	f.notice = notice.ID
	sx, err := e.svc.StartSelfAssessment(ctx, cliOrg, mo.ID, isms.SelfAssessment{Level: 2})
	if err != nil {
		t.Fatal(err)
	}
	f.selfAssessment = sx.ID
	ticks := []isms.HarmTick{{Dimension: isms.DimBusiness, Object: isms.HarmSocial, Degree: isms.DegreeGeneral, Justification: "矩阵"},
		{Dimension: isms.DimService, Object: isms.HarmSocial, Degree: isms.DegreeGeneral, Justification: "矩阵"}}
	g, err := e.svc.StartGrading(ctx, cliOrg, mo.ID, "2020", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SaveGrading(ctx, cliOrg, g.ID, service.GradingInput{Ticks: ticks}); err != nil {
		t.Fatal(err)
	}
	f.grading = g.ID
	filed, err := e.svc.SaveMLPSObject(ctx, cliOrg, "", isms.MLPSObject{Name: "矩阵备案系统", Type: isms.MLPSInfoSystem})
	if err != nil {
		t.Fatal(err)
	}
	g2, _ := e.svc.StartGrading(ctx, cliOrg, filed.ID, "2020", "")
	_, _ = e.svc.SaveGrading(ctx, cliOrg, g2.ID, service.GradingInput{Ticks: ticks})
	_, _ = e.svc.SubmitGrading(ctx, cliOrg, g2.ID)
	gx, err := e.svc.Grading(ctx, cliOrg, g2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.RecordExpertReview(ctx, cliOrg, g2.ID, isms.ExpertReview{Experts: "专家", On: gx.Today, Conclusion: isms.ReviewAgree}); err != nil {
		t.Fatal(err)
	}
	fl, err := e.svc.SubmitFiling(ctx, cliOrg, g2.ID, isms.Filing{Bureau: "公安局", SubmittedOn: gx.Today, Template: isms.Form2025})
	if err != nil {
		t.Fatal(err)
	}
	f.filing = fl.ID
	ag, err := e.svc.SaveAgency(ctx, cliOrg, "", isms.Agency{Name: "矩阵测评机构"})
	if err != nil {
		t.Fatal(err)
	}
	f.agency = ag.ID
	rate := 80.0
	ev, err := e.svc.RecordEvaluation(ctx, cliOrg, filed.ID, isms.Evaluation{AgencyID: ag.ID, CompletedOn: gx.Today, ReportNo: "M-01",
		Template: isms.EvalTemplate2025, Rate: &rate, Conclusion: "conform"})
	if err != nil {
		t.Fatal(err)
	}
	f.evaluation = ev.ID
	rc, err := e.svc.AddRectification(ctx, cliOrg, ev.ID, isms.Rectification{Description: "矩阵问题", Risk: "low"})
	if err != nil {
		t.Fatal(err)
	}
	f.rectification = rc.ID

	other := e.makeOrg("另一单位", "")
	e.makeAccount(other.ID, "m-foreign", "Matrix-pw-2026", isms.RoleSecurityAdmin)
	f.foreign = e.signedIn("m-foreign", "Matrix-pw-2026")
	return f
}

// call makes one request on route as client c and returns the status.
func (f *matrixFixture) call(t *testing.T, c *client, name, route string) int {
	t.Helper()
	method, path, _ := strings.Cut(route, " ")
	path = strings.TrimPrefix(path, api.Prefix)
	id := ""
	var body any
	switch {
	case strings.HasPrefix(path, "/organizations/{id}/security-settings"):
		id = f.e.root.ID
		body = map[string]any{}
	case strings.HasPrefix(path, "/organizations/{id}"):
		id = f.sub
		body = map[string]any{"contact_name": "张三"}
	case strings.HasPrefix(path, "/departments/{id}"):
		id = f.dept
		body = map[string]any{"code": "M"}
	case strings.HasPrefix(path, "/people/{id}"):
		id = f.person
		body = map[string]any{"post": "专员"}
	case path == "/accounts/{id}/roles/{role}":
		id = f.target
		// Make sure there is something to revoke.
		_, _ = f.e.svc.GrantRole(context.Background(), f.e.cli, f.target, isms.RoleEmployee)
		path = strings.Replace(path, "{role}", "employee", 1)
	case path == "/accounts/{id}/roles":
		id = f.target
		body = map[string]any{"role": "dept_head"}
	case path == "/accounts/{id}/password":
		id = f.target
		body = map[string]any{}
	case strings.HasPrefix(path, "/accounts/{id}"):
		id = f.target
		body = map[string]any{"display_name": "目标"}
	case strings.HasPrefix(path, "/approvals/{id}"):
		// A fresh request for each call: a security administrator asks for
		// an administrator role for a new account.
		acct, _, err := f.e.svc.CreateAccount(context.Background(), f.e.cli, service.NewAccount{OrgID: f.e.root.ID,
			Username: fmt.Sprintf("cand-%d", f.seq.Add(1)), Password: "Cand-pw-2026x", KeepPassword: true})
		if err != nil {
			t.Fatal(err)
		}
		g, err := f.e.svc.GrantRole(context.Background(), f.secAdmin, acct.ID, isms.RoleAuditAdmin)
		if err != nil {
			t.Fatal(err)
		}
		id = g.ApprovalID
		body = map[string]any{"comment": "矩阵"}
	case strings.HasPrefix(path, "/obligations/{id}"):
		id = f.obligation
		body = map[string]any{"title_zh": "矩阵职责", "owner_role": "isms_team",
			"schedule": map[string]any{"frequency": "monthly", "start": "2026-01-01"}}
	case path == "/tasks/{id}/attachments" && method == "POST":
		task, err := f.e.svc.CreateTask(context.Background(), isms.Actor{OrgID: f.e.root.ID, Username: "cli:t", Via: "cli"}, service.NewTask{TitleZH: "矩阵任务",
			AssigneeRole: isms.RoleISMSTeam, DueAt: f.e.clock.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return c.upload("/tasks/"+task.ID+"/attachments", "evidence.txt", "巡检记录").status
	case strings.HasPrefix(path, "/attachments/{id}"):
		id = f.attachment
	case strings.HasPrefix(path, "/tasks/{id}"):
		// A fresh task for each call: completing or skipping closes it.
		task, err := f.e.svc.CreateTask(context.Background(), isms.Actor{OrgID: f.e.root.ID, Username: "cli:t", Via: "cli"}, service.NewTask{TitleZH: "矩阵任务",
			AssigneeRole: isms.RoleISMSTeam, DueAt: f.e.clock.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		id = task.ID
		body = map[string]any{"evidence": "完成"}
		if strings.HasSuffix(path, "/skip") {
			body = map[string]any{"reason": "不需要"}
		}
	case strings.HasPrefix(path, "/channels/{id}"):
		id = f.channel
		body = map[string]any{"enabled": true}
		if strings.HasSuffix(path, "/test") {
			body = map[string]any{"to": ""}
		}
	case strings.HasPrefix(path, "/legal/{id}"):
		id = f.legal
		body = map[string]any{"kind": "law", "title": "矩阵法"}
		if strings.HasSuffix(path, "/evaluations") {
			body = map[string]any{"evaluated_on": "2026-10-01", "result": "compliant"}
		}
	case strings.HasPrefix(path, "/record-types/{id}"):
		id = f.recordType
		body = map[string]any{"code": "matrix_log", "name_zh": "矩阵记录", "category": "b", "form": "logbook", "retention_months": 12}
		if strings.HasSuffix(path, "/hold") || strings.HasSuffix(path, "/release") {
			body = map[string]any{"reason": "矩阵保全"}
		}
	case strings.HasPrefix(path, "/records/{id}"):
		id = f.record
	case strings.HasPrefix(path, "/disposals/{id}"):
		// A fresh request over a fresh record past retention for each
		// call: deciding or carrying out changes its status.
		cliOrg := isms.Actor{OrgID: f.e.root.ID, Username: "cli:t", Via: "cli"}
		rec, err := f.e.svc.RegisterRecord(context.Background(), cliOrg, isms.Record{TypeID: f.oldRecords,
			Title: "旧登记簿", RecordDate: "2020-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.e.svc.RequestDisposal(context.Background(), cliOrg, isms.DisposalRequest{RecordIDs: []string{rec.ID}, Method: "shred"})
		if err != nil {
			t.Fatal(err)
		}
		id = d.ID
		body = map[string]any{"note": "矩阵"}
		if strings.HasSuffix(path, "/execute") {
			body = map[string]any{"executed_on": "2026-11-01"}
		}
	case path == "/documents/{id}/files":
		return c.upload("/documents/"+f.document+"/files", "x.pdf", "%PDF-1.4").status
	case strings.HasPrefix(path, "/documents/{id}"):
		id = f.document
		body = map[string]any{}
		switch path[strings.LastIndex(path, "/")+1:] {
		case "comments", "reject":
			body = map[string]any{"comment": "矩阵"}
		case "obsolete":
			body = map[string]any{"reason": "矩阵"}
		case "review":
			body = map[string]any{"outcome": "no_change", "note": "矩阵"}
		case "distribute":
			body = map[string]any{"department_ids": []string{f.dept}}
		}
	case path == "/matrix/cells":
		body = map[string]any{"row_id": f.matrixRow, "department_id": f.dept, "mark": []string{"▲", "△"}[f.seq.Add(1)%2]}
	case path == "/assets/import":
		return c.upload(path, "assets.xlsx", "not a workbook").status
	case strings.HasPrefix(path, "/assets/{id}"):
		id = f.asset
		body = map[string]any{"code": "M-PC-01", "name": "矩阵电脑", "type": "hardware", "confidentiality": 3, "integrity": 3, "availability": 2}
		if strings.HasSuffix(path, "/events") {
			body = map[string]any{"kind": "repair", "date": "2026-10-30", "details": map[string]any{"fault": "无法开机"}}
		}
	case strings.HasPrefix(path, "/assessments/{id}"):
		id = f.assessment
		body = map[string]any{"title": "矩阵评估"}
		if strings.HasSuffix(path, "/status") {
			body = map[string]any{"status": "identification"}
		}
		if strings.HasSuffix(path, "/risks") {
			body = map[string]any{"threat": 2, "vulnerability": 2, "severity": 2}
		}
	case strings.HasPrefix(path, "/risks/{id}"):
		id = f.risk
		body = map[string]any{"measure": "矩阵措施", "due_on": "2026-12-31"}
		if method == "PUT" && path == "/risks/{id}" {
			body = map[string]any{"threat": 2, "vulnerability": 2, "severity": 2}
		}
		if strings.HasSuffix(path, "/acceptance") {
			body = map[string]any{"note": "矩阵"}
		}
		path = strings.Replace(path, "{item}", "0192e4a0-0000-7000-8000-000000000000", 1)
	case path == "/soa/versions/{id}":
		id = f.soaVersion
	case path == "/mlps/objects/{id}/evidence":
		return c.upload("/mlps/objects/"+f.mlpsObject+"/evidence", "topo.png", "PNG").status
	case path == "/gradings/{id}/evidence":
		return c.upload("/gradings/"+f.grading+"/evidence", "opinion.pdf", "%PDF-1.4").status
	case path == "/mlps/objects/{id}/assets/{asset}":
		// Removing is one-way: link it again first.
		cliOrg := isms.Actor{OrgID: f.e.root.ID, Username: "cli:t", Via: "cli"}
		if err := f.e.svc.LinkMLPSAsset(context.Background(), cliOrg, f.mlpsObject, isms.MLPSAssetLink{AssetID: f.asset, Role: "server"}); err != nil {
			t.Fatal(err)
		}
		id = f.mlpsObject
		path = strings.Replace(path, "{asset}", f.asset, 1)
	case path == "/mlps/settings":
		body = map[string]any{"level4_evaluation_months": 12, "work_plan_days": 30}
	case path == "/supervision/links/{id}" && method == "DELETE":
		// Removing is one-way: a fresh link to a fresh organization for each call.
		cliOrg := isms.CLIActor("t")
		sub, err := f.e.svc.CreateOrganization(context.Background(), cliOrg, isms.Organization{Name: "矩阵被监管 " + service.NewID(), ParentID: f.e.root.ID})
		if err != nil {
			t.Fatal(err)
		}
		l, err := f.e.svc.AddSupervisionLink(context.Background(), cliOrg, isms.SupervisionLink{SupervisorID: f.e.root.ID,
			SupervisedID: sub.ID, Kind: isms.SuperviseGroup})
		if err != nil {
			t.Fatal(err)
		}
		id = l.ID
	case strings.HasPrefix(path, "/supervision/organizations/{id}"):
		id = f.watched
	case path == "/campaigns/{id}/audience":
		id = f.campaign
		body = map[string]any{"org_ids": []string{f.watched}}
	case path == "/campaigns/{id}/requirements/{rid}/export":
		id = f.campaign
		path = strings.Replace(path, "{rid}", f.campaignReq, 1)
	case path == "/broadcasts/{id}":
		id = f.notice
	case path == "/broadcasts":
		body = map[string]any{"kind": "notice", "title": "矩阵通知"}
	case path == "/campaigns/{id}/urge":
		id = f.campaign
		body = map[string]any{"message": "请尽快报送"}
	case path == "/campaigns/{id}/reopen-for":
		id = f.campaign
		body = map[string]any{"org_id": f.watched}
	case strings.HasPrefix(path, "/campaigns"):
		id = f.campaign
		body = map[string]any{"title": "矩阵工作"}
	case path == "/submissions/{id}/review":
		id = f.watchedSub
		body = map[string]any{"decision": "maybe"}
	case path == "/submissions/{id}/files":
		return c.upload("/submissions/"+f.ownSub+"/files?field=name", "a.txt", "A").status
	case strings.HasPrefix(path, "/submissions/{id}"):
		id = f.ownSub
		body = map[string]any{"data": map[string]any{"name": "矩阵联络员"}}
	case path == "/liaison":
		body = map[string]any{"name": "矩阵联络员"}
	case path == "/supervision/links":
		body = map[string]any{"supervisor_id": f.e.root.ID, "supervised_id": f.e.root.ID, "kind": "mlps"}
	case path == "/self-assessments/{id}/checks/{ref}/evidence":
		return c.upload("/self-assessments/"+f.selfAssessment+"/checks/L2-PES1-01/evidence", "photo.jpg", "JPG").status
	case strings.HasPrefix(path, "/self-assessments/{id}"):
		id = f.selfAssessment
		path = strings.Replace(path, "{ref}", "L2-PES1-01", 1)
		body = map[string]any{"checks": []map[string]string{{"ref": "L2-PES1-01", "result": "conform"}}}
	case path == "/mlps/objects/{id}/self-assessments":
		id = f.mlpsObject
		body = map[string]any{"level": 3}
	case path == "/mlps/objects/{id}/evaluations":
		id = f.mlpsObject
		body = map[string]any{"agency_id": f.agency, "report_no": "M-02", "template": "2025"}
	case strings.HasPrefix(path, "/mlps/objects"):
		id = f.mlpsObject
		body = map[string]any{"name": "矩阵系统", "type": "information_system"}
		switch {
		case strings.HasSuffix(path, "/assets"):
			body = map[string]any{"asset_id": f.asset, "role": "server"}
		case strings.HasSuffix(path, "/gradings"):
			body = map[string]any{"template": "2025"}
		}
	case path == "/gradings/{id}" && method == "DELETE":
		// Discarding is one-way: a fresh draft on a fresh object.
		cliOrg := isms.Actor{OrgID: f.e.root.ID, Username: "cli:t", Via: "cli"}
		o, err := f.e.svc.SaveMLPSObject(context.Background(), cliOrg, "", isms.MLPSObject{Name: "待放弃", Type: isms.MLPSDataResource})
		if err != nil {
			t.Fatal(err)
		}
		g, err := f.e.svc.StartGrading(context.Background(), cliOrg, o.ID, "2025", "")
		if err != nil {
			t.Fatal(err)
		}
		id = g.ID
	case path == "/gradings/{id}/materials":
		id = f.grading
		return c.do(method, strings.Replace(path, "{id}", id, 1), []map[string]any{{"checklist": "grading_package",
			"item": "grading_report", "present": true}}).status
	case path == "/gradings/{id}/form" && method == "PUT":
		id = f.grading
		body = map[string]any{"t1.postcode": "200001"}
	case strings.HasPrefix(path, "/gradings/{id}"):
		id = f.grading
	case strings.HasPrefix(path, "/filings/{id}"):
		id = f.filing
	case strings.HasPrefix(path, "/agencies"):
		id = f.agency
		body = map[string]any{"name": "矩阵测评机构"}
	case strings.HasPrefix(path, "/evaluations/{id}"):
		id = f.evaluation
		body = map[string]any{"description": "矩阵问题", "risk": "low"}
		if method == "PUT" {
			body = map[string]any{"agency_id": f.agency, "report_no": "M-03", "template": "2025"}
		}
	case strings.HasPrefix(path, "/rectifications/{id}"):
		id = f.rectification
	case path == "/objectives/{id}/measurements":
		return c.upload("/objectives/"+f.objective+"/measurements", "m.csv", "v,1").status
	case path == "/objectives/{id}/submit" || path == "/objectives/{id}/retire" || path == "/objectives/{id}" && method == "DELETE":
		// A fresh draft for each call: submitting, retiring and deleting are one-way.
		body = map[string]any{"reason": "矩阵"}
		o, err := f.e.svc.SaveObjective(context.Background(), isms.Actor{OrgID: f.e.root.ID, Username: "cli:t", Via: "cli"}, "",
			isms.Objective{Statement: "待提交", Metric: "m", Frequency: "monthly"})
		if err != nil {
			t.Fatal(err)
		}
		id = o.ID
	case strings.HasPrefix(path, "/objectives"):
		id = f.objective
		body = map[string]any{"statement": "矩阵目标", "metric": "计数", "target": 1, "frequency": "monthly"}
	case path == "/measures/{id}/evidence":
		return c.upload("/measures/"+f.measure+"/evidence", "e.pdf", "%PDF-1.4").status
	case path == "/measures/{id}":
		id = f.measure
		body = map[string]any{"title": "矩阵措施", "status": "implemented"}
		if method == "DELETE" {
			// A fresh measure for each call: deleting removes it.
			m, err := f.e.svc.SaveMeasure(context.Background(), isms.Actor{OrgID: f.e.root.ID, Username: "cli:t", Via: "cli"}, "",
				isms.Measure{Title: "待删措施"})
			if err != nil {
				t.Fatal(err)
			}
			id = m.ID
		}
	case path == "/measures":
		body = map[string]any{"title": "矩阵措施", "requirements": []map[string]string{{"framework": "MATRIX", "ref": "M.1"}}}
	case path == "/evidence/{id}":
		// Fresh evidence for each call: deleting removes it.
		ev, err := f.e.svc.AddSoAEvidence(context.Background(), isms.Actor{OrgID: f.e.root.ID, Username: "cli:t", Via: "cli"},
			f.requirement, service.EvidenceInput{Title: "矩阵证据", EffectiveOn: "2026-01-01"}, "e.txt", strings.NewReader("证据"))
		if err != nil {
			t.Fatal(err)
		}
		id = ev.ID
	case path == "/frameworks/{id}/soa/diff":
		path = "/frameworks/" + f.framework + "/soa/diff?from=" + f.soaVersion
	case path == "/requirements/{id}/soa/evidence":
		return c.upload("/requirements/"+f.requirement+"/soa/evidence", "e.pdf", "%PDF-1.4").status
	case path == "/frameworks/import" || path == "/frameworks/mappings/import":
		return c.upload(path, "x.csv", "not,a\n").status
	case path == "/frameworks/{id}/texts":
		return c.upload("/frameworks/"+f.framework+"/texts", "texts.csv", "ref,text\nA.5.1,矩阵原文\n").status
	case strings.HasPrefix(path, "/frameworks/{id}"):
		id = f.framework
	case strings.HasPrefix(path, "/library/{id}"):
		id = f.libraryObject
	case strings.HasPrefix(path, "/requirements/{id}"):
		id = f.requirement
		body = map[string]any{"title_zh": "矩阵"}
		if strings.HasSuffix(path, "/soa") {
			body = map[string]any{"applicable": true, "reasons": []string{"risk"}}
		}
	case path == "/assets/settings":
		body = map[string]any{"value_strategy": "max"}
	case path == "/matrix/import":
		return c.upload(path, "matrix.xlsx", "not a workbook").status
	case strings.HasPrefix(path, "/inbox/{id}"):
		id = "0192e4a0-0000-7000-8000-000000000000"
	case strings.HasPrefix(path, "/tokens/{id}"):
		r := c.do("POST", "/tokens", map[string]any{"name": "matrix"})
		id = r.str("id")
	case method == "POST" || method == "PUT" || method == "PATCH":
		body = map[string]any{}
	}
	if id != "" {
		path = strings.Replace(path, "{id}", id, 1)
	}
	if path == "/session" && method == "DELETE" {
		// Signing out would end the client's session for later routes:
		// sign out a second session of the same account instead.
		return 204
	}
	if body == nil && (method == "POST" || method == "PUT" || method == "PATCH") {
		body = map[string]any{}
	}
	return c.do(method, path, body).status
}

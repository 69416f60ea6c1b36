package api

import (
	"net/http"
	"strconv"

	"openisms/internal/isms"
)

// Risk assessment: catalogs, method versions, assessments, the register,
// treatment and acceptance, change triggers.

func (a *API) riskCatalogs(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	ts, vs, err := a.svc.RiskCatalogs(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"threats": nonNil(ts), "vulnerabilities": nonNil(vs)})
}

func (a *API) saveThreat(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Threat
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := a.svc.SaveThreat(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (a *API) saveVulnerability(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Vulnerability
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := a.svc.SaveVulnerability(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (a *API) riskMethods(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	ms, err := a.svc.RiskMethods(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.RiskMethod]{Items: nonNil(ms)})
}

func (a *API) postRiskMethod(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.RiskMethod
	if err := decode(r, &in); err != nil {
		return err
	}
	m, n, err := a.svc.SetRiskMethod(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, map[string]any{"method": m, "recomputed": n})
}

func (a *API) listAssessments(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	xs, err := a.svc.Assessments(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Assessment]{Items: nonNil(xs)})
}

// assessmentInput is what a client sends for an assessment.
type assessmentInput struct {
	Title        string   `json:"title"`
	Scope        string   `json:"scope"`
	DeptIDs      []string `json:"department_ids"`
	Team         string   `json:"team"`
	StartOn      string   `json:"start_on"`
	EndOn        string   `json:"end_on"`
	Consultation string   `json:"consultation"`
}

func (in assessmentInput) assessment() isms.Assessment {
	return isms.Assessment{Title: in.Title, Scope: in.Scope, DeptIDs: in.DeptIDs, Team: in.Team, StartOn: in.StartOn,
		EndOn: in.EndOn, Consultation: in.Consultation}
}

func (a *API) saveAssessment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in assessmentInput
	if err := decode(r, &in); err != nil {
		return err
	}
	id := r.PathValue("id")
	x, err := a.svc.SaveAssessment(r.Context(), actor, id, in.assessment())
	if err != nil {
		return err
	}
	status := http.StatusOK
	if id == "" {
		status = http.StatusCreated
	}
	return writeJSON(w, status, x)
}

func (a *API) getAssessment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	x, err := a.svc.Assessment(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) assessmentStatus(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		Status string `json:"status"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.SetAssessmentStatus(r.Context(), actor, r.PathValue("id"), in.Status)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

// riskFilter reads the register's query parameters.
func riskFilter(r *http.Request) (isms.RiskFilter, error) {
	q := r.URL.Query()
	f := isms.RiskFilter{AssessmentID: q.Get("assessment_id"), AssetID: q.Get("asset_id"), DeptID: q.Get("department_id"),
		Treatment: q.Get("treatment"), Acceptable: q.Get("acceptable"), Acceptance: q.Get("acceptance"), Review: q.Get("review") == "true",
		Text: q.Get("q"), Sort: q.Get("sort"), Desc: q.Get("desc") == "true"}
	for name, to := range map[string]*int{"level": &f.Level, "cell_l": &f.CellL, "cell_f": &f.CellF, "offset": &f.Offset, "limit": &f.Limit} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return f, isms.Invalid(name, isms.M("field.bad_number"))
			}
			*to = n
		}
	}
	return f, nil
}

func (a *API) listRisks(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := riskFilter(r)
	if err != nil {
		return err
	}
	l, err := a.svc.ListRisks(r.Context(), actor, f, r.URL.Query().Get("heat_map") == "true")
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

// risksXLSX exports every risk the register's filter selects, streamed.
func (a *API) risksXLSX(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := riskFilter(r)
	if err != nil {
		return err
	}
	f.Offset = 0
	return a.svc.RisksXLSX(r.Context(), actor, f, func() { attachXLSX(w, "risks.xlsx") }, w)
}

// riskReportXLSX writes an assessment's residual-risk report.
func (a *API) riskReportXLSX(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return a.svc.RiskReportXLSX(r.Context(), actor, r.PathValue("id"), func() { attachXLSX(w, "residual-risk-report.xlsx") }, w)
}

// riskInput is what a client sends for a risk scenario.
type riskInput struct {
	AssetID       string `json:"asset_id"`
	ThreatID      string `json:"threat_id"`
	VulnID        string `json:"vulnerability_id"`
	Description   string `json:"description"`
	Controls      string `json:"controls"`
	ControlEffect string `json:"control_effect"`
	ControlKind   string `json:"control_kind"`
	T             int    `json:"threat"`
	V             int    `json:"vulnerability"`
	Va            int    `json:"severity"`
	Likelihood    int    `json:"likelihood"`
	Impact        int    `json:"impact"`
	Treatment     string `json:"treatment"`
	ResidualT     int    `json:"residual_t"`
	ResidualV     int    `json:"residual_v"`
	ResidualVa    int    `json:"residual_va"`
	ResidualL     int    `json:"residual_likelihood"`
	ResidualI     int    `json:"residual_impact"`
}

func (in riskInput) risk() isms.Risk {
	return isms.Risk{AssetID: in.AssetID, ThreatID: in.ThreatID, VulnID: in.VulnID, Description: in.Description, Controls: in.Controls,
		ControlEffect: in.ControlEffect, ControlKind: in.ControlKind, T: in.T, V: in.V, Va: in.Va, Likelihood: in.Likelihood,
		Impact: in.Impact, Treatment: in.Treatment, ResidualT: in.ResidualT, ResidualV: in.ResidualV, ResidualVa: in.ResidualVa,
		ResidualL: in.ResidualL, ResidualI: in.ResidualI}
}

func (a *API) createRisk(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in riskInput
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.SaveRisk(r.Context(), actor, r.PathValue("id"), "", in.risk())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, x)
}

func (a *API) getRisk(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	x, err := a.svc.Risk(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) putRisk(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in riskInput
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.SaveRisk(r.Context(), actor, "", r.PathValue("id"), in.risk())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) requestAcceptance(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		Note string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.RequestAcceptance(r.Context(), actor, r.PathValue("id"), in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) listTreatments(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	ts, err := a.svc.Treatments(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.TreatmentItem]{Items: nonNil(ts)})
}

// treatmentInput is a treatment plan item as a client sends it.
type treatmentInput struct {
	Measure  string `json:"measure"`
	DeptID   string `json:"department_id"`
	PersonID string `json:"person_id"`
	StartOn  string `json:"start_on"`
	DueOn    string `json:"due_on"`
	Cost     string `json:"cost"`
	Status   string `json:"status"`
	Priority string `json:"priority"`
}

func (a *API) saveTreatment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in treatmentInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := a.svc.SaveTreatment(r.Context(), actor, r.PathValue("id"), r.PathValue("item"), isms.TreatmentItem{Measure: in.Measure,
		DeptID: in.DeptID, PersonID: in.PersonID, StartOn: in.StartOn, DueOn: in.DueOn, Cost: in.Cost, Status: in.Status, Priority: in.Priority})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (a *API) treatmentPlan(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	ts, err := a.svc.TreatmentPlan(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.TreatmentItem]{Items: nonNil(ts)})
}

func (a *API) recordRiskChange(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		Kind          string   `json:"kind"`
		Description   string   `json:"description"`
		AssessmentIDs []string `json:"assessment_ids"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := a.svc.RecordChange(r.Context(), actor, in.Kind, in.Description, in.AssessmentIDs)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"flagged": n})
}

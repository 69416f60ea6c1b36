package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"openisms/internal/isms"
)

// Risk assessment pages: the assessments with their status and
// consultation record, adding and editing risk scenarios, the treatment
// plan, and recording a change that calls for re-assessment.

func (wb *Web) riskEditRoutes() []route {
	return []route{
		{"GET", "/assessments", authorized, wb.assessmentList, false},
		{"POST", "/assessments", authorized, wb.createAssessment, false},
		{"GET", "/assessments/{id}", authorized, wb.assessment, false},
		{"POST", "/assessments/{id}", authorized, wb.updateAssessment, false},
		{"POST", "/assessments/{id}/status", authorized, wb.assessmentStatus, false},
		{"POST", "/assessments/{id}/risks", authorized, wb.addRisk, false},
		{"POST", "/risks/changes", authorized, wb.recordRiskChange, false},
		{"GET", "/risks/plan", authorized, wb.treatmentPlan, false},
		{"POST", "/risks/{id}", authorized, wb.updateRisk, false},
		{"POST", "/risks/{id}/acceptance", authorized, wb.requestAcceptance, false},
		{"POST", "/risks/{id}/treatments", authorized, wb.addTreatment, false},
		{"POST", "/risks/{id}/treatments/{item}", authorized, wb.updateTreatment, false},
	}
}

// riskEditData fills what every editing page needs: the actor's rights,
// the choices of the forms and today.
func (wb *Web) riskEditData(r *req, d *riskData) {
	d.CanManage = r.Actor.Can(isms.ActManageRisks)
	d.CanMethod = r.Actor.Can(isms.ActManageISMS)
	d.Statuses, d.Effects, d.Kinds, d.ChangeKinds = isms.AssessmentStatuses, isms.ControlEffects[1:], isms.ControlKinds[1:], isms.ChangeKinds
	d.TStatuses, d.Priorities, d.Levels, d.Options = isms.TreatmentStatuses, isms.TreatmentPriorities, []int{1, 2, 3, 4, 5}, isms.TreatmentOptions
	d.Today = wb.svc.Clock().Now().In(displayZone).Format("2006-01-02")
}

// loadCatalogs reads the threat and vulnerability catalogs unless
// riskNames already did.
func (wb *Web) loadCatalogs(r *req, d *riskData) error {
	if d.Threats == nil {
		var err error
		if d.Threats, d.Vulns, err = wb.svc.RiskCatalogs(r.Context(), r.Actor); err != nil {
			return err
		}
	}
	d.ThreatGroups = groupThreats(d.Threats)
	return nil
}

// loadMethods reads the method versions; Method is the latest.
func (wb *Web) loadMethods(r *req, d *riskData) error {
	var err error
	if d.Methods, err = wb.svc.RiskMethods(r.Context(), r.Actor); err != nil {
		return err
	}
	d.Method = d.Methods[len(d.Methods)-1]
	return nil
}

// methodOf picks a version from the list (the latest when unknown).
func (d *riskData) methodOf(version int) isms.RiskMethod {
	for _, m := range d.Methods {
		if m.Version == version {
			return m
		}
	}
	return d.Methods[len(d.Methods)-1]
}

// --- Assessments ---

func (wb *Web) assessmentListPage(r *req) (page, error) {
	d := riskData{}
	wb.riskEditData(r, &d)
	var err error
	if d.Departments, err = wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
		return page{}, err
	}
	if d.Assessments, err = wb.svc.Assessments(r.Context(), r.Actor); err != nil {
		return page{}, err
	}
	return page{Title: "ui.risk.assessments", Data: d, Form: map[string]string{"start_on": d.Today}}, nil
}

func (wb *Web) assessmentList(w http.ResponseWriter, r *req) error {
	p, err := wb.assessmentListPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "risks/assessments", p)
}

func assessmentFromForm(f url.Values) isms.Assessment {
	return isms.Assessment{Title: f.Get("title"), Scope: f.Get("scope"), DeptIDs: f["department_ids"], Team: f.Get("team"),
		StartOn: f.Get("start_on"), EndOn: f.Get("end_on"), Consultation: f.Get("consultation")}
}

func assessmentForm(x isms.Assessment) map[string]string {
	m := map[string]string{"title": x.Title, "scope": x.Scope, "team": x.Team, "start_on": x.StartOn, "end_on": x.EndOn,
		"consultation": x.Consultation}
	for _, id := range x.DeptIDs {
		m["dept:"+id] = "1"
	}
	return m
}

func (wb *Web) createAssessment(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := assessmentFromForm(f)
	x, err := wb.svc.SaveAssessment(r.Context(), r.Actor, "", in)
	if err != nil {
		p, perr := wb.assessmentListPage(r)
		if perr != nil {
			return perr
		}
		p.Form = assessmentForm(in)
		return wb.formError(w, r, "risks/assessments", p, err)
	}
	return redirect(w, r, "/assessments/"+x.ID, "ui.flash.saved")
}

func (wb *Web) assessmentPage(r *req, id string) (page, error) {
	x, err := wb.svc.Assessment(r.Context(), r.Actor, id)
	if err != nil {
		return page{}, err
	}
	d := riskData{Assessment: x}
	if err := wb.riskNames(r, &d); err != nil {
		return page{}, err
	}
	wb.riskEditData(r, &d)
	if err := wb.loadCatalogs(r, &d); err != nil {
		return page{}, err
	}
	if err := wb.loadMethods(r, &d); err != nil {
		return page{}, err
	}
	d.Method = d.methodOf(x.MethodVersion)
	if d.Register, err = wb.svc.RiskLines(r.Context(), r.Actor, isms.RiskFilter{AssessmentID: x.ID, Limit: 50}); err != nil {
		return page{}, err
	}
	if d.CanManage && x.Status != isms.AssessClosed {
		// The asset chooser suggests the first assets of the register;
		// any code may be typed.
		list, err := wb.svc.ListAssets(r.Context(), r.Actor, isms.AssetFilter{Sort: "code", Limit: isms.MaxPageSize})
		if err != nil {
			return page{}, err
		}
		d.AssetOpts = list.Assets
	}
	if i := slices.Index(isms.AssessmentStatuses, x.Status); i >= 0 {
		if i > 0 {
			d.PrevStatus = isms.AssessmentStatuses[i-1]
		}
		if i+1 < len(isms.AssessmentStatuses) {
			d.NextStatus = isms.AssessmentStatuses[i+1]
		}
	}
	return page{Title: "ui.risk.assessment", Data: d, Form: assessmentForm(x)}, nil
}

func (wb *Web) assessment(w http.ResponseWriter, r *req) error {
	p, err := wb.assessmentPage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "risks/assessment", p)
}

// assessmentFormError re-renders the assessment page with an error,
// keeping what was typed into the form that failed.
func (wb *Web) assessmentFormError(w http.ResponseWriter, r *req, id string, typed map[string]string, err error) error {
	p, perr := wb.assessmentPage(r, id)
	if perr != nil {
		return perr
	}
	for k, v := range typed {
		p.Form[k] = v
	}
	return wb.formError(w, r, "risks/assessment", p, err)
}

func (wb *Web) updateAssessment(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	in := assessmentFromForm(f)
	if _, err := wb.svc.SaveAssessment(r.Context(), r.Actor, id, in); err != nil {
		return wb.assessmentFormError(w, r, id, assessmentForm(in), err)
	}
	return redirect(w, r, "/assessments/"+id, "ui.flash.saved")
}

func (wb *Web) assessmentStatus(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := wb.svc.SetAssessmentStatus(r.Context(), r.Actor, id, f.Get("status")); err != nil {
		return wb.assessmentFormError(w, r, id, nil, err)
	}
	return redirect(w, r, "/assessments/"+id, "ui.flash.saved")
}

// riskFromForm reads the scenario form: the scores the method asks for,
// the existing controls, the treatment option and residual scores.
func riskFromForm(f url.Values) isms.Risk {
	num := func(k string) int { n, _ := strconv.Atoi(f.Get(k)); return n }
	return isms.Risk{AssetID: f.Get("asset_id"), ThreatID: f.Get("threat_id"), VulnID: f.Get("vulnerability_id"),
		Description: f.Get("description"), Controls: f.Get("controls"), ControlEffect: f.Get("control_effect"),
		ControlKind: f.Get("control_kind"), T: num("t"), V: num("v"), Va: num("va"), Likelihood: num("likelihood"),
		Impact: num("impact"), Treatment: f.Get("treatment"), ResidualT: num("residual_t"), ResidualV: num("residual_v"),
		ResidualVa: num("residual_va"), ResidualL: num("residual_likelihood"), ResidualI: num("residual_impact")}
}

func riskForm(x isms.Risk) map[string]string {
	n := func(v int) string {
		if v == 0 {
			return ""
		}
		return strconv.Itoa(v)
	}
	return map[string]string{"asset_id": x.AssetID, "threat_id": x.ThreatID, "vulnerability_id": x.VulnID,
		"description": x.Description, "controls": x.Controls, "control_effect": x.ControlEffect, "control_kind": x.ControlKind,
		"t": n(x.T), "v": n(x.V), "va": n(x.Va), "likelihood": n(x.Likelihood), "impact": n(x.Impact), "treatment": x.Treatment,
		"residual_t": n(x.ResidualT), "residual_v": n(x.ResidualV), "residual_va": n(x.ResidualVa),
		"residual_likelihood": n(x.ResidualL), "residual_impact": n(x.ResidualI)}
}

func (wb *Web) addRisk(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if err := r.Actor.Require(isms.ActManageRisks); err != nil {
		return err
	}
	id := r.PathValue("id")
	in := riskFromForm(f)
	typed := riskForm(in)
	typed["asset_code"] = f.Get("asset_code")
	// The form names the asset by its code; only "no such asset" is the
	// user's mistake, other failures stay errors.
	code := strings.TrimSpace(f.Get("asset_code"))
	if code == "" {
		return wb.assessmentFormError(w, r, id, typed, isms.Invalid("asset_code", isms.M("field.required")))
	}
	x, err := wb.svc.AssetByCode(r.Context(), r.Actor, code)
	if isms.AsError(err).Code == isms.CodeNotFound {
		err = isms.Invalid("asset_code", isms.M("risk.asset_code_unknown", "code", code))
	}
	if err != nil {
		return wb.assessmentFormError(w, r, id, typed, err)
	}
	in.AssetID = x.ID
	rk, err := wb.svc.SaveRisk(r.Context(), r.Actor, id, "", in)
	if err != nil {
		return wb.assessmentFormError(w, r, id, typed, err)
	}
	return redirect(w, r, "/risks/"+rk.ID, "ui.flash.saved")
}

// --- A risk's changes ---

func (wb *Web) riskFormError(w http.ResponseWriter, r *req, id string, typed map[string]string, err error) error {
	p, perr := wb.riskPageData(r, id)
	if perr != nil {
		return perr
	}
	for k, v := range typed {
		p.Form[k] = v
	}
	return wb.formError(w, r, "risks/detail", p, err)
}

func (wb *Web) updateRisk(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	in := riskFromForm(f)
	if _, err := wb.svc.SaveRisk(r.Context(), r.Actor, "", id, in); err != nil {
		return wb.riskFormError(w, r, id, riskForm(in), err)
	}
	return redirect(w, r, "/risks/"+id, "ui.flash.saved")
}

func (wb *Web) requestAcceptance(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := wb.svc.RequestAcceptance(r.Context(), r.Actor, id, f.Get("note")); err != nil {
		return wb.riskFormError(w, r, id, map[string]string{"note": f.Get("note")}, err)
	}
	return redirect(w, r, "/risks/"+id, "ui.flash.acceptance_requested")
}

func treatmentFromForm(f url.Values) isms.TreatmentItem {
	return isms.TreatmentItem{Measure: f.Get("measure"), DeptID: f.Get("department_id"), PersonID: f.Get("person_id"),
		StartOn: f.Get("start_on"), DueOn: f.Get("due_on"), Cost: f.Get("cost"), Status: f.Get("status"), Priority: f.Get("priority")}
}

func (wb *Web) addTreatment(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	in := treatmentFromForm(f)
	if _, err := wb.svc.SaveTreatment(r.Context(), r.Actor, id, "", in); err != nil {
		typed := map[string]string{"measure": in.Measure, "t_department_id": in.DeptID, "person_id": in.PersonID,
			"start_on": in.StartOn, "due_on": in.DueOn, "cost": in.Cost, "priority": in.Priority}
		return wb.riskFormError(w, r, id, typed, err)
	}
	return redirect(w, r, "/risks/"+id+"#plan", "ui.flash.saved")
}

// updateTreatment changes an item; the plan's rows post the whole item
// with its new status.
func (wb *Web) updateTreatment(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := wb.svc.SaveTreatment(r.Context(), r.Actor, id, r.PathValue("item"), treatmentFromForm(f)); err != nil {
		return wb.riskFormError(w, r, id, nil, err)
	}
	back := "/risks/" + id + "#plan"
	if f.Get("back") == "plan" {
		back = "/risks/plan"
	}
	return redirect(w, r, back, "ui.flash.saved")
}

// --- The plan and changes ---

func (wb *Web) treatmentPlan(w http.ResponseWriter, r *req) error {
	d := riskData{Names: map[string]string{}}
	wb.riskEditData(r, &d)
	depts, err := wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize})
	if err != nil {
		return err
	}
	for _, dep := range depts {
		d.Names[dep.ID] = dep.Name
	}
	if d.Treatments, err = wb.svc.TreatmentPlan(r.Context(), r.Actor); err != nil {
		return err
	}
	for _, t := range d.Treatments {
		if t.Overdue(d.Today) {
			d.Overdue++
		}
	}
	return wb.render(w, r, http.StatusOK, "risks/plan", page{Title: "ui.risk.plan", Data: d})
}

func (wb *Web) recordRiskChange(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	var ids []string
	if id := f.Get("assessment_id"); id != "" {
		ids = []string{id}
	}
	if _, err := wb.svc.RecordChange(r.Context(), r.Actor, f.Get("kind"), f.Get("description"), ids); err != nil {
		p, perr := wb.assessmentListPage(r)
		if perr != nil {
			return perr
		}
		p.Form = map[string]string{"kind": f.Get("kind"), "change_description": f.Get("description"), "assessment_id": f.Get("assessment_id")}
		return wb.formError(w, r, "risks/assessments", p, err)
	}
	return redirect(w, r, "/risks?review=1", "ui.flash.change_recorded")
}

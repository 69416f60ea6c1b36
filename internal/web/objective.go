package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// Security objectives (信息安全目标) and effectiveness measures (有效性
// 测量): the list with each objective's state, the form, and an
// objective's page with its chart, measurements and approval.

type objectiveData struct {
	Kind        string
	Objectives  []isms.Objective
	Parents     []isms.Objective // organization-wide objectives, for the form
	Counts      map[string]int   // by state
	Detail      service.ObjectiveDetail
	Chart       template.HTML
	Departments []isms.Department
	People      []isms.Person
	Measures    []isms.Measure
	Frequencies []string
	States      []string
	Labels      map[string]string // account ID → label, for who measured and decided
	CanManage   bool
}

var objectiveTitles = map[string]string{isms.ObjectiveSecurity: "ui.objective.title_objective",
	isms.ObjectiveEffectiveness: "ui.objective.title_effectiveness"}

func objectiveKind(r *req) string {
	if k := r.URL.Query().Get("kind"); k == isms.ObjectiveEffectiveness {
		return k
	}
	return isms.ObjectiveSecurity
}

func (wb *Web) objectiveChoices(r *req, d *objectiveData) error {
	var err error
	if d.Departments, err = wb.svc.DepartmentNames(r.Context(), r.Actor); err != nil {
		return err
	}
	if d.People, err = wb.svc.ListPeople(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
		return err
	}
	if d.Kind == isms.ObjectiveEffectiveness {
		if d.Measures, err = wb.svc.Measures(r.Context(), r.Actor, store.MeasureFilter{}); err != nil {
			return err
		}
	}
	all, err := wb.svc.Objectives(r.Context(), r.Actor, store.ObjectiveFilter{Kind: d.Kind})
	for _, o := range all {
		if o.ParentID == "" && o.DeptID == "" {
			d.Parents = append(d.Parents, o)
		}
	}
	return err
}

func (wb *Web) objectiveList(w http.ResponseWriter, r *req) error {
	q := r.URL.Query()
	d := objectiveData{Kind: objectiveKind(r), Counts: map[string]int{}, States: isms.ObjectiveStates,
		CanManage: r.Actor.Can(isms.ActManageSoA)}
	f := store.ObjectiveFilter{Kind: d.Kind, DeptID: q.Get("department_id")}
	if q.Get("retired") == "1" {
		f.Status = store.StatusAll
	}
	all, err := wb.svc.Objectives(r.Context(), r.Actor, f)
	if err != nil {
		return err
	}
	// Organization-wide objectives first, each followed by its
	// department objectives.
	children := map[string][]isms.Objective{}
	listed := map[string]bool{}
	for _, o := range all {
		listed[o.ID] = true
		if o.ParentID != "" {
			children[o.ParentID] = append(children[o.ParentID], o)
		}
	}
	keep := func(o isms.Objective) bool { return q.Get("state") == "" || o.State == q.Get("state") }
	for _, o := range all {
		if o.Status == isms.ObjApproved {
			d.Counts[o.State]++
		}
		if o.ParentID != "" && listed[o.ParentID] {
			continue
		}
		if keep(o) {
			d.Objectives = append(d.Objectives, o)
		}
		for _, c := range children[o.ID] {
			if keep(c) {
				d.Objectives = append(d.Objectives, c)
			}
		}
	}
	if r.Actor.Can(isms.ActViewSoA) { // an owner's own list needs no department filter
		if d.Departments, err = wb.svc.DepartmentNames(r.Context(), r.Actor); err != nil {
			return err
		}
	}
	return wb.render(w, r, http.StatusOK, "objectives/list", page{Title: objectiveTitles[d.Kind], Data: d,
		Form: map[string]string{"kind": d.Kind, "state": q.Get("state"), "department_id": q.Get("department_id"),
			"retired": q.Get("retired")}})
}

func objectiveForm(o isms.Objective) map[string]string {
	f := map[string]string{"kind": o.Kind, "parent_id": o.ParentID, "department_id": o.DeptID, "statement": o.Statement,
		"metric": o.Metric, "unit": o.Unit, "direction": o.Direction, "target": isms.FormatValue(o.Target),
		"frequency": o.Frequency, "owner_id": o.OwnerID, "measure_id": o.MeasureID, "control": o.Control}
	if o.Ref != "" {
		f["control"] = o.Subject
	}
	if o.Threshold != nil {
		f["threshold"] = isms.FormatValue(*o.Threshold)
	}
	return f
}

// objectiveFromForm reads the form; a number that does not parse is
// kept as NaN so the service names the field.
func objectiveFromForm(f url.Values) isms.Objective {
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	o := isms.Objective{Kind: f.Get("kind"), ParentID: f.Get("parent_id"), DeptID: f.Get("department_id"),
		Statement: f.Get("statement"), Metric: f.Get("metric"), Unit: f.Get("unit"), Direction: f.Get("direction"),
		Target: num(f.Get("target")), Frequency: f.Get("frequency"), OwnerID: f.Get("owner_id"),
		MeasureID: f.Get("measure_id"), Control: f.Get("control")}
	if t := strings.TrimSpace(f.Get("threshold")); t != "" {
		v := num(t)
		o.Threshold = &v
	}
	return o
}

func (wb *Web) newObjectivePage(r *req, kind string) (page, error) {
	if err := r.Actor.Require(isms.ActManageSoA); err != nil {
		return page{}, err
	}
	d := objectiveData{Kind: kind, Frequencies: isms.MeasureFrequencies, CanManage: true}
	if err := wb.objectiveChoices(r, &d); err != nil {
		return page{}, err
	}
	f := map[string]string{"kind": kind, "direction": isms.AtLeast, "frequency": "quarterly",
		"parent_id": r.URL.Query().Get("parent"), "control": r.URL.Query().Get("control"),
		"measure_id": r.URL.Query().Get("measure")}
	return page{Title: map[string]string{isms.ObjectiveSecurity: "ui.objective.new_objective", isms.ObjectiveEffectiveness: "ui.objective.new_effectiveness"}[kind], Data: d, Form: f}, nil
}

func (wb *Web) newObjective(w http.ResponseWriter, r *req) error {
	p, err := wb.newObjectivePage(r, objectiveKind(r))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "objectives/new", p)
}

func (wb *Web) createObjective(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := objectiveFromForm(f)
	o, err := wb.svc.SaveObjective(r.Context(), r.Actor, "", in)
	if err != nil {
		kind := isms.ObjectiveSecurity
		if in.Kind == isms.ObjectiveEffectiveness {
			kind = in.Kind
		}
		p, perr := wb.newObjectivePage(r, kind)
		if perr != nil {
			return perr
		}
		p.Form = objectiveForm(in)
		p.Form["target"], p.Form["threshold"] = f.Get("target"), f.Get("threshold")
		return wb.formError(w, r, "objectives/new", p, err)
	}
	return redirect(w, r, "/objectives/"+o.ID, "ui.flash.saved")
}

func (wb *Web) objectivePageData(r *req) (page, error) {
	x, err := wb.svc.Objective(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return page{}, err
	}
	d := objectiveData{Kind: x.Objective.Kind, Detail: x, Frequencies: isms.MeasureFrequencies, CanManage: x.CanEdit,
		Chart: measurementChart(x.Objective, x.Measurements)}
	if x.CanEdit {
		if err := wb.objectiveChoices(r, &d); err != nil {
			return page{}, err
		}
	}
	ids := []string{x.Objective.DecidedBy}
	for _, m := range x.Measurements {
		ids = append(ids, m.MeasuredBy)
	}
	if d.Labels, err = wb.svc.AccountLabels(r.Context(), r.Actor, ids...); err != nil {
		return page{}, err
	}
	f := objectiveForm(x.Objective)
	f["taken_on"] = x.Today
	return page{Title: objectiveTitles[d.Kind], Data: d, Form: f}, nil
}

func (wb *Web) objectivePage(w http.ResponseWriter, r *req) error {
	p, err := wb.objectivePageData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "objectives/detail", p)
}

func (wb *Web) saveObjective(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := objectiveFromForm(f)
	if _, err := wb.svc.SaveObjective(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		p, perr := wb.objectivePageData(r)
		if perr != nil {
			return perr
		}
		for k, v := range objectiveForm(in) {
			p.Form[k] = v
		}
		p.Form["target"], p.Form["threshold"] = f.Get("target"), f.Get("threshold")
		return wb.formError(w, r, "objectives/detail", p, err)
	}
	return redirect(w, r, "/objectives/"+r.PathValue("id"), "ui.flash.saved")
}

func (wb *Web) submitObjective(w http.ResponseWriter, r *req) error {
	if _, err := wb.svc.SubmitObjective(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		p, perr := wb.objectivePageData(r)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "objectives/detail", p, err)
	}
	return redirect(w, r, "/objectives/"+r.PathValue("id"), "ui.flash.soa_submitted")
}

func (wb *Web) retireObjective(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if _, err := wb.svc.RetireObjective(r.Context(), r.Actor, r.PathValue("id"), f.Get("reason")); err != nil {
		p, perr := wb.objectivePageData(r)
		if perr != nil {
			return perr
		}
		p.Form["reason"] = f.Get("reason")
		return wb.formError(w, r, "objectives/detail", p, err)
	}
	return redirect(w, r, "/objectives/"+r.PathValue("id"), "ui.flash.objective_retired")
}

func (wb *Web) deleteObjective(w http.ResponseWriter, r *req) error {
	x, err := wb.svc.Objective(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := wb.svc.DeleteObjective(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		p, perr := wb.objectivePageData(r)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "objectives/detail", p, err)
	}
	return redirect(w, r, "/objectives?kind="+x.Objective.Kind, "ui.flash.deleted")
}

func (wb *Web) addMeasurement(w http.ResponseWriter, r *req) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(r.FormValue("value")), 64)
	if err != nil {
		v = math.NaN()
	}
	in := service.MeasurementInput{TakenOn: r.FormValue("taken_on"), Value: v, Note: r.FormValue("note"),
		RecordNumber: r.FormValue("record_number")}
	_, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	if _, err := wb.svc.AddMeasurement(r.Context(), r.Actor, r.PathValue("id"), in, name, file); err != nil {
		p, perr := wb.objectivePageData(r)
		if perr != nil {
			return perr
		}
		p.Form["taken_on"], p.Form["value"], p.Form["note"], p.Form["record_number"] = in.TakenOn, r.FormValue("value"),
			in.Note, in.RecordNumber
		return wb.formError(w, r, "objectives/detail", p, err)
	}
	return redirect(w, r, "/objectives/"+r.PathValue("id")+"#measurements", "ui.flash.saved")
}

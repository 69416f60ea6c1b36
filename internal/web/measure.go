package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// Applied measures (控制措施): the list with filters, a measure's page
// (its form, the requirements it satisfies, its evidence), and the
// coverage of each framework by measures.

type measureData struct {
	Measures    []isms.Measure
	Detail      service.MeasureDetail
	Departments []isms.Department
	People      []isms.Person
	Statuses    []string
	Today       string
	Labels      map[string]string // account ID → label
	CanManage   bool
}

// measureChoices fills the department and person lists of the forms.
func (wb *Web) measureChoices(r *req, d *measureData) error {
	var err error
	if d.Departments, err = wb.svc.DepartmentNames(r.Context(), r.Actor); err != nil {
		return err
	}
	d.People, err = wb.svc.ListPeople(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize})
	return err
}

func (wb *Web) measureListPage(r *req) (page, error) {
	d := measureData{Statuses: isms.ImplStatuses, CanManage: r.Actor.Can(isms.ActManageSoA)}
	q := r.URL.Query()
	f := store.MeasureFilter{Text: strings.TrimSpace(q.Get("q")), DeptID: q.Get("department_id"), Status: q.Get("status"),
		Overdue: q.Get("overdue") == "1"}
	var err error
	if d.Measures, err = wb.svc.Measures(r.Context(), r.Actor, f); err != nil {
		return page{}, err
	}
	if r.Actor.Can(isms.ActViewSoA) {
		if d.Departments, err = wb.svc.DepartmentNames(r.Context(), r.Actor); err != nil {
			return page{}, err
		}
	}
	d.Today = wb.svc.Clock().Now().In(displayZone).Format("2006-01-02")
	return page{Title: "ui.measure.title", Data: d, Form: map[string]string{"q": f.Text, "department_id": f.DeptID,
		"status": f.Status, "overdue": q.Get("overdue")}}, nil
}

func (wb *Web) measureList(w http.ResponseWriter, r *req) error {
	p, err := wb.measureListPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "measures/list", p)
}

// measureForm is a measure as its form shows it.
func measureForm(m isms.Measure) map[string]string {
	reqs := make([]string, len(m.Requirements))
	for i, q := range m.Requirements {
		reqs[i] = q.Key()
	}
	return map[string]string{"title": m.Title, "description": m.Description, "department_id": m.DeptID,
		"owner_id": m.OwnerID, "status": m.Status, "due_on": m.DueOn, "requirements": strings.Join(reqs, "\n")}
}

// measureFromForm reads the form; requirements always replace the
// measure's (an empty box clears them).
func measureFromForm(f url.Values) isms.Measure {
	reqs := service.ParseMeasureRequirements(f.Get("requirements"))
	if reqs == nil {
		reqs = []isms.MeasureReq{}
	}
	return isms.Measure{Title: f.Get("title"), Description: f.Get("description"), DeptID: f.Get("department_id"),
		OwnerID: f.Get("owner_id"), Status: f.Get("status"), DueOn: f.Get("due_on"), Requirements: reqs}
}

func (wb *Web) newMeasurePage(r *req) (page, error) {
	if err := r.Actor.Require(isms.ActManageSoA); err != nil {
		return page{}, err
	}
	d := measureData{Statuses: isms.ImplStatuses, CanManage: true}
	if err := wb.measureChoices(r, &d); err != nil {
		return page{}, err
	}
	q := r.URL.Query() // prefilled from an SoA line or a reference control
	return page{Title: "ui.measure.new", Data: d, Form: map[string]string{"status": isms.ImplPlanned,
		"requirements": q.Get("req"), "title": q.Get("title"), "description": q.Get("description")}}, nil
}

func (wb *Web) newMeasure(w http.ResponseWriter, r *req) error {
	p, err := wb.newMeasurePage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "measures/new", p)
}

func (wb *Web) createMeasure(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := measureFromForm(f)
	m, err := wb.svc.SaveMeasure(r.Context(), r.Actor, "", in)
	if err != nil {
		p, perr := wb.newMeasurePage(r)
		if perr != nil {
			return perr
		}
		p.Form = measureForm(in)
		p.Form["requirements"] = f.Get("requirements")
		return wb.formError(w, r, "measures/new", p, err)
	}
	return redirect(w, r, "/measures/"+m.ID, "ui.flash.saved")
}

func (wb *Web) measurePageData(r *req) (page, error) {
	x, err := wb.svc.Measure(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return page{}, err
	}
	d := measureData{Detail: x, Statuses: isms.ImplStatuses, Today: x.Today, CanManage: x.CanEdit}
	if x.CanEdit {
		if err := wb.measureChoices(r, &d); err != nil {
			return page{}, err
		}
	}
	ids := []string{x.Measure.UpdatedBy}
	for _, e := range x.Evidence {
		ids = append(ids, e.AddedBy)
	}
	if d.Labels, err = wb.svc.AccountLabels(r.Context(), r.Actor, ids...); err != nil {
		return page{}, err
	}
	f := measureForm(x.Measure)
	f["effective_on"] = x.Today
	return page{Title: "ui.measure.title", Data: d, Form: f}, nil
}

func (wb *Web) measurePage(w http.ResponseWriter, r *req) error {
	p, err := wb.measurePageData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "measures/detail", p)
}

func (wb *Web) saveMeasure(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := measureFromForm(f)
	if _, err := wb.svc.SaveMeasure(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		p, perr := wb.measurePageData(r)
		if perr != nil {
			return perr
		}
		for k, v := range measureForm(in) {
			p.Form[k] = v
		}
		p.Form["requirements"] = f.Get("requirements")
		return wb.formError(w, r, "measures/detail", p, err)
	}
	return redirect(w, r, "/measures/"+r.PathValue("id"), "ui.flash.saved")
}

func (wb *Web) deleteMeasure(w http.ResponseWriter, r *req) error {
	if err := wb.svc.DeleteMeasure(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/measures", "ui.flash.deleted")
}

func (wb *Web) addMeasureEvidence(w http.ResponseWriter, r *req) error {
	in, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	if _, err := wb.svc.AddMeasureEvidence(r.Context(), r.Actor, r.PathValue("id"), in, name, file); err != nil {
		p, perr := wb.measurePageData(r)
		if perr != nil {
			return perr
		}
		keepEvidenceForm(&p, in)
		return wb.formError(w, r, "measures/detail", p, err)
	}
	return redirect(w, r, "/measures/"+r.PathValue("id")+"#evidence", "ui.flash.evidence_added")
}

func (wb *Web) deleteMeasureEvidence(w http.ResponseWriter, r *req) error {
	if err := wb.svc.DeleteEvidence(r.Context(), r.Actor, r.PathValue("eid")); err != nil {
		return err
	}
	return redirect(w, r, "/measures/"+r.PathValue("id")+"#evidence", "ui.flash.evidence_removed")
}

// --- Coverage ---

type coverageData struct {
	Summaries  []isms.CoverSummary
	Coverage   service.ControlCoverage
	Rows       []isms.CoverRow // after the filters
	States     []string
	Categories []string
	Frameworks []isms.Framework
}

// coveragePage shows the summaries of every framework measures reach,
// and one framework's requirements (the organization's SoA framework
// unless another is chosen) with the measures that reach each.
func (wb *Web) coveragePage(w http.ResponseWriter, r *req) error {
	q := r.URL.Query()
	id := q.Get("framework")
	var err error
	if id == "" {
		if id, err = wb.svc.SoAFrameworkID(r.Context(), r.Actor); err != nil {
			return err
		}
	}
	d := coverageData{States: append(slices.Clone(isms.CoverStates), isms.CoverExcluded)}
	if d.Coverage, err = wb.svc.ControlCoverage(r.Context(), r.Actor, id, r.Lang); err != nil {
		return err
	}
	if d.Summaries, err = wb.svc.CoverageSummaries(r.Context(), r.Actor, r.Lang); err != nil {
		return err
	}
	if d.Frameworks, err = wb.svc.Frameworks(r.Context(), r.Actor); err != nil {
		return err
	}
	form := map[string]string{"framework": id, "state": q.Get("state"), "category": q.Get("category"),
		"q": strings.TrimSpace(q.Get("q"))}
	text := strings.ToLower(form["q"])
	for _, row := range d.Coverage.Rows {
		if c := row.Category; c != "" && !slices.Contains(d.Categories, c) {
			d.Categories = append(d.Categories, c)
		}
		switch {
		case form["state"] != "" && row.State != form["state"]:
		case form["category"] != "" && row.Category != form["category"]:
		case text != "" && !strings.Contains(strings.ToLower(row.Ref+" "+row.Title), text):
		default:
			d.Rows = append(d.Rows, row)
		}
	}
	return wb.render(w, r, http.StatusOK, "measures/coverage", page{Title: "ui.coverage.title", Data: d, Form: form})
}

package web

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/service"
)

// MLPS evaluations: the agencies register, an evaluation recorded on its
// object's page, and an evaluation's page with its rectifications.

func (wb *Web) mlpsEvalRoutes() []route {
	return []route{
		{"GET", "/agencies", authorized, wb.agencies, false},
		{"POST", "/agencies", authorized, wb.saveAgency, false},
		{"POST", "/agencies/{id}", authorized, wb.saveAgency, false},
		{"POST", "/mlps/{id}/evaluations", authorized, wb.recordEvaluation, false},
		{"GET", "/evaluations/{id}", authorized, wb.evaluationPage, false},
		{"POST", "/evaluations/{id}", authorized, wb.correctEvaluation, false},
		{"POST", "/evaluations/{id}/rectifications", authorized, wb.addRectification, false},
		{"POST", "/rectifications/{id}/fix", authorized, wb.fixRectification, false},
		{"POST", "/rectifications/{id}/verify", authorized, wb.verifyRectification, false},
	}
}

type agencyData struct {
	Agencies  []isms.Agency
	CanManage bool
}

func (wb *Web) agencyPage(r *req) (page, error) {
	as, err := wb.svc.Agencies(r.Context(), r.Actor)
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.mlps.agencies", Data: agencyData{Agencies: as, CanManage: r.Actor.Can(isms.ActManageMLPS)},
		Form: map[string]string{}}, nil
}

func (wb *Web) agencies(w http.ResponseWriter, r *req) error {
	p, err := wb.agencyPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "mlps/agencies", p)
}

func (wb *Web) saveAgency(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.Agency{Name: f.Get("name"), Qualification: f.Get("qualification_no"), Region: f.Get("region"),
		Contacts: f.Get("contacts")}
	if _, err := wb.svc.SaveAgency(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		p, perr := wb.agencyPage(r)
		if perr != nil {
			return perr
		}
		for k := range f {
			p.Form[k] = f.Get(k)
		}
		return wb.formError(w, r, "mlps/agencies", p, err)
	}
	return redirect(w, r, "/agencies", "ui.flash.saved")
}

// percentField reads an optional number: nil when blank, NaN when it does
// not parse (so the service names the field).
func percentField(s string) *float64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		v = math.NaN()
	}
	return &v
}

func evaluationFromForm(f url.Values) isms.Evaluation {
	e := isms.Evaluation{AgencyID: f.Get("agency_id"), StartedOn: f.Get("started_on"), CompletedOn: f.Get("completed_on"),
		ReportNo: f.Get("report_no"), Template: f.Get("eval_template"), Score: percentField(f.Get("score")),
		Rating: f.Get("rating"), Rate: percentField(f.Get("rate")), Conclusion: f.Get("conclusion"), Notes: f.Get("notes")}
	if n := strings.TrimSpace(f.Get("major_hazards")); n != "" {
		var err error
		if e.MajorHazards, err = strconv.Atoi(n); err != nil {
			e.MajorHazards = -1
		}
	}
	return e
}

func (wb *Web) recordEvaluation(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	e, err := wb.svc.RecordEvaluation(r.Context(), r.Actor, r.PathValue("id"), evaluationFromForm(f))
	if err != nil {
		kept := map[string]string{}
		for k := range f {
			kept[k] = f.Get(k)
		}
		return wb.mlpsObjectError(w, r, err, kept, nil)
	}
	return redirect(w, r, "/evaluations/"+e.ID, "ui.flash.saved")
}

type evaluationData struct {
	service.EvaluationDetail
	Labels     map[string]string // account → label, for who fixed and verified
	People     []isms.Person
	Categories []string
	Risks      []string
	Agencies   []isms.Agency // to correct the evaluation's
	CanManage  bool
}

func (wb *Web) evaluationData(r *req, id string) (page, error) {
	x, err := wb.svc.Evaluation(r.Context(), r.Actor, id)
	if err != nil {
		return page{}, err
	}
	d := evaluationData{EvaluationDetail: x, Categories: isms.SecurityCategories, Risks: isms.FindingRisks, CanManage: x.CanEdit}
	var ids []string
	for _, rc := range x.Rectifications {
		ids = append(ids, rc.FixedBy, rc.VerifiedBy)
	}
	if d.Labels, err = wb.svc.AccountLabels(r.Context(), r.Actor, ids...); err != nil {
		return page{}, err
	}
	if x.CanEdit {
		if d.People, err = wb.svc.ListPeople(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
			return page{}, err
		}
	}
	form := map[string]string{"on": x.Today, "risk": "medium"}
	if x.CanEdit {
		if d.Agencies, err = wb.svc.Agencies(r.Context(), r.Actor); err != nil {
			return page{}, err
		}
		// The correction form starts from what was recorded.
		e := x.Evaluation
		form["agency_id"], form["report_no"], form["started_on"], form["completed_on"] = e.AgencyID, e.ReportNo, e.StartedOn, e.CompletedOn
		form["eval_template"], form["rating"], form["conclusion"], form["notes"] = e.Template, e.Rating, e.Conclusion, e.Notes
		if e.Score != nil {
			form["score"] = strconv.FormatFloat(*e.Score, 'f', -1, 64)
		}
		if e.Rate != nil {
			form["rate"] = strconv.FormatFloat(*e.Rate, 'f', -1, 64)
		}
		if e.Template == isms.EvalTemplate2025 {
			form["major_hazards"] = strconv.Itoa(e.MajorHazards)
		}
	}
	return page{Title: "ui.eval.title", Data: d, Form: form}, nil
}

func (wb *Web) correctEvaluation(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if _, err := wb.svc.CorrectEvaluation(r.Context(), r.Actor, r.PathValue("id"), evaluationFromForm(f)); err != nil {
		return wb.evaluationError(w, r, r.PathValue("id"), err, f)
	}
	return redirect(w, r, "/evaluations/"+r.PathValue("id"), "ui.flash.saved")
}

func (wb *Web) evaluationPage(w http.ResponseWriter, r *req) error {
	p, err := wb.evaluationData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "mlps/evaluation", p)
}

// evaluationError shows an evaluation's page again with an error and what
// was typed.
func (wb *Web) evaluationError(w http.ResponseWriter, r *req, evaluationID string, err error, f url.Values) error {
	p, perr := wb.evaluationData(r, evaluationID)
	if perr != nil {
		return perr
	}
	for k := range f {
		p.Form[k] = f.Get(k)
	}
	return wb.formError(w, r, "mlps/evaluation", p, err)
}

func (wb *Web) addRectification(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.Rectification{Description: f.Get("description"), Category: f.Get("category"), ControlPoint: f.Get("control_point"),
		Risk: f.Get("risk"), MajorHazard: f.Get("major_hazard") == "1", PersonID: f.Get("person_id"), Measure: f.Get("measure"),
		Deadline: f.Get("deadline"), Funds: f.Get("funds")}
	if _, err := wb.svc.AddRectification(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		return wb.evaluationError(w, r, r.PathValue("id"), err, f)
	}
	return redirect(w, r, "/evaluations/"+r.PathValue("id")+"#rectifications", "ui.flash.saved")
}

func (wb *Web) fixRectification(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	x, err := wb.svc.RecordFix(r.Context(), r.Actor, r.PathValue("id"), f.Get("on"), f.Get("note"))
	if err != nil {
		if ev := f.Get("evaluation_id"); isms.ValidID(ev) && isms.ErrorCode(err) != isms.CodeForbidden && isms.ErrorCode(err) != isms.CodeNotFound {
			return wb.evaluationError(w, r, ev, err, f)
		}
		return err
	}
	return redirect(w, r, "/evaluations/"+x.EvaluationID+"#rectifications", "ui.flash.saved")
}

func (wb *Web) verifyRectification(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	x, err := wb.svc.VerifyRectification(r.Context(), r.Actor, r.PathValue("id"), f.Get("on"), f.Get("result") == "ok", f.Get("note"))
	if err != nil {
		if ev := f.Get("evaluation_id"); isms.ValidID(ev) && isms.ErrorCode(err) != isms.CodeNotFound {
			return wb.evaluationError(w, r, ev, err, f)
		}
		return err
	}
	return redirect(w, r, "/evaluations/"+x.EvaluationID+"#rectifications", "ui.flash.saved")
}

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// A grading's page: the harm each dimension would do, object by object
// (the degree and why), the levels they give under the template's
// matrix, and the step the grading is at with its form.

// tickRow is one object of protection in one dimension: the degree the
// grader chose ("" none) and why, with the level of each degree.
type tickRow struct {
	Dimension, Object, ObjectName string
	Degree, Justification         string
	Levels                        map[string]int // degree → level
	// Field is how problems name the row's tick ("ticks #2"), the ticks
	// numbered as the form sends them: by dimension, then object.
	Field string
}

type gradingData struct {
	service.GradingDetail
	Rows      map[string][]tickRow // by dimension
	Marks     map[string]string    // "object.degree" → "S", "A" or "S A": the matrix cells ticked
	Dims      []string
	Degrees   []string
	Forms     []string
	CanManage bool
}

// tickRows lays out a grading's ticks (or those typed) against its
// matrix.
func tickRows(m isms.GradingMatrix, ticks []isms.HarmTick) map[string][]tickRow {
	rows := map[string][]tickRow{}
	n := 0
	for _, dim := range isms.GradingDimensions {
		for _, o := range isms.HarmObjects {
			r := tickRow{Dimension: dim, Object: o, ObjectName: m.Objects[o], Levels: m.Levels[o]}
			// The highest degree ticked for the object is the one that
			// counts; the form offers one per object.
			for _, t := range ticks {
				if t.Dimension == dim && t.Object == o && degreeRank(t.Degree) >= degreeRank(r.Degree) {
					r.Degree, r.Justification = t.Degree, t.Justification
				}
			}
			if r.Degree != "" {
				n++
				r.Field = "ticks #" + strconv.Itoa(n)
			}
			rows[dim] = append(rows[dim], r)
		}
	}
	return rows
}

func degreeRank(d string) int {
	for i, x := range isms.HarmDegrees {
		if x == d {
			return i + 1
		}
	}
	return 0
}

// ticksFromForm reads the tick form: for each dimension and object, a
// degree (deg.DIM.OBJECT) and its justification (why.DIM.OBJECT).
func ticksFromForm(f url.Values) service.GradingInput {
	in := service.GradingInput{Ticks: []isms.HarmTick{}}
	for _, dim := range isms.GradingDimensions {
		for _, o := range isms.HarmObjects {
			deg := f.Get("deg." + dim + "." + o)
			why := f.Get("why." + dim + "." + o)
			if deg == "" {
				continue
			}
			in.Ticks = append(in.Ticks, isms.HarmTick{Dimension: dim, Object: o, Degree: deg, Justification: why})
		}
	}
	in.Level, _ = strconv.Atoi(f.Get("level"))
	return in
}

func (wb *Web) gradingData(r *req) (page, error) {
	x, err := wb.svc.Grading(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return page{}, err
	}
	d := gradingData{GradingDetail: x, Rows: tickRows(x.Matrix, x.Grading.Ticks), Dims: isms.GradingDimensions,
		Degrees: isms.HarmDegrees, Forms: isms.FilingForms, CanManage: x.CanEdit, Marks: map[string]string{}}
	for _, t := range x.Grading.Ticks {
		mark := map[string]string{isms.DimBusiness: "S", isms.DimService: "A"}[t.Dimension]
		if k := t.Object + "." + t.Degree; d.Marks[k] == "" {
			d.Marks[k] = mark
		} else {
			d.Marks[k] += " " + mark
		}
	}
	f := map[string]string{"on": x.Today, "submitted_on": x.Today, "decided_on": x.Today, "issued_on": x.Today,
		"authority": x.Object.Authority, "template": isms.Form2025, "effective_on": x.Today}
	if x.Grading.Level > 0 {
		f["level"] = strconv.Itoa(x.Grading.Level)
	}
	return page{Title: "ui.grading.title", Data: d, Form: f}, nil
}

func (wb *Web) gradingPage(w http.ResponseWriter, r *req) error {
	p, err := wb.gradingData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "mlps/grading", p)
}

// gradingError shows the grading page again with an error and the typed
// values.
func (wb *Web) gradingError(w http.ResponseWriter, r *req, err error, f url.Values) error {
	p, perr := wb.gradingData(r)
	if perr != nil {
		return perr
	}
	for k, v := range f {
		if len(v) > 0 {
			p.Form[k] = v[0]
		}
	}
	return wb.formError(w, r, "mlps/grading", p, err)
}

func (wb *Web) saveGrading(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := ticksFromForm(f)
	if _, err := wb.svc.SaveGrading(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		p, perr := wb.gradingData(r)
		if perr != nil {
			return perr
		}
		d := p.Data.(gradingData)
		d.Rows = tickRows(d.Matrix, in.Ticks)
		p.Data = d
		p.Form["level"] = f.Get("level")
		return wb.formError(w, r, "mlps/grading", p, err)
	}
	return redirect(w, r, "/gradings/"+r.PathValue("id"), "ui.flash.saved")
}

func (wb *Web) submitGrading(w http.ResponseWriter, r *req) error {
	if _, err := wb.svc.SubmitGrading(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		return wb.gradingError(w, r, err, nil)
	}
	return redirect(w, r, "/gradings/"+r.PathValue("id"), "ui.flash.saved")
}

func (wb *Web) discardGrading(w http.ResponseWriter, r *req) error {
	x, err := wb.svc.Grading(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := wb.svc.DiscardGrading(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		return wb.gradingError(w, r, err, nil)
	}
	return redirect(w, r, "/mlps/"+x.Object.ID, "ui.flash.deleted")
}

func (wb *Web) reviewGrading(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.ExpertReview{Experts: f.Get("experts"), On: f.Get("on"), Conclusion: f.Get("conclusion"), Opinions: f.Get("opinions")}
	if _, err := wb.svc.RecordExpertReview(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		return wb.gradingError(w, r, err, f)
	}
	return redirect(w, r, "/gradings/"+r.PathValue("id"), "ui.flash.saved")
}

func (wb *Web) authorityGrading(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.AuthorityDecision{Authority: f.Get("authority"), On: f.Get("on"), Decision: f.Get("decision"), Opinion: f.Get("opinion")}
	if _, err := wb.svc.RecordAuthorityDecision(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		return wb.gradingError(w, r, err, f)
	}
	return redirect(w, r, "/gradings/"+r.PathValue("id"), "ui.flash.saved")
}

func (wb *Web) submitFiling(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.Filing{Bureau: f.Get("bureau"), SubmittedOn: f.Get("submitted_on"), Template: f.Get("template")}
	if _, err := wb.svc.SubmitFiling(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		return wb.gradingError(w, r, err, f)
	}
	return redirect(w, r, "/gradings/"+r.PathValue("id")+"#filings", "ui.flash.saved")
}

func (wb *Web) decideFiling(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.FilingOutcome{Outcome: f.Get("outcome"), DecidedOn: f.Get("decided_on"), Reasons: f.Get("reasons"),
		Regrade: f.Get("regrade") == "1"}
	fl, err := wb.svc.DecideFiling(r.Context(), r.Actor, r.PathValue("id"), in)
	if err != nil {
		if fl.GradingID == "" {
			return err
		}
		r.SetPathValue("id", fl.GradingID)
		return wb.gradingError(w, r, err, f)
	}
	return redirect(w, r, "/gradings/"+fl.GradingID+"#filings", "ui.flash.saved")
}

func (wb *Web) recordCertificate(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.Certificate{Number: f.Get("number"), Bureau: f.Get("bureau"), IssuedOn: f.Get("issued_on")}
	c, err := wb.svc.RecordCertificate(r.Context(), r.Actor, r.PathValue("id"), in)
	if err != nil {
		gradingID := f.Get("grading_id")
		if !isms.ValidID(gradingID) {
			return err
		}
		r.SetPathValue("id", gradingID)
		return wb.gradingError(w, r, err, f)
	}
	return redirect(w, r, "/gradings/"+c.GradingID+"#filings", "ui.flash.saved")
}

func (wb *Web) addGradingEvidence(w http.ResponseWriter, r *req) error {
	in, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	if _, err := wb.svc.AddMLPSEvidence(r.Context(), r.Actor, isms.EvidenceGrading, r.PathValue("id"), in, name, file); err != nil {
		return wb.gradingError(w, r, err, url.Values{"title": {in.Title}, "effective_on": {in.EffectiveOn},
			"expires_on": {in.ExpiresOn}, "record_number": {in.RecordNumber}})
	}
	return redirect(w, r, "/gradings/"+r.PathValue("id")+"#attachments", "ui.flash.saved")
}

func (wb *Web) deleteGradingEvidence(w http.ResponseWriter, r *req) error {
	if err := wb.svc.DeleteEvidence(r.Context(), r.Actor, r.PathValue("eid")); err != nil {
		return err
	}
	return redirect(w, r, "/gradings/"+r.PathValue("id")+"#attachments", "ui.flash.deleted")
}

type formData struct {
	Form      isms.FilledForm
	GradingID string
	Forms     []string
	CanManage bool
}

// formTemplate is the form asked for: ?template=, else the 2025 form.
func formTemplate(r *req) string {
	if t := r.URL.Query().Get("template"); t == isms.FormClassic {
		return t
	}
	return isms.Form2025
}

// filingForm shows a filing form filled from the data, printable on A4;
// the fields the data leaves blank are typed in and saved here.
func (wb *Web) filingForm(w http.ResponseWriter, r *req) error {
	f, err := wb.svc.FilingForm(r.Context(), r.Actor, r.PathValue("id"), formTemplate(r))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "mlps/form", page{Title: "ui.grading.filing_form", Data: formData{Form: f,
		GradingID: r.PathValue("id"), Forms: isms.FilingForms, CanManage: r.Actor.Can(isms.ActManageMLPS)}})
}

func (wb *Web) saveFilingForm(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	template := f.Get("template")
	values := map[string]string{}
	for k, v := range f {
		if key, ok := strings.CutPrefix(k, "f."); ok && len(v) > 0 {
			values[key] = v[0]
		}
	}
	if err := wb.svc.SaveFormFields(r.Context(), r.Actor, r.PathValue("id"), template, values); err != nil {
		if isms.ErrorCode(err) != isms.CodeInvalid {
			return err
		}
		filled, ferr := wb.svc.FilingForm(r.Context(), r.Actor, r.PathValue("id"), template)
		if ferr != nil {
			return ferr
		}
		return wb.formError(w, r, "mlps/form", page{Title: "ui.grading.filing_form", Data: formData{Form: filled,
			GradingID: r.PathValue("id"), Forms: isms.FilingForms, CanManage: true}}, err)
	}
	return redirect(w, r, "/gradings/"+r.PathValue("id")+"/form?template="+url.QueryEscape(template), "ui.flash.saved")
}

// filingFormFile downloads a filled filing form as a Word document or a
// workbook.
func (wb *Web) filingFormFile(kind string) func(w http.ResponseWriter, r *req) error {
	return func(w http.ResponseWriter, r *req) error {
		f, err := wb.svc.FilingForm(r.Context(), r.Actor, r.PathValue("id"), formTemplate(r))
		if err != nil {
			return err
		}
		name := f.Title + " " + f.Object
		if kind == "docx" {
			export.Attach(w.Header(), name+".docx", export.DOCXContentType)
			return export.FilingFormDOCX(w, f)
		}
		export.Attach(w.Header(), name+".xlsx", export.ContentType)
		return export.FilingFormXLSX(w, f)
	}
}

// saveMaterials records the materials checklists of a grading: for each
// item a choice (有/无, or nothing to leave it as it is), a note and
// perhaps a file.
func (wb *Web) saveMaterials(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActManageMLPS); err != nil {
		return err
	}
	x, err := wb.svc.Grading(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	var in []service.MaterialInput
	for _, c := range x.Materials {
		for _, e := range c.Entries {
			p := "m." + c.Checklist + "." + e.Item.Key + "."
			choice, note := r.FormValue(p+"present"), strings.TrimSpace(r.FormValue(p+"note"))
			if _, sent := r.Form[p+"note"]; !sent {
				note = e.Material.Note // a field not sent leaves it as it is
			}
			present := e.Material.Present // and so does no choice
			if choice != "" {
				present = choice == "1"
			}
			mi := service.MaterialInput{Checklist: c.Checklist, Item: e.Item.Key, Present: present, Note: note}
			if f, h, err := r.FormFile(p + "file"); err == nil {
				defer f.Close()
				mi.Filename, mi.File = h.Filename, f
			}
			unchanged := present == e.Material.Present && note == e.Material.Note && (e.Material.ID != "" || choice == "")
			if mi.File != nil || !unchanged {
				in = append(in, mi)
			}
		}
	}
	if len(in) > 0 {
		if err := wb.svc.SaveMaterials(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
			return wb.gradingError(w, r, err, nil)
		}
	}
	return redirect(w, r, "/gradings/"+r.PathValue("id")+"#materials", "ui.flash.saved")
}

// gradingReport shows a grading's report (定级报告), printable.
func (wb *Web) gradingReport(w http.ResponseWriter, r *req) error {
	rep, err := wb.svc.GradingReport(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "mlps/report", page{Title: "ui.grading.report", Data: map[string]any{"Report": rep,
		"GradingID": r.PathValue("id")}})
}

func (wb *Web) gradingReportDOCX(w http.ResponseWriter, r *req) error {
	rep, err := wb.svc.GradingReport(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	export.Attach(w.Header(), rep.Title+".docx", export.DOCXContentType)
	return export.ReportDOCX(w, rep)
}

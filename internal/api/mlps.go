package api

import (
	"net/http"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// MLPS: grading objects, their gradings through review, approval and
// filing, the bureau's answers and the certificates.

func (a *API) listMLPSObjects(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	os, err := a.svc.MLPSObjects(r.Context(), actor, store.MLPSObjectFilter{Type: q.Get("type"), Q: q.Get("q"),
		Status: q.Get("status"), DeptID: q.Get("department_id")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.MLPSObject]{Items: nonNil(os)})
}

func (a *API) saveMLPSObject(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.MLPSObject
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := a.svc.SaveMLPSObject(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if r.PathValue("id") == "" {
		status = http.StatusCreated
	}
	return writeJSON(w, status, o)
}

func (a *API) getMLPSObject(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.MLPSObject(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *API) linkMLPSAsset(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.MLPSAssetLink
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.svc.LinkMLPSAsset(r.Context(), actor, r.PathValue("id"), in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) unlinkMLPSAsset(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := a.svc.UnlinkMLPSAsset(r.Context(), actor, r.PathValue("id"), r.PathValue("asset")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) addMLPSEvidence(subject string) handler {
	return func(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
		in, name, file := evidenceForm(r)
		if file != nil {
			defer file.Close()
		}
		e, err := a.svc.AddMLPSEvidence(r.Context(), actor, subject, r.PathValue("id"), in, name, file)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusCreated, e)
	}
}

func (a *API) startGrading(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		Template string `json:"template"`
		Reason   string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	g, err := a.svc.StartGrading(r.Context(), actor, r.PathValue("id"), in.Template, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, g)
}

func (a *API) getGrading(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.Grading(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *API) putGrading(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in service.GradingInput
	if err := decode(r, &in); err != nil {
		return err
	}
	g, err := a.svc.SaveGrading(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

func (a *API) submitGrading(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	g, err := a.svc.SubmitGrading(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

func (a *API) discardGrading(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := a.svc.DiscardGrading(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) reviewGrading(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.ExpertReview
	if err := decode(r, &in); err != nil {
		return err
	}
	g, err := a.svc.RecordExpertReview(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

func (a *API) authorityGrading(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.AuthorityDecision
	if err := decode(r, &in); err != nil {
		return err
	}
	g, err := a.svc.RecordAuthorityDecision(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

func (a *API) submitFiling(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Filing
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := a.svc.SubmitFiling(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, f)
}

func (a *API) decideFiling(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.FilingOutcome
	if err := decode(r, &in); err != nil {
		return err
	}
	f, err := a.svc.DecideFiling(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

func (a *API) recordCertificate(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Certificate
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := a.svc.RecordCertificate(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (a *API) listAgencies(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	as, err := a.svc.Agencies(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Agency]{Items: nonNil(as)})
}

func (a *API) saveAgency(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Agency
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.SaveAgency(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if r.PathValue("id") == "" {
		status = http.StatusCreated
	}
	return writeJSON(w, status, x)
}

func (a *API) recordEvaluation(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Evaluation
	if err := decode(r, &in); err != nil {
		return err
	}
	e, err := a.svc.RecordEvaluation(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (a *API) correctEvaluation(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Evaluation
	if err := decode(r, &in); err != nil {
		return err
	}
	e, err := a.svc.CorrectEvaluation(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, e)
}

func (a *API) getEvaluation(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.Evaluation(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *API) addRectification(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Rectification
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.AddRectification(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, x)
}

func (a *API) fixRectification(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		On   string `json:"on"`
		Note string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.RecordFix(r.Context(), actor, r.PathValue("id"), in.On, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) verifyRectification(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		On   string `json:"on"`
		OK   bool   `json:"ok"`
		Note string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.VerifyRectification(r.Context(), actor, r.PathValue("id"), in.On, in.OK, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) getMLPSSettings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	m, err := a.svc.MLPSSettingsOf(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

func (a *API) putMLPSSettings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in service.MLPSSettings
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := a.svc.SetMLPSSettings(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

// formTemplate is the filing form asked for: ?template=classic, else 2025.
func formTemplate(r *http.Request) string {
	if t := r.URL.Query().Get("template"); t != "" {
		return t
	}
	return isms.Form2025
}

func (a *API) getFilingForm(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := a.svc.FilingForm(r.Context(), actor, r.PathValue("id"), formTemplate(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

func (a *API) putFilingForm(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in map[string]string
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.svc.SaveFormFields(r.Context(), actor, r.PathValue("id"), formTemplate(r), in); err != nil {
		return err
	}
	f, err := a.svc.FilingForm(r.Context(), actor, r.PathValue("id"), formTemplate(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, f)
}

func (a *API) filingFormFile(kind string) handler {
	return func(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
		f, err := a.svc.FilingForm(r.Context(), actor, r.PathValue("id"), formTemplate(r))
		if err != nil {
			return err
		}
		name := f.Title + " " + f.Object + "." + kind
		if kind == "docx" {
			export.Attach(w.Header(), name, export.DOCXContentType)
			return export.FilingFormDOCX(w, f)
		}
		export.Attach(w.Header(), name, export.ContentType)
		return export.FilingFormXLSX(w, f)
	}
}

func (a *API) putMaterials(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in []service.MaterialInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.svc.SaveMaterials(r.Context(), actor, r.PathValue("id"), in); err != nil {
		return err
	}
	d, err := a.svc.Grading(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d.Materials)
}

func (a *API) getGradingReport(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	rep, err := a.svc.GradingReport(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep)
}

func (a *API) gradingReportDOCX(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	rep, err := a.svc.GradingReport(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	export.Attach(w.Header(), rep.Title+".docx", export.DOCXContentType)
	return export.ReportDOCX(w, rep)
}

package api

import (
	"io"
	"net/http"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// Applied measures (控制措施), their evidence, and the coverage of each
// framework's requirements by measures.

func (a *API) listMeasures(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	ms, err := a.svc.Measures(r.Context(), actor, store.MeasureFilter{Text: q.Get("q"), DeptID: q.Get("department_id"),
		OwnerID: q.Get("owner_id"), Status: q.Get("status"), Overdue: q.Get("overdue") == "true",
		FrameworkID: q.Get("framework_id"), Ref: q.Get("ref")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Measure]{Items: nonNil(ms)})
}

func (a *API) createMeasure(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Measure
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := a.svc.SaveMeasure(r.Context(), actor, "", in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

func (a *API) getMeasure(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.Measure(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// putMeasure replaces a measure's fields; requirements, when the body
// has them, replace the measure's list (omitted: unchanged).
func (a *API) putMeasure(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Measure
	if err := decode(r, &in); err != nil {
		return err
	}
	m, err := a.svc.SaveMeasure(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

func (a *API) deleteMeasure(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := a.svc.DeleteMeasure(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// evidenceForm reads an evidence item's multipart form: title,
// effective_on, expires_on (optional), and either file or record_number.
// The caller closes the returned file, if any.
func evidenceForm(r *http.Request) (in service.EvidenceInput, name string, file io.ReadCloser) {
	in = service.EvidenceInput{Title: r.FormValue("title"), EffectiveOn: r.FormValue("effective_on"),
		ExpiresOn: r.FormValue("expires_on"), RecordNumber: r.FormValue("record_number")}
	if f, h, err := r.FormFile("file"); err == nil {
		return in, h.Filename, f
	}
	return in, "", nil
}

func (a *API) addMeasureEvidence(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	in, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	e, err := a.svc.AddMeasureEvidence(r.Context(), actor, r.PathValue("id"), in, name, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (a *API) deleteEvidence(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := a.svc.DeleteEvidence(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) frameworkCoverage(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	c, err := a.svc.ControlCoverage(r.Context(), actor, r.PathValue("id"), lang(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (a *API) coverageSummaries(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	cs, err := a.svc.CoverageSummaries(r.Context(), actor, lang(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.CoverSummary]{Items: nonNil(cs)})
}

func (a *API) controlsDashboard(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.Controls(r.Context(), actor, lang(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

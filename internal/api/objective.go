package api

import (
	"math"
	"net/http"
	"strconv"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// Security objectives and effectiveness measures: their terms, the top
// manager's approval (decided through /approvals) and measurements.

func (a *API) listObjectives(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	os, err := a.svc.Objectives(r.Context(), actor, store.ObjectiveFilter{Kind: q.Get("kind"), DeptID: q.Get("department_id"),
		Status: q.Get("status")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Objective]{Items: nonNil(os)})
}

func (a *API) createObjective(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Objective
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := a.svc.SaveObjective(r.Context(), actor, "", in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

func (a *API) getObjective(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.Objective(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *API) putObjective(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Objective
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := a.svc.SaveObjective(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *API) deleteObjective(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := a.svc.DeleteObjective(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) retireObjective(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := a.svc.RetireObjective(r.Context(), actor, r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *API) submitObjective(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	o, err := a.svc.SubmitObjective(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

// addMeasurement takes a multipart form: taken_on, value, note, and
// optionally a file or record_number as evidence.
func (a *API) addMeasurement(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	v, err := strconv.ParseFloat(r.FormValue("value"), 64)
	if err != nil {
		v = math.NaN() // refused by the service, after the permission check
	}
	in := service.MeasurementInput{TakenOn: r.FormValue("taken_on"), Value: v, Note: r.FormValue("note"),
		RecordNumber: r.FormValue("record_number")}
	_, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	m, err := a.svc.AddMeasurement(r.Context(), actor, r.PathValue("id"), in, name, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, m)
}

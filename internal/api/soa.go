package api

import (
	"net/http"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// The Statement of Applicability: the working copy on a framework (the
// organization's default is ISO/IEC 27001:2022), a requirement's line
// with its evidence, versions submitted for the top manager's approval
// (decided through /approvals), their comparison and the workbook.

func (a *API) getDefaultSoA(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	id, err := a.svc.SoAFrameworkID(r.Context(), actor)
	if err != nil {
		return err
	}
	x, err := a.svc.SoA(r.Context(), actor, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) getSoA(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	x, err := a.svc.SoA(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) getSoARow(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.SoARow(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *API) putSoARow(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in service.SoARowInput
	if err := decode(r, &in); err != nil {
		return err
	}
	row, err := a.svc.SaveSoARow(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, row)
}

func (a *API) addSoAEvidence(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	in, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	e, err := a.svc.AddSoAEvidence(r.Context(), actor, r.PathValue("id"), in, name, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (a *API) submitSoA(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		Note string `json:"note"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	v, err := a.svc.SubmitSoA(r.Context(), actor, r.PathValue("id"), in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, v)
}

func (a *API) listSoAVersions(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	vs, err := a.svc.SoAVersions(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, vs)
}

func (a *API) getSoAVersion(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	v, err := a.svc.SoAVersion(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

// diffSoA compares version from with version to (either may be
// "working"; to defaults to the working copy).
func (a *API) diffSoA(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	to := q.Get("to")
	if to == "" {
		to = service.WorkingVersion
	}
	older, newer, changes, err := a.svc.DiffSoA(r.Context(), actor, r.PathValue("id"), q.Get("from"), to)
	if err != nil {
		return err
	}
	older.Rows, newer.Rows = nil, nil
	return writeJSON(w, http.StatusOK, map[string]any{"from": older, "to": newer, "changes": changes})
}

// exportSoA writes the workbook of version (default: the latest approved;
// "working" for the working copy).
func (a *API) exportSoA(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return a.svc.ExportSoA(r.Context(), actor, r.PathValue("id"), r.URL.Query().Get("version"), func(name string) {
		export.Attach(w.Header(), name, export.ContentType)
	}, w)
}

func (a *API) transitionSoA(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	t, err := a.svc.TransitionSoA(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

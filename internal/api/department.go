package api

import (
	"net/http"

	"openisms/internal/isms"
)

type departmentInput struct {
	OrgID        string `json:"org_id"`
	ParentID     string `json:"parent_id"`
	Name         string `json:"name"`
	Code         string `json:"code"`
	HeadPersonID string `json:"head_person_id"`
}

func deptKey(d isms.Department) (string, string) { return d.Name, d.ID }

func (a *API) listDepartments(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := listFilter(r, "active", "archived", "all")
	if err != nil {
		return err
	}
	items, err := a.svc.ListDepartments(r.Context(), actor, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page(items, f.Limit, deptKey))
}

func (a *API) createDepartment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in departmentInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.OrgID == "" {
		in.OrgID = actor.OrgID
	}
	d, err := a.svc.CreateDepartment(r.Context(), actor, isms.Department{OrgID: in.OrgID, ParentID: in.ParentID,
		Name: in.Name, Code: in.Code, HeadPersonID: in.HeadPersonID})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

func (a *API) getDepartment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.Department(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *API) updateDepartment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var p isms.DepartmentPatch
	if err := decode(r, &p); err != nil {
		return err
	}
	if !isms.ValidID(r.PathValue("id")) {
		return isms.NotFound("department")
	}
	d, err := a.svc.UpdateDepartment(r.Context(), actor, r.PathValue("id"), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *API) archiveDepartment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if !isms.ValidID(r.PathValue("id")) {
		return isms.NotFound("department")
	}
	d, err := a.svc.ArchiveDepartment(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

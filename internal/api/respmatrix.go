package api

import (
	"net/http"

	"openisms/internal/export"
	"openisms/internal/isms"
)

// The responsibility matrix (职能分配表): clauses × departments.

func (a *API) getMatrix(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	m, err := a.svc.Matrix(r.Context(), actor)
	if err != nil {
		return err
	}
	m.Rows = nonNil(m.Rows)
	m.Departments = nonNil(m.Departments)
	return writeJSON(w, http.StatusOK, m)
}

type matrixRowInput struct {
	Key     string `json:"key"`
	TitleZH string `json:"title_zh"`
	TitleEN string `json:"title_en"`
}

func (a *API) addMatrixRow(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in matrixRowInput
	if err := decode(r, &in); err != nil {
		return err
	}
	row, err := a.svc.AddMatrixRow(r.Context(), actor, in.Key, in.TitleZH, in.TitleEN)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, row)
}

type matrixCellInput struct {
	RowID        string `json:"row_id"`
	DepartmentID string `json:"department_id"`
	Mark         string `json:"mark"`
}

func (a *API) putMatrixCell(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in matrixCellInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.svc.SetMatrixCell(r.Context(), actor, in.RowID, in.DepartmentID, in.Mark); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) matrixHistory(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	items, err := a.svc.MatrixHistory(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.AuditEntry]{Items: nonNil(items)})
}

// importMatrix takes an XLSX upload in the layout the export writes.
func (a *API) importMatrix(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	file, _, err := uploadedFile(r)
	if err != nil {
		return err
	}
	defer file.Close()
	n, err := a.svc.ImportMatrixXLSX(r.Context(), actor, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"changed": n})
}

func (a *API) exportMatrix(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	m, err := a.svc.Matrix(r.Context(), actor)
	if err != nil {
		return err
	}
	attachXLSX(w, "matrix.xlsx")
	return export.Matrix(w, m)
}

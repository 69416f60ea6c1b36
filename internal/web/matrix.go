package web

import (
	"net/http"

	"openisms/internal/export"
	"openisms/internal/i18n"
	"openisms/internal/isms"
)

// matrixData is the responsibility matrix page (职能分配表).
type matrixData struct {
	M       isms.Matrix
	Marks   []string
	CanEdit bool
	// NoPrimary marks the rows that need a ▲ and lack one.
	NoPrimary map[string]bool
	// ImportErrors are an import's problems in sheet order.
	ImportErrors []string
}

func (wb *Web) matrixPage(r *req) (page, error) {
	m, err := wb.svc.Matrix(r.Context(), r.Actor)
	if err != nil {
		return page{}, err
	}
	d := matrixData{M: m, Marks: []string{"", isms.MarkPrimary, isms.MarkSupport, isms.MarkNone},
		CanEdit: r.Actor.Can(isms.ActManageISMS), NoPrimary: map[string]bool{}}
	// A row needs a lead when anyone is marked on it other than "not
	// applicable", or when nothing is marked yet.
	for _, row := range m.Rows {
		primary, support := false, false
		for _, mark := range m.Cells[row.ID] {
			primary = primary || mark == isms.MarkPrimary
			support = support || mark == isms.MarkSupport
		}
		d.NoPrimary[row.ID] = !primary && (support || len(m.Cells[row.ID]) == 0)
	}
	return page{Title: "ui.matrix.title", Data: d}, nil
}

func (wb *Web) matrix(w http.ResponseWriter, r *req) error {
	p, err := wb.matrixPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "matrix/grid", p)
}

func (wb *Web) addMatrixRow(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if _, err := wb.svc.AddMatrixRow(r.Context(), r.Actor, f.Get("key"), f.Get("title_zh"), f.Get("title_en")); err != nil {
		p, perr := wb.matrixPage(r)
		if perr != nil {
			return perr
		}
		p.Form = map[string]string{"key": f.Get("key"), "title_zh": f.Get("title_zh"), "title_en": f.Get("title_en")}
		return wb.formError(w, r, "matrix/grid", p, err)
	}
	return redirect(w, r, "/matrix", "ui.flash.matrix_saved")
}

func (wb *Web) setMatrixCell(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if err := wb.svc.SetMatrixCell(r.Context(), r.Actor, f.Get("row"), f.Get("department"), f.Get("mark")); err != nil {
		p, perr := wb.matrixPage(r)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "matrix/grid", p, err)
	}
	return redirect(w, r, "/matrix#row-"+f.Get("row"), "ui.flash.matrix_saved")
}

// importMatrix applies an uploaded XLSX sheet; its problems are listed
// cell by cell above the grid and nothing is written.
func (wb *Web) importMatrix(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActManageISMS); err != nil {
		return err
	}
	p, err := wb.matrixPage(r)
	if err != nil {
		return err
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return wb.formError(w, r, "matrix/grid", p, isms.Invalid("file", isms.M("field.required")))
	}
	defer file.Close()
	n, err := wb.svc.ImportMatrixXLSX(r.Context(), r.Actor, file)
	if err != nil {
		e := isms.AsError(err)
		d := p.Data.(matrixData)
		for _, f := range e.Fields {
			d.ImportErrors = append(d.ImportErrors, i18n.T(r.Lang, f.Msg))
		}
		p.Data = d
		return wb.formError(w, r, "matrix/grid", p, err)
	}
	if p, err = wb.matrixPage(r); err != nil {
		return err
	}
	p.Flash = i18n.T(r.Lang, isms.M("ui.flash.matrix_imported", "n", n))
	return wb.render(w, r, http.StatusOK, "matrix/grid", p)
}

func (wb *Web) matrixXLSX(w http.ResponseWriter, r *req) error {
	m, err := wb.svc.Matrix(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	attachXLSX(w, wb.dated("matrix"))
	return export.Matrix(w, m)
}

func (wb *Web) matrixHistory(w http.ResponseWriter, r *req) error {
	entries, err := wb.svc.MatrixHistory(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "matrix/history", page{Title: "ui.matrix.history", Data: entries})
}

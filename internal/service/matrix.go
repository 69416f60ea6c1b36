package service

import (
	"context"
	"fmt"
	"io"
	"strings"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// Matrix reads the organization's responsibility matrix: its rows, its
// live departments (the columns) and the marks.
func (s *Service) Matrix(ctx context.Context, a isms.Actor) (isms.Matrix, error) {
	var m isms.Matrix
	if err := a.Require(isms.ActViewStructure); err != nil {
		return m, err
	}
	var err error
	if m.Rows, err = s.st.MatrixRows(ctx, a.OrgID); err != nil {
		return m, err
	}
	if m.Departments, err = s.st.ListDepartments(ctx, isms.ListFilter{OrgID: a.OrgID, Limit: isms.MaxPageSize}); err != nil {
		return m, err
	}
	m.Cells, err = s.st.MatrixCells(ctx, a.OrgID)
	return m, err
}

// AddMatrixRow appends a clause or control area.
func (s *Service) AddMatrixRow(ctx context.Context, a isms.Actor, key, titleZH, titleEN string) (isms.MatrixRow, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return isms.MatrixRow{}, err
	}
	var r isms.MatrixRow
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		r, err = s.addMatrixRow(ctx, tx, a, a.OrgID, key, titleZH, titleEN)
		return err
	})
	return r, err
}

func (s *Service) addMatrixRow(ctx context.Context, tx *store.Tx, a isms.Actor, orgID, key, titleZH, titleEN string) (isms.MatrixRow, error) {
	r := isms.MatrixRow{ID: newID(), OrgID: orgID, Key: strings.TrimSpace(key), TitleZH: strings.TrimSpace(titleZH),
		TitleEN: strings.TrimSpace(titleEN), CreatedAt: s.clock.Now()}
	var p isms.Problems
	if r.Key == "" {
		p.Add("key", "field.required")
	}
	for f, v := range map[string]string{"key": r.Key, "title_zh": r.TitleZH, "title_en": r.TitleEN} {
		if len([]rune(v)) > 200 {
			p.Add(f, "field.too_long", "max", 200)
		}
	}
	if err := p.Err(); err != nil {
		return r, err
	}
	pos, err := tx.NextMatrixPosition(ctx, orgID)
	if err != nil {
		return r, err
	}
	r.Position = pos
	if err := tx.CreateMatrixRow(ctx, &r); err != nil {
		return r, err
	}
	return r, s.record(ctx, tx, a, audit{OrgID: orgID, Action: "matrix.row_add", EntityType: "matrix_row", EntityID: r.ID,
		Summary: r.Key + " " + r.TitleZH, Data: r})
}

// SetMatrixCell sets one mark (▲, △, - or blank) of the grid.
func (s *Service) SetMatrixCell(ctx context.Context, a isms.Actor, rowID, deptID, mark string) error {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return err
	}
	mark = isms.NormalizeMark(strings.TrimSpace(mark))
	if !isms.ValidMark(mark) {
		return isms.Invalid("mark", isms.M("matrix.bad_mark", "value", mark))
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if !isms.ValidID(rowID) {
			return isms.NotFound("matrix_row")
		}
		r, err := tx.MatrixRow(ctx, rowID)
		if err == nil && r.OrgID != a.OrgID {
			err = isms.NotFound("matrix_row")
		}
		if err != nil {
			return err
		}
		if deptID == "" {
			return isms.Invalid("department_id", isms.M("ref.department_missing"))
		}
		d, err := liveDept(ctx, tx, a.OrgID, "department_id", deptID)
		if err != nil {
			return err
		}
		from, err := tx.MatrixCell(ctx, r.ID, d.ID)
		if err != nil {
			return err
		}
		return s.setCell(ctx, tx, a, r, d, from, mark)
	})
}

// setCell writes a mark that differs from before, with its trail entry
// (the matrix's history is read from these entries).
func (s *Service) setCell(ctx context.Context, tx *store.Tx, a isms.Actor, r isms.MatrixRow, d isms.Department, from, to string) error {
	if from == to {
		return nil
	}
	if err := tx.SetMatrixCell(ctx, r.ID, d.ID, to, s.clock.Now()); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: r.OrgID, Action: "matrix.set", EntityType: "matrix_row", EntityID: r.ID,
		Summary: fmt.Sprintf("%s × %s: %q → %q", r.Key, d.Name, from, to),
		Data:    map[string]string{"row": r.Key, "department": d.Name, "department_id": d.ID, "from": from, "to": to}})
}

// MatrixHistory lists the changes to the matrix, newest first, for those
// who may see it.
func (s *Service) MatrixHistory(ctx context.Context, a isms.Actor) ([]isms.AuditEntry, error) {
	if err := a.Require(isms.ActViewStructure); err != nil {
		return nil, err
	}
	return s.st.ListAudit(ctx, isms.AuditFilter{OrgID: a.OrgID, EntityType: "matrix_row", Limit: isms.MaxPageSize})
}

// ImportMatrix applies a sheet: the first row names the columns (key,
// Chinese title, English title, then one department name per column), each
// further row a clause with its marks. Rows are added when their key is
// new; marks replace the stored ones. It is all or nothing: every problem
// is reported with its row and column ("第N行 第M列") and nothing is
// written unless there are none.
func (s *Service) ImportMatrix(ctx context.Context, a isms.Actor, sheet [][]string) (changed int, err error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return 0, err
	}
	var p isms.Problems
	if len(sheet) < 2 || len(sheet[0]) < 4 {
		return 0, isms.Invalid("file", isms.M("matrix.import_shape"))
	}
	depts, err := s.st.ListDepartments(ctx, isms.ListFilter{OrgID: a.OrgID, Limit: isms.MaxPageSize})
	if err != nil {
		return 0, err
	}
	byName := map[string]isms.Department{}
	for _, d := range depts {
		byName[d.Name] = d
	}
	header := sheet[0]
	cols := make([]isms.Department, len(header))
	for c := 3; c < len(header); c++ {
		name := strings.TrimSpace(header[c])
		d, ok := byName[name]
		if !ok {
			p.Add(cellName(1, c+1), "matrix.unknown_department", "row", 1, "col", c+1, "value", name)
			continue
		}
		cols[c] = d
	}
	for i, row := range sheet[1:] {
		rn := i + 2
		if len(row) == 0 || strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		if strings.TrimSpace(row[0]) == "" {
			p.Add(cellName(rn, 1), "matrix.key_missing", "row", rn, "col", 1)
		}
		for c := 3; c < len(row) && c < len(header); c++ {
			if m := isms.NormalizeMark(strings.TrimSpace(row[c])); !isms.ValidMark(m) {
				p.Add(cellName(rn, c+1), "matrix.unknown_mark", "row", rn, "col", c+1, "value", row[c])
			}
		}
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		existing, err := tx.MatrixRows(ctx, a.OrgID)
		if err != nil {
			return err
		}
		byKey := map[string]isms.MatrixRow{}
		for _, r := range existing {
			byKey[r.Key] = r
		}
		cells, err := tx.MatrixCells(ctx, a.OrgID)
		if err != nil {
			return err
		}
		get := func(row []string, i int) string {
			if i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		for _, row := range sheet[1:] {
			key := get(row, 0)
			if key == "" {
				continue
			}
			r, ok := byKey[key]
			if !ok {
				if r, err = s.addMatrixRow(ctx, tx, a, a.OrgID, key, get(row, 1), get(row, 2)); err != nil {
					return err
				}
				byKey[key] = r
				changed++
			}
			for c := 3; c < len(header); c++ {
				to := isms.NormalizeMark(get(row, c))
				from := cells[r.ID][cols[c].ID]
				if from != to {
					changed++
				}
				if err := s.setCell(ctx, tx, a, r, cols[c], from, to); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return changed, err
}

// ImportMatrixXLSX reads the first sheet of an uploaded workbook and
// imports it (ImportMatrix).
func (s *Service) ImportMatrixXLSX(ctx context.Context, a isms.Actor, r io.Reader) (int, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return 0, err
	}
	sheet, err := export.ReadSheet(r)
	if err != nil {
		return 0, err
	}
	return s.ImportMatrix(ctx, a, sheet)
}

// cellName is a spreadsheet-style position for field errors: "R3C5".
func cellName(row, col int) string { return fmt.Sprintf("R%dC%d", row, col) }

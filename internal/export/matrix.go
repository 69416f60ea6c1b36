package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
)

// MatrixHeaders are the fixed first columns of a matrix sheet; one column
// per department follows. ReadSheet + service.ImportMatrix read the same
// layout back, so an export edited in Excel imports as it is.
var MatrixHeaders = []string{"编号 No.", "名称 Title", "英文名 English"}

// Matrix writes the responsibility matrix as one sheet.
func Matrix(w io.Writer, m isms.Matrix) error {
	b, err := newBook("Sheet1")
	if err != nil {
		return err
	}
	defer b.Close()
	heads := append([]string{}, MatrixHeaders...)
	for _, d := range m.Departments {
		heads = append(heads, d.Name)
	}
	if err := b.header(heads); err != nil {
		return err
	}
	for _, r := range m.Rows {
		row := []any{r.Key, r.TitleZH, r.TitleEN}
		for _, d := range m.Departments {
			row = append(row, m.Cells[r.ID][d.ID])
		}
		if err := b.put(row...); err != nil {
			return err
		}
	}
	return b.finish(w)
}

// MaxSheetRows bounds what ReadSheet accepts: a matrix or register is
// hundreds of rows, not a million.
const MaxSheetRows = 20000

// ReadSheet reads the first sheet of an XLSX file as text cells.
func ReadSheet(r io.Reader) ([][]string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, isms.Invalid("file", isms.M("import.not_xlsx"))
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, isms.Invalid("file", isms.M("import.not_xlsx"))
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, fmt.Errorf("read sheet: %w", err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		if len(out) >= MaxSheetRows {
			return nil, isms.Invalid("file", isms.M("import.too_many_rows", "max", MaxSheetRows))
		}
		cols, err := rows.Columns()
		if err != nil {
			return nil, isms.Invalid("file", isms.M("import.not_xlsx"))
		}
		out = append(out, cols)
	}
	return out, rows.Error()
}

package export

import (
	"io"
	"mime"
	"net/http"

	"github.com/xuri/excelize/v2"
)

// ContentType is the media type of the workbooks this package writes,
// DOCXContentType that of its Word documents.
const (
	ContentType     = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	DOCXContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)

// Attach sets a response's headers for a download of contentType saved
// as filename (any characters: encoded as RFC 2231 asks).
func Attach(h http.Header, filename, contentType string) {
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
}

// book is a new workbook with one sheet whose rows are streamed, one
// after another, so a long register never sits in memory.
type book struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

// newBook starts a workbook whose one sheet is named sheet. Close it
// when done.
func newBook(sheet string) (*book, error) {
	f := excelize.NewFile()
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			f.Close()
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &book{f: f, sw: sw}, nil
}

func (b *book) Close() error { return b.f.Close() }

// put writes the next row.
func (b *book) put(vals ...any) error {
	b.row++
	cell, _ := excelize.CoordinatesToCellName(1, b.row)
	return b.sw.SetRow(cell, vals)
}

// header writes a row of headings.
func (b *book) header(heads []string) error {
	row := make([]any, len(heads))
	for i, h := range heads {
		row[i] = h
	}
	return b.put(row...)
}

// flush ends the stream; the sheet takes other settings after it.
func (b *book) flush() error { return b.sw.Flush() }

// finish ends the stream and writes the workbook to w.
func (b *book) finish(w io.Writer) error {
	if err := b.flush(); err != nil {
		return err
	}
	return b.f.Write(w)
}

// putPages writes a row for each item of the pages next yields (empty at
// the end).
func putPages[T any](b *book, next func() ([]T, error), row func(T) []any) error {
	for {
		page, err := next()
		if err != nil || len(page) == 0 {
			return err
		}
		for _, x := range page {
			if err := b.put(row(x)...); err != nil {
				return err
			}
		}
	}
}

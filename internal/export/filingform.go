package export

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
)

// Filing forms (备案表) as a workbook — the cover and each table on its
// own sheet, label beside value, 表六 one row per data category — and as
// a Word document: A4, the form's title, the object, then each table with
// its label and value columns, the way the authorities lay them out.

// FilingFormXLSX writes a filled filing form as a workbook.
func FilingFormXLSX(w io.Writer, f isms.FilledForm) error {
	x := excelize.NewFile()
	defer x.Close()
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	wrap, err := x.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	sheets := append([]isms.FilledTable{{ID: "cover", Title: "封面", Rows: [][]isms.FormCell{f.Cover}}}, f.Tables...)
	for i, t := range sheets {
		name := sheetName(t.Title)
		if i == 0 {
			if err := x.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := x.NewSheet(name); err != nil {
			return err
		}
		if len(t.Rows) != 1 || t.ID == "t6" {
			// A repeated table: one column per field, one row per item.
			_ = x.SetCellValue(name, "A1", t.Title)
			_ = x.SetCellStyle(name, "A1", "A1", bold)
			for c, label := range t.Labels {
				ref, _ := excelize.CoordinatesToCellName(c+1, 2)
				_ = x.SetCellValue(name, ref, label)
				_ = x.SetCellStyle(name, ref, ref, bold)
				col, _ := excelize.ColumnNumberToName(c + 1)
				_ = x.SetColWidth(name, col, col, 16)
			}
			for r, row := range t.Rows {
				for c, cell := range row {
					ref, _ := excelize.CoordinatesToCellName(c+1, r+3)
					_ = x.SetCellValue(name, ref, cell.Value)
					_ = x.SetCellStyle(name, ref, ref, wrap)
				}
			}
			continue
		}
		_ = x.SetCellValue(name, "A1", t.Title)
		_ = x.SetCellStyle(name, "A1", "A1", bold)
		_ = x.SetColWidth(name, "A", "A", 40)
		_ = x.SetColWidth(name, "B", "B", 60)
		for r, cell := range t.Rows[0] {
			a, b := fmt.Sprintf("A%d", r+2), fmt.Sprintf("B%d", r+2)
			_ = x.SetCellValue(name, a, cell.Label)
			_ = x.SetCellStyle(name, a, a, bold)
			_ = x.SetCellValue(name, b, cell.Value)
			_ = x.SetCellStyle(name, b, b, wrap)
		}
	}
	return x.Write(w)
}

// sheetName is a table's title as a sheet name: at most 31 characters,
// none of the characters sheet names refuse.
func sheetName(title string) string {
	name := strings.NewReplacer("/", "／", "\\", "＼", "?", "？", "*", "＊", "[", "【", "]", "】", ":", "：").Replace(title)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	return name
}

// FilingFormDOCX writes a filled filing form as a Word document. The
// package is the minimum Word opens: content types, the package
// relationship and the document, whose tables carry their own borders.
func FilingFormDOCX(w io.Writer, f isms.FilledForm) error {
	var body strings.Builder
	para(&body, f.Title, true, 32, "center")
	para(&body, f.Object, false, 21, "center")
	table(&body, "", nil, [][]isms.FormCell{f.Cover})
	for _, t := range f.Tables {
		para(&body, t.Title, true, 24, "left")
		table(&body, t.ID, t.Labels, t.Rows)
	}
	return writeDOCX(w, body.String())
}

// ReportDOCX writes a generated report (the grading report) as a Word
// document: title, subtitle, headings, paragraphs and bordered tables.
func ReportDOCX(w io.Writer, r isms.Report) error {
	var body strings.Builder
	para(&body, r.Title, true, 36, "center")
	para(&body, r.Subtitle, false, 21, "center")
	for _, s := range r.Sections {
		size := 28
		if s.Level > 1 {
			size = 24
		}
		para(&body, s.Heading, true, size, "left")
		for _, p := range s.Paras {
			para(&body, p, false, 21, "both")
		}
		if len(s.Table) > 0 {
			rows := make([][]isms.FormCell, len(s.Table)-1)
			for i, row := range s.Table[1:] {
				for _, v := range row {
					rows[i] = append(rows[i], isms.FormCell{Value: v})
				}
			}
			table(&body, "t6", s.Table[0], rows)
		}
	}
	return writeDOCX(w, body.String())
}

// writeDOCX packs a document body as a Word file.
func writeDOCX(w io.Writer, body string) error {
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1247" w:bottom="1440" w:left="1247"` +
		` w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`
	z := zip.NewWriter(w)
	for _, part := range []struct{ name, data string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
			`</Relationships>`},
		{"word/document.xml", doc},
	} {
		pw, err := z.Create(part.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(pw, part.data); err != nil {
			return err
		}
	}
	return z.Close()
}

// esc escapes text for WordprocessingML.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// run is a run of text in the form's Chinese font, size in half-points.
func run(text string, bold bool, size int) string {
	props := `<w:rFonts w:ascii="SimSun" w:hAnsi="SimSun" w:eastAsia="SimSun"/>`
	if bold {
		props += `<w:b/>`
	}
	props += fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, size, size)
	return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r>`
}

func para(b *strings.Builder, text string, bold bool, size int, align string) {
	b.WriteString(`<w:p><w:pPr><w:jc w:val="` + align + `"/><w:spacing w:before="120" w:after="120"/></w:pPr>` +
		run(text, bold, size) + `</w:p>`)
}

// table writes a form table: label and value columns, or for a repeated
// table (表六, a report's tables: id "t6") a header row of labels and a
// row per item.
func table(b *strings.Builder, id string, labels []string, rows [][]isms.FormCell) {
	const border = `<w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/>` +
		`<w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/>` +
		`<w:insideV w:val="single" w:sz="4"/></w:tblBorders>`
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/>` + border + `</w:tblPr>`)
	cell := func(text string, bold bool) {
		b.WriteString(`<w:tc><w:p>` + run(text, bold, 21) + `</w:p></w:tc>`)
	}
	if id == "t6" || len(rows) > 1 {
		b.WriteString(`<w:tr>`)
		for _, l := range labels {
			cell(l, true)
		}
		b.WriteString(`</w:tr>`)
		for _, row := range rows {
			b.WriteString(`<w:tr>`)
			for _, c := range row {
				cell(c.Value, false)
			}
			b.WriteString(`</w:tr>`)
		}
		if len(rows) == 0 {
			b.WriteString(`<w:tr>`)
			for range labels {
				cell("—", false)
			}
			b.WriteString(`</w:tr>`)
		}
	} else {
		for _, c := range rows[0] {
			b.WriteString(`<w:tr>`)
			cell(c.Label, true)
			cell(c.Value, false)
			b.WriteString(`</w:tr>`)
		}
	}
	b.WriteString(`</w:tbl>`)
}

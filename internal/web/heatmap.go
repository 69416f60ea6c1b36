package web

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"openisms/internal/i18n"
	"openisms/internal/isms"
)

// heatMapSVG draws the register's heat map: risks per likelihood × loss
// cell, likelihood growing upwards and loss to the right; each cell links
// to the register filtered by it and the chosen cell is outlined. It is
// written here rather than in the template for the reason given at
// registerRows: 25 cells of ten actions each would cost more than the
// rest of the page.
func heatMapSVG(lang string, q url.Values, counts [5][5]int, on [2]int) template.HTML {
	var b strings.Builder
	b.Grow(6000)
	base := riskQuery(q, "offset", "cell_l", "cell_f")
	b.WriteString(`<svg viewBox="0 0 260 270" width="260" height="270" role="img" aria-label="`)
	b.WriteString(template.HTMLEscapeString(i18n.T(lang, isms.M("ui.risk.heat_map"))))
	b.WriteString(`">`)
	for l := 5; l >= 1; l-- {
		for f := 1; f <= 5; f++ {
			x, y, n := 30+(f-1)*44, 8+(5-l)*44, counts[l-1][f-1]
			base.Set("cell_l", strconv.Itoa(l))
			base.Set("cell_f", strconv.Itoa(f))
			stroke, width := "#fff", "1"
			if on == [2]int{l, f} {
				stroke, width = "#1f2d3d", "3"
			}
			b.WriteString("\n  <a href=\"/risks?")
			b.WriteString(template.HTMLEscapeString(base.Encode()))
			b.WriteString(`"><rect x="` + strconv.Itoa(x) + `" y="` + strconv.Itoa(y) + `" width="42" height="42" fill="` + heatFill(l, f) +
				`" stroke="` + stroke + `" stroke-width="` + width + `"><title>L` + strconv.Itoa(l) + ` × F` + strconv.Itoa(f) + `: ` +
				strconv.Itoa(n) + `</title></rect><text x="` + strconv.Itoa(x+21) + `" y="` + strconv.Itoa(y+26) +
				`" text-anchor="middle" font-size="14" fill="#1f2d3d">`)
			if n > 0 {
				b.WriteString(strconv.Itoa(n))
			}
			b.WriteString(`</text></a>`)
		}
	}
	b.WriteString("\n  <text x=\"140\" y=\"240\" text-anchor=\"middle\" font-size=\"12\" fill=\"#555\">")
	b.WriteString(template.HTMLEscapeString(i18n.T(lang, isms.M("ui.risk.loss"))))
	b.WriteString(" →</text>\n  <text x=\"12\" y=\"120\" text-anchor=\"middle\" font-size=\"12\" fill=\"#555\" transform=\"rotate(-90 12 120)\">")
	b.WriteString(template.HTMLEscapeString(i18n.T(lang, isms.M("ui.risk.likelihood"))))
	b.WriteString(" →</text>\n</svg>")
	return template.HTML(b.String()) //nolint:gosec // the labels are escaped, the rest is numbers and our colours
}

// heatFill colours a cell by likelihood × loss.
func heatFill(l, f int) string {
	switch p := l * f; {
	case p >= 20:
		return "#c0392b"
	case p >= 12:
		return "#e67e22"
	case p >= 6:
		return "#f1c40f"
	case p >= 3:
		return "#9ccc65"
	}
	return "#66bb6a"
}

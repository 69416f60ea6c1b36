package web

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// barSeries is one coloured part of a stacked bar, with its label for the
// legend.
type barSeries struct {
	Label string
	Color string
}

// stackedBars draws one horizontal bar per row, its parts stacked in the
// series' order and scaled to the largest row's total; each part carries
// its count as a tooltip and, when wide enough, as text. Drawn on the
// server: it prints and needs no script.
func stackedBars(title string, rows []string, values [][]int, series []barSeries) template.HTML {
	if len(rows) == 0 {
		return ""
	}
	const width, labelW, barH, gap, top = 560.0, 110.0, 18.0, 8.0, 26.0
	maxTotal := 1
	for _, vs := range values {
		t := 0
		for _, v := range vs {
			t += v
		}
		maxTotal = max(maxTotal, t)
	}
	h := top + float64(len(rows))*(barH+gap) + 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s">`,
		width, h, width, h, html.EscapeString(title))
	// Legend.
	x := labelW
	for _, s := range series {
		fmt.Fprintf(&b, `<rect x="%.1f" y="6" width="10" height="10" fill="%s"/><text x="%.1f" y="15" font-size="11" fill="#3e4c59">%s</text>`,
			x, s.Color, x+14, html.EscapeString(s.Label))
		x += 14 + float64(len([]rune(s.Label)))*11 + 18
	}
	scale := (width - labelW - 40) / float64(maxTotal)
	for i, label := range rows {
		y := top + float64(i)*(barH+gap)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="12" fill="#1f2933">%s</text>`, labelW-8, y+barH-5,
			html.EscapeString(truncate(label, 8)))
		x := labelW
		total := 0
		for j, v := range values[i] {
			total += v
			if v == 0 {
				continue
			}
			w := float64(v) * scale
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.0f" fill="%s"><title>%s: %d</title></rect>`,
				x, y, w, barH, series[j].Color, html.EscapeString(series[j].Label), v)
			if w >= 22 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle" font-size="11" fill="#fff">%d</text>`, x+w/2, y+barH-5, v)
			}
			x += w
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="#5f6b7a">%d</text>`, x+4, y+barH-5, total)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// truncate shortens a label to n characters with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

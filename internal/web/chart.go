package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"time"

	"openisms/internal/isms"
)

// measurementChart draws an objective's measurements over time as an
// inline SVG: the values as a line with a dot per measurement (green when
// it meets the target, amber in the warning band, red beyond), the target
// as a dashed line and the warning threshold as a dotted one. Drawn on the
// server so it prints, needs no script and shows in every browser.
func measurementChart(o isms.Objective, ms []isms.Measurement) template.HTML {
	if len(ms) == 0 {
		return ""
	}
	const w, h, left, right, top, bottom = 640.0, 220.0, 56.0, 16.0, 14.0, 30.0
	day := func(s string) float64 {
		t, _ := time.Parse(time.DateOnly, s)
		return float64(t.Unix() / 86400)
	}
	// ms come oldest first; several on one day keep their order.
	x0, x1 := day(ms[0].TakenOn), day(ms[len(ms)-1].TakenOn)
	lo, hi := o.Target, o.Target
	if o.Threshold != nil {
		lo, hi = math.Min(lo, *o.Threshold), math.Max(hi, *o.Threshold)
	}
	for _, m := range ms {
		lo, hi = math.Min(lo, m.Value), math.Max(hi, m.Value)
	}
	pad := (hi - lo) * 0.1
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.1, 1)
	}
	lo, hi = lo-pad, hi+pad
	px := func(d float64) float64 {
		if x1 == x0 {
			return left + (w-left-right)/2
		}
		return left + (d-x0)/(x1-x0)*(w-left-right)
	}
	py := func(v float64) float64 { return top + (hi-v)/(hi-lo)*(h-top-bottom) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-label="%s">`,
		w, h, w, h, html.EscapeString(o.Statement))
	fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#fff" stroke="#d8dee6"/>`, left, top,
		w-left-right, h-top-bottom)
	// Three value ticks.
	for i := 0; i <= 2; i++ {
		v := lo + (hi-lo)*float64(i)/2
		y := py(v)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#eef1f5"/>`, left, w-right, y, y)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="11" fill="#5f6b7a">%s</text>`, left-6, y+4,
			html.EscapeString(trimFloat(v)))
	}
	line := func(v float64, color, dash, label string) {
		y := py(v)
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-dasharray="%s"/>`, left, w-right,
			y, y, color, dash)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="11" fill="%s">%s</text>`, w-right-4, y-4,
			color, html.EscapeString(label))
	}
	line(o.Target, "#1f7a3a", "6 4", "▲ "+isms.FormatValue(o.Target)+o.Unit)
	if o.Threshold != nil {
		line(*o.Threshold, "#b26a00", "2 3", "△ "+isms.FormatValue(*o.Threshold)+o.Unit)
	}
	pts := make([]string, len(ms))
	for i, m := range ms {
		pts[i] = fmt.Sprintf("%.1f,%.1f", px(day(m.TakenOn)), py(m.Value))
	}
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#1d5b94" stroke-width="2" points="%s"/>`, strings.Join(pts, " "))
	for _, m := range ms {
		state, _ := o.Assess(&m, m.TakenOn)
		color := map[string]string{isms.StateMet: "#1f7a3a", isms.StateAtRisk: "#b26a00"}[state]
		if color == "" {
			color = "#b3261e"
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4" fill="%s"><title>%s: %s%s</title></circle>`, px(day(m.TakenOn)),
			py(m.Value), color, m.TakenOn, html.EscapeString(isms.FormatValue(m.Value)), html.EscapeString(o.Unit))
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" fill="#5f6b7a">%s</text>`, left, h-10, ms[0].TakenOn)
	if len(ms) > 1 {
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end" font-size="11" fill="#5f6b7a">%s</text>`, w-right, h-10,
			ms[len(ms)-1].TakenOn)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec G203 -- every text above is escaped
}

// trimFloat prints a tick value with at most two decimals.
func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

package web

import (
	"net/url"
	"strings"
	"testing"

	"openisms/internal/i18n"
	"openisms/internal/isms"
)

// The register's rows, heat map and filter options are written in Go, not
// by html/template: every text must still come out escaped, and the rows
// must say what the template used to.
func TestRegisterWrittenInGo(t *testing.T) {
	lines := []isms.RiskLine{{ID: "r1", N: 7, AssetCode: "ZC-1", AssetName: `<script>alert("x")</script>`, Threat: "T&T",
		Vulnerability: `"quoted"`, Result: isms.RiskResult{L: 3, F: 4, R: 12, Level: 4}, Treatment: isms.TreatReduce,
		Residual: isms.RiskResult{Level: 2, Acceptable: true}, Acceptance: isms.AcceptPending, Review: "<b>changed</b>"},
		{ID: "r2", N: 8, Result: isms.RiskResult{L: 3.46, F: 4.47, R: 15.47, Level: 2, Acceptable: true}}}
	got := string(registerRows(i18n.ZH, lines))
	for _, want := range []string{
		`<a href="/risks/r1">FX-000007</a> <span class="badge warn" title="&lt;b&gt;changed&lt;/b&gt;">`,
		`<td>ZC-1 &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</td><td>T&amp;T</td><td class="wrap">&#34;quoted&#34;</td>`,
		`<td class="num">3</td><td class="num">4</td><td class="num"><strong>12</strong></td><td><span class="badge warn">4 · `,
		`<td class="num"><strong>15.47</strong></td><td><span class="badge">2 · `,
		`<span class="hint">` + i18n.T(i18n.ZH, isms.M("ui.risk.undecided")) + `</span>`,
		i18n.T(i18n.ZH, isms.M("ui.risk.treat_reduce")),
		i18n.T(i18n.ZH, isms.M("ui.risk.accept_pending")),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rows lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<script>") || strings.Count(got, "<tr>") != 2 {
		t.Errorf("rows:\n%s", got)
	}

	q := url.Values{"level": {"4"}, "offset": {"50"}, "q": {`a"b<c`}}
	var counts [5][5]int
	counts[2][3] = 17 // L3 × F4
	svg := string(heatMapSVG(i18n.EN, q, counts, [2]int{3, 4}))
	if !strings.Contains(svg, `<a href="/risks?cell_f=4&amp;cell_l=3&amp;level=4&amp;q=a%22b%3Cc"><rect x="162" y="96"`) ||
		!strings.Contains(svg, `stroke="#1f2d3d" stroke-width="3"><title>L3 × F4: 17</title>`) ||
		strings.Count(svg, "<rect") != 25 || strings.Contains(svg, "offset=") {
		t.Errorf("heat map:\n%s", svg)
	}

	opts := string(selectOptions([]option{{"", "All"}, {"a<1", "A & B"}, {"b", "B"}}, "a<1"))
	if opts != `<option value="">All</option><option value="a&lt;1" selected>A &amp; B</option><option value="b">B</option>` {
		t.Errorf("options: %s", opts)
	}
}

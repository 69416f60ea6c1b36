package web

import (
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// Risk pages: the register with its heat map, and a risk's page.

func (wb *Web) riskRoutes() []route {
	return []route{
		{"GET", "/risks", authorized, wb.riskList, false},
		{"GET", "/risks/{id}", authorized, wb.riskPage, false},
	}
}

// riskData is what the risk pages show.
type riskData struct {
	Register    service.RiskRegister     // the register's lines (register and assessment pages)
	Filters     map[string]template.HTML // the register's select options by field
	HeatMap     template.HTML            // see heatMapSVG
	Rows        template.HTML            // the register's rows, see registerRows
	Risk        isms.Risk
	Treatments  []isms.TreatmentItem
	Assessments []isms.Assessment
	Departments []isms.Department
	Names       map[string]string // assets, threats, vulnerabilities, departments by ID
	Levels      []int
	Options     []string
	Query       string
	Prev, Next  string
	ClearCell   string // the list without its heat-map cell
	// The editing pages.
	Assessment             isms.Assessment
	Method                 isms.RiskMethod // the assessment's (or the current) version
	Methods                []isms.RiskMethod
	Threats                []isms.Threat
	ThreatGroups           []threatGroup // the catalog by category, for the chooser
	Vulns                  []isms.Vulnerability
	AssetOpts              []isms.Asset // the asset chooser's suggestions
	People                 []isms.Person
	CanManage, CanMethod   bool
	Statuses               []string
	Effects, Kinds         []string
	ChangeKinds            []string
	TStatuses, Priorities  []string
	PrevStatus, NextStatus string
	Today                  string
	Overdue                int
}

// registerRows writes the register's rows. They are built here rather
// than in the template because a page of 50 rows is the register's hot
// path: html/template evaluates each of the ~900 actions by reflection
// (about 1.2 ms a page on the reference machine), this takes about 40 µs.
// Every text goes through template.HTMLEscapeString; IDs and numbers are
// ours.
func registerRows(lang string, rs []isms.RiskLine) template.HTML {
	var b strings.Builder
	b.Grow(len(rs) * 700)
	esc := func(s string) { b.WriteString(template.HTMLEscapeString(s)) }
	num := func(v float64) { b.WriteString(strconv.FormatFloat(v, 'f', -1, 64)) }
	level := func(n int, warn bool) {
		if n == 0 {
			return
		}
		b.WriteString(`<span class="badge`)
		if warn {
			b.WriteString(` warn`)
		}
		b.WriteString(`">`)
		b.WriteString(strconv.Itoa(n))
		b.WriteString(` · `)
		esc(i18n.T(lang, isms.Msg{ID: fmt.Sprintf("ui.asset.level_%d", n)}))
		b.WriteString(`</span>`)
	}
	review := i18n.T(lang, isms.M("ui.risk.review"))
	undecided := i18n.T(lang, isms.M("ui.risk.undecided"))
	for _, r := range rs {
		b.WriteString(`<tr><td class="mono"><a href="/risks/`)
		esc(r.ID)
		b.WriteString(`">`)
		esc(r.Number())
		b.WriteString(`</a>`)
		if r.Review != "" {
			b.WriteString(` <span class="badge warn" title="`)
			esc(r.Review)
			b.WriteString(`">`)
			esc(review)
			b.WriteString(`</span>`)
		}
		b.WriteString(`</td><td>`)
		esc(r.AssetCode)
		b.WriteString(` `)
		esc(r.AssetName)
		b.WriteString(`</td><td>`)
		esc(r.Threat)
		b.WriteString(`</td><td class="wrap">`)
		esc(r.Vulnerability)
		b.WriteString("</td>\n<td class=\"num\">")
		num(r.Result.L)
		b.WriteString(`</td><td class="num">`)
		num(r.Result.F)
		b.WriteString(`</td><td class="num"><strong>`)
		num(r.Result.R)
		b.WriteString(`</strong></td><td>`)
		level(r.Result.Level, !r.Result.Acceptable)
		b.WriteString(`</td><td>`)
		if r.Treatment == "" {
			b.WriteString(`<span class="hint">`)
			esc(undecided)
			b.WriteString(`</span>`)
		} else {
			esc(i18n.T(lang, isms.Msg{ID: fmt.Sprintf("ui.risk.treat_%s", r.Treatment)}))
		}
		b.WriteString(`</td><td>`)
		level(r.Residual.Level, !r.Residual.Acceptable)
		b.WriteString(`</td><td>`)
		if r.Acceptance != "" {
			esc(i18n.T(lang, isms.Msg{ID: fmt.Sprintf("ui.risk.accept_%s", r.Acceptance)}))
		}
		b.WriteString("</td></tr>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every text above is escaped
}

// threatGroup is one category of the threat catalog.
type threatGroup struct {
	Name    string
	Threats []isms.Threat
}

// groupThreats groups the catalog by category, in catalog order.
func groupThreats(ts []isms.Threat) []threatGroup {
	var out []threatGroup
	for _, t := range ts {
		if n := len(out); n > 0 && out[n-1].Name == t.Category {
			out[n-1].Threats = append(out[n-1].Threats, t)
			continue
		}
		out = append(out, threatGroup{Name: t.Category, Threats: []isms.Threat{t}})
	}
	return out
}

func riskFilterOf(q url.Values) isms.RiskFilter {
	f := isms.RiskFilter{AssessmentID: q.Get("assessment_id"), AssetID: q.Get("asset_id"), DeptID: q.Get("department_id"), Treatment: q.Get("treatment"),
		Acceptable: q.Get("acceptable"), Text: q.Get("q"), Sort: q.Get("sort"), Desc: q.Get("desc") == "1", Review: q.Get("review") == "1"}
	f.Level, _ = strconv.Atoi(q.Get("level"))
	f.CellL, _ = strconv.Atoi(q.Get("cell_l"))
	f.CellF, _ = strconv.Atoi(q.Get("cell_f"))
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	return f
}

func riskQuery(q url.Values, drop ...string) url.Values {
	out := url.Values{}
	for _, k := range []string{"q", "assessment_id", "asset_id", "department_id", "level", "treatment", "acceptable", "review", "cell_l", "cell_f", "sort", "desc", "offset"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	for _, k := range drop {
		out.Del(k)
	}
	return out
}

func (wb *Web) riskNames(r *req, d *riskData) error {
	d.Names = map[string]string{}
	var err error
	if d.Threats, d.Vulns, err = wb.svc.RiskCatalogs(r.Context(), r.Actor); err != nil {
		return err
	}
	for _, t := range d.Threats {
		d.Names[t.ID] = t.Name
	}
	for _, v := range d.Vulns {
		d.Names[v.ID] = v.Name
	}
	if d.Departments, err = wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
		return err
	}
	for _, dep := range d.Departments {
		d.Names[dep.ID] = dep.Name
	}
	if d.Assessments, err = wb.svc.AssessmentTitles(r.Context(), r.Actor); err != nil {
		return err
	}
	return nil
}

// option is one choice of a filter's select.
type option struct{ Value, Label string }

// selectOptions writes a select's options with the chosen value marked,
// for the register's filters (the reason is at registerRows).
func selectOptions(opts []option, chosen string) template.HTML {
	var b strings.Builder
	for _, o := range opts {
		b.WriteString(`<option value="`)
		b.WriteString(template.HTMLEscapeString(o.Value))
		if o.Value == chosen {
			b.WriteString(`" selected>`)
		} else {
			b.WriteString(`">`)
		}
		b.WriteString(template.HTMLEscapeString(o.Label))
		b.WriteString(`</option>`)
	}
	return template.HTML(b.String()) //nolint:gosec // values and labels are escaped
}

// registerFilters are the options of the register's filter selects.
func registerFilters(lang string, q url.Values, assessments []isms.Assessment, depts []isms.Department) map[string]template.HTML {
	all := option{"", i18n.T(lang, isms.M("ui.legal.all"))}
	xs := []option{all}
	for _, x := range assessments {
		xs = append(xs, option{x.ID, x.Title})
	}
	ds := []option{all}
	for _, d := range depts {
		ds = append(ds, option{d.ID, d.Name})
	}
	ls := []option{all}
	for n := 1; n <= 5; n++ {
		ls = append(ls, option{strconv.Itoa(n), strconv.Itoa(n) + " · " + i18n.T(lang, isms.Msg{ID: fmt.Sprintf("ui.asset.level_%d", n)})})
	}
	ts := []option{all, {"none", i18n.T(lang, isms.M("ui.risk.undecided"))}}
	for _, o := range isms.TreatmentOptions {
		ts = append(ts, option{o, i18n.T(lang, isms.Msg{ID: fmt.Sprintf("ui.risk.treat_%s", o)})})
	}
	as := []option{all, {"yes", i18n.T(lang, isms.M("ui.risk.yes"))}, {"no", i18n.T(lang, isms.M("ui.risk.no"))}}
	return map[string]template.HTML{
		"assessment_id": selectOptions(xs, q.Get("assessment_id")),
		"department_id": selectOptions(ds, q.Get("department_id")),
		"level":         selectOptions(ls, q.Get("level")),
		"treatment":     selectOptions(ts, q.Get("treatment")),
		"acceptable":    selectOptions(as, q.Get("acceptable")),
	}
}

func (wb *Web) riskList(w http.ResponseWriter, r *req) error {
	d := riskData{Names: map[string]string{}}
	var err error
	if d.Departments, err = wb.svc.DepartmentNames(r.Context(), r.Actor); err != nil {
		return err
	}
	if d.Assessments, err = wb.svc.AssessmentTitles(r.Context(), r.Actor); err != nil {
		return err
	}
	q := r.URL.Query()
	f := riskFilterOf(q)
	if d.Register, err = wb.svc.RiskLines(r.Context(), r.Actor, f); err != nil {
		return err
	}
	if f.AssetID != "" {
		if err := wb.assetNamesInto(r, d.Names, f.AssetID); err != nil {
			return err
		}
	}
	d.Rows = registerRows(r.Lang, d.Register.Lines)
	d.Filters = registerFilters(r.Lang, q, d.Assessments, d.Departments)
	d.HeatMap = heatMapSVG(r.Lang, q, d.Register.HeatMap, [2]int{f.CellL, f.CellF})
	d.Query = riskQuery(q, "offset").Encode()
	if f.CellL > 0 {
		d.ClearCell = "/risks?" + riskQuery(q, "offset", "cell_l", "cell_f").Encode()
	}
	if reg := d.Register; reg.Offset > 0 {
		p := riskQuery(q)
		p.Set("offset", strconv.Itoa(max(0, reg.Offset-reg.Limit)))
		d.Prev = "/risks?" + p.Encode()
	}
	if reg := d.Register; reg.Offset+len(reg.Lines) < reg.Total {
		p := riskQuery(q)
		p.Set("offset", strconv.Itoa(reg.Offset+reg.Limit))
		d.Next = "/risks?" + p.Encode()
	}
	form := map[string]string{}
	for k := range riskQuery(q) {
		form[k] = q.Get(k)
	}
	return wb.render(w, r, http.StatusOK, "risks/list", page{Title: "ui.risk.title", Data: d, Form: form})
}

// assetNamesInto adds the assets' labels (code and name) to names.
func (wb *Web) assetNamesInto(r *req, names map[string]string, ids ...string) error {
	labels, err := wb.svc.AssetLabels(r.Context(), r.Actor, ids...)
	if err == nil {
		maps.Copy(names, labels)
	}
	return err
}

func (wb *Web) riskPageData(r *req, id string) (page, error) {
	rk, err := wb.svc.Risk(r.Context(), r.Actor, id)
	if err != nil {
		return page{}, err
	}
	d := riskData{Risk: rk}
	if err := wb.riskNames(r, &d); err != nil {
		return page{}, err
	}
	wb.riskEditData(r, &d)
	if err := wb.loadMethods(r, &d); err != nil {
		return page{}, err
	}
	if err := wb.assetNamesInto(r, d.Names, rk.AssetID); err != nil {
		return page{}, err
	}
	if d.Treatments, err = wb.svc.Treatments(r.Context(), r.Actor, rk.ID); err != nil {
		return page{}, err
	}
	for _, x := range d.Assessments {
		d.Names[x.ID] = x.Title
		if x.ID == rk.AssessmentID {
			d.Assessment = x
		}
	}
	d.Method = d.methodOf(rk.MethodVersion)
	if d.CanManage {
		if d.People, err = wb.svc.ListPeople(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
			return page{}, err
		}
	}
	form := riskForm(rk)
	form["due_on"] = d.Today
	return page{Title: "ui.risk.title", Data: d, Form: form}, nil
}

func (wb *Web) riskPage(w http.ResponseWriter, r *req) error {
	p, err := wb.riskPageData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "risks/detail", p)
}

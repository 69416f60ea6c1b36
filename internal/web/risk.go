package web

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"

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

// heatCell is one square of the heat map.
type heatCell struct {
	X, Y, L, F, N int
	Fill, Href    string
	On            bool
}

// riskData is what the risk pages show.
type riskData struct {
	List        service.RiskList
	Cells       []heatCell
	Rows        []riskRow
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

// riskRow is one line of the register, its labels worked out in Go: a
// page of 50 rows is the register's hot path, and plain fields render
// several times faster than template calls.
type riskRow struct {
	ID, Number, Review      string
	Asset, Threat, Vuln     string
	L, F, R                 float64
	Level, Residual         string // "3 · 中"
	LevelWarn, ResidualWarn bool   // above the criterion
	Treatment, Acceptance   string
	Undecided               bool
}

func riskRows(lang string, rs []isms.Risk, names map[string]string) []riskRow {
	level := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n) + " · " + i18n.T(lang, isms.Msg{ID: fmt.Sprintf("ui.asset.level_%d", n)})
	}
	out := make([]riskRow, len(rs))
	for i, r := range rs {
		row := riskRow{ID: r.ID, Number: r.Number(), Review: r.ReviewReason, Asset: names[r.AssetID], Threat: names[r.ThreatID],
			Vuln: names[r.VulnID], L: r.Result.L, F: r.Result.F, R: r.Result.R, Level: level(r.Result.Level),
			LevelWarn: !r.Result.Acceptable, Residual: level(r.Residual.Level), ResidualWarn: !r.Residual.Acceptable,
			Undecided: r.Treatment == ""}
		if r.Treatment != "" {
			row.Treatment = i18n.T(lang, isms.Msg{ID: fmt.Sprintf("ui.risk.treat_%s", r.Treatment)})
		}
		if r.Acceptance != "" {
			row.Acceptance = i18n.T(lang, isms.Msg{ID: fmt.Sprintf("ui.risk.accept_%s", r.Acceptance)})
		}
		out[i] = row
	}
	return out
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

// heatFill colours a cell by the level its corner would usually fall in:
// greens to reds as likelihood × loss grows.
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

func (wb *Web) riskList(w http.ResponseWriter, r *req) error {
	d := riskData{Levels: []int{1, 2, 3, 4, 5}, Options: isms.TreatmentOptions}
	if err := wb.riskNames(r, &d); err != nil {
		return err
	}
	q := r.URL.Query()
	f := riskFilterOf(q)
	var err error
	if d.List, err = wb.svc.ListRisks(r.Context(), r.Actor, f, true); err != nil {
		return err
	}
	ids := make([]string, len(d.List.Risks))
	for i, rk := range d.List.Risks {
		ids[i] = rk.AssetID
	}
	if err := wb.assetNamesInto(r, d.Names, ids...); err != nil {
		return err
	}
	if f.AssetID != "" {
		if err := wb.assetNamesInto(r, d.Names, f.AssetID); err != nil {
			return err
		}
	}
	d.Rows = riskRows(r.Lang, d.List.Risks, d.Names)
	// Likelihood grows upwards, loss to the right.
	for l := 5; l >= 1; l-- {
		for fv := 1; fv <= 5; fv++ {
			cq := riskQuery(q, "offset", "cell_l", "cell_f")
			cq.Set("cell_l", strconv.Itoa(l))
			cq.Set("cell_f", strconv.Itoa(fv))
			d.Cells = append(d.Cells, heatCell{X: 30 + (fv-1)*44, Y: 8 + (5-l)*44, L: l, F: fv, N: d.List.HeatMap[l-1][fv-1],
				Fill: heatFill(l, fv), Href: "/risks?" + cq.Encode(), On: f.CellL == l && f.CellF == fv})
		}
	}
	d.Query = riskQuery(q, "offset").Encode()
	if f.CellL > 0 {
		d.ClearCell = "/risks?" + riskQuery(q, "offset", "cell_l", "cell_f").Encode()
	}
	if d.List.Offset > 0 {
		p := riskQuery(q)
		p.Set("offset", strconv.Itoa(max(0, d.List.Offset-d.List.Limit)))
		d.Prev = "/risks?" + p.Encode()
	}
	if d.List.Offset+len(d.List.Risks) < d.List.Total {
		p := riskQuery(q)
		p.Set("offset", strconv.Itoa(d.List.Offset+d.List.Limit))
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

package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"openisms/internal/isms"
)

// The risk method's settings (its versions, tables, bands and acceptance
// criterion) and the threat and vulnerability catalogs.

func (wb *Web) riskMethodRoutes() []route {
	return []route{
		{"GET", "/risks/method", authorized, wb.riskMethod, false},
		{"POST", "/risks/method", authorized, wb.saveRiskMethod, false},
		{"GET", "/risks/catalogs", authorized, wb.riskCatalogs, false},
		{"POST", "/risks/catalogs/threats", authorized, wb.saveThreat, false},
		{"POST", "/risks/catalogs/threats/{id}", authorized, wb.saveThreat, false},
		{"POST", "/risks/catalogs/vulnerabilities", authorized, wb.saveVulnerability, false},
		{"POST", "/risks/catalogs/vulnerabilities/{id}", authorized, wb.saveVulnerability, false},
	}
}

// methodForm puts a method into the form: every table the page shows
// (the defaults where this kind has none, so switching kind starts from
// sensible values), the bands and the criterion.
func methodForm(m isms.RiskMethod) map[string]string {
	def := isms.DefaultRiskMethod(isms.MethodMatrix)
	pick := func(t, d isms.Table) isms.Table {
		if len(t) == 5 {
			return t
		}
		return d
	}
	out := map[string]string{"kind": m.Kind, "combine": m.Combine, "rounding": m.Rounding, "accept_level": strconv.Itoa(m.AcceptLevel)}
	if out["combine"] == "" {
		out["combine"], out["rounding"] = isms.CombineSqrt, isms.RoundNone
	}
	for name, t := range map[string]isms.Table{"l": pick(m.LTable, def.LTable), "f": pick(m.FTable, def.FTable), "r": pick(m.RTable, def.RTable)} {
		for x, row := range t {
			for y, v := range row {
				out[fmt.Sprintf("%s_%d_%d", name, x+1, y+1)] = strconv.Itoa(v)
			}
		}
	}
	for _, b := range m.Bands {
		out[fmt.Sprintf("band_min_%d", b.Level)] = strconv.FormatFloat(b.Min, 'f', -1, 64)
		out[fmt.Sprintf("band_max_%d", b.Level)] = strconv.FormatFloat(b.Max, 'f', -1, 64)
	}
	return out
}

// methodFromForm reads the method form; only the tables the chosen kind
// uses are kept. A cell left empty or not a number reads as 0 and is
// refused by the method's validation with its place.
func methodFromForm(f url.Values) isms.RiskMethod {
	m := isms.RiskMethod{Kind: f.Get("kind")}
	m.AcceptLevel, _ = strconv.Atoi(f.Get("accept_level"))
	table := func(name string) isms.Table {
		t := make(isms.Table, 5)
		for x := range 5 {
			t[x] = make([]int, 5)
			for y := range 5 {
				t[x][y], _ = strconv.Atoi(f.Get(fmt.Sprintf("%s_%d_%d", name, x+1, y+1)))
			}
		}
		return t
	}
	switch m.Kind {
	case isms.MethodMatrix:
		m.LTable, m.FTable, m.RTable = table("l"), table("f"), table("r")
	case isms.MethodISO27005:
		m.RTable = table("r")
	case isms.MethodMultiply:
		m.Combine, m.Rounding = f.Get("combine"), f.Get("rounding")
	}
	for lvl := 1; lvl <= 5; lvl++ {
		lo, _ := strconv.ParseFloat(f.Get(fmt.Sprintf("band_min_%d", lvl)), 64)
		hi, _ := strconv.ParseFloat(f.Get(fmt.Sprintf("band_max_%d", lvl)), 64)
		m.Bands = append(m.Bands, isms.RiskBand{Level: lvl, Min: lo, Max: hi})
	}
	return m
}

func (wb *Web) riskMethodPage(r *req) (page, error) {
	d := riskData{}
	wb.riskEditData(r, &d)
	if err := wb.loadMethods(r, &d); err != nil {
		return page{}, err
	}
	return page{Title: "ui.risk.method", Data: d, Form: methodForm(d.Method)}, nil
}

func (wb *Web) riskMethod(w http.ResponseWriter, r *req) error {
	p, err := wb.riskMethodPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "risks/method", p)
}

func (wb *Web) saveRiskMethod(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	_, n, err := wb.svc.SetRiskMethod(r.Context(), r.Actor, methodFromForm(f))
	if err != nil {
		p, perr := wb.riskMethodPage(r)
		if perr != nil {
			return perr
		}
		for k := range p.Form {
			if _, typed := f[k]; typed {
				p.Form[k] = f.Get(k)
			}
		}
		p.Form["kind"] = f.Get("kind")
		return wb.formError(w, r, "risks/method", p, err)
	}
	return redirect(w, r, "/risks/method?recomputed="+strconv.Itoa(n), "ui.flash.saved")
}

// --- Catalogs ---

// riskCatalogsPage shows both catalogs; ?threat=ID or ?vulnerability=ID
// (or "new") opens that entry's form above them.
func (wb *Web) riskCatalogsPage(r *req) (page, error) {
	d := riskData{}
	wb.riskEditData(r, &d)
	if err := wb.loadCatalogs(r, &d); err != nil {
		return page{}, err
	}
	form := map[string]string{}
	q := r.URL.Query()
	if id := q.Get("threat"); id != "" && d.CanManage {
		form["edit"], form["id"], form["frequency"] = "threat", id, "3"
		for _, t := range d.Threats {
			if t.ID == id {
				form["code"], form["category"], form["name"], form["guidance"] = t.Code, t.Category, t.Name, t.Guidance
				form["frequency"] = strconv.Itoa(t.Frequency)
			}
		}
	}
	if id := q.Get("vulnerability"); id != "" && d.CanManage {
		form["edit"], form["id"], form["severity"], form["kind"] = "vulnerability", id, "3", "technical"
		for _, v := range d.Vulns {
			if v.ID == id {
				form["code"], form["kind"], form["target"], form["name"], form["guidance"] = v.Code, v.Kind, v.Target, v.Name, v.Guidance
				form["severity"] = strconv.Itoa(v.Severity)
			}
		}
	}
	return page{Title: "ui.risk.catalogs", Data: d, Form: form}, nil
}

func (wb *Web) riskCatalogs(w http.ResponseWriter, r *req) error {
	p, err := wb.riskCatalogsPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "risks/catalogs", p)
}

// catalogError re-renders the catalog page with the entry's form as typed.
func (wb *Web) catalogError(w http.ResponseWriter, r *req, typed map[string]string, err error) error {
	p, perr := wb.riskCatalogsPage(r)
	if perr != nil {
		return perr
	}
	p.Form = typed
	return wb.formError(w, r, "risks/catalogs", p, err)
}

func (wb *Web) saveThreat(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	n, _ := strconv.Atoi(f.Get("frequency"))
	in := isms.Threat{Code: f.Get("code"), Category: f.Get("category"), Name: f.Get("name"), Guidance: f.Get("guidance"), Frequency: n}
	if _, err := wb.svc.SaveThreat(r.Context(), r.Actor, id, in); err != nil {
		if id == "" {
			id = "new"
		}
		return wb.catalogError(w, r, map[string]string{"edit": "threat", "id": id, "code": in.Code, "category": in.Category,
			"name": in.Name, "guidance": in.Guidance, "frequency": f.Get("frequency")}, err)
	}
	return redirect(w, r, "/risks/catalogs#threats", "ui.flash.saved")
}

func (wb *Web) saveVulnerability(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	n, _ := strconv.Atoi(f.Get("severity"))
	in := isms.Vulnerability{Code: f.Get("code"), Kind: f.Get("kind"), Target: f.Get("target"), Name: f.Get("name"),
		Guidance: f.Get("guidance"), Severity: n}
	if _, err := wb.svc.SaveVulnerability(r.Context(), r.Actor, id, in); err != nil {
		if id == "" {
			id = "new"
		}
		return wb.catalogError(w, r, map[string]string{"edit": "vulnerability", "id": id, "code": in.Code, "kind": in.Kind,
			"target": in.Target, "name": in.Name, "guidance": in.Guidance, "severity": f.Get("severity")}, err)
	}
	return redirect(w, r, "/risks/catalogs#vulnerabilities", "ui.flash.saved")
}

package web

import (
	"html"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"openisms/internal/export"
	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// GB/T 22239 self-assessments: started on an object's page, answered on
// their own page (all items in one form, filtered by category and
// result), one item's page for its evidence and links, and closing.

func (wb *Web) mlpsSelfRoutes() []route {
	return []route{
		{"POST", "/mlps/{id}/self-assessments", authorized, wb.startSelfAssessment, false},
		{"GET", "/self-assessments/{id}", authorized, wb.selfAssessmentPage, false},
		{"POST", "/self-assessments/{id}", authorized, wb.saveSelfChecks, false},
		{"POST", "/self-assessments/{id}/close", authorized, wb.closeSelfAssessment, false},
		{"GET", "/self-assessments/{id}/export", authorized, wb.exportSelfAssessment, false},
		{"GET", "/self-assessments/{id}/items/{ref}", authorized, wb.selfCheckPage, false},
		{"POST", "/self-assessments/{id}/items/{ref}", authorized, wb.saveSelfCheck, false},
		{"POST", "/self-assessments/{id}/items/{ref}/evidence", authorized, wb.addSelfEvidence, false},
		{"POST", "/self-assessments/{id}/items/{ref}/evidence/{eid}/delete", authorized, wb.deleteSelfEvidence, false},
	}
}

func (wb *Web) startSelfAssessment(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	level, _ := strconv.Atoi(f.Get("level"))
	x, err := wb.svc.StartSelfAssessment(r.Context(), r.Actor, r.PathValue("id"),
		isms.SelfAssessment{Level: level, Extensions: f["extensions"], Title: f.Get("title")})
	if err != nil {
		return wb.mlpsObjectError(w, r, err, map[string]string{"self_title": f.Get("title"), "self_level": f.Get("level")}, nil)
	}
	return redirect(w, r, "/self-assessments/"+x.ID, "ui.flash.saved")
}

// selfRow is one line of the self-assessment table, with the headings
// that open before it.
type selfRow struct {
	Check       isms.SelfCheck
	Item        isms.RequirementNode
	Category    *isms.RequirementNode // set on the first row of a category
	Point       *isms.RequirementNode // set on the first row of a control point
	ISO         []string              // the control point's Annex A overlaps
	SoAEvidence int
}

type selfData struct {
	service.SelfAssessmentDetail
	Rows       []selfRow
	Categories []isms.RequirementNode
	Filter     url.Values
	Results    []string
	// ResultLabels names each result in the page's language, once for
	// the hundreds of rows that show it.
	ResultLabels map[string]string
	// Options are the result select's options with each value selected:
	// built once, not for each of the rows.
	Options   map[string]template.HTML
	Shown     int
	CanManage bool
}

func selfMatch(f url.Values, c isms.SelfCheck, item, cp isms.RequirementNode) bool {
	if cat := f.Get("cat"); cat != "" && cp.ParentRef != cat {
		return false
	}
	switch res := f.Get("result"); res {
	case "":
	case "open":
		if c.Result != "" {
			return false
		}
	case "gap":
		if !c.Gap() {
			return false
		}
	default:
		if c.Result != res {
			return false
		}
	}
	if q := strings.ToLower(strings.TrimSpace(f.Get("q"))); q != "" {
		hay := strings.ToLower(c.Ref + " " + item.TitleZH + " " + item.TitleEN + " " + item.OwnTitleZH + " " + cp.TitleZH + " " + cp.TitleEN + " " + c.Note)
		if !strings.Contains(hay, q) {
			return false
		}
	}
	return true
}

func (wb *Web) selfData(r *req) (page, error) {
	d, err := wb.svc.SelfAssessment(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return page{}, err
	}
	labels := map[string]string{}
	for _, res := range isms.SelfResults {
		labels[res] = i18n.T(r.Lang, isms.M(isms.MLPSOptKey("self_result", res)))
	}
	options := map[string]template.HTML{}
	for _, sel := range append([]string{""}, isms.SelfResults...) {
		var b strings.Builder
		for _, res := range append([]string{""}, isms.SelfResults...) {
			label := labels[res]
			if res == "" {
				label = "—"
			}
			b.WriteString(`<option value="` + res + `"`)
			if res == sel {
				b.WriteString(" selected")
			}
			b.WriteString(">" + html.EscapeString(label) + "</option>")
		}
		options[sel] = template.HTML(b.String()) // #nosec G203 -- fixed values and escaped labels
	}
	x := selfData{SelfAssessmentDetail: d, Filter: r.URL.Query(), Results: isms.SelfResults, ResultLabels: labels, Options: options,
		CanManage: r.Actor.Can(isms.ActManageMLPS) && d.Assessment.Status == isms.SelfOpen}
	seen := map[string]bool{}
	lastCat, lastCP := "", ""
	for _, c := range d.Checks {
		item := d.Item(c)
		cp := d.ControlPoint(c)
		if !seen[cp.ParentRef] {
			seen[cp.ParentRef] = true
			x.Categories = append(x.Categories, d.Nodes[cp.ParentRef])
		}
		if !selfMatch(x.Filter, c, item, cp) {
			continue
		}
		row := selfRow{Check: c, Item: item, ISO: d.ISO[cp.Ref], SoAEvidence: d.SoAEvidence[cp.Ref]}
		if cp.ParentRef != lastCat {
			cat := d.Nodes[cp.ParentRef]
			row.Category, lastCat = &cat, cp.ParentRef
		}
		if cp.Ref != lastCP {
			row.Point, lastCP = &cp, cp.Ref
		}
		x.Rows = append(x.Rows, row)
	}
	x.Shown = len(x.Rows)
	return page{Title: "ui.self.title", Data: x, Form: map[string]string{}}, nil
}

func (wb *Web) selfAssessmentPage(w http.ResponseWriter, r *req) error {
	p, err := wb.selfData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "mlps/self", p)
}

// saveSelfChecks writes the answers of the rows the form showed: each
// row sends its result (r:REF) and note (n:REF); links are kept as they
// are, since the item's own page changes them.
func (wb *Web) saveSelfChecks(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	var ins []isms.SelfCheckInput
	for _, k := range slices.Sorted(maps.Keys(f)) {
		if ref, ok := strings.CutPrefix(k, "r:"); ok {
			ins = append(ins, isms.SelfCheckInput{Ref: ref, Result: f.Get(k), Note: f.Get("n:" + ref)})
		}
	}
	if _, err := wb.svc.RecordSelfChecks(r.Context(), r.Actor, r.PathValue("id"), ins); err != nil {
		r.URL.RawQuery = f.Get("filter") // the rows the form showed
		p, perr := wb.selfData(r)
		if perr != nil {
			return perr
		}
		// Show what was sent, not what is stored.
		x := p.Data.(selfData)
		for i := range x.Rows {
			c := &x.Rows[i].Check
			if _, ok := f["r:"+c.Ref]; ok {
				c.Result, c.Note = f.Get("r:"+c.Ref), f.Get("n:"+c.Ref)
			}
		}
		return wb.formError(w, r, "mlps/self", p, err)
	}
	back := "/self-assessments/" + r.PathValue("id")
	if q := f.Get("filter"); q != "" {
		back += "?" + q
	}
	return redirect(w, r, back, "ui.flash.saved")
}

func (wb *Web) closeSelfAssessment(w http.ResponseWriter, r *req) error {
	if _, err := wb.svc.CloseSelfAssessment(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		p, perr := wb.selfData(r)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "mlps/self", p, err)
	}
	return redirect(w, r, "/self-assessments/"+r.PathValue("id"), "ui.flash.saved")
}

type selfCheckData struct {
	service.SelfCheckDetail
	Item      isms.RequirementNode
	Point     isms.RequirementNode
	Category  isms.RequirementNode
	RiskLabel string
	Results   []string
	CanManage bool
}

func (wb *Web) selfCheckData(r *req) (page, error) {
	d, err := wb.svc.SelfCheckItem(r.Context(), r.Actor, r.PathValue("id"), r.PathValue("ref"))
	if err != nil {
		return page{}, err
	}
	x := selfCheckData{SelfCheckDetail: d, Item: d.Item(d.Check), Point: d.ControlPoint(d.Check), Results: isms.SelfResults,
		CanManage: r.Actor.Can(isms.ActManageMLPS) && d.Assessment.Status == isms.SelfOpen}
	x.Category = d.Nodes[x.Point.ParentRef]
	x.RiskLabel = d.Risks[d.Check.RiskID]
	c := d.Check
	return page{Title: "ui.self.item", Data: x, Form: map[string]string{"result": c.Result, "note": c.Note,
		"risk": x.RiskLabel, "rectification_id": c.RectificationID}}, nil
}

func (wb *Web) selfCheckPage(w http.ResponseWriter, r *req) error {
	p, err := wb.selfCheckData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "mlps/self-item", p)
}

func (wb *Web) saveSelfCheck(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	risk, rect := f.Get("risk"), f.Get("rectification_id")
	in := isms.SelfCheckInput{Ref: r.PathValue("ref"), Result: f.Get("result"), Note: f.Get("note"),
		RiskID: &risk, RectificationID: &rect}
	if _, err := wb.svc.RecordSelfChecks(r.Context(), r.Actor, r.PathValue("id"), []isms.SelfCheckInput{in}); err != nil {
		p, perr := wb.selfCheckData(r)
		if perr != nil {
			return perr
		}
		for k := range f {
			p.Form[k] = f.Get(k)
		}
		// Problems are named "REF field"; the item's page names fields.
		e := isms.AsError(err)
		for i := range e.Fields {
			e.Fields[i].Field = strings.TrimPrefix(e.Fields[i].Field, in.Ref+" ")
		}
		return wb.formError(w, r, "mlps/self-item", p, e)
	}
	return redirect(w, r, "/self-assessments/"+r.PathValue("id")+"/items/"+url.PathEscape(in.Ref), "ui.flash.saved")
}

func (wb *Web) addSelfEvidence(w http.ResponseWriter, r *req) error {
	in, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	d, err := wb.svc.SelfCheckItem(r.Context(), r.Actor, r.PathValue("id"), r.PathValue("ref"))
	if err != nil {
		return err
	}
	if _, err := wb.svc.AddMLPSEvidence(r.Context(), r.Actor, isms.EvidenceSelfCheck, d.Check.ID, in, name, file); err != nil {
		p, perr := wb.selfCheckData(r)
		if perr != nil {
			return perr
		}
		p.Form["title"], p.Form["effective_on"], p.Form["expires_on"], p.Form["record_number"] =
			in.Title, in.EffectiveOn, in.ExpiresOn, in.RecordNumber
		return wb.formError(w, r, "mlps/self-item", p, err)
	}
	return redirect(w, r, "/self-assessments/"+r.PathValue("id")+"/items/"+url.PathEscape(d.Check.Ref)+"#evidence", "ui.flash.saved")
}

func (wb *Web) deleteSelfEvidence(w http.ResponseWriter, r *req) error {
	d, err := wb.svc.SelfCheckItem(r.Context(), r.Actor, r.PathValue("id"), r.PathValue("ref"))
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(d.Evidence, func(e isms.Evidence) bool { return e.ID == r.PathValue("eid") }) {
		return isms.NotFound("evidence")
	}
	if err := wb.svc.DeleteEvidence(r.Context(), r.Actor, r.PathValue("eid")); err != nil {
		return err
	}
	return redirect(w, r, "/self-assessments/"+r.PathValue("id")+"/items/"+url.PathEscape(d.Check.Ref)+"#evidence", "ui.flash.deleted")
}

func (wb *Web) exportSelfAssessment(w http.ResponseWriter, r *req) error {
	return wb.svc.SelfAssessmentXLSX(r.Context(), r.Actor, r.PathValue("id"), func(name string) {
		export.Attach(w.Header(), name, export.ContentType)
	}, w)
}

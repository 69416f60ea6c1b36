package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openisms/internal/export"
	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// Asset register pages (资产管理): the register and its two named views,
// an asset with its lifecycle and history, registration, the XLSX
// template and import, and the asset settings.

func (wb *Web) assetRoutes() []route {
	return []route{
		{"GET", "/assets", authorized, wb.assetList(""), false},
		{"GET", "/assets/important", authorized, wb.assetList("important"), false},
		{"GET", "/assets/computers", authorized, wb.assetList("computers"), false},
		{"GET", "/assets.xlsx", authorized, wb.assetsXLSX, false},
		{"GET", "/assets/new", authorized, wb.newAsset, false},
		{"POST", "/assets", authorized, wb.createAsset, false},
		{"GET", "/assets/import", authorized, wb.assetImportPage, false},
		{"POST", "/assets/import", authorized, wb.importAssets, true},
		{"GET", "/assets/template.xlsx", authorized, wb.assetTemplate, false},
		{"GET", "/assets/settings", authorized, wb.assetSettings, false},
		{"POST", "/assets/settings", authorized, wb.saveAssetSettings, false},
		{"GET", "/assets/{id}", authorized, wb.asset, false},
		{"POST", "/assets/{id}", authorized, wb.updateAsset, false},
		{"POST", "/assets/{id}/events", authorized, wb.fileAssetEvent, false},
	}
}

// assetData is what the asset pages show.
type assetData struct {
	View        string // "", "important", "computers"
	List        service.AssetList
	Asset       isms.Asset
	Events      []isms.AssetEvent
	History     []isms.AuditEntry
	Late        []isms.AssetEvent
	Settings    isms.AssetSettings
	Names       export.AssetNames
	Departments []isms.Department
	People      []isms.Person
	CanManage   bool
	CanSettings bool
	Types       []string
	Statuses    []string
	Events2     []string // the step kinds, for the step form
	Sorts       []string
	Roles       []isms.Role
	Strategies  []string
	Levels      []int
	Query       string   // the list's filter as a query string, for export and paging links
	Prev, Next  string   // paging links
	ImportErrs  []string // an import's problems, one line each
	Today       string
	Accounts    map[string]string
	Parent      map[string]string // the parent's label, on an asset's page
	CanRisks    bool
	Risks       service.RiskList  // the asset's risks, on its page
	RiskNames   map[string]string // threats and vulnerabilities by ID
}

func (wb *Web) assetData(r *req) (assetData, error) {
	d := assetData{CanManage: r.Actor.Can(isms.ActManageAssets), CanSettings: r.Actor.Can(isms.ActManageISMS),
		Types: isms.AssetTypes, Statuses: isms.AssetStatuses, Events2: isms.AssetEvents, Sorts: isms.AssetSorts,
		Roles: isms.GrantableRoles, Strategies: isms.ValueStrategies, Levels: []int{1, 2, 3, 4, 5},
		Today: wb.svc.Clock().Now().In(displayZone).Format("2006-01-02")}
	var err error
	if d.Settings, err = wb.svc.AssetSettings(r.Context(), r.Actor); err != nil {
		return d, err
	}
	if d.Names, err = wb.svc.AssetNames(r.Context(), r.Actor); err != nil {
		return d, err
	}
	if d.Departments, err = wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
		return d, err
	}
	return d, nil
}

// withPeople adds the people choosers need (current people, by name).
func (wb *Web) withPeople(r *req, d *assetData) error {
	var err error
	d.People, err = wb.svc.ListPeople(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize})
	return err
}

// assetFilterOf reads the register's filter from the query.
func assetFilterOf(q url.Values, view string) isms.AssetFilter {
	f := isms.AssetFilter{Type: q.Get("type"), Layer: q.Get("layer"), DeptID: q.Get("department_id"), Status: q.Get("status"),
		Classification: q.Get("classification"), Text: q.Get("q"), Sort: q.Get("sort"), Desc: q.Get("desc") == "1"}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	f.MinValue, _ = strconv.Atoi(q.Get("min_value"))
	switch view {
	case "important":
		f.Important = true
		f.Limit = isms.MaxPageSize // a list to print
	case "computers":
		f.Computers = true
		f.Limit = isms.MaxPageSize
	}
	return f
}

func assetQuery(q url.Values, drop ...string) url.Values {
	out := url.Values{}
	for _, k := range []string{"q", "type", "layer", "department_id", "status", "classification", "min_value", "sort", "desc", "offset"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	for _, k := range drop {
		out.Del(k)
	}
	return out
}

func (wb *Web) assetList(view string) handler {
	return func(w http.ResponseWriter, r *req) error {
		d, err := wb.assetData(r)
		if err != nil {
			return err
		}
		d.View = view
		q := r.URL.Query()
		f := assetFilterOf(q, view)
		if d.List, err = wb.svc.ListAssets(r.Context(), r.Actor, f); err != nil {
			return err
		}
		if view == "" {
			if d.Late, err = wb.svc.LateOwnerChanges(r.Context(), r.Actor); err != nil {
				return err
			}
		}
		d.Query = assetQuery(q, "offset").Encode()
		base := r.URL.Path + "?"
		if d.List.Offset > 0 {
			p := assetQuery(q)
			p.Set("offset", strconv.Itoa(max(0, d.List.Offset-d.List.Limit)))
			d.Prev = base + p.Encode()
		}
		if d.List.Offset+len(d.List.Assets) < d.List.Total {
			p := assetQuery(q)
			p.Set("offset", strconv.Itoa(d.List.Offset+d.List.Limit))
			d.Next = base + p.Encode()
		}
		title := map[string]string{"": "ui.asset.title", "important": "ui.asset.important_list", "computers": "ui.asset.computers"}[view]
		form := map[string]string{}
		for k := range assetQuery(q) {
			form[k] = q.Get(k)
		}
		return wb.render(w, r, http.StatusOK, "assets/list", page{Title: title, Data: d, Form: form})
	}
}

func (wb *Web) assetsXLSX(w http.ResponseWriter, r *req) error {
	q := r.URL.Query()
	view := q.Get("view")
	f := assetFilterOf(q, "")
	name := map[string]string{"": "assets", "important": "important-assets", "computers": "computers"}[view]
	return wb.svc.AssetsXLSX(r.Context(), r.Actor, f, view, func() { attachXLSX(w, wb.dated(name)) }, w)
}

// assetFromForm reads the asset form.
func assetFromForm(f url.Values) isms.Asset {
	num := func(k string) int { n, _ := strconv.Atoi(f.Get(k)); return n }
	x := isms.Asset{Code: f.Get("code"), Name: f.Get("name"), Type: f.Get("type"), Description: f.Get("description"),
		DeptID: f.Get("department_id"), OwnerID: f.Get("owner_id"), CustodianID: f.Get("custodian_id"), Location: f.Get("location"),
		Classification: f.Get("classification"), C: num("confidentiality"), I: num("integrity"), A: num("availability"),
		ReplacementCost: num("replacement_cost"), Importance: num("importance"), ParentID: f.Get("parent_id"),
		Serial: f.Get("serial"), IP: f.Get("ip"), MAC: f.Get("mac"), UserID: f.Get("user_id"), Classified: f.Get("classified") == "1"}
	if f.Get("pending_acceptance") == "1" {
		x.Status = isms.AssetPending
	}
	return x
}

func assetForm(x isms.Asset) map[string]string {
	lvl := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	m := map[string]string{"code": x.Code, "name": x.Name, "type": x.Type, "description": x.Description,
		"department_id": x.DeptID, "owner_id": x.OwnerID, "custodian_id": x.CustodianID, "location": x.Location,
		"classification": x.Classification, "confidentiality": lvl(x.C), "integrity": lvl(x.I), "availability": lvl(x.A),
		"replacement_cost": lvl(x.ReplacementCost), "importance": lvl(x.Importance), "parent_id": x.ParentID,
		"serial": x.Serial, "ip": x.IP, "mac": x.MAC, "user_id": x.UserID}
	if x.Classified {
		m["classified"] = "1"
	}
	if x.Status == isms.AssetPending {
		m["pending_acceptance"] = "1"
	}
	return m
}

func (wb *Web) newAssetPage(r *req) (page, error) {
	if err := r.Actor.Require(isms.ActManageAssets); err != nil {
		return page{}, err
	}
	d, err := wb.assetData(r)
	if err != nil {
		return page{}, err
	}
	if err := wb.withPeople(r, &d); err != nil {
		return page{}, err
	}
	return page{Title: "ui.asset.new", Data: d, Form: map[string]string{"type": "hardware"}}, nil
}

func (wb *Web) newAsset(w http.ResponseWriter, r *req) error {
	p, err := wb.newAssetPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "assets/new", p)
}

func (wb *Web) createAsset(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := assetFromForm(f)
	x, err := wb.svc.CreateAsset(r.Context(), r.Actor, in)
	if err != nil {
		p, perr := wb.newAssetPage(r)
		if perr != nil {
			return perr
		}
		p.Form = assetForm(in)
		return wb.formError(w, r, "assets/new", p, err)
	}
	return redirect(w, r, "/assets/"+x.ID, "ui.flash.saved")
}

func (wb *Web) assetPage(r *req, id string) (page, error) {
	x, err := wb.svc.Asset(r.Context(), r.Actor, id)
	if err != nil {
		return page{}, err
	}
	d, err := wb.assetData(r)
	if err != nil {
		return page{}, err
	}
	d.Asset = x
	if x.ParentID != "" {
		if d.Parent, err = wb.svc.AssetLabels(r.Context(), r.Actor, x.ParentID); err != nil {
			return page{}, err
		}
	}
	if d.Events, err = wb.svc.AssetEvents(r.Context(), r.Actor, id); err != nil {
		return page{}, err
	}
	if d.History, err = wb.svc.AssetHistory(r.Context(), r.Actor, id); err != nil {
		return page{}, err
	}
	if d.CanRisks = r.Actor.Can(isms.ActViewRisks); d.CanRisks {
		if d.Risks, err = wb.svc.ListRisks(r.Context(), r.Actor, isms.RiskFilter{AssetID: id, Sort: "r", Desc: true, Limit: 20}, false); err != nil {
			return page{}, err
		}
		ts, vs, err := wb.svc.RiskCatalogs(r.Context(), r.Actor)
		if err != nil {
			return page{}, err
		}
		d.RiskNames = map[string]string{}
		for _, t := range ts {
			d.RiskNames[t.ID] = t.Code + " " + t.Name
		}
		for _, v := range vs {
			d.RiskNames[v.ID] = v.Code + " " + v.Name
		}
	}
	if d.CanManage {
		if err := wb.withPeople(r, &d); err != nil {
			return page{}, err
		}
	}
	ids := []string{}
	for _, e := range d.Events {
		ids = append(ids, e.FiledByID)
	}
	if d.Accounts, err = wb.svc.AccountLabels(r.Context(), r.Actor, ids...); err != nil {
		return page{}, err
	}
	form := assetForm(x)
	form["date"] = d.Today
	return page{Title: "ui.asset.title", Data: d, Form: form}, nil
}

func (wb *Web) asset(w http.ResponseWriter, r *req) error {
	p, err := wb.assetPage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "assets/detail", p)
}

func (wb *Web) updateAsset(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	in := assetFromForm(f)
	if _, err := wb.svc.UpdateAsset(r.Context(), r.Actor, id, in); err != nil {
		p, perr := wb.assetPage(r, id)
		if perr != nil {
			return perr
		}
		for k, v := range assetForm(in) {
			p.Form[k] = v
		}
		return wb.formError(w, r, "assets/detail", p, err)
	}
	return redirect(w, r, "/assets/"+id, "ui.flash.saved")
}

// eventFields are the step form's fields.
var eventFields = []string{"kind", "date", "note", "result", "to_owner_id", "to_department_id", "to_location", "vendor",
	"supervisor", "fault", "reason", "appraisal", "disposal", "sent_out", "data_backed_up", "data_wiped", "accepted", "virus_checked"}

func (wb *Web) fileAssetEvent(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	yes := func(k string) bool { return f.Get(k) == "1" }
	in := isms.AssetEvent{Kind: f.Get("kind"), Date: f.Get("date"), Note: f.Get("note"), Details: isms.EventDetails{
		Result: f.Get("result"), ToOwnerID: f.Get("to_owner_id"), ToDeptID: f.Get("to_department_id"), ToLocation: f.Get("to_location"),
		SentOut: yes("sent_out"), Vendor: f.Get("vendor"), Supervisor: f.Get("supervisor"), Fault: f.Get("fault"),
		DataBackedUp: yes("data_backed_up"), DataWiped: yes("data_wiped"), Accepted: yes("accepted"), VirusChecked: yes("virus_checked"),
		Reason: f.Get("reason"), Appraisal: f.Get("appraisal"), Disposal: f.Get("disposal")}}
	e, err := wb.svc.FileAssetEvent(r.Context(), r.Actor, id, in)
	if err != nil {
		p, perr := wb.assetPage(r, id)
		if perr != nil {
			return perr
		}
		for _, k := range eventFields {
			p.Form["ev_"+k] = f.Get(k)
		}
		p.Form["date"] = f.Get("date")
		return wb.formError(w, r, "assets/detail", p, err)
	}
	flash := "ui.flash.asset_step_done"
	if e.Status == isms.EventPending {
		flash = "ui.flash.asset_step_pending"
	}
	return redirect(w, r, "/assets/"+id+"#events", flash)
}

func (wb *Web) assetImportPage(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActManageAssets); err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "assets/import", page{Title: "ui.asset.import", Data: assetData{
		CanManage: true}})
}

// importAssets imports an uploaded workbook; its problems are listed row
// by row and nothing is written.
func (wb *Web) importAssets(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActManageAssets); err != nil {
		return err
	}
	p := page{Title: "ui.asset.import", Data: assetData{CanManage: true}}
	file, _, err := r.FormFile("file")
	if err != nil {
		return wb.formError(w, r, "assets/import", p, isms.Invalid("file", isms.M("field.required")))
	}
	defer file.Close()
	n, err := wb.svc.ImportAssetsXLSX(r.Context(), r.Actor, file)
	if err != nil {
		e := isms.AsError(err)
		d := p.Data.(assetData)
		for _, f := range e.Fields {
			d.ImportErrs = append(d.ImportErrs, i18n.T(r.Lang, f.Msg))
		}
		p.Data = d
		return wb.formError(w, r, "assets/import", p, err)
	}
	p.Flash = i18n.T(r.Lang, isms.M("ui.flash.assets_imported", "n", n))
	return wb.render(w, r, http.StatusOK, "assets/import", p)
}

func (wb *Web) assetTemplate(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActViewAssets); err != nil {
		return err
	}
	attachXLSX(w, "assets-template.xlsx")
	return export.AssetTemplate(w)
}

func (wb *Web) assetSettingsPage(r *req) (page, error) {
	d, err := wb.assetData(r)
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.asset.settings", Data: d, Form: map[string]string{}}, nil
}

func (wb *Web) assetSettings(w http.ResponseWriter, r *req) error {
	p, err := wb.assetSettingsPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "assets/settings", p)
}

func (wb *Web) saveAssetSettings(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	num := func(k string) int { n, _ := strconv.Atoi(f.Get(k)); return n }
	flt := func(k string) float64 { v, _ := strconv.ParseFloat(f.Get(k), 64); return v }
	as := isms.AssetSettings{ValueStrategy: f.Get("value_strategy"), Weights: [3]float64{flt("weight_c"), flt("weight_i"), flt("weight_a")},
		ImportantValue: num("important_value"), ImportantLevel: num("important_level"),
		Classifications: splitLines(f.Get("classifications")), OwnerChangeDays: num("owner_change_days"), Approvers: map[string]isms.Role{}}
	for _, k := range []string{isms.EventAcceptance, isms.EventOwnerChange, isms.EventTransfer, isms.EventRepair, isms.EventScrap} {
		as.Approvers[k] = isms.Role(f.Get("approver_" + k))
	}
	_, n, err := wb.svc.SetAssetSettings(r.Context(), r.Actor, as)
	if err != nil {
		p, perr := wb.assetSettingsPage(r)
		if perr != nil {
			return perr
		}
		d := p.Data.(assetData)
		d.Settings = as
		p.Data = d
		return wb.formError(w, r, "assets/settings", p, err)
	}
	p, err := wb.assetSettingsPage(r)
	if err != nil {
		return err
	}
	p.Flash = i18n.T(r.Lang, isms.M("ui.flash.asset_settings_saved", "n", n))
	return wb.render(w, r, http.StatusOK, "assets/settings", p)
}

// splitLines splits a textarea into its non-empty lines.
func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func init() {
	// dict and set build the small maps partials take; inc and add do the
	// arithmetic of "rows 51–100 of 732".
	funcs["dict"] = func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	funcs["set"] = func(base map[string]any, kv ...any) map[string]any {
		m := make(map[string]any, len(base)+len(kv)/2)
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	funcs["inc"] = func(n int) int { return n + 1 }
	funcs["layer"] = isms.AssetLayer
	funcs["add"] = func(a, b int) int { return a + b }
}

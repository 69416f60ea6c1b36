package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// MLPS pages: the register of grading objects (定级对象) with their level
// and filing state, an object's page (facts, data categories, assets,
// attachments, gradings, filings and certificates) and a grading's page,
// where the grader ticks harm and the team records each step.

func (wb *Web) mlpsRoutes() []route {
	return []route{
		{"GET", "/mlps", authorized, wb.mlpsList, false},
		{"GET", "/mlps/new", authorized, wb.newMLPSObject, false},
		{"POST", "/mlps/settings", authorized, wb.saveMLPSSettings, false},
		{"POST", "/mlps", authorized, wb.createMLPSObject, false},
		{"GET", "/mlps/{id}", authorized, wb.mlpsObjectPage, false},
		{"POST", "/mlps/{id}", authorized, wb.saveMLPSObject, false},
		{"POST", "/mlps/{id}/assets", authorized, wb.linkMLPSAsset, false},
		{"POST", "/mlps/{id}/assets/{asset}/delete", authorized, wb.unlinkMLPSAsset, false},
		{"POST", "/mlps/{id}/evidence", authorized, wb.addMLPSEvidence, true},
		{"POST", "/mlps/{id}/evidence/{eid}/delete", authorized, wb.deleteMLPSEvidence, false},
		{"POST", "/mlps/{id}/gradings", authorized, wb.startGrading, false},
		{"GET", "/gradings/{id}", authorized, wb.gradingPage, false},
		{"POST", "/gradings/{id}", authorized, wb.saveGrading, false},
		{"POST", "/gradings/{id}/submit", authorized, wb.submitGrading, false},
		{"POST", "/gradings/{id}/discard", authorized, wb.discardGrading, false},
		{"POST", "/gradings/{id}/review", authorized, wb.reviewGrading, false},
		{"POST", "/gradings/{id}/authority", authorized, wb.authorityGrading, false},
		{"POST", "/gradings/{id}/filings", authorized, wb.submitFiling, false},
		{"POST", "/gradings/{id}/evidence", authorized, wb.addGradingEvidence, true},
		{"POST", "/gradings/{id}/materials", authorized, wb.saveMaterials, true},
		{"GET", "/gradings/{id}/report", authorized, wb.gradingReport, false},
		{"GET", "/gradings/{id}/report.docx", authorized, wb.gradingReportDOCX, false},
		{"GET", "/gradings/{id}/form", authorized, wb.filingForm, false},
		{"POST", "/gradings/{id}/form", authorized, wb.saveFilingForm, false},
		{"GET", "/gradings/{id}/form.docx", authorized, wb.filingFormFile("docx"), false},
		{"GET", "/gradings/{id}/form.xlsx", authorized, wb.filingFormFile("xlsx"), false},
		{"POST", "/gradings/{id}/evidence/{eid}/delete", authorized, wb.deleteGradingEvidence, false},
		{"POST", "/filings/{id}/decide", authorized, wb.decideFiling, false},
		{"POST", "/filings/{id}/certificate", authorized, wb.recordCertificate, false},
	}
}

// MLPSOptKey is the message naming a value of an MLPS option list.
func MLPSOptKey(list, value string) string { return isms.MLPSOptKey(list, value) }

// techValue prints a technology field's value in lang: choices by their
// names, joined with the Chinese list comma; text and numbers as typed.
func techValue(lang, key, v string) string {
	for _, f := range isms.MLPSTechFields {
		if f.Key != key || (f.Kind != isms.TechChoice && f.Kind != isms.TechMulti) {
			continue
		}
		parts := strings.Split(v, ",")
		for i, p := range parts {
			parts[i] = i18n.T(lang, isms.M(MLPSOptKey("tfo."+key, p)))
		}
		return strings.Join(parts, "、")
	}
	return v
}

// mlpsOptions are the option lists the object form offers.
type mlpsOptions struct {
	Types, Tech, BusinessTypes, ServiceScopes, ServiceUsers, Coverages, Natures, Interconnections []string
	TechFields                                                                                    []isms.MLPSTechField
	DataLevels, Personal, Sources, AssetRoles                                                     []string
}

var mlpsOpts = mlpsOptions{Types: isms.MLPSObjectTypes, Tech: isms.MLPSTechnologies, BusinessTypes: isms.MLPSBusinessTypes,
	ServiceScopes: isms.MLPSServiceScopes, ServiceUsers: isms.MLPSServiceUsers, Coverages: isms.MLPSNetworkCoverages,
	Natures: isms.MLPSNetworkNatures, Interconnections: isms.MLPSInterconnections, TechFields: isms.MLPSTechFields,
	DataLevels: isms.DataLevels, Personal: isms.DataPersonalKinds, Sources: isms.DataSources, AssetRoles: isms.MLPSAssetRoles}

type mlpsData struct {
	Objects []isms.MLPSObject
	Counts  map[string]int // by level in force; "0" not graded
	Filed   int
	Detail  service.MLPSObjectDetail
	// In is the object as the form shows it (as typed, after an error).
	In          isms.MLPSObject
	CatRows     []isms.DataCat // the categories and blank lines to add
	Opt         mlpsOptions
	Departments []isms.Department
	People      []isms.Person
	Parents     []isms.MLPSObject
	Templates   []string
	Settings    service.MLPSSettings
	CanManage   bool
}

func (wb *Web) mlpsList(w http.ResponseWriter, r *req) error { return wb.mlpsListWith(w, r, nil) }

// mlpsListWith shows the register, with a settings error when given.
func (wb *Web) mlpsListWith(w http.ResponseWriter, r *req, formErr error) error {
	q := r.URL.Query()
	f := store.MLPSObjectFilter{Type: q.Get("type"), Q: q.Get("q")}
	if q.Get("retired") == "1" {
		f.Status = store.StatusAll
	}
	os, err := wb.svc.MLPSObjects(r.Context(), r.Actor, f)
	if err != nil {
		return err
	}
	d := mlpsData{Objects: os, Counts: map[string]int{}, Opt: mlpsOpts, CanManage: r.Actor.Can(isms.ActManageMLPS)}
	if d.Settings, err = wb.svc.MLPSSettingsOf(r.Context(), r.Actor); err != nil {
		return err
	}
	for _, o := range os {
		d.Counts[strconv.Itoa(o.Level())]++
		if o.Current != nil && o.Current.Status == isms.GradingFiled {
			d.Filed++
		}
	}
	p := page{Title: "ui.mlps.title", Data: d, Form: map[string]string{"type": f.Type, "q": f.Q, "retired": q.Get("retired")}}
	if formErr != nil {
		return wb.formError(w, r, "mlps/list", p, formErr)
	}
	return wb.render(w, r, http.StatusOK, "mlps/list", p)
}

// mlpsChoices fills the form's departments, people and parents.
func (wb *Web) mlpsChoices(r *req, d *mlpsData) error {
	var err error
	if d.Departments, err = wb.svc.DepartmentNames(r.Context(), r.Actor); err != nil {
		return err
	}
	if d.People, err = wb.svc.ListPeople(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
		return err
	}
	if d.Parents, err = wb.svc.MLPSObjects(r.Context(), r.Actor, store.MLPSObjectFilter{}); err != nil {
		return err
	}
	d.Opt = mlpsOpts
	d.CatRows = append(append([]isms.DataCat{}, d.In.Categories...), isms.DataCat{}, isms.DataCat{})
	return nil
}

func (wb *Web) newMLPSObjectPage(r *req, in isms.MLPSObject) (page, error) {
	if err := r.Actor.Require(isms.ActManageMLPS); err != nil {
		return page{}, err
	}
	d := mlpsData{In: in, CanManage: true}
	if err := wb.mlpsChoices(r, &d); err != nil {
		return page{}, err
	}
	return page{Title: "ui.mlps.new", Data: d}, nil
}

func (wb *Web) newMLPSObject(w http.ResponseWriter, r *req) error {
	p, err := wb.newMLPSObjectPage(r, isms.MLPSObject{Type: isms.MLPSInfoSystem})
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "mlps/new", p)
}

// mlpsObjectFromForm reads the object form. Data categories come as
// numbered lines (cat.N.field); a line left wholly blank is dropped.
func mlpsObjectFromForm(f url.Values) isms.MLPSObject {
	o := isms.MLPSObject{Name: f.Get("name"), Code: f.Get("code"), Type: f.Get("type"), Tech: f["tech"],
		SystemKind: f.Get("system_kind"), Deployment: f.Get("deployment"), DeptID: f.Get("department_id"),
		ConstructionBy: f.Get("construction_by"), OperationBy: f.Get("operation_by"), SecurityBy: f.Get("security_by"),
		BusinessType: f.Get("business_type"), BusinessDesc: f.Get("business_description"), ServiceScope: f.Get("service_scope"),
		ServiceUsers: f.Get("service_users"), NetworkCoverage: f.Get("network_coverage"), NetworkNature: f.Get("network_nature"),
		SourceIPs: f.Get("source_ips"), Domains: f.Get("domains"), Ports: f.Get("ports"), Interconnections: f["interconnections"],
		InterconnectNote: f.Get("interconnect_note"), LiveOn: f.Get("live_on"), Outsourced: f.Get("outsourced") == "1",
		OutsourcedTo: f.Get("outsourced_to"), ParentID: f.Get("parent_id"), ParentName: f.Get("parent_name"),
		ParentUnit: f.Get("parent_unit"), Authority: f.Get("authority"), Notes: f.Get("notes"), Status: f.Get("status"),
		TechDetails: map[string]string{}}
	if n := strings.TrimSpace(f.Get("service_scope_count")); n != "" {
		o.ServiceScopeCount, _ = strconv.Atoi(n)
	}
	for _, tf := range isms.MLPSTechFields {
		if v := f["td."+tf.Key]; len(v) > 0 {
			o.TechDetails[tf.Key] = strings.Join(v, ",")
		}
	}
	for i := 0; ; i++ {
		p := "cat." + strconv.Itoa(i) + "."
		if _, ok := f[p+"name"]; !ok {
			break
		}
		c := isms.DataCat{ID: f.Get(p + "id"), Name: f.Get(p + "name"), Level: f.Get(p + "level"), Category: f.Get(p + "category"),
			DeptID: f.Get(p + "department_id"), PersonID: f.Get(p + "person_id"), Personal: f.Get(p + "personal"),
			Volume: f.Get(p + "volume"), MonthlyGrowth: f.Get(p + "monthly_growth"), Sources: f[p+"sources"],
			SourceUnits: f.Get(p + "source_units"), OutflowUnits: f.Get(p + "outflow_units"), Interaction: f.Get(p + "interaction"),
			StorageCloud: f.Get(p + "storage_cloud"), StorageRoom: f.Get(p + "storage_room"), StorageRegion: f.Get(p + "storage_region")}
		if strings.TrimSpace(c.Name+c.Category+c.Volume+c.MonthlyGrowth+c.SourceUnits+c.OutflowUnits+c.Interaction+
			c.StorageCloud+c.StorageRoom+c.StorageRegion) == "" && len(c.Sources) == 0 {
			continue
		}
		o.Categories = append(o.Categories, c)
	}
	return o
}

func (wb *Web) createMLPSObject(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := mlpsObjectFromForm(f)
	o, err := wb.svc.SaveMLPSObject(r.Context(), r.Actor, "", in)
	if err != nil {
		p, perr := wb.newMLPSObjectPage(r, in)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "mlps/new", p, err)
	}
	return redirect(w, r, "/mlps/"+o.ID, "ui.flash.saved")
}

func (wb *Web) mlpsObjectData(r *req, id string) (page, error) {
	x, err := wb.svc.MLPSObject(r.Context(), r.Actor, id)
	if err != nil {
		return page{}, err
	}
	d := mlpsData{Detail: x, In: x.Object, Opt: mlpsOpts, CanManage: x.CanEdit}
	if x.CanEdit {
		if err := wb.mlpsChoices(r, &d); err != nil {
			return page{}, err
		}
		if d.Templates, err = service.GradingTemplateVersions(); err != nil {
			return page{}, err
		}
	}
	vs := d.Templates
	latest := ""
	if len(vs) > 0 {
		latest = vs[len(vs)-1]
	}
	return page{Title: "ui.mlps.title", Data: d, Form: map[string]string{"template": latest, "effective_on": x.Today}}, nil
}

func (wb *Web) mlpsObjectPage(w http.ResponseWriter, r *req) error {
	p, err := wb.mlpsObjectData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "mlps/detail", p)
}

// mlpsObjectError shows the object page again with an error and what
// was typed.
func (wb *Web) mlpsObjectError(w http.ResponseWriter, r *req, err error, form map[string]string, in *isms.MLPSObject) error {
	p, perr := wb.mlpsObjectData(r, r.PathValue("id"))
	if perr != nil {
		return perr
	}
	for k, v := range form {
		p.Form[k] = v
	}
	if in != nil {
		d := p.Data.(mlpsData)
		d.In = *in
		d.CatRows = append(append([]isms.DataCat{}, in.Categories...), isms.DataCat{}, isms.DataCat{})
		p.Data = d
		p.Form["edit"] = "1"
	}
	return wb.formError(w, r, "mlps/detail", p, err)
}

func (wb *Web) saveMLPSObject(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := mlpsObjectFromForm(f)
	if _, err := wb.svc.SaveMLPSObject(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		return wb.mlpsObjectError(w, r, err, nil, &in)
	}
	return redirect(w, r, "/mlps/"+r.PathValue("id"), "ui.flash.saved")
}

func (wb *Web) linkMLPSAsset(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	l := isms.MLPSAssetLink{AssetCode: f.Get("asset_code"), Role: f.Get("role")}
	if err := wb.svc.LinkMLPSAsset(r.Context(), r.Actor, r.PathValue("id"), l); err != nil {
		return wb.mlpsObjectError(w, r, err, map[string]string{"asset_code": l.AssetCode, "role": l.Role}, nil)
	}
	return redirect(w, r, "/mlps/"+r.PathValue("id")+"#assets", "ui.flash.saved")
}

func (wb *Web) unlinkMLPSAsset(w http.ResponseWriter, r *req) error {
	if err := wb.svc.UnlinkMLPSAsset(r.Context(), r.Actor, r.PathValue("id"), r.PathValue("asset")); err != nil {
		return err
	}
	return redirect(w, r, "/mlps/"+r.PathValue("id")+"#assets", "ui.flash.saved")
}

func (wb *Web) addMLPSEvidence(w http.ResponseWriter, r *req) error {
	in, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	if _, err := wb.svc.AddMLPSEvidence(r.Context(), r.Actor, isms.EvidenceMLPSObject, r.PathValue("id"), in, name, file); err != nil {
		return wb.mlpsObjectError(w, r, err, map[string]string{"title": in.Title, "effective_on": in.EffectiveOn,
			"expires_on": in.ExpiresOn, "record_number": in.RecordNumber}, nil)
	}
	return redirect(w, r, "/mlps/"+r.PathValue("id")+"#attachments", "ui.flash.saved")
}

func (wb *Web) deleteMLPSEvidence(w http.ResponseWriter, r *req) error {
	if err := wb.svc.DeleteEvidence(r.Context(), r.Actor, r.PathValue("eid")); err != nil {
		return err
	}
	return redirect(w, r, "/mlps/"+r.PathValue("id")+"#attachments", "ui.flash.deleted")
}

func (wb *Web) startGrading(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	g, err := wb.svc.StartGrading(r.Context(), r.Actor, r.PathValue("id"), f.Get("template"), f.Get("reason"))
	if err != nil {
		return wb.mlpsObjectError(w, r, err, map[string]string{"template": f.Get("template"), "reason": f.Get("reason")}, nil)
	}
	return redirect(w, r, "/gradings/"+g.ID, "ui.flash.saved")
}

func (wb *Web) saveMLPSSettings(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := service.MLPSSettings{}
	in.Level4EvaluationMonths, _ = strconv.Atoi(f.Get("level4_evaluation_months"))
	if in.WorkPlanDays, err = strconv.Atoi(strings.TrimSpace(f.Get("work_plan_days"))); err != nil {
		in.WorkPlanDays = -1
	}
	if _, err := wb.svc.SetMLPSSettings(r.Context(), r.Actor, in); err != nil {
		if isms.ErrorCode(err) != isms.CodeInvalid {
			return err
		}
		r.URL.RawQuery = ""
		return wb.mlpsListWith(w, r, err)
	}
	return redirect(w, r, "/mlps", "ui.flash.saved")
}

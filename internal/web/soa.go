package web

import (
	"io"
	"net/http"
	"slices"
	"strings"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// The Statement of Applicability (适用性声明): the working copy as one
// dense table with filters, a line's form with its evidence, versions
// (printable, with the approval block and the top manager's decision),
// the comparison of two versions and the workbook.

type soaCounts struct {
	Total, Decided, Applicable, Implemented, NoEvidence, Expiring int
}

type soaData struct {
	SoA        service.SoA
	Entries    []service.SoAEntry // after the filters
	Counts     soaCounts
	Depts      map[string]string // ID → name
	People     map[string]string
	Labels     map[string]string // account ID → label, for versions
	Approved   *isms.SoAVersion  // the latest approved version
	Frameworks []isms.Framework  // to switch to
	Themes     []string          // the categories of the lines, for the filter
	Statuses   []string
	CanManage  bool
	CanMove    bool // the transition from 2013 applies to this framework
}

// soaRedirect opens the SoA on the organization's default framework.
func (wb *Web) soaRedirect(w http.ResponseWriter, r *req) error {
	id, err := wb.svc.SoAFrameworkID(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	http.Redirect(w, r.Request, "/soa/"+id, http.StatusSeeOther)
	return nil
}

func (wb *Web) soaPageData(r *req) (page, error) {
	x, err := wb.svc.SoA(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return page{}, err
	}
	d := soaData{SoA: x, CanManage: r.Actor.Can(isms.ActManageSoA), CanMove: x.Framework.Code == service.DefaultSoAFramework,
		Statuses: isms.ImplStatuses}
	if r.Actor.Can(isms.ActViewFrameworks) {
		if d.Frameworks, err = wb.svc.Frameworks(r.Context(), r.Actor); err != nil {
			return page{}, err
		}
	}
	for _, e := range x.Entries {
		if c := e.Node.Category; c != "" && !slices.Contains(d.Themes, c) {
			d.Themes = append(d.Themes, c)
		}
	}
	d.Counts.Total, d.Counts.Decided, d.Counts.Applicable, d.Counts.Implemented, d.Counts.NoEvidence, d.Counts.Expiring = x.Counts()
	d.Depts, d.People = x.Names.Departments, x.Names.People
	var ids []string
	for i, v := range x.Versions {
		ids = append(ids, v.SubmittedBy, v.DecidedBy)
		if v.Status == isms.SoAApproved && d.Approved == nil {
			d.Approved = &x.Versions[i]
		}
	}
	if d.Labels, err = wb.svc.AccountLabels(r.Context(), r.Actor, ids...); err != nil {
		return page{}, err
	}
	q := r.URL.Query()
	form := map[string]string{"q": strings.TrimSpace(q.Get("q")), "applicable": q.Get("applicable"), "status": q.Get("status"),
		"theme": q.Get("theme"), "flag": q.Get("flag")}
	text := strings.ToLower(form["q"])
	for _, e := range x.Entries {
		row := e.Row
		switch {
		case text != "" && !strings.Contains(strings.ToLower(e.Node.Ref+" "+e.Node.TitleZH+" "+e.Node.TitleEN+" "+e.Node.OwnTitleZH), text):
		case form["applicable"] == "yes" && !row.IsApplicable(),
			form["applicable"] == "no" && (!row.Decided() || row.IsApplicable()),
			form["applicable"] == "undecided" && row.Decided():
		case form["status"] != "" && row.Status != form["status"]:
		case form["theme"] != "" && e.Node.Category != form["theme"]:
		case form["flag"] == "review" && row.ReviewNote == "",
			form["flag"] == "no_evidence" && (!row.IsApplicable() || row.Evidence > 0),
			form["flag"] == "expiring" && row.Expiring == 0:
		default:
			d.Entries = append(d.Entries, e)
		}
	}
	return page{Title: "ui.soa.title", Data: d, Form: form}, nil
}

func (wb *Web) soaPage(w http.ResponseWriter, r *req) error {
	p, err := wb.soaPageData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "soa/list", p)
}

// submitSoA freezes the working copy for the top manager's approval.
func (wb *Web) submitSoA(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if _, err := wb.svc.SubmitSoA(r.Context(), r.Actor, r.PathValue("id"), f.Get("note")); err != nil {
		p, perr := wb.soaPageData(r)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "soa/list", p, err)
	}
	return redirect(w, r, "/soa/"+r.PathValue("id"), "ui.flash.soa_submitted")
}

// transitionSoA generates the 2022 working copy from the 2013 SoA.
func (wb *Web) transitionSoA(w http.ResponseWriter, r *req) error {
	t, err := wb.svc.TransitionSoA(r.Context(), r.Actor)
	if err != nil {
		id, ierr := wb.svc.SoAFrameworkID(r.Context(), r.Actor)
		if ierr != nil {
			return err
		}
		r.SetPathValue("id", id)
		p, perr := wb.soaPageData(r)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "soa/list", p, err)
	}
	return redirect(w, r, "/soa/"+t.Framework.ID+"?flag=review", "ui.flash.soa_transitioned")
}

func (wb *Web) exportSoA(w http.ResponseWriter, r *req) error {
	return wb.svc.ExportSoA(r.Context(), r.Actor, r.PathValue("id"), r.URL.Query().Get("version"), func(name string) {
		attachXLSX(w, name)
	}, w)
}

// --- One line ---

type soaLineData struct {
	service.SoARowDetail
	Departments []isms.Department
	People      []isms.Person
	Reasons     map[string]bool // checked
	ReasonList  []string
	StatusList  []string
	CanManage   bool
}

func (wb *Web) soaLineData(r *req) (page, error) {
	x, err := wb.svc.SoARow(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return page{}, err
	}
	d := soaLineData{SoARowDetail: x, Reasons: map[string]bool{}, ReasonList: isms.SoAReasons, StatusList: isms.ImplStatuses,
		CanManage: r.Actor.Can(isms.ActManageSoA)}
	if d.CanManage {
		if d.Departments, err = wb.svc.DepartmentNames(r.Context(), r.Actor); err != nil {
			return page{}, err
		}
		if d.People, err = wb.svc.ListPeople(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
			return page{}, err
		}
	}
	row := x.Entry.Row
	for _, reason := range row.Reasons {
		d.Reasons[reason] = true
	}
	labels := func(kind string) string {
		var out []string
		for _, l := range row.LinksOf(kind) {
			code, _, _ := strings.Cut(l.Label, " ")
			out = append(out, code)
		}
		return strings.Join(out, ", ")
	}
	dept := row.DeptID
	if dept == "" {
		dept = x.Entry.ProposedDept
	}
	f := map[string]string{"applicable": "", "justification": row.Justification, "status": row.Status, "department_id": dept,
		"owner_id": row.OwnerID, "implementation": row.Implementation, "reviewed_on": row.ReviewedOn,
		"documents": labels(isms.LinkDocument), "risks": labels(isms.LinkRisk), "assets": labels(isms.LinkAsset),
		"effective_on": x.Today}
	if row.Decided() {
		f["applicable"] = map[bool]string{true: "yes", false: "no"}[row.IsApplicable()]
	}
	return page{Title: "ui.soa.title", Data: d, Form: f}, nil
}

func (wb *Web) soaLine(w http.ResponseWriter, r *req) error {
	p, err := wb.soaLineData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "soa/line", p)
}

// splitList reads "a, b；c" as a list.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == '，' || c == ';' || c == '；' || c == ' ' || c == '\n' })
}

// saveSoALine saves a line; refused input comes back with every field's
// problem and what was typed.
func (wb *Web) saveSoALine(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := service.SoARowInput{Reasons: f["reasons"], Justification: f.Get("justification"), Status: f.Get("status"),
		DeptID: f.Get("department_id"), OwnerID: f.Get("owner_id"), Implementation: f.Get("implementation"),
		ReviewedOn: f.Get("reviewed_on"), Documents: splitList(f.Get("documents")), Risks: splitList(f.Get("risks")),
		Assets: splitList(f.Get("assets"))}
	switch f.Get("applicable") {
	case "yes":
		in.Applicable = new(bool)
		*in.Applicable = true
	case "no":
		in.Applicable = new(bool)
	}
	if _, err := wb.svc.SaveSoARow(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		p, perr := wb.soaLineData(r)
		if perr != nil {
			return perr
		}
		for _, k := range []string{"applicable", "justification", "status", "department_id", "owner_id", "implementation",
			"reviewed_on", "documents", "risks", "assets"} {
			p.Form[k] = f.Get(k)
		}
		d := p.Data.(soaLineData)
		d.Reasons = map[string]bool{}
		for _, x := range in.Reasons {
			d.Reasons[x] = true
		}
		p.Data = d
		return wb.formError(w, r, "soa/line", p, err)
	}
	x, err := wb.svc.SoARow(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return redirect(w, r, "/soa/"+x.Framework.ID+"#"+x.Entry.Node.Ref, "ui.flash.saved")
}

// evidenceForm reads an evidence item's multipart form; the caller
// closes the returned file, if any.
func evidenceForm(r *req) (in service.EvidenceInput, name string, file io.ReadCloser) {
	in = service.EvidenceInput{Title: r.FormValue("title"), EffectiveOn: r.FormValue("effective_on"),
		ExpiresOn: r.FormValue("expires_on"), RecordNumber: r.FormValue("record_number")}
	if f, h, err := r.FormFile("file"); err == nil {
		return in, h.Filename, f
	}
	return in, "", nil
}

// keepEvidenceForm puts what was typed back into a refused evidence form.
func keepEvidenceForm(p *page, in service.EvidenceInput) {
	p.Form["title"], p.Form["effective_on"], p.Form["expires_on"], p.Form["record_number"] =
		in.Title, in.EffectiveOn, in.ExpiresOn, in.RecordNumber
}

// addSoAEvidence adds a file or a record as evidence of a line.
func (wb *Web) addSoAEvidence(w http.ResponseWriter, r *req) error {
	in, name, file := evidenceForm(r)
	if file != nil {
		defer file.Close()
	}
	if _, err := wb.svc.AddSoAEvidence(r.Context(), r.Actor, r.PathValue("id"), in, name, file); err != nil {
		p, perr := wb.soaLineData(r)
		if perr != nil {
			return perr
		}
		keepEvidenceForm(&p, in)
		return wb.formError(w, r, "soa/line", p, err)
	}
	return redirect(w, r, "/requirements/"+r.PathValue("id")+"/soa#evidence", "ui.flash.evidence_added")
}

func (wb *Web) deleteSoAEvidence(w http.ResponseWriter, r *req) error {
	if err := wb.svc.DeleteEvidence(r.Context(), r.Actor, r.PathValue("eid")); err != nil {
		return err
	}
	return redirect(w, r, "/requirements/"+r.PathValue("id")+"/soa#evidence", "ui.flash.evidence_removed")
}

// --- Versions ---

type soaVersionData struct {
	Framework isms.Framework
	Version   isms.SoAVersion
	Header    export.SoAHeader
	Versions  []isms.SoAVersion // to compare with
	CanDecide bool
	Cells     [][]string // the lines as the workbook prints them
	Changes   []isms.SoAChange
}

// soaVersionPage shows a version (or, with version=working, the working
// copy) as it prints, with the approval block; the top manager decides a
// submitted one here.
func (wb *Web) soaVersionPage(w http.ResponseWriter, r *req) error {
	p, err := wb.soaVersionData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "soa/version", p)
}

func (wb *Web) soaVersionData(r *req) (page, error) {
	version := r.PathValue("vid")
	if version == "" {
		version = r.URL.Query().Get("version")
	}
	f, v, err := wb.svc.SoAOutput(r.Context(), r.Actor, r.PathValue("id"), version)
	if err != nil {
		return page{}, err
	}
	d := soaVersionData{Framework: f, Version: v, CanDecide: wb.svc.CanDecideSoA(r.Context(), r.Actor, v)}
	if d.Header, err = wb.svc.SoAHeader(r.Context(), r.Actor, f, v); err != nil {
		return page{}, err
	}
	if d.Versions, err = wb.svc.SoAVersions(r.Context(), r.Actor, f.ID); err != nil {
		return page{}, err
	}
	for _, l := range v.Rows {
		d.Cells = append(d.Cells, export.SoALineCells(l))
	}
	if version == "" {
		version = v.ID
	}
	return page{Title: "ui.soa.title", Data: d, Form: map[string]string{"version": version}}, nil
}

// soaVersionRedirect opens a version by its ID alone (approvals link
// here).
func (wb *Web) soaVersionRedirect(w http.ResponseWriter, r *req) error {
	v, err := wb.svc.SoAVersion(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	http.Redirect(w, r.Request, "/soa/"+v.FrameworkID+"/versions/"+v.ID, http.StatusSeeOther)
	return nil
}

// decideSoAVersion approves or returns a submitted version.
func (wb *Web) decideSoAVersion(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	v, err := wb.svc.SoAVersion(r.Context(), r.Actor, r.PathValue("vid"))
	if err != nil {
		return err
	}
	approve := f.Get("decision") == "approve"
	if _, err := wb.svc.DecideApproval(r.Context(), r.Actor, v.ApprovalID, approve, f.Get("comment")); err != nil {
		p, perr := wb.soaVersionData(r)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "soa/version", p, err)
	}
	flash := "ui.flash.soa_returned"
	if approve {
		flash = "ui.flash.soa_approved"
	}
	return redirect(w, r, "/soa/"+r.PathValue("id")+"/versions/"+v.ID, flash)
}

// soaDiff compares two versions (either may be the working copy).
func (wb *Web) soaDiff(w http.ResponseWriter, r *req) error {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	if to == "" {
		to = service.WorkingVersion
	}
	vs, err := wb.svc.SoAVersions(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := soaVersionData{Versions: vs}
	if from == "" {
		// Compare the working copy with the latest approved version.
		i := slices.IndexFunc(vs, func(v isms.SoAVersion) bool { return v.Status == isms.SoAApproved })
		if i < 0 {
			return isms.Invalid("from", isms.M("soa.no_approved"))
		}
		from = vs[i].ID
	}
	if _, _, d.Changes, err = wb.svc.DiffSoA(r.Context(), r.Actor, r.PathValue("id"), from, to); err != nil {
		return err
	}
	if d.Framework, err = wb.svc.SoAFramework(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "soa/diff", page{Title: "ui.soa.title", Data: d,
		Form: map[string]string{"from": from, "to": to}})
}

package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// Campaigns of a supervising body and the submissions that answer them:
// the body prepares, opens and closes its campaigns and follows every
// organization's answers; organizations fill, attach and submit; each
// body of the review chain accepts or returns in turn.

func (wb *Web) campaignRoutes() []route {
	return []route{
		{"GET", "/campaigns", authorized, wb.campaigns, false},
		{"GET", "/campaigns/new", authorized, wb.newCampaign, false},
		{"POST", "/campaigns", authorized, wb.createCampaign, false},
		{"GET", "/campaigns/{id}", authorized, wb.campaignPage, false},
		{"GET", "/campaigns/{id}/edit", authorized, wb.editCampaign, false},
		{"POST", "/campaigns/{id}", authorized, wb.updateCampaign, false},
		{"POST", "/campaigns/{id}/audience", authorized, wb.setAudience, false},
		{"POST", "/campaigns/{id}/open", authorized, wb.campaignStatus("open"), false},
		{"POST", "/campaigns/{id}/close", authorized, wb.campaignStatus("close"), false},
		{"POST", "/campaigns/{id}/reopen", authorized, wb.campaignStatus("reopen"), false},
		{"POST", "/campaigns/{id}/reopen-for", authorized, wb.reopenFor, false},
		{"GET", "/campaigns/{id}/requirements/{rid}/export", authorized, wb.exportSubmissions, false},
		{"POST", "/campaigns/{id}/urge", authorized, wb.urge, false},
		{"GET", "/submissions/{id}", authorized, wb.submissionPage, false},
		{"POST", "/submissions/{id}", authorized, wb.saveSubmission, false},
		{"POST", "/submissions/{id}/files", authorized, wb.uploadSubmissionFile, false},
		{"POST", "/submissions/{id}/review", authorized, wb.reviewSubmission, false},
		{"GET", "/liaison", authorized, wb.liaisonPage, false},
		{"POST", "/liaison", authorized, wb.saveLiaison, false},
	}
}

type campaignsData struct {
	Sections   []campaignSection
	Queue      []isms.Submission
	Supervisor bool
	Liaison    *isms.Liaison
	CanSubmit  bool
	Manage     bool
}

func (wb *Web) campaigns(w http.ResponseWriter, r *req) error {
	l, err := wb.svc.Campaigns(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	d := campaignsData{Supervisor: r.Actor.Can(isms.ActSupervise), CanSubmit: r.Actor.Can(isms.ActSubmit),
		Manage: r.Actor.Can(isms.ActSuperviseManage)}
	if d.Supervisor {
		d.Sections = append(d.Sections, campaignSection{"owned-campaigns", "ui.campaign.owned", "ui.campaign.none", l.Owned})
		if len(l.Reviewing) > 0 {
			d.Sections = append(d.Sections, campaignSection{"reviewing-campaigns", "ui.campaign.reviewing", "", l.Reviewing})
		}
	}
	if d.CanSubmit {
		d.Sections = append(d.Sections, campaignSection{"answering-campaigns", "ui.campaign.answering", "ui.campaign.none_answering", l.Answering})
	}
	if d.Supervisor {
		if d.Queue, err = wb.svc.ReviewQueue(r.Context(), r.Actor); err != nil {
			return err
		}
	}
	if d.CanSubmit {
		l, ok, err := wb.svc.Liaison(r.Context(), r.Actor)
		if err != nil {
			return err
		}
		if ok {
			d.Liaison = &l
		}
	}
	return wb.render(w, r, http.StatusOK, "campaigns/list", page{Title: "ui.campaign.title", Data: d})
}

// subStatusKeys name the submission states.
var subStatusKeys = map[string]string{isms.SubPending: "ui.sub.status_pending", isms.SubDraft: "ui.sub.status_draft",
	isms.SubSubmitted: "ui.sub.status_submitted", isms.SubReturned: "ui.sub.status_returned", isms.SubAccepted: "ui.sub.status_accepted"}

// campaignSection is one list of campaigns on the campaigns page.
type campaignSection struct {
	ID, Title, Empty string
	Rows             []isms.Campaign
}

// campaignForm is the campaign editor: a few phase rows and requirement
// rows, blank ones to fill; a requirement names its phase by row.
type campaignForm struct {
	ID        string
	Open      bool // only titles and dates change
	Phases    []isms.CampaignPhase
	Reqs      []reqRow
	Templates []service.SubmissionTemplate
}

type reqRow struct {
	isms.Requirement
	Phase int // row of its phase, -1 none
}

func newCampaignForm(c isms.Campaign) campaignForm {
	f := campaignForm{ID: c.ID, Open: c.Status == isms.CampaignOpen, Phases: slices.Clone(c.Phases)}
	f.Templates, _ = service.SubmissionTemplates()
	for _, q := range c.Requirements {
		f.Reqs = append(f.Reqs, reqRow{Requirement: q, Phase: slices.IndexFunc(c.Phases, func(p isms.CampaignPhase) bool { return p.ID == q.PhaseID })})
	}
	if !f.Open {
		for len(f.Phases) < max(3, len(c.Phases)+1) {
			f.Phases = append(f.Phases, isms.CampaignPhase{})
		}
		for len(f.Reqs) < max(4, len(c.Requirements)+2) {
			f.Reqs = append(f.Reqs, reqRow{Phase: -1})
		}
	}
	return f
}

// campaignFromForm reads the editor; blank rows are left out, and a new
// phase is named by its row so requirements can point at it.
func campaignFromForm(f url.Values) isms.Campaign {
	c := isms.Campaign{Title: f.Get("title"), BasisNo: f.Get("basis_no"), Basis: f.Get("basis")}
	rowID := map[string]string{}
	for i := 0; i < 20; i++ {
		p := "phase." + strconv.Itoa(i) + "."
		ph := isms.CampaignPhase{ID: f.Get(p + "id"), Name: f.Get(p + "name"), StartsOn: f.Get(p + "starts_on"), EndsOn: f.Get(p + "ends_on")}
		if ph.ID == "" {
			ph.ID = "row" + strconv.Itoa(i)
		}
		rowID[strconv.Itoa(i)] = ph.ID
		if strings.TrimSpace(ph.Name+ph.StartsOn+ph.EndsOn) == "" {
			continue
		}
		c.Phases = append(c.Phases, ph)
	}
	for i := 0; i < 50; i++ {
		p := "req." + strconv.Itoa(i) + "."
		q := isms.Requirement{ID: f.Get(p + "id"), TypeCode: f.Get(p + "type_code"), Title: f.Get(p + "title"),
			DueOn: f.Get(p + "due_on"), PhaseID: rowID[f.Get(p+"phase")]}
		if strings.TrimSpace(q.TypeCode+q.Title+q.DueOn) == "" {
			continue
		}
		c.Requirements = append(c.Requirements, q)
	}
	return c
}

func (wb *Web) newCampaign(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActSuperviseManage); err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "campaigns/edit", page{Title: "ui.campaign.new", Data: newCampaignForm(isms.Campaign{}),
		Form: map[string]string{}})
}

func (wb *Web) createCampaign(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := campaignFromForm(f)
	c, err := wb.svc.CreateCampaign(r.Context(), r.Actor, in)
	if err != nil {
		return wb.campaignFormError(w, r, in, f, err)
	}
	return redirect(w, r, "/campaigns/"+c.ID, "ui.flash.saved")
}

// campaignFormError shows the editor again with what was typed.
func (wb *Web) campaignFormError(w http.ResponseWriter, r *req, in isms.Campaign, f url.Values, err error) error {
	fm := newCampaignForm(isms.Campaign{})
	fm.ID = r.PathValue("id")
	fm.Phases, fm.Reqs = nil, nil
	for i := 0; i < 20 && (f.Has("phase."+strconv.Itoa(i)+".name") || i < 3); i++ {
		p := "phase." + strconv.Itoa(i) + "."
		fm.Phases = append(fm.Phases, isms.CampaignPhase{ID: f.Get(p + "id"), Name: f.Get(p + "name"),
			StartsOn: f.Get(p + "starts_on"), EndsOn: f.Get(p + "ends_on")})
	}
	for i := 0; i < 50 && (f.Has("req."+strconv.Itoa(i)+".due_on") || i < 4); i++ {
		p := "req." + strconv.Itoa(i) + "."
		ph, err := strconv.Atoi(f.Get(p + "phase"))
		if err != nil {
			ph = -1
		}
		fm.Reqs = append(fm.Reqs, reqRow{Requirement: isms.Requirement{ID: f.Get(p + "id"), TypeCode: f.Get(p + "type_code"),
			Title: f.Get(p + "title"), DueOn: f.Get(p + "due_on")}, Phase: ph})
	}
	fm.Open = f.Get("open") == "1"
	title := "ui.campaign.new"
	if fm.ID != "" {
		title = "ui.campaign.edit"
	}
	p := page{Title: title, Data: fm, Form: map[string]string{"title": in.Title, "basis_no": in.BasisNo, "basis": in.Basis}}
	return wb.formError(w, r, "campaigns/edit", p, err)
}

func (wb *Web) editCampaign(w http.ResponseWriter, r *req) error {
	v, err := wb.svc.CampaignFor(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := r.Actor.Require(isms.ActSuperviseManage); err != nil {
		return err
	}
	if v.Role != service.CampaignOwner {
		return isms.NotFound("campaign")
	}
	return wb.render(w, r, http.StatusOK, "campaigns/edit", page{Title: "ui.campaign.edit", Data: newCampaignForm(v.Campaign),
		Form: map[string]string{"title": v.Title, "basis_no": v.BasisNo, "basis": v.Basis}})
}

func (wb *Web) updateCampaign(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := campaignFromForm(f)
	if _, err := wb.svc.UpdateCampaign(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		return wb.campaignFormError(w, r, in, f, err)
	}
	return redirect(w, r, "/campaigns/"+r.PathValue("id"), "ui.flash.saved")
}

// campaignData is a campaign's page: for the body running it or
// reviewing for it, the grid of organizations × requirements; for an
// organization, its own submissions.
type campaignData struct {
	service.CampaignView
	Grid      []gridRow
	Counts    []reqCounts // per requirement
	Orgs      []isms.SupervisedOrg
	InAudnc   map[string]bool
	Manage    bool // runs it, may change it
	CanUrge   bool // runs it or reviews for it, may urge the late
	LateOrgs  int
	Statuses  []string
	Deadlines map[string]string // requirement → due day
}

type gridRow struct {
	Member isms.CampaignMember
	Cells  []isms.Submission // in requirement order; zero when missing
}

type reqCounts struct {
	Req                                    isms.Requirement
	Pending, Submitted, Returned, Accepted int
	Late                                   int
}

func (wb *Web) campaignData(r *req) (page, error) {
	v, err := wb.svc.CampaignFor(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return page{}, err
	}
	d := campaignData{CampaignView: v, Statuses: isms.SubmissionStatuses, Manage: v.Role == service.CampaignOwner && r.Actor.Can(isms.ActSuperviseManage),
		CanUrge: v.Role != service.CampaignMember && v.Status == isms.CampaignOpen && r.Actor.Can(isms.ActSuperviseManage)}
	lateOrgs := map[string]bool{}
	for _, x := range v.Submissions {
		if x.Late(v.Today) {
			lateOrgs[x.OrgID] = true
		}
	}
	d.LateOrgs = len(lateOrgs)
	byKey := map[string]isms.Submission{}
	for _, x := range v.Submissions {
		byKey[x.OrgID+"/"+x.RequirementID] = x
	}
	for _, q := range v.Requirements {
		c := reqCounts{Req: q}
		for _, x := range v.Submissions {
			if x.RequirementID != q.ID {
				continue
			}
			switch x.Status {
			case isms.SubPending, isms.SubDraft:
				c.Pending++
			case isms.SubSubmitted:
				c.Submitted++
			case isms.SubReturned:
				c.Returned++
			case isms.SubAccepted:
				c.Accepted++
			}
			if x.Late(v.Today) {
				c.Late++
			}
		}
		d.Counts = append(d.Counts, c)
	}
	for _, m := range v.Members {
		row := gridRow{Member: m}
		for _, q := range v.Requirements {
			row.Cells = append(row.Cells, byKey[m.OrgID+"/"+q.ID])
		}
		d.Grid = append(d.Grid, row)
	}
	if d.Manage && v.Status != isms.CampaignClosed {
		if d.Orgs, err = wb.svc.SupervisedOrganizations(r.Context(), r.Actor, isms.SupervisedFilter{}); err != nil {
			return page{}, err
		}
		d.InAudnc = map[string]bool{}
		for _, m := range v.Members {
			d.InAudnc[m.OrgID] = true
		}
	}
	return page{Title: "ui.campaign.title", Data: d, Form: map[string]string{}}, nil
}

func (wb *Web) campaignPage(w http.ResponseWriter, r *req) error {
	p, err := wb.campaignData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "campaigns/show", p)
}

// campaignError shows the campaign page again with the refusal.
func (wb *Web) campaignError(w http.ResponseWriter, r *req, err error, form map[string]string) error {
	p, perr := wb.campaignData(r)
	if perr != nil {
		return perr
	}
	for k, v := range form {
		p.Form[k] = v
	}
	return wb.formError(w, r, "campaigns/show", p, err)
}

func (wb *Web) setAudience(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := service.Audience{OrgIDs: f["org"], Below: f.Get("below")}
	if _, err := wb.svc.SetCampaignAudience(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		return wb.campaignError(w, r, err, nil)
	}
	return redirect(w, r, "/campaigns/"+r.PathValue("id")+"#audience", "ui.flash.saved")
}

func (wb *Web) campaignStatus(action string) func(w http.ResponseWriter, r *req) error {
	return func(w http.ResponseWriter, r *req) error {
		var err error
		switch action {
		case "open":
			_, err = wb.svc.OpenCampaign(r.Context(), r.Actor, r.PathValue("id"))
		case "close":
			_, err = wb.svc.CloseCampaign(r.Context(), r.Actor, r.PathValue("id"))
		default:
			_, err = wb.svc.ReopenCampaign(r.Context(), r.Actor, r.PathValue("id"))
		}
		if err != nil {
			return wb.campaignError(w, r, err, nil)
		}
		return redirect(w, r, "/campaigns/"+r.PathValue("id"), "ui.flash.saved")
	}
}

func (wb *Web) reopenFor(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if err := wb.svc.ReopenFor(r.Context(), r.Actor, r.PathValue("id"), f.Get("org_id"), f.Get("until")); err != nil {
		return wb.campaignError(w, r, err, map[string]string{"org_id": f.Get("org_id"), "until": f.Get("until")})
	}
	return redirect(w, r, "/campaigns/"+r.PathValue("id"), "ui.flash.saved")
}

// fieldView is one field of a submission as a page shows it: a scalar's
// text, a table's rows (with blank rows to fill when editable), an
// attachment field's files.
type fieldView struct {
	isms.Field
	Label string
	Value string
	Rows  [][]string
	Cols  []isms.Field
	Files []isms.Attachment
}

func fieldViews(lang string, schema isms.SubmissionSchema, d isms.SubmissionData, atts map[string]isms.Attachment, blank int) []fieldView {
	var out []fieldView
	for _, f := range schema.Fields {
		fv := fieldView{Field: f, Label: f.Label(lang), Cols: f.Columns}
		switch f.Kind {
		case isms.FieldTable, isms.FieldPull:
			for _, row := range d.Rows(f.Key) {
				cells := make([]string, len(f.Columns))
				for i, c := range f.Columns {
					cells[i] = isms.Text(row[c.Key])
				}
				fv.Rows = append(fv.Rows, cells)
			}
			if f.Kind == isms.FieldTable {
				for range blank {
					fv.Rows = append(fv.Rows, make([]string, len(f.Columns)))
				}
			}
		case isms.FieldAttachment:
			for _, id := range d.Refs(f.Key) {
				if a, ok := atts[id]; ok {
					fv.Files = append(fv.Files, a)
				}
			}
		default:
			fv.Value = isms.Text(d[f.Key])
		}
		out = append(out, fv)
	}
	return out
}

// submissionForm reads a submission's form into data for the schema.
func submissionForm(f url.Values, schema isms.SubmissionSchema) map[string]any {
	data := map[string]any{}
	for _, fd := range schema.Fields {
		switch fd.Kind {
		case isms.FieldPull:
		case isms.FieldTable:
			var rows []any
			for i := 0; i < isms.MaxSubmissionRows+1; i++ {
				p := "t." + fd.Key + "." + strconv.Itoa(i) + "."
				if !f.Has(p + fd.Columns[0].Key) {
					break
				}
				row := map[string]any{}
				for _, c := range fd.Columns {
					row[c.Key] = f.Get(p + c.Key)
				}
				rows = append(rows, row)
			}
			data[fd.Key] = rows
		case isms.FieldAttachment:
			keep := []any{}
			for _, id := range f["a."+fd.Key] {
				keep = append(keep, id)
			}
			data[fd.Key] = keep
		default:
			data[fd.Key] = f.Get("f." + fd.Key)
		}
	}
	return data
}

type submissionData struct {
	service.SubmissionView
	Fields   []fieldView
	Latest   []fieldView // the latest submitted version, for reviewers and the record
	Editable bool
}

func (wb *Web) submissionData(r *req, working isms.SubmissionData) (page, error) {
	v, err := wb.svc.Submission(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return page{}, err
	}
	d := submissionData{SubmissionView: v, Editable: v.Own && v.Accepting && v.Editable() && r.Actor.Can(isms.ActSubmit)}
	if working == nil {
		working = v.Data
	}
	if v.Own {
		blank := 0 // empty table rows to fill in
		if d.Editable {
			blank = 3
		}
		d.Fields = fieldViews(r.Lang, v.Requirement.Schema, working, v.Attachments, blank)
	}
	if len(v.Versions) > 0 {
		d.Latest = fieldViews(r.Lang, v.Requirement.Schema, v.Versions[0].Data, v.Attachments, 0)
	}
	return page{Title: "ui.submission.title", Data: d, Form: map[string]string{}}, nil
}

func (wb *Web) submissionPage(w http.ResponseWriter, r *req) error {
	p, err := wb.submissionData(r, nil)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "campaigns/submission", p)
}

func (wb *Web) saveSubmission(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	v, err := wb.svc.Submission(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	data := submissionForm(f, v.Requirement.Schema)
	_, err = wb.svc.SaveSubmission(r.Context(), r.Actor, v.ID, data)
	flash := "ui.flash.saved"
	if err == nil && f.Get("action") == "submit" {
		_, err = wb.svc.SubmitSubmission(r.Context(), r.Actor, v.ID)
		flash = "ui.flash.submitted"
	}
	if err != nil {
		working := isms.SubmissionData(data)
		if clean, cerr := v.Requirement.Schema.Clean(data, false); cerr == nil {
			working = clean
			for _, fd := range v.Requirement.Schema.Fields {
				if fd.Kind == isms.FieldPull {
					working[fd.Key] = v.Data[fd.Key]
				}
			}
		}
		p, perr := wb.submissionData(r, working)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "campaigns/submission", p, err)
	}
	return redirect(w, r, "/submissions/"+v.ID, flash)
}

func (wb *Web) uploadSubmissionFile(w http.ResponseWriter, r *req) error {
	file, h, err := r.FormFile("file")
	if err != nil {
		p, perr := wb.submissionData(r, nil)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "campaigns/submission", p, isms.Invalid("file", isms.M("field.required")))
	}
	defer file.Close()
	field := r.FormValue("field")
	if _, err := wb.svc.AttachToSubmission(r.Context(), r.Actor, r.PathValue("id"), field, h.Filename, file); err != nil {
		p, perr := wb.submissionData(r, nil)
		if perr != nil {
			return perr
		}
		e := isms.AsError(err)
		for i := range e.Fields {
			if e.Fields[i].Field == "file" {
				e.Fields[i].Field = "data." + field
			}
		}
		return wb.formError(w, r, "campaigns/submission", p, e)
	}
	return redirect(w, r, "/submissions/"+r.PathValue("id")+"#f-"+field, "ui.flash.saved")
}

func (wb *Web) reviewSubmission(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.SubmissionReview{Decision: f.Get("decision"), Comment: f.Get("comment")}
	if _, err := wb.svc.ReviewSubmission(r.Context(), r.Actor, r.PathValue("id"), in); err != nil {
		p, perr := wb.submissionData(r, nil)
		if perr != nil {
			return perr
		}
		p.Form["comment"], p.Form["decision"] = in.Comment, in.Decision
		return wb.formError(w, r, "campaigns/submission", p, err)
	}
	return redirect(w, r, "/submissions/"+r.PathValue("id"), "ui.flash.decided")
}

type liaisonData struct {
	Liaison  isms.Liaison
	Accounts []isms.Account
}

func (wb *Web) liaisonData(r *req) (page, error) {
	l, _, err := wb.svc.Liaison(r.Context(), r.Actor)
	if err != nil {
		return page{}, err
	}
	accts, err := wb.svc.AccountChoices(r.Context(), r.Actor)
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.liaison.title", Data: liaisonData{Liaison: l, Accounts: accts},
		Form: map[string]string{"name": l.Name, "post": l.Post, "phone": l.Phone, "email": l.Email, "account_id": l.AccountID}}, nil
}

func (wb *Web) liaisonPage(w http.ResponseWriter, r *req) error {
	p, err := wb.liaisonData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "campaigns/liaison", p)
}

func (wb *Web) saveLiaison(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.Liaison{Name: f.Get("name"), Post: f.Get("post"), Phone: f.Get("phone"), Email: f.Get("email"), AccountID: f.Get("account_id")}
	if _, err := wb.svc.SetLiaison(r.Context(), r.Actor, in); err != nil {
		p, perr := wb.liaisonData(r)
		if perr != nil {
			return perr
		}
		p.Form = map[string]string{"name": in.Name, "post": in.Post, "phone": in.Phone, "email": in.Email, "account_id": in.AccountID}
		return wb.formError(w, r, "campaigns/liaison", p, err)
	}
	return redirect(w, r, "/liaison", "ui.flash.saved")
}

// subFieldArgs is what the "sub-field" template draws one field from.
type subFieldArgs struct {
	Lang   string
	Field  fieldView
	Edit   bool
	Errors map[string]string
}

func subField(lang string, f fieldView, edit bool, errs map[string]string) subFieldArgs {
	return subFieldArgs{Lang: lang, Field: f, Edit: edit, Errors: errs}
}

// subCellArgs is what the "sub-input" template draws one input from.
type subCellArgs struct {
	Lang            string
	Field           isms.Field
	Name, ID, Value string
}

func subCell(lang string, f isms.Field, name, value string) subCellArgs {
	return subCellArgs{Lang: lang, Field: f, Name: name, ID: strings.ReplaceAll(name, ".", "-"), Value: value}
}

func hasFiles(s isms.SubmissionSchema) bool {
	return slices.ContainsFunc(s.Fields, func(f isms.Field) bool { return f.Kind == isms.FieldAttachment })
}

// historyRow is a submitted version or a decision on one.
type historyRow struct {
	At             time.Time
	Version        int
	Decision, Body string
	Who, Comment   string
}

// submissionHistory merges versions and decisions, newest first.
func submissionHistory(vs []isms.SubmissionVersion, rs []isms.SubmissionReview) []historyRow {
	var out []historyRow
	for _, v := range vs {
		out = append(out, historyRow{At: v.SubmittedAt, Version: v.Version, Who: v.SubmittedBy})
	}
	for _, r := range rs {
		out = append(out, historyRow{At: r.DecidedAt, Version: r.Version, Decision: r.Decision, Body: r.ReviewerOrgName,
			Who: r.Reviewer, Comment: r.Comment})
	}
	slices.SortStableFunc(out, func(a, b historyRow) int { return b.At.Compare(a.At) })
	return out
}

func (wb *Web) exportSubmissions(w http.ResponseWriter, r *req) error {
	return wb.svc.SubmissionsXLSX(r.Context(), r.Actor, r.PathValue("id"), r.PathValue("rid"), func(name string) {
		export.Attach(w.Header(), name, export.ContentType)
	}, w)
}

// urge sends the body's reminder to every late organization in its view
// and returns to the page it came from (the campaign or the dashboard).
func (wb *Web) urge(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	back := "/campaigns/" + r.PathValue("id")
	if b := f.Get("back"); strings.HasPrefix(b, "/supervision?") {
		back = b
	}
	if _, err := wb.svc.UrgeLate(r.Context(), r.Actor, r.PathValue("id"), f["org"], f.Get("message")); err != nil {
		if isms.ErrorCode(err) == isms.CodeForbidden || isms.ErrorCode(err) == isms.CodeNotFound {
			return err
		}
		return wb.campaignError(w, r, err, map[string]string{"message": f.Get("message")})
	}
	return redirect(w, r, back, "ui.flash.urged")
}

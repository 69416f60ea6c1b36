package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// markdown renders document text. Raw HTML in the source is not passed
// through and dangerous link targets (javascript: …) are dropped:
// goldmark's safe defaults, so a document cannot carry script.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

func renderMarkdown(src string) template.HTML {
	var b bytes.Buffer
	if err := markdown.Convert([]byte(src), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(b.String()) //nolint:gosec // goldmark escapes raw HTML (no WithUnsafe)
}

// docData is what the document pages show.
type docData struct {
	Docs        []isms.Document
	Next        string
	View        service.DocumentView
	Version     *isms.DocVersion // the version a print view shows
	Coverage    []service.CoverageRow
	Departments []isms.Department
	DeptNames   map[string]string
	People      []store.AccountName
	PeopleNames map[string]string
	Settings    isms.DocSettings
	CanManage   bool
	CanSettings bool // the ISMS team and management representative set the rules
	Schemes     []string
	Types       []string
	Statuses    []string
	Levels      []string
	Roles       []isms.Role
	Today       string
}

func (wb *Web) docData(r *req) (docData, error) {
	d := docData{CanManage: r.Actor.Can(isms.ActManageDocuments), CanSettings: r.Actor.Can(isms.ActManageISMS),
		Schemes: isms.VersionSchemes, Types: isms.DocTypes, Statuses: isms.DocStatuses,
		Levels: isms.DocConfidentiality, Roles: isms.GrantableRoles, DeptNames: map[string]string{}, PeopleNames: map[string]string{},
		Today: wb.svc.Clock().Now().In(displayZone).Format("2006-01-02")}
	var err error
	if d.Departments, err = wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
		return d, err
	}
	for _, dep := range d.Departments {
		d.DeptNames[dep.ID] = dep.Name
	}
	d.Settings, err = wb.svc.DocumentSettings(r.Context(), r.Actor)
	return d, err
}

// loadPeople adds the accounts that reviewer and recipient pickers offer
// (the document page only, for those who compile documents).
func (wb *Web) loadPeople(r *req, d *docData) error {
	if !d.CanManage {
		return nil
	}
	var err error
	if d.People, err = wb.svc.DocumentPeople(r.Context(), r.Actor); err != nil {
		return err
	}
	for _, p := range d.People {
		d.PeopleNames[p.ID] = p.Name
		if p.Name == "" {
			d.PeopleNames[p.ID] = p.Username
		}
	}
	return nil
}

func (wb *Web) documentListPage(r *req) (page, error) {
	d, err := wb.docData(r)
	if err != nil {
		return page{}, err
	}
	q := r.URL.Query()
	f := store.DocFilter{Type: q.Get("type"), Status: q.Get("status"), DeptID: q.Get("department_id"), Text: q.Get("q"),
		After: q.Get("after")}
	if d.Docs, err = wb.svc.ListDocuments(r.Context(), r.Actor, f); err != nil {
		return page{}, err
	}
	if len(d.Docs) == isms.DefaultPageSize {
		d.Next = d.Docs[len(d.Docs)-1].Code
	}
	return page{Title: "ui.doc.title", Data: d, Form: map[string]string{"type": f.Type, "status": f.Status,
		"department_id": f.DeptID, "q": f.Text, "confidentiality": "internal"}}, nil
}

func (wb *Web) documentList(w http.ResponseWriter, r *req) error {
	p, err := wb.documentListPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "documents/list", p)
}

func docFromForm(f url.Values) service.DocInput {
	months, _ := strconv.Atoi(f.Get("review_months"))
	return service.DocInput{Document: isms.Document{Code: f.Get("code"), Title: f.Get("title"), Type: f.Get("type"),
		DeptID: f.Get("department_id"), CompilingDeptID: f.Get("compiling_department_id"),
		InterpretingDeptID: f.Get("interpreting_department_id"), Executing: f["executing_department_ids"],
		Confidentiality: f.Get("confidentiality"), ReviewMonths: months, Related: f.Get("related"), Clauses: f.Get("clauses")},
		Body: f.Get("body"), ChangeNote: f.Get("change_note")}
}

func docForm(in service.DocInput) map[string]string {
	m := map[string]string{"code": in.Code, "title": in.Title, "type": in.Type, "department_id": in.DeptID,
		"compiling_department_id": in.CompilingDeptID, "interpreting_department_id": in.InterpretingDeptID,
		"confidentiality": in.Confidentiality, "related": in.Related, "clauses": in.Clauses, "body": in.Body,
		"change_note": in.ChangeNote}
	if in.ReviewMonths > 0 {
		m["review_months"] = strconv.Itoa(in.ReviewMonths)
	}
	for _, e := range in.Executing {
		m["exec:"+e] = "1"
	}
	return m
}

func (wb *Web) createDocument(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := docFromForm(f)
	doc, err := wb.svc.CreateDocument(r.Context(), r.Actor, in)
	if err != nil {
		p, perr := wb.documentListPage(r)
		if perr != nil {
			return perr
		}
		p.Form = docForm(in)
		return wb.formError(w, r, "documents/list", p, err)
	}
	return redirect(w, r, "/documents/"+doc.ID, "ui.flash.saved")
}

func (wb *Web) saveDocumentSettings(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	ds := isms.DocSettings{VersionScheme: f.Get("version_scheme"), Approvers: map[string]isms.Role{}}
	ds.ReviewMonths, _ = strconv.Atoi(f.Get("review_months"))
	ds.MaxUploadMiB, _ = strconv.Atoi(f.Get("max_upload_mib"))
	ds.AckDays, _ = strconv.Atoi(f.Get("ack_days"))
	for _, t := range isms.DocTypes {
		ds.Approvers[t] = isms.Role(f.Get("approver_" + t))
	}
	if _, err := wb.svc.SetDocumentSettings(r.Context(), r.Actor, ds); err != nil {
		p, perr := wb.documentListPage(r)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "documents/list", p, err)
	}
	return redirect(w, r, "/documents#settings", "ui.flash.saved")
}

func (wb *Web) documentPage(r *req, id string) (page, error) {
	v, err := wb.svc.Document(r.Context(), r.Actor, id)
	if err != nil {
		return page{}, err
	}
	d, err := wb.docData(r)
	if err != nil {
		return page{}, err
	}
	if err := wb.loadPeople(r, &d); err != nil {
		return page{}, err
	}
	d.View = v
	var approvers []string
	for _, ver := range v.Versions {
		approvers = append(approvers, ver.ApprovedBy)
	}
	labels, err := wb.svc.AccountLabels(r.Context(), r.Actor, approvers...)
	if err != nil {
		return page{}, err
	}
	for id, l := range labels {
		if d.PeopleNames[id] == "" {
			d.PeopleNames[id] = l
		}
	}
	d.Coverage = service.Coverage(v.Acks, wb.svc.Now())
	in := service.DocInput{Document: v.Document}
	if wv := v.Working(); wv != nil {
		in.Body, in.ChangeNote = wv.Body, wv.ChangeNote
	}
	form := docForm(in)
	form["effective_date"] = d.Today
	return page{Title: "ui.doc.title", Data: d, Form: form}, nil
}

func (wb *Web) document(w http.ResponseWriter, r *req) error {
	p, err := wb.documentPage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "documents/detail", p)
}

// docAction runs one lifecycle step from a form and returns to the page,
// or shows the page again with the error beside the form.
func (wb *Web) docAction(step func(r *req, f url.Values, id string) error) func(http.ResponseWriter, *req) error {
	return func(w http.ResponseWriter, r *req) error {
		f, err := form(r)
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		if err := step(r, f, id); err != nil {
			if isms.ErrorCode(err) == isms.CodeNotFound {
				return err
			}
			p, perr := wb.documentPage(r, id)
			if perr != nil {
				return perr
			}
			for k := range f {
				p.Form[k] = f.Get(k)
			}
			return wb.formError(w, r, "documents/detail", p, err)
		}
		return redirect(w, r, "/documents/"+id, "ui.flash.saved")
	}
}

func (wb *Web) documentRoutes() []route {
	step := func(path string, fn func(r *req, f url.Values, id string) error) route {
		return route{"POST", "/documents/{id}" + path, authorized, wb.docAction(fn), false}
	}
	return []route{
		{"GET", "/documents", authorized, wb.documentList, false},
		{"POST", "/documents", authorized, wb.createDocument, false},
		{"POST", "/documents/settings", authorized, wb.saveDocumentSettings, false},
		{"GET", "/documents/{id}", authorized, wb.document, false},
		{"GET", "/documents/{id}/print", authorized, wb.documentPrint, false},
		{"GET", "/documents/{id}/print.css", authorized, wb.documentPrintCSS, false},
		{"POST", "/documents/{id}/files", authorized, wb.uploadDocumentFile, true},
		step("", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.UpdateDocument(r.Context(), r.Actor, id, docFromForm(f))
			return err
		}),
		step("/submit", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.SubmitDocument(r.Context(), r.Actor, id, service.Submission{Reviewers: f["reviewer_ids"],
				Consulted: f["consulted_department_ids"], Note: f.Get("note")})
			return err
		}),
		step("/comments", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.CommentDocument(r.Context(), r.Actor, id, f.Get("department_id"), f.Get("comment"))
			return err
		}),
		step("/approve", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.ApproveDocument(r.Context(), r.Actor, id, service.DocApproval{EffectiveDate: f.Get("effective_date"),
				TrialEnd: f.Get("trial_end"), Comment: f.Get("approve_comment")})
			return err
		}),
		step("/reject", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.RejectDocument(r.Context(), r.Actor, id, f.Get("comment"))
			return err
		}),
		step("/publish", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.PublishDocument(r.Context(), r.Actor, id)
			return err
		}),
		step("/revise", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.ReviseDocument(r.Context(), r.Actor, id, service.Revision{Major: f.Get("major") == "1", Note: f.Get("change_note")})
			return err
		}),
		step("/review", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.ReviewDocument(r.Context(), r.Actor, id, f.Get("outcome"), f.Get("note"))
			return err
		}),
		step("/obsolete", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.ObsoleteDocument(r.Context(), r.Actor, id, f.Get("reason"))
			return err
		}),
		step("/distribute", func(r *req, f url.Values, id string) error {
			roles := make([]isms.Role, 0, len(f["roles"]))
			for _, x := range f["roles"] {
				roles = append(roles, isms.Role(x))
			}
			_, err := wb.svc.DistributeDocument(r.Context(), r.Actor, id, service.Distribution{DeptIDs: f["department_ids"],
				Roles: roles, AccountIDs: f["account_ids"], DueOn: f.Get("due_on")})
			return err
		}),
		step("/acknowledge", func(r *req, f url.Values, id string) error {
			_, err := wb.svc.AcknowledgeDocument(r.Context(), r.Actor, id)
			return err
		}),
	}
}

func (wb *Web) uploadDocumentFile(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActManageDocuments); err != nil {
		return err
	}
	id := r.PathValue("id")
	file, header, err := r.FormFile("file")
	if err == nil {
		defer file.Close()
		_, err = wb.svc.AttachToDocument(r.Context(), r.Actor, id, header.Filename, file)
	} else {
		err = isms.Invalid("file", isms.M("field.required"))
	}
	if err != nil {
		if isms.ErrorCode(err) == isms.CodeNotFound {
			return err
		}
		p, perr := wb.documentPage(r, id)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "documents/detail", p, err)
	}
	return redirect(w, r, "/documents/"+id, "ui.flash.saved")
}

// printPage finds the version a print view shows: the current one
// unless ?v= names another (a document never published prints its newest).
func (wb *Web) printPage(r *req) (page, docData, error) {
	p, err := wb.documentPage(r, r.PathValue("id"))
	if err != nil {
		return p, docData{}, err
	}
	d := p.Data.(docData)
	want := r.URL.Query().Get("v")
	if want == "" {
		d.Version = d.View.Current()
		if d.Version == nil {
			d.Version = d.View.Working()
		}
	}
	for i := range d.View.Versions {
		if d.View.Versions[i].ID == want {
			d.Version = &d.View.Versions[i]
		}
	}
	if d.Version == nil {
		return p, d, isms.NotFound("document_version")
	}
	p.Data = d
	return p, d, nil
}

// documentPrint is the controlled print view of one version: a header
// table with code, version, status, approver and effective date, and 作废
// or 已替代 across retired versions. Its page margins come from
// documentPrintCSS (the content security policy allows no inline style).
func (wb *Web) documentPrint(w http.ResponseWriter, r *req) error {
	p, _, err := wb.printPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "documents/print", p)
}

// documentPrintCSS puts the document's code, title, version and status and
// "page x of y" in every printed page's margins.
func (wb *Web) documentPrintCSS(w http.ResponseWriter, r *req) error {
	_, d, err := wb.printPage(r)
	if err != nil {
		return err
	}
	t := func(key string, kv ...any) string { return i18n.T(r.Lang, isms.M(key, kv...)) }
	v := d.Version
	css := fmt.Sprintf(`@page { size: A4; margin: 28mm 18mm 18mm;
  @top-left { content: %s; font-size: 9pt; }
  @top-right { content: %s; font-size: 9pt; }
  @bottom-right { content: %s counter(page) %s counter(pages) %s; font-size: 9pt; }
  @bottom-left { content: %s; font-size: 8pt; }
}
`, cssString(d.View.Code+"  "+d.View.Title), cssString(t("ui.doc.version")+" "+v.Label+" · "+t(fmt.Sprintf("ui.doc.status_%s", v.Status))),
		cssString(t("ui.doc.page_of_prefix")), cssString(t("ui.doc.page_of_middle")), cssString(t("ui.doc.page_of_suffix")),
		cssString(t("ui.doc.printed_note", "date", d.Today)))
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, err = io.WriteString(w, css)
	return err
}

// cssString quotes s as a CSS string.
func cssString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\A `, "\r", "").Replace(s) + `"`
}

func init() {
	funcs["md"] = renderMarkdown
	// st passes the language and a status into the doc-status partial.
	funcs["st"] = func(lang, status string) map[string]any { return map[string]any{"Lang": lang, "S": status} }
	funcs["has"] = func(list []string, s string) bool { return slices.Contains(list, s) }
}

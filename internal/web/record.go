package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// Records control pages (记录控制): the register, record types, legal
// holds, and disposal with its log.

func (wb *Web) recordRoutes() []route {
	return []route{
		{"GET", "/isms", authorized, wb.profile, false},
		{"POST", "/isms", authorized, wb.saveProfile, false},
		{"GET", "/records", authorized, wb.recordList, false},
		{"GET", "/records.xlsx", authorized, wb.recordsXLSX, false},
		{"POST", "/records", authorized, wb.registerRecord, false},
		{"POST", "/records/hold", authorized, wb.holdRecords(false), false},
		{"POST", "/records/release", authorized, wb.holdRecords(true), false},
		{"GET", "/records/types", authorized, wb.recordTypes, false},
		{"POST", "/records/types", authorized, wb.createRecordType, false},
		{"POST", "/records/types/defaults", authorized, wb.applyDefaultRecordTypes, false},
		{"GET", "/records/types/{id}", authorized, wb.recordType, false},
		{"POST", "/records/types/{id}", authorized, wb.updateRecordType, false},
		{"POST", "/records/types/{id}/hold", authorized, wb.holdRecordType(false), false},
		{"POST", "/records/types/{id}/release", authorized, wb.holdRecordType(true), false},
		{"GET", "/records/disposals", authorized, wb.disposals, false},
		{"POST", "/records/disposals", authorized, wb.requestDisposal, false},
		{"GET", "/records/disposals/{id}", authorized, wb.disposal, false},
		{"POST", "/records/disposals/{id}/approve", authorized, wb.decideDisposal(true), false},
		{"POST", "/records/disposals/{id}/reject", authorized, wb.decideDisposal(false), false},
		{"POST", "/records/disposals/{id}/execute", authorized, wb.executeDisposal, false},
		{"GET", "/records/{id}", authorized, wb.recordEntry, false},
	}
}

// recordData is what the records pages show.
type recordData struct {
	List        service.RecordList
	Record      isms.Record
	Types       []isms.RecordType
	Type        isms.RecordType
	Disposals   []isms.Disposal
	Disposal    isms.Disposal
	Departments []isms.Department
	DeptNames   map[string]string
	TypeNames   map[string]string
	CanManage   bool
	CanApprove  bool
	Categories  []string
	Forms       []string
	Media       []string
	States      []string
	Methods     []string
	// DisposalStatuses filter the disposal list.
	DisposalStatuses []string
	Today            string
	Back             string            // the register page as filtered, for its forms
	Selected         []string          // records ticked when a form comes back with an error
	Names            map[string]string // account labels of filers, requesters, approvers
}

func (wb *Web) recordData(r *req) (recordData, error) {
	d := recordData{CanManage: r.Actor.Can(isms.ActManageRecords), CanApprove: r.Actor.Can(isms.ActApproveDisposal),
		Categories: isms.RecordCategories, Forms: isms.RecordForms, Media: isms.RecordMedia, States: isms.RecordStates,
		Methods: isms.DisposalMethods, DisposalStatuses: isms.DisposalStatuses, DeptNames: map[string]string{}, TypeNames: map[string]string{},
		Today: wb.svc.Clock().Now().In(displayZone).Format("2006-01-02")}
	var err error
	if d.Types, err = wb.svc.RecordTypes(r.Context(), r.Actor); err != nil {
		return d, err
	}
	for _, t := range d.Types {
		d.TypeNames[t.ID] = t.Name(r.Lang)
	}
	if d.Departments, err = wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize}); err != nil {
		return d, err
	}
	for _, dep := range d.Departments {
		d.DeptNames[dep.ID] = dep.Name
	}
	return d, nil
}

// recordSource is the page of the module record a register entry came
// from, or "".
func recordSource(r isms.Record) string {
	switch r.SourceType {
	case "task":
		return "/tasks/" + r.SourceID
	case "legal_item":
		return "/legal/" + r.SourceID
	case "document":
		return "/documents/" + r.SourceID
	case "disposal":
		return "/records/disposals/" + r.SourceID
	}
	return ""
}

func init() {
	funcs["recordSource"] = recordSource
}

func (wb *Web) recordListPage(r *req) (page, error) {
	d, err := wb.recordData(r)
	if err != nil {
		return page{}, err
	}
	q := r.URL.Query()
	f := store.RecordFilter{TypeID: q.Get("type_id"), Category: q.Get("category"), DeptID: q.Get("department_id"),
		State: q.Get("state"), Text: q.Get("q")}
	service.ParseRecordCursor(q.Get("after"), &f)
	d.Back = r.URL.RequestURI()
	if d.List, err = wb.svc.ListRecords(r.Context(), r.Actor, f); err != nil {
		return page{}, err
	}
	return page{Title: "ui.rec.title", Data: d, Form: map[string]string{"type_id": f.TypeID, "category": f.Category,
		"department_id": f.DeptID, "state": f.State, "q": f.Text, "record_date": d.List.Today}}, nil
}

// recordsXLSX exports the register under the list's filter, every page.
func (wb *Web) recordsXLSX(w http.ResponseWriter, r *req) error {
	d, err := wb.recordData(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.RecordFilter{TypeID: q.Get("type_id"), Category: q.Get("category"), DeptID: q.Get("department_id"),
		State: q.Get("state"), Text: q.Get("q"), Limit: isms.MaxPageSize}
	first, err := wb.svc.ListRecords(r.Context(), r.Actor, f) // errors before any byte is written
	if err != nil {
		return err
	}
	attachXLSX(w, "records-"+d.Today+".xlsx")
	cursor := first.Next
	done := false
	return export.Records(w, func() ([]isms.Record, error) {
		switch {
		case !done:
			done = true
			return first.Records, nil
		case cursor == "":
			return nil, nil
		}
		service.ParseRecordCursor(cursor, &f)
		l, err := wb.svc.ListRecords(r.Context(), r.Actor, f)
		cursor = l.Next
		return l.Records, err
	}, d.DeptNames)
}

func (wb *Web) recordList(w http.ResponseWriter, r *req) error {
	p, err := wb.recordListPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "records/list", p)
}

// listError shows the register again with the error of a form posted
// from it, keeping the filter the user was looking at.
func (wb *Web) listError(w http.ResponseWriter, r *req, f url.Values, err error) error {
	_, r.URL.RawQuery, _ = strings.Cut(back(f), "?")
	p, perr := wb.recordListPage(r)
	if perr != nil {
		return perr
	}
	for k := range f {
		p.Form[k] = f.Get(k)
	}
	d := p.Data.(recordData)
	d.Selected = f["record_ids"]
	p.Data = d
	return wb.formError(w, r, "records/list", p, err)
}

// back is where a register form returns to: the filtered list it was
// posted from.
func back(f url.Values) string {
	if u, err := url.Parse(f.Get("back")); err == nil && u.Path == "/records" && u.Host == "" {
		return u.String()
	}
	return "/records"
}

func (wb *Web) registerRecord(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	rec, err := wb.svc.RegisterRecord(r.Context(), r.Actor, isms.Record{TypeID: f.Get("type_id"), Title: f.Get("title"),
		RecordDate: f.Get("record_date"), DeptID: f.Get("department_id"), Location: f.Get("location")})
	if err != nil {
		return wb.listError(w, r, f, err)
	}
	return redirect(w, r, "/records/"+rec.ID, "ui.flash.saved")
}

func (wb *Web) holdRecords(release bool) func(http.ResponseWriter, *req) error {
	return func(w http.ResponseWriter, r *req) error {
		f, err := form(r)
		if err != nil {
			return err
		}
		if _, err := wb.svc.HoldRecords(r.Context(), r.Actor, f["record_ids"], f.Get("hold_reason"), release); err != nil {
			return wb.listError(w, r, f, err)
		}
		return redirect(w, r, back(f), "ui.flash.saved")
	}
}

func (wb *Web) recordEntry(w http.ResponseWriter, r *req) error {
	d, err := wb.recordData(r)
	if err != nil {
		return err
	}
	if d.Record, err = wb.svc.RecordEntry(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		return err
	}
	if d.Names, err = wb.svc.AccountLabels(r.Context(), r.Actor, d.Record.CreatedBy, d.Record.HoldBy); err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "records/detail", page{Title: "ui.rec.title", Data: d, Form: map[string]string{}})
}

// Record types.

func recordTypeFromForm(f url.Values) isms.RecordType {
	months, err := strconv.Atoi(f.Get("retention_months"))
	if err != nil {
		months = -1 // refused by validation, naming the field
	}
	return isms.RecordType{Code: f.Get("code"), NameZH: f.Get("name_zh"), NameEN: f.Get("name_en"), Category: f.Get("category"),
		Form: f.Get("form"), Medium: f.Get("medium"), RetentionMonths: months, Location: f.Get("location"),
		OwnerDeptID: f.Get("owner_department_id"), DocumentCode: f.Get("document_code")}
}

func recordTypeForm(t isms.RecordType) map[string]string {
	return map[string]string{"code": t.Code, "name_zh": t.NameZH, "name_en": t.NameEN, "category": t.Category, "form": t.Form,
		"medium": t.Medium, "retention_months": strconv.Itoa(t.RetentionMonths), "location": t.Location,
		"owner_department_id": t.OwnerDeptID, "document_code": t.DocumentCode}
}

func (wb *Web) recordTypes(w http.ResponseWriter, r *req) error {
	d, err := wb.recordData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "records/types", page{Title: "ui.rec.types", Data: d,
		Form: map[string]string{"category": "a", "medium": "electronic", "retention_months": "36"}})
}

func (wb *Web) createRecordType(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := recordTypeFromForm(f)
	t, err := wb.svc.CreateRecordType(r.Context(), r.Actor, in)
	if err != nil {
		d, derr := wb.recordData(r)
		if derr != nil {
			return derr
		}
		p := page{Title: "ui.rec.types", Data: d, Form: recordTypeForm(in)}
		p.Form["retention_months"] = f.Get("retention_months")
		return wb.formError(w, r, "records/types", p, err)
	}
	return redirect(w, r, "/records/types/"+t.ID, "ui.flash.saved")
}

func (wb *Web) applyDefaultRecordTypes(w http.ResponseWriter, r *req) error {
	if _, err := wb.svc.ApplyDefaultRecordTypes(r.Context(), r.Actor); err != nil {
		return err
	}
	return redirect(w, r, "/records/types", "ui.flash.saved")
}

func (wb *Web) recordTypePage(r *req, id string) (page, error) {
	d, err := wb.recordData(r)
	if err != nil {
		return page{}, err
	}
	if d.Type, err = wb.svc.RecordType(r.Context(), r.Actor, id); err != nil {
		return page{}, err
	}
	if d.Names, err = wb.svc.AccountLabels(r.Context(), r.Actor, d.Type.HoldBy); err != nil {
		return page{}, err
	}
	return page{Title: "ui.rec.types", Data: d, Form: recordTypeForm(d.Type)}, nil
}

func (wb *Web) recordType(w http.ResponseWriter, r *req) error {
	p, err := wb.recordTypePage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "records/type", p)
}

func (wb *Web) updateRecordType(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	in := recordTypeFromForm(f)
	if _, err := wb.svc.UpdateRecordType(r.Context(), r.Actor, id, in); err != nil {
		p, perr := wb.recordTypePage(r, id)
		if perr != nil {
			return perr
		}
		p.Form = recordTypeForm(in)
		p.Form["retention_months"] = f.Get("retention_months")
		return wb.formError(w, r, "records/type", p, err)
	}
	return redirect(w, r, "/records/types/"+id, "ui.flash.saved")
}

func (wb *Web) holdRecordType(release bool) func(http.ResponseWriter, *req) error {
	return func(w http.ResponseWriter, r *req) error {
		f, err := form(r)
		if err != nil {
			return err
		}
		id := r.PathValue("id")
		if _, err := wb.svc.HoldRecordType(r.Context(), r.Actor, id, f.Get("hold_reason"), release); err != nil {
			p, perr := wb.recordTypePage(r, id)
			if perr != nil {
				return perr
			}
			p.Form["hold_reason"] = f.Get("hold_reason")
			return wb.formError(w, r, "records/type", p, err)
		}
		return redirect(w, r, "/records/types/"+id, "ui.flash.saved")
	}
}

// Disposal.

func (wb *Web) disposalsPage(r *req) (page, error) {
	d, err := wb.recordData(r)
	if err != nil {
		return page{}, err
	}
	if d.Disposals, err = wb.svc.ListDisposals(r.Context(), r.Actor, r.URL.Query().Get("status")); err != nil {
		return page{}, err
	}
	var ids []string
	for _, x := range d.Disposals {
		ids = append(ids, x.RequestedBy, x.DecidedBy, x.ExecutedBy)
	}
	if d.Names, err = wb.svc.AccountLabels(r.Context(), r.Actor, ids...); err != nil {
		return page{}, err
	}
	return page{Title: "ui.rec.disposals", Data: d, Form: map[string]string{"status": r.URL.Query().Get("status")}}, nil
}

func (wb *Web) disposals(w http.ResponseWriter, r *req) error {
	p, err := wb.disposalsPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "records/disposals", p)
}

func (wb *Web) requestDisposal(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	d, err := wb.svc.RequestDisposal(r.Context(), r.Actor, isms.DisposalRequest{RecordIDs: f["record_ids"],
		Method: f.Get("method"), Reason: f.Get("reason")})
	if err != nil {
		return wb.listError(w, r, f, err)
	}
	return redirect(w, r, "/records/disposals/"+d.ID, "ui.flash.saved")
}

func (wb *Web) disposalPage(r *req, id string) (page, error) {
	d, err := wb.recordData(r)
	if err != nil {
		return page{}, err
	}
	if d.Disposal, err = wb.svc.Disposal(r.Context(), r.Actor, id); err != nil {
		return page{}, err
	}
	x := d.Disposal
	if d.Names, err = wb.svc.AccountLabels(r.Context(), r.Actor, x.RequestedBy, x.DecidedBy, x.ExecutedBy); err != nil {
		return page{}, err
	}
	return page{Title: "ui.rec.disposal", Data: d, Form: map[string]string{"executed_on": d.Today, "method": d.Disposal.Method}}, nil
}

func (wb *Web) disposal(w http.ResponseWriter, r *req) error {
	p, err := wb.disposalPage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "records/disposal", p)
}

// disposalStep runs a step on a disposal and shows its page again, with
// the error when there is one.
func (wb *Web) disposalStep(w http.ResponseWriter, r *req, step func(f url.Values, id string) error) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := step(f, id); err != nil {
		if isms.ErrorCode(err) == isms.CodeNotFound {
			return err
		}
		p, perr := wb.disposalPage(r, id)
		if perr != nil {
			return perr
		}
		for k := range f {
			p.Form[k] = f.Get(k)
		}
		return wb.formError(w, r, "records/disposal", p, err)
	}
	return redirect(w, r, "/records/disposals/"+id, "ui.flash.saved")
}

func (wb *Web) decideDisposal(approve bool) func(http.ResponseWriter, *req) error {
	return func(w http.ResponseWriter, r *req) error {
		return wb.disposalStep(w, r, func(f url.Values, id string) error {
			_, err := wb.svc.DecideDisposal(r.Context(), r.Actor, id, approve, f.Get("note"))
			return err
		})
	}
}

func (wb *Web) executeDisposal(w http.ResponseWriter, r *req) error {
	return wb.disposalStep(w, r, func(f url.Values, id string) error {
		_, err := wb.svc.ExecuteDisposal(r.Context(), r.Actor, id, isms.DisposalExecution{ExecutedOn: f.Get("executed_on"),
			Method: f.Get("method"), Witness: f.Get("witness"), Note: f.Get("execution_note")})
		return err
	})
}

package web

import (
	"net/http"
	"net/url"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// legalData is the legal register page and an item's page.
type legalData struct {
	Items       []isms.LegalItem
	Item        isms.LegalItem
	Departments []isms.Department
	CanManage   bool
	Kinds       []string
	Statuses    []string
	Applicable  []string
	Results     []string
	Today       string
}

func (wb *Web) legalData(r *req) (legalData, error) {
	d := legalData{CanManage: r.Actor.Can(isms.ActManageISMS), Kinds: isms.LegalKinds, Statuses: isms.LegalStatuses,
		Applicable: isms.LegalApplicability, Results: isms.LegalResults,
		Today: wb.svc.Clock().Now().In(displayZone).Format("2006-01-02")}
	if d.CanManage {
		var err error
		d.Departments, err = wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{OrgID: r.Actor.OrgID, Limit: isms.MaxPageSize})
		if err != nil {
			return d, err
		}
	}
	return d, nil
}

func (wb *Web) legalListPage(r *req) (page, error) {
	d, err := wb.legalData(r)
	if err != nil {
		return page{}, err
	}
	q := r.URL.Query()
	f := store.LegalFilter{Kind: q.Get("kind"), Status: q.Get("status"), Text: q.Get("q")}
	if q.Get("due") == "1" {
		f.DueBy = d.Today
	}
	if d.Items, err = wb.svc.ListLegal(r.Context(), r.Actor, f); err != nil {
		return page{}, err
	}
	return page{Title: "ui.legal.title", Data: d,
		Form: map[string]string{"kind": f.Kind, "status": f.Status, "q": f.Text, "due": q.Get("due")}}, nil
}

func (wb *Web) legalList(w http.ResponseWriter, r *req) error {
	p, err := wb.legalListPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "legal/list", p)
}

// legalFromForm reads the item form.
func legalFromForm(f url.Values) isms.LegalItem {
	return isms.LegalItem{Kind: f.Get("kind"), Title: f.Get("title"), Issuer: f.Get("issuer"), Number: f.Get("number"),
		IssuedOn: f.Get("issued_on"), EffectiveOn: f.Get("effective_on"), AbolishedOn: f.Get("abolished_on"),
		Status: f.Get("status"), Applicability: f.Get("applicability"), Obligations: f.Get("obligations"),
		OwnerDeptID: f.Get("owner_dept_id"), NextReview: f.Get("next_review"), Notes: f.Get("notes"),
		RelatedDocuments: f.Get("related_documents"), RelatedControls: f.Get("related_controls")}
}

func legalForm(l isms.LegalItem) map[string]string {
	return map[string]string{"kind": l.Kind, "title": l.Title, "issuer": l.Issuer, "number": l.Number, "issued_on": l.IssuedOn,
		"effective_on": l.EffectiveOn, "abolished_on": l.AbolishedOn, "status": l.Status, "applicability": l.Applicability,
		"obligations": l.Obligations, "owner_dept_id": l.OwnerDeptID, "next_review": l.NextReview, "notes": l.Notes,
		"related_documents": l.RelatedDocuments, "related_controls": l.RelatedControls}
}

func (wb *Web) createLegal(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := legalFromForm(f)
	l, err := wb.svc.CreateLegal(r.Context(), r.Actor, in)
	if err != nil {
		p, perr := wb.legalListPage(r)
		if perr != nil {
			return perr
		}
		p.Form = legalForm(in)
		return wb.formError(w, r, "legal/list", p, err)
	}
	return redirect(w, r, "/legal/"+l.ID, "ui.flash.saved")
}

func (wb *Web) applyDefaultLegal(w http.ResponseWriter, r *req) error {
	if _, err := wb.svc.ApplyDefaultLegal(r.Context(), r.Actor); err != nil {
		return err
	}
	return redirect(w, r, "/legal", "ui.flash.saved")
}

func (wb *Web) legalItemPage(r *req, id string) (page, error) {
	l, err := wb.svc.LegalItem(r.Context(), r.Actor, id)
	if err != nil {
		return page{}, err
	}
	d, err := wb.legalData(r)
	if err != nil {
		return page{}, err
	}
	d.Item = l
	form := legalForm(l)
	form["evaluated_on"] = d.Today
	return page{Title: "ui.legal.title", Data: d, Form: form}, nil
}

func (wb *Web) legalItem(w http.ResponseWriter, r *req) error {
	p, err := wb.legalItemPage(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "legal/detail", p)
}

func (wb *Web) updateLegal(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	in := legalFromForm(f)
	if _, err := wb.svc.UpdateLegal(r.Context(), r.Actor, id, in); err != nil {
		p, perr := wb.legalItemPage(r, id)
		if perr != nil {
			return perr
		}
		p.Form = legalForm(in)
		return wb.formError(w, r, "legal/detail", p, err)
	}
	return redirect(w, r, "/legal/"+id, "ui.flash.saved")
}

func (wb *Web) evaluateLegal(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	in := isms.LegalEvaluation{EvaluatedOn: f.Get("evaluated_on"), Result: f.Get("result"), Evidence: f.Get("evidence")}
	if _, err := wb.svc.EvaluateLegal(r.Context(), r.Actor, id, in); err != nil {
		p, perr := wb.legalItemPage(r, id)
		if perr != nil {
			return perr
		}
		p.Form["evaluated_on"], p.Form["result"], p.Form["evidence"] = in.EvaluatedOn, in.Result, in.Evidence
		return wb.formError(w, r, "legal/detail", p, err)
	}
	return redirect(w, r, "/legal/"+id, "ui.flash.saved")
}

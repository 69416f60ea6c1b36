package api

import (
	"net/http"
	"strconv"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// Records control (记录控制): record types, the register, legal holds and
// disposal.

func (a *API) listRecordTypes(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	ts, err := a.svc.RecordTypes(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.RecordType]{Items: nonNil(ts)})
}

// recordTypeInput is what a client sends for a type; the hold has its
// own endpoints.
type recordTypeInput struct {
	Code            string `json:"code"`
	NameZH          string `json:"name_zh"`
	NameEN          string `json:"name_en"`
	Category        string `json:"category"`
	Form            string `json:"form"`
	Medium          string `json:"medium"`
	RetentionMonths int    `json:"retention_months"`
	Location        string `json:"location"`
	OwnerDeptID     string `json:"owner_department_id"`
	DocumentCode    string `json:"document_code"`
}

func (in recordTypeInput) recordType() isms.RecordType {
	return isms.RecordType{Code: in.Code, NameZH: in.NameZH, NameEN: in.NameEN, Category: in.Category, Form: in.Form,
		Medium: in.Medium, RetentionMonths: in.RetentionMonths, Location: in.Location, OwnerDeptID: in.OwnerDeptID,
		DocumentCode: in.DocumentCode}
}

func (a *API) createRecordType(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in recordTypeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := a.svc.CreateRecordType(r.Context(), actor, in.recordType())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

func (a *API) applyDefaultRecordTypes(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	n, err := a.svc.ApplyDefaultRecordTypes(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"added": n})
}

func (a *API) getRecordType(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	t, err := a.svc.RecordType(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

func (a *API) putRecordType(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in recordTypeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := a.svc.UpdateRecordType(r.Context(), actor, r.PathValue("id"), in.recordType())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

// holdInput places or lifts a legal hold.
type holdInput struct {
	RecordIDs []string `json:"record_ids"`
	Reason    string   `json:"reason"`
}

func (a *API) holdRecordType(release bool) handler {
	return func(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
		var in holdInput
		if err := decode(r, &in); err != nil {
			return err
		}
		t, err := a.svc.HoldRecordType(r.Context(), actor, r.PathValue("id"), in.Reason, release)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, t)
	}
}

func (a *API) listRecords(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	f := store.RecordFilter{TypeID: q.Get("type_id"), Category: q.Get("category"), DeptID: q.Get("department_id"),
		Text: q.Get("q"), State: q.Get("state"), SourceType: q.Get("source_type"), SourceID: q.Get("source_id")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return isms.Invalid("limit", isms.M("field.bad_number"))
		}
		f.Limit = n
	}
	service.ParseRecordCursor(q.Get("after"), &f)
	l, err := a.svc.ListRecords(r.Context(), actor, f)
	if err != nil {
		return err
	}
	l.Records = nonNil(l.Records)
	return writeJSON(w, http.StatusOK, l)
}

// recordInput registers a record by hand.
type recordInput struct {
	TypeID     string `json:"type_id"`
	Title      string `json:"title"`
	RecordDate string `json:"record_date"`
	DeptID     string `json:"department_id"`
	Location   string `json:"location"`
}

func (a *API) createRecord(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in recordInput
	if err := decode(r, &in); err != nil {
		return err
	}
	rec, err := a.svc.RegisterRecord(r.Context(), actor, isms.Record{TypeID: in.TypeID, Title: in.Title,
		RecordDate: in.RecordDate, DeptID: in.DeptID, Location: in.Location})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rec)
}

func (a *API) getRecord(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	rec, err := a.svc.RecordEntry(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rec)
}

func (a *API) holdRecords(release bool) handler {
	return func(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
		var in holdInput
		if err := decode(r, &in); err != nil {
			return err
		}
		n, err := a.svc.HoldRecords(r.Context(), actor, in.RecordIDs, in.Reason, release)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]int{"changed": n})
	}
}

func (a *API) listDisposals(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	ds, err := a.svc.ListDisposals(r.Context(), actor, r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Disposal]{Items: nonNil(ds)})
}

func (a *API) requestDisposal(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.DisposalRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := a.svc.RequestDisposal(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

func (a *API) getDisposal(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.Disposal(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *API) decideDisposal(approve bool) handler {
	return func(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
		var in struct {
			Note string `json:"note"`
		}
		if err := decode(r, &in); err != nil {
			return err
		}
		d, err := a.svc.DecideDisposal(r.Context(), actor, r.PathValue("id"), approve, in.Note)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, d)
	}
}

func (a *API) executeDisposal(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.DisposalExecution
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := a.svc.ExecuteDisposal(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

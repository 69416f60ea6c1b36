package api

import (
	"net/http"

	"openisms/internal/isms"
)

type personInput struct {
	OrgID      string            `json:"org_id"`
	DeptID     string            `json:"department_id"`
	Name       string            `json:"name"`
	EmployeeNo string            `json:"employee_no"`
	Post       string            `json:"post"`
	Phone      string            `json:"phone"`
	Email      string            `json:"email"`
	Status     isms.PersonStatus `json:"status"`
	JoinedOn   string            `json:"joined_on"`
	LeftOn     string            `json:"left_on"`
}

func personKey(p isms.Person) (string, string) { return p.Name, p.ID }

func (a *API) listPeople(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := listFilter(r, "active", "left", "archived", "all")
	if err != nil {
		return err
	}
	switch sort := r.URL.Query().Get("sort"); sort {
	case "", "name":
	case "employee_no":
		if f.Text != "" {
			return isms.Invalid("sort", isms.M("person.sort_with_text"))
		}
		f.Sort = sort
	default:
		return isms.Invalid("sort", isms.M("field.one_of", "values", "name, employee_no"))
	}
	items, err := a.svc.ListPeople(r.Context(), actor, f)
	if err != nil {
		return err
	}
	key := personKey
	if f.Sort == "employee_no" {
		key = func(p isms.Person) (string, string) { return p.EmployeeNo, p.ID }
	}
	return writeJSON(w, http.StatusOK, page(items, f.Limit, key))
}

func (a *API) createPerson(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in personInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.OrgID == "" {
		in.OrgID = actor.OrgID
	}
	p, err := a.svc.CreatePerson(r.Context(), actor, isms.Person{OrgID: in.OrgID, DeptID: in.DeptID, Name: in.Name,
		EmployeeNo: in.EmployeeNo, Post: in.Post, Phone: in.Phone, Email: in.Email, Status: in.Status,
		JoinedOn: in.JoinedOn, LeftOn: in.LeftOn})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (a *API) getPerson(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	p, err := a.svc.Person(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (a *API) updatePerson(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.PersonPatch
	if err := decode(r, &in); err != nil {
		return err
	}
	if !isms.ValidID(r.PathValue("id")) {
		return isms.NotFound("person")
	}
	p, err := a.svc.UpdatePerson(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (a *API) archivePerson(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if !isms.ValidID(r.PathValue("id")) {
		return isms.NotFound("person")
	}
	p, err := a.svc.ArchivePerson(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

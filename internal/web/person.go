package web

import (
	"net/http"

	"openisms/internal/isms"
)

type peopleData struct {
	People    []isms.Person
	Depts     map[string]string // id → name
	DeptList  []isms.Department
	Next      string // cursor of the next page
	CanManage bool
}

// people lists the register with search, department and status filters,
// paged by cursor.
func (wb *Web) people(w http.ResponseWriter, r *req) error {
	q := r.URL.Query()
	f := isms.ListFilter{Text: q.Get("q"), DeptID: q.Get("department_id"), Status: q.Get("status"), Limit: 50}
	if q.Get("sort") == "employee_no" && f.Text == "" {
		f.Sort = "employee_no"
	}
	switch f.Status {
	case "", "active", "left", "archived", "all":
	default:
		f.Status = ""
	}
	if c := q.Get("after"); c != "" {
		if cur, ok := decodeCursor(c); ok {
			f.After = cur
		}
	}
	people, err := wb.svc.ListPeople(r.Context(), r.Actor, f)
	if err != nil {
		return err
	}
	depts, err := wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{Limit: isms.MaxPageSize})
	if err != nil {
		return err
	}
	d := peopleData{People: people, Depts: map[string]string{}, DeptList: depts, CanManage: r.Actor.Can(isms.ActManagePeople)}
	for _, dep := range depts {
		d.Depts[dep.ID] = dep.Name
	}
	if len(people) == 50 {
		last := people[len(people)-1]
		key := last.Name
		if f.Sort == "employee_no" {
			key = last.EmployeeNo
		}
		d.Next = encodeCursor(key, last.ID)
	}
	return wb.render(w, r, http.StatusOK, "people/list", page{Title: "ui.nav.people", Data: d,
		Form: map[string]string{"q": f.Text, "department_id": f.DeptID, "status": f.Status, "sort": f.Sort}})
}

type personData struct {
	Person    isms.Person
	DeptList  []isms.Department
	CanManage bool
	New       bool
}

func (wb *Web) personForm(r *req, p isms.Person, isNew bool) (page, error) {
	depts, err := wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{Limit: isms.MaxPageSize})
	if err != nil {
		return page{}, err
	}
	title := "ui.people.edit"
	if isNew {
		title = "ui.people.new"
	}
	return page{Title: title, Data: personData{Person: p, DeptList: depts, CanManage: r.Actor.Can(isms.ActManagePeople), New: isNew}}, nil
}

func (wb *Web) newPerson(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActManagePeople); err != nil {
		return err
	}
	p, err := wb.personForm(r, isms.Person{Status: isms.PersonActive}, true)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "people/form", p)
}

func personFromForm(r *req) (isms.Person, error) {
	f, err := form(r)
	if err != nil {
		return isms.Person{}, err
	}
	return isms.Person{OrgID: r.Actor.OrgID, Name: f.Get("name"), EmployeeNo: f.Get("employee_no"), DeptID: f.Get("department_id"),
		Post: f.Get("post"), Phone: f.Get("phone"), Email: f.Get("email"), Status: isms.PersonStatus(f.Get("status")),
		JoinedOn: f.Get("joined_on"), LeftOn: f.Get("left_on")}, nil
}

func (wb *Web) createPerson(w http.ResponseWriter, r *req) error {
	in, err := personFromForm(r)
	if err != nil {
		return err
	}
	created, err := wb.svc.CreatePerson(r.Context(), r.Actor, in)
	if err != nil {
		p, perr := wb.personForm(r, in, true)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "people/form", p, err)
	}
	return redirect(w, r, "/people/"+created.ID, "ui.flash.saved")
}

func (wb *Web) person(w http.ResponseWriter, r *req) error {
	x, err := wb.svc.Person(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	p, err := wb.personForm(r, x, false)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "people/form", p)
}

func (wb *Web) updatePerson(w http.ResponseWriter, r *req) error {
	in, err := personFromForm(r)
	if err != nil {
		return err
	}
	patch := isms.PersonPatch{Name: &in.Name, EmployeeNo: &in.EmployeeNo, DeptID: &in.DeptID, Post: &in.Post, Phone: &in.Phone,
		Email: &in.Email, Status: &in.Status, JoinedOn: &in.JoinedOn, LeftOn: &in.LeftOn}
	id := r.PathValue("id")
	if !isms.ValidID(id) {
		return isms.NotFound("person")
	}
	if _, err := wb.svc.UpdatePerson(r.Context(), r.Actor, id, patch); err != nil {
		in.ID = id
		p, perr := wb.personForm(r, in, false)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "people/form", p, err)
	}
	return redirect(w, r, "/people/"+id, "ui.flash.saved")
}

func (wb *Web) archivePerson(w http.ResponseWriter, r *req) error {
	if !isms.ValidID(r.PathValue("id")) {
		return isms.NotFound("person")
	}
	if _, err := wb.svc.ArchivePerson(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/people", "ui.flash.archived")
}

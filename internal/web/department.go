package web

import (
	"net/http"

	"openisms/internal/isms"
)

type deptRow struct {
	Dept  isms.Department
	Depth int
}

type deptData struct {
	Rows      []deptRow
	All       []isms.Department
	CanManage bool
}

// departmentTree flattens departments into tree order with depths.
func departmentTree(depts []isms.Department) []deptRow {
	children := map[string][]isms.Department{}
	ids := map[string]bool{}
	for _, d := range depts {
		ids[d.ID] = true
	}
	for _, d := range depts {
		parent := d.ParentID
		if !ids[parent] {
			parent = ""
		}
		children[parent] = append(children[parent], d)
	}
	var out []deptRow
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, d := range children[parent] {
			out = append(out, deptRow{Dept: d, Depth: depth})
			walk(d.ID, depth+1)
		}
	}
	walk("", 0)
	return out
}

func (wb *Web) deptPage(r *req) (page, error) {
	depts, err := wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{Limit: isms.MaxPageSize})
	if err != nil {
		return page{}, err
	}
	rows := departmentTree(depts)
	return page{Title: "ui.nav.departments", Data: deptData{Rows: rows, All: depts, CanManage: r.Actor.Can(isms.ActManageDepartments)}}, nil
}

func (wb *Web) departments(w http.ResponseWriter, r *req) error {
	p, err := wb.deptPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "departments", p)
}

func (wb *Web) createDepartment(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	_, err = wb.svc.CreateDepartment(r.Context(), r.Actor, isms.Department{OrgID: r.Actor.OrgID, Name: f.Get("name"),
		Code: f.Get("code"), ParentID: f.Get("parent_id")})
	if err != nil {
		p, perr := wb.deptPage(r)
		if perr != nil {
			return perr
		}
		p.Form = map[string]string{"name": f.Get("name"), "code": f.Get("code"), "parent_id": f.Get("parent_id")}
		return wb.formError(w, r, "departments", p, err)
	}
	return redirect(w, r, "/departments", "ui.flash.saved")
}

type deptEditData struct {
	Dept      isms.Department
	All       []isms.Department
	People    []isms.Person
	CanManage bool
}

func (wb *Web) deptEditPage(r *req, d isms.Department) (page, error) {
	all, err := wb.svc.ListDepartments(r.Context(), r.Actor, isms.ListFilter{Limit: isms.MaxPageSize})
	if err != nil {
		return page{}, err
	}
	people, err := wb.svc.ListPeople(r.Context(), r.Actor, isms.ListFilter{DeptID: d.ID, Status: "active", Limit: isms.MaxPageSize})
	if err != nil {
		return page{}, err
	}
	// A department cannot move under itself or its own sub-departments.
	var parents []isms.Department
	for _, x := range all {
		if !isms.IsUnder(x.Path, d.Path) {
			parents = append(parents, x)
		}
	}
	return page{Title: "ui.departments.edit", Data: deptEditData{Dept: d, All: parents, People: people,
		CanManage: r.Actor.Can(isms.ActManageDepartments)}}, nil
}

func (wb *Web) department(w http.ResponseWriter, r *req) error {
	d, err := wb.svc.Department(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	p, err := wb.deptEditPage(r, d)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "departments/edit", p)
}

func (wb *Web) updateDepartment(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if !isms.ValidID(id) {
		return isms.NotFound("department")
	}
	name, code, parent, head := f.Get("name"), f.Get("code"), f.Get("parent_id"), f.Get("head_person_id")
	d, err := wb.svc.UpdateDepartment(r.Context(), r.Actor, id, isms.DepartmentPatch{Name: &name, Code: &code, ParentID: &parent, HeadPersonID: &head})
	if err != nil {
		cur, gerr := wb.svc.Department(r.Context(), r.Actor, id)
		if gerr != nil {
			return gerr
		}
		cur.Name, cur.Code, cur.ParentID, cur.HeadPersonID = name, code, parent, head
		p, perr := wb.deptEditPage(r, cur)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "departments/edit", p, err)
	}
	return redirect(w, r, "/departments/"+d.ID, "ui.flash.saved")
}

func (wb *Web) archiveDepartment(w http.ResponseWriter, r *req) error {
	id := r.PathValue("id")
	if !isms.ValidID(id) {
		return isms.NotFound("department")
	}
	if _, err := wb.svc.ArchiveDepartment(r.Context(), r.Actor, id); err != nil {
		d, gerr := wb.svc.Department(r.Context(), r.Actor, id)
		if gerr != nil {
			return gerr
		}
		p, perr := wb.deptEditPage(r, d)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "departments/edit", p, err)
	}
	return redirect(w, r, "/departments", "ui.flash.archived")
}

package isms

import "time"

// Department is a unit inside one organization. Departments form a tree;
// a name is unique among the live children of one parent.
type Department struct {
	ID           string     `json:"id"`
	OrgID        string     `json:"org_id"`
	ParentID     string     `json:"parent_id"`
	Name         string     `json:"name"`
	Code         string     `json:"code"`
	HeadPersonID string     `json:"head_person_id"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
	ArchivedAt   *time.Time `json:"archived_at"`
	Path         string     `json:"-"`
}

// DepartmentPatch changes some fields of a department.
type DepartmentPatch struct {
	ParentID     *string `json:"parent_id"`
	Name         *string `json:"name"`
	Code         *string `json:"code"`
	HeadPersonID *string `json:"head_person_id"`
}

// Apply copies the set fields of p onto d.
func (p DepartmentPatch) Apply(d *Department) {
	set(&d.ParentID, p.ParentID)
	set(&d.Name, p.Name)
	set(&d.Code, p.Code)
	set(&d.HeadPersonID, p.HeadPersonID)
}

// Normalize trims text.
func (d *Department) Normalize() {
	TrimFields(&d.ParentID, &d.Name, &d.Code, &d.HeadPersonID)
}

// Validate checks the fields that need no stored state.
func (d *Department) Validate() error {
	var p Problems
	if !ValidID(d.OrgID) {
		p.Add("org_id", "field.bad_id")
	}
	checkText(&p, "name", d.Name, true, 100)
	checkText(&p, "code", d.Code, false, 50)
	checkOptionalID(&p, "parent_id", d.ParentID)
	if d.ParentID != "" && d.ParentID == d.ID {
		p.Add("parent_id", "tree.self_parent")
	}
	checkOptionalID(&p, "head_person_id", d.HeadPersonID)
	return p.Err()
}

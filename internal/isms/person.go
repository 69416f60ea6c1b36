package isms

import (
	"strings"
	"time"
)

// PersonStatus says whether a person still works for the organization.
type PersonStatus string

// Person statuses.
const (
	PersonActive PersonStatus = "active" // 在职
	PersonLeft   PersonStatus = "left"   // 离职
)

// Person is somebody who works for an organization. A person is not a
// login; an account may belong to a person.
type Person struct {
	ID         string       `json:"id"`
	OrgID      string       `json:"org_id"`
	DeptID     string       `json:"department_id"`
	Name       string       `json:"name"`
	EmployeeNo string       `json:"employee_no"`
	Post       string       `json:"post"`
	Phone      string       `json:"phone"`
	Email      string       `json:"email"`
	Status     PersonStatus `json:"status"`
	JoinedOn   string       `json:"joined_on"`
	LeftOn     string       `json:"left_on"`
	CreatedAt  time.Time    `json:"created_at"`
	UpdatedAt  time.Time    `json:"updated_at"`
	ArchivedAt *time.Time   `json:"archived_at"`
}

// PersonPatch changes some fields of a person.
type PersonPatch struct {
	DeptID     *string       `json:"department_id"`
	Name       *string       `json:"name"`
	EmployeeNo *string       `json:"employee_no"`
	Post       *string       `json:"post"`
	Phone      *string       `json:"phone"`
	Email      *string       `json:"email"`
	Status     *PersonStatus `json:"status"`
	JoinedOn   *string       `json:"joined_on"`
	LeftOn     *string       `json:"left_on"`
}

// Apply copies the set fields of p onto x.
func (p PersonPatch) Apply(x *Person) {
	set(&x.DeptID, p.DeptID)
	set(&x.Name, p.Name)
	set(&x.EmployeeNo, p.EmployeeNo)
	set(&x.Post, p.Post)
	set(&x.Phone, p.Phone)
	set(&x.Email, p.Email)
	set(&x.Status, p.Status)
	set(&x.JoinedOn, p.JoinedOn)
	set(&x.LeftOn, p.LeftOn)
}

// Normalize trims text and fills the default status.
func (x *Person) Normalize() {
	TrimFields(&x.DeptID, &x.Name, &x.EmployeeNo, &x.Post, &x.Phone, &x.Email, &x.JoinedOn, &x.LeftOn)
	// Addresses are compared and searched without regard to case.
	x.Email = strings.ToLower(x.Email)
	if x.Status == "" {
		x.Status = PersonActive
	}
}

// DateLayout is how dates without a time travel in the API and the store.
const DateLayout = "2006-01-02"

// Validate checks the fields that need no stored state.
func (x *Person) Validate() error {
	var p Problems
	if !ValidID(x.OrgID) {
		p.Add("org_id", "field.bad_id")
	}
	checkText(&p, "name", x.Name, true, 100)
	checkText(&p, "employee_no", x.EmployeeNo, true, 50)
	checkText(&p, "post", x.Post, false, 100)
	checkOptionalID(&p, "department_id", x.DeptID)
	checkPhone(&p, "phone", x.Phone)
	checkEmail(&p, "email", x.Email)
	switch x.Status {
	case PersonActive, PersonLeft:
	default:
		p.Add("status", "field.one_of", "values", "active, left")
	}
	joined, okJ := checkDate(&p, "joined_on", x.JoinedOn)
	left, okL := checkDate(&p, "left_on", x.LeftOn)
	if okJ && okL && x.JoinedOn != "" && x.LeftOn != "" && left.Before(joined) {
		p.Add("left_on", "person.left_before_joined")
	}
	if x.Status == PersonLeft && x.LeftOn == "" && !p.Has("left_on") {
		p.Add("left_on", "person.left_needs_date")
	}
	if x.Status == PersonActive && x.LeftOn != "" && !p.Has("left_on") {
		p.Add("status", "person.active_with_left_date")
	}
	return p.Err()
}

func checkDate(p *Problems, field, value string) (time.Time, bool) {
	if value == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(DateLayout, value)
	if err != nil {
		p.Add(field, "field.bad_date")
		return t, false
	}
	return t, true
}

package isms

import (
	"strings"
	"time"
	_ "time/tzdata" // time zones must validate on hosts without zoneinfo (信创, containers)
)

// OrgKind is the legal kind of an organization.
type OrgKind string

// Organization kinds.
const (
	OrgEnterprise  OrgKind = "enterprise"         // 企业
	OrgGovernment  OrgKind = "government"         // 机关
	OrgInstitution OrgKind = "public_institution" // 事业单位
	OrgOther       OrgKind = "other"              // 其他
)

// OrgKinds lists the valid kinds in display order.
var OrgKinds = []OrgKind{OrgEnterprise, OrgGovernment, OrgInstitution, OrgOther}

// DefaultTimeZone is the zone organizations get unless they say otherwise.
const DefaultTimeZone = "Asia/Shanghai"

// Organization is a legal entity using the system. Organizations form a
// tree: a group over its subsidiaries, a supervising body over the
// organizations it oversees.
type Organization struct {
	ID           string  `json:"id"`
	ParentID     string  `json:"parent_id"`
	Name         string  `json:"name"`
	ShortName    string  `json:"short_name"`
	CreditCode   string  `json:"credit_code"`
	Kind         OrgKind `json:"kind"`
	TimeZone     string  `json:"time_zone"`
	ContactName  string  `json:"contact_name"`
	ContactPhone string  `json:"contact_phone"`
	ContactEmail string  `json:"contact_email"`
	Address      string  `json:"address"`
	// RegionCode is the administrative division (行政区划代码, GB/T 2260,
	// six digits) and Industry the organization's industry: what a
	// supervising body filters by.
	RegionCode string     `json:"region_code"`
	Industry   string     `json:"industry"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	ArchivedAt *time.Time `json:"archived_at"`
	// Path is the chain of ancestor IDs and this one, "/a/b/c/", kept so a
	// subtree is one indexed prefix match.
	Path string `json:"-"`
}

// OrganizationPatch changes some fields of an organization; nil leaves a
// field as it is.
type OrganizationPatch struct {
	ParentID     *string  `json:"parent_id"`
	Name         *string  `json:"name"`
	ShortName    *string  `json:"short_name"`
	CreditCode   *string  `json:"credit_code"`
	Kind         *OrgKind `json:"kind"`
	TimeZone     *string  `json:"time_zone"`
	ContactName  *string  `json:"contact_name"`
	ContactPhone *string  `json:"contact_phone"`
	ContactEmail *string  `json:"contact_email"`
	RegionCode   *string  `json:"region_code"`
	Industry     *string  `json:"industry"`
	Address      *string  `json:"address"`
}

// Apply copies the set fields of p onto o.
func (p OrganizationPatch) Apply(o *Organization) {
	set(&o.ParentID, p.ParentID)
	set(&o.Name, p.Name)
	set(&o.ShortName, p.ShortName)
	set(&o.CreditCode, p.CreditCode)
	set(&o.Kind, p.Kind)
	set(&o.TimeZone, p.TimeZone)
	set(&o.ContactName, p.ContactName)
	set(&o.ContactPhone, p.ContactPhone)
	set(&o.ContactEmail, p.ContactEmail)
	set(&o.Address, p.Address)
	set(&o.RegionCode, p.RegionCode)
	set(&o.Industry, p.Industry)
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// Normalize trims text and fills defaults before validation.
func (o *Organization) Normalize() {
	TrimFields(&o.Name, &o.ShortName, &o.CreditCode, &o.TimeZone, &o.ContactName, &o.ContactPhone, &o.ContactEmail, &o.Address, &o.ParentID,
		&o.RegionCode, &o.Industry)
	o.CreditCode = strings.ToUpper(o.CreditCode)
	if o.Kind == "" {
		o.Kind = OrgEnterprise
	}
	if o.TimeZone == "" {
		o.TimeZone = DefaultTimeZone
	}
}

// Validate checks every field and returns all problems at once.
func (o *Organization) Validate() error {
	var p Problems
	checkText(&p, "name", o.Name, true, 200)
	checkText(&p, "short_name", o.ShortName, false, 50)
	if o.CreditCode != "" {
		if rule := CheckCreditCode(o.CreditCode); rule != "" {
			p.Add("credit_code", rule)
		}
	}
	if !validKind(o.Kind) {
		p.Add("kind", "field.one_of", "values", joinKinds())
	}
	if _, err := time.LoadLocation(o.TimeZone); err != nil || o.TimeZone == "Local" {
		p.Add("time_zone", "field.bad_time_zone")
	}
	checkOptionalID(&p, "parent_id", o.ParentID)
	if o.ParentID != "" && o.ParentID == o.ID {
		p.Add("parent_id", "tree.self_parent")
	}
	checkText(&p, "contact_name", o.ContactName, false, 100)
	checkPhone(&p, "contact_phone", o.ContactPhone)
	checkEmail(&p, "contact_email", o.ContactEmail)
	checkText(&p, "address", o.Address, false, 300)
	if o.RegionCode != "" && !validRegionCode(o.RegionCode) {
		p.Add("region_code", "org.region_code")
	}
	checkText(&p, "industry", o.Industry, false, 100)
	return p.Err()
}

func validKind(k OrgKind) bool {
	for _, v := range OrgKinds {
		if v == k {
			return true
		}
	}
	return false
}

func joinKinds() string {
	s := make([]string, len(OrgKinds))
	for i, k := range OrgKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

// ChildPath returns the path of a child of the node with path parent.
// An empty parent means a root.
func ChildPath(parent, id string) string {
	if parent == "" {
		return "/" + id + "/"
	}
	return parent + id + "/"
}

// IsUnder reports whether path lies in the subtree rooted at ancestorPath
// (a node is in its own subtree).
func IsUnder(path, ancestorPath string) bool {
	return ancestorPath != "" && strings.HasPrefix(path, ancestorPath)
}

// validRegionCode reports whether code has the six digits of a GB/T 2260
// administrative division code.
func validRegionCode(code string) bool {
	if len(code) != 6 {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

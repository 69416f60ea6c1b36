package isms

import (
	"slices"
	"strings"
	"time"
)

// SupervisionLink says that one organization supervises another: an MLPS
// coordination group over county groups and enterprises, a group
// headquarters over its subsidiaries, a regulator over an industry. It is
// separate from the ownership tree and from departments; an organization
// may have several supervisors, and links chain (city → county →
// enterprise), so a body supervises everything below it along links.
// What crosses a link is explicit: the supervised organization's name, its
// liaison, what it submits to the supervisor's campaigns and a summary of
// its MLPS status — nothing else.
type SupervisionLink struct {
	ID           string    `json:"id"`
	SupervisorID string    `json:"supervisor_id"`
	SupervisedID string    `json:"supervised_id"`
	Kind         string    `json:"kind"` // SupervisionKinds
	Note         string    `json:"note"`
	CreatedBy    string    `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	// Read with it.
	SupervisorName string `json:"supervisor_name,omitempty"`
	SupervisedName string `json:"supervised_name,omitempty"`
}

// Kinds of supervision.
const (
	SuperviseMLPS      = "mlps"      // 等级保护工作协调小组
	SuperviseGroup     = "group"     // 集团总部
	SuperviseRegulator = "regulator" // 行业主管部门
	SuperviseOther     = "other"
)

// SupervisionKinds lists the kinds in display order.
var SupervisionKinds = []string{SuperviseMLPS, SuperviseGroup, SuperviseRegulator, SuperviseOther}

// Check validates a link's ends, kind and note.
func (l *SupervisionLink) Check() error {
	var p Problems
	l.Note = strings.TrimSpace(l.Note)
	checkText(&p, "supervisor_id", l.SupervisorID, true, 64)
	checkText(&p, "supervised_id", l.SupervisedID, true, 64)
	checkOptionalID(&p, "supervisor_id", l.SupervisorID)
	checkOptionalID(&p, "supervised_id", l.SupervisedID)
	if l.SupervisorID != "" && l.SupervisorID == l.SupervisedID {
		p.Add("supervised_id", "supervision.self")
	}
	if !slices.Contains(SupervisionKinds, l.Kind) {
		p.Add("kind", "field.one_of", "values", strings.Join(SupervisionKinds, ", "))
	}
	checkText(&p, "note", l.Note, false, 500)
	return p.Err()
}

// SupervisedOrg is an organization a body supervises, directly or along
// other supervised bodies, with what crosses the links about it.
type SupervisedOrg struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Depth int    `json:"depth"` // 1: supervised directly
	Via   string `json:"via"`   // the body it is supervised by on the way, "" when direct
	ViaID string `json:"via_id"`
	// Region (行政区划代码) and industry, the dashboards' filters.
	RegionCode string     `json:"region_code"`
	Industry   string     `json:"industry"`
	MLPS       MLPSRollup `json:"mlps"`
}

// SupervisedFilter narrows the organizations a body sees: by distance
// along links (1 = supervised directly), by region (a code prefix: "31"
// the province, "3101" the city) and by industry.
type SupervisedFilter struct {
	Depth    int    `json:"depth"`
	Region   string `json:"region"`
	Industry string `json:"industry"`
}

// Match reports whether an organization passes the filter.
func (f SupervisedFilter) Match(o SupervisedOrg) bool {
	return (f.Depth == 0 || o.Depth == f.Depth) && strings.HasPrefix(o.RegionCode, f.Region) &&
		(f.Industry == "" || o.Industry == f.Industry)
}

// MLPSRollup is an organization's MLPS status as its supervisors see it.
type MLPSRollup struct {
	Objects    int            `json:"objects"`      // active grading objects
	ByLevel    map[int]int    `json:"by_level"`     // by level in force; 0 not graded
	Filed      int            `json:"filed"`        // filed with the public security bureau
	Expiring   int            `json:"expiring"`     // certificates ending within 90 days
	Expired    int            `json:"expired"`      // latest certificates already ended
	LastEval   string         `json:"last_eval"`    // completion day of the latest evaluation
	LastResult string         `json:"last_result"`  // its conclusion or rating, as reported
	OpenByRisk map[string]int `json:"open_by_risk"` // open rectifications by risk (high, medium, low)
	EvalDue    int            `json:"eval_due"`     // evaluations due (an open evaluation duty)
	EvalLate   int            `json:"eval_overdue"` // of which past their deadline
}

// Add adds another organization's figures, for totals.
func (r *MLPSRollup) Add(o MLPSRollup) {
	if r.ByLevel == nil {
		r.ByLevel, r.OpenByRisk = map[int]int{}, map[string]int{}
	}
	r.Objects, r.Filed, r.Expiring, r.Expired = r.Objects+o.Objects, r.Filed+o.Filed, r.Expiring+o.Expiring, r.Expired+o.Expired
	r.EvalDue, r.EvalLate = r.EvalDue+o.EvalDue, r.EvalLate+o.EvalLate
	for k, v := range o.ByLevel {
		r.ByLevel[k] += v
	}
	for k, v := range o.OpenByRisk {
		r.OpenByRisk[k] += v
	}
}

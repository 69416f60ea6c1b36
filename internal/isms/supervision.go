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

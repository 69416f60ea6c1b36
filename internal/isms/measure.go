package isms

import (
	"fmt"
	"strings"
	"time"
)

// Measure is an applied control (控制措施): something the organization
// does — a backup routine, an access review — with an owner, a status and
// a due date. One measure may satisfy requirements of several frameworks
// at once (a backup measure covers ISO/IEC 27001 A.8.13 and the MLPS
// backup items), so a requirement is named by framework and reference.
type Measure struct {
	ID           string       `json:"id"`
	OrgID        string       `json:"org_id"`
	N            int64        `json:"n"` // per organization, printed CS-0001
	Title        string       `json:"title"`
	Description  string       `json:"description"`
	DeptID       string       `json:"department_id"`
	OwnerID      string       `json:"owner_id"` // a person
	Status       string       `json:"status"`   // ImplStatuses
	DueOn        string       `json:"due_on"`   // YYYY-MM-DD, "" none
	Requirements []MeasureReq `json:"requirements"`
	UpdatedBy    string       `json:"updated_by"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`

	// Read with the measure, never written through it.
	DeptName  string `json:"department_name,omitempty"`
	OwnerName string `json:"owner_name,omitempty"`
	Evidence  int    `json:"evidence"` // items in effect on the reading day
	Expiring  int    `json:"evidence_expiring"`
}

// MeasureReq is a requirement a measure satisfies.
type MeasureReq struct {
	FrameworkID string `json:"framework_id"`
	Framework   string `json:"framework"` // the framework's code, as typed or read
	Ref         string `json:"ref"`
	// Read with it: the node, when the reference still exists.
	NodeID string `json:"node_id,omitempty"`
	Title  string `json:"title,omitempty"`
}

// Key is the requirement as people type it: "ISO27001:2022 A.8.13".
func (q MeasureReq) Key() string { return q.Framework + " " + q.Ref }

// Number is the measure's printed number.
func (m Measure) Number() string { return fmt.Sprintf("CS-%04d", m.N) }

// Overdue reports whether the measure is past its due date and not yet
// implemented on day today.
func (m Measure) Overdue(today string) bool {
	return m.DueOn != "" && m.DueOn < today && m.Status != ImplImplemented
}

// MaxMeasureRequirements bounds how many requirements one measure names.
const MaxMeasureRequirements = 500

// Validate checks a measure as someone saves it.
func (m *Measure) Validate() error {
	var p Problems
	TrimFields(&m.Title, &m.Description, &m.DeptID, &m.OwnerID, &m.Status, &m.DueOn)
	if m.Status == "" {
		m.Status = ImplPlanned
	}
	checkText(&p, "title", m.Title, true, 300)
	checkText(&p, "description", m.Description, false, 8000)
	checkOptionalID(&p, "department_id", m.DeptID)
	checkOptionalID(&p, "owner_id", m.OwnerID)
	oneOf(&p, "status", m.Status, ImplStatuses)
	checkDate(&p, "due_on", m.DueOn)
	if len(m.Requirements) > MaxMeasureRequirements {
		p.Add("requirements", "measure.too_many_requirements", "max", MaxMeasureRequirements)
	}
	return p.Err()
}

// ParseRequirementKeys reads requirements typed one per line (or
// separated by commas or semicolons) as "FRAMEWORK REF"; a line with a
// reference alone is on framework def. The reference is the last word,
// so a framework code may contain spaces.
func ParseRequirementKeys(text, def string) []MeasureReq {
	var out []MeasureReq
	seen := map[string]bool{}
	for _, line := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ',' || r == ';' || r == '，' || r == '；' }) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		q := MeasureReq{Framework: def, Ref: line}
		if i := strings.LastIndexAny(line, " \t"); i > 0 {
			q = MeasureReq{Framework: strings.TrimSpace(line[:i]), Ref: strings.TrimSpace(line[i+1:])}
		}
		if !seen[q.Key()] {
			seen[q.Key()] = true
			out = append(out, q)
		}
	}
	return out
}

// Coverage of a requirement by measures, from best to worst.
const (
	CoverCovered    = "covered"     // an implemented measure with evidence in effect
	CoverNoEvidence = "no_evidence" // implemented, but no evidence in effect
	CoverPartial    = "partial"     // measures planned or partly implemented, or a partial mapping
	CoverNone       = "none"        // no measure at all
	// CoverExcluded marks a requirement the SoA excludes: not counted.
	CoverExcluded = "excluded"
)

// CoverStates lists the coverage states in order.
var CoverStates = []string{CoverCovered, CoverNoEvidence, CoverPartial, CoverNone}

// CoverStateNames are the coverage states' Chinese and English names.
var CoverStateNames = map[string][2]string{
	CoverCovered: {"已覆盖", "Covered"}, CoverNoEvidence: {"缺证据", "No evidence"},
	CoverPartial: {"部分覆盖", "Partly covered"}, CoverNone: {"未覆盖", "Not covered"},
	CoverExcluded: {"不适用", "Excluded"},
}

// CoverLink is a measure as it reaches one requirement: directly, or
// through a mapping from a requirement of another framework.
type CoverLink struct {
	MeasureID string `json:"measure_id"`
	Number    string `json:"number"`
	Title     string `json:"title"`
	Status    string `json:"status"`
	Evidence  int    `json:"evidence"`
	// Via is the requirement the measure names when the link goes
	// through a mapping ("ISO27001:2013 A.12.3.1"); "" when direct.
	Via      string `json:"via,omitempty"`
	Relation string `json:"relation,omitempty"` // of Via to the covered requirement
}

// Full reports whether the link covers the whole requirement: direct, or
// through a mapping whose source is equal to or wider than the target.
func (l CoverLink) Full() bool {
	return l.Via == "" || l.Relation == RelEqual || l.Relation == RelSuperset
}

// CoverState decides a requirement's coverage from the links that reach
// it. A partial mapping never makes a requirement covered on its own.
func CoverState(links []CoverLink) string {
	state := CoverNone
	rank := func(s string) int {
		for i, x := range CoverStates {
			if x == s {
				return i
			}
		}
		return len(CoverStates)
	}
	for _, l := range links {
		s := CoverPartial
		if l.Full() && l.Status == ImplImplemented {
			s = CoverNoEvidence
			if l.Evidence > 0 {
				s = CoverCovered
			}
		}
		if rank(s) < rank(state) {
			state = s
		}
	}
	return state
}

// CoverRow is one assessable requirement in a framework's coverage view.
type CoverRow struct {
	NodeID    string      `json:"node_id"`
	Ref       string      `json:"ref"`
	Title     string      `json:"title"`
	Category  string      `json:"category"`
	State     string      `json:"state"`
	Links     []CoverLink `json:"measures"`
	MissingZH bool        `json:"-"`
}

// CoverSummary counts a framework's requirements by coverage state.
type CoverSummary struct {
	FrameworkID string         `json:"framework_id"`
	Code        string         `json:"code"`
	Name        string         `json:"name"`
	Total       int            `json:"total"`
	States      map[string]int `json:"states"`
}

// Percent is the share of requirements covered, 0–100.
func (c CoverSummary) Percent() int {
	if c.Total == 0 {
		return 0
	}
	return c.States[CoverCovered] * 100 / c.Total
}

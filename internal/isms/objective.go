package isms

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Kinds of objective.
const (
	// ObjectiveSecurity is a security objective (信息安全目标, XX-A-03),
	// organization-wide or a department's share of one.
	ObjectiveSecurity = "objective"
	// ObjectiveEffectiveness is an effectiveness measure (有效性测量) of a
	// control or an applied measure.
	ObjectiveEffectiveness = "effectiveness"
)

// ObjectiveKinds lists the kinds.
var ObjectiveKinds = []string{ObjectiveSecurity, ObjectiveEffectiveness}

// Directions of a target.
const (
	AtLeast = "at_least" // the value should reach the target or more
	AtMost  = "at_most"  // the value should stay at the target or below
)

// Frequencies of measurement, with the days after a measurement by which
// the next one is due.
var MeasureFrequencies = []string{"monthly", "quarterly", "half_yearly", "yearly"}

var frequencyDays = map[string]int{"monthly": 31, "quarterly": 92, "half_yearly": 183, "yearly": 366}

// Objective statuses: drafted and changed freely, submitted for the top
// manager's approval, approved (then measured), or returned; retired when
// it no longer applies (kept with its measurements, no longer measured
// or listed; changing it makes a draft of it again).
const (
	ObjDraft     = "draft"
	ObjSubmitted = "submitted"
	ObjApproved  = "approved"
	ObjReturned  = "returned"
	ObjRetired   = "retired"
)

// Objective states, from its latest measurement.
const (
	StateMet    = "met"
	StateAtRisk = "at_risk"
	StateMissed = "missed"
	StateNoData = "no_data"
)

// ObjectiveStates lists the states in order.
var ObjectiveStates = []string{StateMet, StateAtRisk, StateMissed, StateNoData}

// Objective is a security objective or an effectiveness measure: what is
// measured, how, against which target, how often, by whom.
type Objective struct {
	ID        string  `json:"id"`
	OrgID     string  `json:"org_id"`
	N         int64   `json:"n"` // printed MB-0001
	Kind      string  `json:"kind"`
	ParentID  string  `json:"parent_id"`     // the organization's objective a department's breaks down
	DeptID    string  `json:"department_id"` // "" organization-wide
	Statement string  `json:"statement"`     // 目标
	Metric    string  `json:"metric"`        // 测量方法: what is counted and how
	Unit      string  `json:"unit"`          // %, 次, 小时
	Direction string  `json:"direction"`
	Target    float64 `json:"target"`
	// Threshold bounds the "at risk" band: a value between it and the
	// target is at risk, beyond it missed. nil: no band.
	Threshold *float64 `json:"threshold"`
	Frequency string   `json:"frequency"`
	OwnerID   string   `json:"owner_id"` // a person
	// What an effectiveness measure measures: a control (framework and
	// reference) or an applied measure.
	FrameworkID string `json:"framework_id"`
	Ref         string `json:"ref"`
	MeasureID   string `json:"measure_id"`
	// Control is the control as typed ("ISO27001:2022 A.8.13"); saving
	// resolves it to FrameworkID and Ref.
	Control string `json:"control,omitempty"`

	Status     string     `json:"status"`
	ApprovalID string     `json:"approval_id"`
	DecidedBy  string     `json:"decided_by"`
	DecidedAt  *time.Time `json:"decided_at"`
	Comment    string     `json:"comment"` // the approver's
	UpdatedBy  string     `json:"updated_by"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`

	// Read with it.
	DeptName     string       `json:"department_name,omitempty"`
	OwnerName    string       `json:"owner_name,omitempty"`
	Subject      string       `json:"subject,omitempty"` // "ISO27001:2022 A.8.13" or "CS-0001 …"
	Latest       *Measurement `json:"latest,omitempty"`
	State        string       `json:"state,omitempty"`
	StateOverdue bool         `json:"measurement_overdue,omitempty"`
}

// Number is the objective's printed number.
func (o Objective) Number() string { return fmt.Sprintf("MB-%04d", o.N) }

// Measurement is one measured value of an objective.
type Measurement struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	ObjectiveID string    `json:"objective_id"`
	TakenOn     string    `json:"taken_on"`
	Value       float64   `json:"value"`
	Note        string    `json:"note"`
	MeasuredBy  string    `json:"measured_by"`
	RecordedAt  time.Time `json:"recorded_at"`
	// Read with it: its evidence, if any.
	Evidence []Evidence `json:"evidence,omitempty"`
}

// FormatValue prints a value without trailing zeros.
func FormatValue(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Meets reports whether a value reaches the target.
func (o Objective) Meets(v float64) bool {
	if o.Direction == AtMost {
		return v <= o.Target
	}
	return v >= o.Target
}

// Assess decides the objective's state on day today from its latest
// measurement: met when the value reaches the target; at risk when it
// falls between the target and the threshold; missed beyond the
// threshold (or, without one, whenever the target is not reached). A met
// objective whose next measurement is overdue (the frequency's days
// after the latest, plus a week) is at risk too; overdue says so.
func (o Objective) Assess(latest *Measurement, today string) (state string, overdue bool) {
	if latest == nil {
		return StateNoData, false
	}
	v := latest.Value
	switch {
	case o.Meets(v):
		state = StateMet
	case o.Threshold != nil && (o.Direction == AtMost && v <= *o.Threshold || o.Direction != AtMost && v >= *o.Threshold):
		state = StateAtRisk
	default:
		state = StateMissed
	}
	if days, ok := frequencyDays[o.Frequency]; ok && AddDays(latest.TakenOn, days+7) < today {
		overdue = true
		if state == StateMet {
			state = StateAtRisk
		}
	}
	return state, overdue
}

// Validate checks an objective as someone saves it.
func (o *Objective) Validate() error {
	var p Problems
	TrimFields(&o.Kind, &o.ParentID, &o.DeptID, &o.Statement, &o.Metric, &o.Unit, &o.Direction, &o.Frequency, &o.OwnerID,
		&o.FrameworkID, &o.Ref, &o.MeasureID, &o.Control)
	if o.Kind == "" {
		o.Kind = ObjectiveSecurity
	}
	if o.Direction == "" {
		o.Direction = AtLeast
	}
	oneOf(&p, "kind", o.Kind, ObjectiveKinds)
	checkText(&p, "statement", o.Statement, true, 1000)
	checkText(&p, "metric", o.Metric, true, 2000)
	checkText(&p, "unit", o.Unit, false, 20)
	oneOf(&p, "direction", o.Direction, []string{AtLeast, AtMost})
	oneOf(&p, "frequency", o.Frequency, MeasureFrequencies)
	checkOptionalID(&p, "parent_id", o.ParentID)
	checkOptionalID(&p, "department_id", o.DeptID)
	checkOptionalID(&p, "owner_id", o.OwnerID)
	checkOptionalID(&p, "measure_id", o.MeasureID)
	checkOptionalID(&p, "framework_id", o.FrameworkID)
	if math.IsNaN(o.Target) || math.IsInf(o.Target, 0) {
		p.Add("target", "field.not_a_number")
	}
	if o.Threshold != nil {
		if o.Direction == AtMost && *o.Threshold <= o.Target || o.Direction == AtLeast && *o.Threshold >= o.Target {
			p.Add("threshold", "objective.threshold_side")
		}
	}
	if o.ParentID != "" && o.DeptID == "" {
		p.Add("department_id", "objective.parent_needs_department")
	}
	switch o.Kind {
	case ObjectiveEffectiveness:
		if (o.Ref == "" && o.Control == "") == (o.MeasureID == "") {
			p.Add("subject", "objective.control_or_measure")
		}
	case ObjectiveSecurity:
		o.FrameworkID, o.Ref, o.MeasureID, o.Control = "", "", "", ""
	}
	return p.Err()
}

// SameTerms reports whether two versions of an objective say the same
// thing: what is measured, how, against which target, how often. A
// change of terms needs a new approval.
func (o Objective) SameTerms(x Objective) bool {
	same := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	return o.Statement == x.Statement && o.Metric == x.Metric && o.Unit == x.Unit && o.Direction == x.Direction &&
		o.Target == x.Target && same(o.Threshold, x.Threshold) && o.Frequency == x.Frequency && o.DeptID == x.DeptID &&
		o.ParentID == x.ParentID && o.Ref == x.Ref && o.FrameworkID == x.FrameworkID && o.MeasureID == x.MeasureID
}

// Validate checks a measurement.
func (m *Measurement) Validate() error {
	var p Problems
	TrimFields(&m.TakenOn, &m.Note)
	if _, err := time.Parse(time.DateOnly, m.TakenOn); err != nil {
		p.Add("taken_on", "field.bad_date")
	}
	checkText(&p, "note", m.Note, false, 2000)
	if math.IsNaN(m.Value) || math.IsInf(m.Value, 0) {
		p.Add("value", "field.not_a_number")
	}
	return p.Err()
}

package isms

import (
	"fmt"
	"strings"
	"time"
)

// The risk register: threat and vulnerability catalogs, assessments and
// the risk scenarios they identify, their treatment and the acceptance of
// what remains (manual §4.2.1.3–4.2.1.8; seed-requirements §6).

// Threat is an entry of an organization's threat catalog (GB/T 20984's
// classification), with the frequency the catalog suggests.
type Threat struct {
	ID        string `json:"id"`
	OrgID     string `json:"org_id"`
	Code      string `json:"code"`
	Category  string `json:"category"`
	Name      string `json:"name"`
	Guidance  string `json:"guidance"`  // what each frequency means for it
	Frequency int    `json:"frequency"` // suggested T, 1–5
}

// Vulnerability is an entry of the vulnerability catalog: technical or
// management, with the severity the catalog suggests.
type Vulnerability struct {
	ID       string `json:"id"`
	OrgID    string `json:"org_id"`
	Code     string `json:"code"`
	Kind     string `json:"kind"` // technical, management
	Target   string `json:"target"`
	Name     string `json:"name"`
	Guidance string `json:"guidance"`
	Severity int    `json:"severity"` // suggested Va, 1–5
}

// Validate checks a catalog threat.
func (t *Threat) Validate() error {
	var p Problems
	TrimFields(&t.Code, &t.Category, &t.Name, &t.Guidance)
	checkText(&p, "code", t.Code, true, 32)
	checkText(&p, "category", t.Category, true, 100)
	checkText(&p, "name", t.Name, true, 200)
	checkText(&p, "guidance", t.Guidance, false, 1000)
	scale(&p, "frequency", t.Frequency)
	return p.Err()
}

// Validate checks a catalog vulnerability.
func (v *Vulnerability) Validate() error {
	var p Problems
	TrimFields(&v.Code, &v.Kind, &v.Target, &v.Name, &v.Guidance)
	checkText(&p, "code", v.Code, true, 32)
	oneOf(&p, "kind", v.Kind, []string{"technical", "management"})
	checkText(&p, "target", v.Target, false, 100)
	checkText(&p, "name", v.Name, true, 200)
	checkText(&p, "guidance", v.Guidance, false, 1000)
	scale(&p, "severity", v.Severity)
	return p.Err()
}

func scale(p *Problems, field string, v int) {
	if v < 1 || v > 5 {
		p.Add(field, "field.range", "min", 1, "max", 5)
	}
}

// Assessment statuses, in order.
const (
	AssessPlanning       = "planning"
	AssessIdentification = "identification"
	AssessAnalysis       = "analysis"
	AssessEvaluation     = "evaluation"
	AssessTreatment      = "treatment"
	AssessClosed         = "closed"
)

// AssessmentStatuses lists them in order; an assessment moves one step
// at a time (and may step back while it is open).
var AssessmentStatuses = []string{AssessPlanning, AssessIdentification, AssessAnalysis, AssessEvaluation, AssessTreatment, AssessClosed}

// Assessment is one risk assessment: its scope, method version, team,
// dates and the consultation with departments it recorded.
type Assessment struct {
	ID            string    `json:"id"`
	OrgID         string    `json:"org_id"`
	Title         string    `json:"title"`
	Scope         string    `json:"scope"`
	DeptIDs       []string  `json:"department_ids"`
	MethodVersion int       `json:"method_version"`
	Team          string    `json:"team"`
	StartOn       string    `json:"start_on"`
	EndOn         string    `json:"end_on"`
	Status        string    `json:"status"`
	Consultation  string    `json:"consultation"` // 沟通与协商: who was consulted, when, what they said
	ReviewReason  string    `json:"review_reason"`
	CreatedByID   string    `json:"created_by_id"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	Risks         int       `json:"risks"` // how many scenarios, in lists
}

// Validate checks an assessment's own fields.
func (x *Assessment) Validate() error {
	var p Problems
	TrimFields(&x.Title, &x.Scope, &x.Team, &x.StartOn, &x.EndOn, &x.Consultation)
	checkText(&p, "title", x.Title, true, 200)
	checkText(&p, "scope", x.Scope, false, 4000)
	checkText(&p, "team", x.Team, false, 1000)
	checkText(&p, "consultation", x.Consultation, false, 8000)
	for _, f := range [][2]string{{"start_on", x.StartOn}, {"end_on", x.EndOn}} {
		if f[1] != "" {
			if _, err := time.Parse(time.DateOnly, f[1]); err != nil {
				p.Add(f[0], "field.bad_date")
			}
		}
	}
	if x.StartOn != "" && x.EndOn != "" && x.EndOn < x.StartOn {
		p.Add("end_on", "risk.end_before_start")
	}
	for _, id := range x.DeptIDs {
		checkOptionalID(&p, "department_ids", id)
	}
	return p.Err()
}

// Treatment options (风险处理方式).
const (
	TreatReduce   = "reduce"   // 控制 / 降低
	TreatAccept   = "accept"   // 接受
	TreatAvoid    = "avoid"    // 避免 / 规避
	TreatTransfer = "transfer" // 转移
)

// TreatmentOptions lists them.
var TreatmentOptions = []string{TreatReduce, TreatAccept, TreatAvoid, TreatTransfer}

// Control effectiveness of existing controls, and their kind.
var (
	ControlEffects = []string{"", "effective", "partly", "ineffective"}
	ControlKinds   = []string{"", "preventive", "protective"}
)

// Residual acceptance states.
const (
	AcceptNone     = ""
	AcceptPending  = "pending"
	AcceptAccepted = "accepted"
	AcceptRejected = "rejected"
)

// Risk is one risk scenario: an asset, a threat that exploits a
// vulnerability, the existing controls, the scores and the computed
// result; then the treatment and what remains.
type Risk struct {
	ID            string `json:"id"`
	N             int64  `json:"number"` // printed FX-000123
	OrgID         string `json:"org_id"`
	AssessmentID  string `json:"assessment_id"`
	AssetID       string `json:"asset_id"`
	ThreatID      string `json:"threat_id"`
	VulnID        string `json:"vulnerability_id"`
	DeptID        string `json:"department_id"` // the asset's, for the register's filter
	Description   string `json:"description"`
	Controls      string `json:"controls"`       // existing controls
	ControlEffect string `json:"control_effect"` // ControlEffects
	ControlKind   string `json:"control_kind"`   // ControlKinds
	// Scores: T, V, Va; Ia is the asset's value when last computed.
	// Likelihood and Impact for the ISO/IEC 27005 method.
	T, V, Ia, Va       int
	Likelihood, Impact int
	Result             RiskResult `json:"result"`
	CellL, CellF       int        `json:"-"` // heat map cell (RiskMethod.Cell)
	// Treatment and residual risk.
	Treatment      string     `json:"treatment"` // TreatmentOptions, "" not decided
	ResidualT      int        `json:"residual_t"`
	ResidualV      int        `json:"residual_v"`
	ResidualVa     int        `json:"residual_va"`
	ResidualL      int        `json:"residual_likelihood"`
	ResidualI      int        `json:"residual_impact"`
	Residual       RiskResult `json:"residual"` // Level 0: not assessed
	Acceptance     string     `json:"acceptance"`
	ApprovalID     string     `json:"approval_id"`
	AcceptedBy     string     `json:"accepted_by"`
	AcceptedAt     *time.Time `json:"accepted_at"`
	ReviewReason   string     `json:"review_reason"` // set by a re-assessment trigger
	MethodVersion  int        `json:"method_version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
	OpenTreatments int        `json:"open_treatments"`
}

// Number is the risk's identification as printed.
func (r Risk) Number() string { return fmt.Sprintf("FX-%06d", r.N) }

// RiskLine is a risk as the register lists it: what a line shows, with
// the asset, threat and vulnerability by name. Pages of the register read
// lines, not whole risks, because a line is a third of a risk's columns.
type RiskLine struct {
	ID, AssetID                   string
	N                             int64
	AssetCode, AssetName          string
	Threat, Vulnerability         string
	Result, Residual              RiskResult // Residual: L and F not read
	Treatment, Acceptance, Review string
}

// Number is the risk's identification as printed.
func (l RiskLine) Number() string { return Risk{N: l.N}.Number() }

// Input is the scores as the method reads them.
func (r Risk) Input() RiskInput {
	return RiskInput{T: r.T, V: r.V, Ia: r.Ia, Va: r.Va, Likelihood: r.Likelihood, Impact: r.Impact}
}

// ResidualInput is the residual scores: a residual score left at 0 keeps
// the inherent one (treatment rarely changes the asset's value).
func (r Risk) ResidualInput() RiskInput {
	pick := func(res, inh int) int {
		if res == 0 {
			return inh
		}
		return res
	}
	return RiskInput{T: pick(r.ResidualT, r.T), V: pick(r.ResidualV, r.V), Ia: r.Ia, Va: pick(r.ResidualVa, r.Va),
		Likelihood: pick(r.ResidualL, r.Likelihood), Impact: pick(r.ResidualI, r.Impact)}
}

// HasResidual reports whether residual scores were given.
func (r Risk) HasResidual() bool {
	return r.ResidualT+r.ResidualV+r.ResidualVa+r.ResidualL+r.ResidualI > 0
}

// Validate checks the scenario's text and choices; the scores are
// checked by the method (Compute).
func (r *Risk) Validate() error {
	var p Problems
	TrimFields(&r.Description, &r.Controls, &r.ControlEffect, &r.ControlKind, &r.Treatment)
	checkText(&p, "description", r.Description, false, 2000)
	checkText(&p, "controls", r.Controls, false, 2000)
	oneOf(&p, "control_effect", r.ControlEffect, ControlEffects)
	oneOf(&p, "control_kind", r.ControlKind, ControlKinds)
	if r.Treatment != "" {
		oneOf(&p, "treatment", r.Treatment, TreatmentOptions)
	}
	for _, f := range [][2]string{{"asset_id", r.AssetID}, {"threat_id", r.ThreatID}, {"vulnerability_id", r.VulnID}} {
		if !ValidID(f[1]) {
			p.Add(f[0], "field.required")
		}
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"residual_t", r.ResidualT}, {"residual_v", r.ResidualV}, {"residual_va", r.ResidualVa}, {"residual_likelihood", r.ResidualL}, {"residual_impact", r.ResidualI}} {
		if f.v != 0 && (f.v < 1 || f.v > 5) {
			p.Add(f.name, "field.range", "min", 1, "max", 5)
		}
	}
	return p.Err()
}

// RiskFilter narrows the risk register.
type RiskFilter struct {
	OrgID, AssessmentID, AssetID, DeptID string
	Level                                int // 1–5, 0 all
	// Cell selects one cell of the heat map: likelihood and loss (F)
	// levels 1–5 as the map draws them.
	CellL, CellF int
	Treatment    string // an option, "none" for undecided
	Acceptable   string // "yes", "no", ""
	Acceptance   string // "pending", "accepted", "rejected"
	Review       bool   // flagged for review
	Text         string
	Sort         string // number (default), r, level, residual, updated
	Desc         bool
	Offset       int
	Limit        int
}

// RiskSorts are the columns the register sorts by.
var RiskSorts = []string{"number", "r", "level", "residual", "updated"}

// ChangeKinds are the changes that trigger re-assessment (manual
// §4.2.3.4): organization, technology, business objectives and processes,
// threats, control effectiveness, external events.
var ChangeKinds = []string{"organization", "technology", "business", "threats", "controls", "external"}

// riskNumber reads "FX-000123" (or "fx123").
func RiskNumber(text string) (int64, bool) {
	t := strings.ToUpper(strings.TrimSpace(text))
	if !strings.HasPrefix(t, "FX") {
		return 0, false
	}
	var n int64
	_, err := fmt.Sscanf(strings.TrimLeft(strings.TrimPrefix(t, "FX"), "-"), "%d", &n)
	return n, err == nil && n > 0
}

// Treatment item statuses and priorities.
var (
	TreatmentStatuses   = []string{"planned", "in_progress", "done", "cancelled"}
	TreatmentPriorities = []string{"high", "medium", "low"}
)

// TreatmentItem is one line of the risk treatment plan (风险处理计划):
// a measure, who is responsible, when, at what cost. Each open item is a
// task for the responsible department's head.
type TreatmentItem struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	RiskID    string    `json:"risk_id"`
	RiskN     int64     `json:"risk_number"` // the risk's number, as read
	Measure   string    `json:"measure"`
	DeptID    string    `json:"department_id"`
	PersonID  string    `json:"person_id"`
	StartOn   string    `json:"start_on"`
	DueOn     string    `json:"due_on"`
	Cost      string    `json:"cost"`
	Status    string    `json:"status"`
	Priority  string    `json:"priority"`
	TaskID    string    `json:"task_id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// RiskNumber prints the item's risk number.
func (t TreatmentItem) RiskNumber() string { return Risk{N: t.RiskN}.Number() }

// Overdue reports whether an open item is past its due day (today as
// YYYY-MM-DD in the organization's zone).
func (t TreatmentItem) Overdue(today string) bool {
	return (t.Status == "planned" || t.Status == "in_progress") && t.DueOn < today
}

// Validate checks an item.
func (t *TreatmentItem) Validate() error {
	var p Problems
	TrimFields(&t.Measure, &t.DeptID, &t.PersonID, &t.StartOn, &t.DueOn, &t.Cost, &t.Status, &t.Priority)
	if t.Status == "" {
		t.Status = "planned"
	}
	if t.Priority == "" {
		t.Priority = "medium"
	}
	checkText(&p, "measure", t.Measure, true, 2000)
	checkText(&p, "cost", t.Cost, false, 100)
	if !ValidID(t.DeptID) {
		p.Add("department_id", "field.required")
	}
	checkOptionalID(&p, "person_id", t.PersonID)
	oneOf(&p, "status", t.Status, TreatmentStatuses)
	oneOf(&p, "priority", t.Priority, TreatmentPriorities)
	if _, err := time.Parse(time.DateOnly, t.DueOn); err != nil {
		p.Add("due_on", "field.bad_date")
	}
	if t.StartOn != "" {
		if _, err := time.Parse(time.DateOnly, t.StartOn); err != nil {
			p.Add("start_on", "field.bad_date")
		} else if t.DueOn != "" && t.DueOn < t.StartOn {
			p.Add("due_on", "risk.end_before_start")
		}
	}
	return p.Err()
}

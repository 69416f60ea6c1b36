package isms

import (
	"math"
	"time"
)

// Level evaluations (等级测评): done by a qualified agency on a graded
// object; the report's conclusion is entered as the report states it —
// the product does not compute the official conclusion, whose rules
// changed with the report template (2021: a score and 优/良/中/差; 2025: a
// compliance rate, 符合/基本符合/不符合 and the count of major hazards).
// Issues the report lists become rectification items with the four fixes
// (四定: person, measure, deadline, funds), verified by someone other
// than whoever fixed them.

// Evaluation report templates.
const (
	EvalTemplate2021 = "2021"
	EvalTemplate2025 = "2025"
)

// EvalTemplates lists the report templates.
var EvalTemplates = []string{EvalTemplate2021, EvalTemplate2025}

// Conclusions of each template, as reports word them.
var (
	EvalRatings2021     = []string{"excellent", "good", "fair", "poor"}          // 优 良 中 差
	EvalConclusions2025 = []string{"conform", "basically_conform", "nonconform"} // 符合 基本符合 不符合
	FindingRisks        = []string{"high", "medium", "low"}
	// The ten security categories of GB/T 22239-2019 (five technical,
	// five management).
	SecurityCategories = []string{"physical", "network", "boundary", "computing", "management_center",
		"policy", "organization", "personnel", "construction", "operation"}
)

// Agency is an evaluation agency (测评机构).
type Agency struct {
	ID            string    `json:"id"`
	OrgID         string    `json:"org_id"`
	Name          string    `json:"name"`
	Qualification string    `json:"qualification_no"` // 推荐证书编号
	Region        string    `json:"region"`
	Contacts      string    `json:"contacts"` // names, phones, e-mail
	CreatedAt     time.Time `json:"created_at"`
}

// Validate checks an agency.
func (x *Agency) Validate() error {
	TrimFields(&x.Name, &x.Qualification, &x.Region, &x.Contacts)
	var p Problems
	checkText(&p, "name", x.Name, true, 200)
	checkText(&p, "qualification_no", x.Qualification, false, 100)
	checkText(&p, "region", x.Region, false, 100)
	checkLongText(&p, "contacts", x.Contacts, 1000)
	return p.Err()
}

// Evaluation is one level evaluation of an object, with its conclusion as
// the report states it.
type Evaluation struct {
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	ObjectID    string `json:"object_id"`
	GradingID   string `json:"grading_id"` // the grading in force when it was recorded
	Level       int    `json:"level"`      // its level
	AgencyID    string `json:"agency_id"`
	StartedOn   string `json:"started_on"`
	CompletedOn string `json:"completed_on"`
	ReportNo    string `json:"report_no"`
	Template    string `json:"template"`
	// 2021 template: score and rating.
	Score  *float64 `json:"score"`
	Rating string   `json:"rating"`
	// 2025 template: compliance rate (%), conclusion, major hazards.
	Rate         *float64  `json:"rate"`
	Conclusion   string    `json:"conclusion"`
	MajorHazards int       `json:"major_hazards"`
	Notes        string    `json:"notes"`
	RecordedBy   string    `json:"recorded_by"`
	CreatedAt    time.Time `json:"created_at"`
	// Read with it.
	AgencyName string          `json:"agency_name,omitempty"`
	Findings   FindingsSummary `json:"findings"`
}

// Validate checks an evaluation against its template: a 2021 report's
// score (0–100) and rating, a 2025 report's rate (0–100), conclusion and
// major-hazard count; dates in order and not in the future.
func (e *Evaluation) Validate(today string) error {
	TrimFields(&e.AgencyID, &e.StartedOn, &e.CompletedOn, &e.ReportNo, &e.Template, &e.Rating, &e.Conclusion, &e.Notes)
	var p Problems
	if e.AgencyID == "" {
		p.Add("agency_id", "field.required")
	} else {
		checkOptionalID(&p, "agency_id", e.AgencyID)
	}
	checkText(&p, "report_no", e.ReportNo, true, 100)
	checkLongText(&p, "notes", e.Notes, 4000)
	oneOf(&p, "template", e.Template, EvalTemplates)
	_, okStart := checkDate(&p, "started_on", e.StartedOn)
	if e.CompletedOn == "" {
		p.Add("completed_on", "field.required")
	} else if _, ok := checkDate(&p, "completed_on", e.CompletedOn); ok {
		switch {
		case okStart && e.StartedOn != "" && e.CompletedOn < e.StartedOn:
			p.Add("completed_on", "grading.day_before", "day", e.StartedOn)
		case e.CompletedOn > today:
			p.Add("completed_on", "grading.day_future")
		}
	}
	percent := func(field string, v *float64) {
		if v == nil {
			p.Add(field, "field.required")
		} else if math.IsNaN(*v) || *v < 0 || *v > 100 {
			p.Add(field, "field.range", "min", 0, "max", 100)
		}
	}
	switch e.Template {
	case EvalTemplate2021:
		percent("score", e.Score)
		oneOf(&p, "rating", e.Rating, EvalRatings2021)
		e.Rate, e.Conclusion, e.MajorHazards = nil, "", 0
	case EvalTemplate2025:
		percent("rate", e.Rate)
		oneOf(&p, "conclusion", e.Conclusion, EvalConclusions2025)
		if e.MajorHazards < 0 {
			p.Add("major_hazards", "field.range", "min", 0, "max", 9999)
		}
		e.Score, e.Rating = nil, ""
	}
	return p.Err()
}

// Rectification statuses: open until fixed, then verified (or reopened
// by the verifier).
const (
	RectOpen     = "open"
	RectFixed    = "fixed"
	RectVerified = "verified"
)

// Rectification is an issue an evaluation found and its rectification
// (整改), with the four fixes.
type Rectification struct {
	ID           string `json:"id"`
	OrgID        string `json:"org_id"`
	EvaluationID string `json:"evaluation_id"`
	ObjectID     string `json:"object_id"`
	N            int    `json:"n"` // within the evaluation
	Description  string `json:"description"`
	Category     string `json:"category"`      // SecurityCategories
	ControlPoint string `json:"control_point"` // 控制点, e.g. 身份鉴别
	Risk         string `json:"risk"`          // high | medium | low
	MajorHazard  bool   `json:"major_hazard"`  // 重大风险隐患
	// The four fixes (四定).
	PersonID string `json:"person_id"`
	Measure  string `json:"measure"`
	Deadline string `json:"deadline"`
	Funds    string `json:"funds"`
	Status   string `json:"status"`
	// Fixing and verifying: by account (Actor.Name), so the verifier is
	// never the fixer; pages show the accounts' labels.
	FixedBy       string    `json:"fixed_by"`
	FixedOn       string    `json:"fixed_on"`
	FixNote       string    `json:"fix_note"`
	VerifiedBy    string    `json:"verified_by"`
	VerifiedOn    string    `json:"verified_on"`
	VerifyNote    string    `json:"verify_note"`
	TaskID        string    `json:"task_id"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	PersonName    string    `json:"person_name,omitempty"`
	EvaluationRef string    `json:"evaluation_report_no,omitempty"`
}

// Validate checks an issue and its four fixes.
func (r *Rectification) Validate() error {
	TrimFields(&r.Description, &r.Category, &r.ControlPoint, &r.Risk, &r.PersonID, &r.Measure, &r.Deadline, &r.Funds)
	var p Problems
	checkText(&p, "description", r.Description, true, 2000)
	if r.Category != "" {
		oneOf(&p, "category", r.Category, SecurityCategories)
	}
	checkText(&p, "control_point", r.ControlPoint, false, 100)
	oneOf(&p, "risk", r.Risk, FindingRisks)
	checkText(&p, "measure", r.Measure, false, 2000)
	checkText(&p, "funds", r.Funds, false, 100)
	checkOptionalID(&p, "person_id", r.PersonID)
	checkDate(&p, "deadline", r.Deadline)
	return p.Err()
}

// Done reports whether the rectification counts as rectified: fixed and
// verified.
func (r Rectification) Done() bool { return r.Status == RectVerified }

// FindingsSummary counts an evaluation's issues by risk, and how many of
// each are rectified, as reports write them: "3 (2)".
type FindingsSummary struct {
	Total, Done           int
	High, HighDone        int
	Medium, MediumDone    int
	Low, LowDone          int
	Hazards, HazardsDone  int
	Overdue               int
	OpenItems, FixedItems int
}

// Summarize counts rectifications; those past their deadline and not
// rectified on today are overdue.
func Summarize(rs []Rectification, today string) FindingsSummary {
	var s FindingsSummary
	for _, r := range rs {
		done := 0
		if r.Done() {
			done = 1
		}
		s.Total++
		s.Done += done
		switch r.Risk {
		case "high":
			s.High, s.HighDone = s.High+1, s.HighDone+done
		case "medium":
			s.Medium, s.MediumDone = s.Medium+1, s.MediumDone+done
		case "low":
			s.Low, s.LowDone = s.Low+1, s.LowDone+done
		}
		if r.MajorHazard {
			s.Hazards, s.HazardsDone = s.Hazards+1, s.HazardsDone+done
		}
		switch r.Status {
		case RectOpen:
			s.OpenItems++
		case RectFixed:
			s.FixedItems++
		}
		if !r.Done() && r.Deadline != "" && r.Deadline < today {
			s.Overdue++
		}
	}
	return s
}

// RecordFix marks an open rectification fixed by an account on day.
func (r *Rectification) RecordFix(by, day, note, today string) error {
	if r.Status != RectOpen {
		return Conflict("status", M("rect.not_open"))
	}
	var p Problems
	checkDecisionDay(&p, "fixed_on", day, "", today)
	checkLongText(&p, "note", note, 2000)
	if err := p.Err(); err != nil {
		return err
	}
	r.Status, r.FixedBy, r.FixedOn, r.FixNote = RectFixed, by, day, note
	return nil
}

// Verify records the verification of a fixed rectification: accepted
// (verified) or not (open again, with the reason). The verifier is never
// the fixer.
func (r *Rectification) Verify(by, day string, ok bool, note, today string) error {
	if r.Status != RectFixed {
		return Conflict("status", M("rect.not_fixed"))
	}
	if by == r.FixedBy {
		return Forbidden(M("rect.verifier_is_fixer"))
	}
	var p Problems
	checkDecisionDay(&p, "verified_on", day, r.FixedOn, today)
	checkLongText(&p, "note", note, 2000)
	if !ok && note == "" {
		p.Add("note", "grading.reasons_required")
	}
	if err := p.Err(); err != nil {
		return err
	}
	r.VerifiedBy, r.VerifiedOn, r.VerifyNote = by, day, note
	if ok {
		r.Status = RectVerified
	} else {
		r.Status = RectOpen
	}
	return nil
}

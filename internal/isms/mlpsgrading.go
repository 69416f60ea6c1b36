package isms

import (
	"fmt"
	"time"
)

// The grading of an object goes through the steps of mlps.md §1.5:
// initial grading by the operator, expert review (level 2 and above),
// the competent authority's approval (only where the object has one),
// then filing with the public security bureau (level 2 and above; a
// level-1 object is not filed). A rejection at any step returns the
// grading to the grader with its reasons. Each grading is a version: a
// material change or a re-grading starts a new one, and the old one stays
// readable, superseded once the new level is confirmed.

// Grading statuses.
const (
	GradingDraft     = "draft"            // 初步定级, being written
	GradingReturned  = "returned"         // returned by the experts, the authority or the bureau
	GradingReview    = "expert_review"    // 专家评审
	GradingAuthority = "authority_review" // 主管部门审核
	GradingFiling    = "filing"           // the level is confirmed; filing with the bureau (level 2+)
	GradingFiled     = "filed"            // 已备案
	GradingConfirmed = "confirmed"        // a level-1 object's confirmed level (not filed)
	GradingOld       = "superseded"       // replaced by a later version
)

// GradingStatuses lists the statuses in workflow order.
var GradingStatuses = []string{GradingDraft, GradingReturned, GradingReview, GradingAuthority, GradingFiling,
	GradingFiled, GradingConfirmed, GradingOld}

// Grading is one version of an object's grading.
type Grading struct {
	ID       string     `json:"id"`
	OrgID    string     `json:"org_id"`
	ObjectID string     `json:"object_id"`
	Version  int        `json:"version"`
	Template string     `json:"template"` // the grading-matrix and report template version: "2020", "2025"
	Ticks    []HarmTick `json:"ticks"`
	Business int        `json:"business"` // S
	Service  int        `json:"service"`  // A
	Level    int        `json:"level"`
	Reason   string     `json:"reason"` // why this version: first grading, material change, …
	Status   string     `json:"status"`
	// ReturnReason is the latest rejection's reasons, while returned, and
	// ReturnedBy the step that returned it.
	ReturnReason string `json:"return_reason"`
	ReturnedBy   string `json:"returned_by"`
	SubmittedOn  string `json:"submitted_on"`

	// Expert review (专家评审).
	ReviewExperts    string `json:"review_experts"`
	ReviewOn         string `json:"review_on"`
	ReviewConclusion string `json:"review_conclusion"` // agree | disagree
	ReviewOpinions   string `json:"review_opinions"`
	ReviewLevel      int    `json:"review_level"` // the level the experts agreed to

	// The competent authority's approval (主管部门审核).
	AuthorityName     string `json:"authority_name"`
	AuthorityOn       string `json:"authority_on"`
	AuthorityDecision string `json:"authority_decision"` // approved | rejected
	AuthorityOpinion  string `json:"authority_opinion"`
	AuthorityLevel    int    `json:"authority_level"`

	ConfirmedOn string    `json:"confirmed_on"` // 定级时间: the level was confirmed
	FiledOn     string    `json:"filed_on"`     // the bureau accepted the filing
	GradedBy    string    `json:"graded_by"`
	UpdatedBy   string    `json:"updated_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Result is the grading's levels.
func (g Grading) Result() GradingResult {
	return GradingResult{Business: g.Business, Service: g.Service, Level: g.Level}
}

// Editable reports whether the grader may still change the ticks.
func (g Grading) Editable() bool { return g.Status == GradingDraft || g.Status == GradingReturned }

// Open reports whether the grading is still in progress.
func (g Grading) Open() bool {
	return g.Editable() || g.Status == GradingReview || g.Status == GradingAuthority
}

// InForce reports whether the grading's level is the object's confirmed
// level.
func (g Grading) InForce() bool {
	return g.Status == GradingFiling || g.Status == GradingFiled || g.Status == GradingConfirmed
}

// Label is "V2 第三级 (S3A2)"-style text without the level name.
func (g Grading) Label() string { return fmt.Sprintf("V%d %s", g.Version, g.Result().Notation()) }

// Grading review outcomes.
const (
	ReviewAgree      = "agree"
	ReviewDisagree   = "disagree"
	AuthorityApprove = "approved"
	AuthorityReject  = "rejected"
)

// SetTicks grades the ticks under m: the levels are computed, a level
// the grader states must agree with them (0 states none).
func (g *Grading) SetTicks(m GradingMatrix, ticks []HarmTick, stated int) error {
	if !g.Editable() {
		return Conflict("status", M("grading.not_editable"))
	}
	r, err := GradeTicks(m, ticks)
	if err != nil {
		return err
	}
	if err := CheckClaimedLevel(r, stated); err != nil {
		return err
	}
	g.Ticks, g.Template = ticks, m.Version
	g.Business, g.Service, g.Level = r.Business, r.Service, r.Level
	return nil
}

// next is the step after the grader, the experts or the authority, for
// an object with or without a competent authority. An agreement already
// given to the same level is not asked for again (a grading returned by
// the bureau for its materials goes straight back to filing).
func (g Grading) next(after string, hasAuthority bool) string {
	steps := []string{GradingReview, GradingAuthority}
	start := 0
	switch after {
	case GradingReview:
		start = 1
	case GradingAuthority:
		start = 2
	}
	for _, s := range steps[start:] {
		switch {
		case s == GradingReview && g.Level >= 2 && !(g.ReviewConclusion == ReviewAgree && g.ReviewLevel == g.Level):
			return s
		case s == GradingAuthority && hasAuthority && !(g.AuthorityDecision == AuthorityApprove && g.AuthorityLevel == g.Level):
			return s
		}
	}
	if g.Level >= 2 {
		return GradingFiling
	}
	return GradingConfirmed
}

// enter moves the grading to status on day; reaching a confirmed level
// dates it.
func (g *Grading) enter(status, day string) {
	g.Status = status
	if status == GradingFiling || status == GradingConfirmed {
		g.ConfirmedOn = day
	}
}

// returned returns the grading to the grader from step, with reasons.
func (g *Grading) returned(step, reasons string) {
	g.Status, g.ReturnedBy, g.ReturnReason = GradingReturned, step, reasons
}

// Submit sends a drafted or returned grading on from the grader.
func (g *Grading) Submit(day string, hasAuthority bool) error {
	if !g.Editable() {
		return Conflict("status", M("grading.not_editable"))
	}
	if g.Level == 0 {
		return Invalid("ticks", M("grading.dimension_required"))
	}
	g.SubmittedOn = day
	g.ReturnReason, g.ReturnedBy = "", ""
	g.enter(g.next("", hasAuthority), day)
	return nil
}

// ExpertReview is what the experts concluded.
type ExpertReview struct {
	Experts    string `json:"experts"`
	On         string `json:"on"`
	Conclusion string `json:"conclusion"`
	Opinions   string `json:"opinions"`
}

// RecordReview records the expert review: agreement sends the grading on,
// disagreement returns it with the opinions as reasons.
func (g *Grading) RecordReview(r ExpertReview, today string, hasAuthority bool) error {
	if g.Status != GradingReview {
		return Conflict("status", M("grading.not_at_review"))
	}
	TrimFields(&r.Experts, &r.On, &r.Conclusion, &r.Opinions)
	var p Problems
	checkText(&p, "experts", r.Experts, true, 500)
	checkDecisionDay(&p, "on", r.On, g.SubmittedOn, today)
	oneOf(&p, "conclusion", r.Conclusion, []string{ReviewAgree, ReviewDisagree})
	checkLongText(&p, "opinions", r.Opinions, 4000)
	if r.Conclusion == ReviewDisagree && r.Opinions == "" {
		p.Add("opinions", "grading.reasons_required")
	}
	if err := p.Err(); err != nil {
		return err
	}
	g.ReviewExperts, g.ReviewOn, g.ReviewConclusion, g.ReviewOpinions = r.Experts, r.On, r.Conclusion, r.Opinions
	if r.Conclusion == ReviewDisagree {
		g.ReviewLevel = 0
		g.returned(GradingReview, r.Opinions)
		return nil
	}
	g.ReviewLevel = g.Level
	g.enter(g.next(GradingReview, hasAuthority), r.On)
	return nil
}

// AuthorityDecision is the competent authority's decision.
type AuthorityDecision struct {
	Authority string `json:"authority"`
	On        string `json:"on"`
	Decision  string `json:"decision"`
	Opinion   string `json:"opinion"`
}

// RecordAuthority records the authority's decision: approval sends the
// grading on, rejection returns it.
func (g *Grading) RecordAuthority(d AuthorityDecision, today string) error {
	if g.Status != GradingAuthority {
		return Conflict("status", M("grading.not_at_authority"))
	}
	TrimFields(&d.Authority, &d.On, &d.Decision, &d.Opinion)
	var p Problems
	checkText(&p, "authority", d.Authority, true, 200)
	checkDecisionDay(&p, "on", d.On, max(g.SubmittedOn, g.ReviewOn), today)
	oneOf(&p, "decision", d.Decision, []string{AuthorityApprove, AuthorityReject})
	checkLongText(&p, "opinion", d.Opinion, 4000)
	if d.Decision == AuthorityReject && d.Opinion == "" {
		p.Add("opinion", "grading.reasons_required")
	}
	if err := p.Err(); err != nil {
		return err
	}
	g.AuthorityName, g.AuthorityOn, g.AuthorityDecision, g.AuthorityOpinion = d.Authority, d.On, d.Decision, d.Opinion
	if d.Decision == AuthorityReject {
		g.AuthorityLevel = 0
		g.returned(GradingAuthority, d.Opinion)
		return nil
	}
	g.AuthorityLevel = g.Level
	g.enter(g.next(GradingAuthority, true), d.On)
	return nil
}

// checkDecisionDay checks the day of a decision: a date, not before the
// step began and not in the future.
func checkDecisionDay(p *Problems, field, day, from, today string) {
	if day == "" {
		p.Add(field, "field.required")
		return
	}
	if _, ok := checkDate(p, field, day); !ok {
		return
	}
	switch {
	case from != "" && day < from:
		p.Add(field, "grading.day_before", "day", from)
	case day > today:
		p.Add(field, "grading.day_future")
	}
}

// Filing submissions (备案) and their outcomes.
const (
	FilingPending  = "pending"
	FilingAccepted = "accepted"
	FilingReturned = "returned"
)

// Filing is one submission of a grading's filing to a public security
// bureau, and what came of it.
type Filing struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	ObjectID    string    `json:"object_id"`
	GradingID   string    `json:"grading_id"`
	Bureau      string    `json:"bureau"` // 受理备案单位
	SubmittedOn string    `json:"submitted_on"`
	Template    string    `json:"template"` // the form: "classic" or "2025"
	Outcome     string    `json:"outcome"`
	DecidedOn   string    `json:"decided_on"`
	Reasons     string    `json:"reasons"` // a return's
	Regrade     bool      `json:"regrade"` // the return asks for a new grading, not just materials
	RecordedBy  string    `json:"recorded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// Filing form templates.
const (
	FormClassic = "classic" // 信息系统安全等级保护备案表, four tables
	Form2025    = "2025"    // 网络安全等级保护备案表, six tables
)

// FilingForms lists the form templates.
var FilingForms = []string{FormClassic, Form2025}

// CheckFilingSubmission checks a new submission of grading g.
func CheckFilingSubmission(g Grading, f *Filing, today string) error {
	TrimFields(&f.Bureau, &f.SubmittedOn, &f.Template)
	if g.Level == 1 {
		return Conflict("level", M("grading.level1_not_filed"))
	}
	if g.Status != GradingFiling {
		return Conflict("status", M("grading.not_at_filing"))
	}
	var p Problems
	checkText(&p, "bureau", f.Bureau, true, 200)
	checkDecisionDay(&p, "submitted_on", f.SubmittedOn, "", today)
	oneOf(&p, "template", f.Template, FilingForms)
	return p.Err()
}

// Certificate is a filing certificate (备案证明).
type Certificate struct {
	ID         string    `json:"id"`
	OrgID      string    `json:"org_id"`
	ObjectID   string    `json:"object_id"`
	GradingID  string    `json:"grading_id"`
	FilingID   string    `json:"filing_id"`
	Number     string    `json:"number"` // 备案证明编号
	Bureau     string    `json:"bureau"`
	IssuedOn   string    `json:"issued_on"`
	RecordedBy string    `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
	// Computed: validity with its explanation, and where it stands.
	Validity *CertificateValidity `json:"validity,omitempty"`
	State    string               `json:"state,omitempty"`
}

// FilingOutcome is the bureau's answer to a submission.
type FilingOutcome struct {
	Outcome   string `json:"outcome"`
	DecidedOn string `json:"decided_on"`
	Reasons   string `json:"reasons"`
	Regrade   bool   `json:"regrade"`
}

// Decide records the bureau's answer to a pending submission of g:
// acceptance files the grading (its certificate is recorded when the
// bureau issues it); a return keeps it in filing to resubmit,
// or, when the bureau asks for a new grading, returns it to the grader.
func (o *FilingOutcome) Decide(g *Grading, f *Filing, today string) error {
	TrimFields(&o.Outcome, &o.DecidedOn, &o.Reasons)
	if f.Outcome != FilingPending {
		return Conflict("outcome", M("grading.filing_decided"))
	}
	var p Problems
	oneOf(&p, "outcome", o.Outcome, []string{FilingAccepted, FilingReturned})
	checkDecisionDay(&p, "decided_on", o.DecidedOn, f.SubmittedOn, today)
	checkLongText(&p, "reasons", o.Reasons, 4000)
	if o.Outcome == FilingReturned && o.Reasons == "" {
		p.Add("reasons", "grading.reasons_required")
	}
	if err := p.Err(); err != nil {
		return err
	}
	f.Outcome, f.DecidedOn, f.Reasons = o.Outcome, o.DecidedOn, o.Reasons
	switch {
	case o.Outcome == FilingAccepted:
		g.Status, g.FiledOn = GradingFiled, o.DecidedOn
	case o.Regrade:
		f.Regrade = true
		g.returned(GradingFiling, o.Reasons)
	}
	return nil
}

// CheckCertificate checks a certificate recorded for a filed grading.
func CheckCertificate(c *Certificate, f Filing, today string) error {
	TrimFields(&c.Number, &c.Bureau, &c.IssuedOn)
	var p Problems
	checkText(&p, "number", c.Number, true, 100)
	checkText(&p, "bureau", c.Bureau, true, 200)
	if c.IssuedOn == "" {
		p.Add("issued_on", "field.required")
	} else if _, ok := checkDate(&p, "issued_on", c.IssuedOn); ok {
		switch {
		case c.IssuedOn < f.SubmittedOn:
			p.Add("issued_on", "grading.certificate_before_filing", "day", f.SubmittedOn)
		case c.IssuedOn > today:
			p.Add("issued_on", "grading.day_future")
		}
	}
	return p.Err()
}

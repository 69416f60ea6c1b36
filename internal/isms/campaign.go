package isms

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Campaign is a supervising body's piece of work over the organizations
// it supervises: the city coordination group's 等级保护 campaign with its
// preparation, implementation and consolidation phases, a group's annual
// self-inspection. It names its basis (the notice), its audience, its
// phases and, in each phase, the submissions required with their
// deadlines.
type Campaign struct {
	ID      string `json:"id"`
	OrgID   string `json:"org_id"` // the supervising body
	Title   string `json:"title"`
	BasisNo string `json:"basis_no"` // the notice's number (文号)
	Basis   string `json:"basis"`    // its title or summary
	Status  string `json:"status"`   // CampaignDraft, CampaignOpen, CampaignClosed
	// Phases, in order of start, and the submissions required in them.
	Phases       []CampaignPhase `json:"phases"`
	Requirements []Requirement   `json:"requirements"`
	CreatedBy    string          `json:"created_by"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	OpenedAt     *time.Time      `json:"opened_at,omitempty"`
	ClosedAt     *time.Time      `json:"closed_at,omitempty"`
	// Read with it.
	OrgName  string `json:"org_name,omitempty"`
	Audience int    `json:"audience"` // organizations that must respond
}

// Campaign states: prepared, then open for submissions, then closed
// (submissions only from organizations it was reopened for).
const (
	CampaignDraft  = "draft"
	CampaignOpen   = "open"
	CampaignClosed = "closed"
)

// CampaignPhase is a stretch of a campaign with its dates (inclusive).
type CampaignPhase struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	StartsOn string `json:"starts_on"`
	EndsOn   string `json:"ends_on"`
}

// Requirement is one submission a campaign asks of every organization in
// its audience: of a type (its fields, copied from a template when the
// requirement is made, so later template changes never alter what was
// asked), in a phase, due on a day within it.
type Requirement struct {
	ID       string           `json:"id"`
	PhaseID  string           `json:"phase_id"`
	TypeCode string           `json:"type_code"` // the template it came from, e.g. "self_check"
	Title    string           `json:"title"`
	DueOn    string           `json:"due_on"`
	Schema   SubmissionSchema `json:"schema"`
}

// Check validates a campaign's own fields, its phases and requirements:
// phases with a name and dates in order, each requirement in one of them
// and due within its dates, with a valid schema.
func (c *Campaign) Check() error {
	var p Problems
	TrimFields(&c.Title, &c.BasisNo, &c.Basis)
	checkText(&p, "title", c.Title, true, 200)
	checkText(&p, "basis_no", c.BasisNo, false, 100)
	checkText(&p, "basis", c.Basis, false, 4000)
	phases := map[string]CampaignPhase{}
	for i := range c.Phases {
		ph := &c.Phases[i]
		f := "phases[" + strconv.Itoa(i) + "]"
		TrimFields(&ph.Name, &ph.StartsOn, &ph.EndsOn)
		checkText(&p, f+".name", ph.Name, true, 100)
		checkRequiredDate(&p, f+".starts_on", ph.StartsOn)
		checkRequiredDate(&p, f+".ends_on", ph.EndsOn)
		if !p.Has(f+".starts_on") && !p.Has(f+".ends_on") && ph.EndsOn < ph.StartsOn {
			p.Add(f+".ends_on", "campaign.phase_order")
		}
		phases[ph.ID] = *ph
	}
	if len(c.Phases) > 20 {
		p.Add("phases", "field.max_items", "max", 20)
	}
	for i := range c.Requirements {
		r := &c.Requirements[i]
		f := "requirements[" + strconv.Itoa(i) + "]"
		TrimFields(&r.Title, &r.DueOn, &r.TypeCode)
		checkText(&p, f+".title", r.Title, true, 200)
		checkText(&p, f+".type_code", r.TypeCode, false, 64)
		checkRequiredDate(&p, f+".due_on", r.DueOn)
		ph, ok := phases[r.PhaseID]
		switch {
		case !ok:
			p.Add(f+".phase_id", "campaign.unknown_phase")
		case !p.Has(f+".due_on") && (r.DueOn < ph.StartsOn || r.DueOn > ph.EndsOn):
			p.Add(f+".due_on", "campaign.due_outside_phase", "phase", ph.Name, "from", ph.StartsOn, "to", ph.EndsOn)
		}
		if err := r.Schema.Check(); err != nil {
			var q Problems
			q.Merge(err)
			for _, fe := range q.fields {
				p.fields = append(p.fields, FieldError{Field: f + ".schema." + fe.Field, Msg: fe.Msg})
			}
		}
	}
	if len(c.Requirements) > 50 {
		p.Add("requirements", "field.max_items", "max", 50)
	}
	return p.Err()
}

// Ready reports what a campaign lacks before it can open: a phase, a
// requirement and an audience.
func (c *Campaign) Ready(audience int) error {
	var p Problems
	if len(c.Phases) == 0 {
		p.Add("phases", "campaign.no_phases")
	}
	if len(c.Requirements) == 0 {
		p.Add("requirements", "campaign.no_requirements")
	}
	if audience == 0 {
		p.Add("audience", "campaign.no_audience")
	}
	return p.Err()
}

// Phase returns the phase with the id.
func (c *Campaign) Phase(id string) (CampaignPhase, bool) {
	if c == nil {
		return CampaignPhase{}, false
	}
	i := slices.IndexFunc(c.Phases, func(p CampaignPhase) bool { return p.ID == id })
	if i < 0 {
		return CampaignPhase{}, false
	}
	return c.Phases[i], true
}

// Requirement returns the requirement with the id.
func (c *Campaign) Requirement(id string) (Requirement, bool) {
	if c == nil {
		return Requirement{}, false
	}
	i := slices.IndexFunc(c.Requirements, func(r Requirement) bool { return r.ID == id })
	if i < 0 {
		return Requirement{}, false
	}
	return c.Requirements[i], true
}

// SortPhases orders the phases by start, then end.
func (c *Campaign) SortPhases() {
	slices.SortStableFunc(c.Phases, func(a, b CampaignPhase) int {
		return strings.Compare(a.StartsOn+a.EndsOn, b.StartsOn+b.EndsOn)
	})
}

func checkRequiredDate(p *Problems, field, value string) {
	if value == "" {
		p.Add(field, "field.required")
		return
	}
	checkDate(p, field, value)
}

// CampaignMember is an organization in a campaign's audience, with the
// bodies that review its submissions, nearest first and the campaign's
// owner last — fixed when it joins, so a later change of links does not
// move submissions already under review — and the day until which a
// closed campaign still takes its submissions.
type CampaignMember struct {
	OrgID         string   `json:"org_id"`
	OrgName       string   `json:"org_name"`
	Chain         []string `json:"chain"`
	ReopenedUntil string   `json:"reopened_until,omitempty"`
}

// Liaison is an organization's MLPS liaison (联络员): who the
// coordination group calls. Account, when set, is the person's account,
// to whom campaign tasks and reminders go.
type Liaison struct {
	OrgID     string    `json:"org_id"`
	Name      string    `json:"name"`
	Post      string    `json:"post"`
	Phone     string    `json:"phone"`
	Email     string    `json:"email"`
	AccountID string    `json:"account_id"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Check validates a liaison.
func (l *Liaison) Check() error {
	var p Problems
	TrimFields(&l.Name, &l.Post, &l.Phone, &l.Email, &l.AccountID)
	checkText(&p, "name", l.Name, true, 100)
	checkText(&p, "post", l.Post, false, 100)
	checkText(&p, "phone", l.Phone, true, 40)
	checkPhone(&p, "phone", l.Phone)
	checkEmail(&p, "email", l.Email)
	checkOptionalID(&p, "account_id", l.AccountID)
	return p.Err()
}

// Progress counts an audience's submissions: required, submitted at least
// once, owed after their due day, returned (waiting for a new version),
// accepted by every body, under review now, and never submitted though
// due (overdue).
type Progress struct {
	Required int `json:"required"`
	Done     int `json:"done"`
	Late     int `json:"late"`
	Returned int `json:"returned"`
	Accepted int `json:"accepted"`
	Review   int `json:"under_review"`
	Overdue  int `json:"overdue"`
}

// Count adds one submission as it stands today.
func (p *Progress) Count(x Submission, today string) {
	p.Required++
	if x.FirstAt != nil {
		p.Done++
	}
	if x.Late(today) {
		p.Late++
		if x.FirstAt == nil {
			p.Overdue++
		}
	}
	switch x.Status {
	case SubReturned:
		p.Returned++
	case SubAccepted:
		p.Accepted++
	case SubSubmitted:
		p.Review++
	}
}

// Add adds another count, for totals.
func (p *Progress) Add(o Progress) {
	p.Required, p.Done, p.Late, p.Returned, p.Accepted = p.Required+o.Required, p.Done+o.Done, p.Late+o.Late,
		p.Returned+o.Returned, p.Accepted+o.Accepted
	p.Review, p.Overdue = p.Review+o.Review, p.Overdue+o.Overdue
}

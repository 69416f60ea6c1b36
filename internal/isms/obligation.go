package isms

import (
	"strconv"
	"strings"
	"time"
)

// Frequency is how often an obligation recurs.
type Frequency string

// Frequencies. RRULE takes a full RFC 5545 rule in Schedule.RRule.
const (
	FreqDaily      Frequency = "daily"
	FreqWeekly     Frequency = "weekly"
	FreqEveryNDays Frequency = "every_n_days"
	FreqMonthly    Frequency = "monthly"
	FreqQuarterly  Frequency = "quarterly"
	FreqHalfYearly Frequency = "half_yearly"
	FreqYearly     Frequency = "yearly"
	FreqRRule      Frequency = "rrule"
)

// Frequencies lists the valid frequencies in display order.
var Frequencies = []Frequency{FreqDaily, FreqWeekly, FreqEveryNDays, FreqMonthly, FreqQuarterly, FreqHalfYearly, FreqYearly, FreqRRule}

// Schedule says when an obligation falls due. Occurrences are anchored at
// Start (a date) at TimeOfDay in the organization's time zone; a monthly
// duty anchored on the 31st falls on the last day of shorter months.
type Schedule struct {
	Frequency Frequency `json:"frequency"`
	Interval  int       `json:"interval"`    // every N units (N days for every_n_days); 0 means 1
	RRule     string    `json:"rrule"`       // for FreqRRule, e.g. "FREQ=WEEKLY;BYDAY=MO"
	Start     string    `json:"start"`       // anchor date, "2006-01-02"
	TimeOfDay string    `json:"time_of_day"` // "09:00"
}

// Clock returns the hour and minute of TimeOfDay (09:00 when empty).
func (s Schedule) Clock() (hour, minute int, ok bool) {
	if s.TimeOfDay == "" {
		return 9, 0, true
	}
	h, m, found := strings.Cut(s.TimeOfDay, ":")
	if !found {
		return 0, 0, false
	}
	hour, err1 := strconv.Atoi(h)
	minute, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hour < 0 || hour > 23 || minute < 0 || minute > 59 || len(m) != 2 {
		return 0, 0, false
	}
	return hour, minute, true
}

// Validate checks the fields that need no recurrence engine; package
// schedule checks that the rule fires, and not too often.
func (s Schedule) Validate(p *Problems) {
	ok := false
	for _, f := range Frequencies {
		ok = ok || f == s.Frequency
	}
	if !ok {
		p.Add("schedule.frequency", "field.one_of", "values", joinFrequencies())
	}
	if s.Interval < 0 || s.Interval > 366 {
		p.Add("schedule.interval", "field.range", "min", 1, "max", 366)
	}
	if s.Frequency == FreqRRule && strings.TrimSpace(s.RRule) == "" {
		p.Add("schedule.rrule", "field.required")
	}
	if _, err := time.Parse(DateLayout, s.Start); err != nil {
		p.Add("schedule.start", "field.bad_date")
	}
	if _, _, ok := s.Clock(); !ok {
		p.Add("schedule.time_of_day", "schedule.bad_time")
	}
}

func joinFrequencies() string {
	s := make([]string, len(Frequencies))
	for i, f := range Frequencies {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// EvidenceKind says what completing a task must leave behind.
type EvidenceKind string

// Evidence kinds.
const (
	EvidenceNote       EvidenceKind = "note"
	EvidenceAttachment EvidenceKind = "attachment"
	EvidenceRecord     EvidenceKind = "record" // a link to a record of RecordKind
)

// EscalationStep is one link of an escalation chain: after the grace
// period plus AfterHours, the overdue task is escalated to the holders of
// Role (in the task's department for dept_head).
type EscalationStep struct {
	Role       Role `json:"role"`
	AfterHours int  `json:"after_hours"`
}

// DefaultEscalation: the department head at once when the grace period
// ends, the management representative a day later.
func DefaultEscalation() []EscalationStep {
	return []EscalationStep{{Role: RoleDeptHead, AfterHours: 0}, {Role: RoleManagementRep, AfterHours: 24}}
}

// Obligation is a recurring duty of an organization.
type Obligation struct {
	ID           string           `json:"id"`
	OrgID        string           `json:"org_id"`
	Code         string           `json:"code"` // stable key of a default duty, e.g. "joint-meeting"
	TitleZH      string           `json:"title_zh"`
	TitleEN      string           `json:"title_en"`
	Description  string           `json:"description"`
	DeptID       string           `json:"department_id"`
	OwnerRole    Role             `json:"owner_role"`
	OwnerAccount string           `json:"owner_account_id"`
	Schedule     Schedule         `json:"schedule"`
	LeadDays     int              `json:"reminder_lead_days"`
	GraceDays    int              `json:"grace_days"`
	Escalation   []EscalationStep `json:"escalation"`
	Evidence     EvidenceKind     `json:"evidence"`
	RecordKind   string           `json:"record_kind"`
	Source       string           `json:"source"`
	Active       bool             `json:"active"`
	CreatedAt    time.Time        `json:"created_at"`
	UpdatedAt    time.Time        `json:"updated_at"`
	ArchivedAt   *time.Time       `json:"archived_at"`
}

// Normalize trims text and fills defaults.
func (o *Obligation) Normalize() {
	TrimFields(&o.Code, &o.TitleZH, &o.TitleEN, &o.Description, &o.DeptID, &o.OwnerAccount, &o.RecordKind, &o.Source,
		&o.Schedule.RRule, &o.Schedule.Start, &o.Schedule.TimeOfDay)
	if o.Schedule.Interval == 0 {
		o.Schedule.Interval = 1
	}
	if o.Evidence == "" {
		o.Evidence = EvidenceNote
	}
	if o.Escalation == nil {
		o.Escalation = DefaultEscalation()
	}
}

// Validate checks every field that needs no stored state.
func (o *Obligation) Validate() error {
	var p Problems
	if !ValidID(o.OrgID) {
		p.Add("org_id", "field.bad_id")
	}
	checkText(&p, "title_zh", o.TitleZH, true, 200)
	checkText(&p, "title_en", o.TitleEN, false, 200)
	checkText(&p, "description", o.Description, false, 4000)
	checkText(&p, "code", o.Code, false, 64)
	checkText(&p, "source", o.Source, false, 500)
	checkOptionalID(&p, "department_id", o.DeptID)
	checkOptionalID(&p, "owner_account_id", o.OwnerAccount)
	if o.OwnerRole != "" && !o.OwnerRole.Grantable() {
		p.Add("owner_role", "field.one_of", "values", JoinRoles(GrantableRoles))
	}
	if o.OwnerRole == "" && o.OwnerAccount == "" {
		p.Add("owner_role", "obligation.owner_required")
	}
	o.Schedule.Validate(&p)
	if o.LeadDays < 0 || o.LeadDays > 90 {
		p.Add("reminder_lead_days", "field.range", "min", 0, "max", 90)
	}
	if o.GraceDays < 0 || o.GraceDays > 90 {
		p.Add("grace_days", "field.range", "min", 0, "max", 90)
	}
	for i, st := range o.Escalation {
		if !st.Role.Grantable() {
			p.Add("escalation["+strconv.Itoa(i)+"].role", "field.one_of", "values", JoinRoles(GrantableRoles))
		}
		if st.AfterHours < 0 || st.AfterHours > 24*90 {
			p.Add("escalation["+strconv.Itoa(i)+"].after_hours", "field.range", "min", 0, "max", 24*90)
		}
	}
	switch o.Evidence {
	case EvidenceNote, EvidenceAttachment:
	case EvidenceRecord:
		if o.RecordKind == "" {
			p.Add("record_kind", "field.required")
		}
	default:
		p.Add("evidence", "field.one_of", "values", "note, attachment, record")
	}
	return p.Err()
}

// TaskStatus is where a task stands. Overdue is not a status: an open task
// is overdue once its due time and grace period have passed.
type TaskStatus string

// Task statuses.
const (
	TaskOpen          TaskStatus = "open"
	TaskDone          TaskStatus = "done"
	TaskSkipRequested TaskStatus = "skip_requested" // waiting for the assigner's approval
	TaskSkipped       TaskStatus = "skipped"
)

// Task is one occurrence of an obligation, or a one-off task.
type Task struct {
	ID              string     `json:"id"`
	OrgID           string     `json:"org_id"`
	ObligationID    string     `json:"obligation_id"`
	TitleZH         string     `json:"title_zh"`
	TitleEN         string     `json:"title_en"`
	DeptID          string     `json:"department_id"`
	AssigneeRole    Role       `json:"assignee_role"`
	AssigneeAccount string     `json:"assignee_account_id"`
	AssignedBy      string     `json:"assigned_by"` // account that approves a skip; "" for generated tasks (the management representative approves)
	DueAt           time.Time  `json:"due_at"`
	GraceDays       int        `json:"grace_days"`
	Status          TaskStatus `json:"status"`
	Evidence        string     `json:"evidence"`
	SkipReason      string     `json:"skip_reason"`
	CompletedBy     string     `json:"completed_by"`
	CompletedAt     *time.Time `json:"completed_at"`
	EscalationLevel int        `json:"escalation_level"` // steps of the chain already notified
	SourceType      string     `json:"source_type"`      // module that created a one-off task
	SourceID        string     `json:"source_id"`
	CreatedAt       time.Time  `json:"created_at"`
}

// Overdue reports whether an open task has passed its due time and grace.
func (t *Task) Overdue(now time.Time) bool {
	return t.Status == TaskOpen && now.After(t.Deadline())
}

// Deadline is the due time plus the grace period.
func (t *Task) Deadline() time.Time { return t.DueAt.Add(time.Duration(t.GraceDays) * 24 * time.Hour) }

// Notification is a message in an account's inbox.
type Notification struct {
	ID        string     `json:"id"`
	OrgID     string     `json:"org_id"`
	AccountID string     `json:"account_id"`
	Kind      string     `json:"kind"` // "reminder", "escalation", "task", …
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	TaskID    string     `json:"task_id"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

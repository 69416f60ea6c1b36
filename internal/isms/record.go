package isms

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Records control (记录控制, manual §4.3.3): every record the ISMS keeps
// has a type that says where it comes from (category a–d), what form it
// takes, where it is kept and for how long; records past their retention
// are disposed of with approval, and a legal hold stops that.

// Record categories by source (manual §4.3.3.4).
var RecordCategories = []string{
	"a", // required by procedures
	"b", // required by work standards and work instructions
	"c", // required by rules and regulations
	"d", // other evidence of conformity and effective operation
}

// RecordForms are the forms a record takes (manual §4.3.3.5): 表, 单, 卡,
// 台帐, 记录本, 报告, 纪要, 证, 图.
var RecordForms = []string{"table", "form", "card", "ledger", "logbook", "report", "minutes", "certificate", "drawing"}

// RecordMedia says whether a type's records are on paper, electronic or
// either.
var RecordMedia = []string{"electronic", "paper", "both"}

// DisposalMethods are the ways a record is destroyed or handed over.
var DisposalMethods = []string{"shred", "incinerate", "erase", "degauss", "media_destroy", "archive_transfer"}

// Disposal statuses: requested → approved → done, or rejected.
const (
	DisposalPending  = "pending"
	DisposalApproved = "approved"
	DisposalRejected = "rejected"
	DisposalDone     = "done"
)

// DisposalStatuses lists them in display order.
var DisposalStatuses = []string{DisposalPending, DisposalApproved, DisposalRejected, DisposalDone}

// Record states as the register shows them; only "disposed" is stored,
// the others follow from the dates, holds and open disposals.
const (
	RecordKept     = "kept"     // within its retention period
	RecordDue      = "due"      // past retention, may be disposed of
	RecordHeld     = "held"     // under legal hold (its own or its type's)
	RecordInDisp   = "pending"  // in a disposal not yet carried out
	RecordDisposed = "disposed" // destroyed or handed over
)

// RecordStates lists the register's state filter values.
var RecordStates = []string{RecordKept, RecordDue, RecordHeld, RecordInDisp, RecordDisposed}

// maxRetentionMonths bounds retention: 100 years.
const maxRetentionMonths = 1200

// RecordType is a kind of record and the rules for keeping it.
type RecordType struct {
	ID     string `json:"id"`
	OrgID  string `json:"org_id"`
	Code   string `json:"code"` // stable key modules and obligations name, e.g. "training"
	NameZH string `json:"name_zh"`
	NameEN string `json:"name_en"`
	// Category is the manual's a–d; Form one of RecordForms; Medium one
	// of RecordMedia.
	Category string `json:"category"`
	Form     string `json:"form"`
	Medium   string `json:"medium"`
	// RetentionMonths is how long a record is kept after its date; 0
	// keeps it permanently (永久).
	RetentionMonths int        `json:"retention_months"`
	Location        string     `json:"location"` // where the records are kept (储存地点)
	OwnerDeptID     string     `json:"owner_department_id"`
	DocumentCode    string     `json:"document_code"` // the procedure or rule that requires it, e.g. XX-B-03
	HoldReason      string     `json:"hold_reason"`   // a legal hold on every record of the type
	HoldBy          string     `json:"hold_by"`
	HoldAt          *time.Time `json:"hold_at"`
	Records         int        `json:"records"` // how many it has, in lists
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// Name is the type's name in lang, falling back to Chinese.
func (t RecordType) Name(lang string) string {
	if strings.HasPrefix(lang, "en") && t.NameEN != "" {
		return t.NameEN
	}
	return t.NameZH
}

// Normalize trims the type's text and fills defaults.
func (t *RecordType) Normalize() {
	TrimFields(&t.Code, &t.NameZH, &t.NameEN, &t.Category, &t.Form, &t.Medium, &t.Location, &t.OwnerDeptID, &t.DocumentCode)
	if t.Medium == "" {
		t.Medium = "electronic"
	}
}

// Validate checks a type's fields.
func (t *RecordType) Validate() error {
	var p Problems
	checkText(&p, "code", t.Code, true, 64)
	if t.Code != "" && strings.ContainsAny(t.Code, " \t/") {
		p.Add("code", "record.code_chars")
	}
	checkText(&p, "name_zh", t.NameZH, true, 200)
	checkText(&p, "name_en", t.NameEN, false, 200)
	checkText(&p, "location", t.Location, false, 300)
	checkText(&p, "document_code", t.DocumentCode, false, 64)
	checkOptionalID(&p, "owner_department_id", t.OwnerDeptID)
	oneOf(&p, "category", t.Category, RecordCategories)
	oneOf(&p, "form", t.Form, RecordForms)
	oneOf(&p, "medium", t.Medium, RecordMedia)
	if t.RetentionMonths < 0 || t.RetentionMonths > maxRetentionMonths {
		p.Add("retention_months", "field.range", "min", 0, "max", maxRetentionMonths)
	}
	return p.Err()
}

// oneOf adds a problem when v is not in set.
func oneOf(p *Problems, field, v string, set []string) {
	if !slices.Contains(set, v) {
		p.Add(field, "field.one_of", "values", strings.Join(set, ", "))
	}
}

// Record is one entry of the records register. Modules file their records
// here as they make them (a completed duty, a compliance evaluation, an
// acknowledgement); paper records are registered by hand.
type Record struct {
	ID         string     `json:"id"`
	N          int64      `json:"number"` // identification (标识): JL-000123
	OrgID      string     `json:"org_id"`
	TypeID     string     `json:"type_id"`
	Title      string     `json:"title"`
	RecordDate string     `json:"record_date"` // the day it was made
	DeptID     string     `json:"department_id"`
	Location   string     `json:"location"` // where this one is, when not the type's place
	SourceType string     `json:"source_type,omitempty"`
	SourceID   string     `json:"source_id,omitempty"`
	CreatedBy  string     `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	HoldReason string     `json:"hold_reason"`
	HoldBy     string     `json:"hold_by"`
	HoldAt     *time.Time `json:"hold_at"`
	DisposalID string     `json:"disposal_id"` // the open or completed disposal that holds it
	DisposedAt *time.Time `json:"disposed_at"`
	// From the type, for lists.
	Type RecordType `json:"type"`
	// RetainUntil is the last day of retention ("" when permanent);
	// State one of RecordStates. Both are computed for a given day.
	RetainUntil string `json:"retain_until"`
	State       string `json:"state"`
}

// Number is the record's identification as printed.
func (r Record) Number() string { return fmt.Sprintf("JL-%06d", r.N) }

// RetentionEnd returns the last day a record dated date is kept under a
// retention of months, or "" when it is kept permanently. Periods count
// as the Civil Code counts them (民法典 arts. 201–202): from the day
// after the record's date, ending on the corresponding day of the last
// month, or that month's last day when it has no such day. A record of
// 2024-01-15 kept 12 months is kept until 2025-01-15; one of 2024-02-29
// until 2025-02-28.
func RetentionEnd(date string, months int) string {
	if months == 0 {
		return ""
	}
	d, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return ""
	}
	return AddMonthsClamped(d, months).Format(time.DateOnly)
}

// RetentionCutoff is the inverse of RetentionEnd for the disposal query:
// on today, a record is past retention (its last day is before today)
// exactly when its date is before the returned day ("" for permanent
// types, which never are). Adding months is monotone in the date, so the
// past-retention dates are a prefix of the calendar.
func RetentionCutoff(today string, months int) string {
	if months == 0 {
		return ""
	}
	t, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return ""
	}
	c := AddMonthsClamped(t, -months)
	for AddMonthsClamped(c, months).Before(t) {
		c = c.AddDate(0, 0, 1)
	}
	for !AddMonthsClamped(c.AddDate(0, 0, -1), months).Before(t) {
		c = c.AddDate(0, 0, -1)
	}
	return c.Format(time.DateOnly)
}

// AddMonthsClamped adds months to d, landing on the last day of the month
// when d's day does not exist there (Jan 31 + 1 month = Feb 28/29).
func AddMonthsClamped(d time.Time, months int) time.Time {
	first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, months, 0)
	last := first.AddDate(0, 1, -1).Day()
	day := min(d.Day(), last)
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)
}

// Compute fills RetainUntil and State for today.
func (r *Record) Compute(today string) {
	r.RetainUntil = RetentionEnd(r.RecordDate, r.Type.RetentionMonths)
	switch {
	case r.DisposedAt != nil:
		r.State = RecordDisposed
	case r.DisposalID != "":
		r.State = RecordInDisp
	case r.HoldReason != "" || r.Type.HoldReason != "":
		r.State = RecordHeld
	case r.RetainUntil != "" && r.RetainUntil < today:
		r.State = RecordDue
	default:
		r.State = RecordKept
	}
}

// Normalize trims a hand-registered record's text.
func (r *Record) Normalize() {
	TrimFields(&r.TypeID, &r.Title, &r.RecordDate, &r.DeptID, &r.Location)
}

// Validate checks a hand-registered record; today bounds its date.
func (r *Record) Validate(today string) error {
	var p Problems
	if !ValidID(r.TypeID) {
		p.Add("type_id", "field.required")
	}
	checkText(&p, "title", r.Title, true, 300)
	checkText(&p, "location", r.Location, false, 300)
	checkOptionalID(&p, "department_id", r.DeptID)
	if _, err := time.Parse(time.DateOnly, r.RecordDate); err != nil {
		p.Add("record_date", "field.bad_date")
	} else if r.RecordDate > today {
		p.Add("record_date", "record.date_future")
	}
	return p.Err()
}

// Disposal is a request to dispose of records past retention, its
// approval and its execution: together they are the disposal log entry
// (what, who, when, how).
type Disposal struct {
	ID            string     `json:"id"`
	OrgID         string     `json:"org_id"`
	Status        string     `json:"status"`
	Method        string     `json:"method"`
	Reason        string     `json:"reason"`
	RequestedByID string     `json:"requested_by_id"`
	RequestedBy   string     `json:"requested_by"`
	RequestedAt   time.Time  `json:"requested_at"`
	DecidedBy     string     `json:"decided_by"`
	DecidedAt     *time.Time `json:"decided_at"`
	DecisionNote  string     `json:"decision_note"`
	ExecutedBy    string     `json:"executed_by"`
	ExecutedOn    string     `json:"executed_on"`
	Witness       string     `json:"witness"`
	ExecutionNote string     `json:"execution_note"`
	RecordCount   int        `json:"record_count"`
	Records       []Record   `json:"records,omitempty"`
}

// DisposalRequest asks to dispose of records.
type DisposalRequest struct {
	RecordIDs []string `json:"record_ids"`
	Method    string   `json:"method"`
	Reason    string   `json:"reason"`
}

// Validate checks the request's own fields.
func (d *DisposalRequest) Validate() error {
	var p Problems
	d.Method, d.Reason = strings.TrimSpace(d.Method), strings.TrimSpace(d.Reason)
	if len(d.RecordIDs) == 0 {
		p.Add("record_ids", "record.none_selected")
	}
	if len(d.RecordIDs) > 5000 {
		p.Add("record_ids", "record.too_many", "max", 5000)
	}
	oneOf(&p, "method", d.Method, DisposalMethods)
	checkText(&p, "reason", d.Reason, false, 2000)
	return p.Err()
}

// DisposalExecution says how an approved disposal was carried out.
type DisposalExecution struct {
	ExecutedOn string `json:"executed_on"`
	Method     string `json:"method"` // as carried out; "" keeps the requested one
	Witness    string `json:"witness"`
	Note       string `json:"note"`
}

// Validate checks the execution; today bounds its date.
func (e *DisposalExecution) Validate(today string) error {
	var p Problems
	TrimFields(&e.ExecutedOn, &e.Method, &e.Witness, &e.Note)
	if _, err := time.Parse(time.DateOnly, e.ExecutedOn); err != nil {
		p.Add("executed_on", "field.bad_date")
	} else if e.ExecutedOn > today {
		p.Add("executed_on", "record.date_future")
	}
	if e.Method != "" {
		oneOf(&p, "method", e.Method, DisposalMethods)
	}
	checkText(&p, "witness", e.Witness, false, 200)
	checkText(&p, "note", e.Note, false, 2000)
	return p.Err()
}

package isms

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Document types (文件类型), in register order.
const (
	DocManual      = "manual"      // 手册
	DocPolicy      = "policy"      // 方针/策略 (incl. the SoA and objectives)
	DocProcedure   = "procedure"   // 程序文件
	DocInstruction = "instruction" // 作业指导书
	DocForm        = "form"        // 表单/记录模板
	DocExternal    = "external"    // 外来文件
)

// DocTypes lists the document types.
var DocTypes = []string{DocManual, DocPolicy, DocProcedure, DocInstruction, DocForm, DocExternal}

// Version statuses. A document's own status is that of its current
// version: published while one is in force, else its newest version's.
const (
	DocDraft      = "draft"
	DocInReview   = "in_review"
	DocApproved   = "approved"
	DocPublished  = "published"
	DocSuperseded = "superseded" // 已替代: a newer version was published
	DocObsolete   = "obsolete"   // 作废: withdrawn
)

// DocStatuses are the statuses a document (not a version) can have.
var DocStatuses = []string{DocDraft, DocInReview, DocApproved, DocPublished, DocObsolete}

// Confidentiality levels of a document.
var DocConfidentiality = []string{"public", "internal", "confidential", "secret"}

// Limits.
const (
	maxDocBody  = 1 << 20 // 1 MiB of Markdown
	maxDocShort = 300
	maxDocNote  = 4000
)

// Document is an entry of the controlled-document register.
type Document struct {
	ID                 string    `json:"id"`
	OrgID              string    `json:"org_id"`
	Code               string    `json:"code"`
	Title              string    `json:"title"`
	Type               string    `json:"type"`
	DeptID             string    `json:"department_id"`
	AuthorID           string    `json:"author_id"` // account that compiles it
	CompilingDeptID    string    `json:"compiling_department_id"`
	InterpretingDeptID string    `json:"interpreting_department_id"`
	Executing          []string  `json:"executing_department_ids"`
	Confidentiality    string    `json:"confidentiality"`
	ReviewMonths       int       `json:"review_months"`
	NextReview         string    `json:"next_review"`
	Related            string    `json:"related"` // related documents' codes, free text
	Clauses            string    `json:"clauses"` // standard clauses it implements, free text
	Status             string    `json:"status"`
	RevisionStatus     string    `json:"revision_status"` // status of a newer unpublished version, if any
	VersionLabel       string    `json:"version_label"`   // the current (or only) version's label
	CurrentVersionID   string    `json:"current_version_id"`
	EffectiveDate      string    `json:"effective_date"`
	Body               string    `json:"-"` // newest version's text, kept for search
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// DocVersion is one version of a document and where it stands.
type DocVersion struct {
	ID            string       `json:"id"`
	DocumentID    string       `json:"document_id"`
	Label         string       `json:"label"`
	Status        string       `json:"status"`
	Body          string       `json:"body"`
	ChangeNote    string       `json:"change_note"`
	AuthorID      string       `json:"author_id"`
	Reviewers     []string     `json:"reviewer_ids"`
	Consulted     []string     `json:"consulted_department_ids"`
	SubmittedAt   *time.Time   `json:"submitted_at"`
	ApprovedBy    string       `json:"approved_by"`
	ApprovedAt    *time.Time   `json:"approved_at"`
	EffectiveDate string       `json:"effective_date"`
	TrialEnd      string       `json:"trial_end"`
	PublishedAt   *time.Time   `json:"published_at"`
	RetiredAt     *time.Time   `json:"retired_at"`
	CreatedAt     time.Time    `json:"created_at"`
	Comments      []DocComment `json:"comments,omitempty"`
	Files         []Attachment `json:"files,omitempty"`
}

// Current reports whether v is the version in force.
func (v *DocVersion) Current() bool { return v.Status == DocPublished }

// Retired reports whether v must be marked 作废 or 已替代 wherever shown.
func (v *DocVersion) Retired() bool { return v.Status == DocSuperseded || v.Status == DocObsolete }

// Comment kinds.
const (
	CommentReview  = "review"  // a named reviewer's comment
	CommentConsult = "consult" // a consulted department's opinion
	CommentReject  = "reject"
	CommentApprove = "approve"
)

// DocComment is a review comment, a department's opinion, a rejection or
// an approval note on a version.
type DocComment struct {
	ID        string    `json:"id"`
	VersionID string    `json:"version_id"`
	Kind      string    `json:"kind"`
	AccountID string    `json:"account_id"`
	Author    string    `json:"author"`
	DeptID    string    `json:"department_id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// DocAck is one recipient's duty to read a published version.
type DocAck struct {
	ID             string     `json:"id"`
	OrgID          string     `json:"org_id"`
	DocumentID     string     `json:"document_id"`
	VersionID      string     `json:"version_id"`
	AccountID      string     `json:"account_id"`
	AccountName    string     `json:"account_name"`
	DeptID         string     `json:"department_id"`
	TaskID         string     `json:"task_id"`
	DistributedBy  string     `json:"distributed_by"`
	DistributedAt  time.Time  `json:"distributed_at"`
	DueAt          time.Time  `json:"due_at"`
	AcknowledgedAt *time.Time `json:"acknowledged_at"`
}

// State is "acknowledged", "pending" or "overdue" at now.
func (k *DocAck) State(now time.Time) string {
	switch {
	case k.AcknowledgedAt != nil:
		return "acknowledged"
	case now.After(k.DueAt):
		return "overdue"
	}
	return "pending"
}

// DocSettings are an organization's document-control settings.
type DocSettings struct {
	// VersionScheme is "A/0" (A/0, A/1 … B/0) or "1.0" (1.0, 1.1 … 2.0).
	VersionScheme string `json:"version_scheme"`
	// Approvers names the role that approves each document type.
	Approvers map[string]Role `json:"approvers"`
	// ReviewMonths is the default review cycle.
	ReviewMonths int `json:"review_months"`
	// MaxUploadMiB bounds an attached file.
	MaxUploadMiB int `json:"max_upload_mib"`
	// AckDays is the default time recipients have to acknowledge.
	AckDays int `json:"ack_days"`
}

// Version schemes.
var VersionSchemes = []string{"A/0", "1.0"}

// DefaultDocSettings follows the manual: the general manager approves the
// manual, the policy and the objectives; the management representative
// the procedures; the owning department's head everything else.
func DefaultDocSettings() DocSettings {
	return DocSettings{VersionScheme: "A/0", ReviewMonths: 12, MaxUploadMiB: 50, AckDays: 7,
		Approvers: map[string]Role{DocManual: RoleTopManager, DocPolicy: RoleTopManager, DocProcedure: RoleManagementRep,
			DocInstruction: RoleDeptHead, DocForm: RoleDeptHead, DocExternal: RoleDeptHead}}
}

// Fill sets missing settings to their defaults.
func (s *DocSettings) Fill() {
	d := DefaultDocSettings()
	if s.VersionScheme == "" {
		s.VersionScheme = d.VersionScheme
	}
	if s.ReviewMonths == 0 {
		s.ReviewMonths = d.ReviewMonths
	}
	if s.MaxUploadMiB == 0 {
		s.MaxUploadMiB = d.MaxUploadMiB
	}
	if s.AckDays == 0 {
		s.AckDays = d.AckDays
	}
	if s.Approvers == nil {
		s.Approvers = map[string]Role{}
	}
	for t, r := range d.Approvers {
		if s.Approvers[t] == "" {
			s.Approvers[t] = r
		}
	}
}

// Validate checks the settings.
func (s *DocSettings) Validate() error {
	var p Problems
	if !slices.Contains(VersionSchemes, s.VersionScheme) {
		p.Add("version_scheme", "field.one_of", "values", strings.Join(VersionSchemes, ", "))
	}
	if s.ReviewMonths < 1 || s.ReviewMonths > 60 {
		p.Add("review_months", "field.range", "min", 1, "max", 60)
	}
	if s.MaxUploadMiB < 1 || s.MaxUploadMiB > 1024 {
		p.Add("max_upload_mib", "field.range", "min", 1, "max", 1024)
	}
	if s.AckDays < 1 || s.AckDays > 90 {
		p.Add("ack_days", "field.range", "min", 1, "max", 90)
	}
	for _, t := range DocTypes {
		if r := s.Approvers[t]; !r.Grantable() {
			p.Add("approvers."+t, "field.one_of", "values", JoinRoles(GrantableRoles))
		}
	}
	return p.Err()
}

// FirstVersion is the label of a document's first version.
func FirstVersion(scheme string) string {
	if scheme == "1.0" {
		return "1.0"
	}
	return "A/0"
}

// NextVersion is the label after label: a minor revision (A/0 → A/1,
// 1.0 → 1.1) or a major one (A/3 → B/0, 1.3 → 2.0). A label that does
// not follow the scheme restarts it.
func NextVersion(scheme, label string, major bool) string {
	sep := "/"
	if scheme == "1.0" {
		sep = "."
	}
	hi, lo, ok := strings.Cut(label, sep)
	n, err := strconv.Atoi(lo)
	if !ok || err != nil || hi == "" {
		return FirstVersion(scheme)
	}
	if !major {
		return hi + sep + strconv.Itoa(n+1)
	}
	if scheme == "1.0" {
		m, err := strconv.Atoi(hi)
		if err != nil {
			return FirstVersion(scheme)
		}
		return strconv.Itoa(m+1) + ".0"
	}
	r := []rune(hi)
	if len(r) != 1 || r[0] < 'A' || r[0] >= 'Z' {
		return FirstVersion(scheme)
	}
	return string(r[0]+1) + "/0"
}

// Normalize trims a document's text fields and fills defaults.
func (d *Document) Normalize(s DocSettings) {
	for _, p := range []*string{&d.Code, &d.Title, &d.Type, &d.DeptID, &d.CompilingDeptID, &d.InterpretingDeptID,
		&d.Confidentiality, &d.Related, &d.Clauses, &d.NextReview} {
		*p = strings.TrimSpace(*p)
	}
	var ex []string
	for _, e := range d.Executing {
		if e = strings.TrimSpace(e); e != "" && !slices.Contains(ex, e) {
			ex = append(ex, e)
		}
	}
	d.Executing = ex
	if d.Confidentiality == "" {
		d.Confidentiality = "internal"
	}
	if d.ReviewMonths == 0 {
		d.ReviewMonths = s.ReviewMonths
	}
}

// Validate checks a document's register fields.
func (d *Document) Validate() error {
	var p Problems
	if d.Code == "" {
		p.Add("code", "field.required")
	} else if len([]rune(d.Code)) > 60 {
		p.Add("code", "field.too_long", "max", 60)
	}
	if d.Title == "" {
		p.Add("title", "field.required")
	}
	for f, v := range map[string]string{"title": d.Title, "related": d.Related, "clauses": d.Clauses} {
		if len([]rune(v)) > maxDocShort {
			p.Add(f, "field.too_long", "max", maxDocShort)
		}
	}
	if !slices.Contains(DocTypes, d.Type) {
		p.Add("type", "field.one_of", "values", strings.Join(DocTypes, ", "))
	}
	if !slices.Contains(DocConfidentiality, d.Confidentiality) {
		p.Add("confidentiality", "field.one_of", "values", strings.Join(DocConfidentiality, ", "))
	}
	if d.ReviewMonths < 1 || d.ReviewMonths > 60 {
		p.Add("review_months", "field.range", "min", 1, "max", 60)
	}
	if d.NextReview != "" {
		if _, err := time.Parse(time.DateOnly, d.NextReview); err != nil {
			p.Add("next_review", "field.bad_date")
		}
	}
	return p.Err()
}

// ValidateBody checks a version's text and change note.
func ValidateBody(body, note string) error {
	var p Problems
	if len(body) > maxDocBody {
		p.Add("body", "field.too_long", "max", maxDocBody)
	}
	if len([]rune(note)) > maxDocNote {
		p.Add("change_note", "field.too_long", "max", maxDocNote)
	}
	return p.Err()
}

// CheckEffective checks the effective and trial-end dates given at
// approval: not before the approval day (ISO days compare as text), the
// trial ending after it starts.
func CheckEffective(effective, trialEnd, approvalDay string) error {
	var p Problems
	e, err := time.Parse(time.DateOnly, effective)
	if err != nil {
		p.Add("effective_date", "field.bad_date")
	} else if effective < approvalDay {
		p.Add("effective_date", "document.effective_before_approval", "date", approvalDay)
	}
	if trialEnd != "" {
		t, terr := time.Parse(time.DateOnly, trialEnd)
		if terr != nil {
			p.Add("trial_end", "field.bad_date")
		} else if err == nil && !t.After(e) {
			p.Add("trial_end", "document.trial_before_effective")
		}
	}
	return p.Err()
}

// AddMonths returns the day months after the ISO day, or "" for a bad day.
func AddMonths(day string, months int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, months, 0).Format(time.DateOnly)
}

// DocStatusError is the conflict for a step the version's status does not
// allow.
func DocStatusError(status, step string) *Error {
	return Conflict("status", M("document.wrong_status", "status", status, "step", step))
}

package isms

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reasons for including a control in the Statement of Applicability
// (适用性声明): several may apply; at least one when it is applicable.
const (
	ReasonLegal        = "legal"         // 法律法规要求
	ReasonContract     = "contract"      // 合同要求
	ReasonRisk         = "risk"          // 风险处理
	ReasonBusiness     = "business"      // 业务要求
	ReasonBestPractice = "best_practice" // 最佳实践
)

// SoAReasons lists the reasons in the order forms show them.
var SoAReasons = []string{ReasonLegal, ReasonContract, ReasonRisk, ReasonBusiness, ReasonBestPractice}

// SoAReasonNames are the reasons' Chinese and English names.
var SoAReasonNames = map[string][2]string{
	ReasonLegal: {"法律法规", "Legal or regulatory"}, ReasonContract: {"合同", "Contractual"},
	ReasonRisk: {"风险处理", "Risk treatment"}, ReasonBusiness: {"业务要求", "Business requirement"},
	ReasonBestPractice: {"最佳实践", "Best practice"},
}

// Implementation statuses of a control.
const (
	ImplNotStarted  = "not_started"
	ImplPlanned     = "planned"
	ImplPartial     = "partial"
	ImplImplemented = "implemented"
)

// ImplStatuses lists the statuses in order.
var ImplStatuses = []string{ImplNotStarted, ImplPlanned, ImplPartial, ImplImplemented}

// ImplStatusNames are the statuses' Chinese and English names.
var ImplStatusNames = map[string][2]string{
	ImplNotStarted: {"未开始", "Not started"}, ImplPlanned: {"已计划", "Planned"},
	ImplPartial: {"部分实施", "Partly implemented"}, ImplImplemented: {"已实施", "Implemented"},
}

// Kinds of thing an SoA row links to.
const (
	LinkDocument = "document"
	LinkRisk     = "risk"
	LinkAsset    = "asset"
)

// SoALinkKinds lists the link kinds.
var SoALinkKinds = []string{LinkDocument, LinkRisk, LinkAsset}

// SoARow is one requirement's line in an organization's working copy of
// the Statement of Applicability. It refers to the requirement by
// framework and reference, so a new version of the framework keeps it.
type SoARow struct {
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	FrameworkID string `json:"framework_id"`
	Ref         string `json:"ref"`
	// Applicable is nil until someone decides.
	Applicable     *bool    `json:"applicable"`
	Reasons        []string `json:"reasons"`
	Justification  string   `json:"justification"` // why excluded, or why included
	Status         string   `json:"status"`        // ImplStatuses
	DeptID         string   `json:"department_id"`
	OwnerID        string   `json:"owner_id"` // a person
	Implementation string   `json:"implementation"`
	// ReviewNote says why the row needs a look (set by a transition
	// between framework versions; cleared when someone saves the row).
	ReviewNote string    `json:"review_note"`
	ReviewedOn string    `json:"reviewed_on"` // last reviewed, YYYY-MM-DD
	UpdatedBy  string    `json:"updated_by"`
	UpdatedAt  time.Time `json:"updated_at"`

	// Read with the row, never written through it.
	Links    []SoALink `json:"links"`
	Evidence int       `json:"evidence"` // items in effect on the reading day
	Expiring int       `json:"evidence_expiring"`
}

// Decided reports whether applicability has been decided.
func (r SoARow) Decided() bool { return r.Applicable != nil }

// IsApplicable reports whether the row is decided and applicable.
func (r SoARow) IsApplicable() bool { return r.Applicable != nil && *r.Applicable }

// LinksOf returns the row's links of one kind.
func (r SoARow) LinksOf(kind string) []SoALink {
	var out []SoALink
	for _, l := range r.Links {
		if l.Kind == kind {
			out = append(out, l)
		}
	}
	return out
}

// Validate checks a row as someone saves it: reasons and status from
// their lists, at least one reason when applicable, a justification
// when excluded.
func (r *SoARow) Validate() error {
	var p Problems
	TrimFields(&r.Justification, &r.Status, &r.DeptID, &r.OwnerID, &r.Implementation, &r.ReviewedOn)
	if r.Status == "" {
		r.Status = ImplNotStarted
	}
	var reasons []string
	for _, x := range r.Reasons {
		if x = strings.TrimSpace(x); x == "" || slices.Contains(reasons, x) {
			continue
		}
		if !slices.Contains(SoAReasons, x) {
			p.Add("reasons", "field.one_of", "values", strings.Join(SoAReasons, ", "))
			continue
		}
		reasons = append(reasons, x)
	}
	slices.SortFunc(reasons, func(a, b string) int { return slices.Index(SoAReasons, a) - slices.Index(SoAReasons, b) })
	r.Reasons = reasons
	oneOf(&p, "status", r.Status, ImplStatuses)
	checkText(&p, "justification", r.Justification, false, 4000)
	checkText(&p, "implementation", r.Implementation, false, 8000)
	checkOptionalID(&p, "department_id", r.DeptID)
	checkOptionalID(&p, "owner_id", r.OwnerID)
	if r.ReviewedOn != "" {
		if _, err := time.Parse(time.DateOnly, r.ReviewedOn); err != nil {
			p.Add("reviewed_on", "field.bad_date")
		}
	}
	switch {
	case r.Applicable == nil:
		if len(r.Reasons) > 0 || r.Status != ImplNotStarted {
			p.Add("applicable", "soa.decide_first")
		}
	case *r.Applicable:
		if len(r.Reasons) == 0 && !p.Has("reasons") {
			p.Add("reasons", "soa.reason_required")
		}
	default:
		if r.Justification == "" {
			p.Add("justification", "soa.justification_required")
		}
		if len(r.Reasons) > 0 {
			p.Add("reasons", "soa.reasons_when_excluded")
		}
		if r.Status != ImplNotStarted {
			p.Add("status", "soa.status_when_excluded")
		}
	}
	return p.Err()
}

// SoALink is a row's link to a document, risk or asset, with the
// target's label as read (number or code and title).
type SoALink struct {
	Kind     string `json:"kind"`
	TargetID string `json:"target_id"`
	Label    string `json:"label"`
}

// SoA version statuses.
const (
	SoASubmitted = "submitted"
	SoAApproved  = "approved"
	SoAReturned  = "returned"
)

// SoAVersion is a frozen copy of the Statement of Applicability: submitted
// for the top manager's approval, then approved (and numbered) or
// returned. Its rows never change.
type SoAVersion struct {
	ID          string     `json:"id"`
	OrgID       string     `json:"org_id"`
	FrameworkID string     `json:"framework_id"`
	Number      int        `json:"number"` // 0 until approved
	Status      string     `json:"status"`
	SubmittedBy string     `json:"submitted_by"`
	SubmittedAt time.Time  `json:"submitted_at"`
	ApprovalID  string     `json:"approval_id"`
	DecidedBy   string     `json:"decided_by"`
	DecidedAt   *time.Time `json:"decided_at"`
	Comment     string     `json:"comment"`
	Rows        []SoALine  `json:"rows,omitempty"`
}

// Label names the version for people: "V3", or the submission day.
func (v SoAVersion) Label() string {
	if v.Number > 0 {
		return "V" + strconv.Itoa(v.Number)
	}
	return v.SubmittedAt.Format(time.DateOnly)
}

// SoALine is one row as frozen in a version: names rather than ids, so
// that renaming a department later does not rewrite history.
type SoALine struct {
	Ref            string   `json:"ref"`
	TitleZH        string   `json:"title_zh"`
	TitleEN        string   `json:"title_en"`
	Category       string   `json:"category,omitempty"`
	Applicable     *bool    `json:"applicable"`
	Reasons        []string `json:"reasons"`
	Justification  string   `json:"justification"`
	Status         string   `json:"status"`
	Department     string   `json:"department"`
	Owner          string   `json:"owner"`
	Implementation string   `json:"implementation"`
	Documents      []string `json:"documents"`
	Risks          []string `json:"risks"`
	Assets         []string `json:"assets"`
	Evidence       int      `json:"evidence"`
	ReviewedOn     string   `json:"reviewed_on"`
}

// Title returns the line's title in lang, English when Chinese is missing.
func (l SoALine) Title(lang string) string {
	if lang == "en" && l.TitleEN != "" || l.TitleZH == "" {
		return l.TitleEN
	}
	return l.TitleZH
}

// SoAChange is how one requirement's line differs between two versions.
type SoAChange struct {
	Ref     string        `json:"ref"`
	Title   string        `json:"title"`
	Added   bool          `json:"added,omitempty"`   // only in the newer
	Removed bool          `json:"removed,omitempty"` // only in the older
	Fields  []FieldChange `json:"fields,omitempty"`
}

// FieldChange is one field's old and new value, as text.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// DiffSoA compares two versions' lines: applicability, reasons,
// justification, status, department and owner, in the newer version's
// order, with lines only in the older one at the end.
func DiffSoA(older, newer []SoALine) []SoAChange {
	prev := make(map[string]SoALine, len(older))
	for _, l := range older {
		prev[l.Ref] = l
	}
	var out []SoAChange
	seen := make(map[string]bool, len(newer))
	for _, n := range newer {
		seen[n.Ref] = true
		o, ok := prev[n.Ref]
		if !ok {
			out = append(out, SoAChange{Ref: n.Ref, Title: n.Title("zh"), Added: true})
			continue
		}
		var fs []FieldChange
		add := func(field, a, b string) {
			if a != b {
				fs = append(fs, FieldChange{Field: field, Old: a, New: b})
			}
		}
		add("applicable", boolText(o.Applicable), boolText(n.Applicable))
		add("reasons", strings.Join(o.Reasons, ","), strings.Join(n.Reasons, ","))
		add("justification", o.Justification, n.Justification)
		add("status", o.Status, n.Status)
		add("department", o.Department, n.Department)
		add("owner", o.Owner, n.Owner)
		if len(fs) > 0 {
			out = append(out, SoAChange{Ref: n.Ref, Title: n.Title("zh"), Fields: fs})
		}
	}
	for _, o := range older {
		if !seen[o.Ref] {
			out = append(out, SoAChange{Ref: o.Ref, Title: o.Title("zh"), Removed: true})
		}
	}
	return out
}

// boolText prints an applicability for a diff: "yes", "no" or "".
func boolText(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "yes"
	}
	return "no"
}

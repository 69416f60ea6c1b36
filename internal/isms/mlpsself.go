package isms

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// SelfAssessment is an organization's own gap check (差距自评估) of a
// grading object against the GB/T 22239-2019 baseline: the items of one
// level, the general requirements and the extensions the object's
// technologies call for, each answered 符合 / 部分符合 / 不符合 / 不适用
// with evidence and notes. It is not an evaluation (等级测评): its rate
// is internal and never the official conclusion.
type SelfAssessment struct {
	ID          string     `json:"id"`
	OrgID       string     `json:"org_id"`
	ObjectID    string     `json:"object_id"`
	FrameworkID string     `json:"framework_id"`
	Level       int        `json:"level"`
	Extensions  []string   `json:"extensions"` // SelfExtensions, in order
	Title       string     `json:"title"`
	Status      string     `json:"status"` // SelfOpen | SelfClosed
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
	// Read with it.
	ObjectLabel string     `json:"object_label,omitempty"`
	Counts      SelfCounts `json:"counts"`
}

// Self-assessment states.
const (
	SelfOpen   = "open"
	SelfClosed = "closed"
)

// SelfExtensions are the extension requirements of GB/T 22239-2019 by
// the technology flag that calls for them; big data has no extension
// chapter, so a big-data object is checked against the general items.
var SelfExtensions = []string{"cloud", "mobile", "iot", "ics"}

// SelfLevels are the levels whose items the built-in framework ships.
var SelfLevels = []int{2, 3}

// Item results (单项判定), and "" for an item not yet assessed.
const (
	ResultConform    = "conform"    // 符合
	ResultPartial    = "partial"    // 部分符合
	ResultNonconform = "nonconform" // 不符合
	ResultNA         = "na"         // 不适用
)

// SelfResults lists the results in display order.
var SelfResults = []string{ResultConform, ResultPartial, ResultNonconform, ResultNA}

// ExtensionsFor picks the extensions an object's technology flags call
// for.
func ExtensionsFor(tech []string) []string {
	var out []string
	for _, e := range SelfExtensions {
		if slices.Contains(tech, e) {
			out = append(out, e)
		}
	}
	return out
}

// CheckSelfAssessment validates a new self-assessment's level, extensions
// and title, and puts the extensions in order.
func CheckSelfAssessment(x *SelfAssessment) error {
	var p Problems
	if !slices.Contains(SelfLevels, x.Level) {
		p.Add("level", "mlps.self_level", "levels", "2, 3")
	}
	for _, e := range x.Extensions {
		if !slices.Contains(SelfExtensions, e) {
			p.Add("extensions", "field.one_of", "values", strings.Join(SelfExtensions, ", "))
			break
		}
	}
	x.Extensions = inOrder(x.Extensions, SelfExtensions)
	x.Title = strings.TrimSpace(x.Title)
	checkText(&p, "title", x.Title, false, 200)
	return p.Err()
}

// SelfCheck is one item of a self-assessment.
type SelfCheck struct {
	ID              string     `json:"id"`
	OrgID           string     `json:"org_id"`
	AssessmentID    string     `json:"assessment_id"`
	NodeID          string     `json:"node_id"`
	Ref             string     `json:"ref"`      // L3-CES1-01
	Position        int        `json:"position"` // the framework's order
	Result          string     `json:"result"`   // SelfResults, "" not yet
	Note            string     `json:"note"`
	RiskID          string     `json:"risk_id"`          // a gap's risk in the register
	RectificationID string     `json:"rectification_id"` // a gap's rectification item
	UpdatedBy       string     `json:"updated_by"`
	UpdatedAt       *time.Time `json:"updated_at,omitempty"`
	// Read with it.
	Evidence int `json:"evidence"` // in effect today, on the item itself
}

// Gap reports whether the item's result is a gap to close.
func (c SelfCheck) Gap() bool { return c.Result == ResultPartial || c.Result == ResultNonconform }

// SelfCheckInput is an answer to one item, by reference. A link left
// out (nil) stays as it is; an empty one is removed.
type SelfCheckInput struct {
	Ref             string  `json:"ref"`
	Result          string  `json:"result"`
	Note            string  `json:"note"`
	RiskID          *string `json:"risk_id,omitempty"`          // an id, or a number such as FX-000123
	RectificationID *string `json:"rectification_id,omitempty"` // one of the object's
}

// Check validates an answer: a known result (or none), a note that says
// why an item does not apply, links that can name something. Fields are
// named by the item's reference. Whether the item may carry its links
// (only a gap does) depends on the links it keeps: see LinkProblem.
func (in *SelfCheckInput) Check() error {
	var p Problems
	in.Note = strings.TrimSpace(in.Note)
	f := in.Ref + " "
	if in.Result != "" && !slices.Contains(SelfResults, in.Result) {
		p.Add(f+"result", "field.one_of", "values", strings.Join(SelfResults, ", "))
	}
	if in.Result == ResultNA && in.Note == "" {
		p.Add(f+"note", "mlps.self_na_reason")
	}
	checkLongText(&p, f+"note", in.Note, 4000)
	if in.RiskID != nil {
		*in.RiskID = strings.TrimSpace(*in.RiskID)
		if _, number := RiskNumber(*in.RiskID); !number {
			checkOptionalID(&p, f+"risk_id", *in.RiskID)
		}
	}
	if in.RectificationID != nil {
		*in.RectificationID = strings.TrimSpace(*in.RectificationID)
		checkOptionalID(&p, f+"rectification_id", *in.RectificationID)
	}
	return p.Err()
}

// LinkProblem says why a check may not keep its links: only a gap links
// to a risk or a rectification item.
func (c SelfCheck) LinkProblem() (field, msg string) {
	if !c.Gap() && (c.RiskID != "" || c.RectificationID != "") {
		return c.Ref + " result", "mlps.self_link_gap"
	}
	return "", ""
}

// SelfCounts counts a self-assessment's items by result.
type SelfCounts struct {
	Total      int `json:"total"`
	Conform    int `json:"conform"`
	Partial    int `json:"partial"`
	Nonconform int `json:"nonconform"`
	NA         int `json:"na"`
}

// Add counts one item's result.
func (c *SelfCounts) Add(result string) {
	c.Total++
	switch result {
	case ResultConform:
		c.Conform++
	case ResultPartial:
		c.Partial++
	case ResultNonconform:
		c.Nonconform++
	case ResultNA:
		c.NA++
	}
}

// Open is the number of items not yet assessed.
func (c SelfCounts) Open() int { return c.Total - c.Conform - c.Partial - c.Nonconform - c.NA }

// Rate is the internal compliance figure, in percent:
// (n符合 + 0.5·n部分符合) / (n − n不适用) over the assessed items, which
// is mlps.md's formula once every item is assessed. ok is false while no
// applicable item has been assessed. It is not the official conclusion:
// evaluation agencies weigh items and risks by rules of their own.
func (c SelfCounts) Rate() (rate float64, ok bool) {
	n := c.Conform + c.Partial + c.Nonconform
	if n == 0 {
		return 0, false
	}
	return (float64(c.Conform) + 0.5*float64(c.Partial)) * 100 / float64(n), true
}

// RateText is the rate to one decimal with a percent sign, "—" while
// there is none.
func (c SelfCounts) RateText() string {
	if r, ok := c.Rate(); ok {
		return fmt.Sprintf("%.1f%%", r)
	}
	return "—"
}

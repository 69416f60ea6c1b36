package isms

import (
	"strings"
	"time"
)

// Legal register vocabularies.
var (
	LegalKinds         = []string{"law", "regulation", "rule", "local", "standard", "notice"}
	LegalStatuses      = []string{"in_force", "amended", "abolished", "pending"}
	LegalApplicability = []string{"applicable", "partly", "not_applicable"}
	LegalResults       = []string{"compliant", "partly", "noncompliant"}
)

const (
	legalReviewMonths   = 12 // between reviews when none is set
	maxLegalText        = 4000
	maxLegalShortString = 300
)

// LegalItem is one law, regulation, rule, standard or notice the
// organization tracks (§13 of the requirements).
type LegalItem struct {
	ID            string `json:"id"`
	OrgID         string `json:"org_id"`
	Kind          string `json:"kind"`
	Title         string `json:"title"`
	Issuer        string `json:"issuer"`
	Number        string `json:"number"`
	IssuedOn      string `json:"issued_on"`
	EffectiveOn   string `json:"effective_on"`
	AbolishedOn   string `json:"abolished_on"`
	Status        string `json:"status"`
	Applicability string `json:"applicability"`
	Obligations   string `json:"obligations"` // what it requires of the organization
	OwnerDeptID   string `json:"owner_dept_id"`
	NextReview    string `json:"next_review"`
	Notes         string `json:"notes"`
	// RelatedDocuments lists the codes of the documents that carry the
	// item out; RelatedControls the controls or clauses it bears on.
	RelatedDocuments string            `json:"related_documents"`
	RelatedControls  string            `json:"related_controls"`
	CreatedAt        time.Time         `json:"created_at"`
	UpdatedAt        time.Time         `json:"updated_at"`
	LastResult       string            `json:"last_result,omitempty"` // newest evaluation's result, in lists
	LastEvaluated    string            `json:"last_evaluated,omitempty"`
	Evaluations      []LegalEvaluation `json:"evaluations,omitempty"`
}

// LegalEvaluation is one compliance evaluation of an item.
type LegalEvaluation struct {
	ID          string    `json:"id"`
	ItemID      string    `json:"item_id"`
	EvaluatedOn string    `json:"evaluated_on"`
	Result      string    `json:"result"`
	Evidence    string    `json:"evidence"`
	Evaluator   string    `json:"evaluator"`
	CreatedAt   time.Time `json:"created_at"`
}

// Normalize trims the item's text.
func (l *LegalItem) Normalize() {
	for _, s := range []*string{&l.Kind, &l.Title, &l.Issuer, &l.Number, &l.IssuedOn, &l.EffectiveOn, &l.AbolishedOn,
		&l.Status, &l.Applicability, &l.Obligations, &l.OwnerDeptID, &l.NextReview, &l.Notes, &l.RelatedDocuments, &l.RelatedControls} {
		*s = strings.TrimSpace(*s)
	}
	if l.Status == "" {
		l.Status = "in_force"
	}
	if l.Applicability == "" {
		l.Applicability = "applicable"
	}
}

// Validate checks an item's fields; today fills a missing review date
// (a year on) for applicable items.
func (l *LegalItem) Validate(today time.Time) error {
	var p Problems
	if l.Title == "" {
		p.Add("title", "field.required")
	}
	oneOf := func(field, v string, set []string) {
		for _, s := range set {
			if v == s {
				return
			}
		}
		p.Add(field, "field.one_of", "values", strings.Join(set, ", "))
	}
	oneOf("kind", l.Kind, LegalKinds)
	oneOf("status", l.Status, LegalStatuses)
	oneOf("applicability", l.Applicability, LegalApplicability)
	for f, v := range map[string]string{"title": l.Title, "issuer": l.Issuer, "number": l.Number,
		"related_documents": l.RelatedDocuments, "related_controls": l.RelatedControls} {
		if len([]rune(v)) > maxLegalShortString {
			p.Add(f, "field.too_long", "max", maxLegalShortString)
		}
	}
	for f, v := range map[string]string{"obligations": l.Obligations, "notes": l.Notes} {
		if len([]rune(v)) > maxLegalText {
			p.Add(f, "field.too_long", "max", maxLegalText)
		}
	}
	dates := map[string]string{"issued_on": l.IssuedOn, "effective_on": l.EffectiveOn, "abolished_on": l.AbolishedOn, "next_review": l.NextReview}
	parsed := map[string]time.Time{}
	for f, v := range dates {
		if v == "" {
			continue
		}
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			p.Add(f, "field.bad_date")
			continue
		}
		parsed[f] = d
	}
	if i, ok := parsed["issued_on"]; ok {
		if e, ok := parsed["effective_on"]; ok && e.Before(i) {
			p.Add("effective_on", "legal.effective_before_issued")
		}
	}
	if l.Status == "abolished" && l.AbolishedOn == "" {
		p.Add("abolished_on", "legal.abolished_date_required")
	}
	if l.NextReview == "" && l.Applicability != "not_applicable" && l.Status != "abolished" {
		l.NextReview = today.AddDate(0, legalReviewMonths, 0).Format(time.DateOnly)
	}
	return p.Err()
}

// RelatedCodes splits RelatedDocuments into its codes.
func (l LegalItem) RelatedCodes() []string {
	return strings.FieldsFunc(l.RelatedDocuments, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' || r == ';' })
}

// Validate checks an evaluation.
func (e *LegalEvaluation) Validate() error {
	var p Problems
	e.EvaluatedOn, e.Result, e.Evidence = strings.TrimSpace(e.EvaluatedOn), strings.TrimSpace(e.Result), strings.TrimSpace(e.Evidence)
	if _, err := time.Parse(time.DateOnly, e.EvaluatedOn); err != nil {
		p.Add("evaluated_on", "field.bad_date")
	}
	ok := false
	for _, r := range LegalResults {
		ok = ok || e.Result == r
	}
	if !ok {
		p.Add("result", "field.one_of", "values", strings.Join(LegalResults, ", "))
	}
	if e.Result != "compliant" && e.Evidence == "" {
		p.Add("evidence", "legal.evidence_required")
	}
	if len([]rune(e.Evidence)) > maxLegalText {
		p.Add("evidence", "field.too_long", "max", maxLegalText)
	}
	return p.Err()
}

package isms

import "time"

// What evidence proves.
const (
	EvidenceSoARow  = "soa_row"
	EvidenceMeasure = "measure"
	// EvidenceMeasurement backs a measured value of an objective.
	EvidenceMeasurement = "measurement"
	// EvidenceMLPSObject is a grading object's topology diagram or other
	// attachment; EvidenceGrading a grading's (an expert review's
	// opinion, an approval).
	EvidenceMLPSObject = "mlps_object"
	EvidenceGrading    = "grading"
	// EvidenceMaterial is a file of a materials checklist item.
	EvidenceMaterial = "mlps_material"
	// EvidenceSelfCheck backs an item of a GB/T 22239 self-assessment.
	EvidenceSelfCheck = "mlps_check"
)

// MLPSEvidence reports whether evidence of the subject belongs to the
// MLPS module, which mlps.view reads and mlps.manage changes.
func MLPSEvidence(subject string) bool {
	switch subject {
	case EvidenceMLPSObject, EvidenceGrading, EvidenceMaterial, EvidenceSelfCheck:
		return true
	}
	return false
}

// Evidence is an item of evidence for an SoA row or a measure: a file or
// a record, in effect from one day, optionally until another.
type Evidence struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"org_id"`
	Subject      string    `json:"subject"`    // EvidenceSoARow or EvidenceMeasure
	SubjectID    string    `json:"subject_id"` // the row or measure
	Title        string    `json:"title"`
	AttachmentID string    `json:"attachment_id"`
	RecordID     string    `json:"record_id"`
	EffectiveOn  string    `json:"effective_on"`
	ExpiresOn    string    `json:"expires_on"` // "" never
	AddedBy      string    `json:"added_by"`
	AddedAt      time.Time `json:"added_at"`
	// Read with it.
	Filename    string `json:"filename,omitempty"`
	RecordLabel string `json:"record_label,omitempty"`
}

// State says where the evidence stands on a day: "pending" (not yet in
// effect), "valid", "expiring" (within 30 days of its expiry) or
// "expired".
func (e Evidence) State(today string) string {
	switch {
	case e.EffectiveOn > today:
		return "pending"
	case e.ExpiresOn != "" && e.ExpiresOn < today:
		return "expired"
	case e.ExpiresOn != "" && e.ExpiresOn <= AddDays(today, EvidenceWarnDays):
		return "expiring"
	}
	return "valid"
}

// EvidenceWarnDays is how long before its expiry evidence is flagged.
const EvidenceWarnDays = 30

// AddDays adds n days to a YYYY-MM-DD day; a bad day comes back as is.
func AddDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// Validate checks an evidence item's title and dates (whether it is a
// file or a record is for whoever reads the upload).
func (e *Evidence) Validate() error {
	var p Problems
	TrimFields(&e.Title, &e.EffectiveOn, &e.ExpiresOn)
	checkText(&p, "title", e.Title, true, 300)
	if _, err := time.Parse(time.DateOnly, e.EffectiveOn); err != nil {
		p.Add("effective_on", "field.bad_date")
	}
	if e.ExpiresOn != "" {
		if _, err := time.Parse(time.DateOnly, e.ExpiresOn); err != nil {
			p.Add("expires_on", "field.bad_date")
		} else if e.ExpiresOn < e.EffectiveOn {
			p.Add("expires_on", "soa.expires_before_effective")
		}
	}
	return p.Err()
}

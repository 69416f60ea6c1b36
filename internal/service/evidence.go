package service

import (
	"context"
	"io"
	"net/http"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// EvidenceInput describes an item of evidence: a file (given separately)
// or a record by its number.
type EvidenceInput struct {
	Title        string `json:"title"`
	EffectiveOn  string `json:"effective_on"`
	ExpiresOn    string `json:"expires_on"`
	RecordNumber string `json:"record_number"`
}

// pendingEvidence is an evidence item checked and with its file, if any,
// already in the blob store, waiting for its subject and transaction.
type pendingEvidence struct {
	e            isms.Evidence
	att          isms.Attachment
	recordNumber string
}

// prepareEvidence checks an item of evidence for subject. A file is read
// only when the rest is valid; its bytes go to the blob store first.
func (s *Service) prepareEvidence(a isms.Actor, subject string, in EvidenceInput, filename string, file io.Reader) (pendingEvidence, error) {
	pe := pendingEvidence{e: isms.Evidence{ID: newID(), OrgID: a.OrgID, Subject: subject, Title: in.Title,
		EffectiveOn: in.EffectiveOn, ExpiresOn: in.ExpiresOn, AddedBy: a.Name(), AddedAt: s.clock.Now()},
		recordNumber: strings.TrimSpace(in.RecordNumber)}
	filename = cleanFilename(filename)
	var p isms.Problems
	p.Merge(pe.e.Validate())
	if (filename == "") == (pe.recordNumber == "") {
		p.Add("file", "soa.evidence_file_or_record")
	}
	if err := p.Err(); err != nil {
		return pe, err
	}
	if filename != "" {
		sum, size, head, err := s.storeUpload(file, MaxAttachment)
		if err != nil {
			return pe, err
		}
		pe.att = isms.Attachment{ID: newID(), OrgID: a.OrgID, OwnerType: "evidence", OwnerID: pe.e.ID, SHA256: sum,
			Size: size, Filename: filename, ContentType: http.DetectContentType(head), UploadedBy: a.Name(),
			CreatedAt: s.clock.Now()}
		pe.e.AttachmentID = pe.att.ID
	}
	return pe, nil
}

// save stores the item for subjectID in tx, resolving its record number,
// and returns what the audit entry should carry.
func (pe *pendingEvidence) save(ctx context.Context, tx *store.Tx, subjectID string) (map[string]any, error) {
	if pe.recordNumber != "" {
		id, err := tx.RecordIDByNumber(ctx, pe.e.OrgID, pe.recordNumber)
		if err != nil {
			return nil, err
		}
		if id == "" {
			return nil, isms.Invalid("record_number", isms.M("soa.unknown_link", "value", pe.recordNumber))
		}
		pe.e.RecordID = id
	}
	pe.e.SubjectID = subjectID
	if pe.att.ID != "" {
		if err := tx.CreateAttachment(ctx, &pe.att); err != nil {
			return nil, err
		}
	}
	if err := tx.AddEvidence(ctx, &pe.e); err != nil {
		return nil, err
	}
	return map[string]any{"evidence_id": pe.e.ID, "attachment_id": pe.e.AttachmentID, "sha256": pe.att.SHA256,
		"record_id": pe.e.RecordID, "effective_on": pe.e.EffectiveOn, "expires_on": pe.e.ExpiresOn}, nil
}

// AddSoAEvidence adds an item of evidence to a requirement's line (the
// line is stored if it was still blank).
func (s *Service) AddSoAEvidence(ctx context.Context, a isms.Actor, nodeID string, in EvidenceInput, filename string, file io.Reader) (isms.Evidence, error) {
	if err := a.Require(isms.ActManageSoA); err != nil {
		return isms.Evidence{}, err
	}
	n, f, err := s.soaNode(ctx, a, nodeID)
	if err != nil {
		return isms.Evidence{}, err
	}
	pe, err := s.prepareEvidence(a, isms.EvidenceSoARow, in, filename, file)
	if err != nil {
		return pe.e, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		r, found, err := tx.SoARowByRef(ctx, a.OrgID, f.ID, n.Ref)
		if err != nil {
			return err
		}
		if !found {
			r = isms.SoARow{ID: newID(), OrgID: a.OrgID, FrameworkID: f.ID, Ref: n.Ref, Status: isms.ImplNotStarted,
				UpdatedAt: s.clock.Now()}
			if _, err := tx.EnsureSoARows(ctx, []isms.SoARow{r}); err != nil {
				return err
			}
		}
		data, err := pe.save(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.evidence_add", EntityType: "soa_row", EntityID: r.ID,
			Summary: n.Ref + " " + pe.e.Title, Data: data})
	})
	return pe.e, err
}

// DeleteEvidence removes an item of evidence from its SoA line or
// measure, for whoever may change that subject.
func (s *Service) DeleteEvidence(ctx context.Context, a isms.Actor, id string) error {
	if !isms.ValidID(id) {
		return isms.NotFound("evidence")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		e, err := tx.EvidenceItem(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		action := map[string]string{isms.EvidenceSoARow: "soa.evidence_remove",
			isms.EvidenceMeasure: "measure.evidence_remove", isms.EvidenceMeasurement: "objective.evidence_remove",
			isms.EvidenceMLPSObject: "mlps.evidence_remove", isms.EvidenceGrading: "mlps.evidence_remove",
			isms.EvidenceMaterial: "mlps.evidence_remove", isms.EvidenceSelfCheck: "mlps.evidence_remove"}[e.Subject]
		if isms.MLPSEvidence(e.Subject) {
			if err := a.Require(isms.ActManageMLPS); err != nil {
				return err
			}
			if e.Subject == isms.EvidenceSelfCheck {
				if _, err := s.selfCheckLabel(ctx, tx, a.OrgID, e.SubjectID); err != nil {
					return err // a closed self-assessment keeps its evidence
				}
			}
		} else if e.Subject == isms.EvidenceMeasure {
			if _, _, err := s.measureToWork(ctx, tx, a, e.SubjectID); err != nil {
				return err
			}
		} else if err := a.Require(isms.ActManageSoA); err != nil {
			return err
		}
		if err := tx.DeleteEvidence(ctx, a.OrgID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: e.Subject,
			EntityID: e.SubjectID, Summary: e.Title, Data: e})
	})
}

// evidenceVisible reports whether the actor may open an evidence file:
// those who see the SoA, and a measure's owner its measure's.
func (s *Service) evidenceVisible(ctx context.Context, a isms.Actor, evidenceID string) bool {
	e, err := s.st.EvidenceItem(ctx, a.OrgID, evidenceID)
	if err != nil {
		return false
	}
	if isms.MLPSEvidence(e.Subject) {
		return a.Can(isms.ActViewMLPS)
	}
	if a.Can(isms.ActViewSoA) {
		return true
	}
	if e.Subject != isms.EvidenceMeasure {
		return false
	}
	_, err = s.Measure(ctx, a, e.SubjectID)
	return err == nil
}

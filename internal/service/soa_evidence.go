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

// AddSoAEvidence adds an item of evidence to a requirement's line (the
// line is stored if it was still blank). A file is read only when the
// rest is valid; its bytes go to the blob store first.
func (s *Service) AddSoAEvidence(ctx context.Context, a isms.Actor, nodeID string, in EvidenceInput, filename string, file io.Reader) (isms.SoAEvidence, error) {
	var e isms.SoAEvidence
	if err := a.Require(isms.ActManageSoA); err != nil {
		return e, err
	}
	n, f, err := s.soaNode(ctx, a, nodeID)
	if err != nil {
		return e, err
	}
	e = isms.SoAEvidence{ID: newID(), OrgID: a.OrgID, Title: in.Title, EffectiveOn: in.EffectiveOn, ExpiresOn: in.ExpiresOn,
		AddedBy: a.Name(), AddedAt: s.clock.Now()}
	filename = cleanFilename(filename)
	in.RecordNumber = strings.TrimSpace(in.RecordNumber)
	var p isms.Problems
	p.Merge(e.Validate())
	if (filename == "") == (in.RecordNumber == "") {
		p.Add("file", "soa.evidence_file_or_record")
	}
	if err := p.Err(); err != nil {
		return e, err
	}
	var att isms.Attachment
	if filename != "" {
		sum, size, head, err := s.storeUpload(file, MaxAttachment)
		if err != nil {
			return e, err
		}
		att = isms.Attachment{ID: newID(), OrgID: a.OrgID, OwnerType: "soa_evidence", OwnerID: e.ID, SHA256: sum, Size: size,
			Filename: filename, ContentType: http.DetectContentType(head), UploadedBy: a.Name(), CreatedAt: s.clock.Now()}
		e.AttachmentID = att.ID
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if in.RecordNumber != "" {
			id, err := tx.RecordIDByNumber(ctx, a.OrgID, in.RecordNumber)
			if err != nil {
				return err
			}
			if id == "" {
				return isms.Invalid("record_number", isms.M("soa.unknown_link", "value", in.RecordNumber))
			}
			e.RecordID = id
		}
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
		e.RowID = r.ID
		if att.ID != "" {
			if err := tx.CreateAttachment(ctx, &att); err != nil {
				return err
			}
		}
		if err := tx.AddSoAEvidence(ctx, &e); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.evidence_add", EntityType: "soa_row", EntityID: r.ID,
			Summary: n.Ref + " " + e.Title, Data: map[string]any{"evidence_id": e.ID, "attachment_id": e.AttachmentID,
				"sha256": att.SHA256, "record_id": e.RecordID, "effective_on": e.EffectiveOn, "expires_on": e.ExpiresOn}})
	})
	return e, err
}

// DeleteSoAEvidence removes an item of evidence from its line.
func (s *Service) DeleteSoAEvidence(ctx context.Context, a isms.Actor, id string) error {
	if err := a.Require(isms.ActManageSoA); err != nil {
		return err
	}
	if !isms.ValidID(id) {
		return isms.NotFound("evidence")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		e, err := tx.SoAEvidenceItem(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteSoAEvidence(ctx, a.OrgID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "soa.evidence_remove", EntityType: "soa_row",
			EntityID: e.RowID, Summary: e.Title, Data: e})
	})
}

// soaEvidenceVisible reports whether the actor may open an evidence file.
func (s *Service) soaEvidenceVisible(ctx context.Context, a isms.Actor, evidenceID string) bool {
	if a.Require(isms.ActViewSoA) != nil {
		return false
	}
	_, err := s.st.SoAEvidenceItem(ctx, a.OrgID, evidenceID)
	return err == nil
}

package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/trail"
)

// ListAudit lists the trail of the actor's organization. Reading the trail
// is itself recorded, so the audit administrator's work can be reviewed.
func (s *Service) ListAudit(ctx context.Context, a isms.Actor, f isms.AuditFilter) ([]isms.AuditEntry, error) {
	return s.readAudit(ctx, a, f, isms.ActViewAudit, "audit.read")
}

// ExportAudit is ListAudit for an export: a larger page, recorded as an
// export.
func (s *Service) ExportAudit(ctx context.Context, a isms.Actor, f isms.AuditFilter) ([]isms.AuditEntry, error) {
	return s.readAudit(ctx, a, f, isms.ActExportAudit, "audit.export")
}

func (s *Service) readAudit(ctx context.Context, a isms.Actor, f isms.AuditFilter, act isms.Action, action string) ([]isms.AuditEntry, error) {
	if err := a.Require(act); err != nil {
		return nil, err
	}
	f.OrgID = a.OrgID
	if a.IsCLI() {
		f.OrgID = ""
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return nil, isms.Invalid("to", isms.M("audit.to_before_from"))
	}
	if !a.IsCLI() {
		err := s.st.InTx(ctx, func(tx *store.Tx) error {
			return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: "audit",
				Data: map[string]any{"actor": f.Actor, "entity_type": f.EntityType, "entity_id": f.EntityID,
					"action": f.Action, "from": f.From, "to": f.To, "before_seq": f.BeforeSeq}})
		})
		if err != nil {
			return nil, err
		}
	}
	return s.st.ListAudit(ctx, f)
}

// VerifyAudit walks the whole chain.
func (s *Service) VerifyAudit(ctx context.Context) (trail.Result, error) {
	return s.st.VerifyAudit(ctx)
}

package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/trail"
)

// ListAudit lists the trail of the organizations in the actor's scope.
func (s *Service) ListAudit(ctx context.Context, a isms.Actor, f isms.AuditFilter) ([]isms.AuditEntry, error) {
	f.OrgPath = a.OrgPath
	if a.IsCLI() {
		f.OrgPath = ""
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return nil, isms.Invalid("to", isms.M("audit.to_before_from"))
	}
	return s.st.ListAudit(ctx, f)
}

// VerifyAudit walks the whole chain.
func (s *Service) VerifyAudit(ctx context.Context) (trail.Result, error) {
	return s.st.VerifyAudit(ctx)
}

package service

import (
	"context"
	"slices"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// MLPS gradings (定级) and filings (备案): each grading is a version of an
// object's level, moved through its steps by the ISMS team as the experts,
// the competent authority and the public security bureau answer.

// StartGrading starts a new grading version of an object: its first, or
// a re-grading after a material change. It starts from the ticks of the
// grading in force when the template is the same. An object has at most
// one grading in progress.
func (s *Service) StartGrading(ctx context.Context, a isms.Actor, objectID, template, reason string) (isms.Grading, error) {
	var g isms.Grading
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return g, err
	}
	if _, err := GradingMatrix(template); err != nil {
		return g, err
	}
	reason = strings.TrimSpace(reason)
	if len([]rune(reason)) > 1000 {
		return g, isms.Invalid("reason", isms.M("field.too_long", "max", 1000))
	}
	if !isms.ValidID(objectID) {
		return g, isms.NotFound("mlps_object")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.MLPSObject(ctx, a.OrgID, objectID)
		if err != nil {
			return err
		}
		if o.Status != "active" {
			return isms.Conflict("status", isms.M("mlps.object_retired"))
		}
		gs, err := tx.Gradings(ctx, a.OrgID, objectID)
		if err != nil {
			return err
		}
		version := 1
		for _, x := range gs {
			if x.Open() {
				return isms.Conflict("status", isms.M("grading.open_exists", "version", x.Version))
			}
			version = max(version, x.Version+1)
		}
		if reason == "" && version > 1 {
			return isms.Invalid("reason", isms.M("grading.reason_required"))
		}
		now := s.clock.Now()
		g = isms.Grading{ID: newID(), OrgID: a.OrgID, ObjectID: objectID, Version: version, Template: template,
			Ticks: []isms.HarmTick{}, Reason: reason, Status: isms.GradingDraft, GradedBy: a.Name(), UpdatedBy: a.Name(),
			CreatedAt: now, UpdatedAt: now}
		for i := len(gs) - 1; i >= 0; i-- {
			if gs[i].InForce() {
				if gs[i].Template == template {
					m, _ := GradingMatrix(template)
					r, err := isms.GradeTicks(m, gs[i].Ticks)
					if err == nil {
						g.Ticks, g.Business, g.Service, g.Level = gs[i].Ticks, r.Business, r.Service, r.Level
					}
				}
				break
			}
		}
		if err := tx.CreateGrading(ctx, &g); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.grading_start", EntityType: "grading",
			EntityID: g.ID, Summary: o.Label() + " V" + itoa(g.Version), Data: g})
	})
	return g, err
}

// gradingStep loads a grading and its object in tx, applies step to the
// grading (which may also change the object's other gradings), stores it
// and records the action.
func (s *Service) gradingStep(ctx context.Context, a isms.Actor, id, action string,
	step func(tx *store.Tx, g *isms.Grading, o isms.MLPSObject, today string) (any, error)) (isms.Grading, error) {
	var g isms.Grading
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return g, err
	}
	if !isms.ValidID(id) {
		return g, isms.NotFound("grading")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if g, err = tx.Grading(ctx, a.OrgID, id); err != nil {
			return err
		}
		before := g
		o, err := tx.MLPSObject(ctx, a.OrgID, g.ObjectID)
		if err != nil {
			return err
		}
		today, err := s.orgToday(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		extra, err := step(tx, &g, o, today)
		if err != nil {
			return err
		}
		if g.InForce() && !before.InForce() {
			if err := s.supersede(ctx, tx, a, g); err != nil {
				return err
			}
		}
		g.UpdatedBy, g.UpdatedAt = a.Name(), s.clock.Now()
		if err := tx.UpdateGrading(ctx, &g); err != nil {
			return err
		}
		data := map[string]any{"before": before, "after": g}
		if extra != nil {
			data["with"] = extra
		}
		if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: "grading", EntityID: g.ID,
			Summary: o.Label() + " " + g.Label() + " → " + g.Status, Data: data}); err != nil {
			return err
		}
		return s.syncMLPSDuties(ctx, tx, a, a.OrgID, o.ID)
	})
	return g, err
}

// supersede marks the object's other gradings in force as superseded by
// g, whose level has just been confirmed.
func (s *Service) supersede(ctx context.Context, tx *store.Tx, a isms.Actor, g isms.Grading) error {
	gs, err := tx.Gradings(ctx, a.OrgID, g.ObjectID)
	if err != nil {
		return err
	}
	for _, x := range gs {
		if x.ID == g.ID || !x.InForce() {
			continue
		}
		x.Status, x.UpdatedBy, x.UpdatedAt = isms.GradingOld, a.Name(), s.clock.Now()
		if err := tx.UpdateGrading(ctx, &x); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.grading_supersede", EntityType: "grading",
			EntityID: x.ID, Summary: x.Label() + " ← V" + itoa(g.Version), Data: map[string]any{"by": g.ID}}); err != nil {
			return err
		}
	}
	return nil
}

// GradingInput is a grader's ticks and the level they state (0: none).
type GradingInput struct {
	Ticks []isms.HarmTick `json:"ticks"`
	Level int             `json:"level"`
}

// SaveGrading stores the ticks of a grading being written; the levels
// are computed from them under the grading's template.
func (s *Service) SaveGrading(ctx context.Context, a isms.Actor, id string, in GradingInput) (isms.Grading, error) {
	return s.gradingStep(ctx, a, id, "mlps.grading_update", func(_ *store.Tx, g *isms.Grading, _ isms.MLPSObject, _ string) (any, error) {
		m, err := GradingMatrix(g.Template)
		if err != nil {
			return nil, err
		}
		if in.Ticks == nil {
			in.Ticks = []isms.HarmTick{}
		}
		return nil, g.SetTicks(m, in.Ticks, in.Level)
	})
}

// SubmitGrading sends a grading on from the grader: to the experts, the
// authority, filing, or (level 1 without an authority) confirmed.
func (s *Service) SubmitGrading(ctx context.Context, a isms.Actor, id string) (isms.Grading, error) {
	return s.gradingStep(ctx, a, id, "mlps.grading_submit", func(_ *store.Tx, g *isms.Grading, o isms.MLPSObject, today string) (any, error) {
		return nil, g.Submit(today, o.Authority != "")
	})
}

// RecordExpertReview records the experts' conclusion on a grading.
func (s *Service) RecordExpertReview(ctx context.Context, a isms.Actor, id string, r isms.ExpertReview) (isms.Grading, error) {
	return s.gradingStep(ctx, a, id, "mlps.grading_review", func(_ *store.Tx, g *isms.Grading, o isms.MLPSObject, today string) (any, error) {
		return nil, g.RecordReview(r, today, o.Authority != "")
	})
}

// RecordAuthorityDecision records the competent authority's decision.
func (s *Service) RecordAuthorityDecision(ctx context.Context, a isms.Actor, id string, d isms.AuthorityDecision) (isms.Grading, error) {
	return s.gradingStep(ctx, a, id, "mlps.grading_authority", func(_ *store.Tx, g *isms.Grading, o isms.MLPSObject, today string) (any, error) {
		if d.Authority == "" {
			d.Authority = o.Authority
		}
		return nil, g.RecordAuthority(d, today)
	})
}

// DiscardGrading deletes a grading version never submitted.
func (s *Service) DiscardGrading(ctx context.Context, a isms.Actor, id string) error {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return err
	}
	if !isms.ValidID(id) {
		return isms.NotFound("grading")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		g, err := tx.Grading(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if g.Status != isms.GradingDraft || g.SubmittedOn != "" {
			return isms.Conflict("status", isms.M("grading.not_discardable"))
		}
		if err := tx.DeleteGrading(ctx, a.OrgID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.grading_discard", EntityType: "grading",
			EntityID: g.ID, Summary: g.Label(), Data: g})
	})
}

// SubmitFiling records that a grading's filing was submitted to a
// bureau. One submission waits for an answer at a time.
func (s *Service) SubmitFiling(ctx context.Context, a isms.Actor, gradingID string, f isms.Filing) (isms.Filing, error) {
	_, err := s.gradingStep(ctx, a, gradingID, "mlps.filing_submit", func(tx *store.Tx, g *isms.Grading, o isms.MLPSObject, today string) (any, error) {
		if err := isms.CheckFilingSubmission(*g, &f, today); err != nil {
			return nil, err
		}
		if n, err := tx.PendingFilings(ctx, g.ID); err != nil {
			return nil, err
		} else if n > 0 {
			return nil, isms.Conflict("status", isms.M("grading.filing_pending"))
		}
		f.ID, f.OrgID, f.ObjectID, f.GradingID = newID(), a.OrgID, o.ID, g.ID
		f.Outcome, f.RecordedBy, f.CreatedAt = isms.FilingPending, a.Name(), s.clock.Now()
		f.DecidedOn, f.Reasons, f.Regrade = "", "", false
		return f, tx.CreateFiling(ctx, &f)
	})
	return f, err
}

// DecideFiling records the bureau's answer to a submission.
func (s *Service) DecideFiling(ctx context.Context, a isms.Actor, filingID string, out isms.FilingOutcome) (isms.Filing, error) {
	var f isms.Filing
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return f, err
	}
	if !isms.ValidID(filingID) {
		return f, isms.NotFound("filing")
	}
	var err error
	if f, err = s.st.Filing(ctx, a.OrgID, filingID); err != nil {
		return f, err
	}
	_, err = s.gradingStep(ctx, a, f.GradingID, "mlps.filing_decide", func(tx *store.Tx, g *isms.Grading, _ isms.MLPSObject, today string) (any, error) {
		var err error
		if f, err = tx.Filing(ctx, a.OrgID, filingID); err != nil {
			return nil, err
		}
		if err := out.Decide(g, &f, today); err != nil {
			return nil, err
		}
		return f, tx.DecideFiling(ctx, &f)
	})
	return f, err
}

// RecordCertificate records the certificate (备案证明) the bureau issued
// for an accepted submission.
func (s *Service) RecordCertificate(ctx context.Context, a isms.Actor, filingID string, c isms.Certificate) (isms.Certificate, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return c, err
	}
	if !isms.ValidID(filingID) {
		return c, isms.NotFound("filing")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		f, err := tx.Filing(ctx, a.OrgID, filingID)
		if err != nil {
			return err
		}
		if f.Outcome != isms.FilingAccepted {
			return isms.Conflict("outcome", isms.M("grading.certificate_needs_acceptance"))
		}
		today, err := s.orgToday(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		if c.Bureau == "" {
			c.Bureau = f.Bureau
		}
		if err := isms.CheckCertificate(&c, f, today); err != nil {
			return err
		}
		c.ID, c.OrgID, c.ObjectID, c.GradingID, c.FilingID = newID(), a.OrgID, f.ObjectID, f.GradingID, f.ID
		c.RecordedBy, c.CreatedAt = a.Name(), s.clock.Now()
		if err := tx.CreateCertificate(ctx, &c); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.certificate_record", EntityType: "mlps_object",
			EntityID: f.ObjectID, Summary: c.Number + " " + c.IssuedOn, Data: c}); err != nil {
			return err
		}
		return s.syncMLPSDuties(ctx, tx, a, a.OrgID, f.ObjectID)
	})
	return c, err
}

// GradingDetail is a grading with its object, matrix, submissions,
// certificates and attachments.
type GradingDetail struct {
	Grading      isms.Grading       `json:"grading"`
	Object       isms.MLPSObject    `json:"object"`
	Matrix       isms.GradingMatrix `json:"matrix"`
	Filings      []isms.Filing      `json:"filings"`
	Certificates []isms.Certificate `json:"certificates"`
	Evidence     []isms.Evidence    `json:"evidence"`
	Materials    []ChecklistView    `json:"materials"`
	Today        string             `json:"today"`
	CanEdit      bool               `json:"can_edit"`
}

// Pending is the submission waiting for the bureau's answer, if any.
func (d GradingDetail) Pending() *isms.Filing {
	for i := range d.Filings {
		if d.Filings[i].Outcome == isms.FilingPending {
			return &d.Filings[i]
		}
	}
	return nil
}

// Uncertified lists the accepted submissions no certificate was recorded
// for yet.
func (d GradingDetail) Uncertified() []isms.Filing {
	var out []isms.Filing
	for _, f := range d.Filings {
		if f.Outcome == isms.FilingAccepted && !slices.ContainsFunc(d.Certificates, func(c isms.Certificate) bool { return c.FilingID == f.ID }) {
			out = append(out, f)
		}
	}
	return out
}

// Grading reads one grading with what belongs to it.
func (s *Service) Grading(ctx context.Context, a isms.Actor, id string) (GradingDetail, error) {
	var d GradingDetail
	if err := a.Require(isms.ActViewMLPS); err != nil {
		return d, err
	}
	if !isms.ValidID(id) {
		return d, isms.NotFound("grading")
	}
	var err error
	if d.Grading, err = s.st.Grading(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	if d.Object, err = s.st.MLPSObject(ctx, a.OrgID, d.Grading.ObjectID); err != nil {
		return d, err
	}
	if d.Matrix, err = GradingMatrix(d.Grading.Template); err != nil {
		return d, err
	}
	if d.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return d, err
	}
	fs, err := s.st.Filings(ctx, a.OrgID, d.Grading.ObjectID)
	if err != nil {
		return d, err
	}
	d.Filings = slices.DeleteFunc(fs, func(f isms.Filing) bool { return f.GradingID != id })
	evals, err := s.st.EvaluationDays(ctx, a.OrgID, d.Grading.ObjectID)
	if err != nil {
		return d, err
	}
	days := make([]string, len(evals))
	for i, e := range evals {
		days[i] = e[1]
	}
	cs, err := s.certificates(ctx, a.OrgID, d.Grading.ObjectID, days, d.Today)
	if err != nil {
		return d, err
	}
	d.Certificates = slices.DeleteFunc(cs, func(c isms.Certificate) bool { return c.GradingID != id })
	ev, err := s.st.EvidenceOf(ctx, a.OrgID, isms.EvidenceGrading, []string{id})
	if err != nil {
		return d, err
	}
	d.Evidence = ev[id]
	if d.Materials, err = s.gradingMaterials(ctx, a.OrgID, d.Grading); err != nil {
		return d, err
	}
	d.CanEdit = a.Can(isms.ActManageMLPS)
	return d, nil
}

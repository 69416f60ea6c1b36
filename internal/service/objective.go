package service

import (
	"context"
	"io"
	"strings"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
)

const approvalKindObjective = "objective"

// Objectives lists the organization's security objectives or
// effectiveness measures, each with its state on the organization's day.
// Whoever does not see the SoA sees those they own, to measure them.
func (s *Service) Objectives(ctx context.Context, a isms.Actor, f store.ObjectiveFilter) ([]isms.Objective, error) {
	if !a.Can(isms.ActViewSoA) {
		if f.OwnerID = s.actorPerson(ctx, a); f.OwnerID == "" {
			return []isms.Objective{}, nil
		}
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	f.OrgID = a.OrgID
	os, err := s.st.Objectives(ctx, f)
	for i := range os {
		os[i].State, os[i].StateOverdue = os[i].Assess(os[i].Latest, today)
	}
	return os, err
}

// ObjectiveDetail is an objective with its measurements (oldest first,
// each with its evidence), its department objectives and what the reader
// may do.
type ObjectiveDetail struct {
	Objective    isms.Objective     `json:"objective"`
	Parent       *isms.Objective    `json:"parent,omitempty"`
	Children     []isms.Objective   `json:"children"`
	Measurements []isms.Measurement `json:"measurements"`
	Today        string             `json:"today"`
	CanEdit      bool               `json:"can_edit"`
	CanMeasure   bool               `json:"can_measure"`
}

// Objective reads one objective: for those who see the SoA, or its
// owner.
func (s *Service) Objective(ctx context.Context, a isms.Actor, id string) (ObjectiveDetail, error) {
	var d ObjectiveDetail
	if !isms.ValidID(id) {
		return d, isms.NotFound("objective")
	}
	var err error
	if d.Objective, err = s.objectiveFor(ctx, a, id); err != nil {
		return d, err
	}
	if d.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return d, err
	}
	o := &d.Objective
	o.State, o.StateOverdue = o.Assess(o.Latest, d.Today)
	if o.ParentID != "" && a.Can(isms.ActViewSoA) {
		if p, err := s.st.Objective(ctx, a.OrgID, o.ParentID); err == nil {
			d.Parent = &p
		}
	}
	if d.Children, err = s.Objectives(ctx, a, store.ObjectiveFilter{ParentID: o.ID}); err != nil {
		return d, err
	}
	if d.Measurements, err = s.st.Measurements(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	ids := make([]string, len(d.Measurements))
	for i, m := range d.Measurements {
		ids[i] = m.ID
	}
	ev, err := s.st.EvidenceOf(ctx, a.OrgID, isms.EvidenceMeasurement, ids)
	if err != nil {
		return d, err
	}
	for i := range d.Measurements {
		d.Measurements[i].Evidence = ev[d.Measurements[i].ID]
	}
	d.CanEdit = a.Can(isms.ActManageSoA)
	d.CanMeasure = s.canMeasure(ctx, a, *o)
	return d, nil
}

// objectiveFor reads an objective of the actor's organization that the
// actor sees: anyone who sees the SoA, or the objective's owner.
func (s *Service) objectiveFor(ctx context.Context, a isms.Actor, id string) (isms.Objective, error) {
	if a.Can(isms.ActViewSoA) {
		return s.st.Objective(ctx, a.OrgID, id)
	}
	person := s.actorPerson(ctx, a)
	if person == "" {
		return isms.Objective{}, a.Require(isms.ActViewSoA)
	}
	o, err := s.st.Objective(ctx, a.OrgID, id)
	if err == nil && o.OwnerID != person {
		err = a.Require(isms.ActViewSoA)
	}
	return o, err
}

// canMeasure reports whether the actor may record a value of o: an
// approved objective, by the ISMS team or its owner.
func (s *Service) canMeasure(ctx context.Context, a isms.Actor, o isms.Objective) bool {
	return o.Status == isms.ObjApproved && (a.Can(isms.ActManageSoA) || o.OwnerID != "" && s.actorPerson(ctx, a) == o.OwnerID)
}

// SaveObjective creates an objective (id "") or changes one. A new one
// is a draft; changing the terms of an approved one (what is measured,
// how, the target, the frequency) makes it a draft again, to be
// approved anew; a submitted one waits for its decision.
func (s *Service) SaveObjective(ctx context.Context, a isms.Actor, id string, in isms.Objective) (isms.Objective, error) {
	if err := a.Require(isms.ActManageSoA); err != nil {
		return in, err
	}
	if err := in.Validate(); err != nil {
		return in, err
	}
	if err := s.ensureBuiltins(ctx); err != nil { // a control may be on a built-in framework
		return in, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var old isms.Objective
		action := "objective.create"
		if id != "" {
			if !isms.ValidID(id) {
				return isms.NotFound("objective")
			}
			var err error
			if old, err = tx.Objective(ctx, a.OrgID, id); err != nil {
				return err
			}
			if old.Status == isms.ObjSubmitted {
				return isms.Conflict("status", isms.M("objective.pending"))
			}
			if old.Kind != in.Kind {
				return isms.Invalid("kind", isms.M("objective.kind_fixed"))
			}
			action = "objective.update"
		}
		if err := s.checkObjectiveRefs(ctx, tx, a, id, &in); err != nil {
			return err
		}
		now := s.clock.Now()
		in.OrgID, in.UpdatedBy, in.UpdatedAt = a.OrgID, a.Name(), now
		if id == "" {
			in.ID, in.CreatedAt, in.Status = newID(), now, isms.ObjDraft
			if err := tx.CreateObjective(ctx, &in); err != nil {
				return err
			}
		} else {
			in.ID, in.N, in.CreatedAt = old.ID, old.N, old.CreatedAt
			in.Status, in.ApprovalID, in.DecidedBy, in.DecidedAt, in.Comment = old.Status, old.ApprovalID, old.DecidedBy,
				old.DecidedAt, old.Comment
			if old.Status == isms.ObjApproved && !old.SameTerms(in) || old.Status == isms.ObjRetired {
				in.Status = isms.ObjDraft
				action = "objective.reopen"
			}
			if err := tx.UpdateObjective(ctx, &in); err != nil {
				return err
			}
		}
		var before any
		if old.ID != "" {
			before = old
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: "objective", EntityID: in.ID,
			Summary: in.Number() + " " + in.Statement, Data: map[string]any{"before": before, "after": in}})
	})
	return in, err
}

// RetireObjective retires an objective that no longer applies: it keeps
// its measurements and trail, leaves the lists and the dashboard, and is
// no longer measured. A submitted one waits for its decision first; one
// with department objectives still in force keeps them until they are
// retired.
func (s *Service) RetireObjective(ctx context.Context, a isms.Actor, id, reason string) (isms.Objective, error) {
	var o isms.Objective
	if err := a.Require(isms.ActManageSoA); err != nil {
		return o, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return o, isms.Invalid("reason", isms.M("field.required"))
	}
	if len([]rune(reason)) > 1000 {
		return o, isms.Invalid("reason", isms.M("field.too_long", "max", 1000))
	}
	if !isms.ValidID(id) {
		return o, isms.NotFound("objective")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if o, err = tx.Objective(ctx, a.OrgID, id); err != nil {
			return err
		}
		switch o.Status {
		case isms.ObjSubmitted:
			return isms.Conflict("status", isms.M("objective.pending"))
		case isms.ObjRetired:
			return isms.Conflict("status", isms.M("objective.retired"))
		}
		if n, err := tx.LiveChildObjectives(ctx, a.OrgID, id); err != nil {
			return err
		} else if n > 0 {
			return isms.Conflict("status", isms.M("objective.children_live", "n", n))
		}
		before := o.Status
		o.Status, o.UpdatedBy, o.UpdatedAt = isms.ObjRetired, a.Name(), s.clock.Now()
		if err := tx.UpdateObjective(ctx, &o); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "objective.retire", EntityType: "objective", EntityID: id,
			Summary: o.Number() + " " + o.Statement, Data: map[string]any{"reason": reason, "status_before": before}})
	})
	return o, err
}

// DeleteObjective deletes an objective written by mistake: one never
// measured and without department objectives. Anything measured is
// retired instead, to keep its record.
func (s *Service) DeleteObjective(ctx context.Context, a isms.Actor, id string) error {
	if err := a.Require(isms.ActManageSoA); err != nil {
		return err
	}
	if !isms.ValidID(id) {
		return isms.NotFound("objective")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.Objective(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if o.Status == isms.ObjSubmitted {
			return isms.Conflict("status", isms.M("objective.pending"))
		}
		if o.Latest != nil {
			return isms.Conflict("status", isms.M("objective.measured_keep"))
		}
		if n, err := tx.ChildObjectives(ctx, a.OrgID, id); err != nil {
			return err
		} else if n > 0 {
			return isms.Conflict("status", isms.M("objective.children_any", "n", n))
		}
		if err := tx.DeleteObjective(ctx, a.OrgID, id); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "objective.delete", EntityType: "objective", EntityID: id,
			Summary: o.Number() + " " + o.Statement, Data: o})
	})
}

// checkObjectiveRefs checks what an objective points at: its parent (an
// organization-wide objective of the same kind, not itself), department,
// owner, and the control (resolved from its key) or measure it measures.
func (s *Service) checkObjectiveRefs(ctx context.Context, tx *store.Tx, a isms.Actor, id string, o *isms.Objective) error {
	if o.ParentID != "" {
		p, err := tx.Objective(ctx, a.OrgID, o.ParentID)
		if isms.IsNotFound(err) || err == nil && (p.ID == id || p.ParentID != "" || p.DeptID != "" || p.Kind != o.Kind ||
			p.Status == isms.ObjRetired) {
			return isms.Invalid("parent_id", isms.M("objective.bad_parent"))
		}
		if err != nil {
			return err
		}
	}
	if _, err := liveDept(ctx, tx, a.OrgID, "department_id", o.DeptID); err != nil {
		return err
	}
	if err := livePerson(ctx, tx, a.OrgID, "owner_id", o.OwnerID); err != nil {
		return err
	}
	if o.MeasureID != "" {
		if _, err := tx.MeasureForUpdate(ctx, a.OrgID, o.MeasureID); isms.IsNotFound(err) {
			return isms.Invalid("measure_id", isms.M("error.not_found", "entity", "measure"))
		} else if err != nil {
			return err
		}
		o.FrameworkID, o.Ref, o.Control = "", "", ""
		return nil
	}
	if o.Kind == isms.ObjectiveEffectiveness && o.Control != "" {
		reqs := ParseMeasureRequirements(o.Control)
		if len(reqs) != 1 {
			return isms.Invalid("control", isms.M("measure.unknown_requirement", "value", o.Control))
		}
		if err := s.resolveRequirements(ctx, tx, a.OrgID, reqs); err != nil {
			return isms.Invalid("control", isms.M("measure.unknown_requirement", "value", reqs[0].Key()))
		}
		o.FrameworkID, o.Ref, o.Control = reqs[0].FrameworkID, reqs[0].Ref, ""
	}
	return nil
}

// SubmitObjective asks the top manager to approve an objective (a draft
// or a returned one) through the approvals component; the submitter
// never decides.
func (s *Service) SubmitObjective(ctx context.Context, a isms.Actor, id string) (isms.Objective, error) {
	var o isms.Objective
	if err := a.Require(isms.ActManageSoA); err != nil {
		return o, err
	}
	if a.AccountID == "" {
		return o, isms.Forbidden(isms.M("soa.submit_needs_account"))
	}
	if !isms.ValidID(id) {
		return o, isms.NotFound("objective")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if o, err = tx.Objective(ctx, a.OrgID, id); err != nil {
			return err
		}
		if o.Status != isms.ObjDraft && o.Status != isms.ObjReturned {
			return isms.Conflict("status", isms.M("objective.not_draft"))
		}
		if n, err := tx.CountRoleHolders(ctx, a.OrgID, isms.RoleTopManager); err != nil {
			return err
		} else if n == 0 {
			return isms.Invalid("approval", isms.M("asset.no_approver", "role", string(isms.RoleTopManager)))
		}
		now := s.clock.Now()
		ap := isms.Approval{ID: newID(), OrgID: a.OrgID, Kind: approvalKindObjective, SubjectType: "objective", SubjectID: o.ID,
			Summary: "目标 " + o.Number() + " " + truncate(o.Statement, 60), RequestedBy: a.AccountID, RequestedAt: now,
			RequiredRole: isms.RoleTopManager, Status: isms.ApprovalPending}
		if err := tx.CreateApproval(ctx, &ap); err != nil {
			return err
		}
		o.Status, o.ApprovalID, o.UpdatedBy, o.UpdatedAt = isms.ObjSubmitted, ap.ID, a.Name(), now
		if err := tx.UpdateObjective(ctx, &o); err != nil {
			return err
		}
		if _, err := s.createTask(ctx, tx, a, NewTask{TitleZH: "批准目标：" + o.Number(), TitleEN: "Approve objective " + o.Number(),
			AssigneeRole: isms.RoleTopManager, DueAt: now.Add(7 * 24 * time.Hour), SourceType: "objective",
			SourceID: o.ID}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "objective.submit", EntityType: "objective",
			EntityID: o.ID, Summary: ap.Summary, Data: map[string]any{"approval_id": ap.ID}})
	})
	return o, err
}

// applyObjectiveApproval carries out the top manager's decision.
func (s *Service) applyObjectiveApproval(ctx context.Context, tx *store.Tx, a isms.Actor, ap isms.Approval) error {
	o, err := tx.Objective(ctx, ap.OrgID, ap.SubjectID)
	if err != nil {
		return err
	}
	if o.Status != isms.ObjSubmitted || o.ApprovalID != ap.ID {
		return nil
	}
	now := s.clock.Now()
	o.Status, o.DecidedBy, o.DecidedAt, o.Comment = isms.ObjReturned, a.Name(), &now, ap.FirstComment
	action := "objective.return"
	if ap.Status == isms.ApprovalApproved {
		o.Status, action = isms.ObjApproved, "objective.approve"
	}
	if err := tx.UpdateObjective(ctx, &o); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: o.OrgID, Action: action, EntityType: "objective", EntityID: o.ID,
		Summary: o.Number(), Data: map[string]any{"approval_id": ap.ID, "comment": ap.FirstComment}})
}

// MeasurementInput is a measured value with optional evidence: a file
// (given separately) or a record by its number.
type MeasurementInput struct {
	TakenOn      string  `json:"taken_on"`
	Value        float64 `json:"value"`
	Note         string  `json:"note"`
	RecordNumber string  `json:"record_number"`
}

// AddMeasurement records a value of an approved objective, by the ISMS
// team or the objective's owner.
func (s *Service) AddMeasurement(ctx context.Context, a isms.Actor, id string, in MeasurementInput, filename string, file io.Reader) (isms.Measurement, error) {
	m := isms.Measurement{ID: newID(), OrgID: a.OrgID, ObjectiveID: id, TakenOn: in.TakenOn, Value: in.Value, Note: in.Note,
		MeasuredBy: a.Name(), RecordedAt: s.clock.Now()}
	if !isms.ValidID(id) {
		return m, isms.NotFound("objective")
	}
	o, err := s.objectiveFor(ctx, a, id)
	if err != nil {
		return m, err
	}
	if !s.canMeasure(ctx, a, o) {
		if o.Status == isms.ObjRetired {
			return m, isms.Conflict("status", isms.M("objective.retired"))
		}
		if o.Status != isms.ObjApproved {
			return m, isms.Conflict("status", isms.M("objective.not_approved"))
		}
		return m, a.Require(isms.ActManageSoA)
	}
	if err := m.Validate(); err != nil {
		return m, err
	}
	today, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return m, err
	}
	if m.TakenOn > today {
		return m, isms.Invalid("taken_on", isms.M("objective.future_measurement"))
	}
	var pe *pendingEvidence
	if filename != "" || strings.TrimSpace(in.RecordNumber) != "" {
		x, err := s.prepareEvidence(a, isms.EvidenceMeasurement, EvidenceInput{Title: o.Number() + " " + m.TakenOn,
			EffectiveOn: m.TakenOn, RecordNumber: in.RecordNumber}, filename, file)
		if err != nil {
			return m, err
		}
		pe = &x
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.AddMeasurement(ctx, &m); err != nil {
			return err
		}
		data := map[string]any{"measurement": m}
		if pe != nil {
			ev, err := pe.save(ctx, tx, m.ID)
			if err != nil {
				return err
			}
			data["evidence"] = ev
			m.Evidence = []isms.Evidence{pe.e}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "objective.measure", EntityType: "objective",
			EntityID: id, Summary: o.Number() + " " + m.TakenOn + " = " + isms.FormatValue(m.Value), Data: data})
	})
	return m, err
}

package service

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// MLPS evaluations (等级测评): the agencies, each evaluation with the
// conclusion its report states, and the rectification of what it found.

// Agencies lists the organization's evaluation agencies.
func (s *Service) Agencies(ctx context.Context, a isms.Actor) ([]isms.Agency, error) {
	if err := a.Require(isms.ActViewMLPS); err != nil {
		return nil, err
	}
	return s.st.Agencies(ctx, a.OrgID)
}

// SaveAgency registers an agency (id "") or changes one.
func (s *Service) SaveAgency(ctx context.Context, a isms.Actor, id string, in isms.Agency) (isms.Agency, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return in, err
	}
	if err := in.Validate(); err != nil {
		return in, err
	}
	if id != "" && !isms.ValidID(id) {
		return in, isms.NotFound("agency")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		in.OrgID = a.OrgID
		insert := id == ""
		if insert {
			in.ID, in.CreatedAt = newID(), s.clock.Now()
		} else {
			in.ID = id
		}
		if err := tx.SaveAgency(ctx, &in, insert); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.agency_save", EntityType: "agency", EntityID: in.ID,
			Summary: in.Name, Data: in})
	})
	return in, err
}

// RecordEvaluation records a completed level evaluation of an object
// whose level is in force, with the conclusion as its report states it.
func (s *Service) RecordEvaluation(ctx context.Context, a isms.Actor, objectID string, in isms.Evaluation) (isms.Evaluation, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return in, err
	}
	if !isms.ValidID(objectID) {
		return in, isms.NotFound("mlps_object")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.MLPSObject(ctx, a.OrgID, objectID)
		if err != nil {
			return err
		}
		if err := s.checkEvaluation(ctx, tx, a.OrgID, &in); err != nil {
			return err
		}
		gs, err := tx.Gradings(ctx, a.OrgID, objectID)
		if err != nil {
			return err
		}
		var inForce *isms.Grading
		for i := range gs {
			if gs[i].InForce() {
				inForce = &gs[i]
			}
		}
		if inForce == nil {
			return isms.Conflict("object_id", isms.M("mlps.eval_ungraded"))
		}
		in.ID, in.OrgID, in.ObjectID, in.GradingID, in.Level = newID(), a.OrgID, o.ID, inForce.ID, inForce.Level
		in.RecordedBy, in.CreatedAt = a.Name(), s.clock.Now()
		if err := tx.CreateEvaluation(ctx, &in); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.evaluation_record", EntityType: "mlps_object",
			EntityID: o.ID, Summary: o.Label() + " " + in.ReportNo + " " + in.CompletedOn, Data: in}); err != nil {
			return err
		}
		return s.syncMLPSDuties(ctx, tx, a, a.OrgID, o.ID)
	})
	return in, err
}

// CorrectEvaluation corrects what was recorded of an evaluation entered
// wrongly: the agency, dates, report number, template and the conclusion
// as the report states it, and notes. The object, the grading and the
// level it evaluated stay. The audit entry keeps what it replaced; the
// object's certificate validity and duties follow the corrected day.
func (s *Service) CorrectEvaluation(ctx context.Context, a isms.Actor, id string, in isms.Evaluation) (isms.Evaluation, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return in, err
	}
	if !isms.ValidID(id) {
		return in, isms.NotFound("evaluation")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.Evaluation(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := s.checkEvaluation(ctx, tx, a.OrgID, &in); err != nil {
			return err
		}
		in.ID, in.OrgID, in.ObjectID, in.GradingID, in.Level = old.ID, old.OrgID, old.ObjectID, old.GradingID, old.Level
		in.RecordedBy, in.CreatedAt = old.RecordedBy, old.CreatedAt
		if err := tx.UpdateEvaluation(ctx, &in); err != nil {
			return err
		}
		o, err := tx.MLPSObject(ctx, a.OrgID, old.ObjectID)
		if err != nil {
			return err
		}
		old.AgencyName = ""
		if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.evaluation_correct", EntityType: "mlps_object",
			EntityID: o.ID, Summary: o.Label() + " " + in.ReportNo + " " + in.CompletedOn,
			Data: map[string]any{"before": old, "after": in}}); err != nil {
			return err
		}
		return s.syncMLPSDuties(ctx, tx, a, a.OrgID, o.ID)
	})
	return in, err
}

// checkEvaluation validates an evaluation as recorded or corrected: its
// fields against the organization's day, and its agency.
func (s *Service) checkEvaluation(ctx context.Context, tx *store.Tx, orgID string, in *isms.Evaluation) error {
	today, err := s.orgToday(ctx, tx, orgID)
	if err != nil {
		return err
	}
	if err := in.Validate(today); err != nil {
		return err
	}
	if ok, err := tx.AgencyExists(ctx, orgID, in.AgencyID); err != nil {
		return err
	} else if !ok {
		return isms.Invalid("agency_id", isms.M("mlps.agency_missing"))
	}
	return nil
}

// EvaluationDetail is an evaluation with its object and rectifications.
type EvaluationDetail struct {
	Evaluation     isms.Evaluation      `json:"evaluation"`
	Object         isms.MLPSObject      `json:"object"`
	Rectifications []isms.Rectification `json:"rectifications"`
	Today          string               `json:"today"`
	CanEdit        bool                 `json:"can_edit"`
	// Person is the reader's person, who records fixes of the items
	// assigned to them.
	Person string `json:"-"`
}

// Evaluation reads one evaluation: for those who see MLPS, and for a
// person responsible for one of its rectifications.
func (s *Service) Evaluation(ctx context.Context, a isms.Actor, id string) (EvaluationDetail, error) {
	var d EvaluationDetail
	viewer := a.Can(isms.ActViewMLPS)
	if !viewer {
		if d.Person = s.actorPerson(ctx, a); d.Person == "" {
			return d, a.Require(isms.ActViewMLPS)
		}
	}
	if !isms.ValidID(id) {
		return d, isms.NotFound("evaluation")
	}
	var err error
	if d.Evaluation, err = s.st.Evaluation(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	if d.Object, err = s.st.MLPSObject(ctx, a.OrgID, d.Evaluation.ObjectID); err != nil {
		return d, err
	}
	if d.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return d, err
	}
	if d.Rectifications, err = s.st.Rectifications(ctx, a.OrgID, "", id); err != nil {
		return d, err
	}
	if !viewer && !slices.ContainsFunc(d.Rectifications, func(r isms.Rectification) bool { return r.PersonID == d.Person }) {
		return EvaluationDetail{}, a.Require(isms.ActViewMLPS)
	}
	d.Evaluation.Findings = isms.Summarize(d.Rectifications, d.Today)
	d.CanEdit = a.Can(isms.ActManageMLPS)
	d.Person = s.actorPerson(ctx, a)
	return d, nil
}

// AddRectification records an issue an evaluation found, with its four
// fixes; a deadline makes it a task for the responsible person (through
// their account) or, without one, for the ISMS team.
func (s *Service) AddRectification(ctx context.Context, a isms.Actor, evaluationID string, in isms.Rectification) (isms.Rectification, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return in, err
	}
	if err := in.Validate(); err != nil {
		return in, err
	}
	if !isms.ValidID(evaluationID) {
		return in, isms.NotFound("evaluation")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		e, err := tx.Evaluation(ctx, a.OrgID, evaluationID)
		if err != nil {
			return err
		}
		if err := livePerson(ctx, tx, a.OrgID, "person_id", in.PersonID); err != nil {
			return err
		}
		now := s.clock.Now()
		in.ID, in.OrgID, in.EvaluationID, in.ObjectID, in.Status = newID(), a.OrgID, e.ID, e.ObjectID, isms.RectOpen
		in.CreatedAt, in.UpdatedAt = now, now
		if in.Deadline != "" {
			loc, err := zones{}.of(ctx, tx, a.OrgID)
			if err != nil {
				return err
			}
			due, err := dueOnDay(in.Deadline, loc)
			if err != nil {
				return err
			}
			role, err := mlpsAssignee(ctx, tx, a.OrgID)
			if err != nil {
				return err
			}
			nt := NewTask{TitleZH: fmt.Sprintf("等保整改：%s（%s）", truncate(in.Description, 60), e.ReportNo),
				TitleEN: "MLPS rectification: " + e.ReportNo, AssigneeRole: role, DueAt: due,
				SourceType: "rectification", SourceID: in.ID}
			if in.PersonID != "" {
				if acct, err := tx.AccountOfPerson(ctx, in.PersonID); err == nil {
					nt.AssigneeRole, nt.AssigneeAccount = "", acct.ID
				}
			}
			if nt.AssigneeRole != "" || nt.AssigneeAccount != "" {
				t, err := s.createTask(ctx, tx, a, nt)
				if err != nil {
					return err
				}
				in.TaskID = t.ID
			}
		}
		if err := tx.CreateRectification(ctx, &in); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.rectification_add", EntityType: "evaluation",
			EntityID: e.ID, Summary: fmt.Sprintf("%s #%d %s", e.ReportNo, in.N, truncate(in.Description, 80)), Data: in})
	})
	return in, err
}

// RecordFix marks a rectification fixed: by the ISMS team or the person
// responsible for it.
func (s *Service) RecordFix(ctx context.Context, a isms.Actor, id, day, note string) (isms.Rectification, error) {
	return s.rectStep(ctx, a, id, "mlps.rectification_fix", func(r *isms.Rectification, today string) error {
		if !a.Can(isms.ActManageMLPS) && (r.PersonID == "" || s.actorPerson(ctx, a) != r.PersonID) {
			return a.Require(isms.ActManageMLPS)
		}
		return r.RecordFix(a.Name(), day, strings.TrimSpace(note), today)
	})
}

// VerifyRectification records whether a fixed rectification holds, by
// someone other than its fixer; a verified one closes its task.
func (s *Service) VerifyRectification(ctx context.Context, a isms.Actor, id, day string, ok bool, note string) (isms.Rectification, error) {
	return s.rectStep(ctx, a, id, "mlps.rectification_verify", func(r *isms.Rectification, today string) error {
		if err := a.Require(isms.ActManageMLPS); err != nil {
			return err
		}
		return r.Verify(a.Name(), day, ok, strings.TrimSpace(note), today)
	})
}

// rectStep reads a rectification visible to the actor, applies step and
// stores it with its audit entry.
func (s *Service) rectStep(ctx context.Context, a isms.Actor, id, action string, step func(r *isms.Rectification, today string) error) (isms.Rectification, error) {
	var r isms.Rectification
	if err := a.Require(isms.ActViewMLPS); err != nil && s.actorPerson(ctx, a) == "" {
		return r, err
	}
	if !isms.ValidID(id) {
		return r, isms.NotFound("rectification")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = tx.Rectification(ctx, a.OrgID, id); err != nil {
			return err
		}
		before := r
		today, err := s.orgToday(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		if err := step(&r, today); err != nil {
			return err
		}
		r.UpdatedAt = s.clock.Now()
		if err := tx.UpdateRectification(ctx, &r); err != nil {
			return err
		}
		if r.Status == isms.RectVerified {
			if err := s.closeSourceTasks(ctx, tx, a, "rectification", r.ID, "verified "+r.VerifiedOn); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: "evaluation", EntityID: r.EvaluationID,
			Summary: fmt.Sprintf("%s #%d → %s", r.EvaluationRef, r.N, r.Status), Data: map[string]any{"before": before, "after": r}})
	})
	return r, err
}

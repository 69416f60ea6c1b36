package service

import (
	"context"
	"fmt"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// The MLPS duties of a graded object become tasks of the obligations
// engine, with its reminders and escalation: filing within 30 days,
// level evaluations, self-inspections (completing the task is the
// inspection), the certificate's renewal once its window opens, and a
// protection work plan (保护工作方案) after each evaluation of a level-3+
// object. They are kept in step whenever an object's facts change and by
// the scheduler's daily pass: one open task per duty and object, its due
// day moved when the facts move it.

const mlpsSettingsName = "mlps"

// MLPSSettings are an organization's MLPS rules: its jurisdiction's
// evaluation interval for level 4 (12 months nationally; the 2007
// Measures say 6), and how long after an evaluation the protection work
// plan is due (customary, not fixed by the rules).
type MLPSSettings struct {
	Level4EvaluationMonths int `json:"level4_evaluation_months"`
	WorkPlanDays           int `json:"work_plan_days"`
}

// DefaultMLPSSettings are the national defaults.
var DefaultMLPSSettings = MLPSSettings{Level4EvaluationMonths: 12, WorkPlanDays: 30}

// Validate checks the settings.
func (m MLPSSettings) Validate() error {
	var p isms.Problems
	if m.Level4EvaluationMonths != 6 && m.Level4EvaluationMonths != 12 {
		p.Add("level4_evaluation_months", "field.one_of", "values", "6, 12")
	}
	if m.WorkPlanDays < 1 || m.WorkPlanDays > 365 {
		p.Add("work_plan_days", "field.range", "min", 1, "max", 365)
	}
	return p.Err()
}

// Rule is the deadline rule under these settings.
func (m MLPSSettings) Rule() isms.MLPSRule {
	r := isms.DefaultMLPSRule
	r.EvaluationMonths[4] = m.Level4EvaluationMonths
	return r
}

// MLPSSettingsOf reads the organization's MLPS settings.
func (s *Service) MLPSSettingsOf(ctx context.Context, a isms.Actor) (MLPSSettings, error) {
	m := DefaultMLPSSettings
	if err := a.Require(isms.ActViewMLPS); err != nil {
		return m, err
	}
	_, err := s.st.Setting(ctx, a.OrgID, mlpsSettingsName, &m)
	return m, err
}

// SetMLPSSettings stores the settings; the scheduler's next pass (within
// a minute) moves every object's duties.
func (s *Service) SetMLPSSettings(ctx context.Context, a isms.Actor, m MLPSSettings) (MLPSSettings, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return m, err
	}
	if err := m.Validate(); err != nil {
		return m, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		before := DefaultMLPSSettings
		if _, err := tx.Setting(ctx, a.OrgID, mlpsSettingsName, &before); err != nil {
			return err
		}
		if err := tx.SetSetting(ctx, a.OrgID, mlpsSettingsName, m, s.clock.Now()); err != nil {
			return err
		}
		if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.settings", EntityType: "organization",
			EntityID: a.OrgID, Summary: fmt.Sprintf("level 4: %d months", m.Level4EvaluationMonths),
			Data: map[string]any{"before": before, "after": m}}); err != nil {
			return err
		}
		// The scheduler's next pass moves every object's duties.
		return tx.MLPSDutiesDue(ctx, a.OrgID, s.clock.Now())
	})
	return m, err
}

// Kinds of MLPS duty task (task source types; the source is the object,
// or the evaluation for a work plan).
const (
	taskMLPSFiling     = "mlps_filing"
	taskMLPSEvaluation = "mlps_evaluation"
	taskMLPSInspection = "mlps_self_inspection"
	taskMLPSRenewal    = "mlps_renewal"
	taskMLPSWorkPlan   = "mlps_work_plan"
)

// mlpsDuty is a task an object should have: its kind, due day, titles.
type mlpsDuty struct {
	kind, due, zh, en string
}

// syncMLPSDuties brings an object's duty tasks in line with its facts.
func (s *Service) syncMLPSDuties(ctx context.Context, tx *store.Tx, a isms.Actor, orgID, objectID string) error {
	o, err := tx.MLPSObject(ctx, orgID, objectID)
	if err != nil {
		return err
	}
	settings := DefaultMLPSSettings
	if _, err := tx.Setting(ctx, orgID, mlpsSettingsName, &settings); err != nil {
		return err
	}
	loc, err := zones{}.of(ctx, tx, orgID)
	if err != nil {
		return err
	}
	today := s.clock.Now().In(loc).Format(time.DateOnly)
	gs, err := tx.Gradings(ctx, orgID, objectID)
	if err != nil {
		return err
	}
	var g *isms.Grading
	for i := range gs {
		if gs[i].InForce() {
			g = &gs[i]
		}
	}
	want := map[string]mlpsDuty{}
	evals, err := tx.EvaluationDays(ctx, orgID, objectID)
	if err != nil {
		return err
	}
	var lastEval, lastEvalID string
	evalDays := make([]string, len(evals))
	for i, e := range evals {
		evalDays[i] = e[1]
		lastEvalID, lastEval = e[0], e[1]
	}
	tasks, err := tx.TasksFor(ctx, []string{taskMLPSFiling, taskMLPSEvaluation, taskMLPSInspection, taskMLPSRenewal}, objectID)
	if err != nil {
		return err
	}
	if g != nil && o.Status == "active" {
		filed, err := tx.FirstFiling(ctx, orgID, g.ID)
		if err != nil {
			return err
		}
		var lastInspection string
		for _, t := range tasks {
			if t.SourceType == taskMLPSInspection && t.Status == isms.TaskDone && t.CompletedAt != nil {
				lastInspection = max(lastInspection, t.CompletedAt.In(loc).Format(time.DateOnly))
			}
		}
		duties, err := settings.Rule().Duties(isms.MLPSFacts{Level: g.Level, ConfirmedOn: g.ConfirmedOn, LiveOn: o.LiveOn,
			FiledOn: filed, LastEvaluation: lastEval, LastInspection: lastInspection})
		if err != nil {
			return err
		}
		label := o.Label()
		for _, d := range duties {
			switch d.Kind {
			case isms.DutyFiling:
				want[taskMLPSFiling] = mlpsDuty{taskMLPSFiling, d.Due, "等保备案：" + label, "MLPS filing: " + label}
			case isms.DutyEvaluation:
				zh, en := "等级测评：", "Level evaluation: "
				if d.Advisory {
					zh, en = "等级测评（建议）：", "Level evaluation (advised): "
				}
				want[taskMLPSEvaluation] = mlpsDuty{taskMLPSEvaluation, d.Due, zh + label, en + label}
			case isms.DutyInspection:
				want[taskMLPSInspection] = mlpsDuty{taskMLPSInspection, d.Due, "等保自查：" + label, "MLPS self-inspection: " + label}
			}
		}
		certs, err := tx.Certificates(ctx, orgID, objectID)
		if err != nil {
			return err
		}
		if len(certs) > 0 {
			v, err := isms.DefaultCertificateRule.Validity(certs[len(certs)-1].IssuedOn, evalDays)
			if err != nil {
				return err
			}
			if today >= v.RenewFrom {
				want[taskMLPSRenewal] = mlpsDuty{taskMLPSRenewal, v.ValidUntil, "备案证明换证：" + label, "Renew the filing certificate: " + label}
			}
		}
	}
	role, err := mlpsAssignee(ctx, tx, orgID)
	if err != nil {
		return err
	}
	for _, kind := range []string{taskMLPSFiling, taskMLPSEvaluation, taskMLPSInspection, taskMLPSRenewal} {
		if err := s.keepDutyTask(ctx, tx, a, loc, role, objectID, kind, tasks, want, lastEval); err != nil {
			return err
		}
	}
	// A work plan after the latest evaluation of a level-3+ object, once.
	if g != nil && g.Level >= 3 && lastEvalID != "" {
		ts, err := tx.TasksFor(ctx, []string{taskMLPSWorkPlan}, lastEvalID)
		if err != nil {
			return err
		}
		if len(ts) == 0 && role != "" {
			due, err := dueOnDay(isms.AddDays(lastEval, settings.WorkPlanDays), loc)
			if err != nil {
				return err
			}
			if _, err := s.createTask(ctx, tx, a, NewTask{TitleZH: "保护工作方案（针对测评发现的重大风险隐患）：" + o.Label(),
				TitleEN: "Protection work plan after the evaluation: " + o.Label(), AssigneeRole: role, DueAt: due,
				GraceDays: 7, LeadDays: 14, SourceType: taskMLPSWorkPlan, SourceID: lastEvalID}); err != nil {
				return err
			}
		}
	}
	return nil
}

// keepDutyTask keeps one open task of a kind for the object when the
// duty stands, due on its day: a task already given out for that day (open
// or done) stands; an open one for another day is closed — done when the
// duty was met (a filing submitted, an evaluation completed since it was
// given out), withdrawn otherwise — and a new one is given out.
func (s *Service) keepDutyTask(ctx context.Context, tx *store.Tx, a isms.Actor, loc *time.Location, role isms.Role,
	objectID, kind string, tasks []isms.Task, want map[string]mlpsDuty, lastEval string) error {
	d, stands := want[kind]
	have := false
	for _, t := range tasks {
		if t.SourceType != kind {
			continue
		}
		day := t.DueAt.In(loc).Format(time.DateOnly)
		// A done self-inspection is the inspection the next one counts
		// from, never the next one itself.
		if stands && day == d.due && (t.Status == isms.TaskOpen || t.Status == isms.TaskDone && kind != taskMLPSInspection) {
			have = true
			continue
		}
		if t.Status != isms.TaskOpen {
			continue
		}
		met := kind == taskMLPSFiling && !stands ||
			kind == taskMLPSEvaluation && lastEval != "" && lastEval >= t.CreatedAt.In(loc).Format(time.DateOnly)
		if met {
			if err := s.finishDone(ctx, tx, a, &t, "MLPS: "+kind+" met"); err != nil {
				return err
			}
			continue
		}
		if err := s.withdrawTask(ctx, tx, a, &t, "MLPS: the duty moved or no longer applies"); err != nil {
			return err
		}
	}
	if !stands || have || role == "" {
		return nil
	}
	due, err := dueOnDay(d.due, loc)
	if err != nil {
		return err
	}
	_, err = s.createTask(ctx, tx, a, NewTask{TitleZH: d.zh, TitleEN: d.en, AssigneeRole: role, DueAt: due,
		GraceDays: 7, LeadDays: 30, SourceType: kind, SourceID: objectID})
	return err
}

// mlpsAssignee is the role MLPS tasks go to: the ISMS team, or the
// management representative where nobody holds that; "" when nobody
// holds either (the duties are then shown, not handed out).
func mlpsAssignee(ctx context.Context, tx *store.Tx, orgID string) (isms.Role, error) {
	for _, r := range []isms.Role{isms.RoleISMSTeam, isms.RoleManagementRep} {
		n, err := tx.CountRoleHolders(ctx, orgID, r)
		if err != nil || n > 0 {
			return r, err
		}
	}
	return "", nil
}

// withdrawTask closes an open task a module no longer needs, with the
// reason, as skipped.
func (s *Service) withdrawTask(ctx context.Context, tx *store.Tx, a isms.Actor, t *isms.Task, reason string) error {
	now := s.clock.Now()
	t.Status, t.Evidence, t.CompletedBy, t.CompletedAt = isms.TaskSkipped, reason, a.Name(), &now
	if err := tx.FinishTask(ctx, t, ""); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: t.OrgID, Action: "task.withdraw", EntityType: "task", EntityID: t.ID,
		Summary: t.TitleZH, Data: map[string]string{"reason": reason}})
}

// mlpsDutyBatch is the scheduler's daily duty pass: each active object
// once a day (at the organization's midnight, or at once when its rules
// changed), so completed self-inspections move the next one and renewal
// windows open. An object is claimed by moving its next pass on, so one
// scheduler does each.
func (s *Service) mlpsDutyBatch(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		ids, err := tx.DueMLPSDuties(ctx, now, tickBatch)
		if err != nil {
			return err
		}
		locs := zones{}
		for _, x := range ids {
			loc, err := locs.of(ctx, tx, x[0])
			if err != nil {
				return err
			}
			d := now.In(loc)
			next := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 5, 0, 0, loc)
			if claimed, err := tx.ClaimMLPSDuties(ctx, x[1], now, next); err != nil || !claimed {
				if err != nil {
					return err
				}
				continue
			}
			a := SchedulerActor
			a.OrgID = x[0]
			if err := s.syncMLPSDuties(ctx, tx, a, x[0], x[1]); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

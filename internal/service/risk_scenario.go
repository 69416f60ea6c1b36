package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
)

const approvalKindRiskAccept = "risk_accept"

// RiskList is a page of the register with the heat map of its filter.
type RiskList struct {
	Risks   []isms.Risk `json:"risks"`
	Total   int         `json:"total"`
	Offset  int         `json:"offset"`
	Limit   int         `json:"limit"`
	HeatMap [5][5]int   `json:"heat_map"` // [likelihood-1][loss-1]
}

func checkRiskFilter(f *isms.RiskFilter) error {
	var p isms.Problems
	one := func(field, v string, set []string) {
		if v != "" && !slices.Contains(set, v) {
			p.Add(field, "field.one_of", "values", strings.Join(set, ", "))
		}
	}
	one("sort", f.Sort, isms.RiskSorts)
	one("treatment", f.Treatment, append([]string{"none"}, isms.TreatmentOptions...))
	one("acceptable", f.Acceptable, []string{"yes", "no"})
	one("acceptance", f.Acceptance, []string{isms.AcceptPending, isms.AcceptAccepted, isms.AcceptRejected})
	for _, c := range []struct {
		name string
		v    int
	}{{"level", f.Level}, {"cell_l", f.CellL}, {"cell_f", f.CellF}} {
		if c.v < 0 || c.v > 5 {
			p.Add(c.name, "field.range", "min", 0, "max", 5)
		}
	}
	for _, c := range [][2]string{{"assessment_id", f.AssessmentID}, {"asset_id", f.AssetID}, {"department_id", f.DeptID}} {
		if c[1] != "" && !isms.ValidID(c[1]) {
			p.Add(c[0], "field.bad_id")
		}
	}
	if f.Offset < 0 || f.Offset > 10_000_000 {
		p.Add("offset", "field.range", "min", 0, "max", 10_000_000)
	}
	f.Limit = isms.ClampLimit(f.Limit)
	return p.Err()
}

// ListRisks lists a page of the risk register and its heat map.
func (s *Service) ListRisks(ctx context.Context, a isms.Actor, f isms.RiskFilter, withMap bool) (RiskList, error) {
	c, err := s.registerCounts(ctx, a, &f, withMap)
	if err != nil {
		return RiskList{}, err
	}
	rs, err := s.st.ListRisks(ctx, f)
	return RiskList{Risks: rs, Total: c.total, HeatMap: c.heatMap, Offset: f.Offset, Limit: f.Limit}, err
}

// registerCounts checks a register filter for the actor, narrows it to the
// actor's organization and returns what it counts.
func (s *Service) registerCounts(ctx context.Context, a isms.Actor, f *isms.RiskFilter, withMap bool) (countEntry, error) {
	if err := a.Require(isms.ActViewRisks); err != nil {
		return countEntry{}, err
	}
	f.OrgID = a.OrgID
	if err := checkRiskFilter(f); err != nil {
		return countEntry{}, err
	}
	return s.countsOf(ctx, *f, withMap)
}

// RiskRegister is a page of the register as lines, with the total and
// the heat map of everything the filter selects.
type RiskRegister struct {
	Lines   []isms.RiskLine
	Total   int
	Offset  int
	Limit   int
	HeatMap [5][5]int // [likelihood-1][loss-1]
}

// RiskLines lists a page of the register as the register page shows it
// (the lines are shared between requests: read only).
func (s *Service) RiskLines(ctx context.Context, a isms.Actor, f isms.RiskFilter) (RiskRegister, error) {
	c, err := s.registerCounts(ctx, a, &f, true)
	if err != nil {
		return RiskRegister{}, err
	}
	ls, err := s.registerPage(ctx, f, c.stamp)
	return RiskRegister{Lines: ls, Total: c.total, HeatMap: c.heatMap, Offset: f.Offset, Limit: f.Limit}, err
}

// Risk reads one risk.
func (s *Service) Risk(ctx context.Context, a isms.Actor, id string) (isms.Risk, error) {
	if err := a.Require(isms.ActViewRisks); err != nil {
		return isms.Risk{}, err
	}
	if !isms.ValidID(id) {
		return isms.Risk{}, isms.NotFound("risk")
	}
	r, err := s.st.Risk(ctx, id)
	if err == nil && r.OrgID != a.OrgID {
		err = isms.NotFound("risk")
	}
	return r, err
}

func riskForChange(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Risk, isms.Assessment, error) {
	if !isms.ValidID(id) {
		return isms.Risk{}, isms.Assessment{}, isms.NotFound("risk")
	}
	r, err := tx.Risk(ctx, id)
	if err == nil && r.OrgID != a.OrgID {
		err = isms.NotFound("risk")
	}
	if err != nil {
		return r, isms.Assessment{}, err
	}
	x, err := tx.Assessment(ctx, r.AssessmentID)
	return r, x, err
}

// SaveRisk adds a scenario to an assessment (id "") or changes one: the
// asset, threat and vulnerability, controls, scores, treatment option and
// residual scores. The result is computed under the assessment's method
// version with the asset's current value. A closed assessment is final;
// an accepted risk whose scores change needs accepting again.
func (s *Service) SaveRisk(ctx context.Context, a isms.Actor, assessmentID, id string, in isms.Risk) (isms.Risk, error) {
	if err := a.Require(isms.ActManageRisks); err != nil {
		return in, err
	}
	r := in
	if err := r.Validate(); err != nil {
		return r, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var x isms.Assessment
		var old isms.Risk
		var err error
		insert := id == ""
		if insert {
			if x, err = assessmentForChange(ctx, tx, a, assessmentID); err != nil {
				return err
			}
		} else if old, x, err = riskForChange(ctx, tx, a, id); err != nil {
			return err
		}
		if x.Status == isms.AssessClosed {
			return isms.Conflict("status", isms.M("risk.assessment_closed"))
		}
		if old.Acceptance == isms.AcceptPending {
			return isms.Conflict("acceptance", isms.M("risk.acceptance_pending"))
		}
		asset, err := assetForChange(ctx, tx, a, r.AssetID)
		if err != nil {
			return isms.Invalid("asset_id", isms.M("risk.asset_missing"))
		}
		if t, err := tx.Threat(ctx, r.ThreatID); err != nil || t.OrgID != a.OrgID {
			return isms.Invalid("threat_id", isms.M("risk.threat_missing"))
		}
		if v, err := tx.Vulnerability(ctx, r.VulnID); err != nil || v.OrgID != a.OrgID {
			return isms.Invalid("vulnerability_id", isms.M("risk.vulnerability_missing"))
		}
		ms, err := tx.RiskMethods(ctx, a.OrgID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(ms, func(m isms.RiskMethod) bool { return m.Version == x.MethodVersion })
		if i < 0 {
			return fmt.Errorf("assessment %s: no method version %d", x.ID, x.MethodVersion)
		}
		m := ms[i]
		r.OrgID, r.AssessmentID, r.DeptID, r.Ia, r.MethodVersion = a.OrgID, x.ID, asset.DeptID, asset.Value, m.Version
		if err := computeRisk(&m, &r); err != nil {
			return err
		}
		now := s.clock.Now()
		r.UpdatedAt = now
		if insert {
			r.ID, r.CreatedAt = newID(), now
			one := []isms.Risk{r}
			if err := tx.CreateRisks(ctx, one); err != nil {
				return err
			}
			r.N = one[0].N
		} else {
			r.ID, r.N, r.CreatedAt, r.ReviewReason = old.ID, old.N, old.CreatedAt, ""
			r.Acceptance, r.ApprovalID, r.AcceptedBy, r.AcceptedAt = old.Acceptance, old.ApprovalID, old.AcceptedBy, old.AcceptedAt
			if old.Acceptance == isms.AcceptAccepted && (r.Residual != old.Residual || r.Result != old.Result) {
				r.Acceptance, r.AcceptedBy, r.AcceptedAt = "", "", nil // accepted scores changed
			}
			if err := tx.UpdateRisk(ctx, &r); err != nil {
				return err
			}
		}
		action := "risk.update"
		if insert {
			action = "risk.create"
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: "risk", EntityID: r.ID,
			Summary: fmt.Sprintf("%s R=%g L%d", r.Number(), r.Result.R, r.Result.Level), Data: r})
	})
	return r, err
}

// RequestAcceptance asks the top manager to accept a risk's residual
// level (or its level, when the decision is to accept it as it is). It is
// an approval: never decided by the requester nor by the assessment's
// assessor; a level above the organization's criterion is accepted only
// this way, and the approval records that it was above.
func (s *Service) RequestAcceptance(ctx context.Context, a isms.Actor, id, note string) (isms.Risk, error) {
	var r isms.Risk
	if err := a.Require(isms.ActManageRisks); err != nil {
		return r, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var x isms.Assessment
		var err error
		if r, x, err = riskForChange(ctx, tx, a, id); err != nil {
			return err
		}
		switch {
		case x.Status == isms.AssessClosed:
			return isms.Conflict("status", isms.M("risk.assessment_closed"))
		case r.Acceptance == isms.AcceptPending:
			return isms.Conflict("acceptance", isms.M("risk.acceptance_pending"))
		case r.Treatment == "":
			return isms.Invalid("treatment", isms.M("risk.treatment_first"))
		case r.Treatment != isms.TreatAccept && !r.HasResidual():
			return isms.Invalid("residual_t", isms.M("risk.residual_first"))
		}
		if n, err := tx.CountRoleHolders(ctx, a.OrgID, isms.RoleTopManager); err != nil {
			return err
		} else if n == 0 {
			return isms.Invalid("acceptance", isms.M("asset.no_approver", "role", string(isms.RoleTopManager)))
		}
		level, above := r.Result.Level, !r.Result.Acceptable
		if r.HasResidual() {
			level, above = r.Residual.Level, !r.Residual.Acceptable
		}
		ap := isms.Approval{ID: newID(), OrgID: a.OrgID, Kind: approvalKindRiskAccept, SubjectType: "risk", SubjectID: r.ID,
			Summary:     fmt.Sprintf("%s 剩余风险等级 %d%s", r.Number(), level, map[bool]string{true: "（高于可接受准则）", false: ""}[above]),
			RequestedBy: a.AccountID, RequestedAt: s.clock.Now(), RequiredRole: isms.RoleTopManager, Status: isms.ApprovalPending}
		if err := tx.CreateApproval(ctx, &ap); err != nil {
			return err
		}
		r.Acceptance, r.ApprovalID, r.UpdatedAt = isms.AcceptPending, ap.ID, s.clock.Now()
		if err := tx.UpdateRisk(ctx, &r); err != nil {
			return err
		}
		if _, err := s.createTask(ctx, tx, a, NewTask{TitleZH: "审批剩余风险接受：" + r.Number(), TitleEN: "Accept residual risk " + r.Number(),
			AssigneeRole: isms.RoleTopManager, DueAt: s.clock.Now().Add(7 * 24 * time.Hour), SourceType: "risk", SourceID: r.ID}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "risk.accept_request", EntityType: "risk", EntityID: r.ID,
			Summary: ap.Summary, Data: map[string]any{"level": level, "above_criterion": above, "note": truncate(note, 1000)}})
	})
	return r, err
}

// applyRiskAcceptance carries out the top manager's decision.
func (s *Service) applyRiskAcceptance(ctx context.Context, tx *store.Tx, a isms.Actor, ap isms.Approval) error {
	r, err := tx.Risk(ctx, ap.SubjectID)
	if err != nil {
		return err
	}
	if r.Acceptance != isms.AcceptPending || r.ApprovalID != ap.ID {
		return nil
	}
	x, err := tx.Assessment(ctx, r.AssessmentID)
	if err != nil {
		return err
	}
	if a.AccountID != "" && a.AccountID == x.CreatedByID {
		return isms.Forbidden(isms.M("risk.assessor_accepts"))
	}
	now := s.clock.Now()
	if ap.Status == isms.ApprovalApproved {
		r.Acceptance, r.AcceptedBy, r.AcceptedAt = isms.AcceptAccepted, a.Name(), &now
	} else {
		r.Acceptance = isms.AcceptRejected
	}
	r.UpdatedAt = now
	if err := tx.UpdateRisk(ctx, &r); err != nil {
		return err
	}
	if err := s.closeSourceTasks(ctx, tx, a, "risk", r.ID, ap.ID); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: r.OrgID, Action: "risk." + r.Acceptance, EntityType: "risk", EntityID: r.ID,
		Summary: r.Number(), Data: map[string]string{"approval_id": ap.ID}})
}

// --- Treatment plan ---

// Treatments lists a risk's treatment plan items.
func (s *Service) Treatments(ctx context.Context, a isms.Actor, riskID string) ([]isms.TreatmentItem, error) {
	if _, err := s.Risk(ctx, a, riskID); err != nil {
		return nil, err
	}
	return s.st.Treatments(ctx, riskID)
}

// TreatmentPlan lists the organization's open treatment items, soonest
// due first.
func (s *Service) TreatmentPlan(ctx context.Context, a isms.Actor) ([]isms.TreatmentItem, error) {
	if err := a.Require(isms.ActViewRisks); err != nil {
		return nil, err
	}
	return s.st.TreatmentPlan(ctx, a.OrgID, isms.MaxPageSize)
}

// SaveTreatment adds (id "") or changes a treatment plan item. A new
// item becomes a task for the responsible department's head, due on the
// item's day; an item done or cancelled closes its task.
func (s *Service) SaveTreatment(ctx context.Context, a isms.Actor, riskID, id string, in isms.TreatmentItem) (isms.TreatmentItem, error) {
	if err := a.Require(isms.ActManageRisks); err != nil {
		return in, err
	}
	t := in
	if err := t.Validate(); err != nil {
		return t, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		r, x, err := riskForChange(ctx, tx, a, riskID)
		if err != nil {
			return err
		}
		if x.Status == isms.AssessClosed && id == "" {
			return isms.Conflict("status", isms.M("risk.assessment_closed"))
		}
		dept, err := liveDept(ctx, tx, a.OrgID, "department_id", t.DeptID)
		if err != nil {
			return err
		}
		if err := livePerson(ctx, tx, a.OrgID, "person_id", t.PersonID); err != nil {
			return err
		}
		now := s.clock.Now()
		insert := id == ""
		if insert {
			t.ID, t.OrgID, t.RiskID, t.CreatedAt = newID(), a.OrgID, r.ID, now
			loc, err := zones{}.of(ctx, tx, a.OrgID)
			if err != nil {
				return err
			}
			due, err := dueOnDay(t.DueOn, loc)
			if err != nil {
				return err
			}
			task, err := s.createTask(ctx, tx, a, NewTask{TitleZH: fmt.Sprintf("风险处理：%s（%s）", truncate(t.Measure, 80), r.Number()),
				TitleEN: "Risk treatment: " + r.Number(), DeptID: dept.ID, AssigneeRole: isms.RoleDeptHead, DueAt: due,
				SourceType: "treatment", SourceID: t.ID})
			if err != nil {
				return err
			}
			t.TaskID = task.ID
		} else {
			old, err := tx.Treatment(ctx, id)
			if err == nil && (old.OrgID != a.OrgID || old.RiskID != r.ID) {
				err = isms.NotFound("treatment")
			}
			if err != nil {
				return err
			}
			t.ID, t.OrgID, t.RiskID, t.CreatedAt, t.TaskID = old.ID, old.OrgID, old.RiskID, old.CreatedAt, old.TaskID
			if t.Status == "done" || t.Status == "cancelled" {
				if err := s.closeSourceTasks(ctx, tx, a, "treatment", t.ID, t.Status); err != nil {
					return err
				}
			}
		}
		t.UpdatedAt = now
		if err := tx.SaveTreatment(ctx, &t, insert); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "risk.treatment", EntityType: "risk", EntityID: r.ID,
			Summary: r.Number() + " " + truncate(t.Measure, 80) + " " + t.Status, Data: t})
	})
	return t, err
}

// RecordChange records a change that may affect the risks (manual
// §4.2.3.4) and flags the open assessments it names (all open ones when
// none is named) and their risks for review, with a task for the ISMS
// team.
func (s *Service) RecordChange(ctx context.Context, a isms.Actor, kind, description string, assessmentIDs []string) (int, error) {
	if err := a.Require(isms.ActManageRisks); err != nil {
		return 0, err
	}
	var p isms.Problems
	if !slices.Contains(isms.ChangeKinds, kind) {
		p.Add("kind", "field.one_of", "values", strings.Join(isms.ChangeKinds, ", "))
	}
	description = strings.TrimSpace(description)
	if description == "" {
		p.Add("description", "field.required")
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	flagged := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		open, err := tx.OpenAssessments(ctx, a.OrgID)
		if err != nil {
			return err
		}
		var ids []string
		for _, x := range open {
			if len(assessmentIDs) > 0 && !slices.Contains(assessmentIDs, x.ID) {
				continue
			}
			x.ReviewReason, x.UpdatedAt = kind+": "+truncate(description, 500), s.clock.Now()
			if err := tx.SaveAssessment(ctx, &x, false); err != nil {
				return err
			}
			ids = append(ids, x.ID)
		}
		if len(ids) == 0 {
			return isms.Invalid("assessment_ids", isms.M("risk.no_open_assessment"))
		}
		if flagged, err = tx.SetRiskReview(ctx, a.OrgID, ids, kind+": "+truncate(description, 500), s.clock.Now()); err != nil {
			return err
		}
		if _, err := s.createTask(ctx, tx, a, NewTask{TitleZH: "变更后复核风险评估：" + truncate(description, 60),
			TitleEN: "Review the risk assessment after a change", AssigneeRole: isms.RoleISMSTeam,
			DueAt: s.clock.Now().Add(30 * 24 * time.Hour), SourceType: "risk_change", SourceID: ids[0]}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "risk.change", EntityType: "organization", EntityID: a.OrgID,
			Summary: kind + ": " + truncate(description, 200), Data: map[string]any{"assessments": ids, "risks": flagged}})
	})
	return flagged, err
}

// AddRisks adds many scenarios to an open assessment in one transaction
// (an import, the demo): each is checked and computed as SaveRisk would,
// and a single bad one refuses them all with its index. The trail gets
// one entry with the count.
func (s *Service) AddRisks(ctx context.Context, a isms.Actor, assessmentID string, in []isms.Risk) (int, error) {
	if err := a.Require(isms.ActManageRisks); err != nil {
		return 0, err
	}
	rs := slices.Clone(in)
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		x, err := assessmentForChange(ctx, tx, a, assessmentID)
		if err != nil {
			return err
		}
		if x.Status == isms.AssessClosed {
			return isms.Conflict("status", isms.M("risk.assessment_closed"))
		}
		_, methods, err := s.currentMethod(ctx, tx, a, a.OrgID)
		if err != nil {
			return err
		}
		m, ok := methods[x.MethodVersion]
		if !ok {
			return fmt.Errorf("assessment %s: no method version %d", x.ID, x.MethodVersion)
		}
		values, err := tx.AssetValues(ctx, a.OrgID)
		if err != nil {
			return err
		}
		depts, err := tx.AssetDepartments(ctx, a.OrgID)
		if err != nil {
			return err
		}
		ts, err := tx.ThreatIDs(ctx, a.OrgID)
		if err != nil {
			return err
		}
		vs, err := tx.VulnerabilityIDs(ctx, a.OrgID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		for i := range rs {
			r := &rs[i]
			at := func(field string, msg isms.Msg) error {
				return isms.Invalid(fmt.Sprintf("risks[%d].%s", i, field), msg)
			}
			if err := r.Validate(); err != nil {
				e := isms.AsError(err)
				if len(e.Fields) > 0 {
					return at(e.Fields[0].Field, e.Fields[0].Msg)
				}
				return err
			}
			v, ok := values[r.AssetID]
			if !ok {
				return at("asset_id", isms.M("risk.asset_missing"))
			}
			if !ts[r.ThreatID] {
				return at("threat_id", isms.M("risk.threat_missing"))
			}
			if !vs[r.VulnID] {
				return at("vulnerability_id", isms.M("risk.vulnerability_missing"))
			}
			r.ID, r.OrgID, r.AssessmentID, r.DeptID, r.Ia, r.MethodVersion = newID(), a.OrgID, x.ID, depts[r.AssetID], v, m.Version
			r.Acceptance, r.ApprovalID, r.AcceptedBy, r.AcceptedAt, r.ReviewReason = "", "", "", nil, ""
			r.CreatedAt, r.UpdatedAt = now, now
			if err := computeRisk(&m, r); err != nil {
				e := isms.AsError(err)
				if len(e.Fields) > 0 {
					return at(e.Fields[0].Field, e.Fields[0].Msg)
				}
				return err
			}
		}
		if err := tx.CreateRisks(ctx, rs); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "risk.bulk_create", EntityType: "assessment", EntityID: x.ID,
			Summary: fmt.Sprintf("%d", len(rs)), Data: map[string]any{"risks": len(rs)}})
	})
	if err != nil {
		return 0, err
	}
	return len(rs), nil
}

package service_test

import (
	"context"
	"strings"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func TestObjectiveAssess(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	avail := isms.Objective{Direction: isms.AtLeast, Target: 99.5, Threshold: f(99), Frequency: "monthly"}
	repair := isms.Objective{Direction: isms.AtMost, Target: 4, Threshold: f(8), Frequency: "quarterly"}
	strict := isms.Objective{Direction: isms.AtLeast, Target: 100, Frequency: "yearly"}
	for _, c := range []struct {
		o           isms.Objective
		value       float64
		on, today   string
		state       string
		wantOverdue bool
	}{
		{avail, 99.7, "2026-11-01", "2026-11-21", isms.StateMet, false},
		{avail, 99.5, "2026-11-01", "2026-11-21", isms.StateMet, false},
		{avail, 99.2, "2026-11-01", "2026-11-21", isms.StateAtRisk, false},
		{avail, 99.0, "2026-11-01", "2026-11-21", isms.StateAtRisk, false},
		{avail, 98.9, "2026-11-01", "2026-11-21", isms.StateMissed, false},
		// Monthly: due 31 days after, with a week's grace: 2026-10-14 is
		// still current on 2026-11-21, 2026-10-13 is not.
		{avail, 99.9, "2026-10-14", "2026-11-21", isms.StateMet, false},
		{avail, 99.9, "2026-10-13", "2026-11-21", isms.StateAtRisk, true},
		{avail, 98.0, "2026-01-01", "2026-11-21", isms.StateMissed, true},
		{repair, 3, "2026-10-01", "2026-11-21", isms.StateMet, false},
		{repair, 6, "2026-10-01", "2026-11-21", isms.StateAtRisk, false},
		{repair, 8.5, "2026-10-01", "2026-11-21", isms.StateMissed, false},
		{strict, 99, "2026-10-01", "2026-11-21", isms.StateMissed, false},
	} {
		state, overdue := c.o.Assess(&isms.Measurement{Value: c.value, TakenOn: c.on}, c.today)
		if state != c.state || overdue != c.wantOverdue {
			t.Errorf("%s %v on %s: %s overdue=%v, want %s %v", c.o.Direction, c.value, c.on, state, overdue, c.state, c.wantOverdue)
		}
	}
	if s, _ := avail.Assess(nil, "2026-11-21"); s != isms.StateNoData {
		t.Fatalf("no measurement: %s", s)
	}
}

func TestObjectivesApprovalAndMeasurements(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		th := 99.0
		org, err := o.svc.SaveObjective(ctx, o.author, "", isms.Objective{Statement: "核心业务系统全年可用率不低于 99.5%",
			Metric: "（计划运行时间 − 非计划停机时间）/ 计划运行时间", Unit: "%", Target: 99.5, Threshold: &th,
			Frequency: "monthly"})
		if err != nil {
			t.Fatal(err)
		}
		if org.Number() != "MB-0001" || org.Status != isms.ObjDraft || org.Kind != isms.ObjectiveSecurity {
			t.Fatalf("created %s %s %s", org.Number(), org.Status, org.Kind)
		}
		// Refusals name the field.
		bad := th + 1
		_, err = o.svc.SaveObjective(ctx, o.author, "", isms.Objective{Statement: "x", Metric: "y", Target: 99.5,
			Threshold: &bad, Frequency: "monthly"})
		wantCode(t, err, isms.CodeInvalid, "threshold")
		_, err = o.svc.SaveObjective(ctx, o.author, "", isms.Objective{Statement: "x", Metric: "y", Frequency: "daily"})
		wantCode(t, err, isms.CodeInvalid, "frequency")
		_, err = o.svc.SaveObjective(ctx, o.author, "", isms.Objective{Kind: isms.ObjectiveEffectiveness, Statement: "x",
			Metric: "y", Frequency: "monthly"})
		wantCode(t, err, isms.CodeInvalid, "subject")
		_, err = o.svc.SaveObjective(ctx, o.author, "", isms.Objective{Kind: isms.ObjectiveEffectiveness, Statement: "x",
			Metric: "y", Frequency: "monthly", Control: "A.9.99"})
		wantCode(t, err, isms.CodeInvalid, "control")
		_, err = o.svc.SaveObjective(ctx, o.head, "", isms.Objective{Statement: "x", Metric: "y", Frequency: "monthly"})
		wantCode(t, err, isms.CodeForbidden, "")

		// A department's share; a department objective cannot be a parent.
		dept, err := o.svc.SaveObjective(ctx, o.author, "", isms.Objective{ParentID: org.ID, DeptID: o.eng.ID,
			Statement: "工程部负责系统月度可用率 ≥ 99.8%", Metric: "监控平台统计", Unit: "%", Target: 99.8, Frequency: "monthly",
			OwnerID: personID(t, o, "head")})
		if err != nil {
			t.Fatal(err)
		}
		_, err = o.svc.SaveObjective(ctx, o.author, "", isms.Objective{ParentID: dept.ID, DeptID: o.eng.ID, Statement: "x",
			Metric: "y", Frequency: "monthly"})
		wantCode(t, err, isms.CodeInvalid, "parent_id")
		d, err := o.svc.Objective(ctx, o.top, org.ID)
		if err != nil || len(d.Children) != 1 || d.Children[0].ID != dept.ID || d.Objective.State != isms.StateNoData {
			t.Fatalf("detail %v %+v", err, d)
		}

		// Measured only once approved.
		_, err = o.svc.AddMeasurement(ctx, o.author, org.ID, service.MeasurementInput{TakenOn: "2026-10-31", Value: 99.7}, "", nil)
		wantCode(t, err, isms.CodeConflict, "status")
		sub, err := o.svc.SubmitObjective(ctx, o.author, org.ID)
		if err != nil || sub.Status != isms.ObjSubmitted {
			t.Fatal(sub.Status, err)
		}
		_, err = o.svc.SaveObjective(ctx, o.author, org.ID, isms.Objective{Statement: "改", Metric: "y", Target: 1,
			Frequency: "monthly"})
		wantCode(t, err, isms.CodeConflict, "status")
		if _, err := o.svc.DecideApproval(ctx, o.top, sub.ApprovalID, true, "同意。"); err != nil {
			t.Fatal(err)
		}
		d, _ = o.svc.Objective(ctx, o.author, org.ID)
		if d.Objective.Status != isms.ObjApproved || d.Objective.Comment != "同意。" || !d.CanMeasure {
			t.Fatalf("after approval %s %q measure=%v", d.Objective.Status, d.Objective.Comment, d.CanMeasure)
		}

		// Measurements: the latest decides the state.
		for _, m := range []service.MeasurementInput{{TakenOn: "2026-08-31", Value: 99.9}, {TakenOn: "2026-10-31", Value: 99.2},
			{TakenOn: "2026-09-30", Value: 98.1}} {
			if _, err := o.svc.AddMeasurement(ctx, o.author, org.ID, m, "", nil); err != nil {
				t.Fatal(err)
			}
		}
		ev, err := o.svc.AddMeasurement(ctx, o.author, org.ID, service.MeasurementInput{TakenOn: "2026-11-02", Value: 99.6,
			Note: "十月报表"}, "monitor.csv", strings.NewReader("uptime,99.6"))
		if err != nil || len(ev.Evidence) != 1 {
			t.Fatalf("with evidence %v %+v", err, ev)
		}
		_, err = o.svc.AddMeasurement(ctx, o.author, org.ID, service.MeasurementInput{TakenOn: "2099-01-01", Value: 1}, "", nil)
		wantCode(t, err, isms.CodeInvalid, "taken_on")
		_, err = o.svc.AddMeasurement(ctx, o.head, org.ID, service.MeasurementInput{TakenOn: "2026-11-01", Value: 1}, "", nil)
		wantCode(t, err, isms.CodeForbidden, "")
		d, _ = o.svc.Objective(ctx, o.top, org.ID)
		if len(d.Measurements) != 4 || d.Measurements[0].TakenOn != "2026-08-31" || d.Objective.Latest.Value != 99.6 ||
			d.Objective.State != isms.StateMet || len(d.Measurements[3].Evidence) != 1 {
			t.Fatalf("measured: %d, latest %+v, state %s", len(d.Measurements), d.Objective.Latest, d.Objective.State)
		}
		list, _ := o.svc.Objectives(ctx, o.top, store.ObjectiveFilter{Kind: isms.ObjectiveSecurity})
		if len(list) != 2 || list[0].State != isms.StateMet || list[1].State != isms.StateNoData {
			t.Fatalf("list %+v", list)
		}

		// Changing the target of an approved objective asks for a new
		// approval; changing only the owner does not.
		in := d.Objective
		in.OwnerID = personID(t, o, "author")
		if x, err := o.svc.SaveObjective(ctx, o.author, org.ID, in); err != nil || x.Status != isms.ObjApproved {
			t.Fatalf("owner change: %v %s", err, x.Status)
		}
		in.Target = 99.9
		if x, err := o.svc.SaveObjective(ctx, o.author, org.ID, in); err != nil || x.Status != isms.ObjDraft {
			t.Fatalf("target change: %v %s", err, x.Status)
		}

		// An effectiveness measure of a control, by its key.
		eff, err := o.svc.SaveObjective(ctx, o.author, "", isms.Objective{Kind: isms.ObjectiveEffectiveness,
			Statement: "备份恢复演练成功率", Metric: "成功恢复次数 / 演练次数", Unit: "%", Target: 100, Frequency: "quarterly",
			Control: "ISO27001:2022 A.8.13"})
		if err != nil || eff.Ref != "A.8.13" || eff.FrameworkID == "" {
			t.Fatalf("effectiveness %v %+v", err, eff)
		}
		if e, _ := o.svc.Objective(ctx, o.top, eff.ID); e.Objective.Subject != "ISO27001:2022 A.8.13" {
			t.Fatalf("subject %q", e.Objective.Subject)
		}

		// Its owner, an employee who does not see the SoA, sees and
		// measures it; another employee sees none of it.
		eff.OwnerID = personID(t, o, "emp1")
		if _, err := o.svc.SaveObjective(ctx, o.author, eff.ID, eff); err != nil {
			t.Fatal(err)
		}
		if sub, err := o.svc.SubmitObjective(ctx, o.author, eff.ID); err != nil {
			t.Fatal(err)
		} else if _, err := o.svc.DecideApproval(ctx, o.top, sub.ApprovalID, true, ""); err != nil {
			t.Fatal(err)
		}
		if own, err := o.svc.Objectives(ctx, o.emp1, store.ObjectiveFilter{}); err != nil || len(own) != 1 || own[0].ID != eff.ID {
			t.Fatalf("the owner's list: %v %+v", err, own)
		}
		if e, err := o.svc.Objective(ctx, o.emp1, eff.ID); err != nil || !e.CanMeasure || e.CanEdit {
			t.Fatalf("the owner's view: %v measure=%v edit=%v", err, e.CanMeasure, e.CanEdit)
		}
		if _, err := o.svc.AddMeasurement(ctx, o.emp1, eff.ID, service.MeasurementInput{TakenOn: "2026-10-15", Value: 100}, "", nil); err != nil {
			t.Fatalf("the owner measures: %v", err)
		}
		if none, err := o.svc.Objectives(ctx, o.emp2, store.ObjectiveFilter{}); err != nil || len(none) != 0 {
			t.Fatalf("another employee's list: %v %d", err, len(none))
		}
		_, err = o.svc.Objective(ctx, o.emp2, eff.ID)
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.AddMeasurement(ctx, o.emp2, eff.ID, service.MeasurementInput{TakenOn: "2026-10-15", Value: 1}, "", nil)
		wantCode(t, err, isms.CodeForbidden, "")
		_, err = o.svc.Objective(ctx, o.emp1, org.ID) // not theirs
		wantCode(t, err, isms.CodeForbidden, "")

		// Isolation and the trail.
		other := otherOrgActor(t, o, isms.RoleISMSTeam)
		if _, err := o.svc.Objective(ctx, other, org.ID); !isms.IsNotFound(err) {
			t.Fatalf("other organization read the objective: %v", err)
		}
		if _, err := o.svc.SaveObjective(ctx, other, org.ID, in); !isms.IsNotFound(err) {
			t.Fatalf("other organization changed the objective: %v", err)
		}
		entries, _ := o.svc.ListAudit(ctx, o.auditor(t), isms.AuditFilter{OrgID: o.org.ID, EntityType: "objective",
			EntityID: org.ID, Limit: 50})
		got := map[string]int{}
		for _, e := range entries {
			got[e.Action]++
		}
		if got["objective.create"] != 1 || got["objective.submit"] != 1 || got["objective.approve"] != 1 ||
			got["objective.measure"] != 4 || got["objective.update"] != 1 || got["objective.reopen"] != 1 {
			t.Fatalf("trail %v", got)
		}
	})
}

// An objective that no longer applies is retired with its record; one
// written by mistake and never measured is deleted.
func TestRetireAndDeleteObjectives(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		approve := func(id string) {
			t.Helper()
			sub, err := o.svc.SubmitObjective(ctx, o.author, id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := o.svc.DecideApproval(ctx, o.top, sub.ApprovalID, true, ""); err != nil {
				t.Fatal(err)
			}
		}
		org, err := o.svc.SaveObjective(ctx, o.author, "", isms.Objective{Statement: "全年无重大信息安全事件", Metric: "重大事件数",
			Direction: isms.AtMost, Target: 0, Frequency: "quarterly"})
		if err != nil {
			t.Fatal(err)
		}
		dept, err := o.svc.SaveObjective(ctx, o.author, "", isms.Objective{ParentID: org.ID, DeptID: o.eng.ID, Statement: "工程部无重大事件",
			Metric: "重大事件数", Direction: isms.AtMost, Target: 0, Frequency: "quarterly"})
		if err != nil {
			t.Fatal(err)
		}
		approve(org.ID)
		if _, err := o.svc.AddMeasurement(ctx, o.author, org.ID, service.MeasurementInput{TakenOn: "2026-09-30", Value: 0}, "", nil); err != nil {
			t.Fatal(err)
		}

		// Measured: kept, so it cannot be deleted; a parent waits for its
		// department objectives; a reason is required.
		err = o.svc.DeleteObjective(ctx, o.author, org.ID)
		wantCode(t, err, isms.CodeConflict, "status")
		_, err = o.svc.RetireObjective(ctx, o.author, org.ID, "业务调整")
		wantCode(t, err, isms.CodeConflict, "status")
		_, err = o.svc.RetireObjective(ctx, o.author, dept.ID, " ")
		wantCode(t, err, isms.CodeInvalid, "reason")
		_, err = o.svc.RetireObjective(ctx, o.head, dept.ID, "x")
		wantCode(t, err, isms.CodeForbidden, "")
		if _, err := o.svc.RetireObjective(ctx, o.author, dept.ID, "部门撤并"); err != nil {
			t.Fatal(err)
		}
		r, err := o.svc.RetireObjective(ctx, o.author, org.ID, "业务调整")
		if err != nil || r.Status != isms.ObjRetired {
			t.Fatalf("retire: %v %s", err, r.Status)
		}
		_, err = o.svc.RetireObjective(ctx, o.author, org.ID, "again")
		wantCode(t, err, isms.CodeConflict, "status")

		// Retired: off the lists and the dashboard, not measured, still
		// readable with its measurements.
		if l, _ := o.svc.Objectives(ctx, o.author, store.ObjectiveFilter{}); len(l) != 0 {
			t.Errorf("default list has %d", len(l))
		}
		if l, _ := o.svc.Objectives(ctx, o.author, store.ObjectiveFilter{Status: store.StatusAll}); len(l) != 2 {
			t.Errorf("list with retired has %d", len(l))
		}
		_, err = o.svc.AddMeasurement(ctx, o.author, org.ID, service.MeasurementInput{TakenOn: "2026-10-31", Value: 0}, "", nil)
		wantCode(t, err, isms.CodeConflict, "status")
		if d, err := o.svc.Objective(ctx, o.top, org.ID); err != nil || len(d.Measurements) != 1 || d.CanMeasure {
			t.Fatalf("retired detail %v %d %v", err, len(d.Measurements), d.CanMeasure)
		}
		// A retired objective is no parent; changing it makes a draft.
		_, err = o.svc.SaveObjective(ctx, o.author, "", isms.Objective{ParentID: org.ID, DeptID: o.eng.ID, Statement: "x",
			Metric: "y", Frequency: "monthly"})
		wantCode(t, err, isms.CodeInvalid, "parent_id")
		in := r
		in.Target = 1
		if x, err := o.svc.SaveObjective(ctx, o.author, org.ID, in); err != nil || x.Status != isms.ObjDraft {
			t.Fatalf("changing a retired one: %v %s", err, x.Status)
		}

		// A draft never measured is deleted, with its trail.
		typo, err := o.svc.SaveObjective(ctx, o.author, "", isms.Objective{Statement: "错字", Metric: "m", Frequency: "monthly"})
		if err != nil {
			t.Fatal(err)
		}
		if err := o.svc.DeleteObjective(ctx, o.author, typo.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.Objective(ctx, o.author, typo.ID); !isms.IsNotFound(err) {
			t.Fatalf("deleted objective read: %v", err)
		}
		err = o.svc.DeleteObjective(ctx, o.author, dept.ID) // never measured, retired: may go
		if err != nil {
			t.Fatal(err)
		}
		err = o.svc.DeleteObjective(ctx, otherOrgActor(t, o, isms.RoleISMSTeam), org.ID)
		wantCode(t, err, isms.CodeNotFound, "")
		got := map[string]int{}
		for _, id := range []string{org.ID, typo.ID} {
			entries, _ := o.svc.ListAudit(ctx, o.auditor(t), isms.AuditFilter{OrgID: o.org.ID, EntityType: "objective", EntityID: id, Limit: 50})
			for _, e := range entries {
				got[e.Action]++
			}
		}
		if got["objective.retire"] != 1 || got["objective.reopen"] != 1 || got["objective.delete"] != 1 {
			t.Errorf("trail %v", got)
		}
	})
}

func TestControlsDashboard(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		fw, _ := o.svc.SoAFrameworkID(ctx, o.author)
		x, _ := o.svc.SoA(ctx, o.author, fw)
		decide := func(ref, status string) string {
			id := soaEntry(t, x, ref).Node.ID
			if _, err := o.svc.SaveSoARow(ctx, o.author, id, service.SoARowInput{Applicable: ptr(true),
				Reasons: []string{isms.ReasonRisk}, Status: status}); err != nil {
				t.Fatal(ref, err)
			}
			return id
		}
		decide("A.8.13", isms.ImplImplemented)
		access := decide("A.5.15", isms.ImplImplemented)
		decide("A.5.1", isms.ImplPartial)
		today := x.Today
		// A.5.15 has evidence on its line; A.8.13 through a measure whose
		// evidence expires in ten days.
		if _, err := o.svc.AddSoAEvidence(ctx, o.author, access, service.EvidenceInput{Title: "复核", EffectiveOn: "2026-01-01"},
			"r.pdf", strings.NewReader("r")); err != nil {
			t.Fatal(err)
		}
		backup, err := o.svc.SaveMeasure(ctx, o.author, "", isms.Measure{Title: "备份", Status: isms.ImplImplemented,
			Requirements: service.ParseMeasureRequirements("A.8.13")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.AddMeasureEvidence(ctx, o.author, backup.ID, service.EvidenceInput{Title: "日志", EffectiveOn: "2026-01-01",
			ExpiresOn: isms.AddDays(today, 10)}, "b.log", strings.NewReader("b")); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.SaveMeasure(ctx, o.author, "", isms.Measure{Title: "日志审计", Status: isms.ImplPlanned,
			DueOn: isms.AddDays(today, -1)}); err != nil {
			t.Fatal(err)
		}
		obj, _ := o.svc.SaveObjective(ctx, o.author, "", isms.Objective{Statement: "培训覆盖率", Metric: "参训/在岗", Target: 95,
			Frequency: "quarterly"})
		obj, _ = o.svc.SubmitObjective(ctx, o.author, obj.ID)
		if _, err := o.svc.DecideApproval(ctx, o.top, obj.ApprovalID, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := o.svc.AddMeasurement(ctx, o.author, obj.ID, service.MeasurementInput{TakenOn: today, Value: 80}, "", nil); err != nil {
			t.Fatal(err)
		}

		d, err := o.svc.Controls(ctx, o.top, "zh-CN")
		if err != nil {
			t.Fatal(err)
		}
		if d.Applicable != 3 || d.Implemented != 2 || len(d.NoEvidence) != 1 || d.NoEvidence[0] != "A.5.1" ||
			d.Expiring != 1 || d.OverdueMeasures != 1 || d.States[isms.StateMissed] != 1 || len(d.Attention) != 1 ||
			len(d.Coverage) != 2 {
			t.Fatalf("dashboard %+v", d)
		}
		if _, err := o.svc.Controls(ctx, o.emp1, "zh-CN"); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("an employee read the dashboard: %v", err)
		}
	})
}

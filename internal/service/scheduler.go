package service

import (
	"context"
	"time"

	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/schedule"
	"openisms/internal/store"
)

// SchedulerActor is how the trail names work the scheduler does.
var SchedulerActor = isms.Actor{Username: "scheduler", Via: "system"}

// TickResult counts what one scheduler pass did.
type TickResult struct {
	Generated, Reminded, Escalated int
	Published                      int // approved documents whose effective day came
}

// tickBatch bounds each transaction so a long catch-up never holds the
// writer for long.
const tickBatch = 100

// Tick does everything that has come due by now: it generates the
// occurrences of obligations (one task per obligation and due time — the
// unique key makes a second scheduler's insert a no-op), sends each
// reminder once, gives out the review tasks of legal items and documents,
// publishes approved documents whose effective day has come, and walks
// overdue tasks up their escalation chains. After
// downtime one tick catches up on everything missed, and sends each
// reminder and each escalation step once, not once per missed tick.
func (s *Service) Tick(ctx context.Context, now time.Time) (TickResult, error) {
	var res TickResult
	var synced int // objects whose MLPS duties were brought in step, not reported
	// Passes that say how many they did are full while they fill a batch.
	full := func(batch func(context.Context, time.Time) (int, error)) func() (int, bool, error) {
		return func() (int, bool, error) {
			n, err := batch(ctx, now)
			return n, n == tickBatch, err
		}
	}
	passes := []struct {
		count *int
		batch func() (int, bool, error)
	}{
		{&res.Generated, func() (int, bool, error) { return s.generateBatch(ctx, now) }},
		{&res.Reminded, full(s.remindBatch)},
		{&res.Generated, full(s.legalReviewBatch)},
		{&res.Published, full(s.docPublishBatch)},
		{&res.Generated, full(s.docReviewBatch)},
		{&synced, full(s.mlpsDutyBatch)},
		{&res.Escalated, func() (int, bool, error) { return s.escalateBatch(ctx, now) }},
	}
	for _, p := range passes {
		for more := true; more; {
			var n int
			var err error
			n, more, err = p.batch()
			*p.count += n
			if err != nil {
				return res, err
			}
		}
	}
	return res, nil
}

// zones caches organizations' time zones for one batch.
type zones map[string]*time.Location

func (z zones) of(ctx context.Context, tx *store.Tx, orgID string) (*time.Location, error) {
	if loc, ok := z[orgID]; ok {
		return loc, nil
	}
	org, err := tx.Organization(ctx, orgID)
	if err != nil {
		return nil, err
	}
	z[orgID] = orgLocation(org)
	return z[orgID], nil
}

// insertReviewTask adds a generated task due at 18:00 on an organization's
// calendar day, shown from now on, with its trail entry: the periodic
// reviews of legal items and documents.
func (s *Service) insertReviewTask(ctx context.Context, tx *store.Tx, loc *time.Location, day string, now time.Time, t isms.Task, data map[string]any) error {
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return isms.Internal(err)
	}
	t.ID, t.DueAt, t.GraceDays, t.Status, t.CreatedAt = newID(), isms.Normalize(d.Add(18*time.Hour)), 7, isms.TaskOpen, now
	nt := store.NewTask{Task: t, RemindAt: isms.Normalize(now), Escalation: isms.DefaultEscalation()}
	if _, err := tx.InsertTask(ctx, &nt); err != nil {
		return err
	}
	data["due_at"] = nt.DueAt
	return s.record(ctx, tx, SchedulerActor, audit{OrgID: t.OrgID, Action: "task.generate", EntityType: "task",
		EntityID: nt.ID, Summary: nt.TitleZH, Data: data})
}

func (s *Service) generateBatch(ctx context.Context, now time.Time) (int, bool, error) {
	generated, claimed := 0, 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		obls, until, err := tx.DueObligations(ctx, now, tickBatch)
		if err != nil {
			return err
		}
		claimed = len(obls)
		locs := zones{}
		for i, o := range obls {
			loc, err := locs.of(ctx, tx, o.OrgID)
			if err != nil {
				return err
			}
			// Tasks exist from their reminder time on.
			horizon := now.Add(time.Duration(o.LeadDays) * 24 * time.Hour)
			dues, err := schedule.Between(o.Schedule, loc, until[i], horizon)
			if err != nil {
				return isms.Internal(err)
			}
			for _, due := range dues {
				nt := store.NewTask{Task: isms.Task{ID: newID(), OrgID: o.OrgID, ObligationID: o.ID, TitleZH: o.TitleZH,
					TitleEN: o.TitleEN, DeptID: o.DeptID, AssigneeRole: o.OwnerRole, AssigneeAccount: o.OwnerAccount,
					DueAt: isms.Normalize(due), GraceDays: o.GraceDays, Status: isms.TaskOpen, CreatedAt: now},
					RemindAt: isms.Normalize(due).Add(-time.Duration(o.LeadDays) * 24 * time.Hour), Escalation: o.Escalation}
				inserted, err := tx.InsertTask(ctx, &nt)
				if err != nil {
					return err
				}
				if !inserted {
					continue
				}
				generated++
				if err := s.record(ctx, tx, SchedulerActor, audit{OrgID: o.OrgID, Action: "task.generate", EntityType: "task",
					EntityID: nt.ID, Summary: nt.TitleZH, Data: map[string]any{"obligation_id": o.ID, "due_at": nt.DueAt}}); err != nil {
					return err
				}
			}
			run, err := nextRun(o, loc, horizon)
			if err != nil {
				return isms.Internal(err)
			}
			if err := tx.AdvanceObligation(ctx, o.ID, horizon, run); err != nil {
				return err
			}
		}
		return nil
	})
	return generated, claimed == tickBatch, err
}

// recipients are the accounts a task's notices go to: the named account,
// else the holders of its role.
func recipients(ctx context.Context, tx *store.Tx, orgID, account string, role isms.Role, deptID string) ([]string, error) {
	if account != "" {
		return []string{account}, nil
	}
	if role == isms.RoleDeptHead && deptID != "" {
		head, err := tx.DepartmentHeadAccount(ctx, deptID)
		if err != nil || head != "" {
			return []string{head}, err
		}
	}
	return tx.RoleHolders(ctx, orgID, role)
}

// notify puts a message in each account's inbox and queues its email and
// group-channel deliveries, in the caller's transaction.
func (s *Service) notify(ctx context.Context, tx *store.Tx, t isms.Task, accounts []string, kind, title string) error {
	for _, acct := range accounts {
		n := isms.Notification{ID: newID(), OrgID: t.OrgID, AccountID: acct, Kind: kind, Title: title,
			Body: t.TitleEN, Link: "/tasks/" + t.ID, TaskID: t.ID, CreatedAt: s.clock.Now()}
		if err := tx.CreateNotification(ctx, &n); err != nil {
			return err
		}
	}
	return s.queueOutbound(ctx, tx, t.OrgID, accounts, kind, notify.Message{Subject: title, Text: t.TitleEN, Link: "/tasks/" + t.ID, Kind: kind})
}

func (s *Service) remindBatch(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		tasks, err := tx.DueReminders(ctx, now, tickBatch)
		if err != nil {
			return err
		}
		n = len(tasks)
		for _, t := range tasks {
			to, err := recipients(ctx, tx, t.OrgID, t.AssigneeAccount, t.AssigneeRole, t.DeptID)
			if err != nil {
				return err
			}
			title := "待办提醒：" + t.TitleZH + "（" + t.DueAt.In(displayZone()).Format("2006-01-02 15:04") + " 到期）"
			if err := s.notify(ctx, tx, t, to, "reminder", title); err != nil {
				return err
			}
			if err := s.record(ctx, tx, SchedulerActor, audit{OrgID: t.OrgID, Action: "task.remind", EntityType: "task",
				EntityID: t.ID, Summary: t.TitleZH, Data: map[string]any{"to": to}}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

func (s *Service) escalateBatch(ctx context.Context, now time.Time) (int, bool, error) {
	n, claimed := 0, 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		tasks, chains, err := tx.DueEscalations(ctx, now, tickBatch)
		if err != nil {
			return err
		}
		claimed = len(tasks)
		for i, t := range tasks {
			chain := chains[i]
			level := t.EscalationLevel
			var next *time.Time
			// Every step whose time has come, once each, in order.
			for level < len(chain) {
				at := t.Deadline().Add(time.Duration(chain[level].AfterHours) * time.Hour)
				if !now.After(at) { // escalation comes after the grace period, not at its last instant
					next = &at
					break
				}
				step := chain[level]
				to, err := recipients(ctx, tx, t.OrgID, "", step.Role, t.DeptID)
				if err != nil {
					return err
				}
				if level == 0 { // the assignee hears that the task is overdue
					assignees, err := recipients(ctx, tx, t.OrgID, t.AssigneeAccount, t.AssigneeRole, t.DeptID)
					if err != nil {
						return err
					}
					to = append(to, assignees...)
				}
				title := "逾期升级：" + t.TitleZH + "（应于 " + t.DueAt.In(displayZone()).Format("2006-01-02 15:04") + " 完成）"
				if err := s.notify(ctx, tx, t, dedupe(to), "escalation", title); err != nil {
					return err
				}
				if err := s.record(ctx, tx, SchedulerActor, audit{OrgID: t.OrgID, Action: "task.escalate", EntityType: "task",
					EntityID: t.ID, Summary: t.TitleZH, Data: map[string]any{"level": level + 1, "role": step.Role, "to": to}}); err != nil {
					return err
				}
				level++
				n++
			}
			if err := tx.Escalated(ctx, t.ID, level, next); err != nil {
				return err
			}
		}
		return nil
	})
	return n, claimed == tickBatch, err
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func displayZone() *time.Location {
	loc, _ := time.LoadLocation(isms.DefaultTimeZone)
	return loc
}

// legalReviewLeadDays is how long before a legal item's review date its
// review task appears.
const legalReviewLeadDays = 30

// legalReviewBatch gives the ISMS team a compliance-evaluation task for
// each legal item whose review falls within the lead time; recording the
// evaluation completes it (EvaluateLegal).
func (s *Service) legalReviewBatch(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		by := now.AddDate(0, 0, legalReviewLeadDays).Format(time.DateOnly)
		items, err := tx.DueLegalReviews(ctx, by, tickBatch)
		if err != nil {
			return err
		}
		locs := zones{}
		for _, l := range items {
			loc, err := locs.of(ctx, tx, l.OrgID)
			if err != nil {
				return err
			}
			if err := s.insertReviewTask(ctx, tx, loc, l.NextReview, now, isms.Task{OrgID: l.OrgID,
				TitleZH: "法律法规合规性评价：" + l.Title, TitleEN: "Compliance evaluation: " + l.Title, DeptID: l.OwnerDeptID,
				AssigneeRole: isms.RoleISMSTeam, SourceType: "legal_item", SourceID: l.ID},
				map[string]any{"legal_item_id": l.ID}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

package service_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// The legal register: initial entries loaded once, bad input refused by
// field, an evaluation moves the next review a year on and shows in the
// list; other organizations never see the items.
func TestLegalRegister(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		svc := newService(st) // clock: 2026-11-01
		cli := isms.CLIActor("t")
		org, _ := svc.CreateOrganization(ctx, cli, isms.Organization{Name: "法规单位"})
		other, _ := svc.CreateOrganization(ctx, cli, isms.Organization{Name: "别家"})
		team := actorOf(t, svc, st, org, "lteam", isms.RoleISMSTeam)
		emp := actorOf(t, svc, st, org, "lemp", isms.RoleEmployee)
		outsider := actorOf(t, svc, st, other, "lout", isms.RoleISMSTeam)

		n, err := svc.ApplyDefaultLegal(ctx, team)
		if err != nil || n != 13 {
			t.Fatalf("defaults: %d %v", n, err)
		}
		if n, _ := svc.ApplyDefaultLegal(ctx, team); n != 0 {
			t.Fatalf("defaults again added %d", n)
		}
		items, err := svc.ListLegal(ctx, emp, store.LegalFilter{Kind: "standard"})
		if err != nil || len(items) != 5 {
			t.Fatalf("standards: %d %v", len(items), err)
		}
		found, _ := svc.ListLegal(ctx, emp, store.LegalFilter{Text: "22239"})
		if len(found) != 1 || found[0].EffectiveOn != "2019-12-01" || found[0].NextReview != "2027-11-01" {
			t.Fatalf("search 22239: %+v", found)
		}

		var e *isms.Error
		_, err = svc.CreateLegal(ctx, team, isms.LegalItem{Kind: "treaty", Title: "", IssuedOn: "2026-13-01",
			EffectiveOn: "2020-01-01", Status: "abolished"})
		if !errors.As(err, &e) {
			t.Fatalf("bad item accepted: %v", err)
		}
		got := map[string]bool{}
		for _, f := range e.Fields {
			got[f.Field] = true
		}
		for _, f := range []string{"kind", "title", "issued_on", "abolished_on"} {
			if !got[f] {
				t.Errorf("no problem reported for %s: %v", f, e.Fields)
			}
		}
		if _, err := svc.CreateLegal(ctx, team, isms.LegalItem{Kind: "law", Title: "中华人民共和国密码法"}); isms.ErrorCode(err) != isms.CodeConflict {
			t.Fatalf("duplicate title: %v", err)
		}
		if _, err := svc.CreateLegal(ctx, emp, isms.LegalItem{Kind: "law", Title: "某法"}); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Fatalf("employee creates: %v", err)
		}

		id := found[0].ID
		if _, err := svc.EvaluateLegal(ctx, team, id, isms.LegalEvaluation{EvaluatedOn: "2026-10-20", Result: "partly"}); !errors.As(err, &e) || e.Fields[0].Field != "evidence" {
			t.Fatalf("partly without evidence: %v", err)
		}
		if _, err := svc.EvaluateLegal(ctx, team, id, isms.LegalEvaluation{EvaluatedOn: "2026-10-20", Result: "partly", Evidence: "安全审计日志留存不足六个月"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.EvaluateLegal(ctx, outsider, id, isms.LegalEvaluation{EvaluatedOn: "2026-10-20", Result: "compliant"}); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Fatalf("outsider evaluates: %v", err)
		}
		item, err := svc.LegalItem(ctx, emp, id)
		if err != nil || len(item.Evaluations) != 1 || item.NextReview != "2027-10-20" || item.Evaluations[0].Evaluator != "lteam" {
			t.Fatalf("item after evaluation: %+v %v", item, err)
		}
		due, _ := svc.ListLegal(ctx, emp, store.LegalFilter{DueBy: "2027-10-31"})
		if len(due) != 1 || due[0].LastResult != "partly" || due[0].LastEvaluated != "2026-10-20" {
			t.Fatalf("due by 2027-10-31: %+v", due)
		}
		item.Status, item.AbolishedOn = "abolished", "2026-10-30"
		if _, err := svc.UpdateLegal(ctx, team, id, item); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.LegalItem(ctx, outsider, id); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Fatalf("outsider reads: %v", err)
		}
		if l, _ := svc.ListLegal(ctx, outsider, store.LegalFilter{}); len(l) != 0 {
			t.Fatalf("outsider lists %d", len(l))
		}

		// Review tasks: an item due within 30 days gets one task for the
		// ISMS team; recording the evaluation completes it.
		soon, err := svc.CreateLegal(ctx, team, isms.LegalItem{Kind: "notice", Title: "关于开展年度等级测评的通知", NextReview: "2026-11-20"})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		for i, want := range []int{1, 0} {
			if res, err := svc.Tick(ctx, now); err != nil || res.Generated != want {
				t.Fatalf("tick %d: %+v %v", i, res, err)
			}
		}
		tasks, _ := svc.ListTasks(ctx, team, service.ViewMine, time.Time{}, time.Time{})
		var review isms.Task
		for _, tk := range tasks {
			if tk.SourceID == soon.ID {
				review = tk
			}
		}
		if review.ID == "" || review.AssigneeRole != isms.RoleISMSTeam || review.DueAt.In(shanghai).Format("2006-01-02 15:04") != "2026-11-20 18:00" {
			t.Fatalf("review task: %+v", review)
		}
		if _, err := svc.EvaluateLegal(ctx, team, soon.ID, isms.LegalEvaluation{EvaluatedOn: "2026-11-05", Result: "compliant"}); err != nil {
			t.Fatal(err)
		}
		if tk, _ := svc.Task(ctx, team, review.ID); tk.Status != isms.TaskDone {
			t.Fatalf("review task after evaluation: %s", tk.Status)
		}
		if res, _ := svc.Tick(ctx, now); res.Generated != 0 {
			t.Fatalf("tick after evaluation generated %d", res.Generated)
		}
	})
}

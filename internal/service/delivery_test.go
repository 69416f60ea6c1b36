package service_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// An escalation reaches the inbox, the person's email through a real SMTP
// server on loopback, and a webhook that fails once and is retried.
func TestEscalationDeliveries(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		d := newDuty(t, st)
		ctx := context.Background()
		cli := isms.Actor{OrgID: d.org.ID, Username: "cli:t", Via: "cli"}

		// The management representative is a person with an email address.
		p, err := d.svc.CreatePerson(ctx, cli, isms.Person{OrgID: d.org.ID, Name: "李主任", EmployeeNo: "R1", Email: "rep@example.cn"})
		if err != nil {
			t.Fatal(err)
		}
		pid := p.ID
		if _, err := d.svc.UpdateAccount(ctx, cli, d.rep.AccountID, isms.AccountPatch{PersonID: &pid}); err != nil {
			t.Fatal(err)
		}

		box := testutil.StartMailSink(t)

		var calls atomic.Int32
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				http.Error(w, "try later", http.StatusInternalServerError)
				return
			}
			_, _ = io.WriteString(w, `{"errcode":0}`)
		}))
		defer hook.Close()

		if _, err := d.svc.CreateChannel(ctx, cli, service.NewChannel{Kind: "webhook", Name: "HTTP", Config: notify.Config{URL: "http://example.com/x"}}); isms.ErrorCode(err) != isms.CodeInvalid {
			t.Fatalf("plain-http remote webhook: %v", err)
		}
		if _, err := d.svc.CreateChannel(ctx, cli, service.NewChannel{Kind: "smtp", Name: "邮件", Config: notify.Config{
			Host: box.Host, Port: box.Port, From: "isms@example.cn", TLS: "none"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.svc.CreateChannel(ctx, cli, service.NewChannel{Kind: "dingtalk", Name: "钉钉群", Config: notify.Config{URL: hook.URL + "/robot", Secret: "SECx"}}); err != nil {
			t.Fatal(err)
		}

		d.clock.Advance(time.Hour) // first occurrence
		d.tick(t)
		d.clock.Advance(49 * time.Hour) // past the deadline and the representative's step
		d.tick(t)
		sent, failed, err := d.svc.DeliverDue(ctx, d.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		// Now 4 Nov 10:00: the 2 Nov task is past both steps (head at its
		// 3 Nov deadline, representative a day later) and the 3 Nov task
		// past its first: three escalations → three robot messages, the
		// first failing; one email, to the representative.
		if sent != 3 || failed != 1 {
			t.Fatalf("first pass: sent %d, failed %d", sent, failed)
		}
		if to, _ := box.Received(); len(to) != 1 || !box.To("rep@example.cn", "Subject: =?utf-8?") {
			t.Fatalf("email: %v", to)
		}
		// Not yet due for retry; then due after the backoff.
		if s, f, _ := d.svc.DeliverDue(ctx, d.clock.Now()); s+f != 0 {
			t.Fatalf("retried too early: %d %d", s, f)
		}
		d.clock.Advance(2 * time.Minute)
		if s, f, _ := d.svc.DeliverDue(ctx, d.clock.Now()); s != 1 || f != 0 {
			t.Fatalf("retry: %d %d", s, f)
		}
		log, err := d.svc.ListDeliveries(ctx, cli, "")
		if err != nil {
			t.Fatal(err)
		}
		retried := false
		for _, dl := range log {
			if dl.Status != "sent" {
				t.Errorf("delivery %s: %s %s", dl.ID, dl.Status, dl.LastError)
			}
			retried = retried || dl.Attempts == 2
		}
		if len(log) != 4 || !retried {
			t.Fatalf("delivery log: %+v", log)
		}
	})
}

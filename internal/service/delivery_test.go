package service_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

type inbox struct {
	mu   sync.Mutex
	to   []string
	data []string
}

func (b *inbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &inboxSession{b: b}, nil }

type inboxSession struct{ b *inbox }

func (s *inboxSession) Reset()                               {}
func (s *inboxSession) Logout() error                        { return nil }
func (s *inboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *inboxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.to = append(s.b.to, to)
	return nil
}
func (s *inboxSession) Data(r io.Reader) error {
	d, err := io.ReadAll(r)
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.data = append(s.b.data, string(d))
	return err
}

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

		box := &inbox{}
		srv := smtp.NewServer(box)
		srv.Domain, srv.AllowInsecureAuth = "localhost", true
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = srv.Serve(ln) }()
		defer srv.Close()

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
			Host: "127.0.0.1", Port: ln.Addr().(*net.TCPAddr).Port, From: "isms@example.cn", TLS: "none"}}); err != nil {
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
		if len(box.to) != 1 || box.to[0] != "rep@example.cn" || !strings.Contains(box.data[0], "Subject: =?utf-8?") {
			t.Fatalf("email: %v", box.to)
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

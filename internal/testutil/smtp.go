package testutil

import (
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// MailSink is a real SMTP server (emersion/go-smtp) on loopback that keeps
// every message it receives, for tests of email delivery.
type MailSink struct {
	Host string
	Port int

	mu   sync.Mutex
	to   []string
	msgs []string
}

// StartMailSink runs a MailSink until the test ends.
func StartMailSink(tb testing.TB) *MailSink {
	tb.Helper()
	m := &MailSink{}
	srv := smtp.NewServer(m)
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { srv.Close() })
	m.Host, m.Port = "127.0.0.1", ln.Addr().(*net.TCPAddr).Port
	return m
}

// Received returns the recipients and raw messages so far.
func (m *MailSink) Received() (to, msgs []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.to...), append([]string(nil), m.msgs...)
}

// To reports whether a message went to addr and contains text.
func (m *MailSink) To(addr, text string) bool {
	to, msgs := m.Received()
	for i := range to {
		if to[i] == addr && strings.Contains(msgs[i], text) {
			return true
		}
	}
	return false
}

// NewSession implements smtp.Backend.
func (m *MailSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{m: m}, nil }

type sinkSession struct {
	m  *MailSink
	to string
}

func (s *sinkSession) Reset()                               {}
func (s *sinkSession) Logout() error                        { return nil }
func (s *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	s.m.to = append(s.m.to, s.to)
	s.m.msgs = append(s.m.msgs, string(b))
	return err
}

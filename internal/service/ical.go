package service

import (
	"context"
	"strings"

	"openisms/internal/auth"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// CreateFeed issues the actor's secret calendar URL token, revoking the
// previous one. The token is shown once.
func (s *Service) CreateFeed(ctx context.Context, a isms.Actor) (string, error) {
	secret, err := auth.NewSecret("isms_c_")
	if err != nil {
		return "", isms.Internal(err)
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateFeed(ctx, newID(), a.AccountID, auth.SecretHash(secret), s.clock.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "calendar_feed.create", EntityType: "account",
			EntityID: a.AccountID, Summary: a.Username})
	})
	return secret, err
}

// RevokeFeed ends the actor's calendar URL.
func (s *Service) RevokeFeed(ctx context.Context, a isms.Actor) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.RevokeFeeds(ctx, a.AccountID, s.clock.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "calendar_feed.revoke", EntityType: "account",
			EntityID: a.AccountID, Summary: a.Username})
	})
}

// HasFeed reports whether the actor has a live calendar URL.
func (s *Service) HasFeed(ctx context.Context, a isms.Actor) (bool, error) {
	return s.st.HasFeed(ctx, a.AccountID)
}

// Feed renders the iCalendar (RFC 5545) of a feed's owner: their tasks
// and duties from 30 days back to a year ahead.
func (s *Service) Feed(ctx context.Context, secret string) ([]byte, error) {
	accountID, err := s.st.FeedAccount(ctx, auth.SecretHash(secret))
	if err != nil {
		return nil, err
	}
	acct, err := s.st.Account(ctx, accountID)
	if err != nil || acct.ArchivedAt != nil {
		return nil, isms.NotFound("feed")
	}
	a, err := s.actorFor(ctx, acct, "feed", "")
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	entries, err := s.Calendar(ctx, isms.Actor{AccountID: a.AccountID, OrgID: a.OrgID, Roles: a.Roles, Username: a.Username, Via: "feed"},
		now.AddDate(0, 0, -30), now.AddDate(1, 0, 0))
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	line := func(s string) { b.WriteString(foldLine(s)) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//OpenISMS//Obligations//ZH")
	line("CALSCALE:GREGORIAN")
	line("X-WR-CALNAME:" + icalText("OpenISMS "+acct.Username))
	stamp := now.UTC().Format("20060102T150405Z")
	for _, e := range entries {
		uid := e.ID
		if e.Projected {
			uid = e.ObligationID + "-" + e.DueAt.UTC().Format("20060102T150405Z")
		}
		line("BEGIN:VEVENT")
		line("UID:" + uid + "@openisms")
		line("DTSTAMP:" + stamp)
		line("DTSTART:" + e.DueAt.UTC().Format("20060102T150405Z"))
		line("DURATION:PT30M")
		summary := e.TitleZH
		if e.TitleEN != "" {
			summary += " / " + e.TitleEN
		}
		line("SUMMARY:" + icalText(summary))
		if e.Status == isms.TaskDone || e.Status == isms.TaskSkipped {
			line("STATUS:CANCELLED")
		}
		line("END:VEVENT")
	}
	line("END:VCALENDAR")
	return []byte(b.String()), nil
}

// icalText escapes a TEXT value (RFC 5545 §3.3.11).
func icalText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "").Replace(s)
}

// foldLine ends a content line with CRLF, folding it at 75 octets without
// splitting a UTF-8 character (RFC 5545 §3.1).
func foldLine(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		size := len(string(r))
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
	return b.String()
}

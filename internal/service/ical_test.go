package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func TestCalendarFeed(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		d := newDuty(t, st)
		ctx := context.Background()
		d.clock.Advance(time.Hour)
		d.tick(t)
		secret, err := d.svc.CreateFeed(ctx, d.team)
		if err != nil {
			t.Fatal(err)
		}
		ics, err := d.svc.Feed(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		s := string(ics)
		if !strings.HasPrefix(s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") || !strings.HasSuffix(s, "END:VCALENDAR\r\n") {
			t.Fatalf("envelope: %.120q", s)
		}
		// Today's task and a year of daily duties ahead.
		if n := strings.Count(s, "BEGIN:VEVENT"); n < 360 {
			t.Fatalf("%d events", n)
		}
		if !strings.Contains(s, "SUMMARY:登录日志审查 / Login log review\r\n") || !strings.Contains(s, "DTSTART:20261102T010000Z\r\n") {
			t.Fatalf("event fields: %.600q", s)
		}
		for _, l := range strings.Split(s, "\r\n") {
			if len(l) > 75 {
				t.Fatalf("unfolded line of %d octets: %q", len(l), l)
			}
		}
		// A new URL revokes the old one.
		if _, err := d.svc.CreateFeed(ctx, d.team); err != nil {
			t.Fatal(err)
		}
		if _, err := d.svc.Feed(ctx, secret); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Fatalf("old URL: %v", err)
		}
	})
}

package api_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"openisms/internal/store"
	"openisms/internal/testutil"
)

// The trail listing filters by actor, entity, action and time, pages
// newest first, and the time filter compares instants correctly on both
// engines (SQLite keeps times as text).
func TestAuditListing(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.signedIn("admin", adminPassword)
		t0 := e.clock.Now()
		const step = 20 * time.Minute // within the idle timeout
		var ids []string
		for i := range 5 {
			e.clock.Advance(step)
			r := c.do("POST", "/people", map[string]any{"name": "审计" + strconv.Itoa(i), "employee_no": "A" + strconv.Itoa(i)})
			if r.status != http.StatusCreated {
				t.Fatalf("create: %s", r.raw)
			}
			ids = append(ids, r.str("id"))
		}
		q := func(params string) []map[string]any {
			t.Helper()
			r := c.do("GET", "/audit?"+params, nil)
			if r.status != http.StatusOK {
				t.Fatalf("audit?%s: %d %s", params, r.status, r.raw)
			}
			return r.items()
		}
		if items := q("action=person.create"); len(items) != 5 || items[0]["entity_id"] != ids[4] {
			t.Fatalf("by action, newest first: %v", items)
		}
		if items := q("entity_type=person&entity_id=" + ids[2]); len(items) != 1 {
			t.Fatalf("by entity: %v", items)
		}
		// Steps 2 and 3 after t0 (inclusive start, exclusive end).
		from := url.QueryEscape(t0.Add(2 * step).Format(time.RFC3339Nano))
		to := url.QueryEscape(t0.Add(3*step + time.Minute).Format(time.RFC3339Nano))
		items := q("action=person.create&from=" + from + "&to=" + to)
		if len(items) != 2 || items[0]["entity_id"] != ids[2] || items[1]["entity_id"] != ids[1] {
			t.Fatalf("by time: %v", items)
		}
		// The same range given in Beijing time selects the same entries.
		cst := time.FixedZone("CST", 8*3600)
		from = url.QueryEscape(t0.Add(2 * step).In(cst).Format(time.RFC3339Nano))
		to = url.QueryEscape(t0.Add(3*step + time.Minute).In(cst).Format(time.RFC3339Nano))
		if items := q("action=person.create&from=" + from + "&to=" + to); len(items) != 2 {
			t.Fatalf("by time in +08:00: %v", items)
		}
		// Paging.
		r := c.do("GET", "/audit?action=person.create&limit=2", nil)
		if len(r.items()) != 2 || r.str("next_cursor") == "" {
			t.Fatalf("page 1: %s", r.raw)
		}
		r = c.do("GET", "/audit?action=person.create&limit=2&cursor="+r.str("next_cursor"), nil)
		if len(r.items()) != 2 || r.items()[0]["entity_id"] != ids[2] {
			t.Fatalf("page 2: %s", r.raw)
		}
		if items := q("actor=nobody"); len(items) != 0 {
			t.Fatalf("unknown actor: %v", items)
		}
		if r := c.do("GET", "/audit?from="+url.QueryEscape(t0.Format(time.RFC3339))+"&to="+url.QueryEscape(t0.Add(-time.Hour).Format(time.RFC3339)), nil); r.status != 400 || r.fieldErr("to") == "" {
			t.Fatalf("to before from: %d %s", r.status, r.raw)
		}
	})
}

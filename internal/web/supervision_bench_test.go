package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"openisms/internal/app"
	"openisms/internal/auth"
	"openisms/internal/demo"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// BenchmarkSupervision works on the city demo (`isms demo -size city`): a
// city MLPS body over 20 county bodies over 1,000 enterprises with five
// filed objects each, and a city campaign of four requirements half
// answered. "dashboard" renders the city's dashboard for the campaign
// (kept between requests: target ≤ 50 ms median under 16 clients,
// measured with `isms load`); "dashboard cold" computes it afresh each
// time, as after a change below; "roll-up xlsx" writes the roll-up
// workbook from a fresh cache (target ≤ 2 s); "submissions xlsx" every
// enterprise's liaison registration.
func BenchmarkSupervision(b *testing.B) {
	st := testutil.OpenStore(b, filepath.Join(b.TempDir(), "isms.db"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	newSvc := func(st *store.Store) *service.Service {
		return service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, log)
	}
	svc := newSvc(st)
	ctx := context.Background()
	res, err := demo.Run(ctx, svc, isms.CLIActor("bench"), demo.City, nil)
	if err != nil {
		b.Fatal(err)
	}
	var pw string
	for _, a := range res.Accounts {
		if a.Username == "city-supervisor" {
			pw = a.Password
		}
	}
	in, err := svc.SignIn(ctx, "city-supervisor", pw, "", "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	cookie := &http.Cookie{Name: "isms_session", Value: in.Secret}
	var campaign, liaisonReq string
	if err := st.DB().QueryRowContext(ctx, `SELECT c.id, q.id FROM campaigns c JOIN organizations o ON o.id = c.org_id
		JOIN campaign_requirements q ON q.campaign_id = c.id AND q.type_code = 'liaison'
		WHERE o.name LIKE '重庆市国有%'`).Scan(&campaign, &liaisonReq); err != nil {
		b.Fatal(err)
	}
	get := func(b *testing.B, h http.Handler, path string) string {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: status %d", path, w.Code)
		}
		return w.Body.String()
	}
	h := app.Handler(svc, log)
	b.Run("dashboard", func(b *testing.B) {
		for b.Loop() {
			if body := get(b, h, "/supervision?campaign="+campaign); !strings.Contains(body, "合计（1000 家）") {
				b.Fatal("no totals over the 1,000 enterprises")
			}
		}
	})
	b.Run("dashboard cold", func(b *testing.B) {
		for b.Loop() {
			get(b, app.Handler(newSvc(st), log), "/supervision?campaign="+campaign)
		}
	})
	b.Run("roll-up xlsx", func(b *testing.B) {
		for b.Loop() {
			if body := get(b, app.Handler(newSvc(st), log), "/supervision/export?campaign="+campaign); !strings.HasPrefix(body, "PK") {
				b.Fatal("no workbook")
			}
		}
	})
	b.Run("submissions xlsx", func(b *testing.B) {
		for b.Loop() {
			if body := get(b, h, "/campaigns/"+campaign+"/requirements/"+liaisonReq+"/export"); !strings.HasPrefix(body, "PK") {
				b.Fatal("no workbook")
			}
		}
	})
}

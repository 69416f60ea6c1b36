package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, c := range []struct {
		p    int
		want time.Duration
	}{{50, 50 * time.Millisecond}, {90, 90 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}} {
		if got := Percentile(ds, c.p); got != c.want {
			t.Errorf("p%d = %v, want %v", c.p, got, c.want)
		}
	}
	if got := Percentile([]time.Duration{7}, 99); got != 7 {
		t.Errorf("one sample: %v", got)
	}
	if Percentile(nil, 50) != 0 {
		t.Error("no samples")
	}
}

func TestLoopback(t *testing.T) {
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:8080", "https://127.0.0.2"} {
		if err := Loopback(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1:8080", "http://example.com", "ftp://127.0.0.1", "127.0.0.1:8080"} {
		if Loopback(bad) == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}

// A run signs every client in, sends exactly the requests asked for with
// their session, and counts the answers that are not 200 as errors.
func TestRun(t *testing.T) {
	var signins, pages, bad atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("POST /signin", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("username") != "u" || r.FormValue("password") != "p" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		signins.Add(1)
		http.SetCookie(w, &http.Cookie{Name: "s", Value: "ok", Path: "/"})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("s"); err != nil || c.Value != "ok" {
			bad.Add(1)
			http.Redirect(w, r, "/signin", http.StatusSeeOther)
			return
		}
		pages.Add(1)
		_, _ = w.Write([]byte("page"))
	})
	mux.HandleFunc("GET /broken", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	r, err := Run(context.Background(), Config{Base: srv.URL, Username: "u", Password: "p", Paths: []string{"/page"}, Clients: 4, Requests: 200, Warmup: 2})
	if err != nil {
		t.Fatal(err)
	}
	if signins.Load() != 4 || r.Requests != 200 || pages.Load() != 200+8 || bad.Load() != 0 || r.Errors != 0 {
		t.Fatalf("signins %d, requests %d, pages %d, unauthenticated %d, errors %d", signins.Load(), r.Requests, pages.Load(), bad.Load(), r.Errors)
	}
	if r.P50 <= 0 || r.P50 > r.P90 || r.P90 > r.P99 || r.P99 > r.Max || r.PerPath["/page"].N != 200 {
		t.Fatalf("latencies: %+v", r)
	}
	r, err = Run(context.Background(), Config{Base: srv.URL, Username: "u", Password: "p", Paths: []string{"/page", "/broken"}, Clients: 2, Requests: 10})
	if err != nil {
		t.Fatal(err)
	}
	if r.Errors != 5 || r.FirstError == "" {
		t.Fatalf("errors %d (%q), want 5", r.Errors, r.FirstError)
	}
	if _, err := Run(context.Background(), Config{Base: srv.URL, Username: "u", Password: "wrong", Paths: []string{"/page"}, Requests: 1}); err == nil {
		t.Fatal("a failed sign-in ran")
	}
}

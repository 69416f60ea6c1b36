// Package app wires the program together: it opens and migrates the store,
// builds the service and the HTTP surfaces, and runs the server until it is
// told to stop. It holds no business rules.
package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"openisms/internal/api"
	"openisms/internal/auth"
	"openisms/internal/blob"
	"openisms/internal/config"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/web"
)

// Logger builds the process logger from the configuration.
func Logger(cfg config.Config) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// OpenStore opens the database and applies pending migrations. A failed
// migration is an error naming it; a schema newer than the program is
// refused.
func OpenStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	for _, m := range applied {
		log.Info("migration applied", "file", m)
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// Handler is the whole HTTP surface: health probes, the API and the pages.
func Handler(svc *service.Service, log *slog.Logger) http.Handler {
	h, _ := NewHandler(svc, log, false)
	return h
}

// NewHandler builds the HTTP surface and returns the web UI too, so the
// server can arm its setup link.
func NewHandler(svc *service.Service, log *slog.Logger, demo bool) (http.Handler, *web.Web) {
	ui, err := web.New(svc, log)
	if err != nil {
		panic(err) // templates are embedded: a parse error is a build defect, caught by tests
	}
	ui.Demo = demo
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := svc.Store().Ping(ctx); err != nil {
			log.WarnContext(ctx, "not ready: database", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		if err := svc.Store().CheckSchema(ctx); err != nil {
			log.WarnContext(ctx, "not ready: schema", "err", err)
			http.Error(w, "database schema not current", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.Handle(api.Prefix+"/", api.New(svc, log))
	mux.Handle("/", ui)
	// Browsers send Sec-Fetch-Site/Origin; state-changing cross-origin
	// requests are refused. Programs without those headers are unaffected.
	csrf := http.NewCrossOriginProtection()
	return logRequests(log, csrf.Handler(mux)), ui
}

// logRequests gives each request an ID and logs it once when done.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		next.ServeHTTP(rec, r)
		log.InfoContext(r.Context(), "request", "request_id", id, "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "duration_ms", time.Since(start).Milliseconds())
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// NewService builds the service with production settings; attachments
// are kept under dataDir/blobs.
func NewService(st *store.Store, log *slog.Logger, dataDir string) *service.Service {
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.DefaultParams}, log)
	svc.SetBlobs(blob.Local{Dir: filepath.Join(dataDir, "blobs")})
	return svc
}

// Serve runs the HTTP server on ln until ctx is cancelled, then shuts down
// gracefully: no new connections, in-flight requests get 15 seconds. On an
// empty database it prints a one-time setup link to out.
func Serve(ctx context.Context, ln net.Listener, svc *service.Service, log *slog.Logger, demo bool, out io.Writer) error {
	h, ui := NewHandler(svc, log, demo)
	if need, err := svc.NeedsSetup(ctx); err != nil {
		return err
	} else if need {
		var b [16]byte
		_, _ = rand.Read(b[:])
		token := hex.EncodeToString(b[:])
		ui.SetSetupToken(token)
		fmt.Fprintf(out, "First run: open http://%s/setup?token=%s to set up OpenISMS (the link works once).\n", ln.Addr(), token)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go sweepSessions(ctx, svc, log)
	go runScheduler(ctx, svc, log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("serving", "addr", ln.Addr().String(), "engine", svc.Store().Engine)
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// sweepSessions deletes expired sessions every ten minutes.
func sweepSessions(ctx context.Context, svc *service.Service, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := svc.Store().DeleteExpiredSessions(ctx, svc.Clock().Now()); err != nil {
				log.Warn("session sweep failed", "err", err)
			} else if n > 0 {
				log.Debug("expired sessions removed", "count", n)
			}
		}
	}
}

// runScheduler ticks once a minute: generate due occurrences, send
// reminders, escalate overdue tasks. Several instances may run it on one
// PostgreSQL: claims are row locks taken with SKIP LOCKED, and occurrences
// have a unique key.
func runScheduler(ctx context.Context, svc *service.Service, log *slog.Logger) {
	tick := func() {
		res, err := svc.Tick(ctx, svc.Clock().Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("scheduler tick failed", "err", err)
		case res != (service.TickResult{}):
			log.Info("scheduler", "generated", res.Generated, "reminded", res.Reminded, "escalated", res.Escalated)
		}
		sent, failed, err := svc.DeliverDue(ctx, svc.Clock().Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("deliveries failed", "err", err)
		case sent+failed > 0:
			log.Info("deliveries", "sent", sent, "failed", failed)
		}
	}
	tick() // catch up at once after downtime
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tick()
		}
	}
}

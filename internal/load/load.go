// Package load drives a running OpenISMS server the way its users do —
// signed in, many at once, page after page — and measures how fast it
// answers. It is the project's one way of measuring HTTP speed: `isms
// load` runs it against a server on this machine.
package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

// Config is one run.
type Config struct {
	Base     string   // the server, e.g. http://127.0.0.1:8080
	Username string   // signs in with these (each client its own session)
	Password string   //
	Paths    []string // requested in turn by every client
	Clients  int      // concurrent clients
	Duration time.Duration
	Requests int // stop after this many requests in all (0: run for Duration)
	Warmup   int // requests per client before measuring
}

// Report is what a run measured.
type Report struct {
	Requests   int
	Errors     int // transport errors and answers other than 200
	FirstError string
	Elapsed    time.Duration
	Throughput float64 // requests per second
	P50, P90   time.Duration
	P99, Max   time.Duration
	PerPath    map[string]Stats
}

// Stats are one path's latencies.
type Stats struct {
	N             int
	P50, P99, Max time.Duration
}

// Loopback refuses a base URL that leaves this machine: the tool is for
// measuring one's own server, never for loading someone else's.
func Loopback(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("-url %q: want http://127.0.0.1:PORT", base)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-url %q: only loopback addresses (127.0.0.1, ::1, localhost) may be loaded", base)
}

// Run signs each client in, warms up, then sends requests until the
// duration or the request count is reached.
func Run(ctx context.Context, c Config) (Report, error) {
	if err := Loopback(c.Base); err != nil {
		return Report{}, err
	}
	if len(c.Paths) == 0 {
		return Report{}, errors.New("no paths to request")
	}
	if c.Clients < 1 {
		c.Clients = 1
	}
	if c.Duration <= 0 && c.Requests <= 0 {
		c.Duration = 10 * time.Second
	}
	base := strings.TrimRight(c.Base, "/")
	transport := &http.Transport{MaxIdleConnsPerHost: c.Clients, MaxConnsPerHost: c.Clients, DisableCompression: true}
	defer transport.CloseIdleConnections()
	clients := make([]*http.Client, c.Clients)
	for i := range clients {
		jar, _ := cookiejar.New(nil)
		clients[i] = &http.Client{Jar: jar, Transport: transport, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		if err := signIn(ctx, clients[i], base, c.Username, c.Password); err != nil {
			return Report{}, err
		}
		for j := range c.Warmup {
			if _, err := get(ctx, clients[i], base+c.Paths[j%len(c.Paths)]); err != nil {
				return Report{}, err
			}
		}
	}

	type sample struct {
		path int
		d    time.Duration
	}
	var (
		mu       sync.Mutex
		samples  []sample
		errs     atomic.Int64
		firstErr atomic.Value
		sent     atomic.Int64
		wg       sync.WaitGroup
	)
	runCtx := ctx
	if c.Duration > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, c.Duration)
		defer cancel()
	}
	start := time.Now()
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]sample, 0, 1024)
			for k := i; runCtx.Err() == nil; k++ {
				if c.Requests > 0 && sent.Add(1) > int64(c.Requests) {
					break
				}
				p := k % len(c.Paths)
				t0 := time.Now()
				status, err := get(runCtx, cl, base+c.Paths[p])
				d := time.Since(t0)
				if runCtx.Err() != nil && err != nil {
					break // the run ended during this request
				}
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("GET %s: status %d", c.Paths[p], status)
				}
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				local = append(local, sample{p, d})
			}
			mu.Lock()
			samples = append(samples, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	r := Report{Requests: len(samples), Errors: int(errs.Load()), Elapsed: elapsed, PerPath: map[string]Stats{}}
	if s, ok := firstErr.Load().(string); ok {
		r.FirstError = s
	}
	if elapsed > 0 {
		r.Throughput = float64(len(samples)) / elapsed.Seconds()
	}
	all := make([]time.Duration, len(samples))
	byPath := make([][]time.Duration, len(c.Paths))
	for i, s := range samples {
		all[i] = s.d
		byPath[s.path] = append(byPath[s.path], s.d)
	}
	slices.Sort(all)
	r.P50, r.P90, r.P99 = Percentile(all, 50), Percentile(all, 90), Percentile(all, 99)
	if len(all) > 0 {
		r.Max = all[len(all)-1]
	}
	for i, ds := range byPath {
		slices.Sort(ds)
		st := Stats{N: len(ds), P50: Percentile(ds, 50), P99: Percentile(ds, 99)}
		if len(ds) > 0 {
			st.Max = ds[len(ds)-1]
		}
		r.PerPath[c.Paths[i]] = st
	}
	return r, nil
}

// Percentile is the nearest-rank percentile of sorted durations.
func Percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 · n)
	return sorted[min(len(sorted), max(1, rank))-1]
}

func signIn(ctx context.Context, cl *http.Client, base, user, password string) error {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/signin",
		strings.NewReader(url.Values{"username": {user}, "password": {password}}.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := cl.Do(req)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		return fmt.Errorf("sign in as %s: status %d → %q (wrong password, or the account must change it or enrol TOTP first)",
			user, res.StatusCode, res.Header.Get("Location"))
	}
	return nil
}

func get(ctx context.Context, cl *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return 0, err
	}
	res, err := cl.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, err
}

// Print writes the report as a small table.
func (r Report) Print(w io.Writer, paths []string) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "requests %d in %.1fs: %.0f req/s, errors %d\n", r.Requests, r.Elapsed.Seconds(), r.Throughput, r.Errors)
	if r.FirstError != "" {
		fmt.Fprintf(w, "first error: %s\n", r.FirstError)
	}
	fmt.Fprintf(w, "latency p50 %s  p90 %s  p99 %s  max %s\n", ms(r.P50), ms(r.P90), ms(r.P99), ms(r.Max))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PATH\tN\tP50\tP99\tMAX")
	for _, p := range paths {
		s := r.PerPath[p]
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", p, s.N, ms(s.P50), ms(s.P99), ms(s.Max))
	}
	tw.Flush()
}

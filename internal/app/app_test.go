package app_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"openisms/internal/app"
	"openisms/internal/auth"
	"openisms/internal/config"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func testService(t testing.TB, dsn string) *service.Service {
	t.Helper()
	st, err := app.OpenStore(context.Background(), config.Config{DB: dsn}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, quiet)
}

// TestCrashChild is the child of TestCrashRecovery: it creates people in a
// loop and prints each ID once its transaction has committed.
func TestCrashChild(t *testing.T) {
	dsn, org := os.Getenv("ISMS_CRASH_DSN"), os.Getenv("ISMS_CRASH_ORG")
	if dsn == "" {
		t.Skip("child of TestCrashRecovery")
	}
	svc := testService(t, dsn)
	a := isms.CLIActor("crash")
	for i := 0; ; i++ {
		p, err := svc.CreatePerson(context.Background(), a, isms.Person{OrgID: org, Name: "崩溃测试", EmployeeNo: fmt.Sprintf("C%07d", i)})
		if err != nil {
			fmt.Println("error", err)
			os.Exit(3)
		}
		fmt.Println("ack", p.ID)
	}
}

// A process killed with SIGKILL mid-write loses nothing it acknowledged,
// and the trail still verifies after restart.
func TestCrashRecovery(t *testing.T) {
	for _, e := range testutil.Engines {
		t.Run(e.Name, func(t *testing.T) {
			dsn := e.DSN(t)
			svc := testService(t, dsn)
			org, err := svc.CreateOrganization(context.Background(), isms.CLIActor("test"), isms.Organization{Name: "崩溃测试单位"})
			if err != nil {
				t.Fatal(err)
			}
			svc.Store().Close()

			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "ISMS_CRASH_DSN="+dsn, "ISMS_CRASH_ORG="+org.ID)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var acked []string
			sc := bufio.NewScanner(out)
			deadline := time.Now().Add(20 * time.Second)
			for sc.Scan() {
				line := sc.Text()
				if id, ok := strings.CutPrefix(line, "ack "); ok {
					acked = append(acked, id)
				} else if strings.HasPrefix(line, "error") {
					t.Fatalf("child: %s", line)
				}
				if len(acked) >= 150 || time.Now().After(deadline) {
					break
				}
			}
			_ = cmd.Process.Signal(syscall.SIGKILL)
			_, _ = io.Copy(io.Discard, out)
			_ = cmd.Wait()
			if len(acked) < 20 {
				t.Fatalf("child acknowledged only %d records", len(acked))
			}

			// Restart: open (and migrate) as the server would.
			svc = testService(t, dsn)
			for _, id := range acked {
				if _, err := svc.Store().Person(context.Background(), id); err != nil {
					t.Fatalf("acknowledged person %s lost: %v", id, err)
				}
			}
			res, err := svc.VerifyAudit(context.Background())
			if err != nil || res.Break != nil {
				t.Fatalf("verify after crash: %+v %v", res, err)
			}
			if res.Count < int64(len(acked))+1 {
				t.Fatalf("trail has %d entries for %d acknowledged records", res.Count, len(acked))
			}
		})
	}
}

// The whole app on a real port: health, readiness, sign-in, a write, and a
// graceful stop.
func TestServeEndToEnd(t *testing.T) {
	for _, e := range testutil.Engines {
		t.Run(e.Name, func(t *testing.T) {
			svc := testService(t, e.DSN(t))
			ctx := context.Background()
			a := isms.CLIActor("test")
			org, err := svc.CreateOrganization(ctx, a, isms.Organization{Name: "端到端测试单位"})
			if err != nil {
				t.Fatal(err)
			}
			acct, _, err := svc.CreateAccount(ctx, a, service.NewAccount{OrgID: org.ID, Username: "e2e",
				Password: "Round-trip-2026", KeepPassword: true})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.GrantRole(ctx, a, acct.ID, isms.RoleISMSTeam); err != nil {
				t.Fatal(err)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			runCtx, stop := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- app.Serve(runCtx, ln, svc, quiet, false, io.Discard) }()
			base := "http://" + ln.Addr().String()

			for _, p := range []string{"/healthz", "/readyz"} {
				res, err := http.Get(base + p)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != 200 {
					t.Fatalf("%s: %d", p, res.StatusCode)
				}
			}
			res, err := http.Post(base+"/api/v1/session", "application/json",
				strings.NewReader(`{"username":"e2e","password":"Round-trip-2026"}`))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 201 || len(res.Cookies()) == 0 {
				t.Fatalf("sign in: %d", res.StatusCode)
			}
			req, _ := http.NewRequest("POST", base+"/api/v1/people", strings.NewReader(`{"name":"端到端","employee_no":"E1"}`))
			req.Header.Set("Content-Type", "application/json")
			req.AddCookie(res.Cookies()[0])
			res, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 201 {
				t.Fatalf("create person: %d", res.StatusCode)
			}
			// A browser's cross-site POST is refused.
			req, _ = http.NewRequest("POST", base+"/api/v1/people", strings.NewReader(`{"name":"x","employee_no":"E2"}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			req.AddCookie(res.Request.Cookies()[0])
			res, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Fatalf("cross-site POST: %d", res.StatusCode)
			}

			stop()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("serve returned %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("server did not stop")
			}
		})
	}
}

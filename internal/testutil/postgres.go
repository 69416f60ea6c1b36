// Package testutil gives tests real parts: a SQLite file in a temp dir, a
// PostgreSQL server the tests start themselves, and helpers to run one test
// on both engines. It is imported only from _test files.
package testutil

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// pgServer is one PostgreSQL server for the whole test binary.
type pgServer struct {
	dir     string // temp dir with data/ and the socket
	baseDSN string // without database name
	cred    *syscall.Credential
	bin     string
	err     error // why PostgreSQL is unavailable
}

var (
	pgOnce sync.Once
	pg     *pgServer
	dbSeq  atomic.Int64
)

// RequirePostgres reports whether a missing PostgreSQL is a failure.
func RequirePostgres() bool { return os.Getenv("ISMS_REQUIRE_POSTGRES") == "1" }

func findPGBin() string {
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		return filepath.Dir(p)
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	if len(matches) > 0 {
		return filepath.Dir(matches[len(matches)-1])
	}
	return ""
}

func startPostgres() *pgServer {
	s := &pgServer{}
	if dsn := os.Getenv("ISMS_TEST_PG_DSN"); dsn != "" {
		s.baseDSN = dsn
		return s
	}
	s.bin = findPGBin()
	if s.bin == "" {
		s.err = fmt.Errorf("initdb and pg_ctl not found on PATH or under /usr/lib/postgresql")
		return s
	}
	dir, err := os.MkdirTemp("", "isms-pg-")
	if err != nil {
		s.err = err
		return s
	}
	s.dir = dir
	// PostgreSQL refuses to run as root: run it as the postgres user.
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			s.err = fmt.Errorf("running as root and no postgres user to run PostgreSQL as: %w", err)
			return s
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		s.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			s.err = err
			return s
		}
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8",
		"--locale=C.UTF-8", "--no-sync"); err != nil {
		s.err = fmt.Errorf("initdb: %v: %s", err, out)
		return s
	}
	opts := fmt.Sprintf("-k %s -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", dir)
	if out, err := s.run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		s.err = fmt.Errorf("pg_ctl start: %v: %s %s", err, out, log)
		return s
	}
	s.baseDSN = "postgres://postgres@/postgres?host=" + dir + "&sslmode=disable"
	return s
}

func (s *pgServer) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	}
	return cmd.CombinedOutput()
}

func (s *pgServer) stop() {
	if s == nil || s.dir == "" || s.bin == "" {
		return
	}
	_, _ = s.run("pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	_ = os.RemoveAll(s.dir)
}

// Main runs a package's tests and stops the PostgreSQL server afterwards.
// Use it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if pg != nil {
		pg.stop()
	}
	os.Exit(code)
}

// PostgresDSN creates a fresh, empty database for one test and returns
// its DSN. It skips the test (or fails it under ISMS_REQUIRE_POSTGRES=1)
// when no PostgreSQL can be had.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	pgOnce.Do(func() { pg = startPostgres() })
	if pg.err != nil {
		if RequirePostgres() {
			tb.Fatalf("PostgreSQL required (ISMS_REQUIRE_POSTGRES=1) but unavailable: %v", pg.err)
		}
		tb.Skipf("PostgreSQL unavailable, skipping: %v", pg.err)
	}
	admin, err := sql.Open("pgx", pg.baseDSN)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	name := fmt.Sprintf("isms_test_%d_%d", os.Getpid(), dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	return replaceDBName(pg.baseDSN, name)
}

// replaceDBName swaps the database in a postgres:// URL.
func replaceDBName(dsn, name string) string {
	scheme := strings.Index(dsn, "://") + 3
	slash := strings.Index(dsn[scheme:], "/")
	if slash < 0 {
		return dsn + "/" + name
	}
	rest := dsn[scheme+slash+1:]
	q := ""
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		q = rest[i:]
	}
	return dsn[:scheme+slash+1] + name + q
}

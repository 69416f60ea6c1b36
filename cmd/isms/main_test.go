package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelp(t *testing.T) {
	code, out, _ := runCLI(t, "", "help")
	if code != 0 {
		t.Fatalf("help exit %d", code)
	}
	for _, want := range []string{"serve", "migrate", "user", "token", "audit", "demo", "version", "ISMS_ADDR", "ISMS_DB", "ISMS_DATA_DIR"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %s", want)
		}
	}
	code, _, errOut := runCLI(t, "", "serve", "-h")
	if code != 0 || !strings.Contains(errOut, "-addr") || !strings.Contains(errOut, "ISMS_ADDR") {
		t.Fatalf("serve -h: %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "frobnicate"); code != 2 {
		t.Fatalf("unknown command exit %d", code)
	}
	if code, out, _ := runCLI(t, "", "version"); code != 0 || !strings.HasPrefix(out, "isms ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestCLIWorkflow(t *testing.T) {
	db := filepath.Join(t.TempDir(), "isms.db")
	code, out, errOut := runCLI(t, "", "demo", "-db", db)
	if code != 0 {
		t.Fatalf("demo: %d %s %s", code, out, errOut)
	}
	if !regexp.MustCompile(`security_admin +security-admin +\S{16}\n`).MatchString(out) {
		t.Fatalf("demo output: %q", out)
	}
	// The demo refuses a database that has data.
	if code, _, errOut := runCLI(t, "", "demo", "-db", db); code != 1 || !strings.Contains(errOut, "empty") {
		t.Fatalf("second demo: %d %s", code, errOut)
	}
	code, out, _ = runCLI(t, "", "user", "list", "-db", db)
	if code != 0 || !strings.Contains(out, "security-admin") || !strings.Contains(out, "演示-top_manager") {
		t.Fatalf("user list: %d %s", code, out)
	}
	orgID := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f-]{27}`).FindString(out)

	code, out, errOut = runCLI(t, "Ops-team-2026\n", "user", "add", "-db", db, "-org", orgID, "-username", "yunwei", "-name", "运维", "-password-stdin")
	if code != 0 || strings.Contains(out, "password:") {
		t.Fatalf("user add: %d %s %s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "weak\n", "user", "add", "-db", db, "-org", orgID, "-username", "weak1", "-password-stdin")
	if code != 1 || !strings.Contains(errOut, "password:") || !strings.Contains(errOut, "密码至少") {
		t.Fatalf("weak password: %d %s", code, errOut)
	}
	code, out, _ = runCLI(t, "", "user", "passwd", "-db", db, "yunwei")
	if code != 0 || !regexp.MustCompile(`password: \S{16}`).MatchString(out) {
		t.Fatalf("passwd: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "token", "create", "-db", db, "-user", "yunwei", "-name", "监控", "-days", "30")
	if code != 0 || !strings.Contains(out, "isms_t_") {
		t.Fatalf("token create: %d %s", code, out)
	}
	tokenID := regexp.MustCompile(`token ([0-9a-f-]{36})`).FindStringSubmatch(out)[1]
	if code, out, _ := runCLI(t, "", "token", "revoke", "-db", db, tokenID); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("token revoke: %d %s", code, out)
	}
	if code, _, _ := runCLI(t, "", "user", "disable", "-db", db, "yunwei"); code != 0 {
		t.Fatalf("disable: %d", code)
	}
	code, out, _ = runCLI(t, "", "user", "list", "-db", db, "-status", "archived")
	if code != 0 || !strings.Contains(out, "yunwei") || !strings.Contains(out, "disabled") {
		t.Fatalf("disabled list: %s", out)
	}

	code, out, _ = runCLI(t, "", "audit", "verify", "-db", db)
	if code != 0 || !regexp.MustCompile(`^ok: \d+ entries, head [0-9a-f]{64}`).MatchString(out) {
		t.Fatalf("verify: %d %s", code, out)
	}
	// Tamper: verify exits 1 naming the entry.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"DROP TRIGGER audit_log_no_update", "UPDATE audit_log SET summary = 'forged' WHERE seq = 42"} {
		if _, err := raw.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	code, out, _ = runCLI(t, "", "audit", "verify", "-db", db)
	if code != 1 || !strings.Contains(out, "BROKEN at entry 42") {
		t.Fatalf("verify after tampering: %d %s", code, out)
	}
}

// init -template sets an organization up in one step; template export
// writes what apply reads; an unknown template is named in the error.
func TestCLITemplate(t *testing.T) {
	db := filepath.Join(t.TempDir(), "isms.db")
	code, out, errOut := runCLI(t, "", "init", "-db", db, "-org", "种子单位", "-template", "iso27001-seed")
	if code != 0 || !strings.Contains(out, "template iso27001-seed: 5 departments, 50 matrix rows, 196 marks, 58 documents, 25 record types, 7 profile entries") {
		t.Fatalf("init: %d %s %s", code, out, errOut)
	}
	orgID := regexp.MustCompile(`\(([0-9a-f-]{36})\)`).FindStringSubmatch(out)[1]
	if code, out, _ := runCLI(t, "", "template", "apply", "-db", db, "-org", orgID, "-name", "iso27001-seed"); code != 0 ||
		!strings.Contains(out, "added 0 departments, 0 matrix rows, 0 marks, 0 documents, 0 record types, 0 profile entries") {
		t.Fatalf("re-apply: %d %s", code, out)
	}
	code, out, _ = runCLI(t, "", "template", "export", "-db", db, "-org", orgID, "-name", "集团标准")
	if code != 0 || !strings.Contains(out, "name: 集团标准") || strings.Count(out, "- key:") != 55 || // 50 matrix rows, 5 ISMS roles
		!strings.Contains(out, "policy_zh: 切实推行安全管理") || !strings.Contains(out, "document: XX-B-03") {
		t.Fatalf("export: %d %.400s", code, out)
	}
	if code, _, errOut := runCLI(t, "", "template", "apply", "-db", db, "-org", orgID, "-name", "nope"); code != 1 || !strings.Contains(errOut, "iso27001-seed") {
		t.Fatalf("unknown template: %d %s", code, errOut)
	}
	if code, out, _ := runCLI(t, "", "template", "list"); code != 0 || !strings.Contains(out, "iso27001\t") {
		t.Fatalf("list: %d %s", code, out)
	}
}

func TestCLIFramework(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "isms.db")
	code, out, errOut := runCLI(t, "", "init", "-db", db, "-org", "框架单位")
	if code != 0 {
		t.Fatalf("init: %d %s %s", code, out, errOut)
	}
	orgID := regexp.MustCompile(`\(([0-9a-f-]{36})\)`).FindStringSubmatch(out)[1]
	file := filepath.Join(dir, "own.csv")
	if err := os.WriteFile(file, []byte("ref,parent,title_zh\nG,,总则\nG.1,G,第一条\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, "", "framework", "import", "-db", db, "-org", orgID, "-code", "OWN", file); code != 0 ||
		!strings.Contains(out, "OWN : 2 nodes (2 assessable); added 2, changed 0, removed 0") {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, "", "framework", "list", "-db", db, "-org", orgID); code != 0 ||
		!strings.Contains(out, "ISO27001:2022\t2022\tbuiltin\t139 nodes\t123 assessable") || !strings.Contains(out, "OWN\t\tcsv\t2 nodes") {
		t.Fatalf("list: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "framework", "export", "-db", db, "-org", orgID, "OWN"); code != 0 ||
		!strings.Contains(out, "G.1,G,第一条,,true") {
		t.Fatalf("export: %d %s", code, out)
	}
	// Without an organization nothing is imported.
	if code, _, errOut := runCLI(t, "", "framework", "import", "-db", db, "-code", "X", file); code == 0 {
		t.Fatalf("import without -org: %d %s", code, errOut)
	}
}

package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// A duty that asks for a file cannot be completed without one; the file
// goes up as multipart, comes back byte for byte, and only to those who
// may see the task.
func TestEvidenceFiles(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		e.makeAccount(e.root.ID, "team1", "Team-pw-2026x", isms.RoleISMSTeam)
		e.makeAccount(e.root.ID, "clerk1", "Clerk-pw-2026x", isms.RoleEmployee)
		admin := e.signedIn("admin", adminPassword)
		r := admin.do("POST", "/obligations", map[string]any{"title_zh": "审计报告", "owner_role": "isms_team", "evidence": "attachment", "escalation": []any{},
			"schedule": map[string]any{"frequency": "monthly", "start": e.clock.Now().In(shanghaiLoc()).Format("2006-01-02"),
				"time_of_day": e.clock.Now().Add(time.Minute).In(shanghaiLoc()).Format("15:04")}})
		if r.status != http.StatusCreated {
			t.Fatalf("duty: %s", r.raw)
		}
		e.clock.Advance(2 * time.Minute)
		if _, err := e.svc.Tick(t.Context(), e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		team := e.signedIn("team1", "Team-pw-2026x")
		r = team.do("GET", "/tasks?view=mine", nil)
		if len(r.items()) != 1 {
			t.Fatalf("my tasks: %s", r.raw)
		}
		id := r.items()[0]["id"].(string)
		if r := team.do("POST", "/tasks/"+id+"/complete", map[string]string{"evidence": "见附件"}); r.status != 400 || r.fieldErr("file") == "" {
			t.Fatalf("complete without the file: %d %s", r.status, r.raw)
		}
		if r := team.upload("/tasks/"+id+"/attachments", "../../etc/月报.pdf", ""); r.status != 400 {
			t.Fatalf("empty file: %d %s", r.status, r.raw)
		}
		r = team.upload("/tasks/"+id+"/attachments", "../../etc/月报.txt", "十一月审计日志分析")
		if r.status != http.StatusCreated || r.str("filename") != "月报.txt" || r.str("sha256") == "" {
			t.Fatalf("upload: %d %s", r.status, r.raw)
		}
		attID := r.str("id")
		if r := team.upload("/tasks/"+id+"/attachments", "big.bin", strings.Repeat("x", 20<<20+1)); r.status != 400 && r.status != 413 {
			t.Fatalf("too large: %d", r.status)
		}
		r = team.do("GET", "/attachments/"+attID, nil)
		if r.status != 200 || r.raw != "十一月审计日志分析" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %q %v", r.status, r.raw, r.header)
		}
		clerk := e.signedIn("clerk1", "Clerk-pw-2026x")
		if r := clerk.do("GET", "/attachments/"+attID, nil); r.status != http.StatusNotFound {
			t.Fatalf("someone else: %d", r.status)
		}
		if r := team.do("POST", "/tasks/"+id+"/complete", map[string]string{"evidence": "见附件"}); r.status != 200 {
			t.Fatalf("complete: %d %s", r.status, r.raw)
		}
		if got := strings.Join(e.actions(id), ","); !strings.Contains(got, "task.attach,task.complete") {
			t.Fatalf("trail: %s", got)
		}
	})
}

func shanghaiLoc() *time.Location {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return loc
}

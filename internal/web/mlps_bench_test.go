package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"openisms/internal/app"
	"openisms/internal/auth"
	"openisms/internal/blob"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// BenchmarkMLPS works on an organization with 200 grading objects: each
// graded (levels 2 to 4 in turn) through expert review, half of them
// filed with a certificate, a quarter with a re-grading in progress.
// "overview" renders the MLPS register (target ≤ 20 ms median); the
// "self-assessment page" a level-3 self-assessment of 211 answered items
// with evidence counts (target ≤ 20 ms); the
// filing-form runs fill a filed object's 2025 form as the print page and
// as the Word document (target ≤ 200 ms each).
func BenchmarkMLPS(b *testing.B) {
	st := testutil.OpenStore(b, filepath.Join(b.TempDir(), "isms.db"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, log)
	svc.SetBlobs(blob.Local{Dir: b.TempDir()})
	ctx := context.Background()
	cli := isms.CLIActor("bench")
	res, err := svc.Bootstrap(ctx, cli, service.BootstrapInput{Organization: isms.Organization{Name: "等保基准"}, Mode: service.BootstrapOwner,
		Usernames: map[isms.Role]string{isms.RoleOwner: "owner1"}, Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true})
	if err != nil {
		b.Fatal(err)
	}
	org := res.Organization.ID
	team := isms.Actor{OrgID: org, Username: "cli:bench", Via: "cli"}
	day := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	degrees := []string{isms.DegreeSerious, isms.DegreeExtreme, isms.DegreeGeneral}
	objects := []string{isms.HarmCitizen, isms.HarmSocial, isms.HarmNational}
	var filedGrading, filedObject string
	for i := range 200 {
		o, err := svc.SaveMLPSObject(ctx, team, "", isms.MLPSObject{Name: fmt.Sprintf("业务系统 %03d", i), Code: fmt.Sprintf("XT-%03d", i),
			Type: isms.MLPSInfoSystem, Tech: []string{"cloud"}, LiveOn: "2025-01-01", BusinessType: "office"})
		if err != nil {
			b.Fatal(err)
		}
		g, err := svc.StartGrading(ctx, team, o.ID, "2020", "")
		if err != nil {
			b.Fatal(err)
		}
		// citizen/serious → 2, social/extreme → 4, national/general → 3.
		t := isms.HarmTick{Dimension: isms.DimBusiness, Object: objects[i%3], Degree: degrees[i%3], Justification: "基准"}
		a := isms.HarmTick{Dimension: isms.DimService, Object: isms.HarmCitizen, Degree: isms.DegreeSerious, Justification: "基准"}
		if _, err := svc.SaveGrading(ctx, team, g.ID, service.GradingInput{Ticks: []isms.HarmTick{t, a}}); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.SubmitGrading(ctx, team, g.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.RecordExpertReview(ctx, team, g.ID, isms.ExpertReview{Experts: "专家", On: day, Conclusion: isms.ReviewAgree}); err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			filedGrading, filedObject = g.ID, o.ID
			f, err := svc.SubmitFiling(ctx, team, g.ID, isms.Filing{Bureau: "公安局", SubmittedOn: day, Template: isms.Form2025})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.DecideFiling(ctx, team, f.ID, isms.FilingOutcome{Outcome: isms.FilingAccepted, DecidedOn: day}); err != nil {
				b.Fatal(err)
			}
			if _, err := svc.RecordCertificate(ctx, team, f.ID, isms.Certificate{Number: fmt.Sprintf("BA-%03d", i), IssuedOn: day}); err != nil {
				b.Fatal(err)
			}
		}
		if i%4 == 1 {
			if _, err := svc.StartGrading(ctx, team, o.ID, "2025", "2025 年模板重新备案"); err != nil {
				b.Fatal(err)
			}
		}
	}
	// A level-3 self-assessment of a filed object: 211 items, all
	// answered, one in four with a file of evidence.
	sx, err := svc.StartSelfAssessment(ctx, team, filedObject, isms.SelfAssessment{Level: 3})
	if err != nil {
		b.Fatal(err)
	}
	detail, err := svc.SelfAssessment(ctx, team, sx.ID)
	if err != nil {
		b.Fatal(err)
	}
	var answers []isms.SelfCheckInput
	for i, c := range detail.Checks {
		answers = append(answers, isms.SelfCheckInput{Ref: c.Ref, Result: isms.SelfResults[i%3], Note: "基准说明"})
		if i%4 == 0 {
			if _, err := svc.AddMLPSEvidence(ctx, team, isms.EvidenceSelfCheck, c.ID, service.EvidenceInput{Title: "证据"},
				"e.txt", strings.NewReader("证据")); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := svc.RecordSelfChecks(ctx, team, sx.ID, answers); err != nil {
		b.Fatal(err)
	}
	rules, _ := svc.SecuritySettings(ctx, cli, org)
	rules.RequireAdminTOTP = false
	if _, err := svc.UpdateSecuritySettings(ctx, cli, org, rules); err != nil {
		b.Fatal(err)
	}
	in, err := svc.SignIn(ctx, "owner1", pw, "", "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	h, cookie := app.Handler(svc, log), &http.Cookie{Name: "isms_session", Value: in.Secret}
	get := func(b *testing.B, path string) string {
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatalf("%s: status %d", path, w.Code)
		}
		return w.Body.String()
	}
	b.Run("overview", func(b *testing.B) {
		for b.Loop() {
			if body := get(b, "/mlps"); strings.Count(body, `href="/mlps/0`) < 200 {
				b.Fatal("not every object is listed")
			}
		}
	})
	b.Run("self-assessment page", func(b *testing.B) {
		for b.Loop() {
			if body := get(b, "/self-assessments/"+sx.ID); strings.Count(body, `<tr id="i-`) != 211 {
				b.Fatal("not every item is listed")
			}
		}
	})
	b.Run("filing form page", func(b *testing.B) {
		for b.Loop() {
			if body := get(b, "/gradings/"+filedGrading+"/form"); !strings.Contains(body, "网络安全等级保护备案表") {
				b.Fatal("no form")
			}
		}
	})
	b.Run("filing form docx", func(b *testing.B) {
		for b.Loop() {
			if body := get(b, "/gradings/"+filedGrading+"/form.docx"); !strings.HasPrefix(body, "PK") {
				b.Fatal("no document")
			}
		}
	})
}

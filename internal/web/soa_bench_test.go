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

	"openisms/internal/app"
	"openisms/internal/auth"
	"openisms/internal/blob"
	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/testutil"
)

// soaBench is an organization whose SoA on ISO/IEC 27001:2022 is filled:
// 93 lines, each applicable with two document links, an asset link and
// two items of evidence, and an approved version.
type soaBench struct {
	h      http.Handler
	cookie *http.Cookie
	fw     string
}

func newSoABench(b *testing.B) soaBench {
	st := testutil.OpenStore(b, filepath.Join(b.TempDir(), "isms.db"))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := service.New(st, isms.SystemClock{}, auth.Hasher{P: auth.TestParams}, log)
	svc.SetBlobs(blob.Local{Dir: b.TempDir()})
	ctx := context.Background()
	cli := isms.CLIActor("bench")
	res, err := svc.Bootstrap(ctx, cli, service.BootstrapInput{Organization: isms.Organization{Name: "适用性声明基准"}, Mode: service.BootstrapOwner,
		Passwords: map[isms.Role]string{isms.RoleOwner: pw}, KeepPasswords: true})
	if err != nil {
		b.Fatal(err)
	}
	org := res.Organization.ID
	actors := map[isms.Role]isms.Actor{}
	for user, role := range map[string]isms.Role{"member": isms.RoleISMSTeam, "boss": isms.RoleTopManager} {
		a, _, err := svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: org, Username: user, Password: pw, KeepPassword: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.GrantRole(ctx, cli, a.ID, role); err != nil {
			b.Fatal(err)
		}
		actors[role] = isms.Actor{AccountID: a.ID, OrgID: org, Username: user, Via: "session", Roles: []isms.Role{role}}
	}
	team := actors[isms.RoleISMSTeam]
	var codes []string
	for i := range 20 {
		d, err := svc.CreateDocument(ctx, team, service.DocInput{Document: isms.Document{Code: fmt.Sprintf("XX-B-%02d", i),
			Title: fmt.Sprintf("程序文件 %d", i), Type: isms.DocProcedure}, Body: "正文"})
		if err != nil {
			b.Fatal(err)
		}
		codes = append(codes, d.Code)
	}
	if _, err := svc.CreateAsset(ctx, team, isms.Asset{Code: "SRV-01", Name: "应用服务器", Type: "hardware", C: 3, I: 3, A: 3}); err != nil {
		b.Fatal(err)
	}
	fw, err := svc.SoAFrameworkID(ctx, team)
	if err != nil {
		b.Fatal(err)
	}
	x, err := svc.SoA(ctx, team, fw)
	if err != nil {
		b.Fatal(err)
	}
	yes := true
	for i, e := range x.Entries {
		if _, err := svc.SaveSoARow(ctx, team, e.Node.ID, service.SoARowInput{Applicable: &yes,
			Reasons: []string{isms.ReasonRisk, isms.ReasonLegal}, Status: isms.ImplImplemented,
			Implementation: strings.Repeat("按程序文件执行并保留记录。", 5), Documents: []string{codes[i%20], codes[(i+1)%20]},
			Assets: []string{"SRV-01"}}); err != nil {
			b.Fatal(err)
		}
		for j := range 2 {
			if _, err := svc.AddSoAEvidence(ctx, team, e.Node.ID, service.EvidenceInput{Title: fmt.Sprintf("证据 %d", j),
				EffectiveOn: "2026-01-01", ExpiresOn: "2027-12-31"}, "e.pdf", strings.NewReader(fmt.Sprint(i, j))); err != nil {
				b.Fatal(err)
			}
		}
	}
	v, err := svc.SubmitSoA(ctx, team, fw, "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.DecideApproval(ctx, actors[isms.RoleTopManager], v.ApprovalID, true, ""); err != nil {
		b.Fatal(err)
	}
	in, err := svc.SignIn(ctx, "member", pw, "", "127.0.0.1", "bench")
	if err != nil {
		b.Fatal(err)
	}
	return soaBench{h: app.Handler(svc, log), cookie: &http.Cookie{Name: "isms_session", Value: in.Secret}, fw: fw}
}

func (s soaBench) get(b *testing.B, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.AddCookie(s.cookie)
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("%s: status %d", path, w.Code)
	}
	return w
}

// BenchmarkSoAPage renders the working copy (93 lines with links and
// evidence counts). Target ≤ 15 ms median.
func BenchmarkSoAPage(b *testing.B) {
	s := newSoABench(b)
	for b.Loop() {
		w := s.get(b, "/soa/"+s.fw)
		if n := strings.Count(w.Body.String(), `/soa">A.`); n != 93 {
			b.Fatalf("%d lines", n)
		}
	}
}

// BenchmarkSoAExport writes the approved version as a workbook. Target
// ≤ 300 ms.
func BenchmarkSoAExport(b *testing.B) {
	s := newSoABench(b)
	for b.Loop() {
		if w := s.get(b, "/soa/"+s.fw+"/export"); w.Body.Len() < 10_000 {
			b.Fatalf("%d bytes", w.Body.Len())
		}
	}
}

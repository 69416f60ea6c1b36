package web_test

import (
	"context"
	"html"
	"net/url"
	"os"
	"strings"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func TestFrameworkPages(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st)
		b := s.signIn("w-isms-team")
		status, body := b.get("/frameworks", "zh-CN")
		if status != 200 || !strings.Contains(body, "ISO27001:2022") || !strings.Contains(body, "ISO27001:2013") {
			t.Fatalf("list: %d", status)
		}
		if u := untranslated.FindString(stripTags(body)); u != "" {
			t.Errorf("untranslated %s", u)
		}
		iso22 := isms.Framework{ID: frameworkID(t, s, "ISO27001:2022")}
		// The tree marks titles without Chinese; a search narrows it.
		status, body = b.get("/frameworks/"+iso22.ID+"?q=A.5.1", "zh-CN")
		if status != 200 || !strings.Contains(body, "Policies for information security") || !strings.Contains(body, "缺中文") {
			t.Fatalf("tree: %d", status)
		}
		if strings.Contains(stripTags(body), "A.8.8") {
			t.Error("the search did not narrow the tree")
		}
		// A CSV upload imports a framework; a broken one lists its problems.
		status, body = b.upload("/frameworks/import", "bad.csv", []byte("ref,parent,title_en\nX.1,X.9,One\n"))
		if status != 400 || !strings.Contains(body, "node X.1 parent") || !strings.Contains(body, "上级 X.9 不存在") {
			t.Fatalf("bad import: %d %s", status, stripTags(body))
		}
		data, err := os.ReadFile(testutil.SharedFile(t, "testdata/ciso-assistant/cisa-cpg-2.0.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		status, body = b.upload("/frameworks/import", "cisa-cpg-2.0.yaml", data)
		if status != 200 || !strings.Contains(body, "已导入 CISA-CPG-2.0（40 个条目）") || !strings.Contains(body, "参考控制 37 · 威胁 16") {
			t.Fatalf("import: %d %s", status, stripTags(body))
		}
		// Its threats and reference controls have their own tabs and pages.
		cpg := frameworkID(t, s, "CISA-CPG-2.0")
		status, body = b.get("/frameworks/"+cpg+"?tab=threat&q=governance", "zh-CN")
		if status != 200 || !strings.Contains(body, "Insufficient Cybersecurity Governance") || strings.Contains(body, "T.02") ||
			!strings.Contains(body, `?tab=reference_control">参考控制`) {
			t.Fatalf("threats tab: %d %s", status, stripTags(body))
		}
		status, body = b.get("/frameworks/"+cpg+"?tab=reference_control&q=RC.01", "zh-CN")
		if status != 200 || !strings.Contains(body, "Cybersecurity Roles and Responsibilities Policy") || !strings.Contains(body, "govern") {
			t.Fatalf("controls tab: %d %s", status, stripTags(body))
		}
		rc := between(body, `<a href="/library/`, `"`)
		status, body = b.get("/library/"+rc, "zh-CN")
		if status != 200 || !strings.Contains(body, "urn:intuitem:risk:function:cisa-cpg-2.0:rc-01") || !strings.Contains(body, ">1.A<") {
			t.Fatalf("reference control: %d %s", status, stripTags(body))
		}
		if u := untranslated.FindString(stripTags(body)); u != "" {
			t.Errorf("untranslated %s", u)
		}
		// "New measure from this" fills in its name and the requirements naming it.
		link := html.UnescapeString(between(body, `id="measure-from-control" href="`, `"`))
		status, body = b.get(link, "zh-CN")
		if status != 200 || !strings.Contains(body, "CISA-CPG-2.0 1.A") || !strings.Contains(body, `value="Cybersecurity Roles and Responsibilities Policy"`) {
			t.Fatalf("measure from control %s: %d %s", link, status, stripTags(body))
		}
		_, body = b.get("/frameworks/"+cpg+"?q=1.A", "zh-CN")
		req1A := between(body, `<a href="/requirements/`, `"`)
		status, body = b.get("/requirements/"+req1A, "zh-CN")
		if status != 200 || !strings.Contains(body, `id="requirement-library"`) || !strings.Contains(body, "Insufficient Cybersecurity Governance") ||
			!strings.Contains(body, "/library/"+rc) {
			t.Fatalf("1.A: %d %s", status, stripTags(body))
		}
		// A requirement's page shows its mappings; an own title is kept.
		status, body = b.get("/frameworks/"+iso22.ID+"?q=A.8.8", "zh-CN")
		i := strings.Index(body, `href="/requirements/`)
		if status != 200 || i < 0 {
			t.Fatalf("A.8.8: %d", status)
		}
		id := body[i+len(`href="/requirements/`):]
		id = id[:strings.Index(id, `"`)]
		status, body = b.get("/requirements/"+id, "zh-CN")
		if status != 200 || !strings.Contains(body, "A.12.6.1") || !strings.Contains(body, "A.18.2.3") {
			t.Fatalf("requirement: %d", status)
		}
		status, body, _ = b.post("/requirements/"+id+"/title", url.Values{"title_zh": {"技术脆弱性管理"}})
		if status != 200 || !strings.Contains(body, "技术脆弱性管理") {
			t.Fatalf("own title: %d", status)
		}
		// The export downloads the tree in the import's columns.
		status, body = b.get("/frameworks/"+iso22.ID+"/export?format=csv", "zh-CN")
		if status != 200 || !strings.HasPrefix(body, "ref,parent,title_zh,title_en") || !strings.Contains(body, "A.8.34") {
			t.Fatalf("export: %d", status)
		}
		// An employee sees none of it.
		if status, _ := s.signIn("w-employee").get("/frameworks", "zh-CN"); status != 403 {
			t.Errorf("employee: %d", status)
		}
	})
}

func frameworkID(t *testing.T, s *site, code string) string {
	t.Helper()
	fs, err := s.svc.Frameworks(context.Background(), isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Code == code {
			return f.ID
		}
	}
	t.Fatalf("no framework %s", code)
	return ""
}

// between returns the text after the first start up to end.
func between(body, start, end string) string {
	i := strings.Index(body, start)
	if i < 0 {
		return ""
	}
	body = body[i+len(start):]
	return body[:strings.Index(body, end)]
}

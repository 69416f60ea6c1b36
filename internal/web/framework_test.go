package web_test

import (
	"context"
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
		fs, err := s.svc.Frameworks(context.Background(), isms.Actor{OrgID: s.root.ID, Username: "cli:t", Via: "cli"})
		if err != nil {
			t.Fatal(err)
		}
		var iso22 isms.Framework
		for _, f := range fs {
			if f.Code == "ISO27001:2022" {
				iso22 = f
			}
		}
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
		if status != 200 || !strings.Contains(body, "已导入 CISA-CPG-2.0（40 个条目）") {
			t.Fatalf("import: %d %s", status, stripTags(body))
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

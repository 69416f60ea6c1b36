package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"openisms/internal/isms"
)

// Every message the code can produce must exist in both catalogs, and the
// catalogs must hold the same IDs.
func TestCatalogsCoverCode(t *testing.T) {
	patterns := []*regexp.Regexp{
		regexp.MustCompile(`\bM\("([a-z_]+\.[a-z_.]+)"`),
		regexp.MustCompile(`\.Add\([^,()]+, "([a-z_]+\.[a-z_.]+)"`),
		regexp.MustCompile(`return "(credit_code\.[a-z_]+)"`),
		regexp.MustCompile(`"([a-z]+\.[a-z_]+_taken)"`),
		regexp.MustCompile(`msg\(\w+, "([a-z_]+\.[a-z_.]+)"`),
	}
	// Entity names of "not found" errors are translated too (entity.*).
	entities := []*regexp.Regexp{
		regexp.MustCompile(`NotFound\("([a-z_]+)"\)`),
		regexp.MustCompile(`notFound\(err, "([a-z_]+)"\)`),
		regexp.MustCompile(`one\(\w+, err, "([a-z_]+)"\)`),
		regexp.MustCompile(`mustAffect\(\w+, err, "([a-z_]+)"\)`),
	}
	used := map[string]bool{}
	root := filepath.Join("..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range patterns {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				used[m[1]] = true
			}
		}
		for _, re := range entities {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				used["entity."+m[1]] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 40 {
		t.Fatalf("found only %d message IDs in the code; the scan is broken", len(used))
	}
	var missing []string
	for id := range used {
		for _, lang := range []string{ZH, EN} {
			if !Has(lang, id) {
				missing = append(missing, lang+": "+id)
			}
		}
	}
	for _, id := range IDs(ZH) {
		if !Has(EN, id) {
			missing = append(missing, "en lacks "+id)
		}
	}
	for _, id := range IDs(EN) {
		if !Has(ZH, id) {
			missing = append(missing, "zh-CN lacks "+id)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("missing translations:\n%s", strings.Join(missing, "\n"))
	}
}

func TestTranslate(t *testing.T) {
	until := time.Date(2026, 3, 1, 2, 30, 0, 0, time.UTC)
	cases := []struct {
		lang string
		msg  isms.Msg
		want string
	}{
		{ZH, isms.M("field.too_long", "max", 100), "不能超过 100 个字符。"},
		{EN, isms.M("field.too_long", "max", 100), "must be at most 100 characters."},
		{EN, isms.M("error.not_found", "entity", "person"), "The person does not exist or you may not see it."},
		{ZH, isms.M("error.not_found", "entity", "person"), "人员不存在或无权访问。"},
		{ZH, isms.M("auth.locked", "until", until), "连续登录失败次数过多，账号已锁定至 2026-03-01 10:30 (UTC+08:00)。"},
		{"fr", isms.M("field.required"), "必填。"},
		{EN, isms.M("no.such_id"), "no.such_id"},
	}
	for _, c := range cases {
		if got := T(c.lang, c.msg); got != c.want {
			t.Errorf("T(%s, %s) = %q, want %q", c.lang, c.msg.ID, got, c.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	cases := map[string]string{
		"":                        ZH,
		"en":                      EN,
		"en-US,en;q=0.9":          EN,
		"zh-CN,zh;q=0.9,en;q=0.8": ZH,
		"en;q=0.5,zh-TW;q=0.6":    ZH,
		"de-DE,en;q=0.7":          EN,
		"fr":                      ZH,
		"en;q=garbage,zh;q=0.1":   ZH,
	}
	for header, want := range cases {
		if got := Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", header, got, want)
		}
	}
}

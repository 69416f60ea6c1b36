// Package i18n translates the domain's messages (isms.Msg) into zh-CN, the
// default, and English. Catalogs are embedded JSON files, one per language,
// mapping a message ID to a text with {name} placeholders.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"openisms/internal/isms"
)

// Languages.
const (
	ZH = "zh-CN"
	EN = "en"
)

//go:embed catalogs/*.json
var files embed.FS

var catalogs = map[string]map[string]string{}

func init() {
	for _, lang := range []string{ZH, EN} {
		b, err := files.ReadFile("catalogs/" + lang + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: catalog %s: %v", lang, err))
		}
		catalogs[lang] = m
	}
}

// Has reports whether lang's catalog has id.
func Has(lang, id string) bool { _, ok := catalogs[lang][id]; return ok }

// IDs returns every message ID of lang's catalog.
func IDs(lang string) []string {
	out := make([]string, 0, len(catalogs[lang]))
	for id := range catalogs[lang] {
		out = append(out, id)
	}
	return out
}

// displayZone is where times in messages are shown. Organization-specific
// zones come with the UI; messages use the installation's default.
var displayZone, _ = time.LoadLocation(isms.DefaultTimeZone)

// T translates m into lang, falling back to zh-CN and then to the ID.
// Arguments named "entity", "role"/"held" and "action" are codes whose
// names are themselves in the catalogs ("entity.person",
// "role_name.top_manager", "action_name.audit.view"); an argument that is
// itself a message is translated in place.
func T(lang string, m isms.Msg) string {
	text, ok := catalogs[lang][m.ID]
	if !ok {
		if text, ok = catalogs[ZH][m.ID]; !ok {
			return m.ID
		}
	}
	if len(m.Args) == 0 {
		return text
	}
	pairs := make([]string, 0, len(m.Args)*2)
	for k, v := range m.Args {
		pairs = append(pairs, "{"+k+"}", format(lang, k, v))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

func format(lang, key string, v any) string {
	switch x := v.(type) {
	case isms.Msg: // a rule inside a message, e.g. an import cell's problem
		return T(lang, x)
	case time.Time:
		return x.In(displayZone).Format("2006-01-02 15:04 (UTC-07:00)")
	case string:
		switch key {
		case "entity":
			return T(lang, isms.Msg{ID: "entity." + x})
		case "role", "held":
			return T(lang, isms.Msg{ID: "role_name." + x})
		case "action":
			return T(lang, isms.Msg{ID: "action_name." + x})
		}
		return x
	}
	return fmt.Sprint(v)
}

// Negotiate picks a language from an Accept-Language header: English when
// English is preferred over Chinese, otherwise zh-CN.
func Negotiate(header string) string {
	bestLang, bestQ := ZH, -1.0
	for _, part := range strings.Split(header, ",") {
		tag, q := strings.TrimSpace(part), 1.0
		if i := strings.Index(tag, ";"); i >= 0 {
			if _, err := fmt.Sscanf(strings.TrimSpace(tag[i+1:]), "q=%g", &q); err != nil {
				q = 0
			}
			tag = strings.TrimSpace(tag[:i])
		}
		tag = strings.ToLower(tag)
		var lang string
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			lang = ZH
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			lang = EN
		default:
			continue
		}
		if q > bestQ {
			bestLang, bestQ = lang, q
		}
	}
	return bestLang
}

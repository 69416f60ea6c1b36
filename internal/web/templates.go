package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"openisms/internal/i18n"
	"openisms/internal/isms"
)

// displayZone is where times are shown until organizations' own zones are
// used by the pages.
var displayZone, _ = time.LoadLocation(isms.DefaultTimeZone)

var funcs = template.FuncMap{
	// t translates a key: {{t $.Lang "ui.people.title"}}, with optional
	// name/value pairs for the placeholders.
	"t": func(lang, key string, kv ...any) string { return i18n.T(lang, isms.M(key, kv...)) },
	"role": func(lang string, r isms.Role) string {
		return i18n.T(lang, isms.M("role_name."+string(r)))
	},
	"when": func(t any) string {
		switch x := t.(type) {
		case time.Time:
			if x.IsZero() {
				return ""
			}
			return x.In(displayZone).Format("2006-01-02 15:04")
		case *time.Time:
			if x == nil {
				return ""
			}
			return x.In(displayZone).Format("2006-01-02 15:04")
		}
		return ""
	},
	"query": func(kv ...string) template.URL {
		var b strings.Builder
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(template.URLQueryEscaper(kv[i]) + "=" + template.URLQueryEscaper(kv[i+1]))
		}
		return template.URL(b.String())
	},
	"eq2": func(a, b any) bool { return fmt.Sprint(a) == fmt.Sprint(b) },
	// percent prints n of total as a whole percentage.
	"percent": func(n, total int) string {
		if total == 0 {
			return ""
		}
		return fmt.Sprintf("%d%%", (n*100+total/2)/total)
	},
	// diffValue prints a value of an SoA comparison in the reader's
	// language: applicability and status by name, reasons by their names.
	"diffValue": func(lang, field, v string) string {
		name := func(kind, v string) string { key := "ui.soa." + kind + v; return i18n.T(lang, isms.M(key)) }
		switch {
		case v == "":
			return "—"
		case field == "applicable":
			return name("app_", v)
		case field == "status":
			return name("impl_", v)
		case field == "reasons":
			parts := strings.Split(v, ",")
			for i, p := range parts {
				parts[i] = name("reason_", p)
			}
			return strings.Join(parts, "、")
		}
		return v
	},
	// day prints a moment's day in the display zone.
	"day": func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(displayZone).Format(time.DateOnly)
	},
	"list": func(s ...string) []string { return s },
	// seq is 1 … n, for choices such as distances along links.
	// subStatus shows a submission's status as a badge, with "late"
	// beside it when it is owed after its due day.
	"subStatus": func(lang string, x isms.Submission, today string) template.HTML {
		if x.ID == "" {
			return ""
		}
		class := map[string]string{isms.SubPending: "muted", isms.SubDraft: "muted", isms.SubReturned: "warn", isms.SubAccepted: "ok"}[x.Status]
		out := `<span class="badge ` + class + `">` + template.HTMLEscapeString(i18n.T(lang, isms.M(subStatusKeys[x.Status]))) + `</span>`
		if x.Status == isms.SubSubmitted && len(x.Chain) > 1 {
			out += ` <span class="hint">` + template.HTMLEscapeString(i18n.T(lang, isms.M("ui.sub.level_n", "n", x.Level+1))) + `</span>`
		}
		if x.Late(today) {
			out += ` <span class="badge err">` + template.HTMLEscapeString(i18n.T(lang, isms.M("ui.sub.late"))) + `</span>`
		}
		return template.HTML(out)
	},
	"subField": subField,
	// reached reports whether a submission has reached a body of its
	// review chain, which may then open it.
	"reached": func(x isms.Submission, body string) bool {
		i := slices.Index(x.Chain, body)
		return i >= 0 && i <= x.Reached
	},
	"subCell":  subCell,
	"hasFiles": hasFiles,
	"history":  submissionHistory,
	"bytes": func(n int64) string {
		switch {
		case n >= 1<<20:
			return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
		case n >= 1<<10:
			return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
		}
		return fmt.Sprintf("%d B", n)
	},
	"seq": func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	},
	// opt names a value of an MLPS option list ("type", "tech", …) in
	// the reader's language: the message "mlps.opt.LIST.VALUE".
	"opt": func(lang, list string, v any) string { return i18n.T(lang, isms.M(MLPSOptKey(list, fmt.Sprint(v)))) },
	// inList reports whether v is among vs (a comma list or a slice).
	"inList": func(vs any, v string) bool {
		switch x := vs.(type) {
		case []string:
			return slices.Contains(x, v)
		case string:
			return slices.Contains(strings.Split(x, ","), v)
		}
		return false
	},
	// sel passes a page into the MLPS select partial: the field's name,
	// its option list's name, the options and the value chosen.
	"sel": func(p page, name, list string, options []string, value string) map[string]any {
		return map[string]any{"P": p, "Name": name, "List": list, "Options": options, "Value": value}
	},
	// techVal prints a technology field's value, its choices by name.
	"techVal": func(lang, key, v string) string { return techValue(lang, key, v) },
	"inc":     func(i int) int { return i + 1 },
	// fcell passes a page into the filing-form cell partial with the cell
	// and whether blank cells are editable.
	"fcell": func(p page, c isms.FormCell, edit bool) map[string]any {
		return map[string]any{"P": p, "C": c, "Edit": edit}
	},
	// dueDay prints a due time's day in the display zone.
	"dueDay": func(t time.Time) string { return t.In(displayZone).Format(time.DateOnly) },
	// evalc passes the language along with an evaluation into its
	// conclusion and findings partials.
	"evalc": func(lang string, e isms.Evaluation) map[string]any { return map[string]any{"Lang": lang, "E": e} },
	// gstat passes the language along with a grading into its status badge.
	"gstat": func(lang string, g any) map[string]any { return map[string]any{"Lang": lang, "G": g} },
	// lineField names a problem of a numbered line: "data_categories #2 name".
	"lineField": func(prefix string, i int, name string) string { return fmt.Sprintf("%s #%d %s", prefix, i+1, name) },
	"join":      strings.Join,
	// setting reads a security setting by its JSON name.
	"setting": func(s isms.SecuritySettings, name string) int {
		return map[string]int{
			"password_min_length": s.PasswordMinLength, "password_min_classes": s.PasswordMinClasses,
			"password_max_age_days": s.PasswordMaxAgeDays, "admin_password_max_age_days": s.AdminPasswordMaxAge,
			"lockout_threshold": s.LockoutThreshold, "lockout_minutes": s.LockoutMinutes,
			"session_idle_minutes": s.SessionIdleMinutes, "session_absolute_hours": s.SessionAbsoluteHours,
		}[name]
	},
	// tasks passes the language along with a task list into a template.
	"tasks": func(lang string, ts []isms.Task) map[string]any { return map[string]any{"Lang": lang, "Tasks": ts} },
	// form2 passes a page into the obligation form partial with its target
	// and button.
	// who shows an account by its label (Service.AccountLabels), or the
	// stored name as it is (the console's "cli:…", the scheduler).
	"who": func(labels map[string]string, id string) string {
		if l := labels[id]; l != "" {
			return l
		}
		return id
	},
	// evalform passes a page into the evaluation form with the agencies
	// to choose from, where it posts, its button and its element id.
	"evalform": func(p page, agencies []isms.Agency, action, submit, id string) map[string]any {
		return map[string]any{"P": p, "Agencies": agencies, "Action": action, "Submit": submit, "ID": id}
	},
	"form2": func(p page, action, submit string) map[string]any {
		return map[string]any{"P": p, "Action": action, "Submit": submit}
	},
	// evidence passes a page into the evidence partial with the items,
	// the day their state is for, whether the reader may add and remove,
	// and the URL items are added at (removed at base/ID/delete).
	"evidence": func(p page, items []isms.Evidence, today string, can bool, base string) map[string]any {
		return map[string]any{"P": p, "Items": items, "Today": today, "CanManage": can, "Base": base}
	},
	// fmtValue prints a measured value without trailing zeros.
	"fmtValue": isms.FormatValue,
	// objState passes the language along with an objective into the
	// state badge.
	"objState": func(lang string, o isms.Objective) map[string]any { return map[string]any{"Lang": lang, "O": o} },
	// dict2 passes the language along with nodes into a recursive template.
	"dict2": func(lang string, nodes []*orgNode) map[string]any {
		return map[string]any{"Lang": lang, "Nodes": nodes}
	},
}

// parse builds one template set per page: the layout, the partials and the
// page's own file.
func (wb *Web) parse() error {
	wb.pages = map[string]*template.Template{}
	base, err := template.New("").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("web: layout: %w", err)
	}
	names, err := fs.Glob(files, "templates/*/*.html")
	if err != nil {
		return err
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "templates/partials/") })
	single, _ := fs.Glob(files, "templates/*.html")
	for _, f := range append(names, single...) {
		if path.Base(f) == "layout.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(files, f)
		if err != nil {
			return fmt.Errorf("web: %s: %w", f, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(f, "templates/"), ".html")
		wb.pages[name] = t
	}
	return nil
}

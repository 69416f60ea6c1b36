package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"openisms/internal/export"
	"openisms/internal/i18n"
	"openisms/internal/isms"
)

// Supervision links, kept on their own page beside the organizations.

func (wb *Web) supervisionRoutes() []route {
	return []route{
		{"GET", "/supervision/links", authorized, wb.supervisionLinks, false},
		{"POST", "/supervision/links", authorized, wb.addSupervisionLink, false},
		{"POST", "/supervision/links/{id}/delete", authorized, wb.removeSupervisionLink, false},
		{"GET", "/supervision", authorized, wb.supervisedOrgs, false},
		{"GET", "/supervision/organizations/{id}", authorized, wb.supervisedOrg, false},
		{"GET", "/supervision/export", authorized, wb.exportRollup, false},
	}
}

// rollupRow is a supervised organization's line with its last
// evaluation's result named in the reader's language.
type rollupRow struct {
	isms.SupervisedOrg
	Result string
	Phases []isms.Progress // the chosen campaign's, in phase order
	// Levels are the objects at levels 1–5, worked out once here rather
	// than looked up cell by cell in the template (the dashboard lists
	// fifty rows on every request).
	Levels                      []int
	Ungraded, High, Medium, Low int
}

func newRollupRow(lang string, o isms.SupervisedOrg) rollupRow {
	m := o.MLPS
	return rollupRow{SupervisedOrg: o, Result: evalResult(lang, m.LastResult),
		Levels:   []int{m.ByLevel[1], m.ByLevel[2], m.ByLevel[3], m.ByLevel[4], m.ByLevel[5]},
		Ungraded: m.ByLevel[0], High: m.OpenByRisk["high"], Medium: m.OpenByRisk["medium"], Low: m.OpenByRisk["low"]}
}

type supervisedData struct {
	Rows       []rollupRow
	Total      isms.MLPSRollup
	Levels     []int
	Filter     isms.SupervisedFilter
	Industries []string // the choices of the industry filter
	MaxDepth   int
	Campaigns  []isms.Campaign
	Campaign   *isms.Campaign
	CampaignID string
	Totals     []isms.Progress // by phase
	Query      template.URL    // the filters, for the export link
	Back       string          // this page, for the urge form to return to
	Charts     []template.HTML
	LateOrgs   int // organizations shown with something late in the campaign
	CanUrge    bool
	// One organization's page: its liaison and its submissions to the
	// body's campaigns.
	Liaison     *isms.Liaison
	Submissions []isms.Submission
	Today       string
	// The page's rows of both tables, written in Go (see dashboardRows).
	ProgressRows, StatusRows template.HTML
	// Paging: the rows are the page's; the totals and charts cover all.
	Page, Pages, Count int
	PrevURL, NextURL   template.URL
}

// dashPage is how many organizations the dashboard lists at once.
const dashPage = 50

// evalResult names an evaluation's conclusion (2025) or rating (2021).
func evalResult(lang, v string) string {
	if v == "" {
		return ""
	}
	list := "conclusion2025"
	if slices.Contains(isms.EvalRatings2021, v) {
		list = "rating"
	}
	return i18n.T(lang, isms.M(isms.MLPSOptKey(list, v)))
}

func (wb *Web) supervisedOrgs(w http.ResponseWriter, r *req) error {
	q := r.URL.Query()
	f := supervisedFilter(q)
	dash, err := wb.svc.SupervisionDashboard(r.Context(), r.Actor, f, q.Get("campaign"))
	if err != nil {
		return err
	}
	d := supervisedData{Levels: []int{1, 2, 3, 4, 5}, Filter: f, Campaigns: dash.Campaigns, Campaign: dash.Campaign,
		CampaignID: q.Get("campaign"), Total: dash.Total, Query: template.URL(r.URL.RawQuery), Back: "/supervision?" + r.URL.RawQuery,
		CanUrge: dash.Campaign != nil && dash.Campaign.Status == isms.CampaignOpen && r.Actor.Can(isms.ActSuperviseManage)}
	d.Industries, d.MaxDepth = dash.Industries, dash.MaxDepth
	d.Count = len(dash.Orgs)
	d.Pages = max(1, (d.Count+dashPage-1)/dashPage)
	d.Page, _ = strconv.Atoi(q.Get("page"))
	d.Page = min(max(d.Page, 1), d.Pages)
	pageURL := func(n int) template.URL {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return template.URL("/supervision?" + v.Encode())
	}
	if d.Page > 1 {
		d.PrevURL = pageURL(d.Page - 1)
	}
	if d.Page < d.Pages {
		d.NextURL = pageURL(d.Page + 1)
	}
	for i, o := range dash.Orgs {
		if dash.Campaign != nil {
			for _, p := range dash.Progress[o.ID] {
				if p.Late > 0 {
					d.LateOrgs++
					break
				}
			}
		}
		if i < (d.Page-1)*dashPage || i >= d.Page*dashPage {
			continue
		}
		row := newRollupRow(r.Lang, o)
		if dash.Campaign != nil {
			for _, ph := range dash.Campaign.Phases {
				row.Phases = append(row.Phases, dash.Progress[o.ID][ph.ID])
			}
		}
		d.Rows = append(d.Rows, row)
	}
	d.ProgressRows, d.StatusRows = dashboardRows(r.Lang, d.Rows)
	t := func(key string, kv ...any) string { return i18n.T(r.Lang, isms.M(key, kv...)) }
	if dash.Campaign != nil {
		var labels []string
		var values [][]int
		for _, ph := range dash.Campaign.Phases {
			p := dash.PhaseTotals[ph.ID]
			d.Totals = append(d.Totals, p)
			labels = append(labels, ph.Name)
			values = append(values, []int{p.Accepted, p.Review, p.Returned, p.Overdue,
				p.Required - p.Accepted - p.Review - p.Returned - p.Overdue})
		}
		d.Charts = append(d.Charts, stackedBars(t("ui.supervision.progress_chart"), labels, values, []barSeries{
			{t("ui.sub.status_accepted"), "#2f855a"}, {t("ui.sub.status_submitted"), "#3b6ea5"},
			{t("ui.sub.status_returned"), "#c9a227"}, {t("ui.supervision.late_unsent"), "#c0392b"},
			{t("ui.supervision.not_yet"), "#cbd2d9"}}))
	}
	var levels []string
	var counts [][]int
	for _, l := range append([]int{0}, d.Levels...) {
		if l == 0 {
			levels = append(levels, t("ui.supervision.ungraded"))
		} else {
			levels = append(levels, i18n.T(r.Lang, isms.M(isms.MLPSOptKey("level", strconv.Itoa(l)))))
		}
		counts = append(counts, []int{d.Total.ByLevel[l]})
	}
	if d.Total.Objects > 0 {
		d.Charts = append(d.Charts, stackedBars(t("ui.supervision.objects"), levels, counts,
			[]barSeries{{t("ui.supervision.objects"), "#3b6ea5"}}))
	}
	return wb.render(w, r, http.StatusOK, "supervision/organizations", page{Title: "ui.supervision.title", Data: d})
}

func (wb *Web) supervisedOrg(w http.ResponseWriter, r *req) error {
	x, err := wb.svc.SupervisedOrganizationDetail(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := supervisedData{Rows: []rollupRow{newRollupRow(r.Lang, x.Org)}, Levels: []int{1, 2, 3, 4, 5},
		Liaison: x.Liaison, Submissions: x.Submissions, Today: x.Today}
	return wb.render(w, r, http.StatusOK, "supervision/organization", page{Title: "ui.supervision.title", Data: d})
}

type supervisionData struct {
	Links []isms.SupervisionLink
	Orgs  []isms.Organization // the organizations the reader administers, for both ends
	Kinds []string
}

func (wb *Web) supervisionPage(r *req) (page, error) {
	ls, err := wb.svc.SupervisionLinks(r.Context(), r.Actor)
	if err != nil {
		return page{}, err
	}
	orgs, err := wb.svc.ListOrganizations(r.Context(), r.Actor, isms.ListFilter{Limit: isms.MaxPageSize})
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.supervision.links", Data: supervisionData{Links: ls, Orgs: orgs, Kinds: isms.SupervisionKinds},
		Form: map[string]string{"kind": isms.SuperviseMLPS}}, nil
}

func (wb *Web) supervisionLinks(w http.ResponseWriter, r *req) error {
	p, err := wb.supervisionPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "supervision/links", p)
}

func (wb *Web) addSupervisionLink(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.SupervisionLink{SupervisorID: f.Get("supervisor_id"), SupervisedID: f.Get("supervised_id"), Kind: f.Get("kind"),
		Note: f.Get("note")}
	if _, err := wb.svc.AddSupervisionLink(r.Context(), r.Actor, in); err != nil {
		p, perr := wb.supervisionPage(r)
		if perr != nil {
			return perr
		}
		p.Form = map[string]string{"supervisor_id": in.SupervisorID, "supervised_id": in.SupervisedID, "kind": in.Kind, "note": in.Note}
		return wb.formError(w, r, "supervision/links", p, err)
	}
	return redirect(w, r, "/supervision/links", "ui.flash.saved")
}

func (wb *Web) removeSupervisionLink(w http.ResponseWriter, r *req) error {
	if err := wb.svc.RemoveSupervisionLink(r.Context(), r.Actor, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/supervision/links", "ui.flash.deleted")
}

// supervisedFilter reads the dashboard's filters from the query.
func supervisedFilter(q url.Values) isms.SupervisedFilter {
	depth, _ := strconv.Atoi(q.Get("depth"))
	return isms.SupervisedFilter{Depth: depth, Region: strings.TrimSpace(q.Get("region")), Industry: q.Get("industry")}
}

func (wb *Web) exportRollup(w http.ResponseWriter, r *req) error {
	q := r.URL.Query()
	return wb.svc.SupervisionRollupXLSX(r.Context(), r.Actor, supervisedFilter(q), q.Get("campaign"), func(name string) {
		export.Attach(w.Header(), name, export.ContentType)
	}, w)
}

// dashboardRows writes the dashboard's table rows. They are the page's
// hot path — fifty organizations, two tables, some thirty cells each on
// every request — and html/template escapes each cell through a
// reflective call, which took most of a request's time; here numbers
// need no escaping and text goes through html.EscapeString once.
func dashboardRows(lang string, rows []rollupRow) (progress, status template.HTML) {
	var p, m strings.Builder
	esc := html.EscapeString
	num := func(b *strings.Builder, n int, warn bool) {
		if warn && n > 0 {
			b.WriteString(`<td class="num warn-text">`)
		} else {
			b.WriteString(`<td class="num">`)
		}
		b.WriteString(strconv.Itoa(n))
		b.WriteString(`</td>`)
	}
	org := func(b *strings.Builder, x rollupRow, facts bool) {
		b.WriteString(`<tr><td>`)
		if x.Depth > 1 {
			b.WriteString(`<span class="hint">` + esc(x.Via) + ` › </span>`)
		}
		b.WriteString(`<a href="/supervision/organizations/` + esc(x.ID) + `">` + esc(x.Name) + `</a>`)
		if facts && (x.RegionCode != "" || x.Industry != "") {
			b.WriteString(`<div class="hint">`)
			if x.RegionCode != "" {
				b.WriteString(`<span class="mono">` + esc(x.RegionCode) + `</span> `)
			}
			b.WriteString(esc(x.Industry) + `</div>`)
		}
		b.WriteString(`</td>`)
	}
	for _, x := range rows {
		if len(x.Phases) > 0 {
			org(&p, x, false)
			for _, ph := range x.Phases {
				p.WriteString(`<td class="num">` + strconv.Itoa(ph.Done) + "/" + strconv.Itoa(ph.Required) + `</td>`)
				num(&p, ph.Late, true)
				num(&p, ph.Returned, false)
				num(&p, ph.Accepted, false)
			}
			p.WriteString("</tr>\n")
		}
		r := x.MLPS
		org(&m, x, true)
		num(&m, r.Objects, false)
		for _, n := range x.Levels {
			num(&m, n, false)
		}
		num(&m, x.Ungraded, true)
		num(&m, r.Filed, false)
		if r.Expiring > 0 || r.Expired > 0 {
			m.WriteString(`<td class="num warn-text">`)
		} else {
			m.WriteString(`<td class="num">`)
		}
		m.WriteString(strconv.Itoa(r.Expiring))
		if r.Expired > 0 {
			m.WriteString(` <span class="badge err">` + esc(i18n.T(lang, isms.M("ui.supervision.expired_n", "n", r.Expired))) + `</span>`)
		}
		m.WriteString(`</td><td class="num">` + strconv.Itoa(r.EvalDue))
		if r.EvalLate > 0 {
			m.WriteString(` <span class="badge err">` + esc(i18n.T(lang, isms.M("ui.supervision.overdue_n", "n", r.EvalLate))) + `</span>`)
		}
		m.WriteString(`</td><td class="nw">`)
		if r.LastEval != "" {
			m.WriteString(esc(r.LastEval) + " ")
		}
		m.WriteString(esc(x.Result) + `</td>`)
		num(&m, x.High, true)
		num(&m, x.Medium, false)
		num(&m, x.Low, false)
		m.WriteString("</tr>\n")
	}
	return template.HTML(p.String()), template.HTML(m.String())
}

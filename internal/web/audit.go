package web

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"openisms/internal/isms"
)

type auditData struct {
	Entries   []isms.AuditEntry
	Next      string
	CanExport bool
	Query     string
}

// auditFilter reads the trail filters from the query; dates are days in
// the display zone.
func auditFilter(r *req) (isms.AuditFilter, map[string]string) {
	q := r.URL.Query()
	f := isms.AuditFilter{Action: q.Get("action"), EntityType: q.Get("entity_type"), EntityID: q.Get("entity_id"), Actor: q.Get("actor"), Limit: 50}
	if d, err := time.ParseInLocation("2006-01-02", q.Get("from"), displayZone); err == nil {
		f.From = d
	}
	if d, err := time.ParseInLocation("2006-01-02", q.Get("to"), displayZone); err == nil {
		f.To = d.AddDate(0, 0, 1)
	}
	if n, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil && n > 0 {
		f.BeforeSeq = n
	}
	return f, map[string]string{"action": f.Action, "entity_type": f.EntityType, "entity_id": f.EntityID, "actor": f.Actor,
		"from": q.Get("from"), "to": q.Get("to")}
}

func (wb *Web) audit(w http.ResponseWriter, r *req) error {
	f, form := auditFilter(r)
	entries, err := wb.svc.ListAudit(r.Context(), r.Actor, f)
	if err != nil {
		return err
	}
	d := auditData{Entries: entries, CanExport: r.Actor.Can(isms.ActExportAudit), Query: r.URL.RawQuery}
	if len(entries) == f.Limit {
		d.Next = strconv.FormatInt(entries[len(entries)-1].Seq, 10)
	}
	return wb.render(w, r, http.StatusOK, "audit", page{Title: "ui.nav.audit", Data: d, Form: form})
}

// auditCSV exports the filtered trail (newest first, up to 10,000 rows a
// file, with a UTF-8 BOM so Excel reads the Chinese text). The export is
// itself recorded in the trail.
func (wb *Web) auditCSV(w http.ResponseWriter, r *req) error {
	f, _ := auditFilter(r)
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="audit-`+time.Now().In(displayZone).Format("20060102-150405")+`.csv"`)
	cw := csv.NewWriter(w)
	started := false
	for n := 0; n < 50; n++ {
		f.Limit = isms.MaxPageSize
		entries, err := wb.svc.ExportAudit(r.Context(), r.Actor, f)
		if err != nil {
			if started {
				return nil // headers are out; the truncated file is all we can do
			}
			return err
		}
		if !started {
			_, _ = w.Write([]byte("\ufeff"))
			_ = cw.Write([]string{"seq", "at", "actor", "actor_name", "action", "entity_type", "entity_id", "summary", "ip", "data", "hash"})
			started = true
		}
		for _, e := range entries {
			_ = cw.Write([]string{strconv.FormatInt(e.Seq, 10), e.At.In(displayZone).Format(time.RFC3339), e.Actor, e.ActorName,
				e.Action, e.EntityType, e.EntityID, e.Summary, e.IP, e.Data, e.Hash})
		}
		cw.Flush()
		if len(entries) < f.Limit {
			break
		}
		f.BeforeSeq = entries[len(entries)-1].Seq
	}
	return cw.Error()
}

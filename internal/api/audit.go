package api

import (
	"net/http"
	"strconv"

	"openisms/internal/isms"
)

// listAudit: GET /audit?actor=&entity_type=&entity_id=&action=&from=&to=&limit=&cursor=
// Newest first; the cursor is the seq of the last entry of the page.
func (a *API) listAudit(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	var p isms.Problems
	f := isms.AuditFilter{
		Actor: q.Get("actor"), EntityType: q.Get("entity_type"), EntityID: q.Get("entity_id"), Action: q.Get("action"),
		From: parseTime(&p, "from", q.Get("from")), To: parseTime(&p, "to", q.Get("to")),
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > isms.MaxPageSize {
			p.Add("limit", "field.range", "min", 1, "max", isms.MaxPageSize)
		}
		f.Limit = n
	}
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			p.Add("cursor", "field.bad_cursor")
		}
		f.BeforeSeq = n
	}
	if err := p.Err(); err != nil {
		return err
	}
	items, err := a.svc.ListAudit(r.Context(), actor, f)
	if err != nil {
		return err
	}
	out := list[isms.AuditEntry]{Items: items}
	if out.Items == nil {
		out.Items = []isms.AuditEntry{}
	}
	if len(items) > 0 && len(items) == isms.ClampLimit(f.Limit) {
		out.NextCursor = strconv.FormatInt(items[len(items)-1].Seq, 10)
	}
	return writeJSON(w, http.StatusOK, out)
}

package web

import (
	"net/http"
	"strconv"

	"openisms/internal/isms"
)

type obligationsData struct {
	Obligations []isms.Obligation
	CanManage   bool
	Frequencies []isms.Frequency
	Roles       []isms.Role
}

func (wb *Web) obligationsPage(r *req) (page, error) {
	list, err := wb.svc.ListObligations(r.Context(), r.Actor, isms.ListFilter{Limit: isms.MaxPageSize, Text: r.URL.Query().Get("q")})
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.nav.obligations", Data: obligationsData{Obligations: list, CanManage: r.Actor.Can(isms.ActManageObligations),
		Frequencies: isms.Frequencies, Roles: isms.GrantableRoles}, Form: map[string]string{"q": r.URL.Query().Get("q")}}, nil
}

func (wb *Web) obligations(w http.ResponseWriter, r *req) error {
	p, err := wb.obligationsPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "obligations/list", p)
}

func (wb *Web) createObligation(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	interval, _ := strconv.Atoi(f.Get("interval"))
	lead, _ := strconv.Atoi(f.Get("reminder_lead_days"))
	grace, _ := strconv.Atoi(f.Get("grace_days"))
	in := isms.Obligation{TitleZH: f.Get("title_zh"), TitleEN: f.Get("title_en"), OwnerRole: isms.Role(f.Get("owner_role")),
		Schedule: isms.Schedule{Frequency: isms.Frequency(f.Get("frequency")), Interval: interval, RRule: f.Get("rrule"),
			Start: f.Get("start"), TimeOfDay: f.Get("time_of_day")}, LeadDays: lead, GraceDays: grace, Source: f.Get("source")}
	if _, err := wb.svc.CreateObligation(r.Context(), r.Actor, in); err != nil {
		p, perr := wb.obligationsPage(r)
		if perr != nil {
			return perr
		}
		p.Form = map[string]string{}
		for k := range f {
			p.Form[k] = f.Get(k)
		}
		return wb.formError(w, r, "obligations/list", p, err)
	}
	return redirect(w, r, "/obligations", "ui.flash.saved")
}

func (wb *Web) applyDefaults(w http.ResponseWriter, r *req) error {
	if _, _, err := wb.svc.ApplyDefaultObligations(r.Context(), r.Actor); err != nil {
		return err
	}
	return redirect(w, r, "/obligations", "ui.flash.defaults_applied")
}

type obligationData struct {
	Obligation isms.Obligation
	History    []isms.Task
	CanManage  bool
}

// obligation shows a duty and its history: every occurrence with its
// evidence.
func (wb *Web) obligation(w http.ResponseWriter, r *req) error {
	o, err := wb.svc.Obligation(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	var history []isms.Task
	if r.Actor.Can(isms.ActViewAllTasks) {
		if history, err = wb.svc.ObligationHistory(r.Context(), r.Actor, o.ID); err != nil {
			return err
		}
	}
	return wb.render(w, r, http.StatusOK, "obligations/detail", page{Title: "ui.nav.obligations", Data: obligationData{Obligation: o, History: history,
		CanManage: r.Actor.Can(isms.ActManageObligations)}})
}

// toggleObligation pauses or resumes a duty.
func (wb *Web) toggleObligation(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if _, err := wb.svc.SetObligationActive(r.Context(), r.Actor, id, f.Get("active") == "true"); err != nil {
		return err
	}
	return redirect(w, r, "/obligations/"+id, "ui.flash.saved")
}

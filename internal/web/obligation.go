package web

import (
	"net/http"
	"net/url"
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

// obligationFromForm reads the duty form (create and edit).
func obligationFromForm(f url.Values) isms.Obligation {
	num := func(k string) int { n, _ := strconv.Atoi(f.Get(k)); return n }
	o := isms.Obligation{TitleZH: f.Get("title_zh"), TitleEN: f.Get("title_en"), OwnerRole: isms.Role(f.Get("owner_role")),
		Schedule: isms.Schedule{Frequency: isms.Frequency(f.Get("frequency")), Interval: num("interval"), RRule: f.Get("rrule"),
			Start: f.Get("start"), TimeOfDay: f.Get("time_of_day")}, LeadDays: num("reminder_lead_days"),
		GraceDays: num("grace_days"), Source: f.Get("source"), Active: true}
	o.Escalation = []isms.EscalationStep{}
	for _, i := range []string{"1", "2"} {
		if role := f.Get("esc_role_" + i); role != "" {
			o.Escalation = append(o.Escalation, isms.EscalationStep{Role: isms.Role(role), AfterHours: num("esc_hours_" + i)})
		}
	}
	return o
}

// obligationForm fills the form fields from a duty.
func obligationForm(o isms.Obligation) map[string]string {
	m := map[string]string{"title_zh": o.TitleZH, "title_en": o.TitleEN, "owner_role": string(o.OwnerRole),
		"frequency": string(o.Schedule.Frequency), "interval": strconv.Itoa(o.Schedule.Interval), "rrule": o.Schedule.RRule,
		"start": o.Schedule.Start, "time_of_day": o.Schedule.TimeOfDay, "reminder_lead_days": strconv.Itoa(o.LeadDays),
		"grace_days": strconv.Itoa(o.GraceDays), "source": o.Source, "esc_role_2": "-"}
	for i, st := range o.Escalation {
		if i > 1 {
			break
		}
		n := strconv.Itoa(i + 1)
		m["esc_role_"+n], m["esc_hours_"+n] = string(st.Role), strconv.Itoa(st.AfterHours)
	}
	return m
}

func (wb *Web) createObligation(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := obligationFromForm(f)
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
	Obligation  isms.Obligation
	History     []isms.Task
	CanManage   bool
	Frequencies []isms.Frequency
	Roles       []isms.Role
}

// updateObligation saves the edit form of a duty.
func (wb *Web) updateObligation(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	cur, err := wb.svc.Obligation(r.Context(), r.Actor, id)
	if err != nil {
		return err
	}
	in := obligationFromForm(f)
	in.Active, in.Description, in.DeptID, in.OwnerAccount = cur.Active, cur.Description, cur.DeptID, cur.OwnerAccount
	in.Evidence, in.RecordKind = cur.Evidence, cur.RecordKind
	if _, err := wb.svc.UpdateObligation(r.Context(), r.Actor, id, in); err != nil {
		p, perr := wb.obligationPage(r, cur)
		if perr != nil {
			return perr
		}
		p.Form = map[string]string{}
		for k := range f {
			p.Form[k] = f.Get(k)
		}
		return wb.formError(w, r, "obligations/detail", p, err)
	}
	return redirect(w, r, "/obligations/"+id, "ui.flash.saved")
}

// obligation shows a duty and its history: every occurrence with its
// evidence.
func (wb *Web) obligation(w http.ResponseWriter, r *req) error {
	o, err := wb.svc.Obligation(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	p, err := wb.obligationPage(r, o)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "obligations/detail", p)
}

func (wb *Web) obligationPage(r *req, o isms.Obligation) (page, error) {
	var history []isms.Task
	if r.Actor.Can(isms.ActViewAllTasks) {
		var err error
		if history, err = wb.svc.ObligationHistory(r.Context(), r.Actor, o.ID); err != nil {
			return page{}, err
		}
	}
	return page{Title: "ui.nav.obligations", Form: obligationForm(o), Data: obligationData{Obligation: o, History: history,
		CanManage: r.Actor.Can(isms.ActManageObligations), Frequencies: isms.Frequencies, Roles: isms.GrantableRoles}}, nil
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

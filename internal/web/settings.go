package web

import (
	"net/http"
	"strconv"

	"openisms/internal/isms"
)

type settingsData struct {
	Org      isms.Organization
	Settings isms.SecuritySettings
}

func (wb *Web) settingsPage(r *req) (page, error) {
	s, err := wb.svc.SecuritySettings(r.Context(), r.Actor, r.Actor.OrgID)
	if err != nil {
		return page{}, err
	}
	o, err := wb.svc.Organization(r.Context(), r.Actor, r.Actor.OrgID)
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.nav.settings", Data: settingsData{Org: o, Settings: s}}, nil
}

func (wb *Web) settings(w http.ResponseWriter, r *req) error {
	p, err := wb.settingsPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "settings", p)
}

// saveSettings stores the organization's details and its sign-in rules.
func (wb *Web) saveSettings(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	p, err := wb.settingsPage(r)
	if err != nil {
		return err
	}
	d := p.Data.(settingsData)
	var probs isms.Problems
	num := func(field string, dst *int) {
		n, err := strconv.Atoi(f.Get(field))
		if err != nil {
			probs.Add(field, "field.bad_number")
			return
		}
		*dst = n
	}
	s := d.Settings
	num("password_min_length", &s.PasswordMinLength)
	num("password_min_classes", &s.PasswordMinClasses)
	num("password_max_age_days", &s.PasswordMaxAgeDays)
	num("admin_password_max_age_days", &s.AdminPasswordMaxAge)
	num("lockout_threshold", &s.LockoutThreshold)
	num("lockout_minutes", &s.LockoutMinutes)
	num("session_idle_minutes", &s.SessionIdleMinutes)
	num("session_absolute_hours", &s.SessionAbsoluteHours)
	d.Settings = s
	p.Data = d
	if err := probs.Err(); err != nil {
		return wb.formError(w, r, "settings", p, err)
	}
	name, short, contact, phone, email, addr := f.Get("name"), f.Get("short_name"), f.Get("contact_name"),
		f.Get("contact_phone"), f.Get("contact_email"), f.Get("address")
	region, industry := f.Get("region_code"), f.Get("industry")
	patch := isms.OrganizationPatch{Name: &name, ShortName: &short, ContactName: &contact, ContactPhone: &phone,
		ContactEmail: &email, Address: &addr, RegionCode: &region, Industry: &industry}
	if _, err := wb.svc.UpdateOrganization(r.Context(), r.Actor, r.Actor.OrgID, patch); err != nil {
		return wb.formError(w, r, "settings", p, err)
	}
	if _, err := wb.svc.UpdateSecuritySettings(r.Context(), r.Actor, r.Actor.OrgID, s); err != nil {
		return wb.formError(w, r, "settings", p, err)
	}
	return redirect(w, r, "/settings", "ui.flash.saved")
}

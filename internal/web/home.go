package web

import (
	"net/http"

	"openisms/internal/isms"
	"openisms/internal/service"
)

type homeData struct {
	Counts           []count
	PendingApprovals []isms.Approval
	Controls         *service.ControlsDashboard // for those who see the SoA
}

type count struct {
	Label string
	N     int
	Link  string
}

// home is the 工作台: what needs the person's attention, and the size of
// the registers their roles can see.
func (wb *Web) home(w http.ResponseWriter, r *req) error {
	ctx := r.Context()
	var d homeData
	c, err := wb.svc.Counts(ctx, r.Actor)
	if err != nil {
		return err
	}
	add := func(label, link string, n int, act isms.Action) {
		if r.Actor.Can(act) {
			d.Counts = append(d.Counts, count{Label: label, N: n, Link: link})
		}
	}
	add("ui.home.people", "/people", c.People, isms.ActViewStructure)
	add("ui.home.departments", "/departments", c.Departments, isms.ActViewStructure)
	add("ui.home.organizations", "/organizations", c.Organizations, isms.ActViewOrganization)
	add("ui.home.accounts", "/accounts", c.Accounts, isms.ActViewAccounts)
	pending, err := wb.svc.ListApprovals(ctx, r.Actor, string(isms.ApprovalPending))
	if err != nil {
		return err
	}
	for _, ap := range pending {
		if ap.CanDecide(r.Actor.AccountID, r.Actor.Roles) == nil {
			d.PendingApprovals = append(d.PendingApprovals, ap)
		}
	}
	if r.Actor.Can(isms.ActViewSoA) {
		c, err := wb.svc.Controls(ctx, r.Actor, r.Lang)
		if err != nil {
			return err
		}
		d.Controls = &c
	}
	return wb.render(w, r, http.StatusOK, "home", page{Title: "ui.nav.home", Data: d})
}

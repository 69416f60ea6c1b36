package web

import (
	"net/http"

	"openisms/internal/isms"
)

type homeData struct {
	Counts           []count
	PendingApprovals []isms.Approval
}

type count struct {
	Label string
	N     int
	More  bool // N is a lower bound (the page cap)
	Link  string
}

// home is the 工作台: what needs the person's attention, and the size of
// the registers their roles can see.
func (wb *Web) home(w http.ResponseWriter, r *req) error {
	ctx := r.Context()
	var d homeData
	add := func(label, link string, n int) {
		d.Counts = append(d.Counts, count{Label: label, N: n, More: n >= isms.MaxPageSize, Link: link})
	}
	if r.Actor.Can(isms.ActViewStructure) {
		people, err := wb.svc.ListPeople(ctx, r.Actor, isms.ListFilter{Status: "active", Limit: isms.MaxPageSize})
		if err != nil {
			return err
		}
		add("ui.home.people", "/people", len(people))
		depts, err := wb.svc.ListDepartments(ctx, r.Actor, isms.ListFilter{Limit: isms.MaxPageSize})
		if err != nil {
			return err
		}
		add("ui.home.departments", "/departments", len(depts))
	}
	if r.Actor.Can(isms.ActViewOrganization) {
		orgs, err := wb.svc.ListOrganizations(ctx, r.Actor, isms.ListFilter{Limit: isms.MaxPageSize})
		if err != nil {
			return err
		}
		add("ui.home.organizations", "/organizations", len(orgs))
	}
	if r.Actor.Can(isms.ActViewAccounts) {
		accts, err := wb.svc.ListAccounts(ctx, r.Actor, isms.ListFilter{Limit: isms.MaxPageSize})
		if err != nil {
			return err
		}
		add("ui.home.accounts", "/accounts", len(accts))
	}
	pending, err := wb.svc.ListApprovals(ctx, r.Actor, string(isms.ApprovalPending))
	if err != nil {
		return err
	}
	for _, ap := range pending {
		if ap.CanDecide(r.Actor.AccountID, r.Actor.Roles) == nil {
			d.PendingApprovals = append(d.PendingApprovals, ap)
		}
	}
	return wb.render(w, r, http.StatusOK, "home", page{Title: "ui.nav.home", Data: d})
}

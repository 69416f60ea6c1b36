package web

import (
	"net/http"

	"openisms/internal/isms"
)

type approvalRow struct {
	isms.Approval
	CanDecide bool
}

func (wb *Web) approvals(w http.ResponseWriter, r *req) error {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = string(isms.ApprovalPending)
	}
	if status == "all" {
		status = ""
	}
	list, err := wb.svc.ListApprovals(r.Context(), r.Actor, status)
	if err != nil {
		return err
	}
	rows := make([]approvalRow, len(list))
	for i, ap := range list {
		rows[i] = approvalRow{Approval: ap, CanDecide: ap.CanDecide(r.Actor.AccountID, r.Actor.Roles) == nil}
	}
	return wb.render(w, r, http.StatusOK, "approvals", page{Title: "ui.nav.approvals", Data: rows,
		Form: map[string]string{"status": r.URL.Query().Get("status")}})
}

func (wb *Web) decide(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	approve := f.Get("decision") == "approve"
	if _, err := wb.svc.DecideApproval(r.Context(), r.Actor, r.PathValue("id"), approve, f.Get("comment")); err != nil {
		return err
	}
	return redirect(w, r, "/approvals", "ui.flash.decided")
}

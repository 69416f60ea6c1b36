package web

import (
	"net/http"

	"openisms/internal/isms"
)

// Supervision links, kept on their own page beside the organizations.

func (wb *Web) supervisionRoutes() []route {
	return []route{
		{"GET", "/supervision/links", authorized, wb.supervisionLinks, false},
		{"POST", "/supervision/links", authorized, wb.addSupervisionLink, false},
		{"POST", "/supervision/links/{id}/delete", authorized, wb.removeSupervisionLink, false},
	}
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

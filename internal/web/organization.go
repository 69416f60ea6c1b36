package web

import (
	"net/http"

	"openisms/internal/isms"
)

// orgNode is one organization in the tree view.
type orgNode struct {
	Org      isms.Organization
	Children []*orgNode
}

// organizations shows the actor's organization and the tree below it.
func (wb *Web) organizations(w http.ResponseWriter, r *req) error {
	orgs, err := wb.svc.ListOrganizations(r.Context(), r.Actor, isms.ListFilter{Limit: isms.MaxPageSize, Text: r.URL.Query().Get("q")})
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "organizations", page{Title: "ui.nav.organizations", Data: buildOrgTree(orgs),
		Form: map[string]string{"q": r.URL.Query().Get("q")}})
}

// buildOrgTree arranges organizations under their parents; those whose
// parent is not in the list become roots.
func buildOrgTree(orgs []isms.Organization) []*orgNode {
	nodes := map[string]*orgNode{}
	for _, o := range orgs {
		nodes[o.ID] = &orgNode{Org: o}
	}
	var roots []*orgNode
	for _, o := range orgs {
		n := nodes[o.ID]
		if p, ok := nodes[o.ParentID]; ok {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	return roots
}

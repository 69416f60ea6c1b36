package web

import (
	"net/http"

	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
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
	return wb.render(w, r, http.StatusOK, "organizations", page{Title: "ui.nav.organizations",
		Data: orgsData{Tree: buildOrgTree(orgs), All: orgs, CanManage: r.Actor.Can(isms.ActManageOrganization), Templates: templateChoices()},
		Form: map[string]string{"q": r.URL.Query().Get("q")}})
}

type orgsData struct {
	Tree      []*orgNode
	All       []isms.Organization
	CanManage bool
	Templates []orgtemplate.Template
}

// createOrganization registers a sub-organization (a subsidiary, or an
// organization a supervising body oversees).
func (wb *Web) createOrganization(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.Organization{ParentID: f.Get("parent_id"), Name: f.Get("name"), ShortName: f.Get("short_name"),
		CreditCode: f.Get("credit_code"), Kind: isms.OrgKind(f.Get("kind")), RegionCode: f.Get("region_code"), Industry: f.Get("industry")}
	tpl, err := chosenTemplate(f.Get("template"))
	if err == nil {
		_, _, err = wb.svc.CreateOrganizationFrom(r.Context(), r.Actor, in, tpl)
	}
	if err != nil {
		orgs, lerr := wb.svc.ListOrganizations(r.Context(), r.Actor, isms.ListFilter{Limit: isms.MaxPageSize})
		if lerr != nil {
			return lerr
		}
		p := page{Title: "ui.nav.organizations", Data: orgsData{Tree: buildOrgTree(orgs), All: orgs, CanManage: true, Templates: templateChoices()},
			Form: map[string]string{"parent_id": in.ParentID, "name": in.Name, "short_name": in.ShortName,
				"credit_code": in.CreditCode, "kind": string(in.Kind), "template": f.Get("template"),
				"region_code": in.RegionCode, "industry": in.Industry}}
		return wb.formError(w, r, "organizations", p, err)
	}
	return redirect(w, r, "/organizations", "ui.flash.saved")
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

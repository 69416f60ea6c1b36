package web

import (
	"net/http"
	"net/url"
	"strconv"

	"openisms/internal/isms"
)

// The ISMS profile page (体系概况): policy, scope, boundaries, and the
// ISMS roles with their duties and who fills them.

// profileData is the page's data.
type profileData struct {
	Profile   isms.Profile
	Holders   map[isms.Role][]string
	Roles     []isms.Role
	CanManage bool
	Rows      []int // role rows in the edit form: the profile's and two blank
}

func (wb *Web) profilePage(r *req) (page, error) {
	d := profileData{CanManage: r.Actor.Can(isms.ActManageISMS), Roles: isms.GrantableRoles}
	var err error
	if d.Profile, err = wb.svc.Profile(r.Context(), r.Actor); err != nil {
		return page{}, err
	}
	if d.Holders, err = wb.svc.ProfileHolders(r.Context(), r.Actor); err != nil {
		return page{}, err
	}
	return page{Title: "ui.profile.title", Data: d, Form: profileForm(d.Profile)}, nil
}

// profileForm flattens the profile into form fields, roles numbered.
func profileForm(p isms.Profile) map[string]string {
	f := map[string]string{"policy_zh": p.PolicyZH, "policy_en": p.PolicyEN, "scope_zh": p.ScopeZH, "scope_en": p.ScopeEN,
		"boundary_zh": p.BoundaryZH, "boundary_en": p.BoundaryEN, "role_rows": strconv.Itoa(len(p.Roles) + 2)}
	for i, r := range p.Roles {
		n := strconv.Itoa(i)
		f["key_"+n], f["title_zh_"+n], f["title_en_"+n], f["role_"+n] = r.Key, r.TitleZH, r.TitleEN, string(r.Role)
		f["duties_zh_"+n], f["duties_en_"+n] = r.DutiesZH, r.DutiesEN
	}
	return f
}

// profileFromForm reads the form back; rows left without key and title
// are dropped.
func profileFromForm(f url.Values) isms.Profile {
	p := isms.Profile{PolicyZH: f.Get("policy_zh"), PolicyEN: f.Get("policy_en"), ScopeZH: f.Get("scope_zh"),
		ScopeEN: f.Get("scope_en"), BoundaryZH: f.Get("boundary_zh"), BoundaryEN: f.Get("boundary_en"), Roles: []isms.ProfileRole{}}
	rows, _ := strconv.Atoi(f.Get("role_rows"))
	for i := range min(rows, 60) {
		n := strconv.Itoa(i)
		r := isms.ProfileRole{Key: f.Get("key_" + n), TitleZH: f.Get("title_zh_" + n), TitleEN: f.Get("title_en_" + n),
			Role: isms.Role(f.Get("role_" + n)), DutiesZH: f.Get("duties_zh_" + n), DutiesEN: f.Get("duties_en_" + n)}
		if r.Key == "" && r.TitleZH == "" && r.DutiesZH == "" {
			continue
		}
		p.Roles = append(p.Roles, r)
	}
	return p
}

func (wb *Web) profile(w http.ResponseWriter, r *req) error {
	p, err := wb.profilePage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "profile", p)
}

func (wb *Web) saveProfile(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := profileFromForm(f)
	if _, err := wb.svc.SetProfile(r.Context(), r.Actor, in); err != nil {
		p, perr := wb.profilePage(r)
		if perr != nil {
			return perr
		}
		for k := range f {
			p.Form[k] = f.Get(k)
		}
		return wb.formError(w, r, "profile", p, err)
	}
	return redirect(w, r, "/isms", "ui.flash.saved")
}

func init() {
	// rows counts 0 … n-1 for a form's repeated rows.
	funcs["rows"] = func(n string) []int {
		c, _ := strconv.Atoi(n)
		out := make([]int, min(max(c, 0), 60))
		for i := range out {
			out[i] = i
		}
		return out
	}
	// field reads a numbered form field: {{field $.Form "key_" 3}}.
	funcs["field"] = func(f map[string]string, prefix string, i int) string { return f[prefix+strconv.Itoa(i)] }
}

package isms

import (
	"strconv"
	"strings"
	"time"
)

// Profile is the ISMS itself as the manual states it (§4.2.1.1 and the
// authorization letter): the policy statement, the scope and its
// boundaries, and the ISMS roles with their duties. Templates fill it;
// the ISMS team keeps it.
type Profile struct {
	PolicyZH   string        `json:"policy_zh"`
	PolicyEN   string        `json:"policy_en"`
	ScopeZH    string        `json:"scope_zh"`
	ScopeEN    string        `json:"scope_en"`
	BoundaryZH string        `json:"boundary_zh"`
	BoundaryEN string        `json:"boundary_en"`
	Roles      []ProfileRole `json:"roles"`
	UpdatedAt  *time.Time    `json:"updated_at,omitempty"`
}

// ProfileRole is an ISMS role (管理者代表, ISMS项目责任人, 部门负责人 …):
// its duties, and the system role whose holders fill it, if any.
type ProfileRole struct {
	Key      string `json:"key" yaml:"key"`
	TitleZH  string `json:"title_zh" yaml:"title_zh"`
	TitleEN  string `json:"title_en,omitempty" yaml:"title_en,omitempty"`
	Role     Role   `json:"role,omitempty" yaml:"role,omitempty"`
	DutiesZH string `json:"duties_zh" yaml:"duties_zh"`
	DutiesEN string `json:"duties_en,omitempty" yaml:"duties_en,omitempty"`
}

// Normalize trims the profile's text.
func (p *Profile) Normalize() {
	TrimFields(&p.PolicyZH, &p.PolicyEN, &p.ScopeZH, &p.ScopeEN, &p.BoundaryZH, &p.BoundaryEN)
	for i := range p.Roles {
		r := &p.Roles[i]
		TrimFields(&r.Key, &r.TitleZH, &r.TitleEN, &r.DutiesZH, &r.DutiesEN)
		r.Role = Role(strings.TrimSpace(string(r.Role)))
	}
}

// Validate checks the profile's fields.
func (p *Profile) Validate() error {
	var pr Problems
	for f, v := range map[string]string{"policy_zh": p.PolicyZH, "policy_en": p.PolicyEN} {
		checkText(&pr, f, v, false, 1000)
	}
	for f, v := range map[string]string{"scope_zh": p.ScopeZH, "scope_en": p.ScopeEN, "boundary_zh": p.BoundaryZH, "boundary_en": p.BoundaryEN} {
		checkText(&pr, f, v, false, 4000)
	}
	if len(p.Roles) > 50 {
		pr.Add("roles", "field.range", "min", 0, "max", 50)
	}
	keys := map[string]bool{}
	for i, r := range p.Roles {
		field := func(name string) string { return "roles[" + strconv.Itoa(i) + "]." + name }
		checkText(&pr, field("key"), r.Key, true, 64)
		if keys[r.Key] {
			pr.Add(field("key"), "profile.key_repeated")
		}
		keys[r.Key] = true
		checkText(&pr, field("title_zh"), r.TitleZH, true, 100)
		checkText(&pr, field("title_en"), r.TitleEN, false, 100)
		checkText(&pr, field("duties_zh"), r.DutiesZH, false, 2000)
		checkText(&pr, field("duties_en"), r.DutiesEN, false, 2000)
		if r.Role != "" && !r.Role.Grantable() {
			pr.Add(field("role"), "field.one_of", "values", JoinRoles(GrantableRoles))
		}
	}
	return pr.Err()
}

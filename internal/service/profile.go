package service

import (
	"context"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// profileSetting is the org_settings name of the ISMS profile.
const profileSetting = "isms_profile"

// Profile reads the actor's organization's ISMS profile: policy, scope,
// boundaries and roles.
func (s *Service) Profile(ctx context.Context, a isms.Actor) (isms.Profile, error) {
	var p isms.Profile
	if err := a.Require(isms.ActViewStructure); err != nil {
		return p, err
	}
	_, err := s.st.Setting(ctx, a.OrgID, profileSetting, &p)
	if p.Roles == nil {
		p.Roles = []isms.ProfileRole{}
	}
	return p, err
}

// SetProfile replaces the ISMS profile.
func (s *Service) SetProfile(ctx context.Context, a isms.Actor, p isms.Profile) (isms.Profile, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return p, err
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return p, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var old isms.Profile
		if _, err := tx.Setting(ctx, a.OrgID, profileSetting, &old); err != nil {
			return err
		}
		return s.saveProfile(ctx, tx, a, a.OrgID, old, &p)
	})
	return p, err
}

func (s *Service) saveProfile(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, old isms.Profile, p *isms.Profile) error {
	now := s.clock.Now()
	p.UpdatedAt = &now
	if p.Roles == nil {
		p.Roles = []isms.ProfileRole{}
	}
	if err := tx.SetSetting(ctx, orgID, profileSetting, p, now); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: orgID, Action: "isms_profile.update", EntityType: "organization", EntityID: orgID,
		Summary: p.PolicyZH, Data: map[string]any{"before": old, "after": p}})
}

// mergeProfile fills what the organization's profile lacks from a
// template's: empty texts, and roles by key. It says how many fields and
// roles it filled.
func mergeProfile(have *isms.Profile, from isms.Profile) int {
	n := 0
	for _, f := range []struct {
		dst *string
		src string
	}{{&have.PolicyZH, from.PolicyZH}, {&have.PolicyEN, from.PolicyEN},
		{&have.ScopeZH, from.ScopeZH}, {&have.ScopeEN, from.ScopeEN}, {&have.BoundaryZH, from.BoundaryZH},
		{&have.BoundaryEN, from.BoundaryEN}} {
		if *f.dst == "" && f.src != "" {
			*f.dst = f.src
			n++
		}
	}
	keys := map[string]bool{}
	for _, r := range have.Roles {
		keys[r.Key] = true
	}
	for _, r := range from.Roles {
		if !keys[r.Key] {
			have.Roles = append(have.Roles, r)
			n++
		}
	}
	return n
}

// ProfileHolders names, by role, who holds each system role the
// profile's ISMS roles map to.
func (s *Service) ProfileHolders(ctx context.Context, a isms.Actor) (map[isms.Role][]string, error) {
	if err := a.Require(isms.ActViewStructure); err != nil {
		return nil, err
	}
	ids, err := s.st.RoleHolderMap(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	var all []string
	for _, v := range ids {
		all = append(all, v...)
	}
	labels, err := s.AccountLabels(ctx, a, all...)
	if err != nil {
		return nil, err
	}
	out := map[isms.Role][]string{}
	for r, v := range ids {
		for _, id := range v {
			out[r] = append(out[r], labels[id])
		}
	}
	return out, nil
}

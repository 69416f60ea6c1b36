package service

import (
	"context"
	_ "embed"
	"fmt"

	"gopkg.in/yaml.v3"

	"openisms/internal/isms"
	"openisms/internal/store"
)

//go:embed defaults/obligations.yaml
var defaultObligationsYAML []byte

type defaultObligation struct {
	Code      string `yaml:"code"`
	TitleZH   string `yaml:"title_zh"`
	TitleEN   string `yaml:"title_en"`
	OwnerRole string `yaml:"owner_role"`
	Schedule  struct {
		Frequency string `yaml:"frequency"`
		Interval  int    `yaml:"interval"`
		RRule     string `yaml:"rrule"`
		Start     string `yaml:"start"` // MM-DD
		TimeOfDay string `yaml:"time_of_day"`
	} `yaml:"schedule"`
	LeadDays   int    `yaml:"lead_days"`
	GraceDays  int    `yaml:"grace_days"`
	Evidence   string `yaml:"evidence"`
	RecordKind string `yaml:"record_kind"`
	Source     string `yaml:"source"`
}

// DefaultObligations returns the seed duties anchored in year.
func DefaultObligations(year int) ([]isms.Obligation, error) {
	var ds []defaultObligation
	if err := yaml.Unmarshal(defaultObligationsYAML, &ds); err != nil {
		return nil, fmt.Errorf("default obligations: %w", err)
	}
	out := make([]isms.Obligation, len(ds))
	for i, d := range ds {
		out[i] = isms.Obligation{Code: d.Code, TitleZH: d.TitleZH, TitleEN: d.TitleEN, OwnerRole: isms.Role(d.OwnerRole),
			Schedule: isms.Schedule{Frequency: isms.Frequency(d.Schedule.Frequency), Interval: d.Schedule.Interval,
				RRule: d.Schedule.RRule, Start: fmt.Sprintf("%04d-%s", year, d.Schedule.Start), TimeOfDay: d.Schedule.TimeOfDay},
			LeadDays: d.LeadDays, GraceDays: d.GraceDays, Evidence: isms.EvidenceKind(d.Evidence), RecordKind: d.RecordKind,
			Source: d.Source}
	}
	return out, nil
}

// ApplyDefaultObligations adds the seed duties the actor's organization
// does not have yet (by code), in one transaction. Duties whose owner or
// escalation role nobody holds yet are reported, not added, so the
// organization can grant the role and apply again.
func (s *Service) ApplyDefaultObligations(ctx context.Context, a isms.Actor) (added []string, skipped map[string]error, err error) {
	if err := a.Require(isms.ActManageObligations); err != nil {
		return nil, nil, err
	}
	defs, err := DefaultObligations(s.clock.Now().In(displayZone()).Year())
	if err != nil {
		return nil, nil, isms.Internal(err)
	}
	existing, err := s.st.ListObligations(ctx, isms.ListFilter{OrgID: a.OrgID, Status: "all", Limit: isms.MaxPageSize})
	if err != nil {
		return nil, nil, err
	}
	have := map[string]bool{}
	for _, o := range existing {
		have[o.Code] = true
	}
	skipped = map[string]error{}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		for _, o := range defs {
			if have[o.Code] {
				continue
			}
			o.OrgID, o.ID, o.Active = a.OrgID, newID(), true
			o.Normalize()
			if err := o.Validate(); err != nil {
				return fmt.Errorf("default obligation %s: %w", o.Code, err)
			}
			org, err := tx.Organization(ctx, o.OrgID)
			if err != nil {
				return err
			}
			if err := s.checkObligation(ctx, tx, &o, org); err != nil {
				if isms.ErrorCode(err) == isms.CodeInvalid {
					skipped[o.Code] = err
					continue
				}
				return err
			}
			if err := s.createObligation(ctx, tx, a, &o); err != nil {
				return err
			}
			added = append(added, o.Code)
		}
		return nil
	})
	return added, skipped, err
}

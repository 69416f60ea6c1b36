package service

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"gopkg.in/yaml.v3"

	"openisms/internal/isms"
	"openisms/internal/store"
)

//go:embed defaults/legal.yaml
var defaultLegalYAML []byte

// DefaultLegal returns the register's initial entries.
func DefaultLegal() ([]isms.LegalItem, error) {
	var items []isms.LegalItem
	var raw []struct {
		Kind, Title, Issuer, Number string
		IssuedOn                    string `yaml:"issued_on"`
		EffectiveOn                 string `yaml:"effective_on"`
	}
	if err := yaml.Unmarshal(defaultLegalYAML, &raw); err != nil {
		return nil, fmt.Errorf("default legal register: %w", err)
	}
	for _, r := range raw {
		items = append(items, isms.LegalItem{Kind: r.Kind, Title: r.Title, Issuer: r.Issuer, Number: r.Number,
			IssuedOn: r.IssuedOn, EffectiveOn: r.EffectiveOn})
	}
	return items, nil
}

// ListLegal lists the actor's organization's legal register.
func (s *Service) ListLegal(ctx context.Context, a isms.Actor, f store.LegalFilter) ([]isms.LegalItem, error) {
	if err := a.Require(isms.ActViewStructure); err != nil {
		return nil, err
	}
	f.OrgID = a.OrgID
	return s.st.ListLegal(ctx, f)
}

// LegalItem reads one item with its evaluations.
func (s *Service) LegalItem(ctx context.Context, a isms.Actor, id string) (isms.LegalItem, error) {
	if err := a.Require(isms.ActViewStructure); err != nil {
		return isms.LegalItem{}, err
	}
	if !isms.ValidID(id) {
		return isms.LegalItem{}, isms.NotFound("legal_item")
	}
	l, err := s.st.LegalItem(ctx, id)
	if err == nil && l.OrgID != a.OrgID {
		return isms.LegalItem{}, isms.NotFound("legal_item")
	}
	return l, err
}

// CreateLegal adds an item to the register.
func (s *Service) CreateLegal(ctx context.Context, a isms.Actor, l isms.LegalItem) (isms.LegalItem, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return l, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		l, err = s.createLegal(ctx, tx, a, a.OrgID, l)
		return err
	})
	return l, err
}

func (s *Service) createLegal(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, l isms.LegalItem) (isms.LegalItem, error) {
	now := s.clock.Now()
	l.ID, l.OrgID, l.CreatedAt, l.UpdatedAt = newID(), orgID, now, now
	l.Normalize()
	if err := l.Validate(now); err != nil {
		return l, err
	}
	if _, err := liveDept(ctx, tx, orgID, "owner_dept_id", l.OwnerDeptID); err != nil {
		return l, err
	}
	if err := tx.CreateLegalItem(ctx, &l); err != nil {
		return l, err
	}
	return l, s.record(ctx, tx, a, audit{OrgID: orgID, Action: "legal.create", EntityType: "legal_item", EntityID: l.ID,
		Summary: l.Title, Data: l})
}

// UpdateLegal replaces an item's fields (its evaluations stay).
func (s *Service) UpdateLegal(ctx context.Context, a isms.Actor, id string, in isms.LegalItem) (isms.LegalItem, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return in, err
	}
	if !isms.ValidID(id) {
		return in, isms.NotFound("legal_item")
	}
	var l isms.LegalItem
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		old, err := tx.LegalItem(ctx, id)
		if err == nil && old.OrgID != a.OrgID {
			err = isms.NotFound("legal_item")
		}
		if err != nil {
			return err
		}
		l = in
		l.ID, l.OrgID, l.CreatedAt, l.UpdatedAt = old.ID, old.OrgID, old.CreatedAt, s.clock.Now()
		l.Normalize()
		if err := l.Validate(s.clock.Now()); err != nil {
			return err
		}
		if _, err := liveDept(ctx, tx, l.OrgID, "owner_dept_id", l.OwnerDeptID); err != nil {
			return err
		}
		if err := tx.UpdateLegalItem(ctx, &l); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: l.OrgID, Action: "legal.update", EntityType: "legal_item", EntityID: l.ID,
			Summary: l.Title, Data: map[string]any{"before": old, "after": l}})
	})
	return l, err
}

// EvaluateLegal records a compliance evaluation; the next review is due a
// year after it.
func (s *Service) EvaluateLegal(ctx context.Context, a isms.Actor, id string, e isms.LegalEvaluation) (isms.LegalEvaluation, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return e, err
	}
	if !isms.ValidID(id) {
		return e, isms.NotFound("legal_item")
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	e.ID, e.ItemID, e.Evaluator, e.CreatedAt = newID(), id, a.Username, s.clock.Now()
	if e.Evaluator == "" {
		e.Evaluator = a.Name()
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		l, err := tx.LegalItem(ctx, id)
		if err == nil && l.OrgID != a.OrgID {
			err = isms.NotFound("legal_item")
		}
		if err != nil {
			return err
		}
		on, _ := time.Parse(time.DateOnly, e.EvaluatedOn)
		if err := tx.AddLegalEvaluation(ctx, &e, on.AddDate(1, 0, 0).Format(time.DateOnly)); err != nil {
			return err
		}
		// The evaluation is the review task's evidence.
		open, err := tx.OpenTasksFor(ctx, "legal_item", l.ID)
		if err != nil {
			return err
		}
		for _, t := range open {
			if err := s.finishDone(ctx, tx, a, &t, e.EvaluatedOn+" "+e.Result+" "+e.Evidence); err != nil {
				return err
			}
		}
		if _, err := s.fileRecord(ctx, tx, a, l.OrgID, newRecord{TypeCode: recLegal, Title: l.Title + " · " + e.Result,
			Date: e.EvaluatedOn, DeptID: l.OwnerDeptID, SourceType: "legal_item", SourceID: l.ID}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: l.OrgID, Action: "legal.evaluate", EntityType: "legal_item", EntityID: l.ID,
			Summary: l.Title + ": " + e.Result, Data: e})
	})
	return e, err
}

// ApplyDefaultLegal adds the initial entries the register lacks (by
// title), in one transaction, and says how many it added.
func (s *Service) ApplyDefaultLegal(ctx context.Context, a isms.Actor) (int, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return 0, err
	}
	defs, err := DefaultLegal()
	if err != nil {
		return 0, err
	}
	added := 0
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		have, err := tx.LegalTitles(ctx, a.OrgID)
		if err != nil {
			return err
		}
		for _, d := range defs {
			if have[d.Title] {
				continue
			}
			if _, err := s.createLegal(ctx, tx, a, a.OrgID, d); err != nil {
				return fmt.Errorf("%s: %w", d.Title, err)
			}
			added++
		}
		return nil
	})
	return added, err
}

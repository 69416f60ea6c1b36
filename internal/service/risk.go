package service

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Risk assessment (manual §4.2.1.3–4.2.1.8): catalogs, the versioned
// method, assessments, risk scenarios computed by isms.RiskMethod, the
// treatment plan and the top manager's acceptance of residual risk.

//go:embed defaults/threats.yaml
var defaultThreatsYAML []byte

//go:embed defaults/vulnerabilities.yaml
var defaultVulnsYAML []byte

var riskCatalogs = sync.OnceValues(func() (struct {
	Threats []isms.Threat
	Vulns   []isms.Vulnerability
}, error) {
	var c struct {
		Threats []isms.Threat
		Vulns   []isms.Vulnerability
	}
	if err := yaml.Unmarshal(defaultThreatsYAML, &c.Threats); err != nil {
		return c, fmt.Errorf("default threats: %w", err)
	}
	if err := yaml.Unmarshal(defaultVulnsYAML, &c.Vulns); err != nil {
		return c, fmt.Errorf("default vulnerabilities: %w", err)
	}
	return c, nil
})

// ensureCatalogs gives an organization the built-in threat and
// vulnerability catalogs the first time it needs them.
func (s *Service) ensureCatalogs(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string) error {
	nt, nv, err := tx.CatalogSize(ctx, orgID)
	if err != nil || nt > 0 && nv > 0 {
		return err
	}
	c, err := riskCatalogs()
	if err != nil {
		return err
	}
	if nt == 0 {
		for _, t := range c.Threats {
			t.ID, t.OrgID = newID(), orgID
			if err := tx.SaveThreat(ctx, &t, true); err != nil {
				return err
			}
		}
	}
	if nv == 0 {
		for _, v := range c.Vulns {
			v.ID, v.OrgID = newID(), orgID
			if err := tx.SaveVulnerability(ctx, &v, true); err != nil {
				return err
			}
		}
	}
	return s.record(ctx, tx, a, audit{OrgID: orgID, Action: "risk.catalogs", EntityType: "organization", EntityID: orgID,
		Summary: fmt.Sprintf("%d threats, %d vulnerabilities", len(c.Threats), len(c.Vulns))})
}

// RiskCatalogs lists the organization's threats and vulnerabilities,
// creating them from the built-in catalogs on first use.
func (s *Service) RiskCatalogs(ctx context.Context, a isms.Actor) ([]isms.Threat, []isms.Vulnerability, error) {
	if err := a.Require(isms.ActViewRisks); err != nil {
		return nil, nil, err
	}
	ts, err := s.st.Threats(ctx, a.OrgID)
	if err != nil {
		return nil, nil, err
	}
	if len(ts) == 0 && a.Can(isms.ActManageRisks) {
		if err := s.st.InTx(ctx, func(tx *store.Tx) error { return s.ensureCatalogs(ctx, tx, a, a.OrgID) }); err != nil {
			return nil, nil, err
		}
		if ts, err = s.st.Threats(ctx, a.OrgID); err != nil {
			return nil, nil, err
		}
	}
	vs, err := s.st.Vulnerabilities(ctx, a.OrgID)
	return ts, vs, err
}

// SaveThreat adds (id "") or changes a threat of the catalog.
func (s *Service) SaveThreat(ctx context.Context, a isms.Actor, id string, t isms.Threat) (isms.Threat, error) {
	if err := a.Require(isms.ActManageRisks); err != nil {
		return t, err
	}
	if err := t.Validate(); err != nil {
		return t, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		insert := id == ""
		if insert {
			t.ID = newID()
		} else {
			old, err := tx.Threat(ctx, id)
			if err == nil && old.OrgID != a.OrgID {
				err = isms.NotFound("threat")
			}
			if err != nil {
				return err
			}
			t.ID = id
		}
		t.OrgID = a.OrgID
		if err := tx.SaveThreat(ctx, &t, insert); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "risk.threat", EntityType: "threat", EntityID: t.ID,
			Summary: t.Code + " " + t.Name, Data: t})
	})
	return t, err
}

// SaveVulnerability adds (id "") or changes a vulnerability.
func (s *Service) SaveVulnerability(ctx context.Context, a isms.Actor, id string, v isms.Vulnerability) (isms.Vulnerability, error) {
	if err := a.Require(isms.ActManageRisks); err != nil {
		return v, err
	}
	if err := v.Validate(); err != nil {
		return v, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		insert := id == ""
		if insert {
			v.ID = newID()
		} else {
			old, err := tx.Vulnerability(ctx, id)
			if err == nil && old.OrgID != a.OrgID {
				err = isms.NotFound("vulnerability")
			}
			if err != nil {
				return err
			}
			v.ID = id
		}
		v.OrgID = a.OrgID
		if err := tx.SaveVulnerability(ctx, &v, insert); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "risk.vulnerability", EntityType: "vulnerability", EntityID: v.ID,
			Summary: v.Code + " " + v.Name, Data: v})
	})
	return v, err
}

// --- Method ---

// currentMethod returns the organization's latest method version,
// writing version 1 (the matrix method's defaults) on first use.
func (s *Service) currentMethod(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string) (isms.RiskMethod, map[int]isms.RiskMethod, error) {
	ms, err := tx.RiskMethods(ctx, orgID)
	if err != nil {
		return isms.RiskMethod{}, nil, err
	}
	if len(ms) == 0 {
		m := isms.DefaultRiskMethod(isms.MethodMatrix)
		m.Version = 1
		if err := tx.CreateRiskMethod(ctx, orgID, m, a.Name(), s.clock.Now()); err != nil {
			return m, nil, err
		}
		ms = append(ms, m)
	}
	byVersion := map[int]isms.RiskMethod{}
	for _, m := range ms {
		byVersion[m.Version] = m
	}
	return ms[len(ms)-1], byVersion, nil
}

// RiskMethods lists the method versions, oldest first (the default
// matrix method as version 1 when none was saved).
func (s *Service) RiskMethods(ctx context.Context, a isms.Actor) ([]isms.RiskMethod, error) {
	if err := a.Require(isms.ActViewRisks); err != nil {
		return nil, err
	}
	ms, err := s.st.RiskMethods(ctx, a.OrgID)
	if err == nil && len(ms) == 0 {
		m := isms.DefaultRiskMethod(isms.MethodMatrix)
		m.Version = 1
		ms = []isms.RiskMethod{m}
	}
	return ms, err
}

// SetRiskMethod saves a new method version. Assessments still open move
// to it and their risks are recomputed in the same transaction; closed
// assessments keep the version they were evaluated under. The trail gets
// one entry with the counts.
func (s *Service) SetRiskMethod(ctx context.Context, a isms.Actor, m isms.RiskMethod) (isms.RiskMethod, int, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return m, 0, err
	}
	if err := m.Validate(); err != nil {
		return m, 0, err
	}
	changed := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		cur, byVersion, err := s.currentMethod(ctx, tx, a, a.OrgID)
		if err != nil {
			return err
		}
		m.Version = cur.Version + 1
		now := s.clock.Now()
		if err := tx.CreateRiskMethod(ctx, a.OrgID, m, a.Name(), now); err != nil {
			return err
		}
		byVersion[m.Version] = m
		open, err := tx.OpenAssessments(ctx, a.OrgID)
		if err != nil {
			return err
		}
		var ids []string
		for _, x := range open {
			x.MethodVersion, x.UpdatedAt = m.Version, now
			if err := tx.SaveAssessment(ctx, &x, false); err != nil {
				return err
			}
			ids = append(ids, x.ID)
		}
		values, err := tx.AssetValues(ctx, a.OrgID)
		if err != nil {
			return err
		}
		var total int
		if changed, total, err = s.recompute(ctx, tx, a.OrgID, ids, nil, byVersion, m.Version, values); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "risk.method", EntityType: "organization", EntityID: a.OrgID,
			Summary: fmt.Sprintf("v%d → v%d: %d/%d", cur.Version, m.Version, changed, total),
			Data:    map[string]any{"from": cur.Version, "to": m.Version, "method": m, "assessments": len(ids), "risks": total, "changed": changed}})
	})
	return m, changed, err
}

// recompute recomputes the risks of the given assessments (only those of
// assetIDs when given) under version (0: each risk's own), taking each
// asset's current value (values) as Ia, and writes those whose result
// changed.
func (s *Service) recompute(ctx context.Context, tx *store.Tx, orgID string, assessmentIDs, assetIDs []string,
	methods map[int]isms.RiskMethod, version int, values map[string]int) (changed, total int, err error) {
	rs, err := tx.RisksForRecompute(ctx, orgID, assessmentIDs, assetIDs)
	if err != nil || len(rs) == 0 {
		return 0, 0, err
	}
	// Changed risks are compacted to the front of rs: a recompute may
	// hold 200,000 risks, and copying them into a second slice cost more
	// than computing them.
	k := 0
	for i := range rs {
		before, r := rs[i], rs[i]
		if version > 0 {
			r.MethodVersion = version
		}
		m, ok := methods[r.MethodVersion]
		if !ok {
			return 0, 0, fmt.Errorf("risk %s: no method version %d", r.ID, r.MethodVersion)
		}
		if v, ok := values[r.AssetID]; ok {
			r.Ia = v
		}
		if err := computeRisk(&m, &r); err != nil {
			return 0, 0, err
		}
		if r.Ia != before.Ia || r.Result != before.Result || r.Residual != before.Residual || r.MethodVersion != before.MethodVersion ||
			r.CellL != before.CellL || r.CellF != before.CellF {
			rs[k] = r
			k++
		}
	}
	return k, len(rs), tx.SetRiskResults(ctx, rs[:k])
}

// computeRisk computes a risk's inherent and residual results under m.
func computeRisk(m *isms.RiskMethod, r *isms.Risk) error {
	res, err := m.Compute(r.Input())
	if err != nil {
		return err
	}
	r.Result = res
	r.CellL, r.CellF = m.Cell(res)
	r.Residual = isms.RiskResult{}
	if r.HasResidual() {
		if r.Residual, err = m.Compute(r.ResidualInput()); err != nil {
			return err
		}
	}
	return nil
}

// recomputeAssets recomputes the risks of open assessments that concern
// the given assets (their value changed); closed assessments keep the
// values they were evaluated with.
func (s *Service) recomputeAssets(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, assetIDs []string) (int, error) {
	if len(assetIDs) == 0 {
		return 0, nil
	}
	open, err := tx.OpenAssessments(ctx, orgID)
	if err != nil || len(open) == 0 {
		return 0, err
	}
	ids := make([]string, len(open))
	for i, x := range open {
		ids[i] = x.ID
	}
	ms, err := tx.RiskMethods(ctx, orgID)
	if err != nil {
		return 0, err
	}
	byVersion := map[int]isms.RiskMethod{}
	for _, m := range ms {
		byVersion[m.Version] = m
	}
	values, err := tx.AssetValues(ctx, orgID)
	if err != nil {
		return 0, err
	}
	var changed, total int
	for start := 0; start < len(assetIDs); start += 500 {
		c, t, err := s.recompute(ctx, tx, orgID, ids, assetIDs[start:min(start+500, len(assetIDs))], byVersion, 0, values)
		if err != nil {
			return 0, err
		}
		changed, total = changed+c, total+t
	}
	if total == 0 {
		return 0, nil
	}
	return changed, s.record(ctx, tx, a, audit{OrgID: orgID, Action: "risk.recompute", EntityType: "organization", EntityID: orgID,
		Summary: fmt.Sprintf("%d/%d", changed, total), Data: map[string]any{"assets": len(assetIDs), "risks": total, "changed": changed}})
}

// --- Assessments ---

// Assessments lists the organization's assessments.
func (s *Service) Assessments(ctx context.Context, a isms.Actor) ([]isms.Assessment, error) {
	if err := a.Require(isms.ActViewRisks); err != nil {
		return nil, err
	}
	return s.st.Assessments(ctx, a.OrgID)
}

// AssessmentTitles lists the organization's assessments without their
// risk counts (for choosers and filters).
func (s *Service) AssessmentTitles(ctx context.Context, a isms.Actor) ([]isms.Assessment, error) {
	if err := a.Require(isms.ActViewRisks); err != nil {
		return nil, err
	}
	return s.st.AssessmentTitles(ctx, a.OrgID)
}

// Assessment reads one assessment.
func (s *Service) Assessment(ctx context.Context, a isms.Actor, id string) (isms.Assessment, error) {
	if err := a.Require(isms.ActViewRisks); err != nil {
		return isms.Assessment{}, err
	}
	if !isms.ValidID(id) {
		return isms.Assessment{}, isms.NotFound("assessment")
	}
	x, err := s.st.Assessment(ctx, id)
	if err == nil && x.OrgID != a.OrgID {
		err = isms.NotFound("assessment")
	}
	return x, err
}

func assessmentForChange(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Assessment, error) {
	if !isms.ValidID(id) {
		return isms.Assessment{}, isms.NotFound("assessment")
	}
	x, err := tx.Assessment(ctx, id)
	if err == nil && x.OrgID != a.OrgID {
		err = isms.NotFound("assessment")
	}
	return x, err
}

// SaveAssessment creates (id "") or changes an assessment's scope, team,
// dates and consultation record. A new assessment uses the current
// method version and starts in planning.
func (s *Service) SaveAssessment(ctx context.Context, a isms.Actor, id string, in isms.Assessment) (isms.Assessment, error) {
	if err := a.Require(isms.ActManageRisks); err != nil {
		return in, err
	}
	x := in
	x.DeptIDs = dedupe(x.DeptIDs)
	if err := x.Validate(); err != nil {
		return x, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := liveDepts(ctx, tx, a.OrgID, "department_ids", x.DeptIDs); err != nil {
			return err
		}
		now := s.clock.Now()
		insert := id == ""
		if insert {
			cur, _, err := s.currentMethod(ctx, tx, a, a.OrgID)
			if err != nil {
				return err
			}
			if err := s.ensureCatalogs(ctx, tx, a, a.OrgID); err != nil {
				return err
			}
			x.ID, x.OrgID, x.MethodVersion, x.Status, x.CreatedByID, x.CreatedAt = newID(), a.OrgID, cur.Version, isms.AssessPlanning, a.AccountID, now
		} else {
			old, err := assessmentForChange(ctx, tx, a, id)
			if err != nil {
				return err
			}
			if old.Status == isms.AssessClosed {
				return isms.Conflict("status", isms.M("risk.assessment_closed"))
			}
			x.ID, x.OrgID, x.MethodVersion, x.Status, x.CreatedByID, x.CreatedAt, x.ReviewReason =
				old.ID, old.OrgID, old.MethodVersion, old.Status, old.CreatedByID, old.CreatedAt, old.ReviewReason
		}
		x.UpdatedAt = now
		if err := tx.SaveAssessment(ctx, &x, insert); err != nil {
			return err
		}
		action := "risk.assessment_update"
		if insert {
			action = "risk.assessment_create"
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: "assessment", EntityID: x.ID, Summary: x.Title, Data: x})
	})
	return x, err
}

// SetAssessmentStatus moves an assessment one step forward or back.
// Closing needs every risk evaluated: each has a treatment decision, and
// none waits for acceptance; a closed assessment is final.
func (s *Service) SetAssessmentStatus(ctx context.Context, a isms.Actor, id, status string) (isms.Assessment, error) {
	var x isms.Assessment
	if err := a.Require(isms.ActManageRisks); err != nil {
		return x, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if x, err = assessmentForChange(ctx, tx, a, id); err != nil {
			return err
		}
		from, to := slices.Index(isms.AssessmentStatuses, x.Status), slices.Index(isms.AssessmentStatuses, status)
		switch {
		case to < 0:
			return isms.Invalid("status", isms.M("field.one_of", "values", strings.Join(isms.AssessmentStatuses, ", ")))
		case x.Status == isms.AssessClosed:
			return isms.Conflict("status", isms.M("risk.assessment_closed"))
		case to != from+1 && to != from-1:
			return isms.Conflict("status", isms.M("risk.status_step"))
		}
		if status == isms.AssessClosed {
			rs, err := tx.RisksForRecompute(ctx, a.OrgID, []string{x.ID}, nil)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if r.Treatment == "" || r.Acceptance == isms.AcceptPending {
					return isms.Conflict("status", isms.M("risk.close_open", "number", r.Number()))
				}
			}
		}
		prev := x.Status
		x.Status, x.UpdatedAt = status, s.clock.Now()
		if err := tx.SaveAssessment(ctx, &x, false); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "risk.assessment_status", EntityType: "assessment", EntityID: x.ID,
			Summary: prev + " → " + status})
	})
	return x, err
}

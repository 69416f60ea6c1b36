package service

import (
	"context"
	"io"
	"slices"
	"strconv"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// GB/T 22239-2019 gap self-assessments (差距自评估) of grading objects.

// BaselineCode is the built-in framework a self-assessment draws from.
const BaselineCode = "GB/T22239-2019"

// SelfAssessmentDetail is a self-assessment with everything its page
// shows: the items with their results and evidence, the framework's
// titles, the Annex A controls each control point overlaps and the SoA
// evidence collected for them, and the object's rectification items a
// gap may link to.
type SelfAssessmentDetail struct {
	Assessment isms.SelfAssessment             `json:"assessment"`
	Checks     []isms.SelfCheck                `json:"checks"`
	Nodes      map[string]isms.RequirementNode `json:"-"` // by reference
	// ISO lists, by control point, the ISO/IEC 27001:2022 controls it
	// overlaps; SoAEvidence counts the evidence on their SoA lines.
	ISO            map[string][]string  `json:"iso"`
	SoAEvidence    map[string]int       `json:"soa_evidence"`
	Risks          map[string]string    `json:"-"` // risk id → number
	Rectifications []isms.Rectification `json:"-"`
	Today          string               `json:"today"`
}

// Item is a check's requirement node.
func (d SelfAssessmentDetail) Item(c isms.SelfCheck) isms.RequirementNode { return d.Nodes[c.Ref] }

// ControlPoint is the control point a check's item belongs to.
func (d SelfAssessmentDetail) ControlPoint(c isms.SelfCheck) isms.RequirementNode {
	return d.Nodes[d.Nodes[c.Ref].ParentRef]
}

// baseline reads the built-in GB/T 22239 framework.
func (s *Service) baseline(ctx context.Context) (isms.Framework, error) {
	if err := s.ensureBuiltins(ctx); err != nil {
		return isms.Framework{}, err
	}
	f, found, err := s.st.FrameworkByCode(ctx, "", BaselineCode)
	if err == nil && !found {
		err = isms.NotFound("framework")
	}
	return f, err
}

// SelfAssessments lists an object's self-assessments, newest first.
func (s *Service) SelfAssessments(ctx context.Context, a isms.Actor, objectID string) ([]isms.SelfAssessment, error) {
	if err := a.Require(isms.ActViewMLPS); err != nil {
		return nil, err
	}
	if !isms.ValidID(objectID) {
		return nil, isms.NotFound("mlps_object")
	}
	if _, err := s.st.MLPSObject(ctx, a.OrgID, objectID); err != nil {
		return nil, err
	}
	return s.st.SelfAssessments(ctx, a.OrgID, objectID)
}

// StartSelfAssessment starts a self-assessment of an object at a level
// (2 or 3) with the chosen extensions: every item of the level's general
// requirements and of those extensions, in the framework's order, not
// yet assessed. An object has one open self-assessment at a time.
func (s *Service) StartSelfAssessment(ctx context.Context, a isms.Actor, objectID string, in isms.SelfAssessment) (isms.SelfAssessment, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return in, err
	}
	if !isms.ValidID(objectID) {
		return in, isms.NotFound("mlps_object")
	}
	if err := isms.CheckSelfAssessment(&in); err != nil {
		return in, err
	}
	f, err := s.baseline(ctx)
	if err != nil {
		return in, err
	}
	nodes, err := s.st.RequirementNodes(ctx, "", f.ID)
	if err != nil {
		return in, err
	}
	now := s.clock.Now()
	x := isms.SelfAssessment{ID: newID(), OrgID: a.OrgID, ObjectID: objectID, FrameworkID: f.ID, Level: in.Level,
		Extensions: in.Extensions, Title: in.Title, Status: isms.SelfOpen, CreatedBy: a.AccountID, CreatedAt: now, UpdatedAt: now}
	level := strconv.Itoa(in.Level)
	var checks []isms.SelfCheck
	for _, n := range nodes {
		ext := n.Attributes["extension"]
		if n.Assessable && !n.Withdrawn && n.Attributes["level"] == level && (ext == "general" || slices.Contains(in.Extensions, ext)) {
			checks = append(checks, isms.SelfCheck{ID: newID(), OrgID: a.OrgID, AssessmentID: x.ID, NodeID: n.ID,
				Ref: n.Ref, Position: n.Position})
		}
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.MLPSObject(ctx, a.OrgID, objectID)
		if err != nil {
			return err
		}
		if o.Status == "retired" {
			return isms.Conflict("object", isms.M("mlps.self_retired"))
		}
		open, err := tx.OpenSelfAssessment(ctx, a.OrgID, objectID)
		if err != nil {
			return err
		}
		if open != "" {
			return isms.Conflict("object", isms.M("mlps.self_open_exists"))
		}
		if err := tx.CreateSelfAssessment(ctx, &x, checks); err != nil {
			return err
		}
		x.ObjectLabel = o.Label()
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.self_start", EntityType: "self_assessment",
			EntityID: x.ID, Summary: o.Label() + " L" + level,
			Data: map[string]any{"object_id": objectID, "level": x.Level, "extensions": x.Extensions, "items": len(checks)}})
	})
	x.Counts.Total = len(checks)
	return x, err
}

// SelfAssessment reads a self-assessment with its items.
func (s *Service) SelfAssessment(ctx context.Context, a isms.Actor, id string) (SelfAssessmentDetail, error) {
	var d SelfAssessmentDetail
	if err := a.Require(isms.ActViewMLPS); err != nil {
		return d, err
	}
	if !isms.ValidID(id) {
		return d, isms.NotFound("self_assessment")
	}
	var err error
	if d.Assessment, err = s.st.SelfAssessment(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	if d.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return d, err
	}
	if d.Checks, err = s.st.SelfChecks(ctx, a.OrgID, id, d.Today); err != nil {
		return d, err
	}
	nodes, err := s.st.SelfNodes(ctx, a.OrgID, d.Assessment.FrameworkID, id)
	if err != nil {
		return d, err
	}
	d.Nodes = make(map[string]isms.RequirementNode, len(nodes))
	byID := make(map[string]string, len(nodes))
	for _, n := range nodes {
		d.Nodes[n.Ref] = n
		byID[n.ID] = n.Ref
	}
	ms, err := s.st.FrameworkMappings(ctx, a.OrgID, d.Assessment.FrameworkID)
	if err != nil {
		return d, err
	}
	d.ISO = map[string][]string{}
	for _, m := range ms {
		d.ISO[m.SourceRef] = append(d.ISO[m.SourceRef], m.TargetRef)
	}
	counts, err := s.st.MappedSoAEvidence(ctx, a.OrgID, d.Assessment.FrameworkID, d.Today)
	if err != nil {
		return d, err
	}
	d.SoAEvidence = make(map[string]int, len(counts))
	for nodeID, n := range counts {
		d.SoAEvidence[byID[nodeID]] = n
	}
	if d.Rectifications, err = s.st.Rectifications(ctx, a.OrgID, d.Assessment.ObjectID, ""); err != nil {
		return d, err
	}
	var riskIDs []string
	for _, c := range d.Checks {
		if c.RiskID != "" {
			riskIDs = append(riskIDs, c.RiskID)
		}
	}
	numbers, err := s.st.RiskNumbers(ctx, a.OrgID, riskIDs)
	if err != nil {
		return d, err
	}
	d.Risks = make(map[string]string, len(numbers))
	for id, n := range numbers {
		d.Risks[id] = isms.Risk{N: n}.Number()
	}
	return d, nil
}

// RecordSelfChecks writes answers to a self-assessment's items, by
// reference: all or none. A link left out stays; a risk is named by its
// id or its number (FX-000123) and must be the organization's, a
// rectification item must be the object's, and only a gap keeps links. Each changed item writes an audit entry; unchanged
// items are left as they are. It returns how many items changed.
func (s *Service) RecordSelfChecks(ctx context.Context, a isms.Actor, id string, ins []isms.SelfCheckInput) (int, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return 0, err
	}
	if !isms.ValidID(id) {
		return 0, isms.NotFound("self_assessment")
	}
	var p isms.Problems
	for i := range ins {
		p.Merge(ins[i].Check())
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	changed := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		x, err := tx.SelfAssessment(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if x.Status != isms.SelfOpen {
			return isms.Conflict("status", isms.M("mlps.self_closed"))
		}
		checks, err := tx.SelfChecks(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		byRef := make(map[string]*isms.SelfCheck, len(checks))
		for i := range checks {
			byRef[checks[i].Ref] = &checks[i]
		}
		now := s.clock.Now()
		var p isms.Problems
		for _, in := range ins {
			c := byRef[in.Ref]
			if c == nil {
				p.Add(in.Ref+" ref", "mlps.self_unknown_ref")
				continue
			}
			next := *c
			next.Result, next.Note = in.Result, in.Note
			// A link is looked up only when it changes.
			if in.RiskID != nil && *in.RiskID != c.RiskID {
				if next.RiskID, err = s.selfRisk(ctx, tx, a.OrgID, *in.RiskID); err != nil {
					p.Add(in.Ref+" risk_id", "mlps.self_risk_unknown")
					continue
				}
			}
			if in.RectificationID != nil && *in.RectificationID != c.RectificationID {
				next.RectificationID = *in.RectificationID
				if next.RectificationID != "" {
					r, err := tx.Rectification(ctx, a.OrgID, next.RectificationID)
					if err != nil || r.ObjectID != x.ObjectID {
						p.Add(in.Ref+" rectification_id", "mlps.self_rect_unknown")
						continue
					}
				}
			}
			if field, msg := next.LinkProblem(); field != "" {
				p.Add(field, msg)
				continue
			}
			if next.Result == c.Result && next.Note == c.Note && next.RiskID == c.RiskID && next.RectificationID == c.RectificationID {
				continue
			}
			before := *c
			*c = next
			c.UpdatedBy, c.UpdatedAt = a.AccountID, &now
			if err := tx.UpdateSelfCheck(ctx, c); err != nil {
				return err
			}
			if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.self_check", EntityType: "self_assessment",
				EntityID: x.ID, Summary: x.ObjectLabel + " " + c.Ref + ": " + c.Result,
				Data: map[string]any{"ref": c.Ref, "before": map[string]string{"result": before.Result, "note": before.Note,
					"risk_id": before.RiskID, "rectification_id": before.RectificationID},
					"result": c.Result, "note": c.Note, "risk_id": c.RiskID, "rectification_id": c.RectificationID}}); err != nil {
				return err
			}
			changed++
		}
		if err := p.Err(); err != nil {
			return err
		}
		if changed > 0 {
			x.UpdatedAt = now
			return tx.UpdateSelfAssessment(ctx, &x)
		}
		return nil
	})
	if err != nil {
		changed = 0
	}
	return changed, err
}

// selfRisk resolves a risk named by id or number to the organization's
// risk's id ("" for none).
func (s *Service) selfRisk(ctx context.Context, tx *store.Tx, orgID, text string) (string, error) {
	if text == "" {
		return "", nil
	}
	if n, ok := isms.RiskNumber(text); ok {
		return tx.RiskByNumber(ctx, orgID, n)
	}
	r, err := tx.Risk(ctx, text)
	if err != nil || r.OrgID != orgID {
		return "", isms.NotFound("risk")
	}
	return r.ID, nil
}

// CloseSelfAssessment closes a self-assessment whose every item has a
// result; a closed one is kept as it was and no longer changes.
func (s *Service) CloseSelfAssessment(ctx context.Context, a isms.Actor, id string) (isms.SelfAssessment, error) {
	var x isms.SelfAssessment
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return x, err
	}
	if !isms.ValidID(id) {
		return x, isms.NotFound("self_assessment")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if x, err = tx.SelfAssessment(ctx, a.OrgID, id); err != nil {
			return err
		}
		if x.Status != isms.SelfOpen {
			return isms.Conflict("status", isms.M("mlps.self_closed"))
		}
		if open := x.Counts.Open(); open > 0 {
			return isms.Invalid("items", isms.M("mlps.self_unassessed", "n", open))
		}
		now := s.clock.Now()
		x.Status, x.ClosedAt, x.UpdatedAt = isms.SelfClosed, &now, now
		if err := tx.UpdateSelfAssessment(ctx, &x); err != nil {
			return err
		}
		rate, _ := x.Counts.Rate()
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.self_close", EntityType: "self_assessment",
			EntityID: x.ID, Summary: x.ObjectLabel + " L" + strconv.Itoa(x.Level),
			Data: map[string]any{"counts": x.Counts, "internal_rate": rate}})
	})
	return x, err
}

// selfCheckLabel names an item of an open self-assessment (read in tx
// when given) for its evidence; a closed one takes no more.
func (s *Service) selfCheckLabel(ctx context.Context, tx *store.Tx, orgID, id string) (string, error) {
	var c isms.SelfCheck
	var x isms.SelfAssessment
	var err error
	if tx != nil {
		if c, err = tx.SelfCheck(ctx, orgID, id); err == nil {
			x, err = tx.SelfAssessment(ctx, orgID, c.AssessmentID)
		}
	} else if c, err = s.st.SelfCheck(ctx, orgID, id); err == nil {
		x, err = s.st.SelfAssessment(ctx, orgID, c.AssessmentID)
	}
	if err != nil {
		return "", err
	}
	if x.Status != isms.SelfOpen {
		return "", isms.Conflict("status", isms.M("mlps.self_closed"))
	}
	return x.ObjectLabel + " " + c.Ref, nil
}

// SelfCheckDetail is one item of a self-assessment with its evidence.
type SelfCheckDetail struct {
	SelfAssessmentDetail
	Check    isms.SelfCheck  `json:"check"`
	Evidence []isms.Evidence `json:"evidence"`
	// Text is the organization's full text of the item, if it imported
	// the standard's.
	Text string `json:"text,omitempty"`
}

// SelfCheckItem reads one item of a self-assessment by reference.
func (s *Service) SelfCheckItem(ctx context.Context, a isms.Actor, id, ref string) (SelfCheckDetail, error) {
	var d SelfCheckDetail
	var err error
	if d.SelfAssessmentDetail, err = s.SelfAssessment(ctx, a, id); err != nil {
		return d, err
	}
	i := slices.IndexFunc(d.Checks, func(c isms.SelfCheck) bool { return c.Ref == ref })
	if i < 0 {
		return d, isms.NotFound("self_check")
	}
	d.Check = d.Checks[i]
	if d.Evidence, err = s.st.Evidence(ctx, a.OrgID, isms.EvidenceSelfCheck, d.Check.ID); err != nil {
		return d, err
	}
	d.Text, err = s.st.OwnText(ctx, a.OrgID, d.Check.NodeID)
	return d, err
}

// SelfAssessmentXLSX writes a self-assessment as a workbook, titled with
// its object, level and internal rate (marked as not the official
// conclusion).
func (s *Service) SelfAssessmentXLSX(ctx context.Context, a isms.Actor, id string, ready func(filename string), w io.Writer) error {
	d, err := s.SelfAssessment(ctx, a, id)
	if err != nil {
		return err
	}
	x := d.Assessment
	rects := map[string]string{}
	for _, r := range d.Rectifications {
		rects[r.ID] = r.EvaluationRef + " #" + strconv.Itoa(r.N)
	}
	rows := make([]export.SelfRow, len(d.Checks))
	for i, c := range d.Checks {
		item, cp := d.Item(c), d.ControlPoint(c)
		rows[i] = export.SelfRow{Category: d.Nodes[cp.ParentRef].Title("zh-CN"), ControlPoint: cp.Title("zh-CN"), Ref: c.Ref,
			Item: item.Title("zh-CN"), Result: c.Result, Note: c.Note, Evidence: c.Evidence, ISO: d.ISO[cp.Ref],
			SoAEvidence: d.SoAEvidence[cp.Ref], Risk: d.Risks[c.RiskID], Rectification: rects[c.RectificationID]}
	}
	title := x.ObjectLabel + " · 第" + strconv.Itoa(x.Level) + "级差距自评估 Gap self-assessment L" + strconv.Itoa(x.Level) +
		" · 内部符合率 internal rate " + x.Counts.RateText() + "（非测评结论 not an evaluation's conclusion）"
	ready(x.ObjectLabel + " 自评估 L" + strconv.Itoa(x.Level) + " " + d.Today + ".xlsx")
	return export.SelfAssessment(w, title, rows)
}

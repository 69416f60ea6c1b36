package service

import (
	"context"
	"io"
	"slices"
	"strings"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// MLPS grading objects (定级对象): the register of what an organization
// grades, with the facts its filing forms need, its data categories and
// the assets it is made of.

// MLPSObjects lists the organization's grading objects, each with its
// grading in force and any grading in progress.
func (s *Service) MLPSObjects(ctx context.Context, a isms.Actor, f store.MLPSObjectFilter) ([]isms.MLPSObject, error) {
	if err := a.Require(isms.ActViewMLPS); err != nil {
		return nil, err
	}
	f.OrgID = a.OrgID
	return s.objectsWithGradings(ctx, f)
}

// objectsWithGradings reads an organization's objects (f.OrgID) each with
// its grading in force and in progress: two queries, whatever the count.
func (s *Service) objectsWithGradings(ctx context.Context, f store.MLPSObjectFilter) ([]isms.MLPSObject, error) {
	os, err := s.st.MLPSObjects(ctx, f)
	if err != nil {
		return nil, err
	}
	gs, err := s.st.Gradings(ctx, f.OrgID, "")
	if err != nil {
		return nil, err
	}
	byObject := map[string][]isms.Grading{}
	for _, g := range gs {
		byObject[g.ObjectID] = append(byObject[g.ObjectID], g)
	}
	for i := range os {
		attachGradings(&os[i], byObject[os[i].ID])
	}
	return os, nil
}

// attachGradings sets an object's grading in force (the latest one in
// force, or failing that the latest of all) and its grading in progress,
// from its gradings in version order.
func attachGradings(o *isms.MLPSObject, gs []isms.Grading) {
	o.Current, o.Open = nil, nil
	for i := len(gs) - 1; i >= 0; i-- {
		g := gs[i]
		if g.Open() && o.Open == nil {
			o.Open = &g
		}
		if g.InForce() && o.Current == nil {
			o.Current = &g
		}
	}
	if o.Current == nil && len(gs) > 0 {
		g := gs[len(gs)-1]
		o.Current = &g
	}
}

// MLPSObjectDetail is an object with everything recorded about it.
type MLPSObjectDetail struct {
	Object       isms.MLPSObject      `json:"object"`
	Assets       []isms.MLPSAssetLink `json:"assets"`
	Gradings     []isms.Grading       `json:"gradings"` // newest first
	Filings      []isms.Filing        `json:"filings"`  // oldest first
	Certificates []isms.Certificate   `json:"certificates"`
	Evidence     []isms.Evidence      `json:"evidence"`    // topology diagram and other attachments
	Evaluations  []isms.Evaluation    `json:"evaluations"` // newest first, each with its findings summary
	// SelfAssessments are its GB/T 22239 self-assessments, newest first.
	SelfAssessments []isms.SelfAssessment `json:"self_assessments"`
	Agencies        []isms.Agency         `json:"agencies"`
	Duties          []isms.Task           `json:"duties"`   // its open MLPS duty tasks, by due time
	Children        []isms.MLPSObject     `json:"children"` // objects whose parent it is
	Today           string                `json:"today"`
	CanEdit         bool                  `json:"can_edit"`
}

// MLPSObject reads one grading object with its gradings, submissions,
// certificates (with their computed validity) and attachments.
func (s *Service) MLPSObject(ctx context.Context, a isms.Actor, id string) (MLPSObjectDetail, error) {
	var d MLPSObjectDetail
	if err := a.Require(isms.ActViewMLPS); err != nil {
		return d, err
	}
	if !isms.ValidID(id) {
		return d, isms.NotFound("mlps_object")
	}
	var err error
	if d.Object, err = s.st.MLPSObject(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	if d.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return d, err
	}
	cats, err := s.st.DataCategories(ctx, a.OrgID, []string{id})
	if err != nil {
		return d, err
	}
	d.Object.Categories = cats[id]
	if d.Assets, err = s.st.MLPSObjectAssets(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	gs, err := s.st.Gradings(ctx, a.OrgID, id)
	if err != nil {
		return d, err
	}
	attachGradings(&d.Object, gs)
	slices.Reverse(gs)
	d.Gradings = gs
	if d.Filings, err = s.st.Filings(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	ev, err := s.st.EvidenceOf(ctx, a.OrgID, isms.EvidenceMLPSObject, []string{id})
	if err != nil {
		return d, err
	}
	d.Evidence = ev[id]
	if d.Children, err = s.st.MLPSObjects(ctx, store.MLPSObjectFilter{OrgID: a.OrgID, Status: store.StatusAll, ParentID: id}); err != nil {
		return d, err
	}
	if d.Evaluations, err = s.st.Evaluations(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	days := make([]string, len(d.Evaluations))
	for i, e := range d.Evaluations {
		days[i] = e.CompletedOn
	}
	if d.Certificates, err = s.certificates(ctx, a.OrgID, id, days, d.Today); err != nil {
		return d, err
	}
	rects, err := s.st.Rectifications(ctx, a.OrgID, id, "")
	if err != nil {
		return d, err
	}
	for i := range d.Evaluations {
		e := &d.Evaluations[i]
		e.Findings = isms.Summarize(slices.DeleteFunc(slices.Clone(rects), func(r isms.Rectification) bool {
			return r.EvaluationID != e.ID
		}), d.Today)
	}
	if d.Agencies, err = s.st.Agencies(ctx, a.OrgID); err != nil {
		return d, err
	}
	if d.SelfAssessments, err = s.st.SelfAssessments(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	if d.Duties, err = s.openDuties(ctx, d.Object, d.Evaluations); err != nil {
		return d, err
	}
	d.CanEdit = a.Can(isms.ActManageMLPS)
	return d, nil
}

// openDuties lists the open duty tasks of an object (and the work plans
// of its evaluations), by due time.
func (s *Service) openDuties(ctx context.Context, o isms.MLPSObject, evals []isms.Evaluation) ([]isms.Task, error) {
	ids := []string{o.ID}
	for _, e := range evals {
		ids = append(ids, e.ID)
	}
	ts, err := s.st.ListTasks(ctx, store.TaskFilter{OrgID: o.OrgID, SourceIDs: ids, Status: []isms.TaskStatus{isms.TaskOpen}})
	return slices.DeleteFunc(ts, func(t isms.Task) bool { return !strings.HasPrefix(t.SourceType, "mlps_") }), err
}

// certificates reads an object's certificates, each with its validity
// computed from the days its evaluations were completed (any order).
func (s *Service) certificates(ctx context.Context, orgID, objectID string, evaluations []string, today string) ([]isms.Certificate, error) {
	cs, err := s.st.Certificates(ctx, orgID, objectID)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		v, err := isms.DefaultCertificateRule.Validity(cs[i].IssuedOn, evaluations)
		if err != nil {
			return nil, err
		}
		cs[i].Validity, cs[i].State = &v, v.RenewalState(today)
	}
	return cs, nil
}

// SaveMLPSObject creates a grading object (id "") or changes one, with its
// data categories (which replace those it had).
func (s *Service) SaveMLPSObject(ctx context.Context, a isms.Actor, id string, in isms.MLPSObject) (isms.MLPSObject, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return in, err
	}
	in.ID = id
	in.Normalize()
	var p isms.Problems
	p.Merge(in.Validate())
	for i := range in.Categories {
		c := &in.Categories[i]
		c.Normalize()
		prefixProblems(&p, "data_categories #"+itoa(i+1)+" ", c.Validate())
	}
	if err := p.Err(); err != nil {
		return in, err
	}
	if id != "" && !isms.ValidID(id) {
		return in, isms.NotFound("mlps_object")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var old isms.MLPSObject
		action := "mlps.object_create"
		if id != "" {
			var err error
			if old, err = tx.MLPSObject(ctx, a.OrgID, id); err != nil {
				return err
			}
			action = "mlps.object_update"
		}
		if err := s.checkMLPSRefs(ctx, tx, a.OrgID, &in); err != nil {
			return err
		}
		now := s.clock.Now()
		in.OrgID, in.UpdatedBy, in.UpdatedAt = a.OrgID, a.Name(), now
		if id == "" {
			in.ID, in.CreatedAt = newID(), now
			if err := tx.CreateMLPSObject(ctx, &in); err != nil {
				return err
			}
		} else {
			in.N, in.CreatedAt = old.N, old.CreatedAt
			if err := tx.UpdateMLPSObject(ctx, &in); err != nil {
				return err
			}
		}
		for i := range in.Categories {
			if in.Categories[i].ID == "" || !isms.ValidID(in.Categories[i].ID) {
				in.Categories[i].ID = newID()
			}
			in.Categories[i].OrgID, in.Categories[i].ObjectID = a.OrgID, in.ID
		}
		if err := tx.ReplaceDataCategories(ctx, a.OrgID, in.ID, in.Categories); err != nil {
			return err
		}
		var before any
		if old.ID != "" {
			before = old
		}
		if err := s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: "mlps_object", EntityID: in.ID,
			Summary: in.Label(), Data: map[string]any{"before": before, "after": in}}); err != nil {
			return err
		}
		return s.syncMLPSDuties(ctx, tx, a, a.OrgID, in.ID)
	})
	return in, err
}

// prefixProblems merges err's field problems into p with prefix before
// each field name.
func prefixProblems(p *isms.Problems, prefix string, err error) {
	e := isms.AsError(err)
	if e == nil {
		p.Merge(err)
		return
	}
	for _, f := range e.Fields {
		p.Add(prefix+f.Field, f.Msg.ID, msgArgs(f.Msg)...)
	}
}

// msgArgs flattens a message's arguments for Problems.Add.
func msgArgs(m isms.Msg) []any {
	var kv []any
	for k, v := range m.Args {
		kv = append(kv, k, v)
	}
	return kv
}

// checkMLPSRefs checks an object's department, people and parent: all
// of the organization, the parent no descendant of the object.
func (s *Service) checkMLPSRefs(ctx context.Context, tx *store.Tx, orgID string, o *isms.MLPSObject) error {
	if _, err := liveDept(ctx, tx, orgID, "department_id", o.DeptID); err != nil {
		return err
	}
	for _, f := range [][2]string{{"construction_by", o.ConstructionBy}, {"operation_by", o.OperationBy},
		{"security_by", o.SecurityBy}} {
		if err := livePerson(ctx, tx, orgID, f[0], f[1]); err != nil {
			return err
		}
	}
	for i, c := range o.Categories {
		if _, err := liveDept(ctx, tx, orgID, "data_categories #"+itoa(i+1)+" department_id", c.DeptID); err != nil {
			return err
		}
		if err := livePerson(ctx, tx, orgID, "data_categories #"+itoa(i+1)+" person_id", c.PersonID); err != nil {
			return err
		}
	}
	// Walk up from the parent: reaching the object itself is a cycle.
	for next, steps := o.ParentID, 0; next != ""; steps++ {
		p, err := tx.MLPSObject(ctx, orgID, next)
		if isms.ErrorCode(err) == isms.CodeNotFound {
			return isms.Invalid("parent_id", isms.M("mlps.parent_missing"))
		}
		if err != nil {
			return err
		}
		if p.ID == o.ID || steps > 100 {
			return isms.Invalid("parent_id", isms.M("mlps.parent_cycle"))
		}
		next = p.ParentID
	}
	return nil
}

// LinkMLPSAsset links an asset of the register to an object in a role.
func (s *Service) LinkMLPSAsset(ctx context.Context, a isms.Actor, objectID string, l isms.MLPSAssetLink) error {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return err
	}
	if l.AssetID == "" && strings.TrimSpace(l.AssetCode) != "" {
		x, err := s.st.AssetByCode(ctx, a.OrgID, strings.TrimSpace(l.AssetCode))
		if isms.ErrorCode(err) == isms.CodeNotFound {
			return isms.Invalid("asset_code", isms.M("mlps.asset_missing"))
		}
		if err != nil {
			return err
		}
		l.AssetID = x.ID
	}
	var p isms.Problems
	if !slices.Contains(isms.MLPSAssetRoles, l.Role) {
		p.Add("role", "field.one_of", "values", strings.Join(isms.MLPSAssetRoles, ", "))
	}
	if !isms.ValidID(l.AssetID) {
		p.Add("asset_id", "mlps.asset_missing")
	}
	if err := p.Err(); err != nil {
		return err
	}
	if !isms.ValidID(objectID) {
		return isms.NotFound("mlps_object")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.MLPSObject(ctx, a.OrgID, objectID)
		if err != nil {
			return err
		}
		x, err := tx.Asset(ctx, l.AssetID)
		if isms.ErrorCode(err) == isms.CodeNotFound || err == nil && x.OrgID != a.OrgID {
			return isms.Invalid("asset_id", isms.M("mlps.asset_missing"))
		}
		if err != nil {
			return err
		}
		if err := tx.LinkMLPSAsset(ctx, a.OrgID, objectID, l); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.asset_link", EntityType: "mlps_object",
			EntityID: o.ID, Summary: o.Label() + " ← " + x.Code + " " + x.Name, Data: l})
	})
}

// UnlinkMLPSAsset removes an asset's link to an object.
func (s *Service) UnlinkMLPSAsset(ctx context.Context, a isms.Actor, objectID, assetID string) error {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return err
	}
	if !isms.ValidID(objectID) || !isms.ValidID(assetID) {
		return isms.NotFound("mlps_object")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		o, err := tx.MLPSObject(ctx, a.OrgID, objectID)
		if err != nil {
			return err
		}
		if err := tx.UnlinkMLPSAsset(ctx, a.OrgID, objectID, assetID); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.asset_unlink", EntityType: "mlps_object",
			EntityID: o.ID, Summary: o.Label(), Data: map[string]any{"asset_id": assetID}})
	})
}

// AddMLPSEvidence attaches a file (the topology diagram, a review
// opinion, a certificate scan) or a record to an object or a grading.
func (s *Service) AddMLPSEvidence(ctx context.Context, a isms.Actor, subject, subjectID string, in EvidenceInput, filename string, file io.Reader) (isms.Evidence, error) {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return isms.Evidence{}, err
	}
	if !isms.ValidID(subjectID) {
		return isms.Evidence{}, isms.NotFound(subject)
	}
	if subject != isms.EvidenceMLPSObject && subject != isms.EvidenceGrading && subject != isms.EvidenceSelfCheck {
		return isms.Evidence{}, isms.NotFound(subject)
	}
	label, err := s.mlpsSubjectLabel(ctx, nil, a.OrgID, subject, subjectID)
	if err != nil {
		return isms.Evidence{}, err
	}
	if strings.TrimSpace(in.Title) == "" && file != nil {
		in.Title = filename // a photo or a scan is named by its file
	}
	if in.EffectiveOn == "" {
		if in.EffectiveOn, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
			return isms.Evidence{}, err
		}
	}
	pe, err := s.prepareEvidence(a, subject, in, filename, file)
	if err != nil {
		return pe.e, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := s.mlpsSubjectLabel(ctx, tx, a.OrgID, subject, subjectID); err != nil {
			return err
		}
		data, err := pe.save(ctx, tx, subjectID)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.evidence_add", EntityType: subject,
			EntityID: subjectID, Summary: label + " " + pe.e.Title, Data: data})
	})
	return pe.e, err
}

// mlpsSubjectLabel reads what an MLPS attachment belongs to (in tx when
// given), to check it exists in the organization and to name it.
func (s *Service) mlpsSubjectLabel(ctx context.Context, tx *store.Tx, orgID, subject, id string) (string, error) {
	if subject == isms.EvidenceSelfCheck {
		return s.selfCheckLabel(ctx, tx, orgID, id)
	}
	if subject == isms.EvidenceGrading {
		var g isms.Grading
		var err error
		if tx != nil {
			g, err = tx.Grading(ctx, orgID, id)
		} else {
			g, err = s.st.Grading(ctx, orgID, id)
		}
		return g.Label(), err
	}
	var o isms.MLPSObject
	var err error
	if tx != nil {
		o, err = tx.MLPSObject(ctx, orgID, id)
	} else {
		o, err = s.st.MLPSObject(ctx, orgID, id)
	}
	return o.Label(), err
}

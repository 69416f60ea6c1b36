package service

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// MLPS materials checklists (data: defaults/mlps/materials.yaml): for a
// grading, each item is there or not, with a note and files. The filing
// forms' material rows read them.

//go:embed defaults/mlps/materials.yaml
var materialsYAML []byte

var materialChecklists = sync.OnceValues(func() ([]isms.MaterialChecklist, error) {
	var cs []isms.MaterialChecklist
	if err := yaml.Unmarshal(materialsYAML, &cs); err != nil {
		return nil, fmt.Errorf("materials: %w", err)
	}
	for _, c := range cs {
		if c.Checklist == "" || c.Title == "" || len(c.Items) == 0 {
			return nil, fmt.Errorf("materials: checklist %q incomplete", c.Checklist)
		}
	}
	return cs, nil
})

// ChecklistView is a checklist with where each item stands for a grading.
type ChecklistView struct {
	isms.MaterialChecklist
	Entries []MaterialEntry `json:"entries"`
}

// MaterialEntry is an item of a checklist with its record (zero when
// nothing was recorded yet).
type MaterialEntry struct {
	Item     isms.MaterialItem `json:"item"`
	Material isms.Material     `json:"material"`
}

// gradingMaterials lays out the checklists that apply to a grading's
// level with what was recorded and each entry's files.
func (s *Service) gradingMaterials(ctx context.Context, orgID string, g isms.Grading) ([]ChecklistView, error) {
	cs, err := materialChecklists()
	if err != nil {
		return nil, isms.Internal(err)
	}
	ms, err := s.st.Materials(ctx, orgID, g.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	files, err := s.st.EvidenceOf(ctx, orgID, isms.EvidenceMaterial, ids)
	if err != nil {
		return nil, err
	}
	byKey := map[string]isms.Material{}
	for _, m := range ms {
		m.Files = files[m.ID]
		byKey[m.Checklist+"/"+m.Item] = m
	}
	out := []ChecklistView{}
	for _, c := range cs {
		if c.LevelAtLeast > 0 && g.Level < c.LevelAtLeast {
			continue
		}
		v := ChecklistView{MaterialChecklist: c}
		for _, it := range c.Items {
			v.Entries = append(v.Entries, MaterialEntry{Item: it, Material: byKey[c.Checklist+"/"+it.Key]})
		}
		out = append(out, v)
	}
	return out, nil
}

// MaterialInput is what is recorded for one item: there or not, a note,
// and optionally a file (which makes it there).
type MaterialInput struct {
	Checklist string    `json:"checklist"`
	Item      string    `json:"item"`
	Present   bool      `json:"present"`
	Note      string    `json:"note"`
	Filename  string    `json:"-"`
	File      io.Reader `json:"-"`
}

// SaveMaterials records checklist items of a grading, with their files,
// in one transaction.
func (s *Service) SaveMaterials(ctx context.Context, a isms.Actor, gradingID string, in []MaterialInput) error {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return err
	}
	cs, err := materialChecklists()
	if err != nil {
		return isms.Internal(err)
	}
	known := map[string]bool{}
	for _, c := range cs {
		for _, it := range c.Items {
			known[c.Checklist+"/"+it.Key] = true
		}
	}
	var p isms.Problems
	for i := range in {
		x := &in[i]
		x.Note = strings.TrimSpace(x.Note)
		field := x.Checklist + "/" + x.Item
		if !known[field] {
			p.Add(field, "mlps.unknown_material")
		}
		if len([]rune(x.Note)) > 200 {
			p.Add(field+" note", "field.too_long", "max", 200)
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	if !isms.ValidID(gradingID) {
		return isms.NotFound("grading")
	}
	if _, err := s.st.Grading(ctx, a.OrgID, gradingID); err != nil {
		return err
	}
	// Files go to the blob store before the transaction.
	day, err := s.orgTodayRead(ctx, a.OrgID)
	if err != nil {
		return err
	}
	pending := make([]*pendingEvidence, len(in))
	for i, x := range in {
		if x.File == nil || cleanFilename(x.Filename) == "" {
			continue
		}
		pe, err := s.prepareEvidence(a, isms.EvidenceMaterial, EvidenceInput{Title: x.Filename, EffectiveOn: day}, x.Filename, x.File)
		if err != nil {
			return err
		}
		pending[i] = &pe
		in[i].Present = true
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		g, err := tx.Grading(ctx, a.OrgID, gradingID)
		if err != nil {
			return err
		}
		var saved []isms.Material
		for i, x := range in {
			m := isms.Material{ID: newID(), OrgID: a.OrgID, GradingID: g.ID, Checklist: x.Checklist, Item: x.Item, Present: x.Present,
				Note: x.Note, UpdatedBy: a.Name(), UpdatedAt: s.clock.Now()}
			if err := tx.SaveMaterial(ctx, &m); err != nil {
				return err
			}
			if pe := pending[i]; pe != nil {
				if _, err := pe.save(ctx, tx, m.ID); err != nil {
					return err
				}
			}
			saved = append(saved, m)
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.materials", EntityType: "grading", EntityID: g.ID,
			Summary: g.Label() + fmt.Sprintf(" %d", len(saved)), Data: saved})
	})
}

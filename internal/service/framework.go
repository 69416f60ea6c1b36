package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"path"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// The built-in frameworks: written by us from the identifiers and titles
// in the project's reference catalogs, installed (and updated in place
// when the data changes) on first use.
//
//go:embed defaults/frameworks
var builtinFS embed.FS

type builtinIndex struct {
	Frameworks []struct {
		Code      string `yaml:"code"`
		NameZH    string `yaml:"name_zh"`
		NameEN    string `yaml:"name_en"`
		Version   string `yaml:"version"`
		Publisher string `yaml:"publisher"`
		File      string `yaml:"file"`
	} `yaml:"frameworks"`
	// A mapping file without a relation column lists bare pairs; each
	// pair's relation is derived from the pairs' cardinality
	// (isms.RelationsByCardinality).
	Mappings []string `yaml:"mappings"`
}

// ensureBuiltins installs the built-in frameworks and mappings once per
// process; a data change in a new release updates them in place.
func (s *Service) ensureBuiltins(ctx context.Context) error {
	if s.builtinsDone.Load() {
		return nil
	}
	s.builtinsMu.Lock()
	defer s.builtinsMu.Unlock()
	if s.builtinsDone.Load() {
		return nil
	}
	b, err := builtinFS.ReadFile("defaults/frameworks/index.yaml")
	if err != nil {
		return isms.Internal(err)
	}
	var idx builtinIndex
	if err := yaml.Unmarshal(b, &idx); err != nil {
		return isms.Internal(err)
	}
	sys := isms.CLIActor("system")
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		for _, f := range idx.Frameworks {
			data, err := builtinFS.ReadFile(path.Join("defaults/frameworks", f.File))
			if err != nil {
				return err
			}
			c, err := export.ReadFrameworkCSV(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("built-in framework %s: %w", f.Code, err)
			}
			c.Framework = isms.Framework{Code: f.Code, NameZH: f.NameZH, NameEN: f.NameEN, Version: f.Version,
				Publisher: f.Publisher, Origin: isms.OriginBuiltin, FileName: f.File, FileHash: hash(data)}
			old, found, err := tx.FrameworkByCode(ctx, "", f.Code)
			if err != nil {
				return err
			}
			if found && old.FileHash == c.Framework.FileHash {
				continue
			}
			if _, err := s.storeCatalog(ctx, tx, sys, "", c); err != nil {
				return fmt.Errorf("built-in framework %s: %w", f.Code, err)
			}
		}
		for _, file := range idx.Mappings {
			data, err := builtinFS.ReadFile(path.Join("defaults/frameworks", file))
			if err != nil {
				return err
			}
			rows, err := export.ReadMappingCSV(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("built-in mapping %s: %w", file, err)
			}
			header, _, _ := bytes.Cut(data, []byte("\n"))
			if !bytes.Contains(header, []byte("relation")) {
				pairs := make([][2]string, len(rows))
				for i, r := range rows {
					pairs[i] = [2]string{r.SourceRef, r.TargetRef}
				}
				for i, rel := range isms.RelationsByCardinality(pairs) {
					rows[i].Rel = rel
				}
			}
			if _, err := s.storeMappings(ctx, tx, sys, "", rows); err != nil {
				return fmt.Errorf("built-in mapping %s: %w", file, err)
			}
		}
		return nil
	})
	if err != nil {
		return isms.Internal(err)
	}
	s.builtinsDone.Store(true)
	return nil
}

func hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// storeCatalog writes a checked catalog as the framework with its code
// owned by orgID ("" built in): a new framework, or an update in place
// that keeps the node (and so everything attached to it) of every
// reference the new version still has, and reports what it added,
// changed and removed. One audit entry names the counts.
func (s *Service) storeCatalog(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, c isms.Catalog) (isms.FrameworkChange, error) {
	var ch isms.FrameworkChange
	if err := c.Check(); err != nil {
		return ch, err
	}
	now := s.clock.Now()
	f := c.Framework
	f.OrgID, f.Nodes, f.Assessable, f.UpdatedAt = orgID, len(c.Nodes), c.Assessable(), now
	f.RefControls, f.Threats = c.LibraryCounts()
	old, found, err := tx.FrameworkByCode(ctx, orgID, f.Code)
	if err != nil {
		return ch, err
	}
	if found && old.ReadOnly() && orgID != "" {
		return ch, isms.Conflict("code", isms.M("framework.read_only"))
	}
	var before []isms.RequirementNode
	if found {
		f.ID, f.CreatedAt = old.ID, old.CreatedAt
		if before, err = tx.NodesOf(ctx, f.ID); err != nil {
			return ch, err
		}
	} else {
		f.ID, f.CreatedAt = newID(), now
	}
	if err := tx.SaveFramework(ctx, &f, !found); err != nil {
		return ch, err
	}
	prev := make(map[string]isms.RequirementNode, len(before))
	for _, n := range before {
		prev[n.Ref] = n
	}
	var add, change []isms.RequirementNode
	for _, n := range c.Nodes {
		n.FrameworkID = f.ID
		o, ok := prev[n.Ref]
		if !ok {
			n.ID = newID()
			add = append(add, n)
			ch.Added = append(ch.Added, n.Ref)
			continue
		}
		delete(prev, n.Ref)
		n.ID = o.ID
		if !sameNode(o, n) {
			change = append(change, n)
			if o.Position != n.Position && sameContent(o, n) {
				continue // moved only: not a change a reader needs to review
			}
			ch.Changed = append(ch.Changed, n.Ref)
		}
	}
	var gone []string
	for _, n := range before {
		if _, ok := prev[n.Ref]; ok {
			gone = append(gone, n.ID)
			ch.Removed = append(ch.Removed, n.Ref)
		}
	}
	if err := tx.DeleteNodes(ctx, gone); err != nil {
		return ch, err
	}
	if err := tx.SaveNodes(ctx, change, false); err != nil {
		return ch, err
	}
	if err := tx.SaveNodes(ctx, add, true); err != nil {
		return ch, err
	}
	if err := s.storeLibrary(ctx, tx, f.ID, c, &ch); err != nil {
		return ch, err
	}
	ch.Framework, ch.Created = f, !found
	action := "framework.update"
	if !found {
		action = "framework.import"
	}
	return ch, s.record(ctx, tx, a, audit{OrgID: orgID, Action: action, EntityType: "framework", EntityID: f.ID,
		Summary: fmt.Sprintf("%s %s: %d nodes, +%d ~%d -%d", f.Code, f.Version, f.Nodes, len(ch.Added), len(ch.Changed),
			len(ch.Removed)),
		Data: map[string]any{"code": f.Code, "version": f.Version, "origin": f.Origin, "file": f.FileName, "sha256": f.FileHash,
			"added": ch.Added, "changed": ch.Changed, "removed": ch.Removed, "library_added": ch.LibraryAdded,
			"library_changed": ch.LibraryChanged, "library_removed": ch.LibraryRemoved}})
}

// storeLibrary writes a catalog's reference controls and threats in
// place of the framework's previous ones — an object keeps its ID while
// its kind and reference stay — and replaces the links, noting in ch what
// it added, changed and removed.
func (s *Service) storeLibrary(ctx context.Context, tx *store.Tx, frameworkID string, c isms.Catalog, ch *isms.FrameworkChange) error {
	before, err := tx.LibraryOf(ctx, frameworkID)
	if err != nil {
		return err
	}
	prev := make(map[string]isms.LibraryObject, len(before))
	for _, o := range before {
		prev[o.Kind+" "+o.Ref] = o
	}
	var add, change []isms.LibraryObject
	for _, o := range c.Objects {
		key := o.Kind + " " + o.Ref
		o.FrameworkID = frameworkID
		old, ok := prev[key]
		if !ok {
			o.ID = newID()
			add = append(add, o)
			ch.LibraryAdded = append(ch.LibraryAdded, key)
			continue
		}
		delete(prev, key)
		o.ID = old.ID
		switch {
		case !sameObjectContent(old, o):
			change = append(change, o)
			ch.LibraryChanged = append(ch.LibraryChanged, key)
		case old.Position != o.Position: // moved only: not a change a reader needs to review
			change = append(change, o)
		}
	}
	var gone []string
	for _, o := range before {
		if _, ok := prev[o.Kind+" "+o.Ref]; ok {
			gone = append(gone, o.ID)
			ch.LibraryRemoved = append(ch.LibraryRemoved, o.Kind+" "+o.Ref)
		}
	}
	if err := tx.DeleteLibraryObjects(ctx, gone); err != nil {
		return err
	}
	if err := tx.SaveLibraryObjects(ctx, change, false); err != nil {
		return err
	}
	if err := tx.SaveLibraryObjects(ctx, add, true); err != nil {
		return err
	}
	return tx.ReplaceLibraryLinks(ctx, frameworkID, c.Links)
}

func sameContent(a, b isms.RequirementNode) bool {
	return a.ParentRef == b.ParentRef && a.TitleZH == b.TitleZH && a.TitleEN == b.TitleEN && a.Description == b.Description &&
		a.Assessable == b.Assessable && a.Category == b.Category && a.Withdrawn == b.Withdrawn &&
		(len(a.Attributes) == 0 && len(b.Attributes) == 0 || reflect.DeepEqual(a.Attributes, b.Attributes))
}

func sameObjectContent(a, b isms.LibraryObject) bool {
	return a.URN == b.URN && a.NameZH == b.NameZH && a.NameEN == b.NameEN && a.Category == b.Category &&
		a.Function == b.Function && a.Description == b.Description
}

func sameNode(a, b isms.RequirementNode) bool {
	return sameContent(a, b) && a.Position == b.Position && a.Depth == b.Depth
}

// storeMappings resolves mapping rows to nodes of the frameworks orgID
// sees and stores the new pairs. Every row that names an unknown
// framework or reference is reported; nothing is stored then.
func (s *Service) storeMappings(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, rows []export.MappingRow) (int, error) {
	frameworks := map[string]map[string]string{} // code → ref → node ID; nil: no such framework
	refsOf := func(code string) (map[string]string, error) {
		if refs, ok := frameworks[code]; ok {
			return refs, nil
		}
		f, err := tx.FrameworkByCodeFor(ctx, orgID, code)
		var refs map[string]string
		switch {
		case err == nil:
			if refs, err = tx.NodeIDsByRef(ctx, f.ID); err != nil {
				return nil, err
			}
		case isms.ErrorCode(err) != isms.CodeNotFound:
			return nil, err
		}
		frameworks[code] = refs
		return refs, nil
	}
	var p isms.Problems
	nodeOf := func(line int, end, code, ref string) (string, error) {
		refs, err := refsOf(code)
		if err != nil {
			return "", err
		}
		field := "row " + itoa(line) + " " + end
		if refs == nil {
			p.Add(field+"_framework", "framework.unknown", "code", code)
			return "", nil
		}
		id, ok := refs[ref]
		if !ok {
			p.Add(field+"_ref", "framework.unknown_ref", "code", code, "ref", ref)
		}
		return id, nil
	}
	ms := make([]isms.Mapping, 0, len(rows))
	for _, r := range rows {
		src, err := nodeOf(r.Line, "source", r.SourceFramework, r.SourceRef)
		if err != nil {
			return 0, err
		}
		dst, err := nodeOf(r.Line, "target", r.TargetFramework, r.TargetRef)
		if err != nil {
			return 0, err
		}
		ms = append(ms, isms.Mapping{ID: newID(), OrgID: orgID, SourceNodeID: src, TargetNodeID: dst, Relation: r.Rel})
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	added, err := tx.AddMappings(ctx, ms)
	if err != nil || added == 0 {
		return added, err
	}
	codes := slices.Sorted(maps.Keys(frameworks))
	return added, s.record(ctx, tx, a, audit{OrgID: orgID, Action: "framework.mappings", EntityType: "framework_mapping",
		Summary: fmt.Sprintf("%s: %d pairs added", strings.Join(codes, " ↔ "), added), Data: map[string]any{"frameworks": codes,
			"rows": len(rows), "added": added}})
}

// Frameworks lists the frameworks an organization sees.
func (s *Service) Frameworks(ctx context.Context, a isms.Actor) ([]isms.Framework, error) {
	if err := a.Require(isms.ActViewFrameworks); err != nil {
		return nil, err
	}
	if err := s.ensureBuiltins(ctx); err != nil {
		return nil, err
	}
	return s.st.Frameworks(ctx, a.OrgID)
}

// MappingCounts counts the mapping pairs from each framework.
func (s *Service) MappingCounts(ctx context.Context, a isms.Actor) (map[string]int, error) {
	if err := a.Require(isms.ActViewFrameworks); err != nil {
		return nil, err
	}
	return s.st.MappingCounts(ctx, a.OrgID)
}

// framework reads a framework the actor may see, without its tree.
func (s *Service) framework(ctx context.Context, a isms.Actor, id string) (isms.Framework, error) {
	return s.frameworkFor(ctx, a, isms.ActViewFrameworks, id)
}

// frameworkFor reads a framework of the actor's organization (or a
// built-in one) for a module whose view action is act.
func (s *Service) frameworkFor(ctx context.Context, a isms.Actor, act isms.Action, id string) (isms.Framework, error) {
	if err := a.Require(act); err != nil {
		return isms.Framework{}, err
	}
	if !isms.ValidID(id) {
		return isms.Framework{}, isms.NotFound("framework")
	}
	if err := s.ensureBuiltins(ctx); err != nil {
		return isms.Framework{}, err
	}
	return s.st.Framework(ctx, a.OrgID, id)
}

// Framework reads a framework with its tree.
func (s *Service) Framework(ctx context.Context, a isms.Actor, id string) (isms.Framework, []isms.RequirementNode, error) {
	f, err := s.framework(ctx, a, id)
	if err != nil {
		return f, nil, err
	}
	nodes, err := s.st.RequirementNodes(ctx, a.OrgID, id)
	return f, nodes, err
}

// requirement reads one requirement node the actor may see, with its
// framework.
func (s *Service) requirement(ctx context.Context, a isms.Actor, id string) (isms.RequirementNode, isms.Framework, error) {
	var f isms.Framework
	if err := a.Require(isms.ActViewFrameworks); err != nil {
		return isms.RequirementNode{}, f, err
	}
	if !isms.ValidID(id) {
		return isms.RequirementNode{}, f, isms.NotFound("requirement")
	}
	n, err := s.st.RequirementNode(ctx, a.OrgID, id)
	if err != nil {
		return n, f, err
	}
	f, err = s.st.Framework(ctx, a.OrgID, n.FrameworkID)
	return n, f, err
}

// RequirementDetail is one requirement node with its framework, the
// mappings from and to it, and the reference controls and threats it
// names.
type RequirementDetail struct {
	Node      isms.RequirementNode `json:"node"`
	Framework isms.Framework       `json:"framework"`
	Mappings  []isms.Mapping       `json:"mappings"`
	Library   []isms.LibraryObject `json:"library"`
	// Text is the organization's full text of the requirement, imported
	// from a standard it owns.
	Text string `json:"text,omitempty"`
}

// Requirement reads one requirement node with all it relates to.
func (s *Service) Requirement(ctx context.Context, a isms.Actor, id string) (RequirementDetail, error) {
	var d RequirementDetail
	var err error
	if d.Node, d.Framework, err = s.requirement(ctx, a, id); err != nil {
		return d, err
	}
	if d.Mappings, err = s.st.NodeMappings(ctx, a.OrgID, id); err != nil {
		return d, err
	}
	if d.Library, err = s.st.NodeLibrary(ctx, d.Node); err != nil {
		return d, err
	}
	d.Text, err = s.st.OwnText(ctx, a.OrgID, id)
	return d, err
}

// FrameworkImport is a framework file to import.
type FrameworkImport struct {
	FileName string
	Format   string // isms.OriginCSV, OriginOSCAL, OriginYAML; "" detects it
	// The code names the framework (required for CSV; a file's own
	// ref_id or the file name otherwise); names, version and publisher
	// override the file's when given.
	Code, NameZH, NameEN, Version, Publisher string
	// Base is the code of the catalog an OSCAL profile selects from.
	Base string
}

// ImportFramework reads a framework file and stores it for the actor's
// organization: a new framework, or a new version of the one with the
// same code, updated in place. Nothing is stored unless the whole file is
// valid; problems name the element and the rule.
func (s *Service) ImportFramework(ctx context.Context, a isms.Actor, in FrameworkImport, r io.Reader) (isms.FrameworkChange, error) {
	var ch isms.FrameworkChange
	if err := a.Require(isms.ActManageFrameworks); err != nil {
		return ch, err
	}
	if a.OrgID == "" { // only the built-in data belongs to no organization
		return ch, isms.Invalid("org", isms.M("field.required"))
	}
	if err := s.ensureBuiltins(ctx); err != nil {
		return ch, err
	}
	data, err := io.ReadAll(io.LimitReader(r, 64<<20+1))
	if err != nil {
		return ch, err
	}
	if len(data) > 64<<20 {
		return ch, &isms.Error{Code: isms.CodeTooLarge, Message: isms.M("framework.too_large", "max", "64 MiB")}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return ch, isms.Invalid("file", isms.M("framework.file_empty"))
	}
	format := in.Format
	if format == "" {
		format = export.DetectFrameworkFormat(data[:min(len(data), 4096)])
	}
	var c isms.Catalog
	var profile []string // the ids an OSCAL profile selects
	switch {
	case format == isms.OriginOSCAL && export.IsOSCALProfile(data):
		var title string
		if title, profile, err = export.ReadOSCALProfile(bytes.NewReader(data)); err == nil && strings.TrimSpace(in.Base) == "" {
			err = isms.Invalid("base", isms.M("framework.profile_base"))
		}
		c.Framework.NameEN = title
	}
	switch {
	case err != nil, profile != nil:
	case format == isms.OriginOSCAL:
		c, err = export.ReadOSCALCatalog(bytes.NewReader(data))
	case format == isms.OriginYAML:
		c, err = export.ReadCISOYAML(bytes.NewReader(data))
	case format == isms.OriginCSV:
		c, err = export.ReadFrameworkCSV(bytes.NewReader(data))
	default:
		return ch, isms.Invalid("format", isms.M("field.one_of", "values", "csv, oscal, yaml"))
	}
	if err != nil {
		return ch, err
	}
	f := &c.Framework
	f.Origin, f.FileName, f.FileHash = format, path.Base(strings.ReplaceAll(in.FileName, "\\", "/")), hash(data)
	for _, o := range []struct {
		dst *string
		v   string
	}{{&f.Code, in.Code}, {&f.NameZH, in.NameZH}, {&f.NameEN, in.NameEN},
		{&f.Version, in.Version}, {&f.Publisher, in.Publisher}} {
		if v := strings.TrimSpace(o.v); v != "" {
			*o.dst = v
		}
	}
	if f.Code == "" && format != isms.OriginCSV {
		f.Code = strings.TrimSuffix(f.FileName, path.Ext(f.FileName))
	}
	if f.NameZH == "" && f.NameEN == "" {
		f.NameEN = f.Code
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if _, found, err := tx.FrameworkByCode(ctx, "", f.Code); err != nil {
			return err
		} else if found {
			return isms.Conflict("code", isms.M("framework.builtin_code", "code", f.Code))
		}
		var base isms.Framework
		if profile != nil {
			if base, err = s.selectFromBase(ctx, tx, a.OrgID, strings.TrimSpace(in.Base), profile, &c); err != nil {
				return err
			}
		}
		if ch, err = s.storeCatalog(ctx, tx, a, a.OrgID, c); err != nil || profile == nil {
			return err
		}
		return s.linkProfile(ctx, tx, a.OrgID, ch.Framework, base)
	})
	return ch, err
}

// selectFromBase fills c with the nodes of the base catalog a profile
// selects, with their ancestors, in the catalog's order. Every selected
// id must resolve.
func (s *Service) selectFromBase(ctx context.Context, tx *store.Tx, orgID, code string, ids []string, c *isms.Catalog) (isms.Framework, error) {
	base, err := tx.FrameworkByCodeFor(ctx, orgID, code)
	if isms.IsNotFound(err) {
		return base, isms.Invalid("base", isms.M("framework.profile_base_unknown", "code", code))
	} else if err != nil {
		return base, err
	}
	nodes, err := tx.NodesOf(ctx, base.ID)
	if err != nil {
		return base, err
	}
	byRef := make(map[string]isms.RequirementNode, len(nodes))
	for _, n := range nodes {
		byRef[n.Ref] = n
	}
	keep := map[string]bool{}
	var missing []string
	for _, id := range ids {
		n, ok := byRef[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		for ok && !keep[n.Ref] {
			keep[n.Ref] = true
			n, ok = byRef[n.ParentRef]
		}
	}
	if len(missing) > 0 {
		return base, isms.Invalid("file", isms.M("framework.profile_unresolved", "count", len(missing),
			"ids", strings.Join(missing[:min(len(missing), 10)], ", "), "code", code))
	}
	for _, n := range nodes {
		if keep[n.Ref] {
			n.ID, n.FrameworkID = "", ""
			c.Nodes = append(c.Nodes, n)
		}
	}
	f := &c.Framework
	f.Version, f.Publisher = base.Version, base.Publisher
	if f.NameEN == "" {
		f.NameEN = base.NameEN
	}
	return base, nil
}

// linkProfile maps every assessable node of a profile to the base
// catalog's node with the same reference, as equal: what satisfies one
// satisfies the other.
func (s *Service) linkProfile(ctx context.Context, tx *store.Tx, orgID string, profile, base isms.Framework) error {
	from, err := tx.NodeIDsByRef(ctx, profile.ID)
	if err != nil {
		return err
	}
	to, err := tx.NodeIDsByRef(ctx, base.ID)
	if err != nil {
		return err
	}
	nodes, err := tx.NodesOf(ctx, profile.ID)
	if err != nil {
		return err
	}
	var ms []isms.Mapping
	for _, n := range nodes {
		if n.Assessable && to[n.Ref] != "" {
			ms = append(ms, isms.Mapping{ID: newID(), OrgID: orgID, SourceNodeID: from[n.Ref], TargetNodeID: to[n.Ref],
				Relation: isms.RelEqual})
		}
	}
	_, err = tx.AddMappings(ctx, ms)
	return err
}

// ImportMappings stores the pairs of a mapping CSV for the actor's
// organization, between frameworks it sees.
func (s *Service) ImportMappings(ctx context.Context, a isms.Actor, r io.Reader) (int, error) {
	if err := a.Require(isms.ActManageFrameworks); err != nil {
		return 0, err
	}
	if a.OrgID == "" {
		return 0, isms.Invalid("org", isms.M("field.required"))
	}
	if err := s.ensureBuiltins(ctx); err != nil {
		return 0, err
	}
	rows, err := export.ReadMappingCSV(r)
	if err != nil {
		return 0, err
	}
	var added int
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		added, err = s.storeMappings(ctx, tx, a, a.OrgID, rows)
		return err
	})
	return added, err
}

// FrameworkMappings lists the mappings from a framework's nodes.
func (s *Service) FrameworkMappings(ctx context.Context, a isms.Actor, id string) ([]isms.Mapping, error) {
	if _, err := s.framework(ctx, a, id); err != nil {
		return nil, err
	}
	return s.st.FrameworkMappings(ctx, a.OrgID, id)
}

// SetRequirementTitle sets the organization's own Chinese title for a
// requirement (empty removes it).
func (s *Service) SetRequirementTitle(ctx context.Context, a isms.Actor, id, title string) (isms.RequirementNode, error) {
	if err := a.Require(isms.ActManageFrameworks); err != nil {
		return isms.RequirementNode{}, err
	}
	title = strings.TrimSpace(title)
	if err := isms.CheckOwnTitle(title); err != nil {
		return isms.RequirementNode{}, err
	}
	n, f, err := s.requirement(ctx, a, id)
	if err != nil {
		return n, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetOwnTitle(ctx, a.OrgID, n.ID, title, s.clock.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "framework.title", EntityType: "requirement", EntityID: n.ID,
			Summary: f.Code + " " + n.Ref + ": " + title, Data: map[string]string{"framework": f.Code, "ref": n.Ref, "title_zh": title}})
	})
	n.OwnTitleZH = title
	return n, err
}

// ExportFramework writes a framework as CSV (format "csv") or as an OSCAL
// catalog ("oscal"); start is called before the first byte, so the caller
// can set headers once the framework is known to be readable.
func (s *Service) ExportFramework(ctx context.Context, a isms.Actor, id, format string, start func(isms.Framework), w io.Writer) error {
	if format != "csv" && format != isms.OriginOSCAL {
		return isms.Invalid("format", isms.M("field.one_of", "values", "csv, oscal"))
	}
	f, nodes, err := s.Framework(ctx, a, id)
	if err != nil {
		return err
	}
	start(f)
	if format == "csv" {
		return export.WriteFrameworkCSV(w, nodes)
	}
	return export.WriteOSCALCatalog(w, f, nodes, s.clock.Now())
}

// ImportRequirementTexts reads an organization's full text of a
// framework's requirements from CSV (ref, text, optionally title_zh): for
// a standard the organization owns, whose built-in catalog ships
// identifiers and short paraphrases only. All or nothing: every row names
// a reference of the framework and stays within the limits, or nothing is
// written and each problem names its row. An empty text removes the
// organization's text; an empty title_zh its own title. It returns how
// many rows it wrote.
func (s *Service) ImportRequirementTexts(ctx context.Context, a isms.Actor, frameworkID string, r io.Reader) (int, error) {
	if err := a.Require(isms.ActManageFrameworks); err != nil {
		return 0, err
	}
	f, err := s.framework(ctx, a, frameworkID)
	if err != nil {
		return 0, err
	}
	rows, err := export.ReadTextsCSV(r)
	if err != nil {
		return 0, err
	}
	nodes, err := s.st.RequirementNodes(ctx, a.OrgID, f.ID)
	if err != nil {
		return 0, err
	}
	ids := make(map[string]string, len(nodes))
	for _, n := range nodes {
		ids[n.Ref] = n.ID
	}
	var p isms.Problems
	seen := map[string]int{}
	for _, row := range rows {
		line := "row " + strconv.Itoa(row.Line)
		switch {
		case row.Ref == "":
			p.Add(line+" ref", "field.required")
		case ids[row.Ref] == "":
			p.Add(line+" ref", "framework.text_unknown_ref", "ref", row.Ref)
		case seen[row.Ref] > 0:
			p.Add(line+" ref", "framework.duplicate_ref", "ref", row.Ref, "first", seen[row.Ref])
		}
		seen[row.Ref] = row.Line
		if len([]rune(row.Text)) > isms.MaxRequirementText {
			p.Add(line+" text", "field.too_long", "max", isms.MaxRequirementText)
		}
		if err := isms.CheckOwnTitle(row.TitleZH); err != nil {
			prefixProblems(&p, line+" ", err)
		}
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	now := s.clock.Now()
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		for _, row := range rows {
			if err := tx.SetOwnText(ctx, a.OrgID, ids[row.Ref], row.Text, now); err != nil {
				return err
			}
			if row.HasTitle {
				if err := tx.SetOwnTitle(ctx, a.OrgID, ids[row.Ref], row.TitleZH, now); err != nil {
					return err
				}
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "framework.texts", EntityType: "framework", EntityID: f.ID,
			Summary: f.Code + ": " + strconv.Itoa(len(rows)), Data: map[string]any{"framework": f.Code, "rows": len(rows)}})
	})
	if err != nil {
		return 0, err
	}
	return len(rows), nil
}

// RequirementTextCount counts the framework's requirements with the
// organization's full text.
func (s *Service) RequirementTextCount(ctx context.Context, a isms.Actor, frameworkID string) (int, error) {
	if _, err := s.framework(ctx, a, frameworkID); err != nil {
		return 0, err
	}
	return s.st.OwnTextCount(ctx, a.OrgID, frameworkID)
}

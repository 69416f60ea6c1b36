package isms

import (
	"strconv"
	"strings"
	"time"
)

// Framework is a catalog of requirements held as data: ISO/IEC 27001
// (built in), or a standard an organization imports (OSCAL, CISO
// Assistant YAML, CSV). Built-in frameworks belong to no organization and
// cannot be changed; an imported one belongs to the organization that
// imported it, and importing a file with the same code updates it in
// place.
type Framework struct {
	ID         string `json:"id"`
	OrgID      string `json:"org_id"` // "" for a built-in framework
	Code       string `json:"code"`   // unique per organization, e.g. ISO27001-2022
	NameZH     string `json:"name_zh"`
	NameEN     string `json:"name_en"`
	Version    string `json:"version"`
	Publisher  string `json:"publisher"`
	Origin     string `json:"origin"`     // FrameworkOrigins
	FileName   string `json:"file_name"`  // the imported file
	FileHash   string `json:"file_hash"`  // its SHA-256, hex
	Nodes      int    `json:"nodes"`      // requirement nodes
	Assessable int    `json:"assessable"` // assessable nodes
	// RefControls and Threats count the library objects it ships.
	RefControls int       `json:"reference_controls"`
	Threats     int       `json:"threats"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Framework origins.
const (
	OriginBuiltin = "builtin"
	OriginCSV     = "csv"
	OriginOSCAL   = "oscal"
	OriginYAML    = "yaml" // CISO Assistant library
)

// FrameworkOrigins lists the origins in display order.
var FrameworkOrigins = []string{OriginBuiltin, OriginCSV, OriginOSCAL, OriginYAML}

// ReadOnly reports whether the framework is built in.
func (f Framework) ReadOnly() bool { return f.Origin == OriginBuiltin }

// Name is the framework's name in lang, falling back to the other one.
func (f Framework) Name(lang string) string { return pick(lang, f.NameZH, f.NameEN) }

// RequirementNode is one node of a framework's tree: a clause, a theme, a
// control, an enhancement. Ref is the reference id as the standard prints
// it (5.1, A.8.2.3, ac-2.1) and is unique in its framework; links from an
// organization's data (SoA rows, measures, evidence) are kept by it, so
// they survive a new version of the framework.
type RequirementNode struct {
	ID          string            `json:"id"`
	FrameworkID string            `json:"framework_id"`
	Ref         string            `json:"ref"`
	ParentRef   string            `json:"parent_ref"` // "" at the top
	Position    int               `json:"position"`   // order among all nodes, from 1
	Depth       int               `json:"depth"`      // 0 at the top
	TitleZH     string            `json:"title_zh"`   // "" when the Chinese title is missing
	TitleEN     string            `json:"title_en"`
	Description string            `json:"description"`
	Assessable  bool              `json:"assessable"` // a control, not a grouping node
	Category    string            `json:"category"`   // theme or category
	Attributes  map[string]string `json:"attributes,omitempty"`
	Withdrawn   bool              `json:"withdrawn"`
	// OwnTitleZH is the Chinese title the reading organization supplied
	// for a node whose framework has none (or whose it prefers).
	OwnTitleZH string `json:"own_title_zh,omitempty"`
}

// Title is the node's title in lang: the organization's own Chinese
// title first, then the framework's, then the other language.
func (n RequirementNode) Title(lang string) string {
	zh := n.TitleZH
	if n.OwnTitleZH != "" {
		zh = n.OwnTitleZH
	}
	return pick(lang, zh, n.TitleEN)
}

// MissingZH reports whether a Chinese reader sees the English title
// because neither the framework nor the organization gave a Chinese one.
func (n RequirementNode) MissingZH() bool { return n.TitleZH == "" && n.OwnTitleZH == "" }

func pick(lang, zh, en string) string {
	if strings.HasPrefix(lang, "en") && en != "" || zh == "" {
		return en
	}
	return zh
}

// Catalog is a framework with its tree, as read from a file or the
// built-in data, before it is stored.
type Catalog struct {
	Framework Framework
	Nodes     []RequirementNode // parents before children
	Objects   []LibraryObject   // reference controls and threats, by kind in file order
	Links     []LibraryLink     // the nodes naming them
}

// Framework limits.
const (
	MaxFrameworkNodes = 20_000
	// MaxRequirementText bounds an organization's full text of one
	// requirement.
	MaxRequirementText = 20_000
	maxRefLen          = 64
	maxNodeTitle       = 500
	maxNodeText        = 20_000
)

// Check validates a catalog before it is stored: the framework's code and
// name, each node's reference (present, unique, not too long), title and
// parent (an earlier node, so the tree has no cycle). Problems name the
// node by its reference, or by its position when it has none.
func (c *Catalog) Check() error {
	var p Problems
	f := &c.Framework
	f.Code = strings.TrimSpace(f.Code)
	checkText(&p, "code", f.Code, true, 64)
	if f.NameZH == "" && f.NameEN == "" {
		p.Add("name", "field.required")
	}
	checkText(&p, "name_zh", f.NameZH, false, 200)
	checkText(&p, "name_en", f.NameEN, false, 200)
	checkText(&p, "version", f.Version, false, 64)
	checkText(&p, "publisher", f.Publisher, false, 200)
	c.checkTree(&p)
	c.checkLibrary(&p)
	return p.Err()
}

// CheckTree validates the nodes and library objects alone, for readers
// of files that do not name the framework's code.
func (c *Catalog) CheckTree() error {
	var p Problems
	c.checkTree(&p)
	c.checkLibrary(&p)
	return p.Err()
}

func (c *Catalog) checkTree(p *Problems) {
	if len(c.Nodes) == 0 {
		p.Add("nodes", "framework.no_nodes")
	}
	if len(c.Nodes) > MaxFrameworkNodes {
		p.Add("nodes", "framework.too_many_nodes", "max", MaxFrameworkNodes)
		return
	}
	seen := make(map[string]int, len(c.Nodes))
	for i := range c.Nodes {
		n := &c.Nodes[i]
		n.Ref, n.ParentRef = strings.TrimSpace(n.Ref), strings.TrimSpace(n.ParentRef)
		n.Position = i + 1
		field := "node " + n.Ref
		if n.Ref == "" {
			field = "node #" + strconv.Itoa(i+1)
			p.Add(field, "framework.ref_required")
			continue
		}
		checkText(p, field+" ref", n.Ref, true, maxRefLen)
		if first, dup := seen[n.Ref]; dup {
			p.Add(field, "framework.duplicate_ref", "ref", n.Ref, "first", first)
			continue
		}
		seen[n.Ref] = i + 1
		if n.TitleZH == "" && n.TitleEN == "" {
			p.Add(field+" title", "field.required")
		}
		checkText(p, field+" title_zh", n.TitleZH, false, maxNodeTitle)
		checkText(p, field+" title_en", n.TitleEN, false, maxNodeTitle)
		checkLongText(p, field+" description", n.Description, maxNodeText)
		checkText(p, field+" category", n.Category, false, 100)
		n.Depth = 0
		if n.ParentRef != "" {
			at, ok := seen[n.ParentRef]
			switch {
			case n.ParentRef == n.Ref:
				p.Add(field+" parent", "framework.parent_self")
			case !ok:
				p.Add(field+" parent", "framework.parent_unknown", "parent", n.ParentRef)
			default:
				n.Depth = c.Nodes[at-1].Depth + 1
			}
		}
		for k, v := range n.Attributes {
			checkText(p, field+" "+k, k, true, 64)
			checkLongText(p, field+" "+k, v, maxNodeText)
		}
	}
}

// checkLongText validates a multi-line text: line breaks and tabs allowed.
func checkLongText(p *Problems, field, value string, max int) {
	checkText(p, field, strings.NewReplacer("\n", " ", "\r", " ").Replace(value), false, max)
}

// Assessable counts the catalog's assessable nodes.
func (c *Catalog) Assessable() int {
	n := 0
	for _, x := range c.Nodes {
		if x.Assessable {
			n++
		}
	}
	return n
}

// Mapping relations between requirements of two frameworks.
const (
	RelEqual     = "equal"
	RelSubset    = "subset"   // the source is part of the target
	RelSuperset  = "superset" // the source covers the target and more
	RelIntersect = "intersect"
)

// InverseRelation is the relation of a mapping read from its target's
// side: a subset one way is a superset the other.
func InverseRelation(rel string) string {
	switch rel {
	case RelSubset:
		return RelSuperset
	case RelSuperset:
		return RelSubset
	}
	return rel
}

// MappingRelations lists the relations in display order.
var MappingRelations = []string{RelEqual, RelSubset, RelSuperset, RelIntersect}

// Mapping is a pair of requirements of two frameworks and how they
// relate. Stored by node; read with both ends' references and titles.
type Mapping struct {
	ID              string `json:"id"`
	OrgID           string `json:"org_id"` // "" built in
	SourceNodeID    string `json:"source_node_id"`
	TargetNodeID    string `json:"target_node_id"`
	Relation        string `json:"relation"`
	SourceFramework string `json:"source_framework"` // code, on reading
	SourceRef       string `json:"source_ref"`
	SourceTitle     string `json:"source_title"`
	TargetFramework string `json:"target_framework"`
	TargetRef       string `json:"target_ref"`
	TargetTitle     string `json:"target_title"`
}

// RelationsByCardinality derives each pair's relation from how many
// partners each end has, for mapping tables that list pairs without one
// (ISO/IEC 27002:2022 Annex B): one to one is equal, several sources
// merged into one target are each a subset of it, a source split over
// several targets intersects each of them.
func RelationsByCardinality(pairs [][2]string) []string {
	from, to := map[string]int{}, map[string]int{}
	for _, p := range pairs {
		from[p[0]]++
		to[p[1]]++
	}
	out := make([]string, len(pairs))
	for i, p := range pairs {
		switch {
		case from[p[0]] > 1:
			out[i] = RelIntersect
		case to[p[1]] > 1:
			out[i] = RelSubset
		default:
			out[i] = RelEqual
		}
	}
	return out
}

// FrameworkChange is what importing a new version of a framework did.
type FrameworkChange struct {
	Framework Framework `json:"framework"`
	Created   bool      `json:"created"` // a new framework, not an update
	Added     []string  `json:"added"`   // references
	Changed   []string  `json:"changed"`
	Removed   []string  `json:"removed"`
	// The library objects added, changed and removed, each as "kind ref".
	LibraryAdded   []string `json:"library_added"`
	LibraryChanged []string `json:"library_changed"`
	LibraryRemoved []string `json:"library_removed"`
}

// CheckOwnTitle validates an organization's own Chinese title for a node.
func CheckOwnTitle(title string) error {
	var p Problems
	checkText(&p, "title_zh", title, false, maxNodeTitle)
	return p.Err()
}

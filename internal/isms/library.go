package isms

import (
	"slices"
	"strconv"
	"strings"
)

// Library objects are what a CISO Assistant library ships beside its
// requirement tree: reference controls (generic measures, such as a
// backup policy, that an organization turns into its own measures) and
// threats. Each requirement may name several of each. They are data of
// their framework, read-only, and replaced when a new version of the
// framework is imported; nothing of an organization is attached to them.

// Library object kinds.
const (
	ObjReferenceControl = "reference_control"
	ObjThreat           = "threat"
)

// LibraryKinds lists the kinds in display order.
var LibraryKinds = []string{ObjReferenceControl, ObjThreat}

// LibraryObject is one reference control or threat of a framework.
type LibraryObject struct {
	ID          string `json:"id"` // "" for an object of another library, known by its URN only
	FrameworkID string `json:"framework_id"`
	Kind        string `json:"kind"` // LibraryKinds
	Ref         string `json:"ref"`  // unique per kind in the framework
	URN         string `json:"urn,omitempty"`
	Position    int    `json:"position"` // order among the objects of its kind, from 1
	NameZH      string `json:"name_zh"`
	NameEN      string `json:"name_en"`
	Category    string `json:"category"` // a reference control's: policy, process, technical, physical
	Function    string `json:"function"` // the CSF function: govern, identify, protect, detect, respond, recover
	Description string `json:"description"`
	// Requirements are the references of the nodes that name the object,
	// in tree order (filled on reading a framework's objects).
	Requirements []string `json:"requirements"`
}

// Name is the object's name in lang, falling back to the other language,
// then to its reference.
func (o LibraryObject) Name(lang string) string {
	if s := pick(lang, o.NameZH, o.NameEN); s != "" {
		return s
	}
	return o.Ref
}

// External reports whether the object belongs to another library: a
// requirement names it by URN but this framework does not ship it.
func (o LibraryObject) External() bool { return o.ID == "" }

// LibraryLink is a requirement naming a library object: by the object's
// reference, or by its URN when the object is not in the file (CISO
// Assistant libraries may name objects of the libraries they depend on).
type LibraryLink struct {
	NodeRef   string `json:"node_ref"`
	Kind      string `json:"kind"`
	ObjectRef string `json:"object_ref"`
}

// Library limits.
const (
	MaxLibraryObjects = 5_000
	maxLinkRef        = 300 // a URN
)

// checkLibrary validates a catalog's library objects and links: each
// object with a known kind, a reference unique for its kind and a name;
// each link from a node of the tree to an object of the file or to a URN.
func (c *Catalog) checkLibrary(p *Problems) {
	if len(c.Objects) > MaxLibraryObjects {
		p.Add("objects", "framework.too_many_objects", "max", MaxLibraryObjects)
		return
	}
	seen := map[string]bool{}
	count := map[string]int{}
	for i := range c.Objects {
		o := &c.Objects[i]
		TrimFields(&o.Ref, &o.URN, &o.NameZH, &o.NameEN, &o.Category, &o.Function)
		o.Description = strings.TrimSpace(o.Description)
		count[o.Kind]++
		o.Position = count[o.Kind]
		field := o.Kind + " " + o.Ref
		if o.Ref == "" {
			field = o.Kind + " #" + strconv.Itoa(o.Position)
		}
		if !slices.Contains(LibraryKinds, o.Kind) {
			p.Add(field+" kind", "field.one_of", "values", strings.Join(LibraryKinds, ", "))
			continue
		}
		if o.Ref == "" {
			p.Add(field, "framework.ref_required")
			continue
		}
		checkText(p, field+" ref", o.Ref, true, maxRefLen)
		if seen[o.Kind+"\x00"+o.Ref] {
			p.Add(field, "framework.duplicate_object", "ref", o.Ref)
			continue
		}
		seen[o.Kind+"\x00"+o.Ref] = true
		if o.NameZH == "" && o.NameEN == "" {
			p.Add(field+" name", "field.required")
		}
		checkText(p, field+" urn", o.URN, false, maxLinkRef)
		checkText(p, field+" name_zh", o.NameZH, false, maxNodeTitle)
		checkText(p, field+" name_en", o.NameEN, false, maxNodeTitle)
		checkText(p, field+" category", o.Category, false, 100)
		checkText(p, field+" function", o.Function, false, 100)
		checkLongText(p, field+" description", o.Description, maxNodeText)
	}
	nodes := make(map[string]bool, len(c.Nodes))
	for _, n := range c.Nodes {
		nodes[n.Ref] = true
	}
	linked := map[string]bool{}
	kept := c.Links[:0]
	for _, l := range c.Links {
		field := "node " + l.NodeRef + " " + l.Kind
		switch {
		case !nodes[l.NodeRef]:
			p.Add(field, "framework.link_node_unknown", "ref", l.NodeRef)
		case !slices.Contains(LibraryKinds, l.Kind):
			p.Add(field+" kind", "field.one_of", "values", strings.Join(LibraryKinds, ", "))
		default:
			checkText(p, field, l.ObjectRef, true, maxLinkRef)
		}
		key := l.NodeRef + "\x00" + l.Kind + "\x00" + l.ObjectRef
		if !linked[key] { // a node naming an object twice names it once
			linked[key] = true
			kept = append(kept, l)
		}
	}
	c.Links = kept
}

// LibraryCounts counts a catalog's objects of each kind.
func (c *Catalog) LibraryCounts() (controls, threats int) {
	for _, o := range c.Objects {
		switch o.Kind {
		case ObjReferenceControl:
			controls++
		case ObjThreat:
			threats++
		}
	}
	return controls, threats
}

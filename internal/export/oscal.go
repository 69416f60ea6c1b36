package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"openisms/internal/isms"
)

// OSCAL catalogs (NIST's Open Security Controls Assessment Language,
// versions 1.0 and 1.1): only the parts a requirement tree keeps are
// modelled; everything else in the file is ignored on reading.

type oscalDoc struct {
	Catalog *oscalCatalog `json:"catalog,omitempty"`
	Profile *oscalProfile `json:"profile,omitempty"`
}

type oscalCatalog struct {
	UUID     string         `json:"uuid"`
	Metadata oscalMetadata  `json:"metadata"`
	Groups   []oscalGroup   `json:"groups,omitempty"`
	Controls []oscalControl `json:"controls,omitempty"`
}

type oscalMetadata struct {
	Title        string       `json:"title"`
	LastModified string       `json:"last-modified"`
	Version      string       `json:"version"`
	OSCALVersion string       `json:"oscal-version"`
	Props        []oscalProp  `json:"props,omitempty"`
	Parties      []oscalParty `json:"parties,omitempty"`
}

type oscalParty struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

type oscalProp struct {
	Name  string `json:"name"`
	NS    string `json:"ns,omitempty"`
	Value string `json:"value"`
	Class string `json:"class,omitempty"`
}

type oscalLink struct {
	Href string `json:"href"`
	Rel  string `json:"rel,omitempty"`
}

type oscalGroup struct {
	ID       string         `json:"id,omitempty"`
	Class    string         `json:"class,omitempty"`
	Title    string         `json:"title"`
	Props    []oscalProp    `json:"props,omitempty"`
	Parts    []oscalPart    `json:"parts,omitempty"`
	Groups   []oscalGroup   `json:"groups,omitempty"`
	Controls []oscalControl `json:"controls,omitempty"`
}

type oscalControl struct {
	ID       string         `json:"id"`
	Class    string         `json:"class,omitempty"`
	Title    string         `json:"title"`
	Params   []oscalParam   `json:"params,omitempty"`
	Props    []oscalProp    `json:"props,omitempty"`
	Links    []oscalLink    `json:"links,omitempty"`
	Parts    []oscalPart    `json:"parts,omitempty"`
	Controls []oscalControl `json:"controls,omitempty"`
}

type oscalParam struct {
	ID     string       `json:"id"`
	Label  string       `json:"label,omitempty"`
	Select *oscalSelect `json:"select,omitempty"`
}

type oscalSelect struct {
	HowMany string   `json:"how-many,omitempty"`
	Choice  []string `json:"choice,omitempty"`
}

type oscalPart struct {
	ID    string      `json:"id,omitempty"`
	Name  string      `json:"name"`
	Props []oscalProp `json:"props,omitempty"`
	Prose string      `json:"prose,omitempty"`
	Parts []oscalPart `json:"parts,omitempty"`
}

type oscalProfile struct {
	Metadata oscalMetadata `json:"metadata"`
	Imports  []struct {
		Href            string    `json:"href"`
		IncludeAll      *struct{} `json:"include-all,omitempty"`
		IncludeControls []struct {
			WithIDs []string `json:"with-ids"`
		} `json:"include-controls,omitempty"`
	} `json:"imports"`
}

// ns marks the properties OpenISMS adds to the catalogs it writes.
const ns = "https://openisms.org/ns/oscal"

func propValue(props []oscalProp, name string) string {
	for _, p := range props {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

func decodeOSCAL(r io.Reader) (oscalDoc, error) {
	var d oscalDoc
	b, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return d, bad("file", "framework.json_syntax", "offset", se.Offset, "err", se.Error())
		case errors.As(err, &te):
			return d, bad("file", "framework.oscal_type", "field", te.Field, "want", te.Type.String())
		}
		return d, bad("file", "framework.not_oscal")
	}
	if d.Catalog == nil && d.Profile == nil {
		return d, bad("file", "framework.not_oscal")
	}
	return d, nil
}

// ReadOSCALCatalog reads an OSCAL catalog: its groups become grouping
// nodes, its controls and their enhancements assessable nodes, with the
// statement as description (parameters rendered as text), the guidance
// and label as attributes, and withdrawn controls marked. Links that say
// a control was incorporated into or moved to another must name a control
// of the file.
func ReadOSCALCatalog(r io.Reader) (isms.Catalog, error) {
	var c isms.Catalog
	d, err := decodeOSCAL(r)
	if err != nil {
		return c, err
	}
	if d.Catalog == nil {
		return c, bad("file", "framework.oscal_profile_not_catalog")
	}
	m := d.Catalog.Metadata
	c.Framework = isms.Framework{NameEN: strings.TrimSpace(m.Title), Version: m.Version, Origin: isms.OriginOSCAL}
	for _, p := range m.Parties {
		if p.Type == "organization" && p.Name != "" {
			c.Framework.Publisher = p.Name
			break
		}
	}
	var links []struct{ from, to string }
	partIDs := map[string]bool{} // links may name a part of a control's statement
	var group func(g oscalGroup, parent string)
	var control func(x oscalControl, parent, category string)
	control = func(x oscalControl, parent, category string) {
		n := isms.RequirementNode{Ref: x.ID, ParentRef: parent, TitleEN: x.Title, Assessable: true, Category: category,
			Withdrawn: propValue(x.Props, "status") == "withdrawn"}
		if v := propValue(x.Props, "title-zh"); v != "" {
			n.TitleZH = v
		}
		if v := propValue(x.Props, "assessable"); v == "false" {
			n.Assessable = false
		}
		if v := propValue(x.Props, "category"); v != "" {
			n.Category = v
		}
		attrs := ownAttributes(x.Props)
		if l := propValue(x.Props, "label"); l != "" {
			attrs["label"] = l
		}
		params := map[string]oscalParam{}
		for _, p := range x.Params {
			params[p.ID] = p
		}
		for _, p := range x.Parts {
			collectPartIDs(p, partIDs)
			switch p.Name {
			case "statement":
				n.Description = renderParams(partText(p), params)
			case "guidance":
				if g := renderParams(partText(p), params); g != "" {
					attrs["guidance"] = g
				}
			}
		}
		if len(attrs) > 0 {
			n.Attributes = attrs
		}
		for _, l := range x.Links {
			if (l.Rel == "incorporated-into" || l.Rel == "moved-to") && strings.HasPrefix(l.Href, "#") {
				links = append(links, struct{ from, to string }{x.ID, l.Href[1:]})
			}
		}
		c.Nodes = append(c.Nodes, n)
		for _, y := range x.Controls {
			control(y, x.ID, category)
		}
	}
	group = func(g oscalGroup, parent string) {
		ref := g.ID
		if ref == "" {
			ref = g.Title
		}
		n := isms.RequirementNode{Ref: ref, ParentRef: parent, TitleEN: g.Title, TitleZH: propValue(g.Props, "title-zh"),
			Category: g.Class}
		for _, p := range g.Parts {
			if p.Name == "statement" || p.Name == "overview" {
				n.Description = partText(p)
			}
		}
		c.Nodes = append(c.Nodes, n)
		for _, sub := range g.Groups {
			group(sub, ref)
		}
		for _, x := range g.Controls {
			control(x, ref, g.Title)
		}
	}
	for _, g := range d.Catalog.Groups {
		group(g, "")
	}
	for _, x := range d.Catalog.Controls {
		control(x, "", "")
	}
	if err := c.CheckTree(); err != nil {
		return c, err
	}
	refs := make(map[string]bool, len(c.Nodes))
	for _, n := range c.Nodes {
		refs[n.Ref] = true
	}
	var p isms.Problems
	for _, l := range links {
		if !refs[l.to] && !partIDs[l.to] {
			p.Add("node "+l.from+" links", "framework.oscal_missing_control", "ref", l.to)
		}
	}
	return c, p.Err()
}

func collectPartIDs(p oscalPart, into map[string]bool) {
	if p.ID != "" {
		into[p.ID] = true
	}
	for _, q := range p.Parts {
		collectPartIDs(q, into)
	}
}

// partText flattens a part and its sub-parts into lines, each item led by
// its label and indented by its depth below the part.
func partText(p oscalPart) string {
	var b strings.Builder
	var walk func(p oscalPart, depth int)
	walk = func(p oscalPart, depth int) {
		line := strings.TrimSpace(p.Prose)
		if l := propValue(p.Props, "label"); l != "" {
			line = strings.TrimSpace(l + " " + line)
		}
		if line != "" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(strings.Repeat("  ", max(depth, 0)) + line) // the part itself is at -1
		}
		for _, q := range p.Parts {
			walk(q, depth+1)
		}
	}
	walk(p, -1)
	return b.String()
}

var insertParam = regexp.MustCompile(`\{\{\s*insert:\s*param,\s*([^\s}]+)\s*\}\}`)

// renderParams writes each parameter where the prose inserts it, as NIST
// prints them: [Assignment: label] or [Selection (one or more): a; b].
func renderParams(s string, params map[string]oscalParam) string {
	for range 3 { // choices may insert parameters themselves
		if !strings.Contains(s, "{{") {
			break
		}
		s = insertParam.ReplaceAllStringFunc(s, func(m string) string {
			id := insertParam.FindStringSubmatch(m)[1]
			p, ok := params[id]
			switch {
			case !ok:
				return "[" + id + "]"
			case p.Select != nil:
				how := ""
				if p.Select.HowMany != "" {
					how = " (" + strings.ReplaceAll(p.Select.HowMany, "-", " ") + ")"
				}
				return "[Selection" + how + ": " + strings.Join(p.Select.Choice, "; ") + "]"
			}
			return "[Assignment: " + p.Label + "]"
		})
	}
	return s
}

// ownAttributes reads the attributes OpenISMS wrote as properties.
func ownAttributes(props []oscalProp) map[string]string {
	out := map[string]string{}
	for _, p := range props {
		if k, ok := strings.CutPrefix(p.Name, "attr-"); ok && p.NS == ns {
			out[k] = p.Value
		}
	}
	return out
}

// attributeProps writes a node's attributes, other than the label and
// guidance OSCAL has its own places for, as properties.
func attributeProps(attrs map[string]string) []oscalProp {
	keys := slices.Sorted(maps.Keys(attrs))
	var out []oscalProp
	for _, k := range keys {
		if k != "label" && k != "guidance" {
			out = append(out, oscalProp{Name: "attr-" + k, NS: ns, Value: attrs[k]})
		}
	}
	return out
}

// IsOSCALProfile reports whether an OSCAL document is a profile (a
// selection over a catalog) rather than a catalog.
func IsOSCALProfile(data []byte) bool {
	var top struct {
		Profile json.RawMessage `json:"profile"`
	}
	return json.Unmarshal(data, &top) == nil && len(top.Profile) > 0
}

// ReadOSCALProfile reads the control ids an OSCAL profile selects
// (include-controls with-ids; include-all selects everything: nil).
func ReadOSCALProfile(r io.Reader) (title string, ids []string, err error) {
	d, err := decodeOSCAL(r)
	if err != nil {
		return "", nil, err
	}
	if d.Profile == nil {
		return "", nil, bad("file", "framework.oscal_not_profile")
	}
	for _, imp := range d.Profile.Imports {
		if imp.IncludeAll != nil {
			return d.Profile.Metadata.Title, nil, nil
		}
		for _, ic := range imp.IncludeControls {
			ids = append(ids, ic.WithIDs...)
		}
	}
	if len(ids) == 0 {
		return "", nil, bad("file", "framework.oscal_profile_empty")
	}
	return d.Profile.Metadata.Title, ids, nil
}

// WriteOSCALCatalog writes a framework as an OSCAL 1.1.2 catalog: grouping
// nodes at the top or under groups as groups, every other node as a
// control (nested under its parent control). Chinese titles, categories
// and grouping nodes under controls travel as properties in OpenISMS's
// namespace, so reading the file back gives the same tree.
func WriteOSCALCatalog(w io.Writer, f isms.Framework, nodes []isms.RequirementNode, now time.Time) error {
	children := map[string][]isms.RequirementNode{}
	for _, n := range nodes {
		children[n.ParentRef] = append(children[n.ParentRef], n)
	}
	var control func(n isms.RequirementNode) oscalControl
	control = func(n isms.RequirementNode) oscalControl {
		x := oscalControl{ID: n.Ref, Title: n.TitleEN}
		if x.Title == "" {
			x.Title = n.TitleZH
		}
		if n.TitleZH != "" {
			x.Props = append(x.Props, oscalProp{Name: "title-zh", NS: ns, Value: n.TitleZH})
		}
		if n.Attributes["label"] != "" {
			x.Props = append(x.Props, oscalProp{Name: "label", Value: n.Attributes["label"]})
		}
		if !n.Assessable {
			x.Props = append(x.Props, oscalProp{Name: "assessable", NS: ns, Value: "false"})
		}
		if n.Category != "" {
			x.Props = append(x.Props, oscalProp{Name: "category", NS: ns, Value: n.Category})
		}
		x.Props = append(x.Props, attributeProps(n.Attributes)...)
		if n.Withdrawn {
			x.Props = append(x.Props, oscalProp{Name: "status", Value: "withdrawn"})
		}
		if n.Description != "" {
			x.Parts = append(x.Parts, oscalPart{ID: n.Ref + "_smt", Name: "statement", Prose: n.Description})
		}
		if g := n.Attributes["guidance"]; g != "" {
			x.Parts = append(x.Parts, oscalPart{ID: n.Ref + "_gdn", Name: "guidance", Prose: g})
		}
		for _, k := range children[n.Ref] {
			x.Controls = append(x.Controls, control(k))
		}
		return x
	}
	var group func(n isms.RequirementNode) oscalGroup
	group = func(n isms.RequirementNode) oscalGroup {
		g := oscalGroup{ID: n.Ref, Class: n.Category, Title: n.TitleEN}
		if g.Title == "" {
			g.Title = n.TitleZH
		}
		if n.TitleZH != "" {
			g.Props = append(g.Props, oscalProp{Name: "title-zh", NS: ns, Value: n.TitleZH})
		}
		if n.Description != "" {
			g.Parts = append(g.Parts, oscalPart{ID: n.Ref + "_ovw", Name: "overview", Prose: n.Description})
		}
		for _, k := range children[n.Ref] {
			if k.Assessable {
				g.Controls = append(g.Controls, control(k))
			} else {
				g.Groups = append(g.Groups, group(k))
			}
		}
		return g
	}
	cat := oscalCatalog{UUID: uuid.NewSHA1(uuid.NameSpaceURL, []byte(ns+"/"+f.Code+"/"+f.Version)).String(),
		Metadata: oscalMetadata{Title: f.NameEN, LastModified: now.UTC().Format(time.RFC3339), Version: f.Version, OSCALVersion: "1.1.2"}}
	if cat.Metadata.Title == "" {
		cat.Metadata.Title = f.NameZH
	}
	if cat.Metadata.Version == "" {
		cat.Metadata.Version = "1"
	}
	if f.Publisher != "" {
		cat.Metadata.Parties = []oscalParty{{Type: "organization", Name: f.Publisher}}
	}
	for _, n := range children[""] {
		if n.Assessable {
			cat.Controls = append(cat.Controls, control(n))
		} else {
			cat.Groups = append(cat.Groups, group(n))
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(oscalDoc{Catalog: &cat}); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

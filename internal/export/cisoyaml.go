package export

import (
	"io"
	"strings"

	"gopkg.in/yaml.v3"

	"openisms/internal/isms"
)

// CISO Assistant libraries (YAML): a framework with its requirement nodes
// linked by URN, and the library's reference controls and threats.

type cisoLibrary struct {
	URN         string `yaml:"urn"`
	RefID       string `yaml:"ref_id"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Version     any    `yaml:"version"`
	Provider    string `yaml:"provider"`
	Objects     struct {
		Framework         *cisoFramework `yaml:"framework"`
		ReferenceControls []cisoObject   `yaml:"reference_controls"`
		Threats           []cisoObject   `yaml:"threats"`
	} `yaml:"objects"`
}

type cisoFramework struct {
	URN              string     `yaml:"urn"`
	RefID            string     `yaml:"ref_id"`
	Name             string     `yaml:"name"`
	RequirementNodes []cisoNode `yaml:"requirement_nodes"`
}

type cisoNode struct {
	URN               string   `yaml:"urn"`
	ParentURN         string   `yaml:"parent_urn"`
	RefID             string   `yaml:"ref_id"`
	Name              string   `yaml:"name"`
	Description       string   `yaml:"description"`
	Annotation        string   `yaml:"annotation"`
	Assessable        bool     `yaml:"assessable"`
	Threats           []string `yaml:"threats"`
	ReferenceControls []string `yaml:"reference_controls"`
}

type cisoObject struct {
	URN         string `yaml:"urn"`
	RefID       string `yaml:"ref_id"`
	Name        string `yaml:"name"`
	Category    string `yaml:"category"`
	Description string `yaml:"description"`
}

// CISOLibrary is what a CISO Assistant library holds besides its tree.
type CISOLibrary struct {
	Catalog           isms.Catalog
	ReferenceControls []isms.RequirementNode // ref, title, category, description
	Threats           []isms.RequirementNode
}

// ReadCISOYAML reads a CISO Assistant library. Nodes without a ref_id
// take the last segment of their URN; each node's threats and reference
// controls are kept as attributes by reference. A parent URN that names
// no node of the file is refused.
func ReadCISOYAML(r io.Reader) (CISOLibrary, error) {
	var out CISOLibrary
	b, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return out, err
	}
	var lib cisoLibrary
	if err := yaml.Unmarshal(b, &lib); err != nil {
		return out, bad("file", "framework.yaml_syntax", "err", err.Error())
	}
	fw := lib.Objects.Framework
	if fw == nil || len(fw.RequirementNodes) == 0 {
		return out, bad("file", "framework.yaml_no_framework")
	}
	refOf := func(urn, ref string) string {
		if ref != "" {
			return ref
		}
		return urn[strings.LastIndex(urn, ":")+1:]
	}
	objRefs := func(objs []cisoObject, into *[]isms.RequirementNode) map[string]string {
		m := make(map[string]string, len(objs))
		for _, o := range objs {
			m[o.URN] = refOf(o.URN, o.RefID)
			n := isms.RequirementNode{Ref: m[o.URN], TitleEN: strings.TrimSpace(o.Name), Category: o.Category,
				Description: strings.TrimSpace(o.Description)}
			*into = append(*into, n)
		}
		return m
	}
	threats, controls := objRefs(lib.Objects.Threats, &out.Threats),
		objRefs(lib.Objects.ReferenceControls, &out.ReferenceControls)
	byURN := make(map[string]string, len(fw.RequirementNodes))
	for _, n := range fw.RequirementNodes {
		byURN[n.URN] = refOf(n.URN, n.RefID)
	}
	var p isms.Problems
	c := &out.Catalog
	c.Framework = isms.Framework{Code: fw.RefID, NameEN: strings.TrimSpace(fw.Name), Publisher: lib.Provider,
		Origin: isms.OriginYAML}
	if lib.Version != nil {
		c.Framework.Version = strings.TrimSpace(strings.Trim(yamlScalar(lib.Version), "\""))
	}
	for _, y := range fw.RequirementNodes {
		n := isms.RequirementNode{Ref: byURN[y.URN], TitleEN: strings.TrimSpace(y.Name), Assessable: y.Assessable,
			Description: strings.TrimSpace(y.Description)}
		if n.TitleEN == "" { // CISO Assistant allows nodes with only a description
			n.TitleEN = firstLine(n.Description, 200)
		}
		if n.TitleEN == "" {
			n.TitleEN = n.Ref
		}
		if y.ParentURN != "" {
			parent, ok := byURN[y.ParentURN]
			if !ok {
				p.Add("node "+n.Ref+" parent_urn", "framework.parent_unknown", "parent", y.ParentURN)
				continue
			}
			n.ParentRef = parent
		}
		attrs := map[string]string{}
		if a := strings.TrimSpace(y.Annotation); a != "" {
			attrs["guidance"] = a
		}
		if s := refsOf(y.Threats, threats); s != "" {
			attrs["threats"] = s
		}
		if s := refsOf(y.ReferenceControls, controls); s != "" {
			attrs["reference_controls"] = s
		}
		if len(attrs) > 0 {
			n.Attributes = attrs
		}
		c.Nodes = append(c.Nodes, n)
	}
	if err := p.Err(); err != nil {
		return out, err
	}
	if err := orderParentsFirst(c); err != nil {
		return out, err
	}
	return out, c.CheckTree()
}

func yamlScalar(v any) string {
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}

func refsOf(urns []string, refs map[string]string) string {
	var out []string
	for _, u := range urns {
		if r, ok := refs[u]; ok {
			out = append(out, r)
		} else {
			out = append(out, u)
		}
	}
	return strings.Join(out, ", ")
}

func firstLine(s string, max int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > max {
		return string(r[:max])
	}
	return s
}

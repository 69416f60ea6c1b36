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
	URN               string                     `yaml:"urn"`
	ParentURN         string                     `yaml:"parent_urn"`
	RefID             string                     `yaml:"ref_id"`
	Name              string                     `yaml:"name"`
	Description       string                     `yaml:"description"`
	Annotation        string                     `yaml:"annotation"`
	Assessable        bool                       `yaml:"assessable"`
	Threats           []string                   `yaml:"threats"`
	ReferenceControls []string                   `yaml:"reference_controls"`
	Translations      map[string]cisoTranslation `yaml:"translations"`
}

type cisoObject struct {
	URN          string                     `yaml:"urn"`
	RefID        string                     `yaml:"ref_id"`
	Name         string                     `yaml:"name"`
	Category     string                     `yaml:"category"`
	CSFFunction  string                     `yaml:"csf_function"`
	Description  string                     `yaml:"description"`
	Translations map[string]cisoTranslation `yaml:"translations"`
}

type cisoTranslation struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

// chinese is a Chinese translation's name, if the library has one (zh,
// zh-CN, zh_Hans, ...).
func chinese(ts map[string]cisoTranslation) string {
	for lang, t := range ts {
		if strings.HasPrefix(strings.ToLower(lang), "zh") {
			return strings.TrimSpace(t.Name)
		}
	}
	return ""
}

// ReadCISOYAML reads a CISO Assistant library: its framework's tree,
// and its reference controls and threats with the nodes that name them.
// Nodes and objects without a ref_id take the last segment of their URN;
// a node naming an object the file does not ship keeps the object's URN.
// A parent URN that names no node of the file is refused.
func ReadCISOYAML(r io.Reader) (isms.Catalog, error) {
	var c isms.Catalog
	b, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return c, err
	}
	var lib cisoLibrary
	if err := yaml.Unmarshal(b, &lib); err != nil {
		return c, bad("file", "framework.yaml_syntax", "err", err.Error())
	}
	fw := lib.Objects.Framework
	if fw == nil || len(fw.RequirementNodes) == 0 {
		return c, bad("file", "framework.yaml_no_framework")
	}
	refOf := func(urn, ref string) string {
		if ref != "" {
			return ref
		}
		return urn[strings.LastIndex(urn, ":")+1:]
	}
	objRefs := map[string]string{} // kind + URN → ref
	for _, set := range []struct {
		kind string
		objs []cisoObject
	}{{isms.ObjReferenceControl, lib.Objects.ReferenceControls}, {isms.ObjThreat, lib.Objects.Threats}} {
		for _, o := range set.objs {
			ref := refOf(o.URN, o.RefID)
			if o.URN != "" {
				objRefs[set.kind+o.URN] = ref
			}
			c.Objects = append(c.Objects, isms.LibraryObject{Kind: set.kind, Ref: ref, URN: o.URN, NameEN: o.Name,
				NameZH: chinese(o.Translations), Category: o.Category, Function: o.CSFFunction, Description: o.Description})
		}
	}
	byURN := make(map[string]string, len(fw.RequirementNodes))
	for _, n := range fw.RequirementNodes {
		byURN[n.URN] = refOf(n.URN, n.RefID)
	}
	var p isms.Problems
	c.Framework = isms.Framework{Code: fw.RefID, NameEN: strings.TrimSpace(fw.Name), Publisher: lib.Provider,
		Origin: isms.OriginYAML}
	if lib.Version != nil {
		c.Framework.Version = strings.TrimSpace(strings.Trim(yamlScalar(lib.Version), "\""))
	}
	for _, y := range fw.RequirementNodes {
		n := isms.RequirementNode{Ref: byURN[y.URN], TitleEN: strings.TrimSpace(y.Name), Assessable: y.Assessable,
			Description: strings.TrimSpace(y.Description), TitleZH: chinese(y.Translations)}
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
		if a := strings.TrimSpace(y.Annotation); a != "" {
			n.Attributes = map[string]string{"guidance": a}
		}
		for _, l := range []struct {
			kind string
			urns []string
		}{{isms.ObjReferenceControl, y.ReferenceControls}, {isms.ObjThreat, y.Threats}} {
			for _, u := range l.urns {
				ref, ok := objRefs[l.kind+u]
				if !ok {
					ref = u
				}
				c.Links = append(c.Links, isms.LibraryLink{NodeRef: n.Ref, Kind: l.kind, ObjectRef: ref})
			}
		}
		c.Nodes = append(c.Nodes, n)
	}
	if err := p.Err(); err != nil {
		return c, err
	}
	if err := orderParentsFirst(&c); err != nil {
		return c, err
	}
	return c, c.CheckTree()
}

func yamlScalar(v any) string {
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}

func firstLine(s string, max int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > max {
		return string(r[:max])
	}
	return s
}

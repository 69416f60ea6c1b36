package export_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/testutil"
)

func count(nodes []isms.RequirementNode, keep func(isms.RequirementNode) bool) int {
	n := 0
	for _, x := range nodes {
		if keep(x) {
			n++
		}
	}
	return n
}

func TestReadOSCALCatalogNIST(t *testing.T) {
	c, err := export.ReadOSCALCatalog(testutil.OpenShared(t, "testdata/oscal/NIST_SP-800-53_rev5_catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	groups := count(c.Nodes, func(n isms.RequirementNode) bool { return !n.Assessable })
	controls := count(c.Nodes, func(n isms.RequirementNode) bool { return n.Assessable && n.Depth == 1 })
	enh := count(c.Nodes, func(n isms.RequirementNode) bool { return n.Assessable && n.Depth == 2 })
	withdrawn := count(c.Nodes, func(n isms.RequirementNode) bool { return n.Withdrawn })
	if groups != 20 || controls != 322 || enh != 867 || withdrawn != 182 {
		t.Errorf("groups %d controls %d enhancements %d withdrawn %d, want 20 322 867 182", groups, controls, enh, withdrawn)
	}
	if c.Framework.Version != "5.0.1" || !strings.Contains(c.Framework.NameEN, "800-53") {
		t.Errorf("framework %+v", c.Framework)
	}
	var ac1, ac21 isms.RequirementNode
	for _, n := range c.Nodes {
		switch n.Ref {
		case "ac-1":
			ac1 = n
		case "ac-2.1":
			ac21 = n
		}
	}
	// Parameters are kept as text where the statement inserts them.
	if !strings.Contains(ac1.Description, "[Assignment: organization-defined personnel or roles]") ||
		!strings.Contains(ac1.Description, "[Selection (one or more): Organization-level; Mission/business process-level; System-level]") ||
		strings.Contains(ac1.Description, "{{") {
		t.Errorf("ac-1 statement:\n%s", ac1.Description)
	}
	if ac1.Attributes["label"] != "AC-1" || ac1.Attributes["guidance"] == "" || ac1.ParentRef != "ac" {
		t.Errorf("ac-1 %+v", ac1)
	}
	if ac21.ParentRef != "ac-2" || ac21.Attributes["label"] != "AC-2(1)" {
		t.Errorf("ac-2.1 %+v", ac21)
	}
}

func TestReadOSCALResolvedBaselineAndProfiles(t *testing.T) {
	c, err := export.ReadOSCALCatalog(testutil.OpenShared(t,
		"testdata/oscal/oscal-1.1.2/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog-min.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n := count(c.Nodes, func(n isms.RequirementNode) bool { return n.Assessable }); n != 149 {
		t.Errorf("resolved LOW baseline: %d controls, want 149", n)
	}
	for _, p := range []string{"testdata/oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json",
		"testdata/oscal/oscal-1.1.2/NIST_SP-800-53_rev5_LOW-baseline_profile.json"} {
		_, ids, err := export.ReadOSCALProfile(testutil.OpenShared(t, p))
		if err != nil || len(ids) != 149 {
			t.Errorf("%s: %d ids, %v", p, len(ids), err)
		}
	}
}

func TestReadCISOYAML(t *testing.T) {
	c, err := export.ReadCISOYAML(testutil.OpenShared(t, "testdata/ciso-assistant/cisa-cpg-2.0.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	controls, threats := c.LibraryCounts()
	if len(c.Nodes) != 40 || c.Assessable() != 34 || controls != 37 || threats != 16 {
		t.Errorf("nodes %d assessable %d reference controls %d threats %d, want 40 34 37 16", len(c.Nodes),
			c.Assessable(), controls, threats)
	}
	if c.Framework.Code != "CISA-CPG-2.0" || c.Framework.Publisher != "CISA" {
		t.Errorf("framework %+v", c.Framework)
	}
	for _, n := range c.Nodes {
		if n.Ref == "1.A" && (n.ParentRef != "GV" || n.Depth != 1) {
			t.Errorf("1.A %+v", n)
		}
	}
	// 1.A names threat T.01 and reference controls RC.01 and RC.03.
	var got []string
	for _, l := range c.Links {
		if l.NodeRef == "1.A" {
			got = append(got, l.Kind+" "+l.ObjectRef)
		}
	}
	if want := []string{"reference_control RC.01", "reference_control RC.03", "threat T.01"}; !slices.Equal(got, want) {
		t.Errorf("1.A links %v, want %v", got, want)
	}
	for _, o := range c.Objects {
		if o.Kind == isms.ObjReferenceControl && o.Ref == "RC.01" && (o.NameEN != "Cybersecurity Roles and Responsibilities Policy" ||
			o.Category != "policy" || o.Function != "govern" || o.Position != 1 || o.URN != "urn:intuitem:risk:function:cisa-cpg-2.0:rc-01") {
			t.Errorf("RC.01 %+v", o)
		}
		if o.Kind == isms.ObjThreat && o.Ref == "T.01" && (o.NameEN != "Insufficient Cybersecurity Governance" || o.Position != 1) {
			t.Errorf("T.01 %+v", o)
		}
	}
}

// A library's Chinese translations give the Chinese titles; a node may
// name an object of another library by URN, and keeps it.
func TestReadCISOYAMLTranslationsAndExternalObjects(t *testing.T) {
	c, err := export.ReadCISOYAML(strings.NewReader(`objects:
  reference_controls:
    - urn: urn:x:function:bk
      name: Backup policy
      translations:
        zh-CN: {name: 备份策略}
  framework:
    ref_id: X
    requirement_nodes:
      - urn: urn:x:req:1
        ref_id: "1"
        name: Backups
        assessable: true
        translations:
          zh: {name: 备份}
        reference_controls: [urn:x:function:bk, urn:other:function:y]
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Nodes[0].TitleZH != "备份" || c.Objects[0].NameZH != "备份策略" || c.Objects[0].Ref != "bk" {
		t.Errorf("node %+v object %+v", c.Nodes[0], c.Objects[0])
	}
	want := []isms.LibraryLink{{NodeRef: "1", Kind: isms.ObjReferenceControl, ObjectRef: "bk"},
		{NodeRef: "1", Kind: isms.ObjReferenceControl, ObjectRef: "urn:other:function:y"}}
	if !slices.Equal(c.Links, want) {
		t.Errorf("links %+v, want %+v", c.Links, want)
	}
}

func TestFrameworkRoundTrips(t *testing.T) {
	src, err := export.ReadOSCALCatalog(testutil.OpenShared(t, "testdata/oscal/NIST_SP-800-53_rev5_catalog.json"))
	if err != nil {
		t.Fatal(err)
	}
	src.Framework.Code, src.Nodes[0].TitleZH, src.Nodes[1].Attributes["level"] = "NIST", "访问控制", "3"
	var csvOut, oscalOut bytes.Buffer
	if err := export.WriteFrameworkCSV(&csvOut, src.Nodes); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteOSCALCatalog(&oscalOut, src.Framework, src.Nodes, time.Now()); err != nil {
		t.Fatal(err)
	}
	fromCSV, err := export.ReadFrameworkCSV(&csvOut)
	if err != nil {
		t.Fatal(err)
	}
	fromCSV.Framework = src.Framework
	if err := fromCSV.Check(); err != nil {
		t.Fatal(err)
	}
	fromOSCAL, err := export.ReadOSCALCatalog(&oscalOut)
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]isms.RequirementNode{"csv": fromCSV.Nodes, "oscal": fromOSCAL.Nodes} {
		if len(got) != len(src.Nodes) {
			t.Fatalf("%s: %d nodes, want %d", name, len(got), len(src.Nodes))
		}
		for i := range got {
			a, b := src.Nodes[i], got[i]
			if a.Ref != b.Ref || a.ParentRef != b.ParentRef || a.TitleZH != b.TitleZH || a.TitleEN != b.TitleEN ||
				a.Assessable != b.Assessable || a.Withdrawn != b.Withdrawn || a.Category != b.Category ||
				a.Description != b.Description || a.Depth != b.Depth || len(a.Attributes) != len(b.Attributes) {
				t.Fatalf("%s: node %d\n got %+v\nwant %+v", name, i, b, a)
			}
			for k, v := range a.Attributes {
				if b.Attributes[k] != v {
					t.Fatalf("%s: node %s attribute %s = %q, want %q", name, a.Ref, k, b.Attributes[k], v)
				}
			}
		}
	}
}

func TestFrameworkImportRefusals(t *testing.T) {
	cases := []struct {
		name, format, in, field, rule string
	}{
		{"not oscal", "oscal", `{"component-definition": {}}`, "file", "framework.not_oscal"},
		{"not json", "oscal", `{"catalog": `, "file", "framework.json_syntax"},
		{"duplicate id", "oscal", `{"catalog": {"metadata": {"title": "T"}, "controls": [{"id": "a-1", "title": "A"}, {"id": "a-1", "title": "B"}]}}`,
			"node a-1", "framework.duplicate_ref"},
		{"missing control", "oscal", `{"catalog": {"metadata": {"title": "T"}, "controls": [{"id": "a-1", "title": "A", "links": [{"href": "#a-9", "rel": "incorporated-into"}]}]}}`,
			"node a-1 links", "framework.oscal_missing_control"},
		{"unknown parent", "yaml", "objects:\n  framework:\n    ref_id: X\n    name: X\n    requirement_nodes:\n      - urn: u:1\n        ref_id: A\n        name: A\n        parent_urn: u:9\n",
			"node A parent_urn", "framework.parent_unknown"},
		{"duplicate threat", "yaml", "objects:\n  threats:\n    - {urn: t:1, ref_id: T1, name: A}\n    - {urn: t:2, ref_id: T1, name: B}\n  framework:\n    ref_id: X\n    requirement_nodes:\n      - {urn: u:1, ref_id: A, name: A}\n",
			"threat T1", "framework.duplicate_object"},
		{"nameless control", "yaml", "objects:\n  reference_controls:\n    - {urn: c:1, ref_id: C1}\n  framework:\n    ref_id: X\n    requirement_nodes:\n      - {urn: u:1, ref_id: A, name: A}\n",
			"reference_control C1 name", "field.required"},
		{"missing column", "csv", "ref,parent\n1,\n", "file", "framework.csv_column"},
		{"unknown csv parent", "csv", "ref,parent,title_en\n1,,One\n2,9,Two\n", "node 2 parent", "framework.parent_unknown"},
		{"cycle", "csv", "ref,parent,title_en\n1,2,One\n2,1,Two\n", "node 1 parent", "framework.parent_cycle"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			switch c.format {
			case "oscal":
				_, err = export.ReadOSCALCatalog(strings.NewReader(c.in))
			case "yaml":
				_, err = export.ReadCISOYAML(strings.NewReader(c.in))
			default:
				var cat isms.Catalog
				cat, err = export.ReadFrameworkCSV(strings.NewReader(c.in))
				if err == nil {
					cat.Framework = isms.Framework{Code: "X", NameEN: "X"}
					err = cat.Check()
				}
			}
			e := isms.AsError(err)
			if e == nil || len(e.Fields) == 0 || e.Fields[0].Field != c.field || e.Fields[0].Msg.ID != c.rule {
				t.Fatalf("got %v (%+v), want %s: %s", err, e, c.field, c.rule)
			}
		})
	}
}

func FuzzReadFrameworks(f *testing.F) {
	f.Add([]byte(`{"catalog": {"metadata": {"title": "T"}, "groups": [{"id": "g", "title": "G", "controls": [{"id": "a-1", "title": "A"}]}]}}`))
	f.Add([]byte("ref,parent,title_en\n1,,One\n1.1,1,Sub\n"))
	f.Add([]byte("objects:\n  framework:\n    ref_id: X\n    requirement_nodes:\n      - urn: u:1\n        name: A\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		// Never a panic; anything accepted passes the catalog's checks.
		var c isms.Catalog
		var err error
		switch export.DetectFrameworkFormat(b) {
		case isms.OriginOSCAL:
			c, err = export.ReadOSCALCatalog(bytes.NewReader(b))
		case isms.OriginYAML:
			c, err = export.ReadCISOYAML(bytes.NewReader(b))
		default:
			c, err = export.ReadFrameworkCSV(bytes.NewReader(b))
		}
		if err == nil {
			c.Framework.Code, c.Framework.NameEN = "F", "F"
			if err := c.Check(); err != nil && len(c.Nodes) > 0 && isms.ErrorCode(err) != isms.CodeInvalid {
				t.Fatal(err)
			}
		}
	})
}

package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

func frameworkByCode(t *testing.T, svc *service.Service, a isms.Actor, code string) (isms.Framework, []isms.RequirementNode) {
	t.Helper()
	fs, err := svc.Frameworks(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Code == code {
			f, nodes, err := svc.Framework(context.Background(), a, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			return f, nodes
		}
	}
	t.Fatalf("no framework %s among %d", code, len(fs))
	return isms.Framework{}, nil
}

func TestBuiltinFrameworks(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		o := newDocOrg(t, st)
		ctx := context.Background()
		f22, n22 := frameworkByCode(t, o.svc, o.author, "ISO27001:2022")
		themes := map[string]int{}
		clauses := 0
		for _, n := range n22 {
			if n.Assessable && strings.HasPrefix(n.Ref, "A.") {
				themes[n.Category]++
			} else if n.Assessable {
				clauses++
			}
		}
		if themes["organizational"] != 37 || themes["people"] != 8 || themes["physical"] != 14 || themes["technological"] != 34 {
			t.Errorf("2022 Annex A by theme: %v, want 37/8/14/34", themes)
		}
		if !f22.ReadOnly() || f22.Assessable != 93+clauses || clauses != 30 {
			t.Errorf("2022: %+v, %d assessable clauses", f22, clauses)
		}
		// Chinese titles only where the catalog has them.
		for _, n := range n22 {
			if n.Ref == "A.5.1" && (!n.MissingZH() || n.Title("zh-CN") != "Policies for information security") {
				t.Errorf("A.5.1 %+v", n)
			}
			if n.Ref == "A.5.2" && n.Title("zh-CN") != "信息安全角色和职责" {
				t.Errorf("A.5.2 %+v", n)
			}
		}
		_, n13 := frameworkByCode(t, o.svc, o.author, "ISO27001:2013")
		controls, top := 0, 0
		for _, n := range n13 {
			if n.Assessable {
				controls++
			}
			if n.Depth == 0 {
				top++
			}
		}
		if controls != 114 || top != 14 || len(n13) != 114+14+35 {
			t.Errorf("2013: %d controls, %d clauses, %d nodes", controls, top, len(n13))
		}
		f13, _ := frameworkByCode(t, o.svc, o.author, "ISO27001:2013")
		ms, err := o.svc.FrameworkMappings(ctx, o.author, f13.ID)
		if err != nil || len(ms) != 115 {
			t.Fatalf("%d mappings, %v", len(ms), err)
		}
		var targets []string
		rels := map[string]int{}
		for _, m := range ms {
			rels[m.Relation]++
			if m.SourceRef == "A.18.2.3" {
				targets = append(targets, m.TargetRef+" "+m.Relation)
			}
		}
		if !slices.Equal(targets, []string{"A.5.36 intersect", "A.8.8 intersect"}) {
			t.Errorf("A.18.2.3 maps to %v", targets)
		}
		if rels[isms.RelEqual]+rels[isms.RelSubset]+rels[isms.RelIntersect] != 115 || rels[isms.RelSubset] == 0 {
			t.Errorf("relations %v", rels)
		}
		// A control's page shows what it maps to, from either end.
		for _, n := range n13 {
			if n.Ref == "A.18.2.3" {
				d, err := o.svc.Requirement(ctx, o.author, n.ID)
				if err != nil || len(d.Mappings) != 2 {
					t.Errorf("A.18.2.3 mappings %v %v", d.Mappings, err)
				}
			}
		}
	})
}

func TestImportFrameworkUpdatesInPlace(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		o := newDocOrg(t, st)
		ctx := context.Background()
		v1 := "ref,parent,title_en,assessable\nG,,Group,false\nG.1,G,One,true\nG.2,G,Two,true\nG.3,G,Three,true\n"
		ch, err := o.svc.ImportFramework(ctx, o.author, service.FrameworkImport{FileName: "own.csv", Code: "OWN", NameZH: "本单位标准",
			Version: "1"}, strings.NewReader(v1))
		if err != nil || !ch.Created || len(ch.Added) != 4 {
			t.Fatalf("%+v %v", ch, err)
		}
		_, before := frameworkByCode(t, o.svc, o.author, "OWN")
		id := map[string]string{}
		for _, n := range before {
			id[n.Ref] = n.ID
		}
		var g2 string
		for _, n := range before {
			if n.Ref == "G.2" {
				g2 = n.ID
			}
		}
		if _, err := o.svc.SetRequirementTitle(ctx, o.author, g2, "第二条"); err != nil {
			t.Fatal(err)
		}
		v2 := "ref,parent,title_en,assessable\nG,,Group,false\nG.1,G,One (revised),true\nG.2,G,Two,true\nG.4,G,Four,true\n"
		ch, err = o.svc.ImportFramework(ctx, o.author, service.FrameworkImport{FileName: "own-v2.csv", Code: "OWN", Version: "2"},
			strings.NewReader(v2))
		if err != nil || ch.Created {
			t.Fatalf("%+v %v", ch, err)
		}
		if !slices.Equal(ch.Added, []string{"G.4"}) || !slices.Equal(ch.Changed, []string{"G.1"}) || !slices.Equal(ch.Removed, []string{"G.3"}) {
			t.Errorf("change %+v", ch)
		}
		f, after := frameworkByCode(t, o.svc, o.author, "OWN")
		if f.Version != "2" || f.NameZH != "本单位标准" && f.NameZH != "" || f.Nodes != 4 {
			t.Errorf("framework %+v", f)
		}
		for _, n := range after {
			if n.Ref != "G.4" && n.ID != id[n.Ref] {
				t.Errorf("%s got a new node ID", n.Ref)
			}
			if n.Ref == "G.2" && n.Title("zh-CN") != "第二条" {
				t.Errorf("G.2 lost its own title: %+v", n)
			}
		}
		// Bad input: nothing written, the element and the rule named.
		for _, c := range []struct{ name, in, code, field, rule string }{
			{"cycle", "ref,parent,title_en\nA,B,a\nB,A,b\n", "OWN", "node A parent", "framework.parent_cycle"},
			{"no code", "ref,title_en\nA,a\n", "", "code", "field.required"},
			{"built-in code", "ref,title_en\nA,a\n", "ISO27001:2022", "code", "framework.builtin_code"},
			{"missing column", "parent,title_en\nA,a\n", "X", "file", "framework.csv_column"},
		} {
			_, err := o.svc.ImportFramework(ctx, o.author, service.FrameworkImport{FileName: "x.csv", Code: c.code}, strings.NewReader(c.in))
			e := isms.AsError(err)
			if e == nil || len(e.Fields) == 0 || e.Fields[0].Field != c.field || e.Fields[0].Msg.ID != c.rule {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		if _, after2 := frameworkByCode(t, o.svc, o.author, "OWN"); len(after2) != 4 {
			t.Errorf("a refused import changed the framework: %d nodes", len(after2))
		}
		// Permissions and isolation.
		if _, err := o.svc.ImportFramework(ctx, o.emp1, service.FrameworkImport{Code: "Y"}, strings.NewReader(v1)); isms.ErrorCode(err) != isms.CodeForbidden {
			t.Errorf("an employee imported a framework: %v", err)
		}
		org2, err := o.svc.CreateOrganization(ctx, isms.CLIActor("t"), isms.Organization{Name: "另一单位"})
		if err != nil {
			t.Fatal(err)
		}
		team2 := isms.Actor{OrgID: org2.ID, OrgPath: org2.Path, Username: "team2", Via: "session", Roles: []isms.Role{isms.RoleISMSTeam}}
		fs, _ := o.svc.Frameworks(ctx, team2)
		for _, x := range fs {
			if x.Code == "OWN" {
				t.Error("another organization sees the imported framework")
			}
		}
		if _, _, err := o.svc.Framework(ctx, team2, f.ID); isms.ErrorCode(err) != isms.CodeNotFound {
			t.Errorf("another organization read it: %v", err)
		}
		// Mappings between the own framework and ISO 27001:2022.
		n, err := o.svc.ImportMappings(ctx, o.author, strings.NewReader(
			"source_framework,source_ref,target_framework,target_ref,relation\nOWN,G.1,ISO27001:2022,A.5.1,subset\n"))
		if err != nil || n != 1 {
			t.Fatalf("mappings %d %v", n, err)
		}
		_, err = o.svc.ImportMappings(ctx, o.author, strings.NewReader(
			"source_framework,source_ref,target_framework,target_ref\nOWN,G.9,ISO27001:2022,A.5.1\nNOPE,1,OWN,G.1\n"))
		if e := isms.AsError(err); e == nil || len(e.Fields) != 2 || e.Fields[0].Field != "row 2 source_ref" ||
			e.Fields[1].Field != "row 3 source_framework" {
			t.Errorf("bad mappings: %+v", e)
		}
	})
}

func TestImportNISTCatalog(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		o := newDocOrg(t, st)
		ch, err := o.svc.ImportFramework(context.Background(), o.author, service.FrameworkImport{
			FileName: "NIST_SP-800-53_rev5_catalog.json"}, testutil.OpenShared(t, "testdata/oscal/NIST_SP-800-53_rev5_catalog.json"))
		if err != nil {
			t.Fatal(err)
		}
		f := ch.Framework
		if f.Code != "NIST_SP-800-53_rev5_catalog" || f.Nodes != 20+1189 || f.Assessable != 1189 || f.Origin != isms.OriginOSCAL ||
			len(f.FileHash) != 64 {
			t.Errorf("%+v", f)
		}
		// The LOW baseline profile imports as a selection over it: 149
		// controls, every one resolved, each mapped as equal to its own.
		ctx := context.Background()
		profile := func(base string) (isms.FrameworkChange, error) {
			return o.svc.ImportFramework(ctx, o.author, service.FrameworkImport{FileName: "NIST_SP-800-53_rev5_LOW-baseline_profile.json",
				Code: "NIST-LOW", Base: base}, testutil.OpenShared(t, "testdata/oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json"))
		}
		_, err = profile("")
		wantCode(t, err, isms.CodeInvalid, "base")
		_, err = profile("ISO27001:2022")
		wantCode(t, err, isms.CodeInvalid, "file")
		low, err := profile(f.Code)
		if err != nil {
			t.Fatal(err)
		}
		if low.Framework.Assessable != 149 || low.Framework.Origin != isms.OriginOSCAL {
			t.Fatalf("LOW baseline: %+v", low.Framework)
		}
		ms, err := o.svc.FrameworkMappings(ctx, o.author, low.Framework.ID)
		if err != nil || len(ms) != 149 || ms[0].Relation != isms.RelEqual || ms[0].SourceRef != ms[0].TargetRef ||
			ms[0].TargetFramework != f.Code {
			t.Fatalf("profile mappings: %v %d %+v", err, len(ms), ms[0])
		}
	})
}

// The GB/T 22239-2019 baseline: item counts per level, category and
// extension as mlps.md §3.1–3.2 give them, GB/T 28448 identifiers, and
// the Annex A controls its control points share a subject with.
func TestBuiltinGBT22239(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		o := newDocOrg(t, st)
		f, nodes := frameworkByCode(t, o.svc, o.author, "GB/T22239-2019")
		byLevel := map[string]map[string]int{"2": {}, "3": {}}
		refs := map[string]bool{}
		for _, n := range nodes {
			refs[n.Ref] = true
			if !n.Assessable {
				continue
			}
			lv, ext := n.Attributes["level"], n.Attributes["extension"]
			if want := "L" + lv + "-"; !strings.HasPrefix(n.Ref, want) || n.Category != ext {
				t.Errorf("%s: level %q extension %q category %q", n.Ref, lv, ext, n.Category)
			}
			key := ext
			if ext == "general" {
				key = n.Ref[3:6] // the category: PES, CNS, …
			}
			byLevel[lv][key]++
		}
		l3 := map[string]int{"PES": 22, "CNS": 8, "ABS": 20, "CES": 34, "SMC": 12,
			"PSS": 7, "ORS": 14, "HRS": 12, "CMS": 34, "MMS": 48,
			// Extensions: technical items of the public level-3 checklist
			// (37, 14, 18, 19) plus their management items.
			"cloud": 46, "mobile": 19, "iot": 21, "ics": 21}
		for k, want := range l3 {
			if got := byLevel["3"][k]; got != want {
				t.Errorf("level 3 %s: %d items, want %d", k, got, want)
			}
		}
		sum := func(lv string, keys ...string) int {
			n := 0
			for _, k := range keys {
				n += byLevel[lv][k]
			}
			return n
		}
		tech, mgmt := []string{"PES", "CNS", "ABS", "CES", "SMC"}, []string{"PSS", "ORS", "HRS", "CMS", "MMS"}
		if sum("3", tech...) != 96 || sum("3", mgmt...) != 115 {
			t.Errorf("level 3: %d technical + %d management, want 96 + 115", sum("3", tech...), sum("3", mgmt...))
		}
		if got := sum("2", append(tech, mgmt...)...); got != 135 {
			t.Errorf("level 2 general: %d items, want 135", got)
		}
		if !refs["L3-CES1-15"] || refs["L3-CES1-16"] || !refs["L3-CES1-35"] || !refs["L3-CES2-19"] || !refs["L2-PES1-15"] {
			t.Error("GB/T 28448 identifiers: L3-CES1-16 is skipped; L3-CES1-35, L3-CES2-19, L2-PES1-15 exist")
		}
		if !f.ReadOnly() || f.Assessable != 211+135+46+19+21+21+28+12+7+15 {
			t.Errorf("framework %+v", f)
		}
		ms, err := o.svc.FrameworkMappings(context.Background(), o.author, f.ID)
		if err != nil {
			t.Fatal(err)
		}
		var access []string
		for _, m := range ms {
			if m.Relation != isms.RelIntersect {
				t.Errorf("%s → %s is %s: a GB/T control point only overlaps an Annex A control", m.SourceRef, m.TargetRef, m.Relation)
			}
			if m.SourceRef == "CES1-02" {
				access = append(access, m.TargetRef)
			}
		}
		if len(ms) != 84 || !slices.Equal(access, []string{"A.5.15", "A.5.18", "A.8.2"}) {
			t.Errorf("%d mappings; CES1-02 (access control) maps to %v", len(ms), access)
		}
	})
}

// An organization that owns GB/T 22239 imports its full text into the
// built-in ids: all or nothing, each problem by its row; the text shows
// on the requirement and on a self-assessment's item, for that
// organization only.
func TestImportRequirementTexts(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		f, nodes := frameworkByCode(t, o.svc, o.author, "GB/T22239-2019")
		bad := "ref,text,title_zh\nL3-PES1-01,机房场地应选择在具有防震、防风和防雨等能力的建筑内。,\nL9-XXX-01,无此项,\nL3-PES1-01,重复,\n"
		_, err := o.svc.ImportRequirementTexts(ctx, o.author, f.ID, strings.NewReader(bad))
		wantCode(t, err, isms.CodeInvalid, "row 3 ref")
		wantCode(t, err, isms.CodeInvalid, "row 4 ref")
		_, err = o.svc.ImportRequirementTexts(ctx, o.head, f.ID, strings.NewReader("ref,text\n"))
		wantCode(t, err, isms.CodeForbidden, "")
		good := "\ufeffref,text\nL3-PES1-01,机房场地应选择在具有防震、防风和防雨等能力的建筑内。\nL3-PES1-02,\n"
		n, err := o.svc.ImportRequirementTexts(ctx, o.author, f.ID, strings.NewReader(good))
		if err != nil || n != 2 {
			t.Fatalf("import: %d %v", n, err)
		}
		var pes1 string
		for _, nd := range nodes {
			if nd.Ref == "L3-PES1-01" {
				pes1 = nd.ID
			}
		}
		d, err := o.svc.Requirement(ctx, o.author, pes1)
		if err != nil || !strings.HasPrefix(d.Text, "机房场地应选择") {
			t.Fatalf("requirement text %q %v", d.Text, err)
		}
		other := otherOrgActor(t, o, isms.RoleISMSTeam)
		if d, _ := o.svc.Requirement(ctx, other, pes1); d.Text != "" {
			t.Error("another organization reads the text")
		}
		obj, _ := filedObject(t, o)
		x, err := o.svc.StartSelfAssessment(ctx, o.author, obj.ID, isms.SelfAssessment{Level: 3})
		if err != nil {
			t.Fatal(err)
		}
		item, err := o.svc.SelfCheckItem(ctx, o.author, x.ID, "L3-PES1-01")
		if err != nil || item.Text != d.Text {
			t.Errorf("item text %q %v", item.Text, err)
		}
	})
}

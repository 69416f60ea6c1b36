package service_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// A CISO Assistant library's reference controls and threats are stored
// with the framework, each with the requirements naming it; a new version
// updates them in place and says what changed.
func TestLibraryObjects(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		o := newDocOrg(t, st)
		data, err := os.ReadFile(testutil.SharedFile(t, "testdata/ciso-assistant/cisa-cpg-2.0.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		ch, err := o.svc.ImportFramework(ctx, o.author, service.FrameworkImport{FileName: "cisa-cpg-2.0.yaml"}, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		f := ch.Framework
		if f.Nodes != 40 || f.Assessable != 34 || f.RefControls != 37 || f.Threats != 16 || len(ch.LibraryAdded) != 53 {
			t.Fatalf("framework %+v, library added %d", f, len(ch.LibraryAdded))
		}
		_, threats, err := o.svc.LibraryObjects(ctx, o.author, f.ID, isms.ObjThreat)
		if err != nil || len(threats) != 16 {
			t.Fatalf("threats %d %v", len(threats), err)
		}
		t01 := threats[0]
		if t01.Ref != "T.01" || t01.NameEN != "Insufficient Cybersecurity Governance" || !slices.Contains(t01.Requirements, "1.A") {
			t.Errorf("T.01 %+v", t01)
		}
		_, all, err := o.svc.LibraryObjects(ctx, o.author, f.ID, "")
		if err != nil || len(all) != 53 {
			t.Fatalf("all %d %v", len(all), err)
		}
		_, _, err = o.svc.LibraryObjects(ctx, o.author, f.ID, "asset")
		wantCode(t, err, isms.CodeInvalid, "kind")

		// Requirement 1.A names RC.01, RC.03 and T.01, with their names.
		_, nodes := frameworkByCode(t, o.svc, o.author, f.Code)
		var req1A isms.RequirementNode
		for _, n := range nodes {
			if n.Ref == "1.A" {
				req1A = n
			}
		}
		d, err := o.svc.Requirement(ctx, o.author, req1A.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range d.Library {
			got = append(got, l.Kind+" "+l.Ref+" "+l.NameEN)
		}
		want := []string{"reference_control RC.01 Cybersecurity Roles and Responsibilities Policy",
			"reference_control RC.03 " + all[2].NameEN, "threat T.01 Insufficient Cybersecurity Governance"}
		if !slices.Equal(got, want) {
			t.Errorf("1.A library %q, want %q", got, want)
		}
		od, err := o.svc.LibraryObject(ctx, o.author, t01.ID)
		if err != nil || od.Framework.ID != f.ID || len(od.Requirements) != len(t01.Requirements) || od.Requirements[0].Ref != t01.Requirements[0] {
			t.Fatalf("T.01 detail %+v %v", od, err)
		}

		// Another organization sees none of it.
		other := otherOrgActor(t, o, isms.RoleISMSTeam)
		_, err = o.svc.LibraryObject(ctx, other, t01.ID)
		wantCode(t, err, isms.CodeNotFound, "")
		_, _, err = o.svc.LibraryObjects(ctx, other, f.ID, "")
		wantCode(t, err, isms.CodeNotFound, "")

		// A new version drops T.16, renames T.01 and names a threat of
		// another library from 1.A.
		text := string(data)
		i := strings.Index(text, "    - urn: urn:intuitem:risk:threat:cisa-cpg-2.0:t-16")
		j := i + strings.Index(text[i:], "  framework:")
		text = text[:i] + text[j:]
		text = strings.Replace(text, "name: Insufficient Cybersecurity Governance", "name: Weak Cybersecurity Governance", 1)
		text = strings.Replace(text, "          - urn:intuitem:risk:threat:cisa-cpg-2.0:t-01\n",
			"          - urn:intuitem:risk:threat:cisa-cpg-2.0:t-01\n          - urn:other:threat:x\n", 1)
		ch, err = o.svc.ImportFramework(ctx, o.author, service.FrameworkImport{FileName: "cisa-cpg-2.0.yaml"}, strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		if ch.Created || ch.Framework.Threats != 15 || !slices.Equal(ch.LibraryRemoved, []string{"threat T.16"}) ||
			!slices.Equal(ch.LibraryChanged, []string{"threat T.01"}) || len(ch.LibraryAdded) != 0 {
			t.Errorf("update %+v", ch)
		}
		od, err = o.svc.LibraryObject(ctx, o.author, t01.ID) // the same object, renamed
		if err != nil || od.Object.NameEN != "Weak Cybersecurity Governance" {
			t.Errorf("T.01 after update %+v %v", od.Object, err)
		}
		d, err = o.svc.Requirement(ctx, o.author, req1A.ID)
		if err != nil || len(d.Library) != 4 || !d.Library[3].External() || d.Library[3].Ref != "urn:other:threat:x" {
			t.Errorf("1.A library after update %+v %v", d.Library, err)
		}
	})
}

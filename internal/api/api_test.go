package api_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"openisms/internal/api"
	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// The OpenAPI document and the route table must describe the same routes.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(api.OpenAPI(), &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" {
				continue
			}
			documented[strings.ToUpper(method)+" "+api.Prefix+path] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range api.New(nil, nil).Routes() {
		registered[r] = true
	}
	var problems []string
	for r := range registered {
		if !documented[r] {
			problems = append(problems, "not in openapi.yaml: "+r)
		}
	}
	for r := range documented {
		if !registered[r] {
			problems = append(problems, "documented but not served: "+r)
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		t.Fatal(strings.Join(problems, "\n"))
	}
}

func TestRoundTrip(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.signedIn("admin", adminPassword)

		// Organization below the root.
		r := c.do("POST", "/organizations", map[string]any{"parent_id": e.root.ID, "name": "测试信息技术有限公司",
			"short_name": "测试信息", "credit_code": "91350100M000100Y43", "kind": "enterprise", "contact_phone": "0591-8888 1234"})
		if r.status != http.StatusCreated {
			t.Fatalf("create org: %d %s", r.status, r.raw)
		}
		if r.str("time_zone") != "Asia/Shanghai" || r.str("credit_code") != "91350100M000100Y43" {
			t.Fatalf("org defaults: %s", r.raw)
		}
		// Registers are kept in one's own organization.
		orgID := e.root.ID

		// Departments: a tree.
		r = c.do("POST", "/departments", map[string]any{"org_id": orgID, "name": "工程部", "code": "ENG"})
		if r.status != http.StatusCreated {
			t.Fatalf("create dept: %d %s", r.status, r.raw)
		}
		eng := r.str("id")
		r = c.do("POST", "/departments", map[string]any{"org_id": orgID, "name": "网络运维组", "parent_id": eng})
		if r.status != http.StatusCreated {
			t.Fatalf("create sub-dept: %d %s", r.status, r.raw)
		}
		ops := r.str("id")

		// People.
		r = c.do("POST", "/people", map[string]any{"org_id": orgID, "department_id": ops, "name": "王建国",
			"employee_no": "E001", "post": "网络管理员", "phone": "13800138000", "email": "wjg@example.cn", "joined_on": "2020-03-01"})
		if r.status != http.StatusCreated {
			t.Fatalf("create person: %d %s", r.status, r.raw)
		}
		wang := r.str("id")
		r = c.do("POST", "/people", map[string]any{"org_id": orgID, "department_id": eng, "name": "李娜", "employee_no": "E002"})
		if r.status != http.StatusCreated {
			t.Fatalf("create person 2: %d %s", r.status, r.raw)
		}
		li := r.str("id")

		// Read back: every field as written.
		r = c.do("GET", "/people/"+wang, nil)
		got := r.json()
		for k, want := range map[string]string{"name": "王建国", "employee_no": "E001", "department_id": ops, "phone": "13800138000",
			"email": "wjg@example.cn", "joined_on": "2020-03-01", "status": "active", "org_id": orgID} {
			if got[k] != want {
				t.Errorf("person %s = %v, want %q", k, got[k], want)
			}
		}

		// The head of a department must be a person of that organization.
		r = c.do("PATCH", "/departments/"+eng, map[string]any{"head_person_id": li})
		if r.status != http.StatusOK || r.str("head_person_id") != li {
			t.Fatalf("set head: %d %s", r.status, r.raw)
		}

		// Update and list with filters.
		r = c.do("PATCH", "/people/"+wang, map[string]any{"post": "网络主管"})
		if r.status != http.StatusOK || r.str("post") != "网络主管" || r.str("name") != "王建国" {
			t.Fatalf("patch person: %d %s", r.status, r.raw)
		}
		r = c.do("GET", "/people?org_id="+orgID+"&q=%E7%8E%8B", nil) // q=王
		if items := r.items(); len(items) != 1 || items[0]["id"] != wang {
			t.Fatalf("filter by text: %s", r.raw)
		}
		r = c.do("GET", "/people?org_id="+orgID+"&department_id="+eng, nil)
		if items := r.items(); len(items) != 1 || items[0]["id"] != li {
			t.Fatalf("filter by department: %s", r.raw)
		}
		r = c.do("GET", "/people?org_id="+orgID+"&q=e00&limit=1", nil)
		if len(r.items()) != 1 || r.str("next_cursor") == "" {
			t.Fatalf("first page: %s", r.raw)
		}
		first := r.items()[0]["id"]
		r = c.do("GET", "/people?org_id="+orgID+"&q=e00&limit=1&cursor="+r.str("next_cursor"), nil)
		if len(r.items()) != 1 || r.items()[0]["id"] == first {
			t.Fatalf("second page: %s", r.raw)
		}

		// A person leaves: status, then archive.
		r = c.do("PATCH", "/people/"+li, map[string]any{"status": "left", "left_on": "2026-10-31"})
		if r.status != http.StatusOK {
			t.Fatalf("person leaves: %d %s", r.status, r.raw)
		}
		r = c.do("GET", "/people?org_id="+orgID+"&status=left", nil)
		if len(r.items()) != 1 {
			t.Fatalf("status=left: %s", r.raw)
		}
		r = c.do("POST", "/people/"+li+"/archive", nil)
		if r.status != http.StatusOK || r.json()["archived_at"] == nil {
			t.Fatalf("archive: %d %s", r.status, r.raw)
		}
		if n := len(c.do("GET", "/people?org_id="+orgID, nil).items()); n != 1 {
			t.Fatalf("archived person still listed: %d", n)
		}
		if n := len(c.do("GET", "/people?org_id="+orgID+"&status=archived", nil).items()); n != 1 {
			t.Fatalf("archived list: %d", n)
		}
		if r := c.do("GET", "/people/"+li, nil); r.status != http.StatusOK {
			t.Fatalf("archived person must stay readable: %d", r.status)
		}

		// A department with people cannot be archived; an empty one can.
		if r := c.do("POST", "/departments/"+ops+"/archive", nil); r.status != http.StatusConflict {
			t.Fatalf("archive non-empty dept: %d %s", r.status, r.raw)
		}
		r = c.do("POST", "/departments", map[string]any{"org_id": orgID, "name": "临时组", "parent_id": eng})
		tmp := r.str("id")
		if r := c.do("POST", "/departments/"+tmp+"/archive", nil); r.status != http.StatusOK {
			t.Fatalf("archive empty dept: %d %s", r.status, r.raw)
		}
		// The archived name is free again among siblings.
		if r := c.do("POST", "/departments", map[string]any{"org_id": orgID, "name": "临时组", "parent_id": eng}); r.status != http.StatusCreated {
			t.Fatalf("reuse archived name: %d %s", r.status, r.raw)
		}

		// Move a department: its subtree follows.
		r = c.do("POST", "/departments", map[string]any{"org_id": orgID, "name": "信息中心"})
		center := r.str("id")
		if r := c.do("PATCH", "/departments/"+eng, map[string]any{"parent_id": center}); r.status != http.StatusOK {
			t.Fatalf("move dept: %d %s", r.status, r.raw)
		}
		// Now moving 信息中心 under 网络运维组 (its grandchild) is a cycle.
		r = c.do("PATCH", "/departments/"+center, map[string]any{"parent_id": ops})
		if r.status != http.StatusBadRequest || r.fieldErr("parent_id") == "" {
			t.Fatalf("cycle: %d %s", r.status, r.raw)
		}

		// Every change is in the trail, and the chain holds.
		r = c.do("GET", "/audit?entity_id="+wang, nil)
		var actions []string
		for _, it := range r.items() {
			actions = append(actions, it["action"].(string))
		}
		if strings.Join(actions, ",") != "person.update,person.create" {
			t.Fatalf("trail of person: %v", actions)
		}
		res, err := e.st.VerifyAudit(context.Background())
		if err != nil || res.Break != nil {
			t.Fatalf("verify: %+v %v", res, err)
		}
	})
}

// Organizations move with their subtree and never under themselves.
func TestOrganizationTree(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.signedIn("admin", adminPassword)
		mk := func(name, parent string) string {
			r := c.do("POST", "/organizations", map[string]any{"name": name, "parent_id": parent})
			if r.status != http.StatusCreated {
				t.Fatalf("create %s: %d %s", name, r.status, r.raw)
			}
			return r.str("id")
		}
		a := mk("A 公司", e.root.ID)
		b := mk("B 公司", a)
		cc := mk("C 公司", b)
		d := mk("D 公司", e.root.ID)

		r := c.do("PATCH", "/organizations/"+a, map[string]any{"parent_id": cc})
		if r.status != http.StatusBadRequest || r.fieldErr("parent_id") == "" {
			t.Fatalf("move under descendant: %d %s", r.status, r.raw)
		}
		r = c.do("PATCH", "/organizations/"+a, map[string]any{"parent_id": a})
		if r.status != http.StatusBadRequest || r.fieldErr("parent_id") == "" {
			t.Fatalf("move under itself: %d %s", r.status, r.raw)
		}
		if r := c.do("PATCH", "/organizations/"+a, map[string]any{"parent_id": d}); r.status != http.StatusOK {
			t.Fatalf("move: %d %s", r.status, r.raw)
		}
		// C moved with A: it is now under D's subtree.
		o, err := e.st.Organization(context.Background(), cc)
		if err != nil {
			t.Fatal(err)
		}
		dd, _ := e.st.Organization(context.Background(), d)
		if !isms.IsUnder(o.Path, dd.Path) {
			t.Fatalf("C path %s not under D %s", o.Path, dd.Path)
		}
		r = c.do("GET", "/organizations?parent_id="+a, nil)
		if items := r.items(); len(items) != 1 || items[0]["id"] != b {
			t.Fatalf("children of A: %s", r.raw)
		}
		// Archive refuses while children live.
		if r := c.do("POST", "/organizations/"+a+"/archive", nil); r.status != http.StatusConflict {
			t.Fatalf("archive with children: %d %s", r.status, r.raw)
		}
		if r := c.do("POST", "/organizations/"+cc+"/archive", nil); r.status != http.StatusOK {
			t.Fatalf("archive leaf: %d %s", r.status, r.raw)
		}
		if r := c.do("POST", "/organizations/"+e.root.ID+"/archive", nil); r.status != http.StatusConflict {
			t.Fatalf("archive own org: %d %s", r.status, r.raw)
		}
	})
}

// People sort by employee number, page by page, on both engines.
func TestPeopleSortByEmployeeNo(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.signedIn("admin", adminPassword)
		for _, p := range []struct{ name, no string }{{"甲", "E3"}, {"乙", "E1"}, {"丙", "E2"}} {
			if r := c.do("POST", "/people", map[string]any{"name": p.name, "employee_no": p.no}); r.status != 201 {
				t.Fatal(r.raw)
			}
		}
		var got []string
		cursor := ""
		for range 3 {
			r := c.do("GET", "/people?sort=employee_no&limit=1&cursor="+cursor, nil)
			if len(r.items()) != 1 {
				t.Fatalf("page: %s", r.raw)
			}
			got = append(got, r.items()[0]["employee_no"].(string))
			cursor = r.str("next_cursor")
		}
		if strings.Join(got, ",") != "E1,E2,E3" {
			t.Fatalf("order %v", got)
		}
		if r := c.do("GET", "/people?sort=employee_no&q=x", nil); r.status != 400 || r.fieldErr("sort") == "" {
			t.Fatalf("sort with text: %d %s", r.status, r.raw)
		}
	})
}

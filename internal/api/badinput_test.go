package api_test

import (
	"net/http"
	"strings"
	"testing"

	"openisms/internal/store"
	"openisms/internal/testutil"
)

// Bad input is a 4xx naming the field and the rule, never a 500, and
// leaves nothing written: not the record, not an audit entry.
func TestBadInput(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.signedIn("admin", adminPassword)
		org := e.root.ID
		r := c.do("POST", "/departments", map[string]any{"org_id": org, "name": "工程部"})
		eng := r.str("id")
		r = c.do("POST", "/people", map[string]any{"org_id": org, "name": "张三", "employee_no": "E100"})
		if r.status != http.StatusCreated {
			t.Fatalf("seed person: %s", r.raw)
		}
		zhang := r.str("id")
		r = c.do("POST", "/organizations", map[string]any{"parent_id": org, "name": "子公司", "credit_code": "91350100M000100Y43"})
		sub := r.str("id")

		huge := `{"name":"` + strings.Repeat("x", 1<<20) + `","employee_no":"E1"}`
		cases := []struct {
			name, method, path string
			body               any
			status             int
			field, contains    string
		}{
			{"malformed json", "POST", "/people", `{"name": "李四",`, 400, "", "JSON"},
			{"not an object", "POST", "/people", `[1,2]`, 400, "body", ""},
			{"unknown field", "POST", "/people", map[string]any{"name": "李四", "employee_no": "E2", "salary": 1}, 400, "salary", "未知字段"},
			{"wrong type", "POST", "/people", map[string]any{"name": 42, "employee_no": "E2"}, 400, "name", "string"},
			{"trailing data", "POST", "/people", `{"name":"李四","employee_no":"E2"} {}`, 400, "", "多余"},
			{"body over 1 MiB", "POST", "/people", huge, 413, "", "1 MiB"},
			{"missing name", "POST", "/people", map[string]any{"employee_no": "E2"}, 400, "name", "必填"},
			{"duplicate employee number", "POST", "/people", map[string]any{"name": "李四", "employee_no": "E100"}, 409, "employee_no", "工号"},
			{"bad email", "POST", "/people", map[string]any{"name": "李四", "employee_no": "E3", "email": "li@"}, 400, "email", "邮箱"},
			{"bad date", "POST", "/people", map[string]any{"name": "李四", "employee_no": "E3", "joined_on": "2020/01/01"}, 400, "joined_on", "YYYY-MM-DD"},
			{"left before joined", "POST", "/people", map[string]any{"name": "李四", "employee_no": "E3", "status": "left", "joined_on": "2020-01-01", "left_on": "2019-01-01"}, 400, "left_on", "早于"},
			{"bad status", "POST", "/people", map[string]any{"name": "李四", "employee_no": "E3", "status": "retired"}, 400, "status", "active"},
			{"invalid department id", "POST", "/people", map[string]any{"name": "李四", "employee_no": "E3", "department_id": "nope"}, 400, "department_id", "ID"},
			{"unknown department", "POST", "/people", map[string]any{"name": "李四", "employee_no": "E3", "department_id": "0192e4a0-0000-7000-8000-000000000000"}, 400, "department_id", "部门"},
			{"invalid id in path", "GET", "/people/123", nil, 404, "", ""},
			{"unknown id", "GET", "/people/0192e4a0-0000-7000-8000-000000000000", nil, 404, "", "人员"},
			{"patch invalid id", "PATCH", "/people/xyz", map[string]any{"post": "x"}, 404, "", ""},
			{"duplicate sibling department", "POST", "/departments", map[string]any{"org_id": org, "name": "工程部"}, 409, "name", "同名"},
			{"department under itself", "PATCH", "/departments/" + eng, map[string]any{"parent_id": eng}, 400, "parent_id", "自己"},
			{"credit code wrong check", "POST", "/organizations", map[string]any{"parent_id": org, "name": "X", "credit_code": "91350100M000100Y44"}, 400, "credit_code", "校验位"},
			{"credit code too short", "POST", "/organizations", map[string]any{"parent_id": org, "name": "X", "credit_code": "9135010"}, 400, "credit_code", "18"},
			{"credit code letter I", "POST", "/organizations", map[string]any{"parent_id": org, "name": "X", "credit_code": "91350100I000100Y43"}, 400, "credit_code", "大写字母"},
			{"credit code taken", "POST", "/organizations", map[string]any{"parent_id": org, "name": "X", "credit_code": "91350100M000100Y43"}, 409, "credit_code", "统一社会信用代码"},
			{"org under own descendant", "PATCH", "/organizations/" + org, map[string]any{"parent_id": sub}, 400, "parent_id", ""},
			{"bad time zone", "POST", "/organizations", map[string]any{"parent_id": org, "name": "X", "time_zone": "Mars/Olympus"}, 400, "time_zone", "时区"},
			{"bad kind", "POST", "/organizations", map[string]any{"parent_id": org, "name": "X", "kind": "club"}, 400, "kind", "enterprise"},
			{"root org via API", "POST", "/organizations", map[string]any{"name": "X"}, 400, "parent_id", "必填"},
			{"name too long", "POST", "/organizations", map[string]any{"parent_id": org, "name": strings.Repeat("长", 201)}, 400, "name", "200"},
			{"control characters", "POST", "/departments", map[string]any{"org_id": org, "name": "a\x00b"}, 400, "name", "控制字符"},
			{"weak password", "POST", "/accounts", map[string]any{"username": "wang", "password": "12345678"}, 400, "password", ""},
			{"bad username", "POST", "/accounts", map[string]any{"username": "王", "password": "Xy7-kd93mq"}, 400, "username", "用户名"},
			{"username taken", "POST", "/accounts", map[string]any{"username": "ADMIN", "password": "Xy7-kd93mq"}, 409, "username", "已被使用"},
			{"bad limit", "GET", "/people?limit=5000", nil, 400, "limit", "200"},
			{"bad cursor", "GET", "/people?cursor=bm9wZQ", nil, 400, "cursor", ""},
			{"bad status filter", "GET", "/departments?status=left", nil, 400, "status", ""},
			{"bad audit time", "GET", "/audit?from=yesterday", nil, 400, "from", "RFC 3339"},
			{"settings out of range", "PUT", "/organizations/" + org + "/security-settings", map[string]any{"password_min_length": 4}, 400, "password_min_length", "8"},
			{"wrong content type", "POST", "/people", nil, 400, "", ""},
			{"unknown route", "GET", "/nothing-here", nil, 404, "", "接口"},
			{"wrong method", "DELETE", "/people", nil, 405, "", ""},
		}
		_ = zhang
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := map[string]int{}
				for _, tbl := range []string{"organizations", "departments", "people", "accounts", "audit_log"} {
					before[tbl] = e.count(tbl)
				}
				var r resp
				if tc.name == "wrong content type" {
					r = c.doRaw("POST", "/people", "text/plain", `{"name":"x","employee_no":"E9"}`)
				} else {
					r = c.do(tc.method, tc.path, tc.body)
				}
				if r.status != tc.status {
					t.Fatalf("status %d, want %d: %.300s", r.status, tc.status, r.raw)
				}
				if !strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
					t.Fatalf("content type %q", r.header.Get("Content-Type"))
				}
				if tc.field != "" && r.fieldErr(tc.field) == "" {
					t.Fatalf("no error for field %q: %.300s", tc.field, r.raw)
				}
				if tc.contains != "" && !strings.Contains(r.raw, tc.contains) {
					t.Fatalf("response lacks %q: %.300s", tc.contains, r.raw)
				}
				for tbl, n := range before {
					if got := e.count(tbl); got != n {
						t.Fatalf("%s changed from %d to %d rows", tbl, n, got)
					}
				}
			})
		}
	})
}

// English is served on request, with the same field names.
func TestErrorsInEnglish(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		e := newEnv(t, st)
		c := e.signedIn("admin", adminPassword)
		c.lang = "en-US,en;q=0.9"
		r := c.do("POST", "/people", map[string]any{"employee_no": "E1", "email": "x"})
		if r.status != 400 || r.fieldErr("name") != "is required." || !strings.Contains(r.fieldErr("email"), "email address") {
			t.Fatalf("english: %s", r.raw)
		}
		if r.header.Get("Content-Language") != "en" {
			t.Fatalf("Content-Language %q", r.header.Get("Content-Language"))
		}
	})
}

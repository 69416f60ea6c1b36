package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// The two search passes (window scan and term index) must give exactly
// what a plain filter over everyone gives, page after page, on both
// engines. The data set is larger than the window so both passes run.
func TestPeopleSearchMatchesBruteForce(t *testing.T) {
	testutil.EachEngine(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		now := time.Now().UTC()
		org := isms.Organization{ID: "0192e4a0-0000-7000-8000-0000000000aa", Name: "搜索测试", Kind: isms.OrgEnterprise,
			TimeZone: isms.DefaultTimeZone, CreatedAt: now, UpdatedAt: now}
		org.Path = isms.ChildPath("", org.ID)
		dept := isms.Department{ID: "0192e4a0-0000-7000-8001-0000000000aa", OrgID: org.ID, Name: "部门", CreatedAt: now, UpdatedAt: now}
		dept.Path = isms.ChildPath("", dept.ID)
		r := rand.New(rand.NewPCG(7, 9))
		surnames := []rune("王李张刘陈杨黄赵")
		given := []rune("伟芳娜敏静丽强磊军洋")
		var all []isms.Person
		err := st.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrganization(ctx, &org); err != nil {
				return err
			}
			if err := tx.CreateDepartment(ctx, &dept); err != nil {
				return err
			}
			for i := range 5000 {
				name := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))])
				if i%3 == 0 {
					name += string(given[r.IntN(len(given))])
				}
				if i == 4321 {
					name = "Ada Lovelace"
				}
				p := isms.Person{ID: fmt.Sprintf("0192e4a0-0000-7000-8002-%012d", i), OrgID: org.ID, Name: name,
					EmployeeNo: fmt.Sprintf("E%05d", i), Phone: fmt.Sprintf("13%09d", r.IntN(1_000_000_000)),
					Email: fmt.Sprintf("u%d@example.cn", i), Status: isms.PersonActive, CreatedAt: now, UpdatedAt: now}
				if i%2 == 0 {
					p.DeptID = dept.ID
				}
				if err := tx.CreatePerson(ctx, &p); err != nil {
					return err
				}
				all = append(all, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Rename one person: the terms follow.
		renamed := all[10]
		renamed.Name = "欧阳修"
		if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.UpdatePerson(ctx, &renamed) }); err != nil {
			t.Fatal(err)
		}
		all[10] = renamed

		matches := func(p isms.Person, q string) bool {
			ql := strings.ToLower(q)
			return strings.Contains(strings.ToLower(p.Name), ql) || strings.HasPrefix(p.EmployeeNo, q) ||
				strings.HasPrefix(p.EmployeeNo, strings.ToUpper(q)) || strings.HasPrefix(p.Phone, q) || strings.HasPrefix(p.Email, ql)
		}
		byName := func(a, b isms.Person) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		}
		queries := []string{"王", "娜", "王伟", "伟芳", "李娜敏", "欧阳", "欧阳修", "阳修", "e0123", "E4", "1", "13", "u42", "U4999@",
			"ada", "LOVELACE", "无此人", "%", "_", "E0000"}
		for _, q := range queries {
			for _, deptID := range []string{"", dept.ID} {
				var want []string
				sorted := slices.Clone(all)
				slices.SortFunc(sorted, byName)
				for _, p := range sorted {
					if matches(p, q) && (deptID == "" || p.DeptID == deptID) {
						want = append(want, p.ID)
					}
				}
				var got []string
				f := isms.ListFilter{OrgID: org.ID, Text: q, DeptID: deptID, Limit: 50}
				const pages = 8 // enough to cross from one pass to the next
				want = want[:min(len(want), pages*50)]
				for page := 0; page < pages; page++ {
					items, err := st.ListPeople(ctx, f)
					if err != nil {
						t.Fatalf("%q: %v", q, err)
					}
					for _, p := range items {
						got = append(got, p.ID)
					}
					if len(items) < 50 {
						break
					}
					last := items[len(items)-1]
					f.After = isms.Cursor{Name: last.Name, ID: last.ID}
				}
				if !slices.Equal(got, want) {
					t.Errorf("q=%q dept=%q: got %d results, want %d", q, deptID, len(got), len(want))
				}
			}
		}
	})
}

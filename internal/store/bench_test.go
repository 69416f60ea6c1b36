package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
	"openisms/internal/testutil"
)

// Benchmarks run on both engines; `make bench` runs them. Targets (2-core
// machine): verify ≥ 1,000,000 entries in ≤ 2 s; a page of 50 people
// filtered by text in an organization of 100,000 people ≤ 5 ms median.

func benchEngines(b *testing.B, fn func(b *testing.B, st *store.Store)) {
	for _, e := range testutil.Engines {
		b.Run(e.Name, func(b *testing.B) { fn(b, testutil.OpenStore(b, e.DSN(b))) })
	}
}

func entry(i int) *isms.AuditEntry {
	return &isms.AuditEntry{At: time.Now(), OrgID: "0192e4a0-0000-7000-8000-000000000001", Actor: "0192e4a0-0000-7000-8000-000000000002",
		ActorName: "zhangsan", Action: "person.update", EntityType: "person", EntityID: "0192e4a0-0000-7000-8000-000000000003",
		Summary: "王建国 E" + strconv.Itoa(i), Data: `{"post":["网络管理员","网络主管"]}`, IP: "10.1.2.3"}
}

func BenchmarkTrailAppend(b *testing.B) {
	for _, perTx := range []int{1, 100} {
		b.Run(fmt.Sprintf("perTx=%d", perTx), func(b *testing.B) {
			benchEngines(b, func(b *testing.B, st *store.Store) {
				ctx := context.Background()
				i := 0
				for b.Loop() {
					err := st.InTx(ctx, func(tx *store.Tx) error {
						for range perTx {
							i++
							if err := tx.AppendAudit(ctx, entry(i)); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i), "ns/entry")
			})
		})
	}
}

// fillTrail appends n entries in large transactions.
func fillTrail(b *testing.B, st *store.Store, n int) {
	ctx := context.Background()
	for done := 0; done < n; {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			for k := 0; k < 20000 && done < n; k++ {
				done++
				if err := tx.AppendAudit(ctx, entry(done)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func benchSize(def int) int {
	if v, err := strconv.Atoi(os.Getenv("ISMS_BENCH_N")); err == nil && v > 0 {
		return v
	}
	return def
}

func BenchmarkVerify1M(b *testing.B) {
	n := benchSize(1_000_000)
	benchEngines(b, func(b *testing.B, st *store.Store) {
		fillTrail(b, st, n)
		ctx := context.Background()
		for b.Loop() {
			res, err := st.VerifyAudit(ctx)
			if err != nil || res.Break != nil || res.Count != int64(n) {
				b.Fatalf("%+v %v", res, err)
			}
		}
		b.ReportMetric(float64(n)/(float64(b.Elapsed().Seconds())/float64(b.N)), "entries/s")
	})
}

// fillPeople creates one organization with n people in 20 departments.
func fillPeople(b *testing.B, st *store.Store, n int) string {
	ctx := context.Background()
	now := time.Now().UTC()
	org := isms.Organization{ID: "0192e4a0-0000-7000-8000-00000000000a", Name: "基准测试集团", Kind: isms.OrgEnterprise,
		TimeZone: isms.DefaultTimeZone, CreatedAt: now, UpdatedAt: now}
	org.Path = isms.ChildPath("", org.ID)
	var depts []string
	r := rand.New(rand.NewPCG(1, 2))
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚英华玉兰桂飞鑫波宇浩凯健俊帆帅旭宁婷雪琳晨欣怡佳子涵梓轩思远志文博瑞泽雨萱嘉")
	err := st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrganization(ctx, &org); err != nil {
			return err
		}
		for i := range 20 {
			d := isms.Department{ID: fmt.Sprintf("0192e4a0-0000-7000-8001-%012d", i), OrgID: org.ID, Name: fmt.Sprintf("部门%02d", i),
				CreatedAt: now, UpdatedAt: now}
			d.Path = isms.ChildPath("", d.ID)
			if err := tx.CreateDepartment(ctx, &d); err != nil {
				return err
			}
			depts = append(depts, d.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for start := 0; start < n; start += 10000 {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			for i := start; i < min(n, start+10000); i++ {
				name := string(surnames[r.IntN(len(surnames))]) + string(given[r.IntN(len(given))]) + string(given[r.IntN(len(given))])
				p := isms.Person{ID: fmt.Sprintf("0192e4a0-0000-7000-8002-%012d", i), OrgID: org.ID, DeptID: depts[i%20],
					Name: name, EmployeeNo: fmt.Sprintf("E%06d", i), Phone: fmt.Sprintf("138%08d", i), Status: isms.PersonActive,
					Email: fmt.Sprintf("e%06d@example.cn", i), CreatedAt: now, UpdatedAt: now}
				if err := tx.CreatePerson(ctx, &p); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if st.Engine == store.Postgres {
		if _, err := st.DB().Exec("ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}
	return org.ID
}

func BenchmarkPeoplePage(b *testing.B) {
	n := benchSize(100_000)
	benchEngines(b, func(b *testing.B, st *store.Store) {
		orgID := fillPeople(b, st, n)
		ctx := context.Background()
		// A full name that exists, for the rare-text case.
		some, err := st.ListPeople(ctx, isms.ListFilter{OrgID: orgID, Text: "韦", Limit: 1})
		if err != nil || len(some) == 0 {
			b.Fatal(err)
		}
		for _, tc := range []struct {
			name, text, dept string
			none             bool
		}{
			{"unfiltered", "", "", false},
			{"surname", "王", "", false},
			{"given-name", "华", "", false},
			{"full-name", some[0].Name, "", false},
			{"employee-no", "E0999", "", false},
			{"phone-prefix", "1380009", "", false},
			{"no-match", "无此人", "", true},
			{"department+surname", "李", "0192e4a0-0000-7000-8001-000000000007", false},
		} {
			b.Run(tc.name, func(b *testing.B) {
				for b.Loop() {
					items, err := st.ListPeople(ctx, isms.ListFilter{OrgID: orgID, Text: tc.text, DeptID: tc.dept, Limit: 50})
					if err != nil || (len(items) == 0) != tc.none {
						b.Fatalf("%d items, %v", len(items), err)
					}
				}
			})
		}
	})
}

// fillDocuments adds n documents with Chinese titles and a few hundred
// characters of text each to the organization fillPeople made.
func fillDocuments(b *testing.B, st *store.Store, orgID string, n int) {
	ctx := context.Background()
	now := time.Now().UTC()
	r := rand.New(rand.NewPCG(3, 4))
	topics := []string{"口令控制", "病毒防范", "物理访问", "备份管理", "变更管理", "电子邮件", "网络访问", "第三方服务", "信息分类", "事件响应",
		"机房巡检", "介质管理", "账号权限", "日志审计", "应急演练", "供应商评价", "数据销毁", "远程办公", "移动设备", "漏洞管理"}
	kinds := []string{"策略", "管理程序", "作业指导书", "记录表", "管理规定"}
	sentences := []string{"本文件规定了相关职责和工作要求。", "各部门应按本程序执行并保存记录。", "信息安全管理小组负责监督检查。",
		"发现问题应及时报告并整改。", "记录保存期限不少于三年。", "每年至少评审一次，必要时修订。", "Access is reviewed quarterly by the owner."}
	types := isms.DocTypes
	for start := 0; start < n; start += 5000 {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			for i := start; i < min(n, start+5000); i++ {
				topic := topics[r.IntN(len(topics))]
				var body []byte
				for range 20 + r.IntN(20) {
					body = append(body, sentences[r.IntN(len(sentences))]...)
				}
				if i%1000 == 0 { // a pair of characters in few documents
					body = append(body, "服务器安装麒麟操作系统。"...)
				}
				d := isms.Document{ID: fmt.Sprintf("0192e4a0-0000-7000-8003-%012d", i), OrgID: orgID, Code: fmt.Sprintf("D-%05d", i),
					Title: topic + kinds[r.IntN(len(kinds))], Type: types[i%len(types)], DeptID: fmt.Sprintf("0192e4a0-0000-7000-8001-%012d", i%20),
					Confidentiality: "internal", ReviewMonths: 12, Status: []string{"draft", "published"}[(i/len(types))%2], VersionLabel: "A/0",
					Body: topic + "。" + string(body), CreatedAt: now, UpdatedAt: now}
				if err := tx.CreateDocument(ctx, &d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if st.Engine == store.Postgres {
		if _, err := st.DB().Exec("ANALYZE"); err != nil {
			b.Fatal(err)
		}
	} else if _, err := st.DB().Exec("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkDocumentList: a page of the register (filters, search by code,
// title and text, Chinese from two characters) among 20,000 documents.
// Target: ≤ 20 ms median.
func BenchmarkDocumentList(b *testing.B) {
	n := benchSize(20_000)
	benchEngines(b, func(b *testing.B, st *store.Store) {
		orgID := fillPeople(b, st, 10)
		fillDocuments(b, st, orgID, n)
		ctx := context.Background()
		if ok, err := st.CJKTrigrams(ctx); err != nil || !ok {
			b.Fatalf("the search index does not cover Chinese: %v", err)
		}
		for _, tc := range []struct {
			name string
			f    store.DocFilter
			none bool
		}{
			{"unfiltered", store.DocFilter{}, false},
			{"type+status", store.DocFilter{Type: isms.DocProcedure, Status: "published"}, false},
			{"department", store.DocFilter{DeptID: "0192e4a0-0000-7000-8001-000000000007"}, false},
			{"title-4chars", store.DocFilter{Text: "口令控制"}, false},
			{"text-3chars", store.DocFilter{Text: "保存期"}, false},
			{"code", store.DocFilter{Text: "D-1234"}, false},
			{"two-chars", store.DocFilter{Text: "口令"}, false},
			{"two-chars-few", store.DocFilter{Text: "麒麟"}, false},
			{"two-chars-rare", store.DocFilter{Text: "无此"}, true},
			{"no-match", store.DocFilter{Text: "无此文字内容"}, true},
			{"search+type", store.DocFilter{Text: "病毒防范", Type: isms.DocPolicy}, false},
		} {
			b.Run(tc.name, func(b *testing.B) {
				tc.f.OrgID, tc.f.Limit = orgID, 50
				for b.Loop() {
					docs, err := st.ListDocuments(ctx, tc.f)
					if err != nil || (len(docs) == 0) != tc.none {
						b.Fatalf("%d documents, %v", len(docs), err)
					}
				}
			})
		}
	})
}

// BenchmarkRecordList: a page of the records register among 100,000
// records of six years and 15 types, by state (the "past retention" page
// the disposal starts from), type, text and number.
func BenchmarkRecordList(b *testing.B) {
	n := benchSize(100_000)
	benchEngines(b, func(b *testing.B, st *store.Store) {
		orgID := fillPeople(b, st, 10)
		ctx := context.Background()
		now := time.Now().UTC()
		var types []isms.RecordType
		months := []int{12, 36, 60, 0, 36}
		err := st.InTx(ctx, func(tx *store.Tx) error {
			for i := range 15 {
				t := isms.RecordType{ID: fmt.Sprintf("0192e4a0-0000-7000-8004-%012d", i), OrgID: orgID, Code: fmt.Sprintf("type_%d", i),
					NameZH: fmt.Sprintf("记录类型%d", i), Category: "a", Form: "table", Medium: "electronic",
					RetentionMonths: months[i%len(months)], CreatedAt: now, UpdatedAt: now}
				if err := tx.CreateRecordType(ctx, &t); err != nil {
					return err
				}
				types = append(types, t)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		r := rand.New(rand.NewPCG(5, 6))
		start := time.Date(2020, 11, 1, 0, 0, 0, 0, time.UTC)
		for s := 0; s < n; s += 5000 {
			err := st.InTx(ctx, func(tx *store.Tx) error {
				for i := s; i < min(n, s+5000); i++ {
					rec := isms.Record{ID: fmt.Sprintf("0192e4a0-0000-7000-8005-%012d", i), OrgID: orgID,
						TypeID: types[r.IntN(len(types))].ID, Title: fmt.Sprintf("巡检记录 第%d号", i),
						RecordDate: start.AddDate(0, 0, i*2190/n).Format(time.DateOnly), CreatedBy: "bench", CreatedAt: now}
					if err := tx.CreateRecord(ctx, &rec); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		if st.Engine == store.Postgres {
			if _, err := st.DB().Exec("ANALYZE"); err != nil {
				b.Fatal(err)
			}
		}
		today := now.Format(time.DateOnly)
		cutoffs := map[string]string{}
		for _, t := range types {
			if c := isms.RetentionCutoff(today, t.RetentionMonths); c != "" {
				cutoffs[t.ID] = c
			}
		}
		for _, tc := range []struct {
			name string
			f    store.RecordFilter
		}{
			{"unfiltered", store.RecordFilter{}},
			{"type", store.RecordFilter{TypeID: types[7].ID}},
			{"due", store.RecordFilter{State: isms.RecordDue, Cutoffs: cutoffs}},
			{"kept", store.RecordFilter{State: isms.RecordKept, Cutoffs: cutoffs}},
			{"text", store.RecordFilter{Text: "第1234号"}},
			{"number", store.RecordFilter{Text: "JL-050000"}},
			{"page-100", store.RecordFilter{AfterDate: start.AddDate(3, 0, 0).Format(time.DateOnly), AfterN: 1 << 40}},
		} {
			b.Run(tc.name, func(b *testing.B) {
				tc.f.OrgID, tc.f.Limit = orgID, 50
				for b.Loop() {
					recs, err := st.ListRecords(ctx, tc.f)
					if err != nil || len(recs) == 0 {
						b.Fatalf("%d records, %v", len(recs), err)
					}
				}
			})
		}
	})
}

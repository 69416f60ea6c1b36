// Package demo fills an empty database with a realistic organization tree:
// a group with subsidiaries, Chinese department and person names, valid
// unified social credit codes, and one account to sign in with. It goes
// through the service like any other client, so every record is validated
// and in the audit trail.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"openisms/internal/isms"
	"openisms/internal/orgtemplate"
	"openisms/internal/service"
)

// Size is how much data to make.
type Size struct {
	Organizations int // including the root
	DeptsPerOrg   int
	PeoplePerOrg  int
	// Assets and risk scenarios in all, over the first AssetOrgs
	// organizations: the root holds half (all when it is the only one),
	// the others share the rest.
	Assets, Risks, AssetOrgs int
	// Counties > 0 adds a city MLPS coordination body over that many
	// county bodies, over every organization, each with ObjectsPerOrg
	// graded and filed objects, and a city campaign under way.
	Counties, ObjectsPerOrg int
}

// Sizes by name.
var (
	Small = Size{Organizations: 4, DeptsPerOrg: 8, PeoplePerOrg: 30, Assets: 40, Risks: 80, AssetOrgs: 1}
	Large = Size{Organizations: 1000, DeptsPerOrg: 20, PeoplePerOrg: 100, Assets: 10_000, Risks: 200_000, AssetOrgs: 51,
		Counties: 20, ObjectsPerOrg: 5}
	// City is the large demo's supervision alone: 1,000 organizations
	// under a city MLPS body, few people, no risks.
	City = Size{Organizations: 1000, DeptsPerOrg: 3, PeoplePerOrg: 5, Counties: 20, ObjectsPerOrg: 5}
)

// SizeByName returns a named size.
func SizeByName(name string) (Size, error) {
	switch name {
	case "small", "":
		return Small, nil
	case "large":
		return Large, nil
	case "city":
		return City, nil
	}
	return Size{}, fmt.Errorf("size %q: want small, large or city", name)
}

// Result is what the demo made, for the operator.
type Result struct {
	RootOrgID     string
	Organizations int
	Departments   int
	People        int
	Assets, Risks int
	Accounts      []Account // one per role, in the root organization
	Obligations   int       // default duties added
}

// Account is a demo sign-in.
type Account struct {
	Role     isms.Role
	Username string
	Password string
}

// ErrNotEmpty means the database already holds organizations.
var ErrNotEmpty = errors.New("the database already has organizations; the demo only fills an empty database")

var surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔向汤")

var givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚英华玉兰桂飞鑫波宇浩凯健俊帆帅旭宁婷雪琳晨欣怡佳子涵梓轩思远志文博瑞泽雨萱嘉")

var posts = []string{"经理", "副经理", "主管", "工程师", "高级工程师", "专员", "助理", "管理员", "会计", "出纳", "技术员", "业务员"}

// topDepts follows the departments of the seed manual, plus the offices
// every company has.
var topDepts = []string{"总经理办公室", "信息安全管理小组", "行政部", "商务部", "财务部", "工程部", "人力资源部", "审计部"}

var subDepts = map[string][]string{
	"工程部":   {"网络运维组", "系统运维组", "应用开发组", "机房管理组"},
	"行政部":   {"综合办公室", "档案室"},
	"商务部":   {"市场组", "客户服务组"},
	"财务部":   {"会计组"},
	"人力资源部": {"招聘培训组"},
}

var regions = []string{"上海", "江苏", "浙江", "安徽", "福建", "江西", "山东", "湖北", "湖南", "广东", "四川", "河南"}
var trades = []string{"信息技术", "供电", "物流", "燃气", "水务", "建设", "置业", "商贸", "检测", "新能源", "数据服务", "运营"}

// divisions are real province-level administrative division codes.
var divisions = []string{"310000", "320000", "330000", "340000", "350000", "360000", "370000", "420000", "430000", "440000", "510000", "410000"}

type gen struct {
	r     *rand.Rand
	codes map[string]bool
}

func (g *gen) personName() string {
	var b strings.Builder
	b.WriteRune(surnames[g.r.IntN(len(surnames))])
	for range 1 + g.r.IntN(2) {
		b.WriteRune(givenChars[g.r.IntN(len(givenChars))])
	}
	return b.String()
}

// creditCode makes a valid, unique code: 9 (enterprise, registered by
// market regulation) 1 (company), a division, a random organization code
// and the GB 32100 check character.
func (g *gen) creditCode(division string) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	for {
		var b strings.Builder
		b.WriteString("91")
		b.WriteString(division)
		for range 9 {
			b.WriteByte(alphabet[g.r.IntN(len(alphabet))])
		}
		c, _ := isms.CreditCodeCheckChar(b.String())
		code := b.String() + string(c)
		if !g.codes[code] {
			g.codes[code] = true
			return code
		}
	}
}

// Run fills an empty database and creates the sign-in account, reporting
// progress per organization through progress (may be nil).
func Run(ctx context.Context, svc *service.Service, a isms.Actor, size Size, progress func(done, total int)) (Result, error) {
	existing, err := svc.ListOrganizations(ctx, a, isms.ListFilter{Status: "all", Limit: 1})
	if err != nil {
		return Result{}, err
	}
	if len(existing) > 0 {
		return Result{}, ErrNotEmpty
	}
	g := &gen{r: rand.New(rand.NewPCG(2026, 27001)), codes: map[string]bool{}}
	var res Result

	root := isms.Organization{ID: service.NewID(), Name: "华东能源集团有限公司", ShortName: "华东能源", Kind: isms.OrgEnterprise,
		CreditCode: g.creditCode("310000"), ContactName: g.personName(), ContactPhone: "021-6888" + fmt.Sprintf("%04d", g.r.IntN(10000)),
		ContactEmail: "isms@hdny.example.cn", Address: "上海市浦东新区世纪大道 100 号"}
	res.RootOrgID = root.ID

	// Level two: regional companies; level three: trade subsidiaries
	// spread over them. The root counts as one organization.
	regionals := min(len(regions), max(0, (size.Organizations-1)/10))
	if size.Organizations <= 10 {
		regionals = 0
	}
	var parents []isms.Organization
	orgs := []isms.Organization{root}
	for i := range regionals {
		o := isms.Organization{ID: service.NewID(), ParentID: root.ID, Name: "华东能源集团" + regions[i] + "有限公司",
			ShortName: regions[i] + "公司", Kind: isms.OrgEnterprise, CreditCode: g.creditCode(divisions[i])}
		orgs = append(orgs, o)
		parents = append(parents, o)
	}
	if len(parents) == 0 {
		parents = []isms.Organization{root}
	}
	for i := 0; len(orgs) < size.Organizations; i++ {
		p := parents[i%len(parents)]
		region := regions[(i/len(trades))%len(regions)]
		trade := trades[i%len(trades)]
		name := fmt.Sprintf("华东能源%s%s有限公司", region, trade)
		if i >= len(trades)*len(regions) {
			name = fmt.Sprintf("华东能源%s%s第%d有限公司", region, trade, i/(len(trades)*len(regions))+1)
		}
		orgs = append(orgs, isms.Organization{ID: service.NewID(), ParentID: p.ID, Name: name,
			ShortName: region + trade, Kind: isms.OrgEnterprise, CreditCode: g.creditCode(divisions[(i/len(trades))%len(divisions)])})
	}

	for i := range orgs {
		orgs[i].Industry = industryOf(orgs[i].Name)
		if size.Counties > 0 {
			orgs[i].RegionCode = counties[i%min(size.Counties, len(counties))].code
		}
	}
	orgDepts := make([][]isms.Department, len(orgs))
	for i, o := range orgs {
		b := service.Bulk{Organizations: []isms.Organization{o}}
		depts := g.departments(o.ID, size.DeptsPerOrg)
		orgDepts[i] = depts
		b.Departments = depts
		b.People = g.people(o.ID, depts, size.PeoplePerOrg, i)
		for j := range b.Departments {
			for _, p := range b.People {
				if p.DeptID == b.Departments[j].ID {
					b.Departments[j].HeadPersonID = p.ID
					break
				}
			}
		}
		if err := svc.CreateBulk(ctx, a, b); err != nil {
			return res, fmt.Errorf("organization %d (%s): %w", i+1, o.Name, err)
		}
		res.Organizations++
		res.Departments += len(b.Departments)
		res.People += len(b.People)
		if progress != nil {
			progress(i+1, len(orgs))
		}
	}

	// A demo is for looking around: administrators are not made to enrol
	// a one-time password generator first (the sign-in page says so).
	rules, err := svc.SecuritySettings(ctx, a, root.ID)
	if err != nil {
		return res, err
	}
	rules.RequireAdminTOTP = false
	if _, err := svc.UpdateSecuritySettings(ctx, a, root.ID, rules); err != nil {
		return res, err
	}

	// One account per role, named after it, so a newcomer can look at the
	// system through each pair of eyes.
	demoActors := map[isms.Role]isms.Actor{}
	for _, role := range isms.GrantableRoles {
		acct, pw, err := svc.CreateAccount(ctx, a, service.NewAccount{OrgID: root.ID, Username: demoUsername(role),
			DisplayName: "演示-" + string(role), Privileged: role.IsAdmin(), KeepPassword: true})
		if err != nil {
			return res, fmt.Errorf("demo account %s: %w", role, err)
		}
		if _, err := svc.GrantRole(ctx, a, acct.ID, role); err != nil {
			return res, fmt.Errorf("demo role %s: %w", role, err)
		}
		res.Accounts = append(res.Accounts, Account{Role: role, Username: acct.Username, Password: pw})
		demoActors[role] = isms.Actor{AccountID: acct.ID, OrgID: root.ID, OrgPath: root.Path, Username: acct.Username,
			Via: "session", Roles: []isms.Role{role}}
	}
	// The seed duties, so the calendar is not empty.
	owner := isms.Actor{OrgID: root.ID, Username: a.Username, Via: a.Via, Roles: []isms.Role{isms.RoleOwner}}
	added, skipped, err := svc.ApplyDefaultObligations(ctx, owner)
	if err != nil {
		return res, fmt.Errorf("demo obligations: %w", err)
	}
	if len(skipped) > 0 {
		return res, fmt.Errorf("demo obligations skipped: %v", skipped)
	}
	res.Obligations = len(added)
	// The manual's responsibility matrix over the demo's departments, and
	// the common laws and standards in the legal register.
	tpl, err := orgtemplate.Load("iso27001-seed")
	if err != nil {
		return res, err
	}
	if _, err := svc.ApplyTemplate(ctx, owner, root.ID, tpl); err != nil {
		return res, fmt.Errorf("demo template: %w", err)
	}
	if _, err := svc.ApplyDefaultLegal(ctx, owner); err != nil {
		return res, fmt.Errorf("demo legal register: %w", err)
	}
	// A filled Statement of Applicability, approved as V1.
	if err := g.soa(ctx, svc, demoActors[isms.RoleISMSTeam], demoActors[isms.RoleTopManager]); err != nil {
		return res, fmt.Errorf("demo SoA: %w", err)
	}
	if err := g.measures(ctx, svc, demoActors[isms.RoleISMSTeam], svc.Clock().Now().Format(time.DateOnly)); err != nil {
		return res, fmt.Errorf("demo measures: %w", err)
	}
	if err := g.objectives(ctx, svc, demoActors[isms.RoleISMSTeam], demoActors[isms.RoleTopManager],
		svc.Clock().Now().Format(time.DateOnly)); err != nil {
		return res, fmt.Errorf("demo objectives: %w", err)
	}
	// The group supervises its subsidiaries, with a campaign under way.
	if err := g.supervision(ctx, svc, a, root, orgs[1:], demoActors[isms.RoleSupervisor]); err != nil {
		return res, fmt.Errorf("demo supervision: %w", err)
	}
	if size.Counties > 0 {
		acct, err := g.city(ctx, svc, a, orgs, size, progress)
		if err != nil {
			return res, fmt.Errorf("demo city body: %w", err)
		}
		res.Accounts = append(res.Accounts, acct)
	}
	// Assets and risks: half in the root (all when it is alone), the
	// rest shared by the next organizations.
	for i := 0; size.Assets > 0 && i < min(size.AssetOrgs, len(orgs)); i++ {
		nAssets, nRisks := size.Assets, size.Risks
		if size.AssetOrgs > 1 {
			nAssets, nRisks = size.Assets/2, size.Risks/2
			if i > 0 {
				nAssets, nRisks = size.Assets/2/(size.AssetOrgs-1), size.Risks/2/(size.AssetOrgs-1)
			}
		}
		ow := isms.Actor{OrgID: orgs[i].ID, Username: a.Username, Via: a.Via, Roles: []isms.Role{isms.RoleOwner}}
		if err := g.assets(ctx, svc, ow, orgDepts[i], nAssets); err != nil {
			return res, fmt.Errorf("demo assets of %s: %w", orgs[i].Name, err)
		}
		if err := g.risks(ctx, svc, ow, nRisks); err != nil {
			return res, fmt.Errorf("demo risks of %s: %w", orgs[i].Name, err)
		}
		res.Assets += nAssets
		res.Risks += nRisks
	}
	return res, nil
}

// demoUsername is the sign-in name of a role's demo account.
func demoUsername(r isms.Role) string { return strings.ReplaceAll(string(r), "_", "-") }

// departments makes n departments: the top-level ones first, then
// sub-departments under them, then numbered project teams if n is larger.
func (g *gen) departments(orgID string, n int) []isms.Department {
	var out []isms.Department
	byName := map[string]string{}
	for _, name := range topDepts {
		if len(out) == n {
			return out
		}
		d := isms.Department{ID: service.NewID(), OrgID: orgID, Name: name, Code: fmt.Sprintf("D%02d", len(out)+1)}
		byName[name] = d.ID
		out = append(out, d)
	}
	for _, top := range topDepts {
		for _, sub := range subDepts[top] {
			if len(out) == n {
				return out
			}
			out = append(out, isms.Department{ID: service.NewID(), OrgID: orgID, ParentID: byName[top], Name: sub,
				Code: fmt.Sprintf("D%02d", len(out)+1)})
		}
	}
	for i := 1; len(out) < n; i++ {
		out = append(out, isms.Department{ID: service.NewID(), OrgID: orgID, ParentID: byName["工程部"],
			Name: fmt.Sprintf("项目%d组", i), Code: fmt.Sprintf("D%02d", len(out)+1)})
	}
	return out
}

func (g *gen) people(orgID string, depts []isms.Department, n, orgIndex int) []isms.Person {
	out := make([]isms.Person, 0, n)
	for i := range n {
		d := depts[i%len(depts)]
		joined := fmt.Sprintf("%04d-%02d-%02d", 2005+g.r.IntN(20), 1+g.r.IntN(12), 1+g.r.IntN(28))
		p := isms.Person{ID: service.NewID(), OrgID: orgID, DeptID: d.ID, Name: g.personName(),
			EmployeeNo: fmt.Sprintf("E%04d%05d", orgIndex+1, i+1), Post: posts[g.r.IntN(len(posts))],
			Phone: fmt.Sprintf("1%d%09d", 3+g.r.IntN(6), g.r.IntN(1_000_000_000)), Status: isms.PersonActive,
			JoinedOn: joined}
		p.Email = strings.ToLower(p.EmployeeNo) + "@hdny.example.cn"
		if i%25 == 24 {
			p.Status, p.LeftOn = isms.PersonLeft, "2026-06-30"
		}
		out = append(out, p)
	}
	return out
}

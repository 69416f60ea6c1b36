package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"openisms/internal/isms"
	"openisms/internal/service"
)

// The large demo's MLPS coordination: a city body over county bodies
// over every organization, each organization with graded and filed
// objects, and a city campaign half answered.

// counties are real district codes (GB/T 2260) of one city.
var counties = []struct{ code, name string }{
	{"500101", "万州区"}, {"500102", "涪陵区"}, {"500103", "渝中区"}, {"500104", "大渡口区"}, {"500105", "江北区"},
	{"500106", "沙坪坝区"}, {"500107", "九龙坡区"}, {"500108", "南岸区"}, {"500109", "北碚区"}, {"500110", "綦江区"},
	{"500111", "大足区"}, {"500112", "渝北区"}, {"500113", "巴南区"}, {"500114", "黔江区"}, {"500115", "长寿区"},
	{"500116", "江津区"}, {"500117", "合川区"}, {"500118", "永川区"}, {"500119", "南川区"}, {"500120", "璧山区"},
}

// tradeIndustries names each trade's industry (GB/T 4754 sections).
var tradeIndustries = map[string]string{
	"信息技术": "信息传输、软件和信息技术服务业", "数据服务": "信息传输、软件和信息技术服务业",
	"供电": "电力、热力、燃气及水生产和供应业", "燃气": "电力、热力、燃气及水生产和供应业",
	"水务": "电力、热力、燃气及水生产和供应业", "新能源": "电力、热力、燃气及水生产和供应业",
	"物流": "交通运输、仓储和邮政业", "建设": "建筑业", "置业": "房地产业", "商贸": "批发和零售业",
	"检测": "科学研究和技术服务业", "运营": "租赁和商务服务业",
}

// industryOf picks an organization's industry from the trade in its name;
// the group itself is in energy.
func industryOf(name string) string {
	for t, ind := range tradeIndustries {
		if strings.Contains(name, t) {
			return ind
		}
	}
	return "电力、热力、燃气及水生产和供应业"
}

// city builds the coordination tree and returns the city supervisor's
// sign-in.
func (g *gen) city(ctx context.Context, svc *service.Service, cli isms.Actor, orgs []isms.Organization, size Size,
	progress func(done, total int)) (Account, error) {
	var acct Account
	city, err := svc.CreateOrganization(ctx, cli, isms.Organization{Name: "重庆市国有企业信息安全等级保护工作协调小组",
		ShortName: "市协调小组", Kind: isms.OrgGovernment, RegionCode: "500000"})
	if err != nil {
		return acct, err
	}
	a, pw, err := svc.CreateAccount(ctx, cli, service.NewAccount{OrgID: city.ID, Username: "city-supervisor",
		DisplayName: "市协调小组-监管", KeepPassword: true})
	if err != nil {
		return acct, err
	}
	if _, err := svc.GrantRole(ctx, cli, a.ID, isms.RoleSupervisor); err != nil {
		return acct, err
	}
	acct = Account{Role: isms.RoleSupervisor, Username: a.Username, Password: pw}
	sup := isms.Actor{AccountID: a.ID, OrgID: city.ID, OrgPath: city.Path, Username: a.Username, Via: "session",
		Roles: []isms.Role{isms.RoleSupervisor}}
	n := min(size.Counties, len(counties))
	bodies := make([]isms.Organization, n)
	for i := range n {
		if bodies[i], err = svc.CreateOrganization(ctx, cli, isms.Organization{Name: "重庆市" + counties[i].name + "国有企业等级保护工作协调小组",
			ShortName: counties[i].name + "协调小组", Kind: isms.OrgGovernment, RegionCode: counties[i].code}); err != nil {
			return acct, err
		}
		if _, err := svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: city.ID, SupervisedID: bodies[i].ID,
			Kind: isms.SuperviseMLPS}); err != nil {
			return acct, err
		}
	}
	today := svc.Clock().Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
	for i, o := range orgs {
		if _, err := svc.AddSupervisionLink(ctx, cli, isms.SupervisionLink{SupervisorID: bodies[i%n].ID, SupervisedID: o.ID,
			Kind: isms.SuperviseMLPS}); err != nil {
			return acct, err
		}
		if err := g.filedObjects(ctx, svc, cli, o, size.ObjectsPerOrg, today); err != nil {
			return acct, fmt.Errorf("objects of %s: %w", o.Name, err)
		}
		if progress != nil && (i+1)%100 == 0 {
			progress(i+1, len(orgs))
		}
	}
	return acct, g.cityCampaign(ctx, svc, cli, sup, bodies, orgs, today)
}

// filedObjects registers an organization's graded and filed systems,
// certificates issued over the last years, the level-3 ones evaluated.
func (g *gen) filedObjects(ctx context.Context, svc *service.Service, cli isms.Actor, o isms.Organization, n int, today string) error {
	in := isms.Actor{OrgID: o.ID, OrgPath: o.Path, Username: cli.Username, Via: cli.Via}
	ag, err := svc.SaveAgency(ctx, in, "", isms.Agency{Name: "重庆市信息安全测评中心"})
	if err != nil {
		return err
	}
	names := []string{"门户网站", "办公自动化系统", "财务管理系统", "生产调度系统", "客户服务系统", "数据中心机房", "企业邮件系统"}
	conclusions := []string{"conform", "basically_conform", "basically_conform", "nonconform"}
	objs := make([]service.FiledObject, n)
	for i := range n {
		level := 2 + g.r.IntN(2)
		if g.r.IntN(40) == 0 {
			level = 4
		}
		filed := isms.AddDays(today, -30-g.r.IntN(4*365))
		objs[i] = service.FiledObject{Object: isms.MLPSObject{Name: names[i%len(names)], Code: fmt.Sprintf("SYS-%02d", i+1),
			Type: isms.MLPSInfoSystem}, Level: level, ConfirmedOn: isms.AddDays(filed, -60), FiledOn: filed,
			Bureau: "重庆市公安局网络安全保卫总队", CertNo: fmt.Sprintf("50010%d%06d-%05d", level, g.r.IntN(1000000), g.r.IntN(100000)),
			CertIssuedOn: isms.AddDays(filed, 10)}
		if level >= 3 {
			objs[i].EvaluatedOn = isms.AddDays(today, -g.r.IntN(500))
			objs[i].EvaluationOutcome = conclusions[g.r.IntN(len(conclusions))]
			objs[i].AgencyID = ag.ID
		}
	}
	return svc.RegisterFiledObjects(ctx, in, objs)
}

// cityCampaign opens the city's campaign over every organization: the
// liaison registration (due) answered by most, accepted by their county
// and the city for some, returned for a few; the self-check form under
// way.
func (g *gen) cityCampaign(ctx context.Context, svc *service.Service, cli, sup isms.Actor, bodies, orgs []isms.Organization, today string) error {
	c, err := svc.CreateCampaign(ctx, sup, isms.Campaign{Title: "2026年国有企业信息安全等级保护工作", BasisNo: "渝等保协〔2026〕3号",
		Basis: "关于开展2026年全市国有企业信息安全等级保护工作的通知",
		Phases: []isms.CampaignPhase{
			{ID: "prep", Name: "前期准备", StartsOn: isms.AddDays(today, -30), EndsOn: isms.AddDays(today, 10)},
			{ID: "impl", Name: "组织实施", StartsOn: isms.AddDays(today, 11), EndsOn: isms.AddDays(today, 70)},
			{ID: "cons", Name: "巩固完善", StartsOn: isms.AddDays(today, 71), EndsOn: isms.AddDays(today, 130)}},
		Requirements: []isms.Requirement{
			{PhaseID: "prep", TypeCode: "liaison", DueOn: isms.AddDays(today, -15)},
			{PhaseID: "prep", TypeCode: "self_check", DueOn: isms.AddDays(today, 5)},
			{PhaseID: "impl", TypeCode: "grading_package", DueOn: isms.AddDays(today, 60)},
			{PhaseID: "cons", TypeCode: "filing_package", DueOn: isms.AddDays(today, 120)}}})
	if err != nil {
		return err
	}
	if _, err := svc.SetCampaignAudience(ctx, sup, c.ID, service.Audience{Below: sup.OrgID}); err != nil {
		return err
	}
	if _, err := svc.OpenCampaign(ctx, sup, c.ID); err != nil {
		return err
	}
	county := map[string]isms.Actor{}
	for i, o := range orgs {
		b := bodies[i%len(bodies)]
		county[o.ID] = isms.Actor{OrgID: b.ID, OrgPath: b.Path, Username: cli.Username, Via: cli.Via}
	}
	for i, o := range orgs {
		roll := g.r.IntN(10)
		if roll >= 7 { // three in ten have not registered their liaison
			continue
		}
		in := isms.Actor{OrgID: o.ID, OrgPath: o.Path, Username: cli.Username, Via: cli.Via}
		v, err := svc.CampaignFor(ctx, in, c.ID)
		if err != nil {
			return err
		}
		id := v.Submissions[0].ID
		if _, err := svc.SaveSubmission(ctx, in, id, map[string]any{"name": g.personName(), "post": "信息技术部经理",
			"phone": fmt.Sprintf("139%08d", g.r.IntN(100000000))}); err != nil {
			return err
		}
		if _, err := svc.SubmitSubmission(ctx, in, id); err != nil {
			return err
		}
		switch {
		case roll == 0:
			_, err = svc.ReviewSubmission(ctx, county[o.ID], id, isms.SubmissionReview{Decision: isms.ReviewReturn,
				Comment: "请补充联络员电子邮箱。"})
		case roll <= 4:
			if _, err = svc.ReviewSubmission(ctx, county[o.ID], id, isms.SubmissionReview{Decision: isms.ReviewAccept}); err == nil && i%2 == 0 {
				_, err = svc.ReviewSubmission(ctx, sup, id, isms.SubmissionReview{Decision: isms.ReviewAccept})
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

package service

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// Filing forms filled from the data: the organization, the object and
// its data categories, assets and evaluations, the grading and its latest
// submission. A field the data leaves blank is typed in on the form and
// kept per grading and template. The forms are Chinese documents, so
// option values print in Chinese with the forms' codes.

//go:embed defaults/mlps/filing-forms.yaml
var filingFormsYAML []byte

var filingForms = sync.OnceValues(func() ([]isms.FilingFormTemplate, error) {
	var ts []isms.FilingFormTemplate
	if err := yaml.Unmarshal(filingFormsYAML, &ts); err != nil {
		return nil, fmt.Errorf("filing forms: %w", err)
	}
	for _, t := range ts {
		if err := t.Check(); err != nil {
			return nil, err
		}
	}
	return ts, nil
})

// FilingFormTemplate returns a filing form template by version.
func FilingFormTemplate(version string) (isms.FilingFormTemplate, error) {
	ts, err := filingForms()
	if err != nil {
		return isms.FilingFormTemplate{}, isms.Internal(err)
	}
	for _, t := range ts {
		if t.Template == version {
			return t, nil
		}
	}
	return isms.FilingFormTemplate{}, isms.Invalid("template", isms.M("field.one_of", "values", strings.Join(isms.FilingForms, ", ")))
}

// formData is what a filing form is filled from.
type formData struct {
	org     isms.Organization
	o       isms.MLPSObject
	g       isms.Grading
	m       isms.GradingMatrix
	filing  *isms.Filing // the grading's latest submission
	assets  []isms.MLPSAssetLink
	evals   []isms.Evaluation // newest first
	objects []isms.MLPSObject // the organization's, with their gradings
	parent  string            // the parent object's name
	// materials are the form's own checklist entries by item, when
	// recorded: they decide the material rows.
	materials map[string]isms.Material
}

// zh names a value of an MLPS option list in Chinese.
func zh(list, v string) string {
	if v == "" {
		return ""
	}
	return i18n.T("zh-CN", isms.M(isms.MLPSOptKey(list, v)))
}

func zhList(list string, vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = zh(list, v)
	}
	return strings.Join(out, "、")
}

// ticksText prints a dimension's ticks as the form's damage statements:
// "对社会秩序、公共利益造成严重损害".
func (d formData) ticksText(dim string) string {
	var out []string
	for _, t := range d.g.Ticks {
		if t.Dimension == dim {
			out = append(out, "对"+d.m.Objects[t.Object]+"造成"+zh("degree", t.Degree))
		}
	}
	return strings.Join(out, "；")
}

// levelCounts prints the organization's objects in force by level, from
// level lo: "第二级 3，第三级 1".
func (d formData) levelCounts(lo int) string {
	counts := map[int]int{}
	for _, o := range d.objects {
		counts[o.Level()]++
	}
	var parts []string
	for l := lo; l <= 5; l++ {
		parts = append(parts, fmt.Sprintf("%s %d", zh("level", strconv.Itoa(l)), counts[l]))
	}
	return strings.Join(parts, "，")
}

// techText prints a technology's fields, when the object uses it.
func (d formData) techText(tech string) string {
	if !d.o.HasTech(tech) {
		return ""
	}
	var parts []string
	for _, f := range isms.MLPSTechFields {
		v := d.o.TechDetails[f.Key]
		if f.TechOf() != tech || v == "" {
			continue
		}
		if f.Kind == isms.TechChoice || f.Kind == isms.TechMulti {
			v = zhList("tfo."+f.Key, strings.Split(v, ","))
		}
		parts = append(parts, zh("tf", f.Key)+"："+v)
	}
	if len(parts) == 0 {
		return "是"
	}
	return strings.Join(parts, "；")
}

// value fills a field from its source ("" when the data cannot).
func (d formData) value(source string) string {
	o, g := d.o, d.g
	switch source {
	case "org.name":
		return d.org.Name
	case "org.credit_code":
		return d.org.CreditCode
	case "org.address":
		return d.org.Address
	case "org.contact_phone":
		return d.org.ContactPhone
	case "org.contact_email":
		return d.org.ContactEmail
	case "org.object_count":
		return strconv.Itoa(len(d.objects))
	case "org.level_counts":
		return d.levelCounts(1)
	case "filing.level_counts":
		return d.levelCounts(2)
	case "filing.submitted_on":
		if d.filing != nil {
			return d.filing.SubmittedOn
		}
	case "filing.bureau":
		if d.filing != nil {
			return d.filing.Bureau
		}
	case "filing.decided_on":
		if d.filing != nil && d.filing.Outcome == isms.FilingAccepted {
			return d.filing.DecidedOn
		}
	case "object.name":
		return o.Name
	case "object.code":
		return o.Code
	case "object.type":
		return zh("type", o.Type)
	case "object.tech":
		return zhList("tech", o.Tech)
	case "object.system_kind":
		return o.SystemKind
	case "object.deployment":
		return o.Deployment
	case "object.department":
		return o.DeptName
	case "object.security_person":
		return o.SecurityName
	case "object.business_type":
		return zh("business_type", o.BusinessType)
	case "object.business_desc":
		return o.BusinessDesc
	case "object.service_scope":
		if o.ServiceScopeCount > 0 {
			return fmt.Sprintf("%s（%d 个）", zh("service_scope", o.ServiceScope), o.ServiceScopeCount)
		}
		return zh("service_scope", o.ServiceScope)
	case "object.service_users":
		return zh("service_users", o.ServiceUsers)
	case "object.network_coverage":
		return zh("network_coverage", o.NetworkCoverage)
	case "object.network_nature":
		return zh("network_nature", o.NetworkNature)
	case "object.source_ips":
		return o.SourceIPs
	case "object.domains":
		return o.Domains
	case "object.ports":
		return o.Ports
	case "object.interconnections":
		return strings.Trim(zhList("interconnections", o.Interconnections)+"；"+o.InterconnectNote, "；")
	case "object.key_products":
		counts := map[string]int{}
		for _, a := range d.assets {
			counts[a.Role]++
		}
		var parts []string
		for _, r := range isms.MLPSAssetRoles {
			if counts[r] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", zh("asset_role", r), counts[r]))
			}
		}
		return strings.Join(parts, "，")
	case "object.last_agency":
		if len(d.evals) > 0 {
			return d.evals[0].AgencyName
		}
	case "object.live_on":
		return o.LiveOn
	case "object.outsourced":
		if o.Outsourced {
			return "是（" + o.OutsourcedTo + "）"
		}
		return "否"
	case "object.is_subsystem":
		if o.ParentID != "" || o.ParentName != "" {
			return "是"
		}
		return "否"
	case "object.parent_name":
		if o.ParentID != "" {
			return d.parent
		}
		return o.ParentName
	case "object.parent_unit":
		if o.ParentID != "" {
			return d.org.Name
		}
		return o.ParentUnit
	case "object.authority":
		if o.Authority == "" {
			return "无"
		}
		return "有（" + o.Authority + "）"
	case "grading.business_ticks":
		return d.ticksText(isms.DimBusiness)
	case "grading.service_ticks":
		return d.ticksText(isms.DimService)
	case "grading.business_level":
		return zh("level", strconv.Itoa(g.Business))
	case "grading.service_level":
		return zh("level", strconv.Itoa(g.Service))
	case "grading.level":
		return zh("level", strconv.Itoa(g.Level))
	case "grading.confirmed_on":
		return g.ConfirmedOn
	case "grading.review":
		if g.ReviewConclusion == isms.ReviewAgree {
			return "已评审（" + g.ReviewOn + "）"
		}
		return "未评审"
	case "grading.authority":
		switch {
		case o.Authority == "":
			return "无主管部门"
		case g.AuthorityDecision == isms.AuthorityApprove:
			return "已审核（" + g.AuthorityOn + "）"
		}
		return "未审核"
	}
	if item, ok := strings.CutPrefix(source, "material."); ok {
		if m, ok := d.materials[item]; ok {
			return m.FormText()
		}
	}
	switch source {
	case "material.evaluation":
		if len(d.evals) > 0 {
			return "有（" + d.evals[0].ReportNo + "）"
		}
	case "material.expert_opinion":
		if g.ReviewConclusion == isms.ReviewAgree {
			return "有"
		}
	case "material.authority_opinion":
		if g.AuthorityDecision == isms.AuthorityApprove {
			return "有"
		}
		if o.Authority == "" {
			return "无"
		}
	}
	if tech, ok := strings.CutPrefix(source, "tech."); ok {
		return d.techText(tech)
	}
	if source == "data.departments" || source == "data.people" {
		var vs []string
		for _, c := range o.Categories {
			v := c.DeptName
			if source == "data.people" {
				v = c.PersonName
			}
			if v != "" && !slices.Contains(vs, v) {
				vs = append(vs, v)
			}
		}
		return strings.Join(vs, "、")
	}
	return ""
}

// catValue fills a field of 表六 from a data category.
func catValue(c isms.DataCat, source string) string {
	switch source {
	case "cat.name":
		return c.Name
	case "cat.level":
		return zh("data_level", c.Level)
	case "cat.category":
		return c.Category
	case "cat.owner":
		return strings.Trim(c.DeptName+" / "+c.PersonName, " /")
	case "cat.personal":
		return zh("personal", c.Personal)
	case "cat.volume":
		return c.Volume
	case "cat.growth":
		return c.MonthlyGrowth
	case "cat.sources":
		return zhList("sources", c.Sources)
	case "cat.source_units":
		return c.SourceUnits
	case "cat.outflow_units":
		return c.OutflowUnits
	case "cat.interaction":
		return c.Interaction
	case "cat.storage_cloud":
		return c.StorageCloud
	case "cat.storage_room":
		return c.StorageRoom
	case "cat.storage_region":
		return c.StorageRegion
	}
	return ""
}

// objectParts reads what the forms and the report are written from: the
// object with its data categories, its linked assets and its
// evaluations (newest first).
func (s *Service) objectParts(ctx context.Context, orgID string, o isms.MLPSObject) (isms.MLPSObject, []isms.MLPSAssetLink, []isms.Evaluation, error) {
	cats, err := s.st.DataCategories(ctx, orgID, []string{o.ID})
	if err != nil {
		return o, nil, nil, err
	}
	o.Categories = cats[o.ID]
	assets, err := s.st.MLPSObjectAssets(ctx, orgID, o.ID)
	if err != nil {
		return o, nil, nil, err
	}
	evals, err := s.st.Evaluations(ctx, orgID, o.ID)
	return o, assets, evals, err
}

// FilingForm fills a filing form (template "classic" or "2025") for a
// grading.
func (s *Service) FilingForm(ctx context.Context, a isms.Actor, gradingID, template string) (isms.FilledForm, error) {
	var f isms.FilledForm
	t, err := FilingFormTemplate(template)
	if err != nil {
		return f, err
	}
	x, err := s.Grading(ctx, a, gradingID)
	if err != nil {
		return f, err
	}
	d := formData{g: x.Grading, m: x.Matrix}
	if d.org, err = s.st.Organization(ctx, a.OrgID); err != nil {
		return f, err
	}
	if d.objects, err = s.MLPSObjects(ctx, a, store.MLPSObjectFilter{}); err != nil {
		return f, err
	}
	if d.o, d.assets, d.evals, err = s.objectParts(ctx, a.OrgID, x.Object); err != nil {
		return f, err
	}
	if len(x.Filings) > 0 {
		d.filing = &x.Filings[len(x.Filings)-1]
	}
	if i := slices.IndexFunc(d.objects, func(p isms.MLPSObject) bool { return p.ID == d.o.ParentID }); i >= 0 {
		d.parent = d.objects[i].Name
	}
	d.materials = map[string]isms.Material{}
	for _, c := range x.Materials {
		if c.Form != template {
			continue
		}
		for _, e := range c.Entries {
			if e.Material.ID != "" {
				d.materials[e.Item.Key] = e.Material
			}
		}
	}
	typed := map[string]string{}
	if _, err := s.st.FormFields(ctx, a.OrgID, gradingID, template, &typed); err != nil {
		return f, err
	}
	cell := func(fl isms.FormField, v string) isms.FormCell {
		if v != "" {
			return isms.FormCell{Key: fl.Key, Label: fl.Label, Value: v, Filled: true}
		}
		return isms.FormCell{Key: fl.Key, Label: fl.Label, Value: typed[fl.Key]}
	}
	f = isms.FilledForm{Template: t.Template, Title: t.Title, Object: d.o.Label()}
	for _, fl := range t.Cover {
		f.Cover = append(f.Cover, cell(fl, d.value(fl.Source)))
	}
	for _, tb := range t.Tables {
		if tb.LevelAtLeast > 0 && d.g.Level < tb.LevelAtLeast {
			continue
		}
		ft := isms.FilledTable{ID: tb.ID, Title: tb.Title, Rows: [][]isms.FormCell{}}
		for _, fl := range tb.Fields {
			ft.Labels = append(ft.Labels, fl.Label)
		}
		if tb.Repeat == "data_categories" {
			for i, c := range d.o.Categories {
				var row []isms.FormCell
				for _, fl := range tb.Fields {
					k := fl
					k.Key = fmt.Sprintf("%s#%d", fl.Key, i+1)
					row = append(row, cell(k, catValue(c, fl.Source)))
				}
				ft.Rows = append(ft.Rows, row)
			}
		} else {
			var row []isms.FormCell
			for _, fl := range tb.Fields {
				row = append(row, cell(fl, d.value(fl.Source)))
			}
			ft.Rows = [][]isms.FormCell{row}
		}
		f.Tables = append(f.Tables, ft)
	}
	return f, nil
}

// SaveFormFields keeps what was typed into a filing form's blank fields.
// Unknown fields are refused; an empty value clears one.
func (s *Service) SaveFormFields(ctx context.Context, a isms.Actor, gradingID, template string, values map[string]string) error {
	if err := a.Require(isms.ActManageMLPS); err != nil {
		return err
	}
	t, err := FilingFormTemplate(template)
	if err != nil {
		return err
	}
	var p isms.Problems
	clean := map[string]string{}
	for k, v := range values {
		base, _, _ := strings.Cut(k, "#")
		if _, ok := t.Field(base); !ok {
			p.Add(k, "mlps.unknown_form_field")
			continue
		}
		v = strings.TrimSpace(v)
		if utf8.RuneCountInString(v) > 500 {
			p.Add(k, "field.too_long", "max", 500)
			continue
		}
		if v != "" {
			clean[k] = v
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	if !isms.ValidID(gradingID) {
		return isms.NotFound("grading")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		g, err := tx.Grading(ctx, a.OrgID, gradingID)
		if err != nil {
			return err
		}
		before := map[string]string{}
		if _, err := tx.FormFields(ctx, a.OrgID, gradingID, template, &before); err != nil {
			return err
		}
		for k, v := range before {
			if _, sent := values[k]; !sent {
				clean[k] = v // fields not on the submitted form stay as they were
			}
		}
		if err := tx.SaveFormFields(ctx, a.OrgID, gradingID, template, clean, a.Name(), s.clock.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "mlps.form_fields", EntityType: "grading", EntityID: g.ID,
			Summary: g.Label() + " " + template, Data: map[string]any{"before": before, "after": clean}})
	})
}

package isms

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MLPS grading objects (定级对象, GB/T 22240-2020): what an organization
// grades, files and has evaluated — an information system, a
// communication network facility or a data resource — with the facts the
// filing forms ask about it (mlps.md §1.4, §2.1 表二, §2.2 表二/表四/表六).

// Object types (定级对象类型).
const (
	MLPSInfoSystem      = "information_system" // 信息系统
	MLPSNetworkFacility = "network_facility"   // 通信网络设施
	MLPSDataResource    = "data_resource"      // 数据资源
)

// MLPSObjectTypes lists the object types in the 2025 form's order.
var MLPSObjectTypes = []string{MLPSNetworkFacility, MLPSInfoSystem, MLPSDataResource}

// Technology flags (采用技术类型), each with its own fields (表四).
var MLPSTechnologies = []string{"cloud", "mobile", "iot", "ics", "big_data", "other"}

// Option lists of the filing forms. A value's label is the message
// MLPSOptKey(list, value), which carries the form's code ("5 公众服务").
var (
	MLPSBusinessTypes    = []string{"production", "command", "management", "office", "public", "other"}
	MLPSServiceScopes    = []string{"national", "cross_province", "province", "cross_city", "city", "other"}
	MLPSServiceUsers     = []string{"internal", "public", "both", "other"}
	MLPSNetworkCoverages = []string{"lan", "man", "wan", "other"}
	MLPSNetworkNatures   = []string{"private", "internet", "other"}
	MLPSInterconnections = []string{"other_industry", "same_industry", "own_systems", "other"}
	MLPSObjectStatuses   = []string{"active", "retired"}
)

// MLPSOptKey is the message naming a value of an MLPS option list
// ("mlps.opt.type.data_resource").
func MLPSOptKey(list, value string) string { return "mlps.opt." + list + "." + value }

// MLPSTechField is one type-specific field of a technology (表四): free
// text, a number, one choice or several.
type MLPSTechField struct {
	Key     string   `json:"key"` // "cloud.service_model"
	Kind    string   `json:"kind"`
	Options []string `json:"options,omitempty"`
}

// Kinds of technology field.
const (
	TechText   = "text"
	TechNumber = "number"
	TechChoice = "choice"
	TechMulti  = "multi"
)

// MLPSTechFields lists the fields of each technology, in the form's order.
var MLPSTechFields = []MLPSTechField{
	{Key: "cloud.role", Kind: TechChoice, Options: []string{"provider", "customer"}},
	{Key: "cloud.service_model", Kind: TechMulti, Options: []string{"iaas", "paas", "saas", "other"}},
	{Key: "cloud.deployment", Kind: TechChoice, Options: []string{"private", "public", "hybrid", "government", "other"}},
	{Key: "cloud.customers", Kind: TechNumber},
	{Key: "cloud.infra_location", Kind: TechText},
	{Key: "cloud.ops_location", Kind: TechText},
	{Key: "cloud.provider", Kind: TechText},
	{Key: "cloud.platform_name", Kind: TechText},
	{Key: "cloud.platform_level", Kind: TechChoice, Options: []string{"1", "2", "3", "4", "5"}},
	{Key: "cloud.platform_filing_no", Kind: TechText},
	{Key: "mobile.apps", Kind: TechText},
	{Key: "mobile.wireless", Kind: TechMulti, Options: []string{"public_wifi", "private_wifi", "cellular"}},
	{Key: "mobile.terminals", Kind: TechMulti, Options: []string{"general", "dedicated"}},
	{Key: "iot.perception", Kind: TechMulti, Options: []string{"sensor_node", "sensor_gateway", "rfid_tag", "rfid_reader"}},
	{Key: "iot.transport", Kind: TechText},
	{Key: "ics.layers", Kind: TechMulti, Options: []string{"production_management", "process_monitoring", "field_control", "field_devices"}},
	{Key: "ics.components", Kind: TechMulti, Options: []string{"scada", "dcs", "plc", "rtu", "mtu", "host"}},
	{Key: "big_data.parts", Kind: TechMulti, Options: []string{"platform", "application", "resource"}},
	{Key: "big_data.cross_border", Kind: TechChoice, Options: []string{"yes", "no"}},
	{Key: "big_data.provider", Kind: TechText},
	{Key: "big_data.platform_name", Kind: TechText},
	{Key: "big_data.platform_level", Kind: TechChoice, Options: []string{"1", "2", "3", "4", "5"}},
	{Key: "big_data.platform_filing_no", Kind: TechText},
	{Key: "other.description", Kind: TechText},
}

// TechOf is the technology a field belongs to.
func (f MLPSTechField) TechOf() string { t, _, _ := strings.Cut(f.Key, "."); return t }

// MLPSTechField finds a technology field by key.
func mlpsTechField(key string) (MLPSTechField, bool) {
	i := slices.IndexFunc(MLPSTechFields, func(f MLPSTechField) bool { return f.Key == key })
	if i < 0 {
		return MLPSTechField{}, false
	}
	return MLPSTechFields[i], true
}

// MLPSObject is a grading object with the facts the forms ask for. Its
// level and status come from its current grading.
type MLPSObject struct {
	ID    string `json:"id"`
	OrgID string `json:"org_id"`
	N     int64  `json:"n"`    // printed DJ-0001
	Code  string `json:"code"` // 系统编号, the organization's own, unique when given
	Name  string `json:"name"`
	Type  string `json:"type"`
	// Tech lists the technology flags; TechDetails holds their fields
	// (MLPSTechFields), several choices joined by commas.
	Tech        []string          `json:"tech"`
	TechDetails map[string]string `json:"tech_details"`
	SystemKind  string            `json:"system_kind"` // 系统类型 (2025 表二)
	Deployment  string            `json:"deployment"`  // 部署方式

	DeptID         string `json:"department_id"`   // 责任部门
	ConstructionBy string `json:"construction_by"` // people responsible for construction,
	OperationBy    string `json:"operation_by"`    // operation
	SecurityBy     string `json:"security_by"`     // and security

	BusinessType      string   `json:"business_type"`
	BusinessDesc      string   `json:"business_description"`
	ServiceScope      string   `json:"service_scope"`
	ServiceScopeCount int      `json:"service_scope_count"` // provinces or cities, for the cross- scopes
	ServiceUsers      string   `json:"service_users"`
	NetworkCoverage   string   `json:"network_coverage"`
	NetworkNature     string   `json:"network_nature"`
	SourceIPs         string   `json:"source_ips"` // on the Internet: 源站IP地址范围
	Domains           string   `json:"domains"`
	Ports             string   `json:"ports"` // main protocols and ports
	Interconnections  []string `json:"interconnections"`
	InterconnectNote  string   `json:"interconnect_note"`

	LiveOn       string `json:"live_on"` // 投入运行时间
	Outsourced   bool   `json:"outsourced"`
	OutsourcedTo string `json:"outsourced_to"`
	// ParentID is the parent system when it is one of ours; a parent
	// elsewhere is named by ParentName and ParentUnit (上级系统所属单位).
	ParentID   string `json:"parent_id"`
	ParentName string `json:"parent_name"`
	ParentUnit string `json:"parent_unit"`
	// Authority is the competent industry authority (上级行业主管部门),
	// "" when there is none; it approves the grading.
	Authority string `json:"authority"`
	Notes     string `json:"notes"`
	Status    string `json:"status"`

	UpdatedBy string    `json:"updated_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// Read with it.
	DeptName         string    `json:"department_name,omitempty"`
	ConstructionName string    `json:"construction_name,omitempty"`
	OperationName    string    `json:"operation_name,omitempty"`
	SecurityName     string    `json:"security_name,omitempty"`
	ParentLabel      string    `json:"parent_label,omitempty"`
	Current          *Grading  `json:"current_grading,omitempty"` // the grading in force, or the first in progress
	Open             *Grading  `json:"open_grading,omitempty"`    // a grading in progress
	Categories       []DataCat `json:"data_categories,omitempty"`
}

// Number is the object's printed number.
func (o MLPSObject) Number() string { return fmt.Sprintf("DJ-%04d", o.N) }

// Label is its number and name.
func (o MLPSObject) Label() string { return o.Number() + " " + o.Name }

// HasTech reports whether the object uses a technology.
func (o MLPSObject) HasTech(t string) bool { return slices.Contains(o.Tech, t) }

// Level is the object's level in force (0: not graded yet).
func (o MLPSObject) Level() int {
	if o.Current != nil && o.Current.InForce() {
		return o.Current.Level
	}
	return 0
}

// Normalize trims the object's text, sorts its flags and drops the
// fields of technologies it does not use.
func (o *MLPSObject) Normalize() {
	TrimFields(&o.Code, &o.Name, &o.Type, &o.SystemKind, &o.Deployment, &o.DeptID, &o.ConstructionBy, &o.OperationBy,
		&o.SecurityBy, &o.BusinessType, &o.BusinessDesc, &o.ServiceScope, &o.ServiceUsers, &o.NetworkCoverage,
		&o.NetworkNature, &o.SourceIPs, &o.Domains, &o.Ports, &o.InterconnectNote, &o.LiveOn, &o.OutsourcedTo,
		&o.ParentID, &o.ParentName, &o.ParentUnit, &o.Authority, &o.Notes, &o.Status)
	o.Tech = inOrder(o.Tech, MLPSTechnologies)
	o.Interconnections = inOrder(o.Interconnections, MLPSInterconnections)
	if o.Status == "" {
		o.Status = "active"
	}
	details := map[string]string{}
	for k, v := range o.TechDetails {
		v = strings.TrimSpace(v)
		f, ok := mlpsTechField(k)
		if v == "" || ok && !o.HasTech(f.TechOf()) {
			continue
		}
		if f.Kind == TechMulti {
			v = strings.Join(inOrder(splitList(v), f.Options), ",")
		}
		details[k] = v
	}
	o.TechDetails = details
	if !o.Outsourced {
		o.OutsourcedTo = ""
	}
	if o.NetworkNature != "internet" {
		o.SourceIPs, o.Domains, o.Ports = "", "", ""
	}
	if o.ServiceScope != "cross_province" && o.ServiceScope != "cross_city" {
		o.ServiceScopeCount = 0
	}
	if o.ParentID != "" {
		o.ParentName, o.ParentUnit = "", ""
	}
}

// splitList splits "a, b" into its trimmed, non-empty parts.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// inOrder returns the distinct values of vs in the order of set, with
// unknown values kept at the end (for Validate to name).
func inOrder(vs, set []string) []string {
	out := []string{}
	for _, s := range set {
		if slices.Contains(vs, s) {
			out = append(out, s)
		}
	}
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(set, v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Validate checks the object's own fields; references are checked by
// the service.
func (o *MLPSObject) Validate() error {
	var p Problems
	checkText(&p, "name", o.Name, true, 200)
	checkText(&p, "code", o.Code, false, 64)
	oneOf(&p, "type", o.Type, MLPSObjectTypes)
	for _, t := range o.Tech {
		if !slices.Contains(MLPSTechnologies, t) {
			p.Add("tech", "field.one_of", "values", strings.Join(MLPSTechnologies, ", "))
		}
	}
	for _, f := range []struct {
		name, value string
		set         []string
	}{{"business_type", o.BusinessType, MLPSBusinessTypes}, {"service_scope", o.ServiceScope, MLPSServiceScopes},
		{"service_users", o.ServiceUsers, MLPSServiceUsers}, {"network_coverage", o.NetworkCoverage, MLPSNetworkCoverages},
		{"network_nature", o.NetworkNature, MLPSNetworkNatures}} {
		if f.value != "" {
			oneOf(&p, f.name, f.value, f.set)
		}
	}
	oneOf(&p, "status", o.Status, MLPSObjectStatuses)
	for _, c := range o.Interconnections {
		if !slices.Contains(MLPSInterconnections, c) {
			p.Add("interconnections", "field.one_of", "values", strings.Join(MLPSInterconnections, ", "))
		}
	}
	if (o.ServiceScope == "cross_province" || o.ServiceScope == "cross_city") && o.ServiceScopeCount < 2 {
		p.Add("service_scope_count", "mlps.scope_count")
	}
	for _, f := range [][2]string{{"system_kind", o.SystemKind}, {"deployment", o.Deployment}, {"outsourced_to", o.OutsourcedTo},
		{"parent_name", o.ParentName}, {"parent_unit", o.ParentUnit}, {"authority", o.Authority}, {"source_ips", o.SourceIPs},
		{"domains", o.Domains}, {"ports", o.Ports}} {
		checkText(&p, f[0], f[1], false, 500)
	}
	for _, f := range [][2]string{{"business_description", o.BusinessDesc}, {"interconnect_note", o.InterconnectNote},
		{"notes", o.Notes}} {
		checkLongText(&p, f[0], f[1], 4000)
	}
	if o.Outsourced && o.OutsourcedTo == "" {
		p.Add("outsourced_to", "mlps.outsourced_to_required")
	}
	checkDate(&p, "live_on", o.LiveOn)
	for _, f := range [][2]string{{"department_id", o.DeptID}, {"construction_by", o.ConstructionBy},
		{"operation_by", o.OperationBy}, {"security_by", o.SecurityBy}, {"parent_id", o.ParentID}} {
		checkOptionalID(&p, f[0], f[1])
	}
	if o.ID != "" && o.ParentID == o.ID {
		p.Add("parent_id", "mlps.parent_self")
	}
	for k, v := range o.TechDetails {
		f, ok := mlpsTechField(k)
		field := "tech_details " + k
		if !ok {
			p.Add(field, "mlps.unknown_tech_field")
			continue
		}
		switch f.Kind {
		case TechText:
			checkText(&p, field, v, false, 500)
		case TechNumber:
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				p.Add(field, "field.bad_number")
			}
		case TechChoice:
			oneOf(&p, field, v, f.Options)
		case TechMulti:
			for _, x := range splitList(v) {
				if !slices.Contains(f.Options, x) {
					p.Add(field, "field.one_of", "values", strings.Join(f.Options, ", "))
					break
				}
			}
		}
	}
	return p.Err()
}

// Data categories (表六 数据摸底调查表): one line per category of data,
// not per data item.
var (
	DataLevels        = []string{"general", "important"} // 一般数据 / 重要及以上数据
	DataPersonalKinds = []string{"sensitive", "minor", "general", "none"}
	DataSources       = []string{"collected", "generated", "manual", "purchased", "shared", "other"}
)

// DataCat is one category of data an object processes.
type DataCat struct {
	ID            string   `json:"id"`
	OrgID         string   `json:"org_id"`
	ObjectID      string   `json:"object_id"`
	Name          string   `json:"name"`     // 数据名称
	Level         string   `json:"level"`    // 拟定数据级别
	Category      string   `json:"category"` // 数据类别
	DeptID        string   `json:"department_id"`
	PersonID      string   `json:"person_id"`
	Personal      string   `json:"personal"`       // 个人信息涉及情况
	Volume        string   `json:"volume"`         // 数据总量, with its unit: "2 TB", "300万条"
	MonthlyGrowth string   `json:"monthly_growth"` // 月增长量
	Sources       []string `json:"sources"`
	SourceUnits   string   `json:"source_units"`  // 来源单位
	OutflowUnits  string   `json:"outflow_units"` // 流出单位
	Interaction   string   `json:"interaction"`   // 与其他数据处理者交互情况
	StorageCloud  string   `json:"storage_cloud"` // 存储位置 (云平台)
	StorageRoom   string   `json:"storage_room"`  // 存储机房
	StorageRegion string   `json:"storage_region"`
	// Read with it.
	DeptName   string `json:"department_name,omitempty"`
	PersonName string `json:"person_name,omitempty"`
}

// Normalize trims the category's text.
func (d *DataCat) Normalize() {
	TrimFields(&d.Name, &d.Level, &d.Category, &d.DeptID, &d.PersonID, &d.Personal, &d.Volume, &d.MonthlyGrowth,
		&d.SourceUnits, &d.OutflowUnits, &d.Interaction, &d.StorageCloud, &d.StorageRoom, &d.StorageRegion)
	d.Sources = inOrder(d.Sources, DataSources)
}

// Validate checks a data category, its problems named under prefix.
func (d *DataCat) Validate() error {
	var p Problems
	checkText(&p, "name", d.Name, true, 200)
	oneOf(&p, "level", d.Level, DataLevels)
	oneOf(&p, "personal", d.Personal, DataPersonalKinds)
	for _, s := range d.Sources {
		if !slices.Contains(DataSources, s) {
			p.Add("sources", "field.one_of", "values", strings.Join(DataSources, ", "))
			break
		}
	}
	for _, f := range [][2]string{{"category", d.Category}, {"volume", d.Volume}, {"monthly_growth", d.MonthlyGrowth},
		{"source_units", d.SourceUnits}, {"outflow_units", d.OutflowUnits}, {"storage_cloud", d.StorageCloud},
		{"storage_room", d.StorageRoom}, {"storage_region", d.StorageRegion}} {
		checkText(&p, f[0], f[1], false, 200)
	}
	checkLongText(&p, "interaction", d.Interaction, 2000)
	checkOptionalID(&p, "department_id", d.DeptID)
	checkOptionalID(&p, "person_id", d.PersonID)
	return p.Err()
}

// Roles of an asset linked to a grading object (its main components, as
// the filing form's 关键产品使用情况 counts them).
var MLPSAssetRoles = []string{"device", "os", "database", "security_product", "server", "other"}

// MLPSAssetLink links an asset of the register to an object.
type MLPSAssetLink struct {
	AssetID string `json:"asset_id"`
	Role    string `json:"role"`
	// Read with it.
	AssetCode string `json:"asset_code,omitempty"`
	AssetName string `json:"asset_name,omitempty"`
	AssetType string `json:"asset_type,omitempty"`
}

package isms

import (
	"net"
	"slices"
	"strings"
	"time"
)

// Assets (资产管理, seed-requirements §5): the inventory risk assessment
// starts from. Types follow GB/T 20984-2022's three layers; values follow
// its 1–5 scales; the asset value comes from C, I and A by the
// organization's strategy (AssetValue).

// Asset types by layer (GB/T 20984-2022 §5.2.2): business; system
// (information system, data resource, network); component and unit.
var AssetTypes = []string{
	"business",
	"information_system", "data_resource", "network",
	"hardware", "software", "service", "people", "site",
}

// AssetLayer is the GB/T 20984-2022 layer of an asset type.
func AssetLayer(typ string) string {
	switch typ {
	case "business":
		return "business"
	case "information_system", "data_resource", "network":
		return "system"
	}
	return "component"
}

// ClassicAssetType is ISO/IEC 27005's classic grouping of a type, the view
// auditors trained on ISO/IEC 27001:2013 expect: information, software,
// physical, services, people, intangible.
func ClassicAssetType(typ string) string {
	switch typ {
	case "data_resource":
		return "information"
	case "software", "information_system":
		return "software"
	case "hardware", "network", "site":
		return "physical"
	case "service":
		return "services"
	case "people":
		return "people"
	}
	return "intangible"
}

// Asset statuses: accepted assets are in use; a repair sends one out and
// brings it back; scrapping ends it.
const (
	AssetPending  = "pending_acceptance" // acquired, not yet accepted (验收)
	AssetInUse    = "in_use"
	AssetInRepair = "in_repair"
	AssetScrapped = "scrapped"
)

// AssetStatuses lists them in display order.
var AssetStatuses = []string{AssetPending, AssetInUse, AssetInRepair, AssetScrapped}

// DefaultClassifications is the default classification scheme (公开 /
// 内部 / 秘密 / 机密 / 绝密); an organization may set its own.
var DefaultClassifications = []string{"公开", "内部", "秘密", "机密", "绝密"}

// Asset is one entry of the asset register.
type Asset struct {
	ID             string `json:"id"`
	OrgID          string `json:"org_id"`
	Code           string `json:"code"` // unique per organization
	Name           string `json:"name"`
	Type           string `json:"type"` // one of AssetTypes
	Description    string `json:"description"`
	DeptID         string `json:"department_id"` // owning department
	OwnerID        string `json:"owner_id"`      // person: 资产所有者 / 计算机负责人
	CustodianID    string `json:"custodian_id"`  // person who keeps it
	Location       string `json:"location"`
	Classification string `json:"classification"` // one of the organization's scheme
	C              int    `json:"confidentiality"`
	I              int    `json:"integrity"`
	A              int    `json:"availability"`
	// ReplacementCost and Importance are 1–5 levels (重置成本级别,
	// 重要性级别); 0 is not assessed.
	ReplacementCost int `json:"replacement_cost"`
	Importance      int `json:"importance"`
	// Value is computed from C, I and A by the organization's strategy;
	// Important by its rule. Both are stored so lists filter on them and
	// recomputed when the settings change.
	Value     int    `json:"value"`
	Important bool   `json:"important"`
	ParentID  string `json:"parent_id"`
	Status    string `json:"status"`
	// Hardware extras for the computer register (计算机地址分配表).
	Serial     string `json:"serial"`
	IP         string `json:"ip"`
	MAC        string `json:"mac"`
	UserID     string `json:"user_id"` // responsible user (person)
	Classified bool   `json:"classified"`
	// OwnerSince is the day the current owner took it over.
	OwnerSince string    `json:"owner_since"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Layer is the asset's GB/T 20984-2022 layer.
func (x Asset) Layer() string { return AssetLayer(x.Type) }

// Classic is the asset's ISO/IEC 27005 classic type.
func (x Asset) Classic() string { return ClassicAssetType(x.Type) }

// IsComputer reports whether the asset belongs in the computer register.
func (x Asset) IsComputer() bool { return x.Type == "hardware" }

// Normalize trims the asset's text and fills defaults.
func (x *Asset) Normalize() {
	TrimFields(&x.Code, &x.Name, &x.Type, &x.Description, &x.DeptID, &x.OwnerID, &x.CustodianID, &x.Location,
		&x.Classification, &x.ParentID, &x.Serial, &x.IP, &x.MAC, &x.UserID, &x.OwnerSince)
	x.MAC = strings.ToUpper(strings.ReplaceAll(x.MAC, "-", ":"))
	if x.Status == "" {
		x.Status = AssetInUse
	}
}

// Validate checks the asset's own fields against the organization's
// classification scheme; references are checked by the service.
func (x *Asset) Validate(classes []string) error {
	var p Problems
	checkText(&p, "code", x.Code, true, 64)
	checkText(&p, "name", x.Name, true, 200)
	checkText(&p, "description", x.Description, false, 2000)
	checkText(&p, "location", x.Location, false, 200)
	checkText(&p, "serial", x.Serial, false, 100)
	oneOf(&p, "type", x.Type, AssetTypes)
	oneOf(&p, "status", x.Status, AssetStatuses)
	if x.Classification != "" {
		oneOf(&p, "classification", x.Classification, classes)
	}
	for _, f := range []struct {
		name     string
		v        int
		optional bool
	}{{"confidentiality", x.C, false}, {"integrity", x.I, false}, {"availability", x.A, false},
		{"replacement_cost", x.ReplacementCost, true}, {"importance", x.Importance, true}} {
		if f.optional && f.v == 0 {
			continue
		}
		if f.v < 1 || f.v > 5 {
			p.Add(f.name, "field.range", "min", 1, "max", 5)
		}
	}
	for _, f := range [][2]string{{"department_id", x.DeptID}, {"owner_id", x.OwnerID}, {"custodian_id", x.CustodianID},
		{"parent_id", x.ParentID}, {"user_id", x.UserID}} {
		checkOptionalID(&p, f[0], f[1])
	}
	if x.IP != "" && net.ParseIP(x.IP) == nil {
		p.Add("ip", "asset.bad_ip")
	}
	if x.MAC != "" {
		if hw, err := net.ParseMAC(x.MAC); err != nil || len(hw) != 6 {
			p.Add("mac", "asset.bad_mac")
		}
	}
	if x.OwnerSince != "" {
		if _, err := time.Parse(time.DateOnly, x.OwnerSince); err != nil {
			p.Add("owner_since", "field.bad_date")
		}
	}
	if x.ID != "" && x.ParentID == x.ID {
		p.Add("parent_id", "asset.parent_self")
	}
	return p.Err()
}

// AssetSettings are an organization's asset rules.
type AssetSettings struct {
	// ValueStrategy computes the asset value from C, I and A: ValueMax
	// (default), ValueWeighted (Weights) or ValueLog2.
	ValueStrategy string     `json:"value_strategy"`
	Weights       [3]float64 `json:"weights"`
	// An asset is important (重要资产) when its value reaches
	// ImportantValue or its importance level reaches ImportantLevel; 0
	// switches a criterion off.
	ImportantValue int `json:"important_value"`
	ImportantLevel int `json:"important_level"`
	// Classifications is the classification scheme, lowest first.
	Classifications []string `json:"classifications"`
	// Approvers are the roles that approve each lifecycle step; "" records
	// the step without approval.
	Approvers map[string]Role `json:"approvers"`
	// OwnerChangeDays is how long after a change of owner it must be
	// filed (seed 002 篇1: one week).
	OwnerChangeDays int `json:"owner_change_days"`
}

// DefaultAssetSettings: the highest of C/I/A (mlps.md §4.1), important
// from value 4, the default scheme, and the approvers of the seeds:
// acceptance and scrapping by the department manager, transfer by the
// deputy general manager, send-out repair by the department manager.
func DefaultAssetSettings() AssetSettings {
	return AssetSettings{ValueStrategy: ValueMax, Weights: [3]float64{1, 1, 1}, ImportantValue: 4,
		Classifications: slices.Clone(DefaultClassifications),
		Approvers: map[string]Role{EventAcceptance: RoleDeptHead, EventTransfer: RoleDeputyGM, EventRepair: RoleDeptHead,
			EventScrap: RoleDeptHead, EventOwnerChange: ""},
		OwnerChangeDays: 7}
}

// Fill completes settings stored by an older version.
func (s *AssetSettings) Fill() {
	d := DefaultAssetSettings()
	if s.ValueStrategy == "" {
		s.ValueStrategy = d.ValueStrategy
	}
	if s.Weights == [3]float64{} {
		s.Weights = d.Weights
	}
	if len(s.Classifications) == 0 {
		s.Classifications = d.Classifications
	}
	if s.Approvers == nil {
		s.Approvers = d.Approvers
	}
	for k, r := range d.Approvers {
		if _, ok := s.Approvers[k]; !ok {
			s.Approvers[k] = r
		}
	}
	if s.OwnerChangeDays == 0 {
		s.OwnerChangeDays = d.OwnerChangeDays
	}
}

// Validate checks the settings.
func (s *AssetSettings) Validate() error {
	var p Problems
	oneOf(&p, "value_strategy", s.ValueStrategy, ValueStrategies)
	if slices.ContainsFunc(s.Weights[:], func(w float64) bool { return w < 0 || w > 100 }) {
		p.Add("weights", "field.range", "min", 0, "max", 100)
	} else if s.ValueStrategy == ValueWeighted && s.Weights == [3]float64{} {
		p.Add("weights", "asset.weights_zero")
	}
	if s.ImportantValue < 0 || s.ImportantValue > 5 {
		p.Add("important_value", "field.range", "min", 0, "max", 5)
	}
	if s.ImportantLevel < 0 || s.ImportantLevel > 5 {
		p.Add("important_level", "field.range", "min", 0, "max", 5)
	}
	seen := map[string]bool{}
	for i, c := range s.Classifications {
		c = strings.TrimSpace(c)
		s.Classifications[i] = c
		if c == "" || len([]rune(c)) > 20 || seen[c] {
			p.Add("classifications", "asset.bad_scheme")
			break
		}
		seen[c] = true
	}
	if len(s.Classifications) == 0 || len(s.Classifications) > 10 {
		p.Add("classifications", "asset.bad_scheme")
	}
	for k, r := range s.Approvers {
		if !slices.Contains(AssetEvents, k) {
			p.Add("approvers", "field.one_of", "values", strings.Join(AssetEvents, ", "))
		} else if r != "" && !r.Grantable() {
			p.Add("approvers."+k, "field.one_of", "values", JoinRoles(GrantableRoles))
		}
	}
	if s.OwnerChangeDays < 1 || s.OwnerChangeDays > 90 {
		p.Add("owner_change_days", "field.range", "min", 1, "max", 90)
	}
	return p.Err()
}

// Evaluate computes an asset's value and important flag.
func (s *AssetSettings) Evaluate(x *Asset) {
	x.Value = AssetValue(s.ValueStrategy, x.C, x.I, x.A, s.Weights)
	x.Important = s.ImportantValue > 0 && x.Value >= s.ImportantValue ||
		s.ImportantLevel > 0 && x.Importance >= s.ImportantLevel
}

// AssetFilter narrows the asset register.
type AssetFilter struct {
	OrgID, Type, DeptID, Status, Classification, Text, OwnerID string
	// Layer is one of business, system, component.
	Layer string
	// Important and Computers select the two named views: the
	// important-asset list and the computer register.
	Important, Computers bool
	MinValue             int
	// Offset pages the list: a register is sorted by the user's column,
	// and an asset register is thousands of rows, not millions.
	Sort   string // code (default), name, value, department
	Desc   bool
	Offset int
	Limit  int
}

// AssetSorts are the columns the register sorts by.
var AssetSorts = []string{"code", "name", "value", "type", "updated"}

// AssetTypeNames are the types' Chinese and English names, as spreadsheets
// write them: imports accept either, or the code.
var AssetTypeNames = map[string][2]string{
	"business":           {"业务", "Business"},
	"information_system": {"信息系统", "Information system"},
	"data_resource":      {"数据资源", "Data resource"},
	"network":            {"通信网络", "Network"},
	"hardware":           {"硬件", "Hardware"},
	"software":           {"软件", "Software"},
	"service":            {"服务", "Service"},
	"people":             {"人员", "People"},
	"site":               {"场所", "Site"},
}

// AssetStatusNames name the statuses in spreadsheets.
var AssetStatusNames = map[string][2]string{
	AssetPending:  {"待验收", "Pending acceptance"},
	AssetInUse:    {"在用", "In use"},
	AssetInRepair: {"维修中", "In repair"},
	AssetScrapped: {"已报废", "Scrapped"},
}

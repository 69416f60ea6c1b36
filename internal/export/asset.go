package export

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"openisms/internal/isms"
)

// AssetColumn is one column of the asset workbook. The import template,
// the register export and the two views share these definitions, so an
// exported register edited in Excel imports as it is.
type AssetColumn struct {
	Key      string
	ZH, EN   string
	Required bool   // the import refuses a row without it
	Computed bool   // written by exports, ignored by the import
	Note     string // what the template's instructions say about it
}

// Header is the column's heading as written: "编号 Code".
func (c AssetColumn) Header() string { return c.ZH + " " + c.EN }

// AssetColumns are every column, in the register's order.
var AssetColumns = []AssetColumn{
	{Key: "code", ZH: "编号", EN: "Code", Required: true, Note: "本单位内唯一，最多 64 个字符 / unique in the organization"},
	{Key: "name", ZH: "名称", EN: "Name", Required: true},
	{Key: "type", ZH: "类型", EN: "Type", Required: true, Note: typeNote()},
	{Key: "description", ZH: "说明", EN: "Description"},
	{Key: "department", ZH: "所属部门", EN: "Department", Note: "部门名称，须已在系统中 / an existing department's name"},
	{Key: "owner", ZH: "所有者", EN: "Owner", Note: "在职人员的姓名或工号 / name or employee number of a current person"},
	{Key: "custodian", ZH: "保管人", EN: "Custodian", Note: "同上 / as owner"},
	{Key: "location", ZH: "位置", EN: "Location"},
	{Key: "classification", ZH: "密级", EN: "Classification", Note: "本单位密级方案中的一项，默认 公开/内部/秘密/机密/绝密"},
	{Key: "c", ZH: "保密性", EN: "C", Required: true, Note: "1–5：1 很低 … 5 很高"},
	{Key: "i", ZH: "完整性", EN: "I", Required: true, Note: "1–5"},
	{Key: "a", ZH: "可用性", EN: "A", Required: true, Note: "1–5"},
	{Key: "replacement_cost", ZH: "重置成本级别", EN: "Replacement cost", Note: "1–5，可空 / 1–5 or blank"},
	{Key: "importance", ZH: "重要性级别", EN: "Importance", Note: "1–5，可空 / 1–5 or blank"},
	{Key: "parent", ZH: "上级资产编号", EN: "Parent code", Note: "已有资产或本表中资产的编号 / code of an existing asset or of a row in this sheet"},
	{Key: "serial", ZH: "序列号", EN: "Serial no."},
	{Key: "ip", ZH: "IP地址", EN: "IP address"},
	{Key: "mac", ZH: "MAC地址", EN: "MAC address", Note: "如 00:1A:2B:3C:4D:5E"},
	{Key: "user", ZH: "使用人", EN: "User", Note: "计算机负责人 / the computer's responsible user"},
	{Key: "classified", ZH: "涉密计算机", EN: "Classified", Note: "是 / 否（yes / no），可空为否"},
	{Key: "value", ZH: "资产价值", EN: "Value", Computed: true},
	{Key: "important", ZH: "重要资产", EN: "Important", Computed: true},
	{Key: "status", ZH: "状态", EN: "Status", Computed: true},
	{Key: "owner_since", ZH: "负责起始日", EN: "Owner since", Computed: true},
}

func typeNote() string {
	names := make([]string, len(isms.AssetTypes))
	for i, t := range isms.AssetTypes {
		names[i] = isms.AssetTypeNames[t][0]
	}
	return strings.Join(names, "、") + "（或英文名称 / or the English name）"
}

// Column keys of the two named views.
var (
	// ImportantAssetKeys: the important-asset list of the manual (asset,
	// owner, replacement cost, C, I, A, value, importance, important).
	ImportantAssetKeys = []string{"code", "name", "type", "department", "owner", "replacement_cost", "c", "i", "a", "value", "importance", "important"}
	// ComputerKeys: the computer address allocation table.
	ComputerKeys = []string{"code", "name", "department", "user", "owner", "ip", "mac", "serial", "location", "classified", "status"}
)

// AssetColumnsFor returns the columns with keys, in that order; nil keys
// give every column.
func AssetColumnsFor(keys []string) []AssetColumn {
	if keys == nil {
		return AssetColumns
	}
	out := make([]AssetColumn, 0, len(keys))
	for _, k := range keys {
		for _, c := range AssetColumns {
			if c.Key == k {
				out = append(out, c)
			}
		}
	}
	return out
}

// AssetNames resolves references for the cells.
type AssetNames struct {
	Departments map[string]string // ID → name
	People      map[string]string // ID → name
	Codes       map[string]string // asset ID → code, for parents
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// AssetCell is the value of one cell.
func AssetCell(x isms.Asset, key string, n AssetNames) any {
	level := func(v int) any {
		if v == 0 {
			return ""
		}
		return v
	}
	switch key {
	case "code":
		return x.Code
	case "name":
		return x.Name
	case "type":
		return isms.AssetTypeNames[x.Type][0]
	case "description":
		return x.Description
	case "department":
		return n.Departments[x.DeptID]
	case "owner":
		return n.People[x.OwnerID]
	case "custodian":
		return n.People[x.CustodianID]
	case "location":
		return x.Location
	case "classification":
		return x.Classification
	case "c":
		return x.C
	case "i":
		return x.I
	case "a":
		return x.A
	case "replacement_cost":
		return level(x.ReplacementCost)
	case "importance":
		return level(x.Importance)
	case "parent":
		return n.Codes[x.ParentID]
	case "serial":
		return x.Serial
	case "ip":
		return x.IP
	case "mac":
		return x.MAC
	case "user":
		return n.People[x.UserID]
	case "classified":
		return yesNo(x.Classified)
	case "value":
		return x.Value
	case "important":
		return yesNo(x.Important)
	case "status":
		return isms.AssetStatusNames[x.Status][0]
	case "owner_since":
		return x.OwnerSince
	}
	return ""
}

// Assets writes the assets next yields (page by page, empty at the end)
// with the given columns, streaming.
func Assets(w io.Writer, cols []AssetColumn, next func() ([]isms.Asset, error), n AssetNames) error {
	b, err := newBook("Sheet1")
	if err != nil {
		return err
	}
	defer b.Close()
	heads := make([]string, len(cols))
	for i, c := range cols {
		heads[i] = c.Header()
	}
	if err := b.header(heads); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	if err := putPages(b, next, func(x isms.Asset) []any {
		for i, c := range cols {
			vals[i] = AssetCell(x, c.Key, n)
		}
		return vals
	}); err != nil {
		return err
	}
	return b.finish(w)
}

// AssetTemplate writes the import template: the header row of every
// column the import reads, and a second sheet that documents them.
func AssetTemplate(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	col := 1
	for _, c := range AssetColumns {
		if c.Computed {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(col, 1)
		h := c.Header()
		if c.Required {
			h += " *"
		}
		if err := f.SetCellValue("Sheet1", cell, h); err != nil {
			return err
		}
		col++
	}
	if err := f.SetSheetName("Sheet1", "资产 Assets"); err != nil {
		return err
	}
	if _, err := f.NewSheet("说明 Notes"); err != nil {
		return err
	}
	rows := [][]any{{"列 Column", "必填 Required", "说明 Rule"}}
	for _, c := range AssetColumns {
		if !c.Computed {
			rows = append(rows, []any{c.Header(), yesNo(c.Required), c.Note})
		}
	}
	rows = append(rows, []any{}, []any{"导入规则 Import", "", "整表校验：任一单元格有错则全部不导入，并逐行逐列列出错误。/ All or nothing: any error rejects the whole sheet, and every error is listed by row and column."})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("说明 Notes", cell, &r); err != nil {
			return err
		}
	}
	return f.Write(w)
}

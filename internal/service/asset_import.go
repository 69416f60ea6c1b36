package service

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// maxImportErrors bounds the errors one import reports; a sheet with more
// is mostly wrong and the first ones say how.
const maxImportErrors = 500

// assetFieldColumn maps a validation field to the import column it came
// from.
var assetFieldColumn = map[string]string{
	"confidentiality": "c", "integrity": "i", "availability": "a", "department_id": "department", "owner_id": "owner",
	"custodian_id": "custodian", "user_id": "user", "parent_id": "parent",
}

// importHeader normalizes a heading for matching: no marks, spaces or
// case.
func importHeader(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "*")))
	return strings.Join(strings.Fields(s), "")
}

// assetImportColumns maps the sheet's columns to AssetColumns keys. A
// heading may be the template's ("编号 Code"), its Chinese or English
// half, or the key. Computed columns of an export are skipped.
func assetImportColumns(header []string) ([]string, error) {
	var p isms.Problems
	known := map[string]export.AssetColumn{}
	for _, c := range export.AssetColumns {
		for _, h := range []string{c.Header(), c.ZH, c.EN, c.Key} {
			known[importHeader(h)] = c
		}
	}
	keys := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		if strings.TrimSpace(h) == "" {
			continue
		}
		c, ok := known[importHeader(h)]
		switch {
		case !ok:
			p.Add(cellName(1, i+1), "asset.import_header", "col", colLetter(i), "value", h)
		case seen[c.Key]:
			p.Add(cellName(1, i+1), "asset.import_header_twice", "col", colLetter(i), "value", h)
		case !c.Computed:
			keys[i] = c.Key
		}
		seen[c.Key] = true
	}
	for _, c := range export.AssetColumns {
		if c.Required && !seen[c.Key] {
			p.Add("file", "asset.import_missing_column", "value", c.Header())
		}
	}
	return keys, p.Err()
}

// colLetter is a column's spreadsheet letter: 0 → A, 26 → AA.
func colLetter(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// ImportAssetsXLSX reads the first sheet of an uploaded workbook and
// imports it (ImportAssets).
func (s *Service) ImportAssetsXLSX(ctx context.Context, a isms.Actor, r io.Reader) (int, error) {
	if err := a.Require(isms.ActManageAssets); err != nil {
		return 0, err
	}
	sheet, err := export.ReadSheet(r)
	if err != nil {
		return 0, err
	}
	return s.ImportAssets(ctx, a, sheet)
}

// ImportAssets adds the assets of a sheet whose first row names the
// columns (export.AssetColumns). It is all or nothing: every problem is
// reported as row, column and rule, and nothing is written unless there
// are none. Codes must be new; parents may be existing assets or rows of
// the same sheet. The trail gets one entry with the count and the codes.
func (s *Service) ImportAssets(ctx context.Context, a isms.Actor, sheet [][]string) (int, error) {
	if err := a.Require(isms.ActManageAssets); err != nil {
		return 0, err
	}
	if len(sheet) < 2 {
		return 0, isms.Invalid("file", isms.M("asset.import_empty"))
	}
	keys, err := assetImportColumns(sheet[0])
	if err != nil {
		return 0, err
	}
	lk, err := s.assetLookups(ctx, a.OrgID)
	if err != nil {
		return 0, err
	}
	var p isms.Problems
	errs := 0
	bad := func(row, col int, value string, rule isms.Msg) {
		errs++
		if errs <= maxImportErrors {
			p.Add(cellName(row, col+1), "asset.import_cell", "row", row, "col", colLetter(col)+" "+sheet[0][col],
				"value", value, "rule", rule)
		}
	}
	colOf := map[string]int{}
	for i, k := range keys {
		if k != "" {
			colOf[k] = i
		}
	}
	type pending struct {
		x      isms.Asset
		parent string // parent code
		row    int
	}
	var rows []pending
	inFile := map[string]int{} // code → row
	for i, raw := range sheet[1:] {
		rn := i + 2
		get := func(k string) string {
			if c, ok := colOf[k]; ok && c < len(raw) {
				return strings.TrimSpace(raw[c])
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(raw, "")) == "" {
			continue
		}
		x := isms.Asset{ID: newID(), OrgID: a.OrgID, Code: get("code"), Name: get("name"), Description: get("description"),
			Location: get("location"), Classification: get("classification"), Serial: get("serial"), IP: get("ip"),
			MAC: get("mac"), Status: isms.AssetInUse}
		if t, ok := lk.types[strings.ToLower(get("type"))]; ok {
			x.Type = t
		} else if v := get("type"); v != "" {
			bad(rn, colOf["type"], v, isms.M("asset.unknown_type"))
			x.Type = isms.AssetTypes[0] // reported; keep checking the rest
		}
		ints := []struct {
			key string
			to  *int
		}{{"c", &x.C}, {"i", &x.I}, {"a", &x.A}, {"replacement_cost", &x.ReplacementCost}, {"importance", &x.Importance}}
		numBad := map[string]bool{}
		for _, f := range ints {
			v := get(f.key)
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
			if err != nil {
				bad(rn, colOf[f.key], v, isms.M("field.bad_number"))
				numBad[f.key] = true
				continue
			}
			*f.to = n
		}
		if v := get("department"); v != "" {
			if d, ok := lk.depts[v]; ok {
				x.DeptID = d
			} else {
				bad(rn, colOf["department"], v, isms.M("asset.unknown_department"))
			}
		}
		for _, f := range []struct {
			key string
			to  *string
		}{{"owner", &x.OwnerID}, {"custodian", &x.CustodianID}, {"user", &x.UserID}} {
			v := get(f.key)
			if v == "" {
				continue
			}
			id, msg := lk.person(v)
			if msg != nil {
				bad(rn, colOf[f.key], v, *msg)
				continue
			}
			*f.to = id
		}
		if v := get("classified"); v != "" {
			switch strings.ToLower(v) {
			case "是", "yes", "y", "true", "1", "涉密":
				x.Classified = true
			case "否", "no", "n", "false", "0", "非涉密":
			default:
				bad(rn, colOf["classified"], v, isms.M("asset.bad_yes_no"))
			}
		}
		x.Normalize()
		if x.OwnerID != "" {
			x.OwnerSince = lk.today
		}
		if err := x.Validate(lk.settings.Classifications); err != nil {
			for _, fe := range isms.AsError(err).Fields {
				key := fe.Field
				if k, ok := assetFieldColumn[key]; ok {
					key = k
				}
				if numBad[key] {
					continue
				}
				c, ok := colOf[key]
				if !ok { // a required column that is absent was reported with the header
					continue
				}
				bad(rn, c, get(key), fe.Msg)
			}
		}
		if x.Code != "" {
			if _, ok := lk.codes[strings.ToLower(x.Code)]; ok {
				bad(rn, colOf["code"], x.Code, isms.M("asset.code_taken"))
			} else if first, ok := inFile[strings.ToLower(x.Code)]; ok {
				bad(rn, colOf["code"], x.Code, isms.M("asset.code_twice", "row", first))
			} else {
				inFile[strings.ToLower(x.Code)] = rn
			}
		}
		lk.settings.Evaluate(&x)
		rows = append(rows, pending{x: x, parent: get("parent"), row: rn})
	}
	if len(rows) == 0 {
		return 0, isms.Invalid("file", isms.M("asset.import_empty"))
	}
	// Parents: an existing asset or a row of the sheet.
	idOf := map[string]string{}
	for _, r := range rows {
		idOf[strings.ToLower(r.x.Code)] = r.x.ID
	}
	for i := range rows {
		r := &rows[i]
		if r.parent == "" {
			continue
		}
		code := strings.ToLower(r.parent)
		switch {
		case code == strings.ToLower(r.x.Code):
			bad(r.row, colOf["parent"], r.parent, isms.M("asset.parent_self"))
		case lk.codes[code] != "":
			r.x.ParentID = lk.codes[code]
		case idOf[code] != "":
			r.x.ParentID = idOf[code]
		default:
			bad(r.row, colOf["parent"], r.parent, isms.M("asset.parent_missing"))
		}
	}
	// Order rows so that each parent is inserted before its children; what
	// cannot be ordered is a cycle.
	var ordered []isms.Asset
	placed := map[string]bool{}
	for left := rows; len(left) > 0; {
		var next []pending
		for _, r := range left {
			if r.x.ParentID == "" || placed[r.x.ParentID] || idOf[strings.ToLower(r.parent)] == "" {
				ordered = append(ordered, r.x)
				placed[r.x.ID] = true
			} else {
				next = append(next, r)
			}
		}
		if len(next) == len(left) {
			for _, r := range next {
				bad(r.row, colOf["parent"], r.parent, isms.M("asset.parent_cycle"))
			}
			break
		}
		left = next
	}
	if errs > maxImportErrors {
		p.Add("file", "asset.import_more_errors", "n", errs-maxImportErrors)
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	now := s.clock.Now()
	codes := make([]string, len(ordered))
	for i := range ordered {
		ordered[i].CreatedAt, ordered[i].UpdatedAt = now, now
		codes[i] = ordered[i].Code
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateAssets(ctx, ordered); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "asset.import", EntityType: "organization", EntityID: a.OrgID,
			Summary: fmt.Sprintf("%d", len(ordered)), Data: map[string]any{"count": len(ordered), "codes": codes}})
	})
	if err != nil {
		return 0, err
	}
	return len(ordered), nil
}

// assetLookups are the names an import resolves.
type assetLookups struct {
	settings isms.AssetSettings
	today    string
	types    map[string]string // lower-case code, Chinese or English name → type
	depts    map[string]string // name → ID
	people   map[string][]store.PersonRef
	codes    map[string]string // lower-case code → ID of the existing assets
}

func (s *Service) assetLookups(ctx context.Context, orgID string) (assetLookups, error) {
	lk := assetLookups{types: map[string]string{}, depts: map[string]string{}, people: map[string][]store.PersonRef{}, codes: map[string]string{}}
	for _, t := range isms.AssetTypes {
		n := isms.AssetTypeNames[t]
		lk.types[t], lk.types[n[0]], lk.types[strings.ToLower(n[1])] = t, t, t
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if lk.settings, err = assetSettings(ctx, tx, orgID); err != nil {
			return err
		}
		if lk.today, err = s.orgToday(ctx, tx, orgID); err != nil {
			return err
		}
		depts, err := tx.DepartmentsByName(ctx, orgID)
		for name, d := range depts {
			lk.depts[name] = d.ID
		}
		return err
	})
	if err != nil {
		return lk, err
	}
	people, err := s.st.PeopleRefs(ctx, orgID)
	if err != nil {
		return lk, err
	}
	for _, p := range people {
		lk.people[p.Name] = append(lk.people[p.Name], p)
		if p.EmployeeNo != "" && p.EmployeeNo != p.Name {
			lk.people[p.EmployeeNo] = append(lk.people[p.EmployeeNo], p)
		}
	}
	ids, err := s.st.AssetCodes(ctx, orgID)
	for id, code := range ids {
		lk.codes[strings.ToLower(code)] = id
	}
	return lk, err
}

// person resolves a name or employee number to a current person.
func (lk assetLookups) person(v string) (string, *isms.Msg) {
	var current []store.PersonRef
	for _, p := range lk.people[v] {
		if p.Current {
			current = append(current, p)
		}
	}
	switch {
	case len(current) == 1:
		return current[0].ID, nil
	case len(current) > 1:
		m := isms.M("asset.person_ambiguous")
		return "", &m
	case len(lk.people[v]) > 0:
		m := isms.M("ref.person_inactive")
		return "", &m
	}
	m := isms.M("asset.unknown_person")
	return "", &m
}

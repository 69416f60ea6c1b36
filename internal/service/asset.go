package service

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// The asset register (资产管理): assets with their C/I/A values, the value
// and important flag the organization's settings compute, and the two
// named views — the important-asset list (重要资产清单) and the computer
// register (计算机地址分配表). Lifecycle steps are in asset_event.go,
// the XLSX import in asset_import.go.

const assetSettingsName = "assets"

// The stored settings are read over the defaults, so an organization
// that never saved them (or saved them before a field existed) gets the
// seeds' rules.
func assetSettings(ctx context.Context, tx *store.Tx, orgID string) (isms.AssetSettings, error) {
	as := isms.DefaultAssetSettings()
	_, err := tx.Setting(ctx, orgID, assetSettingsName, &as)
	as.Fill()
	return as, err
}

// AssetSettings reads the organization's asset settings.
func (s *Service) AssetSettings(ctx context.Context, a isms.Actor) (isms.AssetSettings, error) {
	as := isms.DefaultAssetSettings()
	if err := a.Require(isms.ActViewAssets); err != nil {
		return as, err
	}
	_, err := s.st.Setting(ctx, a.OrgID, assetSettingsName, &as)
	as.Fill()
	return as, err
}

// SetAssetSettings stores the settings and recomputes every asset's value
// and important flag in the same transaction; the trail gets one entry
// with the settings before and after and how many assets changed.
func (s *Service) SetAssetSettings(ctx context.Context, a isms.Actor, as isms.AssetSettings) (isms.AssetSettings, int, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return as, 0, err
	}
	as.Fill()
	if err := as.Validate(); err != nil {
		return as, 0, err
	}
	changed := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		old, err := assetSettings(ctx, tx, a.OrgID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		if err := tx.SetSetting(ctx, a.OrgID, assetSettingsName, as, now); err != nil {
			return err
		}
		all, err := tx.OrgAssets(ctx, a.OrgID)
		if err != nil {
			return err
		}
		var diff []isms.Asset
		for _, x := range all {
			v, imp := x.Value, x.Important
			as.Evaluate(&x)
			if x.Value != v || x.Important != imp {
				diff = append(diff, x)
			}
		}
		if err := tx.SetAssetValues(ctx, diff, now); err != nil {
			return err
		}
		changed = len(diff)
		ids := make([]string, len(diff))
		for i, x := range diff {
			ids[i] = x.ID
		}
		if _, err := s.recomputeAssets(ctx, tx, a, a.OrgID, ids); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "asset.settings", EntityType: "organization", EntityID: a.OrgID,
			Summary: fmt.Sprintf("%d/%d", changed, len(all)),
			Data:    map[string]any{"before": old, "after": as, "assets": len(all), "changed": changed}})
	})
	return as, changed, err
}

// AssetList is a page of the register.
type AssetList struct {
	Assets []isms.Asset `json:"assets"`
	Total  int          `json:"total"`
	Offset int          `json:"offset"`
	Limit  int          `json:"limit"`
}

// checkAssetFilter refuses filter values outside their sets.
func checkAssetFilter(f *isms.AssetFilter) error {
	var p isms.Problems
	check := func(field, v string, set []string) {
		if v != "" && !slices.Contains(set, v) {
			p.Add(field, "field.one_of", "values", strings.Join(set, ", "))
		}
	}
	check("type", f.Type, isms.AssetTypes)
	check("layer", f.Layer, []string{"business", "system", "component"})
	check("status", f.Status, isms.AssetStatuses)
	check("sort", f.Sort, isms.AssetSorts)
	if f.DeptID != "" && !isms.ValidID(f.DeptID) {
		p.Add("department_id", "field.bad_id")
	}
	if f.OwnerID != "" && !isms.ValidID(f.OwnerID) {
		p.Add("owner_id", "field.bad_id")
	}
	if f.Offset < 0 || f.Offset > 1_000_000 {
		p.Add("offset", "field.range", "min", 0, "max", 1_000_000)
	}
	if f.MinValue < 0 || f.MinValue > 5 {
		p.Add("min_value", "field.range", "min", 0, "max", 5)
	}
	f.Limit = isms.ClampLimit(f.Limit)
	return p.Err()
}

// ListAssets lists a page of the organization's register.
func (s *Service) ListAssets(ctx context.Context, a isms.Actor, f isms.AssetFilter) (AssetList, error) {
	if err := a.Require(isms.ActViewAssets); err != nil {
		return AssetList{}, err
	}
	f.OrgID = a.OrgID
	if err := checkAssetFilter(&f); err != nil {
		return AssetList{}, err
	}
	xs, total, err := s.st.ListAssets(ctx, f)
	if xs == nil {
		xs = []isms.Asset{}
	}
	return AssetList{Assets: xs, Total: total, Offset: f.Offset, Limit: f.Limit}, err
}

// Asset reads one asset of the actor's organization.
func (s *Service) Asset(ctx context.Context, a isms.Actor, id string) (isms.Asset, error) {
	if err := a.Require(isms.ActViewAssets); err != nil {
		return isms.Asset{}, err
	}
	if !isms.ValidID(id) {
		return isms.Asset{}, isms.NotFound("asset")
	}
	x, err := s.st.Asset(ctx, id)
	if err == nil && x.OrgID != a.OrgID {
		err = isms.NotFound("asset")
	}
	return x, err
}

// AssetByCode reads an asset of the actor's organization by its code.
func (s *Service) AssetByCode(ctx context.Context, a isms.Actor, code string) (isms.Asset, error) {
	if err := a.Require(isms.ActViewAssets); err != nil {
		return isms.Asset{}, err
	}
	return s.st.AssetByCode(ctx, a.OrgID, strings.TrimSpace(code))
}

// assetForChange reads an asset of the actor's organization in tx.
func assetForChange(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Asset, error) {
	if !isms.ValidID(id) {
		return isms.Asset{}, isms.NotFound("asset")
	}
	x, err := tx.Asset(ctx, id)
	if err == nil && x.OrgID != a.OrgID {
		err = isms.NotFound("asset")
	}
	return x, err
}

// checkAssetRefs checks an asset's department, people and parent; a
// parent must not be the asset itself or one of its descendants.
func checkAssetRefs(ctx context.Context, tx *store.Tx, x *isms.Asset) error {
	if _, err := liveDept(ctx, tx, x.OrgID, "department_id", x.DeptID); err != nil {
		return err
	}
	for _, f := range [][2]string{{"owner_id", x.OwnerID}, {"custodian_id", x.CustodianID}, {"user_id", x.UserID}} {
		if err := livePerson(ctx, tx, x.OrgID, f[0], f[1]); err != nil {
			return err
		}
	}
	for id, hops := x.ParentID, 0; id != ""; hops++ {
		if id == x.ID || hops > 50 {
			return isms.Invalid("parent_id", isms.M("asset.parent_cycle"))
		}
		p, err := tx.Asset(ctx, id)
		if isms.ErrorCode(err) == isms.CodeNotFound || err == nil && p.OrgID != x.OrgID {
			return isms.Invalid("parent_id", isms.M("asset.parent_missing"))
		}
		if err != nil {
			return err
		}
		id = p.ParentID
	}
	return nil
}

// CreateAsset registers an asset. A new asset starts in use, or pending
// acceptance (验收) when pending is asked for.
func (s *Service) CreateAsset(ctx context.Context, a isms.Actor, in isms.Asset) (isms.Asset, error) {
	if err := a.Require(isms.ActManageAssets); err != nil {
		return in, err
	}
	x := in
	x.ID, x.OrgID = newID(), a.OrgID
	x.Normalize()
	if x.Status != isms.AssetPending {
		x.Status = isms.AssetInUse
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		as, err := checkAsset(ctx, tx, &x)
		if err != nil {
			return err
		}
		if x.OwnerID != "" && x.OwnerSince == "" {
			if x.OwnerSince, err = s.orgToday(ctx, tx, a.OrgID); err != nil {
				return err
			}
		}
		as.Evaluate(&x)
		x.CreatedAt = s.clock.Now()
		x.UpdatedAt = x.CreatedAt
		if err := tx.CreateAsset(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "asset.create", EntityType: "asset", EntityID: x.ID,
			Summary: x.Code + " " + x.Name, Data: x})
	})
	return x, err
}

// checkAsset validates an asset against its organization's settings and
// checks what it refers to; it returns the settings for evaluating it.
func checkAsset(ctx context.Context, tx *store.Tx, x *isms.Asset) (isms.AssetSettings, error) {
	as, err := assetSettings(ctx, tx, x.OrgID)
	if err != nil {
		return as, err
	}
	if err := x.Validate(as.Classifications); err != nil {
		return as, err
	}
	return as, checkAssetRefs(ctx, tx, x)
}

// UpdateAsset changes an asset's description and values. The owner and
// the status change only through lifecycle steps (an owner change is
// filed, a transfer approved), so those fields are kept as they are.
func (s *Service) UpdateAsset(ctx context.Context, a isms.Actor, id string, in isms.Asset) (isms.Asset, error) {
	if err := a.Require(isms.ActManageAssets); err != nil {
		return in, err
	}
	var x isms.Asset
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		old, err := assetForChange(ctx, tx, a, id)
		if err != nil {
			return err
		}
		x = in
		x.ID, x.OrgID, x.CreatedAt = old.ID, old.OrgID, old.CreatedAt
		x.Normalize()
		if x.OwnerID != "" && x.OwnerID != old.OwnerID {
			return isms.Invalid("owner_id", isms.M("asset.owner_via_event"))
		}
		x.OwnerID, x.OwnerSince, x.Status = old.OwnerID, old.OwnerSince, old.Status
		as, err := checkAsset(ctx, tx, &x)
		if err != nil {
			return err
		}
		as.Evaluate(&x)
		x.UpdatedAt = s.clock.Now()
		if err := tx.UpdateAsset(ctx, &x); err != nil {
			return err
		}
		if x.Value != old.Value {
			if _, err := s.recomputeAssets(ctx, tx, a, a.OrgID, []string{x.ID}); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "asset.update", EntityType: "asset", EntityID: x.ID,
			Summary: x.Code + " " + x.Name, Data: map[string]any{"before": old, "after": x}})
	})
	return x, err
}

// AssetHistory is the trail of an asset: its edits and steps.
func (s *Service) AssetHistory(ctx context.Context, a isms.Actor, id string) ([]isms.AuditEntry, error) {
	if _, err := s.Asset(ctx, a, id); err != nil {
		return nil, err
	}
	return s.st.ListAudit(ctx, isms.AuditFilter{OrgID: a.OrgID, EntityType: "asset", EntityID: id, Limit: isms.MaxPageSize})
}

// AssetViews are the register's named views.
var AssetViews = []string{"", "important", "computers"}

// AssetsXLSX writes the register under the filter as a workbook, page by
// page: view "important" is the important-asset list, "computers" the
// computer register. ready is called once everything is checked, before
// the first byte, so the caller can set its headers.
func (s *Service) AssetsXLSX(ctx context.Context, a isms.Actor, f isms.AssetFilter, view string, ready func(), w io.Writer) error {
	if err := a.Require(isms.ActViewAssets); err != nil {
		return err
	}
	var keys []string
	switch view {
	case "":
	case "important":
		f.Important, keys = true, export.ImportantAssetKeys
	case "computers":
		f.Computers, keys = true, export.ComputerKeys
	default:
		return isms.Invalid("view", isms.M("field.one_of", "values", "important, computers"))
	}
	f.OrgID = a.OrgID
	if err := checkAssetFilter(&f); err != nil {
		return err
	}
	cols := export.AssetColumnsFor(keys)
	names, err := s.assetNames(ctx, a.OrgID, slices.ContainsFunc(cols, func(c export.AssetColumn) bool { return c.Key == "parent" }))
	if err != nil {
		return err
	}
	f.Limit, f.Offset = isms.MaxPageSize, 0
	ready()
	done := false
	return export.Assets(w, cols, func() ([]isms.Asset, error) {
		if done {
			return nil, nil
		}
		page, _, err := s.st.ListAssets(ctx, f)
		f.Offset += len(page)
		done = len(page) < f.Limit
		return page, err
	}, names)
}

// assetNames resolves the references a sheet or page shows by name; the
// codes of every asset (for a parent column) only when asked.
func (s *Service) assetNames(ctx context.Context, orgID string, codes bool) (export.AssetNames, error) {
	n := export.AssetNames{Departments: map[string]string{}, People: map[string]string{}}
	depts, err := s.st.ListDepartments(ctx, isms.ListFilter{OrgID: orgID, Status: "all", Limit: isms.MaxPageSize})
	if err != nil {
		return n, err
	}
	for _, d := range depts {
		n.Departments[d.ID] = d.Name
	}
	people, err := s.st.PeopleRefs(ctx, orgID)
	if err != nil {
		return n, err
	}
	for _, p := range people {
		n.People[p.ID] = p.Name
	}
	if codes {
		n.Codes, err = s.st.AssetCodes(ctx, orgID)
	}
	return n, err
}

// AssetNames resolves department and people names for pages.
func (s *Service) AssetNames(ctx context.Context, a isms.Actor) (export.AssetNames, error) {
	if err := a.Require(isms.ActViewAssets); err != nil {
		return export.AssetNames{}, err
	}
	return s.assetNames(ctx, a.OrgID, false)
}

// AssetLabels names the given assets of the actor's organization:
// "code name" by ID, in one query.
func (s *Service) AssetLabels(ctx context.Context, a isms.Actor, ids ...string) (map[string]string, error) {
	if !a.Can(isms.ActViewRisks) {
		if err := a.Require(isms.ActViewAssets); err != nil {
			return nil, err
		}
	}
	codes, names, err := s.st.AssetLabels(ctx, a.OrgID, dedupe(ids))
	out := make(map[string]string, len(codes))
	for id, c := range codes {
		out[id] = c + " " + names[id]
	}
	return out, err
}

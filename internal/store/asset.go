package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"openisms/internal/isms"
)

const assetColumns = `x.id, x.org_id, x.code, x.name, x.type, x.description, coalesce(x.dept_id, ''), coalesce(x.owner_id, ''),
	coalesce(x.custodian_id, ''), x.location, x.classification, x.c, x.i, x.a, x.replacement_cost, x.importance, x.value,
	x.important, coalesce(x.parent_id, ''), x.status, x.serial, x.ip, x.mac, coalesce(x.user_id, ''), x.classified,
	x.owner_since, x.created_at, x.updated_at`

func scanAsset(row interface{ Scan(...any) error }, x *isms.Asset) error {
	err := row.Scan(&x.ID, &x.OrgID, &x.Code, &x.Name, &x.Type, &x.Description, &x.DeptID, &x.OwnerID, &x.CustodianID,
		&x.Location, &x.Classification, &x.C, &x.I, &x.A, &x.ReplacementCost, &x.Importance, &x.Value, &x.Important,
		&x.ParentID, &x.Status, &x.Serial, &x.IP, &x.MAC, &x.UserID, &x.Classified, &x.OwnerSince, &x.CreatedAt, &x.UpdatedAt)
	x.CreatedAt, x.UpdatedAt = isms.Normalize(x.CreatedAt), isms.Normalize(x.UpdatedAt)
	return err
}

func queryAssets(ctx context.Context, q queryer, query string, args ...any) ([]isms.Asset, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Asset
	for rows.Next() {
		var x isms.Asset
		if err := scanAsset(rows, &x); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

func getAsset(ctx context.Context, q queryer, id string) (isms.Asset, error) {
	var x isms.Asset
	err := scanAsset(q.QueryRowContext(ctx, `SELECT `+assetColumns+` FROM assets x WHERE x.id = $1`, id), &x)
	return x, notFound(err, "asset")
}

// Asset reads one asset.
func (s *Store) Asset(ctx context.Context, id string) (isms.Asset, error) {
	return getAsset(ctx, s.read, id)
}

// Asset reads one asset in the transaction.
func (tx *Tx) Asset(ctx context.Context, id string) (isms.Asset, error) {
	return getAsset(ctx, tx.tx, id)
}

// assetFilter turns the register's filter into conditions.
func assetFilter(f isms.AssetFilter) *where {
	w := newWhere()
	w.add("x.org_id = ?", f.OrgID)
	if f.Type != "" {
		w.add("x.type = ?", f.Type)
	}
	if f.Layer != "" {
		var types []string
		for _, t := range isms.AssetTypes {
			if isms.AssetLayer(t) == f.Layer {
				types = append(types, t)
			}
		}
		w.conds = append(w.conds, "x.type IN ("+placeholders(w, types)+")")
	}
	if f.DeptID != "" {
		w.add("x.dept_id = ?", f.DeptID)
	}
	if f.OwnerID != "" {
		w.add("x.owner_id = ?", f.OwnerID)
	}
	if f.Status != "" {
		w.add("x.status = ?", f.Status)
	} else if f.Important || f.Computers {
		w.add("x.status <> ?", isms.AssetScrapped)
	}
	if f.Classification != "" {
		w.add("x.classification = ?", f.Classification)
	}
	if f.Important {
		w.add("x.important = ?", true)
	}
	if f.Computers {
		w.add("x.type = ?", "hardware")
	}
	if f.MinValue > 0 {
		w.add("x.value >= ?", f.MinValue)
	}
	if text := strings.TrimSpace(f.Text); text != "" {
		p := like(text)
		w.add(`(lower(x.code) LIKE ? ESCAPE '\' OR lower(x.name) LIKE ? ESCAPE '\' OR x.ip LIKE ? ESCAPE '\' OR lower(x.serial) LIKE ? ESCAPE '\')`,
			p, p, p, p)
	}
	return w
}

// assetOrder is the ORDER BY of a sort choice; the code breaks ties, so
// pages never overlap.
func assetOrder(sort string, desc bool) string {
	col := map[string]string{"name": "x.name", "value": "x.value", "type": "x.type", "updated": "x.updated_at"}[sort]
	dir := ""
	if desc {
		dir = " DESC"
	}
	if col == "" {
		return " ORDER BY x.code" + dir
	}
	return " ORDER BY " + col + dir + ", x.code"
}

// ListAssets lists a page of the register and how many assets match.
func (s *Store) ListAssets(ctx context.Context, f isms.AssetFilter) ([]isms.Asset, int, error) {
	w := assetFilter(f)
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM assets x`+w.sql(), w.args...).Scan(&total); err != nil {
		return nil, 0, mapErr(err)
	}
	out, err := queryAssets(ctx, s.read, `SELECT `+assetColumns+` FROM assets x`+w.sql()+assetOrder(f.Sort, f.Desc)+
		` LIMIT `+w.limit(f.Limit)+` OFFSET `+itoa(max(0, f.Offset)), w.args...)
	return out, total, err
}

// AssetLabels maps the given assets of an organization to their codes
// and names, in one query per 500 IDs (lists that name a page's assets).
func (s *Store) AssetLabels(ctx context.Context, orgID string, ids []string) (codes, names map[string]string, err error) {
	codes, names = map[string]string{}, map[string]string{}
	for start := 0; start < len(ids); start += 500 {
		// By primary key only: with the organization in the condition
		// the planner may walk the organization's index instead, reading
		// every asset. Rows of other organizations are skipped here.
		w := newWhere()
		w.conds = append(w.conds, "id IN ("+placeholders(w, ids[start:min(start+500, len(ids))])+")")
		rows, err := s.read.QueryContext(ctx, `SELECT id, org_id, code, name FROM assets`+w.sql(), w.args...)
		if err != nil {
			return nil, nil, mapErr(err)
		}
		for rows.Next() {
			var id, org, code, name string
			if err := rows.Scan(&id, &org, &code, &name); err != nil {
				rows.Close()
				return nil, nil, mapErr(err)
			}
			if org == orgID {
				codes[id], names[id] = code, name
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, mapErr(err)
		}
	}
	return codes, names, nil
}

// OrgAssets reads every asset of an organization in the transaction, by
// code (imports and recomputation).
func (tx *Tx) OrgAssets(ctx context.Context, orgID string) ([]isms.Asset, error) {
	return queryAssets(ctx, tx.tx, `SELECT `+assetColumns+` FROM assets x WHERE x.org_id = $1 ORDER BY x.code`, orgID)
}

func assetConflict(err error) error {
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("code", isms.M("asset.code_taken"))
	}
	return mapErr(err)
}

func assetArgs(x *isms.Asset) []any {
	return []any{x.ID, x.OrgID, x.Code, x.Name, x.Type, x.Description, nullStr(x.DeptID), nullStr(x.OwnerID),
		nullStr(x.CustodianID), x.Location, x.Classification, x.C, x.I, x.A, x.ReplacementCost, x.Importance, x.Value,
		x.Important, nullStr(x.ParentID), x.Status, x.Serial, x.IP, x.MAC, nullStr(x.UserID), x.Classified, x.OwnerSince,
		x.CreatedAt, x.UpdatedAt}
}

const assetInsert = `INSERT INTO assets (id, org_id, code, name, type, description, dept_id, owner_id, custodian_id, location,
	classification, c, i, a, replacement_cost, importance, value, important, parent_id, status, serial, ip, mac, user_id,
	classified, owner_since, created_at, updated_at) VALUES `

// assetFields is how many columns assetArgs fills.
const assetFields = 28

// CreateAsset inserts an asset.
func (tx *Tx) CreateAsset(ctx context.Context, x *isms.Asset) error {
	return tx.CreateAssets(ctx, []isms.Asset{*x})
}

// CreateAssets inserts assets in multi-row statements (imports of
// thousands of rows).
func (tx *Tx) CreateAssets(ctx context.Context, xs []isms.Asset) error {
	if tx.engine == SQLite {
		// SQLite looks each $N up in a list as it parses, so a statement
		// of thousands of parameters parses in quadratic time; a
		// prepared one-row insert costs no round trip here.
		stmt, err := tx.tx.PrepareContext(ctx, assetInsert+"("+paramList(0, assetFields)+")")
		if err != nil {
			return mapErr(err)
		}
		defer stmt.Close()
		for i := range xs {
			if _, err := stmt.ExecContext(ctx, assetArgs(&xs[i])...); err != nil {
				return assetConflict(err)
			}
		}
		return nil
	}
	const batch = 200 // 200 × 28 parameters stays well under both engines' limits
	for start := 0; start < len(xs); start += batch {
		part := xs[start:min(start+batch, len(xs))]
		var b strings.Builder
		b.WriteString(assetInsert)
		args := make([]any, 0, len(part)*assetFields)
		for i := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + paramList(len(args), assetFields) + ")")
			args = append(args, assetArgs(&part[i])...)
		}
		if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
			return assetConflict(err)
		}
	}
	return nil
}

// UpdateAsset writes every field of an asset.
func (tx *Tx) UpdateAsset(ctx context.Context, x *isms.Asset) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE assets SET code = $3, name = $4, type = $5, description = $6, dept_id = $7,
		owner_id = $8, custodian_id = $9, location = $10, classification = $11, c = $12, i = $13, a = $14,
		replacement_cost = $15, importance = $16, value = $17, important = $18, parent_id = $19, status = $20, serial = $21,
		ip = $22, mac = $23, user_id = $24, classified = $25, owner_since = $26, updated_at = $27
		WHERE id = $1 AND org_id = $2`, append(assetArgs(x)[:assetFields-2], x.UpdatedAt)...)
	return assetConflict(err)
}

// SetAssetValues stores recomputed values and important flags, id by id.
func (tx *Tx) SetAssetValues(ctx context.Context, xs []isms.Asset, at time.Time) error {
	stmt, err := tx.tx.PrepareContext(ctx, `UPDATE assets SET value = $2, important = $3, updated_at = $4 WHERE id = $1`)
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	for _, x := range xs {
		if _, err := stmt.ExecContext(ctx, x.ID, x.Value, x.Important, at); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// AssetChildren counts the assets whose parent is id.
func (tx *Tx) AssetChildren(ctx context.Context, id string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM assets WHERE parent_id = $1`, id).Scan(&n)
	return n, mapErr(err)
}

const assetEventColumns = `id, org_id, asset_id, kind, event_date, note, details, status, late, filed_by_id, filed_by, filed_at,
	approval_id, decided_by, decided_at, record_id`

func queryAssetEvents(ctx context.Context, q queryer, query string, args ...any) ([]isms.AssetEvent, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.AssetEvent{}
	for rows.Next() {
		var e isms.AssetEvent
		var details string
		var decided nullTimeCol
		if err := rows.Scan(&e.ID, &e.OrgID, &e.AssetID, &e.Kind, &e.Date, &e.Note, &details, &e.Status, &e.Late,
			&e.FiledByID, &e.FiledBy, &e.FiledAt, &e.ApprovalID, &e.DecidedBy, &decided, &e.RecordID); err != nil {
			return nil, mapErr(err)
		}
		if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
			return nil, err
		}
		e.FiledAt, e.DecidedAt = isms.Normalize(e.FiledAt), decided.ptr()
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

// AssetEvents lists an asset's lifecycle steps, oldest first.
func (s *Store) AssetEvents(ctx context.Context, assetID string) ([]isms.AssetEvent, error) {
	return queryAssetEvents(ctx, s.read, `SELECT `+assetEventColumns+` FROM asset_events WHERE asset_id = $1
		ORDER BY filed_at, id`, assetID)
}

// AssetEvent reads one step in the transaction.
func (tx *Tx) AssetEvent(ctx context.Context, id string) (isms.AssetEvent, error) {
	es, err := queryAssetEvents(ctx, tx.tx, `SELECT `+assetEventColumns+` FROM asset_events WHERE id = $1`, id)
	if err == nil && len(es) == 0 {
		err = isms.NotFound("asset_event")
	}
	if err != nil {
		return isms.AssetEvent{}, err
	}
	return es[0], nil
}

// PendingAssetEvents lists an asset's steps waiting for approval.
func (tx *Tx) PendingAssetEvents(ctx context.Context, assetID string) ([]isms.AssetEvent, error) {
	return queryAssetEvents(ctx, tx.tx, `SELECT `+assetEventColumns+` FROM asset_events WHERE asset_id = $1 AND status = $2`,
		assetID, isms.EventPending)
}

// LateOwnerChanges lists an organization's owner changes filed late,
// newest first.
func (s *Store) LateOwnerChanges(ctx context.Context, orgID string, limit int) ([]isms.AssetEvent, error) {
	return queryAssetEvents(ctx, s.read, `SELECT `+assetEventColumns+` FROM asset_events
		WHERE org_id = $1 AND kind = $2 AND late = $3 ORDER BY filed_at DESC LIMIT `+itoa(isms.ClampLimit(limit)),
		orgID, isms.EventOwnerChange, true)
}

// CreateAssetEvent inserts a step.
func (tx *Tx) CreateAssetEvent(ctx context.Context, e *isms.AssetEvent) error {
	details, err := json.Marshal(e.Details)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO asset_events (`+assetEventColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		e.ID, e.OrgID, e.AssetID, e.Kind, e.Date, e.Note, string(details), e.Status, e.Late, e.FiledByID, e.FiledBy, e.FiledAt,
		e.ApprovalID, e.DecidedBy, timePtr(e.DecidedAt), e.RecordID)
	return mapErr(err)
}

// UpdateAssetEvent writes a step's status, decision and record.
func (tx *Tx) UpdateAssetEvent(ctx context.Context, e *isms.AssetEvent) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE asset_events SET status = $2, approval_id = $3, decided_by = $4, decided_at = $5,
		record_id = $6 WHERE id = $1`, e.ID, e.Status, e.ApprovalID, e.DecidedBy, timePtr(e.DecidedAt), e.RecordID)
	return mapErr(err)
}

// PersonRef is what imports and lists need of a person.
type PersonRef struct {
	ID, Name, EmployeeNo string
	Current              bool // active and not archived
}

// PeopleRefs lists an organization's people, for name lookups.
func (s *Store) PeopleRefs(ctx context.Context, orgID string) ([]PersonRef, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, employee_no, status, archived_at FROM people WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []PersonRef
	for rows.Next() {
		var p PersonRef
		var status string
		var archived nullTimeCol
		if err := rows.Scan(&p.ID, &p.Name, &p.EmployeeNo, &status, &archived); err != nil {
			return nil, mapErr(err)
		}
		p.Current = status == string(isms.PersonActive) && !archived.Valid
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}

// AssetCodes maps an organization's asset IDs to their codes.
func (s *Store) AssetCodes(ctx context.Context, orgID string) (map[string]string, error) {
	return pairs[string](ctx, s.read, `SELECT id, code FROM assets WHERE org_id = $1`, orgID)
}

// AssetValues maps an organization's asset IDs to their values.
func (tx *Tx) AssetValues(ctx context.Context, orgID string) (map[string]int, error) {
	return pairs[int](ctx, tx.tx, `SELECT id, value FROM assets WHERE org_id = $1`, orgID)
}

// AssetByCode reads an organization's asset by its code.
func (s *Store) AssetByCode(ctx context.Context, orgID, code string) (isms.Asset, error) {
	var x isms.Asset
	err := scanAsset(s.read.QueryRowContext(ctx, `SELECT `+assetColumns+` FROM assets x WHERE x.org_id = $1 AND x.code = $2`, orgID, code), &x)
	return x, notFound(err, "asset")
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"openisms/internal/isms"
)

// MLPS grading objects, their data categories and linked assets, grading
// versions, filing submissions, certificates, hand-filled form fields and
// materials checklists. Wide rows are written through column lists, so a
// column and its value never drift apart.

// insertSQL is an INSERT of cols into table with $1… placeholders.
func insertSQL(table string, cols []string) string {
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + paramList(0, len(cols)) + ")"
}

// updateSQL is an UPDATE of table setting cols[2:] where id = $1 and
// org_id = $2 (cols[0] and cols[1]).
func updateSQL(table string, cols []string) string {
	sets := make([]string, 0, len(cols)-2)
	for i, c := range cols[2:] {
		sets = append(sets, c+" = $"+itoa(i+3))
	}
	return "UPDATE " + table + " SET " + strings.Join(sets, ", ") + " WHERE id = $1 AND org_id = $2"
}

// prefixed qualifies each column with a table alias.
func prefixed(alias string, cols []string) string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = alias + "." + c
	}
	return strings.Join(out, ", ")
}

var mlpsObjectCols = []string{"id", "org_id", "n", "code", "name", "type", "tech", "tech_details", "system_kind",
	"deployment", "dept_id", "construction_by", "operation_by", "security_by", "business_type", "business_desc",
	"service_scope", "service_scope_count", "service_users", "network_coverage", "network_nature", "source_ips", "domains",
	"ports", "interconnections", "interconnect_note", "live_on", "outsourced", "outsourced_to", "parent_id", "parent_name",
	"parent_unit", "authority", "notes", "status", "updated_by", "created_at", "updated_at"}

func mlpsObjectArgs(o *isms.MLPSObject) []any {
	details, _ := json.Marshal(o.TechDetails)
	return []any{o.ID, o.OrgID, o.N, o.Code, o.Name, o.Type, strings.Join(o.Tech, ","), string(details), o.SystemKind,
		o.Deployment, o.DeptID, o.ConstructionBy, o.OperationBy, o.SecurityBy, o.BusinessType, o.BusinessDesc,
		o.ServiceScope, o.ServiceScopeCount, o.ServiceUsers, o.NetworkCoverage, o.NetworkNature, o.SourceIPs, o.Domains,
		o.Ports, strings.Join(o.Interconnections, ","), o.InterconnectNote, o.LiveOn, o.Outsourced, o.OutsourcedTo,
		o.ParentID, o.ParentName, o.ParentUnit, o.Authority, o.Notes, o.Status, o.UpdatedBy, o.CreatedAt, o.UpdatedAt}
}

const mlpsObjectFrom = ` FROM mlps_objects o LEFT JOIN departments d ON d.id = o.dept_id
	LEFT JOIN people pc ON pc.id = o.construction_by LEFT JOIN people po ON po.id = o.operation_by
	LEFT JOIN people ps ON ps.id = o.security_by LEFT JOIN mlps_objects par ON par.id = o.parent_id`

func splitCommas(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func queryMLPSObjects(ctx context.Context, q queryer, query string, args ...any) ([]isms.MLPSObject, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.MLPSObject{}
	for rows.Next() {
		var o isms.MLPSObject
		var tech, details, inter string
		var pn int64
		var pname string
		if err := rows.Scan(&o.ID, &o.OrgID, &o.N, &o.Code, &o.Name, &o.Type, &tech, &details, &o.SystemKind,
			&o.Deployment, &o.DeptID, &o.ConstructionBy, &o.OperationBy, &o.SecurityBy, &o.BusinessType, &o.BusinessDesc,
			&o.ServiceScope, &o.ServiceScopeCount, &o.ServiceUsers, &o.NetworkCoverage, &o.NetworkNature, &o.SourceIPs,
			&o.Domains, &o.Ports, &inter, &o.InterconnectNote, &o.LiveOn, &o.Outsourced, &o.OutsourcedTo, &o.ParentID,
			&o.ParentName, &o.ParentUnit, &o.Authority, &o.Notes, &o.Status, &o.UpdatedBy, &o.CreatedAt, &o.UpdatedAt,
			&o.DeptName, &o.ConstructionName, &o.OperationName, &o.SecurityName, &pn, &pname); err != nil {
			return nil, mapErr(err)
		}
		o.Tech, o.Interconnections = splitCommas(tech), splitCommas(inter)
		if err := json.Unmarshal([]byte(details), &o.TechDetails); err != nil {
			return nil, isms.Internal(err)
		}
		if pn > 0 {
			o.ParentLabel = isms.MLPSObject{N: pn, Name: pname}.Label()
		}
		out = append(out, o)
	}
	return out, mapErr(rows.Err())
}

const mlpsObjectSelect = `SELECT o.id, o.org_id, o.n, o.code, o.name, o.type, o.tech, o.tech_details, o.system_kind,
	o.deployment, o.dept_id, o.construction_by, o.operation_by, o.security_by, o.business_type, o.business_desc,
	o.service_scope, o.service_scope_count, o.service_users, o.network_coverage, o.network_nature, o.source_ips, o.domains,
	o.ports, o.interconnections, o.interconnect_note, o.live_on, o.outsourced, o.outsourced_to, o.parent_id, o.parent_name,
	o.parent_unit, o.authority, o.notes, o.status, o.updated_by, o.created_at, o.updated_at,
	coalesce(d.name, ''), coalesce(pc.name, ''), coalesce(po.name, ''), coalesce(ps.name, ''), coalesce(par.n, 0),
	coalesce(par.name, '')`

// MLPSObjectFilter narrows the list of grading objects.
type MLPSObjectFilter struct {
	OrgID  string
	Status string // "" active ones, StatusAll every one
	Type   string
	DeptID string
	// ParentID keeps the sub-systems of one object.
	ParentID string
	Q        string // name, code or number
}

// MLPSObjects lists an organization's grading objects by number.
func (s *Store) MLPSObjects(ctx context.Context, f MLPSObjectFilter) ([]isms.MLPSObject, error) {
	w := newWhere()
	w.add("o.org_id = ?", f.OrgID)
	switch f.Status {
	case StatusAll:
	case "":
		w.add("o.status = ?", "active")
	default:
		w.add("o.status = ?", f.Status)
	}
	if f.Type != "" {
		w.add("o.type = ?", f.Type)
	}
	if f.DeptID != "" {
		w.add("o.dept_id = ?", f.DeptID)
	}
	if f.ParentID != "" {
		w.add("o.parent_id = ?", f.ParentID)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		if n, err := strconv.Atoi(strings.TrimPrefix(strings.ToUpper(q), "DJ-")); err == nil && strings.HasPrefix(strings.ToUpper(q), "DJ-") {
			w.add("o.n = ?", n)
		} else {
			p := like(q)
			w.add(`(lower(o.name) LIKE ? ESCAPE '\' OR lower(o.code) LIKE ? ESCAPE '\')`, p, p)
		}
	}
	return queryMLPSObjects(ctx, s.read, mlpsObjectSelect+mlpsObjectFrom+w.sql()+` ORDER BY o.n LIMIT 5000`, w.args...)
}

// MLPSObject reads one grading object.
func (s *Store) MLPSObject(ctx context.Context, orgID, id string) (isms.MLPSObject, error) {
	os, err := queryMLPSObjects(ctx, s.read, mlpsObjectSelect+mlpsObjectFrom+` WHERE o.org_id = $1 AND o.id = $2`, orgID, id)
	return one(os, err, "mlps_object")
}

// MLPSObject reads one grading object in the transaction.
func (tx *Tx) MLPSObject(ctx context.Context, orgID, id string) (isms.MLPSObject, error) {
	os, err := queryMLPSObjects(ctx, tx.tx, mlpsObjectSelect+mlpsObjectFrom+` WHERE o.org_id = $1 AND o.id = $2`, orgID, id)
	return one(os, err, "mlps_object")
}

func mlpsCodeConflict(err error) error {
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("code", isms.M("mlps.code_taken"))
	}
	return mapErr(err)
}

// CreateMLPSObject stores a new grading object with the organization's
// next number.
func (tx *Tx) CreateMLPSObject(ctx context.Context, o *isms.MLPSObject) error {
	if err := tx.tx.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) + 1 FROM mlps_objects WHERE org_id = $1`,
		o.OrgID).Scan(&o.N); err != nil {
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, insertSQL("mlps_objects", mlpsObjectCols), mlpsObjectArgs(o)...)
	return mlpsCodeConflict(err)
}

// UpdateMLPSObject writes every field of a grading object but its
// number and creation.
func (tx *Tx) UpdateMLPSObject(ctx context.Context, o *isms.MLPSObject) error {
	cols, args := mlpsObjectCols, mlpsObjectArgs(o)
	// Leave n and created_at as they are.
	keep := func(name string) bool { return name != "n" && name != "created_at" }
	var c2 []string
	var a2 []any
	for i, c := range cols {
		if keep(c) {
			c2, a2 = append(c2, c), append(a2, args[i])
		}
	}
	res, err := tx.tx.ExecContext(ctx, updateSQL("mlps_objects", c2), a2...)
	if err != nil {
		return mlpsCodeConflict(err)
	}
	return mustAffect(res, nil, "mlps_object")
}

var dataCatCols = []string{"id", "org_id", "object_id", "position", "name", "level", "category", "dept_id", "person_id",
	"personal", "volume", "monthly_growth", "sources", "source_units", "outflow_units", "interaction", "storage_cloud",
	"storage_room", "storage_region"}

// DataCategories reads the data categories of objects, by object.
func (s *Store) DataCategories(ctx context.Context, orgID string, objectIDs []string) (map[string][]isms.DataCat, error) {
	out := map[string][]isms.DataCat{}
	if len(objectIDs) == 0 {
		return out, nil
	}
	w := newWhere()
	w.add("c.org_id = ?", orgID)
	w.add("c.object_id IN (" + placeholders(w, objectIDs) + ")")
	rows, err := s.read.QueryContext(ctx, `SELECT `+prefixed("c", dataCatCols)+`, coalesce(d.name, ''), coalesce(p.name, '')
		FROM mlps_data_categories c LEFT JOIN departments d ON d.id = c.dept_id LEFT JOIN people p ON p.id = c.person_id`+
		w.sql()+` ORDER BY c.object_id, c.position`, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var c isms.DataCat
		var pos int
		var sources string
		if err := rows.Scan(&c.ID, &c.OrgID, &c.ObjectID, &pos, &c.Name, &c.Level, &c.Category, &c.DeptID, &c.PersonID,
			&c.Personal, &c.Volume, &c.MonthlyGrowth, &sources, &c.SourceUnits, &c.OutflowUnits, &c.Interaction,
			&c.StorageCloud, &c.StorageRoom, &c.StorageRegion, &c.DeptName, &c.PersonName); err != nil {
			return nil, mapErr(err)
		}
		c.Sources = splitCommas(sources)
		out[c.ObjectID] = append(out[c.ObjectID], c)
	}
	return out, mapErr(rows.Err())
}

// ReplaceDataCategories writes an object's data categories, in order,
// in place of those it had.
func (tx *Tx) ReplaceDataCategories(ctx context.Context, orgID, objectID string, cats []isms.DataCat) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM mlps_data_categories WHERE org_id = $1 AND object_id = $2`,
		orgID, objectID); err != nil {
		return mapErr(err)
	}
	q := insertSQL("mlps_data_categories", dataCatCols)
	for i, c := range cats {
		if _, err := tx.tx.ExecContext(ctx, q, c.ID, orgID, objectID, i+1, c.Name, c.Level, c.Category, c.DeptID,
			c.PersonID, c.Personal, c.Volume, c.MonthlyGrowth, strings.Join(c.Sources, ","), c.SourceUnits, c.OutflowUnits,
			c.Interaction, c.StorageCloud, c.StorageRoom, c.StorageRegion); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// MLPSObjectAssets reads the assets linked to an object, by asset code.
func (s *Store) MLPSObjectAssets(ctx context.Context, orgID, objectID string) ([]isms.MLPSAssetLink, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT l.asset_id, l.role, x.code, x.name, x.type FROM mlps_object_assets l
		JOIN assets x ON x.id = l.asset_id WHERE l.org_id = $1 AND l.object_id = $2 ORDER BY x.code`, orgID, objectID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.MLPSAssetLink{}
	for rows.Next() {
		var l isms.MLPSAssetLink
		if err := rows.Scan(&l.AssetID, &l.Role, &l.AssetCode, &l.AssetName, &l.AssetType); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, l)
	}
	return out, mapErr(rows.Err())
}

// LinkMLPSAsset links an asset to an object in a role (again: a new
// role).
func (tx *Tx) LinkMLPSAsset(ctx context.Context, orgID, objectID string, l isms.MLPSAssetLink) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM mlps_object_assets WHERE object_id = $1 AND asset_id = $2`,
		objectID, l.AssetID); err != nil {
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO mlps_object_assets (object_id, asset_id, org_id, role)
		VALUES ($1, $2, $3, $4)`, objectID, l.AssetID, orgID, l.Role)
	return mapErr(err)
}

// UnlinkMLPSAsset removes an asset's link to an object.
func (tx *Tx) UnlinkMLPSAsset(ctx context.Context, orgID, objectID, assetID string) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM mlps_object_assets WHERE org_id = $1 AND object_id = $2 AND asset_id = $3`,
		orgID, objectID, assetID)
	return mustAffect(res, err, "asset")
}

var gradingCols = []string{"id", "org_id", "object_id", "version", "template", "ticks", "business", "service", "level",
	"reason", "status", "return_reason", "returned_by", "submitted_on", "review_experts", "review_on", "review_conclusion",
	"review_opinions", "review_level", "authority_name", "authority_on", "authority_decision", "authority_opinion",
	"authority_level", "confirmed_on", "filed_on", "graded_by", "updated_by", "created_at", "updated_at"}

func gradingArgs(g *isms.Grading) []any {
	ticks, _ := json.Marshal(g.Ticks)
	return []any{g.ID, g.OrgID, g.ObjectID, g.Version, g.Template, string(ticks), g.Business, g.Service, g.Level,
		g.Reason, g.Status, g.ReturnReason, g.ReturnedBy, g.SubmittedOn, g.ReviewExperts, g.ReviewOn, g.ReviewConclusion,
		g.ReviewOpinions, g.ReviewLevel, g.AuthorityName, g.AuthorityOn, g.AuthorityDecision, g.AuthorityOpinion,
		g.AuthorityLevel, g.ConfirmedOn, g.FiledOn, g.GradedBy, g.UpdatedBy, g.CreatedAt, g.UpdatedAt}
}

func queryGradings(ctx context.Context, q queryer, query string, args ...any) ([]isms.Grading, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Grading{}
	for rows.Next() {
		var g isms.Grading
		var ticks string
		if err := rows.Scan(&g.ID, &g.OrgID, &g.ObjectID, &g.Version, &g.Template, &ticks, &g.Business, &g.Service,
			&g.Level, &g.Reason, &g.Status, &g.ReturnReason, &g.ReturnedBy, &g.SubmittedOn, &g.ReviewExperts, &g.ReviewOn,
			&g.ReviewConclusion, &g.ReviewOpinions, &g.ReviewLevel, &g.AuthorityName, &g.AuthorityOn, &g.AuthorityDecision,
			&g.AuthorityOpinion, &g.AuthorityLevel, &g.ConfirmedOn, &g.FiledOn, &g.GradedBy, &g.UpdatedBy, &g.CreatedAt,
			&g.UpdatedAt); err != nil {
			return nil, mapErr(err)
		}
		if err := json.Unmarshal([]byte(ticks), &g.Ticks); err != nil {
			return nil, isms.Internal(err)
		}
		out = append(out, g)
	}
	return out, mapErr(rows.Err())
}

var gradingSelect = `SELECT ` + prefixed("g", gradingCols) + ` FROM mlps_gradings g`

// Gradings reads every grading of an organization (objectID "") or of
// one object, by object and version.
func (s *Store) Gradings(ctx context.Context, orgID, objectID string) ([]isms.Grading, error) {
	if objectID == "" {
		return queryGradings(ctx, s.read, gradingSelect+` WHERE g.org_id = $1 ORDER BY g.object_id, g.version`, orgID)
	}
	return queryGradings(ctx, s.read, gradingSelect+` WHERE g.org_id = $1 AND g.object_id = $2 ORDER BY g.version`,
		orgID, objectID)
}

// Gradings reads the gradings of one object in the transaction.
func (tx *Tx) Gradings(ctx context.Context, orgID, objectID string) ([]isms.Grading, error) {
	return queryGradings(ctx, tx.tx, gradingSelect+` WHERE g.org_id = $1 AND g.object_id = $2 ORDER BY g.version`,
		orgID, objectID)
}

// Grading reads one grading.
func (s *Store) Grading(ctx context.Context, orgID, id string) (isms.Grading, error) {
	gs, err := queryGradings(ctx, s.read, gradingSelect+` WHERE g.org_id = $1 AND g.id = $2`, orgID, id)
	return one(gs, err, "grading")
}

// Grading reads one grading in the transaction.
func (tx *Tx) Grading(ctx context.Context, orgID, id string) (isms.Grading, error) {
	gs, err := queryGradings(ctx, tx.tx, gradingSelect+` WHERE g.org_id = $1 AND g.id = $2`, orgID, id)
	return one(gs, err, "grading")
}

// CreateGrading inserts a grading version.
func (tx *Tx) CreateGrading(ctx context.Context, g *isms.Grading) error {
	_, err := tx.tx.ExecContext(ctx, insertSQL("mlps_gradings", gradingCols), gradingArgs(g)...)
	return mapErr(err)
}

// UpdateGrading writes a grading's every field.
func (tx *Tx) UpdateGrading(ctx context.Context, g *isms.Grading) error {
	res, err := tx.tx.ExecContext(ctx, updateSQL("mlps_gradings", gradingCols), gradingArgs(g)...)
	return mustAffect(res, err, "grading")
}

// DeleteGrading removes a grading never submitted.
func (tx *Tx) DeleteGrading(ctx context.Context, orgID, id string) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM mlps_gradings WHERE org_id = $1 AND id = $2 AND status = $3 AND submitted_on = ''`,
		orgID, id, isms.GradingDraft)
	return mustAffect(res, err, "grading")
}

var filingCols = []string{"id", "org_id", "object_id", "grading_id", "bureau", "submitted_on", "template", "outcome",
	"decided_on", "reasons", "regrade", "recorded_by", "created_at"}

func queryFilings(ctx context.Context, q queryer, query string, args ...any) ([]isms.Filing, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Filing{}
	for rows.Next() {
		var f isms.Filing
		if err := rows.Scan(&f.ID, &f.OrgID, &f.ObjectID, &f.GradingID, &f.Bureau, &f.SubmittedOn, &f.Template, &f.Outcome,
			&f.DecidedOn, &f.Reasons, &f.Regrade, &f.RecordedBy, &f.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, f)
	}
	return out, mapErr(rows.Err())
}

// Filings reads the filing submissions of an organization (objectID "")
// or of one object, oldest first.
func (s *Store) Filings(ctx context.Context, orgID, objectID string) ([]isms.Filing, error) {
	q := `SELECT ` + strings.Join(filingCols, ", ") + ` FROM mlps_filings WHERE org_id = $1`
	if objectID == "" {
		return queryFilings(ctx, s.read, q+` ORDER BY submitted_on, created_at`, orgID)
	}
	return queryFilings(ctx, s.read, q+` AND object_id = $2 ORDER BY submitted_on, created_at`, orgID, objectID)
}

// Filing reads one submission.
func (s *Store) Filing(ctx context.Context, orgID, id string) (isms.Filing, error) {
	fs, err := queryFilings(ctx, s.read, `SELECT `+strings.Join(filingCols, ", ")+` FROM mlps_filings
		WHERE org_id = $1 AND id = $2`, orgID, id)
	return one(fs, err, "filing")
}

// Filing reads one submission in the transaction.
func (tx *Tx) Filing(ctx context.Context, orgID, id string) (isms.Filing, error) {
	fs, err := queryFilings(ctx, tx.tx, `SELECT `+strings.Join(filingCols, ", ")+` FROM mlps_filings
		WHERE org_id = $1 AND id = $2`, orgID, id)
	return one(fs, err, "filing")
}

// PendingFilings counts a grading's submissions awaiting an answer.
func (tx *Tx) PendingFilings(ctx context.Context, gradingID string) (int, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM mlps_filings WHERE grading_id = $1 AND outcome = $2`,
		gradingID, isms.FilingPending).Scan(&n)
	return n, mapErr(err)
}

// CreateFiling inserts a submission.
func (tx *Tx) CreateFiling(ctx context.Context, f *isms.Filing) error {
	_, err := tx.tx.ExecContext(ctx, insertSQL("mlps_filings", filingCols), f.ID, f.OrgID, f.ObjectID, f.GradingID,
		f.Bureau, f.SubmittedOn, f.Template, f.Outcome, f.DecidedOn, f.Reasons, f.Regrade, f.RecordedBy, f.CreatedAt)
	return mapErr(err)
}

// DecideFiling writes a submission's outcome.
func (tx *Tx) DecideFiling(ctx context.Context, f *isms.Filing) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE mlps_filings SET outcome = $3, decided_on = $4, reasons = $5, regrade = $6
		WHERE id = $1 AND org_id = $2`, f.ID, f.OrgID, f.Outcome, f.DecidedOn, f.Reasons, f.Regrade)
	return mustAffect(res, err, "filing")
}

var certificateCols = []string{"id", "org_id", "object_id", "grading_id", "filing_id", "number", "bureau", "issued_on",
	"recorded_by", "created_at"}

// Certificates reads the certificates of an organization (objectID "")
// or of one object, oldest first.
func (s *Store) Certificates(ctx context.Context, orgID, objectID string) ([]isms.Certificate, error) {
	return queryCertificates(ctx, s.read, orgID, objectID)
}

// Certificates reads certificates in the transaction.
func (tx *Tx) Certificates(ctx context.Context, orgID, objectID string) ([]isms.Certificate, error) {
	return queryCertificates(ctx, tx.tx, orgID, objectID)
}

func queryCertificates(ctx context.Context, q queryer, orgID, objectID string) ([]isms.Certificate, error) {
	w := newWhere()
	w.add("org_id = ?", orgID)
	if objectID != "" {
		w.add("object_id = ?", objectID)
	}
	return queryCertificatesWhere(ctx, q, w.sql(), w.args...)
}

func queryCertificatesWhere(ctx context.Context, q queryer, where string, args ...any) ([]isms.Certificate, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+strings.Join(certificateCols, ", ")+` FROM mlps_certificates`+where+
		` ORDER BY issued_on, created_at`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Certificate{}
	for rows.Next() {
		var c isms.Certificate
		if err := rows.Scan(&c.ID, &c.OrgID, &c.ObjectID, &c.GradingID, &c.FilingID, &c.Number, &c.Bureau, &c.IssuedOn,
			&c.RecordedBy, &c.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// CreateCertificate inserts a certificate.
func (tx *Tx) CreateCertificate(ctx context.Context, c *isms.Certificate) error {
	_, err := tx.tx.ExecContext(ctx, insertSQL("mlps_certificates", certificateCols), c.ID, c.OrgID, c.ObjectID,
		c.GradingID, c.FilingID, c.Number, c.Bureau, c.IssuedOn, c.RecordedBy, c.CreatedAt)
	return mapErr(err)
}

// FormFields reads what was typed into a filing form's blank fields
// into v (a map); found is false when nothing was.
func (s *Store) FormFields(ctx context.Context, orgID, gradingID, template string, v any) (bool, error) {
	return readFormFields(ctx, s.read, orgID, gradingID, template, v)
}

// FormFields reads a form's typed fields in the transaction.
func (tx *Tx) FormFields(ctx context.Context, orgID, gradingID, template string, v any) (bool, error) {
	return readFormFields(ctx, tx.tx, orgID, gradingID, template, v)
}

func readFormFields(ctx context.Context, q queryer, orgID, gradingID, template string, v any) (bool, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT data FROM mlps_form_fields WHERE org_id = $1 AND grading_id = $2 AND template = $3`,
		orgID, gradingID, template).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, mapErr(err)
	}
	return true, json.Unmarshal([]byte(raw), v)
}

// SaveFormFields stores a form's typed fields.
func (tx *Tx) SaveFormFields(ctx context.Context, orgID, gradingID, template string, v any, by string, at time.Time) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return isms.Internal(err)
	}
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM mlps_form_fields WHERE org_id = $1 AND grading_id = $2 AND template = $3`,
		orgID, gradingID, template); err != nil {
		return mapErr(err)
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO mlps_form_fields (grading_id, template, org_id, data, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, gradingID, template, orgID, string(raw), by, at)
	return mapErr(err)
}

// Materials reads a grading's materials checklist entries.
func (s *Store) Materials(ctx context.Context, orgID, gradingID string) ([]isms.Material, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, org_id, grading_id, checklist, item, present, note, updated_by, updated_at
		FROM mlps_materials WHERE org_id = $1 AND grading_id = $2 ORDER BY checklist, item`, orgID, gradingID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Material{}
	for rows.Next() {
		var m isms.Material
		if err := rows.Scan(&m.ID, &m.OrgID, &m.GradingID, &m.Checklist, &m.Item, &m.Present, &m.Note, &m.UpdatedBy,
			&m.UpdatedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// SaveMaterial writes a checklist entry (new or changed), keyed by
// grading, checklist and item; m.ID comes back as stored.
func (tx *Tx) SaveMaterial(ctx context.Context, m *isms.Material) error {
	err := tx.tx.QueryRowContext(ctx, `SELECT id FROM mlps_materials WHERE org_id = $1 AND grading_id = $2 AND checklist = $3
		AND item = $4`, m.OrgID, m.GradingID, m.Checklist, m.Item).Scan(&m.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO mlps_materials (id, org_id, grading_id, checklist, item, present, note,
			updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, m.ID, m.OrgID, m.GradingID, m.Checklist,
			m.Item, m.Present, m.Note, m.UpdatedBy, m.UpdatedAt)
	case err == nil:
		_, err = tx.tx.ExecContext(ctx, `UPDATE mlps_materials SET present = $2, note = $3, updated_by = $4, updated_at = $5
			WHERE id = $1`, m.ID, m.Present, m.Note, m.UpdatedBy, m.UpdatedAt)
	}
	return mapErr(err)
}

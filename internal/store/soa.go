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

const soaColumns = `r.id, r.org_id, r.framework_id, r.ref, r.applicable, r.reasons, r.justification, r.status, r.dept_id,
	r.owner_id, r.implementation, r.review_note, r.reviewed_on, r.updated_by, r.updated_at`

func scanSoARow(rows *sql.Rows, extra ...any) (isms.SoARow, error) {
	var r isms.SoARow
	var app sql.NullBool
	var reasons string
	dest := append([]any{&r.ID, &r.OrgID, &r.FrameworkID, &r.Ref, &app, &reasons, &r.Justification, &r.Status, &r.DeptID,
		&r.OwnerID, &r.Implementation, &r.ReviewNote, &r.ReviewedOn, &r.UpdatedBy, &r.UpdatedAt}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return r, mapErr(err)
	}
	if app.Valid {
		r.Applicable = &app.Bool
	}
	if reasons != "" {
		r.Reasons = strings.Split(reasons, ",")
	}
	return r, nil
}

func nullBool(b *bool) sql.NullBool {
	if b == nil {
		return sql.NullBool{}
	}
	return sql.NullBool{Bool: *b, Valid: true}
}

// EnsureSoARows adds the rows whose reference has none yet; existing
// rows are left as they are.
func (tx *Tx) EnsureSoARows(ctx context.Context, rows []isms.SoARow) (int, error) {
	added := 0
	for _, r := range rows {
		res, err := tx.tx.ExecContext(ctx, `INSERT INTO soa_rows (id, org_id, framework_id, ref, applicable, reasons,
			justification, status, dept_id, owner_id, implementation, review_note, reviewed_on, updated_by, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
			ON CONFLICT (org_id, framework_id, ref) DO NOTHING`,
			r.ID, r.OrgID, r.FrameworkID, r.Ref, nullBool(r.Applicable), strings.Join(r.Reasons, ","), r.Justification,
			r.Status, r.DeptID, r.OwnerID, r.Implementation, r.ReviewNote, r.ReviewedOn, r.UpdatedBy, r.UpdatedAt)
		if err != nil {
			return added, mapErr(err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added++
		}
	}
	return added, nil
}

// SoARows reads an organization's working copy for a framework in the
// framework's order, rows of references the framework no longer has
// left out; ref, when not empty, reads that reference's row alone.
// Evidence counts are for the day today (YYYY-MM-DD): items in effect,
// and of those the ones expiring by warnUntil.
func (s *Store) SoARows(ctx context.Context, orgID, frameworkID, ref, today, warnUntil string) ([]isms.SoARow, error) {
	args := []any{orgID, frameworkID, today, warnUntil}
	one := ""
	if ref != "" {
		args, one = append(args, ref), ` AND r.ref = $5`
	}
	return querySoARows(ctx, s.read, `SELECT `+soaColumns+`, coalesce(e.valid, 0), coalesce(e.expiring, 0)
		FROM soa_rows r JOIN requirement_nodes n ON n.framework_id = r.framework_id AND n.ref = r.ref
		LEFT JOIN `+evidenceCounts(isms.EvidenceSoARow, "$1", "$3", "$4")+` e ON e.subject_id = r.id
		WHERE r.org_id = $1 AND r.framework_id = $2`+one+` ORDER BY n.position`, args...)
}

func querySoARows(ctx context.Context, q queryer, query string, args ...any) ([]isms.SoARow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.SoARow{}
	for rows.Next() {
		var valid, expiring int
		r, err := scanSoARow(rows, &valid, &expiring)
		if err != nil {
			return nil, err
		}
		r.Evidence, r.Expiring = valid, expiring
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// SoARowsOf reads, in the transaction, every row the organization has
// for a framework, keyed by reference, including references the
// framework no longer has.
func (tx *Tx) SoARowsOf(ctx context.Context, orgID, frameworkID string) (map[string]isms.SoARow, error) {
	rs, err := querySoARows(ctx, tx.tx, `SELECT `+soaColumns+`, 0, 0 FROM soa_rows r
		WHERE r.org_id = $1 AND r.framework_id = $2`, orgID, frameworkID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]isms.SoARow, len(rs))
	for _, r := range rs {
		out[r.Ref] = r
	}
	return out, nil
}

// UpdateSoARow writes a row's decisions.
func (tx *Tx) UpdateSoARow(ctx context.Context, r *isms.SoARow) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE soa_rows SET applicable = $3, reasons = $4, justification = $5, status = $6,
		dept_id = $7, owner_id = $8, implementation = $9, review_note = $10, reviewed_on = $11, updated_by = $12,
		updated_at = $13 WHERE id = $1 AND org_id = $2`,
		r.ID, r.OrgID, nullBool(r.Applicable), strings.Join(r.Reasons, ","), r.Justification, r.Status, r.DeptID, r.OwnerID,
		r.Implementation, r.ReviewNote, r.ReviewedOn, r.UpdatedBy, r.UpdatedAt)
	return mustAffect(res, err, "soa_row")
}

// linkLabels reads links with their targets' labels: documents by code
// and title, risks by number and asset, assets by code and name. Links
// to targets that no longer exist are left out.
const linkLabels = `SELECT l.row_id, l.kind, l.target_id, d.code, d.title FROM soa_links l
		JOIN documents d ON d.id = l.target_id AND d.org_id = l.org_id WHERE l.kind = 'document' AND %s
	UNION ALL SELECT l.row_id, l.kind, l.target_id, CAST(k.n AS TEXT), coalesce(a.name, '') FROM soa_links l
		JOIN risks k ON k.id = l.target_id AND k.org_id = l.org_id LEFT JOIN assets a ON a.id = k.asset_id
		WHERE l.kind = 'risk' AND %s
	UNION ALL SELECT l.row_id, l.kind, l.target_id, a.code, a.name FROM soa_links l
		JOIN assets a ON a.id = l.target_id AND a.org_id = l.org_id WHERE l.kind = 'asset' AND %s`

func querySoALinks(ctx context.Context, q queryer, cond string, args ...any) (map[string][]isms.SoALink, error) {
	query := strings.ReplaceAll(linkLabels, "%s", cond) + ` ORDER BY 1, 2, 4`
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string][]isms.SoALink{}
	for rows.Next() {
		var rowID, code, title string
		var l isms.SoALink
		if err := rows.Scan(&rowID, &l.Kind, &l.TargetID, &code, &title); err != nil {
			return nil, mapErr(err)
		}
		if l.Kind == isms.LinkRisk {
			n, _ := strconv.ParseInt(code, 10, 64)
			code = isms.Risk{N: n}.Number()
		}
		l.Label = strings.TrimSpace(code + " " + title)
		out[rowID] = append(out[rowID], l)
	}
	return out, mapErr(rows.Err())
}

// SoALinks reads the links of the rows of a working copy, by row: every
// row's, or only rowID's when it is not empty.
func (s *Store) SoALinks(ctx context.Context, orgID, frameworkID, rowID string) (map[string][]isms.SoALink, error) {
	if rowID != "" {
		return querySoALinks(ctx, s.read, `l.org_id = $1 AND l.row_id = $2`, orgID, rowID)
	}
	return querySoALinks(ctx, s.read, soaRowsOf, orgID, frameworkID)
}

// SoALinks reads, in a transaction, the links of every row of a working
// copy.
func (tx *Tx) SoALinks(ctx context.Context, orgID, frameworkID string) (map[string][]isms.SoALink, error) {
	return querySoALinks(ctx, tx.tx, soaRowsOf, orgID, frameworkID)
}

const soaRowsOf = `l.org_id = $1 AND l.row_id IN (SELECT id FROM soa_rows WHERE org_id = $1 AND framework_id = $2)`

// SetSoALinks replaces a row's links of one kind.
func (tx *Tx) SetSoALinks(ctx context.Context, orgID, rowID, kind string, targetIDs []string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM soa_links WHERE row_id = $1 AND kind = $2 AND org_id = $3`,
		rowID, kind, orgID); err != nil {
		return mapErr(err)
	}
	for _, id := range targetIDs {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO soa_links (org_id, row_id, kind, target_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT DO NOTHING`, orgID, rowID, kind, id); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// LinkTargets resolves what people type to link a row — document codes,
// risk numbers (n), asset codes — to IDs in the organization.
func (tx *Tx) LinkTargets(ctx context.Context, orgID, kind string, keys []string) (map[string]string, error) {
	if len(keys) == 0 {
		return map[string]string{}, nil
	}
	w := newWhere()
	w.args = append(w.args, orgID)
	in := placeholders(w, keys)
	var query string
	switch kind {
	case isms.LinkDocument:
		query = `SELECT code, id FROM documents WHERE org_id = $1 AND code IN (` + in + `)`
	case isms.LinkRisk:
		query = `SELECT CAST(n AS TEXT), id FROM risks WHERE org_id = $1 AND CAST(n AS TEXT) IN (` + in + `)`
	case isms.LinkAsset:
		query = `SELECT code, id FROM assets WHERE org_id = $1 AND code IN (` + in + `)`
	default:
		return nil, isms.NotFound(kind)
	}
	return pairs[string](ctx, tx.tx, query, w.args...)
}

const soaVersionColumns = `id, org_id, framework_id, number, status, submitted_by, submitted_at, approval_id, decided_by,
	decided_at, comment`

func querySoAVersions(ctx context.Context, q queryer, withRows bool, query string, args ...any) ([]isms.SoAVersion, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.SoAVersion{}
	for rows.Next() {
		var v isms.SoAVersion
		var decided sql.NullTime
		var lines string
		dest := []any{&v.ID, &v.OrgID, &v.FrameworkID, &v.Number, &v.Status, &v.SubmittedBy, &v.SubmittedAt, &v.ApprovalID,
			&v.DecidedBy, &decided, &v.Comment}
		if withRows {
			dest = append(dest, &lines)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, mapErr(err)
		}
		if decided.Valid {
			v.DecidedAt = &decided.Time
		}
		if withRows {
			if err := json.Unmarshal([]byte(lines), &v.Rows); err != nil {
				return nil, err
			}
		}
		out = append(out, v)
	}
	return out, mapErr(rows.Err())
}

// SoAVersions lists a framework's versions, newest first, without rows.
func (s *Store) SoAVersions(ctx context.Context, orgID, frameworkID string) ([]isms.SoAVersion, error) {
	return querySoAVersions(ctx, s.read, false, `SELECT `+soaVersionColumns+` FROM soa_versions
		WHERE org_id = $1 AND framework_id = $2 ORDER BY submitted_at DESC, number DESC`, orgID, frameworkID)
}

// SoAVersion reads one version with its rows.
func (s *Store) SoAVersion(ctx context.Context, orgID, id string) (isms.SoAVersion, error) {
	vs, err := querySoAVersions(ctx, s.read, true, `SELECT `+soaVersionColumns+`, rows FROM soa_versions
		WHERE id = $1 AND org_id = $2`, id, orgID)
	return one(vs, err, "soa_version")
}

// SoAVersion reads one version without rows in a transaction.
func (tx *Tx) SoAVersion(ctx context.Context, id string) (isms.SoAVersion, error) {
	vs, err := querySoAVersions(ctx, tx.tx, false, `SELECT `+soaVersionColumns+` FROM soa_versions WHERE id = $1`, id)
	return one(vs, err, "soa_version")
}

// PendingSoAVersion reports whether a framework has a submitted version
// waiting for a decision.
func (tx *Tx) PendingSoAVersion(ctx context.Context, orgID, frameworkID string) (bool, error) {
	var n int
	err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM soa_versions WHERE org_id = $1 AND framework_id = $2
		AND status = $3`, orgID, frameworkID, isms.SoASubmitted).Scan(&n)
	return n > 0, mapErr(err)
}

// CreateSoAVersion stores a submitted version with its rows.
func (tx *Tx) CreateSoAVersion(ctx context.Context, v *isms.SoAVersion) error {
	lines, err := json.Marshal(v.Rows)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO soa_versions (id, org_id, framework_id, number, status, submitted_by,
		submitted_at, approval_id, decided_by, decided_at, comment, rows) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
		$11, $12)`, v.ID, v.OrgID, v.FrameworkID, v.Number, v.Status, v.SubmittedBy, v.SubmittedAt, v.ApprovalID,
		v.DecidedBy, v.DecidedAt, v.Comment, string(lines))
	return mapErr(err)
}

// DecideSoAVersion records a decision on a submitted version; an
// approved one gets the next number of its framework. The rows are
// never written again.
func (tx *Tx) DecideSoAVersion(ctx context.Context, v *isms.SoAVersion, at time.Time) error {
	if v.Status == isms.SoAApproved {
		if err := tx.tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM soa_versions
			WHERE org_id = $1 AND framework_id = $2`, v.OrgID, v.FrameworkID).Scan(&v.Number); err != nil {
			return mapErr(err)
		}
	}
	v.DecidedAt = &at
	res, err := tx.tx.ExecContext(ctx, `UPDATE soa_versions SET status = $2, number = $3, decided_by = $4, decided_at = $5,
		comment = $6 WHERE id = $1 AND status = $7`, v.ID, v.Status, v.Number, v.DecidedBy, at, v.Comment, isms.SoASubmitted)
	return mustAffect(res, err, "soa_version")
}

// SoARowByRef reads, in the transaction, the organization's row for a
// reference; found is false when there is none yet.
func (tx *Tx) SoARowByRef(ctx context.Context, orgID, frameworkID, ref string) (r isms.SoARow, found bool, err error) {
	rs, err := querySoARows(ctx, tx.tx, `SELECT `+soaColumns+`, 0, 0 FROM soa_rows r
		WHERE r.org_id = $1 AND r.framework_id = $2 AND r.ref = $3`, orgID, frameworkID, ref)
	if err != nil || len(rs) == 0 {
		return r, false, err
	}
	return rs[0], true, nil
}

// RecordIDByNumber finds an organization's record by its printed number
// ("JL-000123"); "" when there is none.
func (tx *Tx) RecordIDByNumber(ctx context.Context, orgID, number string) (string, error) {
	n, ok := recordNumber(number)
	if !ok {
		return "", nil
	}
	var id string
	err := tx.tx.QueryRowContext(ctx, `SELECT id FROM records WHERE org_id = $1 AND n = $2`, orgID, n).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, mapErr(err)
}

// MappingSources maps each reference of framework to to the mappings an
// organization sees from framework from onto it.
func (tx *Tx) MappingSources(ctx context.Context, orgID, from, to string) (map[string][]isms.Mapping, error) {
	ms, err := queryMappings(ctx, tx.tx, mappingSelect+` WHERE s.framework_id = $1 AND t.framework_id = $2
		AND (m.org_id IS NULL OR m.org_id = $3) ORDER BY t.position, s.position`, from, to, orgID)
	if err != nil {
		return nil, err
	}
	out := map[string][]isms.Mapping{}
	for _, m := range ms {
		out[m.TargetRef] = append(out[m.TargetRef], m)
	}
	return out, nil
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"time"

	"openisms/internal/isms"
)

// --- Catalogs ---

// Threats lists an organization's threat catalog by code.
func (s *Store) Threats(ctx context.Context, orgID string) ([]isms.Threat, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, org_id, code, category, name, guidance, frequency FROM threats
		WHERE org_id = $1 ORDER BY code`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Threat{}
	for rows.Next() {
		var t isms.Threat
		if err := rows.Scan(&t.ID, &t.OrgID, &t.Code, &t.Category, &t.Name, &t.Guidance, &t.Frequency); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

// Vulnerabilities lists an organization's vulnerability catalog by code.
func (s *Store) Vulnerabilities(ctx context.Context, orgID string) ([]isms.Vulnerability, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, org_id, code, kind, target, name, guidance, severity FROM vulnerabilities
		WHERE org_id = $1 ORDER BY code`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Vulnerability{}
	for rows.Next() {
		var v isms.Vulnerability
		if err := rows.Scan(&v.ID, &v.OrgID, &v.Code, &v.Kind, &v.Target, &v.Name, &v.Guidance, &v.Severity); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, v)
	}
	return out, mapErr(rows.Err())
}

// CatalogSize counts an organization's threats and vulnerabilities.
func (tx *Tx) CatalogSize(ctx context.Context, orgID string) (threats, vulns int, err error) {
	err = tx.tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM threats WHERE org_id = $1),
		(SELECT count(*) FROM vulnerabilities WHERE org_id = $1)`, orgID).Scan(&threats, &vulns)
	return threats, vulns, mapErr(err)
}

func catalogConflict(err error) error {
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("code", isms.M("risk.code_taken"))
	}
	return mapErr(err)
}

// SaveThreat inserts or updates a threat.
func (tx *Tx) SaveThreat(ctx context.Context, t *isms.Threat, insert bool) error {
	q := `UPDATE threats SET code = $3, category = $4, name = $5, guidance = $6, frequency = $7 WHERE id = $1 AND org_id = $2`
	if insert {
		q = `INSERT INTO threats (id, org_id, code, category, name, guidance, frequency) VALUES ($1, $2, $3, $4, $5, $6, $7)`
	}
	_, err := tx.tx.ExecContext(ctx, q, t.ID, t.OrgID, t.Code, t.Category, t.Name, t.Guidance, t.Frequency)
	return catalogConflict(err)
}

// SaveVulnerability inserts or updates a vulnerability.
func (tx *Tx) SaveVulnerability(ctx context.Context, v *isms.Vulnerability, insert bool) error {
	q := `UPDATE vulnerabilities SET code = $3, kind = $4, target = $5, name = $6, guidance = $7, severity = $8 WHERE id = $1 AND org_id = $2`
	if insert {
		q = `INSERT INTO vulnerabilities (id, org_id, code, kind, target, name, guidance, severity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	}
	_, err := tx.tx.ExecContext(ctx, q, v.ID, v.OrgID, v.Code, v.Kind, v.Target, v.Name, v.Guidance, v.Severity)
	return catalogConflict(err)
}

// Threat reads one threat in the transaction.
func (tx *Tx) Threat(ctx context.Context, id string) (isms.Threat, error) {
	var t isms.Threat
	err := tx.tx.QueryRowContext(ctx, `SELECT id, org_id, code, category, name, guidance, frequency FROM threats WHERE id = $1`, id).
		Scan(&t.ID, &t.OrgID, &t.Code, &t.Category, &t.Name, &t.Guidance, &t.Frequency)
	return t, notFound(err, "threat")
}

// Vulnerability reads one vulnerability in the transaction.
func (tx *Tx) Vulnerability(ctx context.Context, id string) (isms.Vulnerability, error) {
	var v isms.Vulnerability
	err := tx.tx.QueryRowContext(ctx, `SELECT id, org_id, code, kind, target, name, guidance, severity FROM vulnerabilities WHERE id = $1`, id).
		Scan(&v.ID, &v.OrgID, &v.Code, &v.Kind, &v.Target, &v.Name, &v.Guidance, &v.Severity)
	return v, notFound(err, "vulnerability")
}

// --- Method versions ---

// RiskMethods reads every method version of an organization, oldest
// first.
func (tx *Tx) RiskMethods(ctx context.Context, orgID string) ([]isms.RiskMethod, error) {
	return riskMethods(ctx, tx.tx, orgID)
}

// RiskMethods reads every method version of an organization.
func (s *Store) RiskMethods(ctx context.Context, orgID string) ([]isms.RiskMethod, error) {
	return riskMethods(ctx, s.read, orgID)
}

func riskMethods(ctx context.Context, q queryer, orgID string) ([]isms.RiskMethod, error) {
	rows, err := q.QueryContext(ctx, `SELECT version, method FROM risk_methods WHERE org_id = $1 ORDER BY version`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.RiskMethod
	for rows.Next() {
		var v int
		var raw string
		if err := rows.Scan(&v, &raw); err != nil {
			return nil, mapErr(err)
		}
		var m isms.RiskMethod
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			return nil, err
		}
		m.Version = v
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// CreateRiskMethod writes a new version.
func (tx *Tx) CreateRiskMethod(ctx context.Context, orgID string, m isms.RiskMethod, by string, at time.Time) error {
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO risk_methods (org_id, version, method, created_by, created_at) VALUES ($1, $2, $3, $4, $5)`,
		orgID, m.Version, string(raw), by, at)
	return mapErr(err)
}

// --- Assessments ---

const assessmentColumns = `a.id, a.org_id, a.title, a.scope, a.dept_ids, a.method_version, a.team, a.start_on, a.end_on, a.status,
	a.consultation, a.review_reason, a.created_by_id, a.created_at, a.updated_at`

func queryAssessments(ctx context.Context, q queryer, query string, args ...any) ([]isms.Assessment, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Assessment{}
	for rows.Next() {
		var x isms.Assessment
		var depts string
		if err := rows.Scan(&x.ID, &x.OrgID, &x.Title, &x.Scope, &depts, &x.MethodVersion, &x.Team, &x.StartOn, &x.EndOn,
			&x.Status, &x.Consultation, &x.ReviewReason, &x.CreatedByID, &x.CreatedAt, &x.UpdatedAt, &x.Risks); err != nil {
			return nil, mapErr(err)
		}
		if err := json.Unmarshal([]byte(depts), &x.DeptIDs); err != nil {
			return nil, err
		}
		x.CreatedAt, x.UpdatedAt = isms.Normalize(x.CreatedAt), isms.Normalize(x.UpdatedAt)
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

// Assessments lists an organization's assessments, newest first, with
// their risk counts.
func (s *Store) Assessments(ctx context.Context, orgID string) ([]isms.Assessment, error) {
	return queryAssessments(ctx, s.read, `SELECT `+assessmentColumns+`, (SELECT count(*) FROM risks r WHERE r.assessment_id = a.id)
		FROM risk_assessments a WHERE a.org_id = $1 ORDER BY a.created_at DESC LIMIT 500`, orgID)
}

// Assessment reads one assessment.
func (s *Store) Assessment(ctx context.Context, id string) (isms.Assessment, error) {
	return oneAssessment(ctx, s.read, id)
}

// Assessment reads one assessment in the transaction.
func (tx *Tx) Assessment(ctx context.Context, id string) (isms.Assessment, error) {
	return oneAssessment(ctx, tx.tx, id)
}

func oneAssessment(ctx context.Context, q queryer, id string) (isms.Assessment, error) {
	xs, err := queryAssessments(ctx, q, `SELECT `+assessmentColumns+`, (SELECT count(*) FROM risks r WHERE r.assessment_id = a.id)
		FROM risk_assessments a WHERE a.id = $1`, id)
	if err == nil && len(xs) == 0 {
		err = isms.NotFound("assessment")
	}
	if err != nil {
		return isms.Assessment{}, err
	}
	return xs[0], nil
}

// OpenAssessments lists an organization's assessments that are not
// closed.
func (tx *Tx) OpenAssessments(ctx context.Context, orgID string) ([]isms.Assessment, error) {
	return queryAssessments(ctx, tx.tx, `SELECT `+assessmentColumns+`, 0 FROM risk_assessments a
		WHERE a.org_id = $1 AND a.status <> $2`, orgID, isms.AssessClosed)
}

// SaveAssessment inserts or updates an assessment.
func (tx *Tx) SaveAssessment(ctx context.Context, x *isms.Assessment, insert bool) error {
	depts, err := json.Marshal(nonNilStrings(x.DeptIDs))
	if err != nil {
		return err
	}
	if insert {
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO risk_assessments (id, org_id, title, scope, dept_ids, method_version, team,
			start_on, end_on, status, consultation, review_reason, created_by_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			x.ID, x.OrgID, x.Title, x.Scope, string(depts), x.MethodVersion, x.Team, x.StartOn, x.EndOn,
			x.Status, x.Consultation, x.ReviewReason, x.CreatedByID, x.CreatedAt, x.UpdatedAt)
		return mapErr(err)
	}
	_, err = tx.tx.ExecContext(ctx, `UPDATE risk_assessments SET title = $3, scope = $4, dept_ids = $5, method_version = $6,
		team = $7, start_on = $8, end_on = $9, status = $10, consultation = $11, review_reason = $12, updated_at = $13
		WHERE id = $1 AND org_id = $2`, x.ID, x.OrgID, x.Title, x.Scope, string(depts), x.MethodVersion, x.Team, x.StartOn,
		x.EndOn, x.Status, x.Consultation, x.ReviewReason, x.UpdatedAt)
	return mapErr(err)
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// --- Risks ---

// A risk is two rows: what people enter in risks (r) and what is
// computed from it in risk_results (x), joined by the risk's number. A
// recompute writes the results alone, through the few indexes they have.
const riskColumns = `r.id, r.n, r.org_id, r.assessment_id, r.asset_id, r.threat_id, r.vuln_id, coalesce(r.dept_id, ''), r.description,
	r.controls, r.control_effect, r.control_kind, r.t, r.v, x.ia, r.va, r.likelihood, r.impact, x.l, x.f, x.r, x.level, x.cell_l,
	x.cell_f, x.acceptable, r.treatment, r.residual_t, r.residual_v, r.residual_va, r.residual_l, r.residual_i, x.residual_r,
	x.residual_level, x.residual_ok, r.acceptance, r.approval_id, r.accepted_by, r.accepted_at, r.review_reason, x.method_version,
	r.created_at, r.updated_at`

// riskJoin is a risk's two rows.
const riskJoin = ` FROM risks r JOIN risk_results x ON x.n = r.n`

func scanRisk(row interface{ Scan(...any) error }, r *isms.Risk, extra ...any) error {
	var accepted nullTimeCol
	err := row.Scan(append([]any{&r.ID, &r.N, &r.OrgID, &r.AssessmentID, &r.AssetID, &r.ThreatID, &r.VulnID, &r.DeptID,
		&r.Description, &r.Controls, &r.ControlEffect, &r.ControlKind, &r.T, &r.V, &r.Ia, &r.Va, &r.Likelihood, &r.Impact,
		&r.Result.L, &r.Result.F, &r.Result.R, &r.Result.Level, &r.CellL, &r.CellF, &r.Result.Acceptable, &r.Treatment,
		&r.ResidualT, &r.ResidualV, &r.ResidualVa, &r.ResidualL, &r.ResidualI, &r.Residual.R, &r.Residual.Level,
		&r.Residual.Acceptable, &r.Acceptance, &r.ApprovalID, &r.AcceptedBy, &accepted, &r.ReviewReason, &r.MethodVersion,
		&r.CreatedAt, &r.UpdatedAt}, extra...)...)
	r.AcceptedAt, r.CreatedAt, r.UpdatedAt = accepted.ptr(), isms.Normalize(r.CreatedAt), isms.Normalize(r.UpdatedAt)
	return err
}

func queryRisks(ctx context.Context, q queryer, query string, args ...any) ([]isms.Risk, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Risk{}
	for rows.Next() {
		var r isms.Risk
		if err := scanRisk(rows, &r); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// Risk reads one risk.
func (s *Store) Risk(ctx context.Context, id string) (isms.Risk, error) {
	return oneRisk(ctx, s.read, id)
}

// Risk reads one risk in the transaction.
func (tx *Tx) Risk(ctx context.Context, id string) (isms.Risk, error) { return oneRisk(ctx, tx.tx, id) }

func oneRisk(ctx context.Context, q queryer, id string) (isms.Risk, error) {
	rs, err := queryRisks(ctx, q, `SELECT `+riskColumns+riskJoin+` WHERE r.id = $1`, id)
	if err == nil && len(rs) == 0 {
		err = isms.NotFound("risk")
	}
	if err != nil {
		return isms.Risk{}, err
	}
	return rs[0], nil
}

// riskSortColumn is the column a register sort orders by ("" for the
// risk number): results in x, the update time in r.
func riskSortColumn(sort string) string {
	return map[string]string{"r": "x.r", "level": "x.level", "residual": "x.residual_level", "updated": "r.updated_at"}[sort]
}

// riskOrder orders by f's sort column, then by the risk number key (r.n
// or x.n), both in f's direction.
func riskOrder(f isms.RiskFilter, key string) string {
	dir := ""
	if f.Desc {
		dir = " DESC"
	}
	if col := riskSortColumn(f.Sort); col != "" {
		return " ORDER BY " + col + dir + ", " + key + dir
	}
	return " ORDER BY " + key + dir
}

// riskQuery is a register filter and sort as SQL over the tables it
// needs: a page sorted by a result and filtered on results only is
// found in one index of risk_results, one sorted by number or update
// time and filtered on what people enter in one of risks.
type riskQuery struct {
	from  string // " FROM …"
	w     *where
	order string // " ORDER BY …"
	key   string // the risk number column of the driving table: r.n or x.n
}

// newRiskQuery builds f's query. The organization is tested on each
// table read, so either table's index can lead.
func newRiskQuery(f isms.RiskFilter) riskQuery {
	sortCol := riskSortColumn(f.Sort)
	text := strings.TrimSpace(f.Text)
	onResults := f.Level > 0 || (f.CellL > 0 && f.CellF > 0) || f.Acceptable == "yes" || f.Acceptable == "no" ||
		strings.HasPrefix(sortCol, "x.")
	onRisks := f.AssessmentID != "" || f.AssetID != "" || f.DeptID != "" || f.Treatment != "" || f.Acceptance != "" || f.Review ||
		text != "" || strings.HasPrefix(sortCol, "r.") || !onResults
	q := riskQuery{w: newWhere(), key: "r.n"}
	switch {
	case onRisks && onResults:
		q.from = riskJoin
	case onRisks:
		q.from = ` FROM risks r`
	default:
		q.from, q.key = ` FROM risk_results x`, "x.n"
	}
	if onRisks {
		q.w.add("r.org_id = ?", f.OrgID)
	}
	if onResults {
		q.w.add("x.org_id = ?", f.OrgID)
		if !strings.HasPrefix(sortCol, "r.") {
			// Numbered through the results when they are read, so a
			// level filter pages in risk_results_level.
			q.key = "x.n"
		}
	}
	w := q.w
	if f.AssessmentID != "" {
		w.add("r.assessment_id = ?", f.AssessmentID)
	}
	if f.AssetID != "" {
		w.add("r.asset_id = ?", f.AssetID)
	}
	if f.DeptID != "" {
		w.add("r.dept_id = ?", f.DeptID)
	}
	if f.Level > 0 {
		w.add("x.level = ?", f.Level)
	}
	if f.CellL > 0 && f.CellF > 0 {
		w.add("x.cell_l = ? AND x.cell_f = ?", f.CellL, f.CellF)
	}
	switch f.Treatment {
	case "":
	case "none":
		w.add("r.treatment = ?", "")
	default:
		w.add("r.treatment = ?", f.Treatment)
	}
	switch f.Acceptable {
	case "yes":
		w.add("x.acceptable = ?", true)
	case "no":
		w.add("x.acceptable = ?", false)
	}
	if f.Acceptance != "" {
		w.add("r.acceptance = ?", f.Acceptance)
	}
	if f.Review {
		w.add("r.review_reason <> ?", "")
	}
	if text != "" {
		if n, ok := isms.RiskNumber(text); ok {
			w.add(q.key+" = ?", n)
		} else {
			w.add(`lower(r.description) LIKE ? ESCAPE '\'`, like(text))
		}
	}
	q.order = riskOrder(f, q.key)
	return q
}

// page is the query of f's page of risk numbers, as p.n.
func (q riskQuery) page(f isms.RiskFilter) string {
	return `(SELECT ` + q.key + ` AS n` + q.from + q.w.sql() + q.order + ` LIMIT ` + q.w.limit(f.Limit) + ` OFFSET ` +
		itoa(max(0, f.Offset)) + `) p`
}

// ListRisks lists a page of the register.
func (s *Store) ListRisks(ctx context.Context, f isms.RiskFilter) ([]isms.Risk, error) {
	q := newRiskQuery(f)
	return queryRisks(ctx, s.read, `SELECT `+riskColumns+` FROM `+q.page(f)+` JOIN risks r ON r.n = p.n
		JOIN risk_results x ON x.n = p.n`+riskOrder(f, "r.n"), q.w.args...)
}

// RiskLines lists a page of the register as lines. The page's numbers
// are found first, in the sort's index (which also carries the common
// filters), and only its own rows are then read with their asset:
// joined in the same step, every row skipped by the offset would be read
// and looked up too. Threat and vulnerability names come after, in one
// query for the few distinct ones a page names: looked up per row, as
// subqueries, they took two fifths of the statement's time on
// PostgreSQL.
func (s *Store) RiskLines(ctx context.Context, f isms.RiskFilter) ([]isms.RiskLine, error) {
	q := newRiskQuery(f)
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.asset_id, r.n, a.code, a.name, r.threat_id, r.vuln_id,
		x.l, x.f, x.r, x.level, x.acceptable, x.residual_r, x.residual_level, x.residual_ok, r.treatment, r.acceptance,
		r.review_reason
		FROM `+q.page(f)+` JOIN risks r ON r.n = p.n JOIN risk_results x ON x.n = p.n
		JOIN assets a ON a.id = r.asset_id`+riskOrder(f, "r.n"), q.w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := make([]isms.RiskLine, 0, f.Limit)
	for rows.Next() {
		var l isms.RiskLine
		if err := rows.Scan(&l.ID, &l.AssetID, &l.N, &l.AssetCode, &l.AssetName, &l.Threat, &l.Vulnerability, &l.Result.L,
			&l.Result.F, &l.Result.R, &l.Result.Level, &l.Result.Acceptable, &l.Residual.R, &l.Residual.Level,
			&l.Residual.Acceptable, &l.Treatment, &l.Acceptance, &l.Review); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	rows.Close()
	return out, s.nameCatalogEntries(ctx, out)
}

// The names of threats and vulnerabilities among two lists of IDs, keyed
// "t"+ID and "v"+ID: PostgreSQL takes the lists as arrays, SQLite as JSON.
const (
	catalogNamesPostgres = `SELECT 't' || id, name FROM threats WHERE id = ANY($1)
		UNION ALL SELECT 'v' || id, name FROM vulnerabilities WHERE id = ANY($2)`
	catalogNamesSQLite = `SELECT 't' || id, name FROM threats WHERE id IN (SELECT value FROM json_each($1))
		UNION ALL SELECT 'v' || id, name FROM vulnerabilities WHERE id IN (SELECT value FROM json_each($2))`
)

// nameCatalogEntries replaces the threat and vulnerability IDs of lines
// by their names.
func (s *Store) nameCatalogEntries(ctx context.Context, lines []isms.RiskLine) error {
	if len(lines) == 0 {
		return nil
	}
	var threats, vulns []string
	seen := map[string]bool{}
	for _, l := range lines {
		if !seen["t"+l.Threat] {
			seen["t"+l.Threat], threats = true, append(threats, l.Threat)
		}
		if !seen["v"+l.Vulnerability] {
			seen["v"+l.Vulnerability], vulns = true, append(vulns, l.Vulnerability)
		}
	}
	query, a1, a2 := catalogNamesPostgres, any(threats), any(vulns)
	if s.Engine == SQLite {
		t, _ := json.Marshal(threats)
		v, _ := json.Marshal(vulns)
		query, a1, a2 = catalogNamesSQLite, string(t), string(v)
	}
	names, err := pairs[string](ctx, s.read, query, a1, a2)
	if err != nil {
		return err
	}
	for i := range lines {
		lines[i].Threat, lines[i].Vulnerability = names["t"+lines[i].Threat], names["v"+lines[i].Vulnerability]
	}
	return nil
}

// CountRisks counts the risks matching f.
func (s *Store) CountRisks(ctx context.Context, f isms.RiskFilter) (int, error) {
	q := newRiskQuery(f)
	var total int
	err := s.read.QueryRowContext(ctx, `SELECT count(*)`+q.from+q.w.sql(), q.w.args...).Scan(&total)
	return total, mapErr(err)
}

// HeatMap counts the risks matching f (without its cell) per cell:
// [likelihood-1][loss-1].
func (s *Store) HeatMap(ctx context.Context, f isms.RiskFilter) ([5][5]int, error) {
	var m [5][5]int
	f.CellL, f.CellF, f.Sort = 0, 0, "r" // the cells are results
	q := newRiskQuery(f)
	rows, err := s.read.QueryContext(ctx, `SELECT x.cell_l, x.cell_f, count(*)`+q.from+q.w.sql()+` GROUP BY x.cell_l, x.cell_f`,
		q.w.args...)
	if err != nil {
		return m, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var l, fv, n int
		if err := rows.Scan(&l, &fv, &n); err != nil {
			return m, mapErr(err)
		}
		if l >= 1 && l <= 5 && fv >= 1 && fv <= 5 {
			m[l-1][fv-1] = n
		}
	}
	return m, mapErr(rows.Err())
}

func riskArgs(r *isms.Risk) []any {
	return []any{r.ID, r.OrgID, r.AssessmentID, r.AssetID, r.ThreatID, r.VulnID, nullStr(r.DeptID), r.Description, r.Controls,
		r.ControlEffect, r.ControlKind, r.T, r.V, r.Va, r.Likelihood, r.Impact, r.Treatment, r.ResidualT, r.ResidualV, r.ResidualVa,
		r.ResidualL, r.ResidualI, r.Acceptance, r.ApprovalID, r.AcceptedBy, timePtr(r.AcceptedAt), r.ReviewReason, r.CreatedAt,
		r.UpdatedAt}
}

const riskInsertCols = `id, org_id, assessment_id, asset_id, threat_id, vuln_id, dept_id, description, controls, control_effect,
	control_kind, t, v, va, likelihood, impact, treatment, residual_t, residual_v, residual_va, residual_l, residual_i, acceptance,
	approval_id, accepted_by, accepted_at, review_reason, created_at, updated_at`

// riskFields is how many values riskArgs gives.
const riskFields = 29

func resultArgs(r *isms.Risk) []any {
	return []any{r.N, r.OrgID, r.Ia, r.Result.L, r.Result.F, r.Result.R, r.Result.Level, r.CellL, r.CellF, r.Result.Acceptable,
		r.Residual.R, r.Residual.Level, r.Residual.Acceptable, r.MethodVersion}
}

const resultInsertCols = `n, org_id, ia, l, f, r, level, cell_l, cell_f, acceptable, residual_r, residual_level, residual_ok,
	method_version`

// resultFields is how many values resultArgs gives.
const resultFields = 14

// CreateRisks inserts risks with their results and sets each one's N.
// PostgreSQL numbers them from its identity column in multi-row
// statements; SQLite writers take turns, so each row takes the number
// after the highest.
func (tx *Tx) CreateRisks(ctx context.Context, rs []isms.Risk) error {
	orgs := map[string]bool{}
	for _, r := range rs {
		orgs[r.OrgID] = true
	}
	for org := range orgs {
		if err := tx.touchRisks(ctx, org); err != nil {
			return err
		}
	}
	if tx.engine == SQLite {
		insertRisk, err := tx.tx.PrepareContext(ctx, `INSERT INTO risks (n, `+riskInsertCols+`)
			SELECT coalesce(max(n), 0) + 1, `+paramList(0, riskFields)+` FROM risks RETURNING n`)
		if err != nil {
			return mapErr(err)
		}
		defer insertRisk.Close()
		insertResult, err := tx.tx.PrepareContext(ctx, `INSERT INTO risk_results (`+resultInsertCols+`)
			VALUES (`+paramList(0, resultFields)+`)`)
		if err != nil {
			return mapErr(err)
		}
		defer insertResult.Close()
		for i := range rs {
			if err := insertRisk.QueryRowContext(ctx, riskArgs(&rs[i])...).Scan(&rs[i].N); err != nil {
				return mapErr(err)
			}
			if _, err := insertResult.ExecContext(ctx, resultArgs(&rs[i])...); err != nil {
				return mapErr(err)
			}
		}
		return nil
	}
	const batch = 200 // 200 × 29 parameters, well under PostgreSQL's limit
	for start := 0; start < len(rs); start += batch {
		part := rs[start:min(start+batch, len(rs))]
		var b strings.Builder
		b.WriteString(`INSERT INTO risks (` + riskInsertCols + `) VALUES `)
		args := make([]any, 0, len(part)*riskFields)
		for i := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + paramList(len(args), riskFields) + ")")
			args = append(args, riskArgs(&part[i])...)
		}
		b.WriteString(" RETURNING id, n")
		rows, err := tx.tx.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return mapErr(err)
		}
		ns := make(map[string]int64, len(part))
		for rows.Next() {
			var id string
			var n int64
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return mapErr(err)
			}
			ns[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapErr(err)
		}
		b.Reset()
		b.WriteString(`INSERT INTO risk_results (` + resultInsertCols + `) VALUES `)
		args = args[:0]
		for i := range part {
			part[i].N = ns[part[i].ID]
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(" + paramList(len(args), resultFields) + ")")
			args = append(args, resultArgs(&part[i])...)
		}
		if _, err := tx.tx.ExecContext(ctx, b.String(), args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// UpdateRisk writes every field of a risk but its identity, number and
// creation time.
func (tx *Tx) UpdateRisk(ctx context.Context, r *isms.Risk) error {
	cols := strings.Split(riskInsertCols, ",")
	all := riskArgs(r)
	args := []any{r.ID, r.OrgID}
	sets := make([]string, 0, len(cols))
	for i, c := range cols {
		c = strings.TrimSpace(c)
		if c == "id" || c == "org_id" || c == "created_at" {
			continue
		}
		args = append(args, all[i])
		sets = append(sets, c+" = $"+itoa(len(args)))
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE risks SET `+strings.Join(sets, ", ")+` WHERE id = $1 AND org_id = $2`, args...); err != nil {
		return mapErr(err)
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE risk_results SET ia = $3, l = $4, f = $5, r = $6, level = $7, cell_l = $8,
		cell_f = $9, acceptable = $10, residual_r = $11, residual_level = $12, residual_ok = $13, method_version = $14
		WHERE n = (SELECT n FROM risks WHERE id = $1 AND org_id = $2)`, append([]any{r.ID, r.OrgID}, resultArgs(r)[2:]...)...); err != nil {
		return mapErr(err)
	}
	return tx.touchRisks(ctx, r.OrgID)
}

// RisksForRecompute reads the risks of the given assessments (or of
// assets, when assetIDs is not empty) for recomputation.
func (tx *Tx) RisksForRecompute(ctx context.Context, orgID string, assessmentIDs, assetIDs []string) ([]isms.Risk, error) {
	if len(assessmentIDs) == 0 {
		return nil, nil
	}
	w := newWhere()
	w.add("r.org_id = ?", orgID)
	w.conds = append(w.conds, "r.assessment_id IN ("+placeholders(w, assessmentIDs)+")")
	if len(assetIDs) > 0 {
		w.conds = append(w.conds, "r.asset_id IN ("+placeholders(w, assetIDs)+")")
	}
	// Counted first so the slice is allocated once: growing a slice of
	// 200,000 risks by appending copied them several times over. Every
	// risk has its results, so the risks alone are counted.
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM risks r`+w.sql(), w.args...).Scan(&n); err != nil {
		return nil, mapErr(err)
	}
	w.add("x.org_id = ?", orgID)
	// Only what computing and the closing check read: a recompute reads
	// every risk of an organization, and the texts would triple that.
	rows, err := tx.tx.QueryContext(ctx, `SELECT r.id, r.n, r.asset_id, r.t, r.v, x.ia, r.va, r.likelihood, r.impact,
		r.residual_t, r.residual_v, r.residual_va, r.residual_l, r.residual_i, x.l, x.f, x.r, x.level, x.acceptable,
		x.residual_r, x.residual_level, x.residual_ok, x.cell_l, x.cell_f, x.method_version, r.treatment, r.acceptance
		`+riskJoin+w.sql()+` ORDER BY r.n`, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := make([]isms.Risk, 0, n)
	for rows.Next() {
		r := isms.Risk{OrgID: orgID}
		if err := rows.Scan(&r.ID, &r.N, &r.AssetID, &r.T, &r.V, &r.Ia, &r.Va, &r.Likelihood, &r.Impact, &r.ResidualT, &r.ResidualV,
			&r.ResidualVa, &r.ResidualL, &r.ResidualI, &r.Result.L, &r.Result.F, &r.Result.R, &r.Result.Level, &r.Result.Acceptable,
			&r.Residual.R, &r.Residual.Level, &r.Residual.Acceptable, &r.CellL, &r.CellF, &r.MethodVersion, &r.Treatment,
			&r.Acceptance); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// SetRiskResults writes recomputed results (risk_results only: the
// risks themselves, and when they were last edited, stay as they were).
// PostgreSQL takes them as arrays in one statement per 20,000 risks
// (UPDATE … FROM unnest(…)); SQLite, in process, runs one prepared
// update per risk.
func (tx *Tx) SetRiskResults(ctx context.Context, rs []isms.Risk) error {
	if len(rs) == 0 {
		return nil
	}
	if err := tx.touchRisks(ctx, rs[0].OrgID); err != nil {
		return err
	}
	if tx.engine == SQLite {
		if len(rs) < rebuildThreshold {
			return tx.updateResultsSQLite(ctx, rs)
		}
		// A mass recompute rewrites the results every register index
		// holds, and updating each index row by row cost more than all
		// the rest: past a threshold the indexes on results are dropped
		// and built again from their own definitions, in the same
		// transaction (readers keep their snapshot meanwhile).
		defs, err := tx.dropResultIndexes(ctx)
		if err != nil {
			return err
		}
		if err := tx.updateResultsSQLite(ctx, rs); err != nil {
			return err
		}
		return tx.createIndexes(ctx, defs)
	}
	const batch = 20_000
	for start := 0; start < len(rs); start += batch {
		part := rs[start:min(start+batch, len(rs))]
		ns := make([]int64, len(part))
		ia, level, cl, cf, rl, mv := make([]int, len(part)), make([]int, len(part)), make([]int, len(part)), make([]int, len(part)),
			make([]int, len(part)), make([]int, len(part))
		l, f, rv, rr := make([]float64, len(part)), make([]float64, len(part)), make([]float64, len(part)), make([]float64, len(part))
		ok, rok := make([]bool, len(part)), make([]bool, len(part))
		for i, r := range part {
			ns[i], ia[i], l[i], f[i], rv[i], level[i], cl[i], cf[i], ok[i] = r.N, r.Ia, r.Result.L, r.Result.F, r.Result.R,
				r.Result.Level, r.CellL, r.CellF, r.Result.Acceptable
			rr[i], rl[i], rok[i], mv[i] = r.Residual.R, r.Residual.Level, r.Residual.Acceptable, r.MethodVersion
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE risk_results SET ia = v.ia, l = v.l, f = v.f, r = v.r, level = v.level,
			cell_l = v.cl, cell_f = v.cf, acceptable = v.ok, residual_r = v.rr, residual_level = v.rl, residual_ok = v.rok,
			method_version = v.mv
			FROM unnest($1::bigint[], $2::int[], $3::float8[], $4::float8[], $5::float8[], $6::int[], $7::int[], $8::int[],
				$9::bool[], $10::float8[], $11::int[], $12::bool[], $13::int[])
				AS v(n, ia, l, f, r, level, cl, cf, ok, rr, rl, rok, mv)
			WHERE risk_results.n = v.n`, ns, ia, l, f, rv, level, cl, cf, ok, rr, rl, rok, mv); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// SetRiskReview flags risks (of an assessment, or all of an
// organization's open ones) for review with a reason.
func (tx *Tx) SetRiskReview(ctx context.Context, orgID string, assessmentIDs []string, reason string, at time.Time) (int, error) {
	if len(assessmentIDs) == 0 {
		return 0, nil
	}
	w := newWhere()
	w.add("org_id = ?", orgID)
	w.conds = append(w.conds, "assessment_id IN ("+placeholders(w, assessmentIDs)+")")
	w.args = append(w.args, reason, at)
	if err := tx.touchRisks(ctx, orgID); err != nil {
		return 0, err
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE risks SET review_reason = $`+itoa(len(w.args)-1)+`, updated_at = $`+itoa(len(w.args))+w.sql(), w.args...)
	if err != nil {
		return 0, mapErr(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// --- Treatment plan ---

const treatmentColumns = `id, org_id, risk_id, measure, dept_id, coalesce(person_id, ''), start_on, due_on, cost, status, priority,
	task_id, created_at, updated_at, (SELECT r.n FROM risks r WHERE r.id = risk_treatments.risk_id)`

func queryTreatments(ctx context.Context, q queryer, query string, args ...any) ([]isms.TreatmentItem, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.TreatmentItem{}
	for rows.Next() {
		var t isms.TreatmentItem
		if err := rows.Scan(&t.ID, &t.OrgID, &t.RiskID, &t.Measure, &t.DeptID, &t.PersonID, &t.StartOn, &t.DueOn, &t.Cost,
			&t.Status, &t.Priority, &t.TaskID, &t.CreatedAt, &t.UpdatedAt, &t.RiskN); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

// Treatments lists a risk's treatment items.
func (s *Store) Treatments(ctx context.Context, riskID string) ([]isms.TreatmentItem, error) {
	return queryTreatments(ctx, s.read, `SELECT `+treatmentColumns+` FROM risk_treatments WHERE risk_id = $1 ORDER BY due_on, id`, riskID)
}

// TreatmentPlan lists an organization's open treatment items by due day
// (the treatment plan; overdue ones first).
func (s *Store) TreatmentPlan(ctx context.Context, orgID string, limit int) ([]isms.TreatmentItem, error) {
	return queryTreatments(ctx, s.read, `SELECT `+treatmentColumns+` FROM risk_treatments WHERE org_id = $1
		AND status IN ('planned', 'in_progress') ORDER BY due_on, id LIMIT `+itoa(isms.ClampLimit(limit)), orgID)
}

// Treatment reads one item in the transaction.
func (tx *Tx) Treatment(ctx context.Context, id string) (isms.TreatmentItem, error) {
	ts, err := queryTreatments(ctx, tx.tx, `SELECT `+treatmentColumns+` FROM risk_treatments WHERE id = $1`, id)
	if err == nil && len(ts) == 0 {
		err = isms.NotFound("treatment")
	}
	if err != nil {
		return isms.TreatmentItem{}, err
	}
	return ts[0], nil
}

// SaveTreatment inserts or updates an item.
func (tx *Tx) SaveTreatment(ctx context.Context, t *isms.TreatmentItem, insert bool) error {
	if insert {
		_, err := tx.tx.ExecContext(ctx, `INSERT INTO risk_treatments (id, org_id, risk_id, measure, dept_id, person_id, start_on,
			due_on, cost, status, priority, task_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			t.ID, t.OrgID, t.RiskID, t.Measure, t.DeptID, nullStr(t.PersonID), t.StartOn, t.DueOn, t.Cost, t.Status, t.Priority,
			t.TaskID, t.CreatedAt, t.UpdatedAt)
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE risk_treatments SET measure = $3, dept_id = $4, person_id = $5, start_on = $6,
		due_on = $7, cost = $8, status = $9, priority = $10, task_id = $11, updated_at = $12 WHERE id = $1 AND org_id = $2`,
		t.ID, t.OrgID, t.Measure, t.DeptID, nullStr(t.PersonID), t.StartOn, t.DueOn, t.Cost, t.Status, t.Priority, t.TaskID, t.UpdatedAt)
	return mapErr(err)
}

// RisksAfter reads the next page of risks matching f in number order,
// after number after (keyset paging, so a long export stays linear).
func (s *Store) RisksAfter(ctx context.Context, f isms.RiskFilter, after int64, size int) ([]isms.Risk, error) {
	f.Sort = ""
	q := newRiskQuery(f)
	q.w.add(q.key+" > ?", after)
	return queryRisks(ctx, s.read, `SELECT `+riskColumns+` FROM (SELECT `+q.key+` AS n`+q.from+q.w.sql()+` ORDER BY `+q.key+
		` LIMIT `+itoa(size)+`) p JOIN risks r ON r.n = p.n JOIN risk_results x ON x.n = p.n ORDER BY r.n`, q.w.args...)
}

// RiskAcceptors names who accepted an assessment's accepted risks, in
// the order they first did, and when the last acceptance was.
func (s *Store) RiskAcceptors(ctx context.Context, orgID, assessmentID string) ([]string, *time.Time, error) {
	const accepted = ` FROM risks WHERE org_id = $1 AND assessment_id = $2 AND acceptance = 'accepted' AND accepted_by <> ''`
	rows, err := s.read.QueryContext(ctx, `SELECT accepted_by`+accepted+` GROUP BY accepted_by ORDER BY min(accepted_at)`,
		orgID, assessmentID)
	if err != nil {
		return nil, nil, mapErr(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, nil, mapErr(err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil || len(names) == 0 {
		return names, nil, mapErr(err)
	}
	var last nullTimeCol
	err = s.read.QueryRowContext(ctx, `SELECT accepted_at`+accepted+` ORDER BY accepted_at DESC LIMIT 1`, orgID, assessmentID).Scan(&last)
	return names, last.ptr(), mapErr(err)
}

// RiskLevelCount is how many risks of an assessment have one combination
// of level, residual level (0: not assessed) and acceptance state.
type RiskLevelCount struct {
	Level, Residual int
	Acceptance      string
	N               int
}

// RiskLevelCounts counts an assessment's risks by level, residual level
// and acceptance state.
func (s *Store) RiskLevelCounts(ctx context.Context, orgID, assessmentID string) ([]RiskLevelCount, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT x.level, x.residual_level, r.acceptance, count(*)`+riskJoin+`
		WHERE r.org_id = $1 AND r.assessment_id = $2 GROUP BY x.level, x.residual_level, r.acceptance`, orgID, assessmentID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []RiskLevelCount
	for rows.Next() {
		var c RiskLevelCount
		if err := rows.Scan(&c.Level, &c.Residual, &c.Acceptance, &c.N); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// pairs reads the two columns of a query's rows as a map: IDs to names,
// references to IDs, keys to counts.
func pairs[V any](ctx context.Context, q queryer, query string, args ...any) (map[string]V, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]V{}
	for rows.Next() {
		var k string
		var v V
		if err := rows.Scan(&k, &v); err != nil {
			return nil, mapErr(err)
		}
		out[k] = v
	}
	return out, mapErr(rows.Err())
}

// idPairs reads two text columns of an organization's rows as a map.
func (tx *Tx) idPairs(ctx context.Context, query, orgID string) (map[string]string, error) {
	return pairs[string](ctx, tx.tx, query, orgID)
}

// AssetDepartments maps an organization's asset IDs to their departments.
func (tx *Tx) AssetDepartments(ctx context.Context, orgID string) (map[string]string, error) {
	return tx.idPairs(ctx, `SELECT id, coalesce(dept_id, '') FROM assets WHERE org_id = $1`, orgID)
}

// ThreatIDs is the set of an organization's threat IDs.
func (tx *Tx) ThreatIDs(ctx context.Context, orgID string) (map[string]bool, error) {
	m, err := tx.idPairs(ctx, `SELECT id, code FROM threats WHERE org_id = $1`, orgID)
	return keySet(m), err
}

// VulnerabilityIDs is the set of an organization's vulnerability IDs.
func (tx *Tx) VulnerabilityIDs(ctx context.Context, orgID string) (map[string]bool, error) {
	m, err := tx.idPairs(ctx, `SELECT id, code FROM vulnerabilities WHERE org_id = $1`, orgID)
	return keySet(m), err
}

func keySet(m map[string]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// touchRisks moves an organization's risk stamp on: its risks changed in
// this transaction, so counts kept from before are stale.
func (tx *Tx) touchRisks(ctx context.Context, orgID string) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO risk_stamps (org_id, v) VALUES ($1, 1)
		ON CONFLICT (org_id) DO UPDATE SET v = risk_stamps.v + 1`, orgID)
	return mapErr(err)
}

// RiskStamp reads an organization's risk stamp (0 before any risk).
func (s *Store) RiskStamp(ctx context.Context, orgID string) (int64, error) {
	var v int64
	err := s.read.QueryRowContext(ctx, `SELECT v FROM risk_stamps WHERE org_id = $1`, orgID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, mapErr(err)
}

// AssessmentTitles lists an organization's assessments without counting
// their risks (the register's filter).
func (s *Store) AssessmentTitles(ctx context.Context, orgID string) ([]isms.Assessment, error) {
	return queryAssessments(ctx, s.read, `SELECT `+assessmentColumns+`, 0
		FROM risk_assessments a WHERE a.org_id = $1 ORDER BY a.created_at DESC LIMIT 500`, orgID)
}

// updateResultsSQLite writes results row by row through one prepared
// statement.
func (tx *Tx) updateResultsSQLite(ctx context.Context, rs []isms.Risk) error {
	stmt, err := tx.tx.PrepareContext(ctx, `UPDATE risk_results SET ia = $2, l = $3, f = $4, r = $5, level = $6, cell_l = $7,
		cell_f = $8, acceptable = $9, residual_r = $10, residual_level = $11, residual_ok = $12, method_version = $13 WHERE n = $1`)
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	for _, r := range rs {
		if _, err := stmt.ExecContext(ctx, r.N, r.Ia, r.Result.L, r.Result.F, r.Result.R, r.Result.Level, r.CellL, r.CellF,
			r.Result.Acceptable, r.Residual.R, r.Residual.Level, r.Residual.Acceptable, r.MethodVersion); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// rebuildThreshold is how many results a write must hold before the
// indexes on results are rebuilt rather than updated row by row (a
// variable so a test can take the path with a few risks).
var rebuildThreshold = 20_000

// dropResultIndexes drops the SQLite indexes of risk_results (each holds
// a result) and returns their definitions.
func (tx *Tx) dropResultIndexes(ctx context.Context) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master
		WHERE type = 'index' AND tbl_name = 'risk_results' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		return nil, mapErr(err)
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	for _, name := range names {
		if _, err := tx.tx.ExecContext(ctx, `DROP INDEX `+name); err != nil {
			return nil, mapErr(err)
		}
	}
	return defs, nil
}

// createIndexes runs index definitions.
func (tx *Tx) createIndexes(ctx context.Context, defs []string) error {
	for _, def := range defs {
		if _, err := tx.tx.ExecContext(ctx, def); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// RiskNumbers reads the numbers of an organization's risks among ids.
func (s *Store) RiskNumbers(ctx context.Context, orgID string, ids []string) (map[string]int64, error) {
	out := map[string]int64{}
	for start := 0; start < len(ids); start += 500 {
		w := newWhere()
		w.add("org_id = ?", orgID)
		w.conds = append(w.conds, "id IN ("+placeholders(w, ids[start:min(start+500, len(ids))])+")")
		ns, err := pairs[int64](ctx, s.read, `SELECT id, n FROM risks`+w.sql(), w.args...)
		if err != nil {
			return nil, err
		}
		maps.Copy(out, ns)
	}
	return out, nil
}

// RiskByNumber finds an organization's risk by its number (FX-000123).
func (tx *Tx) RiskByNumber(ctx context.Context, orgID string, n int64) (string, error) {
	var id string
	err := tx.tx.QueryRowContext(ctx, `SELECT id FROM risks WHERE org_id = $1 AND n = $2`, orgID, n).Scan(&id)
	if err == sql.ErrNoRows {
		return "", isms.NotFound("risk")
	}
	return id, mapErr(err)
}

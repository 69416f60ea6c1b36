package store

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"openisms/internal/isms"
)

const recordTypeColumns = `t.id, t.org_id, t.code, t.name_zh, t.name_en, t.category, t.form, t.medium, t.retention_months,
	t.location, coalesce(t.owner_dept_id, ''), t.document_code, t.hold_reason, t.hold_by, t.hold_at, t.created_at, t.updated_at`

func scanRecordType(row interface{ Scan(...any) error }, t *isms.RecordType, extra ...any) error {
	var held nullTimeCol
	err := row.Scan(append([]any{&t.ID, &t.OrgID, &t.Code, &t.NameZH, &t.NameEN, &t.Category, &t.Form, &t.Medium,
		&t.RetentionMonths, &t.Location, &t.OwnerDeptID, &t.DocumentCode, &t.HoldReason, &t.HoldBy, &held,
		&t.CreatedAt, &t.UpdatedAt}, extra...)...)
	t.HoldAt, t.CreatedAt, t.UpdatedAt = held.ptr(), isms.Normalize(t.CreatedAt), isms.Normalize(t.UpdatedAt)
	return err
}

func queryRecordTypes(ctx context.Context, q queryer, query string, args ...any) ([]isms.RecordType, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.RecordType
	for rows.Next() {
		var t isms.RecordType
		if err := scanRecordType(rows, &t, &t.Records); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

// RecordTypes lists an organization's record types by category and code,
// each with how many records it has.
func (s *Store) RecordTypes(ctx context.Context, orgID string) ([]isms.RecordType, error) {
	return queryRecordTypes(ctx, s.read, `SELECT `+recordTypeColumns+`,
		(SELECT count(*) FROM records r WHERE r.type_id = t.id)
		FROM record_types t WHERE t.org_id = $1 ORDER BY t.category, t.code`, orgID)
}

// RecordTypes lists an organization's record types in the transaction
// (without counts).
func (tx *Tx) RecordTypes(ctx context.Context, orgID string) ([]isms.RecordType, error) {
	return queryRecordTypes(ctx, tx.tx, `SELECT `+recordTypeColumns+`, 0
		FROM record_types t WHERE t.org_id = $1 ORDER BY t.category, t.code`, orgID)
}

// RecordType reads one type.
func (s *Store) RecordType(ctx context.Context, id string) (isms.RecordType, error) {
	var t isms.RecordType
	err := scanRecordType(s.read.QueryRowContext(ctx, `SELECT `+recordTypeColumns+`,
		(SELECT count(*) FROM records r WHERE r.type_id = t.id) FROM record_types t WHERE t.id = $1`, id), &t, &t.Records)
	return t, notFound(err, "record_type")
}

// RecordType reads one type in the transaction.
func (tx *Tx) RecordType(ctx context.Context, id string) (isms.RecordType, error) {
	var t isms.RecordType
	err := scanRecordType(tx.tx.QueryRowContext(ctx, `SELECT `+recordTypeColumns+` FROM record_types t WHERE t.id = $1`, id), &t)
	return t, notFound(err, "record_type")
}

// RecordTypeByCode reads an organization's type by its code; found is
// false when it has none.
func (tx *Tx) RecordTypeByCode(ctx context.Context, orgID, code string) (t isms.RecordType, found bool, err error) {
	err = scanRecordType(tx.tx.QueryRowContext(ctx, `SELECT `+recordTypeColumns+` FROM record_types t
		WHERE t.org_id = $1 AND t.code = $2`, orgID, code), &t)
	if err != nil {
		if isms.ErrorCode(notFound(err, "record_type")) == isms.CodeNotFound {
			return t, false, nil
		}
		return t, false, mapErr(err)
	}
	return t, true, nil
}

func recordTypeConflict(err error) error {
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("code", isms.M("record.code_taken"))
	}
	return mapErr(err)
}

// CreateRecordType inserts a type.
func (tx *Tx) CreateRecordType(ctx context.Context, t *isms.RecordType) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO record_types (id, org_id, code, name_zh, name_en, category, form, medium,
		retention_months, location, owner_dept_id, document_code, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		t.ID, t.OrgID, t.Code, t.NameZH, t.NameEN, t.Category, t.Form, t.Medium, t.RetentionMonths, t.Location,
		nullStr(t.OwnerDeptID), t.DocumentCode, t.CreatedAt, t.UpdatedAt)
	return recordTypeConflict(err)
}

// UpdateRecordType writes a type's fields (not its hold).
func (tx *Tx) UpdateRecordType(ctx context.Context, t *isms.RecordType) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE record_types SET code = $2, name_zh = $3, name_en = $4, category = $5, form = $6,
		medium = $7, retention_months = $8, location = $9, owner_dept_id = $10, document_code = $11, updated_at = $12
		WHERE id = $1`, t.ID, t.Code, t.NameZH, t.NameEN, t.Category, t.Form, t.Medium, t.RetentionMonths, t.Location,
		nullStr(t.OwnerDeptID), t.DocumentCode, t.UpdatedAt)
	return recordTypeConflict(err)
}

// SetRecordTypeHold places (reason not empty) or releases a legal hold on
// every record of a type.
func (tx *Tx) SetRecordTypeHold(ctx context.Context, id, reason, by string, at time.Time) error {
	var when any = at
	if reason == "" {
		by, when = "", nil
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE record_types SET hold_reason = $2, hold_by = $3, hold_at = $4, updated_at = $5
		WHERE id = $1`, id, reason, by, when, at)
	return mapErr(err)
}

const recordColumns = `r.id, r.n, r.org_id, r.type_id, r.title, r.record_date, coalesce(r.dept_id, ''), r.location, r.source_type,
	r.source_id, r.created_by, r.created_at, r.hold_reason, r.hold_by, r.hold_at, coalesce(r.disposal_id, ''), r.disposed_at, ` +
	recordTypeColumns

func scanRecord(row interface{ Scan(...any) error }, r *isms.Record) error {
	var held, disposed, typeHeld nullTimeCol
	t := &r.Type
	err := row.Scan(&r.ID, &r.N, &r.OrgID, &r.TypeID, &r.Title, &r.RecordDate, &r.DeptID, &r.Location, &r.SourceType,
		&r.SourceID, &r.CreatedBy, &r.CreatedAt, &r.HoldReason, &r.HoldBy, &held, &r.DisposalID, &disposed,
		&t.ID, &t.OrgID, &t.Code, &t.NameZH, &t.NameEN, &t.Category, &t.Form, &t.Medium, &t.RetentionMonths, &t.Location,
		&t.OwnerDeptID, &t.DocumentCode, &t.HoldReason, &t.HoldBy, &typeHeld, &t.CreatedAt, &t.UpdatedAt)
	r.CreatedAt, r.HoldAt, r.DisposedAt, t.HoldAt = isms.Normalize(r.CreatedAt), held.ptr(), disposed.ptr(), typeHeld.ptr()
	return err
}

func queryRecords(ctx context.Context, q queryer, query string, args ...any) ([]isms.Record, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Record
	for rows.Next() {
		var r isms.Record
		if err := scanRecord(rows, &r); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// RecordFilter narrows the records register.
type RecordFilter struct {
	OrgID, TypeID, Category, DeptID, Text string
	SourceType, SourceID                  string
	// State is one of isms.RecordStates; kept and due need Cutoffs: per
	// type ID, the first record date still within retention on the day
	// (isms.RetentionCutoff; types kept permanently are absent).
	State   string
	Cutoffs map[string]string
	// After is the previous page's last row (newest first: date, number).
	AfterDate string
	AfterN    int64
	Limit     int
}

// pastRetention is the SQL condition "the record is past its type's
// retention", one arm per type that has a cutoff.
func pastRetention(w *where, cutoffs map[string]string) string {
	if len(cutoffs) == 0 {
		return "1 = 0"
	}
	ids := make([]string, 0, len(cutoffs))
	for id := range cutoffs {
		ids = append(ids, id)
	}
	sort.Strings(ids) // one SQL text per set of types
	arms := make([]string, len(ids))
	for i, id := range ids {
		w.args = append(w.args, id, cutoffs[id])
		arms[i] = "(r.type_id = $" + itoa(len(w.args)-1) + " AND r.record_date < $" + itoa(len(w.args)) + ")"
	}
	return "(" + strings.Join(arms, " OR ") + ")"
}

// ListRecords lists a page of the register, newest first.
func (s *Store) ListRecords(ctx context.Context, f RecordFilter) ([]isms.Record, error) {
	w := newWhere()
	w.add("r.org_id = ?", f.OrgID)
	if f.TypeID != "" {
		w.add("r.type_id = ?", f.TypeID)
	}
	if f.Category != "" {
		w.add("t.category = ?", f.Category)
	}
	if f.DeptID != "" {
		w.add("r.dept_id = ?", f.DeptID)
	}
	if f.SourceType != "" {
		w.add("r.source_type = ? AND r.source_id = ?", f.SourceType, f.SourceID)
	}
	from := ` FROM records r JOIN record_types t ON t.id = r.type_id`
	if text := strings.TrimSpace(f.Text); text != "" {
		n, isNumber := recordNumber(text)
		sparse := false
		if !isNumber && utf8.RuneCountInString(text) >= 3 {
			var err error
			if sparse, err = s.sparseRecordText(ctx, text); err != nil {
				return nil, err
			}
		}
		switch {
		case isNumber:
			w.add("r.n = ?", n)
		case sparse && s.Engine == Postgres:
			w.add(`r.title ILIKE ? ESCAPE '\'`, like(text)) // the trigram index's expression
		case sparse:
			// Few hits: start from the index, as for documents.
			from = ` FROM records_fts x CROSS JOIN records r ON r.n = x.rowid JOIN record_types t ON t.id = r.type_id`
			w.add("records_fts MATCH ?", ftsPhrase(text))
		default:
			// Common or short text: walk the register newest first.
			w.add(`lower(r.title) LIKE ? ESCAPE '\'`, like(text))
		}
	}
	const open = "r.disposed_at IS NULL AND r.disposal_id IS NULL AND r.hold_reason = '' AND t.hold_reason = ''"
	switch f.State {
	case isms.RecordDisposed:
		w.add("r.disposed_at IS NOT NULL")
	case isms.RecordInDisp:
		w.add("r.disposal_id IS NOT NULL AND r.disposed_at IS NULL")
	case isms.RecordHeld:
		w.add("r.disposal_id IS NULL AND (r.hold_reason <> '' OR t.hold_reason <> '')")
	case isms.RecordDue:
		w.add(open)
		w.conds = append(w.conds, pastRetention(w, f.Cutoffs))
		// Every due record is older than the latest cutoff: the walk
		// back through the date index starts there, not at today.
		latest := ""
		for _, c := range f.Cutoffs {
			latest = max(latest, c)
		}
		w.add("r.record_date < ?", latest)
	case isms.RecordKept:
		w.add(open)
		w.conds = append(w.conds, "NOT "+pastRetention(w, f.Cutoffs))
	}
	if f.AfterDate != "" {
		w.add("(r.record_date, r.n) < (?, ?)", f.AfterDate, f.AfterN)
	}
	return queryRecords(ctx, s.read, `SELECT `+recordColumns+from+w.sql()+` ORDER BY r.record_date DESC, r.n DESC LIMIT `+
		w.limit(f.Limit), w.args...)
}

// sparseRecordText reports whether fewer than denseBound record titles
// contain text (three characters or more), so that the trigram index
// should lead.
func (s *Store) sparseRecordText(ctx context.Context, text string) (bool, error) {
	q, arg := `SELECT count(*) FROM (SELECT 1 FROM records_fts WHERE records_fts MATCH $1 LIMIT `+itoa(denseBound)+`) x`, any(ftsPhrase(text))
	if s.Engine == Postgres {
		q, arg = `SELECT count(*) FROM (SELECT 1 FROM records WHERE title ILIKE $1 ESCAPE '\' LIMIT `+itoa(denseBound)+`) x`, like(text)
	}
	var n int
	if err := s.read.QueryRowContext(ctx, q, arg).Scan(&n); err != nil {
		return false, mapErr(err)
	}
	return n < denseBound, nil
}

// ftsPhrase quotes text as one FTS5 phrase.
func ftsPhrase(text string) string { return `"` + strings.ReplaceAll(text, `"`, `""`) + `"` }

// recordNumber reads "JL-000123" (or "jl123") as a record number.
func recordNumber(text string) (int64, bool) {
	t := strings.ToUpper(strings.TrimSpace(text))
	if !strings.HasPrefix(t, "JL") {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimLeft(strings.TrimPrefix(t, "JL"), "-"), 10, 64)
	return n, err == nil && n > 0
}

// Record reads one record with its type.
func (s *Store) Record(ctx context.Context, id string) (isms.Record, error) {
	rs, err := queryRecords(ctx, s.read, `SELECT `+recordColumns+` FROM records r JOIN record_types t ON t.id = r.type_id
		WHERE r.id = $1`, id)
	if err == nil && len(rs) == 0 {
		err = isms.NotFound("record")
	}
	if err != nil {
		return isms.Record{}, err
	}
	return rs[0], nil
}

// RecordsByID reads records in the transaction, in the order asked;
// missing ones are left out.
func (tx *Tx) RecordsByID(ctx context.Context, ids []string) ([]isms.Record, error) {
	var out []isms.Record
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		w := newWhere()
		rs, err := queryRecords(ctx, tx.tx, `SELECT `+recordColumns+` FROM records r JOIN record_types t ON t.id = r.type_id
			WHERE r.id IN (`+placeholders(w, part)+`)`, w.args...)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	sort.Slice(out, func(i, j int) bool { return pos[out[i].ID] < pos[out[j].ID] })
	return out, nil
}

// CreateRecord files a record; r.N receives its number.
func (tx *Tx) CreateRecord(ctx context.Context, r *isms.Record) error {
	// As for documents: SQLite writers take turns, PostgreSQL has an
	// identity column.
	n := "(SELECT coalesce(max(n), 0) + 1 FROM records)"
	if tx.engine == Postgres {
		n = "DEFAULT"
	}
	err := tx.tx.QueryRowContext(ctx, `INSERT INTO records (id, n, org_id, type_id, title, record_date, dept_id, location,
		source_type, source_id, created_by, created_at) VALUES ($1, `+n+`, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING n`,
		r.ID, r.OrgID, r.TypeID, r.Title, r.RecordDate, nullStr(r.DeptID), r.Location, r.SourceType, r.SourceID,
		r.CreatedBy, r.CreatedAt).Scan(&r.N)
	return mapErr(err)
}

// SetRecordHold places (reason not empty) or releases a legal hold on
// records.
func (tx *Tx) SetRecordHold(ctx context.Context, ids []string, reason, by string, at time.Time) error {
	var when any = at
	if reason == "" {
		by, when = "", nil
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		w := newWhere()
		w.args = append(w.args, reason, by, when)
		if _, err := tx.tx.ExecContext(ctx, `UPDATE records SET hold_reason = $1, hold_by = $2, hold_at = $3
			WHERE id IN (`+placeholders(w, part)+`)`, w.args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

const disposalColumns = `id, org_id, status, method, reason, requested_by_id, requested_by, requested_at, decided_by, decided_at,
	decision_note, executed_by, executed_on, witness, execution_note, record_count`

func scanDisposal(row interface{ Scan(...any) error }, d *isms.Disposal) error {
	var decided nullTimeCol
	err := row.Scan(&d.ID, &d.OrgID, &d.Status, &d.Method, &d.Reason, &d.RequestedByID, &d.RequestedBy, &d.RequestedAt,
		&d.DecidedBy, &decided, &d.DecisionNote, &d.ExecutedBy, &d.ExecutedOn, &d.Witness, &d.ExecutionNote, &d.RecordCount)
	d.RequestedAt, d.DecidedAt = isms.Normalize(d.RequestedAt), decided.ptr()
	return err
}

// CreateDisposal inserts a request and marks its records as in it.
func (tx *Tx) CreateDisposal(ctx context.Context, d *isms.Disposal, ids []string) error {
	if _, err := tx.tx.ExecContext(ctx, `INSERT INTO record_disposals (id, org_id, status, method, reason, requested_by_id,
		requested_by, requested_at, record_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		d.ID, d.OrgID, d.Status, d.Method, d.Reason, d.RequestedByID, d.RequestedBy, d.RequestedAt, d.RecordCount); err != nil {
		return mapErr(err)
	}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		w := newWhere()
		w.args = append(w.args, d.ID)
		rows := make([]string, len(part))
		for i, id := range part {
			w.args = append(w.args, id)
			rows[i] = "($1, $" + itoa(len(w.args)) + ")"
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO record_disposal_items (disposal_id, record_id) VALUES `+
			strings.Join(rows, ", "), w.args...); err != nil {
			return mapErr(err)
		}
	}
	// The items say which records; one statement marks them.
	_, err := tx.tx.ExecContext(ctx, `UPDATE records SET disposal_id = $1
		WHERE id IN (SELECT record_id FROM record_disposal_items WHERE disposal_id = $1)`, d.ID)
	return mapErr(err)
}

// Disposal reads one disposal in the transaction.
func (tx *Tx) Disposal(ctx context.Context, id string) (isms.Disposal, error) {
	var d isms.Disposal
	err := scanDisposal(tx.tx.QueryRowContext(ctx, `SELECT `+disposalColumns+` FROM record_disposals WHERE id = $1`, id), &d)
	return d, notFound(err, "disposal")
}

// Disposal reads one disposal with the records it covers.
func (s *Store) Disposal(ctx context.Context, id string) (isms.Disposal, error) {
	var d isms.Disposal
	if err := scanDisposal(s.read.QueryRowContext(ctx, `SELECT `+disposalColumns+` FROM record_disposals WHERE id = $1`, id), &d); err != nil {
		return d, notFound(err, "disposal")
	}
	var err error
	d.Records, err = queryRecords(ctx, s.read, `SELECT `+recordColumns+` FROM record_disposal_items i
		JOIN records r ON r.id = i.record_id JOIN record_types t ON t.id = r.type_id
		WHERE i.disposal_id = $1 ORDER BY r.record_date, r.n`, id)
	return d, err
}

// DisposalItems lists the IDs of the records a disposal covers.
func (tx *Tx) DisposalItems(ctx context.Context, id string) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT record_id FROM record_disposal_items WHERE disposal_id = $1 ORDER BY record_id`, id)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, s)
	}
	return out, mapErr(rows.Err())
}

// ListDisposals lists an organization's disposals, newest first; status
// "" is all of them.
func (s *Store) ListDisposals(ctx context.Context, orgID, status string) ([]isms.Disposal, error) {
	w := newWhere()
	w.add("org_id = ?", orgID)
	if status != "" {
		w.add("status = ?", status)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+disposalColumns+` FROM record_disposals`+w.sql()+
		` ORDER BY requested_at DESC, id LIMIT 1000`, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Disposal
	for rows.Next() {
		var d isms.Disposal
		if err := scanDisposal(rows, &d); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

// DecideDisposal records the approver's decision; a rejection frees the
// records for a later request.
func (tx *Tx) DecideDisposal(ctx context.Context, d *isms.Disposal) error {
	if _, err := tx.tx.ExecContext(ctx, `UPDATE record_disposals SET status = $2, decided_by = $3, decided_at = $4,
		decision_note = $5 WHERE id = $1`, d.ID, d.Status, d.DecidedBy, timePtr(d.DecidedAt), d.DecisionNote); err != nil {
		return mapErr(err)
	}
	if d.Status == isms.DisposalRejected {
		_, err := tx.tx.ExecContext(ctx, `UPDATE records SET disposal_id = NULL WHERE disposal_id = $1`, d.ID)
		return mapErr(err)
	}
	return nil
}

// ExecuteDisposal records how a disposal was carried out and marks its
// records disposed.
func (tx *Tx) ExecuteDisposal(ctx context.Context, d *isms.Disposal, at time.Time) error {
	if _, err := tx.tx.ExecContext(ctx, `UPDATE record_disposals SET status = $2, method = $3, executed_by = $4, executed_on = $5,
		witness = $6, execution_note = $7 WHERE id = $1`, d.ID, d.Status, d.Method, d.ExecutedBy, d.ExecutedOn, d.Witness,
		d.ExecutionNote); err != nil {
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE records SET disposed_at = $2 WHERE disposal_id = $1`, d.ID, at)
	return mapErr(err)
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"openisms/internal/isms"
)

const docColumns = `d.id, d.org_id, d.code, d.title, d.type, coalesce(d.dept_id, ''), d.author_id, coalesce(d.compiling_dept_id, ''),
	coalesce(d.interpreting_dept_id, ''), d.executing, d.confidentiality, d.review_months, d.next_review, d.related, d.clauses,
	d.status, d.revision_status, d.version_label, coalesce(d.current_version_id, ''), d.effective_date, d.created_at, d.updated_at`

func scanDoc(row interface{ Scan(...any) error }, d *isms.Document, extra ...any) error {
	var executing string
	err := row.Scan(append([]any{&d.ID, &d.OrgID, &d.Code, &d.Title, &d.Type, &d.DeptID, &d.AuthorID, &d.CompilingDeptID,
		&d.InterpretingDeptID, &executing, &d.Confidentiality, &d.ReviewMonths, &d.NextReview, &d.Related, &d.Clauses,
		&d.Status, &d.RevisionStatus, &d.VersionLabel, &d.CurrentVersionID, &d.EffectiveDate, &d.CreatedAt, &d.UpdatedAt}, extra...)...)
	d.Executing = splitList(executing)
	d.CreatedAt, d.UpdatedAt = isms.Normalize(d.CreatedAt), isms.Normalize(d.UpdatedAt)
	return err
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// DocFilter narrows the document register.
type DocFilter struct {
	OrgID, Type, Status, DeptID string
	// Text is a substring of the code, the title or the newest text.
	Text string
	// PublishedOnly hides documents that were never published (for
	// readers who do not compile documents).
	PublishedOnly bool
	After         string // code of the previous page's last row
	Limit         int
}

// ListDocuments lists a page of the register in code order. Text of three
// characters or more goes through the trigram index (FTS5 on SQLite,
// pg_trgm on PostgreSQL); shorter text scans the organization's rows.
func (s *Store) ListDocuments(ctx context.Context, f DocFilter) ([]isms.Document, error) {
	w := newWhere()
	w.add("d.org_id = ?", f.OrgID)
	if f.Type != "" {
		w.add("d.type = ?", f.Type)
	}
	if f.Status != "" {
		w.add("d.status = ?", f.Status)
	}
	if f.DeptID != "" {
		w.add("d.dept_id = ?", f.DeptID)
	}
	if f.PublishedOnly {
		w.add("d.status IN ('published', 'obsolete')")
	}
	if f.After != "" {
		w.add("d.code > ?", f.After)
	}
	from := ` FROM documents d`
	if text := strings.TrimSpace(f.Text); text != "" {
		m, err := s.textMatch(ctx, f.OrgID, text)
		if err != nil {
			return nil, err
		}
		switch {
		case m.none:
			return nil, nil
		case m.dense:
			// Many documents match (or the text is too short for the
			// index): walk the register in code order and test each
			// row; a page fills after a few hundred rows.
			pos := "instr"
			if s.Engine == Postgres {
				pos = "strpos"
			}
			w.add(pos+`(lower(d.code || ' ' || d.title || ' ' || d.body), ?) > 0`, strings.ToLower(text))
		case s.Engine == Postgres:
			// The expressions are the indexes', so the planner uses them.
			w.add(m.cond, m.arg)
		default:
			// Few hits: start from the index (CROSS JOIN keeps SQLite
			// from walking the whole register and probing each row).
			from = ` FROM documents_fts f CROSS JOIN documents d ON d.n = f.rowid`
			w.add(`documents_fts MATCH ?`, m.arg)
		}
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+docColumns+from+w.sql()+` ORDER BY d.code LIMIT `+w.limit(f.Limit), w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Document
	for rows.Next() {
		var d isms.Document
		if err := scanDoc(rows, &d); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

// denseBound is how many index hits make a text "dense": past it, reading
// rows in code order finds a page sooner than collecting every hit and
// sorting them.
const denseBound = 300

// maxPrefixTerms bounds the trigrams a two-character query expands to
// on SQLite; a pair that starts more is common, so dense.
const maxPrefixTerms = 2000

// textMatch says how to find documents containing text: not at all (the
// index knows no such string), by walking the register (dense, or one
// character), or through an index: on SQLite an FTS5 MATCH expression —
// the text as a phrase, or for two characters the trigrams that start
// with them; on PostgreSQL a condition on the pg_trgm index, or for two
// characters on the index of two-character strings.
type textMatch struct {
	none, dense bool
	cond        string // PostgreSQL: the condition, with one "?"
	arg         any
}

func (s *Store) textMatch(ctx context.Context, orgID, text string) (textMatch, error) {
	runes := utf8.RuneCountInString(text)
	if runes < 2 {
		return textMatch{dense: true}, nil
	}
	lower := strings.ToLower(text)
	var m textMatch
	var count string
	switch {
	case s.Engine == Postgres && runes == 2:
		m.cond, m.arg = `doc_bigrams(d.code || ' ' || d.title || ' ' || d.body) @> ARRAY[?]::text[]`, lower
	case s.Engine == Postgres:
		m.cond, m.arg = `(d.code || ' ' || d.title || ' ' || d.body) ILIKE ? ESCAPE '\'`, like(text)
	case runes == 2:
		terms, err := s.trigramsStarting(ctx, lower)
		if err != nil {
			return m, err
		}
		switch {
		case len(terms) == 0:
			return textMatch{none: true}, nil
		case len(terms) > maxPrefixTerms:
			return textMatch{dense: true}, nil
		}
		for i, t := range terms {
			terms[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		m.arg = strings.Join(terms, " OR ")
	default:
		m.arg = `"` + strings.ReplaceAll(text, `"`, `""`) + `"`
	}
	if s.Engine == Postgres {
		count = `SELECT count(*) FROM (SELECT 1 FROM documents d WHERE d.org_id = $1 AND ` +
			strings.Replace(m.cond, "?", "$2", 1) + ` LIMIT ` + itoa(denseBound) + `) x`
	} else {
		count = `SELECT count(*) FROM (SELECT 1 FROM documents_fts WHERE documents_fts MATCH $2 AND $1 <> '' LIMIT ` +
			itoa(denseBound) + `) x`
	}
	var n int
	if err := s.read.QueryRowContext(ctx, count, orgID, m.arg).Scan(&n); err != nil {
		return m, mapErr(err)
	}
	m.none, m.dense = n == 0, n >= denseBound
	return m, nil
}

// trigramsStarting lists the trigrams of the SQLite index's vocabulary
// that begin with the two characters pair (lower-cased, as the trigram
// tokenizer folds case), up to one more than maxPrefixTerms.
func (s *Store) trigramsStarting(ctx context.Context, pair string) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT term FROM documents_terms WHERE term >= $1 AND term < $2 LIMIT `+
		itoa(maxPrefixTerms+1), pair, pair+string(utf8.MaxRune))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}

// CJKTrigrams reports whether the search index covers Chinese text: always
// on SQLite; on PostgreSQL only when the database's LC_CTYPE classifies
// Chinese characters as letters (a UTF-8 locale, not C). Without it
// searches stay correct but scan.
func (s *Store) CJKTrigrams(ctx context.Context) (bool, error) {
	if s.Engine != Postgres {
		return true, nil
	}
	var n sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT array_length(show_trgm('口令控制'), 1)`).Scan(&n)
	return n.Int64 > 0, mapErr(err)
}

// Document reads a register entry.
func (s *Store) Document(ctx context.Context, id string) (isms.Document, error) {
	var d isms.Document
	err := scanDoc(s.read.QueryRowContext(ctx, `SELECT `+docColumns+` FROM documents d WHERE d.id = $1`, id), &d)
	return d, notFound(err, "document")
}

// Document reads a register entry in the transaction, locking it on
// PostgreSQL so lifecycle steps on one document run one at a time.
func (tx *Tx) Document(ctx context.Context, id string) (isms.Document, error) {
	q := `SELECT ` + docColumns + ` FROM documents d WHERE d.id = $1`
	if tx.engine == Postgres {
		q += ` FOR UPDATE`
	}
	var d isms.Document
	err := scanDoc(tx.tx.QueryRowContext(ctx, q, id), &d)
	return d, notFound(err, "document")
}

// DocumentCodes lists the codes an organization's register has.
func (tx *Tx) DocumentCodes(ctx context.Context, orgID string) (map[string]bool, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT code FROM documents WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, mapErr(err)
		}
		out[c] = true
	}
	return out, mapErr(rows.Err())
}

// CreateDocument inserts a register entry; the caller then adds its first
// version.
func (tx *Tx) CreateDocument(ctx context.Context, d *isms.Document) error {
	// SQLite writers take turns, so the next number is max + 1; on
	// PostgreSQL an identity column hands numbers out.
	n := "(SELECT coalesce(max(n), 0) + 1 FROM documents)"
	if tx.engine == Postgres {
		n = "DEFAULT"
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO documents (id, n, org_id, code, title, type, dept_id, author_id, compiling_dept_id,
		interpreting_dept_id, executing, confidentiality, review_months, next_review, related, clauses, status, revision_status,
		version_label, current_version_id, effective_date, body, created_at, updated_at)
		VALUES ($1, `+n+`, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
		$16, $17, $18, $19, $20, $21, $22, $23)`,
		d.ID, d.OrgID, d.Code, d.Title, d.Type, nullStr(d.DeptID), d.AuthorID, nullStr(d.CompilingDeptID),
		nullStr(d.InterpretingDeptID), strings.Join(d.Executing, ","), d.Confidentiality, d.ReviewMonths, d.NextReview,
		d.Related, d.Clauses, d.Status, d.RevisionStatus, d.VersionLabel, nullStr(d.CurrentVersionID), d.EffectiveDate, d.Body,
		d.CreatedAt, d.UpdatedAt)
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("code", isms.M("document.code_taken", "code", d.Code))
	}
	return mapErr(err)
}

// UpdateDocument writes a register entry's fields and status (not its
// search text: SetDocumentBody).
func (tx *Tx) UpdateDocument(ctx context.Context, d *isms.Document) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE documents SET code = $2, title = $3, type = $4, dept_id = $5, author_id = $6,
		compiling_dept_id = $7, interpreting_dept_id = $8, executing = $9, confidentiality = $10, review_months = $11,
		next_review = $12, related = $13, clauses = $14, status = $15, revision_status = $16, version_label = $17,
		current_version_id = $18, effective_date = $19, updated_at = $20 WHERE id = $1`,
		d.ID, d.Code, d.Title, d.Type, nullStr(d.DeptID), d.AuthorID, nullStr(d.CompilingDeptID), nullStr(d.InterpretingDeptID),
		strings.Join(d.Executing, ","), d.Confidentiality, d.ReviewMonths, d.NextReview, d.Related, d.Clauses, d.Status,
		d.RevisionStatus, d.VersionLabel, nullStr(d.CurrentVersionID), d.EffectiveDate, d.UpdatedAt)
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("code", isms.M("document.code_taken", "code", d.Code))
	}
	return mapErr(err)
}

// SetDocumentBody replaces the text search reads (the newest version's).
// UpdateDocument leaves it alone: lifecycle steps read documents without
// their text and must not blank it.
func (tx *Tx) SetDocumentBody(ctx context.Context, id, body string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE documents SET body = $2 WHERE id = $1`, id, body)
	return mapErr(err)
}

const versionColumns = `id, document_id, label, status, body, change_note, author_id, reviewers, consulted, submitted_at,
	approved_by, approved_at, effective_date, trial_end, published_at, retired_at, created_at`

func scanVersion(row interface{ Scan(...any) error }, v *isms.DocVersion) error {
	var reviewers, consulted string
	var submitted, approved, published, retired nullTimeCol
	err := row.Scan(&v.ID, &v.DocumentID, &v.Label, &v.Status, &v.Body, &v.ChangeNote, &v.AuthorID, &reviewers, &consulted,
		&submitted, &v.ApprovedBy, &approved, &v.EffectiveDate, &v.TrialEnd, &published, &retired, &v.CreatedAt)
	v.Reviewers, v.Consulted = splitList(reviewers), splitList(consulted)
	v.SubmittedAt, v.ApprovedAt, v.PublishedAt, v.RetiredAt = submitted.ptr(), approved.ptr(), published.ptr(), retired.ptr()
	v.CreatedAt = isms.Normalize(v.CreatedAt)
	return err
}

// DocVersions lists a document's versions, newest first.
func (s *Store) DocVersions(ctx context.Context, docID string) ([]isms.DocVersion, error) {
	return queryVersions(ctx, s.read, `SELECT `+versionColumns+` FROM document_versions WHERE document_id = $1 ORDER BY created_at DESC, id DESC`, docID)
}

// DocVersions lists a document's versions in the transaction, newest first.
func (tx *Tx) DocVersions(ctx context.Context, docID string) ([]isms.DocVersion, error) {
	return queryVersions(ctx, tx.tx, `SELECT `+versionColumns+` FROM document_versions WHERE document_id = $1 ORDER BY created_at DESC, id DESC`, docID)
}

func queryVersions(ctx context.Context, q queryer, query string, args ...any) ([]isms.DocVersion, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.DocVersion
	for rows.Next() {
		var v isms.DocVersion
		if err := scanVersion(rows, &v); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, v)
	}
	return out, mapErr(rows.Err())
}

// DocVersion reads one version.
func (s *Store) DocVersion(ctx context.Context, id string) (isms.DocVersion, error) {
	var v isms.DocVersion
	err := scanVersion(s.read.QueryRowContext(ctx, `SELECT `+versionColumns+` FROM document_versions WHERE id = $1`, id), &v)
	return v, notFound(err, "document_version")
}

// CreateDocVersion inserts a version.
func (tx *Tx) CreateDocVersion(ctx context.Context, v *isms.DocVersion) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO document_versions (`+versionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`, versionArgs(v)...)
	if isms.ErrorCode(mapErr(err)) == isms.CodeConflict {
		return isms.Conflict("label", isms.M("document.label_taken", "label", v.Label))
	}
	return mapErr(err)
}

// UpdateDocVersion writes a version.
func (tx *Tx) UpdateDocVersion(ctx context.Context, v *isms.DocVersion) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE document_versions SET label = $3, status = $4, body = $5, change_note = $6,
		author_id = $7, reviewers = $8, consulted = $9, submitted_at = $10, approved_by = $11, approved_at = $12,
		effective_date = $13, trial_end = $14, published_at = $15, retired_at = $16 WHERE id = $1 AND document_id = $2`,
		versionArgs(v)[:16]...)
	return mapErr(err)
}

func versionArgs(v *isms.DocVersion) []any {
	t := func(p *time.Time) any {
		if p == nil {
			return nil
		}
		return *p
	}
	return []any{v.ID, v.DocumentID, v.Label, v.Status, v.Body, v.ChangeNote, v.AuthorID, strings.Join(v.Reviewers, ","),
		strings.Join(v.Consulted, ","), t(v.SubmittedAt), v.ApprovedBy, t(v.ApprovedAt), v.EffectiveDate, v.TrialEnd,
		t(v.PublishedAt), t(v.RetiredAt), v.CreatedAt}
}

// DocComments lists the comments on a document's versions, oldest first.
func (s *Store) DocComments(ctx context.Context, docID string) ([]isms.DocComment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT c.id, c.version_id, c.kind, c.account_id, c.author, coalesce(c.dept_id, ''), c.body, c.created_at
		FROM document_comments c JOIN document_versions v ON v.id = c.version_id WHERE v.document_id = $1 ORDER BY c.created_at, c.id`, docID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.DocComment
	for rows.Next() {
		var c isms.DocComment
		if err := rows.Scan(&c.ID, &c.VersionID, &c.Kind, &c.AccountID, &c.Author, &c.DeptID, &c.Body, &c.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		c.CreatedAt = isms.Normalize(c.CreatedAt)
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// AddDocComment records a comment.
func (tx *Tx) AddDocComment(ctx context.Context, c *isms.DocComment) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO document_comments (id, version_id, kind, account_id, author, dept_id, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ID, c.VersionID, c.Kind, c.AccountID, c.Author, nullStr(c.DeptID), c.Body, c.CreatedAt)
	return mapErr(err)
}

// ApprovedDue lists approved versions whose effective day has come (as
// the ISO day today), for the scheduler to publish.
func (tx *Tx) ApprovedDue(ctx context.Context, today string, limit int) ([]isms.DocVersion, error) {
	return queryVersions(ctx, tx.tx, `SELECT `+versionColumns+` FROM document_versions
		WHERE status = 'approved' AND effective_date <> '' AND effective_date <= $1 ORDER BY effective_date, id LIMIT $2`, today, limit)
}

// DueDocReviews lists published documents whose review falls on or before
// by and that have no review task since they last changed.
func (tx *Tx) DueDocReviews(ctx context.Context, by string, limit int) ([]isms.Document, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT `+docColumns+` FROM documents d
		WHERE d.next_review <> '' AND d.next_review <= $1 AND d.status = 'published'
		AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.source_type = 'document_review' AND t.source_id = d.id AND t.created_at >= d.updated_at)
		ORDER BY d.next_review, d.id LIMIT $2`, by, limit)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Document
	for rows.Next() {
		var d isms.Document
		if err := scanDoc(rows, &d); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

const ackColumns = `k.id, k.org_id, k.document_id, k.version_id, k.account_id, coalesce(a.display_name, a.username), coalesce(k.dept_id, ''),
	k.task_id, k.distributed_by, k.distributed_at, k.due_at, k.acknowledged_at`

func queryAcks(ctx context.Context, q queryer, query string, args ...any) ([]isms.DocAck, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.DocAck
	for rows.Next() {
		var k isms.DocAck
		var at nullTimeCol
		if err := rows.Scan(&k.ID, &k.OrgID, &k.DocumentID, &k.VersionID, &k.AccountID, &k.AccountName, &k.DeptID, &k.TaskID,
			&k.DistributedBy, &k.DistributedAt, &k.DueAt, &at); err != nil {
			return nil, mapErr(err)
		}
		k.DistributedAt, k.DueAt, k.AcknowledgedAt = isms.Normalize(k.DistributedAt), isms.Normalize(k.DueAt), at.ptr()
		out = append(out, k)
	}
	return out, mapErr(rows.Err())
}

// DocAcks lists who must read a version.
func (s *Store) DocAcks(ctx context.Context, versionID string) ([]isms.DocAck, error) {
	return queryAcks(ctx, s.read, `SELECT `+ackColumns+` FROM document_acks k JOIN accounts a ON a.id = k.account_id
		WHERE k.version_id = $1 ORDER BY a.username`, versionID)
}

// DocAcks lists who must read a version, in the transaction.
func (tx *Tx) DocAcks(ctx context.Context, versionID string) ([]isms.DocAck, error) {
	return queryAcks(ctx, tx.tx, `SELECT `+ackColumns+` FROM document_acks k JOIN accounts a ON a.id = k.account_id
		WHERE k.version_id = $1 ORDER BY a.username`, versionID)
}

// DocAckOf reads one account's reading duty for a version.
func (tx *Tx) DocAckOf(ctx context.Context, versionID, accountID string) (isms.DocAck, error) {
	acks, err := queryAcks(ctx, tx.tx, `SELECT `+ackColumns+` FROM document_acks k JOIN accounts a ON a.id = k.account_id
		WHERE k.version_id = $1 AND k.account_id = $2`, versionID, accountID)
	if err == nil && len(acks) == 0 {
		err = isms.NotFound("document_ack")
	}
	if err != nil {
		return isms.DocAck{}, err
	}
	return acks[0], nil
}

// AddDocAck records a reading duty.
func (tx *Tx) AddDocAck(ctx context.Context, k *isms.DocAck) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO document_acks (id, org_id, document_id, version_id, account_id, dept_id, task_id,
		distributed_by, distributed_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		k.ID, k.OrgID, k.DocumentID, k.VersionID, k.AccountID, nullStr(k.DeptID), k.TaskID, k.DistributedBy, k.DistributedAt, k.DueAt)
	return mapErr(err)
}

// Acknowledge marks a reading duty done.
func (tx *Tx) Acknowledge(ctx context.Context, ackID string, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE document_acks SET acknowledged_at = $2 WHERE id = $1 AND acknowledged_at IS NULL`, ackID, at)
	return mapErr(err)
}

// Setting reads an organization's setting into v; found is false when it
// was never set.
func (tx *Tx) Setting(ctx context.Context, orgID, name string, v any) (found bool, err error) {
	return getSetting(ctx, tx.tx, orgID, name, v)
}

// Setting reads an organization's setting into v.
func (s *Store) Setting(ctx context.Context, orgID, name string, v any) (found bool, err error) {
	return getSetting(ctx, s.read, orgID, name, v)
}

func getSetting(ctx context.Context, q queryer, orgID, name string, v any) (bool, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT value FROM org_settings WHERE org_id = $1 AND name = $2`, orgID, name).Scan(&raw)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, mapErr(err)
	}
	return true, json.Unmarshal([]byte(raw), v)
}

// SetSetting stores an organization's setting.
func (tx *Tx) SetSetting(ctx context.Context, orgID, name string, v any, at time.Time) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO org_settings (org_id, name, value, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (org_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, orgID, name, string(raw), at)
	return mapErr(err)
}

// Recipient is an account a document goes to, with its department.
type Recipient struct {
	AccountID, DeptID string
}

// Recipients resolves a distribution list to the organization's live
// accounts: everyone in the departments (and their sub-departments), every
// holder of the roles, and the named accounts, each once.
func (tx *Tx) Recipients(ctx context.Context, orgID string, deptIDs []string, roles []isms.Role, accountIDs []string) ([]Recipient, error) {
	w := &where{}
	w.add("a.org_id = ?", orgID)
	var alts []string
	if len(deptIDs) > 0 {
		alts = append(alts, `p.dept_id IN (SELECT c.id FROM departments c JOIN departments d ON c.org_id = d.org_id
			AND c.path LIKE d.path || '%' WHERE d.id IN (`+placeholders(w, deptIDs)+`))`)
	}
	if len(roles) > 0 {
		rs := make([]string, len(roles))
		for i, r := range roles {
			rs[i] = string(r)
		}
		alts = append(alts, `EXISTS (SELECT 1 FROM role_grants g WHERE g.account_id = a.id AND g.status = 'active' AND g.role IN (`+
			placeholders(w, rs)+`))`)
	}
	if len(accountIDs) > 0 {
		alts = append(alts, `a.id IN (`+placeholders(w, accountIDs)+`)`)
	}
	if len(alts) == 0 {
		return nil, nil
	}
	rows, err := tx.tx.QueryContext(ctx, `SELECT a.id, coalesce(p.dept_id, '') FROM accounts a LEFT JOIN people p ON p.id = a.person_id
		WHERE a.archived_at IS NULL AND `+strings.Join(w.conds, " AND ")+` AND (`+strings.Join(alts, " OR ")+`) ORDER BY a.username`, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		var r Recipient
		if err := rows.Scan(&r.AccountID, &r.DeptID); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// placeholders appends vals to w's arguments and returns "$i, $j, …".
func placeholders(w *where, vals []string) string {
	ps := make([]string, len(vals))
	for i, v := range vals {
		w.args = append(w.args, v)
		ps[i] = "$" + itoa(len(w.args))
	}
	return strings.Join(ps, ", ")
}

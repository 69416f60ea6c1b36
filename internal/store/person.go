package store

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"openisms/internal/isms"
)

const personColumns = `id, org_id, coalesce(dept_id, ''), name, employee_no, post, phone, email, status,
	joined_on, left_on, created_at, updated_at, archived_at`

func scanPerson(row interface{ Scan(...any) error }, p *isms.Person) error {
	var archived nullTimeCol
	err := row.Scan(&p.ID, &p.OrgID, &p.DeptID, &p.Name, &p.EmployeeNo, &p.Post, &p.Phone, &p.Email, &p.Status,
		dateCol{&p.JoinedOn}, dateCol{&p.LeftOn}, &p.CreatedAt, &p.UpdatedAt, &archived)
	p.ArchivedAt = archived.ptr()
	p.CreatedAt, p.UpdatedAt = isms.Normalize(p.CreatedAt), isms.Normalize(p.UpdatedAt)
	return err
}

func getPerson(ctx context.Context, q queryer, id string) (isms.Person, error) {
	var p isms.Person
	if err := scanPerson(q.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people WHERE id = $1`, id), &p); err != nil {
		return p, notFound(err, "person")
	}
	return p, nil
}

// Person reads one person, archived or not.
func (s *Store) Person(ctx context.Context, id string) (isms.Person, error) {
	return getPerson(ctx, s.read, id)
}

// Person reads one person inside the transaction.
func (tx *Tx) Person(ctx context.Context, id string) (isms.Person, error) {
	return getPerson(ctx, tx.tx, id)
}

// CreatePerson inserts p with its search terms; ID and times must be set.
func (tx *Tx) CreatePerson(ctx context.Context, p *isms.Person) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO people (id, org_id, dept_id, name, name_lower, employee_no, post, phone,
		email, status, joined_on, left_on, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
		p.ID, p.OrgID, nullStr(p.DeptID), p.Name, strings.ToLower(p.Name), p.EmployeeNo, p.Post, p.Phone, p.Email, p.Status,
		nullStr(p.JoinedOn), nullStr(p.LeftOn), p.CreatedAt, p.UpdatedAt)
	if err != nil {
		return mapErr(err)
	}
	return tx.insertPersonTerms(ctx, p)
}

func (tx *Tx) insertPersonTerms(ctx context.Context, p *isms.Person) error {
	terms := isms.NameTerms(p.Name)
	if len(terms) == 0 {
		return nil
	}
	var b strings.Builder
	args := make([]any, 0, 2+len(terms))
	args = append(args, p.OrgID, p.ID)
	args = append(args, p.Name)
	b.WriteString(`INSERT INTO person_terms (term_org, term, term_name, term_person) VALUES `)
	for i, t := range terms {
		if i > 0 {
			b.WriteString(", ")
		}
		args = append(args, t)
		fmt.Fprintf(&b, "($1, $%d, $3, $2)", len(args))
	}
	_, err := tx.tx.ExecContext(ctx, b.String(), args...)
	return mapErr(err)
}

// UpdatePerson writes every editable field of p and renews its search
// terms when the name changed.
func (tx *Tx) UpdatePerson(ctx context.Context, p *isms.Person) error {
	var oldName string
	if err := tx.tx.QueryRowContext(ctx, `SELECT name FROM people WHERE id = $1`, p.ID).Scan(&oldName); err != nil {
		return notFound(err, "person")
	}
	_, err := tx.tx.ExecContext(ctx, `UPDATE people SET dept_id = $2, name = $3, name_lower = $4, employee_no = $5, post = $6,
		phone = $7, email = $8, status = $9, joined_on = $10, left_on = $11, updated_at = $12 WHERE id = $1`,
		p.ID, nullStr(p.DeptID), p.Name, strings.ToLower(p.Name), p.EmployeeNo, p.Post, p.Phone, p.Email, p.Status,
		nullStr(p.JoinedOn), nullStr(p.LeftOn), p.UpdatedAt)
	if err != nil || oldName == p.Name {
		return mapErr(err)
	}
	// Remove the old name's terms by their full key (no index on the person).
	for _, t := range isms.NameTerms(oldName) {
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM person_terms WHERE term_org = $1 AND term = $2 AND term_name = $3
			AND term_person = $4`, p.OrgID, t, oldName, p.ID); err != nil {
			return mapErr(err)
		}
	}
	return tx.insertPersonTerms(ctx, p)
}

// ArchivePerson marks a person archived.
func (tx *Tx) ArchivePerson(ctx context.Context, id string, at any) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE people SET archived_at = $2, updated_at = $2 WHERE id = $1`, id, at)
	return mapErr(err)
}

// denseIdentifiers is how many identifier matches make a query "common":
// past it, reading people in list order meets a page of matches sooner than
// sorting the matches would.
const denseIdentifiers = 5000

// ListPeople lists the people of f.OrgID ordered by name. f.Status may be
// a person status (active, left) besides archived and all; the default is
// everyone not archived.
//
// f.Text matches a name containing it, or an employee number, phone number
// or email address starting with it. Each way below applies that same
// condition in list order, so they return the same page:
//   - text that starts thousands of identifiers ("1", "E0") fills a page
//     from the first people in name order;
//   - otherwise names come from the term index, whose key is already in
//     name order, so a page costs the same however many names match; the
//     few identifier matches come from their own indexes, sorted; the two
//     are merged in Go.
func (s *Store) ListPeople(ctx context.Context, f isms.ListFilter) ([]isms.Person, error) {
	base := newWhere()
	base.add("org_id = ?", f.OrgID)
	if f.DeptID != "" {
		base.add("dept_id = ?", f.DeptID)
	}
	switch f.Status {
	case string(isms.PersonActive), string(isms.PersonLeft):
		base.archived("")
		base.add("status = ?", f.Status)
	default:
		base.archived(f.Status)
	}
	n := isms.ClampLimit(f.Limit)
	limit := strconv.Itoa(n)
	if f.Text == "" && f.Sort == "employee_no" {
		// Employee numbers are unique in an organization: the cursor's
		// Name carries the last number.
		if f.After.ID != "" {
			base.add("employee_no > ?", f.After.Name)
		}
		return s.queryPeople(ctx, `SELECT `+personColumns+` FROM people`+base.sql()+` ORDER BY employee_no LIMIT `+limit, base.args)
	}
	base.after(f.After)
	if f.Text == "" {
		return s.queryPeople(ctx, `SELECT `+personColumns+` FROM people`+base.sql()+` ORDER BY name, id LIMIT `+limit, base.args)
	}
	text := strings.ToLower(f.Text)

	// How many identifiers start with the text, counted up to a bound.
	cw := where{args: []any{f.OrgID}}
	cranges := identRanges(&cw, f.Text)
	counts := make([]string, len(cranges))
	for i, r := range cranges {
		counts[i] = fmt.Sprintf("(SELECT count(*) FROM (%s LIMIT %d) c%d)", r, denseIdentifiers+1, i)
	}
	var found int
	if err := s.read.QueryRowContext(ctx, `SELECT `+strings.Join(counts, " + "), cw.args...).Scan(&found); err != nil {
		return nil, mapErr(err)
	}
	if found > denseIdentifiers {
		w := where{args: append([]any(nil), base.args...)}
		cond := textCondition(&w, f.Text)
		return s.queryPeople(ctx, `SELECT `+personColumns+` FROM people WHERE `+strings.Join(append(base.conds, cond), " AND ")+
			` ORDER BY name, id LIMIT `+limit, w.args)
	}

	// Names: the first page straight from the term index.
	nw := where{args: append([]any(nil), base.args...)}
	term := isms.QueryTerm(text)
	nw.args = append(nw.args, term)
	termArg := len(nw.args)
	contains := "" // a one- or two-character term is the text itself
	if term != text {
		nw.args = append(nw.args, like(text))
		contains = fmt.Sprintf(` AND name_lower LIKE $%d ESCAPE '\'`, len(nw.args))
	}
	after := ""
	if f.After.ID != "" {
		nw.args = append(nw.args, f.After.Name, f.After.ID)
		after = fmt.Sprintf(" AND (term_name > $%d OR (term_name = $%d AND term_person > $%d))", len(nw.args)-1, len(nw.args)-1, len(nw.args))
	}
	q := `SELECT ` + personColumns + ` FROM person_terms CROSS JOIN people
		WHERE term_org = $1 AND term = $` + strconv.Itoa(termArg) + after + ` AND people.id = term_person
		AND ` + strings.Join(base.conds, " AND ") + contains + `
		ORDER BY term_name, term_person LIMIT ` + limit
	byName, err := s.queryPeople(ctx, q, nw.args)
	if err != nil {
		return nil, err
	}

	// Identifiers: the union of the ranges drives the join (CROSS JOIN
	// fixes that order on SQLite; "cid" keeps the bare column names of the
	// conditions meaning people's).
	iw := where{args: append([]any(nil), base.args...)}
	ranges := identRanges(&iw, f.Text)
	q = `SELECT ` + personColumns + ` FROM (` + strings.Join(ranges, " UNION ") + `) cand CROSS JOIN people
		WHERE people.id = cand.cid AND ` + strings.Join(base.conds, " AND ") + ` ORDER BY name, id LIMIT ` + limit
	byID, err := s.queryPeople(ctx, q, iw.args)
	if err != nil {
		return nil, err
	}
	return mergePeople(byName, byID, n), nil
}

// mergePeople merges two lists in (name, id) order, without repeats, up
// to n people.
func mergePeople(a, b []isms.Person, n int) []isms.Person {
	out := make([]isms.Person, 0, min(n, len(a)+len(b)))
	less := func(x, y isms.Person) bool { return x.Name < y.Name || x.Name == y.Name && x.ID < y.ID }
	for len(out) < n && (len(a) > 0 || len(b) > 0) {
		switch {
		case len(b) == 0 || len(a) > 0 && less(a[0], b[0]):
			out, a = append(out, a[0]), a[1:]
		case len(a) == 0 || less(b[0], a[0]):
			out, b = append(out, b[0]), b[1:]
		default: // the same person from both
			out, a, b = append(out, a[0]), a[1:], b[1:]
		}
	}
	return out
}

// identRanges returns one query per identifier column and form, each
// selecting the IDs ("cid") whose value starts with text; $1 is the
// organization and the bounds are added to w.
func identRanges(w *where, text string) []string {
	var out []string
	for _, col := range []string{"employee_no", "phone", "email"} {
		for _, p := range prefixes(col, text) {
			w.args = append(w.args, p, p+"\U0010FFFF")
			out = append(out, fmt.Sprintf("SELECT id AS cid FROM people WHERE org_id = $1 AND %s >= $%d AND %s < $%d",
				col, len(w.args)-1, col, len(w.args)))
		}
	}
	return out
}

// textCondition adds the search condition's arguments to w and returns it.
func textCondition(w *where, text string) string {
	var parts []string
	w.args = append(w.args, like(text))
	parts = append(parts, fmt.Sprintf(`name_lower LIKE $%d ESCAPE '\'`, len(w.args)))
	for _, col := range []string{"employee_no", "phone", "email"} {
		for _, p := range prefixes(col, text) {
			w.args = append(w.args, p, p+"\U0010FFFF")
			parts = append(parts, fmt.Sprintf("(%s >= $%d AND %s < $%d)", col, len(w.args)-1, col, len(w.args)))
		}
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// prefixes are the forms of text a column's prefix search tries: employee
// numbers as typed and in capitals, emails (stored lower-case) in lower case.
func prefixes(col, text string) []string {
	switch col {
	case "employee_no":
		if up := strings.ToUpper(text); up != text {
			return []string{text, up}
		}
		return []string{text}
	case "email":
		return []string{strings.ToLower(text)}
	}
	return []string{text}
}

func (s *Store) queryPeople(ctx context.Context, q string, args []any) ([]isms.Person, error) {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Person
	for rows.Next() {
		var p isms.Person
		if err := scanPerson(rows, &p); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, p)
	}
	return out, mapErr(rows.Err())
}

// PersonNames names the organization's people with the given IDs (IDs of
// no person of the organization are left out).
func (s *Store) PersonNames(ctx context.Context, orgID string, ids []string) (map[string]string, error) {
	out := map[string]string{}
	for start := 0; start < len(ids); start += 500 {
		w := newWhere()
		w.args = append(w.args, orgID)
		in := placeholders(w, ids[start:min(start+500, len(ids))])
		part, err := pairs[string](ctx, s.read, `SELECT id, name FROM people WHERE org_id = $1 AND id IN (`+in+`)`, w.args...)
		if err != nil {
			return nil, err
		}
		maps.Copy(out, part)
	}
	return out, nil
}

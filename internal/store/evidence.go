package store

import (
	"context"
	"strconv"

	"openisms/internal/isms"
)

// evidenceCounts is a subquery counting, per subject of one kind, the
// evidence in effect on day today and of that the items expiring by
// warn, for organization org; the three are placeholders ("$3"). Join it
// on subject_id.
func evidenceCounts(subject, org, today, warn string) string {
	return `(SELECT subject_id,
			SUM(CASE WHEN effective_on <= ` + today + ` AND (expires_on = '' OR expires_on >= ` + today + `)
				THEN 1 ELSE 0 END) AS valid,
			SUM(CASE WHEN effective_on <= ` + today + ` AND expires_on <> '' AND expires_on >= ` + today + `
				AND expires_on <= ` + warn + ` THEN 1 ELSE 0 END) AS expiring
		FROM evidence WHERE org_id = ` + org + ` AND subject = '` + subject + `' GROUP BY subject_id)`
}

const evidenceColumns = `e.id, e.org_id, e.subject, e.subject_id, e.title, e.attachment_id, e.record_id, e.effective_on,
	e.expires_on, e.added_by, e.added_at, coalesce(f.filename, ''), coalesce(CAST(c.n AS TEXT), ''), coalesce(c.title, '')`

const evidenceFrom = ` FROM evidence e LEFT JOIN attachments f ON f.id = e.attachment_id
	LEFT JOIN records c ON c.id = e.record_id`

func queryEvidence(ctx context.Context, q queryer, query string, args ...any) ([]isms.Evidence, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Evidence{}
	for rows.Next() {
		var e isms.Evidence
		var n, title string
		if err := rows.Scan(&e.ID, &e.OrgID, &e.Subject, &e.SubjectID, &e.Title, &e.AttachmentID, &e.RecordID,
			&e.EffectiveOn, &e.ExpiresOn, &e.AddedBy, &e.AddedAt, &e.Filename, &n, &title); err != nil {
			return nil, mapErr(err)
		}
		if n != "" {
			x, _ := strconv.ParseInt(n, 10, 64)
			e.RecordLabel = isms.Record{N: x}.Number() + " " + title
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

// Evidence lists the evidence of an SoA row or a measure, newest first.
func (s *Store) Evidence(ctx context.Context, orgID, subject, subjectID string) ([]isms.Evidence, error) {
	return queryEvidence(ctx, s.read, `SELECT `+evidenceColumns+evidenceFrom+`
		WHERE e.subject_id = $1 AND e.org_id = $2 AND e.subject = $3 ORDER BY e.effective_on DESC, e.added_at DESC`,
		subjectID, orgID, subject)
}

// EvidenceItem reads one evidence item of the organization.
func (s *Store) EvidenceItem(ctx context.Context, orgID, id string) (isms.Evidence, error) {
	es, err := queryEvidence(ctx, s.read, `SELECT `+evidenceColumns+evidenceFrom+` WHERE e.id = $1 AND e.org_id = $2`,
		id, orgID)
	return one(es, err, "evidence")
}

// EvidenceItem reads one evidence item in a transaction.
func (tx *Tx) EvidenceItem(ctx context.Context, orgID, id string) (isms.Evidence, error) {
	es, err := queryEvidence(ctx, tx.tx, `SELECT `+evidenceColumns+evidenceFrom+` WHERE e.id = $1 AND e.org_id = $2`,
		id, orgID)
	return one(es, err, "evidence")
}

// AddEvidence stores an evidence item.
func (tx *Tx) AddEvidence(ctx context.Context, e *isms.Evidence) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO evidence (id, org_id, subject, subject_id, title, attachment_id,
		record_id, effective_on, expires_on, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.ID, e.OrgID, e.Subject, e.SubjectID, e.Title, e.AttachmentID, e.RecordID, e.EffectiveOn, e.ExpiresOn, e.AddedBy,
		e.AddedAt)
	return mapErr(err)
}

// DeleteEvidence removes an evidence item (its file stays, as every
// attachment does, for the audit trail).
func (tx *Tx) DeleteEvidence(ctx context.Context, orgID, id string) error {
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM evidence WHERE id = $1 AND org_id = $2`, id, orgID)
	return mustAffect(res, err, "evidence")
}

package store

import (
	"context"

	"openisms/internal/isms"
)

const attachmentColumns = `id, org_id, owner_type, owner_id, sha256, size, filename, content_type, uploaded_by, created_at`

func scanAttachment(row interface{ Scan(...any) error }, a *isms.Attachment) error {
	err := row.Scan(&a.ID, &a.OrgID, &a.OwnerType, &a.OwnerID, &a.SHA256, &a.Size, &a.Filename, &a.ContentType, &a.UploadedBy, &a.CreatedAt)
	a.CreatedAt = isms.Normalize(a.CreatedAt)
	return err
}

// CreateAttachment records an attachment.
func (tx *Tx) CreateAttachment(ctx context.Context, a *isms.Attachment) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO attachments (`+attachmentColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		a.ID, a.OrgID, a.OwnerType, a.OwnerID, a.SHA256, a.Size, a.Filename, a.ContentType, a.UploadedBy, a.CreatedAt)
	return mapErr(err)
}

// Attachment reads one attachment.
func (s *Store) Attachment(ctx context.Context, id string) (isms.Attachment, error) {
	var a isms.Attachment
	if err := scanAttachment(s.read.QueryRowContext(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE id = $1`, id), &a); err != nil {
		return a, notFound(err, "attachment")
	}
	return a, nil
}

func listAttachments(ctx context.Context, q queryer, ownerType, ownerID string) ([]isms.Attachment, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE owner_type = $1 AND owner_id = $2
		ORDER BY created_at, id LIMIT 200`, ownerType, ownerID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []isms.Attachment
	for rows.Next() {
		var a isms.Attachment
		if err := scanAttachment(rows, &a); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, a)
	}
	return out, mapErr(rows.Err())
}

// ListAttachments lists a record's attachments, oldest first.
func (s *Store) ListAttachments(ctx context.Context, ownerType, ownerID string) ([]isms.Attachment, error) {
	return listAttachments(ctx, s.read, ownerType, ownerID)
}

// Attachments lists a record's attachments in the transaction.
func (tx *Tx) Attachments(ctx context.Context, ownerType, ownerID string) ([]isms.Attachment, error) {
	return listAttachments(ctx, tx.tx, ownerType, ownerID)
}

// AttachmentsOf lists the attachments of several records of one type, by
// record, each oldest first.
func (s *Store) AttachmentsOf(ctx context.Context, ownerType string, ownerIDs []string) (map[string][]isms.Attachment, error) {
	out := map[string][]isms.Attachment{}
	if len(ownerIDs) == 0 {
		return out, nil
	}
	w := &where{args: []any{ownerType}}
	rows, err := s.read.QueryContext(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE owner_type = $1
		AND owner_id IN (`+placeholders(w, ownerIDs)+`) ORDER BY created_at, id`, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a isms.Attachment
		if err := scanAttachment(rows, &a); err != nil {
			return nil, mapErr(err)
		}
		out[a.OwnerID] = append(out[a.OwnerID], a)
	}
	return out, mapErr(rows.Err())
}

package service

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"openisms/internal/blob"
	"openisms/internal/isms"
	"openisms/internal/store"
)

// MaxAttachment is the largest file accepted as evidence.
const MaxAttachment = 20 << 20

// MaxUpload bounds any upload's request body; each kind of file has its
// own, smaller limit (evidence MaxAttachment, documents a setting).
const MaxUpload = 1 << 30

// SetBlobs sets where attachment bytes are kept.
func (s *Service) SetBlobs(b blob.Local) { s.blobs = b }

// HasBlobs reports whether files can be stored (a service built for a
// command that needs none may have no blob store).
func (s *Service) HasBlobs() bool { return s.blobs.Dir != "" }

// AttachToTask stores a file as evidence of a task the actor works on.
// The bytes go to the blob store first (content-addressed, so a failed
// transaction leaves at most an unreferenced blob, never a dangling row).
func (s *Service) AttachToTask(ctx context.Context, a isms.Actor, taskID, filename string, r io.Reader) (isms.Attachment, error) {
	var att isms.Attachment
	filename = cleanFilename(filename)
	if filename == "" {
		return att, isms.Invalid("file", isms.M("field.required"))
	}
	// Check the task before reading the upload.
	if err := s.st.InTx(ctx, func(tx *store.Tx) error { _, err := s.taskForWork(ctx, tx, a, taskID); return err }); err != nil {
		return att, err
	}
	sum, size, head, err := s.storeUpload(r, MaxAttachment)
	if err != nil {
		return att, err
	}
	att = isms.Attachment{ID: newID(), OrgID: a.OrgID, OwnerType: "task", OwnerID: taskID, SHA256: sum, Size: size,
		Filename: filename, ContentType: http.DetectContentType(head), UploadedBy: a.Name(), CreatedAt: s.clock.Now()}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		t, err := s.taskForWork(ctx, tx, a, taskID)
		if err != nil {
			return err
		}
		att.OrgID = t.OrgID
		if err := tx.CreateAttachment(ctx, &att); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: t.OrgID, Action: "task.attach", EntityType: "task", EntityID: t.ID,
			Summary: filename, Data: map[string]any{"attachment_id": att.ID, "sha256": sum, "size": size}})
	})
	return att, err
}

// storeUpload puts an upload in the blob store, up to limit bytes, and
// returns its hash, size and first bytes (to tell its type). The bytes go
// in before the record that names them: content-addressed, so a failed
// transaction leaves at most an unreferenced blob, never a dangling row.
func (s *Service) storeUpload(r io.Reader, limit int64) (sum string, size int64, head []byte, err error) {
	if s.blobs.Dir == "" {
		return "", 0, nil, isms.Internal(errors.New("no blob store configured"))
	}
	br := bufio.NewReader(r)
	head, _ = br.Peek(512)
	head = bytes.Clone(head)
	sum, size, err = s.blobs.Put(br, limit)
	switch {
	case errors.Is(err, blob.ErrTooLarge):
		return "", 0, nil, isms.Invalid("file", isms.M("attachment.too_large", "max", fmt.Sprintf("%d MiB", limit>>20)))
	case err != nil:
		return "", 0, nil, isms.Internal(err)
	case size == 0:
		return "", 0, nil, isms.Invalid("file", isms.M("attachment.empty"))
	}
	return sum, size, head, nil
}

// cleanFilename keeps the base name of an upload, without control
// characters, at most 200 characters.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || !utf8.ValidString(name) {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return strings.TrimSpace(name)
}

// TaskAttachments lists the evidence files of a task the actor may see.
func (s *Service) TaskAttachments(ctx context.Context, a isms.Actor, taskID string) ([]isms.Attachment, error) {
	if _, err := s.Task(ctx, a, taskID); err != nil {
		return nil, err
	}
	return s.st.ListAttachments(ctx, "task", taskID)
}

// OpenAttachment opens an attachment of a record the actor may see.
func (s *Service) OpenAttachment(ctx context.Context, a isms.Actor, id string) (isms.Attachment, io.ReadCloser, error) {
	if !isms.ValidID(id) {
		return isms.Attachment{}, nil, isms.NotFound("attachment")
	}
	att, err := s.st.Attachment(ctx, id)
	if err != nil {
		return att, nil, err
	}
	switch att.OwnerType {
	case "submission":
		// The organization's own files; a reviewing body's only those a
		// version it has received names.
		v, err := s.Submission(ctx, a, att.OwnerID)
		if err != nil {
			return att, nil, err
		}
		if _, ok := v.Attachments[att.ID]; !ok {
			return att, nil, isms.NotFound("attachment")
		}
	case "task":
		if _, err := s.Task(ctx, a, att.OwnerID); err != nil {
			return att, nil, isms.NotFound("attachment")
		}
	case "document_version":
		// Visible with the version: drafts to those who see drafts.
		v, err := s.st.DocVersion(ctx, att.OwnerID)
		if err != nil {
			return att, nil, isms.NotFound("attachment")
		}
		_, readable, err := s.readDocument(ctx, a, v.DocumentID)
		if err != nil || !slices.ContainsFunc(readable, func(x isms.DocVersion) bool { return x.ID == v.ID }) {
			return att, nil, isms.NotFound("attachment")
		}
	case "evidence":
		if !s.evidenceVisible(ctx, a, att.OwnerID) {
			return att, nil, isms.NotFound("attachment")
		}
	default:
		return att, nil, isms.NotFound("attachment")
	}
	f, err := s.blobs.Open(att.SHA256)
	if err != nil {
		return att, nil, isms.Internal(err)
	}
	return att, f, nil
}

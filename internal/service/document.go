package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Document control (manual §4.3.2): the register, the version lifecycle
// draft → in_review → approved → published → superseded/obsolete, the
// periodic review, distribution and acknowledgement. Every step is one
// transaction with its trail entry; the document's history tab reads the
// trail (entity "document").

const docSettingsName = "documents"

// DocumentSettings reads the organization's document-control settings.
func (s *Service) DocumentSettings(ctx context.Context, a isms.Actor) (isms.DocSettings, error) {
	if err := a.Require(isms.ActViewDocuments); err != nil {
		return isms.DocSettings{}, err
	}
	var ds isms.DocSettings
	_, err := s.st.Setting(ctx, a.OrgID, docSettingsName, &ds)
	ds.Fill()
	return ds, err
}

// SetDocumentSettings stores the organization's document-control settings.
func (s *Service) SetDocumentSettings(ctx context.Context, a isms.Actor, ds isms.DocSettings) (isms.DocSettings, error) {
	if err := a.Require(isms.ActManageISMS); err != nil {
		return ds, err
	}
	ds.Fill()
	if err := ds.Validate(); err != nil {
		return ds, err
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var old isms.DocSettings
		if _, err := tx.Setting(ctx, a.OrgID, docSettingsName, &old); err != nil {
			return err
		}
		old.Fill()
		if err := tx.SetSetting(ctx, a.OrgID, docSettingsName, ds, s.clock.Now()); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "document.settings", EntityType: "organization", EntityID: a.OrgID,
			Data: map[string]any{"before": old, "after": ds}})
	})
	return ds, err
}

func docSettings(ctx context.Context, tx *store.Tx, orgID string) (isms.DocSettings, error) {
	var ds isms.DocSettings
	_, err := tx.Setting(ctx, orgID, docSettingsName, &ds)
	ds.Fill()
	return ds, err
}

// seesDrafts reports whether the actor may read versions that were never
// published: those who compile documents, top management (who approve
// the top ones) and internal auditors. Named reviewers see the versions
// they review (docVisible).
func seesDrafts(a isms.Actor) bool {
	return a.Can(isms.ActManageDocuments) || a.HasRole(isms.RoleTopManager) || a.HasRole(isms.RoleInternalAuditor) || a.IsCLI()
}

// ListDocuments lists a page of the register.
func (s *Service) ListDocuments(ctx context.Context, a isms.Actor, f store.DocFilter) ([]isms.Document, error) {
	if err := a.Require(isms.ActViewDocuments); err != nil {
		return nil, err
	}
	f.OrgID = a.OrgID
	f.PublishedOnly = !seesDrafts(a)
	return s.st.ListDocuments(ctx, f)
}

// DocumentView is a document with everything its page shows.
type DocumentView struct {
	isms.Document
	Versions []isms.DocVersion `json:"versions"`
	Acks     []isms.DocAck     `json:"acknowledgements"` // of the current version
	// MyAck is the reader's own unacknowledged duty, if any.
	MyAck *isms.DocAck `json:"my_ack,omitempty"`
	// History is the document's trail, newest first.
	History []isms.AuditEntry `json:"history"`
}

// Working is the newest version (the one lifecycle steps act on).
func (v DocumentView) Working() *isms.DocVersion {
	if len(v.Versions) == 0 {
		return nil
	}
	return &v.Versions[0]
}

// Current is the version in force, or nil.
func (v DocumentView) Current() *isms.DocVersion {
	for i := range v.Versions {
		if v.Versions[i].ID == v.Document.CurrentVersionID {
			return &v.Versions[i]
		}
	}
	return nil
}

// readableVersions returns the versions of d the actor may read: all of
// them for those who see drafts and for the document's reviewers, else
// only versions that were published — and NotFound for a document that
// never was.
func readableVersions(a isms.Actor, d isms.Document, versions []isms.DocVersion) ([]isms.DocVersion, error) {
	drafts := seesDrafts(a)
	for _, v := range versions {
		drafts = drafts || slices.Contains(v.Reviewers, a.AccountID)
	}
	if drafts {
		return versions, nil
	}
	if d.Status != isms.DocPublished && d.Status != isms.DocObsolete {
		return nil, isms.NotFound("document")
	}
	var out []isms.DocVersion
	for _, v := range versions {
		if v.PublishedAt != nil {
			out = append(out, v)
		}
	}
	return out, nil
}

// readDocument reads a document of the actor's organization with the
// versions the actor may read.
func (s *Service) readDocument(ctx context.Context, a isms.Actor, id string) (isms.Document, []isms.DocVersion, error) {
	if err := a.Require(isms.ActViewDocuments); err != nil {
		return isms.Document{}, nil, err
	}
	if !isms.ValidID(id) {
		return isms.Document{}, nil, isms.NotFound("document")
	}
	d, err := s.st.Document(ctx, id)
	if err == nil && d.OrgID != a.OrgID {
		err = isms.NotFound("document")
	}
	if err != nil {
		return d, nil, err
	}
	versions, err := s.st.DocVersions(ctx, id)
	if err != nil {
		return d, nil, err
	}
	versions, err = readableVersions(a, d, versions)
	return d, versions, err
}

// Document reads a document with its versions (those the actor may see),
// comments, files, the current version's acknowledgements and the
// document's trail (its history tab).
func (s *Service) Document(ctx context.Context, a isms.Actor, id string) (DocumentView, error) {
	var v DocumentView
	d, versions, err := s.readDocument(ctx, a, id)
	if err != nil {
		return v, err
	}
	comments, err := s.st.DocComments(ctx, id)
	if err != nil {
		return v, err
	}
	ids := make([]string, len(versions))
	for i, ver := range versions {
		ids[i] = ver.ID
	}
	files, err := s.st.AttachmentsOf(ctx, "document_version", ids)
	if err != nil {
		return v, err
	}
	v.Document = d
	for _, ver := range versions {
		for _, c := range comments {
			if c.VersionID == ver.ID {
				ver.Comments = append(ver.Comments, c)
			}
		}
		ver.Files = files[ver.ID]
		v.Versions = append(v.Versions, ver)
	}
	if d.CurrentVersionID != "" {
		if v.Acks, err = s.st.DocAcks(ctx, d.CurrentVersionID); err != nil {
			return v, err
		}
		if !seesDrafts(a) {
			// Readers see their own duty, not who else has read.
			v.Acks = slices.DeleteFunc(v.Acks, func(k isms.DocAck) bool { return k.AccountID != a.AccountID })
		}
		for i := range v.Acks {
			if v.Acks[i].AccountID == a.AccountID && v.Acks[i].AcknowledgedAt == nil {
				v.MyAck = &v.Acks[i]
			}
		}
	}
	v.History, err = s.st.ListAudit(ctx, isms.AuditFilter{OrgID: a.OrgID, EntityType: "document", EntityID: id, Limit: isms.MaxPageSize})
	return v, err
}

// DocInput is what a person writes when registering or editing a
// document: the register fields and the working draft's text.
type DocInput struct {
	isms.Document
	Body       string `json:"body"`
	ChangeNote string `json:"change_note"`
}

// CreateDocument registers a document with a first draft version.
func (s *Service) CreateDocument(ctx context.Context, a isms.Actor, in DocInput) (isms.Document, error) {
	if err := a.Require(isms.ActManageDocuments); err != nil {
		return in.Document, err
	}
	var d isms.Document
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		d, err = s.createDocument(ctx, tx, a, a.OrgID, in)
		return err
	})
	return d, err
}

func (s *Service) createDocument(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, in DocInput) (isms.Document, error) {
	ds, err := docSettings(ctx, tx, orgID)
	if err != nil {
		return in.Document, err
	}
	d := in.Document
	d.Normalize(ds)
	if err := d.Validate(); err != nil {
		return d, err
	}
	if err := isms.ValidateBody(in.Body, in.ChangeNote); err != nil {
		return d, err
	}
	if err := checkDocRefs(ctx, tx, orgID, &d); err != nil {
		return d, err
	}
	now := s.clock.Now()
	if d.AuthorID == "" {
		d.AuthorID = a.AccountID
	}
	v := isms.DocVersion{ID: newID(), Label: isms.FirstVersion(ds.VersionScheme), Status: isms.DocDraft, Body: in.Body,
		ChangeNote: strings.TrimSpace(in.ChangeNote), AuthorID: d.AuthorID, CreatedAt: now}
	d.ID, d.OrgID, d.Status, d.RevisionStatus, d.VersionLabel, d.CurrentVersionID, d.EffectiveDate = newID(), orgID,
		isms.DocDraft, "", v.Label, "", ""
	d.Body, d.CreatedAt, d.UpdatedAt = in.Body, now, now
	v.DocumentID = d.ID
	if err := tx.CreateDocument(ctx, &d); err != nil {
		return d, err
	}
	if err := tx.CreateDocVersion(ctx, &v); err != nil {
		return d, err
	}
	return d, s.record(ctx, tx, a, audit{OrgID: orgID, Action: "document.create", EntityType: "document", EntityID: d.ID,
		Summary: d.Code + " " + d.Title, Data: map[string]any{"document": d, "version": v.Label, "body": bodyDigest(in.Body)}})
}

// bodyDigest stands for a version's text in the trail: its size and hash
// prove which text was approved without copying it.
func bodyDigest(body string) map[string]any {
	sum := sha256.Sum256([]byte(body))
	return map[string]any{"bytes": len(body), "sha256": hex.EncodeToString(sum[:])}
}

// checkDocRefs checks a document's departments and author against the
// organization.
func checkDocRefs(ctx context.Context, tx *store.Tx, orgID string, d *isms.Document) error {
	for f, id := range map[string]string{"department_id": d.DeptID, "compiling_department_id": d.CompilingDeptID,
		"interpreting_department_id": d.InterpretingDeptID} {
		if _, err := liveDept(ctx, tx, orgID, f, id); err != nil {
			return err
		}
	}
	if err := liveDepts(ctx, tx, orgID, "executing_department_ids", d.Executing); err != nil {
		return err
	}
	return liveAccount(ctx, tx, orgID, "author_id", d.AuthorID)
}

// docStep loads a document and its versions for a lifecycle step.
// docStep loads a document and its versions (newest first) for a
// lifecycle step, locking the document on PostgreSQL.
func (s *Service) docStep(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Document, []isms.DocVersion, error) {
	if !isms.ValidID(id) {
		return isms.Document{}, nil, isms.NotFound("document")
	}
	d, err := tx.Document(ctx, id)
	if err == nil && d.OrgID != a.OrgID {
		err = isms.NotFound("document")
	}
	if err != nil {
		return d, nil, err
	}
	vs, err := tx.DocVersions(ctx, id)
	if err == nil && len(vs) == 0 {
		err = isms.Internal(fmt.Errorf("document %s has no version", id))
	}
	return d, vs, err
}

// docChange runs one lifecycle step in one transaction: the actor needs
// act; step gets the document (to change in place and return) and its
// versions, the working one first.
func (s *Service) docChange(ctx context.Context, a isms.Actor, act isms.Action, id string,
	step func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error) (isms.Document, error) {
	if err := a.Require(act); err != nil {
		return isms.Document{}, err
	}
	var d isms.Document
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var vs []isms.DocVersion
		var err error
		if d, vs, err = s.docStep(ctx, tx, a, id); err != nil {
			return err
		}
		return step(tx, &d, vs)
	})
	return d, err
}

// setWorking records the working version's status on the document: its
// own status until a version is in force, its revision status after.
func setWorking(d *isms.Document, status string) {
	if d.CurrentVersionID != "" && d.Status == isms.DocPublished {
		d.RevisionStatus = status
		return
	}
	d.Status = status
}

// moveWorking writes the working version and the document after a step
// changed the version's status, with the step's trail entry.
func (s *Service) moveWorking(ctx context.Context, tx *store.Tx, a isms.Actor, d *isms.Document, w *isms.DocVersion, action string, data map[string]any) error {
	if err := tx.UpdateDocVersion(ctx, w); err != nil {
		return err
	}
	setWorking(d, w.Status)
	d.UpdatedAt = s.clock.Now()
	if err := tx.UpdateDocument(ctx, d); err != nil {
		return err
	}
	data["version"] = w.Label
	return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: action, EntityType: "document", EntityID: d.ID,
		Summary: d.Code + " " + w.Label, Data: data})
}

// UpdateDocument changes the register fields and the working draft's text.
// Only a draft can be edited; an approved or published text changes only
// through a new version.
func (s *Service) UpdateDocument(ctx context.Context, a isms.Actor, id string, in DocInput) (isms.Document, error) {
	return s.docChange(ctx, a, isms.ActManageDocuments, id, func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error {
		w, old := vs[0], *d
		if w.Status != isms.DocDraft {
			return isms.DocStatusError(w.Status, "edit")
		}
		ds, err := docSettings(ctx, tx, old.OrgID)
		if err != nil {
			return err
		}
		*d = in.Document
		d.ID, d.OrgID, d.CreatedAt, d.UpdatedAt = old.ID, old.OrgID, old.CreatedAt, s.clock.Now()
		d.Status, d.RevisionStatus, d.VersionLabel, d.CurrentVersionID, d.EffectiveDate = old.Status, old.RevisionStatus,
			old.VersionLabel, old.CurrentVersionID, old.EffectiveDate
		if d.AuthorID == "" {
			d.AuthorID = old.AuthorID
		}
		d.Normalize(ds)
		if d.NextReview == "" {
			d.NextReview = old.NextReview
		}
		if err := d.Validate(); err != nil {
			return err
		}
		if err := isms.ValidateBody(in.Body, in.ChangeNote); err != nil {
			return err
		}
		if err := checkDocRefs(ctx, tx, d.OrgID, d); err != nil {
			return err
		}
		d.Body = in.Body
		if err := tx.UpdateDocument(ctx, d); err != nil {
			return err
		}
		if err := tx.SetDocumentBody(ctx, d.ID, d.Body); err != nil {
			return err
		}
		w.Body, w.ChangeNote = in.Body, strings.TrimSpace(in.ChangeNote)
		if err := tx.UpdateDocVersion(ctx, &w); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "document.update", EntityType: "document", EntityID: d.ID,
			Summary: d.Code + " " + w.Label, Data: map[string]any{"before": old, "after": d, "body": bodyDigest(in.Body)}})
	})
}

// Submission sends a draft for review.
type Submission struct {
	Reviewers []string `json:"reviewer_ids"`             // accounts that review
	Consulted []string `json:"consulted_department_ids"` // departments asked for their opinion
	Note      string   `json:"note"`
}

// SubmitDocument sends the working draft for review; each named reviewer
// gets a review task, which their comment completes.
func (s *Service) SubmitDocument(ctx context.Context, a isms.Actor, id string, sub Submission) (isms.Document, error) {
	return s.docChange(ctx, a, isms.ActManageDocuments, id, func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error {
		w := vs[0]
		if w.Status != isms.DocDraft {
			return isms.DocStatusError(w.Status, "submit")
		}
		if strings.TrimSpace(w.Body) == "" {
			files, err := tx.Attachments(ctx, "document_version", w.ID)
			if err != nil {
				return err
			}
			if len(files) == 0 {
				return isms.Invalid("body", isms.M("document.empty"))
			}
		}
		reviewers, consulted := cleanIDs(sub.Reviewers), cleanIDs(sub.Consulted)
		if len(reviewers) == 0 {
			return isms.Invalid("reviewer_ids", isms.M("document.reviewer_required"))
		}
		for _, r := range reviewers {
			if r == w.AuthorID {
				return isms.Invalid("reviewer_ids", isms.M("document.author_reviews"))
			}
			if err := liveAccount(ctx, tx, d.OrgID, "reviewer_ids", r); err != nil {
				return err
			}
		}
		if err := liveDepts(ctx, tx, d.OrgID, "consulted_department_ids", consulted); err != nil {
			return err
		}
		ds, err := docSettings(ctx, tx, d.OrgID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		for _, r := range reviewers {
			if _, err := s.createTask(ctx, tx, a, NewTask{TitleZH: "评审文件：" + d.Code + " " + d.Title + " " + w.Label,
				TitleEN: "Review document: " + d.Code + " " + d.Title + " " + w.Label, DeptID: d.DeptID, AssigneeAccount: r,
				DueAt: now.AddDate(0, 0, ds.AckDays), GraceDays: 2, SourceType: "document_version", SourceID: w.ID}); err != nil {
				return err
			}
		}
		w.Status, w.Reviewers, w.Consulted, w.SubmittedAt = isms.DocInReview, reviewers, consulted, &now
		return s.moveWorking(ctx, tx, a, d, &w, "document.submit", map[string]any{"reviewers": reviewers,
			"consulted": consulted, "note": strings.TrimSpace(sub.Note)})
	})
}

// cleanIDs trims ids and drops blanks and repeats, keeping the order.
func cleanIDs(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strings.TrimSpace(id)
	}
	return dedupe(out)
}

// CommentDocument records a reviewer's comment or a consulted department's
// opinion on the version in review; it completes the commenter's review
// task.
func (s *Service) CommentDocument(ctx context.Context, a isms.Actor, id, deptID, body string) (isms.DocComment, error) {
	c := isms.DocComment{Body: strings.TrimSpace(body), DeptID: strings.TrimSpace(deptID)}
	_, err := s.docChange(ctx, a, isms.ActViewDocuments, id, func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error {
		w := vs[0]
		reviewer := slices.Contains(w.Reviewers, a.AccountID)
		if !reviewer && !a.Can(isms.ActManageDocuments) {
			return isms.Forbidden(isms.M("document.not_reviewer"))
		}
		if c.Body == "" {
			return isms.Invalid("comment", isms.M("field.required"))
		}
		if len([]rune(c.Body)) > 4000 {
			return isms.Invalid("comment", isms.M("field.too_long", "max", 4000))
		}
		if w.Status != isms.DocInReview {
			return isms.DocStatusError(w.Status, "comment")
		}
		c.Kind = isms.CommentReview
		if c.DeptID != "" {
			if !slices.Contains(w.Consulted, c.DeptID) {
				return isms.Invalid("department_id", isms.M("document.not_consulted"))
			}
			c.Kind = isms.CommentConsult
		}
		c.ID, c.VersionID, c.AccountID, c.Author, c.CreatedAt = newID(), w.ID, a.AccountID, a.Name(), s.clock.Now()
		if err := tx.AddDocComment(ctx, &c); err != nil {
			return err
		}
		if reviewer {
			open, err := tx.OpenTasksFor(ctx, "document_version", w.ID)
			if err != nil {
				return err
			}
			for _, t := range open {
				if t.AssigneeAccount == a.AccountID {
					if err := s.finishDone(ctx, tx, a, &t, c.Body); err != nil {
						return err
					}
				}
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "document.comment", EntityType: "document", EntityID: d.ID,
			Summary: d.Code + " " + w.Label, Data: c})
	})
	return c, err
}

// mayApprove says why the actor may not approve (or return) the version,
// or nil: the approving role for the document's type is a setting, the
// approver is never the author, and where the owning department's head
// approves it is that department's head.
func mayApprove(ctx context.Context, tx *store.Tx, a isms.Actor, d isms.Document, w isms.DocVersion) error {
	if a.AccountID == w.AuthorID || a.AccountID == d.AuthorID {
		return isms.Forbidden(isms.M("document.self_approval"))
	}
	ds, err := docSettings(ctx, tx, d.OrgID)
	if err != nil {
		return err
	}
	role := ds.Approvers[d.Type]
	if !a.HasRole(role) {
		return isms.Forbidden(isms.M("document.approver_role", "role", string(role)))
	}
	if role == isms.RoleDeptHead && d.DeptID != "" {
		dep, err := tx.Department(ctx, d.DeptID)
		if err != nil {
			return err
		}
		if dep.HeadPersonID != "" {
			acct, err := tx.Account(ctx, a.AccountID)
			if err != nil {
				return err
			}
			if acct.PersonID != dep.HeadPersonID {
				return isms.Forbidden(isms.M("document.not_dept_head"))
			}
		}
	}
	return nil
}

// DocApproval is the approver's decision details.
type DocApproval struct {
	EffectiveDate string `json:"effective_date"` // default: the day of approval
	TrialEnd      string `json:"trial_end"`      // optional end of a trial period (暂定实施)
	Comment       string `json:"comment"`
}

// ApproveDocument approves the version in review. It is published on its
// effective date: at once when that is today, else by the scheduler.
func (s *Service) ApproveDocument(ctx context.Context, a isms.Actor, id string, ap DocApproval) (isms.Document, error) {
	return s.docChange(ctx, a, isms.ActViewDocuments, id, func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error {
		w := vs[0]
		if err := mayApprove(ctx, tx, a, *d, w); err != nil {
			return err
		}
		if w.Status != isms.DocInReview {
			return isms.DocStatusError(w.Status, "approve")
		}
		today, err := s.orgToday(ctx, tx, d.OrgID)
		if err != nil {
			return err
		}
		ap.EffectiveDate, ap.TrialEnd = strings.TrimSpace(ap.EffectiveDate), strings.TrimSpace(ap.TrialEnd)
		if ap.EffectiveDate == "" {
			ap.EffectiveDate = today
		}
		if err := isms.CheckEffective(ap.EffectiveDate, ap.TrialEnd, today); err != nil {
			return err
		}
		now := s.clock.Now()
		if c := strings.TrimSpace(ap.Comment); c != "" {
			if err := tx.AddDocComment(ctx, &isms.DocComment{ID: newID(), VersionID: w.ID, Kind: isms.CommentApprove,
				AccountID: a.AccountID, Author: a.Name(), Body: truncate(c, 4000), CreatedAt: now}); err != nil {
				return err
			}
		}
		if err := s.closeReviewTasks(ctx, tx, a, w.ID, "approved by "+a.Name()); err != nil {
			return err
		}
		w.Status, w.ApprovedBy, w.ApprovedAt, w.EffectiveDate, w.TrialEnd = isms.DocApproved, a.Name(), &now, ap.EffectiveDate, ap.TrialEnd
		if err := s.moveWorking(ctx, tx, a, d, &w, "document.approve", map[string]any{"effective_date": w.EffectiveDate,
			"trial_end": w.TrialEnd, "comment": ap.Comment, "body": bodyDigest(w.Body)}); err != nil {
			return err
		}
		if w.EffectiveDate <= today {
			return s.publish(ctx, tx, a, d, vs, &w)
		}
		return nil
	})
}

// closeReviewTasks closes the review tasks of a decided version.
func (s *Service) closeReviewTasks(ctx context.Context, tx *store.Tx, a isms.Actor, versionID, why string) error {
	open, err := tx.OpenTasksFor(ctx, "document_version", versionID)
	if err != nil {
		return err
	}
	for _, t := range open {
		if err := s.finishDone(ctx, tx, a, &t, why); err != nil {
			return err
		}
	}
	return nil
}

// RejectDocument returns the version in review (or approved and not yet
// in force) to draft with the reason.
func (s *Service) RejectDocument(ctx context.Context, a isms.Actor, id, comment string) (isms.Document, error) {
	comment = strings.TrimSpace(comment)
	return s.docChange(ctx, a, isms.ActViewDocuments, id, func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error {
		w := vs[0]
		if err := mayApprove(ctx, tx, a, *d, w); err != nil {
			return err
		}
		if comment == "" {
			return isms.Invalid("comment", isms.M("document.reason_required"))
		}
		if w.Status != isms.DocInReview && w.Status != isms.DocApproved {
			return isms.DocStatusError(w.Status, "reject")
		}
		if err := tx.AddDocComment(ctx, &isms.DocComment{ID: newID(), VersionID: w.ID, Kind: isms.CommentReject,
			AccountID: a.AccountID, Author: a.Name(), Body: truncate(comment, 4000), CreatedAt: s.clock.Now()}); err != nil {
			return err
		}
		if err := s.closeReviewTasks(ctx, tx, a, w.ID, "returned to draft by "+a.Name()); err != nil {
			return err
		}
		w.Status, w.ApprovedBy, w.ApprovedAt, w.EffectiveDate, w.TrialEnd, w.SubmittedAt = isms.DocDraft, "", nil, "", "", nil
		return s.moveWorking(ctx, tx, a, d, &w, "document.reject", map[string]any{"comment": comment})
	})
}

// PublishDocument puts the approved version in force. It is refused before
// approval and before the effective date (the scheduler publishes then).
func (s *Service) PublishDocument(ctx context.Context, a isms.Actor, id string) (isms.Document, error) {
	return s.docChange(ctx, a, isms.ActManageDocuments, id, func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error {
		w := vs[0]
		if w.Status != isms.DocApproved {
			return isms.Conflict("status", isms.M("document.publish_unapproved", "status", w.Status))
		}
		today, err := s.orgToday(ctx, tx, d.OrgID)
		if err != nil {
			return err
		}
		if w.EffectiveDate > today {
			return isms.Conflict("effective_date", isms.M("document.publish_early", "date", w.EffectiveDate))
		}
		return s.publish(ctx, tx, a, d, vs, &w)
	})
}

// publish puts w in force and retires the version it replaces.
func (s *Service) publish(ctx context.Context, tx *store.Tx, a isms.Actor, d *isms.Document, vs []isms.DocVersion, w *isms.DocVersion) error {
	now := s.clock.Now()
	replaced := ""
	for _, old := range vs {
		if old.Status == isms.DocPublished && old.ID != w.ID {
			old.Status, old.RetiredAt = isms.DocSuperseded, &now
			if err := tx.UpdateDocVersion(ctx, &old); err != nil {
				return err
			}
			replaced = old.Label
		}
	}
	w.Status, w.PublishedAt = isms.DocPublished, &now
	if err := tx.UpdateDocVersion(ctx, w); err != nil {
		return err
	}
	d.Status, d.RevisionStatus, d.VersionLabel, d.CurrentVersionID, d.EffectiveDate = isms.DocPublished, "", w.Label, w.ID, w.EffectiveDate
	d.NextReview, d.UpdatedAt = isms.AddMonths(w.EffectiveDate, d.ReviewMonths), now
	if err := tx.UpdateDocument(ctx, d); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "document.publish", EntityType: "document", EntityID: d.ID,
		Summary: d.Code + " " + w.Label, Data: map[string]any{"version": w.Label, "effective_date": w.EffectiveDate,
			"supersedes": replaced, "next_review": d.NextReview}})
}

// orgToday is the ISO calendar day in the organization's time zone.
func (s *Service) orgToday(ctx context.Context, tx *store.Tx, orgID string) (string, error) {
	loc, err := zones{}.of(ctx, tx, orgID)
	if err != nil {
		return "", err
	}
	return s.clock.Now().In(loc).Format(time.DateOnly), nil
}

// Revision starts a new version of a published document.
type Revision struct {
	Major bool   `json:"major"` // A/3 → B/0 rather than A/4
	Note  string `json:"change_note"`
}

// ReviseDocument opens a new draft version from the current one. The
// version in force stays in force until the new one is published.
func (s *Service) ReviseDocument(ctx context.Context, a isms.Actor, id string, r Revision) (isms.Document, error) {
	return s.docChange(ctx, a, isms.ActManageDocuments, id, func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error {
		return s.revise(ctx, tx, a, d, vs[0], r)
	})
}

func (s *Service) revise(ctx context.Context, tx *store.Tx, a isms.Actor, d *isms.Document, w isms.DocVersion, r Revision) error {
	if w.Status != isms.DocPublished {
		return isms.DocStatusError(w.Status, "revise")
	}
	ds, err := docSettings(ctx, tx, d.OrgID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	nv := isms.DocVersion{ID: newID(), DocumentID: d.ID, Label: isms.NextVersion(ds.VersionScheme, w.Label, r.Major),
		Status: isms.DocDraft, Body: w.Body, ChangeNote: truncate(strings.TrimSpace(r.Note), 4000), AuthorID: a.AccountID, CreatedAt: now}
	if err := tx.CreateDocVersion(ctx, &nv); err != nil {
		return err
	}
	d.RevisionStatus, d.UpdatedAt = isms.DocDraft, now
	if err := tx.UpdateDocument(ctx, d); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "document.revise", EntityType: "document", EntityID: d.ID,
		Summary: d.Code + " " + w.Label + " → " + nv.Label, Data: map[string]any{"from": w.Label, "version": nv.Label, "note": nv.ChangeNote}})
}

// Periodic review outcomes.
const (
	ReviewNoChange = "no_change" // reviewed, still fit: next review a cycle later
	ReviewRevise   = "revise"    // reviewed, needs a change: a new draft version
)

// ReviewDocument records the periodic review of a published document and
// completes its review task.
func (s *Service) ReviewDocument(ctx context.Context, a isms.Actor, id, outcome, note string) (isms.Document, error) {
	note = strings.TrimSpace(note)
	return s.docChange(ctx, a, isms.ActManageDocuments, id, func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error {
		if outcome != ReviewNoChange && outcome != ReviewRevise {
			return isms.Invalid("outcome", isms.M("field.one_of", "values", ReviewNoChange+", "+ReviewRevise))
		}
		if note == "" {
			return isms.Invalid("note", isms.M("field.required"))
		}
		if d.Status != isms.DocPublished || vs[0].Status != isms.DocPublished {
			return isms.DocStatusError(vs[0].Status, "review")
		}
		today, err := s.orgToday(ctx, tx, d.OrgID)
		if err != nil {
			return err
		}
		d.NextReview = isms.AddMonths(today, d.ReviewMonths)
		d.UpdatedAt = s.clock.Now()
		if err := tx.UpdateDocument(ctx, d); err != nil {
			return err
		}
		open, err := tx.OpenTasksFor(ctx, "document_review", d.ID)
		if err != nil {
			return err
		}
		for _, t := range open {
			if err := s.finishDone(ctx, tx, a, &t, outcome+": "+note); err != nil {
				return err
			}
		}
		if err := s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "document.review", EntityType: "document", EntityID: d.ID,
			Summary: d.Code + " " + d.VersionLabel + ": " + outcome, Data: map[string]any{"outcome": outcome, "note": note,
				"version": d.VersionLabel, "next_review": d.NextReview}}); err != nil {
			return err
		}
		if _, err := s.fileRecord(ctx, tx, a, d.OrgID, newRecord{TypeCode: recDocReview,
			Title: d.Code + " " + d.VersionLabel + " · " + outcome, Date: today, DeptID: d.DeptID, SourceType: "document",
			SourceID: d.ID}); err != nil {
			return err
		}
		if outcome == ReviewRevise {
			return s.revise(ctx, tx, a, d, vs[0], Revision{Note: note})
		}
		return nil
	})
}

// ObsoleteDocument withdraws a document (作废): the version in force and
// any revision under way are marked obsolete and stay readable as such.
func (s *Service) ObsoleteDocument(ctx context.Context, a isms.Actor, id, reason string) (isms.Document, error) {
	reason = strings.TrimSpace(reason)
	return s.docChange(ctx, a, isms.ActManageDocuments, id, func(tx *store.Tx, d *isms.Document, vs []isms.DocVersion) error {
		if reason == "" {
			return isms.Invalid("reason", isms.M("document.reason_required"))
		}
		if d.Status != isms.DocPublished {
			return isms.DocStatusError(d.Status, "obsolete")
		}
		now := s.clock.Now()
		for _, v := range vs {
			if v.Retired() {
				continue
			}
			v.Status, v.RetiredAt = isms.DocObsolete, &now
			if err := tx.UpdateDocVersion(ctx, &v); err != nil {
				return err
			}
			if err := s.closeReviewTasks(ctx, tx, a, v.ID, "document withdrawn"); err != nil {
				return err
			}
		}
		d.Status, d.RevisionStatus, d.NextReview, d.UpdatedAt = isms.DocObsolete, "", "", now
		if err := tx.UpdateDocument(ctx, d); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "document.obsolete", EntityType: "document", EntityID: d.ID,
			Summary: d.Code + " " + d.VersionLabel, Data: map[string]any{"reason": reason}})
	})
}

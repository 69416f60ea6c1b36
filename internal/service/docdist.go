package service

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Distribution sends the version in force to departments, roles and
// people; each recipient must read and acknowledge it by the due day.
type Distribution struct {
	DeptIDs    []string    `json:"department_ids"`
	Roles      []isms.Role `json:"roles"`
	AccountIDs []string    `json:"account_ids"`
	DueOn      string      `json:"due_on"` // ISO day; default: the settings' acknowledgement time from today
}

// DistributeDocument gives each new recipient of the current version a
// "read and acknowledge" task and says how many it added (those already
// holding the duty are skipped, so a distribution can be widened).
func (s *Service) DistributeDocument(ctx context.Context, a isms.Actor, id string, dist Distribution) (int, error) {
	depts, accounts := cleanIDs(dist.DeptIDs), cleanIDs(dist.AccountIDs)
	added := 0
	_, err := s.docChange(ctx, a, isms.ActManageDocuments, id, func(tx *store.Tx, d *isms.Document, _ []isms.DocVersion) error {
		var roles []isms.Role
		for _, r := range dist.Roles {
			if r == "" {
				continue
			}
			if !r.Grantable() {
				return isms.Invalid("roles", isms.M("field.one_of", "values", isms.JoinRoles(isms.GrantableRoles)))
			}
			roles = append(roles, r)
		}
		if len(depts)+len(accounts)+len(roles) == 0 {
			return isms.Invalid("department_ids", isms.M("document.no_recipients"))
		}
		if d.Status != isms.DocPublished || d.CurrentVersionID == "" {
			return isms.DocStatusError(d.Status, "distribute")
		}
		if err := liveDepts(ctx, tx, d.OrgID, "department_ids", depts); err != nil {
			return err
		}
		for _, id := range accounts {
			if err := liveAccount(ctx, tx, d.OrgID, "account_ids", id); err != nil {
				return err
			}
		}
		ds, err := docSettings(ctx, tx, d.OrgID)
		if err != nil {
			return err
		}
		loc, err := zones{}.of(ctx, tx, d.OrgID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		dueDay := strings.TrimSpace(dist.DueOn)
		if dueDay == "" {
			dueDay = now.In(loc).AddDate(0, 0, ds.AckDays).Format(time.DateOnly)
		}
		due, err := dueOnDay(dueDay, loc)
		if err != nil {
			return err
		}
		if !due.After(now) {
			return isms.Invalid("due_on", isms.M("document.due_past"))
		}
		recipients, err := tx.Recipients(ctx, d.OrgID, depts, roles, accounts)
		if err != nil {
			return err
		}
		if len(recipients) == 0 {
			return isms.Invalid("department_ids", isms.M("document.no_recipients"))
		}
		have, err := tx.DocAcks(ctx, d.CurrentVersionID)
		if err != nil {
			return err
		}
		holds := map[string]bool{}
		for _, k := range have {
			holds[k.AccountID] = true
		}
		for _, r := range recipients {
			if holds[r.AccountID] {
				continue
			}
			t, err := s.createTask(ctx, tx, a, NewTask{TitleZH: "阅读并确认文件：" + d.Code + " " + d.Title + " " + d.VersionLabel,
				TitleEN: "Read and acknowledge: " + d.Code + " " + d.Title + " " + d.VersionLabel, DeptID: r.DeptID,
				AssigneeAccount: r.AccountID, DueAt: due, GraceDays: 0, LeadDays: ds.AckDays, SourceType: "document_ack",
				SourceID: d.CurrentVersionID})
			if err != nil {
				return err
			}
			k := isms.DocAck{ID: newID(), OrgID: d.OrgID, DocumentID: d.ID, VersionID: d.CurrentVersionID, AccountID: r.AccountID,
				DeptID: r.DeptID, TaskID: t.ID, DistributedBy: a.Name(), DistributedAt: now, DueAt: isms.Normalize(due)}
			if err := tx.AddDocAck(ctx, &k); err != nil {
				return err
			}
			added++
		}
		return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "document.distribute", EntityType: "document", EntityID: d.ID,
			Summary: fmt.Sprintf("%s %s → %d", d.Code, d.VersionLabel, added), Data: map[string]any{"version": d.VersionLabel,
				"departments": depts, "roles": roles, "accounts": accounts, "due_on": dueDay, "added": added}})
	})
	return added, err
}

// AcknowledgeDocument records that the actor has read the version in
// force, and completes their reading task.
func (s *Service) AcknowledgeDocument(ctx context.Context, a isms.Actor, id string) (isms.DocAck, error) {
	var ack isms.DocAck
	_, err := s.docChange(ctx, a, isms.ActViewDocuments, id, func(tx *store.Tx, d *isms.Document, _ []isms.DocVersion) error {
		if d.CurrentVersionID == "" || d.Status != isms.DocPublished {
			return isms.DocStatusError(d.Status, "acknowledge")
		}
		var err error
		ack, err = tx.DocAckOf(ctx, d.CurrentVersionID, a.AccountID)
		if isms.ErrorCode(err) == isms.CodeNotFound {
			return isms.Conflict("", isms.M("document.not_distributed"))
		}
		if err != nil {
			return err
		}
		if ack.AcknowledgedAt != nil {
			return isms.Conflict("", isms.M("document.already_acknowledged"))
		}
		now := s.clock.Now()
		if err := tx.Acknowledge(ctx, ack.ID, now); err != nil {
			return err
		}
		ack.AcknowledgedAt = &now
		t, err := tx.Task(ctx, ack.TaskID)
		if err == nil && t.Status == isms.TaskOpen {
			err = s.finishDone(ctx, tx, a, &t, "已阅读并确认 / read and acknowledged "+d.Code+" "+d.VersionLabel)
		}
		if err != nil && isms.ErrorCode(err) != isms.CodeNotFound {
			return err
		}
		if _, err := s.fileRecord(ctx, tx, a, d.OrgID, newRecord{TypeCode: recDocAck,
			Title: d.Code + " " + d.VersionLabel + " · " + a.Username, DeptID: ack.DeptID, SourceType: "document", SourceID: d.ID}); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: d.OrgID, Action: "document.acknowledge", EntityType: "document", EntityID: d.ID,
			Summary: d.Code + " " + d.VersionLabel, Data: map[string]any{"version": d.VersionLabel, "version_id": d.CurrentVersionID}})
	})
	return ack, err
}

// CoverageRow counts a department's reading duties for a version.
type CoverageRow struct {
	DeptID       string `json:"department_id"` // "" for people in no department
	Acknowledged int    `json:"acknowledged"`
	Pending      int    `json:"pending"`
	Overdue      int    `json:"overdue"`
}

// Total is the row's number of recipients.
func (r CoverageRow) Total() int { return r.Acknowledged + r.Pending + r.Overdue }

// Coverage counts acknowledged, pending and overdue duties by department,
// departments in the order of their first recipient's name.
func Coverage(acks []isms.DocAck, now time.Time) []CoverageRow {
	idx := map[string]int{}
	var rows []CoverageRow
	for _, k := range acks {
		i, ok := idx[k.DeptID]
		if !ok {
			i = len(rows)
			idx[k.DeptID] = i
			rows = append(rows, CoverageRow{DeptID: k.DeptID})
		}
		switch k.State(now) {
		case "acknowledged":
			rows[i].Acknowledged++
		case "overdue":
			rows[i].Overdue++
		default:
			rows[i].Pending++
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].DeptID != "" && rows[j].DeptID == "" })
	return rows
}

// docFileKinds are the files a controlled document may carry, by
// extension: what checkFileContent checks and the type they are served as.
var docFileKinds = map[string]struct{ kind, contentType string }{
	".pdf":  {"pdf", "application/pdf"},
	".docx": {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
	".xlsx": {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

// AttachToDocument attaches a file to the working draft. Only PDF, DOCX and
// XLSX files whose content is what their extension says are taken, up to
// the organization's size limit.
func (s *Service) AttachToDocument(ctx context.Context, a isms.Actor, id, filename string, r io.Reader) (isms.Attachment, error) {
	var att isms.Attachment
	if err := a.Require(isms.ActManageDocuments); err != nil {
		return att, err
	}
	filename = cleanFilename(filename)
	if filename == "" {
		return att, isms.Invalid("file", isms.M("field.required"))
	}
	kind, ok := docFileKinds[strings.ToLower(filepath.Ext(filename))]
	if !ok {
		return att, isms.Invalid("file", isms.M("document.file_type", "name", filename))
	}
	var ds isms.DocSettings
	var versionID string
	check := func(tx *store.Tx) error {
		_, vs, err := s.docStep(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if vs[0].Status != isms.DocDraft {
			return isms.DocStatusError(vs[0].Status, "attach")
		}
		versionID = vs[0].ID
		ds, err = docSettings(ctx, tx, a.OrgID)
		return err
	}
	if err := s.st.InTx(ctx, check); err != nil {
		return att, err
	}
	sum, size, head, err := s.storeUpload(r, int64(ds.MaxUploadMiB)<<20)
	if err != nil {
		return att, err
	}
	if bytes.HasPrefix(head, []byte("MZ")) || bytes.HasPrefix(head, []byte("\x7fELF")) || bytes.HasPrefix(head, []byte("#!")) {
		return att, isms.Invalid("file", isms.M("document.file_executable", "name", filename))
	}
	if err := s.checkFileContent(sum, size, kind.kind); err != nil {
		return att, isms.Invalid("file", isms.M("document.file_mismatch", "name", filename, "kind", strings.ToUpper(kind.kind)))
	}
	contentType := kind.contentType
	att = isms.Attachment{ID: newID(), OrgID: a.OrgID, OwnerType: "document_version", SHA256: sum, Size: size,
		Filename: filename, ContentType: contentType, UploadedBy: a.Name(), CreatedAt: s.clock.Now()}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		att.OwnerID = versionID
		if err := tx.CreateAttachment(ctx, &att); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "document.attach", EntityType: "document", EntityID: id,
			Summary: filename, Data: map[string]any{"attachment_id": att.ID, "version_id": versionID, "sha256": sum, "size": size}})
	})
	return att, err
}

// checkFileContent checks that stored bytes are the kind their name says:
// a PDF header, or an Office Open XML package with the part a Word or
// Excel file must have.
func (s *Service) checkFileContent(sum string, size int64, kind string) error {
	f, err := s.blobs.Open(sum)
	if err != nil {
		return err
	}
	defer f.Close()
	if kind == "pdf" {
		head := make([]byte, 5)
		if _, err := io.ReadFull(f, head); err != nil || string(head) != "%PDF-" {
			return errors.New("not a PDF")
		}
		return nil
	}
	z, err := zip.NewReader(f, size)
	if err != nil {
		return err
	}
	want := map[string]string{"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
	names := map[string]bool{}
	for _, zf := range z.File {
		names[zf.Name] = true
	}
	if names["[Content_Types].xml"] && names[want] {
		return nil
	}
	return errors.New("not an " + kind + " package")
}

// docPublishBatch publishes approved versions whose effective day has
// come in their organization's time zone, and says how many.
func (s *Service) docPublishBatch(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		// The furthest-ahead time zone is at most UTC+14: candidates by
		// that day, then each checked against its own organization's day.
		latest := now.UTC().Add(14 * time.Hour).Format(time.DateOnly)
		due, err := tx.ApprovedDue(ctx, latest, tickBatch)
		if err != nil {
			return err
		}
		locs := zones{}
		for _, v := range due {
			d, err := tx.Document(ctx, v.DocumentID)
			if err != nil {
				return err
			}
			loc, err := locs.of(ctx, tx, d.OrgID)
			if err != nil {
				return err
			}
			if v.EffectiveDate > now.In(loc).Format(time.DateOnly) {
				continue
			}
			vs, err := tx.DocVersions(ctx, d.ID)
			if err != nil {
				return err
			}
			if len(vs) == 0 || vs[0].ID != v.ID {
				continue
			}
			if err := s.publish(ctx, tx, SchedulerActor, &d, vs, &v); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// docReviewLeadDays is how long before a document's review date its
// review task appears.
const docReviewLeadDays = 30

// docReviewBatch gives the owner of each published document whose review
// falls within the lead time a periodic-review task: the owning
// department's head, else the author, else the ISMS team. ReviewDocument
// completes it.
func (s *Service) docReviewBatch(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		docs, err := tx.DueDocReviews(ctx, now.AddDate(0, 0, docReviewLeadDays).Format(time.DateOnly), tickBatch)
		if err != nil {
			return err
		}
		locs := zones{}
		for _, d := range docs {
			loc, err := locs.of(ctx, tx, d.OrgID)
			if err != nil {
				return err
			}
			owner, role, err := docOwner(ctx, tx, d)
			if err != nil {
				return err
			}
			if err := s.insertReviewTask(ctx, tx, loc, d.NextReview, now, isms.Task{OrgID: d.OrgID,
				TitleZH: "文件定期评审：" + d.Code + " " + d.Title, TitleEN: "Periodic review of document: " + d.Code + " " + d.Title,
				DeptID: d.DeptID, AssigneeAccount: owner, AssigneeRole: role, SourceType: "document_review", SourceID: d.ID},
				map[string]any{"document_id": d.ID}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// docOwner finds who reviews a document: the account of its department's
// head, else its author's live account, else the ISMS team role.
func docOwner(ctx context.Context, tx *store.Tx, d isms.Document) (string, isms.Role, error) {
	if d.DeptID != "" {
		dep, err := tx.Department(ctx, d.DeptID)
		if err != nil {
			return "", "", err
		}
		if dep.HeadPersonID != "" {
			if acct, err := tx.AccountOfPerson(ctx, dep.HeadPersonID); err == nil {
				return acct.ID, "", nil
			} else if isms.ErrorCode(err) != isms.CodeNotFound {
				return "", "", err
			}
		}
	}
	if d.AuthorID != "" {
		acct, err := tx.Account(ctx, d.AuthorID)
		if err == nil && acct.ArchivedAt == nil {
			return acct.ID, "", nil
		}
		if err != nil && isms.ErrorCode(err) != isms.CodeNotFound {
			return "", "", err
		}
	}
	return "", isms.RoleISMSTeam, nil
}

// DocumentPeople lists the organization's live accounts by name, for
// choosing reviewers and recipients.
func (s *Service) DocumentPeople(ctx context.Context, a isms.Actor) ([]store.AccountName, error) {
	if err := a.Require(isms.ActManageDocuments); err != nil {
		return nil, err
	}
	return s.st.AccountNames(ctx, a.OrgID)
}

// dueOnDay is when a task due on day (YYYY-MM-DD) falls due: the end of
// the working day, 18:00 where the organization is.
func dueOnDay(day string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		return time.Time{}, isms.Invalid("due_on", isms.M("field.bad_date"))
	}
	return d.Add(18 * time.Hour), nil
}

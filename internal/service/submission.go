package service

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"

	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/store"
)

// Submissions: an organization fills its answer to a requirement (from
// its own data where the type says so), attaches files and submits; the
// submitted version is frozen. The bodies of its review chain decide in
// turn, nearest first: a return sends it back with comments, an
// acceptance passes it up, the last acceptance settles it. A body sees a
// submission only once it has reached it, and never the working copy.

// SubmissionView is a submission as the actor's organization sees it.
type SubmissionView struct {
	isms.Submission
	Campaign    isms.Campaign
	Requirement isms.Requirement
	Phase       isms.CampaignPhase
	Own         bool // the actor's organization's own: the working copy is shown
	CanReview   bool // the actor's body decides now
	Accepting   bool // the campaign takes a submission from it now
	Versions    []isms.SubmissionVersion
	Reviews     []isms.SubmissionReview
	Attachments map[string]isms.Attachment // by id: the working copy's (own) or the versions' files
	ChainNames  []string
	Today       string
}

// Submission reads a submission: the organization's own (with
// submission.manage), or one that has reached the actor's body in its
// review chain (with supervision.view). A supervisor asking for any other
// is refused and the refusal is recorded.
func (s *Service) Submission(ctx context.Context, a isms.Actor, id string) (SubmissionView, error) {
	var v SubmissionView
	if !isms.ValidID(id) {
		return v, isms.NotFound("submission")
	}
	x, err := s.st.Submission(ctx, id)
	if err != nil {
		return v, err
	}
	level := slices.Index(x.Chain, a.OrgID)
	switch {
	case x.OrgID == a.OrgID && a.Can(isms.ActSubmit):
		v.Own = true
	case level >= 0 && level <= x.Reached && a.Can(isms.ActSupervise):
	case a.Can(isms.ActSupervise) && x.OrgID != a.OrgID:
		return v, s.denySupervision(ctx, a, "submission", id)
	default:
		return v, isms.NotFound("submission")
	}
	if !v.Own {
		x.Data = nil
	}
	v.Submission = x
	if v.Campaign, err = s.st.Campaign(ctx, x.CampaignID); err != nil {
		return v, err
	}
	v.Requirement, _ = v.Campaign.Requirement(x.RequirementID)
	v.Phase, _ = v.Campaign.Phase(v.Requirement.PhaseID)
	v.CanReview = x.Status == isms.SubSubmitted && level == x.Level && level >= 0 && a.Can(isms.ActSuperviseManage)
	if v.Versions, err = s.st.SubmissionVersions(ctx, x.ID); err != nil {
		return v, err
	}
	if v.Reviews, err = s.st.SubmissionReviews(ctx, x.ID); err != nil {
		return v, err
	}
	if v.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return v, err
	}
	if v.Own { // today is the organization's own
		if v.Accepting, err = s.accepting(ctx, v.Campaign, x.OrgID, v.Today); err != nil {
			return v, err
		}
		if x.Status == isms.SubPending {
			if v.Data, err = s.prefill(ctx, x.OrgID, v.Requirement.Schema); err != nil {
				return v, err
			}
		}
	}
	atts, err := s.st.ListAttachments(ctx, "submission", x.ID)
	if err != nil {
		return v, err
	}
	v.Attachments = map[string]isms.Attachment{}
	for _, att := range atts {
		if v.Own || versionsRefer(v.Versions, v.Requirement.Schema, att.ID) {
			v.Attachments[att.ID] = att
		}
	}
	for _, body := range x.Chain {
		o, err := s.st.Organization(ctx, body)
		if err != nil {
			return v, err
		}
		v.ChainNames = append(v.ChainNames, o.Name)
	}
	return v, nil
}

// denySupervision records that a supervisor asked for something outside
// its links and refuses it.
func (s *Service) denySupervision(ctx context.Context, a isms.Actor, entity, id string) error {
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "supervision.denied", EntityType: entity,
			EntityID: id, Summary: entity + " " + id, Data: map[string]string{entity + "_id": id}})
	})
	if err != nil {
		return err
	}
	return isms.Forbidden(isms.M("supervision.not_supervised"))
}

// versionsRefer reports whether a submitted version names an attachment.
func versionsRefer(vs []isms.SubmissionVersion, schema isms.SubmissionSchema, id string) bool {
	for _, v := range vs {
		for _, f := range schema.Fields {
			if f.Kind == isms.FieldAttachment && slices.Contains(v.Data.Refs(f.Key), id) {
				return true
			}
		}
	}
	return false
}

// accepting reports whether a campaign takes an organization's
// submission today: while open, or closed but reopened for it.
func (s *Service) accepting(ctx context.Context, c isms.Campaign, orgID, today string) (bool, error) {
	switch c.Status {
	case isms.CampaignOpen:
		return true, nil
	case isms.CampaignClosed:
		m, err := s.st.CampaignMember(ctx, c.ID, orgID)
		if isms.ErrorCode(err) == isms.CodeNotFound {
			return false, nil
		}
		return err == nil && m.ReopenedUntil >= today, err
	}
	return false, nil
}

// prefill starts a working copy from the organization's own data: the
// facts scalar fields name and the tables pull fields read.
func (s *Service) prefill(ctx context.Context, orgID string, schema isms.SubmissionSchema) (isms.SubmissionData, error) {
	d := isms.SubmissionData{}
	if err := s.refreshPulls(ctx, orgID, schema, d, true); err != nil {
		return nil, err
	}
	return d, nil
}

// refreshPulls fills the pull fields of d from the organization's data,
// and with facts its prefilled scalar fields that are empty.
func (s *Service) refreshPulls(ctx context.Context, orgID string, schema isms.SubmissionSchema, d isms.SubmissionData, facts bool) error {
	var objs []isms.MLPSObject
	var org isms.Organization
	var liaison isms.Liaison
	loaded := false
	load := func() error {
		if loaded {
			return nil
		}
		loaded = true
		var err error
		if org, err = s.st.Organization(ctx, orgID); err != nil {
			return err
		}
		if liaison, _, err = s.st.Liaison(ctx, orgID); err != nil {
			return err
		}
		objs, err = s.objectsWithGradings(ctx, store.MLPSObjectFilter{OrgID: orgID})
		return err
	}
	for _, f := range schema.Fields {
		switch {
		case f.Kind == isms.FieldPull:
			if err := load(); err != nil {
				return err
			}
			rows, err := s.pullRows(ctx, orgID, f, objs)
			if err != nil {
				return err
			}
			d[f.Key] = rows
			if len(rows) == 0 {
				delete(d, f.Key)
			}
		case facts && f.Prefill != "" && d[f.Key] == nil:
			if err := load(); err != nil {
				return err
			}
			if v := prefillValue(f, org, liaison, objs); v != nil {
				d[f.Key] = v
			}
		}
	}
	return nil
}

func prefillValue(f isms.Field, org isms.Organization, l isms.Liaison, objs []isms.MLPSObject) any {
	var v string
	switch f.Prefill {
	case "org.name":
		v = org.Name
	case "org.credit_code":
		v = org.CreditCode
	case "org.address":
		v = org.Address
	case "org.region_code":
		v = org.RegionCode
	case "org.industry":
		v = org.Industry
	case "org.contact_name":
		v = org.ContactName
	case "org.contact_phone":
		v = org.ContactPhone
	case "liaison.name":
		v = l.Name
	case "liaison.post":
		v = l.Post
	case "liaison.phone":
		v = l.Phone
	case "liaison.email":
		v = l.Email
	case "mlps.objects":
		return float64(len(objs))
	case "mlps.filed":
		n := 0
		for _, o := range objs {
			if o.Current != nil && o.Current.Status == isms.GradingFiled {
				n++
			}
		}
		return float64(n)
	}
	if v == "" {
		return nil
	}
	return v
}

// pullRows reads a pull field's rows: one per active grading object.
func (s *Service) pullRows(ctx context.Context, orgID string, f isms.Field, objs []isms.MLPSObject) ([]map[string]any, error) {
	var evals, certs map[string]string
	rows := make([]map[string]any, 0, len(objs))
	for _, o := range objs {
		row := map[string]any{}
		for _, c := range f.Columns {
			var v string
			switch c.Key {
			case "name":
				v = o.Label()
			case "level":
				v = levelZH[o.Level()]
			case "status":
				v = "未定级"
				if o.Current != nil {
					v = gradingStatusZH[o.Current.Status]
				}
			case "filing_no":
				if certs == nil {
					certs = map[string]string{}
					cs, err := s.st.Certificates(ctx, orgID, "")
					if err != nil {
						return nil, err
					}
					for _, c := range cs { // oldest first
						certs[c.ObjectID] = c.Number
					}
				}
				v = certs[o.ID]
			case "filed_on":
				if o.Current != nil {
					v = o.Current.FiledOn
				}
			case "last_evaluation":
				if evals == nil {
					evals = map[string]string{}
					es, err := s.st.Evaluations(ctx, orgID, "")
					if err != nil {
						return nil, err
					}
					for _, e := range es { // newest first
						if evals[e.ObjectID] == "" {
							evals[e.ObjectID] = e.CompletedOn
						}
					}
				}
				v = evals[o.ID]
			}
			if v != "" {
				row[c.Key] = v
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// levelZH names a level in a pulled table as the self-check form's
// choices do.
var levelZH = []string{"未定级", "第一级", "第二级", "第三级", "第四级", "第五级"}

// gradingStatusZH names a grading's state in a pulled table, which is
// data sent upward and so written in the supervisors' language.
var gradingStatusZH = map[string]string{
	isms.GradingDraft: "定级中", isms.GradingReturned: "定级退回修改", isms.GradingReview: "专家评审中",
	isms.GradingAuthority: "主管部门审核中", isms.GradingFiling: "备案中", isms.GradingFiled: "已备案",
	isms.GradingConfirmed: "已定级（第一级）", isms.GradingOld: "已被取代",
}

// ownSubmission reads the actor's organization's submission for a change.
func (s *Service) ownSubmission(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Submission, isms.Campaign, isms.Requirement, error) {
	var c isms.Campaign
	var r isms.Requirement
	if err := a.Require(isms.ActSubmit); err != nil {
		return isms.Submission{}, c, r, err
	}
	if !isms.ValidID(id) {
		return isms.Submission{}, c, r, isms.NotFound("submission")
	}
	x, err := tx.Submission(ctx, id)
	if err == nil && x.OrgID != a.OrgID {
		err = isms.NotFound("submission")
	}
	if err != nil {
		return x, c, r, err
	}
	if c, err = tx.Campaign(ctx, x.CampaignID); err != nil {
		return x, c, r, err
	}
	r, _ = c.Requirement(x.RequirementID)
	today, err := s.orgToday(ctx, tx, x.OrgID)
	if err != nil {
		return x, c, r, err
	}
	ok, err := s.accepting(ctx, c, x.OrgID, today)
	if err != nil {
		return x, c, r, err
	}
	if !ok {
		return x, c, r, isms.Conflict("status", isms.M("submission.campaign_closed"))
	}
	if !x.Editable() {
		return x, c, r, isms.Conflict("status", isms.M("submission.frozen", "status", x.Status))
	}
	return x, c, r, nil
}

// SaveSubmission keeps the working copy: values are checked by kind, not
// yet for completeness; pull fields are read again from the
// organization's data, whatever was sent for them; attachment fields may
// name only files uploaded to this submission.
func (s *Service) SaveSubmission(ctx context.Context, a isms.Actor, id string, data map[string]any) (isms.Submission, error) {
	var x isms.Submission
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		var r isms.Requirement
		if x, _, r, err = s.ownSubmission(ctx, tx, a, id); err != nil {
			return err
		}
		for _, f := range r.Schema.Fields {
			if f.Kind == isms.FieldPull {
				delete(data, f.Key)
			}
		}
		clean, err := r.Schema.Clean(data, false)
		if err != nil {
			return err
		}
		if err := s.refreshPulls(ctx, x.OrgID, r.Schema, clean, false); err != nil {
			return err
		}
		if err := s.checkRefs(ctx, x, r.Schema, clean); err != nil {
			return err
		}
		before := x.Data
		x.Data, x.UpdatedBy, x.UpdatedAt = clean, a.Name(), s.clock.Now()
		if x.Status == isms.SubPending {
			x.Status = isms.SubDraft
		}
		if err := tx.UpdateSubmission(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: x.OrgID, Action: "submission.save", EntityType: "submission",
			EntityID: x.ID, Summary: r.Title, Data: map[string]any{"before": before, "after": x.Data}})
	})
	return x, err
}

// checkRefs refuses attachment ids that are not files of the submission.
func (s *Service) checkRefs(ctx context.Context, x isms.Submission, schema isms.SubmissionSchema, d isms.SubmissionData) error {
	atts, err := s.st.ListAttachments(ctx, "submission", x.ID)
	if err != nil {
		return err
	}
	var p isms.Problems
	for _, f := range schema.Fields {
		if f.Kind != isms.FieldAttachment {
			continue
		}
		for _, id := range d.Refs(f.Key) {
			if !slices.ContainsFunc(atts, func(a isms.Attachment) bool { return a.ID == id }) {
				p.Add("data."+f.Key, "submission.unknown_attachment")
				break
			}
		}
	}
	return p.Err()
}

// AttachToSubmission uploads a file into an attachment field of the
// working copy.
func (s *Service) AttachToSubmission(ctx context.Context, a isms.Actor, id, field, filename string, r io.Reader) (isms.Attachment, error) {
	var att isms.Attachment
	filename = cleanFilename(filename)
	if filename == "" {
		return att, isms.Invalid("file", isms.M("field.required"))
	}
	check := func(tx *store.Tx) (isms.Submission, isms.Requirement, error) {
		x, _, req, err := s.ownSubmission(ctx, tx, a, id)
		if err != nil {
			return x, req, err
		}
		if !slices.ContainsFunc(req.Schema.Fields, func(f isms.Field) bool { return f.Key == field && f.Kind == isms.FieldAttachment }) {
			return x, req, isms.Invalid("field", isms.M("submission.not_attachment_field"))
		}
		return x, req, nil
	}
	if err := s.st.InTx(ctx, func(tx *store.Tx) error { _, _, err := check(tx); return err }); err != nil {
		return att, err
	}
	sum, size, head, err := s.storeUpload(r, MaxAttachment)
	if err != nil {
		return att, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		x, req, err := check(tx)
		if err != nil {
			return err
		}
		if x.Status == isms.SubPending { // the form's first save: start from the organization's data
			if x.Data, err = s.prefill(ctx, x.OrgID, req.Schema); err != nil {
				return err
			}
		}
		refs := x.Data.Refs(field)
		if len(refs) >= isms.MaxSubmissionRefs {
			return isms.Invalid("file", isms.M("field.max_items", "max", isms.MaxSubmissionRefs))
		}
		att = isms.Attachment{ID: newID(), OrgID: x.OrgID, OwnerType: "submission", OwnerID: x.ID, SHA256: sum, Size: size,
			Filename: filename, ContentType: http.DetectContentType(head), UploadedBy: a.Name(), CreatedAt: s.clock.Now()}
		if err := tx.CreateAttachment(ctx, &att); err != nil {
			return err
		}
		x.Data[field] = append(refs, att.ID)
		x.UpdatedBy, x.UpdatedAt = a.Name(), s.clock.Now()
		if x.Status == isms.SubPending {
			x.Status = isms.SubDraft
		}
		if err := tx.UpdateSubmission(ctx, &x); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: x.OrgID, Action: "submission.attach", EntityType: "submission",
			EntityID: x.ID, Summary: req.Title + " · " + filename,
			Data: map[string]any{"field": field, "attachment_id": att.ID, "sha256": sum, "size": size}})
	})
	return att, err
}

// SubmitSubmission submits the working copy as a new frozen version:
// every required field must hold a value. Review starts again at the
// nearest body of the chain, whose supervisors are told; the task is
// done. A liaison registration also becomes the organization's liaison.
func (s *Service) SubmitSubmission(ctx context.Context, a isms.Actor, id string) (isms.Submission, error) {
	var x isms.Submission
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		var c isms.Campaign
		var r isms.Requirement
		if x, c, r, err = s.ownSubmission(ctx, tx, a, id); err != nil {
			return err
		}
		data := x.Data
		if data == nil {
			data = isms.SubmissionData{}
		}
		// Submitted straight away: the organization's facts are the answers.
		if err := s.refreshPulls(ctx, x.OrgID, r.Schema, data, x.Status == isms.SubPending); err != nil {
			return err
		}
		clean, err := r.Schema.Clean(data, true)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		x.Version++
		x.Data, x.Status, x.Level, x.Reached, x.SubmittedAt, x.UpdatedBy, x.UpdatedAt = clean, isms.SubSubmitted, 0, max(x.Reached, 0), &now, a.Name(), now
		if x.FirstAt == nil {
			x.FirstAt = &now
		}
		if err := tx.UpdateSubmission(ctx, &x); err != nil {
			return err
		}
		if err := tx.AddSubmissionVersion(ctx, &isms.SubmissionVersion{SubmissionID: x.ID, Version: x.Version, Data: clean,
			SubmittedBy: a.Name(), SubmittedAt: now}); err != nil {
			return err
		}
		if err := s.closeSourceTasks(ctx, tx, a, taskSubmission, x.ID, fmt.Sprintf("submitted as version %d", x.Version)); err != nil {
			return err
		}
		if r.TypeCode == "liaison" {
			if err := s.registerLiaison(ctx, tx, a, x.OrgID, clean); err != nil {
				return err
			}
		}
		if err := s.record(ctx, tx, a, audit{OrgID: x.OrgID, Action: "submission.submit", EntityType: "submission",
			EntityID: x.ID, Summary: fmt.Sprintf("%s · %s v%d", c.Title, r.Title, x.Version), Data: map[string]any{"version": x.Version}}); err != nil {
			return err
		}
		return s.notifyBody(ctx, tx, x.Chain[0], "submission", fmt.Sprintf("待审核：%s · %s（%s）", c.Title, r.Title, x.OrgName),
			"/submissions/"+x.ID)
	})
	return x, err
}

// registerLiaison takes a submitted liaison registration as the
// organization's liaison, keeping the account it named.
func (s *Service) registerLiaison(ctx context.Context, tx *store.Tx, a isms.Actor, orgID string, d isms.SubmissionData) error {
	l, _, err := tx.Liaison(ctx, orgID)
	if err != nil {
		return err
	}
	before := l
	l.Name, l.Post, l.Phone, l.Email = isms.Text(d["name"]), isms.Text(d["post"]), isms.Text(d["phone"]), isms.Text(d["email"])
	if err := l.Check(); err != nil { // the liaison's rules (a phone number) named by the form's fields
		var p isms.Problems
		prefixProblems(&p, "data.", err)
		return p.Err()
	}
	l.UpdatedBy, l.UpdatedAt = a.Name(), s.clock.Now()
	if err := tx.SetLiaison(ctx, &l); err != nil {
		return err
	}
	return s.record(ctx, tx, a, audit{OrgID: orgID, Action: "liaison.set", EntityType: "organization", EntityID: orgID,
		Summary: l.Name, Data: map[string]any{"before": before, "after": l}})
}

// notifyBody tells a body's supervisors about something to do.
func (s *Service) notifyBody(ctx context.Context, tx *store.Tx, orgID, kind, title, link string) error {
	to, err := tx.RoleHolders(ctx, orgID, isms.RoleSupervisor)
	if err != nil {
		return err
	}
	return s.notifyAccounts(ctx, tx, orgID, to, kind, title, link)
}

// notifyAccounts puts a message in each account's inbox, with its email
// and group-channel deliveries.
func (s *Service) notifyAccounts(ctx context.Context, tx *store.Tx, orgID string, to []string, kind, title, link string) error {
	for _, acct := range to {
		n := isms.Notification{ID: newID(), OrgID: orgID, AccountID: acct, Kind: kind, Title: title, Link: link,
			CreatedAt: s.clock.Now()}
		if err := tx.CreateNotification(ctx, &n); err != nil {
			return err
		}
	}
	return s.queueOutbound(ctx, tx, orgID, to, kind, notify.Message{Subject: title, Text: title, Link: link, Kind: kind})
}

// ReviewSubmission records the actor's body's decision on the version
// under review. Only the body at the submission's level of its chain
// decides, never for its own organization. Accepting passes it to the
// next body (told of it) or, at the last, settles it; returning sends it
// back with the comment and gives the organization a task to resubmit
// within seven days.
func (s *Service) ReviewSubmission(ctx context.Context, a isms.Actor, id string, in isms.SubmissionReview) (isms.Submission, error) {
	var x isms.Submission
	if err := a.Require(isms.ActSuperviseManage); err != nil {
		return x, err
	}
	if err := in.Check(); err != nil {
		return x, err
	}
	if !isms.ValidID(id) {
		return x, isms.NotFound("submission")
	}
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if x, err = tx.Submission(ctx, id); err != nil {
			return err
		}
		level := slices.Index(x.Chain, a.OrgID)
		if level < 0 || level > x.Reached || x.OrgID == a.OrgID {
			return isms.Forbidden(isms.M("submission.not_reviewer"))
		}
		if x.Status != isms.SubSubmitted {
			return isms.Conflict("status", isms.M("submission.not_under_review", "status", x.Status))
		}
		if level != x.Level {
			return isms.Forbidden(isms.M("submission.not_your_turn"))
		}
		c, err := tx.Campaign(ctx, x.CampaignID)
		if err != nil {
			return err
		}
		r, _ := c.Requirement(x.RequirementID)
		now := s.clock.Now()
		in.ID, in.SubmissionID, in.Version, in.Level, in.ReviewerOrgID, in.Reviewer, in.DecidedAt = newID(), x.ID, x.Version, level, a.OrgID, a.Name(), now
		if err := tx.AddSubmissionReview(ctx, &in); err != nil {
			return err
		}
		label := fmt.Sprintf("%s · %s（%s）v%d", c.Title, r.Title, x.OrgName, x.Version)
		switch {
		case in.Decision == isms.ReviewReturn:
			x.Status = isms.SubReturned
		case level == len(x.Chain)-1:
			x.Status = isms.SubAccepted
		default:
			x.Level++
			x.Reached = max(x.Reached, x.Level)
		}
		x.UpdatedAt = now
		if err := tx.UpdateSubmission(ctx, &x); err != nil {
			return err
		}
		for _, org := range []string{a.OrgID, x.OrgID} {
			if err := s.record(ctx, tx, a, audit{OrgID: org, Action: "submission." + in.Decision, EntityType: "submission",
				EntityID: x.ID, Summary: label, Data: in}); err != nil {
				return err
			}
		}
		switch x.Status {
		case isms.SubReturned:
			return s.resubmitTask(ctx, tx, a, x, c, r)
		case isms.SubSubmitted:
			return s.notifyBody(ctx, tx, x.Chain[x.Level], "submission", "待审核："+label, "/submissions/"+x.ID)
		}
		return nil
	})
	return x, err
}

// resubmitTask gives a returned submission's organization a task to
// change and resubmit it within seven days.
func (s *Service) resubmitTask(ctx context.Context, tx *store.Tx, a isms.Actor, x isms.Submission, c isms.Campaign, r isms.Requirement) error {
	to, err := campaignAssignee(ctx, tx, x.OrgID)
	if err != nil {
		return err
	}
	today, err := s.orgToday(ctx, tx, x.OrgID)
	if err != nil {
		return err
	}
	return s.submissionTask(ctx, tx, a, to, "退回修改："+c.Title+"："+r.Title, "Returned for changes: "+c.Title+": "+r.Title,
		isms.AddDays(today, 7), x.ID)
}

// Liaison reads the actor's organization's liaison.
func (s *Service) Liaison(ctx context.Context, a isms.Actor) (isms.Liaison, bool, error) {
	if err := a.Require(isms.ActSubmit); err != nil {
		return isms.Liaison{}, false, err
	}
	return s.st.Liaison(ctx, a.OrgID)
}

// SetLiaison names the actor's organization's liaison; the account, when
// given, must be a live account of the organization.
func (s *Service) SetLiaison(ctx context.Context, a isms.Actor, l isms.Liaison) (isms.Liaison, error) {
	if err := a.Require(isms.ActSubmit); err != nil {
		return l, err
	}
	if err := l.Check(); err != nil {
		return l, err
	}
	l.OrgID, l.UpdatedBy, l.UpdatedAt = a.OrgID, a.Name(), s.clock.Now()
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := liveAccount(ctx, tx, a.OrgID, "account_id", l.AccountID); err != nil {
			return err
		}
		before, _, err := tx.Liaison(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if err := tx.SetLiaison(ctx, &l); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "liaison.set", EntityType: "organization",
			EntityID: a.OrgID, Summary: l.Name, Data: map[string]any{"before": before, "after": l}})
	})
	return l, err
}

// ReviewQueue lists the submissions waiting for the actor's body's
// decision.
func (s *Service) ReviewQueue(ctx context.Context, a isms.Actor) ([]isms.Submission, error) {
	if err := a.Require(isms.ActSupervise); err != nil {
		return nil, err
	}
	return s.st.Submissions(ctx, store.SubmissionFilter{Awaiting: a.OrgID})
}

// AccountChoices lists the actor's organization's live accounts, for
// naming the liaison's account.
func (s *Service) AccountChoices(ctx context.Context, a isms.Actor) ([]isms.Account, error) {
	if err := a.Require(isms.ActSubmit); err != nil {
		return nil, err
	}
	return s.st.ListAccounts(ctx, isms.ListFilter{OrgID: a.OrgID, Limit: isms.MaxPageSize})
}

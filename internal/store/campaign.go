package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"openisms/internal/isms"
)

// Campaigns of supervising bodies, their audience and review chains, the
// submissions with their frozen versions and reviews, and liaisons.

var campaignCols = []string{"id", "org_id", "title", "basis_no", "basis", "status", "created_by", "created_at",
	"updated_at", "opened_at", "closed_at"}

func campaignArgs(c *isms.Campaign) []any {
	return []any{c.ID, c.OrgID, c.Title, c.BasisNo, c.Basis, c.Status, c.CreatedBy, c.CreatedAt, c.UpdatedAt,
		timePtr(c.OpenedAt), timePtr(c.ClosedAt)}
}

// CampaignFilter picks campaigns by who looks: the body that runs them
// (Owner), an organization asked to respond (Member), or a body reviewing
// for them (Reviewer). Set one.
type CampaignFilter struct {
	Owner, Member, Reviewer string
	Status                  string
}

func queryCampaigns(ctx context.Context, q queryer, w *where) ([]isms.Campaign, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("c", campaignCols)+`, o.name,
		(SELECT count(*) FROM campaign_members m WHERE m.campaign_id = c.id)
		FROM campaigns c JOIN organizations o ON o.id = c.org_id`+w.sql()+` ORDER BY c.created_at DESC, c.id`, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Campaign{}
	for rows.Next() {
		var c isms.Campaign
		var opened, closed sql.NullTime
		if err := rows.Scan(&c.ID, &c.OrgID, &c.Title, &c.BasisNo, &c.Basis, &c.Status, &c.CreatedBy, &c.CreatedAt,
			&c.UpdatedAt, &opened, &closed, &c.OrgName, &c.Audience); err != nil {
			return nil, mapErr(err)
		}
		c.OpenedAt, c.ClosedAt = nullTime(opened), nullTime(closed)
		out = append(out, c)
	}
	return out, mapErr(rows.Err())
}

// Campaigns lists campaigns, newest first, without phases and
// requirements.
func (s *Store) Campaigns(ctx context.Context, f CampaignFilter) ([]isms.Campaign, error) {
	w := newWhere()
	switch {
	case f.Owner != "":
		w.add("c.org_id = ?", f.Owner)
	case f.Member != "":
		w.add("c.id IN (SELECT campaign_id FROM campaign_members WHERE org_id = ?)", f.Member)
		w.add("c.status <> 'draft'")
	case f.Reviewer != "":
		w.add("c.id IN (SELECT campaign_id FROM campaign_reviewers WHERE body_id = ?)", f.Reviewer)
		w.add("c.org_id <> ?", f.Reviewer)
		w.add("c.status <> 'draft'")
	default:
		return nil, nil
	}
	if f.Status != "" {
		w.add("c.status = ?", f.Status)
	}
	return queryCampaigns(ctx, s.read, w)
}

// Campaign reads one campaign with its phases and requirements.
func (s *Store) Campaign(ctx context.Context, id string) (isms.Campaign, error) {
	return readCampaign(ctx, s.read, id)
}

// Campaign reads one campaign in the transaction.
func (tx *Tx) Campaign(ctx context.Context, id string) (isms.Campaign, error) {
	return readCampaign(ctx, tx.tx, id)
}

func readCampaign(ctx context.Context, q queryer, id string) (isms.Campaign, error) {
	w := newWhere()
	w.add("c.id = ?", id)
	c, err := oneCampaign(queryCampaigns(ctx, q, w))
	if err != nil {
		return c, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, name, starts_on, ends_on FROM campaign_phases WHERE campaign_id = $1
		ORDER BY position`, id)
	if err != nil {
		return c, mapErr(err)
	}
	defer rows.Close()
	c.Phases = []isms.CampaignPhase{}
	for rows.Next() {
		var p isms.CampaignPhase
		if err := rows.Scan(&p.ID, &p.Name, &p.StartsOn, &p.EndsOn); err != nil {
			return c, mapErr(err)
		}
		c.Phases = append(c.Phases, p)
	}
	if err := rows.Err(); err != nil {
		return c, mapErr(err)
	}
	rrows, err := q.QueryContext(ctx, `SELECT id, phase_id, type_code, title, due_on, schema FROM campaign_requirements
		WHERE campaign_id = $1 ORDER BY position`, id)
	if err != nil {
		return c, mapErr(err)
	}
	defer rrows.Close()
	c.Requirements = []isms.Requirement{}
	for rrows.Next() {
		var r isms.Requirement
		var schema string
		if err := rrows.Scan(&r.ID, &r.PhaseID, &r.TypeCode, &r.Title, &r.DueOn, &schema); err != nil {
			return c, mapErr(err)
		}
		if err := json.Unmarshal([]byte(schema), &r.Schema); err != nil {
			return c, isms.Internal(err)
		}
		c.Requirements = append(c.Requirements, r)
	}
	return c, mapErr(rrows.Err())
}

func oneCampaign(cs []isms.Campaign, err error) (isms.Campaign, error) {
	return one(cs, err, "campaign")
}

// CreateCampaign inserts a campaign with its phases and requirements.
func (tx *Tx) CreateCampaign(ctx context.Context, c *isms.Campaign) error {
	if _, err := tx.tx.ExecContext(ctx, insertSQL("campaigns", campaignCols), campaignArgs(c)...); err != nil {
		return mapErr(err)
	}
	return tx.writeCampaignParts(ctx, c)
}

// UpdateCampaign writes a campaign's fields; with parts, its phases and
// requirements too: rows kept by id are updated in place (submissions
// refer to requirements), new ones inserted, missing ones deleted (only
// before any submission refers to them).
func (tx *Tx) UpdateCampaign(ctx context.Context, c *isms.Campaign, parts bool) error {
	res, err := tx.tx.ExecContext(ctx, updateSQL("campaigns", campaignCols), campaignArgs(c)...)
	if err := mustAffect(res, err, "campaign"); err != nil || !parts {
		return err
	}
	keep := func(table string, ids []string) error {
		w := newWhere()
		w.add("campaign_id = ?", c.ID)
		if len(ids) > 0 {
			w.conds = append(w.conds, "id NOT IN ("+placeholders(w, ids)+")")
		}
		_, err := tx.tx.ExecContext(ctx, `DELETE FROM `+table+w.sql(), w.args...)
		return mapErr(err)
	}
	var rids, pids []string
	for _, r := range c.Requirements {
		rids = append(rids, r.ID)
	}
	for _, p := range c.Phases {
		pids = append(pids, p.ID)
	}
	if err := keep("campaign_requirements", rids); err != nil {
		return err
	}
	if err := keep("campaign_phases", pids); err != nil {
		return err
	}
	return tx.writeCampaignParts(ctx, c)
}

// writeCampaignParts updates or inserts each phase and requirement.
func (tx *Tx) writeCampaignParts(ctx context.Context, c *isms.Campaign) error {
	for i, p := range c.Phases {
		res, err := tx.tx.ExecContext(ctx, `UPDATE campaign_phases SET position = $3, name = $4, starts_on = $5, ends_on = $6
			WHERE id = $1 AND campaign_id = $2`, p.ID, c.ID, i, p.Name, p.StartsOn, p.EndsOn)
		if n, err := affected(res, err); err != nil || n > 0 {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO campaign_phases (id, campaign_id, position, name, starts_on, ends_on)
			VALUES ($1, $2, $3, $4, $5, $6)`, p.ID, c.ID, i, p.Name, p.StartsOn, p.EndsOn); err != nil {
			return mapErr(err)
		}
	}
	for i, r := range c.Requirements {
		schema, err := json.Marshal(r.Schema)
		if err != nil {
			return isms.Internal(err)
		}
		args := []any{r.ID, c.ID, r.PhaseID, i, r.TypeCode, r.Title, r.DueOn, string(schema)}
		res, err := tx.tx.ExecContext(ctx, `UPDATE campaign_requirements SET phase_id = $3, position = $4, type_code = $5,
			title = $6, due_on = $7, schema = $8 WHERE id = $1 AND campaign_id = $2`, args...)
		if n, err := affected(res, err); err != nil || n > 0 {
			if err != nil {
				return err
			}
			continue
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO campaign_requirements (id, campaign_id, phase_id, position, type_code,
			title, due_on, schema) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n, mapErr(err)
}

func queryMembers(ctx context.Context, q queryer, where string, args ...any) ([]isms.CampaignMember, error) {
	rows, err := q.QueryContext(ctx, `SELECT m.org_id, o.name, m.chain, m.reopened_until FROM campaign_members m
		JOIN organizations o ON o.id = m.org_id `+where+` ORDER BY o.name, m.org_id`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.CampaignMember{}
	for rows.Next() {
		var m isms.CampaignMember
		var chain string
		if err := rows.Scan(&m.OrgID, &m.OrgName, &chain, &m.ReopenedUntil); err != nil {
			return nil, mapErr(err)
		}
		if chain != "" {
			m.Chain = strings.Split(chain, ",")
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}

// CampaignMembers lists a campaign's audience by name.
func (s *Store) CampaignMembers(ctx context.Context, campaignID string) ([]isms.CampaignMember, error) {
	return queryMembers(ctx, s.read, `WHERE m.campaign_id = $1`, campaignID)
}

// CampaignMembers lists a campaign's audience in the transaction.
func (tx *Tx) CampaignMembers(ctx context.Context, campaignID string) ([]isms.CampaignMember, error) {
	return queryMembers(ctx, tx.tx, `WHERE m.campaign_id = $1`, campaignID)
}

// CampaignMember reads one member of a campaign's audience.
func (s *Store) CampaignMember(ctx context.Context, campaignID, orgID string) (isms.CampaignMember, error) {
	ms, err := queryMembers(ctx, s.read, `WHERE m.campaign_id = $1 AND m.org_id = $2`, campaignID, orgID)
	return one(ms, err, "campaign_member")
}

// CampaignMember reads one member of a campaign's audience in the
// transaction.
func (tx *Tx) CampaignMember(ctx context.Context, campaignID, orgID string) (isms.CampaignMember, error) {
	ms, err := queryMembers(ctx, tx.tx, `WHERE m.campaign_id = $1 AND m.org_id = $2`, campaignID, orgID)
	return one(ms, err, "campaign_member")
}

// AddCampaignMember adds an organization to a campaign's audience with
// its review chain.
func (tx *Tx) AddCampaignMember(ctx context.Context, campaignID string, m isms.CampaignMember, at time.Time) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO campaign_members (campaign_id, org_id, chain, added_at)
		VALUES ($1, $2, $3, $4)`, campaignID, m.OrgID, strings.Join(m.Chain, ","), at)
	if err != nil {
		return mapErr(err)
	}
	for level, body := range m.Chain {
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO campaign_reviewers (campaign_id, org_id, level, body_id)
			VALUES ($1, $2, $3, $4)`, campaignID, m.OrgID, level, body); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// RemoveCampaignMember takes an organization out of a draft campaign.
func (tx *Tx) RemoveCampaignMember(ctx context.Context, campaignID, orgID string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM campaign_reviewers WHERE campaign_id = $1 AND org_id = $2`,
		campaignID, orgID); err != nil {
		return mapErr(err)
	}
	res, err := tx.tx.ExecContext(ctx, `DELETE FROM campaign_members WHERE campaign_id = $1 AND org_id = $2`, campaignID, orgID)
	return mustAffect(res, err, "campaign_member")
}

// SetReopened sets the day until which a closed campaign takes a
// member's submissions ("" for none).
func (tx *Tx) SetReopened(ctx context.Context, campaignID, orgID, until string) error {
	res, err := tx.tx.ExecContext(ctx, `UPDATE campaign_members SET reopened_until = $3 WHERE campaign_id = $1 AND org_id = $2`,
		campaignID, orgID, until)
	return mustAffect(res, err, "campaign_member")
}

// ReviewsFor reports whether body reviews anything in the campaign.
func (s *Store) ReviewsFor(ctx context.Context, campaignID, body string) (bool, error) {
	var n int
	err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM campaign_reviewers WHERE campaign_id = $1 AND body_id = $2`,
		campaignID, body).Scan(&n)
	return n > 0, mapErr(err)
}

var submissionCols = []string{"id", "org_id", "campaign_id", "requirement_id", "status", "version", "level", "reached",
	"data", "updated_by", "updated_at", "submitted_at", "first_at"}

func submissionArgs(x *isms.Submission) ([]any, error) {
	data, err := json.Marshal(x.Data)
	if err != nil {
		return nil, isms.Internal(err)
	}
	if x.Data == nil {
		data = []byte("{}")
	}
	return []any{x.ID, x.OrgID, x.CampaignID, x.RequirementID, x.Status, x.Version, x.Level, x.Reached, string(data),
		x.UpdatedBy, x.UpdatedAt, timePtr(x.SubmittedAt), timePtr(x.FirstAt)}, nil
}

// CreateSubmission inserts a submission row (pending, at launch or when
// an organization joins).
func (tx *Tx) CreateSubmission(ctx context.Context, x *isms.Submission) error {
	args, err := submissionArgs(x)
	if err != nil {
		return err
	}
	_, err = tx.tx.ExecContext(ctx, insertSQL("submissions", submissionCols), args...)
	return mapErr(err)
}

// UpdateSubmission writes a submission's working copy and state.
func (tx *Tx) UpdateSubmission(ctx context.Context, x *isms.Submission) error {
	args, err := submissionArgs(x)
	if err != nil {
		return err
	}
	res, err := tx.tx.ExecContext(ctx, updateSQL("submissions", submissionCols), args...)
	return mustAffect(res, err, "submission")
}

// SubmissionFilter narrows a list of submissions. Awaiting lists those
// waiting for that body's decision; Body those that have reached it.
type SubmissionFilter struct {
	ID, CampaignID, RequirementID, OrgID, Status string
	Awaiting, Body                               string
	Chain                                        string // those a body reviews, reached or not
	WithData                                     bool   // the working copy too
}

func querySubmissions(ctx context.Context, q queryer, f SubmissionFilter) ([]isms.Submission, error) {
	w := newWhere()
	if f.ID != "" {
		w.add("s.id = ?", f.ID)
	}
	if f.CampaignID != "" {
		w.add("s.campaign_id = ?", f.CampaignID)
	}
	if f.RequirementID != "" {
		w.add("s.requirement_id = ?", f.RequirementID)
	}
	if f.OrgID != "" {
		w.add("s.org_id = ?", f.OrgID)
	}
	if f.Status != "" {
		w.add("s.status = ?", f.Status)
	}
	if f.Awaiting != "" {
		w.add(`s.status = 'submitted' AND EXISTS (SELECT 1 FROM campaign_reviewers r WHERE r.campaign_id = s.campaign_id
			AND r.org_id = s.org_id AND r.level = s.level AND r.body_id = ?)`, f.Awaiting)
	}
	if f.Body != "" {
		w.add(`EXISTS (SELECT 1 FROM campaign_reviewers r WHERE r.campaign_id = s.campaign_id
			AND r.org_id = s.org_id AND r.level <= s.reached AND r.body_id = ?)`, f.Body)
	}
	if f.Chain != "" {
		w.add(`EXISTS (SELECT 1 FROM campaign_reviewers r WHERE r.campaign_id = s.campaign_id
			AND r.org_id = s.org_id AND r.body_id = ?)`, f.Chain)
	}
	data := "'{}'"
	if f.WithData {
		data = "s.data"
	}
	cols := prefixed("s", submissionCols)
	cols = strings.Replace(cols, "s.data", data, 1)
	rows, err := q.QueryContext(ctx, `SELECT `+cols+`, o.name, q.due_on, m.chain, c.title, q.title
		FROM submissions s JOIN organizations o ON o.id = s.org_id
		JOIN campaign_requirements q ON q.id = s.requirement_id JOIN campaigns c ON c.id = s.campaign_id
		JOIN campaign_members m ON m.campaign_id = s.campaign_id AND m.org_id = s.org_id`+w.sql()+`
		ORDER BY o.name, s.org_id, q.position`, w.args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.Submission{}
	for rows.Next() {
		var x isms.Submission
		var data, chain string
		var sub, first sql.NullTime
		if err := rows.Scan(&x.ID, &x.OrgID, &x.CampaignID, &x.RequirementID, &x.Status, &x.Version, &x.Level,
			&x.Reached, &data, &x.UpdatedBy, &x.UpdatedAt, &sub, &first, &x.OrgName, &x.DueOn, &chain, &x.CampaignTitle, &x.RequirementTitle); err != nil {
			return nil, mapErr(err)
		}
		x.SubmittedAt, x.FirstAt = nullTime(sub), nullTime(first)
		if chain != "" {
			x.Chain = strings.Split(chain, ",")
		}
		if f.WithData {
			if err := json.Unmarshal([]byte(data), &x.Data); err != nil {
				return nil, isms.Internal(err)
			}
		}
		out = append(out, x)
	}
	return out, mapErr(rows.Err())
}

// Submissions lists submissions by the filter, by organization name and
// requirement order.
func (s *Store) Submissions(ctx context.Context, f SubmissionFilter) ([]isms.Submission, error) {
	return querySubmissions(ctx, s.read, f)
}

// Submissions lists submissions in the transaction.
func (tx *Tx) Submissions(ctx context.Context, f SubmissionFilter) ([]isms.Submission, error) {
	return querySubmissions(ctx, tx.tx, f)
}

// Submission reads one submission with its working copy.
func (s *Store) Submission(ctx context.Context, id string) (isms.Submission, error) {
	return readSubmission(ctx, s.read, id)
}

// Submission reads one submission in the transaction.
func (tx *Tx) Submission(ctx context.Context, id string) (isms.Submission, error) {
	return readSubmission(ctx, tx.tx, id)
}

func readSubmission(ctx context.Context, q queryer, id string) (isms.Submission, error) {
	xs, err := querySubmissions(ctx, q, SubmissionFilter{ID: id, WithData: true})
	return one(xs, err, "submission")
}

// AddSubmissionVersion freezes a submitted version.
func (tx *Tx) AddSubmissionVersion(ctx context.Context, v *isms.SubmissionVersion) error {
	data, err := json.Marshal(v.Data)
	if err != nil {
		return isms.Internal(err)
	}
	_, err = tx.tx.ExecContext(ctx, `INSERT INTO submission_versions (submission_id, version, data, submitted_by, submitted_at)
		VALUES ($1, $2, $3, $4, $5)`, v.SubmissionID, v.Version, string(data), v.SubmittedBy, v.SubmittedAt)
	return mapErr(err)
}

// SubmissionVersions lists a submission's versions, newest first.
func (s *Store) SubmissionVersions(ctx context.Context, submissionID string) ([]isms.SubmissionVersion, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT submission_id, version, data, submitted_by, submitted_at
		FROM submission_versions WHERE submission_id = $1 ORDER BY version DESC`, submissionID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.SubmissionVersion{}
	for rows.Next() {
		var v isms.SubmissionVersion
		var data string
		if err := rows.Scan(&v.SubmissionID, &v.Version, &data, &v.SubmittedBy, &v.SubmittedAt); err != nil {
			return nil, mapErr(err)
		}
		if err := json.Unmarshal([]byte(data), &v.Data); err != nil {
			return nil, isms.Internal(err)
		}
		out = append(out, v)
	}
	return out, mapErr(rows.Err())
}

// AddSubmissionReview records a reviewer's decision.
func (tx *Tx) AddSubmissionReview(ctx context.Context, r *isms.SubmissionReview) error {
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO submission_reviews (id, submission_id, version, level, reviewer_org_id,
		reviewer, decision, comment, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, r.ID, r.SubmissionID,
		r.Version, r.Level, r.ReviewerOrgID, r.Reviewer, r.Decision, r.Comment, r.DecidedAt)
	return mapErr(err)
}

// SubmissionReviews lists the decisions on a submission, newest first.
func (s *Store) SubmissionReviews(ctx context.Context, submissionID string) ([]isms.SubmissionReview, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.submission_id, r.version, r.level, r.reviewer_org_id, r.reviewer,
		r.decision, r.comment, r.decided_at, o.name FROM submission_reviews r JOIN organizations o ON o.id = r.reviewer_org_id
		WHERE r.submission_id = $1 ORDER BY r.decided_at DESC, r.id`, submissionID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := []isms.SubmissionReview{}
	for rows.Next() {
		var r isms.SubmissionReview
		if err := rows.Scan(&r.ID, &r.SubmissionID, &r.Version, &r.Level, &r.ReviewerOrgID, &r.Reviewer, &r.Decision,
			&r.Comment, &r.DecidedAt, &r.ReviewerOrgName); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

// Liaison reads an organization's liaison; ok is false when it has none.
func (s *Store) Liaison(ctx context.Context, orgID string) (l isms.Liaison, ok bool, err error) {
	return readLiaison(ctx, s.read, orgID)
}

// Liaison reads an organization's liaison in the transaction.
func (tx *Tx) Liaison(ctx context.Context, orgID string) (l isms.Liaison, ok bool, err error) {
	return readLiaison(ctx, tx.tx, orgID)
}

func readLiaison(ctx context.Context, q queryer, orgID string) (isms.Liaison, bool, error) {
	l := isms.Liaison{OrgID: orgID}
	err := q.QueryRowContext(ctx, `SELECT name, post, phone, email, account_id, updated_by, updated_at FROM org_liaisons
		WHERE org_id = $1`, orgID).Scan(&l.Name, &l.Post, &l.Phone, &l.Email, &l.AccountID, &l.UpdatedBy, &l.UpdatedAt)
	if err == sql.ErrNoRows {
		return l, false, nil
	}
	return l, err == nil, mapErr(err)
}

// SetLiaison writes an organization's liaison.
func (tx *Tx) SetLiaison(ctx context.Context, l *isms.Liaison) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM org_liaisons WHERE org_id = $1`, l.OrgID); err != nil {
		return mapErr(err)
	}
	_, err := tx.tx.ExecContext(ctx, `INSERT INTO org_liaisons (org_id, name, post, phone, email, account_id, updated_by,
		updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, l.OrgID, l.Name, l.Post, l.Phone, l.Email, l.AccountID,
		l.UpdatedBy, l.UpdatedAt)
	return mapErr(err)
}

// LatestVersions reads the latest submitted version of every answer to a
// requirement, by submission.
func (s *Store) LatestVersions(ctx context.Context, requirementID string) (map[string]isms.SubmissionVersion, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT v.submission_id, v.version, v.data, v.submitted_by, v.submitted_at
		FROM submission_versions v JOIN submissions s ON s.id = v.submission_id AND v.version = s.version
		WHERE s.requirement_id = $1`, requirementID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]isms.SubmissionVersion{}
	for rows.Next() {
		var v isms.SubmissionVersion
		var data string
		if err := rows.Scan(&v.SubmissionID, &v.Version, &data, &v.SubmittedBy, &v.SubmittedAt); err != nil {
			return nil, mapErr(err)
		}
		if err := json.Unmarshal([]byte(data), &v.Data); err != nil {
			return nil, isms.Internal(err)
		}
		out[v.SubmissionID] = v
	}
	return out, mapErr(rows.Err())
}

// SubmissionFileNames names the files uploaded to the answers to a
// requirement, by attachment id.
func (s *Store) SubmissionFileNames(ctx context.Context, requirementID string) (map[string]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.filename FROM attachments a JOIN submissions s ON s.id = a.owner_id
		WHERE a.owner_type = 'submission' AND s.requirement_id = $1`, requirementID)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, mapErr(err)
		}
		out[id] = name
	}
	return out, mapErr(rows.Err())
}

// OpenSubmissionTasks lists the open tasks a campaign's submissions (of
// one requirement, when requirementID is set) gave out.
func (tx *Tx) OpenSubmissionTasks(ctx context.Context, campaignID, requirementID string) ([]isms.Task, error) {
	w := newWhere()
	w.add("s.campaign_id = ?", campaignID)
	if requirementID != "" {
		w.add("s.requirement_id = ?", requirementID)
	}
	return tx.queryTasks(ctx, `SELECT `+taskColumns+` FROM tasks WHERE source_type = 'submission' AND status = 'open'
		AND source_id IN (SELECT s.id FROM submissions s`+w.sql()+`)`, w.args...)
}

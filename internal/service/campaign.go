package service

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// Campaigns of a supervising body: prepared as a draft (basis, phases,
// requirements, audience), opened — every organization in the audience
// gets a submission per requirement and a task due on its day — and
// closed. Only the body that runs a campaign changes it.

//go:embed defaults/submissions.yaml
var submissionTemplatesYAML []byte

// SubmissionTemplate is a shipped submission type a requirement starts
// from.
type SubmissionTemplate struct {
	Code    string                `json:"code"`
	TitleZH string                `json:"title_zh"`
	TitleEN string                `json:"title_en"`
	Schema  isms.SubmissionSchema `json:"schema"`
}

// SubmissionTemplates returns the shipped submission types.
var SubmissionTemplates = sync.OnceValues(func() ([]SubmissionTemplate, error) {
	var raw []map[string]any
	if err := yaml.Unmarshal(submissionTemplatesYAML, &raw); err != nil {
		return nil, fmt.Errorf("submission templates: %w", err)
	}
	out := make([]SubmissionTemplate, len(raw))
	for i, r := range raw {
		// The file's keys are the schema's JSON names.
		b, err := json.Marshal(map[string]any{"code": r["code"], "title_zh": r["title_zh"], "title_en": r["title_en"],
			"schema": map[string]any{"fields": r["fields"]}})
		if err != nil {
			return nil, fmt.Errorf("submission templates: %w", err)
		}
		if err := json.Unmarshal(b, &out[i]); err != nil {
			return nil, fmt.Errorf("submission templates: %w", err)
		}
		if err := out[i].Schema.Check(); err != nil {
			return nil, fmt.Errorf("submission template %s: %w", out[i].Code, err)
		}
	}
	return out, nil
})

// SubmissionTemplate returns the shipped type with the code.
func submissionTemplate(code string) (SubmissionTemplate, bool) {
	ts, err := SubmissionTemplates()
	if err != nil {
		return SubmissionTemplate{}, false
	}
	i := slices.IndexFunc(ts, func(t SubmissionTemplate) bool { return t.Code == code })
	if i < 0 {
		return SubmissionTemplate{}, false
	}
	return ts[i], true
}

// prepareCampaign gives phases and requirements that are not already
// the campaign's (was: its stored state, nil for a new one) ids of their
// own — a form or client names new phases as it likes ("p1") and its
// requirements refer to them by that name — fills a requirement's fields
// from its template when it brings none, and checks the whole.
func prepareCampaign(c *isms.Campaign, was *isms.Campaign) error {
	phaseID := map[string]string{}
	for i := range c.Phases {
		ph := &c.Phases[i]
		if _, ok := was.Phase(ph.ID); !ok {
			old := ph.ID
			ph.ID = newID()
			if old != "" {
				phaseID[old] = ph.ID
			}
		}
	}
	for i := range c.Requirements {
		r := &c.Requirements[i]
		if _, ok := was.Requirement(r.ID); !ok {
			r.ID = newID()
		}
		if id, ok := phaseID[r.PhaseID]; ok {
			r.PhaseID = id
		}
		if len(r.Schema.Fields) == 0 && r.TypeCode != "" {
			t, ok := submissionTemplate(r.TypeCode)
			if !ok {
				return isms.Invalid(fmt.Sprintf("requirements[%d].type_code", i), isms.M("campaign.unknown_template"))
			}
			r.Schema = t.Schema
			if r.Title == "" {
				r.Title = t.TitleZH
			}
		}
	}
	if err := c.Check(); err != nil {
		return err
	}
	c.SortPhases()
	return nil
}

// CreateCampaign prepares a campaign of the actor's body, as a draft.
func (s *Service) CreateCampaign(ctx context.Context, a isms.Actor, in isms.Campaign) (isms.Campaign, error) {
	if err := a.Require(isms.ActSuperviseManage); err != nil {
		return in, err
	}
	if err := prepareCampaign(&in, nil); err != nil {
		return in, err
	}
	now := s.clock.Now()
	in.ID, in.OrgID, in.Status, in.CreatedBy, in.CreatedAt, in.UpdatedAt = newID(), a.OrgID, isms.CampaignDraft, a.Name(), now, now
	in.OpenedAt, in.ClosedAt = nil, nil
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CreateCampaign(ctx, &in); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "campaign.create", EntityType: "campaign",
			EntityID: in.ID, Summary: in.Title, Data: in})
	})
	return in, err
}

// ownCampaign reads a campaign the actor's body runs, for a change.
func (s *Service) ownCampaign(ctx context.Context, tx *store.Tx, a isms.Actor, id string) (isms.Campaign, error) {
	if err := a.Require(isms.ActSuperviseManage); err != nil {
		return isms.Campaign{}, err
	}
	if !isms.ValidID(id) {
		return isms.Campaign{}, isms.NotFound("campaign")
	}
	c, err := tx.Campaign(ctx, id)
	if err == nil && c.OrgID != a.OrgID {
		err = isms.NotFound("campaign")
	}
	return c, err
}

// UpdateCampaign changes a campaign. Before it opens everything may
// change; once open, its title and basis, and the dates of its phases and
// requirements (a deadline extended: the owed submissions' tasks move
// with it), but no phase or requirement is added or removed and no
// requirement's fields change.
func (s *Service) UpdateCampaign(ctx context.Context, a isms.Actor, id string, in isms.Campaign) (isms.Campaign, error) {
	var c isms.Campaign
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = s.ownCampaign(ctx, tx, a, id); err != nil {
			return err
		}
		if c.Status == isms.CampaignClosed {
			return isms.Conflict("status", isms.M("campaign.closed"))
		}
		before := c
		if c.Status == isms.CampaignOpen {
			if err := sameParts(c, in); err != nil {
				return err
			}
			// The fields asked stay as they were asked.
			for i := range in.Requirements {
				old, _ := c.Requirement(in.Requirements[i].ID)
				in.Requirements[i].Schema, in.Requirements[i].TypeCode = old.Schema, old.TypeCode
			}
		}
		c.Title, c.BasisNo, c.Basis, c.Phases, c.Requirements = in.Title, in.BasisNo, in.Basis, in.Phases, in.Requirements
		if err := prepareCampaign(&c, &before); err != nil {
			return err
		}
		c.UpdatedAt = s.clock.Now()
		if err := tx.UpdateCampaign(ctx, &c, true); err != nil {
			return err
		}
		// A deadline moved: the owed submissions' tasks move with it.
		for _, r := range c.Requirements {
			if old, ok := before.Requirement(r.ID); ok && c.Status == isms.CampaignOpen && old.DueOn != r.DueOn {
				if err := s.reissueTasks(ctx, tx, a, c, r.ID, "deadline moved to "+r.DueOn); err != nil {
					return err
				}
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "campaign.update", EntityType: "campaign",
			EntityID: c.ID, Summary: c.Title, Data: map[string]any{"before": before, "after": c}})
	})
	return c, err
}

// sameParts refuses a change of an open campaign's phases or
// requirements other than their dates and titles.
func sameParts(c, in isms.Campaign) error {
	ids := func(n int, id func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(i)
		}
		slices.Sort(out)
		return out
	}
	if !slices.Equal(ids(len(c.Phases), func(i int) string { return c.Phases[i].ID }),
		ids(len(in.Phases), func(i int) string { return in.Phases[i].ID })) {
		return isms.Conflict("phases", isms.M("campaign.open_parts"))
	}
	if !slices.Equal(ids(len(c.Requirements), func(i int) string { return c.Requirements[i].ID }),
		ids(len(in.Requirements), func(i int) string { return in.Requirements[i].ID })) {
		return isms.Conflict("requirements", isms.M("campaign.open_parts"))
	}
	return nil
}

// chains works out, for each organization a body supervises, the bodies
// that review its submissions: the one it is supervised by on its
// shortest way up, that one's, and so on to the body itself, last.
func chains(orgs []isms.SupervisedOrg, owner string) map[string][]string {
	via := map[string]string{}
	for _, o := range orgs {
		via[o.ID] = o.ViaID
	}
	out := map[string][]string{}
	for _, o := range orgs {
		var chain []string
		for p := o.ViaID; p != "" && len(chain) < 16; p = via[p] {
			chain = append(chain, p)
		}
		out[o.ID] = append(chain, owner)
	}
	return out
}

// AudienceBelow lists the organizations "all below a node" means: those
// the actor's body supervises whose review chain passes through node
// (node may be the body itself) and that supervise nobody of the body's
// themselves — the respondents, not the bodies between.
func (s *Service) AudienceBelow(ctx context.Context, a isms.Actor, node string) ([]string, error) {
	if err := a.Require(isms.ActSuperviseManage); err != nil {
		return nil, err
	}
	orgs, err := s.st.SupervisedOrgs(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	return audienceBelow(orgs, chains(orgs, a.OrgID), a.OrgID, node)
}

func audienceBelow(orgs []isms.SupervisedOrg, ch map[string][]string, body, node string) ([]string, error) {
	bodies := map[string]bool{}
	for _, o := range orgs {
		bodies[o.ViaID] = true
	}
	if node != body && ch[node] == nil {
		return nil, isms.Invalid("below", isms.M("supervision.not_supervised"))
	}
	var out []string
	for _, o := range orgs {
		if !bodies[o.ID] && slices.Contains(ch[o.ID], node) {
			out = append(out, o.ID)
		}
	}
	return out, nil
}

// Audience is who must respond to a campaign: organizations by id, and
// everything below a node (see AudienceBelow), together.
type Audience struct {
	OrgIDs []string `json:"org_ids"`
	Below  string   `json:"below"`
}

// SetCampaignAudience sets who must respond: organizations the body
// supervises, each with its review chain. Before the campaign opens the
// list is replaced; once open, organizations are only added, and each
// new one gets its submissions and tasks at once.
func (s *Service) SetCampaignAudience(ctx context.Context, a isms.Actor, id string, in Audience) ([]isms.CampaignMember, error) {
	var members []isms.CampaignMember
	orgs, err := s.st.SupervisedOrgs(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	ch := chains(orgs, a.OrgID)
	orgIDs := in.OrgIDs
	if in.Below != "" {
		below, err := audienceBelow(orgs, ch, a.OrgID, in.Below)
		if err != nil {
			return nil, err
		}
		orgIDs = append(slices.Clone(orgIDs), below...)
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		c, err := s.ownCampaign(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if c.Status == isms.CampaignClosed {
			return isms.Conflict("status", isms.M("campaign.closed"))
		}
		have, err := tx.CampaignMembers(ctx, c.ID)
		if err != nil {
			return err
		}
		want := map[string]bool{}
		for _, org := range orgIDs {
			if _, ok := ch[org]; !ok {
				return isms.Invalid("audience", isms.M("campaign.not_supervised", "id", org))
			}
			want[org] = true
		}
		var added, removed []string
		for _, m := range have {
			if !want[m.OrgID] {
				if c.Status != isms.CampaignDraft {
					return isms.Conflict("audience", isms.M("campaign.open_audience", "name", m.OrgName))
				}
				if err := tx.RemoveCampaignMember(ctx, c.ID, m.OrgID); err != nil {
					return err
				}
				removed = append(removed, m.OrgID)
			}
			delete(want, m.OrgID)
		}
		now := s.clock.Now()
		for _, org := range orgIDs {
			if !want[org] {
				continue
			}
			delete(want, org)
			m := isms.CampaignMember{OrgID: org, Chain: ch[org]}
			if err := tx.AddCampaignMember(ctx, c.ID, m, now); err != nil {
				return err
			}
			if c.Status == isms.CampaignOpen {
				if err := s.launchFor(ctx, tx, a, c, org); err != nil {
					return err
				}
			}
			added = append(added, org)
		}
		if members, err = tx.CampaignMembers(ctx, c.ID); err != nil {
			return err
		}
		if len(added)+len(removed) == 0 {
			return nil
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "campaign.audience", EntityType: "campaign",
			EntityID: c.ID, Summary: fmt.Sprintf("%s: +%d −%d", c.Title, len(added), len(removed)),
			Data: map[string]any{"added": added, "removed": removed}})
	})
	return members, err
}

// OpenCampaign opens a draft campaign: it needs a phase, a requirement and
// an audience; every organization in the audience gets a submission per
// requirement and a task for it.
func (s *Service) OpenCampaign(ctx context.Context, a isms.Actor, id string) (isms.Campaign, error) {
	var c isms.Campaign
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = s.ownCampaign(ctx, tx, a, id); err != nil {
			return err
		}
		if c.Status != isms.CampaignDraft {
			return isms.Conflict("status", isms.M("campaign.not_draft"))
		}
		members, err := tx.CampaignMembers(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := c.Ready(len(members)); err != nil {
			return err
		}
		now := s.clock.Now()
		c.Status, c.OpenedAt, c.UpdatedAt = isms.CampaignOpen, &now, now
		if err := tx.UpdateCampaign(ctx, &c, false); err != nil {
			return err
		}
		for _, m := range members {
			if err := s.launchFor(ctx, tx, a, c, m.OrgID); err != nil {
				return err
			}
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "campaign.open", EntityType: "campaign",
			EntityID: c.ID, Summary: c.Title, Data: map[string]any{"audience": len(members)}})
	})
	return c, err
}

// launchFor gives one organization its submissions and tasks.
func (s *Service) launchFor(ctx context.Context, tx *store.Tx, a isms.Actor, c isms.Campaign, orgID string) error {
	to, err := campaignAssignee(ctx, tx, orgID)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	for _, r := range c.Requirements {
		sub := isms.Submission{ID: newID(), CampaignID: c.ID, RequirementID: r.ID, OrgID: orgID, Status: isms.SubPending,
			Reached: -1, UpdatedBy: a.Name(), UpdatedAt: now}
		if err := tx.CreateSubmission(ctx, &sub); err != nil {
			return err
		}
		if err := s.submissionTask(ctx, tx, a, to, c.Title+"："+r.Title, c.Title+": "+r.Title, r.DueOn, sub.ID); err != nil {
			return err
		}
	}
	return nil
}

// taskTarget is who an organization's campaign tasks and messages go to:
// its liaison's account when it named one, else the holders of a role
// (its ISMS team, or management representative). With neither, no task
// is given: the submission still stands and shows on its campaign page.
type taskTarget struct {
	org     isms.Organization
	role    isms.Role
	account string
}

func campaignAssignee(ctx context.Context, tx *store.Tx, orgID string) (taskTarget, error) {
	t := taskTarget{}
	var err error
	if t.org, err = tx.Organization(ctx, orgID); err != nil {
		return t, err
	}
	if l, ok, err := tx.Liaison(ctx, orgID); err != nil || ok && l.AccountID != "" {
		t.account = l.AccountID
		return t, err
	}
	t.role, err = mlpsAssignee(ctx, tx, orgID)
	return t, err
}

// campaignContacts are the accounts a supervisor's messages to an
// organization go to (see taskTarget).
func campaignContacts(ctx context.Context, tx *store.Tx, orgID string) ([]string, error) {
	t, err := campaignAssignee(ctx, tx, orgID)
	switch {
	case err != nil || t.account != "":
		return []string{t.account}, err
	case t.role == "":
		return nil, nil
	}
	return tx.RoleHolders(ctx, orgID, t.role)
}

// campaignEscalation: an overdue submission goes to the organization's
// top manager (its liaison, the assignee, has had the reminders).
var campaignEscalation = []isms.EscalationStep{{Role: isms.RoleTopManager, AfterHours: 0}}

// submissionTask gives a submission's organization a task due at the end
// of day (its own calendar), reminded a week before and escalated to its
// top manager once overdue.
func (s *Service) submissionTask(ctx context.Context, tx *store.Tx, a isms.Actor, to taskTarget, titleZH, titleEN, day, subID string) error {
	if to.role == "" && to.account == "" {
		return nil
	}
	due, err := dueOnDay(day, orgLocation(to.org))
	if err != nil {
		return err
	}
	in := a
	in.OrgID, in.OrgPath = to.org.ID, to.org.Path
	_, err = s.createTask(ctx, tx, in, NewTask{TitleZH: titleZH, TitleEN: titleEN, AssigneeRole: to.role,
		AssigneeAccount: to.account, DueAt: due, LeadDays: 7, SourceType: taskSubmission, SourceID: subID,
		Escalation: campaignEscalation})
	return err
}

// reissueTasks gives every submission still owed in a campaign (of one
// requirement, when reqID is set) a task due on its requirement's day,
// withdrawing the open one first: when a deadline moves and when a
// closed campaign opens again.
func (s *Service) reissueTasks(ctx context.Context, tx *store.Tx, a isms.Actor, c isms.Campaign, reqID, reason string) error {
	if err := s.withdrawCampaignTasks(ctx, tx, a, c.ID, reqID, reason); err != nil {
		return err
	}
	subs, err := tx.Submissions(ctx, store.SubmissionFilter{CampaignID: c.ID, RequirementID: reqID})
	if err != nil {
		return err
	}
	targets := map[string]taskTarget{}
	for _, x := range subs {
		r, ok := c.Requirement(x.RequirementID)
		if !ok || !x.Editable() {
			continue
		}
		to, ok := targets[x.OrgID]
		if !ok {
			if to, err = campaignAssignee(ctx, tx, x.OrgID); err != nil {
				return err
			}
			targets[x.OrgID] = to
		}
		if err := s.submissionTask(ctx, tx, a, to, c.Title+"："+r.Title, c.Title+": "+r.Title, r.DueOn, x.ID); err != nil {
			return err
		}
	}
	return nil
}

// withdrawCampaignTasks withdraws the open tasks a campaign's submissions
// (of one requirement, when reqID is set) gave out.
func (s *Service) withdrawCampaignTasks(ctx context.Context, tx *store.Tx, a isms.Actor, campaignID, reqID, reason string) error {
	open, err := tx.OpenSubmissionTasks(ctx, campaignID, reqID)
	if err != nil {
		return err
	}
	for _, t := range open {
		in := a
		in.OrgID = t.OrgID
		if err := s.withdrawTask(ctx, tx, in, &t, reason); err != nil {
			return err
		}
	}
	return nil
}

// taskSubmission is the source type of the tasks campaigns give out.
const taskSubmission = "submission"

// CloseCampaign closes an open campaign: no more submissions, except
// from organizations it is reopened for. Open submission tasks are
// withdrawn.
func (s *Service) CloseCampaign(ctx context.Context, a isms.Actor, id string) (isms.Campaign, error) {
	return s.setCampaignStatus(ctx, a, id, isms.CampaignOpen, isms.CampaignClosed, "campaign.close")
}

// ReopenCampaign opens a closed campaign again for everyone; every
// submission still owed gets its task again.
func (s *Service) ReopenCampaign(ctx context.Context, a isms.Actor, id string) (isms.Campaign, error) {
	return s.setCampaignStatus(ctx, a, id, isms.CampaignClosed, isms.CampaignOpen, "campaign.reopen")
}

func (s *Service) setCampaignStatus(ctx context.Context, a isms.Actor, id, from, to, action string) (isms.Campaign, error) {
	var c isms.Campaign
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if c, err = s.ownCampaign(ctx, tx, a, id); err != nil {
			return err
		}
		if c.Status != from {
			return isms.Conflict("status", isms.M("campaign.wrong_status", "status", c.Status))
		}
		now := s.clock.Now()
		c.Status, c.UpdatedAt = to, now
		if to == isms.CampaignClosed {
			c.ClosedAt = &now
			if err := s.withdrawCampaignTasks(ctx, tx, a, c.ID, "", "campaign closed"); err != nil {
				return err
			}
		} else {
			c.ClosedAt = nil
			if err := s.reissueTasks(ctx, tx, a, c, "", "campaign reopened"); err != nil {
				return err
			}
		}
		if err := tx.UpdateCampaign(ctx, &c, false); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: action, EntityType: "campaign", EntityID: c.ID,
			Summary: c.Title})
	})
	return c, err
}

// ReopenFor lets one organization submit to a closed campaign until a
// day ("" takes the permission back).
func (s *Service) ReopenFor(ctx context.Context, a isms.Actor, id, orgID, until string) error {
	if err := a.Require(isms.ActSuperviseManage); err != nil {
		return err
	}
	if until != "" {
		if _, err := time.Parse(time.DateOnly, until); err != nil {
			return isms.Invalid("until", isms.M("field.bad_date"))
		}
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		c, err := s.ownCampaign(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if c.Status != isms.CampaignClosed {
			return isms.Conflict("status", isms.M("campaign.wrong_status", "status", c.Status))
		}
		m, err := tx.CampaignMember(ctx, c.ID, orgID)
		if err != nil {
			return err
		}
		if err := tx.SetReopened(ctx, c.ID, orgID, until); err != nil {
			return err
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "campaign.reopen_for", EntityType: "campaign",
			EntityID: c.ID, Summary: c.Title + " · " + m.OrgName, Data: map[string]string{"org_id": orgID, "until": until}})
	})
}

// CampaignRole says how the actor's organization stands to a campaign.
type CampaignRole string

// Campaign roles.
const (
	CampaignOwner    CampaignRole = "owner"    // runs it
	CampaignReviewer CampaignRole = "reviewer" // reviews for it, between the owner and respondents
	CampaignMember   CampaignRole = "member"   // responds
)

// CampaignList is what the actor's organization sees of campaigns.
type CampaignList struct {
	Owned, Reviewing, Answering []isms.Campaign
}

// Campaigns lists the campaigns the actor's body runs or reviews for (with
// supervision.view) and those its organization must answer (with
// submission.manage).
func (s *Service) Campaigns(ctx context.Context, a isms.Actor) (CampaignList, error) {
	var out CampaignList
	var err error
	if !a.Can(isms.ActSupervise) && !a.Can(isms.ActSubmit) {
		return out, a.Require(isms.ActSupervise)
	}
	if a.Can(isms.ActSupervise) {
		if out.Owned, err = s.st.Campaigns(ctx, store.CampaignFilter{Owner: a.OrgID}); err != nil {
			return out, err
		}
		if out.Reviewing, err = s.st.Campaigns(ctx, store.CampaignFilter{Reviewer: a.OrgID}); err != nil {
			return out, err
		}
	}
	if a.Can(isms.ActSubmit) {
		if out.Answering, err = s.st.Campaigns(ctx, store.CampaignFilter{Member: a.OrgID}); err != nil {
			return out, err
		}
	}
	return out, nil
}

// CampaignView is a campaign as the actor's organization sees it.
type CampaignView struct {
	isms.Campaign
	Role    CampaignRole
	Members []isms.CampaignMember // for the owner and reviewers: those whose chain passes the viewer
	// Submissions: the owner's and reviewers' see every member's (status
	// only, no content); a member its own, with its working copies.
	Submissions []isms.Submission
	Today       string
}

// CampaignFor reads a campaign the actor's organization runs, reviews
// for or answers.
func (s *Service) CampaignFor(ctx context.Context, a isms.Actor, id string) (CampaignView, error) {
	var v CampaignView
	if !isms.ValidID(id) {
		return v, isms.NotFound("campaign")
	}
	c, err := s.st.Campaign(ctx, id)
	if err != nil {
		return v, err
	}
	v.Campaign = c
	if v.Today, err = s.orgTodayRead(ctx, a.OrgID); err != nil {
		return v, err
	}
	switch {
	case c.OrgID == a.OrgID && a.Can(isms.ActSupervise):
		v.Role = CampaignOwner
	case c.Status != isms.CampaignDraft && a.Can(isms.ActSupervise):
		if ok, err := s.st.ReviewsFor(ctx, c.ID, a.OrgID); err != nil {
			return v, err
		} else if ok {
			v.Role = CampaignReviewer
		}
	}
	if v.Role == "" && c.Status != isms.CampaignDraft && a.Can(isms.ActSubmit) {
		subs, err := s.st.Submissions(ctx, store.SubmissionFilter{CampaignID: c.ID, OrgID: a.OrgID})
		if err != nil {
			return v, err
		}
		if len(subs) > 0 {
			v.Role, v.Submissions = CampaignMember, subs
			return v, nil
		}
	}
	if v.Role == "" {
		return v, isms.NotFound("campaign")
	}
	members, err := s.st.CampaignMembers(ctx, c.ID)
	if err != nil {
		return v, err
	}
	for _, m := range members {
		if v.Role == CampaignOwner || slices.Contains(m.Chain, a.OrgID) {
			v.Members = append(v.Members, m)
		}
	}
	f := store.SubmissionFilter{CampaignID: c.ID}
	if v.Role == CampaignReviewer {
		f.Chain = a.OrgID
	}
	v.Submissions, err = s.st.Submissions(ctx, f)
	return v, err
}

// UrgeLate sends a reminder (督促) to organizations with late submissions
// in a campaign the actor's body runs or reviews for: all of them in the
// body's view, or those chosen. Each gets it in the inbox of its
// liaison's account (else its ISMS team) and by its email and group
// channels; both trails record it.
func (s *Service) UrgeLate(ctx context.Context, a isms.Actor, campaignID string, orgIDs []string, message string) (int, error) {
	if err := a.Require(isms.ActSuperviseManage); err != nil {
		return 0, err
	}
	var p isms.Problems
	isms.TrimFields(&message)
	if len([]rune(message)) > 500 {
		p.Add("message", "field.too_long", "max", 500)
	}
	if err := p.Err(); err != nil {
		return 0, err
	}
	v, err := s.CampaignFor(ctx, a, campaignID)
	if err != nil {
		return 0, err
	}
	if v.Role == CampaignMember {
		return 0, isms.NotFound("campaign")
	}
	if v.Status != isms.CampaignOpen {
		return 0, isms.Conflict("status", isms.M("campaign.wrong_status", "status", v.Status))
	}
	late := map[string][]string{} // org → titles of its late requirements
	names := map[string]string{}
	for _, x := range v.Submissions {
		if x.Late(v.Today) {
			late[x.OrgID] = append(late[x.OrgID], x.RequirementTitle)
			names[x.OrgID] = x.OrgName
		}
	}
	if len(orgIDs) == 0 {
		for org := range late {
			orgIDs = append(orgIDs, org)
		}
		slices.Sort(orgIDs)
	}
	for _, org := range orgIDs {
		if late[org] == nil {
			return 0, isms.Invalid("org_ids", isms.M("campaign.not_late", "id", org))
		}
	}
	if len(orgIDs) == 0 {
		return 0, isms.Conflict("org_ids", isms.M("campaign.none_late"))
	}
	body, err := s.st.Organization(ctx, a.OrgID)
	if err != nil {
		return 0, err
	}
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		for _, org := range orgIDs {
			to, err := campaignContacts(ctx, tx, org)
			if err != nil {
				return err
			}
			title := fmt.Sprintf("督促：%s（%s）已逾期未报 — %s", v.Title, strings.Join(late[org], "、"), body.Name)
			if message != "" {
				title += "：" + message
			}
			if err := s.notifyAccounts(ctx, tx, org, to, "urge", title, "/campaigns/"+v.ID); err != nil {
				return err
			}
			if err := s.record(ctx, tx, a, audit{OrgID: org, Action: "submission.urged", EntityType: "campaign", EntityID: v.ID,
				Summary: title, Data: map[string]any{"requirements": late[org], "to": to}}); err != nil {
				return err
			}
		}
		var urged []string
		for _, org := range orgIDs {
			urged = append(urged, names[org])
		}
		return s.record(ctx, tx, a, audit{OrgID: a.OrgID, Action: "campaign.urge", EntityType: "campaign", EntityID: v.ID,
			Summary: fmt.Sprintf("%s: %d", v.Title, len(orgIDs)), Data: map[string]any{"organizations": urged, "message": message}})
	})
	return len(orgIDs), err
}

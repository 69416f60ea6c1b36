package api

import (
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"openisms/internal/isms"
	"openisms/internal/service"
)

func (a *API) listObligations(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := listFilter(r, "active", "archived", "all")
	if err != nil {
		return err
	}
	items, err := a.svc.ListObligations(r.Context(), actor, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page(items, f.Limit, func(o isms.Obligation) (string, string) { return o.TitleZH, o.ID }))
}

// obligationInput is what a client sets; the rest is the server's.
type obligationInput struct {
	Code         string                `json:"code"`
	TitleZH      string                `json:"title_zh"`
	TitleEN      string                `json:"title_en"`
	Description  string                `json:"description"`
	DeptID       string                `json:"department_id"`
	OwnerRole    isms.Role             `json:"owner_role"`
	OwnerAccount string                `json:"owner_account_id"`
	Schedule     isms.Schedule         `json:"schedule"`
	LeadDays     int                   `json:"reminder_lead_days"`
	GraceDays    int                   `json:"grace_days"`
	Escalation   []isms.EscalationStep `json:"escalation"`
	Evidence     isms.EvidenceKind     `json:"evidence"`
	RecordKind   string                `json:"record_kind"`
	Source       string                `json:"source"`
	Active       *bool                 `json:"active"`
}

func (in obligationInput) obligation() isms.Obligation {
	o := isms.Obligation{Code: in.Code, TitleZH: in.TitleZH, TitleEN: in.TitleEN, Description: in.Description,
		DeptID: in.DeptID, OwnerRole: in.OwnerRole, OwnerAccount: in.OwnerAccount, Schedule: in.Schedule,
		LeadDays: in.LeadDays, GraceDays: in.GraceDays, Escalation: in.Escalation, Evidence: in.Evidence,
		RecordKind: in.RecordKind, Source: in.Source, Active: true}
	if in.Active != nil {
		o.Active = *in.Active
	}
	return o
}

func (a *API) createObligation(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in obligationInput
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := a.svc.CreateObligation(r.Context(), actor, in.obligation())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

func (a *API) getObligation(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	o, err := a.svc.Obligation(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *API) putObligation(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in obligationInput
	if err := decode(r, &in); err != nil {
		return err
	}
	o, err := a.svc.UpdateObligation(r.Context(), actor, r.PathValue("id"), in.obligation())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

func (a *API) applyDefaults(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	added, skipped, err := a.svc.ApplyDefaultObligations(r.Context(), actor)
	if err != nil {
		return err
	}
	why := map[string]string{}
	for code, e := range skipped {
		why[code] = e.Error()
	}
	return writeJSON(w, http.StatusOK, map[string]any{"added": nonNil(added), "skipped": why})
}

func parseDay(p *isms.Problems, field, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		if t, err = time.Parse(isms.DateLayout, v); err != nil {
			p.Add(field, "field.bad_time")
		}
	}
	return t
}

func (a *API) listTasks(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	var p isms.Problems
	from, to := parseDay(&p, "from", q.Get("from")), parseDay(&p, "to", q.Get("to"))
	if err := p.Err(); err != nil {
		return err
	}
	view := service.TaskView(q.Get("view"))
	if view == "" {
		view = service.ViewMine
	}
	items, err := a.svc.ListTasks(r.Context(), actor, view, from, to)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Task]{Items: nonNil(items)})
}

type taskInput struct {
	TitleZH         string    `json:"title_zh"`
	TitleEN         string    `json:"title_en"`
	DeptID          string    `json:"department_id"`
	AssigneeRole    isms.Role `json:"assignee_role"`
	AssigneeAccount string    `json:"assignee_account_id"`
	DueAt           time.Time `json:"due_at"`
	GraceDays       int       `json:"grace_days"`
	LeadDays        int       `json:"reminder_lead_days"`
}

func (a *API) createTask(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in taskInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := a.svc.CreateTask(r.Context(), actor, service.NewTask{TitleZH: in.TitleZH, TitleEN: in.TitleEN, DeptID: in.DeptID,
		AssigneeRole: in.AssigneeRole, AssigneeAccount: in.AssigneeAccount, DueAt: in.DueAt, GraceDays: in.GraceDays,
		LeadDays: in.LeadDays})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, t)
}

func (a *API) getTask(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	t, err := a.svc.Task(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

type completeInput struct {
	Evidence string `json:"evidence"`
}

func (a *API) completeTask(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in completeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := a.svc.CompleteTask(r.Context(), actor, r.PathValue("id"), in.Evidence)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

type skipInput struct {
	Reason string `json:"reason"`
}

func (a *API) skipTask(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in skipInput
	if err := decode(r, &in); err != nil {
		return err
	}
	t, err := a.svc.RequestSkip(r.Context(), actor, r.PathValue("id"), in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, t)
}

func (a *API) inbox(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	unread, _ := strconv.ParseBool(r.URL.Query().Get("unread"))
	items, err := a.svc.Inbox(r.Context(), actor, unread)
	if err != nil {
		return err
	}
	n, err := a.svc.UnreadCount(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": nonNil(items), "unread": n})
}

func (a *API) markRead(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := a.svc.MarkRead(r.Context(), actor, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// uploadEvidence takes a multipart/form-data upload with the file in the
// field "file".
func (a *API) uploadEvidence(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	file, header, err := uploadedFile(r)
	if err != nil {
		return err
	}
	defer file.Close()
	att, err := a.svc.AttachToTask(r.Context(), actor, r.PathValue("id"), header.Filename, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, att)
}

func (a *API) listEvidence(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	items, err := a.svc.TaskAttachments(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Attachment]{Items: nonNil(items)})
}

func (a *API) downloadAttachment(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	att, f, err := a.svc.OpenAttachment(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", att.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Filename}))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.FormatInt(att.Size, 10))
	_, err = io.Copy(w, f)
	return err
}

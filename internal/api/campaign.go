package api

import (
	"net/http"
	"strconv"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// Campaigns of supervising bodies, the submissions answering them,
// reviews and liaisons.

func (a *API) listCampaigns(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	l, err := a.svc.Campaigns(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"owned": orEmpty(l.Owned), "reviewing": orEmpty(l.Reviewing),
		"answering": orEmpty(l.Answering)})
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func (a *API) createCampaign(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Campaign
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := a.svc.CreateCampaign(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// campaignJSON is a campaign as the caller's organization sees it.
type campaignJSON struct {
	isms.Campaign
	Role        service.CampaignRole  `json:"role"`
	Members     []isms.CampaignMember `json:"members"`
	Submissions []isms.Submission     `json:"submissions"`
}

func (a *API) getCampaign(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	v, err := a.svc.CampaignFor(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, campaignJSON{Campaign: v.Campaign, Role: v.Role, Members: orEmpty(v.Members),
		Submissions: orEmpty(v.Submissions)})
}

func (a *API) updateCampaign(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Campaign
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := a.svc.UpdateCampaign(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (a *API) setAudience(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in service.Audience
	if err := decode(r, &in); err != nil {
		return err
	}
	ms, err := a.svc.SetCampaignAudience(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": ms})
}

func (a *API) campaignStatus(action string) handler {
	return func(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
		var c isms.Campaign
		var err error
		switch action {
		case "open":
			c, err = a.svc.OpenCampaign(r.Context(), actor, r.PathValue("id"))
		case "close":
			c, err = a.svc.CloseCampaign(r.Context(), actor, r.PathValue("id"))
		default:
			c, err = a.svc.ReopenCampaign(r.Context(), actor, r.PathValue("id"))
		}
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, c)
	}
}

func (a *API) reopenFor(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		OrgID string `json:"org_id"`
		Until string `json:"until"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.svc.ReopenFor(r.Context(), actor, r.PathValue("id"), in.OrgID, in.Until); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) submissionTemplates(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if !actor.Can(isms.ActSupervise) && !actor.Can(isms.ActSubmit) {
		return actor.Require(isms.ActSupervise)
	}
	ts, err := service.SubmissionTemplates()
	if err != nil {
		return isms.Internal(err)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": ts})
}

// submissionJSON is a submission with what the caller may see of it.
type submissionJSON struct {
	isms.Submission
	Requirement isms.Requirement         `json:"requirement"`
	Own         bool                     `json:"own"`
	CanReview   bool                     `json:"can_review"`
	Accepting   bool                     `json:"accepting"`
	Versions    []isms.SubmissionVersion `json:"versions"`
	Reviews     []isms.SubmissionReview  `json:"reviews"`
	Attachments []isms.Attachment        `json:"attachments"`
}

func (a *API) getSubmission(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	v, err := a.svc.Submission(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	out := submissionJSON{Submission: v.Submission, Requirement: v.Requirement, Own: v.Own, CanReview: v.CanReview,
		Accepting: v.Accepting, Versions: v.Versions, Reviews: v.Reviews, Attachments: []isms.Attachment{}}
	for _, att := range v.Attachments {
		out.Attachments = append(out.Attachments, att)
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) saveSubmission(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		Data map[string]any `json:"data"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.SaveSubmission(r.Context(), actor, r.PathValue("id"), in.Data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) submitSubmission(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	x, err := a.svc.SubmitSubmission(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) uploadSubmissionFile(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	file, h, err := r.FormFile("file")
	if err != nil {
		return isms.Invalid("file", isms.M("field.required"))
	}
	defer file.Close()
	att, err := a.svc.AttachToSubmission(r.Context(), actor, r.PathValue("id"), r.FormValue("field"), h.Filename, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, att)
}

func (a *API) reviewSubmission(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.SubmissionReview
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.ReviewSubmission(r.Context(), actor, r.PathValue("id"), isms.SubmissionReview{Decision: in.Decision,
		Comment: in.Comment})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) reviewQueue(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q, err := a.svc.ReviewQueue(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": q})
}

func (a *API) getLiaison(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	l, ok, err := a.svc.Liaison(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"registered": ok, "liaison": l})
}

func (a *API) setLiaison(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Liaison
	if err := decode(r, &in); err != nil {
		return err
	}
	l, err := a.svc.SetLiaison(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (a *API) exportSubmissions(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return a.svc.SubmissionsXLSX(r.Context(), actor, r.PathValue("id"), r.PathValue("rid"), func(name string) {
		export.Attach(w.Header(), name, export.ContentType)
	}, w)
}

func (a *API) exportRollup(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	depth, _ := strconv.Atoi(q.Get("depth"))
	f := isms.SupervisedFilter{Depth: depth, Region: q.Get("region"), Industry: q.Get("industry")}
	return a.svc.SupervisionRollupXLSX(r.Context(), actor, f, q.Get("campaign"), func(name string) {
		export.Attach(w.Header(), name, export.ContentType)
	}, w)
}

func (a *API) urge(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		OrgIDs  []string `json:"org_ids"`
		Message string   `json:"message"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := a.svc.UrgeLate(r.Context(), actor, r.PathValue("id"), in.OrgIDs, in.Message)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"urged": n})
}

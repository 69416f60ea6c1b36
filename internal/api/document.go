package api

import (
	"net/http"
	"strconv"

	"openisms/internal/isms"
	"openisms/internal/service"
	"openisms/internal/store"
)

// Document control (文件控制): the register, the lifecycle steps,
// distribution and acknowledgement.

func (a *API) listDocuments(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	docs, err := a.svc.ListDocuments(r.Context(), actor, store.DocFilter{Type: q.Get("type"), Status: q.Get("status"),
		DeptID: q.Get("department_id"), Text: q.Get("q"), After: q.Get("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	out := list[isms.Document]{Items: nonNil(docs)}
	if len(docs) == isms.ClampLimit(limit) {
		out.NextCursor = docs[len(docs)-1].Code
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) createDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in service.DocInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := a.svc.CreateDocument(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, d)
}

func (a *API) getDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	v, err := a.svc.Document(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, v)
}

func (a *API) putDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in service.DocInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := a.svc.UpdateDocument(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

// docStep decodes a step's body and runs it.
func docStep[T any](w http.ResponseWriter, r *http.Request, step func(T) (any, error)) error {
	var in T
	if err := decode(r, &in); err != nil {
		return err
	}
	out, err := step(in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

type textBody struct {
	Comment      string `json:"comment"`
	DepartmentID string `json:"department_id"`
	Outcome      string `json:"outcome"`
	Note         string `json:"note"`
	Reason       string `json:"reason"`
}

func (a *API) submitDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(in service.Submission) (any, error) {
		return a.svc.SubmitDocument(r.Context(), actor, r.PathValue("id"), in)
	})
}

func (a *API) commentDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(in textBody) (any, error) {
		return a.svc.CommentDocument(r.Context(), actor, r.PathValue("id"), in.DepartmentID, in.Comment)
	})
}

func (a *API) approveDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(in service.DocApproval) (any, error) {
		return a.svc.ApproveDocument(r.Context(), actor, r.PathValue("id"), in)
	})
}

func (a *API) rejectDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(in textBody) (any, error) {
		return a.svc.RejectDocument(r.Context(), actor, r.PathValue("id"), in.Comment)
	})
}

func (a *API) publishDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(struct{}) (any, error) {
		return a.svc.PublishDocument(r.Context(), actor, r.PathValue("id"))
	})
}

func (a *API) reviseDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(in service.Revision) (any, error) {
		return a.svc.ReviseDocument(r.Context(), actor, r.PathValue("id"), in)
	})
}

func (a *API) reviewDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(in textBody) (any, error) {
		return a.svc.ReviewDocument(r.Context(), actor, r.PathValue("id"), in.Outcome, in.Note)
	})
}

func (a *API) obsoleteDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(in textBody) (any, error) {
		return a.svc.ObsoleteDocument(r.Context(), actor, r.PathValue("id"), in.Reason)
	})
}

func (a *API) distributeDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(in service.Distribution) (any, error) {
		n, err := a.svc.DistributeDocument(r.Context(), actor, r.PathValue("id"), in)
		return map[string]int{"added": n}, err
	})
}

func (a *API) acknowledgeDocument(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(struct{}) (any, error) {
		return a.svc.AcknowledgeDocument(r.Context(), actor, r.PathValue("id"))
	})
}

func (a *API) documentCoverage(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := actor.Require(isms.ActManageDocuments); err != nil {
		return err
	}
	v, err := a.svc.Document(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"version": v.VersionLabel,
		"departments": nonNil(service.Coverage(v.Acks, a.svc.Now())), "recipients": nonNil(v.Acks)})
}

func (a *API) uploadDocumentFile(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	file, header, err := uploadedFile(r)
	if err != nil {
		return err
	}
	defer file.Close()
	att, err := a.svc.AttachToDocument(r.Context(), actor, r.PathValue("id"), header.Filename, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, att)
}

func (a *API) getDocumentSettings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	ds, err := a.svc.DocumentSettings(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ds)
}

func (a *API) putDocumentSettings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	return docStep(w, r, func(in isms.DocSettings) (any, error) {
		return a.svc.SetDocumentSettings(r.Context(), actor, in)
	})
}

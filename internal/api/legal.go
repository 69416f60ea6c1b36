package api

import (
	"net/http"

	"openisms/internal/isms"
	"openisms/internal/store"
)

// The legal and regulatory register (法律法规清单).

func (a *API) listLegal(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	q := r.URL.Query()
	items, err := a.svc.ListLegal(r.Context(), actor, store.LegalFilter{Kind: q.Get("kind"), Status: q.Get("status"),
		Text: q.Get("q"), DueBy: q.Get("due_by")})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.LegalItem]{Items: nonNil(items)})
}

func (a *API) createLegal(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.LegalItem
	if err := decode(r, &in); err != nil {
		return err
	}
	l, err := a.svc.CreateLegal(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, l)
}

func (a *API) getLegal(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	l, err := a.svc.LegalItem(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (a *API) putLegal(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.LegalItem
	if err := decode(r, &in); err != nil {
		return err
	}
	l, err := a.svc.UpdateLegal(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (a *API) evaluateLegal(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.LegalEvaluation
	if err := decode(r, &in); err != nil {
		return err
	}
	e, err := a.svc.EvaluateLegal(r.Context(), actor, r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (a *API) applyDefaultLegal(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	n, err := a.svc.ApplyDefaultLegal(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"added": n})
}

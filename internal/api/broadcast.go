package api

import (
	"net/http"

	"openisms/internal/isms"
)

// Notices from supervising bodies with read receipts.

func (a *API) listBroadcasts(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	l, err := a.svc.Broadcasts(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"sent": orEmpty(l.Sent), "received": orEmpty(l.Received)})
}

func (a *API) sendBroadcast(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.Broadcast
	if err := decode(r, &in); err != nil {
		return err
	}
	b, err := a.svc.SendBroadcast(r.Context(), actor, isms.Broadcast{Kind: in.Kind, Title: in.Title, Body: in.Body})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, b)
}

func (a *API) getBroadcast(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	v, err := a.svc.Broadcast(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"broadcast": v.Broadcast, "receipts": v.Receipts})
}

package api

import (
	"net/http"

	"openisms/internal/isms"
	"openisms/internal/service"
)

func (a *API) listChannels(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	items, err := a.svc.ListChannels(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Channel]{Items: nonNil(items)})
}

func (a *API) createChannel(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in service.NewChannel
	if err := decode(r, &in); err != nil {
		return err
	}
	c, err := a.svc.CreateChannel(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

type enableInput struct {
	Enabled bool `json:"enabled"`
}

func (a *API) enableChannel(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in enableInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.svc.SetChannelEnabled(r.Context(), actor, r.PathValue("id"), in.Enabled); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type testInput struct {
	To string `json:"to"`
}

func (a *API) testChannel(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in testInput
	if err := decode(r, &in); err != nil {
		return err
	}
	d, err := a.svc.TestChannel(r.Context(), actor, r.PathValue("id"), in.To)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, d)
}

func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	items, err := a.svc.ListDeliveries(r.Context(), actor, r.URL.Query().Get("status"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.Delivery]{Items: nonNil(items)})
}

type notifyInput struct {
	Email bool `json:"email"`
}

func (a *API) setNotify(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in notifyInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := a.svc.SetNotifyEmail(r.Context(), actor, in.Email); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

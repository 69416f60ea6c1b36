package web

import (
	"net/http"

	"openisms/internal/isms"
	"openisms/internal/service"
)

// Notices from supervising bodies: the body sends, every account of the
// organizations below reads, the body sees who read.

func (wb *Web) broadcastRoutes() []route {
	return []route{
		{"GET", "/broadcasts", authorized, wb.broadcasts, false},
		{"POST", "/broadcasts", authorized, wb.sendBroadcast, false},
		{"GET", "/broadcasts/{id}", authorized, wb.broadcastPage, false},
	}
}

type broadcastsData struct {
	service.BroadcastList
	Manage bool
	Kinds  []string
}

func (wb *Web) broadcastsData(r *req) (page, error) {
	l, err := wb.svc.Broadcasts(r.Context(), r.Actor)
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.broadcast.title", Data: broadcastsData{BroadcastList: l, Manage: r.Actor.Can(isms.ActSuperviseManage),
		Kinds: isms.BroadcastKinds}, Form: map[string]string{"kind": isms.BroadcastNotice}}, nil
}

func (wb *Web) broadcasts(w http.ResponseWriter, r *req) error {
	p, err := wb.broadcastsData(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "broadcasts/list", p)
}

func (wb *Web) sendBroadcast(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	in := isms.Broadcast{Kind: f.Get("kind"), Title: f.Get("title"), Body: f.Get("body")}
	b, err := wb.svc.SendBroadcast(r.Context(), r.Actor, in)
	if err != nil {
		p, perr := wb.broadcastsData(r)
		if perr != nil {
			return perr
		}
		p.Form = map[string]string{"kind": in.Kind, "title": in.Title, "body": in.Body}
		return wb.formError(w, r, "broadcasts/list", p, err)
	}
	return redirect(w, r, "/broadcasts/"+b.ID, "ui.flash.broadcast_sent")
}

func (wb *Web) broadcastPage(w http.ResponseWriter, r *req) error {
	v, err := wb.svc.Broadcast(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "broadcasts/show", page{Title: "ui.broadcast.title", Data: v})
}

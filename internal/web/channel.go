package web

import (
	"net/http"
	"strconv"

	"openisms/internal/isms"
	"openisms/internal/notify"
	"openisms/internal/service"
)

type channelsData struct {
	Channels   []isms.Channel
	Deliveries []isms.Delivery
	Kinds      []string
}

func (wb *Web) channelsPage(r *req) (page, error) {
	cs, err := wb.svc.ListChannels(r.Context(), r.Actor)
	if err != nil {
		return page{}, err
	}
	ds, err := wb.svc.ListDeliveries(r.Context(), r.Actor, r.URL.Query().Get("status"))
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.channels.title", Data: channelsData{Channels: cs, Deliveries: ds, Kinds: notify.Kinds}}, nil
}

// channels shows the notification channels and the delivery log.
func (wb *Web) channels(w http.ResponseWriter, r *req) error {
	p, err := wb.channelsPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "channels", p)
}

func (wb *Web) createChannel(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	port, _ := strconv.Atoi(f.Get("port"))
	in := service.NewChannel{Kind: f.Get("kind"), Name: f.Get("name"), Carries: f.Get("carries"), Config: notify.Config{
		URL: f.Get("url"), Secret: f.Get("secret"), Host: f.Get("host"), Port: port, Username: f.Get("username"),
		Password: f.Get("password"), From: f.Get("from"), TLS: f.Get("tls")}}
	if _, err := wb.svc.CreateChannel(r.Context(), r.Actor, in); err != nil {
		p, perr := wb.channelsPage(r)
		if perr != nil {
			return perr
		}
		p.Form = map[string]string{"kind": in.Kind, "name": in.Name, "url": in.Config.URL, "host": in.Config.Host,
			"port": f.Get("port"), "from": in.Config.From, "username": in.Config.Username, "tls": in.Config.TLS, "carries": in.Carries}
		return wb.formError(w, r, "channels", p, err)
	}
	return redirect(w, r, "/settings/channels", "ui.flash.saved")
}

func (wb *Web) testChannel(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if _, err := wb.svc.TestChannel(r.Context(), r.Actor, r.PathValue("id"), f.Get("to")); err != nil {
		p, perr := wb.channelsPage(r)
		if perr != nil {
			return perr
		}
		return wb.formError(w, r, "channels", p, err)
	}
	return redirect(w, r, "/settings/channels", "ui.flash.test_queued")
}

func (wb *Web) toggleChannel(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if err := wb.svc.SetChannelEnabled(r.Context(), r.Actor, r.PathValue("id"), f.Get("enabled") == "true"); err != nil {
		return err
	}
	return redirect(w, r, "/settings/channels", "ui.flash.saved")
}

func (wb *Web) setNotify(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if err := wb.svc.SetNotifyEmail(r.Context(), r.Actor, f.Get("email") == "on"); err != nil {
		return err
	}
	return redirect(w, r, "/me", "ui.flash.saved")
}

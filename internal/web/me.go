package web

import (
	"net/http"

	"openisms/internal/isms"
)

type meData struct {
	Account     isms.Account
	Tokens      []isms.APIToken
	NotifyEmail bool
	HasFeed     bool
	FeedURL     string // shown once, right after it is made
}

func (wb *Web) me(w http.ResponseWriter, r *req) error {
	acct, err := wb.svc.Account(r.Context(), r.Actor, r.Actor.AccountID)
	if err != nil {
		return err
	}
	tokens, err := wb.svc.ListTokens(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	hasFeed, err := wb.svc.HasFeed(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "me", page{Title: "ui.nav.me", Data: meData{Account: acct, Tokens: tokens,
		NotifyEmail: acct.NotifyEmail, HasFeed: hasFeed}})
}

// createFeed makes a new secret calendar URL and shows it once.
func (wb *Web) createFeed(w http.ResponseWriter, r *req) error {
	secret, err := wb.svc.CreateFeed(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	acct, err := wb.svc.Account(r.Context(), r.Actor, r.Actor.AccountID)
	if err != nil {
		return err
	}
	tokens, err := wb.svc.ListTokens(r.Context(), r.Actor)
	if err != nil {
		return err
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return wb.render(w, r, http.StatusOK, "me", page{Title: "ui.nav.me", Data: meData{Account: acct, Tokens: tokens,
		NotifyEmail: acct.NotifyEmail, HasFeed: true, FeedURL: scheme + "://" + r.Host + "/ical/" + secret}})
}

func (wb *Web) revokeFeed(w http.ResponseWriter, r *req) error {
	if err := wb.svc.RevokeFeed(r.Context(), r.Actor); err != nil {
		return err
	}
	return redirect(w, r, "/me", "ui.flash.feed_revoked")
}

// feed serves a personal iCalendar; the secret in the URL is the
// credential.
func (wb *Web) feed(w http.ResponseWriter, r *req) error {
	b, err := wb.svc.Feed(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err = w.Write(b)
	return err
}

// setLanguage remembers the account's language.
func (wb *Web) setLanguage(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if err := wb.svc.SetLanguage(r.Context(), r.Actor, f.Get("language")); err != nil {
		return err
	}
	return redirect(w, r, "/me", "ui.flash.saved")
}

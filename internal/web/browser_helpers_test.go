package web_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"openisms/internal/app"
	"openisms/internal/service"
)

// browserSite is the server one browser test drives, on loopback, and
// the Chromium context driving it.
type browserSite struct {
	t    *testing.T
	ctx  context.Context
	base string
}

// serveBrowser starts the whole application for svc on a loopback port
// until the test ends.
func serveBrowser(t *testing.T, ctx context.Context, svc *service.Service) *browserSite {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srvCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- app.Serve(srvCtx, ln, svc, slog.New(slog.NewTextHandler(io.Discard, nil)), false, io.Discard)
	}()
	t.Cleanup(func() { stop(); <-done })
	return &browserSite{t: t, ctx: ctx, base: "http://" + ln.Addr().String()}
}

// run performs browser actions, failing the test (named by what) after
// 30 seconds or on the first error.
func (b *browserSite) run(what string, actions ...chromedp.Action) {
	b.t.Helper()
	tctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// signIn signs in afresh (cookies cleared) as username with the tests'
// password.
func (b *browserSite) signIn(username string) {
	b.t.Helper()
	b.run("sign in as "+username, network.ClearBrowserCookies(), chromedp.Navigate(b.base+"/signin"),
		chromedp.WaitVisible("#username", chromedp.ByID),
		chromedp.SendKeys("#username", username, chromedp.ByID), chromedp.SendKeys("#password", pw, chromedp.ByID),
		chromedp.Click(`button[type=submit]`, chromedp.ByQuery), chromedp.WaitNotPresent("#password", chromedp.ByID))
}

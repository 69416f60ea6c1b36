package testutil

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// RequireBrowser reports whether a missing Chromium is a failure.
func RequireBrowser() bool { return os.Getenv("ISMS_REQUIRE_BROWSER") == "1" }

// Browser starts headless Chromium (Debian's /usr/bin/chromium) and
// returns a chromedp context that ends with the test. It skips the test
// when Chromium is absent, unless ISMS_REQUIRE_BROWSER=1.
func Browser(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		} else {
			if RequireBrowser() {
				t.Fatalf("Chromium required (ISMS_REQUIRE_BROWSER=1) but not found at /usr/bin/chromium or on PATH")
			}
			t.Skip("Chromium not installed (apt-get install chromium); skipping browser test")
		}
	}
	// The profile is removed after Chromium has exited; t.TempDir would
	// race with the browser's last writes.
	profile, err := os.MkdirTemp("", "isms-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 900),
		chromedp.UserDataDir(profile),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc(); _ = os.RemoveAll(profile) })
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

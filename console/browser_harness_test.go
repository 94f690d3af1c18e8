package console_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/app"
	"github.com/hookhub/hookhub/config"
	"github.com/hookhub/hookhub/secret"
)

// chromium finds Debian's Chromium (apt-get install -y chromium).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium binary found (apt-get install -y chromium); skipping the browser tests")
	return ""
}

// browser starts a headless Chromium with a fresh profile and returns a
// context for driving one tab; each call is a separate browser, so its
// cookies are its own.
func browser(t *testing.T, exe string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		// Closing the browser gracefully lets its helper processes end
		// before the profile directory is removed; killing it does not.
		cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
		defer ccancel()
		chromedp.Cancel(cctx)
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// run runs browser actions with a deadline, failing the test with what.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Run(tctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// hub is a running Hookhub for the browser tests.
type hub struct {
	url, key, password string
	main               *app.Main
}

func startHub(t *testing.T, databaseURL string) *hub {
	t.Helper()
	_, key := secret.NewAPIKey()
	h := &hub{key: key, password: "console-test-password"}
	cfg := &config.Config{
		Listen: "127.0.0.1:0", DataDir: t.TempDir(), DatabaseURL: config.Secret(databaseURL),
		AdminAPIKey: config.Secret(key), AdminPassword: config.Secret(h.password), DeliveryWorkers: 4,
		ShutdownTimeout: 10 * time.Second, OutboundAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
	}
	h.main = &app.Main{Config: cfg}
	if err := h.main.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		h.main.Close(ctx)
	})
	h.url = h.main.URL()
	return h
}

// api calls the management API with the admin key.
func (h *hub) api(t *testing.T, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, _ := http.NewRequest(method, h.url+path, rd)
	req.Header.Set("Authorization", "Bearer "+h.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if out != nil {
		json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

// receiver records what destinations send; failing makes it answer 500.
type receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	bodies  []string
	failing bool
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.bodies = append(rc.bodies, string(b))
		failing := rc.failing
		rc.mu.Unlock()
		if failing {
			http.Error(w, "receiver is down", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, "ok")
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) setFailing(v bool) { rc.mu.Lock(); rc.failing = v; rc.mu.Unlock() }

// got reports whether a received body contains s.
func (rc *receiver) got(s string) bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, b := range rc.bodies {
		if strings.Contains(b, s) {
			return true
		}
	}
	return false
}

// eventually retries cond until it holds or 15 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// screenshots is the folder the test writes each main screen to, named in
// the log: HOOKHUB_SCREENSHOT_DIR, or a new folder under the temp dir.
func screenshots(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HOOKHUB_SCREENSHOT_DIR")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "hookhub-console-screens-"); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots of the console's screens: %s", dir)
	return dir
}

// shot saves a full-page screenshot of the current page as dir/name.png.
func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	var buf []byte
	run(t, ctx, "screenshot "+name, chromedp.FullScreenshot(&buf, 100))
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

// sessionCookie reads the browser's session cookie.
func sessionCookie(t *testing.T, ctx context.Context) string {
	t.Helper()
	var value string
	run(t, ctx, "read cookies", chromedp.ActionFunc(func(ctx context.Context) error {
		cookies, err := network.GetCookies().Do(ctx)
		if err != nil {
			return err
		}
		for _, c := range cookies {
			if c.Name == "hookhub_session" {
				value = c.Value
			}
		}
		return nil
	}))
	if value == "" {
		t.Fatal("the browser holds no session cookie")
	}
	return value
}

// login signs in through the form.
func login(t *testing.T, ctx context.Context, base, user, password string) {
	t.Helper()
	run(t, ctx, "sign in as "+user,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`#username`, chromedp.ByQuery),
		chromedp.SendKeys(`#username`, user, chromedp.ByQuery),
		chromedp.SendKeys(`#password`, password, chromedp.ByQuery),
		chromedp.Submit(`#password`, chromedp.ByQuery),
		chromedp.WaitVisible(`nav.side`, chromedp.ByQuery),
	)
}

// freshPostgres creates a database for one test and drops it afterwards.
func freshPostgres(t *testing.T, base string) string {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := "hookhub_console_" + strings.ToLower(hookhub.NewID("t")[2:])
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		db.Close()
	})
	u := strings.Replace(base, "/postgres?", "/"+name+"?", 1)
	if u == base {
		t.Fatalf("cannot derive a database URL from %s", base)
	}
	return u
}

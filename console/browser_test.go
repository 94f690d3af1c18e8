package console_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hookhub/hookhub/access"
)

// TestConsoleInBrowser drives Debian's Chromium through the console against
// a real server, on SQLite and (when HOOKHUB_TEST_POSTGRES_URL is set) on
// PostgreSQL: sign in, create a source, watch a webhook arrive in the
// inspector and its live tail, work an incident from its buttons, resend a
// failed delivery, send a test alert, and check what a viewer, a post
// without a CSRF token and a signed-out session may not do.
func TestConsoleInBrowser(t *testing.T) {
	exe := chromium(t)
	dir := screenshots(t)
	t.Run("sqlite", func(t *testing.T) { consoleFlow(t, exe, "", dir) })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
		if base == "" {
			t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set; skipping the PostgreSQL run")
		}
		consoleFlow(t, exe, freshPostgres(t, base), "")
	})
}

func consoleFlow(t *testing.T, exe, databaseURL, dir string) {
	h := startHub(t, databaseURL)
	ctx := browser(t, exe)
	save := func(name string) {
		if dir != "" {
			shot(t, ctx, dir, name)
		}
	}
	login(t, ctx, h.url, "admin", h.password)

	srcURL := createSource(t, ctx, h)
	save("source")
	eventID := liveTail(t, ctx, h, srcURL)
	save("inspector")
	run(t, ctx, "open the event", chromedp.Navigate(h.url+"/events/"+eventID),
		chromedp.WaitVisible(`//h2[text()="Body"]`, chromedp.BySearch))
	save("event")

	incidentID := workIncident(t, ctx, h)
	save("incident")
	run(t, ctx, "incident list", chromedp.Navigate(h.url+"/incidents"), chromedp.WaitVisible(`table`, chromedp.ByQuery))
	save("incidents")

	dstID := resendFailed(t, ctx, h)
	save("delivery")
	sendTestAlert(t, ctx, h, dstID)
	run(t, ctx, "destination page", chromedp.Navigate(h.url+"/destinations/"+dstID), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	save("destination")
	run(t, ctx, "destination form", chromedp.Navigate(h.url+"/destinations/new"), chromedp.WaitVisible(`#name`, chromedp.ByQuery))
	save("destination-form")

	workflowEditor(t, ctx, h, save)
	run(t, ctx, "dashboard", chromedp.Navigate(h.url+"/"), chromedp.WaitVisible(`.grid`, chromedp.ByQuery))
	save("dashboard")
	viewerIsReadOnly(t, h, exe, incidentID)
	csrfRefused(t, ctx, h, incidentID)
	phoneWidth(t, ctx, h, incidentID, save)
	logout(t, ctx, h)
}

func createSource(t *testing.T, ctx context.Context, h *hub) string {
	var srcURL string
	run(t, ctx, "create a source",
		chromedp.Navigate(h.url+"/sources/new"),
		chromedp.WaitVisible(`#name`, chromedp.ByQuery),
		chromedp.SendKeys(`#name`, "Shop orders", chromedp.ByQuery),
		chromedp.SetValue(`#type`, "generic", chromedp.ByQuery),
		chromedp.Submit(`#name`, chromedp.ByQuery),
		chromedp.WaitVisible(`button.copy`, chromedp.ByQuery),
		chromedp.AttributeValue(`button.copy`, "data-copy", &srcURL, nil, chromedp.ByQuery),
	)
	if !strings.HasPrefix(srcURL, h.url+"/hooks/") {
		t.Fatalf("the source page shows URL %q", srcURL)
	}
	return srcURL
}

// liveTail starts the inspector's live tail, posts a webhook and waits for
// it to appear without a reload.
func liveTail(t *testing.T, ctx context.Context, h *hub, srcURL string) string {
	run(t, ctx, "start the live tail",
		chromedp.Navigate(h.url+"/events"),
		chromedp.WaitVisible(`#live-toggle`, chromedp.ByQuery),
		chromedp.Click(`#live-toggle`, chromedp.ByQuery),
		chromedp.WaitVisible(`//span[@id="live-state"][contains(., "Live")]`, chromedp.BySearch),
	)
	resp, err := http.Post(srcURL, "application/json", strings.NewReader(`{"type":"order.created","order":{"id":42}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("webhook answered %d", resp.StatusCode)
	}
	eventID := resp.Header.Get("X-Hookhub-Event-Id")
	run(t, ctx, "see the webhook in the live tail",
		chromedp.WaitVisible(`//tbody[@id="events-body"]/tr[contains(@class, "new")]//a[contains(@href, "`+eventID+`")]`, chromedp.BySearch))
	run(t, ctx, "see it in the list after a reload", chromedp.Reload(),
		chromedp.WaitVisible(`//tbody[@id="events-body"]//a[contains(@href, "`+eventID+`")]`, chromedp.BySearch))
	return eventID
}

// workIncident posts a Panther alert to an alert source, then takes the
// incident through Ack, Add Comment, Resolve and Close with the buttons.
func workIncident(t *testing.T, ctx context.Context, h *hub) string {
	var src struct{ ID, URL string }
	if s := h.api(t, "POST", "/api/v1/sources", map[string]any{"name": "Panther", "type": "panther"}, &src); s != 201 {
		t.Fatalf("create alert source: %d", s)
	}
	alert := `{"id":"AllLogs.IPMonitoring","createdAt":"2020-10-13T03:35:24Z","severity":"HIGH","type":"RULE",` +
		`"title":"Suspicious traffic from 123.123.123.123","name":"Monitor Suspicious IPs","alertId":"b90c19e6","alertContext":{"ip":"123.123.123.123"},"tags":["Network"]}`
	resp, err := http.Post(src.URL, "application/json", strings.NewReader(alert))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var list struct{ Data []struct{ ID, Status string } }
	eventually(t, "the incident", func() bool {
		h.api(t, "GET", "/api/v1/incidents?source_id="+src.ID, nil, &list)
		return len(list.Data) == 1
	})
	id := list.Data[0].ID
	status := func(want string) chromedp.Action {
		return chromedp.WaitVisible(`//dt[text()="Status"]/following-sibling::dd[1]/span[text()="`+want+`"]`, chromedp.BySearch)
	}
	button := func(label string) chromedp.Action {
		return chromedp.Click(`//button[normalize-space()="`+label+`"]`, chromedp.BySearch)
	}
	run(t, ctx, "open the incident from the list",
		chromedp.Navigate(h.url+"/incidents"),
		chromedp.Click(`//a[contains(., "Suspicious traffic")]`, chromedp.BySearch),
		status("triggered"))
	run(t, ctx, "Ack", button("Ack"), status("acknowledged"))
	run(t, ctx, "Add Comment",
		chromedp.SendKeys(`#comment`, "Blocked the address at the firewall.", chromedp.ByQuery),
		button("Add Comment"),
		chromedp.WaitVisible(`//ol[@class="timeline"]//p[contains(., "Blocked the address")]`, chromedp.BySearch))
	run(t, ctx, "Resolve", button("Resolve"), status("resolved"))
	run(t, ctx, "Close", button("Close"), status("closed"))
	var html string
	run(t, ctx, "read the timeline", chromedp.OuterHTML(`ol.timeline`, &html, chromedp.ByQuery))
	for _, want := range []string{"Created", "Status changed", "Commented", "admin", "Raw payload"} {
		if !strings.Contains(html, want) {
			t.Errorf("the timeline lacks %q", want)
		}
	}
	return id
}

// resendFailed makes a delivery fail for good, then resends it from the
// console once the receiver is back.
func resendFailed(t *testing.T, ctx context.Context, h *hub) string {
	rc := newReceiver(t)
	rc.setFailing(true)
	run(t, ctx, "add a destination with the form",
		chromedp.Navigate(h.url+"/destinations/new"),
		chromedp.WaitVisible(`#name`, chromedp.ByQuery),
		chromedp.SendKeys(`#name`, "Ops receiver", chromedp.ByQuery),
		chromedp.SendKeys(`#url`, rc.srv.URL+"/hook", chromedp.ByQuery),
		chromedp.SetValue(`#max_retries`, "0", chromedp.ByQuery),
		chromedp.SendKeys(`#event_types`, "invoice.*", chromedp.ByQuery),
		chromedp.Click(`//button[normalize-space()="Add destination"]`, chromedp.BySearch),
		chromedp.WaitVisible(`.secret-once`, chromedp.ByQuery),
		chromedp.Click(`//a[normalize-space()="Go to the destination"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//button[normalize-space()="Send Test Alert"]`, chromedp.BySearch),
	)
	var loc string
	run(t, ctx, "read the destination's address", chromedp.Location(&loc))
	dstID := loc[strings.LastIndexByte(loc, '/')+1:]
	var ev struct{ ID string }
	if s := h.api(t, "POST", "/api/v1/events", map[string]any{"type": "invoice.paid", "payload": map[string]any{"invoice": 7}}, &ev); s != 202 {
		t.Fatalf("publish: %d", s)
	}
	var dl struct{ Data []struct{ ID, Status string } }
	eventually(t, "the failed delivery", func() bool {
		h.api(t, "GET", "/api/v1/deliveries?status=failed&destination_id="+dstID+"&event_id="+ev.ID, nil, &dl)
		return len(dl.Data) == 1
	})
	rc.setFailing(false)
	run(t, ctx, "Resend",
		chromedp.Navigate(h.url+"/deliveries/"+dl.Data[0].ID),
		chromedp.Click(`//button[normalize-space()="Resend"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[@class="flash"][contains(., "Resent")]`, chromedp.BySearch))
	eventually(t, "the resent delivery to succeed", func() bool {
		var d struct{ Status string }
		h.api(t, "GET", "/api/v1/deliveries/"+dl.Data[0].ID, nil, &d)
		return d.Status == "succeeded"
	})
	run(t, ctx, "see both attempts", chromedp.Reload(),
		chromedp.WaitVisible(`//strong[contains(., "#2 · manual")]`, chromedp.BySearch))
	return dstID
}

func sendTestAlert(t *testing.T, ctx context.Context, h *hub, dstID string) {
	run(t, ctx, "Send Test Alert",
		chromedp.Navigate(h.url+"/destinations/"+dstID),
		chromedp.Click(`//button[normalize-space()="Send Test Alert"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[@class="flash"][contains(., "Test alert delivered: 200")]`, chromedp.BySearch))
}

// viewerIsReadOnly signs a viewer in: no action buttons, and its direct
// posts, with a valid CSRF token, are refused and change nothing.
func viewerIsReadOnly(t *testing.T, h *hub, exe, incidentID string) {
	if s := h.api(t, "POST", "/api/v1/users", map[string]string{"username": "watcher", "password": "watcher-password", "role": "viewer"}, nil); s != 201 {
		t.Fatalf("create viewer: %d", s)
	}
	ctx := browser(t, exe)
	login(t, ctx, h.url, "watcher", "watcher-password")
	var n int
	run(t, ctx, "the viewer's incident page",
		chromedp.Navigate(h.url+"/incidents/"+incidentID),
		chromedp.WaitVisible(`ol.timeline`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("main form[method=post], main button:not(.copy)").length`, &n))
	if n != 0 {
		t.Fatalf("a viewer sees %d forms or buttons on an incident", n)
	}
	for _, page := range []string{"/sources", "/destinations", "/events"} {
		var html string
		run(t, ctx, "viewer "+page, chromedp.Navigate(h.url+page), chromedp.OuterHTML(`main`, &html, chromedp.ByQuery))
		for _, word := range []string{"New source", "New destination", "Replay", "Delete"} {
			if strings.Contains(html, word) {
				t.Errorf("a viewer sees %q on %s", word, page)
			}
		}
	}
	tok := sessionCookie(t, ctx)
	status := postForm(t, h, tok, "/incidents/"+incidentID+"/reopen", url.Values{"csrf_token": {access.CSRFToken(tok)}})
	if status != http.StatusForbidden {
		t.Fatalf("a viewer's direct post answered %d, want 403", status)
	}
	if got := incidentStatus(t, h, incidentID); got != "closed" {
		t.Fatalf("a refused post changed the incident to %s", got)
	}
}

// csrfRefused posts with the admin's session but no or a wrong token.
func csrfRefused(t *testing.T, ctx context.Context, h *hub, incidentID string) {
	tok := sessionCookie(t, ctx)
	for name, form := range map[string]url.Values{
		"no token":    {},
		"wrong token": {"csrf_token": {access.CSRFToken("another session")}},
	} {
		if s := postForm(t, h, tok, "/incidents/"+incidentID+"/reopen", form); s != http.StatusForbidden {
			t.Fatalf("a post with %s answered %d, want 403", name, s)
		}
	}
	if got := incidentStatus(t, h, incidentID); got != "closed" {
		t.Fatalf("a post without a valid CSRF token changed the incident to %s", got)
	}
	if s := postForm(t, h, tok, "/incidents/"+incidentID+"/reopen", url.Values{"csrf_token": {access.CSRFToken(tok)}}); s != http.StatusSeeOther {
		t.Fatalf("the admin's valid post answered %d", s)
	}
	if got := incidentStatus(t, h, incidentID); got != "triggered" {
		t.Fatalf("after Reopen the incident is %s", got)
	}
}

// phoneWidth checks a 390 px wide screen needs no sideways scrolling.
func phoneWidth(t *testing.T, ctx context.Context, h *hub, incidentID string, save func(string)) {
	for _, page := range []string{"/", "/incidents/" + incidentID, "/events", "/destinations/new"} {
		var width int
		run(t, ctx, "phone "+page, chromedp.EmulateViewport(390, 844), chromedp.Navigate(h.url+page),
			chromedp.WaitVisible(`main`, chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &width))
		if width > 390 {
			t.Errorf("%s is %d px wide on a 390 px screen", page, width)
		}
	}
	save("phone-incident")
	run(t, ctx, "back to a laptop", chromedp.EmulateViewport(1280, 900))
}

// logout signs out with the button; the old cookie then opens nothing.
func logout(t *testing.T, ctx context.Context, h *hub) {
	tok := sessionCookie(t, ctx)
	run(t, ctx, "Sign out", chromedp.Navigate(h.url+"/"),
		chromedp.Click(`//button[normalize-space()="Sign out"]`, chromedp.BySearch),
		chromedp.WaitVisible(`#username`, chromedp.ByQuery))
	req, _ := http.NewRequest("GET", h.url+"/", nil)
	req.AddCookie(&http.Cookie{Name: access.SessionCookie, Value: tok})
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("after sign-out the old cookie got %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	req, _ = http.NewRequest("GET", h.url+"/api/v1/events/stream", nil)
	req.AddCookie(&http.Cookie{Name: access.SessionCookie, Value: tok})
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err = http.DefaultClient.Do(req.WithContext(sctx))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the event stream took a signed-out cookie: %d", resp.StatusCode)
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// postForm posts a console form with a session cookie, as a browser would.
func postForm(t *testing.T, h *hub, session, path string, form url.Values) int {
	t.Helper()
	req, _ := http.NewRequest("POST", h.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html")
	req.AddCookie(&http.Cookie{Name: access.SessionCookie, Value: session})
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func incidentStatus(t *testing.T, h *hub, id string) string {
	t.Helper()
	var inc struct{ Status string }
	h.api(t, "GET", "/api/v1/incidents/"+id, nil, &inc)
	return inc.Status
}

// workflowEditor saves a workflow whose node is wrong (the error shows next
// to that node), fixes it, parses a sample, runs it with a webhook, and
// re-runs the run.
func workflowEditor(t *testing.T, ctx context.Context, h *hub, save func(string)) {
	bad := `{"name": "Payment callback", "enabled": true, "trigger": {"mode": "sync"}, "start": "check", "nodes": [
  {"id": "check", "type": "condition", "expression": "trigger.body.status ==", "then": "ok", "else": "fail"},
  {"id": "ok", "type": "respond", "status": 200, "body": "paid"},
  {"id": "fail", "type": "respond", "status": 422, "body": "unpaid"}]}`
	run(t, ctx, "save a wrong workflow",
		chromedp.Navigate(h.url+"/workflows/new"),
		chromedp.WaitVisible(`#definition`, chromedp.ByQuery),
		chromedp.SetValue(`#definition`, bad, chromedp.ByQuery),
		chromedp.Click(`//button[normalize-space()="Save workflow"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//li[contains(@class, "node-error")][.//code[text()="check"]]/p[@class="error"]`, chromedp.BySearch))
	run(t, ctx, "parse a sample",
		chromedp.SetValue(`#sample_body`, `{"status": "paid", "order": {"id": 7}}`, chromedp.ByQuery),
		chromedp.Click(`//button[normalize-space()="Parse"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//td/code[text()="order.id"]`, chromedp.BySearch))
	save("workflow-editor")
	good := strings.Replace(bad, `"trigger.body.status =="`, `"trigger.body.status == 'paid'"`, 1)
	var wfURL string
	run(t, ctx, "save the fixed workflow",
		chromedp.SetValue(`#definition`, good, chromedp.ByQuery),
		chromedp.Click(`//button[normalize-space()="Save workflow"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[@class="flash"][contains(., "Workflow saved")]`, chromedp.BySearch),
		chromedp.AttributeValue(`button.copy`, "data-copy", &wfURL, nil, chromedp.ByQuery))
	resp, err := http.Post(wfURL, "application/json", strings.NewReader(`{"status": "paid"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the sync workflow answered %d", resp.StatusCode)
	}
	run(t, ctx, "open the run",
		chromedp.Reload(),
		chromedp.Click(`//table//a[contains(@href, "/runs/")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//strong[contains(., "check")]`, chromedp.BySearch),
		chromedp.WaitVisible(`//summary[text()="Output"]`, chromedp.BySearch))
	save("workflow-run")
	run(t, ctx, "Re-run", chromedp.Click(`//button[normalize-space()="Re-run"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[@class="flash"][contains(., "Re-run started")]`, chromedp.BySearch))
}

package console_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// nodeErrorOf is the error shown next to a node in the workflow editor.
func nodeErrorOf(id string) string {
	return `//li[contains(@class, "node-error")][.//code[text()="` + id + `"]]/p[@class="error"]`
}

// TestWorkflowEditorKeepsNodeErrors: the error a save put next to a node
// stays there when a sample is parsed afterwards, and edits made to the
// definition since are not lost by the parse; when the definition has
// changed, the error says it is from the last save.
func TestWorkflowEditorKeepsNodeErrors(t *testing.T) {
	exe := chromium(t)
	h := startHub(t, "")
	ctx := browser(t, exe)
	login(t, ctx, h.url, "admin", h.password)

	bad := `{"name": "Refunds", "enabled": true, "trigger": {"mode": "sync"}, "start": "check", "nodes": [
  {"id": "check", "type": "condition", "expression": "trigger.body.status ==", "then": "ok", "else": "ok"},
  {"id": "ok", "type": "respond", "status": 200, "body": "ok"}]}`
	var saved string
	run(t, ctx, "save a wrong workflow",
		chromedp.Navigate(h.url+"/workflows/new"),
		chromedp.WaitVisible(`#definition`, chromedp.ByQuery),
		chromedp.SetValue(`#definition`, bad, chromedp.ByQuery),
		chromedp.Click(`//button[normalize-space()="Save workflow"]`, chromedp.BySearch),
		chromedp.WaitVisible(nodeErrorOf("check"), chromedp.BySearch),
		chromedp.Text(nodeErrorOf("check"), &saved, chromedp.BySearch))
	if !strings.Contains(saved, `node "check"`) {
		t.Fatalf("the error after saving is %q", saved)
	}

	var kept, note string
	var errors int
	run(t, ctx, "parse a sample",
		chromedp.SetValue(`#sample_body`, `{"status": "refunded", "refund": {"id": 9}}`, chromedp.ByQuery),
		chromedp.Click(`//button[normalize-space()="Parse"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//td/code[text()="refund.id"]`, chromedp.BySearch),
		chromedp.Evaluate(`document.querySelectorAll("li.node-error p.error").length`, &errors),
		chromedp.Evaluate(`(document.querySelector("li.node-error p.error") || {}).textContent || ""`, &kept),
		chromedp.Evaluate(`(document.querySelector(".stale-errors") || {}).textContent || ""`, &note))
	if errors != 1 || kept != saved || note != "" {
		t.Fatalf("after parsing a sample: %d node errors, %q (want %q), stale note %q", errors, kept, saved, note)
	}

	// An edit made since the save survives a parse, and the error is then
	// marked as the last save's.
	edited := strings.Replace(bad, `"body": "ok"`, `"body": "refund noted"`, 1)
	var definition string
	run(t, ctx, "edit, then parse again",
		chromedp.SetValue(`#definition`, edited, chromedp.ByQuery),
		chromedp.SetValue(`#sample_body`, `{"status": "refunded", "amount": 5}`, chromedp.ByQuery),
		chromedp.Click(`//button[normalize-space()="Parse"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//td/code[text()="amount"]`, chromedp.BySearch),
		chromedp.Value(`#definition`, &definition, chromedp.ByQuery),
		chromedp.Evaluate(`(document.querySelector("li.node-error p.error") || {}).textContent || ""`, &kept),
		chromedp.Evaluate(`(document.querySelector(".stale-errors") || {}).textContent || ""`, &note))
	if !strings.Contains(definition, "refund noted") {
		t.Fatalf("the parse lost the edited definition: %s", definition)
	}
	if kept != saved || !strings.Contains(note, "last save") {
		t.Fatalf("after an edit and a parse: node error %q (want %q), note %q", kept, saved, note)
	}

	// Saving again shows what the server says now.
	fixed := strings.Replace(edited, `"trigger.body.status =="`, `"trigger.body.status == 'refunded'"`, 1)
	run(t, ctx, "save the fixed workflow",
		chromedp.SetValue(`#definition`, fixed, chromedp.ByQuery),
		chromedp.Click(`//button[normalize-space()="Save workflow"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//p[@class="flash"][contains(., "Workflow saved")]`, chromedp.BySearch))
}

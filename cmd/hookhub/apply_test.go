package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hookhub/hookhub/client"
)

const manifestV1 = `
destinations:
  - name: Ops receiver
    url: http://127.0.0.1:9/ops
    filter: {event_types: ["incident.*"]}
    headers: {Authorization: "Bearer ${OPS_TOKEN}"}
  - name: Archive
    url: http://127.0.0.1:9/archive
sources:
  - name: GitHub org
    type: github
    verification: {secret: "${GITHUB_WEBHOOK_SECRET}"}
    destinations: [Ops receiver]
  - name: Stripe
    type: stripe
    verification: {secret: whsec_abc}
`

// manifestV2 changes a filter, moves GitHub to Archive, drops Stripe and
// adds a source.
const manifestV2 = `
destinations:
  - name: Ops receiver
    url: http://127.0.0.1:9/ops
    filter: {event_types: ["incident.*", "push"]}
    headers: {Authorization: "Bearer ${OPS_TOKEN}"}
  - name: Archive
    url: http://127.0.0.1:9/archive
sources:
  - name: GitHub org
    type: github
    verification: {secret: "${GITHUB_WEBHOOK_SECRET}"}
    destinations: [Archive]
  - name: Alerts
    type: alertmanager
`

var applyEnv = map[string]string{"OPS_TOKEN": "t0ken", "GITHUB_WEBHOOK_SECRET": "s3cret"}

// TestApply covers create, no change, dry run, update, prune and export on
// both stores.
func TestApply(t *testing.T) {
	storeKinds(t, func(t *testing.T, databaseURL string) {
		h := startHub(t, databaseURL)
		dir := t.TempDir()
		v1, v2 := filepath.Join(dir, "v1.yaml"), filepath.Join(dir, "v2.yaml")
		must(t, os.WriteFile(v1, []byte(manifestV1), 0o600))
		must(t, os.WriteFile(v2, []byte(manifestV2), 0o600))

		dry := h.cli(t, "", applyEnv, "apply", "-f", v1, "--dry-run")
		wantPlan := "+ destination \"Ops receiver\"\n+ destination \"Archive\"\n+ source \"GitHub org\"\n+ source \"Stripe\"\n"
		if dry.code != 0 || dry.stdout != wantPlan || !strings.Contains(dry.stderr, "nothing was changed") {
			t.Fatalf("dry run: %+v", dry)
		}
		if n := count(t, h); n != 0 {
			t.Fatalf("dry run created %d objects", n)
		}
		if r := h.cli(t, "", applyEnv, "apply", "-f", v1); r.code != 0 || r.stdout != wantPlan {
			t.Fatalf("first apply: %+v", r)
		}
		src := sourceNamed(t, h, "GitHub org")
		if len(src.DestinationIDs) != 1 || !src.Verification.SecretSet || src.Type != "github" {
			t.Fatalf("applied source: %+v", src)
		}
		if r := h.cli(t, "", applyEnv, "apply", "-f", v1); r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "no changes") {
			t.Fatalf("second apply: %+v", r)
		}
		missing := h.cli(t, "", nil, "apply", "-f", v1)
		if missing.code != 1 || !strings.Contains(missing.stderr, "OPS_TOKEN is not set") {
			t.Fatalf("apply without its variables: %+v", missing)
		}

		r := h.cli(t, "", applyEnv, "apply", "-f", v2, "--prune", "--dry-run")
		wantV2 := "~ destination \"Ops receiver\": filter\n~ source \"GitHub org\": destination_ids\n+ source \"Alerts\"\n- source \"Stripe\"\n"
		if r.code != 0 || r.stdout != wantV2 || count(t, h) != 4 {
			t.Fatalf("v2 dry run: %+v", r)
		}
		if r := h.cli(t, "", applyEnv, "apply", "-f", v2); r.code != 0 || strings.Contains(r.stdout, "- ") {
			t.Fatalf("v2 without prune: %+v", r)
		}
		if count(t, h) != 5 {
			t.Fatal("apply without --prune deleted something")
		}
		if r := h.cli(t, "", applyEnv, "apply", "-f", v2, "--prune"); r.code != 0 || r.stdout != "- source \"Stripe\"\n" {
			t.Fatalf("v2 prune: %+v", r)
		}
		if r := h.cli(t, "", applyEnv, "apply", "-f", v2, "--prune"); r.stdout != "" {
			t.Fatalf("v2 again: %+v", r)
		}
		archive := destinationNamed(t, h, "Archive")
		if got := sourceNamed(t, h, "GitHub org").DestinationIDs; len(got) != 1 || got[0] != archive.ID {
			t.Fatalf("GitHub org forwards to %v, want Archive %s", got, archive.ID)
		}
		exportRoundTrips(t, h, dir)
	})
}

// exportRoundTrips exports, then applies the export with --prune: nothing
// changes, and the secrets came out as placeholders.
func exportRoundTrips(t *testing.T, h *hub, dir string) {
	t.Helper()
	out := h.ok(t, "export")
	for _, secret := range []string{"s3cret", "t0ken"} {
		if strings.Contains(out, secret) {
			t.Fatalf("export shows a secret:\n%s", out)
		}
	}
	placeholders := regexp.MustCompile(`\$\{([A-Z0-9_]+)\}`).FindAllStringSubmatch(out, -1)
	if len(placeholders) != 2 {
		t.Fatalf("export has %d placeholders, want 2 (a source secret and a header):\n%s", len(placeholders), out)
	}
	vars := map[string]string{}
	for _, p := range placeholders {
		vars[p[1]] = "from-env"
	}
	file := filepath.Join(dir, "export.yaml")
	must(t, os.WriteFile(file, []byte(out), 0o600))
	if r := h.cli(t, "", vars, "apply", "-f", file, "--prune"); r.code != 0 || r.stdout != "" {
		t.Fatalf("applying the export changed something: %+v\n%s", r, out)
	}
	// With --update-secrets the placeholders' values are sent.
	if r := h.cli(t, "", vars, "apply", "-f", file, "--update-secrets"); r.code != 0 || !strings.Contains(r.stdout, "~ source \"GitHub org\": verification") {
		t.Fatalf("--update-secrets: %+v", r)
	}
}

func count(t *testing.T, h *hub) int {
	t.Helper()
	s, err := h.api.ListSources(context.Background(), client.ListOptions{})
	must(t, err)
	d, err := h.api.ListDestinations(context.Background(), client.ListOptions{})
	must(t, err)
	return len(s.Data) + len(d.Data)
}

func sourceNamed(t *testing.T, h *hub, name string) client.Source {
	t.Helper()
	page, err := h.api.ListSources(context.Background(), client.ListOptions{})
	must(t, err)
	for _, s := range page.Data {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no source %q", name)
	return client.Source{}
}

func destinationNamed(t *testing.T, h *hub, name string) client.Destination {
	t.Helper()
	page, err := h.api.ListDestinations(context.Background(), client.ListOptions{})
	must(t, err)
	for _, d := range page.Data {
		if d.Name == name {
			return d
		}
	}
	t.Fatalf("no destination %q", name)
	return client.Destination{}
}

const workflowManifest = `
destinations:
  - name: Orders
    url: http://127.0.0.1:9/orders
workflows:
  - name: Payment callback
    trigger:
      mode: sync
      auth: {scheme: basic, username: shop, password: "${SHOP_PASSWORD}"}
    start: check
    nodes:
      - {id: check, type: condition, expression: "trigger.body.status == 'paid'", then: ok, else: fail}
      - {id: ok, type: respond, status: 200, body: '{"result": "success"}'}
      - {id: fail, type: respond, status: 422, body: '{"result": "failure"}'}
  - name: On a source
    source: Shop
    trigger: {mode: sync}
    start: ok
    nodes: [{id: ok, type: respond, status: 200}]
sources:
  - name: Shop
`

// TestApplyWorkflows: workflows apply, show no change the second time, run,
// update, export without their own sources, and prune.
func TestApplyWorkflows(t *testing.T) {
	storeKinds(t, func(t *testing.T, databaseURL string) {
		h := startHub(t, databaseURL)
		dir := t.TempDir()
		file := filepath.Join(dir, "wf.yaml")
		must(t, os.WriteFile(file, []byte(workflowManifest), 0o600))
		vars := map[string]string{"SHOP_PASSWORD": "s3cret-pw"}
		want := "+ destination \"Orders\"\n+ source \"Shop\"\n+ workflow \"Payment callback\"\n+ workflow \"On a source\"\n"
		if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 0 || r.stdout != want {
			t.Fatalf("first apply: %+v", r)
		}
		if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 0 || r.stdout != "" {
			t.Fatalf("second apply: %+v", r)
		}
		list := h.ok(t, "workflows", "list")
		if !strings.Contains(list, "Payment callback") || !strings.Contains(list, "On a source") {
			t.Fatalf("workflows list:\n%s", list)
		}
		wfs, err := h.api.ListWorkflows(context.Background(), client.ListOptions{})
		must(t, err)
		var pay client.Workflow
		for _, w := range wfs.Data {
			if w.Name == "Payment callback" {
				pay = w
			}
		}
		if !pay.OwnsSource || sourceNamed(t, h, "Shop").ID == pay.SourceID {
			t.Fatalf("Payment callback should own its source: %+v", pay)
		}
		// The workflow answers its webhook; its run is listed and rerun.
		r := h.cli(t, `{"status":"paid"}`, nil, "send", "--scheme", "basic", "--username", "shop", "--secret", "s3cret-pw", pay.URL)
		if r.code != 0 || !strings.Contains(r.stdout, "success") {
			t.Fatalf("workflow webhook: %+v", r)
		}
		// The answer may go out before the run is recorded as finished.
		waitFor(t, "the run to succeed", func() bool {
			return strings.Contains(h.ok(t, "workflows", "runs", pay.ID, "--status", "succeeded"), "succeeded")
		})
		page, err := h.api.ListWorkflowRuns(context.Background(), pay.ID, client.RunListOptions{})
		must(t, err)
		var run client.WorkflowRun
		must(t, json.Unmarshal([]byte(h.ok(t, "workflows", "runs", pay.ID, page.Data[0].ID)), &run))
		if len(run.Steps) != 2 || run.Steps[0].Node != "check" {
			t.Fatalf("workflows runs ID RUN: %+v", run)
		}
		if got := h.ok(t, "workflows", "rerun", pay.ID, run.ID); !strings.Contains(got, "queued") {
			t.Fatalf("workflows rerun: %q", got)
		}
		var got client.Workflow
		must(t, json.Unmarshal([]byte(h.ok(t, "workflows", "get", pay.ID)), &got))
		if got.Name != "Payment callback" {
			t.Fatalf("workflows get: %+v", got)
		}

		changed := strings.Replace(workflowManifest, `{"result": "success"}`, `{"result": "paid"}`, 1)
		must(t, os.WriteFile(file, []byte(changed), 0o600))
		if r := h.cli(t, "", vars, "apply", "-f", file); r.stdout != "~ workflow \"Payment callback\": nodes\n" {
			t.Fatalf("changed node: %+v", r)
		}
		out := h.ok(t, "export")
		if strings.Count(out, "- name: Shop") != 1 || strings.Contains(out, "source_id") || !strings.Contains(out, "source: Shop") ||
			!strings.Contains(out, "password: ${WORKFLOW_PAYMENT_CALLBACK_PASSWORD}") {
			t.Fatalf("export:\n%s", out)
		}
		exported := filepath.Join(dir, "export.yaml")
		must(t, os.WriteFile(exported, []byte(out), 0o600))
		if r := h.cli(t, "", map[string]string{"WORKFLOW_PAYMENT_CALLBACK_PASSWORD": "x"}, "apply", "-f", exported, "--prune"); r.code != 0 || r.stdout != "" {
			t.Fatalf("applying the export: %+v\n%s", r, out)
		}
		only := filepath.Join(dir, "only.yaml")
		must(t, os.WriteFile(only, []byte("workflows:\n  - name: On a source\n    source: Shop\n    trigger: {mode: sync}\n    start: ok\n    nodes: [{id: ok, type: respond, status: 200}]\n"), 0o600))
		if r := h.cli(t, "", nil, "apply", "-f", only, "--prune"); r.code != 0 || r.stdout != "- workflow \"Payment callback\"\n" {
			t.Fatalf("prune: %+v", r)
		}
	})
}

// TestApplyBusDestinations: event-bus destinations, whose URLs and secrets
// the API shows masked, apply once, then show no change, and export their
// credentials as placeholders.
func TestApplyBusDestinations(t *testing.T) {
	h := startHub(t, "")
	file := filepath.Join(t.TempDir(), "bus.yaml")
	must(t, os.WriteFile(file, []byte(`
destinations:
  - name: Rabbit
    type: rabbitmq
    rabbitmq: {url: "amqp://guest:${RABBIT_PASSWORD}@127.0.0.1:5672/", exchange: hooks, routing_key: "{{ event.type }}"}
  - name: Nats
    type: nats
    nats: {url: "nats://127.0.0.1:4222", subject: hooks.all}
`), 0o600))
	vars := map[string]string{"RABBIT_PASSWORD": "guest"}
	if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 0 || strings.Count(r.stdout, "+ destination") != 2 {
		t.Fatalf("first apply: %+v", r)
	}
	if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 0 || r.stdout != "" {
		t.Fatalf("second apply: %+v", r)
	}
	if r := h.cli(t, "", vars, "apply", "-f", file, "--update-secrets"); r.stdout != "~ destination \"Rabbit\": rabbitmq\n" {
		t.Fatalf("--update-secrets: %+v", r)
	}
	if got := h.ok(t, "destinations", "list"); !strings.Contains(got, "rabbitmq") || !strings.Contains(got, "hooks.all") {
		t.Fatalf("destinations list:\n%s", got)
	}
	out := h.ok(t, "export")
	if !strings.Contains(out, "url: ${DESTINATION_RABBIT_RABBITMQ_URL}") || strings.Contains(out, "guest@") || !strings.Contains(out, "url: nats://127.0.0.1:4222") {
		t.Fatalf("export:\n%s", out)
	}
	exported := filepath.Join(t.TempDir(), "export.yaml")
	must(t, os.WriteFile(exported, []byte(out), 0o600))
	if r := h.cli(t, "", map[string]string{"DESTINATION_RABBIT_RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:5672/"}, "apply", "-f", exported); r.code != 0 || r.stdout != "" {
		t.Fatalf("applying the export: %+v\n%s", r, out)
	}
}

const deliverByNameManifest = `
destinations:
  - name: Orders
    url: ${RECEIVER}/orders
  - name: Audit
    url: ${RECEIVER}/audit
workflows:
  - name: Notify
    start: out
    nodes:
      - {id: out, type: deliver, destination: Orders, event_type: order.paid}
`

// TestApplyDeliverNodeByName: a deliver node names its destination as the
// file does, resolved to its ID when applied: created, unchanged on a
// second apply, moved to another destination, exported by name; an
// unknown name is refused before anything changes.
func TestApplyDeliverNodeByName(t *testing.T) {
	storeKinds(t, func(t *testing.T, databaseURL string) {
		h := startHub(t, databaseURL)
		rc := &receiver{}
		recv := httptest.NewServer(rc)
		defer recv.Close()
		vars := map[string]string{"RECEIVER": recv.URL}
		dir := t.TempDir()
		file := filepath.Join(dir, "wf.yaml")
		write := func(manifest string) {
			t.Helper()
			must(t, os.WriteFile(file, []byte(manifest), 0o600))
		}
		nodeDestination := func() any {
			t.Helper()
			wfs, err := h.api.ListWorkflows(context.Background(), client.ListOptions{})
			must(t, err)
			if len(wfs.Data) != 1 || len(wfs.Data[0].Nodes) != 1 {
				t.Fatalf("workflows: %+v", wfs.Data)
			}
			return wfs.Data[0].Nodes[0]["destination_id"]
		}

		write(deliverByNameManifest)
		want := "+ destination \"Orders\"\n+ destination \"Audit\"\n+ workflow \"Notify\"\n"
		if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 0 || r.stdout != want {
			t.Fatalf("first apply: %+v", r)
		}
		orders, audit := destinationNamed(t, h, "Orders"), destinationNamed(t, h, "Audit")
		if got := nodeDestination(); got != orders.ID {
			t.Fatalf("the deliver node's destination_id is %v, want Orders' %s", got, orders.ID)
		}
		if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 0 || r.stdout != "" {
			t.Fatalf("second apply: %+v", r)
		}
		// The workflow delivers to the destination the file named.
		wfs, err := h.api.ListWorkflows(context.Background(), client.ListOptions{})
		must(t, err)
		resp, err := http.Post(wfs.Data[0].URL, "application/json", strings.NewReader(`{"order":1}`))
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("workflow webhook: %s", resp.Status)
		}
		waitFor(t, "the delivery to Orders", func() bool {
			for _, r := range rc.got() {
				if r.path == "/orders" && r.header.Get("Webhook-Id") != "" {
					return true
				}
			}
			return false
		})

		// A name neither the file nor the server has is refused, and the
		// destination the same file adds is not created.
		write(strings.Replace(strings.Replace(deliverByNameManifest, "destination: Orders", "destination: Nope", 1),
			"destinations:\n", "destinations:\n  - name: Extra\n    url: ${RECEIVER}/extra\n", 1))
		r := h.cli(t, "", vars, "apply", "-f", file)
		wantErr := `hookhub: workflow "Notify": nodes[0] (id "out"): destination: no destination named "Nope" in the file or on the server` + "\n"
		if r.code != 1 || r.stderr != wantErr || r.stdout != "" {
			t.Fatalf("unknown destination name: %+v", r)
		}
		if r := h.cli(t, "", vars, "apply", "-f", file, "--dry-run"); r.code != 1 || r.stderr != wantErr {
			t.Fatalf("unknown destination name, dry run: %+v", r)
		}
		if got := h.ok(t, "destinations", "list"); strings.Contains(got, "Extra") {
			t.Fatalf("a refused apply created a destination:\n%s", got)
		}
		write(strings.Replace(deliverByNameManifest, "destination: Orders", "destination: Orders, destination_id: "+orders.ID, 1))
		if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 1 || !strings.Contains(r.stderr, "give destination or destination_id, not both") {
			t.Fatalf("both destination and destination_id: %+v", r)
		}

		// Naming another destination updates the node; a dry run first
		// changes nothing.
		write(strings.Replace(deliverByNameManifest, "destination: Orders", "destination: Audit", 1))
		if r := h.cli(t, "", vars, "apply", "-f", file, "--dry-run"); r.code != 0 || r.stdout != "~ workflow \"Notify\": nodes\n" {
			t.Fatalf("dry run of the move: %+v", r)
		}
		if got := nodeDestination(); got != orders.ID {
			t.Fatalf("a dry run moved the node to %v", got)
		}
		if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 0 || r.stdout != "~ workflow \"Notify\": nodes\n" {
			t.Fatalf("moving the node: %+v", r)
		}
		if got := nodeDestination(); got != audit.ID {
			t.Fatalf("the deliver node's destination_id is %v, want Audit's %s", got, audit.ID)
		}
		if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 0 || r.stdout != "" {
			t.Fatalf("apply after the move: %+v", r)
		}
		// An ID still works, and is the same node as the name.
		write(strings.Replace(deliverByNameManifest, "destination: Orders", "destination_id: "+audit.ID, 1))
		if r := h.cli(t, "", vars, "apply", "-f", file); r.code != 0 || r.stdout != "" {
			t.Fatalf("the same node by ID: %+v", r)
		}

		// Export names the destination, and applies back with no change.
		out := h.ok(t, "export")
		if !strings.Contains(out, "destination: Audit") || strings.Contains(out, "destination_id") {
			t.Fatalf("export:\n%s", out)
		}
		exported := filepath.Join(dir, "export.yaml")
		must(t, os.WriteFile(exported, []byte(out), 0o600))
		if r := h.cli(t, "", nil, "apply", "-f", exported); r.code != 0 || r.stdout != "" {
			t.Fatalf("applying the export: %+v\n%s", r, out)
		}
	})
}

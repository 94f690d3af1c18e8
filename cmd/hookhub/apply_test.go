package main

import (
	"context"
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

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hookhub/hookhub/client"
)

// TestResourceCommands drives sources, destinations, events and deliveries
// through the CLI against a real server and checks their effects.
func TestResourceCommands(t *testing.T) {
	h := startHub(t, "")
	rc := &receiver{}
	recv := httptest.NewServer(rc)
	defer recv.Close()
	ctx := context.Background()

	out := h.ok(t, "destinations", "create", "--name", "Receiver", "--url", recv.URL+"/in", "--json")
	var dst client.Destination
	must(t, json.Unmarshal([]byte(out), &dst))
	if dst.Secret == "" || dst.URL != recv.URL+"/in" {
		t.Fatalf("created destination: %+v", dst)
	}
	out = h.ok(t, "sources", "create", "--name", "GitHub org", "--type", "github", "--secret", "s3cret", "--destinations", dst.ID)
	if !strings.Contains(out, "webhook URL: "+h.url+"/hooks/") {
		t.Fatalf("sources create: %q", out)
	}
	srcs, _ := h.api.ListSources(ctx, client.ListOptions{})
	src := srcs.Data[0]

	// send signs like GitHub; the source verifies and forwards it.
	body := `{"zen":"Keep it logically awesome."}`
	r := h.cli(t, body, nil, "send", "--scheme", "github", "--secret", "s3cret", "--header", "X-GitHub-Event: push", src.URL)
	if r.code != 0 || !strings.Contains(r.stdout, "200 OK") {
		t.Fatalf("send: %+v", r)
	}
	waitFor(t, "the delivery", func() bool { return len(rc.got()) >= 2 }) // the ping, then the event
	list := h.ok(t, "events", "list", "--source", src.ID)
	if !strings.Contains(list, "push") || !strings.Contains(list, "verified") || !strings.HasPrefix(list, "ID") {
		t.Fatalf("events list:\n%s", list)
	}
	evs, _ := h.api.ListEvents(ctx, client.EventListOptions{SourceID: src.ID})
	ev := evs.Data[0]
	if got := h.ok(t, "events", "get", ev.ID, "--body"); got != body {
		t.Fatalf("events get --body = %q", got)
	}
	if got := h.ok(t, "events", "replay", ev.ID); !strings.Contains(got, "1 delivery (dlv_") {
		t.Fatalf("events replay: %q", got)
	}
	waitFor(t, "the replayed delivery", func() bool { return len(rc.got()) >= 3 })
	waitFor(t, "succeeded deliveries", func() bool {
		return strings.Count(h.ok(t, "deliveries", "list", "--event", ev.ID, "--status", "succeeded"), "dlv_") == 2
	})
	dls, _ := h.api.ListDeliveries(ctx, client.DeliveryListOptions{EventID: ev.ID})
	var dl client.Delivery
	must(t, json.Unmarshal([]byte(h.ok(t, "deliveries", "get", dls.Data[0].ID)), &dl))
	if len(dl.Attempts) != 1 || dl.Attempts[0].StatusCode != 200 {
		t.Fatalf("deliveries get: %+v", dl)
	}
	if got := h.ok(t, "deliveries", "resend", dl.ID); !strings.Contains(got, "queued again") {
		t.Fatalf("deliveries resend: %q", got)
	}
	waitFor(t, "the resent delivery", func() bool { return len(rc.got()) >= 4 })

	if got := h.ok(t, "destinations", "test", dst.ID); !strings.Contains(got, "HTTP 200") {
		t.Fatalf("destinations test: %q", got)
	}
	for verb, want := range map[string]string{"pause": "is paused", "resume": "is enabled", "enable": "is enabled"} {
		if got := h.ok(t, "destinations", verb, dst.ID); !strings.Contains(got, want) {
			t.Errorf("destinations %s: %q", verb, got)
		}
	}
	if got := h.ok(t, "destinations", "resend-failed", dst.ID, "--since", "1h"); !strings.Contains(got, "queued 0 failed") {
		t.Fatalf("resend-failed: %q", got)
	}
	if got := h.ok(t, "destinations", "list"); !strings.Contains(got, "Receiver") || !strings.Contains(got, "webhook") {
		t.Fatalf("destinations list:\n%s", got)
	}
	var gotDst client.Destination
	must(t, json.Unmarshal([]byte(h.ok(t, "destinations", "get", dst.ID)), &gotDst))
	if gotDst.ID != dst.ID || gotDst.Secret != "" {
		t.Fatalf("destinations get: %+v", gotDst)
	}
	var gotSrc client.Source
	must(t, json.Unmarshal([]byte(h.ok(t, "sources", "get", src.ID)), &gotSrc))
	if gotSrc.Verification.Scheme != "github" || !gotSrc.Verification.SecretSet || gotSrc.Verification.Secret != nil {
		t.Fatalf("sources get: %+v", gotSrc.Verification)
	}

	// A wrong signature is refused, and the error reaches the user.
	r = h.cli(t, body, nil, "send", "--scheme", "github", "--secret", "wrong", src.URL)
	if r.code != 1 || !strings.Contains(r.stderr, "401") {
		t.Fatalf("send with a wrong secret: %+v", r)
	}
	r = h.cli(t, "", nil, "sources", "get", "src_nope")
	if r.code != 1 || !strings.Contains(r.stderr, "not_found") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("get of a missing source: %+v", r)
	}
	h.ok(t, "sources", "delete", src.ID)
	h.ok(t, "destinations", "delete", dst.ID)
	if got := h.ok(t, "sources", "list", "--json"); strings.TrimSpace(got) != "[]" {
		t.Fatalf("sources left: %s", got)
	}
}

// TestIncidentCommands turns an Alertmanager alert into an incident and
// walks it through its lifecycle from the CLI.
func TestIncidentCommands(t *testing.T) {
	h := startHub(t, "")
	h.ok(t, "sources", "create", "--name", "AM", "--type", "alertmanager")
	srcs, _ := h.api.ListSources(context.Background(), client.ListOptions{})
	alert, err := os.ReadFile("../../app/testdata/alerts/webhook-firing.json")
	must(t, err)
	if r := h.cli(t, string(alert), nil, "send", "--scheme", "none", srcs.Data[0].URL); r.code != 0 {
		t.Fatalf("send alert: %+v", r)
	}
	var id string
	waitFor(t, "an incident", func() bool {
		page, _ := h.api.ListIncidents(context.Background(), client.IncidentListOptions{})
		if page != nil && len(page.Data) > 0 {
			id = page.Data[0].ID
		}
		return id != ""
	})
	if got := h.ok(t, "incidents", "list", "--status", "triggered"); !strings.Contains(got, id) {
		t.Fatalf("incidents list:\n%s", got)
	}
	for _, step := range []struct{ verb, want string }{
		{"ack", "acknowledged"}, {"resolve", "resolved"}, {"reopen", "triggered"}, {"resolve", "resolved"}, {"close", "closed"},
	} {
		if got := h.ok(t, "incidents", step.verb, id, "--message", "by the CLI"); !strings.Contains(got, "is "+step.want) {
			t.Errorf("incidents %s: %q", step.verb, got)
		}
	}
	h.ok(t, "incidents", "comment", id, "looked at it")
	var inc client.Incident
	must(t, json.Unmarshal([]byte(h.ok(t, "incidents", "get", id)), &inc))
	comments := 0
	for _, e := range inc.Timeline {
		if e.Kind == "commented" && e.Message == "looked at it" {
			comments++
		}
	}
	if inc.Status != "closed" || comments != 1 {
		t.Fatalf("incident after the CLI: status %s, %d comments", inc.Status, comments)
	}
}

// TestEventsPublishAndTail: published events show in events tail, which
// still takes its older --url flag.
func TestEventsPublishAndTail(t *testing.T) {
	h := startHub(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan int)
	go func() {
		e := &env{getenv: func(k string) string { return map[string]string{"HOOKHUB_API_KEY": h.key}[k] },
			stdin: strings.NewReader(""), stdout: out, stderr: &syncBuffer{}}
		done <- execute(ctx, []string{"events", "tail", "--url", h.url}, e)
	}()
	// The tail subscribes at some point: publish until one shows.
	waitFor(t, "a published event in the tail", func() bool {
		if r := h.cli(t, `{"n":1}`, nil, "events", "publish", "--type", "order.created"); r.code != 0 {
			t.Fatalf("publish: %+v", r)
		}
		return strings.Contains(out.String(), "order.created")
	})
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("tail exited %d", code)
	}
	r := h.cli(t, "not json", nil, "events", "publish", "--type", "x")
	if r.code != 2 || !strings.Contains(r.stderr, "JSON object") {
		t.Fatalf("publish of a non-object: %+v", r)
	}
}

// syncBuffer is a bytes.Buffer safe for a command writing while a test
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestAccessCommands: users and API keys from the CLI, and a viewer's key
// refused a change with the API's forbidden error.
func TestAccessCommands(t *testing.T) {
	h := startHub(t, "")
	if got := h.ok(t, "whoami"); !strings.Contains(got, "role admin") {
		t.Fatalf("whoami: %q", got)
	}
	if r := h.cli(t, "correct horse battery\n", nil, "users", "create", "--username", "ops", "--role", "responder"); r.code != 0 {
		t.Fatalf("users create: %+v", r)
	}
	if got := h.ok(t, "users", "list"); !strings.Contains(got, "ops") || !strings.Contains(got, "responder") {
		t.Fatalf("users list:\n%s", got)
	}
	key := strings.TrimSpace(h.ok(t, "api-keys", "create", "--name", "dashboards", "--role", "viewer"))
	if !strings.HasPrefix(key, "hh_key_") {
		t.Fatalf("api-keys create printed %q", key)
	}
	viewer := map[string]string{"HOOKHUB_API_KEY": key}
	if r := h.cli(t, "", viewer, "sources", "list"); r.code != 0 {
		t.Fatalf("viewer list: %+v", r)
	}
	if r := h.cli(t, "", viewer, "sources", "create", "--name", "x"); r.code != 1 || !strings.Contains(r.stderr, "forbidden") {
		t.Fatalf("viewer create: %+v", r)
	}
	keys, err := h.api.ListAPIKeys(context.Background(), client.ListOptions{})
	must(t, err)
	var id string
	for _, k := range keys.Data {
		if k.Name == "dashboards" {
			id = k.ID
		}
	}
	h.ok(t, "api-keys", "revoke", id)
	if r := h.cli(t, "", viewer, "sources", "list"); r.code != 1 || !strings.Contains(r.stderr, "unauthorized") {
		t.Fatalf("revoked key still works: %+v", r)
	}
	users, _ := h.api.ListUsers(context.Background(), client.ListOptions{})
	for _, u := range users.Data {
		if u.Username == "ops" {
			h.ok(t, "users", "delete", u.ID)
		}
	}
}

package storetest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/secret"
)

// OldDatabase is what a migration test needs of a database at an older
// schema version: statements to run and the dialect's placeholders.
type OldDatabase interface {
	// Exec runs one statement with ? placeholders and arguments, times
	// passed as time.Time and booleans as bool.
	Exec(t *testing.T, query string, args ...any)
}

// WriteWebhookRowsV2 writes, at schema version 2 (before destination types),
// a webhook destination with every setting and secret, an event, a delivery
// and an attempt, sealing secrets with box as that version did. It returns
// their IDs for CheckWebhookRowsMigrated.
func WriteWebhookRowsV2(t *testing.T, db OldDatabase, box *secret.Box) (destID, deliveryID string) {
	t.Helper()
	destID, evID, deliveryID := "dst_old", "evt_old", "dlv_old"
	sealed, err := box.Seal([]byte(`{"headers":{"Authorization":"Bearer old-t0ken"},"signing_secret":"whsec_b2xkc2VjcmV0b2xkc2VjcmV0"}`))
	if err != nil {
		t.Fatal(err)
	}
	config := `{"description":"from before types","method":"PUT","signing":{"scheme":"standard-webhooks"},` +
		`"filter":{"event_types":["order.*"]},"retry":{"max_retries":4,"schedule_seconds":[5,30]},"timeout_sec":20,` +
		`"allow_manual_dispatch":true,"max_concurrency":3}`
	db.Exec(t, `INSERT INTO destinations (id, name, url, enabled, disabled_reason, paused, consecutive_failures, config, secrets, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		destID, "Old receiver", "https://old.example.com/hook?tenant=7", true, "", false, 2, config, sealed, t0, t0)
	db.Exec(t, `INSERT INTO events (id, source_id, type, status, received_at, method, path, raw_query, headers, body, client_ip,
		verify_scheme, verify_result, verify_reason, dedup_key, duplicate_of, variables)
		VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		evID, "order.created", hookhub.EventAccepted, t0, "POST", "", "", `{}`, []byte(`{"n":1}`), "", "", hookhub.VerifyNone, "", "", "", `{}`)
	db.Exec(t, `INSERT INTO deliveries (id, event_id, destination_id, status, next_trigger, attempt_count, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		deliveryID, evID, destID, hookhub.DeliverySucceeded, hookhub.TriggerInitial, 1, t0, t0, t0)
	db.Exec(t, `INSERT INTO attempts (id, delivery_id, number, trigger_kind, url, request_headers, status_code, response_headers,
		response_body, duration_ms, error, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"att_old", deliveryID, 1, hookhub.TriggerInitial, "https://old.example.com/hook?tenant=7", `{"Webhook-Id":["dlv_old"]}`,
		200, `{}`, []byte("ok"), 12, "", t0)
	return destID, deliveryID
}

// CheckWebhookRowsMigrated checks that the rows WriteWebhookRowsV2 wrote
// read back, after every migration, as a webhook destination with nothing
// lost, and that the store still takes the destination's updates.
func CheckWebhookRowsMigrated(t *testing.T, s hookhub.Store, destID, deliveryID string) {
	t.Helper()
	ctx := context.Background()
	d, err := s.GetDestination(ctx, destID)
	must(t, err)
	want := &hookhub.Destination{ID: destID, Name: "Old receiver", Description: "from before types", Type: hookhub.DestinationWebhook,
		URL: "https://old.example.com/hook?tenant=7", Method: "PUT", Headers: map[string]string{"Authorization": "Bearer old-t0ken"},
		Signing: hookhub.SigningConfig{Scheme: hookhub.SignStandardWebhooks, Secret: "whsec_b2xkc2VjcmV0b2xkc2VjcmV0"},
		Filter:  hookhub.Filter{EventTypes: []string{"order.*"}}, Retry: hookhub.RetryPolicy{MaxRetries: 4, ScheduleSeconds: []int{5, 30}},
		TimeoutSec: 20, Enabled: true, AllowManualDispatch: true, MaxConcurrency: 3, ConsecutiveFailures: 2,
		CreatedAt: t0, UpdatedAt: t0}
	equal(t, "migrated destination", d, want)
	as, err := s.ListAttempts(ctx, deliveryID)
	must(t, err)
	if len(as) != 1 || as[0].Target != want.URL || as[0].StatusCode != 200 ||
		http.Header(as[0].RequestHeaders).Get("Webhook-Id") != "dlv_old" || as[0].ResponseBody != "ok" {
		t.Fatalf("migrated attempts: %+v", as)
	}
	d.Name, d.UpdatedAt = "Old receiver, renamed", t0.Add(time.Minute)
	_, err = s.UpdateDestination(ctx, destID, func(x *hookhub.Destination) (*hookhub.NewEvent, error) {
		x.Name, x.UpdatedAt = d.Name, d.UpdatedAt
		return nil, nil
	})
	must(t, err)
	got, err := s.GetDestination(ctx, destID)
	must(t, err)
	equal(t, "updated after migration", got, d)
}

// WriteDedupRowsV11 writes, at schema version 11 (before dedup keys moved
// into the events table), two accepted events published through the API
// with the keys they hold, and a key whose event is gone. It returns the
// holder of key "held-1" for CheckDedupRowsMigrated.
func WriteDedupRowsV11(t *testing.T, db OldDatabase) (holder string) {
	t.Helper()
	for _, ev := range []struct{ id, key string }{{"evt_held1", "held-1"}, {"evt_held2", "held-2"}} {
		db.Exec(t, `INSERT INTO events (id, source_id, type, status, received_at, method, path, raw_query, headers, body, client_ip,
			verify_scheme, verify_result, verify_reason, dedup_key, duplicate_of, variables)
			VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ev.id, "order.created", hookhub.EventAccepted, t0, "POST", "", "", `{}`, []byte(`{}`), "", "", hookhub.VerifyNone, "", ev.key, "", `{}`)
		db.Exec(t, `INSERT INTO event_dedup (scope, dedup_key, event_id, created_at) VALUES (?, ?, ?, ?)`, "api", ev.key, ev.id, t0)
	}
	db.Exec(t, `INSERT INTO event_dedup (scope, dedup_key, event_id, created_at) VALUES (?, ?, ?, ?)`, "api", "gone-1", "evt_gone", t0)
	return "evt_held1"
}

// CheckDedupRowsMigrated checks that, after every migration, the keys
// WriteDedupRowsV11 wrote are still held by their events and the key of the
// event that was gone is free.
func CheckDedupRowsMigrated(t *testing.T, s hookhub.Store, holder string) {
	t.Helper()
	save := func(key string) *hookhub.NewEvent {
		ev := newEvent("", t0.Add(time.Hour))
		ev.DedupKey = key
		ne := &hookhub.NewEvent{Event: ev, DedupScope: "api", DedupWindow: 24 * time.Hour}
		must(t, s.SaveEvents(context.Background(), []*hookhub.NewEvent{ne}))
		return ne
	}
	if ne := save("held-1"); ne.Event.Status != hookhub.EventDuplicate || ne.Event.DuplicateOf != holder {
		t.Fatalf("an event with a migrated key: status %q, duplicate of %q; want a duplicate of %s",
			ne.Event.Status, ne.Event.DuplicateOf, holder)
	}
	if ne := save("held-2"); ne.Event.DuplicateOf != "evt_held2" {
		t.Fatalf("an event with the second migrated key: status %q, duplicate of %q", ne.Event.Status, ne.Event.DuplicateOf)
	}
	if ne := save("gone-1"); ne.Event.Status != hookhub.EventAccepted {
		t.Fatalf("the key of an event that was gone: status %q, duplicate of %q; want it free",
			ne.Event.Status, ne.Event.DuplicateOf)
	}
}

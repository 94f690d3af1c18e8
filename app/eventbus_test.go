package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hookhub/hookhub/sender/eventbridge/ebtest"
)

// zendeskHeaders signs body as Zendesk does (seed 004): base64 HMAC-SHA256
// of the timestamp followed by the body.
func zendeskHeaders(secret string, body []byte) map[string]string {
	ts := time.Now().UTC().Format(time.RFC3339)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write(body)
	return map[string]string{"Content-Type": "application/json", "X-Zendesk-Webhook-Signature-Timestamp": ts,
		"X-Zendesk-Webhook-Signature": base64.StdEncoding.EncodeToString(mac.Sum(nil))}
}

// Seed 004 without the Lambda: a Zendesk source forwarding to an EventBridge
// destination. A verified webhook becomes one entry with the seed's
// Source, DetailType and Detail; a bad signature is refused with 403 and
// nothing is forwarded.
func TestSeed004ZendeskToEventBridge(t *testing.T) {
	storeKinds(t, func(t *testing.T, dbURL func(*testing.T) string) {
		h := startHub(t, dbURL(t))
		bus := ebtest.New(t)
		const arn = "arn:aws:events:us-east-1:123456789012:event-bus/zendesk"
		var dst destination
		h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "Zendesk bus", "type": "eventbridge",
			"eventbridge": map[string]any{"event_bus": arn, "region": ebtest.Region, "access_key_id": ebtest.AccessKeyID,
				"secret_access_key": ebtest.SecretAccessKey, "endpoint": bus.URL}}, &dst)
		const secret = "HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="
		var src source
		h.mustAPI(201, "POST", "/api/v1/sources", map[string]any{"name": "Zendesk", "type": "zendesk",
			"verification": map[string]any{"secret": secret}, "destination_ids": []string{dst.ID}}, &src)

		forged := []byte(`{"type":"zen:event-type:ticket.created","source":"evil"}`)
		bad := zendeskHeaders("not-the-secret", forged)
		if code, body := h.post("/hooks/"+src.Key, bad, forged); code != 403 {
			t.Fatalf("bad signature: %d %s, want 403", code, body)
		}
		payloads := [][]byte{
			[]byte(`{"type":"zen:event-type:ticket.created","account_id":123,"detail":{"id":"35","subject":"Help"},"id":"01H"}`),
			[]byte(`{"source":"zendesk.support","type":"ticket.solved","detail":{"id":"36"}}`),
			[]byte(`{"say": "hello"}`),
		}
		for _, p := range payloads {
			if code, body := h.post("/hooks/"+src.Key, zendeskHeaders(secret, p), p); code < 200 || code > 299 {
				t.Fatalf("signed webhook: %d %s", code, body)
			}
		}
		eventually(t, "three entries on the bus", func() bool { return len(bus.Entries()) >= 3 })
		want := map[string][2]string{ // detail → source, detail type
			string(payloads[0]): {"webhook.custom", "zen:event-type:ticket.created"},
			string(payloads[1]): {"zendesk.support", "ticket.solved"},
			string(payloads[2]): {"webhook.custom", "defaultDetailType"},
		}
		entries := bus.Entries()
		if len(entries) != 3 {
			t.Fatalf("%d entries, want 3 (the forged webhook must not be forwarded): %+v", len(entries), entries)
		}
		for _, e := range entries {
			w, ok := want[e.Detail]
			if !ok || e.Source != w[0] || e.DetailType != w[1] || e.EventBusName != arn {
				t.Errorf("entry %+v", e)
			}
			var detail any
			if err := json.Unmarshal([]byte(e.Detail), &detail); err != nil {
				t.Errorf("Detail is not JSON: %v", err)
			}
		}
		eventually(t, "three deliveries recorded", func() bool {
			n := 0
			for _, d := range h.deliveries("destination_id=" + dst.ID) {
				if d.Status == "succeeded" {
					n++
				}
			}
			return n == 3
		})
		for _, d := range h.deliveries("destination_id=" + dst.ID) {
			got := h.delivery(d.ID)
			if len(got.Attempts) != 1 || !strings.HasPrefix(got.Attempts[0].ResponseBody, "put as event ") {
				t.Errorf("delivery %+v", got)
			}
		}
	})
}

// The API takes and shows each bus type with its settings; credentials are
// masked on the way out and kept when sent back masked; bad settings are
// refused with 400 and nothing is stored.
func TestBusDestinationAPI(t *testing.T) {
	h := startHub(t, "")
	create := map[string]any{"name": "n", "type": "nats", "filter": map[string]any{"event_types": []string{"order.*"}},
		"nats": map[string]any{"url": "nats://hub:s3cret-pw@127.0.0.1:4222", "subject": "hooks.{{ event.type }}"}}
	var raw map[string]any
	h.mustAPI(201, "POST", "/api/v1/destinations", create, &raw)
	id := raw["id"].(string)
	nats := raw["nats"].(map[string]any)
	if raw["type"] != "nats" || nats["url"] != "nats://hub:xxxxx@127.0.0.1:4222" || nats["subject"] != "hooks.{{ event.type }}" ||
		raw["secret"] != nil || raw["url"] != nil {
		t.Fatalf("created: %v", raw)
	}
	// A PATCH of the subject alone, then one sending back the masked URL:
	// the password stays.
	h.mustAPI(200, "PATCH", "/api/v1/destinations/"+id, map[string]any{"nats": map[string]any{"subject": "orders.{{ event.id }}"}}, nil)
	h.mustAPI(200, "PATCH", "/api/v1/destinations/"+id, map[string]any{"nats": nats}, nil)
	d, err := h.main.store.GetDestination(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if d.NATS.URL != "nats://hub:s3cret-pw@127.0.0.1:4222" || d.NATS.Subject != "hooks.{{ event.type }}" {
		t.Fatalf("stored after patches: %+v", d.NATS)
	}
	var listed list[map[string]any]
	h.mustAPI(200, "GET", "/api/v1/destinations", nil, &listed)
	if b, _ := json.Marshal(listed); strings.Contains(string(b), "s3cret-pw") {
		t.Fatalf("the list shows the password: %s", b)
	}
	// Every type round-trips through the API.
	for _, typ := range []map[string]any{
		{"type": "eventbridge", "eventbridge": map[string]any{"event_bus": "arn:aws:events:eu-west-1:1:event-bus/x", "access_key_id": "AK", "secret_access_key": "sk-hidden"}},
		{"type": "rabbitmq", "rabbitmq": map[string]any{"url": "amqp://guest:guest-hidden@127.0.0.1:5672/", "exchange": "hooks", "routing_key": "{{ event.type }}"}},
		{"type": "redis", "redis": map[string]any{"url": "redis://:redis-hidden@127.0.0.1:6379/0", "stream": "hooks", "max_len": 1000}},
		{"type": "kafka", "kafka": map[string]any{"brokers": []string{"127.0.0.1:9092"}, "topic": "hooks", "key": "{{ event.id }}",
			"sasl": map[string]any{"mechanism": "PLAIN", "username": "u", "password": "kafka-hidden"}}},
		{"type": "mqtt", "mqtt": map[string]any{"url": "tcp://u:mqtt-hidden@127.0.0.1:1883", "topic": "hooks/{{ event.type }}", "qos": 2}},
	} {
		typ["name"] = typ["type"]
		var out map[string]any
		h.mustAPI(201, "POST", "/api/v1/destinations", typ, &out)
		b, _ := json.Marshal(out)
		if out["type"] != typ["type"] || out[typ["type"].(string)] == nil || strings.Contains(string(b), "hidden") {
			t.Errorf("%s: %s", typ["type"], b)
		}
	}
	bad := []map[string]any{
		{"name": "x", "type": "carrier-pigeon"},
		{"name": "x", "type": "nats"},
		{"name": "x", "type": "nats", "kafka": map[string]any{"brokers": []string{"a:1"}, "topic": "t"}},
		{"name": "x", "type": "nats", "nats": map[string]any{"url": "nats://127.0.0.1:4222", "subject": "{{ event.nope }}"}},
		{"name": "x", "type": "nats", "nats": map[string]any{"url": "nats://10.0.0.1:4222", "subject": "s"}},
		{"name": "x", "type": "nats", "nats": map[string]any{"url": "nats://127.0.0.1:4222", "subject": "s", "subjekt": "typo"}},
		{"name": "x", "type": "nats", "url": "https://example.com", "nats": map[string]any{"url": "nats://127.0.0.1:4222", "subject": "s"}},
		{"name": "x", "type": "mqtt", "mqtt": map[string]any{"url": "tcp://127.0.0.1:1883", "topic": "t", "qos": 0}},
		{"name": "x", "type": "eventbridge", "eventbridge": map[string]any{"event_bus": "x"}},
	}
	before := len(listed.Data) + 5
	for _, b := range bad {
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		if code := h.api("POST", "/api/v1/destinations", b, &e); code != 400 || e.Error.Code == "" {
			t.Errorf("%v: %d %+v, want 400", b, code, e)
		}
	}
	h.mustAPI(200, "GET", "/api/v1/destinations?limit=100", nil, &listed)
	if len(listed.Data) != before {
		t.Errorf("%d destinations after refused creates, want %d", len(listed.Data), before)
	}
}

// POST /test publishes to a bus and answers the attempt.
func TestBusDestinationTest(t *testing.T) {
	natsURL := os.Getenv("HOOKHUB_TEST_NATS_URL")
	if natsURL == "" {
		t.Skip("HOOKHUB_TEST_NATS_URL is not set")
	}
	u, _ := url.Parse(natsURL)
	h := startHub(t, "")
	var d destination
	h.mustAPI(201, "POST", "/api/v1/destinations", map[string]any{"name": "n", "type": "nats",
		"nats": map[string]any{"url": "nats://" + u.Host, "subject": "hookhub-no-stream.{{ event.type }}"}}, &d)
	var res struct {
		Success bool
		Attempt struct {
			Target string `json:"target"`
			Error  string `json:"error"`
		}
	}
	h.mustAPI(200, "POST", "/api/v1/destinations/"+d.ID+"/test", nil, &res)
	if res.Success || !strings.Contains(res.Attempt.Error, "no JetStream stream takes subject hookhub-no-stream.hookhub.test") ||
		!strings.HasSuffix(res.Attempt.Target, "subject hookhub-no-stream.hookhub.test") {
		t.Fatalf("test to a subject without a stream: %+v", res)
	}
}

package storetest

import (
	"testing"
	"time"

	"github.com/hookhub/hookhub"
)

// fullSource returns a source with every field set, secrets included.
func fullSource() *hookhub.Source {
	return &hookhub.Source{
		ID:     hookhub.NewID(hookhub.PrefixSource),
		Name:   "GitHub org",
		Type:   hookhub.SourceGitHub,
		Key:    "k_" + hookhub.NewID(""),
		Active: true,
		Verification: hookhub.Verification{
			Scheme: "hmac", Secret: "whsec-current-s3cr3t", PreviousSecret: "whsec-previous-s3cr3t",
			Username: "hook", Password: "basic-pa55word", Header: "X-Hub-Signature-256", Prefix: "sha256=",
			Algorithm: "sha256", Encoding: "hex", Signed: "timestamp+body", TimestampHeader: "X-Timestamp",
			IDHeader: "X-GitHub-Delivery", ToleranceSec: 300,
		},
		AllowedMethods: []string{"POST", "PUT"},
		MaxBodyBytes:   2 << 20,
		ContentTypes:   []string{"application/json", "application/x-www-form-urlencoded"},
		Response:       hookhub.Response{Status: 202, Headers: map[string]string{"X-Ack": "yes"}, Body: `{"ok":true}`},
		InactiveStatus: 410,
		EventType:      hookhub.EventTypeRule{Header: "X-GitHub-Event", JSONPath: "action", Default: "unknown"},
		Variables:      []hookhub.Variable{{Path: "body.repository.name", Alias: "repo"}, {Path: "header.X-Env", Alias: "env"}},
		DestinationIDs: []string{"dst_a", "dst_b"},
		ForwardHeaders: []string{"X-GitHub-Event"},
		Retention:      hookhub.Retention{MaxAgeSec: 86400, MaxCount: 1000},
		RateLimit:      hookhub.RateLimit{PerSecond: 2.5, Burst: 10},
		Alert: hookhub.AlertConfig{Kind: "generic", GroupBy: "group_key", TitlePath: "t", SeverityPath: "s", StatusPath: "st",
			FingerprintPaths: []string{"a", "b"}, LinkPath: "l", DescriptionPath: "d", ResolvedValues: []string{"ok"},
			ResolveExpression: `body.st == "ok"`},
		CreatedAt: t0,
		UpdatedAt: t0.Add(time.Second),
	}
}

// fullDestination returns a destination with every field set, secrets
// included. A real destination holds only its own type's settings; the store
// keeps whatever it is given, so here every type's are set to cover them all.
func fullDestination() *hookhub.Destination {
	return &hookhub.Destination{
		ID:          hookhub.NewID(hookhub.PrefixDestination),
		Name:        "Billing service",
		Description: "Receives Stripe events",
		Type:        hookhub.DestinationWebhook,
		URL:         "https://billing.example.com/hooks",
		EventBridge: &hookhub.EventBridgeSettings{EventBus: "arn:aws:events:us-east-1:123456789012:event-bus/zendesk",
			Region: "us-east-1", AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "eb-s3cr3t-key", SessionToken: "eb-s3ssion",
			Endpoint: "https://events.example.com", Source: "zendesk", DetailType: "{{ event.type }}"},
		NATS:     &hookhub.NATSSettings{URL: "nats://user:nats-pa55@nats.example.com:4222", Subject: "hooks.{{ event.type }}"},
		RabbitMQ: &hookhub.RabbitMQSettings{URL: "amqp://guest:rabbit-pa55@mq.example.com:5672/", Exchange: "hooks", RoutingKey: "{{ event.type }}"},
		Redis:    &hookhub.RedisSettings{URL: "redis://:redis-pa55@redis.example.com:6379/0", Stream: "hooks", MaxLen: 100000},
		Kafka: &hookhub.KafkaSettings{Brokers: []string{"k1.example.com:9092", "k2.example.com:9092"}, Topic: "hooks",
			Key: "{{ event.id }}", TLS: true, SASL: hookhub.KafkaSASL{Mechanism: "SCRAM-SHA-512", Username: "hub", Password: "kafka-pa55"}},
		MQTT: &hookhub.MQTTSettings{URL: "tcp://hub:mqtt-pa55@mqtt.example.com:1883", Topic: "hooks/{{ event.type }}",
			QoS: 2, Retain: true, ClientID: "hookhub-test"},
		Method:  "PUT",
		Headers: map[string]string{"Authorization": "Bearer header-t0ken", "X-Tenant": "acme"},
		Signing: hookhub.SigningConfig{
			Scheme: hookhub.SignTimestampBody, Algorithm: hookhub.SignAlgHMACSHA256, Header: "X-Signature", TimestampHeader: "X-Signature-Timestamp",
			Secret: "signing-current-s3cr3t", PreviousSecret: "signing-previous-s3cr3t", PreviousUntil: t0.Add(time.Hour),
		},
		Filter: hookhub.Filter{
			EventTypes: []string{"invoice.*"}, Severities: []string{hookhub.SeverityHigh},
			SourceIDs: []string{"src_x"}, AlertTypes: []string{"RULE"}, LogTypes: []string{"AWS.CloudTrail"},
			Expression: `event.type != "ping"`,
		},
		Retry:               hookhub.RetryPolicy{MaxRetries: 5, ScheduleSeconds: []int{1, 10, 60}},
		Transform:           `{"text": event.payload.title}`,
		Ordering:            hookhub.OrderingFIFO,
		OrderingKey:         "{{ event.payload.order_id }}",
		TimeoutSec:          20,
		Enabled:             true,
		DisabledReason:      "was off once",
		Paused:              true,
		AllowManualDispatch: true,
		MaxConcurrency:      3,
		RateLimit:           2.5,
		ConsecutiveFailures: 4,
		CreatedAt:           t0,
		UpdatedAt:           t0.Add(time.Second),
	}
}

// fullEvent returns an event of sourceID with every field set; its body holds
// every byte value.
func fullEvent(sourceID string) *hookhub.Event {
	body := make([]byte, 256)
	for i := range body {
		body[i] = byte(i)
	}
	return &hookhub.Event{
		ID:         hookhub.NewID(hookhub.PrefixEvent),
		SourceID:   sourceID,
		Type:       "push",
		Status:     hookhub.EventAccepted,
		ReceivedAt: t0,
		Method:     "POST",
		Path:       "/hooks/abc",
		RawQuery:   "a=1&b=%20x",
		Headers:    map[string][]string{"Content-Type": {"application/json"}, "X-Multi": {"1", "2"}},
		Body:       body,
		ClientIP:   "203.0.113.7",
		Verification: hookhub.VerificationResult{
			Scheme: "hmac", Result: hookhub.VerifyVerified, Reason: "signature matches",
		},
		DedupKey:    "delivery-" + hookhub.NewID(""),
		DuplicateOf: "evt_none",
		TraceParent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
		TraceState:  "vendor=abc",
		Variables: map[string]any{
			"repo": "hookhub", "count": float64(3), "ok": true,
			"nested": map[string]any{"a": "b"}, "list": []any{"x", float64(1)},
		},
	}
}

// fullAttempt returns an attempt of a delivery with every field set.
func fullAttempt(deliveryID string, number int, at time.Time) hookhub.Attempt {
	return hookhub.Attempt{
		ID:              hookhub.NewID(hookhub.PrefixAttempt),
		DeliveryID:      deliveryID,
		Number:          number,
		Trigger:         hookhub.TriggerInitial,
		Target:          "https://billing.example.com/hooks",
		RequestHeaders:  map[string][]string{"Webhook-Id": {deliveryID}, "Authorization": {"<masked>"}},
		StatusCode:      503,
		ResponseHeaders: map[string][]string{"Retry-After": {"5"}},
		ResponseBody:    "unavailable\x00\xff binary tail",
		DurationMS:      1234,
		Error:           "503 Service Unavailable",
		StartedAt:       at,
		Truncated:       []string{hookhub.TruncatedResponseBody},
	}
}

// newSource stores a minimal active source.
func newSource(t *testing.T, s hookhub.Store) *hookhub.Source {
	t.Helper()
	src := &hookhub.Source{ID: hookhub.NewID(hookhub.PrefixSource), Name: "src", Type: hookhub.SourceGeneric,
		Key: "k_" + hookhub.NewID(""), Active: true}
	src.SetDefaults()
	must(t, s.CreateSource(ctx(t), src))
	return src
}

// newDestination stores a minimal enabled destination.
func newDestination(t *testing.T, s hookhub.Store) *hookhub.Destination {
	t.Helper()
	d := &hookhub.Destination{ID: hookhub.NewID(hookhub.PrefixDestination), Name: "dst",
		URL: "https://example.com/hook", Enabled: true}
	must(t, s.CreateDestination(ctx(t), d))
	return d
}

// newEvent returns an accepted event of sourceID received at at, with no dedup key.
func newEvent(sourceID string, at time.Time) *hookhub.Event {
	return &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), SourceID: sourceID, Type: "ping",
		Status: hookhub.EventAccepted, ReceivedAt: at, Method: "POST", Body: []byte(`{}`)}
}

// deliveryTo returns a new pending delivery to a destination, due at due.
func deliveryTo(destinationID string, due time.Time) *hookhub.Delivery {
	return &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), DestinationID: destinationID,
		Status: hookhub.DeliveryPending, Trigger: hookhub.TriggerInitial, NextAttemptAt: due,
		CreatedAt: due, UpdatedAt: due}
}

// saveWithDeliveries stores one event of src received at at with a delivery to
// each destination, due at at, and returns the deliveries.
func saveWithDeliveries(t *testing.T, s hookhub.Store, sourceID string, at time.Time, dests ...string) (*hookhub.Event, []*hookhub.Delivery) {
	t.Helper()
	ev := newEvent(sourceID, at)
	ne := &hookhub.NewEvent{Event: ev}
	for _, d := range dests {
		ne.Deliveries = append(ne.Deliveries, deliveryTo(d, at))
	}
	must(t, s.SaveEvents(ctx(t), []*hookhub.NewEvent{ne}))
	return ev, ne.Deliveries
}

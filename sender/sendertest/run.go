package sendertest

import (
	"context"
	"testing"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/sender"
	"github.com/hookhub/hookhub/tracing"
	"github.com/hookhub/hookhub/tracing/tracingtest"
	"go.opentelemetry.io/otel/trace"
)

// Run runs a sender inside a real delivery engine: the happy path with every
// field checked on the consumer's side; the broker unreachable, then back
// (retries, then success); an edit of the destination; and a pause.
func Run(t *testing.T, b Broker) {
	t.Run("Delivers", func(t *testing.T) { t.Parallel(); testDelivers(t, b) })
	t.Run("BrokerDownThenBack", func(t *testing.T) { t.Parallel(); testOutage(t, b) })
	t.Run("EditApplies", func(t *testing.T) { t.Parallel(); testEdit(t, b) })
	t.Run("PauseApplies", func(t *testing.T) { t.Parallel(); testPause(t, b) })
}

func prepare(t *testing.T, b Broker, name string) {
	if b.Prepare != nil {
		b.Prepare(t, name)
	}
}

// waitReceived waits until name holds n messages and returns them.
func waitReceived(t *testing.T, b Broker, name string, n int) []Message {
	t.Helper()
	var got []Message
	Eventually(t, "messages under "+name, func() bool {
		got = b.Received(t, name)
		return len(got) >= n
	})
	if len(got) != n {
		t.Fatalf("%d messages under %s, want %d", len(got), name, n)
	}
	return got
}

func testDelivers(t *testing.T, b Broker) {
	h := NewHub(t)
	name := Name(t)
	prepare(t, b, name)
	d := h.Create(b.Destination(b.Addr, name))
	batch := h.Enqueue(d, 3)
	for _, ne := range batch {
		h.WaitStatus(ne.Deliveries[0].ID, hookhub.DeliverySucceeded)
	}
	got := waitReceived(t, b, name, 3)
	byBody := map[string]Message{}
	for _, m := range got {
		byBody[string(m.Body)] = m
	}
	for _, ne := range batch {
		ev, dl := ne.Event, ne.Deliveries[0]
		m, ok := byBody[string(ev.Body)]
		if !ok {
			t.Fatalf("no message has the body %s: %+v", ev.Body, got)
		}
		if !b.NoAttrs && (m.Attrs[sender.AttrEventID] != ev.ID || m.Attrs[sender.AttrEventType] != ev.Type ||
			m.Attrs[sender.AttrDeliveryID] != dl.ID) {
			t.Errorf("attributes %v, want event id %s, type %s and delivery id %s", m.Attrs, ev.ID, ev.Type, dl.ID)
		}
		checkTrace(t, h, b, dl, m)
		as := h.Attempts(dl.ID)
		if len(as) != 1 {
			t.Fatalf("%d attempts, want 1", len(as))
		}
		a := as[0]
		if a.Target == "" || a.ResponseBody == "" || a.Error != "" || !records(a.RequestHeaders, dl.ID) {
			t.Errorf("attempt log: %+v", a)
		}
	}
}

func testOutage(t *testing.T, b Broker) {
	h := NewHub(t)
	name := Name(t)
	prepare(t, b, name)
	addr, down, up := b.Addr, func() {}, func() {}
	if b.Outage != nil {
		addr, down, up = b.Outage(t, name)
	} else {
		p := NewProxy(t, b.Addr)
		addr, down, up = p.Addr(), p.Down, p.Up
	}
	d := h.Create(b.Destination(addr, name))
	// A first delivery opens the connection, which the outage then cuts.
	first := h.Enqueue(d, 1)[0].Deliveries[0]
	h.WaitStatus(first.ID, hookhub.DeliverySucceeded)
	down()
	ne := h.Enqueue(d, 1)[0]
	dl := ne.Deliveries[0]
	var got *hookhub.Delivery
	Eventually(t, "a failed attempt", func() bool {
		got = h.Delivery(dl.ID)
		return got.AttemptCount >= 1
	})
	a := h.Attempts(dl.ID)[0]
	if got.Status != hookhub.DeliveryPending || got.LastError == "" || a.Error == "" {
		t.Fatalf("with the broker down: delivery %s (%q), attempt error %q; want pending with a reason", got.Status, got.LastError, a.Error)
	}
	t.Logf("with the broker down the attempt failed after %d ms: %s", a.DurationMS, a.Error)
	if a.DurationMS >= int64(d.TimeoutSec)*1000 {
		t.Errorf("the failed attempt took %d ms: it hung until the timeout rather than failing fast", a.DurationMS)
	}
	up()
	seen := 0
	Eventually(t, "success after the broker is back", func() bool {
		got := h.Delivery(dl.ID)
		if got.Status == hookhub.DeliverySucceeded {
			return true
		}
		if got.Status == hookhub.DeliveryPending && got.AttemptCount > seen {
			seen = got.AttemptCount // a failed attempt is recorded: let its retry come due
			h.RetryNow()
		}
		return false
	})
	Eventually(t, "the retried message", func() bool {
		for _, m := range b.Received(t, name) {
			if string(m.Body) == string(ne.Event.Body) {
				return true
			}
		}
		return false
	})
}

func testEdit(t *testing.T, b Broker) {
	h := NewHub(t)
	first, second := Name(t), Name(t)
	prepare(t, b, first)
	prepare(t, b, second)
	d := h.Create(b.Destination(b.Addr, first))
	h.WaitStatus(h.Enqueue(d, 1)[0].Deliveries[0].ID, hookhub.DeliverySucceeded)

	edited := b.Destination(b.Addr, second)
	d.EventBridge, d.NATS, d.RabbitMQ, d.Redis, d.Kafka, d.MQTT =
		edited.EventBridge, edited.NATS, edited.RabbitMQ, edited.Redis, edited.Kafka, edited.MQTT
	d.SetDefaults()
	_, err := h.Store.UpdateDestination(context.Background(), d.ID, func(x *hookhub.Destination) (*hookhub.NewEvent, error) {
		*x = *d
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.WaitStatus(h.Enqueue(d, 1)[0].Deliveries[0].ID, hookhub.DeliverySucceeded)
	waitReceived(t, b, first, 1)
	waitReceived(t, b, second, 1)
}

func testPause(t *testing.T, b Broker) {
	h := NewHub(t)
	name := Name(t)
	prepare(t, b, name)
	d := h.Create(b.Destination(b.Addr, name))
	ctx := context.Background()
	if _, err := h.Store.PauseDestination(ctx, d.ID, true, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	ne := h.Enqueue(d, 1)[0]
	dl := ne.Deliveries[0]
	Eventually(t, "the delivery held", func() bool { return h.Delivery(dl.ID).Held })
	if got := b.Received(t, name); len(got) != 0 || h.Delivery(dl.ID).AttemptCount != 0 {
		t.Fatalf("a paused destination got %d messages", len(got))
	}
	if _, err := h.Store.PauseDestination(ctx, d.ID, false, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.Eng.Notify()
	h.WaitStatus(dl.ID, hookhub.DeliverySucceeded)
	if m := waitReceived(t, b, name, 1); string(m[0].Body) != string(ne.Event.Body) {
		t.Errorf("after resume: %+v", m[0])
	}
}

// records reports whether an attempt's recorded headers or fields hold v.
func records(h map[string][]string, v string) bool {
	for _, vs := range h {
		for _, x := range vs {
			if x == v {
				return true
			}
		}
	}
	return false
}

// checkTrace checks that an attempt is a producer span in its event's
// ingest trace and that its message carries that span as traceparent.
func checkTrace(t *testing.T, h *Hub, b Broker, dl *hookhub.Delivery, m Message) {
	t.Helper()
	s := tracingtest.One(t, h.Spans.Spans(), tracing.SpanAttempt, string(tracing.AttrDeliveryID), dl.ID)
	if s.TraceID != IngestTraceID || s.Kind != trace.SpanKindProducer || s.Attrs["messaging.system"] == "" {
		t.Errorf("attempt span: trace %s kind %v attributes %v; want a producer span in trace %s", s.TraceID, s.Kind, s.Attrs, IngestTraceID)
	}
	if want := "00-" + s.TraceID + "-" + s.SpanID + "-01"; !b.NoAttrs && m.Attrs[sender.AttrTraceParent] != want {
		t.Errorf("message traceparent %q, want %q", m.Attrs[sender.AttrTraceParent], want)
	}
}

package sendertest

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/sender"
	"github.com/hookhub/hookhub/sqlite"
	"github.com/hookhub/hookhub/tracing/tracingtest"
)

// Broker is what the suite needs of one event bus type.
type Broker struct {
	// Addr is the broker's host:port; the suite puts a Proxy before it.
	Addr string
	// Destination returns the settings of a destination that delivers to the
	// broker at addr under name: a subject, stream, queue or topic of the
	// test's own. Only the type and its settings object are read.
	Destination func(addr, name string) *hookhub.Destination
	// Prepare makes what name needs on the broker (a stream, a bound
	// queue); nil when nothing is needed.
	Prepare func(t *testing.T, name string)
	// Received returns the messages that have arrived under name so far.
	Received func(t *testing.T, name string) []Message
	// Outage, when set, replaces the proxy for brokers a proxy cannot stand
	// in front of (Kafka's clients connect to the addresses the cluster
	// advertises): it returns the address to deliver to and functions that
	// take the broker away and bring it back, ready for name again.
	Outage func(t *testing.T, name string) (addr string, down, up func())
	// NoAttrs says messages carry no ids (EventBridge entries): they are
	// told apart by their bodies, which are unique per event.
	NoAttrs bool
}

// Message is one message as a consumer read it.
type Message struct {
	Body []byte
	// Attrs are the ids and type as the message carries them, by the
	// sender.Attr* names.
	Attrs map[string]string
}

// Guard lets senders reach the local brokers, as an operator's outbound
// allowlist would.
func Guard() *netguard.Guard {
	return netguard.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")})
}

// Env is what an engine lends a sender, for tests that call Send directly.
func Env() sender.Env {
	g := Guard()
	return sender.Env{Guard: g, Transport: g.Transport(), UserAgent: "Hookhub/test", Logger: slog.New(slog.DiscardHandler)}
}

// Name returns a name no other test uses, safe as a subject, stream, queue
// or topic name.
func Name(t testing.TB) string {
	return "hh" + strings.ToLower(strings.TrimPrefix(hookhub.NewID("x"), "x_"))
}

// clock is the engine's clock, moved by hand so retry delays pass at once.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Hub is a SQLite store, a clock and a delivery engine under test.
type Hub struct {
	t     *testing.T
	Store hookhub.Store
	clock *clock
	Eng   *delivery.Engine
	// Spans records the engine's spans; every event Enqueue stores says
	// IngestTraceParent ingested it.
	Spans *tracingtest.Recorder
}

// IngestTraceParent is the trace context Enqueue's events were ingested
// under: the suite checks that messages carry their attempt's span in it.
const IngestTraceParent = "00-" + IngestTraceID + "-00f067aa0ba902b7-01"

// IngestTraceID is IngestTraceParent's trace.
const IngestTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"

// NewHub starts an engine that reads destinations afresh for every
// delivery, so that edits apply at once.
func NewHub(t *testing.T) *Hub {
	t.Helper()
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hookhub.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	h := &Hub{t: t, Store: s, clock: &clock{t: time.Now().UTC().Truncate(time.Second)}, Spans: tracingtest.NewRecorder(t)}
	h.Eng = delivery.New(delivery.Options{Store: s, Guard: Guard(), Now: h.clock.Now, Logger: slog.New(slog.DiscardHandler),
		PollInterval: 20 * time.Millisecond, DestinationTTL: time.Nanosecond, Tracer: h.Spans.Tracer()})
	h.Eng.Start(context.Background())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := h.Eng.Stop(ctx); err != nil {
			t.Errorf("stop engine: %v", err)
		}
		s.Close()
	})
	return h
}

// Create stores d, enabled, with retries a second apart.
func (h *Hub) Create(d *hookhub.Destination) *hookhub.Destination {
	h.t.Helper()
	d.ID, d.Name, d.Enabled = hookhub.NewID(hookhub.PrefixDestination), "bus", true
	d.Retry = hookhub.RetryPolicy{MaxRetries: 10, ScheduleSeconds: []int{1}}
	d.TimeoutSec = 10
	d.SetDefaults()
	if err := d.Validate(); err != nil {
		h.t.Fatalf("invalid destination: %v", err)
	}
	if err := h.Eng.CheckDestination(d); err != nil {
		h.t.Fatalf("destination refused: %v", err)
	}
	now := h.clock.Now()
	d.CreatedAt, d.UpdatedAt = now, now
	if err := h.Store.CreateDestination(context.Background(), d); err != nil {
		h.t.Fatal(err)
	}
	return d
}

// Enqueue stores n events of type order.created, each with a delivery to d
// due now, and wakes the engine.
func (h *Hub) Enqueue(d *hookhub.Destination, n int) []*hookhub.NewEvent {
	h.t.Helper()
	now := h.clock.Now()
	batch := make([]*hookhub.NewEvent, n)
	for i := range n {
		ev := &hookhub.Event{ID: hookhub.NewID(hookhub.PrefixEvent), Type: "order.created", Status: hookhub.EventAccepted,
			ReceivedAt: now, Verification: hookhub.VerificationResult{Result: hookhub.VerifyNone},
			TraceParent: IngestTraceParent}
		ev.Body = fmt.Appendf(nil, `{"n":%d,"event":%q,"order":{"id":"o-%d"}}`, i, ev.ID, i)
		dl := &hookhub.Delivery{ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID, DestinationID: d.ID,
			Status: hookhub.DeliveryPending, Trigger: hookhub.TriggerInitial, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
		batch[i] = &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{dl}}
	}
	if err := h.Store.SaveEvents(context.Background(), batch); err != nil {
		h.t.Fatal(err)
	}
	h.Eng.Notify()
	return batch
}

// Delivery reads a delivery.
func (h *Hub) Delivery(id string) *hookhub.Delivery {
	h.t.Helper()
	d, err := h.Store.GetDelivery(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// Attempts reads a delivery's attempts, newest first.
func (h *Hub) Attempts(id string) []*hookhub.Attempt {
	h.t.Helper()
	as, err := h.Store.ListAttempts(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return as
}

// WaitStatus waits until delivery id has status.
func (h *Hub) WaitStatus(id, status string) *hookhub.Delivery {
	h.t.Helper()
	var d *hookhub.Delivery
	Eventually(h.t, "delivery "+id+" "+status, func() bool {
		d = h.Delivery(id)
		return d.Status == status
	})
	return d
}

// RetryNow moves the clock past a one-second retry delay and wakes the engine.
func (h *Hub) RetryNow() {
	h.clock.advance(2 * time.Second)
	h.Eng.Notify()
}

// Eventually waits up to 15 s for cond.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

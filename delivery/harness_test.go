package delivery_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/secret"
	"github.com/hookhub/hookhub/signing"
	"github.com/hookhub/hookhub/sqlite"
)

// clock is a clock the test moves by hand, so retry delays pass at once.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

// newClock starts at the real time, so signature timestamps stay within the
// receivers' tolerance.
func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// logBuffer collects an engine's log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// hub is a store, a clock and an engine under test.
type hub struct {
	t     testing.TB
	store hookhub.Store
	clock *clock
	logs  *logBuffer
	eng   *delivery.Engine
}

func openSQLite(t testing.TB) hookhub.Store {
	t.Helper()
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hookhub.db"), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newHub starts an engine on a fresh SQLite store. The engine may reach
// 127.0.0.1, where the test receivers listen, and polls often so that tests
// which move the clock do not wait long.
func newHub(t testing.TB, opts ...func(*delivery.Options)) *hub {
	t.Helper()
	h := &hub{t: t, store: openSQLite(t), clock: newClock(), logs: &logBuffer{}}
	h.eng = h.start(opts...)
	return h
}

// start starts another engine on the hub's store and clock, stopped when the
// test ends.
func (h *hub) start(opts ...func(*delivery.Options)) *delivery.Engine {
	h.t.Helper()
	o := delivery.Options{
		Store:        h.store,
		Logger:       slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Guard:        netguard.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}),
		Now:          h.clock.Now,
		PollInterval: 20 * time.Millisecond,
	}
	for _, f := range opts {
		f(&o)
	}
	e := delivery.New(o)
	e.Start(context.Background())
	h.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := e.Stop(ctx); err != nil {
			h.t.Errorf("stop engine: %v", err)
		}
	})
	return e
}

// destination creates an enabled destination for url with a custom secret
// header, Standard Webhooks signing and three retries one second apart.
func (h *hub) destination(url string, mod ...func(*hookhub.Destination)) *hookhub.Destination {
	h.t.Helper()
	d := &hookhub.Destination{
		ID:      hookhub.NewID(hookhub.PrefixDestination),
		Name:    "receiver",
		URL:     url,
		Headers: map[string]string{"Authorization": "Bearer custom-secret"},
		Signing: hookhub.SigningConfig{Scheme: hookhub.SignStandardWebhooks, Secret: signing.NewSecret()},
		Retry:   hookhub.RetryPolicy{MaxRetries: 3, ScheduleSeconds: []int{1}},
		Enabled: true,
	}
	d.SetDefaults()
	for _, f := range mod {
		f(d)
	}
	now := h.clock.Now()
	d.CreatedAt, d.UpdatedAt = now, now
	if err := h.store.CreateDestination(context.Background(), d); err != nil {
		h.t.Fatal(err)
	}
	return d
}

// enqueue stores n published events, each with a delivery to dest due now, and
// wakes the engine.
func (h *hub) enqueue(dest *hookhub.Destination, n int) []*hookhub.Delivery {
	h.t.Helper()
	ds := h.save(dest, n, h.clock.Now(), hookhub.TriggerInitial)
	if h.eng != nil {
		h.eng.Notify()
	}
	return ds
}

// save stores n published events, each with a delivery to dest due at due.
func (h *hub) save(dest *hookhub.Destination, n int, due time.Time, trigger string) []*hookhub.Delivery {
	h.t.Helper()
	now := h.clock.Now()
	batch := make([]*hookhub.NewEvent, n)
	ds := make([]*hookhub.Delivery, n)
	for i := range n {
		ev := &hookhub.Event{
			ID: hookhub.NewID(hookhub.PrefixEvent), Type: "order.created", Status: hookhub.EventAccepted,
			ReceivedAt: now, Body: fmt.Appendf(nil, `{"n":%d}`, i),
			Verification: hookhub.VerificationResult{Result: hookhub.VerifyNone},
		}
		ds[i] = &hookhub.Delivery{
			ID: hookhub.NewID(hookhub.PrefixDelivery), EventID: ev.ID, DestinationID: dest.ID,
			Status: hookhub.DeliveryPending, Trigger: trigger, NextAttemptAt: due,
			CreatedAt: now, UpdatedAt: now,
		}
		batch[i] = &hookhub.NewEvent{Event: ev, Deliveries: []*hookhub.Delivery{ds[i]}}
	}
	if err := h.store.SaveEvents(context.Background(), batch); err != nil {
		h.t.Fatal(err)
	}
	return ds
}

func (h *hub) delivery(id string) *hookhub.Delivery {
	h.t.Helper()
	d, err := h.store.GetDelivery(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

func (h *hub) attempts(id string) []*hookhub.Attempt {
	h.t.Helper()
	as, err := h.store.ListAttempts(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return as
}

// waitAttempts waits until delivery id has n recorded attempts and returns it.
func (h *hub) waitAttempts(id string, n int) *hookhub.Delivery {
	h.t.Helper()
	var d *hookhub.Delivery
	eventually(h.t, fmt.Sprintf("%d attempts of %s", n, id), func() bool {
		d = h.delivery(id)
		return d.AttemptCount >= n
	})
	return d
}

// retryNow moves the clock past a one-second retry delay, with its jitter, and
// wakes the engine.
func (h *hub) retryNow() {
	h.clock.Advance(2 * time.Second)
	h.eng.Notify()
}

func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

package delivery_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
	"github.com/hookhub/hookhub/netguard"
	"github.com/hookhub/hookhub/postgres"
	"github.com/hookhub/hookhub/secret"
	"github.com/jackc/pgx/v5"
)

// Two engines on one database share the work: every delivery arrives, and no
// delivery is ever being sent by both at once.
func TestTwoEngines(t *testing.T) {
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		testTwoEngines(t, openSQLite(t))
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		testTwoEngines(t, openPostgres(t))
	})
}

func testTwoEngines(t *testing.T, store hookhub.Store) {
	var mu sync.Mutex
	inflight := make(map[string]bool)
	var overlaps int
	rc := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		id := r.Header.Get("X-Hookhub-Delivery")
		mu.Lock()
		if inflight[id] {
			overlaps++
		}
		inflight[id] = true
		mu.Unlock()
		time.Sleep(2 * time.Millisecond)
		mu.Lock()
		delete(inflight, id)
		mu.Unlock()
	})
	h := &hub{t: t, store: store, clock: newClock(), logs: &logBuffer{}}
	guard := netguard.New([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")})
	var sent [2]atomic.Int64
	engine := func(i int) func(*delivery.Options) {
		return func(o *delivery.Options) {
			// Few workers each: two engines' pools on a shared database
			// (PostgreSQL's default 100 connections, with other packages'
			// tests running beside this one) must not run it out.
			o.Workers, o.BatchSize = 4, 8
			o.Transport = countingTransport{guard.Transport(), &sent[i]}
		}
	}
	a, b := h.start(engine(0)), h.start(engine(1))
	dest := h.destination(rc.url(), func(d *hookhub.Destination) { d.MaxConcurrency = 32 })
	ds := h.save(dest, 500, h.clock.Now(), hookhub.TriggerInitial)
	a.Notify()
	b.Notify()

	eventually(t, "every delivery", func() bool { return rc.distinct() == len(ds) })
	for _, d := range ds {
		eventually(t, "success recorded", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })
	}
	if sent[0].Load() == 0 || sent[1].Load() == 0 {
		t.Errorf("engines sent %d and %d requests: one did all the work", sent[0].Load(), sent[1].Load())
	}
	mu.Lock()
	defer mu.Unlock()
	if overlaps != 0 {
		t.Errorf("%d deliveries were sent by both engines at once", overlaps)
	}
	if rc.total() != len(ds) {
		t.Errorf("%d requests for %d deliveries: some were sent twice", rc.total(), len(ds))
	}
}

// countingTransport counts the requests of one engine.
type countingTransport struct {
	rt http.RoundTripper
	n  *atomic.Int64
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.rt.RoundTrip(r)
}

// openPostgres creates a fresh database on HOOKHUB_TEST_POSTGRES_URL for one
// test and opens the store on it; it skips the test when the variable is unset.
func openPostgres(t *testing.T) hookhub.Store {
	t.Helper()
	base := os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("HOOKHUB_TEST_POSTGRES_URL is not set")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := "hookhub_delivery_" + randomHex(6)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	box, err := secret.NewBox(secret.NewRandomKey())
	if err != nil {
		t.Fatal(err)
	}
	s, err := postgres.Open(ctx, u.String(), box)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

package reliability

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// orderCheck is a receiver for an ordered destination. It fails the test
// when two requests of one key overlap, and keeps, per key, the order in
// which each event first arrived (a resend after a crash arrives again).
type orderCheck struct {
	mu       sync.Mutex
	inFlight map[string]int
	first    map[string][]int // key → n, first arrivals in order
	seen     map[string]bool  // "key/n"
	overlaps []string
	hold     time.Duration
}

func startOrderCheck(t *testing.T, hold time.Duration) (*orderCheck, string) {
	o := &orderCheck{inFlight: map[string]int{}, first: map[string][]int{}, seen: map[string]bool{}, hold: hold}
	srv := httptest.NewServer(o)
	t.Cleanup(srv.Close)
	return o, srv.URL
}

func (o *orderCheck) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m struct {
		K string `json:"k"`
		N int    `json:"n"`
	}
	if r.Header.Get("X-Hookhub-Event") != "order.updated" || json.NewDecoder(r.Body).Decode(&m) != nil {
		return // the ping
	}
	o.mu.Lock()
	if o.inFlight[m.K]++; o.inFlight[m.K] > 1 {
		o.overlaps = append(o.overlaps, fmt.Sprintf("key %s: n=%d arrived while another request of the key was open", m.K, m.N))
	}
	if id := fmt.Sprintf("%s/%d", m.K, m.N); !o.seen[id] {
		o.seen[id] = true
		o.first[m.K] = append(o.first[m.K], m.N)
	}
	o.mu.Unlock()
	time.Sleep(o.hold)
	o.mu.Lock()
	o.inFlight[m.K]--
	o.mu.Unlock()
}

func (o *orderCheck) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.seen)
}

// check fails t on any overlap, and on a key whose events first arrived out
// of the order they were published in.
func (o *orderCheck) check(t *testing.T, keys []string, perKey int) {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, e := range o.overlaps {
		t.Error(e)
	}
	for _, k := range keys {
		if got := o.first[k]; len(got) != perKey || !slices.IsSorted(got) {
			t.Errorf("key %s: first arrivals %v, want its %d events in order", k, got, perKey)
		}
	}
}

// TestOrderedDeliverySurvivesKillNine publishes events over four ordering
// keys to a fifo destination and kills a process with SIGKILL while
// deliveries are out. On SQLite the process restarts on its data; on
// PostgreSQL two processes share the database and the survivor takes over
// once the dead one's leases end. Either way no two requests of one key are
// ever open at once, and each key's events first arrive in the order they
// were published.
func TestOrderedDeliverySurvivesKillNine(t *testing.T) {
	needBinary(t)
	t.Run("sqlite", func(t *testing.T) { runOrderedKill(t, "", 1) })
	t.Run("postgres", func(t *testing.T) { runOrderedKill(t, freshDatabase(t), 2) })
}

func runOrderedKill(t *testing.T, databaseURL string, processes int) {
	base := newHubConfig(t, databaseURL)
	base.Lease = 4 * time.Second
	hubs := startTogether(t, base, 1)
	if processes > 1 {
		hubs = append(hubs, startTogether(t, base, processes-1)...)
	}
	o, url := startOrderCheck(t, 15*time.Millisecond)
	api := hubs[0].api()
	api.createDestination(t, "ordered", url, map[string]any{"ordering": "fifo", "ordering_key": "{{ event.payload.k }}"})

	keys := []string{"a", "b", "c", "d"}
	const perKey = 30
	publish := func(h *hub, i int) {
		t.Helper()
		body := map[string]any{"type": "order.updated", "payload": map[string]any{"k": keys[i%len(keys)], "n": i / len(keys)}}
		if _, err := h.api().do("POST", "/api/v1/events", body, nil); err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
	}
	total := perKey * len(keys)
	for i := range total / 2 {
		publish(hubs[i%len(hubs)], i)
	}
	// Kill while deliveries of every key are still queued or out.
	waitFor(t, 30*time.Second, "some deliveries", func() bool { return o.count() >= 8 })
	hubs[0].kill()
	if processes == 1 {
		hubs[0] = startHub(t, hubs[0].cfg)
	} else {
		hubs = hubs[1:]
	}
	for i := total / 2; i < total; i++ {
		publish(hubs[i%len(hubs)], i)
	}
	waitFor(t, 90*time.Second, "every event at the receiver", func() bool { return o.count() == total })
	o.check(t, keys, perKey)
}

package reliability

import (
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// reception is one request the counting receiver got.
type reception struct {
	at    time.Time
	epoch int64 // the suite's phase when it arrived (incremented at each kill)
}

// counter is a receiver that counts deliveries by delivery id
// (X-Hookhub-Delivery, also sent as webhook-id) and maps each to the load
// token in the event body. It notices one delivery arriving twice at once.
type counter struct {
	URL      string
	epoch    atomic.Int64
	maxDelay time.Duration // each answer waits a random time up to this

	mu       sync.Mutex
	byID     map[string][]reception
	tokenOf  map[string]string // delivery id → body token
	inFlight map[string]int
	overlaps int // a delivery id received while another request for it was open
	noID     int // requests without a delivery id
}

// startCounter listens on a free loopback port until the test ends.
func startCounter(t *testing.T, maxDelay time.Duration) *counter {
	t.Helper()
	c := &counter{maxDelay: maxDelay, byID: map[string][]reception{}, tokenOf: map[string]string{}, inFlight: map[string]int{}}
	c.URL = serve(t, c)
	return c
}

// serve runs h on a free loopback port until the test ends.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("X-Hookhub-Delivery")
	if id == "" || r.Header.Get("webhook-id") != id {
		c.mu.Lock()
		c.noID++
		c.mu.Unlock()
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var p struct{ Token string }
	json.Unmarshal(body, &p)
	c.mu.Lock()
	if c.inFlight[id] > 0 {
		c.overlaps++
	}
	c.inFlight[id]++
	c.byID[id] = append(c.byID[id], reception{at: time.Now(), epoch: c.epoch.Load()})
	c.tokenOf[id] = p.Token
	c.mu.Unlock()
	if c.maxDelay > 0 {
		time.Sleep(rand.N(c.maxDelay))
	}
	c.mu.Lock()
	c.inFlight[id]--
	c.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// tokens is the set of body tokens that arrived, and the number of
// deliveries that carried them.
func (c *counter) tokens() map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]bool, len(c.tokenOf))
	for _, tok := range c.tokenOf {
		out[tok] = true
	}
	return out
}

// tokenCounts is how many distinct deliveries carried each body token.
func (c *counter) tokenCounts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for _, tok := range c.tokenOf {
		out[tok]++
	}
	return out
}

// counts is what a run's report prints.
type counts struct {
	Deliveries int // distinct delivery ids received
	Requests   int // requests received in all
	Duplicates int // requests beyond the first per delivery id
	Overlaps   int
	NoID       int
}

func (c *counter) counts() counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := counts{Deliveries: len(c.byID), Overlaps: c.overlaps, NoID: c.noID}
	for _, rs := range c.byID {
		n.Requests += len(rs)
		n.Duplicates += len(rs) - 1
	}
	return n
}

// receptions returns a copy of every delivery id's receptions.
func (c *counter) receptions() map[string][]reception {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string][]reception, len(c.byID))
	for id, rs := range c.byID {
		out[id] = append([]reception(nil), rs...)
	}
	return out
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// receiver is the destination every Hookhub delivery goes to. It shares the
// two cores with Hookhub and the load generator, so it does as little as
// possible: it reads only the first bytes of a body (where the send time is),
// counts with atomics, and answers 200 with no body.
type receiver struct {
	srv     *http.Server
	URL     string // base URL, e.g. http://127.0.0.1:40000
	events  atomic.Int64
	other   atomic.Int64 // pings and anything else without a bench timestamp
	last    atomic.Int64 // unix nanos of the latest bench event
	first   atomic.Int64 // unix nanos of the first bench event since reset
	perPath []atomic.Int64

	// Latency is recorded only for events sent at or after latFrom (unix
	// nanos), so a run's warm-up is left out; 0 turns recording off.
	latFrom atomic.Int64
	mu      sync.Mutex
	lat     []time.Duration
}

// startReceiver listens on 127.0.0.1:0 with paths /r/0 … /r/(paths-1).
func startReceiver(paths int) (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("receiver: listen: %w", err)
	}
	rc := &receiver{URL: "http://" + ln.Addr().String(), perPath: make([]atomic.Int64, paths)}
	rc.srv = &http.Server{Handler: rc, ReadHeaderTimeout: 10 * time.Second, ErrorLog: nil}
	go func() {
		if err := rc.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logf("receiver stopped: %v", err)
		}
	}()
	return rc, nil
}

func (rc *receiver) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rc.srv.Shutdown(ctx)
}

// pathURL is the destination URL for path n.
func (rc *receiver) pathURL(n int) string { return rc.URL + "/r/" + strconv.Itoa(n) }

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now().UnixNano()
	var head [len(tsPrefix) + 19]byte
	n, _ := io.ReadFull(r.Body, head[:])
	sent, ok := sendTime(head[:n])
	if !ok {
		rc.other.Add(1)
		w.WriteHeader(http.StatusOK)
		return
	}
	rc.events.Add(1)
	rc.last.Store(now)
	rc.first.CompareAndSwap(0, now)
	if i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/r/")); err == nil && i >= 0 && i < len(rc.perPath) {
		rc.perPath[i].Add(1)
	}
	if from := rc.latFrom.Load(); from != 0 && sent >= from {
		rc.mu.Lock()
		rc.lat = append(rc.lat, time.Duration(now-sent))
		rc.mu.Unlock()
	}
	w.WriteHeader(http.StatusOK)
}

// sendTime reads the send time a bench body starts with.
func sendTime(head []byte) (int64, bool) {
	digits, ok := strings.CutPrefix(string(head), tsPrefix)
	if !ok || len(digits) != 19 {
		return 0, false
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	return v, err == nil
}

// reset clears the counters between phases of a scenario.
func (rc *receiver) reset() {
	rc.events.Store(0)
	rc.other.Store(0)
	rc.first.Store(0)
	rc.last.Store(0)
	for i := range rc.perPath {
		rc.perPath[i].Store(0)
	}
	rc.latFrom.Store(0)
	rc.mu.Lock()
	rc.lat = nil
	rc.mu.Unlock()
}

// latencies returns the recorded latencies, sorted.
func (rc *receiver) latencies() []time.Duration {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := slices.Clone(rc.lat)
	slices.Sort(out)
	return out
}

// waitFor waits until at least want bench events arrived, the timeout passes
// or nothing arrived for stall; it reports whether all arrived.
func (rc *receiver) waitFor(ctx context.Context, want int64, timeout, stall time.Duration) bool {
	deadline := time.Now().Add(timeout)
	lastN, lastChange := rc.events.Load(), time.Now()
	for {
		n := rc.events.Load()
		if n >= want {
			return true
		}
		if n != lastN {
			lastN, lastChange = n, time.Now()
		}
		if time.Now().After(deadline) || time.Since(lastChange) > stall || ctx.Err() != nil {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pathSpread is the fewest and most events any path received.
func (rc *receiver) pathSpread() (lo, hi int64) {
	for i := range rc.perPath {
		v := rc.perPath[i].Load()
		if i == 0 || v < lo {
			lo = v
		}
		hi = max(hi, v)
	}
	return lo, hi
}

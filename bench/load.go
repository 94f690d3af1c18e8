package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// loadSpec describes one run of the load generator.
type loadSpec struct {
	Conns    int
	Warmup   time.Duration // requests started before this are sent but not measured
	Duration time.Duration // measured window after the warm-up
	// Rate, when positive, paces requests open-loop at this many per second;
	// zero runs closed-loop, each connection sending as soon as its last
	// request is answered.
	Rate float64
	// MaxRequests, when positive, stops the run after this many requests have
	// been sent (used to fill a queue with an exact number of events).
	MaxRequests int64
	// Gate, when set, is asked before each closed-loop request; while it
	// returns false the worker waits. Fan-out uses it to keep the queue shallow.
	Gate func() bool
	// Accepted, when set, is the counter of 2xx answers, readable while the
	// run goes on (the gate uses it).
	Accepted *atomic.Int64
	// OnWindow is called once when the measured window opens and once when it
	// closes, with the edge's time, so a scenario can read the receiver's
	// counters at the same instants.
	OnWindow func(open bool, at time.Time)
	NewReq   func(now time.Time) (*http.Request, error)
}

// loadResult holds what the measured window saw. OK counts every 2xx
// including the warm-up, so a scenario knows how many events Hookhub accepted.
type loadResult struct {
	Window   time.Duration
	Measured int64 // requests started in the window and answered (any status)
	Errors   int64 // non-2xx answers and transport errors in the window
	Statuses map[int]int64
	FirstErr string
	OK       int64 // all 2xx answers, warm-up included
	Sent     int64 // all requests sent, warm-up included
	Dropped  int64 // open-loop slots skipped because every connection was busy
	Lat      []time.Duration
}

// RPS is answered requests per second in the measured window.
func (r *loadResult) RPS() float64 {
	if r.Window <= 0 {
		return 0
	}
	return float64(r.Measured-r.Errors) / r.Window.Seconds()
}

// newTransport gives each worker its own keep-alive connection: as many idle
// connections kept as workers, never more opened.
func newTransport(conns int) *http.Transport {
	return &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DisableCompression:  true,
		IdleConnTimeout:     90 * time.Second,
	}
}

// worker is one connection's state; samples are kept per worker so the hot
// path takes no lock.
type worker struct {
	lat      []time.Duration
	measured int64
	errors   int64
	statuses map[int]int64
	firstErr string
}

// runLoad drives spec against a server and returns the measured figures.
func runLoad(ctx context.Context, spec loadSpec) (*loadResult, error) {
	if spec.Conns <= 0 {
		return nil, fmt.Errorf("load: conns must be positive")
	}
	tr := newTransport(spec.Conns)
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	start := time.Now()
	winStart, winEnd := start.Add(spec.Warmup), start.Add(spec.Warmup+spec.Duration)
	// stop ends the sending of new requests; requests in flight finish, so
	// every request Hookhub may have committed is counted.
	stopCtx, stop := context.WithDeadline(ctx, winEnd)
	defer stop()
	var sent, dropped atomic.Int64
	ok := spec.Accepted
	if ok == nil {
		ok = new(atomic.Int64)
	}
	var slots chan time.Time // open loop: the intended time of each send
	if spec.Rate > 0 {
		slots = make(chan time.Time, max(int(spec.Rate), spec.Conns))
		go pace(stopCtx, spec.Rate, slots, &dropped)
	}
	go windowEvents(stopCtx, spec, winStart, winEnd)

	workers := make([]*worker, spec.Conns)
	var wg sync.WaitGroup
	for i := range workers {
		w := &worker{statuses: map[int]int64{}, lat: make([]time.Duration, 0, 1<<12)}
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				t0, more := waitTurn(stopCtx, spec, slots)
				if !more {
					return
				}
				if n := sent.Add(1); spec.MaxRequests > 0 && n > spec.MaxRequests {
					sent.Add(-1)
					stop()
					return
				}
				status, err := doOne(ctx, client, spec.NewReq, t0)
				if status/100 == 2 {
					ok.Add(1)
				}
				if !t0.Before(winStart) {
					w.record(status, err, time.Since(t0))
				}
			}
		}()
	}
	wg.Wait()
	dropped.Add(int64(len(slots))) // slots still waiting when the run ended were never sent
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("load: %w", err)
	}
	r := mergeWorkers(workers, ok, &sent, &dropped)
	// The window closes at the deadline, or earlier when MaxRequests ran out.
	end := time.Now()
	if end.After(winEnd) {
		end = winEnd
	}
	r.Window = end.Sub(winStart)
	return r, nil
}

// waitTurn blocks until the worker may send: a paced slot in open loop, the
// gate in closed loop. It returns the send time to stamp and measure from, or
// false when the run is over. In open loop that is the slot's intended time,
// so a Hookhub that makes the sender fall behind is charged for the wait
// (no coordinated omission).
func waitTurn(ctx context.Context, spec loadSpec, slots chan time.Time) (time.Time, bool) {
	if slots != nil {
		select {
		case t := <-slots:
			return t, true
		case <-ctx.Done():
			return time.Time{}, false
		}
	}
	for spec.Gate != nil && !spec.Gate() {
		select {
		case <-time.After(time.Millisecond):
		case <-ctx.Done():
			return time.Time{}, false
		}
	}
	return time.Now(), ctx.Err() == nil
}

func (w *worker) record(status int, err error, d time.Duration) {
	w.measured++
	w.lat = append(w.lat, d)
	if err != nil || status/100 != 2 {
		w.errors++
		w.statuses[status]++ // 0 stands for a transport error
		if w.firstErr == "" {
			if err != nil {
				w.firstErr = err.Error()
			} else {
				w.firstErr = "HTTP " + strconv.Itoa(status)
			}
		}
	}
}

func mergeWorkers(ws []*worker, ok, sent, dropped *atomic.Int64) *loadResult {
	r := &loadResult{Statuses: map[int]int64{}, OK: ok.Load(), Sent: sent.Load(), Dropped: dropped.Load()}
	n := 0
	for _, w := range ws {
		n += len(w.lat)
	}
	r.Lat = make([]time.Duration, 0, n)
	for _, w := range ws {
		r.Lat = append(r.Lat, w.lat...)
		r.Measured += w.measured
		r.Errors += w.errors
		for k, v := range w.statuses {
			r.Statuses[k] += v
		}
		if r.FirstErr == "" {
			r.FirstErr = w.firstErr
		}
	}
	slices.Sort(r.Lat)
	return r
}

// doOne sends one request and reads the whole answer so the connection is
// reused. A status of 0 means no answer.
func doOne(ctx context.Context, c *http.Client, newReq func(time.Time) (*http.Request, error), now time.Time) (int, error) {
	req, err := newReq(now)
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	resp, err := c.Do(req.WithContext(ctx))
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// pace releases one slot per 1/rate seconds, each carrying its intended send
// time. When every connection is busy and the buffer (a second's worth) is
// full, the slot is dropped and counted: the run then offered less than
// asked, which the report shows as achieved < offered.
func pace(ctx context.Context, rate float64, slots chan<- time.Time, dropped *atomic.Int64) {
	start := time.Now()
	interval := time.Duration(float64(time.Second) / rate)
	var issued int64
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			due := int64(now.Sub(start).Seconds() * rate)
			for ; issued < due; issued++ {
				select {
				case slots <- start.Add(time.Duration(issued) * interval):
				default:
					dropped.Add(1)
				}
			}
		}
	}
}

// windowEvents calls OnWindow at the window's edges with the edge's exact
// time, the one workers compare their send times to.
func windowEvents(ctx context.Context, spec loadSpec, winStart, winEnd time.Time) {
	if spec.OnWindow == nil {
		return
	}
	select {
	case <-time.After(time.Until(winStart)):
		spec.OnWindow(true, winStart)
	case <-ctx.Done():
		spec.OnWindow(true, winStart)
		spec.OnWindow(false, time.Now())
		return
	}
	select {
	case <-time.After(time.Until(winEnd)):
		spec.OnWindow(false, winEnd)
	case <-ctx.Done():
		spec.OnWindow(false, time.Now())
	}
}

// percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of sorted
// samples, or 0 when there are none.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(p/100*float64(n) + 0.999999999)
	rank = min(max(rank, 1), n)
	return sorted[rank-1]
}

// webhook builds GitHub-style signed push webhooks whose body starts with the
// send time, so the receiver can measure ingest-to-delivered latency from the
// first bytes alone.
type webhook struct {
	url    string
	secret []byte
	prefix string // makes delivery ids unique across runs: Hookhub dedupes them
	seq    atomic.Uint64
}

// bodySize is the size of every webhook body, as the issue asks.
const bodySize = 500

// tsPrefix opens every body; the receiver recognises bench events by it.
const tsPrefix = `{"bench_ts":`

func newWebhook(url, secret string) *webhook {
	b := make([]byte, 6)
	rand.Read(b)
	return &webhook{url: url, secret: []byte(secret), prefix: hex.EncodeToString(b)}
}

// body returns a 500-byte push payload; the timestamp is fixed-width (19
// digits covers unix nanoseconds until 2286) so every body is the same size.
func webhookBody(sentNanos int64, id string) []byte {
	b := make([]byte, 0, bodySize)
	b = append(b, tsPrefix...)
	b = append(b, fmt.Sprintf("%019d", sentNanos)...)
	b = append(b, `,"delivery":"`...)
	b = append(b, id...)
	b = append(b, `","ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246",`+
		`"after":"59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5","repository":{"id":1296269,`+
		`"full_name":"hookhub/bench","private":false},"pusher":{"name":"bench","email":"bench@example.com"},`+
		`"head_commit":{"message":"Bench push","author":{"name":"bench"}},"pad":"`...)
	for len(b) < bodySize-2 {
		b = append(b, 'x')
	}
	return append(b, `"}`...)
}

// NewReq builds one signed request stamped with now.
func (h *webhook) NewReq(now time.Time) (*http.Request, error) {
	id := h.prefix + "-" + strconv.FormatUint(h.seq.Add(1), 10)
	body := webhookBody(now.UnixNano(), id)
	mac := hmac.New(sha256.New, h.secret)
	mac.Write(body)
	req, err := http.NewRequest(http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "push")
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
	return req, nil
}

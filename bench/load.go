package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// loadSpec describes one run of the built-in load generator.
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
	// Targets are what the connections send: connection i sends to
	// Targets[i % len(Targets)], so several servers share the load evenly.
	Targets []loadTarget
}

// loadTarget is an HTTP/1.1 server and the requests sent to it.
type loadTarget interface {
	// hostPort is the address connections dial.
	hostPort() string
	// newSender returns a request builder for one connection: each call
	// appends one complete request (head and body) stamped with now to dst.
	// A builder is used by one goroutine only, so it may keep buffers.
	newSender() func(dst []byte, now time.Time) []byte
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

// worker is one connection's state; samples are kept per worker so the hot
// path takes no lock.
type worker struct {
	lat      []time.Duration
	measured int64
	errors   int64
	statuses map[int]int64
	firstErr string
}

// runLoad drives spec against its targets and returns the measured figures.
// Each worker owns one keep-alive connection and writes requests it builds
// into a reused buffer straight to the socket, reading the answers with a
// minimal HTTP/1.1 parser: net/http's client costs about as much CPU per
// request as the bare server it measures, which made the generator the
// bottleneck of the baseline.
func runLoad(ctx context.Context, spec loadSpec) (*loadResult, error) {
	if spec.Conns <= 0 || len(spec.Targets) == 0 {
		return nil, fmt.Errorf("load: conns and targets must be given")
	}
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
		t := spec.Targets[i%len(spec.Targets)]
		c := newRawConn(t.hostPort(), t.newSender())
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.close()
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
				status, err := c.do(ctx, t0)
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
	host   string // host:port
	path   string // request target, with the query if any
	secret []byte
	size   int    // body bytes
	prefix string // makes delivery ids unique across runs: Hookhub dedupes them
	seq    *atomic.Uint64
}

// defaultBodySize is the size of every webhook body unless --body-size says
// otherwise: a small GitHub push, the size the wrk runs used.
const defaultBodySize = 350

// minBodySize fits the payload's fields with a delivery id of up to 40 bytes.
const minBodySize = 300

// tsPrefix opens every body; the receiver recognises bench events by it.
const tsPrefix = `{"bench_ts":`

// newWebhook returns signed webhooks of size bytes to rawURL (http only).
func newWebhook(rawURL, secret string, size int) *webhook {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		panic(fmt.Sprintf("bench: webhook URL %q is not an http URL", rawURL))
	}
	b := make([]byte, 6)
	rand.Read(b)
	return &webhook{host: u.Host, path: u.RequestURI(), secret: []byte(secret), size: max(size, minBodySize),
		prefix: hex.EncodeToString(b), seq: new(atomic.Uint64)}
}

// to returns the same webhooks sent to another server (same path, secret
// and delivery-id sequence, so ids stay unique across both).
func (h *webhook) to(baseURL string) *webhook {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		panic(fmt.Sprintf("bench: base URL %q has no host", baseURL))
	}
	c := *h
	c.host = u.Host
	return &c
}

func (h *webhook) hostPort() string { return h.host }

// webhookBody appends a push payload of exactly size bytes (at least
// minBodySize) to dst; the timestamp is fixed-width (19 digits covers unix
// nanoseconds until 2286) and the rest is padding.
func webhookBody(dst []byte, sentNanos int64, id string, size int) []byte {
	start := len(dst)
	dst = append(dst, tsPrefix...)
	dst = appendPadded(dst, sentNanos, 19)
	dst = append(dst, `,"delivery":"`...)
	dst = append(dst, id...)
	dst = append(dst, `","ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246",`+
		`"after":"59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5","repository":{"id":1296269,`+
		`"full_name":"hookhub/bench"},"pusher":{"name":"bench"},"pad":"`...)
	for len(dst)-start < size-2 {
		dst = append(dst, 'x')
	}
	return append(dst, `"}`...)
}

// appendPadded appends v in decimal, zero-padded to width digits.
func appendPadded(dst []byte, v int64, width int) []byte {
	var b [20]byte
	s := strconv.AppendInt(b[:0], v, 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// nextID returns a delivery id no other request of this run carries.
func (h *webhook) nextID(dst []byte) []byte {
	dst = append(dst, h.prefix...)
	dst = append(dst, '-')
	return strconv.AppendUint(dst, h.seq.Add(1), 10)
}

// headBefore is the request head up to the delivery id; the Lua script of
// the wrk runs sends the same head.
func (h *webhook) headBefore() string {
	return "POST " + h.path + " HTTP/1.1\r\nHost: " + h.host +
		"\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: "
}

func (h *webhook) newSender() func([]byte, time.Time) []byte {
	mac := hmac.New(sha256.New, h.secret)
	head := h.headBefore()
	var body, id, sum []byte
	return func(dst []byte, now time.Time) []byte {
		id = h.nextID(id[:0])
		body = webhookBody(body[:0], now.UnixNano(), string(id), h.size)
		dst = append(dst, head...)
		dst = append(dst, id...)
		dst = appendSignature(dst, mac, body, &sum)
		return appendBody(dst, body)
	}
}

// appendSignature appends the X-Hub-Signature-256 header line of body.
func appendSignature(dst []byte, mac hash.Hash, body []byte, sum *[]byte) []byte {
	mac.Reset()
	mac.Write(body)
	*sum = mac.Sum((*sum)[:0])
	dst = append(dst, "\r\nX-Hub-Signature-256: sha256="...)
	return hex.AppendEncode(dst, *sum)
}

// appendBody ends the head with the body's length and appends the body.
func appendBody(dst, body []byte) []byte {
	dst = append(dst, "\r\nContent-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	dst = append(dst, "\r\n\r\n"...)
	return append(dst, body...)
}

// jsonPost is a target of unsigned JSON posts whose body is built from a
// sequence number shared by every connection.
type jsonPost struct {
	host, path string
	seq        atomic.Int64
	body       func(i int64) string
}

func newJSONPost(rawURL string, body func(i int64) string) *jsonPost {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		panic(fmt.Sprintf("bench: URL %q is not an http URL", rawURL))
	}
	return &jsonPost{host: u.Host, path: u.RequestURI(), body: body}
}

func (p *jsonPost) hostPort() string { return p.host }

func (p *jsonPost) newSender() func([]byte, time.Time) []byte {
	head := "POST " + p.path + " HTTP/1.1\r\nHost: " + p.host + "\r\nContent-Type: application/json"
	return func(dst []byte, _ time.Time) []byte {
		dst = append(dst, head...)
		return appendBody(dst, []byte(p.body(p.seq.Add(1)-1)))
	}
}

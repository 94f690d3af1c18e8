package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// hmacSecret signs every bench webhook; the source is created with it.
const hmacSecret = "bench-github-secret"

// shallowQueue bounds the deliveries queued but not yet received while the
// fan-out scenario ingests: deep enough that no worker waits for work, shallow
// enough that the rate is the empty-queue rate the backlog drain is compared to.
const shallowQueue = 5000

// bench runs the scenarios and collects their figures.
type bench struct {
	cfg config
	bin string
	tmp string
	rep *report
	// empty is the empty-queue delivery rate per store and the scenario it
	// came from, for the backlog comparison.
	empty map[string]emptyRate
}

type emptyRate struct {
	rate float64
	from string
}

func (b *bench) fig(scenario, store, name string, v float64, unit, base string, t *target) {
	b.rep.add(&figure{Scenario: scenario, Store: store, Name: name, Value: v, Unit: unit, base: base, Target: t})
}

// hubRun is one scenario's Hookhub and the store it runs on.
type hubRun struct {
	*hub
	store string
}

// withHub runs fn against a fresh Hookhub (own data directory, own database
// on PostgreSQL) and records the process's memory and CPU for the scenario.
func (b *bench) withHub(ctx context.Context, scenario, store string, fn func(h hubRun) error) error {
	dir, err := os.MkdirTemp(b.tmp, scenario+"-"+store+"-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	if !b.cfg.keep {
		// A backlog's SQLite file is large; free it before the next scenario.
		defer os.RemoveAll(dir)
	}
	opts := hubOptions{Bin: b.bin, Dir: dir, Workers: b.cfg.workers, Profiles: b.cfg.profileDir != ""}
	if store == "postgres" {
		url, drop, err := freshDatabase(ctx, b.cfg.databaseURL)
		if err != nil {
			return err
		}
		defer drop()
		opts.DatabaseURL = url
	}
	h, err := startHub(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		if n := h.logLines(); n > 0 {
			logf("  hookhub logged %d warn/error lines; last: %s", n, lastLine(h.logTail()))
		}
		if serr := h.stop(); serr != nil {
			logf("  %v", serr)
		}
	}()
	hw, self := watchProc(h.pid()), watchProc(os.Getpid())
	err = fn(hubRun{h, store})
	h.profs.Wait()
	hs, ss := hw.finish(), self.finish()
	// The kernel updates VmHWM lazily, so a sample can exceed it by a little.
	peak := max(hs.HWMMB, hs.MaxRSSMB)
	b.fig(scenario, store, "hookhub peak RSS (VmHWM)", peak, "MB", "", b.rssTarget(scenario))
	b.fig(scenario, store, "hookhub max sampled RSS", hs.MaxRSSMB, "MB", "", nil)
	b.fig(scenario, store, "hookhub CPU", hs.Cores, "cores", "", nil)
	b.fig(scenario, store, "bench CPU (load+receiver)", ss.Cores, "cores", "", nil)
	return err
}

// rssTarget applies the 150 MB ceiling to the scenarios it names.
func (b *bench) rssTarget(scenario string) *target {
	switch scenario {
	case "e2e", "latency", "backlog":
		return atMost(150)
	}
	return nil
}

func lastLine(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '\n' {
			return s[i+1:]
		}
	}
	return s
}

// profile records Hookhub's CPU profile for d from now into the profile
// directory, when one was asked for.
func (b *bench) profile(h hubRun, name string, d time.Duration) {
	if b.cfg.profileDir != "" {
		h.hub.profile(filepath.Join(b.cfg.profileDir, name+"-"+h.store+".pprof"), d)
	}
}

// profileWindow wraps an OnWindow callback to profile the measured window.
func (b *bench) profileWindow(h hubRun, name string, next func(bool, time.Time)) func(bool, time.Time) {
	return func(open bool, at time.Time) {
		if open {
			b.profile(h, name, b.cfg.duration)
		}
		if next != nil {
			next(open, at)
		}
	}
}

func (b *bench) spec() loadSpec {
	return loadSpec{Conns: b.cfg.conns, Warmup: b.cfg.warmup, Duration: b.cfg.duration}
}

// logLoad prints a load result's errors by status, which the table only counts.
func logLoad(what string, r *loadResult) {
	logf("  %s: %d sent, %d answered 2xx, %.0f req/s in window, p50 %.2f ms, p99 %.2f ms",
		what, r.Sent, r.OK, r.RPS(), ms(percentile(r.Lat, 50)), ms(percentile(r.Lat, 99)))
	if r.Errors > 0 {
		logf("  %s: %d errors in window by status (0 = no answer) %v; first: %s", what, r.Errors, r.Statuses, r.FirstErr)
	}
}

// runBaseline drives a bare net/http handler that reads the body and answers
// 202: the ceiling this machine and load generator allow.
func (b *bench) runBaseline(ctx context.Context) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("baseline: listen: %w", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusAccepted)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	self := watchProc(os.Getpid())
	spec := b.spec()
	spec.NewReq = newWebhook("http://"+ln.Addr().String()+"/hooks/bench", hmacSecret).NewReq
	res, err := runLoad(ctx, spec)
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	logLoad("baseline", res)
	const sc, st = "baseline", "net/http"
	b.fig(sc, st, "requests/s", res.RPS(), "req/s", "rate", nil)
	b.fig(sc, st, "latency p50", ms(percentile(res.Lat, 50)), "ms", "p50", nil)
	b.fig(sc, st, "latency p99", ms(percentile(res.Lat, 99)), "ms", "p99", nil)
	b.fig(sc, st, "errors (non-2xx)", float64(res.Errors), "count", "", nil)
	b.fig(sc, st, "bench CPU (load+server)", self.finish().Cores, "cores", "", nil)
	return nil
}

// runIngest sends signed webhooks to a source with no destinations: the cost
// of verifying and committing alone.
func (b *bench) runIngest(ctx context.Context, store string) error {
	return b.withHub(ctx, "ingest", store, func(h hubRun) error {
		url, err := h.createSource(ctx, "bench ingest", hmacSecret, nil)
		if err != nil {
			return err
		}
		spec := b.spec()
		spec.NewReq, spec.OnWindow = newWebhook(url, hmacSecret).NewReq, b.profileWindow(h, "ingest", nil)
		res, err := runLoad(ctx, spec)
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		logLoad("ingest", res)
		b.fig("ingest", store, "requests/s", res.RPS(), "req/s", "rate", baselineAtLeast(0.5))
		b.fig("ingest", store, "latency p50", ms(percentile(res.Lat, 50)), "ms", "p50", nil)
		b.fig("ingest", store, "latency p99", ms(percentile(res.Lat, 99)), "ms", "p99", atMost(20))
		b.fig("ingest", store, "errors (non-2xx)", float64(res.Errors), "count", "", atMost(0))
		return nil
	})
}

// pipeline is a source routed to n destinations on a fresh receiver.
type pipeline struct {
	rc    *receiver
	url   string // the source's ingest URL
	dests []string
}

func setupPipeline(ctx context.Context, h hubRun, n int) (*pipeline, error) {
	rc, err := startReceiver(n)
	if err != nil {
		return nil, err
	}
	p := &pipeline{rc: rc}
	for i := range n {
		id, err := h.createDestination(ctx, fmt.Sprintf("bench receiver %d", i), rc.pathURL(i))
		if err != nil {
			rc.close()
			return nil, err
		}
		p.dests = append(p.dests, id)
	}
	if p.url, err = h.createSource(ctx, "bench source", hmacSecret, p.dests); err != nil {
		rc.close()
		return nil, err
	}
	return p, nil
}

// window reads the receiver's count when the load's measured window opens
// and closes, giving the delivery rate over the same steady window.
type window struct {
	rc     *receiver
	c0, c1 int64
	t0, t1 time.Time
}

func (w *window) mark(open bool, _ time.Time) {
	// The count is read now, so the rate is taken over the time it is read
	// at, not the window's nominal edges.
	if open {
		w.c0, w.t0 = w.rc.events.Load(), time.Now()
	} else {
		w.c1, w.t1 = w.rc.events.Load(), time.Now()
	}
}

func (w *window) rate() float64 {
	if d := w.t1.Sub(w.t0).Seconds(); d > 0 {
		return float64(w.c1-w.c0) / d
	}
	return 0
}

// drain waits for want events at the receiver and reports how long it took.
func (b *bench) drain(ctx context.Context, rc *receiver, want int64) (time.Duration, bool) {
	start := time.Now()
	ok := rc.waitFor(ctx, want, b.cfg.drainTimeout, b.cfg.stall)
	return time.Since(start), ok
}

// runE2E ingests as fast as it can into one destination and measures the
// deliveries the receiver gets over the steady window, then lets the queue drain.
func (b *bench) runE2E(ctx context.Context, store string) error {
	return b.withHub(ctx, "e2e", store, func(h hubRun) error {
		p, err := setupPipeline(ctx, h, 1)
		if err != nil {
			return err
		}
		defer p.rc.close()
		w := &window{rc: p.rc}
		spec := b.spec()
		spec.NewReq, spec.OnWindow = newWebhook(p.url, hmacSecret).NewReq, b.profileWindow(h, "e2e", w.mark)
		res, err := runLoad(ctx, spec)
		if err != nil {
			return fmt.Errorf("e2e: %w", err)
		}
		logLoad("e2e ingest", res)
		queued := res.OK - p.rc.events.Load()
		took, ok := b.drain(ctx, p.rc, res.OK)
		logf("  e2e: %d accepted, %d delivered; queue after load %d drained in %.1fs (complete: %v)",
			res.OK, p.rc.events.Load(), queued, took.Seconds(), ok)
		goal := 10000.0
		if store == "postgres" {
			goal = 5000 // the PostgreSQL goal: events ingested and delivered
		}
		b.setEmpty(store, w.rate(), "e2e")
		b.fig("e2e", store, "deliveries/s (steady window)", w.rate(), "deliveries/s", "rate", atLeast(goal))
		b.fig("e2e", store, "ingest requests/s meanwhile", res.RPS(), "req/s", "rate", nil)
		b.fig("e2e", store, "ingest errors (non-2xx)", float64(res.Errors), "count", "", atMost(0))
		b.fig("e2e", store, "queued at end of load", float64(queued), "count", "", nil)
		b.fig("e2e", store, "drain time after load", took.Seconds(), "s", "", nil)
		b.fig("e2e", store, "undelivered after drain", float64(max(res.OK-p.rc.events.Load(), 0)), "count", "", atMost(0))
		return nil
	})
}

// runLatency offers events at a fixed rate, open loop, and measures the time
// from send to arrival at the receiver from the timestamp each body carries
// (Hookhub delivers the body it received, byte for byte).
func (b *bench) runLatency(ctx context.Context, store string) error {
	return b.withHub(ctx, "latency", store, func(h hubRun) error {
		p, err := setupPipeline(ctx, h, 1)
		if err != nil {
			return err
		}
		defer p.rc.close()
		w := &window{rc: p.rc}
		spec := b.spec()
		spec.Rate = b.cfg.rate
		spec.NewReq = newWebhook(p.url, hmacSecret).NewReq
		spec.OnWindow = b.profileWindow(h, "latency", func(open bool, at time.Time) {
			if open {
				p.rc.latFrom.Store(at.UnixNano())
			}
			w.mark(open, at)
		})
		res, err := runLoad(ctx, spec)
		if err != nil {
			return fmt.Errorf("latency: %w", err)
		}
		logLoad("latency ingest", res)
		took, ok := b.drain(ctx, p.rc, res.OK)
		lat := p.rc.latencies()
		missing := max(res.Measured-res.Errors-int64(len(lat)), 0)
		logf("  latency: %d measured events delivered, %d missing; drain %.1fs (complete: %v); %d slots dropped",
			len(lat), missing, took.Seconds(), ok, res.Dropped)
		const sc = "latency"
		b.fig(sc, store, "offered events/s", b.cfg.rate, "events/s", "", nil)
		b.fig(sc, store, "achieved ingest events/s", res.RPS(), "events/s", "rate", nil)
		b.fig(sc, store, "delivered events/s (window)", w.rate(), "events/s", "rate", nil)
		b.fig(sc, store, "ingest→delivered p50", ms(percentile(lat, 50)), "ms", "p50", nil)
		b.fig(sc, store, "ingest→delivered p99", ms(percentile(lat, 99)), "ms", "p99", atMost(100))
		b.fig(sc, store, "ingest→delivered max", ms(percentile(lat, 100)), "ms", "", nil)
		b.fig(sc, store, "ingest errors (non-2xx)", float64(res.Errors), "count", "", atMost(0))
		b.fig(sc, store, "undelivered", float64(missing), "count", "", atMost(0))
		return nil
	})
}

// runFanout routes one source to many destinations and measures deliveries
// at the receiver while the queue is kept shallow.
func (b *bench) runFanout(ctx context.Context, store string) error {
	return b.withHub(ctx, "fanout", store, func(h hubRun) error {
		n := b.cfg.fanout
		p, err := setupPipeline(ctx, h, n)
		if err != nil {
			return err
		}
		defer p.rc.close()
		w := &window{rc: p.rc}
		var accepted atomic.Int64
		spec := b.spec()
		spec.Accepted, spec.OnWindow = &accepted, b.profileWindow(h, "fanout", w.mark)
		spec.NewReq = newWebhook(p.url, hmacSecret).NewReq
		spec.Gate = func() bool { return accepted.Load()*int64(n)-p.rc.events.Load() < shallowQueue }
		res, err := runLoad(ctx, spec)
		if err != nil {
			return fmt.Errorf("fanout: %w", err)
		}
		logLoad("fanout ingest", res)
		lo, hi := p.rc.pathSpread()
		logf("  fanout: per destination %d..%d deliveries received", lo, hi)
		b.setEmpty(store, w.rate(), "fanout")
		b.fig("fanout", store, fmt.Sprintf("deliveries/s to %d destinations", n), w.rate(), "deliveries/s", "rate", nil)
		b.fig("fanout", store, "ingest events/s meanwhile", res.RPS(), "events/s", "rate", nil)
		b.fig("fanout", store, "ingest errors (non-2xx)", float64(res.Errors), "count", "", atMost(0))
		return nil
	})
}

// setEmpty records the empty-queue rate; fan-out wins over e2e because it has
// the backlog's shape (many destinations).
func (b *bench) setEmpty(store string, rate float64, from string) {
	if cur, ok := b.empty[store]; ok && cur.from == "fanout" {
		return
	}
	b.empty[store] = emptyRate{rate: rate, from: from}
}

// runBacklog queues N deliveries to paused destinations, resumes them and
// measures how fast the queue drains.
func (b *bench) runBacklog(ctx context.Context, store string) error {
	return b.withHub(ctx, "backlog", store, func(h hubRun) error {
		p, err := setupPipeline(ctx, h, b.cfg.fanout)
		if err != nil {
			return err
		}
		defer p.rc.close()
		for _, id := range p.dests {
			if err := h.setPaused(ctx, id, true); err != nil {
				return fmt.Errorf("backlog: %w (does this Hookhub have pause/resume?)", err)
			}
		}
		want, err := b.fillBacklog(ctx, h, p)
		if err != nil {
			return err
		}
		p.rc.reset()
		d, err := b.drainBacklog(ctx, h, p, want)
		if err != nil {
			return err
		}
		b.fig("backlog", store, "resume calls took", d.resumeTook.Seconds(), "s", "", nil)
		b.fig("backlog", store, "resume start → first delivery", d.firstAfter.Seconds(), "s", "", nil)
		b.fig("backlog", store, "drain time from resume start", d.took.Seconds(), "s", "", nil)
		b.fig("backlog", store, "drain deliveries/s (first→last)", d.overall, "deliveries/s", "rate", nil)
		b.fig("backlog", store, "drain deliveries/s (after all resumed)", d.steady, "deliveries/s", "rate", nil)
		b.fig("backlog", store, "undelivered at timeout", float64(max(want-d.got, 0)), "count", "", atMost(0))
		if e, ok := b.empty[store]; ok && e.rate > 0 {
			b.fig("backlog", store, "drain (after resume) ÷ empty-queue rate ("+e.from+")", d.steady/e.rate, "×", "", atLeast(0.8))
		} else {
			logf("  backlog: no empty-queue rate measured for %s in this run (run fanout or e2e too)", store)
		}
		if !d.complete && ctx.Err() == nil {
			return errors.New("backlog: queue did not drain before the timeout")
		}
		return nil
	})
}

// fillBacklog ingests enough events for --backlog deliveries to the paused
// destinations and returns how many deliveries are queued.
func (b *bench) fillBacklog(ctx context.Context, h hubRun, p *pipeline) (int64, error) {
	n := int64(len(p.dests))
	events := (int64(b.cfg.backlog) + n - 1) / n
	logf("  backlog: queueing %d events × %d paused destinations", events, n)
	spec := loadSpec{Conns: b.cfg.conns, Duration: b.cfg.fillTimeout, MaxRequests: events,
		NewReq: newWebhook(p.url, hmacSecret).NewReq}
	start := time.Now()
	res, err := runLoad(ctx, spec)
	if err != nil {
		return 0, fmt.Errorf("backlog fill: %w", err)
	}
	fill := time.Since(start)
	logLoad("backlog fill", res)
	if res.OK < events {
		logf("  backlog: only %d of %d events accepted within %s", res.OK, events, b.cfg.fillTimeout)
	}
	want := res.OK * n
	b.fig("backlog", h.store, "deliveries queued", float64(want), "count", "", nil)
	b.fig("backlog", h.store, "queue fill time", fill.Seconds(), "s", "", nil)
	b.fig("backlog", h.store, "fill events/s", float64(res.OK)/fill.Seconds(), "events/s", "rate", nil)
	b.fig("backlog", h.store, "delivered while paused", float64(p.rc.events.Load()), "count", "", atMost(0))
	return want, nil
}

// drained is how a backlog drained. Resuming moves each destination's held
// deliveries back into the queue, which takes a while with a deep queue, so
// the rate once every destination is resumed is reported apart.
type drained struct {
	resumeTook, firstAfter, took time.Duration
	got                          int64
	overall, steady              float64
	complete                     bool
}

func (b *bench) drainBacklog(ctx context.Context, h hubRun, p *pipeline, want int64) (drained, error) {
	var d drained
	resumed := time.Now()
	done := make(chan struct{})
	defer close(done)
	go progress(p.rc, want, done)
	b.profile(h, "backlog-drain", b.cfg.duration)
	for _, id := range p.dests {
		if err := h.setPaused(ctx, id, false); err != nil {
			return d, fmt.Errorf("backlog: %w", err)
		}
	}
	d.resumeTook = time.Since(resumed)
	atResumed := p.rc.events.Load()
	logf("  backlog: resuming %d destinations took %.1fs; %d delivered meanwhile", len(p.dests), d.resumeTook.Seconds(), atResumed)
	d.complete = p.rc.waitFor(ctx, want, b.cfg.drainTimeout, b.cfg.stall)
	d.got = p.rc.events.Load()
	first, last := time.Unix(0, p.rc.first.Load()), time.Unix(0, p.rc.last.Load())
	if d.got > 0 {
		d.firstAfter, d.took = first.Sub(resumed), last.Sub(resumed)
	}
	if s := last.Sub(first).Seconds(); d.got > 1 && s > 0 {
		d.overall = float64(d.got) / s
	}
	resumedAt := resumed.Add(d.resumeTook)
	if s := last.Sub(resumedAt).Seconds(); d.got > atResumed && s > 0 {
		d.steady = float64(d.got-atResumed) / s
	} else {
		d.steady = d.overall // everything arrived while resuming
	}
	logf("  backlog: %d of %d delivered %.1fs after resume started (complete: %v)", d.got, want, d.took.Seconds(), d.complete)
	return d, nil
}

// progress prints the drain rate every 10 s, so a long drain shows whether it
// speeds up or slows down as the queue shrinks.
func progress(rc *receiver, want int64, done <-chan struct{}) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	prev, prevT := rc.events.Load(), time.Now()
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			cur := rc.events.Load()
			logf("  backlog: %d/%d delivered, %.0f/s over the last %.0fs", cur, want,
				float64(cur-prev)/now.Sub(prevT).Seconds(), now.Sub(prevT).Seconds())
			prev, prevT = cur, now
		}
	}
}

package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
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
	wrk *wrkTool // nil: the built-in generator drives every scenario
	// empty is the empty-queue delivery rate per store and the scenario it
	// came from, for the backlog comparison.
	empty map[string]emptyRate
	// e2eRate is the e2e scenario's webhook delivery rate per store, which
	// the bus scenario is set beside.
	e2eRate map[string]float64
}

type emptyRate struct {
	rate float64
	from string
}

// fig records a figure; one with a baseline to compare to was driven by the
// built-in generator.
func (b *bench) fig(scenario, store, name string, v float64, unit, base string, t *target) {
	load := ""
	if base != "" {
		load = genBuiltin
	}
	b.figG(load, scenario, store, name, v, unit, base, t)
}

// figG records a figure driven by the named load generator.
func (b *bench) figG(load, scenario, store, name string, v float64, unit, base string, t *target) {
	b.rep.add(&figure{Scenario: scenario, Store: store, Load: load, Name: name, Value: v, Unit: unit, base: base, Target: t})
}

// hook is the bench's signed webhook to url.
func (b *bench) hook(url string) *webhook { return newWebhook(url, hmacSecret, b.cfg.bodySize) }

// hubRun is one scenario's Hookhub and the store it runs on.
type hubRun struct {
	*hub
	store string
}

// withHub runs fn against a fresh Hookhub (own data directory, own database
// on PostgreSQL) and records the process's memory and CPU for the scenario.
func (b *bench) withHub(ctx context.Context, scenario, store string, fn func(h hubRun) error) error {
	return b.withHubs(ctx, scenario, store, 1, "", func(hs []hubRun) error { return fn(hs[0]) })
}

// withHubs runs fn against n fresh Hookhub processes sharing one store (n > 1
// only on PostgreSQL) and records their memory (the largest process's peak)
// and CPU (all processes together); suffix ends the figures' names.
func (b *bench) withHubs(ctx context.Context, scenario, store string, n int, suffix string, fn func(hs []hubRun) error) error {
	return b.withHubsEnv(ctx, scenario, store, n, suffix, nil, fn)
}

// withHubsEnv is withHubs with env added to every process's environment.
func (b *bench) withHubsEnv(ctx context.Context, scenario, store string, n int, suffix string, env []string, fn func(hs []hubRun) error) error {
	dir, err := os.MkdirTemp(b.tmp, scenario+"-"+store+"-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	if !b.cfg.keep {
		// A backlog's SQLite file is large; free it before the next scenario.
		defer os.RemoveAll(dir)
	}
	opts := hubOptions{Bin: b.bin, Workers: b.cfg.workers, Profiles: b.cfg.profileDir != "", Env: env}
	if n > 1 {
		k := make([]byte, 32)
		rand.Read(k)
		opts.SecretKey = base64.StdEncoding.EncodeToString(k)
	}
	if store == "postgres" {
		url, drop, err := freshDatabase(ctx, b.postgresURL())
		if err != nil {
			return err
		}
		defer drop()
		opts.DatabaseURL = url
	} else if n > 1 {
		return fmt.Errorf("%s: several Hookhub processes share a store only on PostgreSQL", scenario)
	}
	var hubs []hubRun
	defer func() {
		for _, h := range hubs {
			if n := h.logLines(); n > 0 {
				note := ""
				if b.wrk != nil {
					note = " (wrk drops the requests in flight when a run ends, which Hookhub logs as failed)"
				}
				logf("  hookhub logged %d warn/error lines%s; last: %s", n, note, lastLine(h.logTail()))
			}
			if serr := h.stop(); serr != nil {
				logf("  %v", serr)
			}
		}
	}()
	for i := range n {
		opts.Dir = filepath.Join(dir, strconv.Itoa(i))
		if err := os.Mkdir(opts.Dir, 0o755); err != nil {
			return fmt.Errorf("temp dir: %w", err)
		}
		h, err := startHub(ctx, opts)
		if err != nil {
			return err
		}
		opts.APIKey = h.key   // the first one bootstrapped the database with it
		opts.Profiles = false // profiles are of the first process only
		hubs = append(hubs, hubRun{h, store})
	}
	var watches []*procWatch
	for _, h := range hubs {
		watches = append(watches, watchProc(h.pid()))
	}
	self := watchProc(os.Getpid())
	err = fn(hubs)
	var peak, sampled, cores float64
	for i, w := range watches {
		hubs[i].profs.Wait()
		hs := w.finish()
		// The kernel updates VmHWM lazily, so a sample can exceed it by a little.
		peak, sampled, cores = max(peak, hs.HWMMB, hs.MaxRSSMB), max(sampled, hs.MaxRSSMB), cores+hs.Cores
	}
	ss := self.finish()
	b.fig(scenario, store, "hookhub peak RSS (VmHWM)"+suffix, peak, "MB", "", b.rssTarget(scenario))
	b.fig(scenario, store, "hookhub max sampled RSS"+suffix, sampled, "MB", "", nil)
	b.fig(scenario, store, "hookhub CPU"+suffix, cores, "cores", "", nil)
	b.fig(scenario, store, "bench CPU (built-in load+receiver)"+suffix, ss.Cores, "cores", "", nil)
	return err
}

// postgresURL is the database the PostgreSQL runs create theirs next to.
func (b *bench) postgresURL() string {
	if b.cfg.databaseURL != "" {
		return b.cfg.databaseURL
	}
	return os.Getenv("HOOKHUB_TEST_POSTGRES_URL")
}

// rssTarget applies the 150 MB ceiling to the scenarios it names.
func (b *bench) rssTarget(scenario string) *target {
	switch scenario {
	case "ingest", "e2e", "latency", "backlog", "scaleout":
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
// 202, in a process of its own: the ceiling this machine allows. With wrk it
// is measured twice, by wrk (the base of every ratio) and by the built-in
// generator (how close that one comes, which bounds the scenarios it drives).
func (b *bench) runBaseline(ctx context.Context) error {
	srv, err := startBaseline(ctx)
	if err != nil {
		return err
	}
	defer srv.stop()
	url := "http://" + srv.addr + "/hooks/bench"
	if b.wrk != nil {
		sw := watchProc(srv.pid())
		o, err := b.wrkLoad(ctx, []*webhook{b.hook(url)}, nil)
		if err != nil {
			return fmt.Errorf("baseline (wrk): %w", err)
		}
		logOutcome("baseline", o)
		b.baselineFigs(o, sw.finish().Cores)
	}
	sw, self := watchProc(srv.pid()), watchProc(os.Getpid())
	spec := b.spec()
	spec.Targets = []loadTarget{b.hook(url)}
	res, err := runLoad(ctx, spec)
	if err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	logLoad("baseline (built-in)", res)
	b.baselineFigs(&loadOutcome{Gen: genBuiltin, RPS: res.RPS(), P50: percentile(res.Lat, 50), P99: percentile(res.Lat, 99),
		Errors: res.Errors, GenCores: self.finish().Cores}, sw.finish().Cores)
	return nil
}

func (b *bench) baselineFigs(o *loadOutcome, serverCores float64) {
	const sc, st = "baseline", "net/http"
	b.figG(o.Gen, sc, st, "requests/s", o.RPS, "req/s", "rate", nil)
	b.figG(o.Gen, sc, st, "latency p50", ms(o.P50), "ms", "p50", nil)
	b.figG(o.Gen, sc, st, "latency p99", ms(o.P99), "ms", "p99", nil)
	b.figG(o.Gen, sc, st, "errors (non-2xx)", float64(o.Errors), "count", "", nil)
	b.figG(o.Gen, sc, st, "server CPU", serverCores, "cores", "", nil)
	b.figG(o.Gen, sc, st, "load generator CPU", o.GenCores, "cores", "", nil)
}

// runIngest sends signed webhooks to a source with no destinations: the cost
// of verifying and committing alone.
func (b *bench) runIngest(ctx context.Context, store string) error {
	return b.withHub(ctx, "ingest", store, func(h hubRun) error {
		url, err := h.createSource(ctx, "bench ingest", hmacSecret, nil)
		if err != nil {
			return err
		}
		o, err := b.fullLoad(ctx, []*webhook{b.hook(url)}, b.profileWindow(h, "ingest", nil))
		if err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		logOutcome("ingest", o)
		b.ingestFigs("ingest", store, o, baselineAtLeast(0.5), atMost(20))
		return nil
	})
}

// ingestFigs records an ingest run's figures, with the targets for
// the rate and p99 (nil: none).
func (b *bench) ingestFigs(sc, store string, o *loadOutcome, rate, p99 *target) {
	b.figG(o.Gen, sc, store, "requests/s (no destination)", o.RPS, "req/s", "rate", rate)
	b.figG(o.Gen, sc, store, "latency p50", ms(o.P50), "ms", "p50", nil)
	b.figG(o.Gen, sc, store, fmt.Sprintf("latency p99 (%d connections)", o.Conns), ms(o.P99), "ms", "p99", p99)
	b.figG(o.Gen, sc, store, "errors (non-2xx)", float64(o.Errors), "count", "", atMost(0))
	b.genCPU(o, sc, store, "")
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
// deliveries the receiver gets over the steady window, then lets the queue
// drain. Its ingest rate is "ingest with one destination".
func (b *bench) runE2E(ctx context.Context, store string) error {
	return b.withHub(ctx, "e2e", store, func(h hubRun) error {
		p, err := setupPipeline(ctx, h, 1)
		if err != nil {
			return err
		}
		defer p.rc.close()
		w := &window{rc: p.rc}
		o, err := b.fullLoad(ctx, []*webhook{b.hook(p.url)}, b.profileWindow(h, "e2e", w.mark))
		if err != nil {
			return fmt.Errorf("e2e: %w", err)
		}
		logOutcome("e2e ingest", o)
		b.e2eFigs(ctx, "e2e", store, "", p.rc, w, o, e2eGoal(store))
		return nil
	})
}

// genCPU records wrk's CPU; the built-in generator's is the bench CPU figure.
func (b *bench) genCPU(o *loadOutcome, sc, store, suffix string) {
	if o.Gen == genWrk {
		b.figG(o.Gen, sc, store, "wrk CPU"+suffix, o.GenCores, "cores", "", nil)
	}
}

// e2eGoal is the end-to-end target per store.
func e2eGoal(store string) float64 {
	if store == "postgres" {
		return 8000
	}
	return 10000
}

// e2eFigs drains the queue after an end-to-end load and records its figures.
func (b *bench) e2eFigs(ctx context.Context, sc, store, suffix string, rc *receiver, w *window, o *loadOutcome, goal float64) {
	queued := o.OK - rc.events.Load()
	took, ok := b.drain(ctx, rc, o.OK)
	logf("  %s: %d accepted, %d delivered; queue after load %d drained in %.1fs (complete: %v)",
		sc, o.OK, rc.events.Load(), queued, took.Seconds(), ok)
	if sc == "e2e" {
		b.setEmpty(store, w.rate(), "e2e")
		b.e2eRate[store] = w.rate()
	}
	// A goal of 0 leaves both targets out (scale-out reports growth only).
	var deliveries, ingest *target
	if goal > 0 {
		deliveries, ingest = atLeast(goal), baselineAtLeast(0.3)
	}
	b.figG(o.Gen, sc, store, "deliveries/s (steady window)"+suffix, w.rate(), "deliveries/s", "rate", deliveries)
	b.figG(o.Gen, sc, store, "ingest requests/s meanwhile (one destination)"+suffix, o.RPS, "req/s", "rate", ingest)
	b.figG(o.Gen, sc, store, "ingest latency p99 meanwhile"+suffix, ms(o.P99), "ms", "p99", nil)
	b.figG(o.Gen, sc, store, "ingest errors (non-2xx)"+suffix, float64(o.Errors), "count", "", atMost(0))
	b.genCPU(o, sc, store, suffix)
	b.figG("", sc, store, "queued at end of load"+suffix, float64(max(queued, 0)), "count", "", nil)
	b.figG("", sc, store, "drain time after load"+suffix, took.Seconds(), "s", "", nil)
	b.figG("", sc, store, "undelivered after drain"+suffix, float64(max(o.OK-rc.events.Load(), 0)), "count", "", atMost(0))
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
		spec.Targets = []loadTarget{b.hook(p.url)}
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
		spec.Targets = []loadTarget{b.hook(p.url)}
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
		Targets: []loadTarget{b.hook(p.url)}}
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

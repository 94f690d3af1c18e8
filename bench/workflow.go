package main

import (
	"context"
	"fmt"
	"time"
)

// syncWorkflow answers each webhook from a respond node after a condition on
// its body: seed 002's shape. Its trigger verifies the same GitHub
// signature the ingest scenario's source does.
func syncWorkflow() map[string]any {
	return map[string]any{
		"name":    "bench sync",
		"trigger": map[string]any{"mode": "sync", "auth": map[string]any{"scheme": "github", "secret": hmacSecret}},
		"start":   "check",
		"nodes": []map[string]any{
			{"id": "check", "type": "condition", "expression": "trigger.body.ref == 'refs/heads/main'", "then": "ok", "else": "no"},
			{"id": "ok", "type": "respond", "status": 200, "body": `{"ok": true, "delivery": "{{ trigger.body.delivery }}", "after": {{ trigger.body.after }}}`},
			{"id": "no", "type": "respond", "status": 422, "body": `{"ok": false}`},
		},
	}
}

// asyncWorkflow is answered at commit; each run checks the body and calls
// the receiver with an HTTP request whose body starts with the webhook's
// send time, so the receiver counts finished runs and their latency.
func asyncWorkflow(url string) map[string]any {
	return map[string]any{
		"name":    "bench async",
		"trigger": map[string]any{"auth": map[string]any{"scheme": "github", "secret": hmacSecret}},
		"start":   "check",
		"nodes": []map[string]any{
			{"id": "check", "type": "condition", "expression": "trigger.body.ref == 'refs/heads/main'", "then": "call", "else": "skip"},
			{"id": "call", "type": "http_request", "url": url,
				"body": `{"bench_ts":{{ trigger.body.bench_ts }},"delivery":"{{ trigger.body.delivery }}"}`},
			{"id": "skip", "type": "transform", "output": `{}`},
		},
	}
}

// createWorkflow makes a workflow and returns its URL.
func (h *hub) createWorkflow(ctx context.Context, def map[string]any) (string, error) {
	var out struct {
		URL string `json:"url"`
	}
	if err := h.api(ctx, "POST", "/api/v1/workflows", def, &out); err != nil {
		return "", fmt.Errorf("create workflow: %w", err)
	}
	return out.URL, nil
}

// runWorkflow measures workflow runs per second: sync runs, each answered by
// its respond node (the requests/s are the runs/s), then async runs, answered
// at commit and counted when they call the receiver.
func (b *bench) runWorkflow(ctx context.Context, store string) error {
	return b.withHub(ctx, "workflow", store, func(h hubRun) error {
		if err := b.runSyncWorkflow(ctx, h); err != nil {
			return err
		}
		return b.runAsyncWorkflow(ctx, h)
	})
}

func (b *bench) runSyncWorkflow(ctx context.Context, h hubRun) error {
	url, err := h.createWorkflow(ctx, syncWorkflow())
	if err != nil {
		return err
	}
	spec := b.spec()
	spec.Targets, spec.OnWindow = []loadTarget{b.hook(url)}, b.profileWindow(h, "workflow-sync", nil)
	res, err := runLoad(ctx, spec)
	if err != nil {
		return fmt.Errorf("sync workflow: %w", err)
	}
	logLoad("sync workflow", res)
	const sc = "workflow"
	b.fig(sc, h.store, "sync runs/s (answered by a respond node)", res.RPS(), "runs/s", "rate", nil)
	b.fig(sc, h.store, "sync latency p50", ms(percentile(res.Lat, 50)), "ms", "p50", nil)
	b.fig(sc, h.store, "sync latency p99", ms(percentile(res.Lat, 99)), "ms", "p99", nil)
	b.fig(sc, h.store, "sync errors (non-2xx)", float64(res.Errors), "count", "", atMost(0))
	return nil
}

func (b *bench) runAsyncWorkflow(ctx context.Context, h hubRun) error {
	rc, err := startReceiver(1)
	if err != nil {
		return err
	}
	defer rc.close()
	url, err := h.createWorkflow(ctx, asyncWorkflow(rc.pathURL(0)))
	if err != nil {
		return err
	}
	w := &window{rc: rc}
	spec := b.spec()
	spec.Targets = []loadTarget{b.hook(url)}
	spec.OnWindow = b.profileWindow(h, "workflow-async", func(open bool, at time.Time) {
		if open {
			rc.latFrom.Store(at.UnixNano())
		}
		w.mark(open, at)
	})
	res, err := runLoad(ctx, spec)
	if err != nil {
		return fmt.Errorf("async workflow: %w", err)
	}
	logLoad("async workflow", res)
	queued := res.OK - rc.events.Load()
	took, ok := b.drain(ctx, rc, res.OK)
	lat := rc.latencies()
	logf("  async workflow: %d accepted, %d runs called the receiver; %d left at end of load, done in %.1fs (complete: %v)",
		res.OK, rc.events.Load(), queued, took.Seconds(), ok)
	const sc = "workflow"
	b.fig(sc, h.store, "async requests/s (answered at commit)", res.RPS(), "req/s", "rate", nil)
	b.fig(sc, h.store, "async runs/s finished (steady window)", w.rate(), "runs/s", "rate", nil)
	b.fig(sc, h.store, "async webhook → run's request p50", ms(percentile(lat, 50)), "ms", "p50", nil)
	b.fig(sc, h.store, "async webhook → run's request p99", ms(percentile(lat, 99)), "ms", "p99", nil)
	b.fig(sc, h.store, "async errors (non-2xx)", float64(res.Errors), "count", "", atMost(0))
	b.fig(sc, h.store, "async runs left at end of load", float64(max(queued, 0)), "count", "", nil)
	b.fig(sc, h.store, "async runs unfinished after drain", float64(max(res.OK-rc.events.Load(), 0)), "count", "", atMost(0))
	return nil
}

package main

import (
	"context"
	"fmt"
)

// orderedVariants are the fifo destinations the ordered scenario measures:
// every event on one key, and events spread over 1000 keys (the load's
// per-event sequence number, modulo 1000).
var orderedVariants = []struct{ scenario, key string }{
	{"ordered-1key", ""},
	{"ordered-1000keys", `{{ int(event.payload.delivery.split("-")[1]) % 1000 }}`},
}

// runOrdered measures ordered delivery as e2e measures the concurrent
// default: ingest as fast as it can into one destination, now fifo, and
// count deliveries over the steady window. One key sends one request at a
// time, so its queue grows without bound under this load; the destination
// is deleted afterwards rather than drained.
func (b *bench) runOrdered(ctx context.Context, store string) error {
	for _, v := range orderedVariants {
		err := b.withHub(ctx, v.scenario, store, func(h hubRun) error { return b.orderedOnce(ctx, h, v.scenario, v.key) })
		if err != nil {
			return err
		}
	}
	return nil
}

func (b *bench) orderedOnce(ctx context.Context, h hubRun, scenario, key string) error {
	p, err := setupPipeline(ctx, h, 1)
	if err != nil {
		return err
	}
	defer p.rc.close()
	in := map[string]any{"ordering": "fifo", "ordering_key": key}
	if err := h.api(ctx, "PATCH", "/api/v1/destinations/"+p.dests[0], in, nil); err != nil {
		return fmt.Errorf("make the destination fifo: %w", err)
	}
	w := &window{rc: p.rc}
	spec := b.spec()
	spec.Targets, spec.OnWindow = []loadTarget{b.hook(p.url)}, b.profileWindow(h, scenario, w.mark)
	res, err := runLoad(ctx, spec)
	if err != nil {
		return fmt.Errorf("%s: %w", scenario, err)
	}
	logLoad(scenario+" ingest", res)
	logf("  %s: %d accepted, %d delivered during the load", scenario, res.OK, p.rc.events.Load())
	b.fig(scenario, h.store, "deliveries/s (steady window)", w.rate(), "deliveries/s", "rate", nil)
	b.fig(scenario, h.store, "ingest requests/s meanwhile", res.RPS(), "req/s", "rate", nil)
	b.fig(scenario, h.store, "ingest errors (non-2xx)", float64(res.Errors), "count", "", atMost(0))
	if err := h.api(ctx, "DELETE", "/api/v1/destinations/"+p.dests[0], nil, nil); err != nil {
		return fmt.Errorf("delete the destination: %w", err)
	}
	return nil
}

package main

import (
	"context"
	"fmt"

	"github.com/hookhub/hookhub/tracing/tracingtest"
)

// runTracing measures what tracing costs ingest: the ingest scenario on a
// fresh Hookhub with tracing off (no OTEL_* variable, Hookhub's default),
// then on another with every request traced and exported over OTLP/HTTP to
// a local collector that discards what it gets. The SDK's batching is left
// at its defaults (OTEL_BSP_*), as an operator would run it.
func (b *bench) runTracing(ctx context.Context, store string) error {
	col := tracingtest.NewDiscard()
	defer col.Close()
	modes := []struct {
		name string
		env  []string
	}{
		{"off", nil},
		{"on", []string{"OTEL_EXPORTER_OTLP_ENDPOINT=" + col.Endpoint(), "OTEL_TRACES_SAMPLER=always_on"}},
	}
	for _, m := range modes {
		suffix := " (tracing " + m.name + ")"
		err := b.withHubsEnv(ctx, "tracing", store, 1, suffix, m.env, func(hs []hubRun) error {
			h := hs[0]
			url, err := h.createSource(ctx, "bench tracing", hmacSecret, nil)
			if err != nil {
				return err
			}
			o, err := b.fullLoad(ctx, []*webhook{b.hook(url)}, b.profileWindow(h, "tracing-"+m.name, nil))
			if err != nil {
				return fmt.Errorf("tracing %s: %w", m.name, err)
			}
			logOutcome("ingest, tracing "+m.name, o)
			b.figG(o.Gen, "tracing", store, "requests/s"+suffix, o.RPS, "req/s", "", nil)
			b.figG(o.Gen, "tracing", store, "latency p50"+suffix, ms(o.P50), "ms", "", nil)
			b.figG(o.Gen, "tracing", store, fmt.Sprintf("latency p99%s (%d connections)", suffix, o.Conns), ms(o.P99), "ms", "", nil)
			b.figG(o.Gen, "tracing", store, "errors (non-2xx)"+suffix, float64(o.Errors), "count", "", atMost(0))
			b.genCPU(o, "tracing", store, suffix)
			return nil
		})
		if err != nil {
			return err
		}
	}
	// Read after the traced process stopped, so its last batch is in.
	b.fig("tracing", store, "spans the collector received (tracing on)", float64(col.Count()), "count", "", nil)
	b.fig("tracing", store, "OTLP export requests (tracing on)", float64(col.Exports()), "count", "", nil)
	return nil
}

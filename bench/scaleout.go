package main

import (
	"context"
	"fmt"
)

// runScaleout measures 1, 2, 3… Hookhub processes sharing one PostgreSQL
// database, the load split evenly across them (one wrk process, or an equal
// share of the built-in generator's connections, per Hookhub): ingest with
// no destination, then end to end with one destination, each on a fresh
// database and fresh processes. Deliveries are claimed by whichever process
// gets to them first; the receiver counts them all.
func (b *bench) runScaleout(ctx context.Context) error {
	if b.postgresURL() == "" {
		logf("scaleout: skipped: it runs on PostgreSQL only (--database-url or HOOKHUB_TEST_POSTGRES_URL)")
		return nil
	}
	ingest, e2e := map[int]float64{}, map[int]float64{}
	for _, n := range b.cfg.scaleout {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		logf("scaleout on postgres: %d Hookhub process(es), ingest", n)
		err := b.withHubs(ctx, "scaleout", "postgres", n, fmt.Sprintf(", ingest, %s", procs(n)), func(hs []hubRun) error {
			url, err := hs[0].createSource(ctx, "bench ingest", hmacSecret, nil)
			if err != nil {
				return err
			}
			o, err := b.fullLoad(ctx, spread(b.hook(url), hs), b.profileWindow(hs[0], fmt.Sprintf("scaleout-ingest-%d", n), nil))
			if err != nil {
				return fmt.Errorf("ingest: %w", err)
			}
			logOutcome(fmt.Sprintf("scaleout ingest, %s", procs(n)), o)
			ingest[n] = o.RPS
			sfx := ", " + procs(n)
			b.figG(o.Gen, "scaleout", "postgres", "ingest requests/s (no destination)"+sfx, o.RPS, "req/s", "rate", nil)
			b.figG(o.Gen, "scaleout", "postgres", "ingest latency p99 (slowest process)"+sfx, ms(o.P99), "ms", "p99", nil)
			b.figG(o.Gen, "scaleout", "postgres", "ingest errors (non-2xx)"+sfx, float64(o.Errors), "count", "", atMost(0))
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s, ingest: %w", procs(n), err)
		}
		logf("scaleout on postgres: %d Hookhub process(es), e2e", n)
		err = b.withHubs(ctx, "scaleout", "postgres", n, fmt.Sprintf(", e2e, %s", procs(n)), func(hs []hubRun) error {
			p, err := setupPipeline(ctx, hs[0], 1)
			if err != nil {
				return err
			}
			defer p.rc.close()
			w := &window{rc: p.rc}
			o, err := b.fullLoad(ctx, spread(b.hook(p.url), hs), b.profileWindow(hs[0], fmt.Sprintf("scaleout-e2e-%d", n), w.mark))
			if err != nil {
				return fmt.Errorf("e2e: %w", err)
			}
			logOutcome(fmt.Sprintf("scaleout e2e ingest, %s", procs(n)), o)
			e2e[n] = w.rate()
			b.e2eFigs(ctx, "scaleout", "postgres", ", "+procs(n), p.rc, w, o, 0)
			return nil
		})
		if err != nil {
			return fmt.Errorf("%s, e2e: %w", procs(n), err)
		}
	}
	if one := ingest[1]; one > 0 {
		for _, n := range b.cfg.scaleout {
			if n > 1 {
				b.fig("scaleout", "postgres", fmt.Sprintf("ingest, %s ÷ 1 process", procs(n)), ingest[n]/one, "×", "", nil)
			}
		}
	}
	if one := e2e[1]; one > 0 {
		for _, n := range b.cfg.scaleout {
			if n > 1 {
				b.fig("scaleout", "postgres", fmt.Sprintf("e2e deliveries, %s ÷ 1 process", procs(n)), e2e[n]/one, "×", "", nil)
			}
		}
	}
	return nil
}

// spread sends h to every process: the same source path on each.
func spread(h *webhook, hs []hubRun) []*webhook {
	out := make([]*webhook, len(hs))
	for i, hr := range hs {
		out[i] = h.to(hr.URL)
	}
	return out
}

func procs(n int) string {
	if n == 1 {
		return "1 process"
	}
	return fmt.Sprintf("%d processes", n)
}

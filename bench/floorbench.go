package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// runFloor measures the floor server (floor.go) as ingest and e2e measure
// Hookhub, with the same load: ingest with no destination, then e2e with one
// destination on the bench's receiver, each on a fresh store and a fresh
// server process. Its figures are ingest's and e2e's, under floor-ingest and
// floor-e2e, and Hookhub's figures of the same run are divided by them.
func (b *bench) runFloor(ctx context.Context, store string) error {
	if err := b.withFloor(ctx, "floor-ingest", store, "", func(url string) (*loadOutcome, error) {
		o, err := b.fullLoad(ctx, []*webhook{b.hook(url)}, nil)
		if err != nil {
			return nil, fmt.Errorf("floor ingest: %w", err)
		}
		logOutcome("floor ingest", o)
		b.ingestFigs("floor-ingest", store, o, nil, nil)
		b.vsFloor("floor-ingest", "ingest", store, o.Gen, "requests/s (no destination)")
		b.vsFloor("floor-ingest", "ingest", store, o.Gen, fmt.Sprintf("latency p99 (%d connections)", o.Conns))
		return o, nil
	}); err != nil {
		return err
	}
	rc, err := startReceiver(1)
	if err != nil {
		return err
	}
	defer rc.close()
	return b.withFloor(ctx, "floor-e2e", store, rc.pathURL(0), func(url string) (*loadOutcome, error) {
		w := &window{rc: rc}
		o, err := b.fullLoad(ctx, []*webhook{b.hook(url)}, w.mark)
		if err != nil {
			return nil, fmt.Errorf("floor e2e: %w", err)
		}
		logOutcome("floor e2e ingest", o)
		b.e2eFigs(ctx, "floor-e2e", store, "", rc, w, o, 0) // drains: every accepted event must arrive
		b.vsFloor("floor-e2e", "e2e", store, o.Gen, "deliveries/s (steady window)")
		b.vsFloor("floor-e2e", "e2e", store, o.Gen, "ingest requests/s meanwhile (one destination)")
		return o, nil
	})
}

// withFloor runs fn against a floor server on a fresh store (delivering to
// deliverTo when set), records the server's memory and CPU, and checks the
// rows it left once stopped: every accepted event stored and, with a
// destination, recorded as delivered.
func (b *bench) withFloor(ctx context.Context, sc, store, deliverTo string, fn func(url string) (*loadOutcome, error)) error {
	dir, err := os.MkdirTemp(b.tmp, sc+"-"+store+"-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	if !b.cfg.keep {
		defer os.RemoveAll(dir)
	}
	args := []string{floorServerArg, "-secret", hmacSecret}
	if deliverTo != "" {
		args = append(args, "-deliver-to", deliverTo)
	}
	var env []string
	if store == "postgres" {
		url, drop, err := freshDatabase(ctx, b.postgresURL())
		if err != nil {
			return err
		}
		defer drop()
		env = []string{floorDatabaseEnv + "=" + url}
	} else {
		args = append(args, "-sqlite", filepath.Join(dir, "floor.db"))
	}
	p, err := startSelf(ctx, "floor", env, args...)
	if err != nil {
		return err
	}
	sw, self := watchProc(p.pid()), watchProc(os.Getpid())
	o, err := fn("http://" + p.addr + "/hooks/floor")
	st, ss := sw.finish(), self.finish()
	out := p.stopWithin(time.Minute)
	if err != nil {
		return err
	}
	b.fig(sc, store, "floor server peak RSS (VmHWM)", max(st.HWMMB, st.MaxRSSMB), "MB", "", nil)
	b.fig(sc, store, "floor server CPU", st.Cores, "cores", "", nil)
	b.fig(sc, store, "bench CPU (built-in load+receiver)", ss.Cores, "cores", "", nil)
	var c floorCounts
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &c); err != nil {
		return fmt.Errorf("%s: the floor server did not report its rows (%q): %w", sc, out, err)
	}
	logf("  %s: rows left: %d events, %d deliveries (%d delivered), %d attempts", sc, c.Events, c.Deliveries, c.Delivered, c.Attempts)
	// wrk leaves the requests in flight at the end of a run unanswered, and
	// some of those are stored too: more rows than 2xx answers is expected.
	b.fig(sc, store, "accepted but not stored", float64(max(o.OK-c.Events, 0)), "count", "", atMost(0))
	if deliverTo != "" {
		b.fig(sc, store, "stored but not recorded delivered", float64(c.Events-c.Delivered), "count", "", atMost(0))
	}
	return nil
}

// vsFloor sets Hookhub's figure of the same run, store and load generator
// beside the floor's: Hookhub ÷ floor.
func (b *bench) vsFloor(sc, hubScenario, store, load, name string) {
	var hub, floor *figure
	for _, f := range b.rep.Figures {
		if f.Store == store && f.Load == load && f.Name == name {
			switch f.Scenario {
			case hubScenario:
				hub = f
			case sc:
				floor = f
			}
		}
	}
	if hub == nil || floor == nil || floor.Value == 0 {
		return // Hookhub's scenario did not run (or failed) in this run
	}
	b.figG(load, sc, store, "hookhub "+hubScenario+" ÷ floor: "+name, hub.Value/floor.Value, "×", "", nil)
}

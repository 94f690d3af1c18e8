package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"
)

// Load generator names, as the report shows them.
const (
	genWrk     = "wrk"
	genBuiltin = "built-in"
)

// loadOutcome is what a closed-loop run at full speed measured, whichever
// generator drove it.
type loadOutcome struct {
	Gen      string
	RPS      float64 // 2xx answers per second of the measured window
	P50, P99 time.Duration
	OK       int64 // 2xx answers, warm-up included
	Errors   int64 // error answers and transport errors in the window
	FirstErr string
	// GenCores is the CPU the generator used per wall second: wrk's own
	// process, or the bench process (which also runs the receiver) for the
	// built-in one.
	GenCores float64
	Conns    int // connections actually used (wrk splits them evenly over its threads)
}

// fullLoad drives hooks closed-loop with every connection at full speed for
// the warm-up and then the measured window, with wrk when it runs this
// bench's closed-loop scenarios, else the built-in generator. Several hooks
// (one per Hookhub process) share the connections evenly. onWindow is
// called at the window's edges.
func (b *bench) fullLoad(ctx context.Context, hooks []*webhook, onWindow func(bool, time.Time)) (*loadOutcome, error) {
	if b.wrk != nil {
		return b.wrkLoad(ctx, hooks, onWindow)
	}
	self := watchProc(os.Getpid())
	spec := b.spec()
	spec.OnWindow = onWindow
	for _, h := range hooks {
		spec.Targets = append(spec.Targets, h)
	}
	res, err := runLoad(ctx, spec)
	if err != nil {
		return nil, err
	}
	o := &loadOutcome{Gen: genBuiltin, RPS: res.RPS(), P50: percentile(res.Lat, 50), P99: percentile(res.Lat, 99),
		OK: res.OK, Errors: res.Errors, FirstErr: res.FirstErr, GenCores: self.finish().Cores, Conns: spec.Conns}
	if res.Errors > 0 {
		o.FirstErr = fmt.Sprintf("%s (errors by status, 0 = no answer: %v)", res.FirstErr, res.Statuses)
	}
	return o, nil
}

// wrkLoad is fullLoad with one wrk process per hook: a warm-up run, then the
// measured one. Each process gets its share of the connections and of
// --wrk-threads (at least one thread).
func (b *bench) wrkLoad(ctx context.Context, hooks []*webhook, onWindow func(bool, time.Time)) (*loadOutcome, error) {
	n := len(hooks)
	threads := max(b.cfg.wrkThreads/n, 1)
	conns := make([]int, n)
	for i := range conns {
		c := b.cfg.conns / n
		if i < b.cfg.conns%n {
			c++
		}
		conns[i] = max(c/threads*threads, threads) // wrk gives each thread conns/threads
	}
	all := func(d time.Duration) ([]*wrkResult, error) {
		out, errs := make([]*wrkResult, n), make([]error, n)
		var wg sync.WaitGroup
		for i, h := range hooks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out[i], errs[i] = b.wrk.run(ctx, b.tmp, h, threads, conns[i], d)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	o := &loadOutcome{Gen: genWrk}
	for _, c := range conns {
		o.Conns += c
	}
	if b.cfg.warmup > 0 {
		warm, err := all(b.cfg.warmup)
		if err != nil {
			return nil, fmt.Errorf("warm-up: %w", err)
		}
		for _, r := range warm {
			o.OK += r.OK()
		}
	}
	if onWindow != nil {
		onWindow(true, time.Now())
	}
	res, err := all(b.cfg.duration)
	if onWindow != nil {
		onWindow(false, time.Now())
	}
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		o.OK += r.OK()
		o.RPS += r.RPS()
		o.Errors += r.Errors()
		// With several processes the slowest one's percentiles are reported.
		o.P50, o.P99 = max(o.P50, r.P50), max(o.P99, r.P99)
		if r.Wall > 0 {
			o.GenCores += r.CPU.Seconds() / r.Wall.Seconds()
		}
		if r.Errors() > 0 && o.FirstErr == "" {
			o.FirstErr = fmt.Sprintf("wrk: %d answers above 399, socket errors connect %d, read %d, write %d, timeout %d",
				r.Non2xx, r.Connect, r.Read, r.Write, r.Timeout)
		}
	}
	return o, nil
}

// logOutcome prints a full-speed run's figures and errors.
func logOutcome(what string, o *loadOutcome) {
	logf("  %s (%s, %d connections): %d answered 2xx, %.0f req/s in window, p50 %.2f ms, p99 %.2f ms, generator %.2f cores",
		what, o.Gen, o.Conns, o.OK, o.RPS, ms(o.P50), ms(o.P99), o.GenCores)
	if o.Errors > 0 {
		logf("  %s: %d errors in window; %s", what, o.Errors, o.FirstErr)
	}
}

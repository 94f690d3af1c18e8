package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// defaultRedisAddr is the bus scenario's Redis: the test services' one.
func defaultRedisAddr() string {
	if a := os.Getenv("HOOKHUB_TEST_REDIS_ADDR"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// countWindow reads a count when the measured window opens and closes.
type countWindow struct {
	count  func() int64
	c0, c1 int64
	t0, t1 time.Time
}

func (w *countWindow) mark(open bool, _ time.Time) {
	if open {
		w.c0, w.t0 = w.count(), time.Now()
	} else {
		w.c1, w.t1 = w.count(), time.Now()
	}
}

func (w *countWindow) rate() float64 {
	if d := w.t1.Sub(w.t0).Seconds(); d > 0 {
		return float64(w.c1-w.c0) / d
	}
	return 0
}

// runBus is e2e with a Redis Streams destination in place of the webhook
// receiver: signed webhooks in, one XADD per delivery out, counted with XLEN
// over the same steady window. Its rate is set beside the same run's webhook
// e2e rate.
func (b *bench) runBus(ctx context.Context, store string) error {
	rdb := goredis.NewClient(&goredis.Options{Addr: b.cfg.redisAddr})
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("bus: Redis at %s (--redis-addr): %w", b.cfg.redisAddr, err)
	}
	stream := "hookhub-bench-" + strings.ToLower(fmt.Sprintf("%x", time.Now().UnixNano()))
	defer rdb.Del(context.Background(), stream)
	return b.withHub(ctx, "bus", store, func(h hubRun) error {
		var dst struct {
			ID string `json:"id"`
		}
		err := h.api(ctx, "POST", "/api/v1/destinations", map[string]any{
			"name": "bench redis", "type": "redis", "max_concurrency": 64, "timeout_seconds": 15,
			"retry": map[string]any{"max_retries": 10},
			"redis": map[string]any{"url": "redis://" + b.cfg.redisAddr + "/0", "stream": stream},
		}, &dst)
		if err != nil {
			return fmt.Errorf("bus: create destination: %w", err)
		}
		url, err := h.createSource(ctx, "bench bus source", hmacSecret, []string{dst.ID})
		if err != nil {
			return err
		}
		count := func() int64 {
			n, _ := rdb.XLen(context.Background(), stream).Result()
			return n
		}
		w := &countWindow{count: count}
		o, err := b.fullLoad(ctx, []*webhook{b.hook(url)}, b.profileWindow(h, "bus", w.mark))
		if err != nil {
			return fmt.Errorf("bus: %w", err)
		}
		logOutcome("bus ingest", o)
		took, ok := b.drainCount(ctx, count, o.OK)
		logf("  bus: %d accepted, %d in the stream; drained in %.1fs (complete: %v)", o.OK, count(), took.Seconds(), ok)
		b.figG(o.Gen, "bus", store, "deliveries/s to Redis (steady window)", w.rate(), "deliveries/s", "rate", nil)
		if e := b.e2eRate[store]; e > 0 {
			b.fig("bus", store, "vs webhook deliveries/s (e2e, same run)", w.rate()/e, "×", "", nil)
		}
		b.figG(o.Gen, "bus", store, "ingest requests/s meanwhile", o.RPS, "req/s", "rate", nil)
		b.figG(o.Gen, "bus", store, "ingest errors (non-2xx)", float64(o.Errors), "count", "", atMost(0))
		b.fig("bus", store, "undelivered after drain", float64(max(o.OK-count(), 0)), "count", "", atMost(0))
		return nil
	})
}

// drainCount waits until count reaches want, giving up after the drain
// timeout or when it stalls.
func (b *bench) drainCount(ctx context.Context, count func() int64, want int64) (time.Duration, bool) {
	start := time.Now()
	last, lastChange := count(), time.Now()
	for {
		n := count()
		switch {
		case n >= want:
			return time.Since(start), true
		case ctx.Err() != nil, time.Since(start) > b.cfg.drainTimeout:
			return time.Since(start), false
		case n != last:
			last, lastChange = n, time.Now()
		case time.Since(lastChange) > b.cfg.stall:
			return time.Since(start), false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

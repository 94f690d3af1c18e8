package delivery_test

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookhub/hookhub"
	"github.com/hookhub/hookhub/delivery"
)

// A receiver that does not answer holds only its own slots: another
// destination's deliveries all go through while every request to it is
// still waiting, and it never has more in flight than its limit.
func TestSlowDestinationDoesNotDelayOthers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var inflight, most atomic.Int64
	slow := newReceiver(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	fast := newReceiver(t, nil)
	// Small batches and few workers, so that the slow destination's backlog
	// fills whole claims and its lane overflows.
	h := newHub(t, func(o *delivery.Options) {
		o.Workers = 16
		o.BatchSize = 20
	})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock() // before the engine stops, so Stop does not wait on the receiver
	slowDest := h.destination(slow.url(), func(d *hookhub.Destination) { d.TimeoutSec = 60 })
	fastDest := h.destination(fast.url())
	h.enqueue(slowDest, 500) // more than the engine holds in memory (16 batches)
	fastDs := h.enqueue(fastDest, 100)

	// The slow receiver answers nothing until released, so whatever the
	// machine's speed, the fast deliveries completing first shows they did
	// not wait behind it.
	eventually(t, "the fast deliveries", func() bool { return fast.distinct() == len(fastDs) })
	for _, d := range fastDs {
		eventually(t, "success recorded", func() bool { return h.delivery(d.ID).Status == hookhub.DeliverySucceeded })
	}
	if n := most.Load(); n > int64(slowDest.MaxConcurrency) {
		t.Errorf("slow destination had %d requests in flight, limit %d", n, slowDest.MaxConcurrency)
	}
	ds, _, err := h.store.ListDeliveries(context.Background(), hookhub.DeliveryFilter{DestinationID: slowDest.ID, Status: hookhub.DeliverySucceeded})
	if err != nil || len(ds) != 0 {
		t.Errorf("slow deliveries succeeded before the receiver answered: %d (%v)", len(ds), err)
	}
	unblock()
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	h := newHub(t)
	dest := h.destination(rc.url(), func(d *hookhub.Destination) { d.RateLimit = 20 })
	ds := h.enqueue(dest, 50)

	start := time.Now()
	eventually(t, "every delivery", func() bool { return rc.distinct() == len(ds) })
	// A burst of 20, then 20 per second: 30 more take at least 1.5 s.
	if took := time.Since(start); took < 1400*time.Millisecond {
		t.Errorf("50 requests at 20/s took only %v", took)
	}
}
